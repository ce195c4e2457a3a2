-- Daily "nihil" check-ins by RT/RW heads. One per area and day; `seq` orders them for devices
-- pulling the check-ins of the areas they follow.

CREATE TABLE patrol (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    id       TEXT    NOT NULL UNIQUE,
    area     TEXT    NOT NULL,  -- canonical RT or RW code
    day      TEXT    NOT NULL,  -- YYYY-MM-DD in Jakarta
    check_in TEXT    NOT NULL,  -- the CheckIn as JSON
    UNIQUE (area, day)
) STRICT;
