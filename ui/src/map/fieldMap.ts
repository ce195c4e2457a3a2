// Field mode's map: where the lurah stands and the reports still to verify, numbered in the
// order of the walk list. Drawn on a plain background offline, over tiles when there is signal.
import { addOnlineTiles, createMap, L } from './leaflet';

export type FieldPoint = { id: string; lat: number; lon: number };
export type Here = { lat: number; lon: number; accuracyM: number };

export type FieldMap = {
  /** Redraws the stops (in walking order) and the lurah's fix. */
  show: (here: Here | null, stops: readonly FieldPoint[]) => void;
  destroy: () => void;
};

export function createFieldMap(el: HTMLElement, onStop: (id: string) => void): FieldMap {
  const map = createMap(el);
  const tiles = addOnlineTiles(map);
  const layer = L.layerGroup().addTo(map);
  let fitted = false;
  let userMoved = false;
  map.on('dragstart', () => {
    userMoved = true;
  });
  return {
    show(here, stops) {
      layer.clearLayers();
      const points: L.LatLngTuple[] = [];
      stops.forEach((s, i) => {
        points.push([s.lat, s.lon]);
        L.marker([s.lat, s.lon], {
          icon: L.divIcon({ className: 'field-stop-pin', html: String(i + 1), iconSize: [32, 32] }),
          title: String(i + 1),
        })
          .on('click', () => onStop(s.id))
          .addTo(layer);
      });
      if (here) {
        points.push([here.lat, here.lon]);
        L.circle([here.lat, here.lon], {
          radius: here.accuracyM,
          interactive: false,
          className: 'gps-fix',
          color: '#2f7bff',
          weight: 2,
          fillOpacity: 0.15,
        }).addTo(layer);
      }
      if (!fitted && !userMoved && points.length > 0) {
        fitted = true;
        map.fitBounds(L.latLngBounds(points).pad(0.15), { maxZoom: 18 });
      }
    },
    destroy() {
      tiles.dispose();
      map.remove();
    },
  };
}
