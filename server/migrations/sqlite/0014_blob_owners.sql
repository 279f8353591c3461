-- Which agencies hold a blob. Files are stored once per content (content-addressed), but whether a
-- blob exists, and its size, is told only to the agencies that uploaded it: another agency must
-- upload the bytes itself (proving it has them) before it may use or see that blob.
CREATE TABLE blob_owners (
    agency_id  TEXT NOT NULL REFERENCES agencies(id),
    sha256     TEXT NOT NULL REFERENCES blobs(sha256),
    PRIMARY KEY (agency_id, sha256)
);

-- Blobs already attached to a visit belong to that visit's agency.
INSERT INTO blob_owners (agency_id, sha256)
SELECT DISTINCT v.agency_id, p.sha256 FROM photos p JOIN visits v ON v.id = p.visit_id;
