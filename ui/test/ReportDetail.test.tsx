import { render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/app';
import type { ReportDetail } from '../src/ipc/bindings';
import { appState, AUDIT_CODES, baseHandlers, lifecycle, mockBackend, rated } from './backend';

const t0 = Date.UTC(2025, 0, 5, 1, 0);
const hour = 3600_000;

const DETAIL: ReportDetail = {
  id: 'r-7',
  category: 'jalan-rusak',
  kind: 'laporan',
  status: 'diverifikasi',
  description: 'Lubang besar\ndi depan pos ronda',
  lat: -6.175392,
  lon: 106.827153,
  accuracyM: 8,
  source: 'gps',
  createdAt: t0,
  area: '31.71.01.1001/RW 003/RT 007',
  photos: [
    { sha256: 'a'.repeat(64), width: 320, height: 240, dataUrl: 'data:image/jpeg;base64,AAAA' },
    { sha256: 'b'.repeat(64), width: 320, height: 240, dataUrl: null },
  ],
  // Out of order on purpose: the screen shows the oldest first.
  timeline: [
    { at: t0 + 3 * hour, what: 'status:diverifikasi', detail: 'Dicek di lapangan oleh Ibu Lurah' },
    { at: t0, what: 'created', detail: null },
    { at: t0 + 2 * hour, what: 'rejected', detail: 'kategori tidak cocok untuk laporan rawan' },
    { at: t0 + hour, what: 'sent', detail: null },
  ],
  sync: 'sent',
  rejection: null,
  audit: null,
};

async function open(detail: ReportDetail | (() => never), lang: 'id' | 'en' = 'id') {
  window.location.hash = '#/reports/r-7';
  const backend = mockBackend({
    ...baseHandlers(appState({ lang })),
    report_detail: typeof detail === 'function' ? detail : () => detail,
  });
  render(<App />);
  await screen.findByTestId('report-detail');
  return backend;
}

describe('report detail', () => {
  it('shows what happened to the report, oldest first, with reasons', async () => {
    const backend = await open(DETAIL);
    const entries = await screen.findAllByTestId('timeline-entry');
    expect(backend.callsTo('report_detail')[0]?.args).toEqual({ id: 'r-7' });
    expect(entries.map((e) => e.dataset.what)).toEqual(['created', 'sent', 'rejected', 'status:diverifikasi']);
    expect(entries.map((e) => e.querySelector('.what')?.textContent)).toEqual([
      'Laporan dibuat',
      'Terkirim ke server',
      'Ditolak server',
      'Status berubah: Diverifikasi',
    ]);
    expect(entries[2]!.textContent).toContain('kategori tidak cocok untuk laporan rawan');
    expect(entries[0]!.querySelector('time')?.textContent).toBe('5 Jan 2025, 08.00 WIB');
  });

  it('shows the facts, the description and the photos', async () => {
    await open(DETAIL);
    await screen.findAllByTestId('timeline-entry');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Jalan rusak / berlubang');
    expect(screen.getByTestId('detail-status').textContent).toBe('Diverifikasi');
    expect(screen.getByTestId('detail-sync').textContent).toBe('Terkirim');
    expect(screen.getByTestId('detail-location').textContent).toBe(
      '-6.17539, 106.82715 (ketepatan ±8 m)Wilayah: 31.71.01.1001/RW 003/RT 007',
    );
    expect(screen.getByTestId('detail-description').textContent).toBe('Lubang besar\ndi depan pos ronda');
    const photos = screen.getAllByTestId('detail-photo');
    expect(photos[0]!.querySelector('img')?.getAttribute('src')).toBe('data:image/jpeg;base64,AAAA');
    expect(photos[1]!.textContent).toBe('Foto belum ada di HP ini');
  });

  it('shows a rejection with its reason, in English', async () => {
    await open(
      {
        ...DETAIL,
        sync: 'rejected',
        rejection: { code: 'FORBIDDEN_ROLE', message: 'peran Anda tidak mengizinkan ini' },
        accuracyM: null,
        source: 'map_pick',
        description: null,
      },
      'en',
    );
    const sync = await screen.findByTestId('detail-sync');
    expect(sync.dataset.syncState).toBe('rejected');
    expect(sync.textContent).toBe('Rejected — Reason: Your role does not allow this.');
    expect(screen.getByTestId('detail-location').textContent).toContain('(picked on the map)');
    expect(screen.getByTestId('detail-description').textContent).toBe('No description');
    expect(within(screen.getByTestId('timeline')).getAllByTestId('timeline-entry')[0]!.textContent).toContain(
      'Report made',
    );
  });

  it('shows a fixed report before and after, even before the other thumbnail arrives', async () => {
    window.location.hash = '#/reports/r-7';
    const pair = { before: 'data:image/jpeg;base64,BBBB', after: null };
    mockBackend({
      ...baseHandlers(appState()),
      report_detail: () => ({ ...DETAIL, status: 'selesai' }),
      report_lifecycle: () => lifecycle({ status: 'selesai', beforeAfter: pair }),
    });
    render(<App />);
    const shown = await screen.findByTestId('before-after');
    expect(shown.textContent).toContain('Sebelum dan sesudah');
    expect(within(screen.getByTestId('before-photo')).getByRole('img').getAttribute('src')).toBe(pair.before);
    expect(screen.getByTestId('after-photo').textContent).toContain('Foto belum ada di HP ini');
    expect(screen.getByTestId('after-photo').textContent).toContain('Sesudah diperbaiki');
  });

  it('shows no pair before a fix', async () => {
    await open(DETAIL);
    await screen.findAllByTestId('timeline-entry');
    expect(screen.queryByTestId('before-after')).toBeNull();
  });

  it('shows an audit’s score, band and nine ratings, rasa aman apart', async () => {
    const ratings = [0, 1, 2, 3, 1, 0, 2, 3, 1];
    await open({
      ...DETAIL,
      kind: 'audit',
      category: 'audit-keamanan',
      description: null,
      audit: { score: 34.6, band: 'rawan', ratings: AUDIT_CODES.map((code, i) => rated(code, ratings[i]!)) },
    });
    const section = await screen.findByTestId('audit-result');
    expect(section.textContent).toContain('Hasil audit');
    const score = within(section).getByTestId('audit-score');
    expect(score.textContent).toContain('Skor 35/100');
    expect(score.textContent).toContain('Rawan');
    expect(score.dataset.band).toBe('rawan');
    const rows = within(section).getAllByTestId('audit-rating');
    expect(rows.map((r) => r.dataset.code)).toEqual(AUDIT_CODES);
    expect(rows.map((r) => r.dataset.value)).toEqual(ratings.map(String));
    // Names and what the level means, from the audit form.
    await waitFor(() => expect(rows[0]!.textContent).toContain('Penerangan'));
    expect(rows[0]!.textContent).toContain('0/3');
    expect(rows[0]!.textContent).toContain('Penerangan tingkat 0');
    expect(rows[3]!.textContent).toContain('Keramaian tingkat 3');
    expect(rows[8]!.textContent).toContain('Rasa aman (hasil, tidak masuk skor)');
    expect(rows[8]!.closest('ul')).not.toBe(rows[7]!.closest('ul'));
  });

  it('shows an audit in English', async () => {
    await open(
      {
        ...DETAIL,
        kind: 'audit',
        category: 'audit-keamanan',
        audit: { score: 91, band: 'aman', ratings: AUDIT_CODES.map((code) => rated(code, 3)) },
      },
      'en',
    );
    const section = await screen.findByTestId('audit-result');
    expect(within(section).getByTestId('audit-score').textContent).toContain('Score 91/100');
    expect(within(section).getByTestId('audit-score').textContent).toContain('Safe');
    await waitFor(() => expect(within(section).getAllByTestId('audit-rating')[5]!.textContent).toContain('Walk path'));
    expect(within(section).getAllByTestId('audit-rating')[8]!.textContent).toContain(
      'How safe you feel (the outcome, not in the score)',
    );
  });

  it('shows no audit section for other reports', async () => {
    const backend = await open(DETAIL);
    await screen.findAllByTestId('timeline-entry');
    expect(screen.queryByTestId('audit-result')).toBeNull();
    expect(backend.callsTo('audit_form')).toHaveLength(0);
  });

  it('says so when the report is not on the phone', async () => {
    await open(() => {
      throw { code: 'REPORT_NOT_FOUND', message: 'laporan tidak ditemukan', count: null };
    });
    expect((await screen.findByTestId('detail-error')).textContent).toContain('Laporan tidak ditemukan di HP ini.');
  });
});
