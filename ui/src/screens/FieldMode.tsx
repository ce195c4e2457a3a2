// Field mode, for a lurah walking the kelurahan: the reports still to verify, nearest first by
// walking distance from where the phone is, each with one-tap outcomes. Everything is saved on
// the phone and sent with the next sync, so it works with no signal.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Icon } from '../components/Icon';
import { KABAR_CHANGED } from '../components/TabBar';
import { AgencySelect, DuplicatePicker, NoteField } from '../components/StepFields';
import type { AgencyInfo, CommandError, FieldStop } from '../ipc/bindings';
import { act, agencies as loadAgencies, fieldQueue, toCommandError } from '../ipc/commands';
import { useI18n } from '../i18n';
import { formatMetres } from '../i18n/format';
import {
  FIELD_ROLE,
  outcomeForm,
  sortStops,
  stepArgs,
  stepPosition,
  stepProblem,
  type FieldOutcome,
  type StepProblem,
} from '../logic/lifecycle';
import { href } from '../logic/route';
import { categoryName, walkWords } from '../logic/words';
import { useApp } from '../state';
import { useGps } from './useGps';
import { createFieldMap, type FieldMap } from '../map/fieldMap';

type Panel = { stop: string; outcome: 'not_ours' | 'duplicate'; agency: string | null; note: string; original: string | null };

