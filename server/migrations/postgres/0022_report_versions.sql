-- A version per agency and month of the report facts (0020), raised by every change of a fact row
-- of that month. The server keeps recent months of facts in memory and re-reads a month only when
-- its version moved (server/src/report_cache.rs). A month without a row has version 0: nothing
-- changed since this migration. The row of the running month is updated by every finished
-- inspection of the agency; the lock it takes lasts until the (short) writing transaction commits.
CREATE TABLE report_versions (
    agency_id TEXT NOT NULL,
    month     TEXT NOT NULL, -- YYYY-MM of the inspection date
    version   BIGINT NOT NULL,
    PRIMARY KEY (agency_id, month)
);

CREATE FUNCTION report_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO report_versions VALUES (OLD.agency_id, substr(OLD.inspected_on, 1, 7), 1)
        ON CONFLICT (agency_id, month) DO UPDATE SET version = report_versions.version + 1;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO report_versions VALUES (NEW.agency_id, substr(NEW.inspected_on, 1, 7), 1)
        ON CONFLICT (agency_id, month) DO UPDATE SET version = report_versions.version + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER report_version_inspection AFTER INSERT OR UPDATE OR DELETE ON report_inspections
FOR EACH ROW EXECUTE FUNCTION report_version_bump();
CREATE TRIGGER report_version_violation AFTER INSERT OR UPDATE OR DELETE ON report_violations
FOR EACH ROW EXECUTE FUNCTION report_version_bump();

-- Penalties (forfeited and collected steps of enforcement cases) count in the month of the step's
-- date: a new penalty step, a change of its case (its cell) and a renamed site raise that month.
CREATE FUNCTION report_version_penalty_step() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_versions (agency_id, month, version)
    SELECT c.agency_id, substr(NEW.on_date, 1, 7), 1 FROM enforcement_cases c WHERE c.id = NEW.case_id
    ON CONFLICT (agency_id, month) DO UPDATE SET version = report_versions.version + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER report_version_penalty_step AFTER INSERT ON enforcement_steps
FOR EACH ROW WHEN (NEW.state IN ('forfeited', 'collected')) EXECUTE FUNCTION report_version_penalty_step();

-- Several steps of one case may fall in the same month: one bump per month is enough (an upsert
-- may not touch the same row twice in one statement on PostgreSQL).
CREATE FUNCTION report_version_penalty_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_versions (agency_id, month, version)
    SELECT DISTINCT OLD.agency_id, substr(st.on_date, 1, 7), 1 FROM enforcement_steps st
    WHERE st.case_id = OLD.id AND st.state IN ('forfeited', 'collected')
    ON CONFLICT (agency_id, month) DO UPDATE SET version = report_versions.version + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER report_version_penalty_case AFTER UPDATE ON enforcement_cases
FOR EACH ROW EXECUTE FUNCTION report_version_penalty_case();

CREATE FUNCTION report_version_penalty_site() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_versions (agency_id, month, version)
    SELECT DISTINCT c.agency_id, substr(st.on_date, 1, 7), 1
    FROM enforcement_cases c JOIN enforcement_steps st ON st.case_id = c.id
    WHERE c.site_id = NEW.id AND st.state IN ('forfeited', 'collected')
    ON CONFLICT (agency_id, month) DO UPDATE SET version = report_versions.version + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER report_version_penalty_site AFTER UPDATE OF agency_id, name ON sites
FOR EACH ROW EXECUTE FUNCTION report_version_penalty_site();
