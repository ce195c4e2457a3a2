import { describe, expect, it } from 'vitest';
import { normaliseCode, normaliseServer } from '../src/logic/activation';

describe('server address', () => {
  it.each([
    ['ronda.example.org', 'https://ronda.example.org'],
    ['  https://ronda.example.org/  ', 'https://ronda.example.org'],
    ['http://192.168.1.10:8080', 'http://192.168.1.10:8080'],
    ['HTTPS://Ronda.Example.org/api/', 'https://ronda.example.org/api'],
    ['localhost:3000', 'https://localhost:3000'],
  ])('%j becomes %j', (typed, expected) => {
    expect(normaliseServer(typed)).toEqual({ ok: true, value: expected });
  });

  it('refuses an empty address', () => {
    expect(normaliseServer('   ')).toEqual({ ok: false, code: 'SERVER_EMPTY' });
  });

  it.each(['ftp://ronda.example.org', 'ronda', 'ron da.example.org', 'https://user:pw@ronda.example.org', 'https://ronda.example.org/?x=1', 'https://'])(
    'refuses %j',
    (typed) => {
      expect(normaliseServer(typed)).toEqual({ ok: false, code: 'SERVER_INVALID' });
    },
  );
});

describe('activation code', () => {
  it.each([
    ['K7QF-2MXP-9RTC', 'K7QF-2MXP-9RTC'],
    ['  k7qf-2mxp-9rtc ', 'K7QF-2MXP-9RTC'],
    ['K7QF 2MXP 9RTC', 'K7QF-2MXP-9RTC'],
    ['k7qf2mxp9rtc', 'K7QF-2MXP-9RTC'],
  ])('%j becomes %j', (typed, expected) => {
    expect(normaliseCode(typed)).toEqual({ ok: true, value: expected });
  });

  it('refuses an empty code', () => {
    expect(normaliseCode(' - ')).toEqual({ ok: false, code: 'CODE_EMPTY' });
  });

  it.each(['K7QF-2MXP', 'K7QF-2MXP-9RTC-A', 'K7QF-2MXP-9RT0', 'K7QF-2MXP-9RTO', 'K7QF_2MXP_9RTC'])('refuses %j', (typed) => {
    expect(normaliseCode(typed)).toEqual({ ok: false, code: 'CODE_FORMAT' });
  });
});
