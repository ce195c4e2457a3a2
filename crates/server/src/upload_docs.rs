//! The OpenAPI description of the tus upload and blob routes (served by `uploads`). The
//! functions below only carry the documentation; `uploads::router` answers the requests.
#![allow(dead_code)]

use utoipa::OpenApi;

use crate::error::ErrorBody;

/// tus capabilities: `Tus-Version`, `Tus-Extension` (creation, creation-with-upload, checksum,
/// termination), `Tus-Max-Size`, `Tus-Checksum-Algorithm: sha256`.
#[utoipa::path(options, path = "/v1/uploads", responses((status = 204, description = "tus capabilities in headers")))]
fn tus_options() {}

/// Creates an upload (`Upload-Length`, `Upload-Metadata` with `sha256`); a body of type
/// `application/offset+octet-stream` is stored as its first chunk.
#[utoipa::path(post, path = "/v1/uploads", security(("bearer" = [])),
    responses((status = 201, description = "created; `Location` and `Upload-Offset` headers"),
        (status = 400, body = ErrorBody), (status = 413, body = ErrorBody), (status = 460, body = ErrorBody)))]
fn tus_create() {}

/// The server's offset for an upload (`Upload-Offset`, `Upload-Length`).
#[utoipa::path(head, path = "/v1/uploads/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "offset in headers"), (status = 404, body = ErrorBody)))]
fn tus_head() {}

/// Appends a chunk at `Upload-Offset`; `Upload-Checksum: sha256 <base64>` is verified.
#[utoipa::path(patch, path = "/v1/uploads/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    responses((status = 204, description = "new `Upload-Offset`; `Ronda-Blob` once complete"),
        (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 460, body = ErrorBody)))]
fn tus_patch() {}

/// Abandons an upload (termination).
#[utoipa::path(delete, path = "/v1/uploads/{id}", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
fn tus_delete() {}

/// Whether the server has a blob (200) or not (404).
#[utoipa::path(head, path = "/v1/blobs/{sha256}", params(("sha256" = String, Path)), security(("bearer" = [])),
    responses((status = 200), (status = 404), (status = 400, body = ErrorBody)))]
fn blob_head() {}

/// A blob's bytes (immutable, cacheable).
#[utoipa::path(get, path = "/v1/blobs/{sha256}", params(("sha256" = String, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = ErrorBody)))]
fn blob_get() {}

#[derive(OpenApi)]
#[openapi(paths(
    tus_options,
    tus_create,
    tus_head,
    tus_patch,
    tus_delete,
    blob_head,
    blob_get
))]
pub struct UploadDocs;
