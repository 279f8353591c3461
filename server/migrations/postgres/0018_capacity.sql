-- The capacity an agency has in a year (Omgevingsbesluit art. 13.10): fte and productive hours per
-- fte, entered by management, compared with what the risk model asks and the programme plans.
CREATE TABLE capacity_years (
    agency_id                 TEXT NOT NULL REFERENCES agencies(id),
    year                      INTEGER NOT NULL,
    fte                       DOUBLE PRECISION NOT NULL CHECK (fte >= 0),
    productive_hours_per_fte  DOUBLE PRECISION NOT NULL CHECK (productive_hours_per_fte >= 0),
    version                   INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (agency_id, year)
);
