//! Parsing the tus request headers. Everything here is hostile input: it is checked in full
//! before anything is created or written.

use axum::http::{HeaderMap, header};
use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use ronda_core::Sha256Hex;

use super::error::UploadError;
use super::{OFFSET_OCTET_STREAM, TUS_RESUMABLE, TUS_VERSION, UPLOAD_LENGTH, UPLOAD_OFFSET};

/// Standard base64, with or without padding (tus clients differ).
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// At most this many bytes of Upload-Metadata, this many pairs, this long a key.
const MAX_METADATA_BYTES: usize = 4096;
const MAX_METADATA_PAIRS: usize = 32;
const MAX_METADATA_KEY: usize = 64;

/// The request must speak tus 1.0.0 (`Tus-Resumable`), else 412.
pub(super) fn require_tus_version(headers: &HeaderMap) -> Result<(), UploadError> {
    match headers.get(TUS_RESUMABLE) {
        Some(v) if v.as_bytes() == TUS_VERSION.as_bytes() => Ok(()),
        _ => Err(UploadError::TusVersionUnsupported),
    }
}

/// A header holding a non-negative decimal integer; `None` when absent, `Err(())` when not
/// such an integer (signs, spaces, hex and values past `u64::MAX` are all refused).
fn decimal(headers: &HeaderMap, name: &str) -> Result<Option<u64>, ()> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let bytes = value.as_bytes();
    if bytes.is_empty() || bytes.len() > 20 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(());
    }
    std::str::from_utf8(bytes)
        .map_err(|_| ())?
        .parse::<u64>()
        .map(Some)
        .map_err(|_| ())
}

pub(super) fn upload_length(headers: &HeaderMap) -> Result<u64, UploadError> {
    if headers.contains_key("upload-defer-length") {
        return Err(UploadError::LengthRequired(
            "deferred lengths (creation-defer-length) are not supported",
        ));
    }
    match decimal(headers, UPLOAD_LENGTH) {
        Ok(Some(length)) => Ok(length),
        Ok(None) => Err(UploadError::LengthRequired("the header is missing")),
        Err(()) => Err(UploadError::LengthRequired(
            "the header is not a non-negative integer",
        )),
    }
}

pub(super) fn upload_offset(headers: &HeaderMap) -> Result<u64, UploadError> {
    match decimal(headers, UPLOAD_OFFSET) {
        Ok(Some(offset)) => Ok(offset),
        _ => Err(UploadError::OffsetInvalid),
    }
}

/// The declared `Content-Length`, if any and well-formed (hyper has already refused a
/// malformed one).
pub(super) fn content_length(headers: &HeaderMap) -> Option<u64> {
    decimal(headers, header::CONTENT_LENGTH.as_str())
        .ok()
        .flatten()
}

/// Whether the body is tus upload data (`application/offset+octet-stream`, parameters ignored).
pub(super) fn is_offset_stream(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case(OFFSET_OCTET_STREAM))
}

/// `Upload-Checksum: sha256 <base64 digest>`, decoded; `None` when absent. Any other algorithm
/// or a malformed digest is a 400, as the checksum extension asks.
pub(super) fn upload_checksum(headers: &HeaderMap) -> Result<Option<[u8; 32]>, UploadError> {
    let Some(value) = headers.get("upload-checksum") else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| UploadError::ChecksumInvalid("not ASCII".to_owned()))?
        .trim();
    let (algorithm, digest) = value
        .split_once(' ')
        .ok_or_else(|| UploadError::ChecksumInvalid("expected \"sha256 <base64>\"".to_owned()))?;
    if !algorithm.eq_ignore_ascii_case("sha256") {
        return Err(UploadError::ChecksumInvalid(format!(
            "algorithm {algorithm:?} is not supported; use sha256"
        )));
    }
    let digest = LENIENT_BASE64
        .decode(digest.trim())
        .map_err(|_| UploadError::ChecksumInvalid("the digest is not base64".to_owned()))?;
    let digest: [u8; 32] = digest
        .try_into()
        .map_err(|_| UploadError::ChecksumInvalid("a SHA-256 digest is 32 bytes".to_owned()))?;
    Ok(Some(digest))
}

/// Parsed `Upload-Metadata`: keys in the order the client sent them, values decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Metadata(Vec<(String, Vec<u8>)>);

impl Metadata {
    /// Reads the header as the tus spec defines it: comma-separated pairs of a key and a
    /// base64 value separated by a space; the value (and its space) may be left out; keys are
    /// unique. Whitespace around pairs is tolerated.
    pub(super) fn from_headers(headers: &HeaderMap) -> Result<Metadata, UploadError> {
        let Some(value) = headers.get("upload-metadata") else {
            return Ok(Metadata::default());
        };
        let value = value
            .to_str()
            .map_err(|_| UploadError::MetadataInvalid("not ASCII".to_owned()))?;
        Metadata::parse(value).map_err(UploadError::MetadataInvalid)
    }

