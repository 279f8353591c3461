-- PostgreSQL keeps table rows in insertion order, so a year's report facts lie on thousands of
-- pages (a bitmap heap scan of 17,849 pages for a large agency's year, 0.5 s). Covering indexes
-- make the year one index-only scan (37 ms), as SQLite's WITHOUT ROWID tables do by themselves.
CREATE INDEX report_inspections_year ON report_inspections (agency_id, inspected_on)
    INCLUDE (inspection_id, site_name, authority_id, sector, hours_spent, result, kind);
CREATE INDEX report_violations_year ON report_violations (agency_id, inspected_on)
    INCLUDE (inspection_id, authority_id, cell, suggested_cell, repeat_offence, intervention,
             boa_consultation, verdict, verdict_on);
