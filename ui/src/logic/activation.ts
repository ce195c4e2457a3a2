// What a person types on the first-run screen, checked and normalised before any command runs.

export type Checked<T, Code extends string> = { ok: true; value: T } | { ok: false; code: Code };

/** The characters activation codes are made of: no 0/O, no 1/I/L. */
const CODE_ALPHABET = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$/;

/**
 * "ronda.example.org" → "https://ronda.example.org"; keeps http:// when typed (a server on the
 * local network), drops a trailing slash, refuses anything that is not a web address.
 */
export function normaliseServer(input: string): Checked<string, 'SERVER_EMPTY' | 'SERVER_INVALID'> {
  const typed = input.trim();
  if (typed === '') return { ok: false, code: 'SERVER_EMPTY' };
  if (/\s/.test(typed)) return { ok: false, code: 'SERVER_INVALID' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, code: 'SERVER_INVALID' };
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
    return { ok: false, code: 'SERVER_INVALID' };
  }
  if (url.username || url.password || url.search || url.hash) {
    return { ok: false, code: 'SERVER_INVALID' };
  }
  // A host needs a dot (a domain or an IPv4 address), except localhost and IPv6 literals.
  const host = url.hostname;
  if (!host.includes('.') && host !== 'localhost' && !host.startsWith('[')) {
    return { ok: false, code: 'SERVER_INVALID' };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, value: `${url.protocol}//${url.host}${path}` };
}

/**
 * An activation code as typed — any case, spaces or dashes anywhere, e.g. " k7qf 2mxp-9rtc " —
 * normalised to "K7QF-2MXP-9RTC": the code's id, then its secret, in groups of four.
 */
export function normaliseCode(input: string): Checked<string, 'CODE_EMPTY' | 'CODE_FORMAT'> {
  const compact = input.replace(/[\s-]+/g, '').toUpperCase();
  if (compact === '') return { ok: false, code: 'CODE_EMPTY' };
  if (!CODE_ALPHABET.test(compact)) return { ok: false, code: 'CODE_FORMAT' };
  return {
    ok: true,
    value: `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`,
  };
}
