// "Already reported? Support it instead": open reports of the same category close by, from the
// phone's own store, shown before a new one is saved. "Dukung" adds the person's support to one
// of them (saved on the phone, sent with the next sync); a new report can still be made.
import { useState } from 'preact/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { CategoryInfo, NearbyReport } from '../../ipc/bindings';
import { support, toCommandError, type CommandError } from '../../ipc/commands';
import { useI18n } from '../../i18n';
import { formatDateTime, formatDistance } from '../../i18n/format';
import { categoryName, statusName } from '../../logic/words';

function SupportButton({ report }: { report: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const [error, setError] = useState<CommandError | null>(null);
  const go = async () => {
    setState('busy');
    setError(null);
    try {
      await support(report);
      setState('done');
    } catch (e) {
      setError(toCommandError(e));
      setState('idle');
    }
  };
  if (state === 'done') return <p data-testid="nearby-supported">{t('nearby.supported')}</p>;
  return (
    <>
      <button
        type="button"
        class="btn"
        disabled={state === 'busy'}
        onClick={() => void go()}
        data-testid="nearby-support"
      >
        {t('support.button')}
      </button>
      <ErrorMessage error={error} testid="nearby-support-error" />
    </>
  );
}

export function Nearby({
  reports,
  categories,
}: {
  reports: readonly NearbyReport[];
  categories: readonly CategoryInfo[];
}) {
  const tr = useI18n();
  const { t, lang } = tr;
  if (reports.length === 0) return null;
  return (
    <section class="nearby" data-testid="nearby" aria-labelledby="nearby-title">
      <h3 id="nearby-title">{t('nearby.title')}</h3>
      <p class="hint">{t('nearby.text')}</p>
      <ul class="cards">
        {reports.map((r) => (
          <li key={r.id} class="card" data-testid="nearby-item" data-report-id={r.id}>
            <p class="card-title">{categoryName(categories, r.category, lang)}</p>
            <p>
              <strong data-testid="nearby-distance">{t('nearby.distance', { d: formatDistance(r.distanceM, lang) })}</strong>
              {' · '}
              {statusName(tr, r.status)}
            </p>
            <p class="hint">{formatDateTime(r.createdAt, lang)}</p>
            {r.description && <p class="excerpt">{r.description}</p>}
            <SupportButton report={r.id} />
          </li>
        ))}
      </ul>
    </section>
  );
}
