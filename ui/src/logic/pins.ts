// How a report looks on the map: the fill says how far it got (for an audit with a score: how
// safe the place scored), the edge says what kind it is.
import type { ReportKind, ReportStatus, ScoreBand } from '../ipc/bindings';
import { BAND_COLOURS } from './safety';

export type Stage = 'new' | 'handling' | 'done' | 'closed';

export const STAGES: readonly Stage[] = ['new', 'handling', 'done', 'closed'];

export function stageOf(status: ReportStatus): Stage {
  switch (status) {
    case 'baru':
    case 'dibuka_kembali':
      return 'new';
    case 'diverifikasi':
    case 'bukan_wewenang':
    case 'didisposisikan':
    case 'diproses':
      return 'handling';
    case 'selesai':
    case 'dikonfirmasi':
      return 'done';
    case 'ditolak':
    case 'duplikat':
    case 'ditutup_tidak_diperbaiki':
      return 'closed';
  }
}

/** Fill colours, readable on the light and the dark map background alike. */
export const STAGE_COLOURS: Record<Stage, string> = {
  new: '#e53935',
  handling: '#ffb300',
  done: '#00a884',
  closed: '#9e9e9e',
};

/** Edge colours by kind: white for problems, purple for unsafe places, blue for audits. */
export const KIND_COLOURS: Record<ReportKind, string> = {
  laporan: '#ffffff',
  rawan: '#b04dff',
  audit: '#2f7bff',
};

export type PinStyle = {
  radius: number;
  fillColor: string;
  fillOpacity: number;
  color: string;
  weight: number;
};

/** `band` is the band of an audit's score (null for other kinds, or an audit without ratings). */
export function pinStyle(kind: ReportKind, status: ReportStatus, band: ScoreBand | null): PinStyle {
  const stage = stageOf(status);
  const scored = kind === 'audit' && band !== null;
  return {
    radius: kind === 'laporan' ? 7 : 8,
    fillColor: scored ? BAND_COLOURS[band] : STAGE_COLOURS[stage],
    fillOpacity: stage === 'closed' ? 0.6 : 0.95,
    color: KIND_COLOURS[kind],
    weight: kind === 'laporan' ? 1.5 : 3,
  };
}
