-- Beacon's foundation schema on PostgreSQL: the same tables and columns as the SQLite store,
-- with every table keyed by council so that one database serves many councils.
--
-- * `councils` is the one table not keyed by `council_id`: it is the list of councils (on a
--   scale-out PostgreSQL such as Citus it is a reference table, copied to every node).
-- * Every other table has `council_id` as the first column of its primary key, of every unique
--   constraint and of every foreign key, so each table can be distributed by `council_id`
--   (Citus `create_distributed_table(..., 'council_id')`, all co-located) and every query
--   Beacon makes, which names one council, goes to one shard. See docs/deployment.md.
-- * Deleting a parent deletes its children (ON DELETE CASCADE).
-- * Lists keep a `position` so they come back in the order they were given.
-- * Decimals are TEXT in their exact written form ("5.50" keeps its scale; a CHECK makes sure
--   the text is a plain decimal, so `number::numeric` always works in SQL). Money is BIGINT
--   pence. Periods and dates are the domain's text forms, choices the domain's words, small
--   lists of refs TEXT[]. Never a float.
-- * Refs to things outside a row's own parent (a unit's parent unit, a quarter's plan) are kept
--   as the ref text: files may name them before they are loaded.

-- Organisation ------------------------------------------------------------------------------

CREATE TABLE councils (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref               TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    tolerance_percent TEXT CHECK (tolerance_percent ~ '^-?[0-9]+(\.[0-9]+)?$'),
    colour            TEXT,
    -- Bumped by every change to the council's data, so readers can cache safely.
    revision          BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE units (
    council_id BIGINT NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    ref        TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    parent     TEXT,
    head       TEXT,
    PRIMARY KEY (council_id, ref)
);

CREATE TABLE officers (
    council_id BIGINT NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    ref        TEXT NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT,
    unit       TEXT,
    aliases    TEXT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (council_id, ref)
);

CREATE TABLE frames (
    council_id BIGINT NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    ref        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    number     BIGINT,
    parent     TEXT,
    PRIMARY KEY (council_id, ref)
);

-- Plans -------------------------------------------------------------------------------------

CREATE TABLE plans (
    council_id BIGINT NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    id         BIGINT GENERATED ALWAYS AS IDENTITY,
    ref        TEXT NOT NULL,
    title      TEXT NOT NULL,
    unit       TEXT NOT NULL,
    years      TEXT NOT NULL,
    status     TEXT NOT NULL,
    version    BIGINT NOT NULL,
    refreshes  TEXT,
    source     TEXT,
    PRIMARY KEY (council_id, id),
    UNIQUE (council_id, ref)
);

CREATE TABLE plan_sections (
    council_id BIGINT NOT NULL,
    plan_id    BIGINT NOT NULL,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    heading    TEXT NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (council_id, plan_id, position),
    FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE
);

CREATE TABLE plan_factors (
    council_id BIGINT NOT NULL,
    plan_id    BIGINT NOT NULL,
    position   INTEGER NOT NULL,
    category   TEXT NOT NULL,
    heading    TEXT NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (council_id, plan_id, position),
    FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE
);

CREATE TABLE objectives (
    council_id BIGINT NOT NULL,
    id         BIGINT GENERATED ALWAYS AS IDENTITY,
    plan_id    BIGINT NOT NULL,
    position   INTEGER NOT NULL,
    ref        TEXT NOT NULL,
    unit       TEXT,
    statement  TEXT NOT NULL,
    officer    TEXT,
    PRIMARY KEY (council_id, id),
    UNIQUE (council_id, plan_id, ref),
    UNIQUE (council_id, plan_id, position),
    FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE
);

-- An objective's initial and residual risk: a row when the plan records one.
CREATE TABLE objective_assessments (
    council_id   BIGINT NOT NULL,
    objective_id BIGINT NOT NULL,
    stage        TEXT NOT NULL CHECK (stage IN ('initial', 'residual')),
    score        INTEGER,
    likelihood   INTEGER,
    impact       INTEGER,
    band         TEXT,
    PRIMARY KEY (council_id, objective_id, stage),
    FOREIGN KEY (council_id, objective_id) REFERENCES objectives (council_id, id) ON DELETE CASCADE
);

-- An objective's frame links, cross references and indicators, each list in order.
CREATE TABLE objective_links (
    council_id   BIGINT NOT NULL,
    objective_id BIGINT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('frame', 'cross_ref', 'indicator')),
    position     INTEGER NOT NULL,
    ref          TEXT NOT NULL,
    PRIMARY KEY (council_id, objective_id, kind, position),
    FOREIGN KEY (council_id, objective_id) REFERENCES objectives (council_id, id) ON DELETE CASCADE
);

