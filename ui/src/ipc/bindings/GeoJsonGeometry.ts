export type GeoJsonGeometry = { "type": "Polygon", coordinates: Array<Array<Array<number>>>, } | { "type": "MultiPolygon", coordinates: Array<Array<Array<Array<number>>>>, };
