import { useI18n } from '../../i18n';

const STEP_KEYS = ['flow.step1', 'flow.step2', 'flow.step3'] as const;

/** Three numbered circles and, under them, the current step's name (fits at any text size). */
export function StepIndicator({ step }: { step: 1 | 2 | 3 }) {
  const { t } = useI18n();
  return (
    <nav class="steps" aria-label={t('flow.steps')} data-testid="step-indicator" data-step={step}>
      <ol>
        {STEP_KEYS.map((key, i) => {
          const n = i + 1;
          const state = n < step ? 'done' : n === step ? 'current' : 'todo';
          return (
            <li key={key} class={`step ${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <span class="step-number" aria-hidden="true">
                {n}
              </span>
              <span class="visually-hidden">
                {t('flow.stepOf', { n })}: {t(key)}
              </span>
            </li>
          );
        })}
      </ol>
      <p class="step-caption" aria-hidden="true">
        {t('flow.stepOf', { n: step })}: <strong>{t(STEP_KEYS[step - 1]!)}</strong>
      </p>
    </nav>
  );
}
