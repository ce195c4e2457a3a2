//! The HTTP API: accounts, sync and uploads under `/v1`, the OpenAPI document, health.

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use utoipa::{OpenApi, ToSchema};

use ronda_core::authz::Actor;
use ronda_core::sync::{RenewedAccess, SyncRequest, SyncResponse};
use ronda_core::{DeviceId, Lang, RoleAssignment, Timestamp, UserId};

use crate::auth::{self, Session, TokenError, TokenKey};
use crate::config::Limits;
use crate::error::{ApiError, ErrorBody};
use crate::storage::{Device, Storage, StorageError};
use crate::uploads::{self, UploadConfig};

pub struct AppState<S> {
    pub storage: S,
    pub key: TokenKey,
    pub limits: Limits,
    rate: DefaultKeyedRateLimiter<DeviceId>,
    places: crate::places::Places,
    pub(crate) safety: crate::safety_map::SafetyLayers,
    pub(crate) lifecycle: crate::config::Lifecycle,
}

impl<S> std::fmt::Debug for AppState<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl<S> AppState<S> {
    pub fn new(storage: S, key: TokenKey, limits: Limits) -> Arc<Self> {
        Self::with_lifecycle(storage, key, limits, Default::default())
    }

    /// A server judging lifecycle steps by `lifecycle` (on-site distances, the kewenangan
    /// matrix) instead of the defaults.
    pub fn with_lifecycle(
        storage: S,
        key: TokenKey,
        limits: Limits,
        lifecycle: crate::config::Lifecycle,
    ) -> Arc<Self> {
        let per_minute = NonZeroU32::new(limits.syncs_per_minute.max(1)).expect("at least one");
        let rate = RateLimiter::keyed(Quota::per_minute(per_minute));
        Arc::new(Self {
            storage,
            key,
            limits,
            rate,
            places: Default::default(),
            safety: Default::default(),
            lifecycle,
        })
    }
}

/// The caller's language, from `Accept-Language` (Indonesian unless English comes first).
#[derive(Debug, Clone, Copy)]
pub struct CallerLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for CallerLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(CallerLang(lang_of(&parts.headers)))
    }
}

fn lang_of(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|v| v.split(';').next())
        .and_then(Lang::from_locale)
        .unwrap_or_default()
}

/// A verified access token.
#[derive(Debug, Clone, Copy)]
pub struct Authed(pub Session);

/// A refused or missing access token: 401 with `WWW-Authenticate: Bearer`.
#[derive(Debug)]
pub struct Unauthorized(ApiError);

impl IntoResponse for Unauthorized {
    fn into_response(self) -> Response {
        let mut r = self.0.into_response();
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
        r
    }
}

fn unauthorized(code: &'static str, lang: Lang, id: &str, en: &str) -> Unauthorized {
    Unauthorized(ApiError::new(StatusCode::UNAUTHORIZED, code, lang, id, en))
}

fn authenticate(headers: &HeaderMap, key: &TokenKey) -> Result<Session, Unauthorized> {
    let lang = lang_of(headers);
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| unauthorized("TOKEN_MISSING", lang, "perlu masuk dulu", "sign in first"))?;
    key.verify(token, Timestamp::now().millis())
        .map_err(|e| match e {
            TokenError::Expired => unauthorized(
                "TOKEN_EXPIRED",
                lang,
                "sesi kedaluwarsa; perbarui token",
                "the session expired; refresh the token",
            ),
            TokenError::Invalid => unauthorized(
                "TOKEN_INVALID",
                lang,
                "token tidak sah",
                "the token is not valid",
            ),
        })
}

impl<S: Storage> FromRequestParts<Arc<AppState<S>>> for Authed {
    type Rejection = Unauthorized;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState<S>>,
    ) -> Result<Self, Unauthorized> {
        authenticate(&parts.headers, &state.key).map(Authed)
    }
}

