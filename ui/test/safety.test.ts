import { describe, expect, it } from 'vitest';
import { KIND_COLOURS, pinStyle, STAGE_COLOURS } from '../src/logic/pins';
import { BAND_COLOURS, cellsFor, cellStyle, RAWAN_COLOUR, ratingShare, safetyCounts } from '../src/logic/safety';
import { SCORE_BANDS, safetyCell } from './backend';

const linear = (hex: string): number[] =>
  [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });

/** WCAG contrast ratio of two "#rrggbb" colours. */
function contrast(a: string, b: string): number {
  const lum = (h: string) => {
    const [r, g, bl] = linear(h) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** Machado et al. (2009) matrices, full severity, on linear RGB. */
const SIGHT: Record<string, number[][]> = {
  normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};

/** CIELAB (D65) of a colour as seen with `sight`. */
function seen(hex: string, sight: number[][]): [number, number, number] {
  const c = linear(hex);
  const mix = (row: number[]) => row[0]! * c[0]! + row[1]! * c[1]! + row[2]! * c[2]!;
  const [r, g, b] = sight.map((row) => Math.min(1, Math.max(0, mix(row)))) as [number, number, number];
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

describe('score bands', () => {
  it('have a colour each, for every band ronda-core names', () => {
    expect(Object.keys(BAND_COLOURS).sort()).toEqual(SCORE_BANDS.map((b) => b.band).sort());
  });

  it('stay apart for colour-blind eyes too, and show on the dark map', () => {
    const colours = SCORE_BANDS.map((b) => [b.band, BAND_COLOURS[b.band]] as const);
    for (const [name, sight] of Object.entries(SIGHT)) {
      for (let i = 0; i < colours.length; i++) {
        for (let j = i + 1; j < colours.length; j++) {
          const [a, b] = [seen(colours[i]![1], sight), seen(colours[j]![1], sight)];
          const deltaE = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
          expect(deltaE, `${name}: ${colours[i]![0]}/${colours[j]![0]}`).toBeGreaterThanOrEqual(30);
        }
      }
    }
    for (const [band, colour] of colours) expect(contrast(colour, '#1d2327'), band).toBeGreaterThanOrEqual(3);
  });

  it('draws a 0–3 rating as a share of the best', () => {
    expect(ratingShare(0)).toBe(0);
    expect(ratingShare(3)).toBe(100);
    expect(ratingShare(1.5)).toBe(50);
    expect(ratingShare(4)).toBe(100);
  });
});


describe('cells', () => {
  const day = safetyCell({ h3: 'a', dayPart: 'siang', audits: 4 });
  const night = safetyCell({ h3: 'a', dayPart: 'malam', audits: 7 });
  const flags = safetyCell({ h3: 'b', dayPart: 'malam', audits: null, score: null, band: null, parameters: [], rawan: 6 });

  it('are drawn one day part at a time', () => {
    expect(cellsFor([day, night, flags], 'malam')).toEqual([night, flags]);
    expect(cellsFor([day, night, flags], 'siang')).toEqual([day]);
  });

  it('count their audits, not the withheld ones', () => {
    expect(safetyCounts([night, flags])).toEqual({ cells: 2, audits: 7 });
    expect(safetyCounts([])).toEqual({ cells: 0, audits: 0 });
  });

  it('fill by band; flags alone are a dashed purple outline', () => {
    expect(cellStyle({ band: 'rawan', rawan: null })).toMatchObject({ fillColor: BAND_COLOURS.rawan, dashArray: null });
    const alone = cellStyle({ band: null, rawan: 6 });
    expect(alone).toMatchObject({ color: RAWAN_COLOUR, dashArray: '6 5' });
    expect(alone.fillOpacity).toBeLessThan(cellStyle({ band: 'rawan', rawan: null }).fillOpacity);
    // Both: the band's fill, the flags' edge.
    expect(cellStyle({ band: 'aman', rawan: 8 })).toMatchObject({
      fillColor: BAND_COLOURS.aman,
      color: RAWAN_COLOUR,
      dashArray: '6 5',
    });
  });
});

describe('audit pins', () => {
  it('fill by their score’s band, keep the audit’s blue edge', () => {
    const low = pinStyle('audit', 'baru', 'rawan');
    const high = pinStyle('audit', 'baru', 'aman');
    expect(low.fillColor).toBe(BAND_COLOURS.rawan);
    expect(high.fillColor).toBe(BAND_COLOURS.aman);
    expect(low.color).toBe(KIND_COLOURS.audit);
    expect(high.color).toBe(KIND_COLOURS.audit);
  });

  it('fill by stage without a score, and for every other kind', () => {
    expect(pinStyle('audit', 'baru', null).fillColor).toBe(STAGE_COLOURS.new);
    expect(pinStyle('laporan', 'selesai', null).fillColor).toBe(STAGE_COLOURS.done);
    expect(pinStyle('rawan', 'baru', 'rawan').fillColor).toBe(STAGE_COLOURS.new);
  });
});
