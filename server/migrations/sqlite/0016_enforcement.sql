-- The enforcement chain: what the inspector chose for a violation, and one enforcement case per
-- violation that needs follow-up, with its steps. The tables `interventions` and `reinspections`
-- of 0010 were never written and are replaced by these.
DROP TABLE interventions;
DROP TABLE reinspections;

-- 1 when the inspector chose the intervention; 0 when an older app sent none and the server
-- took the matrix's first.
ALTER TABLE violations ADD COLUMN intervention_chosen INTEGER NOT NULL DEFAULT 1;
-- Why an intervention the matrix does not propose for the cell was chosen.
ALTER TABLE violations ADD COLUMN intervention_reason TEXT;
-- The matrix advised a BOA / criminal-law consultation; whether one took place (NULL: not recorded).
ALTER TABLE violations ADD COLUMN boa_consultation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE violations ADD COLUMN boa_consulted INTEGER;
-- Why the inspector cleared a repeat offence the site's history suggested.
ALTER TABLE violations ADD COLUMN repeat_offence_reason TEXT;

CREATE TABLE enforcement_cases (
    id               TEXT PRIMARY KEY,
    agency_id        TEXT NOT NULL REFERENCES agencies(id),
    authority_id     TEXT NOT NULL,
    site_id          TEXT NOT NULL REFERENCES sites(id),
    violation_id     TEXT NOT NULL REFERENCES violations(id),
    -- Who found the violation; the re-inspection goes to them when they can take it.
    inspector_id     TEXT REFERENCES users(id),
    found_on         TEXT NOT NULL,
    cell             TEXT NOT NULL,
    intervention     TEXT NOT NULL,
    -- shared::enforcement::CaseState, and the whole CaseFile (dates, sanction, amounts) as JSON.
    state            TEXT NOT NULL,
    file             TEXT NOT NULL,
    -- CaseFile::reinspection_due, kept as a column for the planner; NULL when none is due.
    reinspection_due TEXT,
    is_open          INTEGER NOT NULL DEFAULT 1,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX enforcement_cases_violation ON enforcement_cases(violation_id);
CREATE INDEX enforcement_cases_due ON enforcement_cases(agency_id, is_open, reinspection_due);
CREATE INDEX enforcement_cases_site ON enforcement_cases(site_id);

-- Every step of a case: who, when, its dates and amounts; never changed once written.
CREATE TABLE enforcement_steps (
    case_id      TEXT NOT NULL REFERENCES enforcement_cases(id),
    seq          INTEGER NOT NULL,
    step         TEXT NOT NULL,
    state        TEXT NOT NULL,
    on_date      TEXT NOT NULL,
    by_user      TEXT REFERENCES users(id),
    at           TEXT NOT NULL,
    note         TEXT,
    amount_cents INTEGER,
    -- The visit whose re-inspection recorded it, and its photos (JSON array of ids).
    visit_id     TEXT,
    photo_ids    TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (case_id, seq)
);
