// The safety map's colours and the cells of one day part. The numbers and the bands they fall
// in come from ronda-core (`safety`): a score, a cell and a rating arrive with their band.
import type { DayPart, SafetyCell, ScoreBand } from '../ipc/bindings';

/** Each band's colour, worst first: red, orange, light green, teal. Chosen so every pair stays
 *  apart (CIELAB ΔE ≥ 30) with normal sight and simulated protanopia, deuteranopia and
 *  tritanopia (see safety.test.ts), and each has at least 3:1 contrast against the dark map
 *  background; on the light map the hexagons get a dark halo (app.css). */
export const BAND_COLOURS: Readonly<Record<ScoreBand, string>> = {
  rawan: '#cc3311',
  kurang: '#f5b020',
  cukup: '#a0c870',
  aman: '#00897b',
};

/** A 0–3 rating as a 0–100 share: how far its bar reaches (its colour is the band it arrives with). */
export const ratingShare = (value: number): number => (Math.max(0, Math.min(3, value)) / 3) * 100;

/** The rating that is the outcome the other eight explain: shown apart, never in the score. */
export const OUTCOME_CODE = 'rasa_aman';

/** The purple of unsafe-place flags (the `rawan` pins' edge). */
export const RAWAN_COLOUR = '#b04dff';

export const cellsFor = (cells: readonly SafetyCell[], dayPart: DayPart): SafetyCell[] =>
  cells.filter((c) => c.dayPart === dayPart);

/** How many cells, and how many audits in them (withheld counts are not counted). */
export function safetyCounts(cells: readonly SafetyCell[]): { cells: number; audits: number } {
  return { cells: cells.length, audits: cells.reduce((sum, c) => sum + (c.audits ?? 0), 0) };
}

export type CellStyle = {
  color: string;
  weight: number;
  opacity: number;
  fillColor: string;
  fillOpacity: number;
  dashArray: string | null;
};

/** How a cell is drawn: filled by its band. A dashed purple edge marks citizens' unsafe-place
 *  flags; a cell with flags and no score has only that edge and a light purple fill. */
export function cellStyle(cell: Pick<SafetyCell, 'band' | 'rawan'>): CellStyle {
  const flagged = cell.rawan !== null;
  if (cell.band === null) {
    return {
      color: RAWAN_COLOUR,
      weight: 2.5,
      opacity: 0.95,
      fillColor: RAWAN_COLOUR,
      fillOpacity: 0.12,
      dashArray: '6 5',
    };
  }
  const colour = BAND_COLOURS[cell.band];
  return {
    color: flagged ? RAWAN_COLOUR : colour,
    weight: flagged ? 2.5 : 2,
    opacity: 0.95,
    fillColor: colour,
    fillOpacity: 0.4,
    dashArray: flagged ? '6 5' : null,
  };
}
