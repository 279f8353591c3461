//! Reference data of the demo agency: the checklist starter library and this year's execution
//! programme, derived from the demo's sites so planned and realised figures are comparable.

use shared::programme::FocusMeasure;
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

/// The demo's focus points: (title, goal, indicator, target %, the sectors whose lines serve it).
const FOCUS_POINTS: [(&str, &str, FocusMeasure, f64, &[&str]); 2] = [
    (
        "Bodem en brandstof",
        "Geen bodemverontreiniging door opslag en verlading van brandstoffen bij tankstations en garages.",
        FocusMeasure::ComplianceFirst,
        75.0,
        &["fuel_station", "garage"],
    ),
    (
        "Veehouderijen op schema",
        "Elke veehouderij binnen haar interval bezocht, vanwege ammoniak en geur.",
        FocusMeasure::Realisation,
        90.0,
        &["livestock"],
    ),
];

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
    // Two focus points (speerpunten) the demo's lines serve. Their ids derive from the agency, so
    // the demo's id sequence (and everything planned from it) stays as it was.
    let mut focus_of: BTreeMap<&str, String> = BTreeMap::new();
    for (n, (title, goal, measure, target, sectors)) in FOCUS_POINTS.iter().enumerate() {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(format!("{agency_id}/focus/{year}/{n}"));
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        let id = uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string();
        let row = db::programme::FocusPointRow {
            id: id.clone(),
            year: i64::from(year),
            title: (*title).to_owned(),
            goal: (*goal).to_owned(),
            measure: measure.as_str().to_owned(),
            target_percent: *target,
            version: 1,
        };
        db::programme::insert_focus_point(tx, agency_id, &row).await?;
        for sector in *sectors {
            focus_of.insert(sector, id.clone());
        }
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
            focus_point_id: focus_of.get(sector).cloned(),
        };
        db::programme::insert(tx, &line).await?;
        lines += 1;
    }
    Ok(lines)
}
