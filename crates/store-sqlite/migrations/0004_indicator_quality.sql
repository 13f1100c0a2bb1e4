-- An indicator's data-quality limits (docs/plan-format.md, "Data quality of entered values"):
-- its own minimum and maximum (decimal text) and whether a count may have a fraction.
ALTER TABLE indicators ADD COLUMN quality_minimum TEXT;
ALTER TABLE indicators ADD COLUMN quality_maximum TEXT;
ALTER TABLE indicators ADD COLUMN quality_fractions INTEGER NOT NULL DEFAULT 0
    CHECK (quality_fractions IN (0, 1));
