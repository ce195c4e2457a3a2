import { describe, expect, it } from 'vitest';
import { href, parseRoute, type Route } from '../src/logic/route';

describe('hash routes', () => {
  it.each<Route>([
    { name: 'map' },
    { name: 'new' },
    { name: 'reports' },
    { name: 'report', id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' },
    { name: 'settings' },
    { name: 'signIn' },
    { name: 'kabar' },
    { name: 'field' },
  ])('round-trips %j', (route) => {
    expect(parseRoute(href(route))).toEqual(route);
  });

  it('opens the map for an empty or unknown hash', () => {
    expect(parseRoute('')).toEqual({ name: 'map' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'map' });
    expect(parseRoute('#/reports/')).toEqual({ name: 'reports' });
  });
});
