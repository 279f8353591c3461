//! The field records behind a large agency's history: the visit each inspection was made on and
//! its checklist answers (findings), about three to four per inspection, from the starter
//! template that fits the site. The demo itself loads history without them; the large agency
//! (`schouw generate`) needs them so its database has the size and shape of a real one.

use std::collections::HashMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use shared::checklist::{select_templates, starter_library};

use crate::db::seed::{self, FindingRecord, HistoricVisit, InspectionRecord, SiteRecord};

/// Inspections handled per round: bounds the memory the findings take while they are written.
const ROUND: usize = 5_000;

/// The visits of `inspections` (each carries its `visit_id`), in route order per inspector and day.
pub async fn visits(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    agency_id: &str,
    inspections: &[InspectionRecord],
) -> anyhow::Result<usize> {
    let mut route: HashMap<(&str, &str), i64> = HashMap::new();
    let mut written = 0;
    for round in inspections.chunks(ROUND) {
        let rows: Vec<HistoricVisit> = round
            .iter()
            .filter_map(|i| {
                let visit_id = i.visit_id.clone()?;
                let inspector = i.inspector_id.as_deref()?;
                let order = route.entry((inspector, &i.inspected_on)).or_default();
                *order += 1;
                Some(HistoricVisit {
                    id: visit_id,
                    agency_id: agency_id.to_owned(),
                    site_id: i.site_id.clone(),
                    inspector_id: inspector.to_owned(),
                    planned_date: i.inspected_on.clone(),
                    kind: i.kind.clone(),
                    route_order: *order,
                })
            })
            .collect();
        written += rows.len();
        seed::historic_visits(tx, &rows).await?;
    }
    Ok(written)
}

/// Checklist answers of every inspection that has a visit: the first two to six items of the
/// site's template, answered "ja", with as many "nee" answers (violations) as the inspection
/// found violations. Deterministic for a seed.
pub async fn findings(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    seed_value: u64,
    sites: &[SiteRecord],
    inspections: &[InspectionRecord],
    violations_per_inspection: &HashMap<&str, usize>,
) -> anyhow::Result<usize> {
    let library = starter_library();
    let items_of_site: HashMap<&str, Vec<&str>> = sites
        .iter()
        .map(|s| {
            let activities: Vec<String> =
                serde_json::from_str(&s.activities_json).unwrap_or_default();
            let activities: Vec<&str> = activities.iter().map(String::as_str).collect();
            let items = select_templates(&library, &s.sector, &activities)
                .first()
                .map(|t| t.items.iter().map(|item| item.id.as_str()).collect())
                .unwrap_or_default();
            (s.id.as_str(), items)
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed_value);
    let mut written = 0;
    for round in inspections.chunks(ROUND) {
        let mut rows = Vec::with_capacity(round.len() * 4);
        for inspection in round {
            let Some(visit_id) = &inspection.visit_id else {
                continue;
            };
            let items = items_of_site
                .get(inspection.site_id.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            let count = rng.gen_range(2..=6).min(items.len());
            let violated = violations_per_inspection
                .get(inspection.id.as_str())
                .copied()
                .unwrap_or(0);
            for (n, item) in items.iter().take(count).enumerate() {
                let is_violation = n < violated;
                rows.push(FindingRecord {
                    id: super::uuid(&mut rng),
                    visit_id: visit_id.clone(),
                    inspection_id: inspection.id.clone(),
                    item_id: (*item).to_owned(),
                    answer: if is_violation {
                        r#"{"type":"no"}"#
                    } else {
                        r#"{"type":"yes"}"#
                    },
                    is_violation,
                    updated_at: inspection.finished_at.clone(),
                });
            }
        }
        written += rows.len();
        seed::findings(tx, &rows).await?;
    }
    Ok(written)
}
