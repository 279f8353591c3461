-- PostgreSQL gets covering indexes on the report facts here (its 0021); SQLite's report fact
-- tables are WITHOUT ROWID, clustered by (agency, date) already, so there is nothing to add.
SELECT 1;
