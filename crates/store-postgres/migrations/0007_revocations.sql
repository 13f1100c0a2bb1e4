-- One counter that every change able to end a signed-in user's access bumps, inside the same
-- transaction, whichever process makes it (the web server, `beacon user` on the command line):
-- a session ending (sign-out, timeout, "sign out everywhere"), a user changed (disabled, a new
-- password, a new name) or removed, and a grant added, changed or removed. A web server may keep
-- sessions in memory while the counter stays where it was when it read them.

CREATE TABLE revocations (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    counter BIGINT NOT NULL
);
INSERT INTO revocations (id, counter) VALUES (1, 0);

CREATE FUNCTION bump_revocations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE revocations SET counter = counter + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER revoke_on_session_end AFTER DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_revocations();
CREATE TRIGGER revoke_on_user_change AFTER UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION bump_revocations();
CREATE TRIGGER revoke_on_grant_change AFTER INSERT OR UPDATE OR DELETE ON grants
    FOR EACH STATEMENT EXECUTE FUNCTION bump_revocations();
