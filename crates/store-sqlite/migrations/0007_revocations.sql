-- One counter that every change able to end a signed-in user's access bumps, inside the same
-- transaction, whichever process makes it (the web server, `beacon user` on the command line):
-- a session ending (sign-out, timeout, "sign out everywhere"), a user changed (disabled, a new
-- password, a new name) or removed, and a grant added, changed or removed. A web server may keep
-- sessions in memory while the counter stays where it was when it read them.

CREATE TABLE revocations (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    counter INTEGER NOT NULL
) STRICT;
INSERT INTO revocations (id, counter) VALUES (1, 0);

CREATE TRIGGER revoke_on_session_end AFTER DELETE ON sessions
BEGIN UPDATE revocations SET counter = counter + 1 WHERE id = 1; END;
CREATE TRIGGER revoke_on_user_change AFTER UPDATE ON users
BEGIN UPDATE revocations SET counter = counter + 1 WHERE id = 1; END;
CREATE TRIGGER revoke_on_user_removal AFTER DELETE ON users
BEGIN UPDATE revocations SET counter = counter + 1 WHERE id = 1; END;
CREATE TRIGGER revoke_on_grant_added AFTER INSERT ON grants
BEGIN UPDATE revocations SET counter = counter + 1 WHERE id = 1; END;
CREATE TRIGGER revoke_on_grant_change AFTER UPDATE ON grants
BEGIN UPDATE revocations SET counter = counter + 1 WHERE id = 1; END;
CREATE TRIGGER revoke_on_grant_removal AFTER DELETE ON grants
BEGIN UPDATE revocations SET counter = counter + 1 WHERE id = 1; END;
