import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCoordinate,
  formatDateTime,
  formatDay,
  formatDistance,
  formatMetres,
} from '../src/i18n/format';

describe('dates in WIB', () => {
  // 20:05 UTC on 5 January is 03:05 on 6 January in Jakarta (UTC+7), whatever the device's zone.
  const evening = Date.UTC(2025, 0, 5, 20, 5);

  it('shows Jakarta time with the zone name', () => {
    expect(formatDateTime(evening, 'id')).toBe('6 Jan 2025, 03.05 WIB');
    expect(formatDateTime(evening, 'en')).toBe('6 Jan 2025, 03:05 WIB');
  });

  it('uses the month names of the language', () => {
    const august = Date.UTC(2025, 7, 17, 3, 0);
    expect(formatDateTime(august, 'id')).toBe('17 Agu 2025, 10.00 WIB');
    expect(formatDateTime(august, 'en')).toBe('17 Aug 2025, 10:00 WIB');
  });
});

describe('calendar dates', () => {
  it('shows a "YYYY-MM-DD" date as it is, in the language, whatever the device’s zone', () => {
    expect(formatDay('2025-08-17', 'id')).toBe('17 Agu 2025');
    expect(formatDay('2025-08-17', 'en')).toBe('17 Aug 2025');
    expect(formatDay('2025-01-01', 'id')).toBe('1 Jan 2025');
    expect(formatDay('kemarin', 'id')).toBe('kemarin');
  });
});

describe('numbers', () => {
  it('formats distances in metres, then kilometres', () => {
    expect(formatDistance(35.4, 'id')).toBe('35 m');
    expect(formatDistance(999.4, 'en')).toBe('999 m');
    expect(formatDistance(1234, 'id')).toBe('1,2 km');
    expect(formatDistance(1234, 'en')).toBe('1.2 km');
    expect(formatDistance(12_345, 'en')).toBe('12 km');
  });

  it('never shows a GPS accuracy of 0 m', () => {
    expect(formatMetres(0.3, 'id')).toBe('1 m');
    expect(formatMetres(1234, 'id')).toBe('1.234 m');
  });

  it('formats byte counts', () => {
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(2048, 'en')).toBe('2 KB');
    expect(formatBytes(1.5 * 1024 * 1024, 'id')).toBe('1,5 MB');
  });

  it('writes coordinates with five decimals', () => {
    expect(formatCoordinate(-6.175392, 106.827153)).toBe('-6.17539, 106.82715');
  });
});
