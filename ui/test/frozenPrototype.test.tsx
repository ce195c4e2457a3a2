// The app runs with `freezePrototype` on: Tauri freezes Object.prototype before the UI loads.
// In strict code, assigning a property Object.prototype has (`constructor`, `toString`) to a
// plain object then throws; a library doing that leaves the app stuck on its loading screen.
// This file freezes the prototype for good (each test file runs in its own worker).
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from '../src/app';
import { appState, baseHandlers, mockBackend } from './backend';

beforeAll(() => {
  Object.freeze(Object.prototype);
});

describe('with Object.prototype frozen, as in the app', () => {
  it('the assignment that trips libraries really throws here', () => {
    const plain: Record<string, unknown> = {};
    expect(() => {
      plain['constructor'] = undefined;
    }).toThrow(TypeError);
  });

  it('starts, re-renders on input and moves between screens', async () => {
    mockBackend(baseHandlers(appState({ account: { kind: 'none' } })));
    render(<App />);
    await screen.findByTestId('first-run');
    fireEvent.input(screen.getByTestId('firstrun-server'), { target: { value: 'ronda.example.org' } });
    fireEvent.click(screen.getByTestId('firstrun-activate'));
    expect((await screen.findByTestId('firstrun-error')).dataset.errorCode).toBe('CODE_EMPTY');
  });

  it('shows the map, the report flow and my reports', async () => {
    mockBackend({ ...baseHandlers(appState()), my_reports: () => [] });
    render(<App />);
    await screen.findByTestId('map-home');
    fireEvent.click(screen.getByTestId('lapor'));
    await screen.findByTestId('report-flow');
    window.location.hash = '#/reports';
    await waitFor(() => expect(screen.getByTestId('my-reports')).toBeTruthy());
  });
});
