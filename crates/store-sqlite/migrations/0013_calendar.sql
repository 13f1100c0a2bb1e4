-- The council's calendar and its notices (docs/running-the-quarter.md): the rule that dates each
-- quarter's collection, sign-off and board meeting, the dates a quarter changes by hand, each
-- person's address and choices for notices, the subscribers told of each publication, and the
-- outbox: every notice is written here first, in the same transaction as the step that caused
-- it, and sent from here, so none is lost while the mail server is down.

CREATE TABLE council_calendars (
    council_ref    TEXT PRIMARY KEY,
    opens_after    INTEGER NOT NULL,
    closes_after   INTEGER NOT NULL,
    sign_off_after INTEGER NOT NULL,
    -- NULL: the board's date is set per quarter only.
    board_after    INTEGER,
    papers_before  INTEGER NOT NULL,
    remind_before  INTEGER NOT NULL,
    committee      TEXT NOT NULL
) STRICT;

CREATE TABLE calendar_quarters (
    council_ref TEXT NOT NULL REFERENCES council_calendars (council_ref) ON DELETE CASCADE,
    year        INTEGER NOT NULL,
    quarter     INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    -- ISO dates (2012-10-19); NULL: the rule's date.
    opens       TEXT,
    closes      TEXT,
    sign_off    TEXT,
    papers      TEXT,
    board       TEXT,
    PRIMARY KEY (council_ref, year, quarter)
) STRICT;

CREATE TABLE notice_contacts (
    user_id  INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    email    TEXT NOT NULL,
    -- 'each': every notice as it happens; 'digest': one message a day.
    delivery TEXT NOT NULL DEFAULT 'each' CHECK (delivery IN ('each', 'digest')),
    -- 'all', or 'essential': only the notices the person's role needs.
    scope    TEXT NOT NULL DEFAULT 'all' CHECK (scope IN ('all', 'essential'))
) STRICT;

CREATE TABLE notice_subscribers (
    council_ref TEXT NOT NULL,
    email       TEXT NOT NULL,
    PRIMARY KEY (council_ref, email)
) STRICT;

CREATE TABLE notices (
    id           INTEGER PRIMARY KEY,
    council_ref  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    -- What makes the notice the one it is ("reminder 2012/13 Q2 CED 2012-10-16 to bob"): a
    -- second notice with the same key is not written, so a scheduler run twice sends once.
    dedupe       TEXT NOT NULL UNIQUE,
    recipient    TEXT NOT NULL,
    username     TEXT,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    -- 'digest': due at the next daily digest, sent together with the person's others.
    delivery     TEXT NOT NULL DEFAULT 'each' CHECK (delivery IN ('each', 'digest')),
    created_at   TEXT NOT NULL,
    -- When to try next; NULL once sent or given up.
    due_at       TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    sent_at      TEXT,
    failed_at    TEXT,
    last_error   TEXT
) STRICT;
CREATE INDEX notices_due ON notices (due_at);
CREATE INDEX notices_by_council ON notices (council_ref, id);
