//! The commands the UI calls (`ui/src/ipc/commands.ts` is the contract). Each is thin: it turns
//! its arguments into domain types, calls ronda-client, and turns the answer into IPC types.

use base64::Engine as _;
use tauri::State;
use tauri::ipc::{InvokeBody, Request};

use ronda_client::Store;
use ronda_client::photo;
use ronda_client::store::{Delivery, HistoryEvent, Near, ReportQuery, Session};
use ronda_client::sync::{self, Api, Progress, SyncError, Syncer};
use ronda_core::audit::{AuditRatings, Parameter};
use ronda_core::authz::{self, Actor};
use ronda_core::category::{self, CATALOGUE};
use ronda_core::lifecycle::{Act, Action, HistoryEntry, Presence};
use ronda_core::safety;
use ronda_core::sla::SlaClock;
use ronda_core::sync::ServerReport;
use ronda_core::{
    Accuracy, AgencyCode, BoundingBox, Coordinate, Description, KelurahanCode, Location,
    LocationSource as CoreSource, NewReport, ReportId, Role, Timestamp, UserId,
};

use crate::error::{AppError, PhotoFailure};
use crate::ipc::{
    ActionKind, AgencyInfo, AppState, AuditParameter, BeforeAfter, CategoryInfo, CommandError,
    CreatedReport, ErrorInfo, FieldStop, GeoJsonFeature, Kabar, KabarNews, KabarWaiting, Lang,
    LifecycleStep, LocationSource, MyReport, NearbyReport, OfferedAction, PhotoInfo, PresenceKind,
    RejectReason, RejectReasonRule, ReportDetail, ReportDraft, ReportLifecycle, ReportPin, SlaInfo,
    StagedPhoto, StepPosition, StepRules, SyncOutcome, SyncPhase, SyncProgress, SyncState,
    TimelineEntry,
};
use crate::state::{AppData, SyncerFor, outline_path, role_code};

type Answer<T> = Result<T, CommandError>;

/// Most open reports `nearby_open` offers.
const NEARBY_LIMIT: usize = 20;
/// Most pins `reports_in_view` returns, whatever the UI asks.
const MAX_PINS: u32 = 10_000;

#[tauri::command]
pub async fn app_state(state: State<'_, AppData>) -> Answer<AppState> {
    state.app_state()
}

/// `https://host/path/` and ` https://host/path` are the same server.
fn normalise_server(server: &str) -> String {
    server.trim().trim_end_matches('/').to_owned()
}

fn device_name() -> String {
    format!("Ronda ({})", std::env::consts::OS)
}

/// A sync or sign-in failure as the UI gets it: the server's own code and message where it gave
/// one (`ACTIVATION_CODE_INVALID`, `DEVICE_REVOKED`, `RATE_LIMITED`, …; its message is already in
/// the session's language), else the engine's (`SYNC_OFFLINE`, `SYNC_SERVER_ERROR`, …).
fn sync_failure(state: &AppData, e: SyncError) -> CommandError {
    /// What the engine calls a refusal whose body was not the server's `{code, message}`.
    const NO_BODY: &str = "HTTP_ERROR";
    match e {
        SyncError::Auth { code, message } | SyncError::Refused { code, message }
            if code != NO_BODY =>
        {
            CommandError {
                code,
                message,
                count: None,
            }
        }
        SyncError::Server { code, message } if code == "RATE_LIMITED" => CommandError {
            code,
            message,
            count: None,
        },
        other => state.fail(other),
    }
}

#[tauri::command]
pub async fn activate(state: State<'_, AppData>, server: String, code: String) -> Answer<AppState> {
    let server = normalise_server(&server);
    let mut store = state.own_store()?;
    sync::login(
        &mut store,
        &server,
        code.trim(),
        &device_name(),
        state.core_lang(),
    )
    .await
    .map_err(|e| sync_failure(&state, e))?;
    state.update_settings(|s| s.local = false)?;
    *state.syncer.lock().await = None;
    state.app_state()
}

#[tauri::command]
pub async fn use_without_account(state: State<'_, AppData>) -> Answer<AppState> {
    state.update_settings(|s| s.local = true)?;
    state.app_state()
}

#[tauri::command]
pub fn categories() -> Vec<CategoryInfo> {
    CATALOGUE.iter().map(CategoryInfo::from).collect()
}

/// What each lifecycle step needs in words, so the step forms ask for a note exactly when
/// ronda-core will want one.
#[tauri::command]
pub fn step_rules() -> StepRules {
    use ronda_core::lifecycle::{ActionKind as CoreAction, RejectReason as CoreReason};
    StepRules {
        note_actions: CoreAction::ALL
            .into_iter()
            .filter(|a| a.needs_note())
            .map(ActionKind::from)
            .collect(),
        reject_reasons: CoreReason::ALL
            .into_iter()
            .map(|r| RejectReasonRule {
                reason: r.into(),
                needs_note: r.needs_note(),
            })
            .collect(),
    }
}

