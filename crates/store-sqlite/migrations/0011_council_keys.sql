-- Every child table gets the `council_id` its parent has, as in the PostgreSQL schema, so the
-- two databases have the same tables and columns and Beacon's one SQL core (beacon-store-sql)
-- reads and writes both with the same statements: each table is read by its council_id.
--
-- SQLite cannot add a NOT NULL or CHECK column that references another table to a table that
-- has rows, so the column is added, filled from the parent, and kept right by triggers: a row
-- whose council_id is not its parent's is refused, on insert and on update.


ALTER TABLE plan_sections ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE plan_sections SET council_id = (SELECT council_id FROM plans WHERE plans.id = plan_sections.plan_id);
CREATE INDEX plan_sections_by_council ON plan_sections (council_id);
CREATE TRIGGER plan_sections_council_on_insert BEFORE INSERT ON plan_sections
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'plan_sections.council_id must be the council of its plan'); END;
CREATE TRIGGER plan_sections_council_on_update BEFORE UPDATE OF council_id, plan_id ON plan_sections
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'plan_sections.council_id must be the council of its plan'); END;

ALTER TABLE plan_factors ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE plan_factors SET council_id = (SELECT council_id FROM plans WHERE plans.id = plan_factors.plan_id);
CREATE INDEX plan_factors_by_council ON plan_factors (council_id);
CREATE TRIGGER plan_factors_council_on_insert BEFORE INSERT ON plan_factors
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'plan_factors.council_id must be the council of its plan'); END;
CREATE TRIGGER plan_factors_council_on_update BEFORE UPDATE OF council_id, plan_id ON plan_factors
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'plan_factors.council_id must be the council of its plan'); END;

ALTER TABLE objectives ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE objectives SET council_id = (SELECT council_id FROM plans WHERE plans.id = objectives.plan_id);
CREATE INDEX objectives_by_council ON objectives (council_id);
CREATE TRIGGER objectives_council_on_insert BEFORE INSERT ON objectives
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'objectives.council_id must be the council of its plan'); END;
CREATE TRIGGER objectives_council_on_update BEFORE UPDATE OF council_id, plan_id ON objectives
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'objectives.council_id must be the council of its plan'); END;

ALTER TABLE objective_assessments ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE objective_assessments SET council_id = (SELECT council_id FROM objectives WHERE objectives.id = objective_assessments.objective_id);
CREATE INDEX objective_assessments_by_council ON objective_assessments (council_id);
CREATE TRIGGER objective_assessments_council_on_insert BEFORE INSERT ON objective_assessments
    WHEN NEW.council_id IS NOT (SELECT council_id FROM objectives WHERE id = NEW.objective_id)
BEGIN SELECT RAISE(ABORT, 'objective_assessments.council_id must be the council of its objective'); END;
CREATE TRIGGER objective_assessments_council_on_update BEFORE UPDATE OF council_id, objective_id ON objective_assessments
    WHEN NEW.council_id IS NOT (SELECT council_id FROM objectives WHERE id = NEW.objective_id)
BEGIN SELECT RAISE(ABORT, 'objective_assessments.council_id must be the council of its objective'); END;

ALTER TABLE objective_links ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE objective_links SET council_id = (SELECT council_id FROM objectives WHERE objectives.id = objective_links.objective_id);
CREATE INDEX objective_links_by_council ON objective_links (council_id);
CREATE TRIGGER objective_links_council_on_insert BEFORE INSERT ON objective_links
    WHEN NEW.council_id IS NOT (SELECT council_id FROM objectives WHERE id = NEW.objective_id)
BEGIN SELECT RAISE(ABORT, 'objective_links.council_id must be the council of its objective'); END;
CREATE TRIGGER objective_links_council_on_update BEFORE UPDATE OF council_id, objective_id ON objective_links
    WHEN NEW.council_id IS NOT (SELECT council_id FROM objectives WHERE id = NEW.objective_id)
BEGIN SELECT RAISE(ABORT, 'objective_links.council_id must be the council of its objective'); END;

