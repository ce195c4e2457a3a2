import { act, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/app';
import type { SafetyCell, SafetyMap } from '../src/ipc/bindings';
import {
  appState,
  AUDIT_CODES,
  baseHandlers,
  deferred,
  mockBackend,
  safetyCell,
  safetyLayer,
  type Handler,
} from './backend';
import { maps } from './fakeMaps';

/** 20:00 in Jakarta (13:00 UTC): night. */
const NIGHT = Date.UTC(2025, 2, 12, 13, 0);
/** 10:00 in Jakarta (03:00 UTC): day. */
const DAY = Date.UTC(2025, 2, 12, 3, 0);
const FETCHED = Date.UTC(2025, 2, 12, 1, 0);

const CELLS: SafetyCell[] = [
  safetyCell({ h3: 'night-a', dayPart: 'malam', audits: 5, score: 72, rawan: 8 }),
  safetyCell({ h3: 'night-b', dayPart: 'malam', audits: 22, score: 31 }),
  safetyCell({
    h3: 'night-flags',
    dayPart: 'malam',
    audits: null,
    score: null,
    parameters: [],
    newest: null,
    oldest: null,
    rawan: 6,
  }),
  safetyCell({ h3: 'night-a', dayPart: 'siang', audits: 4, score: 88 }),
];

/** The app at the map, with the clock at `now` (only the clock: timers stay real). */
function start(now: number, handlers: Record<string, Handler> = {}, lang: 'id' | 'en' = 'id') {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
  const backend = mockBackend({
    ...baseHandlers(appState({ lang })),
    safety_map: () => safetyLayer({ cells: CELLS, fetchedAt: FETCHED }),
    ...handlers,
  });
  render(<App />);
  return backend;
}

async function switchOn() {
  const toggle = await screen.findByTestId('safety-toggle');
  await waitFor(() => expect(maps.home).not.toBeNull());
  act(() => toggle.click());
  return toggle;
}

const drawn = () => maps.home!.safety?.map((c) => `${c.h3}/${c.dayPart}`) ?? null;
const homeMap = () => screen.getByTestId('home-map');

describe('safety map', () => {
  it('is off at first, and when switched on draws the cells of the day part it is now', async () => {
    const backend = start(NIGHT);
    const toggle = await switchOn();
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(toggle.textContent).toContain('Peta rasa aman');
    await waitFor(() => expect(drawn()).toEqual(['night-a/malam', 'night-b/malam', 'night-flags/malam']));
    expect(backend.callsTo('safety_map')).toHaveLength(1);
    expect(homeMap().dataset.safetyCells).toBe('3');
    expect(screen.getByTestId('safety-day-malam').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('safety-day-siang').getAttribute('aria-pressed')).toBe('false');
    // Withheld audit counts (the flags-only cell) are not counted.
    expect(screen.getByTestId('safety-counts').textContent).toBe('3 sel · 27 audit, malam');
    const legend = screen.getByTestId('safety-legend');
    expect(legend.textContent).toContain('0–39');
    expect(legend.textContent).toContain('Rawan');
    expect(legend.textContent).toContain('80–100');
    expect(legend.textContent).toContain('Aman');
    expect(legend.textContent).toContain('tanda lokasi rawan');
    expect(screen.getByTestId('safety-fetched').textContent).toBe('Data per 12 Mar 2025, 08.00 WIB');
    expect(screen.queryByTestId('safety-empty')).toBeNull();
  });

  it('removes the cells when switched off and fetches them again when switched on', async () => {
    let cells = CELLS.slice(0, 1);
    const backend = start(NIGHT, { safety_map: () => safetyLayer({ cells, fetchedAt: FETCHED }) });
    const toggle = await switchOn();
    await waitFor(() => expect(drawn()).toEqual(['night-a/malam']));
    act(() => toggle.click());
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(maps.home!.safety).toBeNull();
    expect(homeMap().dataset.safetyCells).toBeUndefined();
    expect(screen.queryByTestId('safety-legend')).toBeNull();
    expect(screen.queryByTestId('safety-day-siang')).toBeNull();
    cells = CELLS.slice(0, 2);
    act(() => toggle.click());
    await waitFor(() => expect(drawn()).toEqual(['night-a/malam', 'night-b/malam']));
    expect(backend.callsTo('safety_map')).toHaveLength(2);
    expect(homeMap().dataset.safetyCells).toBe('2');
  });

  it('ignores an answer that arrives after the map was switched off', async () => {
    const slow = deferred<SafetyMap>();
    start(NIGHT, { safety_map: () => slow.promise });
    const toggle = await switchOn();
    expect(screen.getByTestId('safety-sheet').textContent).toContain('Memuat…');
    act(() => toggle.click());
    await act(async () => {
      slow.resolve(safetyLayer({ cells: CELLS, fetchedAt: FETCHED }));
      await slow.promise;
    });
    expect(maps.home!.safety).toBeNull();
    expect(homeMap().dataset.safetyCells).toBeUndefined();
  });

  it('switches between day and night: other cells, other counts', async () => {
    start(DAY);
    await switchOn();
    await waitFor(() => expect(drawn()).toEqual(['night-a/siang']));
    expect(screen.getByTestId('safety-day-siang').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('safety-counts').textContent).toBe('1 sel · 4 audit, siang');
    act(() => screen.getByTestId('safety-day-malam').click());
    expect(drawn()).toEqual(['night-a/malam', 'night-b/malam', 'night-flags/malam']);
    expect(homeMap().dataset.safetyCells).toBe('3');
    expect(screen.getByTestId('safety-day-malam').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('safety-day-siang').getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByTestId('safety-counts').textContent).toBe('3 sel · 27 audit, malam');
    act(() => screen.getByTestId('safety-day-siang').click());
    expect(drawn()).toEqual(['night-a/siang']);
  });

  it('counts in English', async () => {
    start(DAY, {}, 'en');
    await switchOn();
    await waitFor(() => expect(drawn()).toEqual(['night-a/siang']));
    expect(screen.getByTestId('safety-counts').textContent).toBe('1 cell · 4 audits by day');
    expect(screen.getByTestId('safety-toggle').textContent).toContain('Safety map');
    act(() => screen.getByTestId('safety-day-malam').click());
    expect(screen.getByTestId('safety-counts').textContent).toBe('3 cells · 27 audits at night');
  });

  it('says plainly when a day part has no cells yet', async () => {
    start(DAY, { safety_map: () => safetyLayer({ cells: CELLS.slice(0, 3), fetchedAt: FETCHED }) });
    await switchOn();
    const empty = await screen.findByTestId('safety-empty');
    expect(empty.textContent).toBe('Belum cukup audit di sini: satu sel perlu minimal 3 audit.');
    await waitFor(() => expect(drawn()).toEqual([]));
    expect(homeMap().dataset.safetyCells).toBe('0');
    expect(screen.getByTestId('safety-counts').textContent).toBe('0 sel · 0 audit, siang');
    expect(screen.getByTestId('safety-legend')).toBeTruthy();
    act(() => screen.getByTestId('safety-day-malam').click());
    expect(screen.queryByTestId('safety-empty')).toBeNull();
  });

  it('says the layer comes with the next sync when it was never fetched', async () => {
    start(NIGHT, { safety_map: () => safetyLayer() });
    await switchOn();
    const never = await screen.findByTestId('safety-never-fetched');
    expect(never.textContent).toContain('sinkron berikutnya');
    expect(screen.queryByTestId('safety-empty')).toBeNull();
    expect(screen.queryByTestId('safety-fetched')).toBeNull();
    await waitFor(() => expect(drawn()).toEqual([]));
  });

  it('shows the command’s error', async () => {
    start(NIGHT, {
      safety_map: () => {
        throw { code: 'STORE_DISK_FULL', message: 'disk penuh', count: null };
      },
    });
    await switchOn();
    const error = await screen.findByTestId('safety-error');
    expect(error.dataset.errorCode).toBe('STORE_DISK_FULL');
    expect(error.textContent).toContain('penuh');
    expect(maps.home!.safety).toBeNull();
  });

  it('opens a tapped cell: score, band, audits, dates, flags and the nine ratings', async () => {
    start(NIGHT);
    await switchOn();
    await waitFor(() => expect(drawn()).toHaveLength(3));
    act(() => maps.home!.tapCell('night-a'));
    const panel = screen.getByTestId('safety-cell');
    expect(panel.dataset.h3).toBe('night-a');
    const score = within(panel).getByTestId('safety-cell-score');
    expect(score.textContent).toContain('Skor 72/100');
    expect(score.textContent).toContain('Cukup aman');
    expect(score.dataset.band).toBe('cukup');
    expect(within(panel).getByTestId('safety-cell-audits').textContent).toBe('Dari 5 audit');
    expect(within(panel).getByTestId('safety-cell-dates').textContent).toContain('antara 3 Jan 2025 dan 10 Mar 2025');
    expect(within(panel).getByTestId('safety-cell-rawan').textContent).toContain('8 tanda lokasi rawan');
    const params = within(panel).getAllByTestId('safety-parameter');
    expect(params.map((p) => p.dataset.code)).toEqual(AUDIT_CODES);
    expect(params[0]!.textContent).toContain('Penerangan');
    expect(params[0]!.textContent).toContain('0,5/3');
    expect(params[5]!.textContent).toContain('Jalur pejalan kaki');
    // Rasa aman, apart: the outcome, not in the score.
    const outcome = params[8]!;
    expect(outcome.closest('ul')).not.toBe(params[7]!.closest('ul'));
    expect(outcome.textContent).toContain('Rasa aman (hasil, tidak masuk skor)');
    // The legend makes room for the cell; closing brings it back.
    expect(screen.queryByTestId('safety-legend')).toBeNull();
    act(() => within(panel).getByTestId('safety-cell-close').click());
    expect(screen.queryByTestId('safety-cell')).toBeNull();
    expect(screen.getByTestId('safety-legend')).toBeTruthy();
  });

  it('takes each band and the legend’s ranges from ronda-core, never from the score itself', async () => {
    // Bands as a future ronda-core might draw them: the app must follow, not its own thresholds.
    start(NIGHT, {
      score_bands: () => [
        { band: 'rawan', min: 0, max: 49 },
        { band: 'kurang', min: 50, max: 69 },
        { band: 'cukup', min: 70, max: 84 },
        { band: 'aman', min: 85, max: 100 },
      ],
      safety_map: () =>
        safetyLayer({ cells: [safetyCell({ h3: 'x', dayPart: 'malam', score: 72, band: 'kurang' })], fetchedAt: FETCHED }),
    });
    await switchOn();
    await waitFor(() => expect(drawn()).toEqual(['x/malam']));
    const legend = screen.getByTestId('safety-legend');
    expect(legend.textContent).toContain('0–49');
    expect(legend.textContent).toContain('85–100');
    expect(legend.textContent).not.toContain('0–39');
    act(() => maps.home!.tapCell('x'));
    const score = screen.getByTestId('safety-cell-score');
    expect(score.textContent).toContain('Skor 72/100');
    expect(score.textContent).toContain('Kurang aman');
    expect(score.dataset.band).toBe('kurang');
  });

  it('keeps a cell open across day and night when it has both', async () => {
    start(NIGHT);
    await switchOn();
    await waitFor(() => expect(drawn()).toHaveLength(3));
    act(() => maps.home!.tapCell('night-a'));
    act(() => screen.getByTestId('safety-day-siang').click());
    expect(screen.getByTestId('safety-cell-score').textContent).toContain('Skor 88/100');
    expect(screen.getByTestId('safety-cell-audits').textContent).toBe('Dari 4 audit');
    act(() => screen.getByTestId('safety-day-malam').click());
    act(() => maps.home!.tapCell('night-b'));
    act(() => screen.getByTestId('safety-day-siang').click());
    expect(screen.queryByTestId('safety-cell')).toBeNull();
  });

  it('shows a cell with flags and too few audits without a score', async () => {
    start(NIGHT);
    await switchOn();
    await waitFor(() => expect(drawn()).toHaveLength(3));
    act(() => maps.home!.tapCell('night-flags'));
    const panel = screen.getByTestId('safety-cell');
    expect(within(panel).getByTestId('safety-cell-no-score').textContent).toContain('minimal 3 audit');
    expect(within(panel).queryByTestId('safety-cell-audits')).toBeNull();
    expect(within(panel).getByTestId('safety-cell-rawan').textContent).toBe('6 tanda lokasi rawan dari warga');
    expect(within(panel).queryAllByTestId('safety-parameter')).toHaveLength(0);
  });

  it('names the ratings in English', async () => {
    start(NIGHT, {}, 'en');
    await switchOn();
    await waitFor(() => expect(drawn()).toHaveLength(3));
    act(() => maps.home!.tapCell('night-b'));
    const panel = screen.getByTestId('safety-cell');
    expect(within(panel).getByTestId('safety-cell-score').textContent).toContain('Score 31/100');
    expect(within(panel).getByTestId('safety-cell-score').textContent).toContain('Unsafe');
    expect(within(panel).getByTestId('safety-cell-audits').textContent).toBe('From 22 audits');
    await waitFor(() => expect(within(panel).getAllByTestId('safety-parameter')[0]!.textContent).toContain('Lighting'));
    const params = within(panel).getAllByTestId('safety-parameter');
    expect(params[0]!.textContent).toContain('0.5/3');
    expect(params[8]!.textContent).toContain('How safe you feel (the outcome, not in the score)');
  });

  it('keeps the other overlays: Lapor, the legend and the pins', async () => {
    start(NIGHT);
    await switchOn();
    await waitFor(() => expect(drawn()).toHaveLength(3));
    expect(screen.getByTestId('lapor').getAttribute('href')).toBe('#/new');
    act(() => screen.getByTestId('legend-toggle').click());
    expect(screen.getByTestId('legend').textContent).toContain('Skor audit');
    maps.home!.options.onPinClick('r-9');
    expect(window.location.hash).toBe('#/reports/r-9');
  });
});