/// The safety audit's nine parameters, in the order `ratings` follow, with their rubrics.
#[tauri::command]
pub fn audit_form() -> Vec<AuditParameter> {
    let texts = |r: [&str; 4]| r.iter().map(|s| (*s).to_owned()).collect();
    Parameter::ALL
        .iter()
        .map(|p| AuditParameter {
            code: p.code().to_owned(),
            name_id: p.name(ronda_core::Lang::Id).to_owned(),
            name_en: p.name(ronda_core::Lang::En).to_owned(),
            rubric_id: texts(p.rubric(ronda_core::Lang::Id)),
            rubric_en: texts(p.rubric(ronda_core::Lang::En)),
        })
        .collect()
}

#[tauri::command]
pub async fn reports_in_view(
    state: State<'_, AppData>,
    south: f64,
    west: f64,
    north: f64,
    east: f64,
    limit: u32,
) -> Answer<Vec<ReportPin>> {
    // A map zoomed far out reaches past the poles and round the world; the store's world does
    // not.
    let lat = |v: f64| v.clamp(-90.0, 90.0);
    let lon = |v: f64| v.clamp(-180.0, 180.0);
    let bbox = BoundingBox::new(lat(south), lon(west), lat(north), lon(east))
        .map_err(|e| state.fail(e))?;
    let query = ReportQuery {
        bbox: Some(bbox),
        limit: limit.min(MAX_PINS) as usize,
        ..ReportQuery::default()
    };
    let found = state.store()?.query(&query).map_err(|e| state.fail(e))?;
    Ok(found
        .into_iter()
        .map(|r| ReportPin {
            id: r.id.to_string(),
            lat: r.location.coord.lat(),
            lon: r.location.coord.lon(),
            kind: r.kind.into(),
            status: r.status.into(),
            category: r.category.to_string(),
            score: r.score,
            band: r.score.map(|s| ronda_core::safety::Band::of(s).into()),
        })
        .collect())
}

#[tauri::command]
pub async fn nearby_open(
    state: State<'_, AppData>,
    lat: f64,
    lon: f64,
    category: String,
    radius_m: f64,
) -> Answer<Vec<NearbyReport>> {
    let centre = Coordinate::new(lat, lon).map_err(|e| state.fail(e))?;
    let near = Near::new(centre, radius_m).map_err(|e| state.fail(e))?;
    let category = category::lookup(&category).map_err(|e| state.fail(e))?;
    let query = ReportQuery {
        near: Some(near),
        statuses: ronda_core::ReportStatus::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .collect(),
        category: Some(category.code()),
        limit: NEARBY_LIMIT,
        ..ReportQuery::default()
    };
    let found = state.store()?.query(&query).map_err(|e| state.fail(e))?;
    Ok(found
        .into_iter()
        .map(|r| NearbyReport {
            id: r.id.to_string(),
            category: r.category.to_string(),
            status: r.status.into(),
            description: r.description,
            distance_m: r.distance_m.unwrap_or_default(),
            created_at: r.created_at.millis(),
        })
        .collect())
}

fn new_report(state: &AppData, draft: ReportDraft) -> Answer<NewReport> {
    let captured_at = Timestamp::from_millis(draft.captured_at)
        .map_err(|_| state.app_error(AppError::TimeOutOfRange(draft.captured_at)))?;
    let location = Location {
        coord: Coordinate::new(draft.lat, draft.lon).map_err(|e| state.fail(e))?,
        // A point picked on the map has no accuracy of its own.
        accuracy_m: Accuracy::metres(draft.accuracy_m.unwrap_or(0.0)).map_err(|e| state.fail(e))?,
        source: draft.source.into(),
        captured_at,
    };
    let description = draft
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(Description::parse)
        .transpose()
        .map_err(|e| state.fail(e))?;
    let report = NewReport::with_id(
        ReportId::new(),
        draft.kind.into(),
        &draft.category,
        location,
        Timestamp::now(),
    )
    .map_err(|e| state.fail(e))?
    .describe(description);
    match draft.ratings {
        None => Ok(report),
        Some(values) => {
            let values: [u8; 9] = values.try_into().map_err(|v: Vec<u8>| {
                bad_request(state, format!("nine ratings, not {}", v.len()))
            })?;
            let ratings = AuditRatings::from_values(values).map_err(|e| state.fail(e))?;
            report.rate(ratings).map_err(|e| state.fail(e))
        }
    }
}

#[tauri::command]
pub async fn create_report(state: State<'_, AppData>, draft: ReportDraft) -> Answer<CreatedReport> {
    let report = new_report(&state, draft)?;
    let mut store = state.store()?;
    // A report belongs to the RT, RW or kelurahan its maker answers for, so it reaches that
    // area's officials; without an account it stays unplaced until it is sent.
    let roles = store
        .session()
        .map_err(|e| state.fail(e))?
        .map(|s| s.roles)
        .unwrap_or_default();
    let report = report.in_area(ronda_core::home_area(&roles));
    store.create_report(&report).map_err(|e| state.fail(e))?;
    state.edited();
    state.wake_sync.notify_one();
    Ok(CreatedReport {
        id: report.id().to_string(),
        suggested: report
            .ratings()
            .map(|r| safety::fixes_for(r).iter().map(|c| c.to_string()).collect())
            .unwrap_or_default(),
    })
}

