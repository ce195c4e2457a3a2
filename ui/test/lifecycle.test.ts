import { describe, expect, it } from 'vitest';
import { makeTranslator } from '../src/i18n';
import type { KabarWaiting, LifecycleStep } from '../src/ipc/bindings';
import {
  duplicateCandidates,
  emptyForm,
  kabarBadge,
  needsNote,
  outcomeForm,
  sortNews,
  sortStops,
  sortWaiting,
  stepArgs,
  stepPosition,
  stepProblem,
} from '../src/logic/lifecycle';
import { presenceWords, stepWho, walkWords } from '../src/logic/words';
import { STEP_RULES } from './backend';

const HERE = { lat: -6.1754, lon: 106.8272, accuracyM: 8, capturedAt: 1_700_000_000_000 };

describe('what a step needs', () => {
  it('asks for a note where ronda-core does, and for "lainnya"', () => {
    expect(needsNote({ action: 'reroute', reason: null }, STEP_RULES)).toBe(true);
    expect(needsNote({ action: 'reopen', reason: null }, STEP_RULES)).toBe(true);
    expect(needsNote({ action: 'close_unfixed', reason: null }, STEP_RULES)).toBe(true);
    expect(needsNote({ action: 'reject', reason: 'tidak_ditemukan' }, STEP_RULES)).toBe(false);
    expect(needsNote({ action: 'reject', reason: 'lainnya' }, STEP_RULES)).toBe(true);
    expect(needsNote({ action: 'verify', reason: null }, STEP_RULES)).toBe(false);
  });

  it('names what is missing, in order', () => {
    expect(stepProblem(emptyForm('verify'), null, STEP_RULES)).toBeNull();
    expect(stepProblem(emptyForm('reject'), null, STEP_RULES)).toBe('step.needReason');
    expect(stepProblem({ ...emptyForm('reject'), reason: 'lainnya' }, null, STEP_RULES)).toBe('step.needNote');
    expect(stepProblem({ ...emptyForm('reject'), reason: 'lainnya', note: '  ' }, null, STEP_RULES)).toBe('step.needNote');
    expect(stepProblem({ ...emptyForm('reject'), reason: 'lainnya', note: 'sudah diperbaiki warga' }, null, STEP_RULES)).toBeNull();
    expect(stepProblem(emptyForm('reroute'), null, STEP_RULES)).toBe('step.needAgency');
    expect(stepProblem({ ...emptyForm('reroute'), agency: 'bina_marga' }, null, STEP_RULES)).toBe('step.needNote');
    expect(stepProblem(emptyForm('mark_duplicate'), null, STEP_RULES)).toBe('step.needOriginal');
    expect(stepProblem(emptyForm('dispose'), null, STEP_RULES)).toBeNull();
    expect(stepProblem(emptyForm('resolve'), HERE, STEP_RULES)).toBe('step.needPhoto');
    expect(stepProblem({ ...emptyForm('resolve'), photo: 'a'.repeat(64) }, null, STEP_RULES)).toBe('step.needPosition');
    expect(stepProblem({ ...emptyForm('resolve'), photo: 'a'.repeat(64) }, HERE, STEP_RULES)).toBeNull();
    expect(stepProblem(emptyForm('reopen'), null, STEP_RULES)).toBe('step.needNote');
  });

  it('puts only what the action uses into the act arguments', () => {
    const form = { ...emptyForm('reject'), reason: 'lainnya' as const, agency: 'bina_marga', note: '  rumah pribadi ', photo: 'x' };
    expect(stepArgs('r-1', 'lurah', form, HERE)).toEqual({
      report: 'r-1',
      role: 'lurah',
      action: 'reject',
      reason: 'lainnya',
      agency: null,
      original: null,
      note: 'rumah pribadi',
      position: HERE,
      photo: null,
    });
    expect(stepArgs('r-1', 'lurah', { ...emptyForm('dispose'), agency: '' }, null).agency).toBeNull();
    expect(stepArgs('r-1', 'petugas_skpd', { ...emptyForm('resolve'), photo: 'p' }, HERE).photo).toBe('p');
  });

  it('takes a GPS fix as a position only when it is a real place', () => {
    expect(stepPosition({ lat: -6.2, lon: 106.8, accuracyM: 120 }, 5)).toEqual({ lat: -6.2, lon: 106.8, accuracyM: 120, capturedAt: 5 });
    expect(stepPosition({ lat: 0, lon: 0, accuracyM: 5 }, 5)).toBeNull();
    expect(stepPosition({ lat: -6.2, lon: 106.8, accuracyM: Number.NaN }, 5)).toBeNull();
    expect(stepPosition(null, 5)).toBeNull();
  });
});

