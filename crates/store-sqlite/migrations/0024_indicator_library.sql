-- The council's indicator library (docs/plan-format.md, `[[library]]`): each definition kept as
-- its JSON form (the domain's `LibraryIndicator`), one row per ref. A plan's indicator that
-- takes its definition from the library names the entry in library_ref.
CREATE TABLE library_indicators (
    id         INTEGER PRIMARY KEY,
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    ref        TEXT NOT NULL,
    definition TEXT NOT NULL,
    UNIQUE (council_id, ref)
) STRICT;
ALTER TABLE indicators ADD COLUMN library_ref TEXT;

-- Every version of a plan as it was when approved or changed: the whole plan document as JSON,
-- so any two versions can be compared.
CREATE TABLE plan_versions (
    id         INTEGER PRIMARY KEY,
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    plan_ref   TEXT NOT NULL,
    version    INTEGER NOT NULL,
    document   TEXT NOT NULL,
    UNIQUE (council_id, plan_ref, version)
) STRICT;
