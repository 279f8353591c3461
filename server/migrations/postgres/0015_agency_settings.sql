-- Agency settings the tablet and the server both apply. The on-site radius: a position within
-- this many metres of a site (widened by the GPS accuracy, see shared::coords::on_site) counts as
-- on site; 250 is shared::coords::DEFAULT_ON_SITE_RADIUS_M.
ALTER TABLE agencies ADD COLUMN on_site_radius_m INTEGER NOT NULL DEFAULT 250
    CHECK (on_site_radius_m BETWEEN 25 AND 5000);
