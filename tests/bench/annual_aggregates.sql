-- The annual aggregates of realisation monitoring as plain SQL, one statement per figure group,
-- for one agency and year. Written in the SQL that SQLite, PostgreSQL and DuckDB all accept, so
-- `duckdb_compare.py` can run the same text on the same data in DuckDB. Placeholders, replaced
-- textually by the script: :agency, :from, :through.
-- What each figure means is in shared/src/report.rs (`definitions()`).

-- 1. Realised inspections and hours per authority and sector (the programme's products).
SELECT s.authority_id, s.sector, COUNT(*) AS inspections, SUM(i.hours_spent) AS hours
FROM inspections i JOIN sites s ON s.id = i.site_id
WHERE s.agency_id = :agency AND i.inspected_on >= :from AND i.inspected_on <= :through
  AND i.finished_at IS NOT NULL
GROUP BY s.authority_id, s.sector;

-- 2. Progress against the calendar: inspections per month.
SELECT substr(i.inspected_on, 6, 2) AS month, COUNT(*) AS inspections, SUM(i.hours_spent) AS hours
FROM inspections i JOIN sites s ON s.id = i.site_id
WHERE s.agency_id = :agency AND i.inspected_on >= :from AND i.inspected_on <= :through
  AND i.finished_at IS NOT NULL
GROUP BY substr(i.inspected_on, 6, 2);

-- 3. Compliance at first inspection: compliant first inspections of all first inspections.
SELECT COUNT(*) AS first_inspections,
       SUM(CASE WHEN i.result = 'compliant' THEN 1 ELSE 0 END) AS compliant
FROM inspections i JOIN sites s ON s.id = i.site_id
WHERE s.agency_id = :agency AND i.inspected_on >= :from AND i.inspected_on <= :through
  AND i.finished_at IS NOT NULL AND i.kind <> 'reinspection';

-- 4. LHSO distribution, all violations, with repeat offences, deviations, BOA advice per cell.
SELECT v.cell, COUNT(*) AS violations,
       SUM(v.repeat_offence) AS repeat_offences,
       SUM(CASE WHEN v.cell <> v.suggested_cell THEN 1 ELSE 0 END) AS deviations,
       SUM(v.boa_consultation) AS boa
FROM violations v JOIN inspections i ON i.id = v.inspection_id JOIN sites s ON s.id = i.site_id
WHERE s.agency_id = :agency AND i.inspected_on >= :from AND i.inspected_on <= :through
  AND i.finished_at IS NOT NULL
GROUP BY v.cell;

-- 5. LHSO distribution, heaviest violation per inspection (cells order as consequence, then behaviour).
SELECT heaviest, COUNT(*) AS inspections FROM (
  SELECT v.inspection_id, MAX(substr(v.cell, 2, 1) || substr(v.cell, 1, 1)) AS heaviest
  FROM violations v JOIN inspections i ON i.id = v.inspection_id JOIN sites s ON s.id = i.site_id
  WHERE s.agency_id = :agency AND i.inspected_on >= :from AND i.inspected_on <= :through
    AND i.finished_at IS NOT NULL
  GROUP BY v.inspection_id
) per_inspection
GROUP BY heaviest;

-- 6. Interventions by type.
SELECT v.intervention, COUNT(*) AS violations
FROM violations v JOIN inspections i ON i.id = v.inspection_id JOIN sites s ON s.id = i.site_id
WHERE s.agency_id = :agency AND i.inspected_on >= :from AND i.inspected_on <= :through
  AND i.finished_at IS NOT NULL
GROUP BY v.intervention;

-- 7. Compliance after re-inspection: the first re-inspection verdict of each violation's case.
SELECT verdict, COUNT(*) AS violations FROM (
  SELECT (SELECT st.step FROM enforcement_cases c JOIN enforcement_steps st ON st.case_id = c.id
          WHERE c.violation_id = v.id AND st.step IN ('remedied', 'not_remedied')
            AND st.on_date <= :through
          ORDER BY st.seq LIMIT 1) AS verdict
  FROM violations v JOIN inspections i ON i.id = v.inspection_id JOIN sites s ON s.id = i.site_id
  WHERE s.agency_id = :agency AND i.inspected_on >= :from AND i.inspected_on <= :through
    AND i.finished_at IS NOT NULL
) verdicts
GROUP BY verdict;

-- 8. Penalties forfeited (first step into the forfeited state) and collected, with amounts.
SELECT st.state, COUNT(*) AS steps, SUM(st.amount_cents) AS amount_cents
FROM enforcement_steps st JOIN enforcement_cases c ON c.id = st.case_id
WHERE c.agency_id = :agency AND st.on_date >= :from AND st.on_date <= :through
  AND ((st.state = 'forfeited' AND NOT EXISTS (SELECT 1 FROM enforcement_steps p
        WHERE p.case_id = st.case_id AND p.seq < st.seq AND p.state = 'forfeited'))
    OR (st.step = 'collected' AND st.state = 'collected'))
GROUP BY st.state;
