// Codes from the backend turned into words for people.
import type {
  ActionKind,
  AuditParameter,
  CategoryInfo,
  DayPart,
  CommandError,
  ErrorInfo,
  Lang,
  LifecycleStep,
  RejectReason,
  ReportKind,
  ReportStatus,
  ScoreBand,
  SyncState,
  TimelineEntry,
} from '../ipc/bindings';
import { isMessageKey, type MessageKey, type Translator } from '../i18n';
import { formatDistance } from '../i18n/format';
import { parameterName } from './audit';

export const REPORT_KINDS: readonly ReportKind[] = ['laporan', 'rawan', 'audit'];

const STATUS_KEYS: Record<ReportStatus, MessageKey> = {
  baru: 'status.baru',
  diverifikasi: 'status.diverifikasi',
  ditolak: 'status.ditolak',
  duplikat: 'status.duplikat',
  bukan_wewenang: 'status.bukan_wewenang',
  didisposisikan: 'status.didisposisikan',
  diproses: 'status.diproses',
  selesai: 'status.selesai',
  dikonfirmasi: 'status.dikonfirmasi',
  dibuka_kembali: 'status.dibuka_kembali',
  ditutup_tidak_diperbaiki: 'status.ditutup_tidak_diperbaiki',
};

const KIND_KEYS: Record<ReportKind, MessageKey> = {
  laporan: 'kind.laporan',
  rawan: 'kind.rawan',
  audit: 'kind.audit',
};

const SYNC_KEYS: Record<SyncState, MessageKey> = {
  savedOnDevice: 'sync.savedOnDevice',
  waitingForSignal: 'sync.waitingForSignal',
  sent: 'sync.sent',
  rejected: 'sync.rejected',
};

export const statusName = ({ t }: Translator, status: ReportStatus): string =>
  t(STATUS_KEYS[status] ?? 'error.UNKNOWN_ERROR');

export const kindName = ({ t }: Translator, kind: ReportKind): string => t(KIND_KEYS[kind]);

const BAND_KEYS: Record<ScoreBand, MessageKey> = {
  rawan: 'safety.band.rawan',
  kurang: 'safety.band.kurang',
  cukup: 'safety.band.cukup',
  aman: 'safety.band.aman',
};

export const bandName = ({ t }: Translator, band: ScoreBand): string => t(BAND_KEYS[band]);

/** "Siang" / "Night", for a control. */
export const dayPartName = ({ t }: Translator, part: DayPart): string =>
  t(part === 'siang' ? 'safety.siang' : 'safety.malam');

/** "malam" / "at night", inside a sentence. */
export const dayPartWords = ({ t }: Translator, part: DayPart): string =>
  t(part === 'siang' ? 'safety.inSiang' : 'safety.inMalam');

/** An audit parameter's name from the form, or its code while the form is not at hand. */
export function auditParameterName(form: readonly AuditParameter[] | null, code: string, lang: Lang): string {
  const p = form?.find((x) => x.code === code);
  return p ? parameterName(p, lang) : code.replace(/_/g, ' ');
}

export function roleName({ t }: Translator, role: string): string {
  const key = `role.${role}`;
  return isMessageKey(key) ? t(key) : role;
}

export function categoryName(categories: readonly CategoryInfo[], code: string, lang: Lang): string {
  const c = categories.find((x) => x.code === code);
  if (!c) return code;
  return lang === 'id' ? c.nameId : c.nameEn;
}

/** An error in the user's language: the UI's own words for codes it knows, else the backend's. */
export function errorText({ t }: Translator, error: ErrorInfo | CommandError): string {
  const key = `error.${error.code}`;
  if (isMessageKey(key)) return t(key);
  return error.message.trim() !== '' ? error.message : t('error.UNKNOWN_ERROR');
}

/** Where a report is on its way to the server, in the words of the "My reports" list. */
export function syncWords(
  tr: Translator,
  sync: SyncState,
  rejection: ErrorInfo | null,
): { label: string; reason: string | null } {
  const label = tr.t(SYNC_KEYS[sync]);
  const reason = sync === 'rejected' && rejection ? tr.t('sync.rejectedReason', { reason: errorText(tr, rejection) }) : null;
  return { label, reason };
}

/** One line of a report's history; `detail` is shown under it when there is one. */
export function timelineWords(tr: Translator, entry: TimelineEntry): string {
  const { what } = entry;
  if (what.startsWith('status:')) {
    const code = what.slice('status:'.length);
    const key = `status.${code}`;
    return tr.t('timeline.status', { status: isMessageKey(key) ? tr.t(key) : code });
  }
  const key = `timeline.${what}`;
  if (what !== 'other' && what !== 'status' && isMessageKey(key)) return tr.t(key);
  return tr.t('timeline.other', { what });
}

const ACTION_KEYS: Record<ActionKind, MessageKey> = {
  verify: 'action.verify',
  reject: 'action.reject',
  mark_duplicate: 'action.mark_duplicate',
  reroute: 'action.reroute',
  dispose: 'action.dispose',
  start_work: 'action.start_work',
  resolve: 'action.resolve',
  confirm: 'action.confirm',
  reopen: 'action.reopen',
  close_unfixed: 'action.close_unfixed',
};

const REASON_KEYS: Record<RejectReason, MessageKey> = {
  tidak_ditemukan: 'reason.tidak_ditemukan',
  bukan_masalah_publik: 'reason.bukan_masalah_publik',
  informasi_kurang: 'reason.informasi_kurang',
  tidak_pantas: 'reason.tidak_pantas',
  lainnya: 'reason.lainnya',
};

/** The button label of a lifecycle step. */
export const actionName = ({ t }: Translator, action: ActionKind): string => t(ACTION_KEYS[action]);

export const reasonName = ({ t }: Translator, reason: RejectReason): string => t(REASON_KEYS[reason]);

/** "di lokasi (12 m)", "dari meja / tidak di lokasi (1,2 km)" or "tanpa posisi GPS". */
export function presenceWords(tr: Translator, step: Pick<LifecycleStep, 'presence' | 'distanceM'>): string {
  const d = step.distanceM === null ? null : formatDistance(step.distanceM, tr.lang);
  switch (step.presence) {
    case 'on_site':
      return d ? tr.t('presence.onSiteAt', { d }) : tr.t('presence.onSite');
    case 'desk':
      return d ? tr.t('presence.deskAt', { d }) : tr.t('presence.desk');
    case 'unknown':
      return tr.t('presence.unknown');
  }
}

/** Who took a step: "Lurah / staf kelurahan", or "Anda (Ketua RT)" for the person's own. */
export function stepWho(tr: Translator, step: Pick<LifecycleStep, 'role' | 'byMe'>): string {
  const role = roleName(tr, step.role);
  return step.byMe ? tr.t('step.byMe', { role }) : tr.t('step.by', { role });
}

/** The walking distance and time of a stop: "350 m · 5 menit jalan kaki". */
export function walkWords(tr: Translator, distanceM: number, minutes: number): string {
  return tr.t('field.walk', { d: formatDistance(distanceM, tr.lang), n: minutes });
}