/// JSON bodies whose rejections answer with Ronda's error body and codes.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let lang = lang_of(req.headers());
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "CONTENT_TYPE_UNSUPPORTED",
                lang,
                "kirim sebagai application/json",
                "send application/json",
            )),
            Err(JsonRejection::BytesRejection(e))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "BODY_TOO_LARGE",
                    lang,
                    "kiriman terlalu besar",
                    "the request body is too large",
                ))
            }
            Err(e) => Err(ApiError {
                status: StatusCode::BAD_REQUEST,
                code: "BODY_INVALID",
                message: format!(
                    "{}: {}",
                    lang.pick("isi kiriman tidak sah", "the request body is not valid"),
                    e.body_text()
                ),
            }),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActivateRequest {
    /// The one-time code, e.g. `K7QF-2MXP-9RTC` (case, spaces and dashes do not matter).
    pub code: String,
    /// What the person calls this device, e.g. "HP Pak RT".
    pub device_name: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SignedIn {
    #[schema(value_type = String)]
    pub user_id: UserId,
    pub user_name: String,
    #[schema(value_type = String)]
    pub device_id: DeviceId,
    /// Keep this safe on the device: it gets new access tokens for months.
    pub refresh_token: String,
    pub access_token: String,
    pub access_expires_at: i64,
    #[schema(value_type = Vec<Object>)]
    pub roles: Vec<RoleAssignment>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccessToken {
    pub access_token: String,
    pub access_expires_at: i64,
}

fn bad_code(lang: Lang) -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "ACTIVATION_CODE_INVALID",
        lang,
        "kode aktivasi salah",
        "the activation code is wrong",
    )
}

/// Signs a device in with a one-time activation code.
#[utoipa::path(post, path = "/v1/auth/activate", request_body = ActivateRequest,
    responses((status = 200, body = SignedIn), (status = 401, body = ErrorBody), (status = 423, body = ErrorBody)))]
async fn activate<S: Storage>(
    State(app): State<Arc<AppState<S>>>,
    CallerLang(lang): CallerLang,
    ApiJson(req): ApiJson<ActivateRequest>,
) -> Result<Json<SignedIn>, ApiError> {
    let (code_id, secret) = auth::parse_activation_code(&req.code).ok_or_else(|| bad_code(lang))?;
    let device_name = req.device_name.trim().chars().take(80).collect::<String>();
    let id = code_id.clone();
    let found = app
        .storage
        .write(move |tx| {
            // Count the try before the secret is checked, in the same transaction as the read:
            // guesses sent at once cannot all see the same count.
            let Some(a) = tx.activation(&id)? else {
                return Ok(None);
            };
            if !a.used && a.failures < auth::MAX_CODE_FAILURES {
                tx.update_activation(&id, false, a.failures + 1)?;
            }
            Ok(Some(a))
        })
        .await
        .map_err(|e| ApiError::storage(e, lang))?;
    let activation = found.ok_or_else(|| bad_code(lang))?;
    let now = Timestamp::now().millis();
    if activation.used {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "ACTIVATION_CODE_USED",
            lang,
            "kode ini sudah dipakai; minta kode baru ke lurah",
            "this code was already used; ask the lurah for a new one",
        ));
    }
    if activation.expires_at_ms <= now {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "ACTIVATION_CODE_EXPIRED",
            lang,
            "kode ini sudah kedaluwarsa; minta kode baru",
            "this code has expired; ask for a new one",
        ));
    }
    if activation.failures >= auth::MAX_CODE_FAILURES {
        return Err(ApiError::new(
            StatusCode::LOCKED,
            "ACTIVATION_CODE_LOCKED",
            lang,
            "terlalu banyak percobaan salah; minta kode baru",
            "too many wrong tries; ask for a new code",
        ));
    }
    let hash = activation.secret_hash.clone();
    let right = tokio::task::spawn_blocking(move || auth::verify_secret(&secret, &hash))
        .await
        .unwrap_or(false);
    if !right {
        return Err(bad_code(lang));
    }
    let device = Device {
        id: DeviceId::new(),
        user: activation.user,
        name: device_name,
        revoked: false,
    };
    let (refresh_token, refresh_hash) = auth::new_refresh_token();
    let user = activation.user;
    let d = device.clone();
    let claimed = app
        .storage
        .write(move |tx| {
            // Checked again inside the transaction: two phones racing with one code get one device.
            let current = tx.activation(&code_id)?;
            if current.is_none_or(|a| a.used) {
                return Ok(None);
            }
            tx.update_activation(&code_id, true, 0)?;
            tx.insert_device(&d, &refresh_hash)?;
            Ok(Some((tx.user(user)?, tx.assignments(user)?)))
        })
        .await
        .map_err(|e| ApiError::storage(e, lang))?;
    let Some((Some(u), roles)) = claimed else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "ACTIVATION_CODE_USED",
            lang,
            "kode ini sudah dipakai",
            "this code was already used",
        ));
    };
    let expires = now + auth::ACCESS_TOKEN_TTL_MS;
    Ok(Json(SignedIn {
        user_id: u.id,
        user_name: u.name,
        device_id: device.id,
        access_token: app.key.issue(u.id, device.id, expires),
        access_expires_at: expires,
        refresh_token,
        roles,
    }))
}

