// The home screen's map: every report in view as a circle on one canvas, the kelurahan, and on
// request the safety map's hexagons beneath the pins.
import type { GeoJsonFeature, ReportPin, SafetyCell } from '../ipc/bindings';
import type { ViewBox } from '../ipc/commands';
import { pinStyle } from '../logic/pins';
import { cellStyle } from '../logic/safety';
import { addOnlineTiles, createMap, L, outlineLayer } from './leaflet';

export type HomeMap = {
  setPins: (pins: readonly ReportPin[]) => void;
  setOutline: (feature: GeoJsonFeature | null) => void;
  /** Draws the safety cells (null removes them); a tap on a cell calls `onCellClick(h3)`. */
  setSafety: (cells: readonly SafetyCell[] | null, onCellClick: (h3: string) => void) => void;
  getBox: () => ViewBox;
  onMoveEnd: (handler: () => void) => void;
  destroy: () => void;
};

export type HomeMapOptions = {
  onPinClick: (id: string) => void;
  onTilesVisible?: (visible: boolean) => void;
};

type Shown = { marker: L.CircleMarker; key: string };

/** The pane of the safety cells: above the tiles (200), below the pins' canvas (overlayPane, 400). */
const SAFETY_PANE = 'safetyPane';
/** How far from a pin's edge a tap still counts, in pixels (as the canvas renderer's). */
const TAP_TOLERANCE = 6;
/** On the map's container while cells are drawn; the stylesheet then lets taps through the
 *  pins' canvas to the cells (the pins are then hit-tested here). */
const SAFETY_ON_CLASS = 'safety-on';

export function createHomeMap(el: HTMLElement, options: HomeMapOptions): HomeMap {
  const map = createMap(el);
  const tiles = addOnlineTiles(map, options.onTilesVisible);
  const pins = L.featureGroup().addTo(map);
  const ids = new WeakMap<L.Layer, string>();
  const shown = new Map<string, Shown>();
  let outline: L.GeoJSON | null = null;
  let safety: L.FeatureGroup | null = null;

  // Each hexagon is its own SVG element (under a thousand even for all of Jakarta), so a test
  // from outside can find and tap it; the pins stay on the canvas, drawn above.
  map.createPane(SAFETY_PANE).style.zIndex = '350';
  const safetyRenderer = L.svg({ pane: SAFETY_PANE, padding: 0.5 });

  pins.on('click', (e: L.LeafletEvent) => {
    const id = ids.get((e as L.LeafletEvent & { propagatedFrom: L.Layer }).propagatedFrom);
    if (id) options.onPinClick(id);
  });

  /** The pin under a tap, nearest first, while the canvas lets taps through to the cells. */
  const pinAt = (point: L.Point): string | null => {
    let best: string | null = null;
    let bestDistance = Infinity;
    for (const [id, s] of shown) {
      const d = map.latLngToContainerPoint(s.marker.getLatLng()).distanceTo(point);
      const reach = s.marker.getRadius() + (s.marker.options.weight ?? 0) / 2 + TAP_TOLERANCE;
      if (d <= reach && d < bestDistance) {
        best = id;
        bestDistance = d;
      }
    }
    return best;
  };

  map.on('click', (e: L.LeafletMouseEvent) => {
    if (!safety) return; // the canvas handles the pins' taps itself
    const id = pinAt(e.containerPoint);
    if (id) options.onPinClick(id);
  });

  return {
    // Reuses the circles that are already drawn, so a pan that keeps most pins is cheap.
    setPins(list) {
      const keep = new Set<string>();
      for (const p of list) {
        keep.add(p.id);
        const key = `${p.lat},${p.lon},${p.kind},${p.status},${p.band}`;
        const old = shown.get(p.id);
        if (old && old.key === key) continue;
        if (old) pins.removeLayer(old.marker);
        const marker = L.circleMarker([p.lat, p.lon], pinStyle(p.kind, p.status, p.band));
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
    setSafety(cells, onCellClick) {
      safety?.remove();
      safety = null;
      map.getContainer().classList.toggle(SAFETY_ON_CLASS, cells !== null);
      if (!cells) return;
      const group = L.featureGroup().addTo(map);
      for (const cell of cells) {
        const style = cellStyle(cell);
        const polygon = L.polygon(cell.ring, {
          renderer: safetyRenderer,
          pane: SAFETY_PANE,
          interactive: true,
          bubblingMouseEvents: false,
          ...style,
          dashArray: style.dashArray ?? undefined,
        });
        polygon.on('click', (e: L.LeafletMouseEvent) => {
          // A pin drawn over the cell wins the tap, as it would without the cells.
          const id = pinAt(e.containerPoint);
          if (id) options.onPinClick(id);
          else onCellClick(cell.h3);
        });
        group.addLayer(polygon);
        const path = polygon.getElement();
        path?.setAttribute('data-testid', 'safety-hex');
        path?.setAttribute('data-h3', cell.h3);
        path?.setAttribute('data-day-part', cell.dayPart);
      }
      safety = group;
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
