-- What the device needs to sync: its clock, its session with the server, a cursor and checksum
-- per bucket it follows, and the server's version of each report.

-- The device's hybrid logical clock and how far its wall clock is from the server's.
CREATE TABLE device_clock (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    hlc_ms           INTEGER NOT NULL,
    hlc_n            INTEGER NOT NULL,
    server_offset_ms INTEGER NOT NULL
) STRICT;
INSERT INTO device_clock (id, hlc_ms, hlc_n, server_offset_ms) VALUES (1, 0, 0, 0);

-- The signed-in account on this device (at most one).
CREATE TABLE session (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    server_url    TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    user_name     TEXT    NOT NULL,
    device_id     TEXT    NOT NULL,
    refresh_token TEXT    NOT NULL,
    roles         TEXT    NOT NULL, -- JSON array of role assignments
    last_sync_at  INTEGER
) STRICT;

CREATE TABLE bucket (
    name     TEXT    PRIMARY KEY,
    cursor   INTEGER NOT NULL DEFAULT 0,
    checksum INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE bucket_member (
    bucket    TEXT    NOT NULL REFERENCES bucket (name) ON DELETE CASCADE,
    report_id TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (bucket, report_id)
) STRICT;

-- The server's version of each report (0 until the server has it), who made it, and values
-- that lost to concurrent edits (JSON), shown to the people involved.
ALTER TABLE report ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report ADD COLUMN reporter TEXT;
ALTER TABLE report ADD COLUMN losers TEXT;
-- The server's last state of the report (JSON, ronda_core::sync::ServerReport); the row shows
-- it with this device's unanswered edits re-applied.
ALTER TABLE report ADD COLUMN server_state TEXT;

-- Where an unfinished upload lives on the server, so it resumes after a restart.
ALTER TABLE blob ADD COLUMN upload_url TEXT;