ALTER TABLE milestones ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE milestones SET council_id = (SELECT council_id FROM plans WHERE plans.id = milestones.plan_id);
CREATE INDEX milestones_by_council ON milestones (council_id);
CREATE TRIGGER milestones_council_on_insert BEFORE INSERT ON milestones
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'milestones.council_id must be the council of its plan'); END;
CREATE TRIGGER milestones_council_on_update BEFORE UPDATE OF council_id, plan_id ON milestones
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'milestones.council_id must be the council of its plan'); END;

ALTER TABLE indicators ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE indicators SET council_id = (SELECT council_id FROM plans WHERE plans.id = indicators.plan_id);
CREATE INDEX indicators_by_council ON indicators (council_id);
CREATE TRIGGER indicators_council_on_insert BEFORE INSERT ON indicators
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'indicators.council_id must be the council of its plan'); END;
CREATE TRIGGER indicators_council_on_update BEFORE UPDATE OF council_id, plan_id ON indicators
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'indicators.council_id must be the council of its plan'); END;

ALTER TABLE indicator_aliases ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE indicator_aliases SET council_id = (SELECT council_id FROM indicators WHERE indicators.id = indicator_aliases.indicator_id);
CREATE INDEX indicator_aliases_by_council ON indicator_aliases (council_id);
CREATE TRIGGER indicator_aliases_council_on_insert BEFORE INSERT ON indicator_aliases
    WHEN NEW.council_id IS NOT (SELECT council_id FROM indicators WHERE id = NEW.indicator_id)
BEGIN SELECT RAISE(ABORT, 'indicator_aliases.council_id must be the council of its indicator'); END;
CREATE TRIGGER indicator_aliases_council_on_update BEFORE UPDATE OF council_id, indicator_id ON indicator_aliases
    WHEN NEW.council_id IS NOT (SELECT council_id FROM indicators WHERE id = NEW.indicator_id)
BEGIN SELECT RAISE(ABORT, 'indicator_aliases.council_id must be the council of its indicator'); END;

ALTER TABLE indicator_links ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE indicator_links SET council_id = (SELECT council_id FROM indicators WHERE indicators.id = indicator_links.indicator_id);
CREATE INDEX indicator_links_by_council ON indicator_links (council_id);
CREATE TRIGGER indicator_links_council_on_insert BEFORE INSERT ON indicator_links
    WHEN NEW.council_id IS NOT (SELECT council_id FROM indicators WHERE id = NEW.indicator_id)
BEGIN SELECT RAISE(ABORT, 'indicator_links.council_id must be the council of its indicator'); END;
CREATE TRIGGER indicator_links_council_on_update BEFORE UPDATE OF council_id, indicator_id ON indicator_links
    WHEN NEW.council_id IS NOT (SELECT council_id FROM indicators WHERE id = NEW.indicator_id)
BEGIN SELECT RAISE(ABORT, 'indicator_links.council_id must be the council of its indicator'); END;

ALTER TABLE indicator_measures ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE indicator_measures SET council_id = (SELECT council_id FROM indicators WHERE indicators.id = indicator_measures.indicator_id);
CREATE INDEX indicator_measures_by_council ON indicator_measures (council_id);
CREATE TRIGGER indicator_measures_council_on_insert BEFORE INSERT ON indicator_measures
    WHEN NEW.council_id IS NOT (SELECT council_id FROM indicators WHERE id = NEW.indicator_id)
BEGIN SELECT RAISE(ABORT, 'indicator_measures.council_id must be the council of its indicator'); END;
CREATE TRIGGER indicator_measures_council_on_update BEFORE UPDATE OF council_id, indicator_id ON indicator_measures
    WHEN NEW.council_id IS NOT (SELECT council_id FROM indicators WHERE id = NEW.indicator_id)
BEGIN SELECT RAISE(ABORT, 'indicator_measures.council_id must be the council of its indicator'); END;

