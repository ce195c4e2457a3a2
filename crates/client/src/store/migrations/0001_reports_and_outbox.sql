-- Reports made on or synced to this device, their photos, and the outbox of ops to send.
-- Append-only: never edit a migration that has shipped; add a new file instead.

PRAGMA application_id = 1380929092; -- "ROND": tells a Ronda store from any other SQLite file

CREATE TABLE report (
    seq             INTEGER PRIMARY KEY,     -- local row number: links the spatial and text indexes
    id              TEXT    NOT NULL UNIQUE, -- UUIDv7, made on the device that created the report
    kind            TEXT    NOT NULL CHECK (kind IN ('laporan', 'rawan', 'audit')),
    category        TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    lat             REAL    NOT NULL,
    lon             REAL    NOT NULL,
    accuracy_m      REAL    NOT NULL,
    location_source TEXT    NOT NULL,
    location_at     INTEGER NOT NULL,        -- ms since 1970, UTC
    description     TEXT,
    area            TEXT,                    -- canonical code, e.g. 31.71.01.1001/RW 003/RT 007
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

CREATE INDEX report_by_created ON report (created_at);
CREATE INDEX report_by_status ON report (status, kind);
CREATE INDEX report_by_category ON report (category);
CREATE INDEX report_by_area ON report (area);

-- Points stored as zero-size boxes. R*Tree keeps 32-bit floats rounded outwards, so it finds a
-- superset; exact coordinates in `report` decide.
CREATE VIRTUAL TABLE report_geo USING rtree (seq, min_lat, max_lat, min_lon, max_lon);

-- Stemmed Indonesian search terms of each description (see ronda_core::search), keyed by
-- report.seq. Contentless: the terms are derived, the description lives in `report`. The terms
-- arrive split and lowercased, so the tokenizer only splits on spaces ('ascii' leaves every
-- non-ASCII character as written, where 'unicode61' would fold accents that Rust kept).
CREATE VIRTUAL TABLE report_fts USING fts5 (terms, content = '', contentless_delete = 1, tokenize = 'ascii');

CREATE TABLE photo (
    report_seq   INTEGER NOT NULL REFERENCES report (seq),
    position     INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    thumb_sha256 TEXT    NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    exif_lat     REAL,
    exif_lon     REAL,
    taken_at     INTEGER,
    PRIMARY KEY (report_seq, position)
) STRICT;

-- Files in the blob folder, by SHA-256, and how far each has been uploaded.
CREATE TABLE blob (
    sha256        TEXT    PRIMARY KEY,
    bytes         INTEGER NOT NULL,
    upload_offset INTEGER NOT NULL DEFAULT 0,
    uploaded      INTEGER NOT NULL DEFAULT 0 CHECK (uploaded IN (0, 1))
) STRICT;

-- What the sync engine will send, in order. `body` is the op exactly as it goes on the wire.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id           TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL,
    report_id       TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    made_at         INTEGER NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sent', 'accepted', 'rejected')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_attempt_at INTEGER,
    reject_code     TEXT,
    reject_message  TEXT
) STRICT;

CREATE INDEX outbox_by_state ON outbox (state, seq);
CREATE INDEX outbox_by_report ON outbox (report_id);
