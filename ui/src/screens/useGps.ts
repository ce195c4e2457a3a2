// The phone's position as it comes: a watch on navigator.geolocation, kept while a screen is
// open. Used by the report flow, a report's steps and field mode.
import { useEffect, useState } from 'preact/hooks';
import type { Fix } from '../logic/location';

export type Gps =
  | { state: 'searching' }
  | { state: 'slow' }
  | { state: 'denied' }
  | { state: 'unavailable' }
  | { state: 'fix'; fix: Fix; at: number };

/** How long to wait for a first fix before suggesting the map. */
export const GPS_TIMEOUT_MS = 30_000;

export function useGps(): Gps {
  const [gps, setGps] = useState<Gps>(() =>
    typeof navigator !== 'undefined' && navigator.geolocation ? { state: 'searching' } : { state: 'unavailable' },
  );
  useEffect(() => {
    const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined;
    if (!geo) return;
    const watch = geo.watchPosition(
      (p) =>
        setGps({
          state: 'fix',
          fix: { lat: p.coords.latitude, lon: p.coords.longitude, accuracyM: p.coords.accuracy },
          at: Number.isFinite(p.timestamp) && p.timestamp > 0 ? p.timestamp : Date.now(),
        }),
      (err) =>
        setGps((old) => {
          if (err.code === 1) return { state: 'denied' };
          if (old.state === 'fix') return old; // keep the last fix through a hiccup
          return err.code === 3 ? { state: 'slow' } : { state: 'unavailable' };
        }),
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: GPS_TIMEOUT_MS },
    );
    return () => geo.clearWatch(watch);
  }, []);
  return gps;
}

