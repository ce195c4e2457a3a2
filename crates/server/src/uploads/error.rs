//! Every way an upload request can be refused, each with a stable code and its tus status.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ronda_core::{Coded, Lang};

use super::{TUS_RESUMABLE, TUS_VERSION, UPLOAD_OFFSET};

/// Why the server stopped reading a request body before it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interruption {
    /// The connection failed or closed before the body was complete.
    Connection,
    /// No data arrived for [`super::BODY_IDLE_TIMEOUT`].
    IdleTimeout,
    /// A newer request for the same upload (HEAD, PATCH or DELETE) asked for the upload.
    Superseded,
}

/// An upload request the server refused. Nothing was changed by it, except where the variant
/// says so ([`UploadError::Interrupted`] keeps the bytes that arrived when no checksum was
/// sent; [`UploadError::HashMismatch`] deletes the upload).
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("no such upload")]
    NotFound,
    #[error("Upload-Offset {got} is not the upload's offset {expected}")]
    OffsetMismatch { expected: u64, got: u64 },
    #[error("Upload-Offset is missing or not a non-negative integer")]
    OffsetInvalid,
    #[error("the body does not match its Upload-Checksum; nothing was appended")]
    ChecksumMismatch { offset: u64 },
    #[error("Upload-Checksum is not usable: {0}")]
    ChecksumInvalid(String),
    #[error(
        "the upload's SHA-256 is {actual}, not the declared {declared}; the upload was deleted"
    )]
    HashMismatch { declared: String, actual: String },
    #[error("Upload-Length {length} is more than the {max} bytes allowed")]
    TooLarge { length: u64, max: u64 },
    #[error(
        "the body would pass the upload's length {length} (offset {offset}); nothing was appended"
    )]
    PastLength { offset: u64, length: u64 },
    #[error("Content-Type must be application/offset+octet-stream")]
    BadContentType,
    #[error("Tus-Resumable must be 1.0.0")]
    TusVersionUnsupported,
    #[error("Upload-Length is required: {0}")]
    LengthRequired(&'static str),
    #[error("Upload-Metadata is not valid: {0}")]
    MetadataInvalid(String),
    #[error("a blob name is 64 lowercase hex digits")]
    BlobNameInvalid,
    #[error("no such blob")]
    BlobNotFound,
    #[error("another request holds this upload")]
    Locked,
    #[error("the body was interrupted ({why:?}); the upload is now at offset {offset}")]
    Interrupted { offset: u64, why: Interruption },
    #[error("method not allowed here; allowed: {allow}")]
    MethodNotAllowed { allow: &'static str },
    #[error("the server's disk is full")]
    StorageFull,
    #[error("storage error: {0}")]
    Storage(#[from] std::io::Error),
}

impl UploadError {
    /// The stable code sent as `code` in the JSON body.
    pub fn code(&self) -> &'static str {
        match self {
            UploadError::NotFound => "UPLOAD_NOT_FOUND",
            UploadError::OffsetMismatch { .. } => "UPLOAD_OFFSET_MISMATCH",
            UploadError::OffsetInvalid => "UPLOAD_OFFSET_INVALID",
            UploadError::ChecksumMismatch { .. } => "UPLOAD_CHECKSUM_MISMATCH",
            UploadError::ChecksumInvalid(_) => "UPLOAD_CHECKSUM_INVALID",
            UploadError::HashMismatch { .. } => "UPLOAD_HASH_MISMATCH",
            UploadError::TooLarge { .. } | UploadError::PastLength { .. } => "UPLOAD_TOO_LARGE",
            UploadError::BadContentType => "UPLOAD_BAD_CONTENT_TYPE",
            UploadError::TusVersionUnsupported => "TUS_VERSION_UNSUPPORTED",
            UploadError::LengthRequired(_) => "UPLOAD_LENGTH_REQUIRED",
            UploadError::MetadataInvalid(_) => "UPLOAD_METADATA_INVALID",
            UploadError::BlobNameInvalid => "BLOB_NAME_INVALID",
            UploadError::BlobNotFound => "BLOB_NOT_FOUND",
            UploadError::Locked => "UPLOAD_LOCKED",
            UploadError::Interrupted { .. } => "UPLOAD_INTERRUPTED",
            UploadError::MethodNotAllowed { .. } => "METHOD_NOT_ALLOWED",
            UploadError::StorageFull => "UPLOAD_STORAGE_FULL",
            UploadError::Storage(e) if e.kind() == std::io::ErrorKind::StorageFull => {
                "UPLOAD_STORAGE_FULL"
            }
            UploadError::Storage(_) => "UPLOAD_STORAGE_FAILED",
        }
    }

    /// The HTTP status, as the tus protocol asks for it.
    pub fn status(&self) -> StatusCode {
        match self {
            UploadError::NotFound | UploadError::BlobNotFound => StatusCode::NOT_FOUND,
            UploadError::OffsetMismatch { .. } => StatusCode::CONFLICT,
            UploadError::ChecksumMismatch { .. } | UploadError::HashMismatch { .. } => {
                checksum_mismatch_status()
            }
            UploadError::TooLarge { .. } | UploadError::PastLength { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            UploadError::BadContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            UploadError::TusVersionUnsupported => StatusCode::PRECONDITION_FAILED,
            UploadError::OffsetInvalid
            | UploadError::ChecksumInvalid(_)
            | UploadError::LengthRequired(_)
            | UploadError::MetadataInvalid(_)
            | UploadError::BlobNameInvalid => StatusCode::BAD_REQUEST,
            UploadError::Locked => StatusCode::LOCKED,
            UploadError::Interrupted { why, .. } => match why {
                Interruption::Connection => StatusCode::BAD_REQUEST,
                Interruption::IdleTimeout => StatusCode::REQUEST_TIMEOUT,
                Interruption::Superseded => StatusCode::CONFLICT,
            },
            UploadError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            UploadError::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
            UploadError::Storage(e) if e.kind() == std::io::ErrorKind::StorageFull => {
                StatusCode::INSUFFICIENT_STORAGE
            }
            UploadError::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The upload's offset after this error, when the client should hear it.
    fn offset(&self) -> Option<u64> {
        match self {
            UploadError::OffsetMismatch { expected, .. } => Some(*expected),
            UploadError::ChecksumMismatch { offset }
            | UploadError::PastLength { offset, .. }
            | UploadError::Interrupted { offset, .. } => Some(*offset),
            _ => None,
        }
    }
}

/// tus's "460 Checksum Mismatch".
pub(super) fn checksum_mismatch_status() -> StatusCode {
    StatusCode::from_u16(460).expect("460 is a valid status code")
}

impl Coded for UploadError {
    fn code(&self) -> &'static str {
        UploadError::code(self)
    }

    fn message(&self, lang: Lang) -> String {
        let en = match self {
            // Never show a client the server's paths or OS errors.
            UploadError::Storage(_) => "the server could not store the upload".to_owned(),
            other => other.to_string(),
        };
        let id = match self {
            UploadError::NotFound => "unggahan tidak ditemukan".to_owned(),
            UploadError::OffsetMismatch { expected, got } => {
                format!("Upload-Offset {got} tidak sama dengan posisi unggahan {expected}")
            }
            UploadError::OffsetInvalid => {
                "Upload-Offset tidak ada atau bukan bilangan bulat tak negatif".to_owned()
            }
            UploadError::ChecksumMismatch { .. } => {
                "isi tidak cocok dengan Upload-Checksum; tidak ada yang ditambahkan".to_owned()
            }
            UploadError::ChecksumInvalid(why) => {
                format!("Upload-Checksum tidak dapat dipakai: {why}")
            }
            UploadError::HashMismatch { declared, actual } => format!(
                "SHA-256 unggahan {actual}, bukan {declared} seperti yang dinyatakan; unggahan dihapus"
            ),
            UploadError::TooLarge { length, max } => {
                format!("Upload-Length {length} melebihi batas {max} byte")
            }
            UploadError::PastLength { offset, length } => format!(
                "isi melewati panjang unggahan {length} (posisi {offset}); tidak ada yang ditambahkan"
            ),
            UploadError::BadContentType => {
                "Content-Type harus application/offset+octet-stream".to_owned()
            }
            UploadError::TusVersionUnsupported => "Tus-Resumable harus 1.0.0".to_owned(),
            UploadError::LengthRequired(why) => format!("Upload-Length wajib: {why}"),
            UploadError::MetadataInvalid(why) => format!("Upload-Metadata tidak sah: {why}"),
            UploadError::BlobNameInvalid => {
                "nama blob adalah 64 digit heksadesimal kecil".to_owned()
            }
            UploadError::BlobNotFound => "blob tidak ditemukan".to_owned(),
            UploadError::Locked => "unggahan ini sedang dipakai permintaan lain".to_owned(),
            UploadError::Interrupted { offset, .. } => {
                format!("pengiriman terputus; unggahan sekarang di posisi {offset}")
            }
            UploadError::MethodNotAllowed { allow } => {
                format!("metode tidak diizinkan di sini; yang diizinkan: {allow}")
            }
            UploadError::StorageFull => "disk server penuh".to_owned(),
            UploadError::Storage(e) if e.kind() == std::io::ErrorKind::StorageFull => {
                "disk server penuh".to_owned()
            }
            UploadError::Storage(_) => "server tidak dapat menyimpan unggahan".to_owned(),
        };
        lang.pick(id, en)
    }
}

impl IntoResponse for UploadError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, code = self.code(), "upload request failed");
        } else {
            tracing::debug!(error = %self, code = self.code(), "upload request refused");
        }
        let mut body = serde_json::json!({
            "code": self.code(),
            "message": self.message(Lang::En),
        });
        if let UploadError::HashMismatch { declared, actual } = &self {
            body["declared_sha256"] = declared.clone().into();
            body["actual_sha256"] = actual.clone().into();
        }
        let mut response = (status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(TUS_RESUMABLE, HeaderValue::from_static(TUS_VERSION));
        if let UploadError::TusVersionUnsupported = self {
            headers.insert("tus-version", HeaderValue::from_static(TUS_VERSION));
        }
        if let Some(offset) = self.offset() {
            headers.insert(UPLOAD_OFFSET, HeaderValue::from(offset));
        }
        if let UploadError::MethodNotAllowed { allow } = self {
            headers.insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        response
    }
}
