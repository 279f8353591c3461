-- Report facts: realisation monitoring and the annual report read every finished inspection and
-- violation of a year. Read from the source tables that is one index probe per site or per
-- inspection, seconds for a large agency; these two narrow tables hold the same rows clustered by
-- agency and date, so a year is one range scan of the primary key. Triggers keep them in step with every write path
-- (sync, imports, the enforcement office, the demo), so no code has to remember them; the e2e
-- report tests compare the figures with plain SQL on the source tables on both databases.

CREATE TABLE report_inspections (
    agency_id     TEXT NOT NULL,
    inspected_on  TEXT NOT NULL,
    inspection_id TEXT NOT NULL,
    site_id       TEXT NOT NULL,
    site_name     TEXT NOT NULL,
    authority_id  TEXT NOT NULL,
    sector        TEXT NOT NULL,
    hours_spent   DOUBLE PRECISION NOT NULL,
    result        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    PRIMARY KEY (agency_id, inspected_on, inspection_id)
);
CREATE UNIQUE INDEX report_inspections_id ON report_inspections(inspection_id);
CREATE INDEX report_inspections_site ON report_inspections(site_id);

-- `verdict` is the first re-inspection verdict (`remedied` / `not_remedied`, by step order) on the
-- violation's enforcement case and `verdict_on` its date; NULL before a re-inspection.
CREATE TABLE report_violations (
    agency_id        TEXT NOT NULL,
    inspected_on     TEXT NOT NULL,
    violation_id     TEXT NOT NULL,
    inspection_id    TEXT NOT NULL,
    site_id          TEXT NOT NULL,
    authority_id     TEXT NOT NULL,
    cell             TEXT NOT NULL,
    suggested_cell   TEXT NOT NULL,
    repeat_offence   BIGINT NOT NULL,
    intervention     TEXT NOT NULL,
    boa_consultation BIGINT NOT NULL,
    verdict          TEXT,
    verdict_on       TEXT,
    PRIMARY KEY (agency_id, inspected_on, violation_id)
);
CREATE UNIQUE INDEX report_violations_id ON report_violations(violation_id);
CREATE INDEX report_violations_inspection ON report_violations(inspection_id);
CREATE INDEX report_violations_site ON report_violations(site_id);

-- Penalties of a period: steps into `forfeited` or `collected`, found by state and date.
CREATE INDEX enforcement_steps_state_on ON enforcement_steps(state, on_date);

-- The facts of the violations of one inspection (`WHERE` added by each use).
CREATE VIEW report_violation_source AS
SELECT s.agency_id, i.inspected_on, v.id AS violation_id, v.inspection_id, s.id AS site_id,
       s.authority_id, v.cell, v.suggested_cell, v.repeat_offence, v.intervention, v.boa_consultation,
       (SELECT st.step FROM enforcement_cases c JOIN enforcement_steps st ON st.case_id = c.id
        WHERE c.violation_id = v.id AND st.step IN ('remedied', 'not_remedied')
        ORDER BY st.seq LIMIT 1) AS verdict,
       (SELECT st.on_date FROM enforcement_cases c JOIN enforcement_steps st ON st.case_id = c.id
        WHERE c.violation_id = v.id AND st.step IN ('remedied', 'not_remedied')
        ORDER BY st.seq LIMIT 1) AS verdict_on
FROM violations v JOIN inspections i ON i.id = v.inspection_id JOIN sites s ON s.id = i.site_id
WHERE i.finished_at IS NOT NULL;

CREATE VIEW report_inspection_source AS
SELECT s.agency_id, i.inspected_on, i.id AS inspection_id, s.id AS site_id, s.name AS site_name,
       s.authority_id, s.sector, i.hours_spent, i.result, i.kind
FROM inspections i JOIN sites s ON s.id = i.site_id
WHERE i.finished_at IS NOT NULL;

INSERT INTO report_inspections SELECT * FROM report_inspection_source;
INSERT INTO report_violations SELECT * FROM report_violation_source;

-- Inspections: any change rewrites the inspection's facts and those of its violations.
CREATE FUNCTION report_inspection_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM report_inspections WHERE inspection_id = OLD.id;
        DELETE FROM report_violations WHERE inspection_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO report_inspections SELECT * FROM report_inspection_source WHERE inspection_id = NEW.id;
        INSERT INTO report_violations SELECT * FROM report_violation_source WHERE inspection_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER report_inspection_changed AFTER INSERT OR UPDATE OR DELETE ON inspections
FOR EACH ROW EXECUTE FUNCTION report_inspection_changed();

CREATE FUNCTION report_violation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM report_violations WHERE violation_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO report_violations SELECT * FROM report_violation_source WHERE violation_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER report_violation_changed AFTER INSERT OR UPDATE OR DELETE ON violations
FOR EACH ROW EXECUTE FUNCTION report_violation_changed();

-- A site that changes agency, authority, sector or name takes its facts along.
CREATE FUNCTION report_site_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE report_inspections
    SET agency_id = NEW.agency_id, authority_id = NEW.authority_id, sector = NEW.sector, site_name = NEW.name
    WHERE site_id = NEW.id;
    UPDATE report_violations SET agency_id = NEW.agency_id, authority_id = NEW.authority_id
    WHERE site_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER report_site_changed AFTER UPDATE OF agency_id, authority_id, sector, name ON sites
FOR EACH ROW EXECUTE FUNCTION report_site_changed();

-- A re-inspection verdict on a case (steps are only ever added).
CREATE FUNCTION report_verdict() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE report_violations f
    SET verdict = src.verdict, verdict_on = src.verdict_on
    FROM report_violation_source src
    WHERE src.violation_id = f.violation_id
      AND f.violation_id = (SELECT violation_id FROM enforcement_cases WHERE id = NEW.case_id);
    RETURN NULL;
END $$;
CREATE TRIGGER report_verdict AFTER INSERT ON enforcement_steps
FOR EACH ROW WHEN (NEW.step IN ('remedied', 'not_remedied')) EXECUTE FUNCTION report_verdict();