fn header<'a>(request: &'a Request<'_>, name: &str) -> Option<&'a str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

/// A photo sent as the raw request body, named by `x-file-name` (percent-encoded UTF-8).
struct RawPhoto<'a> {
    bytes: &'a [u8],
    file_name: Option<String>,
}

fn raw_photo<'a>(request: &'a Request<'_>, state: &AppData) -> Answer<RawPhoto<'a>> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(bad_request(state, "the photo must be the raw request body"));
    };
    let file_name = header(request, "x-file-name").map(|n| {
        percent_encoding::percent_decode_str(n)
            .decode_utf8_lossy()
            .into_owned()
    });
    Ok(RawPhoto { bytes, file_name })
}

impl RawPhoto<'_> {
    /// Decodes and shrinks the photo off the async workers (it takes seconds on a cheap phone).
    async fn process(&self, state: &AppData) -> Answer<photo::ProcessedPhoto> {
        let bytes = self.bytes.to_vec();
        tauri::async_runtime::spawn_blocking(move || photo::process(&bytes))
            .await
            .map_err(|e| bad_request(state, e.to_string()))?
            .map_err(|error| {
                state.fail(PhotoFailure {
                    file_name: self.file_name.clone(),
                    error,
                })
            })
    }
}

/// The photo's bytes are the raw request body; `x-report-id` names the report and
/// `x-file-name` the file (percent-encoded UTF-8).
#[tauri::command]
pub async fn attach_photo(request: Request<'_>, state: State<'_, AppData>) -> Answer<()> {
    let raw = raw_photo(&request, &state)?;
    let id: ReportId = header(&request, "x-report-id")
        .ok_or_else(|| bad_request(&state, "the x-report-id header is missing"))?
        .parse()
        .map_err(|e| state.fail(e))?;
    // Refuse a photo for a report that is not here before spending a second decoding it.
    if state
        .store()?
        .report(id)
        .map_err(|e| state.fail(e))?
        .is_none()
    {
        return Err(state.fail(ronda_client::StoreError::NotFound(id)));
    }
    // The flow is still busy with the photo while it is decoded.
    state.edited();
    let processed = raw.process(&state).await?;
    state.edited();
    let mut store = state.store()?;
    let photo = store.put_photo(&processed).map_err(|e| state.fail(e))?;
    store.add_photo(id, &photo).map_err(|error| {
        state.fail(PhotoFailure {
            file_name: raw.file_name.clone(),
            error,
        })
    })?;
    Ok(())
}

/// Where a report stands on its way to the server, and why it was refused if it was.
fn sync_state(delivery: &Delivery, signed_in: bool) -> (SyncState, Option<ErrorInfo>) {
    let rejection = || {
        delivery.rejection.as_ref().map(|r| ErrorInfo {
            code: r.code.clone(),
            message: r.message.clone(),
        })
    };
    if delivery.create_rejected {
        (SyncState::Rejected, rejection())
    } else if delivery.waiting > 0 {
        let state = if signed_in {
            SyncState::WaitingForSignal
        } else {
            SyncState::SavedOnDevice
        };
        (state, None)
    } else if delivery.rejection.is_some() {
        (SyncState::Rejected, rejection())
    } else {
        (SyncState::Sent, None)
    }
}

#[tauri::command]
pub async fn my_reports(state: State<'_, AppData>) -> Answer<Vec<MyReport>> {
    let store = state.store()?;
    let signed_in = store.session().map_err(|e| state.fail(e))?.is_some();
    let mine = store.my_reports().map_err(|e| state.fail(e))?;
    Ok(mine
        .into_iter()
        .map(|r| {
            let (sync, rejection) = sync_state(&r.delivery, signed_in);
            MyReport {
                id: r.id.to_string(),
                category: r.category.to_string(),
                kind: r.kind.into(),
                status: r.status.into(),
                description: r.description,
                created_at: r.created_at.millis(),
                sync,
                rejection,
                photos_total_bytes: r.photo_bytes,
                photos_sent_bytes: r.photo_bytes_uploaded,
            }
        })
        .collect())
}

