/**
 * The IPC contract between the UI and the app's Rust side: every backend call goes through this
 * module, and this file is the single source of truth for what the Rust commands accept and
 * return. The types live in `./bindings/` (one file per type, generated from the Rust types;
 * plain declarations, no logic).
 *
 * Conventions
 * - Command names are snake_case; arguments are ONE object with camelCase keys (Tauri maps
 *   them to the Rust parameters' snake_case names).
 * - Times are `number`: milliseconds since the Unix epoch, UTC (an i64 on the Rust side,
 *   exported as `number`, not `bigint`). Byte counts and counts are `number` too.
 * - Optional values are `T | null` and the field is always present in the JSON.
 * - Enums are string-literal unions with the codes ronda-core uses (`ReportKind`,
 *   `ReportStatus`, `LocationSource`, `Lang`); `AccountState` is tagged by `kind`.
 * - Every command rejects with a `CommandError` `{ code, message, count }`: `code` is a stable
 *   code (`ACTIVATION_CODE_INVALID`, `SYNC_OFFLINE`, `LOCATION_NULL_ISLAND`, …), `message` is
 *   already in the session's language, `count` is null except where a command says otherwise.
 *   The UI prefers its own wording for codes it knows and shows `message` for the rest.
 *
 * Commands
 * - `app_state()` → `AppState`. Cheap; called at start and after actions that change it.
 * - `activate({ server, code })` → `AppState`. `server` is a normalised base URL
 *   (`https://host[:port][/path]`, no trailing slash); `code` is the activation code normalised
 *   to upper case in groups of four (`K7QF-2MXP-9RTC`). Errors: the server's codes
 *   (`ACTIVATION_CODE_INVALID`, `_USED`, `_EXPIRED`, `_LOCKED`, `RATE_LIMITED`, …) and the sync
 *   engine's (`SYNC_OFFLINE`, `SYNC_BAD_SERVER_URL`, `SYNC_SERVER_ERROR`, …). Reports made while
 *   using the app without an account are kept and sent under the new account.
 * - `use_without_account()` → `AppState` with `account.kind == "local"`.
 * - `categories()` → `CategoryInfo[]`, in catalogue order. `kinds` lists every report kind the
 *   category fits (a category such as `jalan-rusak` fits both `laporan` and `rawan`); `icon`
 *   is the catalogue's icon name, which the UI maps to a bundled glyph.
 * - `reports_in_view({ south, west, north, east, limit })` → `ReportPin[]`: reports in the local
 *   store inside the box, at most `limit` of them (newest first when cut).
 * - `nearby_open({ lat, lon, category, radiusM })` → `NearbyReport[]`: open reports (status
 *   `is_open()` in ronda-core) of that category within `radiusM` metres, nearest first, from the
 *   local store.
 * - `create_report({ draft })` → `CreatedReport` (`{ id }`, a new UUIDv7). Writes the report and
 *   its outbox op in one transaction. `draft.accuracyM` is null for a point picked on the map;
 *   `draft.description` is trimmed text or null; `draft.capturedAt` is when the position was
 *   taken (the GPS fix's time, or the moment the point was picked on the map).
 * - `attach_photo` — raw body, NOT a JSON object: the photo file's bytes as a `Uint8Array` are
 *   the invoke payload (Tauri 2 raw request body), with the headers
 *     `x-report-id`: the id `create_report` returned,
 *     `x-file-name`: the original file name, percent-encoded UTF-8 (`encodeURIComponent`; HTTP
 *                    header values must be ASCII).
 *   Shrinks the photo, strips its metadata and adds it to the report (photos are append-only);
 *   resolves to `null`. Errors: `PHOTO_NOT_AN_IMAGE`, `PHOTO_UNSUPPORTED_FORMAT`,
 *   `PHOTO_TOO_LARGE`, `REPORT_TOO_MANY_PHOTOS` (more than 8), `REPORT_NOT_FOUND`, …
 * - `my_reports()` → `MyReport[]`, newest first.
 * - `report_detail({ id })` → `ReportDetail`. `photos[].dataUrl` is a `data:image/jpeg;base64,…`
 *   URL of the photo's thumbnail, or null when the photo is not on this device.
 *   `timeline` is oldest first; `what` is a stable code: `created`, `sent`, `status:<status code>`
 *   (e.g. `status:diverifikasi`), `rejected` (`detail` = the reason, in the session's language),
 *   `edit`, `photo`; `detail` is extra text or null. Rejects with `REPORT_NOT_FOUND`.
 * - `sync_now()` → `SyncOutcome`. Resolves (ok or not) once the round is over; rejects only when
 *   no sync could start (e.g. `SYNC_NOT_SIGNED_IN`). While it runs, the backend emits the event
 *   `sync-progress` with a `SyncProgress` payload; the last one has `phase: "done"`.
 * - `set_settings({ lang, largeText })` → `AppState`. Both are stored on the device.
 * - `set_server({ server })` → `AppState`. Same normalised form as `activate`.
 * - `sign_out({ force })` → `AppState` with `account.kind == "none"`. With `force: false` it
 *   rejects with `{ code: "UNSENT_WORK", message, count }` when reports or changes have not been
 *   sent yet (`count` = how many reports would be lost); with `force: true` it signs out and
 *   deletes them.
 * - `kelurahan_outline()` → `GeoJsonFeature | null`: the boundary of the user's kelurahan,
 *   null when unknown (no account, or an account without an area).
 *
 * The lifecycle (ronda-core's `lifecycle` and `authz`; every step is saved on the device with
 * its op and sent with the next sync, which has the last word):
 * - `report_lifecycle({ id })` → `ReportLifecycle`: status, `history` (oldest first; who as
 *   which role, when, from/to status, action, reason, agency, presence on site/desk/unknown
 *   with the distance, note, whether a photo came with it), supporters, whether the signed-in
 *   person supports it (`supporting`) or may (`canSupport`), agency, `duplicateOf`,
 *   `placeFlag`, `sla` (null when no clock runs) and `offered`: the steps the app offers, each
 *   with the role it is taken in, and only those. Without an account `offered` is empty.
 * - `agencies()` → `AgencyInfo[]`: the bodies a report can be handed or re-routed to.
 * - `stage_photo` — raw body like `attach_photo` (the photo's bytes, header `x-file-name`) →
 *   `StagedPhoto`: the photo shrunk and kept for a step; `act` names it by `sha256`. Kept in
 *   memory only: after a restart it must be chosen again (`PHOTO_NOT_STAGED`).
 * - `act({ report, role, action, reason, agency, original, note, position, photo })` →
 *   `ReportLifecycle` after the step. Unused arguments are null. `reject` needs `reason` (and
 *   a `note` for `lainnya`); `mark_duplicate` the `original` id; `reroute` an `agency` code and
 *   a note; `dispose` an agency or null (the kewenangan matrix's); `resolve` a staged `photo`
 *   and the `position` (`RESOLVE_POSITION_REQUIRED`, `RESOLVE_TOO_FAR` with the distance in
 *   its message); `reopen` (optional photo) and `close_unfixed` a note. Errors: the rules'
 *   codes (`FORBIDDEN_*`, `TRANSITION_NOT_ALLOWED`, `TRANSITION_NOTE_REQUIRED`,
 *   `DUPLICATE_*`, `REROUTE_SAME_BODY`, `SIGNED_OUT`, …).
 * - `support({ report })` → `ReportLifecycle`. Errors `SUPPORT_ALREADY`, `SUPPORT_OWN_REPORT`,
 *   `SUPPORT_CLOSED`, `SIGNED_OUT`.
 * - `kabar()` → `Kabar`: news (steps others took on the person's reports or ones they
 *   support, newest first, `unread`), and `waiting` (reports waiting on a step the person may
 *   take, overdue first, then due soon). Empty without an account.
 * - `mark_kabar_read()` → `null`: everything shown so far is read.
 * - `field_queue({ lat, lon })` → `FieldStop[]`: reports to verify (new or reopened) in the
 *   person's home area, nearest first by walking distance. Errors `SIGNED_OUT`,
 *   `FIELD_AREA_REQUIRED` (an account with no single area of its own).
 * - `step_rules()` → `StepRules`: ronda-core's rules for what a lifecycle step needs in words —
 *   the actions that always need a note, and the reasons to reject in order, each with whether
 *   it needs one.
 * - `score_bands()` → `BandRange[]`: ronda-core's safety score bands, worst first, each with
 *   the whole scores it holds (for legends; every score, cell and rating arrives with its band).
 * - `audit_form()` → `AuditParameter[]`: the safety audit's nine parameters in order, with
 *   what each level 0–3 means in both languages. `create_report` takes their `ratings` (nine
 *   numbers in this order) for an `audit`, and answers with the report categories its zeros
 *   suggest (`suggested`).
 * - `patrol()` → `Patrol`: today in Jakarta, the RT or RW the person checks in for (if they
 *   head one) and whether they have, and the RTs and RWs of the area they serve that checked in
 *   "nihil" or reported today.
 * - `check_in_nihil({ position })` → `Patrol`: checks in "nihil" for today, saved at once and
 *   sent with the next sync. Errors `PATROL_ALREADY_CHECKED_IN`, `FORBIDDEN_ROLE` (heads no RT
 *   or RW), `SIGNED_OUT`.
 *
 * The public safety map (ronda-core's `safety`; fetched by the sync, read from the device):
 * - `safety_map()` → `SafetyMap`: the neighbourhood cells of the public layer as last fetched
 *   (`fetchedAt`, ms; null = never fetched, `cells` empty), one `SafetyCell` per H3 cell and
 *   day part (`siang` 06:00–17:59 WIB, `malam` the rest; never mixed). `ring` is the hexagon's
 *   corners as `[lat, lon]`, not closed. `audits`, `score` (0–100, weighted mean of the eight
 *   place parameters), `parameters` (nine `{ code, value }`, mean rating 0–3, in `audit_form`
 *   order, rasa aman last), `newest`/`oldest` (dates `YYYY-MM-DD`) are null or empty under 3
 *   audits; `rawan` is the count of unsafe-place flags, null under 5. A cell has audits, flags
 *   or both. `ReportPin.score` is an audit's own score (null for other kinds), and
 *   `ReportDetail.audit` an audit's nine ratings and score.
 */
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  ActionKind,
  AgencyInfo,
  AppState,
  AuditParameter,
  BandRange,
  CategoryInfo,
  CommandError,
  CreatedReport,
  FieldStop,
  GeoJsonFeature,
  Kabar,
  Patrol,
  Lang,
  MyReport,
  NearbyReport,
  ReportDetail,
  RejectReason,
  ReportDraft,
  ReportLifecycle,
  ReportPin,
  SafetyMap,
  StagedPhoto,
  StepRules,
  StepPosition,
  SyncOutcome,
  SyncProgress,
} from './bindings';

