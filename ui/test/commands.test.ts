import { emit } from '@tauri-apps/api/event';
import { describe, expect, it } from 'vitest';
import {
  attachPhoto,
  onSyncProgress,
  reportsInView,
  safetyMap,
  signOut,
  toCommandError,
  UNKNOWN_ERROR,
} from '../src/ipc/commands';
import type { SyncProgress } from '../src/ipc/bindings';
import { mockBackend } from './backend';

describe('IPC commands', () => {
  it('sends one object of camelCase arguments', async () => {
    const backend = mockBackend({ reports_in_view: () => [] });
    await reportsInView({ south: -6.3, west: 106.7, north: -6.1, east: 106.9 }, 5000);
    expect(backend.calls).toEqual([
      {
        cmd: 'reports_in_view',
        args: { south: -6.3, west: 106.7, north: -6.1, east: 106.9, limit: 5000 },
        options: undefined,
      },
    ]);
  });

  it('reads the safety map with no arguments', async () => {
    const layer = { cells: [], fetchedAt: 1_700_000_000_000 };
    const backend = mockBackend({ safety_map: () => layer });
    await expect(safetyMap()).resolves.toEqual(layer);
    expect(backend.callsTo('safety_map')).toHaveLength(1);
    expect(backend.callsTo('safety_map')[0]?.args).toEqual({});
  });

  it('sends a photo as a raw body with the report id and the encoded file name in headers', async () => {
    const backend = mockBackend({ attach_photo: () => null });
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
    await attachPhoto('r-1', 'jalan berlubang é.jpg', bytes);
    const [call] = backend.callsTo('attach_photo');
    expect(call?.args).toBe(bytes);
    expect(call?.options?.headers).toEqual({
      'x-report-id': 'r-1',
      'x-file-name': 'jalan%20berlubang%20%C3%A9.jpg',
    });
  });

  it('rejects with the command’s error, count included', async () => {
    mockBackend({
      sign_out: () => {
        throw { code: 'UNSENT_WORK', message: '3 laporan belum terkirim', count: 3 };
      },
    });
    await expect(signOut(false)).rejects.toEqual({ code: 'UNSENT_WORK', message: '3 laporan belum terkirim', count: 3 });
  });

  it('turns any other failure into a CommandError', () => {
    expect(toCommandError('command sync_now not found')).toEqual({
      code: UNKNOWN_ERROR,
      message: 'command sync_now not found',
      count: null,
    });
    expect(toCommandError({ code: 'SYNC_OFFLINE', message: 'offline' })).toEqual({
      code: 'SYNC_OFFLINE',
      message: 'offline',
      count: null,
    });
  });

  it('listens to sync progress events', async () => {
    mockBackend({});
    const seen: SyncProgress[] = [];
    const unlisten = await onSyncProgress((p) => seen.push(p));
    const progress: SyncProgress = { phase: 'photos', opsSent: 0, opsReceived: 0, bytesSent: 1024, bytesReceived: 0 };
    await emit('sync-progress', progress);
    expect(seen).toEqual([progress]);
    unlisten();
    await emit('sync-progress', { ...progress, phase: 'done' });
    expect(seen).toHaveLength(1);
  });
});