export function FieldMode() {
  const tr = useI18n();
  const { t, lang } = tr;
  const app = useApp();
  const gps = useGps();
  const fix = gps.state === 'fix' ? gps.fix : null;
  const position = gps.state === 'fix' ? stepPosition(gps.fix, gps.at) : null;
  const [stops, setStops] = useState<FieldStop[] | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [agencies, setAgencies] = useState<AgencyInfo[]>([]);
  const [panel, setPanel] = useState<Panel | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [stopError, setStopError] = useState<{ stop: string; error: CommandError | null; problem: StepProblem | null } | null>(null);
  const [done, setDone] = useState<{ outcome: FieldOutcome; count: number } | null>(null);
  const loadedFor = useRef(false);
  const mapEl = useRef<HTMLDivElement>(null);
  const map = useRef<FieldMap | null>(null);

  // The walk on a map: a tap on a numbered pin brings its card into view.
  useEffect(() => {
    if (!mapEl.current) return;
    map.current = createFieldMap(mapEl.current, (id) =>
      document.querySelector(`[data-testid="field-stop"][data-report-id="${id}"]`)?.scrollIntoView({ block: 'center' }),
    );
    return () => {
      map.current?.destroy();
      map.current = null;
    };
  }, []);
  useEffect(() => {
    map.current?.show(fix, stops ?? []);
  }, [fix?.lat, fix?.lon, fix?.accuracyM, stops]);

  const load = async (lat: number, lon: number) => {
    setError(null);
    try {
      setStops(sortStops(await fieldQueue(lat, lon)));
    } catch (e) {
      setError(toCommandError(e));
    }
  };

  // The list is made at the first position; "Perbarui" makes it again where the phone is now.
  useEffect(() => {
    if (fix && position && !loadedFor.current) {
      loadedFor.current = true;
      void load(fix.lat, fix.lon);
    }
  }, [fix?.lat, fix?.lon]);

  useEffect(() => {
    let alive = true;
    loadAgencies()
      .then((a) => alive && setAgencies(a))
      .catch(() => {});
    return () => {
      alive = false;
    };
  }, []);

  const outcome = async (stop: FieldStop, which: FieldOutcome, extra: { agency?: string; note?: string; original?: string } = {}) => {
    if (busy) return;
    const form = outcomeForm(which, extra);
    const problem = stepProblem(form, position, app.stepRules);
    if (problem) {
      setStopError({ stop: stop.id, error: null, problem });
      return;
    }
    setBusy(stop.id);
    setStopError(null);
    try {
      await act(stepArgs(stop.id, FIELD_ROLE, form, position));
      setStops((list) => (list ? list.filter((s) => s.id !== stop.id) : list));
      setPanel(null);
      setDone((d) => ({ outcome: which, count: (d?.count ?? 0) + 1 }));
      void app.refresh().catch(() => {});
      window.dispatchEvent(new Event(KABAR_CHANGED));
    } catch (e) {
      setStopError({ stop: stop.id, error: toCommandError(e), problem: null });
    } finally {
      setBusy(null);
    }
  };

  let gpsLine: string;
  if (position) gpsLine = t('step.gpsAt', { m: formatMetres(position.accuracyM, lang) });
  else if (gps.state === 'denied' || gps.state === 'unavailable') gpsLine = t('field.noGps');
  else gpsLine = t('where.searching');

  return (
    <main class="screen field" data-testid="field-mode">
      <a class="back" href={href({ name: 'kabar' })} data-testid="back">
        <Icon name="back" />
        {t('common.back')}
      </a>
      <h1>{t('field.title')}</h1>
      <p class="hint">{t('field.intro')}</p>
      <p data-testid="field-gps" data-gps={gps.state}>
        {gpsLine}
      </p>
      {fix && position && (
        <button type="button" class="btn" onClick={() => void load(fix.lat, fix.lon)} data-testid="field-refresh">
          <Icon name="sync" />
          {t('field.refresh')}
        </button>
      )}
      {done && (
        <p class="notice" role="status" data-testid="field-done" data-outcome={done.outcome}>
          {t('field.saved', { n: done.count })}
        </p>
      )}
      <ErrorMessage error={error} testid="field-error" />
      <div class="field-map" ref={mapEl} data-testid="field-map" />
      {stops && stops.length === 0 && <p data-testid="field-empty">{t('field.empty')}</p>}
      {stops && stops.length > 0 && (
        <ul class="cards" data-testid="field-list">
          {stops.map((s) => {
            const mine = panel?.stop === s.id ? panel : null;
            const failed = stopError?.stop === s.id ? stopError : null;
            return (
              <li key={s.id} class="card" data-testid="field-stop" data-report-id={s.id}>
                <a href={href({ name: 'report', id: s.id })} class="card-link">
                  <strong>{categoryName(app.categories, s.category, lang)}</strong>
                  <span data-testid="field-walk">{walkWords(tr, s.distanceM, s.walkMinutes)}</span>
                  {s.description && <span class="hint">{s.description}</span>}
                </a>
                {!mine && (
                  <div class="outcomes">
                    <button type="button" class="btn primary" disabled={busy !== null} onClick={() => void outcome(s, 'valid')} data-testid="outcome-valid">
                      {t('field.valid')}
                    </button>
                    <button type="button" class="btn" disabled={busy !== null} onClick={() => void outcome(s, 'not_found')} data-testid="outcome-not-found">
                      {t('field.notFound')}
                    </button>
                    <button
                      type="button"
                      class="btn"
                      disabled={busy !== null}
                      onClick={() => setPanel({ stop: s.id, outcome: 'not_ours', agency: null, note: '', original: null })}
                      data-testid="outcome-not-ours"
                    >
                      {t('field.notOurs')}
                    </button>
                    <button
                      type="button"
                      class="btn"
                      disabled={busy !== null}
                      onClick={() => setPanel({ stop: s.id, outcome: 'duplicate', agency: null, note: '', original: null })}
                      data-testid="outcome-duplicate"
                    >
                      {t('field.duplicate')}
                    </button>
                  </div>
                )}
                {mine && (
                  <div class="dialog step-form" data-testid="field-panel" data-outcome={mine.outcome}>
                    {mine.outcome === 'not_ours' ? (
                      <>
                        <AgencySelect agencies={agencies} value={mine.agency} onChange={(agency) => setPanel({ ...mine, agency })} />
                        <NoteField value={mine.note} required onInput={(note) => setPanel({ ...mine, note })} />
                      </>
                    ) : (
                      <DuplicatePicker
                        self={s.id}
                        point={s}
                        category={s.category}
                        categories={app.categories}
                        value={mine.original}
                        onChange={(original) => setPanel({ ...mine, original })}
                      />
                    )}
                    <div class="actions">
                      <button
                        type="button"
                        class="btn primary"
                        disabled={busy !== null}
                        onClick={() =>
                          void outcome(s, mine.outcome, {
                            agency: mine.agency ?? undefined,
                            note: mine.note,
                            original: mine.original ?? undefined,
                          })
                        }
                        data-testid="field-send"
                      >
                        {t('step.send')}
                      </button>
                      <button type="button" class="btn" onClick={() => setPanel(null)} data-testid="field-cancel">
                        {t('common.cancel')}
                      </button>
                    </div>
                  </div>
                )}
                {failed?.problem && (
                  <p class="error" role="alert" data-testid="step-problem">
                    {t(failed.problem)}
                  </p>
                )}
                <ErrorMessage error={failed?.error ?? null} testid="field-stop-error" />
              </li>
            );
          })}
        </ul>
      )}
    </main>
  );
}
