-- A council's own risk matrix (docs/plan-format.md, `[council.risk_matrix]`), written
-- `side/low/medium` such as `5/6/14`: scores up to `low` are Low, up to `medium` Medium, the rest
-- High. NULL: the seeds' 4 × 4 (1–4 Low, 5–10 Medium, 11–16 High).
ALTER TABLE councils ADD COLUMN risk_matrix TEXT;