/// Trades a device's refresh token for a fresh access token.
#[utoipa::path(post, path = "/v1/auth/token", request_body = RefreshRequest,
    responses((status = 200, body = AccessToken), (status = 401, body = ErrorBody)))]
async fn token<S: Storage>(
    State(app): State<Arc<AppState<S>>>,
    CallerLang(lang): CallerLang,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<Json<AccessToken>, ApiError> {
    let hash = auth::refresh_hash(&req.refresh_token);
    let device = app
        .storage
        .read(move |tx| tx.device_by_refresh(&hash))
        .await
        .map_err(|e| ApiError::storage(e, lang))?;
    let device = device.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "REFRESH_TOKEN_INVALID",
            lang,
            "perangkat ini tidak dikenal; masuk lagi dengan kode aktivasi",
            "this device is not known; sign in again with an activation code",
        )
    })?;
    if device.revoked {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "DEVICE_REVOKED",
            lang,
            "akses perangkat ini sudah dicabut",
            "this device's access was revoked",
        ));
    }
    let expires = Timestamp::now().millis() + auth::ACCESS_TOKEN_TTL_MS;
    Ok(Json(AccessToken {
        access_token: app.key.issue(device.user, device.id, expires),
        access_expires_at: expires,
    }))
}

/// Revokes the calling device: its refresh token stops working.
#[utoipa::path(post, path = "/v1/auth/revoke", responses((status = 204), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
async fn revoke<S: Storage>(
    State(app): State<Arc<AppState<S>>>,
    CallerLang(lang): CallerLang,
    Authed(session): Authed,
) -> Result<StatusCode, ApiError> {
    app.storage
        .write(move |tx| tx.revoke_device(session.device))
        .await
        .map_err(|e| ApiError::storage(e, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller as the server's records say: roles from storage, never from the request.
async fn actor_of<S: Storage>(
    storage: &S,
    session: Session,
    lang: Lang,
) -> Result<Actor, ApiError> {
    let user = session.user;
    let assignments = storage
        .read(move |tx| tx.assignments(user))
        .await
        .map_err(|e| ApiError::storage(e, lang))?;
    Ok(Actor { user, assignments })
}

/// One sync: push ops, pull the buckets the caller's roles give it. Bodies may be zstd or gzip.
#[utoipa::path(post, path = "/v1/sync", request_body(content = Object, description = "ronda_core::sync::SyncRequest"),
    responses((status = 200, body = Object, description = "ronda_core::sync::SyncResponse"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = [])))]
async fn sync<S: Storage>(
    State(app): State<Arc<AppState<S>>>,
    CallerLang(lang): CallerLang,
    Authed(session): Authed,
    TakesZstd(zstd): TakesZstd,
    ApiJson(req): ApiJson<SyncRequest>,
) -> Result<CompactJson<SyncResponse>, ApiError> {
    if app.rate.check_key(&session.device).is_err() {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            lang,
            "terlalu sering; coba lagi sebentar lagi",
            "too many syncs; try again in a moment",
        ));
    }
    if req.ops.len() > app.limits.max_ops_per_push {
        return Err(ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "TOO_MANY_OPS",
            message: lang.pick(
                format!(
                    "paling banyak {} perubahan per sinkronisasi",
                    app.limits.max_ops_per_push
                ),
                format!("at most {} ops per sync", app.limits.max_ops_per_push),
            ),
        });
    }
    let places = app
        .places
        .current(&app.storage)
        .await
        .map_err(|e| ApiError::storage(e, lang))?;
    let rules = crate::sync::Rules {
        places,
        field: app.lifecycle.field,
        kewenangan: app.lifecycle.kewenangan.clone(),
    };
    let mut response = crate::sync::sync(
        &app.storage,
        &rules,
        session.user,
        session.device,
        req,
        lang,
    )
    .await
    .map_err(|e: StorageError| ApiError::storage(e, lang))?;
    response.access = renewed_access(&app, session)
        .await
        .map_err(|e| ApiError::storage(e, lang))?;
    Ok(CompactJson {
        value: response,
        zstd,
    })
}

