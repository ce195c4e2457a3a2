// A stand-in Rust side: Tauri's IPC mock with handlers per command, recording every call.
import { mockIPC } from '@tauri-apps/api/mocks';
import type {
  AccountState,
  AgencyInfo,
  AppState,
  AuditParameter,
  BandRange,
  CategoryInfo,
  DayPart,
  Kabar,
  ParameterValue,
  Patrol,
  ReportLifecycle,
  SafetyCell,
  ScoreBand,
  StepRules,
  SafetyMap,
} from '../src/ipc/bindings';

export type Call = { cmd: string; args: unknown; options?: { headers?: Record<string, string> } };
export type Handler = (args: any) => unknown;

export function mockBackend(handlers: Record<string, Handler>) {
  const calls: Call[] = [];
  mockIPC(
    (cmd, args) => {
      const handler = handlers[cmd];
      if (!handler) throw { code: 'NO_MOCK', message: `no mock for ${cmd}`, count: null };
      return handler(args);
    },
    { shouldMockEvents: true },
  );
  const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: (...a: unknown[]) => unknown } })
    .__TAURI_INTERNALS__;
  const inner = internals.invoke;
  internals.invoke = (cmd: unknown, args: unknown, options: unknown) => {
    if (typeof cmd === 'string' && !cmd.startsWith('plugin:')) {
      calls.push({ cmd, args, options: options as Call['options'] });
    }
    return inner(cmd, args, options);
  };
  return {
    calls,
    callsTo: (cmd: string) => calls.filter((c) => c.cmd === cmd),
  };
}

export const SIGNED_IN: AccountState = {
  kind: 'signedIn',
  server: 'https://ronda.example.org',
  userName: 'Pak Budi',
  role: 'ketua_rt',
  area: '31.71.01.1001/RW 003/RT 007',
};

export function appState(over: Partial<AppState> = {}): AppState {
  return { account: SIGNED_IN, lang: 'id', largeText: false, lastSyncAt: null, pendingOps: 0, ...over };
}

/** A slice of ronda-core's catalogue: one- and two-kind categories, an audit, the emergency. */
export const CATEGORIES: CategoryInfo[] = [
  { code: 'jalan-rusak', kinds: ['laporan', 'rawan'], nameId: 'Jalan rusak / berlubang', nameEn: 'Damaged road / pothole', emergency: false, icon: 'road' },
  { code: 'sampah-menumpuk', kinds: ['laporan'], nameId: 'Sampah menumpuk', nameEn: 'Rubbish piling up', emergency: false, icon: 'trash' },
  { code: 'kebakaran', kinds: ['laporan'], nameId: 'Kebakaran', nameEn: 'Fire', emergency: true, icon: 'fire' },
  { code: 'rawan-kejahatan', kinds: ['rawan'], nameId: 'Rawan kejahatan', nameEn: 'Crime hotspot', emergency: false, icon: 'crime' },
  { code: 'audit-keamanan', kinds: ['audit'], nameId: 'Audit keamanan lingkungan', nameEn: 'Neighbourhood safety audit', emergency: false, icon: 'audit' },
];

/** The handlers every screen needs to start; a test adds or overrides the ones it is about. */
export function baseHandlers(state: AppState = appState()): Record<string, Handler> {
  return {
    app_state: () => state,
    categories: () => CATEGORIES,
    step_rules: () => STEP_RULES,
    score_bands: () => SCORE_BANDS,
    kelurahan_outline: () => null,
    reports_in_view: () => [],
    my_reports: () => [],
    nearby_open: () => [],
    report_lifecycle: ({ id }: { id: string }) => lifecycle({ id }),
    agencies: () => AGENCIES,
    kabar: () => emptyKabar(),
    mark_kabar_read: () => null,
    patrol: () => emptyPatrol(),
    audit_form: () => AUDIT_FORM,
    safety_map: () => safetyLayer(),
  };
}

/** ronda-core's nine audit parameters, in form order (the rubrics shortened). */
const PARAMETERS: [code: string, id: string, en: string][] = [
  ['penerangan', 'Penerangan', 'Lighting'],
  ['keterbukaan', 'Keterbukaan', 'Openness'],
  ['visibilitas', 'Visibilitas', 'Eyes on the street'],
  ['keramaian', 'Keramaian', 'People around'],
  ['keamanan', 'Keamanan', 'Police or guards'],
  ['jalur_pejalan_kaki', 'Jalur pejalan kaki', 'Walk path'],
  ['transportasi_umum', 'Transportasi umum', 'Public transport'],
  ['keberagaman', 'Keberagaman', 'Women and children'],
  ['rasa_aman', 'Rasa aman', 'How safe you feel'],
];

export const AUDIT_CODES: readonly string[] = PARAMETERS.map(([code]) => code);

