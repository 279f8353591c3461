-- The team lead's review steps on finished visits (approve, or return with a comment), oldest
-- first per visit; never changed once written. A visit is on the review list while it is done, has
-- a reason (shared::review) and has no approval since it was last finished.
CREATE TABLE visit_reviews (
    visit_id  TEXT NOT NULL REFERENCES visits(id),
    seq       INTEGER NOT NULL,
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    decision  TEXT NOT NULL CHECK (decision IN ('approve', 'return')),
    comment   TEXT,
    by_user   TEXT NOT NULL REFERENCES users(id),
    at        TEXT NOT NULL,
    PRIMARY KEY (visit_id, seq)
);
-- The review list reads the agency's recently finished inspections.
CREATE INDEX inspections_finished ON inspections(finished_at);
