import { act, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/app';
import type { GeoJsonFeature, ReportPin } from '../src/ipc/bindings';
import { PIN_LIMIT, RELOAD_DELAY_MS } from '../src/screens/MapHome';
import { appState, baseHandlers, deferred, mockBackend } from './backend';
import { maps } from './fakeMaps';

const pin = (id: string): ReportPin => ({ id, lat: -6.2, lon: 106.8, kind: 'laporan', status: 'baru', category: 'jalan-rusak', score: null, band: null });

/** The map is made in an effect, just after the screen appears. */
async function homeMap() {
  await screen.findByTestId('map-home');
  await waitFor(() => expect(maps.home).not.toBeNull());
  return maps.home!;
}

const OUTLINE: GeoJsonFeature = {
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates: [[[106.8, -6.2], [106.81, -6.2], [106.81, -6.19], [106.8, -6.2]]] },
  properties: { kode: '31.71.01.1001' },
};

describe('map home', () => {
  it('loads the pins in view, at most 5,000, and the kelurahan outline', async () => {
    const backend = mockBackend({
      ...baseHandlers(),
      reports_in_view: () => [pin('a'), pin('b')],
      kelurahan_outline: () => OUTLINE,
    });
    render(<App />);
    await screen.findByTestId('map-home');
    await waitFor(() => expect(maps.home?.pins.map((p) => p.id)).toEqual(['a', 'b']));
    expect(PIN_LIMIT).toBe(5000);
    expect(backend.callsTo('reports_in_view')[0]?.args).toEqual({ ...maps.home!.box, limit: 5000 });
    await waitFor(() => expect(maps.home?.outline).toEqual(OUTLINE));
    expect(screen.queryByTestId('map-truncated')).toBeNull();
    // How many pins are drawn, for whoever drives the app from outside.
    expect(screen.getByTestId('home-map').dataset.pins).toBe('2');
    expect(screen.getByTestId('home-map').dataset.outline).toBe('on');
  });

  it('reloads once after the map stops moving', async () => {
    const backend = mockBackend(baseHandlers());
    render(<App />);
    await screen.findByTestId('map-home');
    await waitFor(() => expect(backend.callsTo('reports_in_view')).toHaveLength(1));
    vi.useFakeTimers();
    const box = { south: -6.25, west: 106.75, north: -6.15, east: 106.85 };
    act(() => {
      maps.home!.move({ ...box, south: -6.26 });
      maps.home!.move({ ...box, south: -6.27 });
      maps.home!.move(box);
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(RELOAD_DELAY_MS - 1);
    });
    expect(backend.callsTo('reports_in_view')).toHaveLength(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1);
    });
    expect(backend.callsTo('reports_in_view')).toHaveLength(2);
    expect(backend.callsTo('reports_in_view')[1]?.args).toEqual({ ...box, limit: PIN_LIMIT });
  });

  it('ignores an older answer that arrives after a newer one', async () => {
    const slow = deferred<ReportPin[]>();
    let n = 0;
    mockBackend({
      ...baseHandlers(),
      reports_in_view: () => (++n === 1 ? slow.promise : [pin('new')]),
    });
    render(<App />);
    await homeMap();
    vi.useFakeTimers();
    act(() => maps.home!.move({ south: -6.3, west: 106.6, north: -6.0, east: 106.9 }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(RELOAD_DELAY_MS);
    });
    expect(maps.home!.pins.map((p) => p.id)).toEqual(['new']);
    await act(async () => {
      slow.resolve([pin('old')]);
      await vi.advanceTimersByTimeAsync(50); // lets every pending promise settle
    });
    expect(maps.home!.pins.map((p) => p.id)).toEqual(['new']);
  });

  it('asks to zoom in when the limit was reached', async () => {
    mockBackend({
      ...baseHandlers(),
      reports_in_view: ({ limit }: { limit: number }) => Array.from({ length: limit }, (_, i) => pin(`p${i}`)),
    });
    render(<App />);
    expect(await screen.findByTestId('map-truncated')).toBeTruthy();
  });

  it('has the Lapor button at hand and opens a pin’s report', async () => {
    mockBackend(baseHandlers());
    render(<App />);
    const map = await homeMap();
    const lapor = screen.getByTestId('lapor');
    expect(lapor.getAttribute('href')).toBe('#/new');
    expect(lapor.textContent).toContain('Lapor');
    map.options.onPinClick('r-42');
    expect(window.location.hash).toBe('#/reports/r-42');
  });

  it('shows the legend on request', async () => {
    mockBackend(baseHandlers());
    render(<App />);
    const toggle = await screen.findByTestId('legend-toggle');
    expect(screen.queryByTestId('legend')).toBeNull();
    act(() => toggle.click());
    const legend = screen.getByTestId('legend');
    expect(legend.textContent).toContain('Sedang ditangani');
    expect(legend.textContent).toContain('Lokasi rawan');
  });

  it('destroys the map when the screen is left', async () => {
    mockBackend({ ...baseHandlers(appState()), my_reports: () => [] });
    render(<App />);
    const map = await homeMap();
    act(() => {
      window.location.hash = '#/reports';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await screen.findByTestId('my-reports');
    expect(map.destroyed).toBe(true);
  });
});
