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
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    plan_id    INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    label      TEXT NOT NULL,
    kind       TEXT,
    year       TEXT,
    stated     INTEGER NOT NULL,
    scale      TEXT NOT NULL,
    PRIMARY KEY (plan_id, position)
) STRICT;
CREATE INDEX budget_totals_by_council ON budget_totals (council_id);
CREATE TRIGGER budget_totals_council_on_insert BEFORE INSERT ON budget_totals
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'budget_totals.council_id must be the council of its plan'); END;
CREATE TRIGGER budget_totals_council_on_update BEFORE UPDATE OF council_id, plan_id ON budget_totals
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'budget_totals.council_id must be the council of its plan'); END;
