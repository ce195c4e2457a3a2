// A stand-in for navigator.geolocation that the test feeds with fixes and errors.
import { act } from '@testing-library/preact';

export function fakeGeolocation() {
  let onFix: PositionCallback | null = null;
  let onError: PositionErrorCallback | null = null;
  let cleared = false;
  const geo = {
    watchPosition(success: PositionCallback, error?: PositionErrorCallback | null) {
      onFix = success;
      onError = error ?? null;
      return 7;
    },
    clearWatch() {
      cleared = true;
    },
    getCurrentPosition() {},
  };
  Object.defineProperty(navigator, 'geolocation', { value: geo, configurable: true });
  return {
    fix(lat: number, lon: number, accuracy: number, timestamp = Date.UTC(2025, 0, 6, 2, 0)) {
      act(() =>
        onFix?.({ coords: { latitude: lat, longitude: lon, accuracy }, timestamp } as unknown as GeolocationPosition),
      );
    },
    fail(code: 1 | 2 | 3) {
      act(() => onError?.({ code, message: 'x' } as GeolocationPositionError));
    },
    get watching() {
      return onFix !== null && !cleared;
    },
  };
}

export function removeGeolocation() {
  Object.defineProperty(navigator, 'geolocation', { value: undefined, configurable: true });
}
