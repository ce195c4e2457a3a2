// "Already reported? Support it instead": open reports of the same category close by, from the
// phone's own store, shown before a new one is saved. (The support action comes later.)
import type { CategoryInfo, NearbyReport } from '../../ipc/bindings';
import { useI18n } from '../../i18n';
import { formatDateTime, formatDistance } from '../../i18n/format';
import { categoryName, statusName } from '../../logic/words';

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
          </li>
        ))}
      </ul>
    </section>
  );
}
