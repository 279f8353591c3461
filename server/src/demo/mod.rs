//! A deterministic demo region for trying Schouw out: one omgevingsdienst, its nine authorities,
//! about 3,000 sites with three years of inspection history, and the accounts of docs/API.md.
//!
//! Deterministic: the same seed and load date give the same region, so figures in demos, docs and
//! bug reports can be reproduced. History is placed relative to the load date so it stays current.

pub mod enforcement;
pub mod field_records;
pub mod reference;
pub mod region;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use shared::planner::VisitKind;
use shared::visit::InspectionResult;

use crate::auth::hash_password;
use crate::db::seed::{
    self, AgencyRecord, AuthorityRecord, InspectionRecord, SiteRecord, UserRecord, ViolationRecord,
};
use crate::db::{self, Db};
use region::*;

pub const SEED: u64 = 0x5C40_2026;
pub const SITE_COUNT: usize = 3_000;

/// How big a generated region is. The demo is small enough to load at every first start; the
/// large agency (`schouw generate`) is for measuring the office figures at the scale of the
/// biggest omgevingsdiensten (docs/BENCHMARKS.md).
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub sites: usize,
    /// Years of inspection history before the load date.
    pub years: i64,
    /// Inspectors beyond the twelve named ones (`inspecteur13` ..), who share one password hash.
    pub extra_inspectors: usize,
    /// Also the visit of each inspection and its checklist answers (findings).
    pub field_records: bool,
}

impl Scale {
    pub const DEMO: Scale = Scale {
        sites: SITE_COUNT,
        years: 3,
        extra_inspectors: 0,
        field_records: false,
    };

    /// The biggest Dutch omgevingsdiensten: about 600,000 inspections in ten years, with some
    /// two million findings and their violations and cases.
    pub const LARGE: Scale = Scale {
        sites: 136_000,
        years: 10,
        extra_inspectors: 108,
        field_records: true,
    };
}
pub const DEMO_PASSWORD: &str = "schouw-demo";
/// The demo keeps today and the next nine working days planned.
pub const PLAN_WORKDAYS: usize = 10;
const MATRIX_VERSION: &str = "lhso-default-2022";

struct Sector {
    code: &'static str,
    weight: u32,
    names: &'static [&'static str],
    activities: &'static [&'static str],
    /// Typical years between inspections.
    interval_years: f64,
    violation_rate: f64,
    themes: &'static [&'static str],
    rural: bool,
}

