import { describe, expect, it } from 'vitest';
import { manageOnlineTiles, type TileEvent, type TileLayerLike } from '../src/map/tiles';

class FakeLayer implements TileLayerLike {
  opacity = 1;
  removed = false;
  handlers = new Map<TileEvent, () => void>();
  on(event: TileEvent, handler: () => void) {
    this.handlers.set(event, handler);
  }
  setOpacity(o: number) {
    this.opacity = o;
  }
  remove() {
    this.removed = true;
  }
  fire(event: TileEvent) {
    this.handlers.get(event)?.();
  }
}

function setup(online: boolean) {
  const layers: FakeLayer[] = [];
  const visible: boolean[] = [];
  const events = new EventTarget();
  let clock = 0;
  const state = { online };
  const tiles = manageOnlineTiles({
    isOnline: () => state.online,
    addLayer: () => {
      const l = new FakeLayer();
      layers.push(l);
      return l;
    },
    events: events as unknown as Window,
    onVisible: (v) => visible.push(v),
    now: () => clock,
    retryAfterMs: 60_000,
  });
  return { tiles, layers, visible, events, state, tick: (ms: number) => (clock += ms) };
}

describe('online tiles', () => {
  it('adds no layer while offline', () => {
    const { layers, tiles } = setup(false);
    expect(layers).toHaveLength(0);
    expect(tiles.visible()).toBe(false);
  });

  it('shows the layer only after a tile has loaded', () => {
    const { layers, tiles, visible } = setup(true);
    expect(layers).toHaveLength(1);
    expect(layers[0]!.opacity).toBe(0);
    expect(tiles.visible()).toBe(false);
    layers[0]!.fire('tileload');
    expect(layers[0]!.opacity).toBe(1);
    expect(visible).toEqual([true]);
  });

  it('hides the layer on a tile error and retries after the cool-down', () => {
    const { layers, tiles, visible, tick } = setup(true);
    layers[0]!.fire('tileload');
    layers[0]!.fire('tileerror');
    expect(layers[0]!.removed).toBe(true);
    expect(visible).toEqual([true, false]);
    tick(30_000);
    tiles.viewChanged();
    expect(layers).toHaveLength(1);
    tick(30_000);
    tiles.viewChanged();
    expect(layers).toHaveLength(2);
  });

  it('follows the device going offline and online', () => {
    const { layers, events, state, tiles } = setup(true);
    layers[0]!.fire('tileload');
    state.online = false;
    events.dispatchEvent(new Event('offline'));
    expect(layers[0]!.removed).toBe(true);
    expect(tiles.visible()).toBe(false);
    state.online = true;
    events.dispatchEvent(new Event('online'));
    expect(layers).toHaveLength(2);
    tiles.dispose();
    expect(layers[1]!.removed).toBe(true);
    events.dispatchEvent(new Event('online'));
    expect(layers).toHaveLength(2);
  });
});
