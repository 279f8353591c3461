//! Objects written straight into a test server's database: a second agency ("foreign tenant") and
//! single sites, visits and programme lines where a test needs exact, known ids.

use sqlx::{Any, Transaction};

use server::db::{self, planning::NewVisit, programme::ProgrammeLineRow, seed};

use crate::TestServer;

type Tx<'c> = Transaction<'c, Any>;

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A second agency on the same server with one authority, a site, a visit, a programme line, a
/// checklist template and two users (an inspector and a team lead, password `schouw-demo`).
/// Every name in it contains `marker`, so a test can tell when any of it leaks into an answer.
#[derive(Debug, Clone)]
pub struct ForeignTenant {
    pub agency_id: String,
    pub authority_id: String,
    pub authority_code: String,
    pub site_id: String,
    pub visit_id: String,
    pub inspector_id: String,
    pub inspector_username: String,
    pub team_lead_id: String,
    pub line_id: String,
    pub template_id: String,
    pub template_version: i64,
}

impl ForeignTenant {
    /// Every id of the tenant: none may appear in an answer to a user of another agency.
    pub fn ids(&self) -> Vec<&str> {
        vec![
            &self.agency_id,
            &self.authority_id,
            &self.site_id,
            &self.visit_id,
            &self.inspector_id,
            &self.team_lead_id,
            &self.line_id,
        ]
    }
}

/// Creates the foreign tenant with its visit on `date` and its programme line in `year`. Its
/// checklist template reuses `template_id` (an id the other agency has too) with version 99.
pub async fn foreign_tenant(
    server: &TestServer,
    marker: &str,
    date: chrono::NaiveDate,
    year: i64,
    template_id: &str,
) -> ForeignTenant {
    let hash = server::auth::hash_password(server::demo::DEMO_PASSWORD).expect("hash");
    let tenant = ForeignTenant {
        agency_id: new_id(),
        authority_id: new_id(),
        authority_code: "GM0289".to_owned(),
        site_id: String::new(),
        visit_id: String::new(),
        inspector_id: new_id(),
        inspector_username: format!("{}-inspecteur", marker.to_lowercase()),
        team_lead_id: new_id(),
        line_id: String::new(),
        template_id: template_id.to_owned(),
        template_version: 99,
    };
    let mut tx = server.state.db.pool.begin().await.expect("begin");
    seed::agency(
        &mut tx,
        &seed::AgencyRecord {
            id: &tenant.agency_id,
            code: "ODV",
            name: &format!("Omgevingsdienst {marker}"),
        },
    )
    .await
    .expect("agency");
    seed::authority(
        &mut tx,
        &seed::AuthorityRecord {
            id: &tenant.authority_id,
            agency_id: &tenant.agency_id,
            kind: "municipality",
            cbs_code: &tenant.authority_code,
            name: &format!("Gemeente {marker}"),
        },
    )
    .await
    .expect("authority");
    for (id, username, role) in [
        (
            &tenant.inspector_id,
            tenant.inspector_username.clone(),
            "inspector",
        ),
        (
            &tenant.team_lead_id,
            format!("{}-teamleider", marker.to_lowercase()),
            "team_lead",
        ),
    ] {
        seed::user(
            &mut tx,
            &seed::UserRecord {
                id,
                agency_id: &tenant.agency_id,
                username: &username,
                display_name: &format!("{role} {marker}"),
                role,
                authority_id: None,
                password_hash: &hash,
                created_at: "2026-11-30T08:00:00Z",
                team: None,
            },
        )
        .await
        .expect("user");
    }
    let site_id = insert_site(
        &mut tx,
        &tenant.agency_id,
        &tenant.authority_id,
        &format!("{marker}-SITE"),
        &format!("Garage {marker}"),
    )
    .await;
    let visit_id = insert_visit(
        &mut tx,
        &tenant.agency_id,
        &site_id,
        &tenant.inspector_id,
        date,
    )
    .await;
    let line_id = insert_line(
        &mut tx,
        &tenant.agency_id,
        &tenant.authority_id,
        year,
        &format!("Controle {marker}"),
    )
    .await;
    let body = serde_json::json!({"id": template_id, "version": 99, "title": format!("Checklist {marker}"),
        "sectors": [], "activities": [], "items": []});
    db::checklists::insert(
        &mut tx,
        &tenant.agency_id,
        template_id,
        99,
        &format!("Checklist {marker}"),
        &body.to_string(),
        "2026-11-30T08:00:00Z",
    )
    .await
    .expect("checklist template");
    tx.commit().await.expect("commit");
    ForeignTenant {
        site_id,
        visit_id,
        line_id,
        ..tenant
    }
}

/// Publishes a checklist template version (`body` with its `id`, `version` and `title`) for the
/// agency, as the reference data loader does: there is no HTTP endpoint for it.
pub async fn publish_template(server: &TestServer, agency_id: &str, body: &serde_json::Value) {
    let mut tx = server.state.db.pool.begin().await.expect("begin");
    db::checklists::insert(
        &mut tx,
        agency_id,
        body["id"].as_str().expect("template id"),
        body["version"].as_i64().expect("template version"),
        body["title"].as_str().expect("template title"),
        &body.to_string(),
        "2026-11-30T12:00:00Z",
    )
    .await
    .expect("checklist template version");
    tx.commit().await.expect("commit");
}