export type * from './bindings';

/** The event the backend emits during `sync_now`. */
export const SYNC_PROGRESS_EVENT = 'sync-progress';

/** Error code of `sign_out` when unsent work would be lost. */
export const UNSENT_WORK = 'UNSENT_WORK';

/** Code for a rejection that did not come from a Ronda command (e.g. the IPC layer itself). */
export const UNKNOWN_ERROR = 'UNKNOWN_ERROR';

export function isCommandError(e: unknown): e is CommandError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

/** Whatever a command rejected with, as a `CommandError`. */
export function toCommandError(e: unknown): CommandError {
  if (isCommandError(e)) {
    const count = (e as { count?: unknown }).count;
    return { code: e.code, message: e.message, count: typeof count === 'number' ? count : null };
  }
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : String(e);
  return { code: UNKNOWN_ERROR, message, count: null };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toCommandError(e);
  }
}

export const appState = (): Promise<AppState> => call('app_state');

export const activate = (server: string, code: string): Promise<AppState> =>
  call('activate', { server, code });

export const useWithoutAccount = (): Promise<AppState> => call('use_without_account');

export const categories = (): Promise<CategoryInfo[]> => call('categories');

export const auditForm = (): Promise<AuditParameter[]> => call('audit_form');
export const stepRules = (): Promise<StepRules> => call('step_rules');
export const scoreBands = (): Promise<BandRange[]> => call('score_bands');

