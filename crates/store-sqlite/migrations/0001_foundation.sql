-- Beacon's foundation schema.
--
-- Every table belongs to a council, directly (council_id) or through its parent, so one
-- database holds several councils; deleting a parent deletes its children (ON DELETE CASCADE).
-- Lists keep a `position` so they come back in the order they were given.
-- Decimals are TEXT (exact), money INTEGER pence, periods and dates their text form, choices
-- the domain's words; small lists of refs are JSON arrays of strings. Never REAL.
-- Refs to things outside a row's own parent (a unit's parent unit, a quarter's plan, an
-- objective's frames) are kept as the ref text: files may name them before they are loaded.

-- Organisation ------------------------------------------------------------------------------

CREATE TABLE councils (
    id                INTEGER PRIMARY KEY,
    ref               TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    tolerance_percent TEXT,
    colour            TEXT,
    -- Bumped by every change to the council's data, so readers can cache safely.
    revision          INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    ref        TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    parent     TEXT,
    head       TEXT,
    UNIQUE (council_id, ref)
) STRICT;

CREATE TABLE officers (
    id         INTEGER PRIMARY KEY,
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    ref        TEXT NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT,
    unit       TEXT,
    aliases    TEXT NOT NULL DEFAULT '[]',
    UNIQUE (council_id, ref)
) STRICT;

CREATE TABLE frames (
    id         INTEGER PRIMARY KEY,
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    ref        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    number     INTEGER,
    parent     TEXT,
    UNIQUE (council_id, ref)
) STRICT;

-- Plans -------------------------------------------------------------------------------------

CREATE TABLE plans (
    id         INTEGER PRIMARY KEY,
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    ref        TEXT NOT NULL,
    title      TEXT NOT NULL,
    unit       TEXT NOT NULL,
    years      TEXT NOT NULL,
    status     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    refreshes  TEXT,
    source     TEXT,
    UNIQUE (council_id, ref)
) STRICT;

CREATE TABLE plan_sections (
    plan_id  INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    heading  TEXT NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (plan_id, position)
) STRICT;

CREATE TABLE plan_factors (
    plan_id  INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    category TEXT NOT NULL,
    heading  TEXT NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (plan_id, position)
) STRICT;

CREATE TABLE objectives (
    id        INTEGER PRIMARY KEY,
    plan_id   INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    ref       TEXT NOT NULL,
    unit      TEXT,
    statement TEXT NOT NULL,
    officer   TEXT,
    UNIQUE (plan_id, ref),
    UNIQUE (plan_id, position)
) STRICT;

-- An objective's initial and residual risk: a row when the plan records one.
CREATE TABLE objective_assessments (
    objective_id INTEGER NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    stage        TEXT NOT NULL CHECK (stage IN ('initial', 'residual')),
    score        INTEGER,
    likelihood   INTEGER,
    impact       INTEGER,
    band         TEXT,
    PRIMARY KEY (objective_id, stage)
) STRICT;

-- An objective's frame links, cross references and indicators, each list in order.
CREATE TABLE objective_links (
    objective_id INTEGER NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('frame', 'cross_ref', 'indicator')),
    position     INTEGER NOT NULL,
    ref          TEXT NOT NULL,
    PRIMARY KEY (objective_id, kind, position)
) STRICT;

-- `due_kind` says how to read `due`: a month (2012-03), a day (2012-09-26) or the words of a
-- recurring milestone, kept exactly; both are NULL when there is no due date.
CREATE TABLE milestones (
    id           INTEGER PRIMARY KEY,
    plan_id      INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    objective_id INTEGER NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    ref          TEXT NOT NULL,
    year         TEXT NOT NULL,
    text         TEXT NOT NULL,
    due_kind     TEXT CHECK (due_kind IN ('month', 'day', 'recurring')),
    due          TEXT,
    officer      TEXT,
    priority     TEXT,
    UNIQUE (plan_id, ref),
    UNIQUE (objective_id, position),
    CHECK ((due_kind IS NULL) = (due IS NULL))
) STRICT;

