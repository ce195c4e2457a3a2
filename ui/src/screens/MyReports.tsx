// My reports: where each one is on its way to the server, photo uploads, and "sync now".
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Icon } from '../components/Icon';
import type { CommandError, MyReport, SyncOutcome, SyncProgress } from '../ipc/bindings';
import { myReports, onSyncProgress, syncNow, toCommandError } from '../ipc/commands';
import { useI18n, type Translator } from '../i18n';
import { formatBytes, formatDateTime, formatNumber } from '../i18n/format';
import { href } from '../logic/route';
import { categoryName, errorText, statusName, syncWords } from '../logic/words';
import { useApp } from '../state';

/** While photos go up, re-read the list (and its byte counts) at most this often. */
export const PROGRESS_REFRESH_MS = 1000;

export function progressWords(tr: Translator, p: SyncProgress): string {
  switch (p.phase) {
    case 'photos':
      return tr.t('reports.phase.photos', { bytes: formatBytes(p.bytesSent, tr.lang) });
    case 'push':
      return tr.t('reports.phase.push', { n: formatNumber(p.opsSent, tr.lang) });
    case 'pull':
      return tr.t('reports.phase.pull', { n: formatNumber(p.opsReceived, tr.lang) });
    case 'done':
      return tr.t('reports.phase.done');
  }
}

export function MyReports() {
  const tr = useI18n();
  const { t, lang } = tr;
  const app = useApp();
  const [reports, setReports] = useState<MyReport[] | null>(null);
  const [loadError, setLoadError] = useState<CommandError | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [outcome, setOutcome] = useState<SyncOutcome | null>(null);
  const [syncError, setSyncError] = useState<CommandError | null>(null);
  const lastRefresh = useRef(0);

  const load = useCallback(async () => {
    try {
      setReports(await myReports());
      setLoadError(null);
    } catch (e) {
      setLoadError(toCommandError(e));
    }
  }, []);

  useEffect(() => {
    void load();
    let unlisten: (() => void) | null = null;
    let alive = true;
    onSyncProgress((p) => {
      if (!alive) return;
      setProgress(p);
      const now = Date.now();
      if (p.phase === 'photos' && now - lastRefresh.current >= PROGRESS_REFRESH_MS) {
        lastRefresh.current = now;
        void load();
      } else if (p.phase === 'done') {
        // The app also syncs on its own; what it sent or received shows without a tap.
        void load();
        app.refresh().catch(() => {});
      }
    })
      .then((fn) => {
        if (alive) unlisten = fn;
        else fn();
      })
      .catch(() => {});
    return () => {
      alive = false;
      unlisten?.();
    };
  }, [load]);

  const sync = async () => {
    if (syncing) return;
    setSyncing(true);
    setOutcome(null);
    setSyncError(null);
    setProgress(null);
    try {
      setOutcome(await syncNow());
    } catch (e) {
      setSyncError(toCommandError(e));
    } finally {
      setSyncing(false);
      setProgress(null);
      await Promise.all([load(), app.refresh().catch(() => {})]);
    }
  };

  const signedIn = app.state.account.kind === 'signedIn';
  const { lastSyncAt, pendingOps } = app.state;

  return (
    <main class="screen my-reports" data-testid="my-reports">
      <h1>{t('reports.title')}</h1>

      <section class="sync-box" aria-live="polite">
        {signedIn ? (
          <>
            <p data-testid="last-sync">
              {lastSyncAt === null
                ? t('reports.neverSynced')
                : t('reports.lastSync', { time: formatDateTime(lastSyncAt, lang) })}
            </p>
            {pendingOps > 0 && <p data-testid="pending-ops">{tr.tp('reports.pending', pendingOps)}</p>}
            {syncing && progress && (
              <p data-testid="sync-progress" data-phase={progress.phase}>
                {progressWords(tr, progress)}
              </p>
            )}
            {outcome &&
              (outcome.ok ? (
                <p class="ok" data-testid="sync-result" data-ok="true">
                  {t('reports.syncOk', {
                    sent: formatNumber(outcome.sent, lang),
                    received: formatNumber(outcome.received, lang),
                  })}
                </p>
              ) : (
                <p class="error" role="alert" data-testid="sync-result" data-ok="false">
                  {t('reports.syncFailed', {
                    reason: outcome.error ? errorText(tr, outcome.error) : t('error.UNKNOWN_ERROR'),
                  })}
                </p>
              ))}
            <ErrorMessage error={syncError} testid="sync-error" />
          </>
        ) : (
          <p data-testid="local-notice">{t('reports.localNotice')}</p>
        )}
      </section>

      <ErrorMessage error={loadError} testid="reports-error" />
      {reports && reports.length === 0 && <p data-testid="reports-empty">{t('reports.empty')}</p>}
      {reports && reports.length > 0 && (
        <ul class="cards" data-testid="my-reports-list">
          {reports.map((r) => {
            const words = syncWords(tr, r.sync, r.rejection);
            const uploading = r.photosTotalBytes > 0 && r.photosSentBytes < r.photosTotalBytes;
            return (
              <li key={r.id} class="card" data-testid="my-report-item" data-sync-state={r.sync} data-report-id={r.id}>
                <a class="card-link" href={href({ name: 'report', id: r.id })}>
                  <span class="card-title">{categoryName(app.categories, r.category, lang)}</span>
                  <span class="hint">{formatDateTime(r.createdAt, lang)}</span>
                  <span>{statusName(tr, r.status)}</span>
                  <span class={`chip sync-${r.sync}`} data-testid="sync-state-label">
                    {words.label}
                  </span>
                  {words.reason && (
                    <span class="reason" data-testid="rejection-reason">
                      {words.reason}
                    </span>
                  )}
                </a>
                {uploading && (
                  <div class="upload" data-testid="photo-progress">
                    <progress max={r.photosTotalBytes} value={r.photosSentBytes} />
                    <span class="hint">
                      {t('reports.photoProgress', {
                        sent: formatBytes(r.photosSentBytes, lang),
                        total: formatBytes(r.photosTotalBytes, lang),
                      })}
                    </span>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}

      <div class="bottom-bar">
        {signedIn ? (
          <button type="button" class="btn primary" disabled={syncing} onClick={sync} data-testid="sync-now">
            <Icon name="sync" />
            {syncing ? t('reports.syncing') : t('reports.syncNow')}
          </button>
        ) : (
          <a class="btn primary" href={href({ name: 'signIn' })} data-testid="reports-sign-in">
            {t('reports.signIn')}
          </a>
        )}
      </div>
    </main>
  );
}