export type ViewBox = { south: number; west: number; north: number; east: number };

export const reportsInView = (box: ViewBox, limit: number): Promise<ReportPin[]> =>
  call('reports_in_view', { ...box, limit });

export const nearbyOpen = (
  lat: number,
  lon: number,
  category: string,
  radiusM: number,
): Promise<NearbyReport[]> => call('nearby_open', { lat, lon, category, radiusM });

export const createReport = (draft: ReportDraft): Promise<CreatedReport> =>
  call('create_report', { draft });

/** Adds one photo to a saved report; see `attach_photo` above for the raw-body form. */
export async function attachPhoto(reportId: string, fileName: string, bytes: Uint8Array): Promise<null> {
  try {
    return await invoke<null>('attach_photo', bytes, {
      headers: { 'x-report-id': reportId, 'x-file-name': encodeURIComponent(fileName) },
    });
  } catch (e) {
    throw toCommandError(e);
  }
}

export const myReports = (): Promise<MyReport[]> => call('my_reports');

export const reportDetail = (id: string): Promise<ReportDetail> => call('report_detail', { id });

export const syncNow = (): Promise<SyncOutcome> => call('sync_now');

export const onSyncProgress = (handler: (p: SyncProgress) => void): Promise<UnlistenFn> =>
  listen<SyncProgress>(SYNC_PROGRESS_EVENT, (event) => handler(event.payload));

