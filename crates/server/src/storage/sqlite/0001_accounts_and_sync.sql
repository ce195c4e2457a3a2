-- Accounts, devices, reports with every version, per-bucket change logs, and the ops seen.
-- Append-only: add a new migration, never edit this one once shipped.

CREATE TABLE user (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE role_assignment (
    user_id    TEXT NOT NULL REFERENCES user (id),
    assignment TEXT NOT NULL -- JSON, ronda_core::RoleAssignment
) STRICT;
CREATE INDEX role_assignment_by_user ON role_assignment (user_id);

CREATE TABLE activation (
    code_id       TEXT    PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES user (id),
    secret_hash   TEXT    NOT NULL, -- Argon2id, PHC string
    expires_at_ms INTEGER NOT NULL,
    used          INTEGER NOT NULL DEFAULT 0,
    failures      INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE device (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES user (id),
    name         TEXT NOT NULL,
    refresh_hash BLOB NOT NULL UNIQUE, -- SHA-256 of the refresh token
    revoked      INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE report (
    id      TEXT    PRIMARY KEY,
    version INTEGER NOT NULL
) STRICT;

-- Every version of every report, by version (the commit sequence number).
CREATE TABLE report_version (
    version   INTEGER PRIMARY KEY,
    report_id TEXT    NOT NULL,
    snapshot  TEXT    NOT NULL -- JSON, ronda_core::sync::ServerReport
) STRICT;

CREATE TABLE bucket (
    name     TEXT    PRIMARY KEY,
    head     INTEGER NOT NULL,
    checksum INTEGER NOT NULL
) STRICT;

CREATE TABLE change (
    bucket   TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    checksum INTEGER NOT NULL,
    PRIMARY KEY (bucket, version)
) STRICT, WITHOUT ROWID;

CREATE TABLE op (
    id        TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    body_hash BLOB NOT NULL,
    result    TEXT NOT NULL -- JSON, ronda_core::sync::OpResult
) STRICT;
