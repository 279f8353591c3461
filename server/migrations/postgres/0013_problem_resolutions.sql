-- How a refused mutation (conflict or rejection) was settled, and by whom. A problem with a row here
-- no longer waits on anyone's list; the refused mutation itself stays in `sync_mutations`.
CREATE TABLE sync_problem_resolutions (
    mutation_id  TEXT PRIMARY KEY REFERENCES sync_mutations(mutation_id),
    resolution   TEXT NOT NULL CHECK (resolution IN ('resent', 'server_kept')),
    resolved_by  TEXT NOT NULL REFERENCES users(id),
    device_id    TEXT,
    resolved_at  TEXT NOT NULL
);
