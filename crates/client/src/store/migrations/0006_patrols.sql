-- Daily "nihil" check-ins: this device's own (sent or not) and those of the areas it follows,
-- as the server sent them. One per area and day, as on the server.
CREATE TABLE patrol (
    id      TEXT    PRIMARY KEY,
    area    TEXT    NOT NULL,  -- canonical RT or RW code
    day     TEXT    NOT NULL,  -- YYYY-MM-DD in Jakarta
    by_user TEXT,              -- who checked in; NULL for this device's own, until sent
    at      INTEGER NOT NULL,  -- ms since 1970: when the server received it, or when made here
    UNIQUE (area, day)
) STRICT;
CREATE INDEX patrol_by_day ON patrol (day, area);

-- How far this device has the check-ins of the areas it follows.
CREATE TABLE patrol_cursor (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    cursor INTEGER NOT NULL
) STRICT;
INSERT INTO patrol_cursor (id, cursor) VALUES (1, 0);