const SECTORS: [Sector; 9] = [
    Sector {
        code: "garage",
        weight: 12,
        names: &["Autobedrijf {s}", "Garage {s}", "Autoservice {k}"],
        activities: &[
            "vehicle_repair",
            "hazardous_storage_pgs15",
            "wastewater_discharge",
        ],
        interval_years: 2.0,
        violation_rate: 0.35,
        themes: &["bodem", "gevaarlijke_stoffen", "afval", "lozingen"],
        rural: false,
    },
    Sector {
        code: "fuel_station",
        weight: 4,
        names: &["Tankstation {k}", "Tankstation {s}"],
        activities: &["fuel_dispensing", "storage_tanks"],
        interval_years: 2.0,
        violation_rate: 0.30,
        themes: &["tanks", "bodem", "lozingen"],
        rural: false,
    },
    Sector {
        code: "hospitality",
        weight: 22,
        names: &[
            "Café-Restaurant {s}",
            "Eetcafé De Markt",
            "Hotel {k}",
            "Cafetaria {s}",
            "Zalencentrum {s}",
        ],
        activities: &["hospitality_kitchen", "combustion_plant"],
        interval_years: 4.0,
        violation_rate: 0.20,
        themes: &["geluid", "lucht_geur", "afval", "lozingen"],
        rural: false,
    },
    Sector {
        code: "livestock",
        weight: 20,
        names: &[
            "Melkveebedrijf {s}",
            "Varkenshouderij {s}",
            "Pluimveebedrijf {s}",
            "Maatschap {s}",
        ],
        activities: &[
            "livestock_farming",
            "manure_storage",
            "hazardous_storage_pgs15",
        ],
        interval_years: 3.0,
        violation_rate: 0.30,
        themes: &["dieren", "bodem", "afval", "lucht_geur"],
        rural: true,
    },
    Sector {
        code: "metal_industry",
        weight: 8,
        names: &[
            "Metaalbewerking {s} B.V.",
            "Constructiebedrijf {s}",
            "Plaatwerk {k} B.V.",
        ],
        activities: &[
            "metalworking",
            "surface_treatment",
            "hazardous_storage_pgs15",
        ],
        interval_years: 2.0,
        violation_rate: 0.40,
        themes: &[
            "gevaarlijke_stoffen",
            "lucht_geur",
            "geluid",
            "afval",
            "energie",
        ],
        rural: false,
    },
    Sector {
        code: "construction",
        weight: 6,
        names: &["Bouwbedrijf {s}", "Aannemersbedrijf {s}"],
        activities: &["office_or_retail", "hazardous_storage_pgs15"],
        interval_years: 5.0,
        violation_rate: 0.15,
        themes: &["afval", "gevaarlijke_stoffen"],
        rural: false,
    },
    Sector {
        code: "retail",
        weight: 21,
        names: &["Supermarkt {k}", "Bouwmarkt {s}", "Tuincentrum {s}"],
        activities: &["cooling_installation", "combustion_plant"],
        interval_years: 5.0,
        violation_rate: 0.10,
        themes: &["installaties", "energie", "afval"],
        rural: false,
    },
    Sector {
        code: "waste_processing",
        weight: 2,
        names: &["Recycling {s} B.V.", "Afvalbreker {k}"],
        activities: &["waste_collection", "waste_processing"],
        interval_years: 1.0,
        violation_rate: 0.50,
        themes: &["afval", "bodem", "geluid", "lucht_geur"],
        rural: false,
    },
    Sector {
        code: "agriculture",
        weight: 5,
        names: &["Loonbedrijf {s}", "Agrarisch loonwerk {s}"],
        activities: &["vehicle_repair", "hazardous_storage_pgs15"],
        interval_years: 3.0,
        violation_rate: 0.30,
        themes: &["bodem", "gevaarlijke_stoffen", "afval"],
        rural: true,
    },
];

/// (theme, description, rule reference) of violations found in the demo history.
const VIOLATIONS: [(&str, &str, &str); 13] = [
    (
        "bodem",
        "Geen vloeistofdichte vloer of lekbak onder opslag van vloeistoffen",
        "Bal art. 2.11 (specifieke zorgplicht), bodembeschermende voorziening",
    ),
    (
        "bodem",
        "Geen absorptiemiddel aanwezig bij lekkage",
        "Bal art. 2.11 (specifieke zorgplicht)",
    ),
    (
        "gevaarlijke_stoffen",
        "Opslag gevaarlijke stoffen niet volgens PGS 15",
        "PGS 15:2016, hoofdstuk 3",
    ),
    (
        "tanks",
        "Geen geldig installatiecertificaat opslagtank",
        "PGS 28:2011",
    ),
    (
        "afval",
        "Gevaarlijk afval niet gescheiden gehouden",
        "Bal, afvalscheiding; Wet milieubeheer art. 10.54",
    ),
    (
        "afval",
        "Geen afgiftebewijzen afval aanwezig",
        "Wet milieubeheer art. 10.38",
    ),
    (
        "lozingen",
        "Olie- en slibafscheider niet onderhouden",
        "Bal, lozen via olie- en slibafscheider",
    ),
    (
        "lucht_geur",
        "Afzuiging zonder werkend filter",
        "Omgevingsvergunning, voorschrift luchtemissie",
    ),
    (
        "geluid",
        "Geluidsniveau boven de norm in de avond",
        "Omgevingsplan, geluidregels",
    ),
    (
        "installaties",
        "Lekcontrole koelinstallatie (F-gassen) niet uitgevoerd",
        "Verordening (EU) 2024/573 art. 5",
    ),
    (
        "energie",
        "Energiebesparende maatregelen niet uitgevoerd",
        "Bal art. 5.15 (energiebesparingsplicht)",
    ),
    (
        "dieren",
        "Aantal dieren groter dan vergund",
        "Omgevingsvergunning, voorschrift dieraantallen",
    ),
    (
        "dieren",
        "Luchtwasser niet in werking of logboek ontbreekt",
        "Omgevingsvergunning, voorschrift luchtwassysteem",
    ),
];

