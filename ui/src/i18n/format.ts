// Dates, numbers, distances and sizes for people: always through Intl, always in Jakarta time.
import type { Lang } from '../ipc/bindings';

export const TIME_ZONE = 'Asia/Jakarta';
/** Jakarta's zone is UTC+7 all year; people know it as WIB. */
export const ZONE_NAME = 'WIB';

export const localeOf = (lang: Lang): string => (lang === 'id' ? 'id-ID' : 'en-GB');

/** e.g. "6 Jan 2025, 03.05 WIB" (id) or "6 Jan 2025, 03:05 WIB" (en). */
export function formatDateTime(ms: number, lang: Lang): string {
  const text = new Intl.DateTimeFormat(localeOf(lang), {
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
  return `${text} ${ZONE_NAME}`;
}

/** A calendar date given as "YYYY-MM-DD" (already a Jakarta date): "6 Jan 2025"; the text as
 *  given if it is not such a date. */
export function formatDay(day: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(localeOf(lang), {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(ms);
}

export function formatNumber(n: number, lang: Lang, maxFraction = 0): string {
  return new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits: maxFraction }).format(n);
}

/** "35 m" below a kilometre, then "1,2 km" / "1.2 km". */
export function formatDistance(metres: number, lang: Lang): string {
  if (metres < 1000) return `${formatNumber(Math.round(metres), lang)} m`;
  return `${formatNumber(metres / 1000, lang, metres < 10_000 ? 1 : 0)} km`;
}

/** GPS accuracy: whole metres, never "0 m" for a fix that claims better than a metre. */
export function formatMetres(metres: number, lang: Lang): string {
  return `${formatNumber(Math.max(1, Math.round(metres)), lang)} m`;
}

export function formatBytes(bytes: number, lang: Lang): string {
  if (bytes < 1024) return `${formatNumber(bytes, lang)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, lang)} KB`;
  return `${formatNumber(bytes / (1024 * 1024), lang, 1)} MB`;
}

/** Coordinates in the form people paste into any map: "-6.17539, 106.82715". */
export function formatCoordinate(lat: number, lon: number): string {
  return `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
}
