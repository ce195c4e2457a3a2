// One report: what, where, photos, the history of what happened to it (the device's own events
// and the lifecycle's steps, who as which role, where), its deadline, support, and the steps the
// signed-in person may take.
import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Icon } from '../components/Icon';
import { ParameterBars, ScoreLine } from '../components/ScoreBands';
import { KABAR_CHANGED } from '../components/TabBar';
import type {
  AgencyInfo,
  CommandError,
  LifecycleStep,
  ReportDetail as Detail,
  ReportLifecycle,
  TimelineEntry,
} from '../ipc/bindings';
import { agencies as loadAgencies, reportDetail, reportLifecycle, toCommandError } from '../ipc/commands';
import { useI18n, type Translator } from '../i18n';
import { formatCoordinate, formatDateTime, formatMetres } from '../i18n/format';
import { agencyName } from '../logic/lifecycle';
import { href } from '../logic/route';
import {
  categoryName,
  kindName,
  presenceWords,
  reasonName,
  statusName,
  stepWho,
  syncWords,
  timelineWords,
} from '../logic/words';
import { useApp } from '../state';
import { SlaChip, StepActions, SupportBox } from './ReportSteps';
import { useAuditForm } from './useAuditForm';

type Line = { at: number; event: TimelineEntry; step?: never } | { at: number; step: LifecycleStep; event?: never };

/** The device's events and the lifecycle's steps in one list, oldest first. A status change
 *  the lifecycle tells in full is not told twice. */
function lines(timeline: readonly TimelineEntry[], history: readonly LifecycleStep[]): Line[] {
  const events = history.length > 0 ? timeline.filter((e) => !e.what.startsWith('status:')) : timeline;
  return [
    ...events.map((event) => ({ at: event.at, event })),
    ...history.map((step) => ({ at: step.at, step })),
  ].sort((a, b) => a.at - b.at);
}

function StepLine({ step, agencies, tr }: { step: LifecycleStep; agencies: readonly AgencyInfo[]; tr: Translator }) {
  const { t, lang } = tr;
  const agency = agencyName(agencies, step.agency, lang);
  return (
    <li data-testid="step-entry" data-action={step.action} data-presence={step.presence}>
      <time dateTime={new Date(step.at).toISOString()}>{formatDateTime(step.at, lang)}</time>
      <span class="what">{statusName(tr, step.toStatus)}</span>
      <span class="who" data-testid="step-who">
        {stepWho(tr, step)} · <span data-testid="step-where">{presenceWords(tr, step)}</span>
      </span>
      {step.reason && <span class="detail">{t('step.reasonIs', { reason: reasonName(tr, step.reason) })}</span>}
      {agency && <span class="detail" data-testid="step-agency">{t('step.agencyIs', { agency })}</span>}
      {step.original && (
        <a class="detail" href={href({ name: 'report', id: step.original })}>
          {t('step.originalLink')}
        </a>
      )}
      {step.note && <span class="detail note" data-testid="step-note-text">“{step.note}”</span>}
      {step.hasPhoto && <span class="detail">{t('step.withPhoto')}</span>}
    </li>
  );
}

