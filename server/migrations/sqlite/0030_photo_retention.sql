-- Days a tablet keeps a photo the server confirmed before it frees the space (the storage guard
-- removes it sooner when the device runs low on room). Sent to the tablet at login.
ALTER TABLE agencies ADD COLUMN photo_retention_days INTEGER NOT NULL DEFAULT 14
    CHECK (photo_retention_days BETWEEN 0 AND 365);
