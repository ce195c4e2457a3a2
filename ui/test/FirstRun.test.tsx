import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/app';
import { appState, baseHandlers, mockBackend, SIGNED_IN } from './backend';

const firstRun = (lang: 'id' | 'en' = 'id') => appState({ account: { kind: 'none' }, lang });

function type(testid: string, value: string) {
  fireEvent.input(screen.getByTestId(testid), { target: { value } });
}

describe('first run', () => {
  it('is shown while there is no account', async () => {
    mockBackend(baseHandlers(firstRun()));
    render(<App />);
    expect(await screen.findByTestId('first-run')).toBeTruthy();
    expect(screen.getByText('Selamat datang di Ronda')).toBeTruthy();
    expect(screen.queryByTestId('tab-map')).toBeNull();
  });

  it('checks the fields before asking the server', async () => {
    const backend = mockBackend({ ...baseHandlers(firstRun()), activate: () => appState() });
    render(<App />);
    await screen.findByTestId('first-run');

    fireEvent.click(screen.getByTestId('firstrun-activate'));
    expect((await screen.findByTestId('firstrun-error')).dataset.errorCode).toBe('SERVER_EMPTY');
    expect(screen.getByText('Isi alamat server.')).toBeTruthy();

    type('firstrun-server', 'ronda.example.org');
    fireEvent.click(screen.getByTestId('firstrun-activate'));
    await waitFor(() => expect(screen.getByTestId('firstrun-error').dataset.errorCode).toBe('CODE_EMPTY'));

    type('firstrun-code', 'K7QF-2MXP-9RT0');
    fireEvent.click(screen.getByTestId('firstrun-activate'));
    await waitFor(() => expect(screen.getByTestId('firstrun-error').dataset.errorCode).toBe('CODE_FORMAT'));
    expect(backend.callsTo('activate')).toHaveLength(0);
  });

  it('signs in with the normalised address and code, then opens the map', async () => {
    const backend = mockBackend({ ...baseHandlers(firstRun()), activate: () => appState() });
    render(<App />);
    await screen.findByTestId('first-run');
    type('firstrun-server', '  ronda.example.org/ ');
    type('firstrun-code', ' k7qf 2mxp 9rtc ');
    fireEvent.click(screen.getByTestId('firstrun-activate'));
    expect(await screen.findByTestId('map-home')).toBeTruthy();
    expect(backend.callsTo('activate')[0]?.args).toEqual({
      server: 'https://ronda.example.org',
      code: 'K7QF-2MXP-9RTC',
    });
    expect(window.location.hash).toBe('#/');
    expect(screen.getByTestId('tab-map')).toBeTruthy();
  });

  it.each([
    ['id', 'Kode ini sudah pernah dipakai. Minta kode baru ke lurah.'],
    ['en', 'This code has already been used. Ask your lurah for a new one.'],
  ] as const)('shows a known error code in the user’s language (%s)', async (lang, text) => {
    mockBackend({
      ...baseHandlers(firstRun(lang)),
      activate: () => {
        throw { code: 'ACTIVATION_CODE_USED', message: 'kode ini sudah dipakai; minta kode baru ke lurah', count: null };
      },
    });
    render(<App />);
    await screen.findByTestId('first-run');
    type('firstrun-server', 'https://ronda.example.org');
    type('firstrun-code', 'K7QF-2MXP-9RTC');
    fireEvent.click(screen.getByTestId('firstrun-activate'));
    const error = await screen.findByTestId('firstrun-error');
    expect(error.textContent).toContain(text);
    expect(error.textContent).toContain('ACTIVATION_CODE_USED');
    expect(screen.getByTestId('first-run')).toBeTruthy();
  });

  it('shows the backend’s message for a code it does not know', async () => {
    mockBackend({
      ...baseHandlers(firstRun()),
      activate: () => {
        throw { code: 'SERVER_MAINTENANCE', message: 'Server sedang perawatan sampai 14.00 WIB', count: null };
      },
    });
    render(<App />);
    await screen.findByTestId('first-run');
    type('firstrun-server', 'https://ronda.example.org');
    type('firstrun-code', 'K7QF-2MXP-9RTC');
    fireEvent.click(screen.getByTestId('firstrun-activate'));
    expect((await screen.findByTestId('firstrun-error')).textContent).toContain(
      'Server sedang perawatan sampai 14.00 WIB',
    );
  });

  it('can be used without an account', async () => {
    const backend = mockBackend({
      ...baseHandlers(firstRun()),
      use_without_account: () => appState({ account: { kind: 'local' } }),
    });
    render(<App />);
    fireEvent.click(await screen.findByTestId('firstrun-local'));
    expect(await screen.findByTestId('map-home')).toBeTruthy();
    expect(backend.callsTo('use_without_account')).toHaveLength(1);
  });

  it('is the sign-in screen for a local user, without the local option', async () => {
    window.location.hash = '#/sign-in';
    const backend = mockBackend({
      ...baseHandlers(appState({ account: { kind: 'local' } })),
      activate: () => appState({ account: SIGNED_IN }),
    });
    render(<App />);
    await screen.findByTestId('first-run');
    expect(screen.queryByTestId('firstrun-local')).toBeNull();
    type('firstrun-server', 'https://ronda.example.org');
    type('firstrun-code', 'K7QF-2MXP-9RTC');
    fireEvent.click(screen.getByTestId('firstrun-activate'));
    expect(await screen.findByTestId('map-home')).toBeTruthy();
    expect(backend.callsTo('activate')).toHaveLength(1);
  });
});