/// A garage near Aalten under `authority_id`; returns its id.
pub async fn insert_site(
    tx: &mut Tx<'_>,
    agency_id: &str,
    authority_id: &str,
    external_key: &str,
    name: &str,
) -> String {
    let id = new_id();
    db::sites::insert_many(
        tx,
        &[seed::SiteRecord {
            id: id.clone(),
            agency_id: agency_id.to_owned(),
            authority_id: authority_id.to_owned(),
            external_key: external_key.to_owned(),
            name: name.to_owned(),
            street: "Markt".into(),
            house_number: "1".into(),
            postcode: "7121 AB".into(),
            city: "Aalten".into(),
            lat: 51.925,
            lon: 6.581,
            sector: "garage".into(),
            activities_json: "[]".into(),
            surroundings_json: "[]".into(),
            attributes_json: "{}".into(),
        }],
    )
    .await
    .expect("site");
    id
}

/// A planned visit, first of the inspector's day; returns its id.
pub async fn insert_visit(
    tx: &mut Tx<'_>,
    agency_id: &str,
    site_id: &str,
    inspector_id: &str,
    date: chrono::NaiveDate,
) -> String {
    let id = new_id();
    db::planning::insert_visit(
        tx,
        &NewVisit {
            id: id.clone(),
            agency_id: agency_id.to_owned(),
            site_id: site_id.to_owned(),
            inspector_id: inspector_id.to_owned(),
            planned_date: date.to_string(),
            kind: "planned",
            size: "M",
            route_order: 1,
            priority_json: r#"{"score":1.0,"factors":[]}"#.to_owned(),
            score: 1.0,
        },
        "2026-11-30T08:00:00Z",
    )
    .await
    .expect("visit");
    id
}

/// A programme line (task group `project`, 10 visits, 40 hours); returns its id.
pub async fn insert_line(
    tx: &mut Tx<'_>,
    agency_id: &str,
    authority_id: &str,
    year: i64,
    product: &str,
) -> String {
    let id = new_id();
    db::programme::insert(
        tx,
        &ProgrammeLineRow {
            id: id.clone(),
            agency_id: agency_id.to_owned(),
            year,
            product: product.to_owned(),
            authority_id: authority_id.to_owned(),
            task_group: "project".to_owned(),
            planned_count: 10,
            planned_hours: 40.0,
            version: 1,
            sector: None,
            focus_point_id: None,
        },
    )
    .await
    .expect("programme line");
    id
}

/// A violation found at `site_id` on `found_on` (cell B2, an inspection of its own) with an
/// enforcement case in the state `file` says; returns the case's id.
pub async fn insert_case(
    tx: &mut Tx<'_>,
    agency_id: &str,
    authority_id: &str,
    site_id: &str,
    inspector_id: &str,
    found_on: chrono::NaiveDate,
    file: &shared::enforcement::CaseFile,
) -> String {
    let (inspection, violation, case) = (new_id(), new_id(), new_id());
    seed::inspection(
        tx,
        &seed::InspectionRecord {
            id: inspection.clone(),
            visit_id: None,
            site_id: site_id.to_owned(),
            inspector_id: Some(inspector_id.to_owned()),
            kind: "planned".into(),
            inspected_on: found_on.to_string(),
            started_at: format!("{found_on}T09:00:00Z"),
            finished_at: format!("{found_on}T10:00:00Z"),
            hours_spent: 1.0,
            result: "violations".into(),
        },
    )
    .await
    .expect("inspection");
    seed::violation(
        tx,
        &seed::ViolationRecord {
            id: violation.clone(),
            inspection_id: inspection,
            site_id: site_id.to_owned(),
            theme: "waste".into(),
            description: "Afvalolie niet in een lekbak opgeslagen".into(),
            rule_ref: "Bal 4.301".into(),
            consequence: 2,
            behaviour: "B".into(),
            cell: "B2".into(),
            suggested_cell: "B2".into(),
            deviation_reason: None,
            matrix_version: "lhso-default-2022".into(),
            repeat_offence: false,
            intervention: "warn".into(),
            remedy_deadline: file.remedy_deadline.map(|d| d.to_string()),
            remedied_on: None,
        },
        false,
    )
    .await
    .expect("violation");
    let file_json = serde_json::to_string(file).expect("file");
    let due = file.reinspection_due().map(|d| d.to_string());
    db::enforcement::insert(
        tx,
        &db::enforcement::CaseWrite {
            id: &case,
            agency_id,
            authority_id,
            site_id,
            violation_id: &violation,
            inspector_id: Some(inspector_id),
            found_on: &found_on.to_string(),
            cell: "B2",
            intervention: "warn",
            state: file.state.as_str(),
            file: &file_json,
            reinspection_due: due.as_deref(),
            is_open: file.is_open(),
            updated_at: "2026-11-30T08:00:00Z",
        },
    )
    .await
    .expect("case");
    case
}