export const setSettings = (lang: Lang, largeText: boolean): Promise<AppState> =>
  call('set_settings', { lang, largeText });

export const setServer = (server: string): Promise<AppState> => call('set_server', { server });

export const signOut = (force: boolean): Promise<AppState> => call('sign_out', { force });

export const kelurahanOutline = (): Promise<GeoJsonFeature | null> => call('kelurahan_outline');

export const reportLifecycle = (id: string): Promise<ReportLifecycle> => call('report_lifecycle', { id });

export const agencies = (): Promise<AgencyInfo[]> => call('agencies');

/** Shrinks a photo for a step (`resolve`, `reopen`) and keeps it; raw body like `attachPhoto`. */
export async function stagePhoto(fileName: string, bytes: Uint8Array): Promise<StagedPhoto> {
  try {
    return await invoke<StagedPhoto>('stage_photo', bytes, {
      headers: { 'x-file-name': encodeURIComponent(fileName) },
    });
  } catch (e) {
    throw toCommandError(e);
  }
}

/** One lifecycle step; what each action needs is in the header above. */
export type StepArgs = {
  report: string;
  role: string;
  action: ActionKind;
  reason: RejectReason | null;
  agency: string | null;
  original: string | null;
  note: string | null;
  position: StepPosition | null;
  photo: string | null;
};

export const act = (step: StepArgs): Promise<ReportLifecycle> => call('act', { ...step });

export const support = (report: string): Promise<ReportLifecycle> => call('support', { report });

export const kabar = (): Promise<Kabar> => call('kabar');

export const markKabarRead = (): Promise<null> => call('mark_kabar_read');

export const fieldQueue = (lat: number, lon: number): Promise<FieldStop[]> => call('field_queue', { lat, lon });

export const patrol = (): Promise<Patrol> => call('patrol');

export const checkInNihil = (position: StepPosition | null): Promise<Patrol> => call('check_in_nihil', { position });

/** The public safety layer as the device last fetched it; see `safety_map` above. */
export const safetyMap = (): Promise<SafetyMap> => call('safety_map');
