// Leaflet, set up once: its stylesheet and marker images come from the package and are bundled,
// so the map starts with no network at all.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import iconRetinaUrl from 'leaflet/dist/images/marker-icon-2x.png';
import iconUrl from 'leaflet/dist/images/marker-icon.png';
import shadowUrl from 'leaflet/dist/images/marker-shadow.png';
import type { GeoJsonFeature } from '../ipc/bindings';
import { manageOnlineTiles, type OnlineTiles } from './tiles';

export const markerIcon = L.icon({
  iconUrl,
  iconRetinaUrl,
  shadowUrl,
  iconSize: [25, 41],
  iconAnchor: [12, 41],
  shadowSize: [41, 41],
});
L.Marker.prototype.options.icon = markerIcon;
export { iconUrl as markerIconUrl };

/** Monas: the middle of Jakarta, where a map with nothing better to show opens. */
export const JAKARTA: L.LatLngTuple = [-6.1754, 106.8272];
export const CITY_ZOOM = 12;

const TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
// Plain text, no links: a link would take the app's only window away to a web page.
const TILE_ATTRIBUTION = '&copy; OpenStreetMap contributors';

/** A map that draws every vector layer on one canvas, for thousands of pins. */
export function createMap(el: HTMLElement, options: L.MapOptions = {}): L.Map {
  const map = L.map(el, {
    preferCanvas: true,
    renderer: L.canvas({ padding: 0.5, tolerance: 6 }),
    // The zoom buttons go top right, away from the legend and the thumb's buttons below.
    zoomControl: false,
    attributionControl: false,
    minZoom: 5,
    maxZoom: 19,
    center: JAKARTA,
    zoom: CITY_ZOOM,
    ...options,
  });
  L.control.zoom({ position: 'topright' }).addTo(map);
  L.control.attribution({ prefix: false }).addTo(map);
  return map;
}

/** Adds the OSM layer while there is a signal (see `tiles.ts`). */
export function addOnlineTiles(map: L.Map, onVisible: (v: boolean) => void = () => {}): OnlineTiles {
  const tiles = manageOnlineTiles({
    isOnline: () => navigator.onLine,
    addLayer: () =>
      L.tileLayer(TILE_URL, { maxZoom: 19, attribution: TILE_ATTRIBUTION, crossOrigin: false }).addTo(
        map,
      ),
    events: window,
    onVisible,
  });
  map.on('moveend', tiles.viewChanged);
  return tiles;
}

export function outlineLayer(feature: GeoJsonFeature): L.GeoJSON {
  return L.geoJSON(feature as unknown as GeoJSON.Feature, {
    interactive: false,
    style: { className: 'kelurahan-outline', color: '#1565c0', weight: 3, fillOpacity: 0.04 },
  });
}

export { L };
