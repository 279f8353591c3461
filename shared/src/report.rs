//! Realisation monitoring (Omgevingsbesluit art. 13.11, DOMAIN.md section 6): the figures of a
//! year's execution programme against the field results, computed from plain rows so the server,
//! the annual report and the tests all use one definition. No I/O and no clock: the server loads
//! the rows of one agency (or one authority) and year and passes the reference date.
//!
//! Every figure has a stated definition (`definitions()`), because national definitions of the
//! compliance percentage are open; the office pages and the annual report print them next to it.

// Maps keyed by ids are only looked up (HashMap: hashing an id beats a dozen string compares in a
// large agency's year); maps whose order reaches the output stay BTreeMap.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::lhso::{Intervention, LhsoCell};
use crate::programme::FocusMeasure;

/// A line of the execution programme, as the report reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct LineInput {
    pub product: String,
    pub authority_id: String,
    pub task_group: String,
    /// The site sector whose inspections realise this line; `None` for projects and other work
    /// that field inspections do not realise.
    pub sector: Option<String>,
    pub planned_count: i64,
    pub planned_hours: f64,
    /// The focus point the line serves, if any.
    pub focus_point_id: Option<String>,
}

/// A focus point (speerpunt) of the programme year.
#[derive(Debug, Clone, PartialEq)]
pub struct FocusPointInput {
    pub id: String,
    pub title: String,
    pub goal: String,
    pub measure: FocusMeasure,
    pub target_percent: f64,
}

/// A finished inspection of the year.
#[derive(Debug, Clone, PartialEq)]
pub struct InspectionInput {
    pub id: String,
    /// The site's name, for the drill-down list.
    pub site_name: String,
    pub authority_id: String,
    pub sector: String,
    pub inspected_on: NaiveDate,
    pub hours: f64,
    pub compliant: bool,
    /// A re-inspection of an earlier violation (not a first inspection).
    pub reinspection: bool,
}

/// What a re-inspection found about a violation's enforcement case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reinspected {
    /// Not re-inspected (yet), or no case was opened.
    No,
    Remedied,
    NotRemedied,
}

/// A violation found at one of the year's inspections.
#[derive(Debug, Clone, PartialEq)]
pub struct ViolationInput {
    pub inspection_id: String,
    pub cell: LhsoCell,
    pub suggested_cell: LhsoCell,
    pub repeat_offence: bool,
    pub intervention: Intervention,
    /// The matrix advised consulting a BOA or the public prosecutor for the cell.
    pub boa_consultation: bool,
    /// The first re-inspection's verdict on its case.
    pub reinspected: Reinspected,
}

/// Whether a penalty step forfeited the penalty (dwangsom verbeurd) or collected it (ingevorderd).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyKind {
    Forfeited,
    Collected,
}

impl PenaltyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Forfeited => "forfeited",
            Self::Collected => "collected",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "forfeited" => Some(Self::Forfeited),
            "collected" => Some(Self::Collected),
            _ => None,
        }
    }
}

/// A penalty forfeited or collected: the date of that step, the amount in euro cents, and the case
/// it belongs to (what the drill-down behind the penalty figures lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltyInput {
    pub kind: PenaltyKind,
    pub on: NaiveDate,
    pub cents: i64,
    pub case_id: String,
    pub site_name: String,
    pub authority_id: String,
    /// The LHSO cell of the violation the case follows up.
    pub cell: LhsoCell,
    /// The day the violation was found.
    pub found_on: NaiveDate,
}

/// An authority of the agency (municipality or province).
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorityInput {
    pub id: String,
    pub name: String,
}

/// Everything one realisation report is computed from.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub year: i32,
    /// Only the months 1..=months count (the 4-, 8- and 12-month views).
    pub months: u32,
    /// The reference date ("today"): progress and forecast stop here in the running year.
    pub as_of: Option<NaiveDate>,
    pub authorities: Vec<AuthorityInput>,
    pub lines: Vec<LineInput>,
    pub focus_points: Vec<FocusPointInput>,
    pub inspections: Vec<InspectionInput>,
    pub violations: Vec<ViolationInput>,
    pub penalties: Vec<PenaltyInput>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Volume {
    pub count: i64,
    pub hours: f64,
}

