-- Users, sessions, the life of each quarter, publications and the audit trail.
-- Councils are named by ref: a grant or an audit row may outlive, or come before, the
-- council's data. Times are TEXT in one fixed-width UTC form (2012-10-15T09:30:00.000000Z),
-- so they sort as text and hash the same on every backend.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
) STRICT;

CREATE TABLE grants (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    council_ref TEXT NOT NULL,
    -- NULL: the whole council.
    unit_ref    TEXT,
    position    INTEGER NOT NULL
) STRICT;
CREATE INDEX grants_by_user ON grants (user_id);

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token; the token itself is never stored.
    id_hash      TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    username TEXT NOT NULL,
    at       TEXT NOT NULL
) STRICT;
CREATE INDEX sign_in_failures_by_name ON sign_in_failures (username, at);

CREATE TABLE quarter_states (
    council_ref TEXT NOT NULL,
    unit_ref    TEXT NOT NULL,
    quarter     TEXT NOT NULL,
    state       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    reason      TEXT,
    PRIMARY KEY (council_ref, unit_ref, quarter)
) STRICT;

CREATE TABLE publications (
    id           INTEGER PRIMARY KEY,
    council_ref  TEXT NOT NULL,
    unit_ref     TEXT NOT NULL,
    quarter      TEXT NOT NULL,
    version      INTEGER NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    note         TEXT,
    UNIQUE (council_ref, unit_ref, quarter, version)
) STRICT;

CREATE TABLE publication_files (
    publication_id INTEGER NOT NULL REFERENCES publications (id),
    name           TEXT NOT NULL,
    media_type     TEXT NOT NULL,
    bytes          BLOB NOT NULL,
    PRIMARY KEY (publication_id, name)
) STRICT;

-- A published version is never rewritten.
CREATE TRIGGER publications_are_frozen BEFORE UPDATE ON publications
BEGIN SELECT RAISE(ABORT, 'publications are never changed: publish a new version'); END;
CREATE TRIGGER publications_are_kept BEFORE DELETE ON publications
BEGIN SELECT RAISE(ABORT, 'publications are never deleted'); END;
CREATE TRIGGER publication_files_are_frozen BEFORE UPDATE ON publication_files
BEGIN SELECT RAISE(ABORT, 'publications are never changed: publish a new version'); END;
CREATE TRIGGER publication_files_are_kept BEFORE DELETE ON publication_files
BEGIN SELECT RAISE(ABORT, 'publications are never deleted'); END;

-- The audit trail: append-only, each row's hash covering its content and the previous hash
-- (see beacon_app::audit). The head holds the last seq and hash, so removing rows from the
-- end shows too.
CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    council_ref TEXT,
    entity      TEXT NOT NULL,
    item        TEXT,
    field       TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    reason      TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_item ON audit (council_ref, item);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_is_append_only BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_rows_are_kept BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
