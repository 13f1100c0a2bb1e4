-- An indicator's data-quality limits (docs/plan-format.md, "Data quality of entered values"):
-- its own minimum and maximum (decimal text) and whether a count may have a fraction.
ALTER TABLE indicators ADD COLUMN quality_minimum TEXT;
ALTER TABLE indicators ADD COLUMN quality_maximum TEXT;
ALTER TABLE indicators ADD COLUMN quality_fractions BOOLEAN NOT NULL DEFAULT FALSE;