impl Volume {
    fn add(&mut self, count: i64, hours: f64) {
        self.count += count;
        self.hours += hours;
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorityRow {
    pub authority_id: String,
    pub name: String,
    pub planned: Volume,
    pub realised: Volume,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductRow {
    /// The programme's product name; `None` for inspections no programme line covers.
    pub product: Option<String>,
    pub task_group: Option<String>,
    pub planned: Volume,
    pub realised: Volume,
}

/// What the programme contributed to a focus point: the planned and realised work of its lines
/// and its outcome indicator against the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FocusPointRow {
    pub id: String,
    pub title: String,
    pub goal: String,
    pub measure: FocusMeasure,
    pub target_percent: f64,
    pub planned: Volume,
    pub realised: Volume,
    /// The indicator's value in percent (one decimal); `None` without anything to measure.
    pub value_percent: Option<f64>,
    /// Whether the value reaches the target; `None` without a value.
    pub met: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskGroupRow {
    /// `None`: inspections no programme line covers.
    pub task_group: Option<String>,
    pub planned: Volume,
    pub realised: Volume,
}

/// Cumulative counts at the end of a month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MonthPoint {
    pub month: u32,
    /// The planned count spread evenly over the calendar year.
    pub planned: f64,
    /// `None` for months after the reference date.
    pub realised: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Compliance {
    pub first_inspections: i64,
    pub compliant_at_first: i64,
    /// Compliant at first inspection, or every violation found remedied at re-inspection.
    pub compliant_after_reinspection: i64,
    /// Percentages with one decimal; `None` without first inspections.
    pub rate_first: Option<f64>,
    pub rate_after_reinspection: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellCount {
    pub cell: LhsoCell,
    pub count: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LhsoFigures {
    pub violations: i64,
    pub inspections_with_violations: i64,
    /// Every violation counted in its cell (all 16 cells, A1..D4).
    pub all_violations: Vec<CellCount>,
    /// Per inspection only its heaviest violation (`LhsoCell::gravity_key`).
    pub heaviest_per_inspection: Vec<CellCount>,
    pub repeat_offences: i64,
    pub deviations: i64,
    pub boa_cells: i64,
    pub repeat_offence_rate: Option<f64>,
    pub deviation_rate: Option<f64>,
    pub boa_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterventionCount {
    pub intervention: Intervention,
    pub count: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Penalties {
    pub forfeited_count: i64,
    pub forfeited_cents: i64,
    pub collected_count: i64,
    pub collected_cents: i64,
}

/// `GET /api/v1/reports/realisation`: the year's realisation of the programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Realisation {
    pub year: i32,
    pub authority_id: Option<String>,
    pub months: u32,
    /// The last day counted: the end of the period, or the reference date if earlier.
    pub through: NaiveDate,
    pub planned: Volume,
    pub realised: Volume,
    /// Realised count and hours extrapolated to the year's end at the pace so far; `None` before
    /// the year starts.
    pub forecast: Option<Volume>,
    pub by_authority: Vec<AuthorityRow>,
    pub by_product: Vec<ProductRow>,
    pub by_task_group: Vec<TaskGroupRow>,
    pub by_focus_point: Vec<FocusPointRow>,
    pub progress: Vec<MonthPoint>,
    pub compliance: Compliance,
    pub lhso: LhsoFigures,
    pub interventions: Vec<InterventionCount>,
    pub penalties: Penalties,
}

/// Planned and realised volume of one row while it is summed.
type PlannedRealised = (Volume, Volume);

/// The months a report may cover: the 4-, 8- and 12-month views.
pub const PERIODS: [u32; 3] = [4, 8, 12];

/// The indication of the share of violations for a BOA or the public prosecutor (DOMAIN.md:
/// "2-3 %"), shown next to the measured share.
pub const BOA_INDICATION_PERCENT: (f64, f64) = (2.0, 3.0);

/// The last day of month `month` of `year`.
pub fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month >= 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// A percentage with one decimal, `None` when the denominator is zero.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

fn round_hours(h: f64) -> f64 {
    (h * 10.0).round() / 10.0
}

/// The rows of one report's scope and period, and the rule that ties an inspection to the
/// programme line it realises; shared by the figures and their drill-down.
struct Scoped<'a> {
    year_start: NaiveDate,
    year_end: NaiveDate,
    through: NaiveDate,
    lines: Vec<&'a LineInput>,
    inspections: Vec<&'a InspectionInput>,
    line_of: HashMap<(&'a str, &'a str), usize>,
}

impl<'a> Scoped<'a> {
    fn new(input: &'a ReportInput, authority_id: Option<&str>) -> Option<Scoped<'a>> {
        let year_start = NaiveDate::from_ymd_opt(input.year, 1, 1)?;
        let year_end = month_end(input.year, 12)?;
        let period_end = month_end(input.year, input.months.clamp(1, 12))?;
        let through = match input.as_of {
            Some(d) if d < period_end => d.max(year_start.pred_opt()?),
            _ => period_end,
        };
        let in_scope = |a: &str| authority_id.is_none_or(|id| id == a);
        let lines: Vec<&LineInput> = input
            .lines
            .iter()
            .filter(|l| in_scope(&l.authority_id))
            .collect();
        let inspections: Vec<&InspectionInput> = input
            .inspections
            .iter()
            .filter(|i| in_scope(&i.authority_id) && i.inspected_on <= through)
            .filter(|i| i.inspected_on >= year_start)
            .collect();
        // The programme line an inspection realises: same authority, the line's sector. When
        // several lines share a sector (say a basistaak and a project), the first in product
        // order takes it.
        let mut line_of = HashMap::new();
        let mut order: Vec<usize> = (0..lines.len()).collect();
        order.sort_by(|&a, &b| {
            (&lines[a].product, &lines[a].task_group)
                .cmp(&(&lines[b].product, &lines[b].task_group))
        });
        for &i in &order {
            if let Some(sector) = &lines[i].sector {
                line_of
                    .entry((lines[i].authority_id.as_str(), sector.as_str()))
                    .or_insert(i);
            }
        }
        Some(Scoped {
            year_start,
            year_end,
            through,
            lines,
            inspections,
            line_of,
        })
    }

    /// The programme line an inspection realises, if any.
    fn line(&self, i: &InspectionInput) -> Option<&'a LineInput> {
        self.line_of
            .get(&(i.authority_id.as_str(), i.sector.as_str()))
            .map(|&n| self.lines[n])
    }
}

/// Computes the report. Inspections and penalties outside the period are ignored, so the caller
/// may pass the whole year.
pub fn realisation(input: &ReportInput, authority_id: Option<&str>) -> Option<Realisation> {
    let scoped = Scoped::new(input, authority_id)?;
    let (year_start, year_end, through) = (scoped.year_start, scoped.year_end, scoped.through);
    let in_scope = |a: &str| authority_id.is_none_or(|id| id == a);
    let lines = &scoped.lines;
    let inspections = &scoped.inspections;

    let mut planned = Volume::default();
    let mut realised = Volume::default();
    let mut by_authority: BTreeMap<&str, PlannedRealised> = BTreeMap::new();
    // (product, task group) -> (planned, realised); `None` for inspections no line covers.
    let mut by_product: BTreeMap<(Option<&str>, Option<&str>), PlannedRealised> = BTreeMap::new();
    let mut by_group: BTreeMap<Option<&str>, PlannedRealised> = BTreeMap::new();
    for a in input.authorities.iter().filter(|a| in_scope(&a.id)) {
        by_authority.entry(a.id.as_str()).or_default();
    }
    for l in lines {
        planned.add(l.planned_count, l.planned_hours);
        by_authority
            .entry(l.authority_id.as_str())
            .or_default()
            .0
            .add(l.planned_count, l.planned_hours);
        by_product
            .entry((Some(l.product.as_str()), Some(l.task_group.as_str())))
            .or_default()
            .0
            .add(l.planned_count, l.planned_hours);
        by_group
            .entry(Some(l.task_group.as_str()))
            .or_default()
            .0
            .add(l.planned_count, l.planned_hours);
    }
    let mut monthly = [0i64; 12];
    for i in inspections {
        realised.add(1, i.hours);
        monthly[i.inspected_on.month0() as usize] += 1;
        by_authority
            .entry(i.authority_id.as_str())
            .or_default()
            .1
            .add(1, i.hours);
        let line = scoped.line(i);
        let product = line.map(|l| l.product.as_str());
        let group = line.map(|l| l.task_group.as_str());
        by_product
            .entry((product, group))
            .or_default()
            .1
            .add(1, i.hours);
        by_group.entry(group).or_default().1.add(1, i.hours);
    }

    let names: BTreeMap<&str, &str> = input
        .authorities
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let rounded = |v: Volume| Volume {
        count: v.count,
        hours: round_hours(v.hours),
    };
    let by_authority = by_authority
        .into_iter()
        .map(|(id, (p, r))| AuthorityRow {
            authority_id: id.to_owned(),
            name: names.get(id).copied().unwrap_or(id).to_owned(),
            planned: rounded(p),
            realised: rounded(r),
        })
        .collect::<Vec<_>>();
    let mut by_authority = by_authority;
    by_authority.sort_by(|a, b| a.name.cmp(&b.name));
    // Lines first (by product), then what no line covers.
    let mut by_product: Vec<ProductRow> = by_product
        .into_iter()
        .map(|((product, group), (p, r))| ProductRow {
            product: product.map(str::to_owned),
            task_group: group.map(str::to_owned),
            planned: rounded(p),
            realised: rounded(r),
        })
        .collect();
    by_product.sort_by_key(|row| row.product.is_none());
    let mut by_task_group: Vec<TaskGroupRow> = by_group
        .into_iter()
        .map(|(group, (p, r))| TaskGroupRow {
            task_group: group.map(str::to_owned),
            planned: rounded(p),
            realised: rounded(r),
        })
        .collect();
    by_task_group.sort_by_key(|row| row.task_group.is_none());

    let mut cumulative = 0;
    let progress = (1..=12u32)
        .map(|month| {
            cumulative += monthly[month as usize - 1];
            let started = NaiveDate::from_ymd_opt(input.year, month, 1).unwrap_or(year_end);
            MonthPoint {
                month,
                planned: (planned.count as f64 * f64::from(month) / 12.0 * 10.0).round() / 10.0,
                realised: (started <= through).then_some(cumulative),
            }
        })
        .collect();

    let elapsed_days = (through - year_start).num_days() + 1;
    let year_days = (year_end - year_start).num_days() + 1;
    let forecast = (elapsed_days > 0).then(|| {
        let factor = year_days as f64 / elapsed_days as f64;
        Volume {
            count: (realised.count as f64 * factor).round() as i64,
            hours: round_hours(realised.hours * factor),
        }
    });

    let ids: HashSet<&str> = inspections.iter().map(|i| i.id.as_str()).collect();
    let violations: Vec<&ViolationInput> = input
        .violations
        .iter()
        .filter(|v| ids.contains(v.inspection_id.as_str()))
        .collect();

    Some(Realisation {
        year: input.year,
        authority_id: authority_id.map(str::to_owned),
        months: input.months.clamp(1, 12),
        through,
        planned: rounded(planned),
        realised: rounded(realised),
        forecast,
        by_authority,
        by_product,
        by_task_group,
        by_focus_point: focus_points(input, &scoped, &violations),
        progress,
        compliance: compliance(inspections, &violations),
        lhso: lhso_figures(&violations),
        interventions: intervention_counts(&violations),
        penalties: penalties(&input.penalties, year_start, through),
    })
}

/// Each focus point with the work of its lines and its indicator: the realisation of its planned
/// count, or the compliance of the inspections that realised its lines.
fn focus_points(
    input: &ReportInput,
    scoped: &Scoped<'_>,
    violations: &[&ViolationInput],
) -> Vec<FocusPointRow> {
    input
        .focus_points
        .iter()
        .map(|fp| {
            let serves = |l: &LineInput| l.focus_point_id.as_deref() == Some(fp.id.as_str());
            let mut planned = Volume::default();
            for l in scoped.lines.iter().filter(|l| serves(l)) {
                planned.add(l.planned_count, l.planned_hours);
            }
            // The focus point's inspections: those at sites of the authorities and sectors of
            // its lines (whichever line of that authority and sector the realisation credits).
            let areas: HashSet<(&str, &str)> = scoped
                .lines
                .iter()
                .filter(|l| serves(l))
                .filter_map(|l| Some((l.authority_id.as_str(), l.sector.as_deref()?)))
                .collect();
            let own: Vec<&InspectionInput> = scoped
                .inspections
                .iter()
                .copied()
                .filter(|i| areas.contains(&(i.authority_id.as_str(), i.sector.as_str())))
                .collect();
            let mut realised = Volume::default();
            for i in &own {
                realised.add(1, i.hours);
            }
            let ids: HashSet<&str> = own.iter().map(|i| i.id.as_str()).collect();
            let found: Vec<&ViolationInput> = violations
                .iter()
                .copied()
                .filter(|v| ids.contains(v.inspection_id.as_str()))
                .collect();
            let c = compliance(&own, &found);
            let value_percent = match fp.measure {
                FocusMeasure::Realisation => percent(realised.count, planned.count),
                FocusMeasure::ComplianceFirst => c.rate_first,
                FocusMeasure::ComplianceAfterReinspection => c.rate_after_reinspection,
            };
            FocusPointRow {
                id: fp.id.clone(),
                title: fp.title.clone(),
                goal: fp.goal.clone(),
                measure: fp.measure,
                target_percent: fp.target_percent,
                planned: Volume {
                    count: planned.count,
                    hours: round_hours(planned.hours),
                },
                realised: Volume {
                    count: realised.count,
                    hours: round_hours(realised.hours),
                },
                value_percent,
                met: value_percent.map(|v| v >= fp.target_percent),
            }
        })
        .collect()
}

fn compliance(inspections: &[&InspectionInput], violations: &[&ViolationInput]) -> Compliance {
    let mut per_inspection: HashMap<&str, Vec<Reinspected>> = HashMap::new();
    for v in violations {
        per_inspection
            .entry(v.inspection_id.as_str())
            .or_default()
            .push(v.reinspected);
    }
    let first: Vec<&&InspectionInput> = inspections.iter().filter(|i| !i.reinspection).collect();
    let compliant_at_first = first.iter().filter(|i| i.compliant).count() as i64;
    let remedied_later = first
        .iter()
        .filter(|i| !i.compliant)
        .filter(|i| {
            per_inspection
                .get(i.id.as_str())
                .is_some_and(|verdicts| verdicts.iter().all(|r| *r == Reinspected::Remedied))
        })
        .count() as i64;
    let total = first.len() as i64;
    Compliance {
        first_inspections: total,
        compliant_at_first,
        compliant_after_reinspection: compliant_at_first + remedied_later,
        rate_first: percent(compliant_at_first, total),
        rate_after_reinspection: percent(compliant_at_first + remedied_later, total),
    }
}

fn cell_counts(counts: &BTreeMap<LhsoCell, i64>) -> Vec<CellCount> {
    LhsoCell::all()
        .map(|cell| CellCount {
            cell,
            count: counts.get(&cell).copied().unwrap_or(0),
        })
        .collect()
}

fn lhso_figures(violations: &[&ViolationInput]) -> LhsoFigures {
    let mut all = BTreeMap::new();
    let mut heaviest: HashMap<&str, LhsoCell> = HashMap::new();
    for v in violations {
        *all.entry(v.cell).or_insert(0) += 1;
        let entry = heaviest.entry(v.inspection_id.as_str()).or_insert(v.cell);
        if v.cell.gravity_key() > entry.gravity_key() {
            *entry = v.cell;
        }
    }
    let mut per_inspection = BTreeMap::new();
    for cell in heaviest.values() {
        *per_inspection.entry(*cell).or_insert(0) += 1;
    }
    let total = violations.len() as i64;
    let repeat_offences = violations.iter().filter(|v| v.repeat_offence).count() as i64;
    let deviations = violations
        .iter()
        .filter(|v| v.cell != v.suggested_cell)
        .count() as i64;
    let boa_cells = violations.iter().filter(|v| v.boa_consultation).count() as i64;
    LhsoFigures {
        violations: total,
        inspections_with_violations: heaviest.len() as i64,
        all_violations: cell_counts(&all),
        heaviest_per_inspection: cell_counts(&per_inspection),
        repeat_offences,
        deviations,
        boa_cells,
        repeat_offence_rate: percent(repeat_offences, total),
        deviation_rate: percent(deviations, total),
        boa_share: percent(boa_cells, total),
    }
}

fn intervention_counts(violations: &[&ViolationInput]) -> Vec<InterventionCount> {
    let mut counts = BTreeMap::new();
    for v in violations {
        *counts.entry(v.intervention).or_insert(0) += 1;
    }
    counts
        .into_iter()
        .map(|(intervention, count)| InterventionCount {
            intervention,
            count,
        })
        .collect()
}

/// The penalty steps of the period, the rows behind the penalty figures.
fn penalties_within(
    rows: &[PenaltyInput],
    from: NaiveDate,
    through: NaiveDate,
) -> impl Iterator<Item = &PenaltyInput> {
    rows.iter()
        .filter(move |p| (from..=through).contains(&p.on))
}

fn penalties(rows: &[PenaltyInput], from: NaiveDate, through: NaiveDate) -> Penalties {
    let mut p = Penalties::default();
    for row in penalties_within(rows, from, through) {
        match row.kind {
            PenaltyKind::Forfeited => {
                p.forfeited_count += 1;
                p.forfeited_cents += row.cents;
            }
            PenaltyKind::Collected => {
                p.collected_count += 1;
                p.collected_cents += row.cents;
            }
        }
    }
    p
}

/// The penalty steps behind the penalty figures of `realisation` (same period and scope; `kind`:
/// only forfeited or only collected ones), newest first.
pub fn penalty_drill_down(
    input: &ReportInput,
    authority_id: Option<&str>,
    kind: Option<PenaltyKind>,
) -> Option<Vec<PenaltyInput>> {
    let scoped = Scoped::new(input, authority_id)?;
    let mut rows: Vec<PenaltyInput> =
        penalties_within(&input.penalties, scoped.year_start, scoped.through)
            .filter(|p| authority_id.is_none_or(|a| a == p.authority_id))
            .filter(|p| kind.is_none_or(|k| k == p.kind))
            .cloned()
            .collect();
    rows.sort_by(|a, b| b.on.cmp(&a.on).then_with(|| a.case_id.cmp(&b.case_id)));
    Some(rows)
}

crate::wire_enum! {
    /// A key figure whose inspections a drill-down lists (`figure=` of the drill-down request).
    pub enum DrillFigure {
        /// First inspections: the base of compliance at first inspection.
        FirstInspections = "first_inspections",
        /// First inspections without a violation.
        CompliantFirst = "compliant_first",
        /// Re-inspections of an earlier violation.
        Reinspections = "reinspections",
        /// Inspections with at least one violation.
        WithViolations = "with_violations",
        /// Inspections with a repeat offence.
        RepeatOffence = "repeat_offence",
        /// Inspections with a violation scored in another cell than the one suggested.
        Deviation = "deviation",
        /// Inspections with a violation in a cell where the matrix advises a BOA or prosecutor.
        Boa = "boa",
    }
}

impl DrillFigure {
    fn keeps(self, i: &InspectionInput, violations: &[&ViolationInput]) -> bool {
        match self {
            DrillFigure::FirstInspections => !i.reinspection,
            DrillFigure::CompliantFirst => !i.reinspection && i.compliant,
            DrillFigure::Reinspections => i.reinspection,
            DrillFigure::WithViolations => !violations.is_empty(),
            DrillFigure::RepeatOffence => violations.iter().any(|v| v.repeat_offence),
            DrillFigure::Deviation => violations.iter().any(|v| v.cell != v.suggested_cell),
            DrillFigure::Boa => violations.iter().any(|v| v.boa_consultation),
        }
    }
}

/// Which figure a drill-down opens: filters on the report's inspections, all optional and combined.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillDown {
    pub authority_id: Option<String>,
    /// A programme product (its line's name).
    pub product: Option<String>,
    pub task_group: Option<String>,
    /// Inspections with a violation in this LHSO cell ...
    pub cell: Option<LhsoCell>,
    /// ... counted as the inspection's heaviest (the "heaviest per inspection" grid).
    #[serde(default)]
    pub heaviest: bool,
    /// Inspections counted in a key figure.
    #[serde(default)]
    pub figure: Option<DrillFigure>,
    /// Inspections with a violation that got this intervention.
    #[serde(default)]
    pub intervention: Option<Intervention>,
}

/// One inspection behind a figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillRow {
    pub id: String,
    pub inspected_on: NaiveDate,
    pub site_name: String,
    pub authority_id: String,
    pub product: Option<String>,
    pub reinspection: bool,
    pub compliant: bool,
    pub hours: f64,
    /// The cells of its violations, heaviest first.
    pub cells: Vec<LhsoCell>,
}

/// The inspections behind a figure of `realisation` (same scope, period and line rule), newest
/// first.
pub fn drill_down(
    input: &ReportInput,
    authority_id: Option<&str>,
    filter: &DrillDown,
) -> Option<Vec<DrillRow>> {
    let scoped = Scoped::new(input, authority_id)?;
    let mut cells: HashMap<&str, Vec<LhsoCell>> = HashMap::new();
    let mut found: HashMap<&str, Vec<&ViolationInput>> = HashMap::new();
    for v in &input.violations {
        cells
            .entry(v.inspection_id.as_str())
            .or_default()
            .push(v.cell);
        found.entry(v.inspection_id.as_str()).or_default().push(v);
    }
    for list in cells.values_mut() {
        list.sort_by_key(|c| std::cmp::Reverse(c.gravity_key()));
    }
    let mut rows: Vec<DrillRow> = scoped
        .inspections
        .iter()
        .filter_map(|i| {
            let line = scoped.line(i);
            let own = cells.get(i.id.as_str()).cloned().unwrap_or_default();
            let violations = found.get(i.id.as_str()).map_or(&[][..], Vec::as_slice);
            let keep = filter.figure.is_none_or(|f| f.keeps(i, violations))
                && filter
                    .intervention
                    .is_none_or(|x| violations.iter().any(|v| v.intervention == x))
                && filter
                    .authority_id
                    .as_deref()
                    .is_none_or(|a| a == i.authority_id)
                && filter
                    .product
                    .as_deref()
                    .is_none_or(|p| line.is_some_and(|l| l.product == p))
                && filter
                    .task_group
                    .as_deref()
                    .is_none_or(|g| line.is_some_and(|l| l.task_group == g))
                && filter.cell.is_none_or(|c| {
                    if filter.heaviest {
                        own.first() == Some(&c)
                    } else {
                        own.contains(&c)
                    }
                });
            keep.then(|| DrillRow {
                id: i.id.clone(),
                inspected_on: i.inspected_on,
                site_name: i.site_name.clone(),
                authority_id: i.authority_id.clone(),
                product: line.map(|l| l.product.clone()),
                reinspection: i.reinspection,
                compliant: i.compliant,
                hours: i.hours,
                cells: own,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.inspected_on
            .cmp(&a.inspected_on)
            .then(a.site_name.cmp(&b.site_name))
    });
    Some(rows)
}

/// The Dutch name of a task group (`None`: work no programme line covers).
pub fn task_group_nl(group: Option<&str>) -> &'static str {
    match group {
        Some("basistaak") => "Basistaken",
        Some("plustaak") => "Plustaken",
        Some("project") => "Projecten",
        Some("bedrijfsvoering") => "Bedrijfsvoering",
        _ => "Buiten het programma",
    }
}

/// The realised curve of a progress chart as (months since 1 January, cumulative count): every
/// month's end up to `through`, then `through` itself when it falls inside a month.
pub fn realised_curve(r: &Realisation) -> Vec<(f64, f64)> {
    let at = through_in_months(r);
    let mut points = vec![(0.0, 0.0)];
    for p in &r.progress {
        let month = f64::from(p.month);
        if let Some(n) = p.realised.filter(|_| month <= at + 1e-9) {
            points.push((month, n as f64));
        }
    }
    if r.through.year() == r.year && at < 12.0 {
        points.push((at, r.realised.count as f64));
    }
    points
}

/// The forecast segment of a progress chart: from `through` to 31 December, in the running year.
pub fn forecast_segment(r: &Realisation) -> Option<((f64, f64), (f64, f64))> {
    let at = through_in_months(r);
    let f = r
        .forecast
        .filter(|_| r.through.year() == r.year && at < 12.0)?;
    Some(((at, r.realised.count as f64), (12.0, f.count as f64)))
}

/// `through` as months since 1 January (31 December is 12).
fn through_in_months(r: &Realisation) -> f64 {
    let days = month_end(r.year, 12).map_or(365, |d| d.ordinal());
    if r.through.year() != r.year {
        return 0.0;
    }
    f64::from(r.through.ordinal()) / f64::from(days) * 12.0
}

/// The report's findings in plain Dutch sentences, generated from the figures (the office page's
/// headline and the annual report's summary): "In 2025 voerden we 1.240 van de 1.400 geplande
/// controles uit (88,6 %), ..."
pub fn summary(r: &Realisation) -> Vec<String> {
    use crate::nl::{decimal, grouped};
    let pct = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{} %", decimal(v, 1)));
    let whole_year = Some(r.through) == month_end(r.year, 12);
    let when = if whole_year {
        format!("In {}", r.year)
    } else {
        format!(
            "In {} tot en met {:02}-{:02}-{}",
            r.year,
            r.through.day(),
            r.through.month(),
            r.through.year()
        )
    };
    let mut out = vec![format!(
        "{when} voerden we {} van de {} geplande controles uit ({}), met {} van de {} geplande uren.",
        grouped(r.realised.count as f64, 0),
        grouped(r.planned.count as f64, 0),
        pct(percent(r.realised.count, r.planned.count)),
        grouped(r.realised.hours, 0),
        grouped(r.planned.hours, 0),
    )];
    if let Some(f) = r
        .forecast
        .filter(|_| !whole_year && r.through.year() == r.year)
    {
        out.push(format!(
            "In dit tempo komen we op {} controles aan het eind van het jaar ({} van het plan).",
            grouped(f.count as f64, 0),
            pct(percent(f.count, r.planned.count)),
        ));
    }
    let c = &r.compliance;
    if c.first_inspections > 0 {
        out.push(format!(
            "Bij {} van de {} eerste controles werd geen overtreding gevonden ({}); na hercontrole was {} in orde.",
            grouped(c.compliant_at_first as f64, 0),
            grouped(c.first_inspections as f64, 0),
            pct(c.rate_first),
            pct(c.rate_after_reinspection),
        ));
    }
    let l = &r.lhso;
    if l.violations > 0 {
        out.push(format!(
            "We stelden {} overtredingen vast bij {} controles; {} was een herhaalde overtreding en {} viel in een cel met BOA- of OM-overleg (indicatie {}-{} %).",
            grouped(l.violations as f64, 0),
            grouped(l.inspections_with_violations as f64, 0),
            pct(l.repeat_offence_rate),
            pct(l.boa_share),
            BOA_INDICATION_PERCENT.0,
            BOA_INDICATION_PERCENT.1,
        ));
    }
    let p = &r.penalties;
    if p.forfeited_count + p.collected_count > 0 {
        let forfeited = if p.forfeited_count == 1 {
            "1 dwangsom raakte".to_owned()
        } else {
            format!(
                "{} dwangsommen raakten",
                grouped(p.forfeited_count as f64, 0)
            )
        };
        out.push(format!(
            "{forfeited} verbeurd (€ {}); € {} werd ingevorderd.",
            grouped(p.forfeited_cents as f64 / 100.0, 2),
            grouped(p.collected_cents as f64 / 100.0, 2),
        ));
    }
    out.extend(r.by_focus_point.iter().map(focus_point_sentence));
    out
}

/// A focus point's target as people write it: "75 %", "92,5 %".
pub fn target_nl(percent: f64) -> String {
    let text = crate::nl::decimal(percent, 1);
    format!("{} %", text.strip_suffix(",0").unwrap_or(&text))
}

/// "Speerpunt Veilige garages (doel: ...): naleving bij eerste controle 50,0 %, doel 50 %: gehaald."
pub fn focus_point_sentence(f: &FocusPointRow) -> String {
    use crate::nl::decimal;
    let value = f.value_percent.map_or("nog niet te meten".to_owned(), |v| {
        format!("{} %", decimal(v, 1))
    });
    let verdict = match f.met {
        Some(true) => ": gehaald",
        Some(false) => ": niet gehaald",
        None => "",
    };
    format!(
        "Speerpunt {}: {} {}, doel {}{verdict}.",
        f.title,
        f.measure.label_nl().to_lowercase(),
        value,
        target_nl(f.target_percent),
    )
}

/// The Dutch definition printed next to each figure (office pages and the annual report).
pub fn definitions() -> &'static [(&'static str, &'static str)] {
    &[
        ("realised", "Uitgevoerd: afgeronde controles met een controledatum in de periode; uren zijn de geregistreerde uren van die controles. Een controle telt voor de programmaregel van dezelfde gemeente of provincie en dezelfde branche."),
        ("planned", "Gepland: het aantal en de uren van de regels van het uitvoeringsprogramma voor het jaar."),
        ("forecast", "Prognose: het aantal tot nu toe, doorgetrokken naar 31 december in hetzelfde tempo (per kalenderdag)."),
        ("focus_points", "Speerpunten: per speerpunt het werk van de programmaregels die het dienen, en de indicator gemeten op de controles bij locaties van de gemeenten en sectoren van die regels (realisatie van het geplande aantal, of naleving bij eerste controle of na hercontrole), tegen het doel. Regels zonder sector (projecten) tellen mee in het geplande werk, niet in de controles."),
        ("rate_first", "Naleving bij eerste controle: het aandeel eerste controles (geen hercontroles) zonder overtreding."),
        ("rate_after_reinspection", "Naleving na hercontrole: eerste controles zonder overtreding, plus die waarvan elke overtreding bij de hercontrole hersteld bleek, gedeeld door alle eerste controles."),
        ("all_violations", "LHSO-verdeling, alle overtredingen: elke overtreding telt in haar cel."),
        ("heaviest_per_inspection", "LHSO-verdeling, zwaarste per controle: per controle alleen de zwaarste overtreding (verst van A1; bij gelijke afstand het zwaarste gevolg)."),
        ("repeat_offence_rate", "Recidive: het aandeel overtredingen dat als herhaalde overtreding is ingeschaald."),
        ("deviation_rate", "Afwijking: het aandeel overtredingen met een andere cel dan de voorgestelde."),
        ("boa_share", "BOA-aandeel: het aandeel overtredingen in een cel waarvoor de matrix overleg met een BOA of het OM adviseert (indicatie 2-3 %)."),
        ("interventions", "Interventies: de gekozen interventie per overtreding."),
        ("penalties", "Dwangsommen: zaken waarvan de dwangsom in de periode verbeurd raakte (bij de hercontrole na het besluit, of door het kantoor vastgelegd) met het bedrag uit het besluit, en de ingevorderde bedragen, naar de datum van die stap."),
    ]
}

#[cfg(test)]
mod tests;
