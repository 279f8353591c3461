-- Site search without per-row string work (issue 4, docs/BENCHMARKS.md).
-- The search used to compute lower(), a concatenation and replace() for every site it looked at;
-- a query matching few sites looked at all of them. These generated columns hold exactly those
-- expressions, so the database maintains them on every INSERT and UPDATE (seed, import and any
-- later writer) and fills them for existing rows here. The fields are joined with U+001F (unit
-- separator), so a match never straddles two fields (a search text containing U+001F itself
-- is matched with the per-column expressions instead).
-- No pg_trgm index: it would make the migration depend on an extension the database role may
-- not be allowed to create; the plain columns already take the string work out of the scan.
ALTER TABLE sites ADD COLUMN search_text TEXT GENERATED ALWAYS AS (
    lower(name) || chr(31) || lower(street || ' ' || house_number) || chr(31) || lower(city)
) STORED;
-- The postcode as typed with or without its space ("7121ab" finds "7121 AB").
ALTER TABLE sites ADD COLUMN search_postcode TEXT GENERATED ALWAYS AS (
    replace(lower(postcode), ' ', '')
) STORED;
-- The pagination indexes of 0004, widened as in the SQLite migration (same indexes on both).
DROP INDEX sites_agency_name;
DROP INDEX sites_authority_name;
CREATE INDEX sites_agency_search ON sites(agency_id, name, id, search_text, search_postcode);
CREATE INDEX sites_authority_search ON sites(authority_id, name, id, search_text, search_postcode);
