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
    polarity_stated BOOLEAN NOT NULL    -- false when no file said so and higher is assumed
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
-- (little-endian f64 by slot; the byte arrays are stored uncompressed, NaN where it has none), its position (4 bytes by slot: rank u16,
-- quartile u8 with 1 the best quarter, flags u8 with bit 0 tied) and each group's mean (f64 by
-- group id) are packed arrays, written and read a slice at a time.
CREATE TABLE national_slices (
    period_id INTEGER NOT NULL REFERENCES national_periods (id),
    indicator_id INTEGER NOT NULL REFERENCES national_indicators (id),
    polarity TEXT NOT NULL,
    count INTEGER NOT NULL,
    mean DOUBLE PRECISION,
    min DOUBLE PRECISION,
    max DOUBLE PRECISION,
    q1 DOUBLE PRECISION,
    median DOUBLE PRECISION,
    q3 DOUBLE PRECISION,
    vals BYTEA NOT NULL,
    positions BYTEA NOT NULL,
    group_means BYTEA NOT NULL,
    PRIMARY KEY (period_id, indicator_id)
);
CREATE INDEX national_slices_by_indicator ON national_slices (indicator_id, period_id);
-- A Beacon council's code in the national register, and whether it has chosen to contribute
-- its published values to the national set automatically when it publishes.
CREATE TABLE national_links (
    council TEXT PRIMARY KEY,           -- the Beacon council's ref
    code TEXT NOT NULL,                 -- its code in the national register
    contribute BOOLEAN NOT NULL DEFAULT FALSE
);
-- Random-looking numbers do not compress: keep the arrays uncompressed so reading one council's
-- bytes (substring) does not decompress the whole array.
ALTER TABLE national_slices ALTER COLUMN vals SET STORAGE EXTERNAL;
ALTER TABLE national_slices ALTER COLUMN positions SET STORAGE EXTERNAL;
ALTER TABLE national_slices ALTER COLUMN group_means SET STORAGE EXTERNAL;
