-- Versioned configuration per agency: its own LHSO matrix and risk model as JSON, every version
-- kept (an assessment or a planned day names the version it used), at most one active per kind.
-- No active row means the shipped default is in force.
CREATE TABLE agency_configs (
    agency_id   TEXT NOT NULL REFERENCES agencies(id),
    kind        TEXT NOT NULL CHECK (kind IN ('lhso_matrix', 'risk_model')),
    version     TEXT NOT NULL,
    body        TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL,
    created_by  TEXT REFERENCES users(id),
    PRIMARY KEY (agency_id, kind, version)
);
-- The database, not the handler, guarantees a single active version per agency and kind.
CREATE UNIQUE INDEX agency_configs_one_active ON agency_configs(agency_id, kind) WHERE active = 1;
