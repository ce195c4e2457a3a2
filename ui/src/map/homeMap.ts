// The home screen's map: every report in view as a circle on one canvas, and the kelurahan.
import type { GeoJsonFeature, ReportPin } from '../ipc/bindings';
import type { ViewBox } from '../ipc/commands';
import { pinStyle } from '../logic/pins';
import { addOnlineTiles, createMap, L, outlineLayer } from './leaflet';

export type HomeMap = {
  setPins: (pins: readonly ReportPin[]) => void;
  setOutline: (feature: GeoJsonFeature | null) => void;
  getBox: () => ViewBox;
  onMoveEnd: (handler: () => void) => void;
  destroy: () => void;
};

export type HomeMapOptions = {
  onPinClick: (id: string) => void;
  onTilesVisible?: (visible: boolean) => void;
};

type Shown = { marker: L.CircleMarker; key: string };

export function createHomeMap(el: HTMLElement, options: HomeMapOptions): HomeMap {
  const map = createMap(el);
  const tiles = addOnlineTiles(map, options.onTilesVisible);
  const pins = L.featureGroup().addTo(map);
  const ids = new WeakMap<L.Layer, string>();
  const shown = new Map<string, Shown>();
  let outline: L.GeoJSON | null = null;

  pins.on('click', (e: L.LeafletEvent) => {
    const id = ids.get((e as L.LeafletEvent & { propagatedFrom: L.Layer }).propagatedFrom);
    if (id) options.onPinClick(id);
  });

  return {
    // Reuses the circles that are already drawn, so a pan that keeps most pins is cheap.
    setPins(list) {
      const keep = new Set<string>();
      for (const p of list) {
        keep.add(p.id);
        const key = `${p.lat},${p.lon},${p.kind},${p.status}`;
        const old = shown.get(p.id);
        if (old && old.key === key) continue;
        if (old) pins.removeLayer(old.marker);
        const marker = L.circleMarker([p.lat, p.lon], pinStyle(p.kind, p.status));
        ids.set(marker, p.id);
        pins.addLayer(marker);
        shown.set(p.id, { marker, key });
      }
      for (const [id, s] of shown) {
        if (!keep.has(id)) {
          pins.removeLayer(s.marker);
          shown.delete(id);
        }
      }
    },
    setOutline(feature) {
      const first = outline === null;
      outline?.remove();
      outline = feature ? outlineLayer(feature).addTo(map) : null;
      if (outline && first) map.fitBounds(outline.getBounds(), { padding: [16, 16] });
    },
    getBox() {
      const b = map.getBounds();
      const clamp = (v: number, m: number) => Math.max(-m, Math.min(m, v));
      return {
        south: clamp(b.getSouth(), 90),
        west: clamp(b.getWest(), 180),
        north: clamp(b.getNorth(), 90),
        east: clamp(b.getEast(), 180),
      };
    },
    onMoveEnd(handler) {
      map.on('moveend', handler);
    },
    destroy() {
      tiles.dispose();
      map.remove();
    },
  };
}
