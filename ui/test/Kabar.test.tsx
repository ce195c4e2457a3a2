import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/app';
import type { FieldStop, Kabar, LifecycleStep } from '../src/ipc/bindings';
import { appState, baseHandlers, emptyKabar, lifecycle, mockBackend, SIGNED_IN, type Handler } from './backend';
import { maps } from './fakeMaps';
import { fakeGeolocation, removeGeolocation } from './geolocation';

const t0 = Date.UTC(2025, 0, 5, 1, 0);
const hour = 3600_000;

const step = (over: Partial<LifecycleStep>): LifecycleStep => ({
  role: 'lurah', byMe: false, at: t0, fromStatus: 'baru', toStatus: 'diverifikasi', action: 'verify', reason: null,
  original: null, agency: null, presence: 'on_site', distanceM: 20, note: null, hasPhoto: false, ...over,
});

const KABAR: Kabar = emptyKabar({
  // Oldest first on purpose: the screen shows the newest first.
  news: [
    { report: 'r-1', category: 'jalan-rusak', step: step({ at: t0 }), unread: false },
    {
      report: 'r-1', category: 'jalan-rusak', unread: true,
      step: step({ at: t0 + 2 * hour, fromStatus: 'diproses', toStatus: 'selesai', action: 'resolve', role: 'petugas_skpd', presence: 'on_site', distanceM: 30, hasPhoto: true }),
    },
  ],
  unread: 1,
  waiting: [
    { report: 'r-5', category: 'sampah-menumpuk', status: 'baru', area: null, lat: -6.2, lon: 106.8, actions: [{ role: 'lurah', action: 'verify' }], sla: { flag: 'on_time', step: 'verify', deadline: t0 + 72 * hour } },
    { report: 'r-4', category: 'jalan-rusak', status: 'baru', area: null, lat: -6.2, lon: 106.8, actions: [{ role: 'lurah', action: 'verify' }], sla: { flag: 'red', step: 'verify', deadline: t0 - hour } },
    { report: 'r-3', category: 'jalan-rusak', status: 'diverifikasi', area: null, lat: -6.2, lon: 106.8, actions: [{ role: 'lurah', action: 'dispose' }], sla: { flag: 'amber', step: 'hand_over', deadline: t0 + 5 * hour } },
  ],
  dueSoon: 1,
  overdue: 1,
});

const LURAH = { ...SIGNED_IN, role: 'lurah', area: '31.71.01.1001' };

function start(hash: string, handlers: Record<string, Handler>, account = SIGNED_IN) {
  window.location.hash = hash;
  const backend = mockBackend({ ...baseHandlers(appState({ account })), ...handlers });
  render(<App />);
  return backend;
}

