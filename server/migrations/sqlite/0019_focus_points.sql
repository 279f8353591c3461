-- Focus points (speerpunten) of a programme year: a goal, its outcome indicator (measured from the
-- field results of the lines that serve it) and the target. Lines may serve one focus point.
CREATE TABLE focus_points (
    id              TEXT PRIMARY KEY,
    agency_id       TEXT NOT NULL REFERENCES agencies(id),
    year            INTEGER NOT NULL,
    title           TEXT NOT NULL,
    -- The title in lower case: titles are unique per year whatever their case.
    title_key       TEXT NOT NULL,
    goal            TEXT NOT NULL,
    measure         TEXT NOT NULL CHECK (measure IN ('realisation', 'compliance_first', 'compliance_after_reinspection')),
    target_percent  DOUBLE PRECISION NOT NULL CHECK (target_percent >= 0 AND target_percent <= 100),
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX focus_points_key ON focus_points(agency_id, year, title_key);
ALTER TABLE programme_lines ADD COLUMN focus_point_id TEXT REFERENCES focus_points(id);
