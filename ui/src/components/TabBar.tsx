import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import { kabar } from '../ipc/commands';
import { kabarBadge } from '../logic/lifecycle';
import { href, type Route } from '../logic/route';
import { useApp } from '../state';
import { Icon } from './Icon';

/** Sent on `window` when the inbox may have changed (read, a step taken, a sync). */
export const KABAR_CHANGED = 'ronda-kabar-changed';

const TABS = [
  { route: { name: 'map' }, key: 'tab.map', icon: 'map', testid: 'tab-map' },
  { route: { name: 'reports' }, key: 'tab.reports', icon: 'list', testid: 'tab-reports' },
  { route: { name: 'kabar' }, key: 'tab.kabar', icon: 'bell', testid: 'tab-kabar' },
  { route: { name: 'settings' }, key: 'tab.settings', icon: 'settings', testid: 'tab-settings' },
] as const;

const active = (tab: Route['name'], current: Route['name']) =>
  tab === current ||
  (tab === 'reports' && current === 'report') ||
  (tab === 'settings' && current === 'signIn') ||
  (tab === 'kabar' && current === 'field');

/** Unread news plus overdue reports, read again on every screen change and inbox change. */
function useKabarCount(current: Route['name']): number {
  const { state } = useApp();
  const signedIn = state.account.kind === 'signedIn';
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!signedIn) {
      setCount(0);
      return;
    }
    let alive = true;
    const load = () =>
      kabar()
        .then((k) => alive && setCount(kabarBadge(k)))
        .catch(() => {}); // only a badge: never in the way
    void load();
    window.addEventListener(KABAR_CHANGED, load);
    return () => {
      alive = false;
      window.removeEventListener(KABAR_CHANGED, load);
    };
  }, [current, signedIn, state.lastSyncAt, state.pendingOps]);
  return count;
}

export function TabBar({ current }: { current: Route['name'] }) {
  const { t } = useI18n();
  const count = useKabarCount(current);
  return (
    <nav class="tabbar" aria-label={t('tab.label')}>
      {TABS.map((tab) => (
        <a
          key={tab.testid}
          class="tab"
          href={href(tab.route)}
          data-testid={tab.testid}
          aria-current={active(tab.route.name, current) ? 'page' : undefined}
        >
          <span class="tab-icon">
            <Icon name={tab.icon} />
            {tab.route.name === 'kabar' && count > 0 && (
              <span class="badge" data-testid="kabar-badge" aria-label={t('kabar.badge', { n: count })}>
                {count > 99 ? '99+' : count}
              </span>
            )}
          </span>
          <span>{t(tab.key)}</span>
        </a>
      ))}
    </nav>
  );
}
