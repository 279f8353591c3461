-- A version per agency and month of the report facts (0020), raised by every change of a fact row
-- of that month. The server keeps recent months of facts in memory and re-reads a month only when
-- its version moved (server/src/report_cache.rs). A month without a row has version 0: nothing
-- changed since this migration.
CREATE TABLE report_versions (
    agency_id TEXT NOT NULL,
    month     TEXT NOT NULL, -- YYYY-MM of the inspection date
    version   INTEGER NOT NULL,
    PRIMARY KEY (agency_id, month)
) WITHOUT ROWID;

CREATE TRIGGER report_version_inspection_insert AFTER INSERT ON report_inspections
BEGIN
    INSERT INTO report_versions VALUES (NEW.agency_id, substr(NEW.inspected_on, 1, 7), 1)
    ON CONFLICT (agency_id, month) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER report_version_inspection_update AFTER UPDATE ON report_inspections
BEGIN
    INSERT INTO report_versions VALUES (OLD.agency_id, substr(OLD.inspected_on, 1, 7), 1)
    ON CONFLICT (agency_id, month) DO UPDATE SET version = version + 1;
    INSERT INTO report_versions VALUES (NEW.agency_id, substr(NEW.inspected_on, 1, 7), 1)
    ON CONFLICT (agency_id, month) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER report_version_inspection_delete AFTER DELETE ON report_inspections
BEGIN
    INSERT INTO report_versions VALUES (OLD.agency_id, substr(OLD.inspected_on, 1, 7), 1)
    ON CONFLICT (agency_id, month) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER report_version_violation_insert AFTER INSERT ON report_violations
BEGIN
    INSERT INTO report_versions VALUES (NEW.agency_id, substr(NEW.inspected_on, 1, 7), 1)
    ON CONFLICT (agency_id, month) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER report_version_violation_update AFTER UPDATE ON report_violations
BEGIN
    INSERT INTO report_versions VALUES (OLD.agency_id, substr(OLD.inspected_on, 1, 7), 1)
    ON CONFLICT (agency_id, month) DO UPDATE SET version = version + 1;
    INSERT INTO report_versions VALUES (NEW.agency_id, substr(NEW.inspected_on, 1, 7), 1)
    ON CONFLICT (agency_id, month) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER report_version_violation_delete AFTER DELETE ON report_violations
BEGIN
    INSERT INTO report_versions VALUES (OLD.agency_id, substr(OLD.inspected_on, 1, 7), 1)
    ON CONFLICT (agency_id, month) DO UPDATE SET version = version + 1;
END;

-- Penalties (forfeited and collected steps of enforcement cases) count in the month of the step's
-- date: a new penalty step, a change of its case (its cell) and a renamed site raise that month.
CREATE TRIGGER report_version_penalty_step AFTER INSERT ON enforcement_steps
WHEN NEW.state IN ('forfeited', 'collected')
BEGIN
    INSERT INTO report_versions (agency_id, month, version)
    SELECT c.agency_id, substr(NEW.on_date, 1, 7), 1 FROM enforcement_cases c WHERE c.id = NEW.case_id
    ON CONFLICT (agency_id, month) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER report_version_penalty_case AFTER UPDATE ON enforcement_cases
BEGIN
    INSERT INTO report_versions (agency_id, month, version)
    SELECT OLD.agency_id, substr(st.on_date, 1, 7), 1 FROM enforcement_steps st
    WHERE st.case_id = OLD.id AND st.state IN ('forfeited', 'collected')
    ON CONFLICT (agency_id, month) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER report_version_penalty_site AFTER UPDATE OF agency_id, name ON sites
BEGIN
    INSERT INTO report_versions (agency_id, month, version)
    SELECT c.agency_id, substr(st.on_date, 1, 7), 1
    FROM enforcement_cases c JOIN enforcement_steps st ON st.case_id = c.id
    WHERE c.site_id = NEW.id AND st.state IN ('forfeited', 'collected')
    ON CONFLICT (agency_id, month) DO UPDATE SET version = version + 1;
END;