-- `due_kind` says how to read `due`: a month (2012-03), a day (2012-09-26) or the words of a
-- recurring milestone, kept exactly; both are NULL when there is no due date.
CREATE TABLE milestones (
    council_id   BIGINT NOT NULL,
    id           BIGINT GENERATED ALWAYS AS IDENTITY,
    plan_id      BIGINT NOT NULL,
    objective_id BIGINT NOT NULL,
    position     INTEGER NOT NULL,
    ref          TEXT NOT NULL,
    year         TEXT NOT NULL,
    text         TEXT NOT NULL,
    due_kind     TEXT CHECK (due_kind IN ('month', 'day', 'recurring')),
    due          TEXT,
    officer      TEXT,
    priority     TEXT,
    PRIMARY KEY (council_id, id),
    UNIQUE (council_id, plan_id, ref),
    UNIQUE (council_id, objective_id, position),
    CHECK ((due_kind IS NULL) = (due IS NULL)),
    FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE,
    FOREIGN KEY (council_id, objective_id) REFERENCES objectives (council_id, id) ON DELETE CASCADE
);

CREATE TABLE indicators (
    council_id        BIGINT NOT NULL,
    id                BIGINT GENERATED ALWAYS AS IDENTITY,
    plan_id           BIGINT NOT NULL,
    position          INTEGER NOT NULL,
    ref               TEXT NOT NULL,
    printed_ref       TEXT,
    description       TEXT NOT NULL,
    unit              TEXT,
    group_name        TEXT,
    category          TEXT,
    is_key            BOOLEAN NOT NULL,
    measure           TEXT,
    better            TEXT,
    frequency         TEXT,
    accumulation      TEXT NOT NULL,
    calendar          TEXT NOT NULL,
    data_source       TEXT,
    notes             TEXT,
    priority          TEXT,
    tolerance_percent TEXT CHECK (tolerance_percent ~ '^-?[0-9]+(\.[0-9]+)?$'),
    officer           TEXT,
    PRIMARY KEY (council_id, id),
    UNIQUE (council_id, plan_id, ref),
    UNIQUE (council_id, plan_id, position),
    FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE
);

CREATE TABLE indicator_aliases (
    council_id   BIGINT NOT NULL,
    indicator_id BIGINT NOT NULL,
    position     INTEGER NOT NULL,
    ref          TEXT NOT NULL,
    PRIMARY KEY (council_id, indicator_id, position),
    FOREIGN KEY (council_id, indicator_id) REFERENCES indicators (council_id, id) ON DELETE CASCADE
);

CREATE TABLE indicator_links (
    council_id   BIGINT NOT NULL,
    indicator_id BIGINT NOT NULL,
    position     INTEGER NOT NULL,
    ref          TEXT NOT NULL,
    PRIMARY KEY (council_id, indicator_id, position),
    FOREIGN KEY (council_id, indicator_id) REFERENCES indicators (council_id, id) ON DELETE CASCADE
);