export function ReportDetail({ id }: { id: string }) {
  const tr = useI18n();
  const { t, lang } = tr;
  const app = useApp();
  const { categories } = app;
  const [report, setReport] = useState<Detail | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [life, setLife] = useState<ReportLifecycle | null>(null);
  const [lifeError, setLifeError] = useState<CommandError | null>(null);
  const [agencies, setAgencies] = useState<AgencyInfo[]>([]);
  const form = useAuditForm(Boolean(report?.audit));

  useEffect(() => {
    let alive = true;
    setReport(null);
    setError(null);
    setLife(null);
    setLifeError(null);
    reportDetail(id)
      .then((r) => alive && setReport(r))
      .catch((e) => alive && setError(toCommandError(e)));
    reportLifecycle(id)
      .then((l) => alive && setLife(l))
      .catch((e) => alive && setLifeError(toCommandError(e)));
    return () => {
      alive = false;
    };
  }, [id]);

  useEffect(() => {
    let alive = true;
    loadAgencies()
      .then((a) => alive && setAgencies(a))
      .catch(() => {}); // without names, agencies show by their codes
    return () => {
      alive = false;
    };
  }, []);

  /** After a step or support: the new lifecycle, and the report and counts it changed. */
  const changed = (next: ReportLifecycle) => {
    setLife(next);
    reportDetail(id)
      .then(setReport)
      .catch(() => {});
    void app.refresh().catch(() => {});
    window.dispatchEvent(new Event(KABAR_CHANGED));
  };

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
  const timeline = lines(report.timeline, life?.history ?? []);
  const agency = agencyName(agencies, life?.agency ?? null, lang);

  return (
    <main class="screen detail" data-testid="report-detail" data-report-id={report.id}>
      {back}
      <h1>{categoryName(categories, report.category, lang)}</h1>
      <dl class="facts">
        <div>
          <dt>{t('detail.status')}</dt>
          <dd data-testid="detail-status">
            {statusName(tr, report.status)}
            {life?.sla && (
              <span class="block">
                <SlaChip sla={life.sla} />
              </span>
            )}
          </dd>
        </div>
        {agency && (
          <div>
            <dt>{t('detail.agency')}</dt>
            <dd data-testid="detail-agency">{agency}</dd>
          </div>
        )}
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

      {life?.duplicateOf && (
        <p class="notice" data-testid="duplicate-of">
          {t('detail.duplicateOf')}{' '}
          <a href={href({ name: 'report', id: life.duplicateOf })}>{t('detail.openOriginal')}</a>
        </p>
      )}
      {life?.placeFlag && (
        <p class="warning" data-testid="place-flag" data-flag={life.placeFlag}>
          {t('detail.placeFlag')}
        </p>
      )}

      {report.audit && (
        <section class="audit-result" data-testid="audit-result">
          <h2>{t('detail.audit')}</h2>
          <ScoreLine score={report.audit.score} band={report.audit.band} testid="audit-score" />
          <h3>{t('detail.auditRatings')}</h3>
          <ParameterBars values={report.audit.ratings} form={form} testid="audit-rating" rubrics />
        </section>
      )}

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

      {life?.beforeAfter && (
        <section class="before-after" data-testid="before-after">
          <h2>{t('detail.beforeAfter')}</h2>
          <div class="pair">
            {(['before', 'after'] as const).map((side) => (
              <figure key={side} data-testid={`${side}-photo`}>
                {life.beforeAfter![side] ? (
                  <img src={life.beforeAfter![side]!} alt={t(`detail.${side}`)} />
                ) : (
                  <span class="thumb-name">{t(side === 'before' ? 'detail.noBefore' : 'detail.photoMissing')}</span>
                )}
                <figcaption>{t(`detail.${side}`)}</figcaption>
              </figure>
            ))}
          </div>
        </section>
      )}

      {life && (life.supporters > 0 || life.canSupport || life.supporting) && (
        <SupportBox life={life} onChange={changed} />
      )}

      {life && life.offered.length > 0 && (
        <StepActions
          life={life}
          report={report}
          agencies={agencies}
          categories={categories}
          onDone={changed}
        />
      )}
      <ErrorMessage error={lifeError} testid="lifecycle-error" />

      <h2>{t('detail.timeline')}</h2>
      <ol class="timeline" data-testid="timeline">
        {timeline.map((line, i) =>
          line.step ? (
            <StepLine key={`s-${line.at}-${i}`} step={line.step} agencies={agencies} tr={tr} />
          ) : (
            <li key={`${line.at}-${i}`} data-testid="timeline-entry" data-what={line.event.what}>
              <time dateTime={new Date(line.at).toISOString()}>{formatDateTime(line.at, lang)}</time>
              <span class="what">{timelineWords(tr, line.event)}</span>
              {line.event.detail && <span class="detail">{line.event.detail}</span>}
            </li>
          ),
        )}
      </ol>
    </main>
  );
}
