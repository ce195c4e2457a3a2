// A report's lifecycle on its detail screen: the deadline chip, support, and the steps the
// signed-in person may take (the backend's `offered` list, nothing else).
import { useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Icon } from '../components/Icon';
import { AgencySelect, DuplicatePicker, NoteField, ReasonPicker, StepPhoto } from '../components/StepFields';
import type {
  AgencyInfo,
  CategoryInfo,
  CommandError,
  OfferedAction,
  ReportLifecycle,
  SlaInfo,
  StagedPhoto,
} from '../ipc/bindings';
import { act, support, toCommandError } from '../ipc/commands';
import { useI18n } from '../i18n';
import { formatDateTime, formatMetres } from '../i18n/format';
import {
  ACTION_ORDER,
  emptyForm,
  needsNote,
  ONE_TAP,
  SLA_KEYS,
  stepArgs,
  stepPosition,
  stepProblem,
  type StepForm,
  type StepProblem,
} from '../logic/lifecycle';
import { actionName } from '../logic/words';
import { useApp } from '../state';
import { useGps } from './useGps';

export function SlaChip({ sla }: { sla: SlaInfo }) {
  const { t, lang } = useI18n();
  return (
    <span class={`chip sla sla-${sla.flag}`} data-testid="sla-chip" data-flag={sla.flag}>
      {t(SLA_KEYS[sla.flag])}
      {sla.deadline !== null && <> · {t('sla.deadline', { time: formatDateTime(sla.deadline, lang) })}</>}
    </span>
  );
}

export function SupportBox({ life, onChange }: { life: ReportLifecycle; onChange: (l: ReportLifecycle) => void }) {
  const { t, tp } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      onChange(await support(life.id));
    } catch (e) {
      setError(toCommandError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="support" data-testid="support">
      <p data-testid="supporters">{tp('support.count', life.supporters)}</p>
      {life.supporting && <p data-testid="supporting">{t('support.mine')}</p>}
      {life.canSupport && (
        <button type="button" class="btn primary" disabled={busy} onClick={() => void go()} data-testid="support-button">
          <Icon name="plus" />
          {t('support.button')}
        </button>
      )}
      <ErrorMessage error={error} testid="support-error" />
    </div>
  );
}

const ordered = (offered: readonly OfferedAction[]) =>
  [...offered].sort((a, b) => ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action));

export function StepActions({
  life,
  report,
  agencies,
  categories,
  onDone,
}: {
  life: ReportLifecycle;
  report: { id: string; lat: number; lon: number; category: string };
  agencies: readonly AgencyInfo[];
  categories: readonly CategoryInfo[];
  onDone: (l: ReportLifecycle) => void;
}) {
  const tr = useI18n();
  const { t, lang } = tr;
  const { stepRules } = useApp();
  const gps = useGps();
  const [form, setForm] = useState<StepForm | null>(null);
  const [photo, setPhoto] = useState<StagedPhoto | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<StepProblem | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const position = gps.state === 'fix' ? stepPosition(gps.fix, gps.at) : null;
  const roleOf = (action: StepForm['action']) => life.offered.find((o) => o.action === action)?.role ?? null;

  const send = async (f: StepForm) => {
    const role = roleOf(f.action);
    if (!role || busy) return;
    const why = stepProblem(f, position, stepRules);
    setProblem(why);
    setError(null);
    if (why) return;
    setBusy(true);
    try {
      const next = await act(stepArgs(life.id, role, f, position));
      setForm(null);
      setPhoto(null);
      onDone(next);
    } catch (e) {
      setError(toCommandError(e));
    } finally {
      setBusy(false);
    }
  };

  const open = (action: StepForm['action']) => {
    setProblem(null);
    setError(null);
    setPhoto(null);
    if (ONE_TAP.includes(action)) {
      void send(emptyForm(action));
    } else {
      setForm(emptyForm(action));
    }
  };

  const change = (patch: Partial<StepForm>) => form && setForm({ ...form, ...patch });

  return (
    <section class="steps" data-testid="step-actions">
      <h2>{t('step.title')}</h2>
      <p class="hint" data-testid="step-gps" data-gps={gps.state}>
        {position ? t('step.gpsAt', { m: formatMetres(position.accuracyM, lang) }) : t('step.noGps')}
      </p>
      {!form && (
        <div class="step-buttons">
          {ordered(life.offered).map((o) => (
            <button
              key={o.action}
              type="button"
              class={o.action === 'verify' || o.action === 'confirm' ? 'btn primary' : 'btn'}
              disabled={busy}
              onClick={() => open(o.action)}
              data-testid={`action-${o.action}`}
            >
              {actionName(tr, o.action)}
            </button>
          ))}
        </div>
      )}
      {form && (
        <div class="dialog step-form" data-testid="step-form" data-action={form.action}>
          <h3>{actionName(tr, form.action)}</h3>
          {form.action === 'reject' && <ReasonPicker value={form.reason} onChange={(reason) => change({ reason })} />}
          {form.action === 'mark_duplicate' && (
            <DuplicatePicker
              self={report.id}
              point={report}
              category={report.category}
              categories={categories}
              value={form.original}
              onChange={(original) => change({ original })}
            />
          )}
          {(form.action === 'reroute' || form.action === 'dispose') && (
            <AgencySelect
              agencies={agencies}
              value={form.agency}
              matrixDefault={form.action === 'dispose'}
              onChange={(agency) => change({ agency })}
            />
          )}
          {(form.action === 'resolve' || form.action === 'reopen') && (
            <StepPhoto
              value={photo}
              required={form.action === 'resolve'}
              onChange={(p) => {
                setPhoto(p);
                change({ photo: p?.sha256 ?? null });
              }}
            />
          )}
          {form.action !== 'mark_duplicate' && form.action !== 'dispose' && (
            <NoteField value={form.note} required={needsNote(form, stepRules)} onInput={(note) => change({ note })} />
          )}
          {problem && (
            <p class="error" role="alert" data-testid="step-problem" data-problem={problem}>
              {t(problem)}
            </p>
          )}
          <div class="actions">
            <button type="button" class="btn primary" disabled={busy} onClick={() => void send(form)} data-testid="step-send">
              {busy ? t('step.sending') : t('step.send')}
            </button>
            <button type="button" class="btn" disabled={busy} onClick={() => setForm(null)} data-testid="step-cancel">
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {!form && problem && (
        <p class="error" role="alert" data-testid="step-problem" data-problem={problem}>
          {t(problem)}
        </p>
      )}
      <ErrorMessage error={error} testid="step-error" />
    </section>
  );
}
