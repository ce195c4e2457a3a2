-- Kelurahan with names and boundaries (GeoJSON geometry), imported from the official file.

CREATE TABLE area (
    code           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    kecamatan      TEXT NOT NULL,
    kecamatan_name TEXT NOT NULL,
    kota           TEXT NOT NULL,
    kota_name      TEXT NOT NULL,
    geometry       TEXT NOT NULL
) STRICT;
