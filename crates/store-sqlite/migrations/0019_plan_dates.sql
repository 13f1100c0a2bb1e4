-- Plans that are not Halton's (docs/plan-format.md): an action's start and end dates; a
-- milestone's due date in the forms councils write and the plan's note for one dated before its
-- first year; census collections; comparators naming a council, group or source; equality
-- objectives.
ALTER TABLE objectives ADD COLUMN starts TEXT;
ALTER TABLE objectives ADD COLUMN ends TEXT;
-- A due date other than a month, a day or recurring words, as the plan file writes it
-- ("2010-12 to 2011-03", "2011-07, 2012-03", "from 2011-09 onwards", "ongoing", "each term",
-- "annually in July"); due_kind and due are NULL then.
ALTER TABLE milestones ADD COLUMN due_written TEXT;
ALTER TABLE milestones ADD COLUMN before_plan TEXT;
-- A census indicator's return and the months it reports in (month names).
ALTER TABLE indicators ADD COLUMN census_return TEXT;
ALTER TABLE indicators ADD COLUMN census_months TEXT NOT NULL DEFAULT '[]';
ALTER TABLE indicator_comparators ADD COLUMN name TEXT;
ALTER TABLE indicator_comparators ADD COLUMN source TEXT;
-- An equality objective's themes, measure of success, evidence, target date (a due date's
-- written form) and whether it is done. An action whose plan gives no impact is written with
-- impact '' (the column stays NOT NULL, as on PostgreSQL, so both take the same statements).
ALTER TABLE equality_actions ADD COLUMN themes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE equality_actions ADD COLUMN success_measure TEXT;
ALTER TABLE equality_actions ADD COLUMN evidence TEXT;
ALTER TABLE equality_actions ADD COLUMN target_date TEXT;
ALTER TABLE equality_actions ADD COLUMN completed INTEGER NOT NULL DEFAULT 0
    CHECK (completed IN (0, 1));