-- An indicator's baseline (at most one), targets, quarterly profile and values, each keyed by
-- the period it describes. A measure is its words, its number (exact decimal text), its
-- qualifiers and an optional "as at" period.
CREATE TABLE indicator_measures (
    council_id   BIGINT NOT NULL,
    indicator_id BIGINT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('baseline', 'target', 'profile', 'value')),
    period       TEXT NOT NULL,
    text         TEXT NOT NULL,
    number       TEXT CHECK (number ~ '^-?[0-9]+(\.[0-9]+)?$'),
    qualifiers   TEXT[] NOT NULL DEFAULT '{}',
    as_at        TEXT,
    PRIMARY KEY (council_id, indicator_id, kind, period),
    FOREIGN KEY (council_id, indicator_id) REFERENCES indicators (council_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX indicator_measures_one_baseline ON indicator_measures (council_id, indicator_id)
    WHERE kind = 'baseline';
CREATE INDEX indicator_measures_by_period ON indicator_measures (council_id, period, kind);

CREATE TABLE indicator_comparators (
    council_id   BIGINT NOT NULL,
    indicator_id BIGINT NOT NULL,
    position     INTEGER NOT NULL,
    period       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    text         TEXT NOT NULL,
    number       TEXT CHECK (number ~ '^-?[0-9]+(\.[0-9]+)?$'),
    qualifiers   TEXT[] NOT NULL DEFAULT '{}',
    as_at        TEXT,
    PRIMARY KEY (council_id, indicator_id, position),
    FOREIGN KEY (council_id, indicator_id) REFERENCES indicators (council_id, id) ON DELETE CASCADE
);

CREATE TABLE risks (
    council_id  BIGINT NOT NULL,
    id          BIGINT GENERATED ALWAYS AS IDENTITY,
    plan_id     BIGINT NOT NULL,
    position    INTEGER NOT NULL,
    ref         TEXT NOT NULL,
    objective   TEXT,
    description TEXT NOT NULL,
    PRIMARY KEY (council_id, id),
    UNIQUE (council_id, plan_id, ref),
    UNIQUE (council_id, plan_id, position),
    FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE
);

CREATE TABLE risk_assessments (
    council_id BIGINT NOT NULL,
    risk_id    BIGINT NOT NULL,
    stage      TEXT NOT NULL CHECK (stage IN ('initial', 'residual')),
    score      INTEGER,
    likelihood INTEGER,
    impact     INTEGER,
    band       TEXT,
    PRIMARY KEY (council_id, risk_id, stage),
    FOREIGN KEY (council_id, risk_id) REFERENCES risks (council_id, id) ON DELETE CASCADE
);

CREATE TABLE risk_treatments (
    council_id BIGINT NOT NULL,
    risk_id    BIGINT NOT NULL,
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (council_id, risk_id, position),
    FOREIGN KEY (council_id, risk_id) REFERENCES risks (council_id, id) ON DELETE CASCADE
);

CREATE TABLE equality_actions (
    council_id BIGINT NOT NULL,
    plan_id    BIGINT NOT NULL,
    position   INTEGER NOT NULL,
    ref        TEXT NOT NULL,
    area       TEXT NOT NULL,
    impact     TEXT NOT NULL,
    action     TEXT NOT NULL,
    years      TEXT[] NOT NULL DEFAULT '{}',
    officer    TEXT,
    PRIMARY KEY (council_id, plan_id, position),
    UNIQUE (council_id, plan_id, ref),
    FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE
);

CREATE TABLE budget_changes (
    council_id  BIGINT NOT NULL,
    plan_id     BIGINT NOT NULL,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    year        TEXT NOT NULL,
    description TEXT NOT NULL,
    amount      BIGINT,
    scale       TEXT NOT NULL,
    PRIMARY KEY (council_id, plan_id, position),
    FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE
);

-- Quarterly monitoring ----------------------------------------------------------------------

CREATE TABLE quarters (
    council_id       BIGINT NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    id               BIGINT GENERATED ALWAYS AS IDENTITY,
    unit             TEXT NOT NULL,
    period           TEXT NOT NULL,
    plan             TEXT NOT NULL,
    title            TEXT NOT NULL,
    introduction     TEXT,
    equality_summary TEXT,
    PRIMARY KEY (council_id, id),
    UNIQUE (council_id, unit, period)
);
CREATE INDEX quarters_by_period ON quarters (council_id, period);

CREATE TABLE quarter_narratives (
    council_id BIGINT NOT NULL,
    quarter_id BIGINT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('key_development', 'emerging_issue')),
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    initials   TEXT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (council_id, quarter_id, kind, position),
    FOREIGN KEY (council_id, quarter_id) REFERENCES quarters (council_id, id) ON DELETE CASCADE
);

CREATE TABLE risk_updates (
    council_id BIGINT NOT NULL,
    quarter_id BIGINT NOT NULL,
    position   INTEGER NOT NULL,
    risk       TEXT NOT NULL,
    title      TEXT,
    text       TEXT NOT NULL,
    initials   TEXT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (council_id, quarter_id, position),
    FOREIGN KEY (council_id, quarter_id) REFERENCES quarters (council_id, id) ON DELETE CASCADE
);

CREATE TABLE equality_updates (
    council_id BIGINT NOT NULL,
    quarter_id BIGINT NOT NULL,
    position   INTEGER NOT NULL,
    action     TEXT NOT NULL,
    text       TEXT NOT NULL,
    initials   TEXT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (council_id, quarter_id, position),
    FOREIGN KEY (council_id, quarter_id) REFERENCES quarters (council_id, id) ON DELETE CASCADE
);