ALTER TABLE indicator_comparators ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE indicator_comparators SET council_id = (SELECT council_id FROM indicators WHERE indicators.id = indicator_comparators.indicator_id);
CREATE INDEX indicator_comparators_by_council ON indicator_comparators (council_id);
CREATE TRIGGER indicator_comparators_council_on_insert BEFORE INSERT ON indicator_comparators
    WHEN NEW.council_id IS NOT (SELECT council_id FROM indicators WHERE id = NEW.indicator_id)
BEGIN SELECT RAISE(ABORT, 'indicator_comparators.council_id must be the council of its indicator'); END;
CREATE TRIGGER indicator_comparators_council_on_update BEFORE UPDATE OF council_id, indicator_id ON indicator_comparators
    WHEN NEW.council_id IS NOT (SELECT council_id FROM indicators WHERE id = NEW.indicator_id)
BEGIN SELECT RAISE(ABORT, 'indicator_comparators.council_id must be the council of its indicator'); END;

ALTER TABLE risks ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE risks SET council_id = (SELECT council_id FROM plans WHERE plans.id = risks.plan_id);
CREATE INDEX risks_by_council ON risks (council_id);
CREATE TRIGGER risks_council_on_insert BEFORE INSERT ON risks
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'risks.council_id must be the council of its plan'); END;
CREATE TRIGGER risks_council_on_update BEFORE UPDATE OF council_id, plan_id ON risks
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'risks.council_id must be the council of its plan'); END;

ALTER TABLE risk_assessments ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE risk_assessments SET council_id = (SELECT council_id FROM risks WHERE risks.id = risk_assessments.risk_id);
CREATE INDEX risk_assessments_by_council ON risk_assessments (council_id);
CREATE TRIGGER risk_assessments_council_on_insert BEFORE INSERT ON risk_assessments
    WHEN NEW.council_id IS NOT (SELECT council_id FROM risks WHERE id = NEW.risk_id)
BEGIN SELECT RAISE(ABORT, 'risk_assessments.council_id must be the council of its risk'); END;
CREATE TRIGGER risk_assessments_council_on_update BEFORE UPDATE OF council_id, risk_id ON risk_assessments
    WHEN NEW.council_id IS NOT (SELECT council_id FROM risks WHERE id = NEW.risk_id)
BEGIN SELECT RAISE(ABORT, 'risk_assessments.council_id must be the council of its risk'); END;

ALTER TABLE risk_treatments ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE risk_treatments SET council_id = (SELECT council_id FROM risks WHERE risks.id = risk_treatments.risk_id);
CREATE INDEX risk_treatments_by_council ON risk_treatments (council_id);
CREATE TRIGGER risk_treatments_council_on_insert BEFORE INSERT ON risk_treatments
    WHEN NEW.council_id IS NOT (SELECT council_id FROM risks WHERE id = NEW.risk_id)
BEGIN SELECT RAISE(ABORT, 'risk_treatments.council_id must be the council of its risk'); END;
CREATE TRIGGER risk_treatments_council_on_update BEFORE UPDATE OF council_id, risk_id ON risk_treatments
    WHEN NEW.council_id IS NOT (SELECT council_id FROM risks WHERE id = NEW.risk_id)
BEGIN SELECT RAISE(ABORT, 'risk_treatments.council_id must be the council of its risk'); END;

ALTER TABLE equality_actions ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE equality_actions SET council_id = (SELECT council_id FROM plans WHERE plans.id = equality_actions.plan_id);
CREATE INDEX equality_actions_by_council ON equality_actions (council_id);
CREATE TRIGGER equality_actions_council_on_insert BEFORE INSERT ON equality_actions
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'equality_actions.council_id must be the council of its plan'); END;
CREATE TRIGGER equality_actions_council_on_update BEFORE UPDATE OF council_id, plan_id ON equality_actions
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'equality_actions.council_id must be the council of its plan'); END;

