-- Multi-factor sign-in (TOTP, RFC 6238): each user's secret, the last time step a code was
-- accepted at (so a code is never accepted twice), their one-time recovery codes (SHA-256
-- only), sign-ins waiting for their second factor, and the councils that require it of
-- administrators and performance officers.

CREATE TABLE user_mfa (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- Base32, as authenticator apps take it. A code must be computed from it, so it cannot be
    -- hashed; see docs/governance.md.
    secret       TEXT NOT NULL,
    -- NULL while being set up: not asked for at sign-in until confirmed with a code.
    confirmed_at TEXT,
    last_step    INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE mfa_recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TEXT,
    PRIMARY KEY (user_id, code_hash)
) STRICT;

CREATE TABLE mfa_pending (
    -- SHA-256 of the token in the browser's cookie between the password and the code.
    id_hash    TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX mfa_pending_by_user ON mfa_pending (user_id);

CREATE TABLE council_mfa (
    council_ref TEXT PRIMARY KEY
) STRICT;
