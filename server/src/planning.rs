//! From the database to every inspector's route-ordered list of visits: builds the risk profiles
//! of an agency's sites, ranks them with the risk model, derives due re-inspections and runs the
//! day planner of `shared`, then stores the visits with their explanation.
//!
//! Planning is idempotent per agency and day: a day that was planned (or already holds visits) is
//! never planned again, so `ensure_planned` can run at every start of the server.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use chrono::NaiveDate;
use uuid::Uuid;

use shared::coords::Wgs84;
use shared::lhso::LhsoCell;
use shared::planner::{self, Candidate, DueReinspection, Inspector, PlanInput, PlannerSettings};
use shared::risk::{
    self, ComplianceHistory, InspectionSummary, ManualBoost, Modifiers, RiskModel, SiteAssessment,
    SiteRiskProfile, ViolationRecord, VisitSize,
};

use crate::db::planning::{
    self as q, InspectionRow, InspectorRow, NewVisit, OpenCaseRow, SiteRiskRow, ViolationRow,
};
use crate::db::{self, Db};

/// Where a day starts when an inspector has no start location of their own: the office of
/// Omgevingsdienst Achterhoek in Doetinchem.
pub const DEFAULT_START: Wgs84 = Wgs84 {
    lat: 51.9650,
    lon: 6.2890,
};

/// Hours a day for visits and driving; the rest of a working day goes to reports and letters.
pub const CAPACITY_HOURS: f64 = 7.0;

/// Share of each day kept for the fail-safe sample: enough for one short (S) visit a day, which
/// the planner's default share of a 7-hour day would not leave room for.
pub const SAMPLE_SHARE: f64 = 0.15;

/// A re-inspection checks only what was found wrong, so it is a short visit.
pub const REINSPECTION_SIZE: VisitSize = VisitSize::S;

/// What one call planned, for the log and the demo banner.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanningSummary {
    /// Days that were planned now (days planned before are left as they are).
    pub days: Vec<NaiveDate>,
    pub visits: usize,
    pub reinspections: usize,
    pub samples: usize,
    /// Due re-inspections that fit on no day: a team lead has to look at them.
    pub unplaced_reinspections: usize,
    /// Visits per (day, inspector).
    pub per_inspector_day: BTreeMap<(NaiveDate, String), usize>,
    pub load_ms: u128,
    pub rank_ms: u128,
    pub plan_ms: u128,
    pub store_ms: u128,
}

impl PlanningSummary {
    fn absorb(&mut self, other: PlanningSummary) {
        for day in other.days {
            if !self.days.contains(&day) {
                self.days.push(day);
            }
        }
        self.days.sort_unstable();
        self.visits += other.visits;
        self.reinspections += other.reinspections;
        self.samples += other.samples;
        self.unplaced_reinspections += other.unplaced_reinspections;
        self.per_inspector_day.extend(other.per_inspector_day);
        self.load_ms += other.load_ms;
        self.rank_ms += other.rank_ms;
        self.plan_ms += other.plan_ms;
        self.store_ms += other.store_ms;
    }
}

impl std::fmt::Display for PlanningSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.days.is_empty() {
            return write!(f, "Planning: alle dagen waren al gepland.");
        }
        let counts: Vec<usize> = self.per_inspector_day.values().copied().collect();
        let (min, max) = (
            counts.iter().min().copied().unwrap_or(0),
            counts.iter().max().copied().unwrap_or(0),
        );
        write!(
            f,
            "Planning: {} bezoeken gepland voor {} werkdagen ({} t/m {}), {} tot {} per toezichthouder per dag; \
             {} hercontroles, {} steekproef, {} hercontroles niet in te plannen \
             (laden {} ms, rangschikken {} ms, plannen {} ms, opslaan {} ms).",
            self.visits,
            self.days.len(),
            self.days[0],
            self.days[self.days.len() - 1],
            min,
            max,
            self.reinspections,
            self.samples,
            self.unplaced_reinspections,
            self.load_ms,
            self.rank_ms,
            self.plan_ms,
            self.store_ms,
        )
    }
}

/// `count` working days (Monday to Friday, not a public holiday) from `start` on, `start` included
/// when it is one.
pub use shared::calendar::workdays_from;