ALTER TABLE budget_changes ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE budget_changes SET council_id = (SELECT council_id FROM plans WHERE plans.id = budget_changes.plan_id);
CREATE INDEX budget_changes_by_council ON budget_changes (council_id);
CREATE TRIGGER budget_changes_council_on_insert BEFORE INSERT ON budget_changes
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'budget_changes.council_id must be the council of its plan'); END;
CREATE TRIGGER budget_changes_council_on_update BEFORE UPDATE OF council_id, plan_id ON budget_changes
    WHEN NEW.council_id IS NOT (SELECT council_id FROM plans WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, 'budget_changes.council_id must be the council of its plan'); END;

ALTER TABLE quarter_narratives ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE quarter_narratives SET council_id = (SELECT council_id FROM quarters WHERE quarters.id = quarter_narratives.quarter_id);
CREATE INDEX quarter_narratives_by_council ON quarter_narratives (council_id);
CREATE TRIGGER quarter_narratives_council_on_insert BEFORE INSERT ON quarter_narratives
    WHEN NEW.council_id IS NOT (SELECT council_id FROM quarters WHERE id = NEW.quarter_id)
BEGIN SELECT RAISE(ABORT, 'quarter_narratives.council_id must be the council of its quarter'); END;
CREATE TRIGGER quarter_narratives_council_on_update BEFORE UPDATE OF council_id, quarter_id ON quarter_narratives
    WHEN NEW.council_id IS NOT (SELECT council_id FROM quarters WHERE id = NEW.quarter_id)
BEGIN SELECT RAISE(ABORT, 'quarter_narratives.council_id must be the council of its quarter'); END;

ALTER TABLE risk_updates ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE risk_updates SET council_id = (SELECT council_id FROM quarters WHERE quarters.id = risk_updates.quarter_id);
CREATE INDEX risk_updates_by_council ON risk_updates (council_id);
CREATE TRIGGER risk_updates_council_on_insert BEFORE INSERT ON risk_updates
    WHEN NEW.council_id IS NOT (SELECT council_id FROM quarters WHERE id = NEW.quarter_id)
BEGIN SELECT RAISE(ABORT, 'risk_updates.council_id must be the council of its quarter'); END;
CREATE TRIGGER risk_updates_council_on_update BEFORE UPDATE OF council_id, quarter_id ON risk_updates
    WHEN NEW.council_id IS NOT (SELECT council_id FROM quarters WHERE id = NEW.quarter_id)
BEGIN SELECT RAISE(ABORT, 'risk_updates.council_id must be the council of its quarter'); END;

ALTER TABLE equality_updates ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE equality_updates SET council_id = (SELECT council_id FROM quarters WHERE quarters.id = equality_updates.quarter_id);
CREATE INDEX equality_updates_by_council ON equality_updates (council_id);
CREATE TRIGGER equality_updates_council_on_insert BEFORE INSERT ON equality_updates
    WHEN NEW.council_id IS NOT (SELECT council_id FROM quarters WHERE id = NEW.quarter_id)
BEGIN SELECT RAISE(ABORT, 'equality_updates.council_id must be the council of its quarter'); END;
CREATE TRIGGER equality_updates_council_on_update BEFORE UPDATE OF council_id, quarter_id ON equality_updates
    WHEN NEW.council_id IS NOT (SELECT council_id FROM quarters WHERE id = NEW.quarter_id)
BEGIN SELECT RAISE(ABORT, 'equality_updates.council_id must be the council of its quarter'); END;

ALTER TABLE quarter_values ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE quarter_values SET council_id = (SELECT council_id FROM quarters WHERE quarters.id = quarter_values.quarter_id);
CREATE INDEX quarter_values_by_council ON quarter_values (council_id);
CREATE TRIGGER quarter_values_council_on_insert BEFORE INSERT ON quarter_values
    WHEN NEW.council_id IS NOT (SELECT council_id FROM quarters WHERE id = NEW.quarter_id)
