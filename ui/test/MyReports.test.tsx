import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { emit } from '@tauri-apps/api/event';
import { describe, expect, it } from 'vitest';
import { App } from '../src/app';
import type { MyReport, SyncOutcome, SyncProgress } from '../src/ipc/bindings';
import { appState, baseHandlers, deferred, type Handler, mockBackend } from './backend';

const report = (over: Partial<MyReport>): MyReport => ({
  id: 'r',
  category: 'jalan-rusak',
  kind: 'laporan',
  status: 'baru',
  description: null,
  createdAt: Date.UTC(2025, 0, 5, 20, 5),
  sync: 'sent',
  rejection: null,
  photosTotalBytes: 0,
  photosSentBytes: 0,
  ...over,
});

const REPORTS: MyReport[] = [
  report({ id: 'a', sync: 'savedOnDevice' }),
  report({ id: 'b', sync: 'waitingForSignal', photosTotalBytes: 2 * 1024 * 1024, photosSentBytes: 512 * 1024 }),
  report({ id: 'c', sync: 'sent', status: 'diverifikasi', category: 'sampah-menumpuk' }),
  report({ id: 'd', sync: 'rejected', rejection: { code: 'CATEGORY_WRONG_KIND', message: 'kategori tidak cocok' } }),
];

async function open(handlers: Record<string, Handler> = {}, state = appState()) {
  window.location.hash = '#/reports';
  const backend = mockBackend({ ...baseHandlers(state), my_reports: () => REPORTS, ...handlers });
  render(<App />);
  await screen.findByTestId('my-reports');
  return backend;
}

const item = (id: string) =>
  screen.getAllByTestId('my-report-item').find((el) => el.dataset.reportId === id)!;

