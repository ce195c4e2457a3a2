import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/app';
import type { LifecycleStep, ReportDetail, ReportLifecycle } from '../src/ipc/bindings';
import { appState, baseHandlers, lifecycle, mockBackend, type Handler } from './backend';
import { fakeGeolocation, removeGeolocation } from './geolocation';

const t0 = Date.UTC(2025, 0, 5, 1, 0);
const hour = 3600_000;

const DETAIL: ReportDetail = {
  id: 'r-7',
  category: 'jalan-rusak',
  kind: 'laporan',
  status: 'baru',
  description: 'Lubang besar',
  lat: -6.175392,
  lon: 106.827153,
  accuracyM: 8,
  source: 'gps',
  createdAt: t0,
  area: '31.71.01.1001/RW 003/RT 007',
  photos: [],
  timeline: [
    { at: t0, what: 'created', detail: null },
    { at: t0 + hour, what: 'sent', detail: null },
    { at: t0 + 2 * hour, what: 'status:diverifikasi', detail: null },
  ],
  sync: 'sent',
  rejection: null,
  audit: null,
};

const step = (over: Partial<LifecycleStep>): LifecycleStep => ({
  role: 'lurah',
  byMe: false,
  at: t0 + 2 * hour,
  fromStatus: 'baru',
  toStatus: 'diverifikasi',
  action: 'verify',
  reason: null,
  original: null,
  agency: null,
  presence: 'on_site',
  distanceM: 12.2,
  note: null,
  hasPhoto: false,
  ...over,
});

const OFFERED_TO_LURAH: ReportLifecycle['offered'] = [
  { role: 'lurah', action: 'reroute' },
  { role: 'lurah', action: 'verify' },
  { role: 'lurah', action: 'reject' },
  { role: 'lurah', action: 'mark_duplicate' },
];

async function open(life: ReportLifecycle, handlers: Record<string, Handler> = {}, lang: 'id' | 'en' = 'id') {
  window.location.hash = '#/reports/r-7';
  const backend = mockBackend({
    ...baseHandlers(appState({ lang })),
    report_detail: () => DETAIL,
    report_lifecycle: () => life,
    ...handlers,
  });
  render(<App />);
  await screen.findByTestId('report-detail');
  return backend;
}

