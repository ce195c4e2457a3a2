// The OpenStreetMap base layer is a bonus for when there is a signal: it is added only when the
// device says it is online, shown only after a tile has really loaded, and hidden again on a
// tile error or when the device goes offline. Without it the map is a plain background with the
// report pins and the kelurahan outline, which is the normal offline state.

export type TileEvent = 'tileload' | 'tileerror';

/** The part of a Leaflet tile layer this needs (so it can be tested without a map). */
export interface TileLayerLike {
  on(event: TileEvent, handler: () => void): unknown;
  setOpacity(opacity: number): unknown;
  remove(): unknown;
}

export type OnlineTilesDeps = {
  isOnline: () => boolean;
  /** Makes a new layer and adds it to the map. */
  addLayer: () => TileLayerLike;
  /** Window-like target of the `online`/`offline` events. */
  events: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  onVisible: (visible: boolean) => void;
  now?: () => number;
  /** After a tile error, try again on a later view change once this long has passed. */
  retryAfterMs?: number;
};

export type OnlineTiles = {
  /** Call on every view change: retries after an error once the cool-down is over. */
  viewChanged: () => void;
  visible: () => boolean;
  dispose: () => void;
};

export function manageOnlineTiles(deps: OnlineTilesDeps): OnlineTiles {
  const now = deps.now ?? Date.now;
  const retryAfterMs = deps.retryAfterMs ?? 60_000;
  let layer: TileLayerLike | null = null;
  let shown = false;
  let failedAt: number | null = null;

  const setShown = (v: boolean) => {
    if (shown !== v) {
      shown = v;
      deps.onVisible(v);
    }
  };

  const drop = () => {
    if (layer) {
      layer.remove();
      layer = null;
    }
    setShown(false);
  };

  const probe = () => {
    if (layer || !deps.isOnline()) return;
    const l = deps.addLayer();
    layer = l;
    l.setOpacity(0);
    l.on('tileload', () => {
      if (layer !== l) return;
      failedAt = null;
      l.setOpacity(1);
      setShown(true);
    });
    l.on('tileerror', () => {
      if (layer !== l) return;
      failedAt = now();
      drop();
    });
  };

  const online = () => {
    failedAt = null;
    probe();
  };
  deps.events.addEventListener('online', online);
  deps.events.addEventListener('offline', drop);
  probe();

  return {
    viewChanged: () => {
      if (!layer && failedAt !== null && now() - failedAt >= retryAfterMs) {
        failedAt = null;
        probe();
      }
    },
    visible: () => shown,
    dispose: () => {
      deps.events.removeEventListener('online', online);
      deps.events.removeEventListener('offline', drop);
      drop();
    },
  };
}
