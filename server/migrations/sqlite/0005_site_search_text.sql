-- Site search without per-row string work (issue 4, docs/BENCHMARKS.md).
-- The search used to compute LOWER(), a concatenation and REPLACE() for every site it looked at;
-- a query matching few sites looked at all of them. These generated columns hold exactly those
-- expressions, so the database maintains them on every INSERT and UPDATE (seed, import and any
-- later writer) and existing rows need no backfill. The fields are joined with U+001F (unit
-- separator), so a match never straddles two fields (a search text containing U+001F itself
-- is matched with the per-column expressions instead).
-- SQLite can only add a VIRTUAL generated column to an existing table; the index below stores
-- the computed values, so the search reads them from the index rather than recomputing them.
ALTER TABLE sites ADD COLUMN search_text TEXT GENERATED ALWAYS AS (
    LOWER(name) || char(31) || LOWER(street || ' ' || house_number) || char(31) || LOWER(city)
) VIRTUAL;
-- The postcode as typed with or without its space ("7121ab" finds "7121 AB").
ALTER TABLE sites ADD COLUMN search_postcode TEXT GENERATED ALWAYS AS (
    REPLACE(LOWER(postcode), ' ', '')
) VIRTUAL;
-- The pagination indexes of 0004, widened: a page still comes in (name, id) order straight from
-- the index and stops after `limit` matches, and the text is tested on the index entry, so a
-- query that matches few sites reads the index only, not every table row.
DROP INDEX sites_agency_name;
DROP INDEX sites_authority_name;
CREATE INDEX sites_agency_search ON sites(agency_id, name, id, search_text, search_postcode);
CREATE INDEX sites_authority_search ON sites(authority_id, name, id, search_text, search_postcode);
