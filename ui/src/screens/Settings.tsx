// Settings: language, text size, the account (server address, sign in / sign out).
import { useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import type { CommandError, Lang } from '../ipc/bindings';
import { setServer, setSettings, signOut, toCommandError, UNSENT_WORK } from '../ipc/commands';
import { useI18n } from '../i18n';
import { normaliseServer } from '../logic/activation';
import { href } from '../logic/route';
import { roleName } from '../logic/words';
import { useApp } from '../state';

type SignOutStep = { step: 'idle' } | { step: 'confirm' } | { step: 'unsent'; count: number };

const LANGS: readonly Lang[] = ['id', 'en'];

export function Settings() {
  const tr = useI18n();
  const { t } = tr;
  const { state, setState } = useApp();
  const account = state.account;
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);
  const [server, setServerText] = useState(account.kind === 'signedIn' ? account.server : '');
  const [serverSaved, setServerSaved] = useState(false);
  const [signOutStep, setSignOutStep] = useState<SignOutStep>({ step: 'idle' });

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(toCommandError(e));
    } finally {
      setBusy(false);
    }
  };

  const changeSettings = (lang: Lang, largeText: boolean) =>
    run(async () => setState(await setSettings(lang, largeText)));

  const saveServer = (e: Event) => {
    e.preventDefault();
    setServerSaved(false);
    const checked = normaliseServer(server);
    if (!checked.ok) {
      setError({ code: checked.code, message: '', count: null });
      return;
    }
    void run(async () => {
      setState(await setServer(checked.value));
      setServerText(checked.value);
      setServerSaved(true);
    });
  };

  const doSignOut = (force: boolean) =>
    run(async () => {
      try {
        const next = await signOut(force);
        setSignOutStep({ step: 'idle' });
        setState(next);
        window.location.hash = href({ name: 'map' });
      } catch (e) {
        const err = toCommandError(e);
        if (err.code === UNSENT_WORK && !force) {
          setSignOutStep({ step: 'unsent', count: err.count ?? state.pendingOps });
          return;
        }
        throw err;
      }
    });

  return (
    <main class="screen settings" data-testid="settings">
      <h1>{t('settings.title')}</h1>

      <section class="stack">
        <label class="field">
          <span class="label">{t('settings.language')}</span>
          <select
            value={state.lang}
            disabled={busy}
            onChange={(e) => changeSettings(e.currentTarget.value as Lang, state.largeText)}
            data-testid="language-select"
          >
            {LANGS.map((l) => (
              <option key={l} value={l} lang={l}>
                {t(l === 'id' ? 'lang.id' : 'lang.en')}
              </option>
            ))}
          </select>
        </label>
        <label class="switch">
          <input
            type="checkbox"
            checked={state.largeText}
            disabled={busy}
            onChange={(e) => changeSettings(state.lang, e.currentTarget.checked)}
            data-testid="large-text-toggle"
          />
          <span>
            <span class="label">{t('settings.largeText')}</span>
            <span class="hint block">{t('settings.largeTextHint')}</span>
          </span>
        </label>
      </section>

      <section class="stack" aria-labelledby="account-title">
        <h2 id="account-title">{t('settings.account')}</h2>
        {account.kind === 'signedIn' ? (
          <>
            <p data-testid="account-name">{t('settings.signedInAs', { name: account.userName })}</p>
            <p>{t('settings.role', { role: roleName(tr, account.role) })}</p>
            {account.area && <p>{t('settings.area', { area: account.area })}</p>}
            <form class="stack" onSubmit={saveServer} noValidate>
              <label class="field">
                <span class="label">{t('settings.server')}</span>
                <input
                  type="url"
                  inputMode="url"
                  autoCapitalize="off"
                  spellcheck={false}
                  value={server}
                  onInput={(e) => {
                    setServerText(e.currentTarget.value);
                    setServerSaved(false);
                  }}
                  data-testid="server-input"
                />
              </label>
              <button type="submit" class="btn" disabled={busy} data-testid="server-save">
                {t('settings.serverSave')}
              </button>
              {serverSaved && (
                <p class="ok" role="status" data-testid="server-saved">
                  {t('settings.serverSaved')}
                </p>
              )}
            </form>
          </>
        ) : (
          <>
            <p data-testid="local-account">{t('settings.localAccount')}</p>
            <a class="btn primary" href={href({ name: 'signIn' })} data-testid="sign-in">
              {t('settings.signIn')}
            </a>
          </>
        )}
      </section>

      <ErrorMessage error={error} testid="settings-error" />

      {account.kind === 'signedIn' && signOutStep.step === 'idle' && (
        <div class="bottom-bar">
          <button
            type="button"
            class="btn danger-outline"
            disabled={busy}
            onClick={() => setSignOutStep({ step: 'confirm' })}
            data-testid="sign-out"
          >
            {t('settings.signOut')}
          </button>
        </div>
      )}

      {signOutStep.step === 'confirm' && (
        <section class="dialog" role="alertdialog" aria-labelledby="signout-title" data-testid="sign-out-dialog">
          <h2 id="signout-title">{t('settings.signOutConfirmTitle')}</h2>
          <p>{t('settings.signOutConfirmText')}</p>
          <div class="actions">
            <button type="button" class="btn" disabled={busy} onClick={() => setSignOutStep({ step: 'idle' })} data-testid="sign-out-cancel">
              {t('common.cancel')}
            </button>
            <button type="button" class="btn danger" disabled={busy} onClick={() => doSignOut(false)} data-testid="sign-out-confirm">
              {t('settings.signOutConfirm')}
            </button>
          </div>
        </section>
      )}

      {signOutStep.step === 'unsent' && (
        <section class="dialog warning-dialog" role="alertdialog" aria-labelledby="unsent-title" data-testid="sign-out-warning" data-count={signOutStep.count}>
          <h2 id="unsent-title">{t('settings.unsentTitle')}</h2>
          <p>{tr.tp('settings.unsentText', signOutStep.count)}</p>
          <div class="actions">
            <a class="btn primary" href={href({ name: 'reports' })} onClick={() => setSignOutStep({ step: 'idle' })} data-testid="sign-out-keep">
              {t('settings.unsentKeep')}
            </a>
            <button type="button" class="btn danger" disabled={busy} onClick={() => doSignOut(true)} data-testid="sign-out-force">
              {tr.tp('settings.unsentForce', signOutStep.count)}
            </button>
          </div>
        </section>
      )}
    </main>
  );
}