pub struct DemoSummary {
    pub authorities: usize,
    pub sites: usize,
    pub inspections: usize,
    pub violations: usize,
    /// Checklist answers; the demo loads none.
    pub findings: usize,
}

impl std::fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Demoregio {AGENCY_NAME} geladen: {} bevoegde gezagen, {} locaties, {} controles, {} overtredingen.",
            self.authorities, self.sites, self.inspections, self.violations
        )?;
        if self.findings > 0 {
            write!(f, " Met {} bevindingen.", self.findings)?;
        }
        Ok(())
    }
}

/// The accounts of the demo, for the run command's banner.
pub fn accounts_help() -> String {
    format!(
        "Demo-accounts (wachtwoord `{DEMO_PASSWORD}`): inspecteur1 .. inspecteur12 (toezichthouder), \
         teamleider1, teamleider2 (teamleider), manager, gemeente1 (gemeente Aalten), admin."
    )
}

/// Loads the demo region when the database holds no sites; `None` when it already had data.
pub async fn load_if_empty(db: &Db, today: NaiveDate) -> anyhow::Result<Option<DemoSummary>> {
    load_scaled_if_empty(db, today, Scale::DEMO).await
}

/// Loads a region of any scale when the database holds no sites; `None` when it already had data.
pub async fn load_scaled_if_empty(
    db: &Db,
    today: NaiveDate,
    scale: Scale,
) -> anyhow::Result<Option<DemoSummary>> {
    if db::sites::count(&db.pool).await? > 0 {
        return Ok(None);
    }
    let region = tokio::task::spawn_blocking(move || generate_scaled(today, scale)).await??;
    let mut tx = db.pool.begin().await?;
    db::reports::pause_fact_versions(&mut tx, db.backend).await?;
    let findings = region.insert(&mut tx).await?;
    let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ 0x0050_0060);
    let mut ids = || uuid(&mut rng);
    reference::seed(
        &mut tx,
        &region.agency_id,
        today.year(),
        &region.sites,
        &mut ids,
    )
    .await?;
    db::reports::bump_all_fact_versions(&mut tx, db.backend).await?;
    tx.commit().await?;
    Ok(Some(DemoSummary {
        findings,
        ..region.summary()
    }))
}

struct DemoUser {
    id: String,
    username: String,
    name: String,
    role: &'static str,
    authority_id: Option<String>,
    password_hash: String,
    team: Option<&'static str>,
}

/// The demo agency's two field teams; inspectors and team leads alternate between them.
const TEAMS: [&str; 2] = ["Team Noord", "Team Zuid"];

/// The whole region in memory, before it is written in one transaction.
pub struct Region {
    scale: Scale,
    agency_id: String,
    authorities: Vec<(String, &'static str, &'static str, &'static str)>,
    users: Vec<DemoUser>,
    /// (inspector id, lat, lon) of where each inspector's day starts.
    inspector_starts: Vec<(String, f64, f64)>,
    pub sites: Vec<SiteRecord>,
    pub inspections: Vec<InspectionRecord>,
    pub violations: Vec<ViolationRecord>,
    pub cases: Vec<enforcement::DemoCase>,
}

fn uuid(rng: &mut ChaCha8Rng) -> String {
    uuid::Builder::from_random_bytes(rng.gen())
        .into_uuid()
        .to_string()
}

fn pick_weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut roll = rng.gen_range(0..total);
    for item in items {
        let w = weight(item);
        if roll < w {
            return item;
        }
        roll -= w;
    }
    &items[items.len() - 1]
}

/// A point uniformly inside a circle of `radius_km` around the centre (equirectangular, fine at this scale).
fn point_near(rng: &mut ChaCha8Rng, lat: f64, lon: f64, radius_km: f64) -> (f64, f64) {
    let r = radius_km * rng.gen::<f64>().sqrt();
    let theta = rng.gen::<f64>() * std::f64::consts::TAU;
    let dlat = r * theta.sin() / 111.32;
    let dlon = r * theta.cos() / (111.32 * lat.to_radians().cos());
    (
        ((lat + dlat) * 1e6).round() / 1e6,
        ((lon + dlon) * 1e6).round() / 1e6,
    )
}

/// Generates the region: pure and deterministic for a load date. Password hashing makes it take a
/// moment, so callers run it off the async runtime.
pub fn generate(today: NaiveDate) -> anyhow::Result<Region> {
    generate_scaled(today, Scale::DEMO)
}

