import { clearMocks } from '@tauri-apps/api/mocks';
import { act, cleanup } from '@testing-library/preact';
import { afterEach, beforeEach, vi } from 'vitest';
import { resetFakeMaps } from './fakeMaps';

// Leaflet draws on a canvas, which the test DOM does not have: the screens get stand-in maps
// (see fakeMaps.ts); the map modules' pure parts are tested on their own.
vi.mock('../src/map/homeMap', async () => (await import('./fakeMaps')).homeMapModule);
vi.mock('../src/map/pickMap', async () => (await import('./fakeMaps')).pickMapModule);
vi.mock('../src/map/fieldMap', async () => (await import('./fakeMaps')).fieldMapModule);

// The test DOM's Blob lacks arrayBuffer(), which every WebView Ronda runs in has.
if (typeof Blob.prototype.arrayBuffer !== 'function') {
  Blob.prototype.arrayBuffer = function arrayBuffer(this: Blob) {
    return new Promise<ArrayBuffer>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.onerror = () => reject(reader.error);
      reader.readAsArrayBuffer(this);
    });
  };
}

let objectUrls = 0;
beforeEach(() => {
  window.location.hash = '';
  document.documentElement.className = '';
  URL.createObjectURL = () => `blob:test/${++objectUrls}`;
  URL.revokeObjectURL = () => {};
  resetFakeMaps();
});

afterEach(async () => {
  // Unmounting inside act runs the effects' cleanups (which unlisten from Tauri events) before
  // the IPC mock goes away; Preact would otherwise run them after the next paint.
  await act(async () => {
    cleanup();
  });
  clearMocks();
  vi.useRealTimers();
});
