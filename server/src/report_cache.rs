//! The report facts of recent months, held in memory (issue 10: the realisation page of a large
//! agency in under 200 ms).
//!
//! Reading a year of facts costs a large agency some 300 ms (55,000 inspection rows, 4,600 penalty
//! steps); computing the figures from rows in memory a fraction of that. So the facts are kept per
//! agency and month, each with the version the database triggers of migration 0022 raise on every
//! change of a fact row of that month (and of a penalty step, its case or its site's name). A report first reads the versions of its months (one indexed read), then re-reads
//! only the months whose version moved: during the year only the running month changes as
//! inspections are finished, older months stay.
//!
//! Consistency: the versions are read *before* the facts. A change that lands in between is then
//! either in the facts read (and the stale version makes the next report read the month again) or
//! raises the version after it; cached facts are never newer than believed, and never older.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use sqlx::AnyPool;

use shared::enforcement::{CaseState, StepKind};
use shared::lhso::{Intervention, LhsoCell};
use shared::planner::VisitKind;
use shared::report::{InspectionInput, PenaltyInput, PenaltyKind, Reinspected, ViolationInput};
use shared::visit::InspectionResult;

use crate::db::reports::{self, Scope};
use crate::error::AppError;

/// How many months (of all agencies together) stay in memory: the running and the previous year of
/// one agency. A large agency's month is about 1.5 MB.
const CAPACITY: usize = 24;

/// A violation fact with its re-inspection verdict and the verdict's date: whether the verdict
/// counts depends on the end of the report's period.
#[derive(Debug, Clone)]
pub struct ViolationFact {
    pub violation: ViolationInput,
    /// The authority of the inspected site, for reports of one authority.
    pub authority_id: String,
    pub verdict_on: Option<NaiveDate>,
}

/// The facts of one agency's month: inspections and violations by inspection date, penalties by
/// the date of their step.
#[derive(Debug, Default)]
pub struct MonthFacts {
    pub inspections: Vec<InspectionInput>,
    pub violations: Vec<ViolationFact>,
    pub penalties: Vec<PenaltyInput>,
}

