// Stand-ins for the Leaflet maps, so screen tests can move the view and read what was drawn.
import type { GeoJsonFeature, ReportPin, SafetyCell } from '../src/ipc/bindings';
import type { ViewBox } from '../src/ipc/commands';
import type { HomeMap, HomeMapOptions } from '../src/map/homeMap';
import type { FieldMap, FieldPoint, Here } from '../src/map/fieldMap';
import type { PickMap } from '../src/map/pickMap';

export class FakeHomeMap implements HomeMap {
  pins: readonly ReportPin[] = [];
  outline: GeoJsonFeature | null = null;
  /** The safety cells drawn, null when the layer is off. */
  safety: readonly SafetyCell[] | null = null;
  private onCellClick: ((h3: string) => void) | null = null;
  destroyed = false;
  box: ViewBox = { south: -6.3, west: 106.7, north: -6.1, east: 106.9 };
  private handlers: (() => void)[] = [];
  constructor(readonly options: HomeMapOptions) {}
  setPins = (pins: readonly ReportPin[]) => {
    this.pins = pins;
  };
  setOutline = (f: GeoJsonFeature | null) => {
    this.outline = f;
  };
  setSafety = (cells: readonly SafetyCell[] | null, onCellClick: (h3: string) => void) => {
    this.safety = cells;
    this.onCellClick = cells ? onCellClick : null;
  };
  getBox = () => this.box;
  onMoveEnd = (h: () => void) => {
    this.handlers.push(h);
  };
  destroy = () => {
    this.destroyed = true;
  };
  /** What Leaflet does when the person pans or zooms. */
  move(box: ViewBox) {
    this.box = box;
    for (const h of this.handlers) h();
  }
  /** What Leaflet does when the person taps a drawn safety cell. */
  tapCell(h3: string) {
    if (!this.safety?.some((c) => c.h3 === h3) || !this.onCellClick) throw new Error(`no cell ${h3} drawn`);
    this.onCellClick(h3);
  }
}

export class FakePickMap implements PickMap {
  point = { lat: -6.2, lon: 106.8 };
  fix: { lat: number; lon: number; accuracyM: number } | null = null;
  outline: GeoJsonFeature | null = null;
  constructor(readonly start: { lat: number; lon: number } | null) {}
  center = () => this.point;
  showFix = (fix: { lat: number; lon: number; accuracyM: number } | null) => {
    this.fix = fix;
  };
  setOutline = (f: GeoJsonFeature | null) => {
    this.outline = f;
  };
  destroy = () => {};
}

export class FakeFieldMap implements FieldMap {
  here: Here | null = null;
  stops: readonly FieldPoint[] = [];
  constructor(readonly onStop: (id: string) => void) {}
  show = (here: Here | null, stops: readonly FieldPoint[]) => {
    this.here = here;
    this.stops = stops;
  };
  destroy = () => {};
  /** What Leaflet does when the person taps a numbered pin. */
  tap(id: string) {
    this.onStop(id);
  }
}

export const maps: { home: FakeHomeMap | null; pick: FakePickMap | null; field: FakeFieldMap | null } = {
  home: null,
  pick: null,
  field: null,
};

export function resetFakeMaps() {
  maps.home = null;
  maps.pick = null;
  maps.field = null;
}

export const fieldMapModule = {
  createFieldMap: (_el: HTMLElement, onStop: (id: string) => void) => (maps.field = new FakeFieldMap(onStop)),
};

export const homeMapModule = {
  createHomeMap: (_el: HTMLElement, options: HomeMapOptions) => (maps.home = new FakeHomeMap(options)),
};

export const pickMapModule = {
  createPickMap: (_el: HTMLElement, start: { lat: number; lon: number } | null) =>
    (maps.pick = new FakePickMap(start)),
};
