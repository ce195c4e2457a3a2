import { describe, expect, it } from 'vitest';
import { ACCURACY_GATE_M, coordinateError, gateFix, isDesktopPointer } from '../src/logic/location';

const monas = { lat: -6.175392, lon: 106.827153 };

describe('accuracy gate', () => {
  it('accepts a fix of 50 m or better', () => {
    expect(ACCURACY_GATE_M).toBe(50);
    expect(gateFix({ ...monas, accuracyM: 8 })).toEqual({ verdict: 'accept' });
    expect(gateFix({ ...monas, accuracyM: 50 })).toEqual({ verdict: 'accept' });
  });

  it('refuses a fix worse than 50 m', () => {
    expect(gateFix({ ...monas, accuracyM: 50.1 })).toEqual({ verdict: 'inaccurate', accuracyM: 50.1 });
    expect(gateFix({ ...monas, accuracyM: 1200 }).verdict).toBe('inaccurate');
  });

  it('never accepts (0, 0), however accurate', () => {
    expect(gateFix({ lat: 0, lon: 0, accuracyM: 3 })).toEqual({ verdict: 'invalid', code: 'LOCATION_NULL_ISLAND' });
    expect(gateFix({ lat: -0, lon: 1e-9, accuracyM: 3 }).verdict).toBe('invalid');
  });

  it('refuses impossible positions and accuracies', () => {
    expect(gateFix({ lat: 91, lon: 106.8, accuracyM: 5 })).toEqual({ verdict: 'invalid', code: 'LOCATION_OUT_OF_RANGE' });
    expect(gateFix({ lat: -6.2, lon: 181, accuracyM: 5 })).toEqual({ verdict: 'invalid', code: 'LOCATION_OUT_OF_RANGE' });
    expect(gateFix({ lat: Number.NaN, lon: 106.8, accuracyM: 5 })).toEqual({ verdict: 'invalid', code: 'LOCATION_NOT_A_NUMBER' });
    expect(gateFix({ ...monas, accuracyM: Number.NaN })).toEqual({ verdict: 'invalid', code: 'LOCATION_ACCURACY_INVALID' });
    expect(gateFix({ ...monas, accuracyM: -1 }).verdict).toBe('invalid');
  });
});

describe('coordinates', () => {
  it('allows the equator and the prime meridian alone', () => {
    expect(coordinateError(0, 106.8)).toBeNull();
    expect(coordinateError(-6.2, 0)).toBeNull();
    expect(coordinateError(90, 180)).toBeNull();
  });
});

describe('desktop pointer', () => {
  const media = (coarse: boolean) => ({ matchMedia: () => ({ matches: coarse }) as unknown as MediaQueryList });
  it('is a desktop when the main pointer is fine', () => {
    expect(isDesktopPointer(media(false))).toBe(true);
    expect(isDesktopPointer(media(true))).toBe(false);
    expect(isDesktopPointer(undefined)).toBe(false);
  });
});
