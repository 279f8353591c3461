-- What the planner needs to know of each inspector besides their start: the hours a day they have
-- for visits and travel (NULL: the agency's default), and the days they are absent.
ALTER TABLE users ADD COLUMN capacity_hours DOUBLE PRECISION;
CREATE TABLE absences (
    user_id  TEXT NOT NULL REFERENCES users(id),
    day      TEXT NOT NULL,
    by_user  TEXT NOT NULL REFERENCES users(id),
    at       TEXT NOT NULL,
    PRIMARY KEY (user_id, day)
);
