import { describe, expect, it } from 'vitest';
import type { ReportStatus, SyncState } from '../src/ipc/bindings';
import { makeTranslator } from '../src/i18n';
import { pinStyle, stageOf, STAGE_COLOURS } from '../src/logic/pins';
import { errorText, roleName, statusName, syncWords, timelineWords } from '../src/logic/words';

const id = makeTranslator('id');
const en = makeTranslator('en');

const ALL_STATUSES: ReportStatus[] = [
  'baru', 'diverifikasi', 'ditolak', 'duplikat', 'bukan_wewenang', 'didisposisikan',
  'diproses', 'selesai', 'dikonfirmasi', 'dibuka_kembali', 'ditutup_tidak_diperbaiki',
];

describe('sync state in user words', () => {
  it.each<[SyncState, string, string]>([
    ['savedOnDevice', 'Tersimpan di HP', 'Saved on phone'],
    ['waitingForSignal', 'Menunggu sinyal', 'Waiting for signal'],
    ['sent', 'Terkirim', 'Sent'],
    ['rejected', 'Ditolak', 'Rejected'],
  ])('%s', (state, inId, inEn) => {
    expect(syncWords(id, state, null)).toEqual({ label: inId, reason: null });
    expect(syncWords(en, state, null)).toEqual({ label: inEn, reason: null });
  });

  it('gives a rejection reason in the UI’s words for a known code', () => {
    const rejection = { code: 'CATEGORY_WRONG_KIND', message: 'category x cannot be used for a rawan' };
    expect(syncWords(id, 'rejected', rejection).reason).toBe(
      'Alasan: Jenis masalah ini tidak cocok dengan jenis laporan.',
    );
  });

  it('falls back to the backend’s message for an unknown code', () => {
    const rejection = { code: 'SOMETHING_NEW', message: 'lokasi di luar wilayah DKI' };
    expect(syncWords(id, 'rejected', rejection).reason).toBe('Alasan: lokasi di luar wilayah DKI');
    expect(syncWords(id, 'sent', rejection).reason).toBeNull();
  });
});

describe('errors', () => {
  it('prefers the UI’s translation for known codes', () => {
    const e = { code: 'ACTIVATION_CODE_USED', message: 'kode ini sudah dipakai', count: null };
    expect(errorText(en, e)).toBe('This code has already been used. Ask your lurah for a new one.');
  });

  it('shows a generic text when an unknown error has no message', () => {
    expect(errorText(en, { code: 'X', message: ' ' })).toBe('Something went wrong.');
  });
});

describe('names', () => {
  it('names every status in both languages', () => {
    for (const tr of [id, en]) {
      const names = ALL_STATUSES.map((s) => statusName(tr, s));
      expect(new Set(names).size).toBe(ALL_STATUSES.length);
    }
    expect(statusName(id, 'didisposisikan')).toBe('Diteruskan ke dinas');
    expect(statusName(en, 'ditutup_tidak_diperbaiki')).toBe('Closed, not fixed');
  });

  it('names roles, keeping unknown role codes as they are', () => {
    expect(roleName(id, 'ketua_rt')).toBe('Ketua RT');
    expect(roleName(en, 'ketua_rt')).toBe('RT head');
    expect(roleName(en, 'ronda_captain')).toBe('ronda_captain');
  });
});

describe('timeline', () => {
  it('words each stable code', () => {
    expect(timelineWords(id, { at: 1, what: 'created', detail: null })).toBe('Laporan dibuat');
    expect(timelineWords(en, { at: 1, what: 'sent', detail: null })).toBe('Sent to the server');
    expect(timelineWords(id, { at: 1, what: 'status:diverifikasi', detail: null })).toBe('Status berubah: Diverifikasi');
    expect(timelineWords(en, { at: 1, what: 'rejected', detail: 'x' })).toBe('Rejected by the server');
    expect(timelineWords(en, { at: 1, what: 'edit', detail: null })).toBe('Report edited');
  });

  it('shows codes it does not know instead of hiding them', () => {
    expect(timelineWords(en, { at: 1, what: 'support', detail: null })).toBe('Note: support');
    expect(timelineWords(en, { at: 1, what: 'status:baru_sekali', detail: null })).toBe('State changed: baru_sekali');
  });
});

describe('pins', () => {
  it('puts every status in a stage', () => {
    const stages = ALL_STATUSES.map(stageOf);
    expect(new Set(stages)).toEqual(new Set(['new', 'handling', 'done', 'closed']));
    expect(stageOf('dibuka_kembali')).toBe('new');
    expect(stageOf('bukan_wewenang')).toBe('handling');
    expect(stageOf('dikonfirmasi')).toBe('done');
    expect(stageOf('duplikat')).toBe('closed');
  });

  it('fills by stage and edges by kind', () => {
    const a = pinStyle('laporan', 'baru', null);
    const b = pinStyle('rawan', 'baru', null);
    const c = pinStyle('laporan', 'selesai', null);
    expect(a.fillColor).toBe(STAGE_COLOURS.new);
    expect(b.fillColor).toBe(a.fillColor);
    expect(b.color).not.toBe(a.color);
    expect(c.fillColor).toBe(STAGE_COLOURS.done);
  });
});