describe('Kabar', () => {
  it('shows news newest first with unread dots, what waits overdue first, and marks the news read', async () => {
    let read = false;
    const backend = start('#/kabar', {
      kabar: () => (read ? { ...KABAR, unread: 0, news: KABAR.news.map((n) => ({ ...n, unread: false })) } : KABAR),
      mark_kabar_read: () => {
        read = true;
        return null;
      },
    });
    const news = await screen.findAllByTestId('news-item');
    expect(news.map((n) => n.dataset.unread)).toEqual(['true', 'false']);
    expect(within(news[0]!).getByTestId('unread-dot')).toBeTruthy();
    expect(news[0]!.textContent).toContain('Sekarang: Selesai');
    expect(news[0]!.textContent).toContain('oleh Petugas SKPD · di lokasi (30 m)');
    expect(news[0]!.textContent).toContain('5 Jan 2025, 10.00 WIB');
    expect(news[0]!.querySelector('a')?.getAttribute('href')).toBe('#/reports/r-1');

    const waiting = screen.getAllByTestId('waiting-item');
    expect(waiting.map((w) => w.dataset.flag)).toEqual(['red', 'amber', 'on_time']);
    expect(within(waiting[0]!).getByTestId('sla-chip').textContent).toContain('Terlambat');
    expect(within(waiting[1]!).getByTestId('sla-chip').textContent).toContain('Hampir jatuh tempo');
    expect(waiting[1]!.textContent).toContain('Teruskan ke dinas');
    expect(screen.getByTestId('waiting-counts').textContent).toContain('1 terlambat, 1 hampir jatuh tempo');

    await waitFor(() => expect(backend.callsTo('mark_kabar_read')).toHaveLength(1));
    // The tab's count follows: 1 overdue left once the news is read.
    await waitFor(() => expect(screen.getByTestId('kabar-badge').textContent).toBe('1'));
    expect(screen.getByTestId('tab-kabar').getAttribute('aria-current')).toBe('page');
    expect(screen.queryByTestId('field-mode-link')).toBeNull();
  });

  it('counts unread and overdue on the tab from any screen', async () => {
    start('#/reports', { kabar: () => KABAR });
    await waitFor(() => expect(screen.getByTestId('kabar-badge').textContent).toBe('2'));
    expect(screen.getByTestId('tab-kabar').textContent).toContain('Kabar');
  });

  it('has nothing to say without an account, and marks nothing', async () => {
    const backend = start('#/kabar', {}, { kind: 'local' });
    expect((await screen.findByTestId('kabar-local')).textContent).toContain('Masuk dengan akun');
    await screen.findByTestId('news-empty');
    expect(screen.getByTestId('waiting-empty')).toBeTruthy();
    expect(backend.callsTo('mark_kabar_read')).toHaveLength(0);
    expect(screen.queryByTestId('kabar-badge')).toBeNull();
  });

  it('leads a lurah to field mode', async () => {
    removeGeolocation();
    start('#/kabar', {}, LURAH);
    expect((await screen.findByTestId('field-mode-link')).getAttribute('href')).toBe('#/field');
    window.location.hash = '#/field';
    await screen.findByTestId('field-mode');
    expect(screen.getByTestId('field-gps').textContent).toContain('GPS tidak tersedia');
  });
});

const STOPS: FieldStop[] = [
  { id: 'r-9', category: 'sampah-menumpuk', status: 'baru', description: null, lat: -6.18, lon: 106.83, distanceM: 820, walkMinutes: 11, createdAt: t0 },
  { id: 'r-8', category: 'jalan-rusak', status: 'dibuka_kembali', description: 'Lubang di gang', lat: -6.1755, lon: 106.8273, distanceM: 65, walkMinutes: 1, createdAt: t0 },
];

