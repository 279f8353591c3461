-- What the server found when it decoded a finished upload: set for valid images, NULL otherwise.
-- Decoding once at upload keeps image work out of the push transaction.
ALTER TABLE blobs ADD COLUMN content_type TEXT;
ALTER TABLE blobs ADD COLUMN width BIGINT;
ALTER TABLE blobs ADD COLUMN height BIGINT;
