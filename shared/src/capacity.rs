//! Capacity (Omgevingsbesluit art. 13.10): what the risk model asks of the site register in a
//! year (each site's class interval and visit size), next to what the execution programme plans
//! and what the agency has (fte x productive hours), so a gap shows as a figure.
//!
//! Pure: the server assesses each site with `risk::assess_site` and hands the outcome in.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::nl::{decimal, grouped};

/// What one site needs in a year, from its risk assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteNeed {
    pub authority_id: String,
    pub sector: String,
    /// The interval of the site's risk class; `None`: no regular inspection (sample only).
    pub interval_months: Option<u32>,
    /// The hours of one visit of the site's size.
    pub hours_per_visit: f64,
}

/// One programme line, as far as capacity is concerned.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedLine {
    pub authority_id: String,
    /// `None`: work no inspection realises (projects, bedrijfsvoering).
    pub sector: Option<String>,
    pub planned_count: i64,
    pub planned_hours: f64,
}

/// The capacity an agency has in a year, as entered by management.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Available {
    pub fte: f64,
    /// Productive hours per fte in the year (after leave, training, overhead).
    pub productive_hours_per_fte: f64,
}

impl Available {
    pub fn hours(&self) -> f64 {
        self.fte * self.productive_hours_per_fte
    }

    /// Whether the figures are in range: 0 to 10,000 fte, 0 to 2,000 hours per fte.
    pub fn valid(&self) -> bool {
        self.fte.is_finite()
            && self.productive_hours_per_fte.is_finite()
            && (0.0..=10_000.0).contains(&self.fte)
            && (0.0..=2_000.0).contains(&self.productive_hours_per_fte)
    }
}

/// Required against planned for one authority or one sector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedRow {
    /// The authority id, or the sector code.
    pub key: String,
    pub name: String,
    /// Sites with a regular interval.
    pub sites: usize,
    pub required_visits: f64,
    pub required_hours: f64,
    /// Planned by the programme lines with a sector (inspections).
    pub planned_count: i64,
    pub planned_hours: f64,
}

/// The capacity picture of a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Capacity {
    pub year: i32,
    /// The authority the figures are limited to; `None`: the region.
    pub authority_id: Option<String>,
    /// Sites in the register (in scope); `sites_regular` of them have a regular interval.
    pub sites: usize,
    pub sites_regular: usize,
    pub required_visits: f64,
    pub required_hours: f64,
    /// Lines with a sector: planned inspections.
    pub planned_count: i64,
    pub planned_inspection_hours: f64,
    /// All lines, projects and bedrijfsvoering included.
    pub planned_hours: f64,
    /// Entered for the year (region only; `None` when not entered or for one authority).
    pub available: Option<Available>,
    pub available_hours: Option<f64>,
    pub by_authority: Vec<NeedRow>,
    pub by_sector: Vec<NeedRow>,
}

/// Visits a year for a class interval: 12 months / interval (a 24-month class: half a visit).
pub fn visits_per_year(interval_months: Option<u32>) -> f64 {
    match interval_months {
        Some(m) if m > 0 => 12.0 / f64::from(m),
        _ => 0.0,
    }
}

fn add(row: &mut NeedRow, site: Option<&SiteNeed>, line: Option<&PlannedLine>) {
    if let Some(s) = site {
        let visits = visits_per_year(s.interval_months);
        if visits > 0.0 {
            row.sites += 1;
        }
        row.required_visits += visits;
        row.required_hours += visits * s.hours_per_visit;
    }
    if let Some(l) = line {
        row.planned_count += l.planned_count;
        row.planned_hours += l.planned_hours;
    }
}

fn row(key: &str, name: String) -> NeedRow {
    NeedRow {
        key: key.to_owned(),
        name,
        sites: 0,
        required_visits: 0.0,
        required_hours: 0.0,
        planned_count: 0,
        planned_hours: 0.0,
    }
}