/// The region at any scale, from the demo's seed: deterministic for a scale and load date.
pub fn generate_scaled(today: NaiveDate, scale: Scale) -> anyhow::Result<Region> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let agency_id = uuid(&mut rng);
    let province_id = uuid(&mut rng);
    let mut authorities = vec![(
        province_id.clone(),
        "province",
        PROVINCE_CODE,
        PROVINCE_NAME,
    )];
    for m in &MUNICIPALITIES {
        authorities.push((uuid(&mut rng), "municipality", m.cbs_code, m.name));
    }
    let authority_of = |code: &str| {
        authorities
            .iter()
            .find(|a| a.2 == code)
            .map(|a| a.0.clone())
            .expect("every kern names a listed municipality")
    };

    // Accounts. One argon2 hash per account (own salt each), as a real system would have.
    let mut users = Vec::new();
    let mut add_user = |rng: &mut ChaCha8Rng,
                        username: String,
                        name: &str,
                        role: &'static str,
                        authority: Option<String>|
     -> anyhow::Result<String> {
        let id = uuid(rng);
        users.push(DemoUser {
            id: id.clone(),
            username,
            name: name.to_owned(),
            role,
            authority_id: authority,
            password_hash: hash_password(DEMO_PASSWORD)?,
            team: None,
        });
        Ok(id)
    };
    let mut inspector_ids = Vec::new();
    for (i, name) in INSPECTOR_NAMES.iter().enumerate() {
        inspector_ids.push(add_user(
            &mut rng,
            format!("inspecteur{}", i + 1),
            name,
            "inspector",
            None,
        )?);
    }
    for (i, name) in TEAM_LEAD_NAMES.iter().enumerate() {
        add_user(
            &mut rng,
            format!("teamleider{}", i + 1),
            name,
            "team_lead",
            None,
        )?;
    }
    add_user(&mut rng, "manager".into(), MANAGER_NAME, "manager", None)?;
    add_user(
        &mut rng,
        "gemeente1".into(),
        AUTHORITY_VIEWER_NAME,
        "authority_viewer",
        Some(authority_of(MUNICIPALITIES[0].cbs_code)),
    )?;
    add_user(&mut rng, "admin".into(), ADMIN_NAME, "admin", None)?;
    // Extra inspectors (large agencies only) share one hash: hashing is deliberately slow.
    let shared_hash = (scale.extra_inspectors > 0)
        .then(|| hash_password(DEMO_PASSWORD))
        .transpose()?;
    for n in 0..scale.extra_inspectors {
        let id = uuid(&mut rng);
        let number = INSPECTOR_NAMES.len() + n + 1;
        users.push(DemoUser {
            id: id.clone(),
            username: format!("inspecteur{number}"),
            name: format!("Inspecteur {number}"),
            role: "inspector",
            authority_id: None,
            password_hash: shared_hash.clone().unwrap_or_default(),
            team: None,
        });
        inspector_ids.push(id);
    }
    for role in ["inspector", "team_lead"] {
        for (n, user) in users.iter_mut().filter(|u| u.role == role).enumerate() {
            user.team = Some(TEAMS[n % TEAMS.len()]);
        }
    }
    let inspector_starts = inspector_ids
        .iter()
        .zip(INSPECTOR_KERNEN.iter().cycle())
        .map(|(id, kern)| {
            let kern = KERNEN
                .iter()
                .find(|k| k.name == *kern)
                .expect("every inspector's kern is listed");
            (id.clone(), kern.lat, kern.lon)
        })
        .collect();

    let mut sites = Vec::with_capacity(scale.sites);
    let mut inspections = Vec::new();
    let mut violations = Vec::new();
    for n in 0..scale.sites {
        let municipality = pick_weighted(&mut rng, &MUNICIPALITIES, |m| m.weight);
        let kernen: Vec<&Kern> = KERNEN
            .iter()
            .filter(|k| k.municipality == municipality.cbs_code)
            .collect();
        let kern = *pick_weighted(&mut rng, &kernen, |k| k.weight);
        let sector = pick_weighted(&mut rng, &SECTORS, |s| s.weight);
        let surname = SURNAMES.choose(&mut rng).expect("non-empty");
        let name = sector
            .names
            .choose(&mut rng)
            .expect("non-empty")
            .replace("{s}", surname)
            .replace("{k}", kern.name);
        let street = if sector.rural {
            RURAL_ROADS.choose(&mut rng)
        } else {
            STREETS.choose(&mut rng)
        }
        .expect("non-empty");
        let (lat, lon) = point_near(&mut rng, kern.lat, kern.lon, kern.radius_km);
        let letters = [
            "AB", "AC", "BD", "CG", "DH", "EK", "GL", "HM", "JN", "KP", "LR", "MS", "NT", "PV",
            "RX", "SZ",
        ];
        let postcode = format!(
            "{} {}",
            kern.postcode_prefix + rng.gen_range(0..4),
            letters.choose(&mut rng).expect("non-empty")
        );
        // Large waste and metal companies are often under the province's competence.
        let province =
            matches!(sector.code, "waste_processing" | "metal_industry") && rng.gen_bool(0.35);
        let authority_id = if province {
            province_id.clone()
        } else {
            authority_of(municipality.cbs_code)
        };
        let mut surroundings = Vec::new();
        for (kind, p) in [
            ("homes", if sector.rural { 0.3 } else { 0.7 }),
            ("school", 0.08),
            ("nature", if sector.rural { 0.3 } else { 0.05 }),
            ("surface_water", 0.12),
        ] {
            if rng.gen_bool(p) {
                surroundings.push(kind);
            }
        }
        let activities: Vec<&str> = sector
            .activities
            .iter()
            .copied()
            .filter(|_| rng.gen_bool(0.8))
            .collect();
        let activities = if activities.is_empty() {
            vec![sector.activities[0]]
        } else {
            activities
        };
        let attributes = serde_json::json!({
            "employees": rng.gen_range(1..(if sector.code == "metal_industry" { 120 } else { 25 })),
            "waste_tonnes_per_year": (rng.gen::<f64>() * if sector.code == "waste_processing" { 20000.0 } else { 40.0 }).round(),
            "energy_kwh_per_year": (rng.gen::<f64>().powi(2) * 400_000.0).round(),
            "fuel_m3_per_year": (rng.gen::<f64>().powi(2) * 60_000.0).round(),
            "hazardous_substances_tonnes": if activities.contains(&"hazardous_storage_pgs15") { f64::from(rng.gen_range(50..5000)) / 1000.0 } else { 0.0 },
            "animals": if sector.code == "livestock" { rng.gen_range(40..4000) } else { 0 },
        });
        let site_id = uuid(&mut rng);
        sites.push(SiteRecord {
            id: site_id.clone(),
            agency_id: agency_id.clone(),
            authority_id,
            external_key: format!("ODA-{:05}", n + 1),
            name,
            street: (*street).to_owned(),
            house_number: rng.gen_range(1..180).to_string(),
            postcode,
            city: kern.name.to_owned(),
            lat,
            lon,
            sector: sector.code.to_owned(),
            activities_json: serde_json::to_string(&activities)?,
            surroundings_json: serde_json::to_string(&surroundings)?,
            attributes_json: attributes.to_string(),
        });
        history(
            &mut rng,
            today,
            scale.years,
            &site_id,
            sector,
            &inspector_ids,
            &mut inspections,
            &mut violations,
        );
    }
    if scale.field_records {
        for inspection in &mut inspections {
            inspection.visit_id = Some(uuid(&mut rng));
        }
    }
    let cases = enforcement::cases(
        &mut rng,
        today,
        &agency_id,
        &sites,
        &inspections,
        &mut violations,
        &mut uuid,
    );
    Ok(Region {
        scale,
        agency_id,
        authorities,
        users,
        inspector_starts,
        sites,
        inspections,
        violations,
        cases,
    })
}

