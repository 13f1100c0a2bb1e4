-- A quarter's risk update may record the risk's likelihood and impact that quarter (banded by
-- the council's matrix), so the register shows each risk's trend across the year.
ALTER TABLE risk_updates ADD COLUMN likelihood INTEGER;
ALTER TABLE risk_updates ADD COLUMN impact INTEGER;