BEGIN SELECT RAISE(ABORT, 'quarter_values.council_id must be the council of its quarter'); END;
CREATE TRIGGER quarter_values_council_on_update BEFORE UPDATE OF council_id, quarter_id ON quarter_values
    WHEN NEW.council_id IS NOT (SELECT council_id FROM quarters WHERE id = NEW.quarter_id)
BEGIN SELECT RAISE(ABORT, 'quarter_values.council_id must be the council of its quarter'); END;

ALTER TABLE milestone_progress ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE milestone_progress SET council_id = (SELECT council_id FROM quarters WHERE quarters.id = milestone_progress.quarter_id);
CREATE INDEX milestone_progress_by_council ON milestone_progress (council_id);
CREATE TRIGGER milestone_progress_council_on_insert BEFORE INSERT ON milestone_progress
    WHEN NEW.council_id IS NOT (SELECT council_id FROM quarters WHERE id = NEW.quarter_id)
BEGIN SELECT RAISE(ABORT, 'milestone_progress.council_id must be the council of its quarter'); END;
CREATE TRIGGER milestone_progress_council_on_update BEFORE UPDATE OF council_id, quarter_id ON milestone_progress
    WHEN NEW.council_id IS NOT (SELECT council_id FROM quarters WHERE id = NEW.quarter_id)
BEGIN SELECT RAISE(ABORT, 'milestone_progress.council_id must be the council of its quarter'); END;

ALTER TABLE commentary ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE commentary SET council_id = (SELECT council_id FROM quarters WHERE quarters.id = commentary.quarter_id);
CREATE INDEX commentary_by_council ON commentary (council_id);
CREATE TRIGGER commentary_council_on_insert BEFORE INSERT ON commentary
    WHEN NEW.council_id IS NOT (SELECT council_id FROM quarters WHERE id = NEW.quarter_id)
BEGIN SELECT RAISE(ABORT, 'commentary.council_id must be the council of its quarter'); END;
CREATE TRIGGER commentary_council_on_update BEFORE UPDATE OF council_id, quarter_id ON commentary
    WHEN NEW.council_id IS NOT (SELECT council_id FROM quarters WHERE id = NEW.quarter_id)
BEGIN SELECT RAISE(ABORT, 'commentary.council_id must be the council of its quarter'); END;

ALTER TABLE statement_groups ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE statement_groups SET council_id = (SELECT council_id FROM statements WHERE statements.id = statement_groups.statement_id);
CREATE INDEX statement_groups_by_council ON statement_groups (council_id);
CREATE TRIGGER statement_groups_council_on_insert BEFORE INSERT ON statement_groups
    WHEN NEW.council_id IS NOT (SELECT council_id FROM statements WHERE id = NEW.statement_id)
BEGIN SELECT RAISE(ABORT, 'statement_groups.council_id must be the council of its statement'); END;
CREATE TRIGGER statement_groups_council_on_update BEFORE UPDATE OF council_id, statement_id ON statement_groups
    WHEN NEW.council_id IS NOT (SELECT council_id FROM statements WHERE id = NEW.statement_id)
BEGIN SELECT RAISE(ABORT, 'statement_groups.council_id must be the council of its statement'); END;

ALTER TABLE statement_lines ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE CASCADE;
UPDATE statement_lines SET council_id = (SELECT council_id FROM statements WHERE statements.id = statement_lines.statement_id);
CREATE INDEX statement_lines_by_council ON statement_lines (council_id);
CREATE TRIGGER statement_lines_council_on_insert BEFORE INSERT ON statement_lines
    WHEN NEW.council_id IS NOT (SELECT council_id FROM statements WHERE id = NEW.statement_id)
BEGIN SELECT RAISE(ABORT, 'statement_lines.council_id must be the council of its statement'); END;
CREATE TRIGGER statement_lines_council_on_update BEFORE UPDATE OF council_id, statement_id ON statement_lines
    WHEN NEW.council_id IS NOT (SELECT council_id FROM statements WHERE id = NEW.statement_id)
BEGIN SELECT RAISE(ABORT, 'statement_lines.council_id must be the council of its statement'); END;
