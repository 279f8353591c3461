-- A team lead may settle a conflict by keeping the tablet's version (`tablet_kept`), after seeing
-- both.
ALTER TABLE sync_problem_resolutions DROP CONSTRAINT sync_problem_resolutions_resolution_check;
ALTER TABLE sync_problem_resolutions ADD CONSTRAINT sync_problem_resolutions_resolution_check
    CHECK (resolution IN ('resent', 'server_kept', 'tablet_kept'));
