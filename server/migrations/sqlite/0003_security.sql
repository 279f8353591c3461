-- Failed logins, for rate limiting per account and per address (shared by all server instances).
CREATE TABLE login_failures (
    id        TEXT PRIMARY KEY,
    username  TEXT NOT NULL,
    address   TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures(username, at);
CREATE INDEX login_failures_address ON login_failures(address, at);

-- The audit trail: one hash-chained entry per write. `hash` covers the entry and the previous
-- entry's hash, so changing or removing any entry breaks the chain from there on.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     TEXT,
    device_id    TEXT,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    old_version  INTEGER,
    new_version  INTEGER,
    details      TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

-- The head of the chain. Appending updates this single row first, which serialises appends on
-- both databases (row lock on PostgreSQL, write lock on SQLite) so the chain never forks.
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
