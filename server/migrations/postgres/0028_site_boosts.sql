-- A team lead's push of a site to the top of the ranking, with the reason: the planner adds it to
-- the site's risk profile (a `manual_boost` factor) on every day it plans while the boost is active.
CREATE TABLE site_boosts (
    id         TEXT PRIMARY KEY,
    agency_id  TEXT NOT NULL REFERENCES agencies(id),
    site_id    TEXT NOT NULL REFERENCES sites(id),
    points     DOUBLE PRECISION NOT NULL,
    reason     TEXT NOT NULL,
    by_user    TEXT NOT NULL REFERENCES users(id),
    from_day   TEXT NOT NULL,
    until_day  TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX site_boosts_agency ON site_boosts(agency_id, until_day);
