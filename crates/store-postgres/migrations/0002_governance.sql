-- Users, sessions, the life of each quarter, publications and the audit trail: the same tables
-- and columns as the SQLite store's 0002_governance.sql.
--
-- * Councils are named by ref, not by `council_id`: a grant or an audit row may outlive, or
--   come before, the council's data. (So these tables are not distributed by council; on Citus
--   they stay on the coordinator.)
-- * Times are TEXT in one fixed-width UTC form (2012-10-15T09:30:00.000000Z, see
--   beacon_app::audit::stamp), so they sort as text and hash the same on every backend.
-- * Text that is sorted or compared (names, refs, quarters, times) is COLLATE "C": it sorts
--   byte by byte, as SQLite does, whatever the database's locale.
-- * Publications and the audit trail are append-only: triggers refuse any UPDATE, DELETE or
--   TRUNCATE of them.

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT COLLATE "C" NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE grants (
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    council_ref TEXT NOT NULL,
    -- NULL: the whole council.
    unit_ref    TEXT,
    position    BIGINT NOT NULL
);
CREATE INDEX grants_by_user ON grants (user_id);

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token; the token itself is never stored.
    id_hash      TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    username TEXT NOT NULL,
    at       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX sign_in_failures_by_name ON sign_in_failures (username, at);

CREATE TABLE quarter_states (
    council_ref TEXT NOT NULL,
    unit_ref    TEXT COLLATE "C" NOT NULL,
    quarter     TEXT COLLATE "C" NOT NULL,
    state       TEXT NOT NULL,
    version     BIGINT NOT NULL,
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    reason      TEXT,
    PRIMARY KEY (council_ref, unit_ref, quarter)
);

CREATE TABLE publications (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    council_ref  TEXT NOT NULL,
    unit_ref     TEXT COLLATE "C" NOT NULL,
    quarter      TEXT COLLATE "C" NOT NULL,
    version      BIGINT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    note         TEXT,
    UNIQUE (council_ref, unit_ref, quarter, version)
);

CREATE TABLE publication_files (
    publication_id BIGINT NOT NULL REFERENCES publications (id),
    name           TEXT COLLATE "C" NOT NULL,
    media_type     TEXT NOT NULL,
    bytes          BYTEA NOT NULL,
    PRIMARY KEY (publication_id, name)
);

-- Raises the trigger's argument: for tables whose rows are never changed or removed.
CREATE FUNCTION beacon_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END
$$;

-- A published version is never rewritten.
CREATE TRIGGER publications_are_frozen BEFORE UPDATE ON publications FOR EACH ROW
    EXECUTE FUNCTION beacon_refuse('publications are never changed: publish a new version');
CREATE TRIGGER publications_are_kept BEFORE DELETE ON publications FOR EACH ROW
    EXECUTE FUNCTION beacon_refuse('publications are never deleted');
CREATE TRIGGER publications_are_not_truncated BEFORE TRUNCATE ON publications
    EXECUTE FUNCTION beacon_refuse('publications are never deleted');
CREATE TRIGGER publication_files_are_frozen BEFORE UPDATE ON publication_files FOR EACH ROW
    EXECUTE FUNCTION beacon_refuse('publications are never changed: publish a new version');
CREATE TRIGGER publication_files_are_kept BEFORE DELETE ON publication_files FOR EACH ROW
    EXECUTE FUNCTION beacon_refuse('publications are never deleted');
CREATE TRIGGER publication_files_are_not_truncated BEFORE TRUNCATE ON publication_files
    EXECUTE FUNCTION beacon_refuse('publications are never deleted');

-- The audit trail: append-only, each row's hash covering its content and the previous hash
-- (see beacon_app::audit). The head holds the last seq and hash, so removing rows from the
-- end shows too. Writers lock `audit_head` before reading it, so two transactions appending
-- at once take turns and the chain never forks.
CREATE TABLE audit (
    seq         BIGINT PRIMARY KEY,
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
);
CREATE INDEX audit_by_item ON audit (council_ref, item);

CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TRIGGER audit_is_append_only BEFORE UPDATE ON audit FOR EACH ROW
    EXECUTE FUNCTION beacon_refuse('the audit trail is append-only');
CREATE TRIGGER audit_rows_are_kept BEFORE DELETE ON audit FOR EACH ROW
    EXECUTE FUNCTION beacon_refuse('the audit trail is append-only');
CREATE TRIGGER audit_is_not_truncated BEFORE TRUNCATE ON audit
    EXECUTE FUNCTION beacon_refuse('the audit trail is append-only');
