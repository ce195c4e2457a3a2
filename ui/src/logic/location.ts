// Which positions a report may carry, and when a GPS fix is good enough to use.
// The same rules as ronda-core's `Coordinate` (finite, in range, never (0, 0)).

/** A GPS fix is used as it is only when its 68 % radius is this many metres or less. */
export const ACCURACY_GATE_M = 50;

/** Closer than this to (0, 0) in both axes is "null island": broken GPS, not a place. */
const NULL_ISLAND_EPSILON_DEG = 1e-6;

export type LocationErrorCode =
  | 'LOCATION_NOT_A_NUMBER'
  | 'LOCATION_OUT_OF_RANGE'
  | 'LOCATION_NULL_ISLAND';

export function coordinateError(lat: number, lon: number): LocationErrorCode | null {
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return 'LOCATION_NOT_A_NUMBER';
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return 'LOCATION_OUT_OF_RANGE';
  if (Math.abs(lat) < NULL_ISLAND_EPSILON_DEG && Math.abs(lon) < NULL_ISLAND_EPSILON_DEG) {
    return 'LOCATION_NULL_ISLAND';
  }
  return null;
}

export type Fix = { lat: number; lon: number; accuracyM: number };

export type Gate =
  | { verdict: 'accept' }
  | { verdict: 'inaccurate'; accuracyM: number }
  | { verdict: 'invalid'; code: LocationErrorCode | 'LOCATION_ACCURACY_INVALID' };

/** Accept a fix only when it is a real place and at most `ACCURACY_GATE_M` metres uncertain. */
export function gateFix(fix: Fix): Gate {
  const code = coordinateError(fix.lat, fix.lon);
  if (code) return { verdict: 'invalid', code };
  if (!Number.isFinite(fix.accuracyM) || fix.accuracyM < 0) {
    return { verdict: 'invalid', code: 'LOCATION_ACCURACY_INVALID' };
  }
  if (fix.accuracyM > ACCURACY_GATE_M) return { verdict: 'inaccurate', accuracyM: fix.accuracyM };
  return { verdict: 'accept' };
}

/** True where a mouse or trackpad is the main pointer: picking on the map is the normal path. */
export function isDesktopPointer(win: Pick<Window, 'matchMedia'> | undefined = globalThis.window): boolean {
  if (!win || typeof win.matchMedia !== 'function') return false;
  return !win.matchMedia('(pointer: coarse)').matches;
}