describe('my reports', () => {
  it('says where each report is, in the user’s words', async () => {
    await open();
    await screen.findAllByTestId('my-report-item');
    const states = screen.getAllByTestId('my-report-item').map((el) => [
      el.dataset.syncState,
      within(el).getByTestId('sync-state-label').textContent,
    ]);
    expect(states).toEqual([
      ['savedOnDevice', 'Tersimpan di HP'],
      ['waitingForSignal', 'Menunggu sinyal'],
      ['sent', 'Terkirim'],
      ['rejected', 'Ditolak'],
    ]);
    expect(within(item('d')).getByTestId('rejection-reason').textContent).toBe(
      'Alasan: Jenis masalah ini tidak cocok dengan jenis laporan.',
    );
    expect(item('c').textContent).toContain('Sampah menumpuk');
    expect(item('c').textContent).toContain('Diverifikasi');
    expect(item('a').textContent).toContain('6 Jan 2025, 03.05 WIB');
    expect(item('a').querySelector('a')?.getAttribute('href')).toBe('#/reports/a');
  });

  it('says it in English too', async () => {
    await open({}, appState({ lang: 'en' }));
    await screen.findAllByTestId('my-report-item');
    expect(screen.getAllByTestId('sync-state-label').map((el) => el.textContent)).toEqual([
      'Saved on phone',
      'Waiting for signal',
      'Sent',
      'Rejected',
    ]);
    expect(within(item('d')).getByTestId('rejection-reason').textContent).toBe(
      'Reason: This kind of problem does not fit the kind of report.',
    );
  });

  it('shows photo upload progress as bytes sent of the total', async () => {
    await open();
    await screen.findAllByTestId('my-report-item');
    const progress = within(item('b')).getByTestId('photo-progress');
    const bar = progress.querySelector('progress')!;
    expect(bar.max).toBe(2 * 1024 * 1024);
    expect(bar.value).toBe(512 * 1024);
    expect(progress.textContent).toContain('Foto terkirim 512 KB dari 2 MB');
    expect(within(item('a')).queryByTestId('photo-progress')).toBeNull();
  });

  it('shows when the last sync was, or that there was none', async () => {
    await open({}, appState({ lastSyncAt: Date.UTC(2025, 0, 5, 20, 5), pendingOps: 2 }));
    expect(screen.getByTestId('last-sync').textContent).toBe('Terakhir tersinkron 6 Jan 2025, 03.05 WIB');
    expect(screen.getByTestId('pending-ops').textContent).toBe('2 perubahan menunggu dikirim');
  });

  it('says "never" before the first sync', async () => {
    await open();
    expect(screen.getByTestId('last-sync').textContent).toBe('Belum pernah tersinkron');
  });

  it('syncs now, showing progress, then the outcome and the new list', async () => {
    const done = deferred<SyncOutcome>();
    let state = appState({ pendingOps: 3 });
    let lists = 0;
    const backend = await open({
      app_state: () => state,
      my_reports: () => (++lists === 1 ? REPORTS : REPORTS.map((r) => ({ ...r, sync: 'sent' as const }))),
      sync_now: () => done.promise,
    });
    await screen.findAllByTestId('my-report-item');
    fireEvent.click(screen.getByTestId('sync-now'));
    await waitFor(() => expect(backend.callsTo('sync_now')).toHaveLength(1));
    expect((screen.getByTestId('sync-now') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('sync-now').textContent).toContain('Sedang sinkron…');

    const progress: SyncProgress = { phase: 'photos', opsSent: 0, opsReceived: 0, bytesSent: 300 * 1024, bytesReceived: 0 };
    await act(async () => {
      await emit('sync-progress', progress);
    });
    expect(screen.getByTestId('sync-progress').textContent).toBe('Mengirim foto… 300 KB');
    await act(async () => {
      await emit('sync-progress', { ...progress, phase: 'push', opsSent: 3 });
    });
    expect(screen.getByTestId('sync-progress').textContent).toBe('Mengirim laporan… (3)');

    const at = Date.UTC(2025, 0, 6, 1, 30);
    state = appState({ lastSyncAt: at, pendingOps: 0 });
    await act(async () => {
      done.resolve({ ok: true, sent: 3, received: 5, error: null, at });
      await done.promise;
    });
    await waitFor(() => expect(screen.getByTestId('sync-result').textContent).toBe('Berhasil: 3 terkirim, 5 diterima.'));
    await waitFor(() =>
      expect(screen.getAllByTestId('my-report-item').every((el) => el.dataset.syncState === 'sent')).toBe(true),
    );
    expect(screen.getByTestId('last-sync').textContent).toBe('Terakhir tersinkron 6 Jan 2025, 08.30 WIB');
    expect(screen.queryByTestId('pending-ops')).toBeNull();
    expect(screen.queryByTestId('sync-progress')).toBeNull();
  });

  it('shows what a sync the app ran on its own sent, without a tap', async () => {
    let lists = 0;
    let state = appState({ pendingOps: 1 });
    const backend = await open({
      app_state: () => state,
      my_reports: () => (++lists === 1 ? REPORTS : REPORTS.map((r) => ({ ...r, sync: 'sent' as const }))),
    });
    await screen.findAllByTestId('my-report-item');
    expect(screen.getByTestId('pending-ops')).toBeTruthy();
    state = appState({ lastSyncAt: Date.UTC(2025, 0, 6, 1, 30), pendingOps: 0 });
    await act(async () => {
      await emit('sync-progress', { phase: 'done', opsSent: 1, opsReceived: 0, bytesSent: 900, bytesReceived: 0 });
    });
    await waitFor(() =>
      expect(screen.getAllByTestId('my-report-item').every((el) => el.dataset.syncState === 'sent')).toBe(true),
    );
    await waitFor(() => expect(screen.queryByTestId('pending-ops')).toBeNull());
    expect(screen.getByTestId('last-sync').textContent).toBe('Terakhir tersinkron 6 Jan 2025, 08.30 WIB');
    expect(backend.callsTo('sync_now')).toHaveLength(0);
  });

  it('explains a failed sync by its code', async () => {
    await open({
      sync_now: () => ({ ok: false, sent: 0, received: 0, error: { code: 'SYNC_OFFLINE', message: 'offline' }, at: 1 }),
    });
    fireEvent.click(screen.getByTestId('sync-now'));
    const result = await screen.findByTestId('sync-result');
    expect(result.dataset.ok).toBe('false');
    expect(result.textContent).toBe(
      'Sinkron gagal: Server tidak bisa dihubungi (tidak ada sinyal?). Laporan tetap aman di HP.',
    );
  });

  it('offers sign-in instead of sync to a user without an account', async () => {
    await open({}, appState({ account: { kind: 'local' } }));
    expect(screen.queryByTestId('sync-now')).toBeNull();
    expect(screen.getByTestId('local-notice')).toBeTruthy();
    expect(screen.getByTestId('reports-sign-in').getAttribute('href')).toBe('#/sign-in');
  });

  it('says so when there are no reports yet', async () => {
    await open({ my_reports: () => [] });
    expect((await screen.findByTestId('reports-empty')).textContent).toContain('Belum ada laporan');
  });
});