/// `years` of inspections of one site, with violations scored in the LHSO matrix and
/// re-inspections after their remedy deadline.
#[allow(clippy::too_many_arguments)]
fn history(
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
    years: i64,
    site_id: &str,
    sector: &Sector,
    inspectors: &[String],
    inspections: &mut Vec<InspectionRecord>,
    violations: &mut Vec<ViolationRecord>,
) {
    let start = today - Duration::days(years * 365);
    let interval = (sector.interval_years * 365.0) as i64;
    // The first visit falls somewhere in the first interval, so some sites have no history yet.
    let mut date = start + Duration::days(rng.gen_range(0..interval.max(1)));
    let mut previous_themes: Vec<&str> = Vec::new();
    // Sites differ: some comply well, some keep breaking the rules.
    let compliance_bias: f64 = rng.gen_range(0.4..1.8);
    while date < today - Duration::days(3) {
        let date_is_workday = date.weekday().number_from_monday() <= 5;
        if !date_is_workday {
            date += Duration::days(8 - i64::from(date.weekday().number_from_monday()));
            continue;
        }
        let inspector = inspectors.choose(rng).expect("inspectors exist").clone();
        let inspection_id = uuid(rng);
        let hours: f64 =
            (rng.gen_range(1.0..(2.0 + sector.interval_years.recip() * 4.0)) * 4.0_f64).round()
                / 4.0;
        let start_time = NaiveTime::from_hms_opt(rng.gen_range(8..15), rng.gen_range(0..4) * 15, 0)
            .expect("valid time");
        let started = date.and_time(start_time).and_utc();
        let finished = started + Duration::minutes((hours * 60.0 * 0.6) as i64);
        let violates = rng.gen_bool((sector.violation_rate * compliance_bias).min(0.95));
        let mut themes_now = Vec::new();
        let mut latest_deadline = None;
        if violates {
            let count = 1 + usize::from(rng.gen_bool(0.3)) + usize::from(rng.gen_bool(0.1));
            for _ in 0..count {
                let theme = *sector.themes.choose(rng).expect("non-empty");
                let options: Vec<_> = VIOLATIONS.iter().filter(|v| v.0 == theme).collect();
                let Some(&&(_, description, rule_ref)) = options.choose(rng) else {
                    continue;
                };
                let repeat = previous_themes.contains(&theme);
                let consequence =
                    *pick_weighted(rng, &[(1, 40), (2, 40), (3, 15), (4, 5)], |c| c.1);
                let behaviour =
                    *pick_weighted(rng, &[("A", 60), ("B", 28), ("C", 9), ("D", 3)], |b| b.1);
                // Repeat offences push behaviour at least to indifferent (B).
                let behaviour = if repeat && behaviour.0 == "A" {
                    ("B", 0)
                } else {
                    behaviour
                };
                let cell = format!("{}{}", behaviour.0, consequence.0);
                let deviated = rng.gen_bool(0.06);
                let suggested = if deviated {
                    format!("{}{}", behaviour.0, (consequence.0 % 4) + 1)
                } else {
                    cell.clone()
                };
                let (intervention, remedy_days) = demo_intervention(consequence.0, behaviour.0);
                // One inspector of the demo is habitually lenient, so the team lead's
                // equal-treatment view has something to find (decided without the random
                // generator, so the rest of the region stays as it was).
                let intervention = if inspectors.get(LENIENT_INSPECTOR) == Some(&inspector)
                    && inspection_id.ends_with(|c: char| c < 'c')
                {
                    one_level_lighter(intervention)
                } else {
                    intervention
                };
                let deadline = remedy_days.map(|d| date + Duration::days(d));
                let remedied = deadline
                    .filter(|d| *d < today)
                    .map(|d| d - Duration::days(rng.gen_range(0..20)));
                if let Some(d) = deadline {
                    latest_deadline = latest_deadline.max(Some(d));
                }
                violations.push(ViolationRecord {
                    id: uuid(rng),
                    inspection_id: inspection_id.clone(),
                    site_id: site_id.to_owned(),
                    theme: theme.to_owned(),
                    description: description.to_owned(),
                    rule_ref: rule_ref.to_owned(),
                    consequence: consequence.0,
                    behaviour: behaviour.0.to_owned(),
                    cell,
                    suggested_cell: suggested,
                    deviation_reason: deviated.then(|| {
                        "Overtreding is direct ter plaatse hersteld; ernst lager ingeschat."
                            .to_owned()
                    }),
                    matrix_version: MATRIX_VERSION.to_owned(),
                    repeat_offence: repeat,
                    intervention: intervention.to_owned(),
                    remedy_deadline: deadline.map(|d| d.to_string()),
                    remedied_on: remedied.map(|d| d.to_string()),
                });
                themes_now.push(theme);
            }
        }
        inspections.push(InspectionRecord {
            id: inspection_id,
            visit_id: None,
            site_id: site_id.to_owned(),
            inspector_id: Some(inspector.clone()),
            kind: VisitKind::Planned.as_str().into(),
            inspected_on: date.to_string(),
            started_at: db::time_text(started),
            finished_at: db::time_text(finished),
            hours_spent: hours,
            result: if themes_now.is_empty() {
                InspectionResult::Compliant
            } else {
                InspectionResult::Violations
            }
            .as_str()
            .into(),
        });
        // A re-inspection after the remedy deadline, when that has passed.
        if let Some(deadline) = latest_deadline.filter(|d| *d + Duration::days(3) < today) {
            let on = deadline + Duration::days(rng.gen_range(1..10));
            if on < today {
                inspections.push(InspectionRecord {
                    id: uuid(rng),
                    visit_id: None,
                    site_id: site_id.to_owned(),
                    inspector_id: Some(inspector),
                    kind: VisitKind::Reinspection.as_str().into(),
                    inspected_on: on.to_string(),
                    started_at: db::time_text(on.and_time(start_time).and_utc()),
                    finished_at: db::time_text(
                        on.and_time(start_time).and_utc() + Duration::minutes(45),
                    ),
                    hours_spent: 1.0,
                    result: InspectionResult::Compliant.as_str().into(),
                });
            }
        }
        previous_themes = themes_now;
        let jitter = rng.gen_range(-(interval / 5)..=(interval / 5));
        date += Duration::days(interval + jitter);
    }
}

