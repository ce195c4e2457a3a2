import { act, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/app';
import type { NearbyReport, ReportDraft } from '../src/ipc/bindings';
import { appState, baseHandlers, type Handler, mockBackend } from './backend';
import { maps } from './fakeMaps';
import { fakeGeolocation, removeGeolocation } from './geolocation';

const HERE = { lat: -6.175392, lon: 106.827153 };

afterEach(() => {
  removeGeolocation();
});

async function openFlow(handlers: Record<string, Handler> = {}, state = appState()) {
  window.location.hash = '#/new';
  const backend = mockBackend({ ...baseHandlers(state), ...handlers });
  render(<App />);
  await screen.findByTestId('report-flow');
  return backend;
}

const step = () => screen.getByTestId('step-indicator').dataset.step;

function photo(name: string, bytes: number[]) {
  return new File([new Uint8Array(bytes)], name, { type: 'image/jpeg' });
}

function choosePhotos(files: File[], testid = 'photo-input') {
  const input = screen.getByTestId(testid) as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  fireEvent.change(input);
}

/** Category, then an accurate GPS fix: lands on step 3. */
async function toProof(gps: ReturnType<typeof fakeGeolocation>, category = 'jalan-rusak') {
  fireEvent.click(screen.getByTestId(`category-${category}`));
  expect(step()).toBe('2');
  gps.fix(HERE.lat, HERE.lon, 12);
  fireEvent.click(screen.getByTestId('use-gps'));
  await waitFor(() => expect(step()).toBe('3'));
}

describe('report flow: what', () => {
  it('groups the categories by kind', async () => {
    fakeGeolocation();
    await openFlow();
    expect(step()).toBe('1');
    expect(screen.getByTestId('category-jalan-rusak')).toBeTruthy();
    expect(screen.getByTestId('category-sampah-menumpuk')).toBeTruthy();
    expect(screen.queryByTestId('category-rawan-kejahatan')).toBeNull();

    fireEvent.click(screen.getByTestId('kind-rawan').querySelector('input')!);
    expect(screen.getByTestId('category-rawan-kejahatan')).toBeTruthy();
    expect(screen.getByTestId('category-jalan-rusak')).toBeTruthy();
    expect(screen.queryByTestId('category-sampah-menumpuk')).toBeNull();

    fireEvent.click(screen.getByTestId('kind-audit').querySelector('input')!);
    expect(screen.getByTestId('category-audit-keamanan').textContent).toContain('Audit keamanan lingkungan');
  });

  it('sends people to 112 and 113 for a fire, and still lets them report', async () => {
    fakeGeolocation();
    await openFlow();
    fireEvent.click(screen.getByTestId('category-kebakaran'));
    const notice = screen.getByTestId('emergency-notice');
    expect(notice.textContent).toContain('Darurat? Telepon dulu!');
    expect(screen.getByTestId('call-112').getAttribute('href')).toBe('tel:112');
    expect(screen.getByTestId('call-113').getAttribute('href')).toBe('tel:113');
    expect(step()).toBe('1');
    fireEvent.click(screen.getByTestId('emergency-continue'));
    expect(step()).toBe('2');
  });

  it('goes straight on for a category that is no emergency', async () => {
    fakeGeolocation();
    await openFlow();
    fireEvent.click(screen.getByTestId('category-sampah-menumpuk'));
    expect(screen.queryByTestId('emergency-notice')).toBeNull();
    expect(step()).toBe('2');
  });
});

describe('report flow: where', () => {
  it('shows the accuracy and accepts a fix only at 50 m or better', async () => {
    const gps = fakeGeolocation();
    await openFlow();
    fireEvent.click(screen.getByTestId('category-jalan-rusak'));
    expect(screen.getByTestId('gps-status').dataset.gps).toBe('searching');

    gps.fix(HERE.lat, HERE.lon, 120);
    expect(screen.getByTestId('gps-accuracy').textContent).toBe('Ketepatan GPS: ±120 m');
    expect(screen.getByTestId('gps-status').dataset.gate).toBe('inaccurate');
    expect(screen.queryByTestId('use-gps')).toBeNull();
    expect(screen.getByTestId('map-pick')).toBeTruthy();

    gps.fix(HERE.lat, HERE.lon, 50.4);
    expect(screen.queryByTestId('use-gps')).toBeNull();

    gps.fix(HERE.lat, HERE.lon, 50);
    expect(screen.getByTestId('gps-status').dataset.gate).toBe('accept');
    fireEvent.click(screen.getByTestId('use-gps'));
    await waitFor(() => expect(step()).toBe('3'));
  });

  it('never accepts a (0, 0) fix', async () => {
    const gps = fakeGeolocation();
    await openFlow();
    fireEvent.click(screen.getByTestId('category-jalan-rusak'));
    gps.fix(0, 0, 3);
    expect(screen.getByTestId('gps-status').dataset.gate).toBe('invalid');
    expect(screen.queryByTestId('use-gps')).toBeNull();
    expect(screen.getByTestId('gps-status').textContent).toContain('GPS belum mendapat posisi');
  });

  it('falls back to the map when GPS is denied, and refuses (0, 0) there too', async () => {
    const gps = fakeGeolocation();
    const backend = await openFlow({ create_report: () => ({ id: 'r-1' }) });
    fireEvent.click(screen.getByTestId('category-jalan-rusak'));
    gps.fail(1);
    expect(screen.getByTestId('gps-status').textContent).toContain('Izin lokasi tidak diberikan');
    expect(screen.getByTestId('map-pick-map')).toBeTruthy();
    await waitFor(() => expect(maps.pick).not.toBeNull());

    maps.pick!.point = { lat: 0, lon: 0 };
    fireEvent.click(screen.getByTestId('map-pick-confirm'));
    expect(screen.getByTestId('map-pick-error').dataset.errorCode).toBe('LOCATION_NULL_ISLAND');
    expect(step()).toBe('2');

    maps.pick!.point = { lat: -6.2001, lon: 106.8166 };
    fireEvent.click(screen.getByTestId('map-pick-confirm'));
    await waitFor(() => expect(step()).toBe('3'));
    fireEvent.click(screen.getByTestId('save'));
    await screen.findByTestId('saved-confirmation');
    const draft = (backend.callsTo('create_report')[0]?.args as { draft: ReportDraft }).draft;
    expect(draft).toMatchObject({ lat: -6.2001, lon: 106.8166, source: 'map_pick', accuracyM: null });
  });

  it('opens the map from the button on a phone, with the uncertain fix to start from', async () => {
    const gps = fakeGeolocation();
    await openFlow();
    fireEvent.click(screen.getByTestId('category-jalan-rusak'));
    gps.fix(HERE.lat, HERE.lon, 300);
    expect(screen.queryByTestId('map-pick-map')).toBeNull();
    fireEvent.click(screen.getByTestId('map-pick'));
    await waitFor(() => expect(maps.pick).not.toBeNull());
    expect(maps.pick!.start).toEqual({ lat: HERE.lat, lon: HERE.lon });
    await waitFor(() => expect(maps.pick!.fix).toEqual({ ...HERE, accuracyM: 300 }));
  });

  it('picks on the map as the normal path on a desktop', async () => {
    removeGeolocation();
    window.matchMedia = ((q: string) => ({ matches: false, media: q })) as unknown as typeof window.matchMedia;
    try {
      await openFlow();
      fireEvent.click(screen.getByTestId('category-jalan-rusak'));
      expect(screen.getByTestId('map-pick-map')).toBeTruthy();
      expect(screen.queryByTestId('map-pick')).toBeNull();
      expect(screen.getByTestId('gps-status').dataset.gps).toBe('unavailable');
    } finally {
      delete (window as { matchMedia?: unknown }).matchMedia;
    }
  });
});

describe('report flow: proof and save', () => {
  const NEARBY: NearbyReport[] = [
    { id: 'n-1', category: 'jalan-rusak', status: 'diverifikasi', description: 'Lubang dekat pos ronda', distanceM: 35, createdAt: Date.UTC(2025, 0, 5, 1, 0) },
    { id: 'n-2', category: 'jalan-rusak', status: 'baru', description: null, distanceM: 120.4, createdAt: Date.UTC(2025, 0, 4, 1, 0) },
  ];

  it('shows open reports of the same category nearby, and lets the user go on', async () => {
    const gps = fakeGeolocation();
    const backend = await openFlow({ nearby_open: () => NEARBY });
    await toProof(gps);
    const items = await screen.findAllByTestId('nearby-item');
    expect(backend.callsTo('nearby_open')[0]?.args).toEqual({ ...HERE, category: 'jalan-rusak', radiusM: 150 });
    expect(screen.getByTestId('nearby').textContent).toContain('Sudah dilaporkan? Dukung saja');
    expect(items.map((i) => i.querySelector('[data-testid=nearby-distance]')?.textContent)).toEqual([
      '35 m dari sini',
      '120 m dari sini',
    ]);
    expect(items[0]!.textContent).toContain('Diverifikasi');
    expect(items[0]!.textContent).toContain('Lubang dekat pos ronda');
    expect((screen.getByTestId('save') as HTMLButtonElement).disabled).toBe(false);
  });

  it('supports a nearby report instead, and says why when it cannot', async () => {
    const gps = fakeGeolocation();
    const backend = await openFlow({
      nearby_open: () => NEARBY,
      support: (args) => {
        if ((args as { report: string }).report === 'n-2') {
          throw { code: 'SUPPORT_OWN_REPORT', message: 'pelapor tidak bisa mendukung laporannya sendiri', count: null };
        }
        return null;
      },
    });
    await toProof(gps);
    const buttons = await screen.findAllByTestId('nearby-support');
    fireEvent.click(buttons[0]!);
    await screen.findByTestId('nearby-supported');
    expect(backend.callsTo('support')[0]?.args).toEqual({ report: 'n-1' });
    fireEvent.click(screen.getAllByTestId('nearby-support')[0]!);
    expect((await screen.findByTestId('nearby-support-error')).textContent).toContain('pelapor tidak bisa');
    expect((screen.getByTestId('save') as HTMLButtonElement).disabled).toBe(false);
  });

  it('saves the report, then each photo, and confirms it is on the phone', async () => {
    const gps = fakeGeolocation();
    const backend = await openFlow({
      create_report: () => ({ id: 'r-9' }),
      attach_photo: () => null,
    });
    await toProof(gps);

    choosePhotos([photo('satu.jpg', [1, 2, 3]), photo('dua.jpg', [4, 5])]);
    expect(screen.getAllByTestId('photo-thumb')).toHaveLength(2);
    fireEvent.click(screen.getByTestId('photo-remove-0'));
    expect(screen.getAllByTestId('photo-thumb')).toHaveLength(1);
    choosePhotos([photo('tiga.jpg', [6])], 'photo-gallery-input');
    expect(screen.getByTestId('photo-count').textContent).toBe('2 dari 8 foto');

    fireEvent.input(screen.getByTestId('description'), { target: { value: '  Lubang besar di depan pos ronda  ' } });
    expect(screen.getByTestId('description-count').textContent).toBe('31/4.000 huruf');

    fireEvent.click(screen.getByTestId('save'));
    const done = await screen.findByTestId('saved-confirmation');
    expect(done.textContent).toContain('Laporan tersimpan di HP ini');

    const order = backend.calls.map((c) => c.cmd).filter((c) => c === 'create_report' || c === 'attach_photo');
    expect(order).toEqual(['create_report', 'attach_photo', 'attach_photo']);
    expect(backend.callsTo('create_report')[0]?.args).toEqual({
      draft: {
        kind: 'laporan',
        category: 'jalan-rusak',
        lat: HERE.lat,
        lon: HERE.lon,
        accuracyM: 12,
        source: 'gps',
        capturedAt: Date.UTC(2025, 0, 6, 2, 0),
        description: 'Lubang besar di depan pos ronda',
        ratings: null,
      },
    });
    const photos = backend.callsTo('attach_photo');
    expect(photos.map((c) => c.options?.headers)).toEqual([
      { 'x-report-id': 'r-9', 'x-file-name': 'dua.jpg' },
      { 'x-report-id': 'r-9', 'x-file-name': 'tiga.jpg' },
    ]);
    expect(photos.map((c) => Array.from(c.args as Uint8Array))).toEqual([[4, 5], [6]]);
  });

  it('records the kind chosen for a category that fits several', async () => {
    const gps = fakeGeolocation();
    const backend = await openFlow({ create_report: () => ({ id: 'r-2' }) });
    fireEvent.click(screen.getByTestId('kind-rawan').querySelector('input')!);
    await toProof(gps, 'jalan-rusak');
    fireEvent.click(screen.getByTestId('save'));
    await screen.findByTestId('saved-confirmation');
    const { draft } = backend.callsTo('create_report')[0]?.args as { draft: ReportDraft };
    expect(draft.kind).toBe('rawan');
    expect(draft.description).toBeNull();
  });

  it('keeps the report when a photo is refused, and says which one', async () => {
    const gps = fakeGeolocation();
    await openFlow({
      create_report: () => ({ id: 'r-3' }),
      attach_photo: () => {
        throw { code: 'PHOTO_NOT_AN_IMAGE', message: 'bukan gambar', count: null };
      },
    });
    await toProof(gps);
    choosePhotos([photo('catatan.txt', [1])]);
    fireEvent.click(screen.getByTestId('save'));
    await screen.findByTestId('saved-confirmation');
    expect(screen.getByTestId('photo-failed').textContent).toBe(
      'Foto "catatan.txt" tidak tersimpan: File ini bukan foto.',
    );
  });

  it('shows the error and stays on the step when saving fails', async () => {
    const gps = fakeGeolocation();
    await openFlow({
      create_report: () => {
        throw { code: 'STORE_DISK_FULL', message: 'disk full', count: null };
      },
    });
    await toProof(gps);
    fireEvent.click(screen.getByTestId('save'));
    expect((await screen.findByTestId('save-error')).textContent).toContain('Memori HP penuh');
    expect(step()).toBe('3');
  });

  it('takes at most 8 photos', async () => {
    const gps = fakeGeolocation();
    await openFlow();
    await toProof(gps);
    choosePhotos(Array.from({ length: 10 }, (_, i) => photo(`f${i}.jpg`, [i])));
    expect(screen.getAllByTestId('photo-thumb')).toHaveLength(8);
    expect(screen.getByText('Paling banyak 8 foto. Foto lainnya tidak dipakai.')).toBeTruthy();
    expect((screen.getByTestId('photo-input') as HTMLInputElement).disabled).toBe(true);
  });

  it('refuses a description over 4,000 characters', async () => {
    const gps = fakeGeolocation();
    await openFlow();
    await toProof(gps);
    fireEvent.input(screen.getByTestId('description'), { target: { value: 'x'.repeat(4001) } });
    expect(screen.getByTestId('description-count').textContent).toBe('4.001/4.000 huruf');
    expect((screen.getByTestId('save') as HTMLButtonElement).disabled).toBe(true);
  });

  it('tells a user without an account that the report stays on the phone', async () => {
    const gps = fakeGeolocation();
    await openFlow({ create_report: () => ({ id: 'r-4' }) }, appState({ account: { kind: 'local' } }));
    await toProof(gps);
    await act(async () => {
      fireEvent.click(screen.getByTestId('save'));
    });
    expect((await screen.findByTestId('saved-confirmation')).textContent).toContain('Masuk dengan akun di Pengaturan');
  });
});
