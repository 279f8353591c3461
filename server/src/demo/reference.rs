//! Reference data of the demo agency: the checklist starter library and this year's execution
//! programme, derived from the demo's sites so planned and realised figures are comparable.

use std::collections::BTreeMap;

use sqlx::{Any, Transaction};

use crate::db::{self, programme::ProgrammeLineRow, seed::SiteRecord};

/// Dutch product names of the programme per sector, with the typical interval in years and the
/// hours per inspection the demo's inspections take on average (see `demo::inspections`: between
/// 1 and 2 + 4 / interval hours).
const PRODUCTS: [(&str, &str, f64, f64); 9] = [
    ("garage", "Controle garagebedrijven", 2.0, 2.5),
    ("fuel_station", "Controle tankstations", 2.0, 2.5),
    ("hospitality", "Controle horeca", 4.0, 2.0),
    ("livestock", "Controle veehouderijen", 3.0, 2.25),
    ("metal_industry", "Controle metaalindustrie", 2.0, 2.5),
    ("construction", "Controle bouwbedrijven", 5.0, 2.0),
    ("retail", "Controle detailhandel", 5.0, 2.0),
    ("waste_processing", "Controle afvalverwerking", 1.0, 3.5),
    (
        "agriculture",
        "Controle agrarische loonbedrijven",
        3.0,
        2.25,
    ),
];

/// The programme plans the routine visits of the interval plus a quarter for re-inspections and
/// signals, as agencies do.
const EXTRA_FOR_REINSPECTIONS: f64 = 1.25;

pub async fn seed(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    year: i32,
    sites: &[SiteRecord],
    ids: &mut impl FnMut() -> String,
) -> anyhow::Result<usize> {
    let now = db::now_text();
    for template in shared::checklist::starter_library() {
        let body = serde_json::to_string(&template)?;
        db::checklists::insert(
            tx,
            agency_id,
            &template.id,
            i64::from(template.version),
            &template.title,
            &body,
            &now,
        )
        .await?;
    }
    let mut per_line: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for site in sites {
        *per_line
            .entry((site.authority_id.as_str(), site.sector.as_str()))
            .or_default() += 1;
    }
    let mut lines = 0;
    for ((authority_id, sector), count) in per_line {
        let Some(&(_, product, interval, hours)) = PRODUCTS.iter().find(|p| p.0 == sector) else {
            continue;
        };
        let planned = (count as f64 / interval * EXTRA_FOR_REINSPECTIONS).round() as i64;
        let line = ProgrammeLineRow {
            id: ids(),
            agency_id: agency_id.to_owned(),
            year: i64::from(year),
            product: product.to_owned(),
            authority_id: authority_id.to_owned(),
            task_group: if matches!(sector, "retail" | "construction") {
                "plustaak"
            } else {
                "basistaak"
            }
            .to_owned(),
            planned_count: planned,
            planned_hours: planned as f64 * hours,
            version: 1,
            sector: Some(sector.to_owned()),
        };
        db::programme::insert(tx, &line).await?;
        lines += 1;
    }
    Ok(lines)
}