/// Plans every day of the horizon (`workdays` working days from `today`) that has no plan yet,
/// for every agency. Calling it again for the same dates changes nothing.
pub async fn ensure_planned(
    db: &Db,
    today: NaiveDate,
    workdays: usize,
) -> anyhow::Result<PlanningSummary> {
    let mut summary = PlanningSummary::default();
    for agency_id in q::agency_ids(&db.pool).await? {
        summary.absorb(plan_agency(db, &agency_id, today, workdays).await?);
    }
    Ok(summary)
}

async fn plan_agency(
    db: &Db,
    agency_id: &str,
    today: NaiveDate,
    workdays: usize,
) -> anyhow::Result<PlanningSummary> {
    let horizon = workdays_from(today, workdays);
    let (Some(first), Some(last)) = (horizon.first(), horizon.last()) else {
        return Ok(PlanningSummary::default());
    };
    let pool = &db.pool;
    let started = Instant::now();
    let done: HashSet<String> =
        q::planned_dates(pool, agency_id, &first.to_string(), &last.to_string())
            .await?
            .into_iter()
            .collect();
    let days: Vec<NaiveDate> = horizon
        .iter()
        .copied()
        .filter(|d| !done.contains(&d.to_string()))
        .collect();
    if days.is_empty() {
        return Ok(PlanningSummary::default());
    }
    let data = load(db, agency_id, today).await?;
    let load_ms = started.elapsed().as_millis();

    // Ranking thousands of sites and routing every day is CPU work: keep it off the async runtime.
    let computed = tokio::task::spawn_blocking(move || compute(&data, today, &days)).await??;

    let started = Instant::now();
    let now = db::now_text();
    let mut tx = pool.begin().await?;
    for day in &computed.summary.days {
        let count = computed
            .visits
            .iter()
            .filter(|v| v.planned_date == day.to_string())
            .count();
        let claimed = q::claim_day(
            &mut tx,
            agency_id,
            &day.to_string(),
            &now,
            &computed.model_version,
            i64::try_from(count)?,
        )
        .await?;
        if !claimed {
            // Another server process planned this day meanwhile; its plan stands and ours is dropped.
            tx.rollback().await?;
            tracing::warn!(agency = agency_id, %day, "day was planned concurrently; keeping that plan");
            return Ok(PlanningSummary::default());
        }
        // The planner is the actor: no person or device made this plan.
        let date = day.to_string();
        crate::audit::record(
            &mut tx,
            &crate::audit::AuditEntry {
                actor_id: None,
                device_id: None,
                action: "planning.day",
                entity: "planned_day",
                entity_id: &date,
                old_version: None,
                new_version: Some(1),
                details: serde_json::json!({
                    "agency_id": agency_id,
                    "visits": count,
                    "model_version": computed.model_version,
                }),
            },
        )
        .await?;
    }
    for visit in &computed.visits {
        q::insert_visit(&mut tx, visit, &now).await?;
    }
    tx.commit().await?;
    let mut summary = computed.summary;
    summary.load_ms = load_ms;
    summary.store_ms = started.elapsed().as_millis();
    Ok(summary)
}

/// Keeps the plan current while the server runs: every hour it plans the working days of the
/// horizon that have no plan yet and puts the re-inspections due today on today's plan, so a
/// re-inspection appears on the inspector's list on the day it is due without anyone asking.
pub async fn keep_planned(db: Db, workdays: usize) {
    let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
    loop {
        every_hour.tick().await;
        let today = chrono::Local::now().date_naive();
        if let Err(e) = plan_now(&db, today, workdays).await {
            tracing::warn!(error = %e, "planning run failed; trying again in an hour");
        }
    }
}

async fn plan_now(db: &Db, today: NaiveDate, workdays: usize) -> anyhow::Result<()> {
    let summary = ensure_planned(db, today, workdays).await?;
    if !summary.days.is_empty() {
        tracing::info!("{summary}");
    }
    for agency_id in q::agency_ids(&db.pool).await? {
        let added = add_due_reinspections(db, &agency_id, today).await?;
        if added > 0 {
            tracing::info!(
                agency = agency_id,
                added,
                "due re-inspections put on today's plan"
            );
        }
    }
    Ok(())
}

