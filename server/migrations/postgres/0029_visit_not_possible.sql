-- An inspector may mark a planned visit "niet mogelijk" (not possible) with a reason; the visit
-- keeps why (`not_possible_*`), and the site goes back to the planner.
ALTER TABLE visits DROP CONSTRAINT visits_status_check;
ALTER TABLE visits ADD CONSTRAINT visits_status_check
    CHECK (status IN ('planned', 'in_progress', 'done', 'returned', 'not_possible'));
ALTER TABLE visits ADD COLUMN not_possible_reason TEXT
    CHECK (not_possible_reason IN ('closed', 'no_access', 'ceased', 'unsafe', 'no_time', 'other'));
ALTER TABLE visits ADD COLUMN not_possible_note TEXT;
ALTER TABLE visits ADD COLUMN not_possible_at TEXT;