/// Whether the caller's `Accept-Encoding` takes zstd.
#[derive(Debug, Clone, Copy)]
pub struct TakesZstd(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for TakesZstd {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let takes = parts
            .headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|item| {
                let mut parts = item.split(';').map(str::trim);
                parts.next().is_some_and(|c| c.eq_ignore_ascii_case("zstd"))
                    && parts.all(|p| p.replace(' ', "") != "q=0")
            });
        Ok(TakesZstd(takes))
    }
}

/// A JSON answer compressed here rather than by the compression layer: it leaves with a
/// `content-length` instead of chunked framing and without `vary` (an answer to a POST is never
/// cached) — about 40 bytes less on every sync, a tenth of a no-op's. Bodies too small to gain
/// are sent as they are (the layer leaves those alone too), and a caller that takes only gzip
/// gets it from the layer.
#[derive(Debug)]
pub struct CompactJson<T> {
    value: T,
    zstd: bool,
}

impl<T: Serialize> IntoResponse for CompactJson<T> {
    fn into_response(self) -> Response {
        // The compression layer's own threshold.
        const WORTH_COMPRESSING: usize = 32;
        let json = match serde_json::to_vec(&self.value) {
            Ok(json) => json,
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
        let json_type = (header::CONTENT_TYPE, "application/json");
        if self.zstd
            && json.len() >= WORTH_COMPRESSING
            && let Ok(packed) = zstd::bulk::compress(&json, 3)
        {
            return ([json_type, (header::CONTENT_ENCODING, "zstd")], packed).into_response();
        }
        ([json_type], json).into_response()
    }
}

/// A fresh access token when the caller's is near its end, unless the device was revoked
/// meanwhile (renewal must not outlive revocation).
async fn renewed_access<S: Storage>(
    app: &AppState<S>,
    session: Session,
) -> Result<Option<RenewedAccess>, StorageError> {
    let now = Timestamp::now().millis();
    if session.expires_at_ms - now > auth::ACCESS_RENEW_WITHIN_MS {
        return Ok(None);
    }
    let id = session.device;
    let device = app.storage.read(move |tx| tx.device(id)).await?;
    Ok(device.filter(|d| !d.revoked).map(|d| {
        let expires_at = now + auth::ACCESS_TOKEN_TTL_MS;
        RenewedAccess {
            token: app.key.issue(d.user, d.id, expires_at),
            expires_at,
        }
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewAccount {
    /// The name people know them by.
    pub name: String,
    /// Role assignments, e.g. `{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}`; none
    /// means warga.
    #[schema(value_type = Vec<Object>)]
    #[serde(default)]
    pub roles: Vec<RoleAssignment>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountCreated {
    #[schema(value_type = String)]
    pub user_id: UserId,
    /// Give this to the person (it can be read out over the phone); it works once, for 14 days.
    pub activation_code: String,
}

/// Creates an account with a one-time activation code: admins any account, a lurah residents
/// and RT/RW heads of their own kelurahan.
#[utoipa::path(post, path = "/v1/users", request_body = NewAccount, security(("bearer" = [])),
    responses((status = 201, body = AccountCreated), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_account<S: Storage>(
    State(app): State<Arc<AppState<S>>>,
    CallerLang(lang): CallerLang,
    Authed(session): Authed,
    ApiJson(req): ApiJson<NewAccount>,
) -> Result<(StatusCode, Json<AccountCreated>), ApiError> {
    let name = req.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 120 || name.chars().any(char::is_control) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "ACCOUNT_NAME_INVALID",
            lang,
            "nama harus diisi (paling banyak 120 huruf)",
            "a name is needed (at most 120 characters)",
        ));
    }
    let roles = if req.roles.is_empty() {
        vec![RoleAssignment::Warga]
    } else {
        req.roles
    };
    let actor = actor_of(&app.storage, session, lang).await?;
    for role in &roles {
        if let Err(denied) = ronda_core::authz::may_create_account(&actor, role) {
            return Err(ApiError {
                status: StatusCode::FORBIDDEN,
                code: ronda_core::Coded::code(&denied),
                message: ronda_core::Coded::message(&denied, lang),
            });
        }
    }
    let (user_id, activation_code) = crate::admin::add_user(&app.storage, &name, roles)
        .await
        .map_err(|e| ApiError::storage(e, lang))?;
    Ok((
        StatusCode::CREATED,
        Json(AccountCreated {
            user_id,
            activation_code,
        }),
    ))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ronda API",
        description = "Offline-first neighbourhood reports for Jakarta. Photo uploads use tus 1.0 (creation, creation-with-upload, checksum sha256, termination) under /v1/uploads; blobs are named by SHA-256 under /v1/blobs/{sha256}."
    ),
    paths(activate, token, revoke, sync, create_account),
    components(schemas(ErrorBody, ActivateRequest, SignedIn, RefreshRequest, AccessToken))
)]
struct ApiDoc;

#[derive(OpenApi)]
#[openapi(paths(
    crate::public::kelurahan_outline,
    crate::public::all_areas,
    crate::public::deadlines,
    crate::safety_map::safety_layer
))]
struct AreaDocs;