CREATE TABLE indicators (
    id                INTEGER PRIMARY KEY,
    plan_id           INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    ref               TEXT NOT NULL,
    printed_ref       TEXT,
    description       TEXT NOT NULL,
    unit              TEXT,
    group_name        TEXT,
    category          TEXT,
    is_key            INTEGER NOT NULL CHECK (is_key IN (0, 1)),
    measure           TEXT,
    better            TEXT,
    frequency         TEXT,
    accumulation      TEXT NOT NULL,
    calendar          TEXT NOT NULL,
    data_source       TEXT,
    notes             TEXT,
    priority          TEXT,
    tolerance_percent TEXT,
    officer           TEXT,
    UNIQUE (plan_id, ref),
    UNIQUE (plan_id, position)
) STRICT;

CREATE TABLE indicator_aliases (
    indicator_id INTEGER NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    ref          TEXT NOT NULL,
    PRIMARY KEY (indicator_id, position)
) STRICT;

CREATE TABLE indicator_links (
    indicator_id INTEGER NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    ref          TEXT NOT NULL,
    PRIMARY KEY (indicator_id, position)
) STRICT;

-- An indicator's baseline (at most one), targets, quarterly profile and values, each keyed by
-- the period it describes. A measure is its words, its number (exact decimal text), its
-- qualifiers (JSON array) and an optional "as at" period.
CREATE TABLE indicator_measures (
    indicator_id INTEGER NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('baseline', 'target', 'profile', 'value')),
    period       TEXT NOT NULL,
    text         TEXT NOT NULL,
    number       TEXT,
    qualifiers   TEXT NOT NULL DEFAULT '[]',
    as_at        TEXT,
    PRIMARY KEY (indicator_id, kind, period)
) STRICT;
CREATE UNIQUE INDEX indicator_measures_one_baseline ON indicator_measures (indicator_id)
    WHERE kind = 'baseline';
CREATE INDEX indicator_measures_by_period ON indicator_measures (period, kind);

CREATE TABLE indicator_comparators (
    indicator_id INTEGER NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    period       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    text         TEXT NOT NULL,
    number       TEXT,
    qualifiers   TEXT NOT NULL DEFAULT '[]',
    as_at        TEXT,
    PRIMARY KEY (indicator_id, position)
) STRICT;

CREATE TABLE risks (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    ref         TEXT NOT NULL,
    objective   TEXT,
    description TEXT NOT NULL,
    UNIQUE (plan_id, ref),
    UNIQUE (plan_id, position)
) STRICT;

CREATE TABLE risk_assessments (
    risk_id    INTEGER NOT NULL REFERENCES risks (id) ON DELETE CASCADE,
    stage      TEXT NOT NULL CHECK (stage IN ('initial', 'residual')),
    score      INTEGER,
    likelihood INTEGER,
    impact     INTEGER,
    band       TEXT,
    PRIMARY KEY (risk_id, stage)
) STRICT;

