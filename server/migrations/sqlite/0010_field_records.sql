-- What happens in the field and what follows from it: inspections tied to visits and the checklist
-- version they used, findings per checklist item, violations with their LHSO assessment,
-- interventions with their escalation state, re-inspections, notes and photos; the execution
-- programme; the bookkeeping of the sync protocol and its change feed. Every mutable record has
-- a `version` (optimistic concurrency: a stale base version is a conflict, never an overwrite).

-- An inspection belongs to a visit and pins the checklist template version it used.
ALTER TABLE inspections ADD COLUMN visit_id TEXT REFERENCES visits(id);
ALTER TABLE inspections ADD COLUMN template_id TEXT;
ALTER TABLE inspections ADD COLUMN template_version INTEGER;
-- Whether the tablet was near the site when the visit started: near, far or unknown (no position).
ALTER TABLE inspections ADD COLUMN on_site_check TEXT;
CREATE UNIQUE INDEX inspections_visit ON inspections(visit_id);

ALTER TABLE violations ADD COLUMN finding_id TEXT;
ALTER TABLE violations ADD COLUMN visit_id TEXT;

-- One answer per checklist item per visit.
CREATE TABLE findings (
    id            TEXT PRIMARY KEY,
    visit_id      TEXT NOT NULL REFERENCES visits(id),
    inspection_id TEXT REFERENCES inspections(id),
    item_id       TEXT NOT NULL,
    answer        TEXT NOT NULL,   -- JSON: the answer as typed on the tablet
    is_violation  INTEGER NOT NULL DEFAULT 0,
    note          TEXT,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX findings_visit_item ON findings(visit_id, item_id);

-- The chosen intervention for a violation and where its escalation stands.
CREATE TABLE interventions (
    id               TEXT PRIMARY KEY,
    violation_id     TEXT NOT NULL REFERENCES violations(id),
    kind             TEXT NOT NULL,
    state            TEXT NOT NULL,
    decided_on       TEXT NOT NULL,
    deadline         TEXT,
    decided_by       TEXT REFERENCES users(id),
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX interventions_violation ON interventions(violation_id);

-- A re-inspection falls due after a remedy or grace deadline; it becomes a visit when planned.
CREATE TABLE reinspections (
    id             TEXT PRIMARY KEY,
    agency_id      TEXT NOT NULL REFERENCES agencies(id),
    site_id        TEXT NOT NULL REFERENCES sites(id),
    violation_id   TEXT REFERENCES violations(id),
    due_on         TEXT NOT NULL,
    visit_id       TEXT REFERENCES visits(id),
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'planned', 'done', 'cancelled')),
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX reinspections_due ON reinspections(agency_id, status, due_on);

CREATE TABLE visit_notes (
    id          TEXT PRIMARY KEY,
    visit_id    TEXT NOT NULL REFERENCES visits(id),
    author_id   TEXT NOT NULL REFERENCES users(id),
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX visit_notes_visit ON visit_notes(visit_id);

-- Evidence: the photo's content hash names its blob; capture time and position form the chain of
-- evidence the server checks before it confirms.
CREATE TABLE photos (
    id            TEXT PRIMARY KEY,
    visit_id      TEXT NOT NULL REFERENCES visits(id),
    finding_id    TEXT REFERENCES findings(id),
    sha256        TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    content_type  TEXT NOT NULL,
    width         INTEGER,
    height        INTEGER,
    captured_at   TEXT,
    lat           DOUBLE PRECISION,
    lon           DOUBLE PRECISION,
    accuracy_m    DOUBLE PRECISION,
    uploaded_by   TEXT NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX photos_visit ON photos(visit_id);

-- Stored blobs (content-addressed on disk) and unfinished chunked uploads.
CREATE TABLE blobs (
    sha256       TEXT PRIMARY KEY,
    size_bytes   INTEGER NOT NULL,
    stored_at    TEXT NOT NULL
);
CREATE TABLE blob_uploads (
    sha256       TEXT PRIMARY KEY,
    received     INTEGER NOT NULL,
    total        INTEGER,
    started_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- The yearly execution programme (uitvoeringsprogramma): planned counts and hours per product,
-- authority and task group.
CREATE TABLE programme_lines (
    id              TEXT PRIMARY KEY,
    agency_id       TEXT NOT NULL REFERENCES agencies(id),
    year            INTEGER NOT NULL,
    product         TEXT NOT NULL,
    authority_id    TEXT NOT NULL REFERENCES authorities(id),
    task_group      TEXT NOT NULL CHECK (task_group IN ('basistaak', 'plustaak', 'project', 'bedrijfsvoering')),
    planned_count   INTEGER NOT NULL CHECK (planned_count >= 0),
    planned_hours   DOUBLE PRECISION NOT NULL CHECK (planned_hours >= 0),
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX programme_lines_key ON programme_lines(agency_id, year, product, authority_id, task_group);

-- Sync bookkeeping: per device the last applied sequence number and what it reported as pending.
CREATE TABLE sync_devices (
    device_id          TEXT PRIMARY KEY,
    user_id            TEXT NOT NULL REFERENCES users(id),
    last_seq           INTEGER NOT NULL DEFAULT 0,
    pending_count      INTEGER NOT NULL DEFAULT 0,
    oldest_pending_at  TEXT,
    last_push_at       TEXT
);

-- Every mutation received, with its outcome, so a replay gets the original answer. The primary key
-- (device, seq) and the unique mutation id make "exactly once" a database constraint.
CREATE TABLE sync_mutations (
    device_id      TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    mutation_id    TEXT NOT NULL UNIQUE,
    user_id        TEXT NOT NULL,
    kind           TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    base_version   INTEGER,
    device_at      TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('applied', 'conflict', 'rejected')),
    result         TEXT NOT NULL,  -- JSON: the answer given for this mutation
    PRIMARY KEY (device_id, seq)
);

-- Conflicts and rejections kept for a person to resolve; nothing is dropped silently.
CREATE TABLE sync_conflicts (
    id               TEXT PRIMARY KEY,
    mutation_id      TEXT NOT NULL REFERENCES sync_mutations(mutation_id),
    device_id        TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    entity           TEXT NOT NULL,
    entity_id        TEXT NOT NULL,
    base_version     INTEGER,
    current_version  INTEGER,
    data             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    resolved_at      TEXT,
    resolved_by      TEXT REFERENCES users(id)
);

-- The change feed devices pull from. `seq` is handed out through `change_head` inside the writing
-- transaction, which serialises writers so sequence order is commit order (a keyset cursor on it
-- never skips a change that committed late).
CREATE TABLE changes (
    seq           INTEGER PRIMARY KEY,
    agency_id     TEXT NOT NULL,
    authority_id  TEXT,
    inspector_id  TEXT,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    version       INTEGER NOT NULL,
    op            TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    at            TEXT NOT NULL
);
CREATE INDEX changes_agency ON changes(agency_id, seq);
CREATE TABLE change_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL
);
INSERT INTO change_head (id, seq) VALUES (1, 0);

-- Checklist templates per agency, every version kept: an inspection pins (template_id, version)
-- so reports stay reproducible when rules change.
CREATE TABLE checklist_templates (
    agency_id   TEXT NOT NULL REFERENCES agencies(id),
    id          TEXT NOT NULL,
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,  -- JSON of shared::checklist::ChecklistTemplate
    created_at  TEXT NOT NULL,
    PRIMARY KEY (agency_id, id, version)
);
