//! Errors as the HTTP API answers them: a status, a stable code, and a message in the caller's
//! language (from `Accept-Language`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use ronda_core::Lang;

use crate::storage::StorageError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable, never renamed: for programs and support calls.
    pub code: String,
    /// For people, in the language asked for.
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, lang: Lang, id: &str, en: &str) -> Self {
        Self {
            status,
            code,
            message: lang.pick(id, en).to_owned(),
        }
    }

    pub fn storage(e: StorageError, lang: Lang) -> Self {
        tracing::error!(error = %e, "storage failed");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVER_STORAGE_UNAVAILABLE",
            lang,
            "server sedang bermasalah; data Anda aman di HP dan akan dikirim lagi nanti",
            "the server has a problem; your data is safe on your phone and will be sent again later",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody {
                code: self.code.to_owned(),
                message: self.message,
            }),
        )
            .into_response()
    }
}