/// The year's capacity picture. `names` maps authority ids to names; sites and lines outside
/// `authority` (when given) are left out; `sector_name` names a sector in the rows.
pub fn capacity(
    year: i32,
    authority: Option<&str>,
    sites: &[SiteNeed],
    lines: &[PlannedLine],
    names: &BTreeMap<String, String>,
    sector_name: impl Fn(&str) -> String,
    available: Option<Available>,
) -> Capacity {
    let in_scope = |a: &str| authority.is_none_or(|x| x == a);
    let sites: Vec<&SiteNeed> = sites.iter().filter(|s| in_scope(&s.authority_id)).collect();
    let lines: Vec<&PlannedLine> = lines.iter().filter(|l| in_scope(&l.authority_id)).collect();
    let name_of = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());

    let mut by_authority: BTreeMap<String, NeedRow> = BTreeMap::new();
    let mut by_sector: BTreeMap<String, NeedRow> = BTreeMap::new();
    for s in &sites {
        add(
            by_authority
                .entry(s.authority_id.clone())
                .or_insert_with(|| row(&s.authority_id, name_of(&s.authority_id))),
            Some(s),
            None,
        );
        add(
            by_sector
                .entry(s.sector.clone())
                .or_insert_with(|| row(&s.sector, sector_name(&s.sector))),
            Some(s),
            None,
        );
    }
    let inspection_lines: Vec<&&PlannedLine> =
        lines.iter().filter(|l| l.sector.is_some()).collect();
    for l in &inspection_lines {
        add(
            by_authority
                .entry(l.authority_id.clone())
                .or_insert_with(|| row(&l.authority_id, name_of(&l.authority_id))),
            None,
            Some(l),
        );
        let sector = l.sector.clone().unwrap_or_default();
        add(
            by_sector
                .entry(sector.clone())
                .or_insert_with(|| row(&sector, sector_name(&sector))),
            None,
            Some(l),
        );
    }
    let mut by_authority: Vec<NeedRow> = by_authority.into_values().collect();
    by_authority.sort_by(|a, b| a.name.cmp(&b.name));
    let mut by_sector: Vec<NeedRow> = by_sector.into_values().collect();
    by_sector.sort_by(|a, b| {
        b.required_hours
            .total_cmp(&a.required_hours)
            .then(a.key.cmp(&b.key))
    });

    let available = available.filter(|_| authority.is_none());
    Capacity {
        year,
        authority_id: authority.map(str::to_owned),
        sites: sites.len(),
        sites_regular: sites
            .iter()
            .filter(|s| visits_per_year(s.interval_months) > 0.0)
            .count(),
        required_visits: sites
            .iter()
            .map(|s| visits_per_year(s.interval_months))
            .sum(),
        required_hours: sites
            .iter()
            .map(|s| visits_per_year(s.interval_months) * s.hours_per_visit)
            .sum(),
        planned_count: inspection_lines.iter().map(|l| l.planned_count).sum(),
        planned_inspection_hours: inspection_lines.iter().map(|l| l.planned_hours).sum(),
        planned_hours: lines.iter().map(|l| l.planned_hours).sum(),
        available,
        available_hours: available.map(|a| a.hours()),
        by_authority,
        by_sector,
    }
}

/// The Dutch sentences of the capacity picture, for the page.
pub fn summary(c: &Capacity) -> Vec<String> {
    let mut out = vec![format!(
        "Het risicomodel vraagt in {} {} controles ({} uur) bij {} van de {} locaties; het programma plant {} controles ({} uur) en in totaal {} uur.",
        c.year,
        grouped(c.required_visits.round(), 0),
        grouped(c.required_hours.round(), 0),
        grouped(c.sites_regular as f64, 0),
        grouped(c.sites as f64, 0),
        grouped(c.planned_count as f64, 0),
        grouped(c.planned_inspection_hours.round(), 0),
        grouped(c.planned_hours.round(), 0),
    )];
    let short = c.required_visits - c.planned_count as f64;
    if short > 0.5 {
        out.push(format!(
            "Het programma plant {} controles minder dan het risicomodel vraagt.",
            grouped(short.round(), 0)
        ));
    }
    match (c.available, c.available_hours) {
        (Some(a), Some(hours)) => {
            let gap = hours - c.planned_hours;
            out.push(format!(
                "Beschikbaar: {} fte × {} productieve uren = {} uur; {}",
                decimal(a.fte, 1),
                grouped(a.productive_hours_per_fte, 0),
                grouped(hours.round(), 0),
                if gap >= 0.0 {
                    format!(
                        "het programma past daarbinnen ({} uur over).",
                        grouped(gap.round(), 0)
                    )
                } else {
                    format!(
                        "het programma vraagt {} uur meer dan er is.",
                        grouped((-gap).round(), 0)
                    )
                }
            ));
            let short = c.required_hours - hours;
            if short >= 0.5 {
                out.push(format!(
                    "Voor alles wat het risicomodel vraagt is {} uur meer nodig dan er beschikbaar is.",
                    grouped(short.round(), 0)
                ));
            }
        }
        _ if c.authority_id.is_none() => {
            out.push("De beschikbare capaciteit (fte en productieve uren) is voor dit jaar nog niet ingevuld.".to_owned());
        }
        _ => {}
    }
    out
}

/// What each figure means, in Dutch.
pub const DEFINITIONS: [(&str, &str); 3] = [
    (
        "required",
        "Nodig volgens het risicomodel: per locatie 12 gedeeld door het controle-interval van haar risicoklasse (in maanden), maal de uren van haar bezoekgrootte. Locaties zonder vast interval (alleen steekproef) tellen niet mee.",
    ),
    (
        "planned",
        "Gepland: de programmaregels van het jaar; controles en hun uren uit de regels met een sector, het totaal van de uren uit alle regels (ook projecten en bedrijfsvoering).",
    ),
    (
        "available",
        "Beschikbaar: het aantal fte maal de productieve uren per fte in het jaar, zoals ingevuld door het management.",
    ),
];

#[cfg(test)]
mod tests;
