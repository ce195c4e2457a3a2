import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/app';
import type { AppState } from '../src/ipc/bindings';
import { appState, baseHandlers, type Handler, mockBackend } from './backend';

async function open(handlers: Record<string, Handler> = {}, state: AppState = appState()) {
  window.location.hash = '#/settings';
  const backend = mockBackend({ ...baseHandlers(state), ...handlers });
  render(<App />);
  await screen.findByTestId('settings');
  return backend;
}

const SIGNED_OUT = appState({ account: { kind: 'none' } });

describe('settings: language and text size', () => {
  it('switches the whole UI to English at once', async () => {
    const backend = await open({
      set_settings: ({ lang, largeText }: { lang: 'id' | 'en'; largeText: boolean }) => appState({ lang, largeText }),
    });
    expect(screen.getByTestId('tab-settings').textContent).toBe('Pengaturan');
    await waitFor(() => expect(document.documentElement.lang).toBe('id'));
    fireEvent.change(screen.getByTestId('language-select'), { target: { value: 'en' } });
    await waitFor(() => expect(screen.getByTestId('tab-settings').textContent).toBe('Settings'));
    expect(backend.callsTo('set_settings')[0]?.args).toEqual({ lang: 'en', largeText: false });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Settings');
    expect(screen.getByTestId('tab-reports').textContent).toBe('My reports');
    await waitFor(() => expect(document.documentElement.lang).toBe('en'));
  });

  it('makes the text larger', async () => {
    const backend = await open({
      set_settings: ({ lang, largeText }: { lang: 'id' | 'en'; largeText: boolean }) => appState({ lang, largeText }),
    });
    expect(document.documentElement.classList.contains('large-text')).toBe(false);
    fireEvent.click(screen.getByTestId('large-text-toggle'));
    await waitFor(() => expect(document.documentElement.classList.contains('large-text')).toBe(true));
    expect(backend.callsTo('set_settings')[0]?.args).toEqual({ lang: 'id', largeText: true });
  });
});

describe('settings: account', () => {
  it('shows who is signed in and saves a new server address', async () => {
    const backend = await open({
      set_server: ({ server }: { server: string }) =>
        appState({ account: { kind: 'signedIn', server, userName: 'Pak Budi', role: 'ketua_rt', area: null } }),
    });
    expect(screen.getByTestId('account-name').textContent).toBe('Masuk sebagai Pak Budi');
    expect(screen.getByText('Peran: Ketua RT')).toBeTruthy();
    const input = screen.getByTestId('server-input') as HTMLInputElement;
    expect(input.value).toBe('https://ronda.example.org');

    fireEvent.input(input, { target: { value: 'bukan alamat' } });
    fireEvent.click(screen.getByTestId('server-save'));
    expect((await screen.findByTestId('settings-error')).dataset.errorCode).toBe('SERVER_INVALID');
    expect(backend.callsTo('set_server')).toHaveLength(0);

    fireEvent.input(input, { target: { value: 'ronda2.example.org/' } });
    fireEvent.click(screen.getByTestId('server-save'));
    expect(await screen.findByTestId('server-saved')).toBeTruthy();
    expect(backend.callsTo('set_server')[0]?.args).toEqual({ server: 'https://ronda2.example.org' });
    expect(input.value).toBe('https://ronda2.example.org');
  });

  it('offers sign-in to a user without an account', async () => {
    await open({}, appState({ account: { kind: 'local' } }));
    expect(screen.getByTestId('local-account')).toBeTruthy();
    expect(screen.queryByTestId('sign-out')).toBeNull();
    expect(screen.getByTestId('sign-in').getAttribute('href')).toBe('#/sign-in');
  });
});