#[tauri::command]
pub async fn report_detail(state: State<'_, AppData>, id: String) -> Answer<ReportDetail> {
    let id: ReportId = id.parse().map_err(|e| state.fail(e))?;
    let store = state.store()?;
    let not_found = || state.fail(ronda_client::StoreError::NotFound(id));
    let report = store
        .report(id)
        .map_err(|e| state.fail(e))?
        .ok_or_else(not_found)?;
    let history = store
        .report_history(id)
        .map_err(|e| state.fail(e))?
        .ok_or_else(not_found)?;
    let delivery = store.delivery(id).map_err(|e| state.fail(e))?;
    let signed_in = store.session().map_err(|e| state.fail(e))?.is_some();
    let (sync, rejection) = sync_state(&delivery, signed_in);
    let photos = report
        .photos()
        .iter()
        .map(|p| PhotoInfo {
            sha256: p.sha256.to_string(),
            width: p.width,
            height: p.height,
            data_url: thumbnail_url(&store, &p.thumb_sha256),
        })
        .collect();
    let timeline = history
        .into_iter()
        .map(|e| {
            let (what, detail) = match e.event {
                HistoryEvent::Created => ("created".to_owned(), None),
                HistoryEvent::PhotoAdded => ("photo".to_owned(), None),
                HistoryEvent::Sent => ("sent".to_owned(), None),
                HistoryEvent::Edited => ("edit".to_owned(), None),
                HistoryEvent::Rejected(r) => ("rejected".to_owned(), Some(r.message)),
                HistoryEvent::Status(s) => (format!("status:{}", s.code()), None),
            };
            TimelineEntry {
                at: e.at.millis(),
                what,
                detail,
            }
        })
        .collect();
    let location = report.location();
    let source = LocationSource::from(location.source);
    Ok(ReportDetail {
        id: report.id().to_string(),
        category: report.category().to_string(),
        kind: report.kind().into(),
        status: report.status.into(),
        description: report.description().map(|d| d.as_str().to_owned()),
        lat: location.coord.lat(),
        lon: location.coord.lon(),
        accuracy_m: (source != LocationSource::MapPick).then(|| location.accuracy_m.get()),
        source,
        created_at: report.created_at().millis(),
        area: report.area().map(ToString::to_string),
        photos,
        timeline,
        sync,
        rejection,
        audit: report.ratings().map(crate::safety::audit_result),
    })
}

fn thumbnail_url(store: &Store, thumb: &ronda_core::Sha256Hex) -> Option<String> {
    store.blobs().get(thumb).ok().map(|jpeg| {
        format!(
            "data:image/jpeg;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(jpeg)
        )
    })
}

/// The signed-in person as the permission table sees them; `None` without an account.
fn actor(state: &AppData, store: &Store) -> Answer<Option<Actor>> {
    Ok(store.session().map_err(|e| state.fail(e))?.map(|s| Actor {
        user: s.user_id,
        assignments: s.roles,
    }))
}

fn offered(actions: Vec<(Role, ronda_core::lifecycle::ActionKind)>) -> Vec<OfferedAction> {
    actions
        .into_iter()
        .map(|(role, action)| OfferedAction {
            role: role_code(role),
            action: action.into(),
        })
        .collect()
}

/// The clock that runs now, if one does (none for a closed report or one waiting on its
/// reporter).
fn sla_info(clock: &SlaClock) -> Option<SlaInfo> {
    clock.step.map(|step| SlaInfo {
        flag: clock.flag.into(),
        step: step.code().to_owned(),
        deadline: clock.step_deadline.map(|t| t.millis()),
    })
}

fn lifecycle_step(h: &HistoryEntry, me: Option<UserId>) -> LifecycleStep {
    let (reason, original, has_photo) = match &h.action {
        Action::Reject { reason } => (Some(RejectReason::from(*reason)), None, false),
        Action::MarkDuplicate { original } => (None, Some(original.to_string()), false),
        Action::Resolve { .. } | Action::Reopen { photo: Some(_) } => (None, None, true),
        _ => (None, None, false),
    };
    let (presence, distance_m) = match h.presence {
        Presence::OnSite { distance_m, .. } => (PresenceKind::OnSite, Some(distance_m)),
        Presence::Desk { distance_m, .. } => (PresenceKind::Desk, Some(distance_m)),
        Presence::Unknown => (PresenceKind::Unknown, None),
    };
    LifecycleStep {
        role: role_code(h.as_role),
        by_me: me == Some(h.by),
        at: h.at.millis(),
        from_status: h.from_status.into(),
        to_status: h.to_status.into(),
        action: h.action.kind().into(),
        reason,
        original,
        agency: h.agency.map(|a| a.code().to_owned()),
        presence,
        distance_m,
        note: h.note.as_ref().map(|n| n.as_str().to_owned()),
        has_photo,
    }
}

