// Kabar, the inbox: what others did to the person's reports (and ones they support), newest
// first, and the reports waiting on a step the person may take, overdue first. Opening it marks
// the news read (the dots stay for this visit).
import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Icon } from '../components/Icon';
import { KABAR_CHANGED } from '../components/TabBar';
import type { CommandError, Kabar as KabarData } from '../ipc/bindings';
import { kabar, markKabarRead, toCommandError } from '../ipc/commands';
import { useI18n } from '../i18n';
import { formatDateTime } from '../i18n/format';
import { sortNews, sortWaiting } from '../logic/lifecycle';
import { href } from '../logic/route';
import { actionName, categoryName, presenceWords, statusName, stepWho } from '../logic/words';
import { useApp } from '../state';
import { Patrol } from './Patrol';
import { SlaChip } from './ReportSteps';

export function Kabar() {
  const tr = useI18n();
  const { t, lang } = tr;
  const { state, categories } = useApp();
  const [data, setData] = useState<KabarData | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const signedIn = state.account.kind === 'signedIn';
  const lurah = state.account.kind === 'signedIn' && state.account.role === 'lurah';

  useEffect(() => {
    let alive = true;
    kabar()
      .then(async (k) => {
        if (!alive) return;
        setData(k);
        if (k.unread > 0) {
          await markKabarRead();
          window.dispatchEvent(new Event(KABAR_CHANGED));
        }
      })
      .catch((e) => alive && setError(toCommandError(e)));
    return () => {
      alive = false;
    };
  }, []);

  const news = data ? sortNews(data.news) : [];
  const waiting = data ? sortWaiting(data.waiting) : [];

  return (
    <main class="screen kabar" data-testid="kabar">
      <h1>{t('kabar.title')}</h1>
      {!signedIn && <p data-testid="kabar-local">{t('kabar.local')}</p>}
      {lurah && (
        <a class="btn primary" href={href({ name: 'field' })} data-testid="field-mode-link">
          <Icon name="walk" />
          {t('field.title')}
        </a>
      )}
      {signedIn && <Patrol />}
      <ErrorMessage error={error} testid="kabar-error" />
      {!data && !error && <p>{t('app.loading')}</p>}
      {data && (
        <>
          <h2>
            {t('kabar.waiting')}
            {(data.overdue > 0 || data.dueSoon > 0) && (
              <span class="counts" data-testid="waiting-counts">
                {' '}
                ({t('kabar.counts', { red: data.overdue, amber: data.dueSoon })})
              </span>
            )}
          </h2>
          {waiting.length === 0 ? (
            <p data-testid="waiting-empty">{t('kabar.waitingEmpty')}</p>
          ) : (
            <ul class="cards" data-testid="waiting-list">
              {waiting.map((w) => (
                <li key={w.report} class="card" data-testid="waiting-item" data-flag={w.sla?.flag ?? 'none'}>
                  <a href={href({ name: 'report', id: w.report })} class="card-link">
                    <strong>{categoryName(categories, w.category, lang)}</strong>
                    <span>{statusName(tr, w.status)}</span>
                    {w.sla && <SlaChip sla={w.sla} />}
                    <span class="hint">{w.actions.map((a) => actionName(tr, a.action)).join(' · ')}</span>
                  </a>
                </li>
              ))}
            </ul>
          )}

          <h2>{t('kabar.news')}</h2>
          {news.length === 0 ? (
            <p data-testid="news-empty">{t('kabar.newsEmpty')}</p>
          ) : (
            <ul class="cards" data-testid="news-list">
              {news.map((n, i) => (
                <li
                  key={`${n.report}-${n.step.at}-${i}`}
                  class={n.unread ? 'card unread' : 'card'}
                  data-testid="news-item"
                  data-unread={n.unread ? 'true' : 'false'}
                >
                  <a href={href({ name: 'report', id: n.report })} class="card-link">
                    <span class="line">
                      {n.unread && <span class="dot" aria-label={t('kabar.unread')} data-testid="unread-dot" />}
                      <strong>{categoryName(categories, n.category, lang)}</strong>
                    </span>
                    <span>{t('kabar.stepTo', { status: statusName(tr, n.step.toStatus) })}</span>
                    <span class="hint">
                      {stepWho(tr, n.step)} · {presenceWords(tr, n.step)}
                    </span>
                    {n.step.note && <span class="note">“{n.step.note}”</span>}
                    <time dateTime={new Date(n.step.at).toISOString()}>{formatDateTime(n.step.at, lang)}</time>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </main>
  );
}
