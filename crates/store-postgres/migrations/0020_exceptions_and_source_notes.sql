-- Where a council's quarterly report lists its exceptions (docs/plan-format.md,
-- `[council] exceptions`): `appendix` or `first`. NULL: the default, `appendix`.
ALTER TABLE councils ADD COLUMN exceptions TEXT;

-- A note about the source of a budget line (a transcriber's note, docs/plan-format.md
-- `source_note`): kept and exported, never printed in a report.
ALTER TABLE statement_lines ADD COLUMN source_note TEXT;
