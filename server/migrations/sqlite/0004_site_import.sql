-- Site import and search (issue 4).
-- The import upserts on an agency's own stable key. `external_key` stays globally unique from
-- 0001 (a SQLite table rebuild to relax it cannot run inside sqlx's migration transaction with
-- foreign keys on); this index is the upsert key and documents the intended scope.
CREATE UNIQUE INDEX sites_agency_key ON sites(agency_id, external_key);
-- Keyset pagination of the site search: ORDER BY name, id within an agency or an authority.
CREATE INDEX sites_agency_name ON sites(agency_id, name, id);
CREATE INDEX sites_authority_name ON sites(authority_id, name, id);
