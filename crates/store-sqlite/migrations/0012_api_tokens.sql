-- Personal API tokens: each is named, belongs to one user, reaches one council, reads or reads
-- and writes, and expires. Only the SHA-256 of the token is kept (it is shown once, when it is
-- made). Revoking one moves the revocation counter (0007) in the same transaction, so a server
-- that keeps tokens in memory drops them at once. `last_used_at` is touched at most once a
-- minute and moves nothing.

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    council_ref  TEXT NOT NULL,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'read-write')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked      INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    last_used_at TEXT
) STRICT;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TRIGGER revoke_on_token_revoked AFTER UPDATE OF revoked ON api_tokens
BEGIN UPDATE revocations SET counter = counter + 1 WHERE id = 1; END;
CREATE TRIGGER revoke_on_token_removal AFTER DELETE ON api_tokens
BEGIN UPDATE revocations SET counter = counter + 1 WHERE id = 1; END;