CREATE TABLE risk_treatments (
    risk_id  INTEGER NOT NULL REFERENCES risks (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (risk_id, position)
) STRICT;

CREATE TABLE equality_actions (
    id       INTEGER PRIMARY KEY,
    plan_id  INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    ref      TEXT NOT NULL,
    area     TEXT NOT NULL,
    impact   TEXT NOT NULL,
    action   TEXT NOT NULL,
    years    TEXT NOT NULL DEFAULT '[]',
    officer  TEXT,
    UNIQUE (plan_id, ref),
    UNIQUE (plan_id, position)
) STRICT;

CREATE TABLE budget_changes (
    plan_id     INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    year        TEXT NOT NULL,
    description TEXT NOT NULL,
    amount      INTEGER,
    scale       TEXT NOT NULL,
    PRIMARY KEY (plan_id, position)
) STRICT;

-- Quarterly monitoring ----------------------------------------------------------------------

CREATE TABLE quarters (
    id               INTEGER PRIMARY KEY,
    council_id       INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    unit             TEXT NOT NULL,
    period           TEXT NOT NULL,
    plan             TEXT NOT NULL,
    title            TEXT NOT NULL,
    introduction     TEXT,
    equality_summary TEXT,
    UNIQUE (council_id, unit, period)
) STRICT;
CREATE INDEX quarters_by_period ON quarters (council_id, period);

CREATE TABLE quarter_narratives (
    quarter_id INTEGER NOT NULL REFERENCES quarters (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('key_development', 'emerging_issue')),
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    initials   TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (quarter_id, kind, position)
) STRICT;

CREATE TABLE risk_updates (
    quarter_id INTEGER NOT NULL REFERENCES quarters (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    risk       TEXT NOT NULL,
    title      TEXT,
    text       TEXT NOT NULL,
    initials   TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (quarter_id, position)
) STRICT;

CREATE TABLE equality_updates (
    quarter_id INTEGER NOT NULL REFERENCES quarters (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    action     TEXT NOT NULL,
    text       TEXT NOT NULL,
    initials   TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (quarter_id, position)
) STRICT;

CREATE TABLE quarter_values (
    quarter_id INTEGER NOT NULL REFERENCES quarters (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    indicator  TEXT NOT NULL,
    period     TEXT NOT NULL,
    text       TEXT NOT NULL,
    number     TEXT,
    qualifiers TEXT NOT NULL DEFAULT '[]',
    as_at      TEXT,
    officer    TEXT,
    PRIMARY KEY (quarter_id, position)
) STRICT;
CREATE INDEX quarter_values_by_period ON quarter_values (period);

CREATE TABLE milestone_progress (
    quarter_id INTEGER NOT NULL REFERENCES quarters (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    milestone  TEXT NOT NULL,
    status     TEXT NOT NULL,
    completed  TEXT,
    initials   TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (quarter_id, position)
) STRICT;

CREATE TABLE commentary (
    quarter_id INTEGER NOT NULL REFERENCES quarters (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    priority   TEXT,
    about      TEXT NOT NULL,
    text       TEXT NOT NULL,
    initials   TEXT NOT NULL DEFAULT '[]',
    refs       TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (quarter_id, position)
) STRICT;

-- Budget statements -------------------------------------------------------------------------

CREATE TABLE statements (
    id         INTEGER PRIMARY KEY,
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    ref        TEXT NOT NULL,
    period     TEXT NOT NULL,
    unit       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    scale      TEXT NOT NULL,
    notes      TEXT,
    UNIQUE (council_id, ref, period)
) STRICT;
CREATE INDEX statements_by_period ON statements (council_id, period);

-- Groups in declaration order (parents before children); `stated_*` are all set or all NULL.
CREATE TABLE statement_groups (
    statement_id   INTEGER NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    group_key      TEXT NOT NULL,
    parent         TEXT,
    label          TEXT NOT NULL,
    heading        TEXT,
    stated_annual  INTEGER,
    stated_to_date INTEGER,
    stated_spent   INTEGER,
    PRIMARY KEY (statement_id, position),
    UNIQUE (statement_id, group_key),
    CHECK ((stated_annual IS NULL) = (stated_to_date IS NULL)
       AND (stated_annual IS NULL) = (stated_spent IS NULL))
) STRICT;

CREATE TABLE statement_lines (
    statement_id INTEGER NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    group_key    TEXT NOT NULL,
    label        TEXT NOT NULL,
    annual       INTEGER NOT NULL,
    to_date      INTEGER NOT NULL,
    spent        INTEGER NOT NULL,
    note         TEXT,
    PRIMARY KEY (statement_id, position)
) STRICT;

-- Statuses set by hand: one per item per quarter, keeping the computed status beside the
-- chosen one, who chose it, when and why.
CREATE TABLE status_overrides (
    id          INTEGER PRIMARY KEY,
    council_id  INTEGER NOT NULL REFERENCES councils(id) ON DELETE CASCADE,
    plan        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    item        TEXT NOT NULL,
    quarter     TEXT NOT NULL,
    computed    TEXT NOT NULL,
    chosen      TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    chosen_by   TEXT NOT NULL,
    chosen_at   TEXT NOT NULL,
    UNIQUE (council_id, plan, kind, item, quarter)
) STRICT;
CREATE INDEX status_overrides_by_quarter ON status_overrides (council_id, quarter);