fn report_lifecycle_of(state: &AppData, store: &Store, id: ReportId) -> Answer<ReportLifecycle> {
    let report: ServerReport = store
        .lifecycle(id)
        .map_err(|e| state.fail(e))?
        .ok_or_else(|| state.fail(ronda_client::StoreError::NotFound(id)))?;
    let actor = actor(state, store)?;
    let me = actor.as_ref().map(|a| a.user);
    let offered = actor
        .as_ref()
        .map(|a| offered(authz::offered_actions(a, report.status, report.target())))
        .unwrap_or_default();
    let supporting = me.is_some_and(|u| report.supporters.contains(&u));
    let can_support = me.is_some_and(|u| report.may_support(u).is_ok());
    let clock = store
        .deadlines()
        .map_err(|e| state.fail(e))?
        .clock(&report, Timestamp::now());
    Ok(ReportLifecycle {
        id: id.to_string(),
        status: report.status.into(),
        history: report
            .history
            .iter()
            .map(|h| lifecycle_step(h, me))
            .collect(),
        supporters: u32::try_from(report.supporters.len()).unwrap_or(u32::MAX),
        supporting,
        can_support,
        agency: report.agency.map(|a| a.code().to_owned()),
        duplicate_of: report.duplicate_of.map(|r| r.to_string()),
        place_flag: report.place_flag.map(|f| f.code().to_owned()),
        sla: sla_info(&clock),
        offered,
        before_after: store
            .before_after(id)
            .map_err(|e| state.fail(e))?
            .map(|pair| BeforeAfter {
                before: pair
                    .before
                    .and_then(|p| thumbnail_url(store, &p.thumb_sha256)),
                after: thumbnail_url(store, &pair.after.thumb_sha256),
            }),
    })
}

#[tauri::command]
pub async fn report_lifecycle(state: State<'_, AppData>, id: String) -> Answer<ReportLifecycle> {
    let id: ReportId = id.parse().map_err(|e| state.fail(e))?;
    let store = state.store()?;
    report_lifecycle_of(&state, &store, id)
}

#[tauri::command]
pub fn agencies() -> Vec<AgencyInfo> {
    AgencyCode::ALL
        .iter()
        .map(|a| AgencyInfo {
            code: a.code().to_owned(),
            name_id: a.name(ronda_core::Lang::Id).to_owned(),
            name_en: a.name(ronda_core::Lang::En).to_owned(),
        })
        .collect()
}

/// The photo for a step (`resolve`, `reopen`): the raw request body, like `attach_photo`, with
/// `x-file-name`. Shrunk and kept on the device; `act` names it by its SHA-256.
#[tauri::command]
pub async fn stage_photo(request: Request<'_>, state: State<'_, AppData>) -> Answer<StagedPhoto> {
    let processed = raw_photo(&request, &state)?.process(&state).await?;
    let store = state.store()?;
    let photo = store.put_photo(&processed).map_err(|e| state.fail(e))?;
    let staged = StagedPhoto {
        sha256: photo.sha256.to_string(),
        width: photo.width,
        height: photo.height,
        data_url: thumbnail_url(&store, &photo.thumb_sha256),
    };
    state.stage_photo(photo);
    Ok(staged)
}

fn bad_request(state: &AppData, why: impl Into<String>) -> CommandError {
    state.app_error(AppError::BadRequest(why.into()))
}

fn agency_code(state: &AppData, code: &str) -> Answer<AgencyCode> {
    AgencyCode::from_code(code).ok_or_else(|| bad_request(state, format!("unknown agency {code}")))
}

/// Takes a lifecycle step on a report, offline: checked here with the server's rules, saved
/// with its op, sent with the next sync. What each step needs: `reject` a `reason` (and a note
/// for `lainnya`), `mark_duplicate` the `original`, `reroute` an `agency` and a note, `dispose`
/// an `agency` or none (the matrix's), `resolve` a staged `photo` and the `position`, `reopen`
/// and `close_unfixed` a note.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn act(
    state: State<'_, AppData>,
    report: String,
    role: String,
    action: ActionKind,
    reason: Option<RejectReason>,
    agency: Option<String>,
    original: Option<String>,
    note: Option<String>,
    position: Option<StepPosition>,
    photo: Option<String>,
) -> Answer<ReportLifecycle> {
    let report: ReportId = report.parse().map_err(|e| state.fail(e))?;
    let as_role: Role = serde_json::from_value(serde_json::Value::String(role.clone()))
        .map_err(|_| bad_request(&state, format!("unknown role {role}")))?;
    let staged = |sha: &str| {
        state
            .staged_photo(sha)
            .ok_or_else(|| state.app_error(AppError::PhotoNotStaged(sha.to_owned())))
    };
    let action = match action {
        ActionKind::Verify => Action::Verify,
        ActionKind::Reject => Action::Reject {
            reason: reason
                .ok_or_else(|| bad_request(&state, "reject needs a reason"))?
                .into(),
        },
        ActionKind::MarkDuplicate => Action::MarkDuplicate {
            original: original
                .ok_or_else(|| bad_request(&state, "mark_duplicate needs the original"))?
                .parse()
                .map_err(|e| state.fail(e))?,
        },
        ActionKind::Reroute => Action::Reroute {
            to: agency_code(
                &state,
                agency
                    .as_deref()
                    .ok_or_else(|| bad_request(&state, "reroute needs an agency"))?,
            )?,
        },
        ActionKind::Dispose => Action::Dispose {
            to: agency
                .as_deref()
                .filter(|a| !a.is_empty())
                .map(|a| agency_code(&state, a))
                .transpose()?,
        },
        ActionKind::StartWork => Action::StartWork,
        ActionKind::Resolve => Action::Resolve {
            photo: staged(
                photo
                    .as_deref()
                    .ok_or_else(|| bad_request(&state, "resolve needs a photo"))?,
            )?,
        },
        ActionKind::Confirm => Action::Confirm,
        ActionKind::Reopen => Action::Reopen {
            photo: photo.as_deref().map(staged).transpose()?,
        },
        ActionKind::CloseUnfixed => Action::CloseUnfixed,
    };
    let position = position.map(|p| gps_fix(&state, p)).transpose()?;
    let note = note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(Description::parse)
        .transpose()
        .map_err(|e| state.fail(e))?;
    let step = Act {
        report,
        as_role,
        action,
        position,
        note,
    };
    let mut store = state.store()?;
    store.act(&step).map_err(|e| state.fail(e))?;
    state.edited();
    state.wake_sync.notify_one();
    report_lifecycle_of(&state, &store, report)
}

