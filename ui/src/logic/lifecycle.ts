// The rules the report's lifecycle screens use: what each step needs before it can be sent,
// how a step is put to the backend, and how the inbox and the walk list are ordered. Who may
// take which step is not decided here: the backend's `offered` list is the only source.
import type {
  ActionKind,
  AgencyInfo,
  FieldStop,
  Kabar,
  KabarWaiting,
  Lang,
  LifecycleStep,
  NearbyReport,
  RejectReason,
  SlaFlag,
  StepPosition,
  StepRules,
} from '../ipc/bindings';
import type { StepArgs } from '../ipc/commands';
import type { MessageKey } from '../i18n';
import { coordinateError, type Fix } from './location';

/** The order the step buttons are shown in: the usual next step first. */
export const ACTION_ORDER: readonly ActionKind[] = [
  'verify',
  'dispose',
  'start_work',
  'resolve',
  'confirm',
  'reject',
  'mark_duplicate',
  'reroute',
  'reopen',
  'close_unfixed',
];

/** Steps that carry nothing but the person's position: one tap sends them. */
export const ONE_TAP: readonly ActionKind[] = ['verify', 'start_work', 'confirm'];

/** How far around a report to look for the original of a duplicate. */
export const DUPLICATE_RADIUS_M = 150;

/** What a step's form holds. */
export type StepForm = {
  action: ActionKind;
  reason: RejectReason | null;
  agency: string | null;
  original: string | null;
  note: string;
  /** The `sha256` of a photo `stage_photo` kept. */
  photo: string | null;
};

export const emptyForm = (action: ActionKind): StepForm => ({
  action,
  reason: null,
  agency: null,
  original: null,
  note: '',
  photo: null,
});

/** Whether a step needs a note in words, by ronda-core's rules (`step_rules`). */
export function needsNote(form: Pick<StepForm, 'action' | 'reason'>, rules: StepRules): boolean {
  if (rules.noteActions.includes(form.action)) return true;
  return (
    form.action === 'reject' && rules.rejectReasons.some((r) => r.reason === form.reason && r.needsNote)
  );
}

export type StepProblem =
  | 'step.needReason'
  | 'step.needNote'
  | 'step.needAgency'
  | 'step.needOriginal'
  | 'step.needPhoto'
  | 'step.needPosition';

/** What is missing before the step can be sent, or null when it is complete. */
export function stepProblem(form: StepForm, position: StepPosition | null, rules: StepRules): StepProblem | null {
  switch (form.action) {
    case 'reject':
      if (!form.reason) return 'step.needReason';
      break;
    case 'reroute':
      if (!form.agency) return 'step.needAgency';
      break;
    case 'mark_duplicate':
      if (!form.original) return 'step.needOriginal';
      break;
    case 'resolve':
      if (!form.photo) return 'step.needPhoto';
      if (!position) return 'step.needPosition';
      break;
    default:
      break;
  }
  if (needsNote(form, rules) && form.note.trim() === '') return 'step.needNote';
  return null;
}

/** The `act` arguments for a step: only what the action uses, the rest null. */
export function stepArgs(report: string, role: string, form: StepForm, position: StepPosition | null): StepArgs {
  const note = form.note.trim();
  const a = form.action;
  return {
    report,
    role,
    action: a,
    reason: a === 'reject' ? form.reason : null,
    agency: a === 'reroute' || a === 'dispose' ? form.agency || null : null,
    original: a === 'mark_duplicate' ? form.original : null,
    note: note === '' ? null : note,
    position,
    photo: a === 'resolve' || a === 'reopen' ? form.photo : null,
  };
}

/** A GPS fix as a step's position, when it is a real place (the backend judges how good). */
export function stepPosition(fix: Fix | null, at: number): StepPosition | null {
  if (!fix || coordinateError(fix.lat, fix.lon) !== null) return null;
  if (!Number.isFinite(fix.accuracyM) || fix.accuracyM < 0) return null;
  return { lat: fix.lat, lon: fix.lon, accuracyM: fix.accuracyM, capturedAt: at };
}

/** Candidates for the original of a duplicate: open reports nearby, never the report itself. */
export const duplicateCandidates = (nearby: readonly NearbyReport[], self: string): NearbyReport[] =>
  nearby.filter((r) => r.id !== self);

export const SLA_KEYS: Record<SlaFlag, MessageKey> = {
  on_time: 'sla.on_time',
  amber: 'sla.amber',
  red: 'sla.red',
};

const FLAG_RANK: Record<SlaFlag, number> = { red: 0, amber: 1, on_time: 2 };

/** Overdue first, then due soon, then the nearest deadline; no clock last. */
export function sortWaiting(list: readonly KabarWaiting[]): KabarWaiting[] {
  const rank = (w: KabarWaiting) => (w.sla ? FLAG_RANK[w.sla.flag] : 3);
  const due = (w: KabarWaiting) => w.sla?.deadline ?? Number.MAX_SAFE_INTEGER;
  return [...list].sort((a, b) => rank(a) - rank(b) || due(a) - due(b));
}

/** Newest first. */
export const sortNews = <T extends { step: LifecycleStep }>(news: readonly T[]): T[] =>
  [...news].sort((a, b) => b.step.at - a.step.at);

/** The number on the Kabar tab: what is unread plus what is overdue. */
export const kabarBadge = (k: Pick<Kabar, 'unread' | 'overdue'> | null): number =>
  k ? k.unread + k.overdue : 0;

/** The walk list, nearest first. */
export const sortStops = (stops: readonly FieldStop[]): FieldStop[] =>
  [...stops].sort((a, b) => a.distanceM - b.distanceM);

/** The lurah's outcomes in field mode, and the step each one is. */
export type FieldOutcome = 'valid' | 'not_found' | 'not_ours' | 'duplicate';

export function outcomeForm(outcome: FieldOutcome, extra: { agency?: string; note?: string; original?: string } = {}): StepForm {
  switch (outcome) {
    case 'valid':
      return emptyForm('verify');
    case 'not_found':
      return { ...emptyForm('reject'), reason: 'tidak_ditemukan' };
    case 'not_ours':
      return { ...emptyForm('reroute'), agency: extra.agency ?? null, note: extra.note ?? '' };
    case 'duplicate':
      return { ...emptyForm('mark_duplicate'), original: extra.original ?? null };
  }
}

/** The role field-mode steps are taken in. */
export const FIELD_ROLE = 'lurah';

export function agencyName(list: readonly AgencyInfo[], code: string | null, lang: Lang): string | null {
  if (!code) return null;
  const a = list.find((x) => x.code === code);
  if (!a) return code;
  return lang === 'id' ? a.nameId : a.nameEn;
}
