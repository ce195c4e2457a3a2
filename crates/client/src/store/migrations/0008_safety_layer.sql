-- The public safety layer joins the reference data. SQLite cannot change a CHECK in place, so
-- the table is made again with the wider list and its rows copied over.
CREATE TABLE reference_new (
    name       TEXT    PRIMARY KEY CHECK (name IN ('areas', 'deadlines', 'safety')),
    etag       TEXT,
    body       TEXT    NOT NULL,
    fetched_at INTEGER NOT NULL  -- ms since 1970, device clock
) STRICT;
INSERT INTO reference_new (name, etag, body, fetched_at)
    SELECT name, etag, body, fetched_at FROM reference;
DROP TABLE reference;
ALTER TABLE reference_new RENAME TO reference;