/// Who takes a due re-inspection on a planned day: the inspector who found the violation when
/// they are active and their day has room for it, else the team member with the least planned
/// hours (ties by id, so the choice is reproducible). `load` holds every active inspector's
/// planned hours that day.
pub fn choose_inspector(
    finder: Option<Uuid>,
    load: &BTreeMap<String, f64>,
    needed: f64,
    capacity: f64,
) -> Option<String> {
    if let Some(finder) = finder.map(|f| f.to_string()) {
        if load
            .get(&finder)
            .is_some_and(|h| h + needed <= capacity + 1e-9)
        {
            return Some(finder);
        }
    }
    load.iter()
        .min_by(|a, b| a.1.total_cmp(b.1).then(a.0.cmp(b.0)))
        .map(|(id, _)| id.clone())
}

/// Everything planning needs of one agency, as of `today`.
pub(crate) async fn load(db: &Db, agency_id: &str, today: NaiveDate) -> anyhow::Result<AgencyData> {
    let pool = &db.pool;
    Ok(AgencyData {
        agency_id: agency_id.to_owned(),
        model: crate::agency_config::active_risk_model(pool, agency_id).await?,
        sites: q::sites(pool, agency_id).await?,
        inspections: q::inspections(pool, agency_id).await?,
        violations: q::violations(pool, agency_id).await?,
        cases: q::open_cases(pool, agency_id).await?,
        inspectors: q::inspectors(pool, agency_id, &today.to_string()).await?,
        boosts: q::site_boosts(pool, agency_id, &today.to_string()).await?,
        already_planned: q::sites_with_open_visits(pool, agency_id, &today.to_string())
            .await?
            .into_iter()
            .collect(),
    })
}

/// Plans `date` for the agency's team (`POST /team/plan`): a day without a plan is planned in
/// full; on a planned day every visit stays as it is (started or done ones, and planned ones a
/// tablet may already be working on offline), and each re-inspection due by then that is on no
/// list yet is added before the other visits of its inspector. Returns how many visits were added.
pub async fn plan_team_day(db: &Db, agency_id: &str, date: NaiveDate) -> anyhow::Result<usize> {
    if !shared::calendar::is_workday(date) {
        return Ok(0);
    }
    let planned = plan_agency(db, agency_id, date, 1).await?;
    let added = add_due_reinspections(db, agency_id, date).await?;
    Ok(planned.visits + added)
}

