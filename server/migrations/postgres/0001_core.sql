-- Core of the system of record: tenants, accounts, sites and the inspection history.
-- Identifiers are UUID text, times RFC 3339 UTC text, dates YYYY-MM-DD text: portable to PostgreSQL.

CREATE TABLE agencies (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL
);

CREATE TABLE authorities (
    id          TEXT PRIMARY KEY,
    agency_id   TEXT NOT NULL REFERENCES agencies(id),
    kind        TEXT NOT NULL CHECK (kind IN ('municipality', 'province')),
    cbs_code    TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    agency_id     TEXT NOT NULL REFERENCES agencies(id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('inspector', 'team_lead', 'manager', 'authority_viewer', 'admin')),
    authority_id  TEXT REFERENCES authorities(id),
    password_hash TEXT NOT NULL,
    active        BIGINT NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);

-- Opaque bearer tokens; only their SHA-256 is stored, so a copy of the database cannot log anyone in.
CREATE TABLE auth_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX auth_tokens_user ON auth_tokens(user_id);

CREATE TABLE sites (
    id            TEXT PRIMARY KEY,
    agency_id     TEXT NOT NULL REFERENCES agencies(id),
    authority_id  TEXT NOT NULL REFERENCES authorities(id),
    external_key  TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    street        TEXT NOT NULL,
    house_number  TEXT NOT NULL,
    postcode      TEXT NOT NULL,
    city          TEXT NOT NULL,
    lat           DOUBLE PRECISION NOT NULL,
    lon           DOUBLE PRECISION NOT NULL,
    sector        TEXT NOT NULL,
    activities    TEXT NOT NULL,  -- JSON array of activity codes
    surroundings  TEXT NOT NULL,  -- JSON array: houses, school, nature, water
    attributes    TEXT NOT NULL,  -- JSON object of risk-model modifiers
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX sites_authority ON sites(authority_id);
CREATE INDEX sites_sector ON sites(sector);

CREATE TABLE inspections (
    id             TEXT PRIMARY KEY,
    site_id        TEXT NOT NULL REFERENCES sites(id),
    inspector_id   TEXT REFERENCES users(id),
    kind           TEXT NOT NULL,
    inspected_on   TEXT NOT NULL,
    started_at     TEXT,
    finished_at    TEXT,
    hours_spent    DOUBLE PRECISION NOT NULL,
    result         TEXT NOT NULL CHECK (result IN ('compliant', 'violations')),
    version        BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX inspections_site ON inspections(site_id, inspected_on);

CREATE TABLE violations (
    id               TEXT PRIMARY KEY,
    inspection_id    TEXT NOT NULL REFERENCES inspections(id),
    site_id          TEXT NOT NULL REFERENCES sites(id),
    theme            TEXT NOT NULL,
    description      TEXT NOT NULL,
    rule_ref         TEXT NOT NULL,
    consequence      BIGINT NOT NULL CHECK (consequence BETWEEN 1 AND 4),
    behaviour        TEXT NOT NULL CHECK (behaviour IN ('A', 'B', 'C', 'D')),
    cell             TEXT NOT NULL,
    suggested_cell   TEXT NOT NULL,
    deviation_reason TEXT,
    matrix_version   TEXT NOT NULL,
    repeat_offence   BIGINT NOT NULL DEFAULT 0,
    intervention     TEXT NOT NULL,
    remedy_deadline  TEXT,
    remedied_on      TEXT,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX violations_inspection ON violations(inspection_id);
CREATE INDEX violations_site ON violations(site_id);
