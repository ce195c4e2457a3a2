//! One sync, start to finish: photos first (so a report never arrives without them), then push
//! and pull in as many round trips as the server asks for.

use serde::Serialize;

use ronda_core::sync::SyncRequest;
use ronda_core::{Lang, Sha256Hex};

use super::api::Fetched;
use super::{Api, SyncError};
use crate::store::{Reference, Session, Store};
use crate::tus::{DEFAULT_CHUNK_BYTES, TusClient, TusError, UploadProgressSink};

/// Ops sent per round trip.
const OPS_PER_PUSH: usize = 200;
/// A guard against a server that always says "more".
const MAX_ROUNDS: usize = 1_000;
/// Most thumbnails fetched in one sync (about 20 KB each).
const THUMBNAILS_PER_SYNC: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Uploading,
    Syncing,
    Done,
}

/// What the engine is doing, for whoever shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub photos_total: usize,
    pub photos_done: usize,
    /// Bytes of the photo being uploaded that the server has confirmed.
    pub photo_bytes_done: u64,
    pub photo_bytes_total: u64,
    pub ops_sent: usize,
    pub reports_received: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SyncSummary {
    pub rounds: usize,
    pub ops_accepted: usize,
    pub ops_rejected: usize,
    pub reports_received: usize,
    pub buckets_healed: usize,
    pub photos_uploaded: usize,
    pub photo_bytes_sent: u64,
    /// Boundaries, deadlines or the safety layer fetched anew after the sync.
    pub reference_updated: usize,
    /// Thumbnails of other people's photos fetched for before/after pairs.
    pub thumbnails_fetched: usize,
}

/// Signs this device in with an activation code and keeps the session in the store.
pub async fn login(
    store: &mut Store,
    server: &str,
    code: &str,
    device_name: &str,
    lang: Lang,
) -> Result<Session, SyncError> {
    let api = Api::new(server, lang)?;
    let signed = api.activate(code, device_name).await?;
    let session = Session {
        server_url: server.trim().trim_end_matches('/').to_owned(),
        user_id: signed.user_id,
        user_name: signed.user_name,
        device_id: signed.device_id,
        refresh_token: signed.refresh_token,
        roles: signed.roles,
        last_sync_at: None,
    };
    store.set_session(&session)?;
    // The first sync needs no round trip for a token: activation gave one.
    store.set_access_token(Some((&signed.access_token, signed.access_expires_at)))?;
    Ok(session)
}

/// How many of this device's changes the server has not confirmed: signing out would lose them.
pub fn sign_out_check(store: &Store) -> Result<u64, SyncError> {
    Ok(store.stats()?.outbox_pending)
}

/// Syncs one device's store with its server. Keeps the access token between syncs.
#[derive(Debug)]
pub struct Syncer {
    api: Api,
    access: Option<(String, i64)>,
    chunk: usize,
}

struct StoreSink<'a> {
    // `&mut`, not `&`: a shared `&Store` is not `Send`, and sync must run on any thread.
    store: &'a mut Store,
    sha256: &'a Sha256Hex,
    on_progress: &'a mut (dyn FnMut(Progress) + Send),
    progress: Progress,
}

impl UploadProgressSink for StoreSink<'_> {
    fn upload_url_known(&mut self, url: &str) {
        // Losing this only costs a fresh upload; it must not stop the one under way.
        let _ = self.store.record_upload_progress(self.sha256, Some(url), 0);
    }
    fn offset_confirmed(&mut self, offset: u64) {
        let _ = self.store.record_upload_progress(self.sha256, None, offset);
        self.progress.photo_bytes_done = offset;
        (self.on_progress)(self.progress);
    }
}

impl Syncer {
    pub fn new(session: &Session, lang: Lang) -> Result<Self, SyncError> {
        Ok(Self {
            api: Api::new(&session.server_url, lang)?,
            access: None,
            chunk: DEFAULT_CHUNK_BYTES,
        })
    }

