import type { GeoJsonGeometry } from "./GeoJsonGeometry";

export type GeoJsonFeature = { "type": "Feature", geometry: GeoJsonGeometry, properties: { [key in string]?: string | number | boolean | null } | null, };