CREATE TABLE quarter_values (
    council_id BIGINT NOT NULL,
    quarter_id BIGINT NOT NULL,
    position   INTEGER NOT NULL,
    indicator  TEXT NOT NULL,
    period     TEXT NOT NULL,
    text       TEXT NOT NULL,
    number     TEXT CHECK (number ~ '^-?[0-9]+(\.[0-9]+)?$'),
    qualifiers TEXT[] NOT NULL DEFAULT '{}',
    as_at      TEXT,
    officer    TEXT,
    PRIMARY KEY (council_id, quarter_id, position),
    FOREIGN KEY (council_id, quarter_id) REFERENCES quarters (council_id, id) ON DELETE CASCADE
);
CREATE INDEX quarter_values_by_period ON quarter_values (council_id, period);

CREATE TABLE milestone_progress (
    council_id BIGINT NOT NULL,
    quarter_id BIGINT NOT NULL,
    position   INTEGER NOT NULL,
    milestone  TEXT NOT NULL,
    status     TEXT NOT NULL,
    completed  TEXT,
    initials   TEXT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (council_id, quarter_id, position),
    FOREIGN KEY (council_id, quarter_id) REFERENCES quarters (council_id, id) ON DELETE CASCADE
);

CREATE TABLE commentary (
    council_id BIGINT NOT NULL,
    quarter_id BIGINT NOT NULL,
    position   INTEGER NOT NULL,
    priority   TEXT,
    about      TEXT NOT NULL,
    text       TEXT NOT NULL,
    initials   TEXT[] NOT NULL DEFAULT '{}',
    refs       TEXT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (council_id, quarter_id, position),
    FOREIGN KEY (council_id, quarter_id) REFERENCES quarters (council_id, id) ON DELETE CASCADE
);

-- Budget statements -------------------------------------------------------------------------

CREATE TABLE statements (
    council_id BIGINT NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    id         BIGINT GENERATED ALWAYS AS IDENTITY,
    ref        TEXT NOT NULL,
    period     TEXT NOT NULL,
    unit       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    scale      TEXT NOT NULL,
    notes      TEXT,
    PRIMARY KEY (council_id, id),
    UNIQUE (council_id, ref, period)
);
CREATE INDEX statements_by_period ON statements (council_id, period);

-- Groups in declaration order (parents before children); `stated_*` are all set or all NULL.
CREATE TABLE statement_groups (
    council_id     BIGINT NOT NULL,
    statement_id   BIGINT NOT NULL,
    position       INTEGER NOT NULL,
    group_key      TEXT NOT NULL,
    parent         TEXT,
    label          TEXT NOT NULL,
    heading        TEXT,
    stated_annual  BIGINT,
    stated_to_date BIGINT,
    stated_spent   BIGINT,
    PRIMARY KEY (council_id, statement_id, position),
    UNIQUE (council_id, statement_id, group_key),
    CHECK ((stated_annual IS NULL) = (stated_to_date IS NULL)
       AND (stated_annual IS NULL) = (stated_spent IS NULL)),
    FOREIGN KEY (council_id, statement_id) REFERENCES statements (council_id, id) ON DELETE CASCADE
);

CREATE TABLE statement_lines (
    council_id   BIGINT NOT NULL,
    statement_id BIGINT NOT NULL,
    position     INTEGER NOT NULL,
    group_key    TEXT NOT NULL,
    label        TEXT NOT NULL,
    annual       BIGINT NOT NULL,
    to_date      BIGINT NOT NULL,
    spent        BIGINT NOT NULL,
    note         TEXT,
    PRIMARY KEY (council_id, statement_id, position),
    FOREIGN KEY (council_id, statement_id) REFERENCES statements (council_id, id) ON DELETE CASCADE
);

-- Statuses set by hand: one per item per quarter, keeping the computed status beside the
-- chosen one, who chose it, when and why.
CREATE TABLE status_overrides (
    council_id BIGINT NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    plan       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    item       TEXT NOT NULL,
    quarter    TEXT NOT NULL,
    computed   TEXT NOT NULL,
    chosen     TEXT NOT NULL,
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    chosen_by  TEXT NOT NULL,
    chosen_at  TEXT NOT NULL,
    PRIMARY KEY (council_id, plan, kind, item, quarter)
);
CREATE INDEX status_overrides_by_quarter ON status_overrides (council_id, quarter);
