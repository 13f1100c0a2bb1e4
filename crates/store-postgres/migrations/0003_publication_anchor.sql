-- Each publication records the audit trail's last row (number and hash) when it was made, so
-- the trail's state is kept outside the database too: a trail rewritten later, head and all,
-- no longer matches the publications made after the rewritten rows.
ALTER TABLE publications ADD COLUMN audit_seq BIGINT, ADD COLUMN audit_hash TEXT;
