// The first screen: sign in with a server address and an activation code, or use the app on
// this phone only. Also the "sign in" screen a local user reaches from Settings.
import { useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Icon } from '../components/Icon';
import type { CommandError } from '../ipc/bindings';
import { activate, useWithoutAccount } from '../ipc/commands';
import { useI18n } from '../i18n';
import { normaliseCode, normaliseServer } from '../logic/activation';
import { navigate } from '../logic/route';
import { useApp } from '../state';

const localError = (code: string): CommandError => ({ code, message: '', count: null });

export function FirstRun({ mode }: { mode: 'first' | 'signIn' }) {
  const { t } = useI18n();
  const { setState } = useApp();
  const [server, setServer] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const s = normaliseServer(server);
    if (!s.ok) return setError(localError(s.code));
    const c = normaliseCode(code);
    if (!c.ok) return setError(localError(c.code));
    setError(null);
    setBusy(true);
    try {
      const state = await activate(s.value, c.value);
      setState(state);
      navigate({ name: 'map' });
    } catch (err) {
      setError(err as CommandError);
    } finally {
      setBusy(false);
    }
  };

  const local = async () => {
    setError(null);
    setBusy(true);
    try {
      setState(await useWithoutAccount());
      navigate({ name: 'map' });
    } catch (err) {
      setError(err as CommandError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="screen first-run" data-testid="first-run">
      {mode === 'signIn' ? (
        <>
          <a class="back" href="#/settings" data-testid="back">
            <Icon name="back" />
            {t('common.back')}
          </a>
          <h1>{t('signIn.title')}</h1>
        </>
      ) : (
        <>
          <h1>{t('firstRun.title')}</h1>
          <p>{t('firstRun.intro')}</p>
          <h2>{t('firstRun.signInTitle')}</h2>
        </>
      )}
      <form class="stack" onSubmit={submit} noValidate>
        <label class="field">
          <span class="label">{t('firstRun.server')}</span>
          <input
            type="url"
            inputMode="url"
            autoComplete="url"
            autoCapitalize="off"
            spellcheck={false}
            value={server}
            onInput={(e) => setServer(e.currentTarget.value)}
            aria-describedby="server-hint"
            data-testid="firstrun-server"
          />
          <span class="hint" id="server-hint">
            {t('firstRun.serverHint')}
          </span>
        </label>
        <label class="field">
          <span class="label">{t('firstRun.code')}</span>
          <input
            type="text"
            autoComplete="one-time-code"
            autoCapitalize="characters"
            spellcheck={false}
            class="code-input"
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
            aria-describedby="code-hint"
            data-testid="firstrun-code"
          />
          <span class="hint" id="code-hint">
            {t('firstRun.codeHint')}
          </span>
        </label>
        <ErrorMessage error={error} testid="firstrun-error" />
        <div class="actions">
          <button type="submit" class="btn primary" disabled={busy} data-testid="firstrun-activate">
            {busy ? t('firstRun.activating') : t('firstRun.activate')}
          </button>
          {mode === 'first' && (
            <>
              <p class="or">{t('firstRun.or')}</p>
              <button type="button" class="btn" disabled={busy} onClick={local} data-testid="firstrun-local">
                {t('firstRun.local')}
              </button>
              <p class="hint">{t('firstRun.localHint')}</p>
            </>
          )}
        </div>
      </form>
    </main>
  );
}