/// The device's GPS fix as the UI sent it, checked.
pub(crate) fn gps_fix(state: &AppData, p: StepPosition) -> Answer<Location> {
    Ok(Location {
        coord: Coordinate::new(p.lat, p.lon).map_err(|e| state.fail(e))?,
        accuracy_m: Accuracy::metres(p.accuracy_m).map_err(|e| state.fail(e))?,
        source: CoreSource::Gps,
        captured_at: Timestamp::from_millis(p.captured_at)
            .map_err(|_| state.app_error(AppError::TimeOutOfRange(p.captured_at)))?,
    })
}

/// "Dukung": +1 on someone else's open report.
#[tauri::command]
pub async fn support(state: State<'_, AppData>, report: String) -> Answer<ReportLifecycle> {
    let report: ReportId = report.parse().map_err(|e| state.fail(e))?;
    let mut store = state.store()?;
    store.support(report).map_err(|e| state.fail(e))?;
    state.edited();
    state.wake_sync.notify_one();
    report_lifecycle_of(&state, &store, report)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[tauri::command]
pub async fn kabar(state: State<'_, AppData>) -> Answer<Kabar> {
    let store = state.store()?;
    let me = actor(&state, &store)?.map(|a| a.user);
    let deadlines = store.deadlines().map_err(|e| state.fail(e))?;
    let k = store
        .kabar(&deadlines, Timestamp::now())
        .map_err(|e| state.fail(e))?;
    Ok(Kabar {
        news: k
            .news
            .iter()
            .map(|n| KabarNews {
                report: n.report.to_string(),
                category: n.category.to_string(),
                step: lifecycle_step(&n.step, me),
                unread: n.unread,
            })
            .collect(),
        unread: count(k.unread),
        waiting: k
            .waiting
            .into_iter()
            .map(|w| KabarWaiting {
                report: w.report.to_string(),
                category: w.category.to_string(),
                status: w.status.into(),
                area: w.area.map(|a| a.to_string()),
                lat: w.location.lat(),
                lon: w.location.lon(),
                actions: offered(w.actions),
                sla: sla_info(&w.sla),
            })
            .collect(),
        due_soon: count(k.due_soon),
        overdue: count(k.overdue),
    })
}

/// Marks every step shown so far as read.
#[tauri::command]
pub async fn mark_kabar_read(state: State<'_, AppData>) -> Answer<()> {
    state
        .store()?
        .mark_kabar_read(Timestamp::now())
        .map_err(|e| state.fail(e))
}

/// The lurah's walk list from `(lat, lon)`: reports to verify in the person's home area.
#[tauri::command]
pub async fn field_queue(state: State<'_, AppData>, lat: f64, lon: f64) -> Answer<Vec<FieldStop>> {
    let here = Coordinate::new(lat, lon).map_err(|e| state.fail(e))?;
    let store = state.store()?;
    let session = store
        .session()
        .map_err(|e| state.fail(e))?
        .ok_or_else(|| state.fail(ronda_client::StoreError::SignedOut))?;
    let area = ronda_core::home_area(&session.roles)
        .ok_or_else(|| state.app_error(AppError::NoHomeArea))?;
    let stops = store.field_queue(&area, here).map_err(|e| state.fail(e))?;
    Ok(stops
        .into_iter()
        .map(|s| FieldStop {
            id: s.item.id.to_string(),
            category: s.item.category.to_string(),
            status: s.item.status.into(),
            description: s.item.description,
            lat: s.item.location.coord.lat(),
            lon: s.item.location.coord.lon(),
            distance_m: s.distance_m,
            walk_minutes: s.walk_minutes,
            created_at: s.item.created_at.millis(),
        })
        .collect())
}

/// What the engine reports as it goes, in the terms the tracker needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct EngineProgress {
    uploading: bool,
    done: bool,
    photos_done: usize,
    photo_bytes_done: u64,
    photo_bytes_total: u64,
    ops_sent: usize,
    reports_received: usize,
}