describe('a report\'s lifecycle on its detail screen', () => {
  it('tells each step: status, who as which role, where, reason, agency and note, in WIB', async () => {
    removeGeolocation();
    await open(
      lifecycle({
        status: 'bukan_wewenang',
        agency: 'sumber_daya_air',
        history: [
          step({}),
          step({
            at: t0 + 3 * hour,
            fromStatus: 'diverifikasi',
            toStatus: 'bukan_wewenang',
            action: 'reroute',
            agency: 'sumber_daya_air',
            presence: 'desk',
            distanceM: 2500,
            note: 'Saluran air, bukan jalan',
            role: 'lurah',
            byMe: true,
          }),
        ],
        sla: { flag: 'amber', step: 'hand_over', deadline: t0 + 24 * hour },
      }),
    );
    const steps = await screen.findAllByTestId('step-entry');
    expect(steps.map((s) => s.dataset.action)).toEqual(['verify', 'reroute']);
    expect(steps[0]!.querySelector('.what')?.textContent).toBe('Diverifikasi');
    expect(within(steps[0]!).getByTestId('step-who').textContent).toBe('oleh Lurah / staf kelurahan · di lokasi (12 m)');
    expect(steps[0]!.querySelector('time')?.textContent).toBe('5 Jan 2025, 10.00 WIB');
    expect(within(steps[1]!).getByTestId('step-where').textContent).toBe('dari meja / tidak di lokasi (2,5 km)');
    expect(within(steps[1]!).getByTestId('step-who').textContent).toContain('oleh Anda (Lurah / staf kelurahan)');
    expect(within(steps[1]!).getByTestId('step-agency').textContent).toBe('Instansi: Dinas Sumber Daya Air');
    expect(within(steps[1]!).getByTestId('step-note-text').textContent).toBe('“Saluran air, bukan jalan”');
    // The device's own events stay; its status line is told by the step instead.
    const events = screen.getAllByTestId('timeline-entry').map((e) => e.dataset.what);
    expect(events).toEqual(['created', 'sent']);
    const chip = screen.getByTestId('sla-chip');
    expect(chip.dataset.flag).toBe('amber');
    expect(chip.textContent).toBe('Hampir jatuh tempo · batas 6 Jan 2025, 08.00 WIB');
    expect(screen.getByTestId('detail-agency').textContent).toBe('Dinas Sumber Daya Air');
    expect(screen.queryByTestId('step-actions')).toBeNull();
    expect(screen.queryByTestId('support-button')).toBeNull();
  });

  it('offers only the offered steps, usual step first, and verifies in one tap with the GPS position', async () => {
    const gps = fakeGeolocation();
    const verified = lifecycle({ status: 'diverifikasi', history: [step({ byMe: true })] });
    const backend = await open(lifecycle({ offered: OFFERED_TO_LURAH, sla: { flag: 'red', step: 'verify', deadline: t0 } }), {
      act: () => verified,
    });
    const buttons = (await screen.findByTestId('step-actions')).querySelectorAll('.step-buttons button');
    expect([...buttons].map((b) => b.getAttribute('data-testid'))).toEqual([
      'action-verify',
      'action-reject',
      'action-mark_duplicate',
      'action-reroute',
    ]);
    expect(screen.getByTestId('sla-chip').textContent).toContain('Terlambat');
    await waitFor(() => expect(gps.watching).toBe(true));
    gps.fix(-6.17545, 106.82716, 9, Date.UTC(2025, 0, 6, 2, 0));
    expect(screen.getByTestId('step-gps').textContent).toBe('Posisi GPS: ketepatan ±9 m');
    fireEvent.click(screen.getByTestId('action-verify'));
    await waitFor(() => expect(backend.callsTo('act')).toHaveLength(1));
    expect(backend.callsTo('act')[0]!.args).toEqual({
      report: 'r-7',
      role: 'lurah',
      action: 'verify',
      reason: null,
      agency: null,
      original: null,
      note: null,
      position: { lat: -6.17545, lon: 106.82716, accuracyM: 9, capturedAt: Date.UTC(2025, 0, 6, 2, 0) },
      photo: null,
    });
    await waitFor(() => expect(screen.queryByTestId('step-actions')).toBeNull());
    expect(screen.getAllByTestId('step-entry')).toHaveLength(1);
    expect(backend.callsTo('report_detail').length).toBeGreaterThanOrEqual(2);
  });

  it('rejects with a reason from the list, and a note for "lainnya"', async () => {
    removeGeolocation();
    const backend = await open(lifecycle({ offered: OFFERED_TO_LURAH }), { act: () => lifecycle({ status: 'ditolak' }) });
    fireEvent.click(await screen.findByTestId('action-reject'));
    fireEvent.click(screen.getByTestId('step-send'));
    expect(screen.getByTestId('step-problem').textContent).toBe('Pilih alasannya.');
    fireEvent.click(screen.getByTestId('reason-lainnya'));
    fireEvent.click(screen.getByTestId('step-send'));
    expect(screen.getByTestId('step-problem').textContent).toBe('Tulis alasannya.');
    expect(backend.callsTo('act')).toHaveLength(0);
    fireEvent.input(screen.getByTestId('step-note'), { target: { value: 'Sengketa tanah pribadi' } });
    fireEvent.click(screen.getByTestId('step-send'));
    await waitFor(() => expect(backend.callsTo('act')).toHaveLength(1));
    expect(backend.callsTo('act')[0]!.args).toMatchObject({
      action: 'reject',
      reason: 'lainnya',
      note: 'Sengketa tanah pribadi',
      position: null,
    });
  });

  it('re-routes to a chosen agency with a note, and shows a refusal with its message', async () => {
    removeGeolocation();
    const backend = await open(lifecycle({ offered: OFFERED_TO_LURAH }), {
      act: () => {
        throw { code: 'REROUTE_SAME_BODY', message: 'laporan tidak bisa dialihkan ke instansi yang sama', count: null };
      },
    });
    fireEvent.click(await screen.findByTestId('action-reroute'));
    fireEvent.input(screen.getByTestId('step-note'), { target: { value: 'Urusan saluran' } });
    fireEvent.click(screen.getByTestId('step-send'));
    expect(screen.getByTestId('step-problem').dataset.problem).toBe('step.needAgency');
    fireEvent.change(screen.getByTestId('agency-select'), { target: { value: 'sumber_daya_air' } });
    fireEvent.click(screen.getByTestId('step-send'));
    const error = await screen.findByTestId('step-error');
    expect(error.dataset.errorCode).toBe('REROUTE_SAME_BODY');
    expect(error.textContent).toContain('laporan tidak bisa dialihkan ke instansi yang sama');
    expect(backend.callsTo('act')[0]!.args).toMatchObject({ action: 'reroute', agency: 'sumber_daya_air', note: 'Urusan saluran' });
  });

  it('marks a duplicate of a nearby open report of the same category, never of itself', async () => {
    removeGeolocation();
    const backend = await open(lifecycle({ offered: OFFERED_TO_LURAH }), {
      nearby_open: () => [
        { id: 'r-7', category: 'jalan-rusak', status: 'baru', description: null, distanceM: 0, createdAt: t0 },
        { id: 'r-1', category: 'jalan-rusak', status: 'diverifikasi', description: 'Lubang lama', distanceM: 40, createdAt: t0 - hour },
      ],
      act: () => lifecycle({ status: 'duplikat', duplicateOf: 'r-1' }),
    });
    fireEvent.click(await screen.findByTestId('action-mark_duplicate'));
    const options = await screen.findAllByTestId('original-option');
    expect(options).toHaveLength(1);
    expect(backend.callsTo('nearby_open')[0]!.args).toEqual({
      lat: DETAIL.lat,
      lon: DETAIL.lon,
      category: 'jalan-rusak',
      radiusM: 150,
    });
    fireEvent.click(options[0]!);
    fireEvent.click(screen.getByTestId('step-send'));
    await waitFor(() => expect(backend.callsTo('act')).toHaveLength(1));
    expect(backend.callsTo('act')[0]!.args).toMatchObject({ action: 'mark_duplicate', original: 'r-1' });
    expect((await screen.findByTestId('duplicate-of')).querySelector('a')?.getAttribute('href')).toBe('#/reports/r-1');
  });

  it('hands over to the matrix\'s agency by default', async () => {
    removeGeolocation();
    const backend = await open(lifecycle({ status: 'diverifikasi', offered: [{ role: 'lurah', action: 'dispose' }] }), {
      act: () => lifecycle({ status: 'didisposisikan', agency: 'bina_marga' }),
    });
    fireEvent.click(await screen.findByTestId('action-dispose'));
    expect((screen.getByTestId('agency-select') as HTMLSelectElement).value).toBe('');
    fireEvent.click(screen.getByTestId('step-send'));
    await waitFor(() => expect(backend.callsTo('act')).toHaveLength(1));
    expect(backend.callsTo('act')[0]!.args).toMatchObject({ action: 'dispose', agency: null });
  });

  it('resolves with a photo taken there and the GPS position, and shows the distance when too far', async () => {
    const gps = fakeGeolocation();
    let tries = 0;
    const backend = await open(lifecycle({ status: 'diproses', offered: [{ role: 'petugas_skpd', action: 'resolve' }] }), {
      stage_photo: () => ({ sha256: 'c'.repeat(64), width: 1600, height: 1200, dataUrl: 'data:image/jpeg;base64,BBBB' }),
      act: () => {
        tries += 1;
        if (tries === 1) {
          throw { code: 'RESOLVE_TOO_FAR', message: 'foto penyelesaian diambil 420 m dari lokasi laporan; paling jauh 150 m', count: null };
        }
        return lifecycle({ status: 'selesai' });
      },
    });
    fireEvent.click(await screen.findByTestId('action-resolve'));
    fireEvent.click(screen.getByTestId('step-send'));
    expect(screen.getByTestId('step-problem').dataset.problem).toBe('step.needPhoto');
    const file = new File([new Uint8Array([0xff, 0xd8, 0xff])], 'selesai.jpg', { type: 'image/jpeg' });
    fireEvent.change(screen.getByTestId('step-photo-input'), { target: { files: [file] } });
    await screen.findByTestId('step-photo');
    const staged = backend.callsTo('stage_photo')[0]!;
    expect(staged.options?.headers).toEqual({ 'x-file-name': 'selesai.jpg' });
    fireEvent.click(screen.getByTestId('step-send'));
    expect(screen.getByTestId('step-problem').dataset.problem).toBe('step.needPosition');
    gps.fix(-6.179, 106.8272, 6);
    fireEvent.click(screen.getByTestId('step-send'));
    const error = await screen.findByTestId('step-error');
    expect(error.textContent).toContain('420 m');
    expect(backend.callsTo('act')[0]!.args).toMatchObject({ action: 'resolve', photo: 'c'.repeat(64), role: 'petugas_skpd' });
    gps.fix(-6.17539, 106.82715, 6);
    fireEvent.click(screen.getByTestId('step-send'));
    await waitFor(() => expect(backend.callsTo('act')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId('step-actions')).toBeNull());
  });

  it('reopens only with a note', async () => {
    removeGeolocation();
    const backend = await open(lifecycle({ status: 'selesai', offered: [{ role: 'ketua_rt', action: 'confirm' }, { role: 'ketua_rt', action: 'reopen' }] }), {
      act: () => lifecycle({ status: 'dibuka_kembali' }),
    });
    const buttons = [...(await screen.findByTestId('step-actions')).querySelectorAll('.step-buttons button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['Sudah beres', 'Belum beres, buka lagi']);
    fireEvent.click(screen.getByTestId('action-reopen'));
    fireEvent.click(screen.getByTestId('step-send'));
    expect(screen.getByTestId('step-problem').textContent).toBe('Tulis alasannya.');
    fireEvent.input(screen.getByTestId('step-note'), { target: { value: 'Lubang muncul lagi' } });
    fireEvent.click(screen.getByTestId('step-send'));
    await waitFor(() => expect(backend.callsTo('act')).toHaveLength(1));
    expect(backend.callsTo('act')[0]!.args).toMatchObject({ action: 'reopen', role: 'ketua_rt', note: 'Lubang muncul lagi', photo: null });
  });

  it('supports once: "Dukung", then the count, and a refusal shown with its message', async () => {
    removeGeolocation();
    let calls = 0;
    const backend = await open(lifecycle({ canSupport: true, supporters: 2 }), {
      support: () => {
        calls += 1;
        if (calls > 1) throw { code: 'SUPPORT_ALREADY', message: 'orang ini sudah mendukung laporan', count: null };
        return lifecycle({ supporters: 3, supporting: true, canSupport: false });
      },
    });
    expect((await screen.findByTestId('supporters')).textContent).toBe('2 pendukung');
    fireEvent.click(screen.getByTestId('support-button'));
    await waitFor(() => expect(screen.getByTestId('supporters').textContent).toBe('3 pendukung'));
    expect(screen.getByTestId('supporting').textContent).toBe('Anda mendukung laporan ini.');
    expect(screen.queryByTestId('support-button')).toBeNull();
    expect(backend.callsTo('support')[0]!.args).toEqual({ report: 'r-7' });
  });

  it('shows a support refusal', async () => {
    removeGeolocation();
    await open(lifecycle({ canSupport: true }), {
      support: () => {
        throw { code: 'SUPPORT_ALREADY', message: 'orang ini sudah mendukung laporan', count: null };
      },
    }, 'en');
    fireEvent.click(await screen.findByTestId('support-button'));
    const error = await screen.findByTestId('support-error');
    expect(error.dataset.errorCode).toBe('SUPPORT_ALREADY');
    expect(error.textContent).toContain('orang ini sudah mendukung laporan');
    expect(screen.getByTestId('support-button').textContent).toBe('Support');
  });
});
