// Step 1: what is it? The kind of report, then a grid of big category buttons for that kind.
import { useState } from 'preact/hooks';
import { Icon } from '../../components/Icon';
import type { CategoryInfo, ReportKind } from '../../ipc/bindings';
import { useI18n, type MessageKey } from '../../i18n';
import { href } from '../../logic/route';
import { kindName, REPORT_KINDS } from '../../logic/words';

const KIND_HINTS: Record<ReportKind, MessageKey> = {
  laporan: 'kind.laporan.hint',
  rawan: 'kind.rawan.hint',
  audit: 'kind.audit.hint',
};

export type Choice = { kind: ReportKind; category: CategoryInfo };

export function StepWhat({
  categories,
  initial,
  onChoose,
}: {
  categories: readonly CategoryInfo[];
  initial: Choice | null;
  onChoose: (choice: Choice) => void;
}) {
  const tr = useI18n();
  const { t, lang } = tr;
  const kinds = REPORT_KINDS.filter((k) => categories.some((c) => c.kinds.includes(k)));
  const [kind, setKind] = useState<ReportKind>(initial?.kind ?? kinds[0] ?? 'laporan');
  const [emergency, setEmergency] = useState<CategoryInfo | null>(null);

  const choose = (category: CategoryInfo) => {
    if (category.emergency) setEmergency(category);
    else onChoose({ kind, category });
  };

  if (emergency) {
    return (
      <section class="stack" data-testid="emergency-notice" role="alertdialog" aria-labelledby="emergency-title">
        <div class="emergency">
          <h2 id="emergency-title">
            <Icon name="warning" />
            {t('emergency.title')}
          </h2>
          <p>{t('emergency.text')}</p>
          <a class="btn danger call" href="tel:112" data-testid="call-112">
            <Icon name="phone" />
            {t('emergency.call112')}
          </a>
          <a class="btn danger call" href="tel:113" data-testid="call-113">
            <Icon name="phone" />
            {t('emergency.call113')}
          </a>
        </div>
        <div class="actions">
          <button
            type="button"
            class="btn primary"
            onClick={() => onChoose({ kind, category: emergency })}
            data-testid="emergency-continue"
          >
            {t('emergency.continue')}
          </button>
          <button type="button" class="btn" onClick={() => setEmergency(null)} data-testid="emergency-back">
            {t('common.back')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section class="stack">
      <h2>{t('what.title')}</h2>
      {kinds.length > 1 && (
        <fieldset class="kinds">
          <legend>{t('what.kind')}</legend>
          {kinds.map((k) => (
            <label key={k} class={k === kind ? 'kind selected' : 'kind'} data-testid={`kind-${k}`}>
              <input
                type="radio"
                name="kind"
                value={k}
                checked={k === kind}
                onChange={() => setKind(k)}
              />
              <span class="kind-name">{kindName(tr, k)}</span>
              <span class="hint">{t(KIND_HINTS[k])}</span>
            </label>
          ))}
        </fieldset>
      )}
      {kind === 'audit' && (
        <a class="btn primary" href={href({ name: 'audit' })} data-testid="start-audit">
          <Icon name="audit" />
          {t('audit.start')}
        </a>
      )}
      <div class="category-grid" hidden={kind === 'audit'}>
        {categories
          .filter((c) => c.kinds.includes(kind))
          .map((c) => (
            <button
              key={c.code}
              type="button"
              class={c.emergency ? 'category emergency-category' : 'category'}
              aria-pressed={initial?.category.code === c.code && initial.kind === kind}
              onClick={() => choose(c)}
              data-testid={`category-${c.code}`}
            >
              <Icon name={c.icon} />
              <span>{lang === 'id' ? c.nameId : c.nameEn}</span>
            </button>
          ))}
      </div>
    </section>
  );
}
