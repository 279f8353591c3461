-- A team lead may settle a conflict by keeping the tablet's version (`tablet_kept`), after seeing
-- both. SQLite cannot change a CHECK constraint in place: the table is rebuilt with the wider one.
CREATE TABLE sync_problem_resolutions_next (
    mutation_id  TEXT PRIMARY KEY REFERENCES sync_mutations(mutation_id),
    resolution   TEXT NOT NULL CHECK (resolution IN ('resent', 'server_kept', 'tablet_kept')),
    resolved_by  TEXT NOT NULL REFERENCES users(id),
    device_id    TEXT,
    resolved_at  TEXT NOT NULL
);
INSERT INTO sync_problem_resolutions_next (mutation_id, resolution, resolved_by, device_id, resolved_at)
    SELECT mutation_id, resolution, resolved_by, device_id, resolved_at FROM sync_problem_resolutions;
DROP TABLE sync_problem_resolutions;
ALTER TABLE sync_problem_resolutions_next RENAME TO sync_problem_resolutions;
