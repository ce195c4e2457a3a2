import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorMessage } from './components/ErrorMessage';
import { TabBar } from './components/TabBar';
import type { AppState, BandRange, CategoryInfo, CommandError, StepRules } from './ipc/bindings';
import {
  appState,
  categories as loadCategories,
  scoreBands as loadScoreBands,
  stepRules as loadStepRules,
  toCommandError,
} from './ipc/commands';
import { I18nContext, makeTranslator } from './i18n';
import { parseRoute, type Route } from './logic/route';
import { FieldMode } from './screens/FieldMode';
import { FirstRun } from './screens/FirstRun';
import { Kabar } from './screens/Kabar';
import { MapHome } from './screens/MapHome';
import { MyReports } from './screens/MyReports';
import { ReportDetail } from './screens/ReportDetail';
import { AuditFlow } from './screens/AuditFlow';
import { ReportFlow } from './screens/ReportFlow';
import { Settings } from './screens/Settings';
import { AppContext, type AppContextValue } from './state';

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'map':
      return <MapHome />;
    case 'new':
      return <ReportFlow />;
    case 'reports':
      return <MyReports />;
    case 'report':
      return <ReportDetail id={route.id} />;
    case 'settings':
      return <Settings />;
    case 'signIn':
      return <FirstRun mode="signIn" />;
    case 'kabar':
      return <Kabar />;
    case 'field':
      return <FieldMode />;
    case 'audit':
      return <AuditFlow />;
  }
}

export function App() {
  const route = useRoute();
  const [state, setState] = useState<AppState | null>(null);
  const [categories, setCategories] = useState<CategoryInfo[]>([]);
  const [stepRules, setStepRules] = useState<StepRules | null>(null);
  const [scoreBands, setScoreBands] = useState<BandRange[]>([]);
  const [fatal, setFatal] = useState<CommandError | null>(null);

  const start = useCallback(async () => {
    setFatal(null);
    try {
      const [s, c, r, b] = await Promise.all([appState(), loadCategories(), loadStepRules(), loadScoreBands()]);
      setCategories(c);
      setStepRules(r);
      setScoreBands(b);
      setState(s);
    } catch (e) {
      setFatal(toCommandError(e));
    }
  }, []);

  useEffect(() => {
    void start();
  }, [start]);

  const lang = state?.lang ?? 'id';
  const translator = useMemo(() => makeTranslator(lang), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.classList.toggle('large-text', state?.largeText ?? false);
  }, [lang, state?.largeText]);

  const context = useMemo<AppContextValue | null>(
    () =>
      state &&
      stepRules && {
        state,
        setState,
        refresh: async () => setState(await appState()),
        categories,
        stepRules,
        scoreBands,
      },
    [state, categories, stepRules, scoreBands],
  );

  let body;
  if (!context) {
    body = (
      <main class="screen" data-testid={fatal ? 'load-failed' : 'loading'}>
        <h1>{translator.t('app.name')}</h1>
        {fatal ? (
          <>
            <p>{translator.t('app.loadFailed')}</p>
            <ErrorMessage error={fatal} />
            <button type="button" class="btn primary" onClick={() => void start()} data-testid="retry">
              {translator.t('app.retry')}
            </button>
          </>
        ) : (
          <p>{translator.t('app.loading')}</p>
        )}
      </main>
    );
  } else if (context.state.account.kind === 'none') {
    body = <FirstRun mode="first" />;
  } else {
    body = (
      <>
        <Screen route={route} />
        {route.name !== 'new' && <TabBar current={route.name} />}
      </>
    );
  }

  return (
    <I18nContext.Provider value={translator}>
      <AppContext.Provider value={context}>
        <div class={`app route-${route.name}`}>{body}</div>
      </AppContext.Provider>
    </I18nContext.Provider>
  );
}
