-- The national set's revision (issue 19): one row, a counter that every load, contribution and
-- link to a Beacon council bumps in the same transaction as its writes. A page that shows
-- national figures is cached by the council's revision and this number, so it costs one cheap
-- read while nothing changes, and a change made by another process shows at the next request.
CREATE TABLE national_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
) STRICT;
INSERT INTO national_revision (id, revision) VALUES (1, 0);