/// The demo inspector (by index) who often chooses one level lighter than the team.
const LENIENT_INSPECTOR: usize = 3;

/// The next lighter intervention of the demo's vocabulary.
fn one_level_lighter(intervention: &'static str) -> &'static str {
    match intervention {
        "warn" => "inform",
        "penalty_order" => "warn",
        "enforcement_order" => "penalty_order",
        "official_report" => "enforcement_order",
        other => other,
    }
}

/// Interventions recorded in the demo history, following the default LHSO policy: inform or warn
/// with a deadline in low cells, penalty orders in the middle, criminal law in the highest.
fn demo_intervention(consequence: i64, behaviour: &str) -> (&'static str, Option<i64>) {
    let severity = consequence + i64::from(behaviour.as_bytes()[0] - b'A');
    match severity {
        1 => ("inform", Some(42)),
        2 => ("warn", Some(28)),
        3 => ("warn", Some(28)),
        4 => ("penalty_order", Some(28)),
        5 => ("enforcement_order", Some(14)),
        6 => ("enforcement_order", Some(7)),
        _ => ("official_report", Some(7)),
    }
}

impl Region {
    pub fn summary(&self) -> DemoSummary {
        DemoSummary {
            authorities: self.authorities.len(),
            sites: self.sites.len(),
            inspections: self.inspections.len(),
            violations: self.violations.len(),
            findings: 0,
        }
    }

    /// Writes the region; returns how many findings it wrote.
    async fn insert(&self, tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> anyhow::Result<usize> {
        seed::agency(
            tx,
            &AgencyRecord {
                id: &self.agency_id,
                code: AGENCY_CODE,
                name: AGENCY_NAME,
            },
        )
        .await?;
        for (id, kind, code, name) in &self.authorities {
            seed::authority(
                tx,
                &AuthorityRecord {
                    id,
                    agency_id: &self.agency_id,
                    kind,
                    cbs_code: code,
                    name,
                },
            )
            .await?;
        }
        let now = db::now_text();
        for user in &self.users {
            seed::user(
                tx,
                &UserRecord {
                    id: &user.id,
                    agency_id: &self.agency_id,
                    username: &user.username,
                    display_name: &user.name,
                    role: user.role,
                    authority_id: user.authority_id.as_deref(),
                    password_hash: &user.password_hash,
                    created_at: &now,
                    team: user.team,
                },
            )
            .await?;
        }
        for (id, lat, lon) in &self.inspector_starts {
            seed::user_start_location(tx, id, *lat, *lon).await?;
        }
        // The same multi-row insert the site import uses.
        db::sites::insert_many(tx, &self.sites).await?;
        if self.scale.field_records {
            field_records::visits(tx, &self.agency_id, &self.inspections).await?;
        }
        seed::inspections(tx, &self.inspections).await?;
        let matrix = shared::lhso::MatrixConfig::default_2022();
        seed::violations(tx, &self.violations, |v| {
            v.cell
                .parse()
                .is_ok_and(|cell| matrix.cell(cell).boa_consultation)
        })
        .await?;
        seed::cases(tx, &self.cases).await?;
        if !self.scale.field_records {
            return Ok(0);
        }
        let mut per_inspection: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::new();
        for v in &self.violations {
            *per_inspection.entry(v.inspection_id.as_str()).or_default() += 1;
        }
        field_records::findings(
            tx,
            SEED ^ 0x00F1_4D16,
            &self.sites,
            &self.inspections,
            &per_inspection,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    #[test]
    fn the_demo_is_the_same_for_the_same_load_date() {
        let a = generate(day()).unwrap();
        let b = generate(day()).unwrap();
        assert_eq!(a.sites.len(), SITE_COUNT);
        assert_eq!(
            a.sites.iter().map(|s| &s.id).collect::<Vec<_>>(),
            b.sites.iter().map(|s| &s.id).collect::<Vec<_>>()
        );
        assert_eq!(a.inspections.len(), b.inspections.len());
        assert_eq!(a.violations.len(), b.violations.len());
    }

    #[test]
    fn every_site_lies_within_its_kern_radius_and_all_municipalities_have_sites() {
        let region = generate(day()).unwrap();
        for site in &region.sites {
            let kern = KERNEN.iter().find(|k| k.name == site.city).unwrap();
            let dlat = (site.lat - kern.lat) * 111.32;
            let dlon = (site.lon - kern.lon) * 111.32 * kern.lat.to_radians().cos();
            assert!(
                (dlat * dlat + dlon * dlon).sqrt() <= kern.radius_km + 0.01,
                "{} too far from {}",
                site.name,
                kern.name
            );
        }
        for m in &MUNICIPALITIES {
            let id = &region
                .authorities
                .iter()
                .find(|a| a.2 == m.cbs_code)
                .unwrap()
                .0;
            assert!(
                region
                    .sites
                    .iter()
                    .filter(|s| &s.authority_id == id)
                    .count()
                    > 100,
                "{}",
                m.name
            );
        }
    }

    #[test]
    fn a_scaled_region_has_its_years_its_inspectors_and_a_visit_per_inspection() {
        let scale = Scale {
            sites: 300,
            years: 10,
            extra_inspectors: 3,
            field_records: true,
        };
        let region = generate_scaled(day(), scale).unwrap();
        assert_eq!(region.sites.len(), 300);
        let inspectors: Vec<&DemoUser> = region
            .users
            .iter()
            .filter(|u| u.role == "inspector")
            .collect();
        assert_eq!(inspectors.len(), INSPECTOR_NAMES.len() + 3);
        assert_eq!(inspectors.last().unwrap().username, "inspecteur15");
        assert_eq!(
            region.inspector_starts.len(),
            inspectors.len(),
            "every inspector starts somewhere"
        );
        let oldest = region
            .inspections
            .iter()
            .map(|i| i.inspected_on.as_str())
            .min()
            .unwrap();
        assert!(oldest < "2017-06-01", "ten years of history: {oldest}");
        let visits: std::collections::HashSet<&str> = region
            .inspections
            .iter()
            .map(|i| i.visit_id.as_deref().expect("a visit per inspection"))
            .collect();
        assert_eq!(visits.len(), region.inspections.len(), "one visit each");
        assert!(
            generate(day())
                .unwrap()
                .inspections
                .iter()
                .all(|i| i.visit_id.is_none()),
            "the demo has none"
        );
    }

    #[test]
    fn history_spans_three_years_with_violations_in_lhso_cells() {
        let region = generate(day()).unwrap();
        let oldest = region
            .inspections
            .iter()
            .map(|i| i.inspected_on.as_str())
            .min()
            .unwrap();
        assert!(oldest < "2024-01-01");
        assert!(region
            .inspections
            .iter()
            .all(|i| i.inspected_on.as_str() < "2026-11-29"));
        assert!(region.violations.len() > 500);
        for v in &region.violations {
            assert!(
                matches!(v.cell.as_bytes(), [b'A'..=b'D', b'1'..=b'4']),
                "{}",
                v.cell
            );
            assert_eq!(v.cell, format!("{}{}", v.behaviour, v.consequence));
        }
    }
}