    /// The boundary of `kelurahan` as GeoJSON Feature text, for the map (boundaries are public;
    /// no token is spent).
    pub async fn kelurahan_outline(
        &self,
        kelurahan: ronda_core::KelurahanCode,
    ) -> Result<String, SyncError> {
        self.api.kelurahan_outline(&kelurahan.to_string()).await
    }

    /// Upload chunk size in bytes (smaller resumes finer on a bad link).
    pub fn with_chunk(mut self, chunk: usize) -> Self {
        self.chunk = chunk.max(1);
        self
    }

    /// An access token that will not expire during this sync: the one in memory, else the one
    /// kept in the store, else a fresh one (kept for next time).
    async fn token(&mut self, store: &mut Store, session: &Session) -> Result<String, SyncError> {
        let now = store.device_now_ms();
        if self.access.is_none() {
            self.access = store.access_token()?;
        }
        if let Some((token, expires)) = &self.access
            && *expires > now + 60_000
        {
            return Ok(token.clone());
        }
        let (token, expires) = self.api.refresh(&session.refresh_token).await?;
        self.keep_token(store, token.clone(), expires)?;
        Ok(token)
    }

    fn keep_token(&mut self, store: &Store, token: String, expires: i64) -> Result<(), SyncError> {
        store.set_access_token(Some((&token, expires)))?;
        self.access = Some((token, expires));
        Ok(())
    }

