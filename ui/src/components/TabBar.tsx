import { useI18n } from '../i18n';
import { href, type Route } from '../logic/route';
import { Icon } from './Icon';

const TABS = [
  { route: { name: 'map' }, key: 'tab.map', icon: 'map', testid: 'tab-map' },
  { route: { name: 'reports' }, key: 'tab.reports', icon: 'list', testid: 'tab-reports' },
  { route: { name: 'settings' }, key: 'tab.settings', icon: 'settings', testid: 'tab-settings' },
] as const;

const active = (tab: Route['name'], current: Route['name']) =>
  tab === current || (tab === 'reports' && current === 'report') || (tab === 'settings' && current === 'signIn');

export function TabBar({ current }: { current: Route['name'] }) {
  const { t } = useI18n();
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
          <Icon name={tab.icon} />
          <span>{t(tab.key)}</span>
        </a>
      ))}
    </nav>
  );
}
