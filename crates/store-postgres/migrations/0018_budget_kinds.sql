-- Budget statements of three kinds and their outturn projection (docs/plan-format.md,
-- `[[statements]]`): the kind is stored as its word in `statements.kind` (`revenue`, `capital`,
-- `budget-book`), a budget book's three amounts (expenditure, income, net) in the same
-- `annual`, `to_date`, `spent` columns.
--
-- A council's way of projecting revenue outturn where a statement does not say
-- (`[council] projection`): `straight-line`, `profile` or `none`; NULL: straight-line.
ALTER TABLE councils ADD COLUMN projection TEXT;
-- A statement's own way of projecting; NULL: the council's.
ALTER TABLE statements ADD COLUMN projection TEXT;

-- The totals a plan states for its budget changes (`[[budget_totals]]`): of one kind, one year,
-- both or all (NULL: every kind, every year), in pence; checked against the changes at load.
CREATE TABLE budget_totals (
    council_id BIGINT NOT NULL,
    plan_id    BIGINT NOT NULL,
    position   INTEGER NOT NULL,
    label      TEXT NOT NULL,
    kind       TEXT,
    year       TEXT,
    stated     BIGINT NOT NULL,
    scale      TEXT NOT NULL,
    PRIMARY KEY (council_id, plan_id, position),
    FOREIGN KEY (council_id, plan_id) REFERENCES plans (council_id, id) ON DELETE CASCADE
);