impl MonthFacts {
    /// How many fact rows the month holds.
    pub fn len(&self) -> usize {
        self.inspections.len() + self.violations.len() + self.penalties.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

struct Entry {
    version: i64,
    facts: Arc<MonthFacts>,
    last_used: u64,
}

#[derive(Default)]
struct Entries {
    map: HashMap<(String, String), Entry>,
    clock: u64,
}

/// Facts per (agency, month) with their version; least recently used months leave first.
#[derive(Default)]
pub struct FactCache {
    entries: Mutex<Entries>,
}

impl FactCache {
    /// The facts of months `1..=months` of `year` for the agency, current as of the versions read
    /// at the start of the call.
    pub async fn year(
        &self,
        pool: &AnyPool,
        agency_id: &str,
        year: i32,
        months: u32,
    ) -> Result<Vec<Arc<MonthFacts>>, AppError> {
        let keys: Vec<String> = (1..=months.clamp(1, 12))
            .map(|m| format!("{year:04}-{m:02}"))
            .collect();
        let (first, last) = (&keys[0], &keys[keys.len() - 1]);
        let versions: HashMap<String, i64> = reports::fact_versions(pool, agency_id, first, last)
            .await?
            .into_iter()
            .collect();
        let mut out = Vec::with_capacity(keys.len());
        for month in keys {
            let version = versions.get(&month).copied().unwrap_or(0);
            if let Some(facts) = self.cached(agency_id, &month, version) {
                out.push(facts);
                continue;
            }
            let facts = Arc::new(read_month(pool, agency_id, &month).await?);
            self.store(agency_id, month, version, facts.clone());
            out.push(facts);
        }
        Ok(out)
    }

    fn cached(&self, agency_id: &str, month: &str, version: i64) -> Option<Arc<MonthFacts>> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.clock += 1;
        let clock = entries.clock;
        let entry = entries
            .map
            .get_mut(&(agency_id.to_owned(), month.to_owned()))?;
        if entry.version != version {
            return None;
        }
        entry.last_used = clock;
        Some(entry.facts.clone())
    }

    fn store(&self, agency_id: &str, month: String, version: i64, facts: Arc<MonthFacts>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.clock += 1;
        let last_used = entries.clock;
        entries.map.insert(
            (agency_id.to_owned(), month),
            Entry {
                version,
                facts,
                last_used,
            },
        );
        while entries.map.len() > CAPACITY {
            let Some(oldest) = entries
                .map
                .iter()
                .min_by_key(|(_, e)| e.last_used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            entries.map.remove(&oldest);
        }
    }

    /// How many months are in memory (for tests).
    pub fn months_held(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .map
            .len()
    }
}

/// Reads one month of facts from the database.
async fn read_month(pool: &AnyPool, agency_id: &str, month: &str) -> Result<MonthFacts, AppError> {
    // Dates are ISO text: every day of the month lies between "-01" and "-31".
    let (from, through) = (format!("{month}-01"), format!("{month}-31"));
    let scope = Scope {
        agency_id,
        authority_id: None,
        from: &from,
        through: &through,
    };
    let inspections = reports::inspections(pool, &scope).await?;
    let violations = reports::violations(pool, &scope).await?;
    let penalties = reports::penalties(pool, &scope).await?;
    let corrupt =
        |what: &str| AppError::Internal(anyhow::anyhow!("unreadable {what} in the report facts"));
    Ok(MonthFacts {
        inspections: inspections
            .into_iter()
            .map(|i| {
                Ok(InspectionInput {
                    inspected_on: iso_date(&i.inspected_on).ok_or_else(|| corrupt("date"))?,
                    compliant: i.result == InspectionResult::Compliant.as_str(),
                    reinspection: i.kind == VisitKind::Reinspection.as_str(),
                    id: i.id,
                    site_name: i.site_name,
                    authority_id: i.authority_id,
                    sector: i.sector,
                    hours: i.hours_spent,
                })
            })
            .collect::<Result<_, AppError>>()?,
        violations: violations
            .into_iter()
            .map(|v| {
                let cell = |text: &str| text.parse::<LhsoCell>().map_err(|_| corrupt("LHSO cell"));
                Ok(ViolationFact {
                    violation: ViolationInput {
                        cell: cell(&v.cell)?,
                        suggested_cell: cell(&v.suggested_cell)?,
                        repeat_offence: v.repeat_offence != 0,
                        intervention: Intervention::parse(&v.intervention)
                            .ok_or_else(|| corrupt("intervention"))?,
                        boa_consultation: v.boa_consultation != 0,
                        reinspected: match v.verdict.as_deref().and_then(StepKind::parse) {
                            Some(StepKind::Remedied) => Reinspected::Remedied,
                            Some(StepKind::NotRemedied) => Reinspected::NotRemedied,
                            _ => Reinspected::No,
                        },
                        inspection_id: v.inspection_id,
                    },
                    verdict_on: v.verdict_on.as_deref().and_then(iso_date),
                    authority_id: v.authority_id,
                })
            })
            .collect::<Result<_, AppError>>()?,
        penalties: penalties
            .into_iter()
            .map(|p| {
                let kind = match CaseState::parse(&p.step) {
                    Some(CaseState::Forfeited) => PenaltyKind::Forfeited,
                    Some(CaseState::Collected) => PenaltyKind::Collected,
                    _ => return Err(corrupt("penalty step")),
                };
                Ok(PenaltyInput {
                    kind,
                    on: iso_date(&p.on_date).ok_or_else(|| corrupt("penalty date"))?,
                    cents: p.amount_cents.unwrap_or(0),
                    cell: p.cell.parse().map_err(|_| corrupt("LHSO cell"))?,
                    found_on: iso_date(&p.found_on).ok_or_else(|| corrupt("case date"))?,
                    case_id: p.case_id,
                    site_name: p.site_name,
                    authority_id: p.authority_id,
                })
            })
            .collect::<Result<_, AppError>>()?,
    })
}

/// An ISO date (`YYYY-MM-DD`, possibly followed by a time). `FromStr` reads it directly; a format
/// string would be parsed again for every row.
pub fn iso_date(text: &str) -> Option<NaiveDate> {
    text.get(..10).unwrap_or(text).parse().ok()
}

/// The violation as a report of a period ending on `through` counts it: a verdict dated after the
/// period is not known yet.
pub fn as_of(fact: &ViolationFact, through: NaiveDate) -> ViolationInput {
    let mut v = fact.violation.clone();
    if fact.verdict_on.is_none_or(|on| on > through) {
        v.reinspected = Reinspected::No;
    }
    v
}

/// Reads the running year's months of every agency into the cache, so the first report after a
/// start does not pay for reading them (seconds for a large agency on a cold database). Run in the
/// background at `serve`; a failure only leaves the cache cold.
pub async fn warm(db: crate::db::Db, year: i32) {
    let agencies = match crate::db::planning::agency_ids(&db.pool).await {
        Ok(ids) => ids,
        Err(e) => {
            tracing::warn!("report cache not warmed: {e}");
            return;
        }
    };
    for agency_id in agencies {
        if let Err(e) = db.facts.year(&db.pool, &agency_id, year, 12).await {
            tracing::warn!("report cache not warmed for agency {agency_id}: {e:?}");
        }
    }
}
