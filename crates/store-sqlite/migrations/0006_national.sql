-- The national benchmarking set (issue 19), beside the councils' own data: a register of
-- councils, national indicators, periods, comparison groups, and one row per indicator and
-- period holding every council's value and the positions computed from them at import.
-- Queried only by the beacon-national crate.
CREATE TABLE national_councils (
    slot INTEGER PRIMARY KEY,           -- the council's place in every slice's arrays
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region TEXT,
    kind TEXT                           -- county, district, unitary, metropolitan, london-borough
);
CREATE TABLE national_indicators (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT,
    polarity TEXT NOT NULL,             -- higher or lower: which way is better
    polarity_stated INTEGER NOT NULL    -- 0 when no file said so and higher is assumed
);
CREATE TABLE national_periods (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE
);
CREATE TABLE national_groups (
    id INTEGER PRIMARY KEY,             -- the group's place in every slice's group means
    kind TEXT NOT NULL,                 -- region, statistical neighbours, nearest neighbours, ...
    name TEXT NOT NULL,
    owner INTEGER REFERENCES national_councils (slot),  -- the council whose neighbours these are
    UNIQUE (kind, name)
);
CREATE TABLE national_group_members (
    group_id INTEGER NOT NULL REFERENCES national_groups (id),
    council INTEGER NOT NULL REFERENCES national_councils (slot),
    PRIMARY KEY (group_id, council)
);
-- One indicator in one period across England. The summary is in columns; each council's value
-- (little-endian f64 by slot, NaN where it has none), its position (4 bytes by slot: rank u16,
-- quartile u8 with 1 the best quarter, flags u8 with bit 0 tied) and each group's mean (f64 by
-- group id) are packed arrays, written and read a slice at a time.
CREATE TABLE national_slices (
    period_id INTEGER NOT NULL REFERENCES national_periods (id),
    indicator_id INTEGER NOT NULL REFERENCES national_indicators (id),
    polarity TEXT NOT NULL,
    count INTEGER NOT NULL,
    mean REAL,
    min REAL,
    max REAL,
    q1 REAL,
    median REAL,
    q3 REAL,
    vals BLOB NOT NULL,
    positions BLOB NOT NULL,
    group_means BLOB NOT NULL,
    PRIMARY KEY (period_id, indicator_id)
) WITHOUT ROWID;
CREATE INDEX national_slices_by_indicator ON national_slices (indicator_id, period_id);
-- A Beacon council's code in the national register, and whether it has chosen to contribute
-- its published values to the national set automatically when it publishes.
CREATE TABLE national_links (
    council TEXT PRIMARY KEY,           -- the Beacon council's ref
    code TEXT NOT NULL,                 -- its code in the national register
    contribute INTEGER NOT NULL DEFAULT 0
);
