// The real home map (Leaflet) for the safety cells: each hexagon its own SVG element that a test
// from outside can find and tap. The test DOM has no canvas, so the pins' canvas draws nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReportPin } from '../src/ipc/bindings';
import type * as HomeMapModule from '../src/map/homeMap';
import { hexRing, safetyCell } from './backend';

const { createHomeMap } = await vi.importActual<typeof HomeMapModule>('../src/map/homeMap');

let el: HTMLDivElement;
let restore: () => void = () => {};

beforeEach(() => {
  // A 2D context that draws nothing: enough for Leaflet's canvas renderer.
  const noop = new Proxy({}, { get: (_t, key) => (key === 'canvas' ? document.createElement('canvas') : () => {}) });
  const spy = vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() => noop as never);
  restore = () => spy.mockRestore();
  el = document.createElement('div');
  document.body.append(el);
});

afterEach(() => {
  restore();
  el.remove();
});

const hexes = () => Array.from(el.querySelectorAll<SVGPathElement>('[data-testid="safety-hex"]'));

function tap(target: Element, x = 0, y = 0) {
  target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, clientX: x, clientY: y }));
}

describe('home map safety cells', () => {
  it('draws each cell as its own SVG path with its H3 index, and removes them all', () => {
    const map = createHomeMap(el, { onPinClick: () => {} });
    const cells = [
      safetyCell({ h3: '88658a0001fffff', ring: hexRing(-6.2, 106.8) }),
      safetyCell({ h3: '88658a0003fffff', ring: hexRing(-6.21, 106.81), score: null, audits: null, rawan: 7 }),
    ];
    map.setSafety(cells, () => {});
    expect(hexes().map((h) => h.dataset.h3)).toEqual(['88658a0001fffff', '88658a0003fffff']);
    for (const hex of hexes()) expect(hex.closest('.leaflet-safety-pane')).not.toBeNull();
    expect(hexes()[1]!.getAttribute('stroke-dasharray')).toBe('6 5');
    expect(el.classList.contains('safety-on')).toBe(true);
    map.setSafety(cells.slice(1), () => {});
    expect(hexes().map((h) => h.dataset.h3)).toEqual(['88658a0003fffff']);
    map.setSafety(null, () => {});
    expect(hexes()).toHaveLength(0);
    expect(el.classList.contains('safety-on')).toBe(false);
    map.destroy();
  });

  it('puts the cells under the pins', () => {
    const map = createHomeMap(el, { onPinClick: () => {} });
    map.setSafety([safetyCell()], () => {});
    // Leaflet's tiles are at 200, its overlay pane (where the pins' canvas is) at 400.
    expect(el.querySelector<HTMLElement>('.leaflet-safety-pane')!.style.zIndex).toBe('350');
    expect(hexes()[0]!.closest('.leaflet-overlay-pane')).toBeNull();
    map.destroy();
  });

  it('tells which cell was tapped, unless a pin lies under the tap', () => {
    const onPinClick = vi.fn();
    const onCellClick = vi.fn();
    const map = createHomeMap(el, { onPinClick });
    map.setSafety([safetyCell({ h3: 'cell-1', ring: hexRing(-6.1754, 106.8272, 0.01) })], onCellClick);
    tap(hexes()[0]!, 500, 500);
    expect(onCellClick).toHaveBeenCalledWith('cell-1');
    expect(onPinClick).not.toHaveBeenCalled();

    const pin: ReportPin = {
      id: 'r-1',
      lat: -6.1754,
      lon: 106.8272,
      kind: 'audit',
      status: 'baru',
      category: 'audit-keamanan',
      score: 80,
      band: 'aman',
    };
    map.setPins([pin]);
    // The map's container is 0×0 here, so the map's centre (where the pin is) is at (0, 0).
    tap(hexes()[0]!, 40, 0);
    expect(onPinClick).not.toHaveBeenCalled();
    expect(onCellClick).toHaveBeenCalledTimes(2);
    tap(hexes()[0]!, 2, 1);
    expect(onPinClick).toHaveBeenCalledWith('r-1');
    expect(onCellClick).toHaveBeenCalledTimes(2);
    // A tap beside the cells, on the pin, reaches it through the map too.
    tap(el, 1, 2);
    expect(onPinClick).toHaveBeenCalledTimes(2);
    map.destroy();
  });
});
