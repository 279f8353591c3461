-- An inspector may mark a planned visit "niet mogelijk" (not possible) with a reason; the visit
-- keeps why (`not_possible_*`), and the site goes back to the planner.
-- SQLite cannot change a CHECK constraint in place and the visits table is referenced by other
-- tables, so it is rebuilt under its own name: with foreign keys deferred to the commit, the rows
-- are copied aside, the table dropped and created with the wider check, and the rows put back
-- (which satisfies the references again before the commit checks them). No trigger or view reads
-- the visits table.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE visits_copy AS SELECT * FROM visits;
DROP TABLE visits;

CREATE TABLE visits (
    id             TEXT PRIMARY KEY,
    agency_id      TEXT NOT NULL REFERENCES agencies(id),
    site_id        TEXT NOT NULL REFERENCES sites(id),
    inspector_id   TEXT NOT NULL REFERENCES users(id),
    planned_date   TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('planned', 'reinspection', 'sample')),
    size           TEXT NOT NULL CHECK (size IN ('S', 'M', 'L', 'XL', 'XXL')),
    route_order    INTEGER NOT NULL CHECK (route_order >= 1),
    status         TEXT NOT NULL DEFAULT 'planned'
                   CHECK (status IN ('planned', 'in_progress', 'done', 'returned', 'not_possible')),
    priority_json  TEXT NOT NULL,
    score          DOUBLE PRECISION NOT NULL,
    created_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    not_possible_reason TEXT
                   CHECK (not_possible_reason IN ('closed', 'no_access', 'ceased', 'unsafe', 'no_time', 'other')),
    not_possible_note   TEXT,
    not_possible_at     TEXT
);
INSERT INTO visits (id, agency_id, site_id, inspector_id, planned_date, kind, size, route_order,
                    status, priority_json, score, created_at, version)
    SELECT id, agency_id, site_id, inspector_id, planned_date, kind, size, route_order,
           status, priority_json, score, created_at, version FROM visits_copy;
DROP TABLE visits_copy;

CREATE INDEX visits_inspector_date ON visits(inspector_id, planned_date);
CREATE INDEX visits_agency_date ON visits(agency_id, planned_date);
CREATE INDEX visits_site ON visits(site_id, planned_date);
CREATE UNIQUE INDEX visits_route ON visits(inspector_id, planned_date, route_order);
