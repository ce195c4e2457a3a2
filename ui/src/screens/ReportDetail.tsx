// One report: what, where, photos, and the history of what happened to it.
import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Icon } from '../components/Icon';
import type { CommandError, ReportDetail as Detail } from '../ipc/bindings';
import { reportDetail, toCommandError } from '../ipc/commands';
import { useI18n } from '../i18n';
import { formatCoordinate, formatDateTime, formatMetres } from '../i18n/format';
import { href } from '../logic/route';
import { categoryName, kindName, statusName, syncWords, timelineWords } from '../logic/words';
import { useApp } from '../state';

export function ReportDetail({ id }: { id: string }) {
  const tr = useI18n();
  const { t, lang } = tr;
  const { categories } = useApp();
  const [report, setReport] = useState<Detail | null>(null);
  const [error, setError] = useState<CommandError | null>(null);

  useEffect(() => {
    let alive = true;
    setReport(null);
    setError(null);
    reportDetail(id)
      .then((r) => alive && setReport(r))
      .catch((e) => alive && setError(toCommandError(e)));
    return () => {
      alive = false;
    };
  }, [id]);

  const back = (
    <a class="back" href={href({ name: 'reports' })} data-testid="back">
      <Icon name="back" />
      {t('common.back')}
    </a>
  );

  if (!report) {
    return (
      <main class="screen detail" data-testid="report-detail">
        {back}
        <h1>{t('detail.title')}</h1>
        {error ? <ErrorMessage error={error} testid="detail-error" /> : <p>{t('app.loading')}</p>}
      </main>
    );
  }

  const sync = syncWords(tr, report.sync, report.rejection);
  const timeline = [...report.timeline].sort((a, b) => a.at - b.at);

  return (
    <main class="screen detail" data-testid="report-detail" data-report-id={report.id}>
      {back}
      <h1>{categoryName(categories, report.category, lang)}</h1>
      <dl class="facts">
        <div>
          <dt>{t('detail.status')}</dt>
          <dd data-testid="detail-status">{statusName(tr, report.status)}</dd>
        </div>
        <div>
          <dt>{t('detail.kind')}</dt>
          <dd>{kindName(tr, report.kind)}</dd>
        </div>
        <div>
          <dt>{t('detail.sync')}</dt>
          <dd data-testid="detail-sync" data-sync-state={report.sync}>
            {sync.label}
            {sync.reason && <span class="reason"> — {sync.reason}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('detail.created')}</dt>
          <dd>{formatDateTime(report.createdAt, lang)}</dd>
        </div>
        <div>
          <dt>{t('detail.location')}</dt>
          <dd data-testid="detail-location">
          {formatCoordinate(report.lat, report.lon)}
          {' ('}
          {report.accuracyM === null
            ? t('detail.pickedOnMap')
            : t('detail.accuracy', { m: formatMetres(report.accuracyM, lang) })}
          {')'}
          {report.area && <span class="block">{t('detail.area', { area: report.area })}</span>}
          </dd>
        </div>
      </dl>

      <h2>{t('detail.description')}</h2>
      <p class="description" data-testid="detail-description">
        {report.description ?? t('detail.noDescription')}
      </p>

      <h2>{t('detail.photos')}</h2>
      {report.photos.length === 0 ? (
        <p>{t('detail.noPhotos')}</p>
      ) : (
        <ul class="thumbs">
          {report.photos.map((p, i) => (
            <li key={p.sha256} data-testid="detail-photo">
              {p.dataUrl ? (
                <img src={p.dataUrl} width={p.width} height={p.height} alt={t('detail.photoAlt', { n: i + 1 })} />
              ) : (
                <span class="thumb-name">{t('detail.photoMissing')}</span>
              )}
            </li>
          ))}
        </ul>
      )}

      <h2>{t('detail.timeline')}</h2>
      <ol class="timeline" data-testid="timeline">
        {timeline.map((e, i) => (
          <li key={`${e.at}-${i}`} data-testid="timeline-entry" data-what={e.what}>
            <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, lang)}</time>
            <span class="what">{timelineWords(tr, e)}</span>
            {e.detail && <span class="detail">{e.detail}</span>}
          </li>
        ))}
      </ol>
    </main>
  );
}
