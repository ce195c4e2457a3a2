-- What the server publishes for every device, kept as it came so the device can work offline:
-- the kelurahan boundaries (to file reports) and the city's deadlines (to count working days).
-- `etag` lets the next fetch be answered with "not modified" and no body.
CREATE TABLE reference (
    name       TEXT    PRIMARY KEY CHECK (name IN ('areas', 'deadlines')),
    etag       TEXT,
    body       TEXT    NOT NULL,
    fetched_at INTEGER NOT NULL  -- ms since 1970, device clock
) STRICT;