/// Puts every re-inspection due on or before `date` that is on no list yet on `date`'s plan, first
/// in its inspector's day: the finder's when they are active, else the team member with the
/// fewest visits that day. Nothing happens on a day that is not a working day.
pub async fn add_due_reinspections(
    db: &Db,
    agency_id: &str,
    date: NaiveDate,
) -> anyhow::Result<usize> {
    if !shared::calendar::is_workday(date)
        || db::plan_controls::is_locked(&db.pool, agency_id, &date.to_string()).await?
    {
        return Ok(0);
    }
    let data = load(db, agency_id, date).await?;
    // An inspector absent that day gets no re-inspection on it.
    let day_text = date.to_string();
    let inspectors: HashSet<Uuid> = data
        .inspectors
        .iter()
        .filter(|i| !i.absent.contains(&day_text))
        .filter_map(|i| Uuid::parse_str(&i.id).ok())
        .collect();
    let already: HashSet<Uuid> = data
        .already_planned
        .iter()
        .filter_map(|id| Uuid::parse_str(id).ok())
        .collect();
    let due: Vec<DueReinspection> = due_reinspections(&data.cases, date, &inspectors)?
        .into_iter()
        .filter(|r| !already.contains(&r.site_id))
        .collect();
    if due.is_empty() || inspectors.is_empty() {
        return Ok(0);
    }
    let ranked = risk::rank_sites(&data.model, &profiles(&data)?, date);
    let by_site: HashMap<Uuid, &SiteAssessment> = ranked.iter().map(|a| (a.site_id, a)).collect();
    let mut tx = db.pool.begin().await?;
    let day = date.to_string();
    let sizes = PlannerSettings::default().size_hours;
    let mut load: BTreeMap<String, f64> = inspectors.iter().map(|i| (i.to_string(), 0.0)).collect();
    for (inspector, size) in q::visit_sizes(&mut tx, agency_id, &day).await? {
        if let (Some(hours), Some(size)) = (load.get_mut(&inspector), VisitSize::parse(&size)) {
            *hours += sizes.hours(size);
        }
    }
    let now = db::now_text();
    let mut added = 0;
    for r in &due {
        let Some(assessment) = by_site.get(&r.site_id) else {
            continue;
        };
        let needed = sizes.hours(r.size);
        let Some(inspector) = choose_inspector(r.inspector_id, &load, needed, CAPACITY_HOURS)
        else {
            continue;
        };
        q::make_room_first(&mut tx, &inspector, &day).await?;
        q::insert_visit(
            &mut tx,
            &NewVisit {
                id: new_id(),
                agency_id: agency_id.to_owned(),
                site_id: r.site_id.to_string(),
                inspector_id: inspector.clone(),
                planned_date: day.clone(),
                kind: planner::VisitKind::Reinspection.as_str(),
                size: r.size.as_str(),
                route_order: 1,
                priority_json: serde_json::to_string(&assessment.priority)?,
                score: assessment.priority.score,
            },
            &now,
        )
        .await?;
        *load.entry(inspector).or_default() += needed;
        added += 1;
    }
    crate::audit::record(
        &mut tx,
        &crate::audit::AuditEntry {
            actor_id: None,
            device_id: None,
            action: "planning.reinspections",
            entity: "planned_day",
            entity_id: &day,
            old_version: None,
            new_version: None,
            details: serde_json::json!({"agency_id": agency_id, "added": added}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(added)
}

/// Everything read from the database for one agency's planning run.
pub struct AgencyData {
    pub agency_id: String,
    /// The agency's active risk model (the shipped default when it has none); its version is
    /// recorded with every planned day.
    pub model: RiskModel,
    pub sites: Vec<SiteRiskRow>,
    pub inspections: Vec<InspectionRow>,
    pub violations: Vec<ViolationRow>,
    /// Open enforcement cases: they set `open_enforcement_case` and bring re-inspections.
    pub cases: Vec<OpenCaseRow>,
    pub inspectors: Vec<InspectorRow>,
    /// Team leads' pushes of sites up the ranking (`site_boosts`).
    pub boosts: Vec<q::SiteBoostRow>,
    /// Sites with a visit from today on or an earlier one not done yet.
    pub already_planned: HashSet<String>,
}

pub struct Computed {
    pub visits: Vec<NewVisit>,
    pub model_version: String,
    pub summary: PlanningSummary,
}

/// The pure part of planning: profiles, ranking, re-inspections, the plan, and the rows to store.
pub fn compute(
    data: &AgencyData,
    today: NaiveDate,
    days: &[NaiveDate],
) -> anyhow::Result<Computed> {
    let model = &data.model;
    let mut summary = PlanningSummary {
        days: days.to_vec(),
        ..PlanningSummary::default()
    };
    let last = *days
        .iter()
        .max()
        .ok_or_else(|| anyhow::anyhow!("no days to plan"))?;

    let started = Instant::now();
    let profiles = profiles(data)?;
    let ranked = risk::rank_sites(model, &profiles, today);
    summary.rank_ms = started.elapsed().as_millis();

    let started = Instant::now();
    let positions: HashMap<Uuid, Wgs84> = data
        .sites
        .iter()
        .map(|s| {
            Ok((
                Uuid::parse_str(&s.id)?,
                Wgs84 {
                    lat: s.lat,
                    lon: s.lon,
                },
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    let already: HashSet<Uuid> = data
        .already_planned
        .iter()
        .filter_map(|id| Uuid::parse_str(id).ok())
        .collect();
    let candidates: Vec<Candidate> = ranked
        .iter()
        .filter(|a| !already.contains(&a.site_id) && is_candidate(a, last))
        .filter_map(|a| Some(Candidate::from_assessment(a, *positions.get(&a.site_id)?)))
        .collect();
    let inspectors = inspectors(&data.inspectors)?;
    let inspector_ids: HashSet<Uuid> = inspectors.iter().map(|i| i.inspector_id).collect();
    let reinspections: Vec<DueReinspection> = due_reinspections(&data.cases, last, &inspector_ids)?
        .into_iter()
        .filter(|r| !already.contains(&r.site_id))
        .filter_map(|mut r| {
            r.position = *positions.get(&r.site_id)?;
            Some(r)
        })
        .collect();
    let (hi, lo) = Uuid::parse_str(&data.agency_id)
        .map(|id| id.as_u64_pair())
        .unwrap_or_default();
    let input = PlanInput {
        days: days.to_vec(),
        inspectors,
        candidates,
        reinspections,
        settings: PlannerSettings {
            // The sample must be reproducible per agency: its id fixes the seed.
            seed: hi ^ lo,
            sample_share: SAMPLE_SHARE,
            ..PlannerSettings::default()
        },
    };
    let plan = planner::plan(&input);
    summary.plan_ms = started.elapsed().as_millis();
    summary.unplaced_reinspections = plan.unplaced_reinspections.len();

    let by_site: HashMap<Uuid, &SiteAssessment> = ranked.iter().map(|a| (a.site_id, a)).collect();
    let mut visits = Vec::new();
    for day in &plan.days {
        summary
            .per_inspector_day
            .insert((day.date, day.inspector_id.to_string()), day.visits.len());
        for (i, v) in day.visits.iter().enumerate() {
            let assessment = by_site
                .get(&v.site_id)
                .ok_or_else(|| anyhow::anyhow!("planned site {} was not ranked", v.site_id))?;
            match v.kind {
                planner::VisitKind::Reinspection => summary.reinspections += 1,
                planner::VisitKind::Sample => summary.samples += 1,
                planner::VisitKind::Planned => {}
            }
            visits.push(NewVisit {
                id: new_id(),
                agency_id: data.agency_id.clone(),
                site_id: v.site_id.to_string(),
                inspector_id: day.inspector_id.to_string(),
                planned_date: day.date.to_string(),
                kind: v.kind.as_str(),
                size: v.size.as_str(),
                route_order: i64::try_from(i + 1)?,
                priority_json: serde_json::to_string(&assessment.priority)?,
                score: assessment.priority.score,
            });
        }
    }
    summary.visits = visits.len();
    Ok(Computed {
        visits,
        model_version: model.version.clone(),
        summary,
    })
}

fn new_id() -> String {
    uuid::Builder::from_random_bytes(rand::random())
        .into_uuid()
        .to_string()
}

/// A site may get a planned visit when its regular inspection falls due within the horizon;
/// low-risk sites stay in the pool because the fail-safe sample draws from them.
/// A site the planner may put on a day: due by then, eligible for the sample, or pushed up by a
/// team lead (a boost plans a site whether or not it is due).
fn is_candidate(a: &SiteAssessment, last_day: NaiveDate) -> bool {
    a.next_due.is_some_and(|due| due <= last_day)
        || a.sample_eligible
        || a.priority
            .factors
            .iter()
            .any(|f| f.name == risk::factor::MANUAL_BOOST && f.contribution > 0.0)
}

fn inspectors(rows: &[InspectorRow]) -> anyhow::Result<Vec<Inspector>> {
    rows.iter()
        .map(|r| {
            let start = match (r.start_lat, r.start_lon) {
                (Some(lat), Some(lon)) => Wgs84 { lat, lon },
                _ => DEFAULT_START,
            };
            Ok(Inspector {
                inspector_id: Uuid::parse_str(&r.id)?,
                start,
                capacity_hours: r.capacity_hours.unwrap_or(CAPACITY_HOURS),
                unavailable: r
                    .absent
                    .iter()
                    .map(|d| date(d))
                    .collect::<anyhow::Result<_>>()?,
            })
        })
        .collect()
}

fn date(text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| anyhow::anyhow!("bad date {text}: {e}"))
}

/// The risk profile of every site, from its JSON columns and its inspection history.
pub fn profiles(data: &AgencyData) -> anyhow::Result<Vec<SiteRiskProfile>> {
    let mut boosts_of: HashMap<&str, Vec<ManualBoost>> = HashMap::new();
    for b in &data.boosts {
        boosts_of
            .entry(b.site_id.as_str())
            .or_default()
            .push(ManualBoost {
                points: b.points,
                by: b.by_user.clone(),
                reason: b.reason.clone(),
                from: date(&b.from_day)?,
                until: b.until_day.as_deref().map(date).transpose()?,
            });
    }
    let mut violations_of: HashMap<&str, Vec<ViolationRecord>> = HashMap::new();
    let open_case: HashSet<&str> = data.cases.iter().map(|c| c.site_id.as_str()).collect();
    for v in &data.violations {
        let cell: LhsoCell = v
            .cell
            .parse()
            .map_err(|e| anyhow::anyhow!("violation cell {}: {e}", v.cell))?;
        violations_of
            .entry(v.inspection_id.as_str())
            .or_default()
            .push(ViolationRecord {
                cell,
                repeat: v.repeat_offence != 0,
            });
    }
    let mut history_of: HashMap<&str, Vec<InspectionSummary>> = HashMap::new();
    for i in &data.inspections {
        history_of
            .entry(i.site_id.as_str())
            .or_default()
            .push(InspectionSummary {
                date: date(&i.inspected_on)?,
                violations: violations_of.remove(i.id.as_str()).unwrap_or_default(),
            });
    }
    data.sites
        .iter()
        .map(|s| {
            Ok(SiteRiskProfile {
                site_id: Uuid::parse_str(&s.id)?,
                sector: s.sector.clone(),
                activities: serde_json::from_str(&s.activities)?,
                modifiers: modifiers(&s.attributes, &s.surroundings)?,
                history: ComplianceHistory {
                    inspections: history_of.remove(s.id.as_str()).unwrap_or_default(),
                    open_enforcement_case: open_case.contains(s.id.as_str()),
                    external_signals: 0,
                },
                focus_points: Vec::new(),
                boosts: boosts_of.remove(s.id.as_str()).unwrap_or_default(),
                class_override: None,
            })
        })
        .collect()
}

/// The risk model's modifiers from a site's `attributes` object and `surroundings` array. Absent
/// or non-numeric figures count as zero, as the model defines for unknown quantities.
pub fn modifiers(attributes: &str, surroundings: &str) -> anyhow::Result<Modifiers> {
    let attributes: serde_json::Map<String, serde_json::Value> = serde_json::from_str(attributes)?;
    let number = |key: &str| {
        attributes
            .get(key)
            .and_then(serde_json::Value::as_f64)
            .unwrap_or(0.0)
    };
    Ok(Modifiers {
        waste_tonnes_per_year: number("waste_tonnes_per_year"),
        fuel_m3_per_year: number("fuel_m3_per_year"),
        energy_kwh_per_year: number("energy_kwh_per_year"),
        hazardous_substances_tonnes: number("hazardous_substances_tonnes"),
        surroundings: serde_json::from_str(surroundings)?,
    })
}

/// One re-inspection per site with an open enforcement case whose re-inspection falls due on or
/// before the horizon's last day (`CaseFile::reinspection_due`: the deadline, or the first working
/// day after it). It goes to the inspector who found the violation when they still inspect, and a
/// site with several open cases gets one visit, due at the earliest.
pub fn due_reinspections(
    cases: &[OpenCaseRow],
    last_day: NaiveDate,
    inspectors: &HashSet<Uuid>,
) -> anyhow::Result<Vec<DueReinspection>> {
    let mut by_site: BTreeMap<Uuid, DueReinspection> = BTreeMap::new();
    for c in cases {
        let Some(due) = c.reinspection_due.as_deref() else {
            continue;
        };
        let due = date(due)?;
        if due > last_day {
            continue;
        }
        let site_id = Uuid::parse_str(&c.site_id)?;
        let inspector_id = c
            .inspector_id
            .as_deref()
            .and_then(|id| Uuid::parse_str(id).ok())
            .filter(|id| inspectors.contains(id));
        let entry = by_site.entry(site_id).or_insert(DueReinspection {
            site_id,
            // Filled in by the caller, who knows where the sites are.
            position: DEFAULT_START,
            due,
            size: REINSPECTION_SIZE,
            inspector_id,
        });
        if due < entry.due {
            entry.due = due;
            entry.inspector_id = inspector_id;
        }
    }
    Ok(by_site.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn violation(site: u128) -> ViolationRow {
        ViolationRow {
            inspection_id: Uuid::from_u128(site + 1000).to_string(),
            site_id: Uuid::from_u128(site).to_string(),
            cell: "B2".into(),
            repeat_offence: 0,
        }
    }

    fn case(site: u128, due: Option<&str>) -> OpenCaseRow {
        OpenCaseRow {
            site_id: Uuid::from_u128(site).to_string(),
            reinspection_due: due.map(str::to_owned),
            inspector_id: Some(Uuid::from_u128(7).to_string()),
        }
    }

    #[test]
    fn workdays_skip_weekends_and_start_on_the_given_day_when_it_is_one() {
        // 2026-11-27 is a Friday.
        assert_eq!(
            workdays_from(day("2026-11-27"), 3),
            [day("2026-11-27"), day("2026-11-30"), day("2026-12-01")]
        );
        assert_eq!(workdays_from(day("2026-11-28"), 1), [day("2026-11-30")]);
        assert!(workdays_from(day("2026-11-28"), 0).is_empty());
    }

    #[test]
    fn only_open_cases_whose_reinspection_falls_due_in_the_horizon_are_due() {
        let inspectors = HashSet::from([Uuid::from_u128(7)]);
        let due = due_reinspections(
            &[
                case(1, Some("2026-11-20")),
                // Waiting for the office (an intention): no visit is due.
                case(3, None),
                case(4, Some("2026-12-11")),
                case(5, Some("2026-12-14")),
            ],
            day("2026-12-12"),
            &inspectors,
        )
        .unwrap();
        let sites: Vec<(Uuid, NaiveDate)> = due.iter().map(|r| (r.site_id, r.due)).collect();
        assert_eq!(
            sites,
            [
                (Uuid::from_u128(1), day("2026-11-20")),
                (Uuid::from_u128(4), day("2026-12-11")),
            ]
        );
        assert!(due
            .iter()
            .all(|r| r.inspector_id == Some(Uuid::from_u128(7)) && r.size == VisitSize::S));
    }

    #[test]
    fn a_reinspection_goes_to_its_finder_unless_absent_or_full_then_to_the_least_loaded() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let load: BTreeMap<String, f64> = [
            (a.to_string(), 6.5),
            (b.to_string(), 2.0),
            (c.to_string(), 4.0),
        ]
        .into();
        assert_eq!(
            choose_inspector(Some(c), &load, 1.0, 7.0),
            Some(c.to_string())
        );
        // Full: 6.5 + 1 > 7.
        assert_eq!(
            choose_inspector(Some(a), &load, 1.0, 7.0),
            Some(b.to_string())
        );
        // No longer inspecting (not among the active inspectors), or unknown.
        assert_eq!(
            choose_inspector(Some(Uuid::from_u128(9)), &load, 1.0, 7.0),
            Some(b.to_string())
        );
        assert_eq!(choose_inspector(None, &load, 1.0, 7.0), Some(b.to_string()));
        assert_eq!(choose_inspector(None, &BTreeMap::new(), 1.0, 7.0), None);
    }

    #[test]
    fn a_site_with_several_open_cases_gets_one_reinspection_at_the_earliest() {
        let due = due_reinspections(
            &[case(1, Some("2026-11-25")), case(1, Some("2026-11-20"))],
            day("2026-12-31"),
            &HashSet::new(),
        )
        .unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].due, day("2026-11-20"));
        // The finder no longer inspects: anyone may go.
        assert_eq!(due[0].inspector_id, None);
    }

    #[test]
    fn modifiers_come_from_the_attributes_and_missing_figures_count_as_zero() {
        let m = modifiers(
            r#"{"waste_tonnes_per_year": 12.5, "fuel_m3_per_year": "veel", "employees": 4}"#,
            r#"["homes", "school"]"#,
        )
        .unwrap();
        assert_eq!(m.waste_tonnes_per_year, 12.5);
        assert_eq!(m.fuel_m3_per_year, 0.0);
        assert_eq!(m.energy_kwh_per_year, 0.0);
        assert_eq!(m.surroundings, ["homes", "school"]);
        assert!(modifiers("[1]", "[]").is_err());
    }

    #[test]
    fn an_inspectors_own_hours_and_absences_reach_the_planner() {
        let rows = [InspectorRow {
            id: Uuid::from_u128(9).to_string(),
            start_lat: None,
            start_lon: None,
            capacity_hours: Some(4.5),
            absent: vec!["2026-12-07".into()],
        }];
        let planned = inspectors(&rows).unwrap();
        assert_eq!(planned[0].capacity_hours, 4.5);
        assert_eq!(
            planned[0].unavailable,
            vec![NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()]
        );
        let default = InspectorRow {
            capacity_hours: None,
            absent: Vec::new(),
            ..rows[0].clone()
        };
        assert_eq!(
            inspectors(&[default]).unwrap()[0].capacity_hours,
            CAPACITY_HOURS
        );
    }

    fn sample_data() -> AgencyData {
        let site = |n: u128, lat: f64| SiteRiskRow {
            id: Uuid::from_u128(n).to_string(),
            lat,
            lon: 6.3,
            sector: "garage".into(),
            activities: r#"["vehicle_repair"]"#.into(),
            surroundings: r#"["homes"]"#.into(),
            attributes: r#"{"waste_tonnes_per_year": 10}"#.into(),
        };
        AgencyData {
            agency_id: Uuid::from_u128(99).to_string(),
            model: RiskModel::default_2026(),
            sites: (1..=30).map(|n| site(n, 51.9 + n as f64 * 0.002)).collect(),
            inspections: vec![InspectionRow {
                id: Uuid::from_u128(1001).to_string(),
                site_id: Uuid::from_u128(1).to_string(),
                inspected_on: "2026-11-10".into(),
            }],
            violations: vec![violation(1)],
            cases: vec![case(1, Some("2026-11-20"))],
            inspectors: vec![
                InspectorRow {
                    id: Uuid::from_u128(7).to_string(),
                    start_lat: Some(51.92),
                    start_lon: Some(6.3),
                    capacity_hours: None,
                    absent: Vec::new(),
                },
                InspectorRow {
                    id: Uuid::from_u128(8).to_string(),
                    start_lat: None,
                    start_lon: None,
                    capacity_hours: None,
                    absent: Vec::new(),
                },
            ],
            boosts: Vec::new(),
            already_planned: HashSet::from([Uuid::from_u128(2).to_string()]),
        }
    }

    #[test]
    fn an_open_violation_makes_an_open_enforcement_case_in_the_profile() {
        let profiles = profiles(&sample_data()).unwrap();
        let first = profiles
            .iter()
            .find(|p| p.site_id == Uuid::from_u128(1))
            .unwrap();
        assert!(first.history.open_enforcement_case);
        assert_eq!(first.history.inspections.len(), 1);
        assert_eq!(first.history.inspections[0].violations.len(), 1);
        assert_eq!(first.modifiers.waste_tonnes_per_year, 10.0);
        assert!(profiles
            .iter()
            .filter(|p| p.site_id != Uuid::from_u128(1))
            .all(|p| !p.history.open_enforcement_case && p.history.inspections.is_empty()));
    }

    #[test]
    fn a_plan_puts_the_due_reinspection_first_skips_planned_sites_and_numbers_routes() {
        let data = sample_data();
        let days = workdays_from(day("2026-11-30"), 2);
        let computed = compute(&data, day("2026-11-30"), &days).unwrap();
        let visits = &computed.visits;
        assert!(!visits.is_empty());
        let re: Vec<&NewVisit> = visits.iter().filter(|v| v.kind == "reinspection").collect();
        assert_eq!(re.len(), 1);
        assert_eq!(re[0].site_id, Uuid::from_u128(1).to_string());
        assert_eq!(re[0].planned_date, "2026-11-30");
        assert_eq!(re[0].inspector_id, Uuid::from_u128(7).to_string());
        assert!(visits
            .iter()
            .all(|v| v.site_id != Uuid::from_u128(2).to_string()));
        let unique: HashSet<&str> = visits.iter().map(|v| v.site_id.as_str()).collect();
        assert_eq!(unique.len(), visits.len(), "no site twice");
        for ((date, inspector), count) in &computed.summary.per_inspector_day {
            let mut orders: Vec<i64> = visits
                .iter()
                .filter(|v| v.planned_date == date.to_string() && &v.inspector_id == inspector)
                .map(|v| v.route_order)
                .collect();
            orders.sort_unstable();
            assert_eq!(orders, (1..=*count as i64).collect::<Vec<_>>());
        }
        for v in visits {
            let priority: risk::RiskScore = serde_json::from_str(&v.priority_json).unwrap();
            let sum: f64 = priority.factors.iter().map(|f| f.contribution).sum();
            assert_eq!(sum, v.score);
        }
    }
}
