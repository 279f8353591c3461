-- A team lead's lock on a planned day of the agency: the planner no longer plans it or adds
-- re-inspections to it (manual moves stay possible).
CREATE TABLE day_locks (
    agency_id  TEXT NOT NULL REFERENCES agencies(id),
    day        TEXT NOT NULL,
    locked_by  TEXT NOT NULL REFERENCES users(id),
    locked_at  TEXT NOT NULL,
    PRIMARY KEY (agency_id, day)
);
