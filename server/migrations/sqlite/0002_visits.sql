-- Planned work: the visits the day planner puts on each inspector's list, in route order, with the
-- risk model's explanation of why the site was chosen (the `priority` of the API, as JSON).
-- Ids are UUID text, dates YYYY-MM-DD text, times RFC 3339 UTC text: portable to PostgreSQL.

CREATE TABLE visits (
    id             TEXT PRIMARY KEY,
    agency_id      TEXT NOT NULL REFERENCES agencies(id),
    site_id        TEXT NOT NULL REFERENCES sites(id),
    inspector_id   TEXT NOT NULL REFERENCES users(id),
    planned_date   TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('planned', 'reinspection', 'sample')),
    size           TEXT NOT NULL CHECK (size IN ('S', 'M', 'L', 'XL', 'XXL')),
    route_order    INTEGER NOT NULL CHECK (route_order >= 1),
    status         TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'returned')),
    priority_json  TEXT NOT NULL,
    score          DOUBLE PRECISION NOT NULL,
    created_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX visits_inspector_date ON visits(inspector_id, planned_date);
CREATE INDEX visits_agency_date ON visits(agency_id, planned_date);
CREATE INDEX visits_site ON visits(site_id, planned_date);
-- One stop per position of a route: a second planner run cannot interleave a day's list.
CREATE UNIQUE INDEX visits_route ON visits(inspector_id, planned_date, route_order);

-- Which days of an agency the planner has made; the primary key makes planning a day idempotent
-- even when two server processes start at once (the second one's transaction fails and plans nothing).
CREATE TABLE planned_days (
    agency_id      TEXT NOT NULL REFERENCES agencies(id),
    planned_date   TEXT NOT NULL,
    planned_at     TEXT NOT NULL,
    model_version  TEXT NOT NULL,
    visits         INTEGER NOT NULL,
    PRIMARY KEY (agency_id, planned_date)
);

-- Where an inspector's day starts and ends (home or office); NULL means the agency's office.
ALTER TABLE users ADD COLUMN start_lat DOUBLE PRECISION;
ALTER TABLE users ADD COLUMN start_lon DOUBLE PRECISION;