    /// Pushes photos, then ops, then pulls, until the server has nothing more. A kept access
    /// token the server no longer takes (its key changed, or a clock was wrong) is dropped and
    /// the sync tried once more with a fresh one.
    pub async fn sync(
        &mut self,
        store: &mut Store,
        on_progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<SyncSummary, SyncError> {
        let mut summary = match self.sync_once(store, on_progress).await {
            Err(e) if token_refused(&e) => {
                self.access = None;
                store.set_access_token(None)?;
                self.sync_once(store, on_progress).await
            }
            other => other,
        }?;
        // Worth having, never worth failing a sync over: the next sync asks again.
        // A sync that sent something may have changed the safety layer: ask at once (a 304 when
        // it did not).
        let sent = summary.ops_accepted > 0;
        summary.reference_updated = self.refresh_reference(store, sent).await;
        Ok(summary)
    }

    /// Fetches each kind of reference data when the device has none or its copy is older than
    /// [`Reference::fresh_for_ms`], and the safety layer whenever `sent` (this sync's ops may
    /// have changed it); the server answers "not modified" to a device that holds the current
    /// version. Returns how many changed.
    pub async fn refresh_reference(&self, store: &mut Store, sent: bool) -> usize {
        let mut updated = 0;
        for which in Reference::ALL {
            // Each on its own: boundaries a server does not have yet must not keep a device
            // from the deadlines or the safety layer.
            match self.refresh_one(store, which, sent).await {
                Ok(changed) => updated += usize::from(changed),
                Err(e) => tracing::warn!(reference = which.name(), error = %e, "not refreshed"),
            }
        }
        updated
    }

    async fn refresh_one(
        &self,
        store: &mut Store,
        which: Reference,
        sent: bool,
    ) -> Result<bool, SyncError> {
        let held = store.reference_held(which)?;
        let fresh = held
            .as_ref()
            .is_some_and(|h| store.device_now_ms() - h.fetched_at < which.fresh_for_ms());
        if fresh && !(sent && which == Reference::Safety) {
            return Ok(false);
        }
        let etag = held.and_then(|h| h.etag);
        match self.api.fetch(which.name(), etag.as_deref()).await? {
            Fetched::NotModified => {
                store.reference_current(which)?;
                Ok(false)
            }
            Fetched::New { etag, body } => {
                store.save_reference(which, etag.as_deref(), &body)?;
                Ok(true)
            }
        }
    }

    async fn sync_once(
        &mut self,
        store: &mut Store,
        on_progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<SyncSummary, SyncError> {
        let session = store.session()?.ok_or(SyncError::NotSignedIn)?;
        let mut token = self.token(store, &session).await?;
        let mut summary = SyncSummary::default();
        let mut progress = Progress {
            phase: Phase::Uploading,
            photos_total: 0,
            photos_done: 0,
            photo_bytes_done: 0,
            photo_bytes_total: 0,
            ops_sent: 0,
            reports_received: 0,
        };

        let blobs = store.blobs_to_upload()?;
        progress.photos_total = blobs.len();
        let tus = TusClient::with_http(
            self.api.http().clone(),
            self.api.base().clone(),
            Some(token.clone()),
        )?;
        for blob in blobs {
            let bytes = store
                .blobs()
                .get(&blob.sha256)
                .map_err(crate::StoreError::Io)?;
            progress.photo_bytes_total = bytes.len() as u64;
            progress.photo_bytes_done = blob.upload_offset;
            on_progress(progress);
            let mut sink = StoreSink {
                store,
                sha256: &blob.sha256,
                on_progress: &mut *on_progress,
                progress,
            };
            let outcome = tus
                .upload(
                    &bytes,
                    blob.sha256.as_str(),
                    blob.upload_url.as_deref(),
                    self.chunk,
                    &mut sink,
                )
                .await?;
            store.mark_uploaded(&blob.sha256)?;
            summary.photos_uploaded += 1;
            summary.photo_bytes_sent += outcome.sent_bytes;
            progress.photos_done += 1;
        }

        progress.phase = Phase::Syncing;
        on_progress(progress);
        for _ in 0..MAX_ROUNDS {
            let ops = store.ops_to_send(OPS_PER_PUSH)?;
            let request = SyncRequest {
                ops,
                cursors: store.cursors()?.into_iter().collect(),
                patrol_cursor: store.patrol_cursor()?,
            };
            let sent_at = store.device_now_ms();
            let mut response = self.api.sync(&token, &request).await?;
            if let Some(renewed) = response.access.take() {
                self.keep_token(store, renewed.token, renewed.expires_at)?;
                token = self
                    .access
                    .as_ref()
                    .map(|(t, _)| t.clone())
                    .unwrap_or(token);
            }
            if response.results.len() != request.ops.len() {
                return Err(SyncError::Server {
                    code: "SYNC_RESULTS_MISMATCH".into(),
                    message: format!(
                        "{} ops sent, {} results",
                        request.ops.len(),
                        response.results.len()
                    ),
                });
            }
            let applied = store.apply_sync(&request.ops, &response, sent_at)?;
            summary.rounds += 1;
            summary.ops_accepted += applied.accepted;
            summary.ops_rejected += applied.rejected;
            summary.reports_received += applied.reports_received;
            summary.buckets_healed += applied.buckets_healed;
            progress.ops_sent += request.ops.len();
            progress.reports_received += applied.reports_received;
            on_progress(progress);
            let more_to_send = request.ops.len() == OPS_PER_PUSH;
            let again = applied.buckets_healed > 0 || applied.buckets_held > 0;
            if !response.more && !more_to_send && !again {
                break;
            }
        }
        // The other half of before/after pairs: thumbnails of photos someone else took. One that
        // does not come costs only the picture; the next sync asks again.
        for thumb in store.missing_thumbnails(THUMBNAILS_PER_SYNC)? {
            if let Ok(bytes) = self.api.blob(&token, &thumb).await {
                store
                    .blobs()
                    .put(&thumb, &bytes)
                    .map_err(crate::StoreError::Io)?;
                summary.thumbnails_fetched += 1;
            }
        }
        progress.phase = Phase::Done;
        on_progress(progress);
        Ok(summary)
    }
}

/// Whether the server refused the access token itself (not the device, not the request).
fn token_refused(e: &SyncError) -> bool {
    match e {
        SyncError::Auth { code, .. } => code.starts_with("TOKEN_"),
        SyncError::Upload(TusError::Unauthorized { .. }) => true,
        _ => false,
    }
}
