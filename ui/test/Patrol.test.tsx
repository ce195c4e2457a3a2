import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/app';
import type { Patrol } from '../src/ipc/bindings';
import { patrolAreaLabel } from '../src/logic/patrol';
import { appState, baseHandlers, emptyPatrol, mockBackend, SIGNED_IN, type Handler } from './backend';
import { fakeGeolocation, removeGeolocation } from './geolocation';

const RT7 = '31.71.01.1001/RW 003/RT 007';
const LURAH = { ...SIGNED_IN, role: 'lurah', area: '31.71.01.1001' };

function start(handlers: Record<string, Handler>, account = SIGNED_IN) {
  window.location.hash = '#/kabar';
  const backend = mockBackend({ ...baseHandlers(appState({ account })), ...handlers });
  render(<App />);
  return backend;
}

describe('the daily patrol', () => {
  it('names an RT or RW within its kelurahan', () => {
    expect(patrolAreaLabel(RT7)).toBe('RW 003 · RT 007');
    expect(patrolAreaLabel('31.71.01.1001/RW 003')).toBe('RW 003');
    expect(patrolAreaLabel('31.71.01.1001')).toBe('31.71.01.1001');
  });

  it('lets an RT head check in nihil with one tap, with the position when the phone has one', async () => {
    const gps = fakeGeolocation();
    let today: Patrol = emptyPatrol({ ownArea: RT7, area: RT7 });
    const backend = start({
      patrol: () => today,
      check_in_nihil: () => {
        today = { ...today, checkedIn: true, areas: [{ area: RT7, nihil: true, sent: false, reports: 0 }] };
        return today;
      },
    });
    expect((await screen.findByTestId('patrol')).textContent).toContain('Sudah keliling RW 003 · RT 007');
    gps.fix(-6.1761, 106.823, 8);
    expect(screen.getByTestId('patrol-empty')).toBeTruthy();
    fireEvent.click(screen.getByTestId('patrol-check-in'));
    expect((await screen.findByTestId('patrol-checked-in')).textContent).toContain('Sudah lapor nihil hari ini');
    expect(screen.queryByTestId('patrol-check-in')).toBeNull();
    const [call] = backend.callsTo('check_in_nihil');
    expect((call!.args as { position: { lat: number } | null }).position?.lat).toBeCloseTo(-6.1761);
    const row = screen.getByTestId('patrol-area');
    expect(row.textContent).toContain('Nihil (menunggu sinyal)');
    removeGeolocation();
  });

  it('shows the refusal when the day is already checked in, and no button for someone who heads nothing', async () => {
    start({
      patrol: () => emptyPatrol({ ownArea: RT7, area: RT7 }),
      check_in_nihil: () => {
        throw { code: 'PATROL_ALREADY_CHECKED_IN', message: 'wilayah ini sudah melapor nihil hari ini', count: null };
      },
    });
    fireEvent.click(await screen.findByTestId('patrol-check-in'));
    const error = await screen.findByTestId('patrol-error');
    expect(error.dataset.errorCode).toBe('PATROL_ALREADY_CHECKED_IN');
  });

  it('shows the lurah which RTs and RWs checked in or reported today', async () => {
    start(
      {
        patrol: () =>
          emptyPatrol({
            area: '31.71.01.1001',
            areas: [
              { area: '31.71.01.1001/RW 003', nihil: false, sent: false, reports: 2 },
              { area: RT7, nihil: true, sent: true, reports: 0 },
            ],
          }),
      },
      LURAH,
    );
    const rows = await screen.findAllByTestId('patrol-area');
    expect(rows.map((r) => r.textContent)).toEqual(['RW 0032 laporan', 'RW 003 · RT 007Nihil']);
    expect(rows.map((r) => r.dataset.nihil)).toEqual(['false', 'true']);
    expect(screen.queryByTestId('patrol-check-in')).toBeNull();
  });

  it('is not shown to someone who neither heads nor serves an area', async () => {
    start(
      { patrol: () => emptyPatrol() },
      { kind: 'signedIn', server: 'https://ronda.example.org', userName: 'Bu Ani', role: 'warga', area: null },
    );
    await screen.findByTestId('kabar');
    await waitFor(() => expect(screen.queryByTestId('patrol')).toBeNull());
  });
});