/// The OpenAPI document, tus and blob routes included.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::upload_docs::UploadDocs::openapi());
    doc.merge(AreaDocs::openapi());
    doc
}

async fn require_auth<S: Storage>(
    State(app): State<Arc<AppState<S>>>,
    req: Request,
    next: Next,
) -> Response {
    match authenticate(req.headers(), &app.key) {
        Ok(_) => next.run(req).await,
        Err(rejection) => rejection.into_response(),
    }
}

/// Refuses a `Content-Encoding` the decompression layer does not handle with Ronda's error body
/// (the layer itself answers 415 with an empty body).
async fn known_encoding(req: Request, next: Next) -> Response {
    match req
        .headers()
        .get(header::CONTENT_ENCODING)
        .map(|v| v.as_bytes())
    {
        None | Some(b"gzip" | b"zstd" | b"identity") => next.run(req).await,
        Some(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "CONTENT_ENCODING_UNSUPPORTED",
            lang_of(req.headers()),
            "kirim tanpa kompresi, atau dengan gzip atau zstd",
            "send the body uncompressed, or compressed with gzip or zstd",
        )
        .into_response(),
    }
}

/// Everything the server answers.
pub fn router<S: Storage>(app: Arc<AppState<S>>, uploads_config: UploadConfig) -> Router {
    let protected_uploads = uploads::router(uploads_config).layer(middleware::from_fn_with_state(
        app.clone(),
        require_auth::<S>,
    ));
    let api = Router::new()
        .route("/auth/activate", post(activate::<S>))
        .route("/auth/token", post(token::<S>))
        .route("/auth/revoke", post(revoke::<S>))
        .route("/sync", post(sync::<S>))
        .route("/users", post(create_account::<S>))
        .route("/areas", get(crate::public::all_areas::<S>))
        .route("/deadlines", get(crate::public::deadlines::<S>))
        .route("/safety", get(crate::safety_map::safety_layer::<S>))
        .route(
            "/areas/{kelurahan}",
            get(crate::public::kelurahan_outline::<S>),
        )
        .layer(DefaultBodyLimit::max(app.limits.max_body_bytes))
        .layer(RequestDecompressionLayer::new())
        .layer(middleware::from_fn(known_encoding))
        .with_state(app)
        .merge(protected_uploads);
    Router::new()
        .nest("/v1", api)
        .route("/v1/openapi.json", get(|| async { Json(openapi()) }))
        .route("/health", get(|| async { "ok" }))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::new())
}

/// Serves `app` on `listener` until the task is dropped.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app).await
}