describe('settings: sign out', () => {
  it('signs out after a confirmation when nothing is unsent', async () => {
    const backend = await open({ sign_out: () => SIGNED_OUT });
    fireEvent.click(screen.getByTestId('sign-out'));
    expect(screen.getByTestId('sign-out-dialog').textContent).toContain('kode aktivasi baru');
    expect(backend.callsTo('sign_out')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('sign-out-confirm'));
    expect(await screen.findByTestId('first-run')).toBeTruthy();
    expect(backend.callsTo('sign_out').map((c) => c.args)).toEqual([{ force: false }]);
  });

  it('can be cancelled', async () => {
    const backend = await open({ sign_out: () => SIGNED_OUT });
    fireEvent.click(screen.getByTestId('sign-out'));
    fireEvent.click(screen.getByTestId('sign-out-cancel'));
    expect(screen.queryByTestId('sign-out-dialog')).toBeNull();
    expect(backend.callsTo('sign_out')).toHaveLength(0);
  });

  const unsent = (args: { force: boolean }) => {
    if (!args.force) throw { code: 'UNSENT_WORK', message: '3 laporan belum terkirim', count: 3 };
    return SIGNED_OUT;
  };

  it('warns that unsent reports will be lost, and signs out only when the user insists', async () => {
    const backend = await open({ sign_out: unsent });
    fireEvent.click(screen.getByTestId('sign-out'));
    fireEvent.click(screen.getByTestId('sign-out-confirm'));
    const warning = await screen.findByTestId('sign-out-warning');
    expect(warning.dataset.count).toBe('3');
    expect(warning.textContent).toContain('3 laporan belum terkirim ke server');
    expect(warning.textContent).toContain('HILANG');
    expect(screen.getByTestId('sign-out-force').textContent).toBe('Tetap keluar dan hapus 3 laporan');
    expect(screen.queryByTestId('first-run')).toBeNull();

    fireEvent.click(screen.getByTestId('sign-out-force'));
    expect(await screen.findByTestId('first-run')).toBeTruthy();
    expect(backend.callsTo('sign_out').map((c) => c.args)).toEqual([{ force: false }, { force: true }]);
  });

  it('keeps the account when the user backs off from the warning', async () => {
    const backend = await open({ sign_out: unsent }, appState({ lang: 'en' }));
    fireEvent.click(screen.getByTestId('sign-out'));
    fireEvent.click(screen.getByTestId('sign-out-confirm'));
    const warning = await screen.findByTestId('sign-out-warning');
    expect(warning.textContent).toContain('3 reports have not reached the server');
    expect(screen.getByTestId('sign-out-force').textContent).toBe('Sign out anyway and delete 3 reports');
    const keep = screen.getByTestId('sign-out-keep');
    expect(keep.getAttribute('href')).toBe('#/reports');
    fireEvent.click(keep);
    expect(screen.queryByTestId('sign-out-warning')).toBeNull();
    expect(backend.callsTo('sign_out').map((c) => c.args)).toEqual([{ force: false }]);
  });

  it('shows other sign-out errors and stays signed in', async () => {
    await open({
      sign_out: () => {
        throw { code: 'STORE_DISK_FULL', message: 'penuh', count: null };
      },
    });
    fireEvent.click(screen.getByTestId('sign-out'));
    fireEvent.click(screen.getByTestId('sign-out-confirm'));
    expect((await screen.findByTestId('settings-error')).textContent).toContain('Memori HP penuh');
    expect(screen.getByTestId('settings')).toBeTruthy();
  });
});

describe('start', () => {
  it('offers a retry when the phone’s data cannot be opened', async () => {
    let tries = 0;
    mockBackend({
      ...baseHandlers(),
      app_state: () => {
        if (++tries === 1) throw { code: 'STORE_CORRUPT', message: 'Data di HP rusak', count: null };
        return appState();
      },
    });
    render(<App />);
    const failed = await screen.findByTestId('load-failed');
    expect(failed.textContent).toContain('Data di HP rusak');
    expect(failed.textContent).toContain('STORE_CORRUPT');
    fireEvent.click(screen.getByTestId('retry'));
    expect(await screen.findByTestId('map-home')).toBeTruthy();
  });
});