describe('field mode outcomes', () => {
  it('map to the lifecycle steps', () => {
    expect(outcomeForm('valid').action).toBe('verify');
    expect(outcomeForm('not_found')).toMatchObject({ action: 'reject', reason: 'tidak_ditemukan' });
    expect(outcomeForm('not_ours', { agency: 'sumber_daya_air', note: 'saluran' })).toMatchObject({
      action: 'reroute',
      agency: 'sumber_daya_air',
      note: 'saluran',
    });
    expect(outcomeForm('duplicate', { original: 'r-2' })).toMatchObject({ action: 'mark_duplicate', original: 'r-2' });
    expect(stepProblem(outcomeForm('not_ours', { agency: 'sumber_daya_air' }), HERE, STEP_RULES)).toBe('step.needNote');
  });

  it('lists stops nearest first and never offers a report as its own original', () => {
    const stop = (id: string, distanceM: number) => ({
      id, category: 'jalan-rusak', status: 'baru' as const, description: null, lat: 0, lon: 0, distanceM, walkMinutes: 1, createdAt: 0,
    });
    expect(sortStops([stop('b', 300), stop('a', 20)]).map((s) => s.id)).toEqual(['a', 'b']);
    const near = (id: string) => ({ id, category: 'jalan-rusak', status: 'baru' as const, description: null, distanceM: 3, createdAt: 0 });
    expect(duplicateCandidates([near('self'), near('other')], 'self').map((r) => r.id)).toEqual(['other']);
  });
});

describe('the inbox', () => {
  const waiting = (report: string, flag: 'on_time' | 'amber' | 'red' | null, deadline = 0): KabarWaiting => ({
    report, category: 'jalan-rusak', status: 'baru', area: null, lat: 0, lon: 0, actions: [],
    sla: flag ? { flag, step: 'verify', deadline } : null,
  });

  it('puts overdue first, then due soon, then the nearest deadline', () => {
    const sorted = sortWaiting([waiting('none', null), waiting('late', 'on_time', 9), waiting('soon', 'on_time', 5), waiting('amber', 'amber', 50), waiting('red', 'red', 99)]);
    expect(sorted.map((w) => w.report)).toEqual(['red', 'amber', 'soon', 'late', 'none']);
  });

  it('counts unread and overdue on the tab, and shows the newest news first', () => {
    expect(kabarBadge({ unread: 2, overdue: 3 })).toBe(5);
    expect(kabarBadge(null)).toBe(0);
    const n = (at: number) => ({ step: { at } as LifecycleStep });
    expect(sortNews([n(1), n(3), n(2)]).map((x) => x.step.at)).toEqual([3, 2, 1]);
  });
});

describe('step words', () => {
  const id = makeTranslator('id');
  const en = makeTranslator('en');
  it('say where a step was taken', () => {
    expect(presenceWords(id, { presence: 'on_site', distanceM: 12.4 })).toBe('di lokasi (12 m)');
    expect(presenceWords(id, { presence: 'desk', distanceM: 1234 })).toBe('dari meja / tidak di lokasi (1,2 km)');
    expect(presenceWords(id, { presence: 'unknown', distanceM: null })).toBe('tanpa posisi GPS');
    expect(presenceWords(en, { presence: 'desk', distanceM: 1234 })).toBe('from a desk / not on site (1.2 km)');
  });

  it('say who, and how far to walk', () => {
    expect(stepWho(id, { role: 'lurah', byMe: false })).toBe('oleh Lurah / staf kelurahan');
    expect(stepWho(en, { role: 'ketua_rt', byMe: true })).toBe('by you (RT head)');
    expect(walkWords(id, 350, 5)).toBe('350 m · 5 menit jalan kaki');
  });
});