export const AUDIT_FORM: AuditParameter[] = PARAMETERS.map(([code, nameId, nameEn]) => ({
  code,
  nameId,
  nameEn,
  rubricId: [0, 1, 2, 3].map((v) => `${nameId} tingkat ${v}`),
  rubricEn: [0, 1, 2, 3].map((v) => `${nameEn} level ${v}`),
}));

/** A hexagon around a point, as `SafetyCell.ring` gives it (six corners, not closed). */
export function hexRing(lat: number, lon: number, r = 0.004): [number, number][] {
  return [0, 1, 2, 3, 4, 5].map((i) => {
    const a = (Math.PI / 3) * i;
    return [lat + r * Math.sin(a), lon + r * Math.cos(a)];
  });
}

/** ronda-core's score bands, as `score_bands` gives them. */
export const SCORE_BANDS: BandRange[] = [
  { band: 'rawan', min: 0, max: 39 },
  { band: 'kurang', min: 40, max: 59 },
  { band: 'cukup', min: 60, max: 79 },
  { band: 'aman', min: 80, max: 100 },
];

/** The band of a score, as ronda-core's `Band::of` gives it with the score. */
export function bandOf(score: number): ScoreBand {
  const shown = Math.round(score);
  return SCORE_BANDS.find((b) => shown <= b.max)?.band ?? 'aman';
}

/** A rating 0–3 with its band, as the Rust side sends it. */
export const rated = (code: string, value: number): ParameterValue => ({ code, value, band: bandOf((value / 3) * 100) });

/** A neighbourhood cell with three audits (override what a test is about; the band follows the
 *  score unless given). */
export function safetyCell(over: Partial<SafetyCell> = {}): SafetyCell {
  const score = over.score === undefined ? 72 : over.score;
  return {
    h3: '88658a0001fffff',
    dayPart: 'malam',
    ring: hexRing(-6.2, 106.8),
    audits: 3,
    score,
    band: score === null ? null : bandOf(score),
    parameters: AUDIT_CODES.map((code, i) => rated(code, (i % 4) * 0.75 + 0.5)),
    newest: '2025-03-10',
    oldest: '2025-01-03',
    rawan: null,
    ...over,
  };
}

/** ronda-core's step rules, as `step_rules` gives them. */
export const STEP_RULES: StepRules = {
  noteActions: ['reroute', 'reopen', 'close_unfixed'],
  rejectReasons: [
    { reason: 'tidak_ditemukan', needsNote: false },
    { reason: 'bukan_masalah_publik', needsNote: false },
    { reason: 'informasi_kurang', needsNote: false },
    { reason: 'tidak_pantas', needsNote: false },
    { reason: 'lainnya', needsNote: true },
  ],
};

/** Day (06:00 to 17:59 WIB, UTC+7) or night at `ms`, as ronda-core's `DayPart::of` says. */
export function dayPartAt(ms: number): DayPart {
  const day = 86_400_000;
  const hour = Math.floor(((((ms + 7 * 3_600_000) % day) + day) % day) / 3_600_000);
  return hour >= 6 && hour < 18 ? 'siang' : 'malam';
}

/** The public layer as last fetched: none by default (never fetched), at the (fake) clock's day
 *  part. */
export function safetyLayer(over: Partial<SafetyMap> = {}): SafetyMap {
  return { cells: [], fetchedAt: null, dayPartNow: dayPartAt(Date.now()), ...over };
}

/** A patrol day for someone who heads no RT or RW and serves no area. */
export function emptyPatrol(over: Partial<Patrol> = {}): Patrol {
  return { day: '2025-01-05', ownArea: null, checkedIn: false, area: null, areas: [], ...over };
}

/** A slice of ronda-core's agencies. */
export const AGENCIES: AgencyInfo[] = [
  { code: 'bina_marga', nameId: 'Dinas Bina Marga', nameEn: 'Dinas Bina Marga (roads and street lighting)' },
  { code: 'sumber_daya_air', nameId: 'Dinas Sumber Daya Air', nameEn: 'Dinas Sumber Daya Air (water and drainage)' },
  { code: 'kelurahan', nameId: 'Kantor kelurahan', nameEn: 'Kelurahan office' },
];

/** A report's lifecycle with nothing done to it and nothing offered. */
export function lifecycle(over: Partial<ReportLifecycle> = {}): ReportLifecycle {
  return {
    id: 'r-7',
    status: 'baru',
    history: [],
    supporters: 0,
    supporting: false,
    canSupport: false,
    agency: null,
    duplicateOf: null,
    placeFlag: null,
    sla: null,
    offered: [],
    beforeAfter: null,
    ...over,
  };
}

export function emptyKabar(over: Partial<Kabar> = {}): Kabar {
  return { news: [], unread: 0, waiting: [], dueSoon: 0, overdue: 0, ...over };
}

export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
