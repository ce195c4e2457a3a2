import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/app';
import type { AuditParameter, ReportDraft } from '../src/ipc/bindings';
import { completeRatings, emptyRatings, ratedCount } from '../src/logic/audit';
import { appState, baseHandlers, mockBackend, type Handler } from './backend';
import { fakeGeolocation } from './geolocation';

const CODES = [
  'penerangan', 'keterbukaan', 'visibilitas', 'keramaian', 'keamanan',
  'jalur_pejalan_kaki', 'transportasi_umum', 'keberagaman', 'rasa_aman',
];
const FORM: AuditParameter[] = CODES.map((code) => ({
  code,
  nameId: `Nama ${code}`,
  nameEn: `Name ${code}`,
  rubricId: [0, 1, 2, 3].map((v) => `${code} tingkat ${v}`),
  rubricEn: [0, 1, 2, 3].map((v) => `${code} level ${v}`),
}));

function start(handlers: Record<string, Handler>) {
  window.location.hash = '#/audit';
  const backend = mockBackend({ ...baseHandlers(appState()), audit_form: () => FORM, ...handlers });
  render(<App />);
  return backend;
}

const levels = (param: string) =>
  Array.from(document.querySelectorAll(`[data-param="${param}"] [data-testid="audit-level"]`)) as HTMLButtonElement[];

describe('the safety audit', () => {
  it('counts what is rated and sends the nine only when all are', () => {
    const r = emptyRatings(9);
    expect(ratedCount(r)).toBe(0);
    expect(completeRatings(r)).toBeNull();
    expect(completeRatings(r.map(() => 2))).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(completeRatings([])).toBeNull();
  });

  it('rates nine parameters with big buttons on a dark screen, then saves with the place', async () => {
    const gps = fakeGeolocation();
    const backend = start({
      create_report: ({ draft }: { draft: ReportDraft }) => ({
        id: `r-${draft.kind}`,
        suggested: draft.kind === 'audit' ? ['pju-mati'] : [],
      }),
    });
    const screenEl = await screen.findByTestId('audit');
    expect(screenEl.classList.contains('dark')).toBe(true);
    const params = await screen.findAllByTestId('audit-param');
    expect(params.map((p) => p.dataset.param)).toEqual(CODES);
    expect(levels('penerangan')).toHaveLength(4);
    const next = screen.getByTestId('audit-next') as HTMLButtonElement;
    expect(next.disabled).toBe(true);
    CODES.forEach((code, i) => fireEvent.click(levels(code)[code === 'penerangan' ? 0 : (i % 3) + 1]!));
    expect(screen.getByTestId('audit-progress').textContent).toBe('9 dari 9 dinilai');
    expect(document.querySelector('[data-param="penerangan"] [data-testid="audit-rubric"]')!.textContent).toBe(
      'penerangan tingkat 0',
    );
    expect(next.disabled).toBe(false);
    fireEvent.click(next);
    gps.fix(-6.1754, 106.8272, 9);
    fireEvent.click(await screen.findByTestId('use-gps'));
    await screen.findByTestId('audit-saved');
    const [sent] = backend.callsTo('create_report');
    const draft = (sent!.args as { draft: ReportDraft }).draft;
    expect(draft).toMatchObject({ kind: 'audit', category: 'audit-keamanan', lat: -6.1754, lon: 106.8272, accuracyM: 9, source: 'gps' });
    expect(draft.ratings).toEqual([0, 2, 3, 1, 2, 3, 1, 2, 3]);

    // Lighting 0: one tap reports the dead street light at the same place.
    fireEvent.click(screen.getByTestId('suggestion'));
    await screen.findByTestId('suggestion-sent');
    const fix = (backend.callsTo('create_report')[1]!.args as { draft: ReportDraft }).draft;
    expect(fix).toMatchObject({ kind: 'laporan', category: 'pju-mati', lat: -6.1754, lon: 106.8272, ratings: null });
    expect(fix.description).toBe('Dari audit keamanan di tempat ini.');
  });

  it('takes an optional note and photo, folded away, and keeps the audit when the photo fails', async () => {
    const gps = fakeGeolocation();
    const backend = start({
      create_report: () => ({ id: 'r-audit', suggested: [] }),
      attach_photo: () => {
        throw { code: 'PHOTO_UNREADABLE', message: 'Foto tidak bisa dibaca' };
      },
    });
    await screen.findAllByTestId('audit-param');
    const extra = screen.getByTestId('audit-extra') as HTMLDetailsElement;
    expect(extra.open).toBe(false);
    CODES.forEach((code) => fireEvent.click(levels(code)[2]!));
    fireEvent.input(screen.getByTestId('audit-note'), { target: { value: '  Gang buntu, lampu di ujung mati  ' } });
    const input = screen.getByTestId('audit-photo-input') as HTMLInputElement;
    const file = new File([new Uint8Array([1, 2, 3])], 'gang.jpg', { type: 'image/jpeg' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    fireEvent.change(input);
    expect(screen.getByTestId('audit-photo').textContent).toContain('gang.jpg');
    fireEvent.click(screen.getByTestId('audit-next'));
    gps.fix(-6.1754, 106.8272, 9);
    fireEvent.click(await screen.findByTestId('use-gps'));
    const saved = await screen.findByTestId('audit-saved');
    expect(saved.dataset.reportId).toBe('r-audit');
    const draft = (backend.callsTo('create_report')[0]!.args as { draft: ReportDraft }).draft;
    expect(draft.description).toBe('Gang buntu, lampu di ujung mati');
    expect(draft.ratings).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2]);
    const [attached] = backend.callsTo('attach_photo');
    expect(attached!.options?.headers).toEqual({ 'x-report-id': 'r-audit', 'x-file-name': 'gang.jpg' });
    expect(screen.getByTestId('photo-failed').textContent).toContain('gang.jpg');
  });

  it('is where the report flow sends an audit', async () => {
    fakeGeolocation();
    window.location.hash = '#/new';
    mockBackend(baseHandlers(appState()));
    render(<App />);
    fireEvent.click(await screen.findByTestId('kind-audit'));
    await waitFor(() => expect(screen.getByTestId('start-audit').getAttribute('href')).toBe('#/audit'));
  });
});
