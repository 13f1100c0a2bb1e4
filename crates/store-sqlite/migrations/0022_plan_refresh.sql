-- A milestone carried into a refreshed plan, not complete, names the year it came from.
ALTER TABLE milestones ADD COLUMN carried_from TEXT;