    pub(super) fn parse(value: &str) -> Result<Metadata, String> {
        if value.len() > MAX_METADATA_BYTES {
            return Err(format!("longer than {MAX_METADATA_BYTES} bytes"));
        }
        let mut pairs: Vec<(String, Vec<u8>)> = Vec::new();
        if value.trim().is_empty() {
            return Ok(Metadata(pairs));
        }
        for pair in value.split(',') {
            let pair = pair.trim_matches(|c| c == ' ' || c == '\t');
            let (key, encoded) = match pair.split_once(' ') {
                Some((key, encoded)) => (key, encoded.trim_matches(|c| c == ' ' || c == '\t')),
                None => (pair, ""),
            };
            if key.is_empty() {
                return Err("an empty key".to_owned());
            }
            if key.len() > MAX_METADATA_KEY || !key.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(format!("key {key:?} is not a short printable ASCII word"));
            }
            if pairs.iter().any(|(k, _)| k == key) {
                return Err(format!("key {key:?} appears twice"));
            }
            if pairs.len() == MAX_METADATA_PAIRS {
                return Err(format!("more than {MAX_METADATA_PAIRS} keys"));
            }
            let decoded = LENIENT_BASE64
                .decode(encoded)
                .map_err(|_| format!("the value of {key:?} is not base64"))?;
            pairs.push((key.to_owned(), decoded));
        }
        Ok(Metadata(pairs))
    }

    pub(super) fn get(&self, key: &str) -> Option<&[u8]> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_slice())
    }

    /// The `sha256` entry: base64 of the lowercase hex digest.
    pub(super) fn sha256(&self) -> Result<Option<Sha256Hex>, UploadError> {
        let Some(value) = self.get("sha256") else {
            return Ok(None);
        };
        std::str::from_utf8(value)
            .ok()
            .and_then(|s| Sha256Hex::parse(s).ok())
            .map(Some)
            .ok_or_else(|| {
                UploadError::MetadataInvalid(
                    "sha256 must be the base64 of 64 lowercase hex digits".to_owned(),
                )
            })
    }

    /// The header to echo, canonically encoded; `None` when there is no metadata.
    pub(super) fn to_header(&self) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        let pairs: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| {
                if v.is_empty() {
                    k.clone()
                } else {
                    format!(
                        "{k} {}",
                        base64::engine::general_purpose::STANDARD.encode(v)
                    )
                }
            })
            .collect();
        Some(pairs.join(","))
    }

    /// For the sidecar file: pairs with canonical base64 values.
    pub(super) fn to_stored(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    base64::engine::general_purpose::STANDARD.encode(v),
                )
            })
            .collect()
    }

    pub(super) fn from_stored(stored: &[(String, String)]) -> Result<Metadata, String> {
        let mut pairs = Vec::with_capacity(stored.len());
        for (k, v) in stored {
            let decoded = LENIENT_BASE64
                .decode(v)
                .map_err(|_| format!("stored value of {k:?} is not base64"))?;
            pairs.push((k.clone(), decoded));
        }
        Ok(Metadata(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_follows_the_spec() {
        let m = Metadata::parse("filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential")
            .unwrap();
        assert_eq!(m.get("filename"), Some(&b"world_domination_plan.pdf"[..]));
        assert_eq!(m.get("is_confidential"), Some(&b""[..]));
        assert_eq!(
            m.to_header().unwrap(),
            "filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential"
        );
        // Spaces after commas and unpadded base64 are tolerated.
        let m = Metadata::parse("a YQ, b Yg").unwrap();
        assert_eq!(m.get("b"), Some(&b"b"[..]));
        assert!(Metadata::parse("").unwrap().to_header().is_none());
    }

    #[test]
    fn bad_metadata_is_refused() {
        for bad in [
            "a YQ==,a Yg==",
            ",",
            "a YQ==,",
            "a not*base64",
            "a YQ== extra",
            "k\u{7f} YQ==",
        ] {
            assert!(Metadata::parse(bad).is_err(), "{bad:?} was accepted");
        }
        let long = format!("{} YQ==", "k".repeat(65));
        assert!(Metadata::parse(&long).is_err());
    }

    #[test]
    fn decimals_are_strict() {
        let mut h = HeaderMap::new();
        for (value, ok) in [
            ("0", Some(0)),
            ("123", Some(123)),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("-1", None),
            ("+1", None),
            (" 1", None),
            ("0x10", None),
            ("", None),
        ] {
            h.insert(UPLOAD_OFFSET, value.parse().unwrap());
            assert_eq!(upload_offset(&h).ok(), ok, "{value:?}");
        }
    }

    #[test]
    fn checksums() {
        let mut h = HeaderMap::new();
        assert_eq!(upload_checksum(&h).unwrap(), None);
        let digest = [7u8; 32];
        let encoded = base64::engine::general_purpose::STANDARD.encode(digest);
        h.insert(
            "upload-checksum",
            format!("sha256 {encoded}").parse().unwrap(),
        );
        assert_eq!(upload_checksum(&h).unwrap(), Some(digest));
        h.insert("upload-checksum", format!("md5 {encoded}").parse().unwrap());
        assert!(upload_checksum(&h).is_err());
        h.insert("upload-checksum", "sha256 YQ==".parse().unwrap());
        assert!(upload_checksum(&h).is_err());
    }
}