describe('field mode', () => {
  async function open(handlers: Record<string, Handler> = {}) {
    const gps = fakeGeolocation();
    const backend = start('#/field', { field_queue: () => STOPS, act: () => lifecycle(), ...handlers }, LURAH);
    await screen.findByTestId('field-mode');
    await waitFor(() => expect(gps.watching).toBe(true));
    gps.fix(-6.1754, 106.8272, 12, Date.UTC(2025, 0, 6, 2, 0));
    const stops = await screen.findAllByTestId('field-stop');
    return { backend, gps, stops };
  }
  const POSITION = { lat: -6.1754, lon: 106.8272, accuracyM: 12, capturedAt: Date.UTC(2025, 0, 6, 2, 0) };

  it('lists the reports to verify from where the phone is, nearest first, with the walk', async () => {
    const { backend, stops } = await open();
    expect(backend.callsTo('field_queue')[0]!.args).toEqual({ lat: -6.1754, lon: 106.8272 });
    expect(stops.map((s) => s.dataset.reportId)).toEqual(['r-8', 'r-9']);
    expect(within(stops[0]!).getByTestId('field-walk').textContent).toBe('65 m · 1 menit jalan kaki');
    expect(within(stops[1]!).getByTestId('field-walk').textContent).toBe('820 m · 11 menit jalan kaki');
  });

  it('shows the walk on a map, numbered in list order, and a tapped pin brings its card into view', async () => {
    const scrolled: string[] = [];
    const original = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push((this as HTMLElement).dataset.reportId ?? '');
    };
    const { stops } = await open();
    const map = maps.field!;
    await waitFor(() => expect(map.stops.map((s) => s.id)).toEqual(['r-8', 'r-9']));
    expect(map.here).toEqual({ lat: -6.1754, lon: 106.8272, accuracyM: 12 });
    map.tap('r-9');
    Element.prototype.scrollIntoView = original;
    expect(scrolled).toEqual(['r-9']);
    // A stop done leaves the map too.
    fireEvent.click(within(stops[0]!).getByTestId('outcome-valid'));
    await waitFor(() => expect(map.stops.map((s) => s.id)).toEqual(['r-9']));
  });

  it('"Valid" verifies and "Tidak ditemukan" rejects, as lurah, with the position; done stops leave the list', async () => {
    const { backend, stops } = await open();
    fireEvent.click(within(stops[0]!).getByTestId('outcome-valid'));
    await waitFor(() => expect(screen.getAllByTestId('field-stop')).toHaveLength(1));
    expect(backend.callsTo('act')[0]!.args).toEqual({
      report: 'r-8', role: 'lurah', action: 'verify', reason: null, agency: null, original: null, note: null, position: POSITION, photo: null,
    });
    expect(screen.getByTestId('field-done').textContent).toContain('Tersimpan di HP (1)');
    fireEvent.click(within(screen.getByTestId('field-stop')).getByTestId('outcome-not-found'));
    await waitFor(() => expect(screen.queryByTestId('field-stop')).toBeNull());
    expect(backend.callsTo('act')[1]!.args).toMatchObject({ report: 'r-9', action: 'reject', reason: 'tidak_ditemukan', position: POSITION });
    expect(screen.getByTestId('field-empty')).toBeTruthy();
  });

  it('"Bukan wewenang" re-routes to the chosen agency with a note', async () => {
    const { backend, stops } = await open();
    fireEvent.click(within(stops[0]!).getByTestId('outcome-not-ours'));
    const panel = screen.getByTestId('field-panel');
    fireEvent.change(within(panel).getByTestId('agency-select'), { target: { value: 'bina_marga' } });
    fireEvent.click(within(panel).getByTestId('field-send'));
    expect(screen.getByTestId('step-problem').textContent).toBe('Tulis alasannya.');
    fireEvent.input(within(panel).getByTestId('step-note'), { target: { value: 'Jalan provinsi' } });
    fireEvent.click(within(panel).getByTestId('field-send'));
    await waitFor(() => expect(backend.callsTo('act')).toHaveLength(1));
    expect(backend.callsTo('act')[0]!.args).toMatchObject({ report: 'r-8', action: 'reroute', agency: 'bina_marga', note: 'Jalan provinsi' });
  });

  it('"Duplikat" picks the original among open reports nearby, and a refusal stays on the stop', async () => {
    const { backend, stops } = await open({
      nearby_open: () => [
        { id: 'r-8', category: 'jalan-rusak', status: 'baru', description: null, distanceM: 0, createdAt: t0 },
        { id: 'r-2', category: 'jalan-rusak', status: 'diverifikasi', description: null, distanceM: 25, createdAt: t0 },
      ],
      act: () => {
        throw { code: 'DUPLICATE_ORIGINAL_CLOSED', message: 'laporan asli sudah ditutup', count: null };
      },
    });
    fireEvent.click(within(stops[0]!).getByTestId('outcome-duplicate'));
    const options = await screen.findAllByTestId('original-option');
    expect(options).toHaveLength(1);
    expect(backend.callsTo('nearby_open')[0]!.args).toMatchObject({ lat: -6.1755, lon: 106.8273, category: 'jalan-rusak' });
    fireEvent.click(options[0]!);
    fireEvent.click(screen.getByTestId('field-send'));
    const error = await screen.findByTestId('field-stop-error');
    expect(error.textContent).toContain('laporan asli sudah ditutup');
    expect(backend.callsTo('act')[0]!.args).toMatchObject({ action: 'mark_duplicate', original: 'r-2' });
    expect(screen.getAllByTestId('field-stop')).toHaveLength(2);
  });

  it('says why when the account has no area of its own', async () => {
    const gps = fakeGeolocation();
    start('#/field', {
      field_queue: () => {
        throw { code: 'FIELD_AREA_REQUIRED', message: 'akun ini tidak punya satu wilayah sendiri untuk mode lapangan', count: null };
      },
    }, LURAH);
    await screen.findByTestId('field-mode');
    await waitFor(() => expect(gps.watching).toBe(true));
    gps.fix(-6.1754, 106.8272, 12);
    expect((await screen.findByTestId('field-error')).textContent).toContain('tidak punya satu wilayah');
  });
});
