// The map on which a person puts a report's point: they move the map under a fixed pin.
import type { GeoJsonFeature } from '../ipc/bindings';
import { addOnlineTiles, createMap, L, outlineLayer } from './leaflet';

export type PickMap = {
  center: () => { lat: number; lon: number };
  /** Shows an uncertain GPS fix as a circle of its accuracy, to start from. */
  showFix: (fix: { lat: number; lon: number; accuracyM: number } | null) => void;
  setOutline: (feature: GeoJsonFeature | null) => void;
  destroy: () => void;
};

export function createPickMap(el: HTMLElement, start: { lat: number; lon: number } | null): PickMap {
  const map = createMap(el, start ? { center: [start.lat, start.lon], zoom: 17 } : {});
  const tiles = addOnlineTiles(map);
  let fixCircle: L.Circle | null = null;
  let outline: L.GeoJSON | null = null;
  // Fit the view to what is known, best first (a fix, then the kelurahan), until the person
  // moves the map themselves.
  let fitted: 'none' | 'outline' | 'fix' = start ? 'fix' : 'none';
  let userMoved = false;
  map.on('dragstart', () => {
    userMoved = true;
  });
  // A tap moves that spot under the pin.
  map.on('click', (e: L.LeafletMouseEvent) => map.panTo(e.latlng));

  return {
    center() {
      const c = map.getCenter().wrap();
      return { lat: c.lat, lon: c.lng };
    },
    showFix(fix) {
      fixCircle?.remove();
      fixCircle = null;
      if (!fix) return;
      fixCircle = L.circle([fix.lat, fix.lon], {
        radius: fix.accuracyM,
        interactive: false,
        className: 'gps-fix',
        color: '#2f7bff',
        weight: 2,
        fillOpacity: 0.1,
      }).addTo(map);
      if (!userMoved && fitted !== 'fix') {
        fitted = 'fix';
        map.fitBounds(fixCircle.getBounds(), { maxZoom: 18 });
      }
    },
    setOutline(feature) {
      outline?.remove();
      outline = feature ? outlineLayer(feature).addTo(map) : null;
      if (outline && !userMoved && fitted === 'none') {
        fitted = 'outline';
        map.fitBounds(outline.getBounds());
      }
    },
    destroy() {
      tiles.dispose();
      map.remove();
    },
  };
}