impl From<Progress> for EngineProgress {
    fn from(p: Progress) -> Self {
        // The engine's phase type is not exported; its JSON code is its stable name.
        let phase = serde_json::to_value(p.phase).unwrap_or_default();
        Self {
            uploading: phase == "uploading",
            done: phase == "done",
            photos_done: p.photos_done,
            photo_bytes_done: p.photo_bytes_done,
            photo_bytes_total: p.photo_bytes_total,
            ops_sent: p.ops_sent,
            reports_received: p.reports_received,
        }
    }
}

/// Turns the engine's progress into the UI's `sync-progress` payloads.
#[derive(Debug, Default)]
struct ProgressTracker {
    /// Bytes of the photos finished in this round.
    finished_bytes: u64,
    photos_done: usize,
    current_total: u64,
    last: Option<SyncProgress>,
}

impl ProgressTracker {
    fn observe(&mut self, p: EngineProgress) -> Option<SyncProgress> {
        if p.photos_done > self.photos_done {
            self.finished_bytes += self.current_total;
            self.photos_done = p.photos_done;
        }
        self.current_total = p.photo_bytes_total;
        let phase = if p.done {
            // The round's end is told once, after the engine returns, whether it went well or
            // not.
            return None;
        } else if p.uploading {
            SyncPhase::Photos
        } else if p.ops_sent == 0 && p.reports_received == 0 {
            SyncPhase::Push
        } else {
            SyncPhase::Pull
        };
        let bytes_sent = self.finished_bytes
            + match phase {
                SyncPhase::Photos => p.photo_bytes_done,
                _ => 0,
            };
        let progress = SyncProgress {
            phase,
            ops_sent: p.ops_sent as u64,
            ops_received: p.reports_received as u64,
            bytes_sent,
            // The engine does not count the bytes it receives.
            bytes_received: 0,
        };
        self.last = Some(progress);
        Some(progress)
    }

    fn done(&self) -> SyncProgress {
        SyncProgress {
            phase: SyncPhase::Done,
            ..self.last.unwrap_or(SyncProgress {
                phase: SyncPhase::Done,
                ops_sent: 0,
                ops_received: 0,
                bytes_sent: 0,
                bytes_received: 0,
            })
        }
    }
}

#[tauri::command]
pub async fn sync_now(state: State<'_, AppData>) -> Answer<SyncOutcome> {
    sync_round(&state).await
}

/// One sync with the server, as the button and the background both run it: progress goes to
/// the UI as events; a failure of the network is an outcome, not an error.
pub(crate) async fn sync_round(state: &AppData) -> Answer<SyncOutcome> {
    let lang = state.lang();
    let mut store = state.own_store()?;
    let session = store
        .session()
        .map_err(|e| state.fail(e))?
        .ok_or_else(|| state.fail(SyncError::NotSignedIn))?;
    let mut slot = state.syncer.lock().await;
    let fresh = slot.as_ref().is_none_or(|s| {
        s.server != session.server_url || s.device != session.device_id || s.lang != lang
    });
    if fresh {
        *slot = Some(SyncerFor {
            server: session.server_url.clone(),
            device: session.device_id,
            lang,
            syncer: Syncer::new(&session, lang.into()).map_err(|e| sync_failure(state, e))?,
        });
    }
    let syncer = &mut slot.as_mut().expect("set above").syncer;
    let mut tracker = ProgressTracker::default();
    let result = {
        let tracker = &mut tracker;
        syncer
            .sync(&mut store, &mut move |p| {
                if let Some(progress) = tracker.observe(p.into()) {
                    state.emit_progress(progress);
                }
            })
            .await
    };
    if result.is_ok() {
        keep_outline(state, syncer, &session).await;
    }
    state.emit_progress(tracker.done());
    let at = Timestamp::now().millis();
    Ok(match result {
        Ok(summary) => SyncOutcome {
            ok: true,
            sent: summary.ops_accepted as u64,
            received: summary.reports_received as u64,
            error: None,
            at,
        },
        Err(e) => {
            let sofar = tracker.done();
            let failed = sync_failure(state, e);
            SyncOutcome {
                ok: false,
                sent: sofar.ops_sent,
                received: sofar.ops_received,
                error: Some(ErrorInfo {
                    code: failed.code,
                    message: failed.message,
                }),
                at,
            }
        }
    })
}

#[tauri::command]
pub async fn set_settings(
    state: State<'_, AppData>,
    lang: Lang,
    large_text: bool,
) -> Answer<AppState> {
    state.update_settings(|s| {
        s.lang = lang;
        s.large_text = large_text;
    })?;
    state.app_state()
}

#[tauri::command]
pub async fn set_server(state: State<'_, AppData>, server: String) -> Answer<AppState> {
    let server = normalise_server(&server);
    Api::new(&server, state.core_lang()).map_err(|e| state.fail(e))?;
    let mut syncer = state.syncer.lock().await;
    {
        let mut store = state.store()?;
        let mut session = store
            .session()
            .map_err(|e| state.fail(e))?
            .ok_or_else(|| state.fail(SyncError::NotSignedIn))?;
        if session.server_url != server {
            session.server_url = server;
            // A new address may be a new server: cursors start again (reports stay).
            store.set_session(&session).map_err(|e| state.fail(e))?;
        }
    }
    *syncer = None;
    drop(syncer);
    state.app_state()
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppData>, force: bool) -> Answer<AppState> {
    // A sync under way ends first: it must not write the account's data back afterwards.
    let mut syncer = state.syncer.lock().await;
    {
        let mut store = state.store()?;
        let unsent_ops = sync::sign_out_check(&store).map_err(|e| state.fail(e))?;
        if unsent_ops > 0 && !force {
            let reports = store.unsent_reports().map_err(|e| state.fail(e))?;
            return Err(state.app_error(AppError::UnsentWork(reports.max(1))));
        }
        store.sign_out().map_err(|e| state.fail(e))?;
    }
    *syncer = None;
    drop(syncer);
    state.update_settings(|s| s.local = false)?;
    state.app_state()
}

#[tauri::command]
pub async fn kelurahan_outline(state: State<'_, AppData>) -> Answer<Option<GeoJsonFeature>> {
    let session = state.store()?.session().map_err(|e| state.fail(e))?;
    let Some(kelurahan) = session.as_ref().and_then(home_kelurahan) else {
        return Ok(None);
    };
    // Saved beside the store by the first sync that could fetch it.
    let path = outline_path(&state.dirs().data, &kelurahan.to_string());
    Ok(std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}

/// The kelurahan whose outline the map shows: the one the person's roles lie in.
fn home_kelurahan(session: &Session) -> Option<KelurahanCode> {
    session
        .roles
        .iter()
        .flat_map(|r| r.areas())
        .find_map(|a| a.kelurahan())
}

/// Fetches the home kelurahan's outline once and keeps it beside the store. A failure costs
/// only the outline on the map, and the next sync tries again.
async fn keep_outline(state: &AppData, syncer: &Syncer, session: &Session) {
    let Some(kelurahan) = home_kelurahan(session) else {
        return;
    };
    let path = outline_path(&state.dirs().data, &kelurahan.to_string());
    if path.exists() {
        return;
    }
    let Ok(feature) = syncer.kelurahan_outline(kelurahan).await else {
        return;
    };
    // Written whole or not at all: a half-written file would be a broken outline.
    let partial = path.with_extension("part");
    let saved = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&partial, feature))
        .and_then(|()| std::fs::rename(&partial, &path));
    if saved.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(
        stage: &str,
        photos_done: usize,
        done: u64,
        total: u64,
        ops: usize,
    ) -> EngineProgress {
        EngineProgress {
            uploading: stage == "uploading",
            done: stage == "done",
            photos_done,
            photo_bytes_done: done,
            photo_bytes_total: total,
            ops_sent: ops,
            reports_received: 0,
        }
    }

    #[test]
    fn progress_counts_photo_bytes_across_photos_and_ends_with_done() {
        let mut t = ProgressTracker::default();
        let seen: Vec<SyncProgress> = [
            engine("uploading", 0, 0, 1000, 0),
            engine("uploading", 0, 600, 1000, 0),
            engine("uploading", 1, 0, 300, 0),
            engine("uploading", 1, 300, 300, 0),
            engine("syncing", 2, 300, 300, 0),
            engine("syncing", 2, 300, 300, 1),
            engine("done", 2, 300, 300, 1),
        ]
        .into_iter()
        .filter_map(|p| t.observe(p))
        .collect();
        let bytes: Vec<u64> = seen.iter().map(|p| p.bytes_sent).collect();
        assert_eq!(bytes, [0, 600, 1000, 1300, 1300, 1300]);
        let phases: Vec<SyncPhase> = seen.iter().map(|p| p.phase).collect();
        use SyncPhase::*;
        assert_eq!(phases, [Photos, Photos, Photos, Photos, Push, Pull]);
        let done = t.done();
        assert_eq!(
            (done.phase, done.ops_sent, done.bytes_sent),
            (Done, 1, 1300)
        );
    }

    #[test]
    fn sync_state_puts_a_refused_report_first_and_a_local_one_on_the_device() {
        let rejected = ronda_client::store::Rejection {
            code: "FORBIDDEN_ROLE".into(),
            message: "no".into(),
        };
        let waiting = Delivery {
            waiting: 1,
            ..Delivery::default()
        };
        assert_eq!(sync_state(&waiting, false).0, SyncState::SavedOnDevice);
        assert_eq!(sync_state(&waiting, true).0, SyncState::WaitingForSignal);
        let refused = Delivery {
            create_rejected: true,
            rejection: Some(rejected.clone()),
            ..Delivery::default()
        };
        let (s, why) = sync_state(&refused, true);
        assert_eq!(s, SyncState::Rejected);
        assert_eq!(why.unwrap().code, "FORBIDDEN_ROLE");
        let sent = Delivery {
            accepted: 2,
            ..Delivery::default()
        };
        assert_eq!(sync_state(&sent, true), (SyncState::Sent, None));
    }
}
