//! The authorization matrix (issue 4, "Roles and tenancy"): every endpoint x every role (and
//! anonymous) x an object of the caller's own reach, a sibling object of the same agency (another
//! authority, another inspector's visit) and an object of a foreign agency, with the expected status.
//!
//! The table below is the specification; the test checks it covers exactly
//! `server::api::endpoints()`, so a new endpoint fails here until its access rules are written
//! down. Besides the status, every answer is checked for leaks (nothing of the foreign agency, and
//! for the narrow roles nothing of the sibling objects they may not see), every error answer for
//! the error format, and every refused request for leaving the database unchanged.

use shared::sync::MutationKind;
use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use shared::ErrorCode;
use tests::fixtures::{self, ForeignTenant};
use tests::{on_both_databases, TestServer};

/// Callers, in the column order of the table.
const CALLERS: [(&str, Option<&str>); 6] = [
    ("anonymous", None),
    ("inspector", Some("inspecteur1")),
    ("team_lead", Some("teamleider1")),
    ("manager", Some("manager")),
    ("authority_viewer", Some("gemeente1")),
    ("admin", Some("admin")),
];
const INSPECTOR: usize = 1;
const VIEWER: usize = 4;

/// Whose object a request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Within every caller's reach: the demo agency, the viewer's authority (Aalten), a visit of
    /// inspecteur1.
    Own,
    /// The demo agency, but another authority and a visit of another inspector.
    Sibling,
    /// Another agency.
    Foreign,
}

const SCOPES: [Scope; 3] = [Scope::Own, Scope::Sibling, Scope::Foreign];

/// The objects the requests name, per scope (`[own, sibling, foreign]`).
struct World {
    date: String,
    year: i64,
    authority: [String; 3],
    authority_code: [String; 3],
    site: [String; 3],
    visit: [String; 3],
    line: [String; 3],
    /// Current versions of the lines, re-read before every request.
    line_version: [i64; 3],
    /// The version of the own agency's capacity for `year` (0: none entered), re-read likewise.
    capacity_version: i64,
    /// A focus point of the own agency and one of the foreign agency, with current versions.
    focus_point: [String; 2],
    focus_point_version: [i64; 2],
    /// An enforcement case at the scope's site whose penalty was forfeited (recording the amount
    /// again is a step every writer may repeat), and its current version.
    case: [String; 3],
    case_version: [i64; 3],
    /// (template id, version) per scope; the foreign template shares the id.
    template: [(String, i64); 3],
    /// A note pushed to the scope's visit by its inspector (inspecteur1, inspecteur2, the foreign
    /// inspector), a mutation of theirs that was rejected (an open problem), and their device.
    note: [String; 3],
    problem: [String; 3],
    device: [String; 3],
    /// A blob stored by that inspector: (sha256, bytes).
    blob: [(String, Vec<u8>); 3],
    /// Strings that must not appear in any answer to the caller of that column.
    hidden: [Vec<String>; 6],
}

impl World {
    fn at(&self, scope: Scope) -> usize {
        match scope {
            Scope::Own => 0,
            Scope::Sibling => 1,
            Scope::Foreign => 2,
        }
    }
}

enum Body {
    None,
    Json(Value),
    Csv(String),
    Bytes(Vec<u8>),
}

struct Req {
    target: String,
    body: Body,
    /// An id a successful answer for the own scope must contain (the request found its object).
    shows: Option<String>,
}

fn req(target: String) -> Req {
    Req {
        target,
        body: Body::None,
        shows: None,
    }
}

impl Req {
    fn json(self, body: Value) -> Req {
        Req {
            body: Body::Json(body),
            ..self
        }
    }
    fn shows(self, id: &str) -> Req {
        Req {
            shows: Some(id.to_owned()),
            ..self
        }
    }
}

struct Row {
    method: &'static str,
    /// As registered in `server::api` (relative to `/api/v1`).
    path: &'static str,
    request: fn(&World, Scope) -> Req,
    /// The request revokes the caller's token, so it gets a token of its own.
    fresh_token: bool,
    // Expected statuses per caller:  anonymous, inspector, team_lead, manager, authority_viewer, admin
    own: [u16; 6],
    sibling: [u16; 6],
    foreign: [u16; 6],
    /// For a push of one mutation, what it comes to per scope (own, sibling, foreign) and caller:
    /// `applied`, or the code it is rejected with (`-` where the push itself is refused). A
    /// rejected mutation must change nothing but the sync bookkeeping (`SYNC_BOOKKEEPING`).
    results: Option<[[&'static str; 6]; 3]>,
}

const ALL_200: [u16; 6] = [200; 6];
const AUTHENTICATED_200: [u16; 6] = [401, 200, 200, 200, 200, 200];
const NOT_INSPECTOR_200: [u16; 6] = [401, 403, 200, 200, 200, 200];
const NOT_FOUND: [u16; 6] = [401, 404, 404, 404, 404, 404];
const AUTHENTICATED_201: [u16; 6] = [401, 201, 201, 201, 201, 201];
const LEADS_200: [u16; 6] = [401, 403, 200, 200, 403, 200];
const ADMIN_200: [u16; 6] = [401, 403, 403, 403, 403, 200];

/// The version ids of the agency configuration the admin loads in the matrix.
const MATRIX_VERSION: &str = "matrix-lhso-authz";
const RISK_VERSION: &str = "matrix-risk-authz";

fn custom_matrix() -> Value {
    let mut matrix = serde_json::to_value(shared::lhso::MatrixConfig::default_2022()).unwrap();
    matrix["version"] = json!(MATRIX_VERSION);
    matrix
}

fn custom_risk_model() -> Value {
    let mut model = serde_json::to_value(shared::risk::RiskModel::default_2026()).unwrap();
    model["version"] = json!(RISK_VERSION);
    model
}

const FORBIDDEN: &str = "auth.forbidden";
const UNKNOWN: &str = "sync.unknown_entity";

fn matrix() -> Vec<Row> {
    vec![
        Row {
            method: "POST",
            path: "/auth/login",
            request: |_, _| {
                req("/api/v1/auth/login".into()).json(
                    json!({"username": "teamleider2", "password": server::demo::DEMO_PASSWORD}),
                )
            },
            fresh_token: false,
            own: ALL_200,
            sibling: ALL_200,
            foreign: ALL_200,
            results: None,
        },
        Row {
            method: "POST",
            path: "/auth/logout",
            request: |_, _| req("/api/v1/auth/logout".into()),
            fresh_token: true,
            own: [401, 204, 204, 204, 204, 204],
            sibling: [401, 204, 204, 204, 204, 204],
            foreign: [401, 204, 204, 204, 204, 204],
            results: None,
        },
        Row {
            method: "GET",
            path: "/me",
            request: |_, _| req("/api/v1/me".into()),
            fresh_token: false,
            own: AUTHENTICATED_200,
            sibling: AUTHENTICATED_200,
            foreign: AUTHENTICATED_200,
            results: None,
        },
        Row {
            method: "GET",
            path: "/me/visits",
            request: |w, s| {
                req(format!("/api/v1/me/visits?date={}", w.date)).shows(&w.visit[w.at(s)])
            },
            fresh_token: false,
            own: [401, 200, 403, 403, 403, 403],
            sibling: [401, 200, 403, 403, 403, 403],
            foreign: [401, 200, 403, 403, 403, 403],
            results: None,
        },
        Row {
            method: "GET",
            path: "/visits/{id}",
            request: |w, s| req(format!("/api/v1/visits/{}", w.visit[w.at(s)])).shows(&w.visit[0]),
            fresh_token: false,
            own: AUTHENTICATED_200,
            sibling: [401, 404, 200, 200, 404, 200],
            foreign: NOT_FOUND,
            results: None,
        },
        Row {
            method: "GET",
            path: "/visits/{id}/photos/{photo_id}",
            // The world's visits have no photos: whoever may read the visit learns only that this
            // photo is not there (the image itself: e2e reviews).
            request: |w, s| {
                req(format!(
                    "/api/v1/visits/{}/photos/0b6f1d8e-6f4e-4a51-9a1c-000000000001",
                    w.visit[w.at(s)]
                ))
            },
            fresh_token: false,
            own: [401, 404, 404, 404, 404, 404],
            sibling: [401, 404, 404, 404, 404, 404],
            foreign: NOT_FOUND,
            results: None,
        },
        Row {
            method: "GET",
            path: "/reports/equal-treatment",
            request: |_, _| req("/api/v1/reports/equal-treatment".into()),
            fresh_token: false,
            own: [401, 403, 200, 200, 403, 403],
            sibling: [401, 403, 200, 200, 403, 403],
            foreign: [401, 403, 200, 200, 403, 403],
            results: None,
        },
        Row {
            method: "GET",
            path: "/reports/equal-treatment/cases",
            request: |_, _| req("/api/v1/reports/equal-treatment/cases?cell=B3".into()),
            fresh_token: false,
            own: [401, 403, 200, 200, 403, 403],
            sibling: [401, 403, 200, 200, 403, 403],
            foreign: [401, 403, 200, 200, 403, 403],
            results: None,
        },
        Row {
            method: "GET",
            path: "/reviews",
            request: |_, _| req("/api/v1/reviews".into()),
            fresh_token: false,
            own: [401, 403, 200, 200, 403, 403],
            sibling: [401, 403, 200, 200, 403, 403],
            foreign: [401, 403, 200, 200, 403, 403],
            results: None,
        },
        Row {
            method: "POST",
            path: "/visits/{id}/review",
            // The world's visits are not finished: a reviewer gets 409 `review.not_finished`, and
            // nothing is recorded; another agency's visit is unknown to everyone.
            request: |w, s| {
                req(format!("/api/v1/visits/{}/review", w.visit[w.at(s)]))
                    .json(json!({"decision": "approve"}))
            },
            fresh_token: false,
            own: [401, 403, 409, 409, 403, 403],
            sibling: [401, 403, 409, 409, 403, 403],
            foreign: NOT_FOUND,
            results: None,
        },
        Row {
            method: "GET",
            path: "/team/visits",
            request: |w, _| req(format!("/api/v1/team/visits?date={}", w.date)).shows(&w.visit[0]),
            fresh_token: false,
            own: NOT_INSPECTOR_200,
            sibling: NOT_INSPECTOR_200,
            foreign: NOT_INSPECTOR_200,
            results: None,
        },
        Row {
            method: "POST",
            path: "/team/plan",
            request: |w, _| {
                req("/api/v1/team/plan".into())
                    .json(json!({"date": w.date}))
                    .shows(&w.visit[0])
            },
            fresh_token: false,
            own: [401, 403, 200, 200, 403, 403],
            sibling: [401, 403, 200, 200, 403, 403],
            foreign: [401, 403, 200, 200, 403, 403],
            results: None,
        },
        Row {
            method: "GET",
            path: "/enforcement/cases",
            request: |w, _| req("/api/v1/enforcement/cases".into()).shows(&w.case[0]),
            fresh_token: false,
            own: NOT_INSPECTOR_200,
            sibling: NOT_INSPECTOR_200,
            foreign: NOT_INSPECTOR_200,
            results: None,
        },
        Row {
            method: "GET",
            path: "/enforcement/cases/{id}",
            request: |w, s| {
                req(format!("/api/v1/enforcement/cases/{}", w.case[w.at(s)])).shows(&w.case[0])
            },
            fresh_token: false,
            own: NOT_INSPECTOR_200,
            sibling: [401, 403, 200, 200, 404, 200],
            foreign: [401, 403, 404, 404, 404, 404],
            results: None,
        },
        Row {
            method: "POST",
            path: "/enforcement/cases/{id}/steps",
            request: |w, s| {
                let i = w.at(s);
                req(format!("/api/v1/enforcement/cases/{}/steps", w.case[i]))
                    .json(json!({"base_version": w.case_version[i], "step": "forfeited", "amount_cents": 300_000}))
                    .shows(&w.case[0])
            },
            fresh_token: false,
            own: [401, 403, 200, 200, 403, 403],
            sibling: [401, 403, 200, 200, 403, 403],
            foreign: [401, 403, 404, 404, 403, 403],
            results: None,
        },
        Row {
            method: "POST",
            path: "/lhso/assess",
            request: |_, _| {
                req("/api/v1/lhso/assess".into()).json(json!({"consequence": 3, "behaviour": "B"}))
            },
            fresh_token: false,
            own: AUTHENTICATED_200,
            sibling: AUTHENTICATED_200,
            foreign: AUTHENTICATED_200,
            results: None,
        },
        Row {
            method: "GET",
            path: "/lhso/matrix",
            request: |_, _| req("/api/v1/lhso/matrix".into()),
            fresh_token: false,
            own: AUTHENTICATED_200,
            sibling: AUTHENTICATED_200,
            foreign: AUTHENTICATED_200,
            results: None,
        },
        Row {
            method: "PUT",
            path: "/admin/lhso/matrix",
            // The agency's own matrix: admins only. Loading the same version again is idempotent.
            request: |_, _| req("/api/v1/admin/lhso/matrix".into()).json(custom_matrix()),
            fresh_token: false,
            own: ADMIN_200,
            sibling: ADMIN_200,
            foreign: ADMIN_200,
            results: None,
        },
        Row {
            method: "PUT",
            path: "/admin/risk-model",
            request: |_, _| req("/api/v1/admin/risk-model".into()).json(custom_risk_model()),
            fresh_token: false,
            own: ADMIN_200,
            sibling: ADMIN_200,
            foreign: ADMIN_200,
            results: None,
        },
        Row {
            method: "GET",
            path: "/admin/configs",
            request: |_, _| req("/api/v1/admin/configs".into()).shows(MATRIX_VERSION),
            fresh_token: false,
            own: LEADS_200,
            sibling: LEADS_200,
            foreign: LEADS_200,
            results: None,
        },
        Row {
            method: "GET",
            path: "/sites",
            // Another authority's or agency's sites are left out: an empty page, not an error.
            request: |w, s| {
                req(format!(
                    "/api/v1/sites?q=Matrix&authority_id={}",
                    w.authority[w.at(s)]
                ))
                .shows(&w.site[0])
            },
            fresh_token: false,
            own: AUTHENTICATED_200,
            sibling: AUTHENTICATED_200,
            foreign: AUTHENTICATED_200,
            results: None,
        },
        Row {
            method: "GET",
            path: "/sites/{id}",
            request: |w, s| req(format!("/api/v1/sites/{}", w.site[w.at(s)])).shows(&w.site[0]),
            fresh_token: false,
            own: AUTHENTICATED_200,
            sibling: [401, 200, 200, 200, 404, 200],
            foreign: NOT_FOUND,
            results: None,
        },
        Row {
            method: "POST",
            path: "/admin/sites/import",
            // A municipality code of another agency is a rejected row: nothing is imported.
            request: |w, s| {
                let i = w.at(s);
                let csv = format!(
                    "key,name,street,house_number,postcode,city,municipality_code,sector,activities,lat,lon\n\
                     MATRIX-IMPORT-{i},Matrix import {i},Markt,2,7121 AB,Aalten,{},office,,51.92,6.58\n",
                    w.authority_code[i]
                );
                Req {
                    target: "/api/v1/admin/sites/import".into(),
                    body: Body::Csv(csv),
                    shows: None,
                }
            },
            fresh_token: false,
            own: [401, 403, 403, 403, 403, 200],
            sibling: [401, 403, 403, 403, 403, 200],
            foreign: [401, 403, 403, 403, 403, 422],
            results: None,
        },
        Row {
            method: "GET",
            path: "/checklists",
            request: |w, _| req("/api/v1/checklists".into()).shows(&w.template[0].0),
            fresh_token: false,
            own: AUTHENTICATED_200,
            sibling: AUTHENTICATED_200,
            foreign: AUTHENTICATED_200,
            results: None,
        },
        Row {
            method: "GET",
            path: "/checklists/{id}/versions/{version}",
            request: |w, s| {
                let (id, version) = &w.template[w.at(s)];
                req(format!("/api/v1/checklists/{id}/versions/{version}")).shows(id)
            },
            fresh_token: false,
            own: AUTHENTICATED_200,
            sibling: AUTHENTICATED_200,
            foreign: NOT_FOUND,
            results: None,
        },
        Row {
            method: "GET",
            path: "/authorities",
            // No id to name: every office role gets its own agency's list (a viewer its own entry).
            request: |_, _| req("/api/v1/authorities".into()),
            fresh_token: false,
            own: NOT_INSPECTOR_200,
            sibling: NOT_INSPECTOR_200,
            foreign: NOT_INSPECTOR_200,
            results: None,
        },
        Row {
            method: "POST",
            path: "/programme/import",
            // An authority code of another agency is a rejected row: nothing is imported.
            request: |w, s| {
                let i = w.at(s);
                let csv = format!(
                    "product;authority;task_group;planned_count;planned_hours\n\
                     Matrix import {};{};project;3;12\n",
                    uuid::Uuid::new_v4(),
                    w.authority_code[i]
                );
                Req {
                    target: format!("/api/v1/programme/import?year={}", w.year),
                    body: Body::Csv(csv),
                    shows: None,
                }
            },
            fresh_token: false,
            own: [401, 403, 403, 200, 403, 200],
            sibling: [401, 403, 403, 200, 403, 200],
            foreign: [401, 403, 403, 422, 403, 422],
            results: None,
        },
        Row {
            method: "GET",
            path: "/programme",
            // An authority viewer gets its own part whatever it asks for; another agency's
            // authority gives nothing.
            request: |w, s| {
                req(format!(
                    "/api/v1/programme?year={}&authority_id={}",
                    w.year,
                    w.authority[w.at(s)]
                ))
                .shows(&w.line[0])
            },
            fresh_token: false,
            own: NOT_INSPECTOR_200,
            sibling: NOT_INSPECTOR_200,
            foreign: NOT_INSPECTOR_200,
            results: None,
        },
        Row {
            method: "POST",
            path: "/programme/lines",
            // An authority of another agency is not a valid line (400), like an unknown one.
            request: |w, s| {
                req("/api/v1/programme/lines".into()).json(json!({
                    "year": w.year, "product": format!("Matrix {}", uuid::Uuid::new_v4()),
                    "authority_id": w.authority[w.at(s)], "task_group": "project",
                    "planned_count": 3, "planned_hours": 12.0}))
            },
            fresh_token: false,
            own: [401, 403, 403, 201, 403, 201],
            sibling: [401, 403, 403, 201, 403, 201],
            foreign: [401, 403, 403, 400, 403, 400],
            results: None,
        },
        Row {
            method: "PUT",
            path: "/programme/lines/{id}",
            request: |w, s| {
                let i = w.at(s);
                req(format!("/api/v1/programme/lines/{}", w.line[i]))
                    .json(json!({"base_version": w.line_version[i], "planned_count": 11, "planned_hours": 44.0}))
                    .shows(&w.line[0])
            },
            fresh_token: false,
            own: [401, 403, 403, 200, 403, 200],
            sibling: [401, 403, 403, 200, 403, 200],
            foreign: [401, 403, 403, 404, 403, 404],
            results: None,
        },
        Row {
            method: "GET",
            path: "/reports/realisation",
            // An authority viewer sees its own authority and is refused another (403); an
            // authority of another agency is unknown to every office role (404).
            request: |w, s| {
                req(format!(
                    "/api/v1/reports/realisation?year={}&authority_id={}",
                    w.year,
                    w.authority[w.at(s)]
                ))
                .shows(&w.authority[w.at(s)])
            },
            fresh_token: false,
            own: NOT_INSPECTOR_200,
            sibling: LEADS_200,
            foreign: [401, 403, 404, 404, 403, 404],
            results: None,
        },
        Row {
            method: "GET",
            path: "/reports/capacity",
            // As the realisation: a viewer its own authority only, another agency's unknown.
            request: |w, s| {
                req(format!(
                    "/api/v1/reports/capacity?year={}&authority_id={}",
                    w.year,
                    w.authority[w.at(s)]
                ))
                .shows(&w.authority[w.at(s)])
            },
            fresh_token: false,
            own: NOT_INSPECTOR_200,
            sibling: LEADS_200,
            foreign: [401, 403, 404, 404, 403, 404],
            results: None,
        },
        Row {
            method: "POST",
            path: "/programme/focus-points",
            // Always the caller's own agency: a new title each time.
            request: |w, _| {
                req("/api/v1/programme/focus-points".into()).json(json!({
                    "year": w.year, "title": format!("Matrix {}", uuid::Uuid::new_v4()),
                    "measure": "compliance_first", "target_percent": 80}))
            },
            fresh_token: false,
            own: [401, 403, 403, 201, 403, 201],
            sibling: [401, 403, 403, 201, 403, 201],
            foreign: [401, 403, 403, 201, 403, 201],
            results: None,
        },
        Row {
            method: "PUT",
            path: "/programme/focus-points/{id}",
            // The own agency's focus point for own and sibling; another agency's is unknown.
            request: |w, s| {
                let i = usize::from(w.at(s) == 2);
                req(format!("/api/v1/programme/focus-points/{}", w.focus_point[i]))
                    .json(json!({"base_version": w.focus_point_version[i], "title": format!("Matrix speerpunt {i}"),
                        "measure": "realisation", "target_percent": 90}))
                    .shows(&w.focus_point[i])
            },
            fresh_token: false,
            own: [401, 403, 403, 200, 403, 200],
            sibling: [401, 403, 403, 200, 403, 200],
            foreign: [401, 403, 403, 404, 403, 404],
            results: None,
        },
        Row {
            method: "PUT",
            path: "/programme/capacity/{year}",
            // The year is the caller's own agency's whatever the scope: there is nothing of another
            // agency to name.
            request: |w, _| {
                req(format!("/api/v1/programme/capacity/{}", w.year)).json(json!({
                    "base_version": w.capacity_version, "fte": 21.5, "productive_hours_per_fte": 1250.0}))
            },
            fresh_token: false,
            own: [401, 403, 403, 200, 403, 200],
            sibling: [401, 403, 403, 200, 403, 200],
            foreign: [401, 403, 403, 200, 403, 200],
            results: None,
        },
        Row {
            method: "GET",
            path: "/reports/annual/{file}",
            request: |w, s| {
                req(format!(
                    "/api/v1/reports/annual/{}.csv?authority_id={}",
                    w.year,
                    w.authority[w.at(s)]
                ))
            },
            fresh_token: false,
            own: NOT_INSPECTOR_200,
            sibling: LEADS_200,
            foreign: [401, 403, 404, 404, 403, 404],
            results: None,
        },
        Row {
            method: "GET",
            path: "/reports/inspections",
            request: |w, s| {
                req(format!(
                    "/api/v1/reports/inspections?year={}&authority_id={}",
                    w.year,
                    w.authority[w.at(s)]
                ))
            },
            fresh_token: false,
            own: NOT_INSPECTOR_200,
            sibling: LEADS_200,
            foreign: [401, 403, 404, 404, 403, 404],
            results: None,
        },
        Row {
            method: "GET",
            path: "/reports/penalties",
            request: |w, s| {
                req(format!(
                    "/api/v1/reports/penalties?year={}&authority_id={}",
                    w.year,
                    w.authority[w.at(s)]
                ))
            },
            fresh_token: false,
            own: NOT_INSPECTOR_200,
            sibling: LEADS_200,
            foreign: [401, 403, 404, 404, 403, 404],
            results: None,
        },
        Row {
            method: "POST",
            path: "/sync/push",
            // A new device pushes one `visit_note.add` to the scope's visit: the push is answered
            // 200 and the mutation is applied or rejected. Only the inspector a visit is assigned
            // to writes to it; a visit of another agency is unknown, so its id reveals nothing.
            request: |w, s| {
                req("/api/v1/sync/push".into()).json(json!({
                    "device_id": uuid::Uuid::new_v4(),
                    "mutations": [{
                        "id": uuid::Uuid::new_v4(), "seq": 1, "type": "visit_note.add",
                        "entity_id": uuid::Uuid::new_v4(), "base_version": null,
                        "at": "2027-02-01T09:00:00+01:00",
                        "data": {"visit_id": w.visit[w.at(s)], "text": "Matrix notitie"},
                    }],
                }))
            },
            fresh_token: false,
            own: AUTHENTICATED_200,
            sibling: AUTHENTICATED_200,
            foreign: AUTHENTICATED_200,
            results: Some([
                ["-", "applied", FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
                ["-", FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
                ["-", UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN],
            ]),
        },
        Row {
            method: "GET",
            path: "/sync/pull",
            // The feed is filtered by the caller (own visits, own authority or own agency); the
            // hidden ids check that nothing else is in it.
            request: |w, _| req("/api/v1/sync/pull?cursor=".into()).shows(&w.note[0]),
            fresh_token: false,
            own: AUTHENTICATED_200,
            sibling: AUTHENTICATED_200,
            foreign: AUTHENTICATED_200,
            results: None,
        },
        Row {
            method: "GET",
            path: "/sync/problems",
            // Inspectors see their own problems, leads the agency's; authority viewers none.
            request: |w, _| req("/api/v1/sync/problems".into()).shows(&w.problem[0]),
            fresh_token: false,
            own: [401, 200, 200, 200, 403, 200],
            sibling: [401, 200, 200, 200, 403, 200],
            foreign: [401, 200, 200, 200, 403, 200],
            results: None,
        },
        Row {
            method: "POST",
            path: "/team/visits/{id}/move",
            // To an inspector the agency does not have: a planner gets 400 and nothing moves;
            // another agency's visit is unknown to everyone.
            request: |w, s| {
                req(format!("/api/v1/team/visits/{}/move", w.visit[w.at(s)])).json(
                    json!({"inspector_id": "0b6f1d8e-6f4e-4a51-9a1c-000000000002", "date": w.date, "version": 1}),
                )
            },
            fresh_token: false,
            own: [401, 403, 400, 400, 403, 403],
            sibling: [401, 403, 400, 400, 403, 403],
            foreign: NOT_FOUND,
            results: None,
        },
        Row {
            method: "POST",
            path: "/team/visits/{id}/boost",
            // A version no visit has: a planner gets 409 `record.version_conflict`, nothing changes.
            request: |w, s| {
                req(format!("/api/v1/team/visits/{}/boost", w.visit[w.at(s)]))
                    .json(json!({"reason": "Klacht van omwonenden", "version": 0}))
            },
            fresh_token: false,
            own: [401, 403, 409, 409, 403, 403],
            sibling: [401, 403, 409, 409, 403, 403],
            foreign: NOT_FOUND,
            results: None,
        },
        Row {
            method: "POST",
            path: "/team/sites/{id}/boost",
            // An empty reason: planners get 400 for their agency's sites and nothing is stored;
            // another agency's site is unknown.
            request: |w, s| {
                req(format!("/api/v1/team/sites/{}/boost", w.site[w.at(s)]))
                    .json(json!({"reason": " "}))
            },
            fresh_token: false,
            own: [401, 403, 400, 400, 403, 403],
            sibling: [401, 403, 400, 400, 403, 403],
            foreign: [401, 403, 404, 404, 403, 403],
            results: None,
        },
        Row {
            method: "PUT",
            path: "/team/days/{date}/lock",
            // Unlocking a day that is not locked: allowed to planners, changes nothing.
            request: |w, _| {
                req(format!("/api/v1/team/days/{}/lock", w.date)).json(json!({"locked": false}))
            },
            fresh_token: false,
            own: [401, 403, 200, 200, 403, 403],
            sibling: [401, 403, 200, 200, 403, 403],
            foreign: [401, 403, 200, 200, 403, 403],
            results: None,
        },
        Row {
            method: "PUT",
            path: "/team/inspectors/{id}/capacity",
            // An id that is no inspector of the agency: planners get 404, nothing changes.
            request: |_, _| {
                req("/api/v1/team/inspectors/0b6f1d8e-6f4e-4a51-9a1c-000000000003/capacity".into())
                    .json(json!({"capacity_hours": 6.0}))
            },
            fresh_token: false,
            own: [401, 403, 404, 404, 403, 403],
            sibling: [401, 403, 404, 404, 403, 403],
            foreign: [401, 403, 404, 404, 403, 403],
            results: None,
        },
        Row {
            method: "PUT",
            path: "/team/inspectors/{id}/absences/{date}",
            request: |w, _| {
                req(format!(
                    "/api/v1/team/inspectors/0b6f1d8e-6f4e-4a51-9a1c-000000000003/absences/{}",
                    w.date
                ))
                .json(json!({"absent": true}))
            },
            fresh_token: false,
            own: [401, 403, 404, 404, 403, 403],
            sibling: [401, 403, 404, 404, 403, 403],
            foreign: [401, 403, 404, 404, 403, 403],
            results: None,
        },
        Row {
            method: "GET",
            path: "/team/board",
            request: |w, _| req(format!("/api/v1/team/board?date={}", w.date)).shows(&w.visit[0]),
            fresh_token: false,
            own: LEADS_200,
            sibling: LEADS_200,
            foreign: LEADS_200,
            results: None,
        },
        Row {
            method: "GET",
            path: "/team/devices",
            request: |w, _| req("/api/v1/team/devices".into()).shows(&w.device[0]),
            fresh_token: false,
            own: LEADS_200,
            sibling: LEADS_200,
            foreign: LEADS_200,
            results: None,
        },
        // Before the PUT row, which makes this agency a holder of the foreign bytes too.
        Row {
            method: "HEAD",
            path: "/blobs/{sha256}",
            // A blob is told only to the agencies holding it: the foreign tenant's is unknown here.
            request: |w, s| req(format!("/api/v1/blobs/{}", w.blob[w.at(s)].0)),
            fresh_token: false,
            own: AUTHENTICATED_200,
            sibling: AUTHENTICATED_200,
            foreign: NOT_FOUND,
            results: None,
        },
        Row {
            method: "PUT",
            path: "/blobs/{sha256}",
            // Blobs are stored once per content; an agency holds the ones its users uploaded (a
            // visit gets a photo only through `photo.attach`): a new blob of the caller's own, the
            // bytes a sibling inspector stored, the bytes the foreign tenant stored. Sending all
            // the bytes proves the caller has them, so it then holds them too; nothing of the
            // other agency's upload is told or changed.
            request: |w, s| {
                let bytes = match s {
                    Scope::Own => format!("matrix blob {}", uuid::Uuid::new_v4()).into_bytes(),
                    _ => w.blob[w.at(s)].1.clone(),
                };
                Req {
                    target: format!("/api/v1/blobs/{}", sha256_hex(&bytes)),
                    body: Body::Bytes(bytes),
                    shows: None,
                }
            },
            fresh_token: false,
            own: AUTHENTICATED_201,
            sibling: AUTHENTICATED_201,
            foreign: AUTHENTICATED_201,
            results: None,
        },
        Row {
            method: "GET",
            path: "/openapi.json",
            request: |_, _| req("/api/v1/openapi.json".into()),
            fresh_token: false,
            own: ALL_200,
            sibling: ALL_200,
            foreign: ALL_200,
            results: None,
        },
    ]
}

/// Compares what a push of one mutation came to with what the matrix says: `applied` must have
/// written something, a rejection nothing but the sync bookkeeping. Returns the failures.
fn mutation_outcome(
    cell: &str,
    expected: &str,
    answer: &str,
    before: &[(&'static str, i64)],
    after: &[(&'static str, i64)],
) -> Vec<String> {
    let mut failures = Vec::new();
    let body: Value = serde_json::from_str(answer).unwrap_or(Value::Null);
    let result = &body["results"][0];
    let got = match result["status"].as_str() {
        Some("applied") => "applied",
        Some("rejected") => result["error"]["code"].as_str().unwrap_or("?"),
        Some(other) => other,
        None => "?",
    };
    if got != expected {
        failures.push(format!(
            "{cell}: the mutation came to {got}, not {expected}: {answer}"
        ));
    }
    let (before, after) = (
        without_sync_bookkeeping(before),
        without_sync_bookkeeping(after),
    );
    if expected == "applied" {
        if after == before {
            failures.push(format!("{cell}: applied but nothing was written"));
        }
    } else if before != after {
        let changed: Vec<_> = before.iter().zip(&after).filter(|(b, a)| b != a).collect();
        failures.push(format!(
            "{cell}: rejected {expected} but changed the database: {changed:?}"
        ));
    }
    failures
}

async fn scalar(server: &TestServer, sql: &str, bind: &str) -> String {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The sync tables a push may change even when its mutations are rejected: the device is registered
/// on first contact and moved past the rejected `seq`, and the outcome is recorded so a replay gets
/// the same answer and a person sees it (`GET /sync/problems`). Everything else (the records, the
/// change feed, conflicts, the audit log) must stay as it was.
const SYNC_BOOKKEEPING: [&str; 2] = ["FROM sync_devices", "FROM sync_mutations"];

fn without_sync_bookkeeping(snapshot: &[(&'static str, i64)]) -> Vec<(&'static str, i64)> {
    snapshot
        .iter()
        .filter(|(sql, _)| !SYNC_BOOKKEEPING.iter().any(|t| sql.ends_with(t)))
        .copied()
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// What a refused request must leave as it was.
async fn snapshot(server: &TestServer) -> Vec<(&'static str, i64)> {
    const QUERIES: [&str; 31] = [
        "SELECT COUNT(*) FROM agencies",
        "SELECT COUNT(*) FROM authorities",
        "SELECT COUNT(*) FROM users",
        "SELECT COUNT(*) FROM auth_tokens",
        "SELECT COUNT(*) FROM auth_tokens WHERE revoked_at IS NOT NULL",
        "SELECT COUNT(*) FROM login_failures",
        "SELECT COUNT(*) FROM sites",
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM sites",
        "SELECT COUNT(*) FROM visits",
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM visits",
        "SELECT COUNT(*) FROM programme_lines",
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM programme_lines",
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM capacity_years",
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM focus_points",
        "SELECT COUNT(*) FROM checklist_templates",
        "SELECT COUNT(*) FROM audit_log",
        "SELECT COUNT(*) FROM inspections",
        "SELECT COUNT(*) FROM visit_notes",
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM visit_notes",
        "SELECT COUNT(*) FROM findings",
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM findings",
        "SELECT COUNT(*) FROM photos",
        "SELECT COUNT(*) FROM blobs",
        "SELECT COUNT(*) FROM blob_owners",
        "SELECT COUNT(*) FROM changes",
        "SELECT COUNT(*) FROM sync_conflicts",
        "SELECT COUNT(*) FROM sync_devices",
        "SELECT CAST(COALESCE(SUM(last_seq), 0) AS BIGINT) FROM sync_devices",
        "SELECT COUNT(*) FROM sync_mutations",
        "SELECT COUNT(*) FROM agency_configs",
        "SELECT COUNT(*) FROM agency_configs WHERE active = 1",
    ];
    let mut out = Vec::new();
    for sql in QUERIES {
        let value: i64 = sqlx::query_scalar(sql)
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        out.push((sql, value));
    }
    out
}

/// The demo agency's own and sibling objects plus the foreign tenant.
async fn world(server: &TestServer) -> World {
    let date = chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
    let year = 2031;
    let pool = &server.state.db.pool;
    let user = |name: &'static str| async move {
        scalar(server, "SELECT id FROM users WHERE username = $1", name).await
    };
    let (inspector1, inspector2) = (user("inspecteur1").await, user("inspecteur2").await);
    let agency = scalar(
        server,
        "SELECT agency_id FROM users WHERE username = $1",
        "gemeente1",
    )
    .await;
    let own_authority = scalar(
        server,
        "SELECT authority_id FROM users WHERE username = $1",
        "gemeente1",
    )
    .await;
    let sibling_authority = scalar(
        server,
        "SELECT id FROM authorities WHERE kind = 'municipality' AND id <> $1 ORDER BY cbs_code LIMIT 1",
        &own_authority,
    )
    .await;
    let code = |id: String| async move {
        scalar(
            server,
            "SELECT cbs_code FROM authorities WHERE id = $1",
            &id,
        )
        .await
    };
    let (own_code, sibling_code) = (
        code(own_authority.clone()).await,
        code(sibling_authority.clone()).await,
    );
    let (template_id, template_version): (String, i64) = sqlx::query_as(
        "SELECT id, version FROM checklist_templates WHERE agency_id = $1 ORDER BY id, version LIMIT 1",
    )
    .bind(&agency)
    .fetch_one(pool)
    .await
    .expect("the demo has checklist templates");

    let mut tx = pool.begin().await.unwrap();
    let own_site = fixtures::insert_site(
        &mut tx,
        &agency,
        &own_authority,
        "MATRIX-OWN",
        "Matrix eigen garage",
    )
    .await;
    let sibling_site = fixtures::insert_site(
        &mut tx,
        &agency,
        &sibling_authority,
        "MATRIX-SIBLING",
        "Matrix buurgarage",
    )
    .await;
    let own_visit = fixtures::insert_visit(&mut tx, &agency, &own_site, &inspector1, date).await;
    let sibling_visit =
        fixtures::insert_visit(&mut tx, &agency, &sibling_site, &inspector2, date).await;
    let own_line =
        fixtures::insert_line(&mut tx, &agency, &own_authority, year, "Matrix eigen").await;
    let sibling_line =
        fixtures::insert_line(&mut tx, &agency, &sibling_authority, year, "Matrix buur").await;
    tx.commit().await.unwrap();

    let marker = "ZZVREEMD";
    let foreign: ForeignTenant =
        fixtures::foreign_tenant(server, marker, date, year, &template_id).await;
    // A focus point in each agency, inserted as the API stores them.
    let mut focus_point = [String::new(), String::new()];
    for (i, owner) in [&agency, &foreign.agency_id].into_iter().enumerate() {
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO focus_points (id, agency_id, year, title, title_key, goal, measure, target_percent, version) \
             VALUES ($1, $2, $3, $4, $4, '', 'realisation', 90, 1)",
        )
        .bind(&id)
        .bind(owner)
        .bind(year)
        .bind(format!("Matrix speerpunt {i}"))
        .execute(pool)
        .await
        .unwrap();
        focus_point[i] = id;
    }

    let forfeited = {
        let found = date - chrono::Days::new(90);
        let mut file = shared::enforcement::CaseFile::opened(found + chrono::Days::new(14));
        file.state = shared::enforcement::CaseState::Forfeited;
        file.forfeited_cents = Some(250_000);
        (found, file)
    };
    let mut tx = pool.begin().await.unwrap();
    let mut case: [String; 3] = Default::default();
    for (i, (agency, authority, site, inspector)) in [
        (&agency, &own_authority, &own_site, &inspector1),
        (&agency, &sibling_authority, &sibling_site, &inspector2),
        (
            &foreign.agency_id,
            &foreign.authority_id,
            &foreign.site_id,
            &foreign.inspector_id,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        case[i] = fixtures::insert_case(
            &mut tx,
            agency,
            authority,
            site,
            inspector,
            forfeited.0,
            &forfeited.1,
        )
        .await;
    }
    tx.commit().await.unwrap();

    // Each scope's inspector pushes a note to their visit (applied) and an empty one (rejected,
    // an open problem) from a device of their own, and uploads a blob.
    let mut note: [String; 3] = Default::default();
    let mut problem: [String; 3] = Default::default();
    let mut device: [String; 3] = Default::default();
    let mut blob: [(String, Vec<u8>); 3] = Default::default();
    for (i, (username, visit)) in [
        ("inspecteur1", &own_visit),
        ("inspecteur2", &sibling_visit),
        (foreign.inspector_username.as_str(), &foreign.visit_id),
    ]
    .into_iter()
    .enumerate()
    {
        let token = server.login(username).await;
        let (d, n, p) = (
            uuid::Uuid::new_v4().to_string(),
            uuid::Uuid::new_v4().to_string(),
            uuid::Uuid::new_v4().to_string(),
        );
        // `entity_id` is the new note's id.
        let mutation = |seq: i64, id: String, entity_id: String, text: &str| {
            json!({"id": id, "seq": seq, "type": "visit_note.add", "entity_id": entity_id,
                "base_version": null, "at": "2027-02-01T09:00:00+01:00",
                "data": {"visit_id": visit, "text": text}})
        };
        let pushed: Value = server
            .client
            .post(server.url("/api/v1/sync/push"))
            .bearer_auth(&token)
            .json(&json!({"device_id": d, "mutations": [
                mutation(1, uuid::Uuid::new_v4().to_string(), n.clone(), "Matrix"),
                mutation(2, p.clone(), uuid::Uuid::new_v4().to_string(), "   "),
            ]}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            pushed["results"][0]["status"], "applied",
            "{username}: {pushed}"
        );
        assert_eq!(
            pushed["results"][1]["error"]["code"], "note.invalid_text",
            "{username}: {pushed}"
        );
        let bytes = format!("matrix blob of {username}").into_bytes();
        let sha = sha256_hex(&bytes);
        let stored = server
            .client
            .put(server.url(&format!("/api/v1/blobs/{sha}")))
            .bearer_auth(&token)
            .body(bytes.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(stored.status(), 201, "blob of {username}");
        (note[i], problem[i], device[i], blob[i]) = (n, p, d, (sha, bytes));
    }

    let mut everyone: Vec<String> = foreign.ids().into_iter().map(str::to_owned).collect();
    everyone.push(marker.to_owned());
    everyone.push(marker.to_lowercase());
    everyone.extend([
        note[2].clone(),
        problem[2].clone(),
        device[2].clone(),
        case[2].clone(),
    ]);
    let sibling_sync = [note[1].clone(), problem[1].clone(), device[1].clone()];
    let mut hidden: [Vec<String>; 6] = Default::default();
    for (i, h) in hidden.iter_mut().enumerate() {
        *h = everyone.clone();
        if i == INSPECTOR {
            h.push(sibling_visit.clone());
            h.extend(sibling_sync.iter().cloned());
        }
        if i == VIEWER {
            h.extend([
                sibling_visit.clone(),
                sibling_site.clone(),
                sibling_authority.clone(),
                sibling_line.clone(),
                case[1].clone(),
            ]);
            h.extend(sibling_sync.iter().cloned());
        }
    }
    World {
        date: date.to_string(),
        year,
        authority: [
            own_authority,
            sibling_authority,
            foreign.authority_id.clone(),
        ],
        authority_code: [own_code, sibling_code, foreign.authority_code.clone()],
        site: [own_site, sibling_site, foreign.site_id.clone()],
        visit: [own_visit, sibling_visit, foreign.visit_id.clone()],
        line: [own_line, sibling_line, foreign.line_id.clone()],
        line_version: [1, 1, 1],
        capacity_version: 0,
        focus_point,
        focus_point_version: [1, 1],
        case,
        case_version: [1, 1, 1],
        template: [
            (template_id.clone(), template_version),
            (template_id.clone(), template_version),
            (template_id, foreign.template_version),
        ],
        note,
        problem,
        device,
        blob,
        hidden,
    }
}

async fn refresh(server: &TestServer, world: &mut World) {
    for i in 0..2 {
        world.focus_point_version[i] =
            sqlx::query_scalar("SELECT version FROM focus_points WHERE id = $1")
                .bind(&world.focus_point[i])
                .fetch_one(&server.state.db.pool)
                .await
                .unwrap();
    }
    world.capacity_version = sqlx::query_scalar(
        "SELECT c.version FROM capacity_years c JOIN authorities a ON a.agency_id = c.agency_id \
         WHERE a.id = $1 AND c.year = $2",
    )
    .bind(&world.authority[0])
    .bind(world.year)
    .fetch_optional(&server.state.db.pool)
    .await
    .unwrap()
    .unwrap_or(0);
    for i in 0..3 {
        world.line_version[i] =
            sqlx::query_scalar("SELECT version FROM programme_lines WHERE id = $1")
                .bind(&world.line[i])
                .fetch_one(&server.state.db.pool)
                .await
                .unwrap();
        world.case_version[i] =
            sqlx::query_scalar("SELECT version FROM enforcement_cases WHERE id = $1")
                .bind(&world.case[i])
                .fetch_one(&server.state.db.pool)
                .await
                .unwrap();
    }
}

async fn login(server: &TestServer, username: Option<&str>) -> Option<String> {
    match username {
        Some(name) => Some(server.login(name).await),
        None => None,
    }
}

on_both_databases! {
    async fn every_endpoint_answers_every_role_and_tenant_as_the_matrix_says(backend: Backend) {
        let rows = matrix();

        // The matrix covers exactly the served endpoints.
        let served: BTreeSet<(&str, &str)> =
            server::api::endpoints().iter().map(|e| (e.method, e.path)).collect();
        let mut listed = BTreeSet::new();
        for row in &rows {
            assert!(listed.insert((row.method, row.path)), "{} {} is in the matrix twice", row.method, row.path);
        }
        let name = |(method, path): &(&str, &str)| format!("{method} /api/v1{path}");
        let missing: Vec<String> = served.difference(&listed).map(name).collect();
        let extra: Vec<String> = listed.difference(&served).map(name).collect();
        assert!(missing.is_empty(), "served but without a row in the authorization matrix: {missing:?}");
        assert!(extra.is_empty(), "in the authorization matrix but not served: {extra:?}");

        let server = TestServer::with_demo(backend).await;
        let mut world = world(&server).await;
        let mut tokens = Vec::new();
        for (_, username) in CALLERS {
            tokens.push(login(&server, username).await);
        }

        let mut failures = Vec::new();
        let mut cells = 0;
        for row in &rows {
            for scope in SCOPES {
                let expected_row = match scope {
                    Scope::Own => &row.own,
                    Scope::Sibling => &row.sibling,
                    Scope::Foreign => &row.foreign,
                };
                for (caller, (role, username)) in CALLERS.iter().enumerate() {
                    cells += 1;
                    refresh(&server, &mut world).await;
                    let r = (row.request)(&world, scope);
                    let token = if row.fresh_token {
                        login(&server, *username).await
                    } else {
                        tokens[caller].clone()
                    };
                    let method = Method::from_bytes(row.method.as_bytes()).unwrap();
                    let mut request = server.client.request(method, server.url(&r.target));
                    if let Some(token) = &token {
                        request = request.bearer_auth(token);
                    }
                    request = match &r.body {
                        Body::None => request,
                        Body::Json(v) => request.json(v),
                        Body::Csv(text) => request.header("content-type", "text/csv").body(text.clone()),
                        Body::Bytes(bytes) => request
                            .header("content-type", "application/octet-stream")
                            .body(bytes.clone()),
                    };
                    let before = snapshot(&server).await;
                    let response = request.send().await.unwrap();
                    let status = response.status().as_u16();
                    let text = response.text().await.unwrap();
                    let expected = expected_row[caller];
                    let cell = format!("{} {} [{scope:?}] as {role}", row.method, r.target);
                    if status != expected {
                        failures.push(format!("{cell}: expected {expected}, got {status}: {text}"));
                        continue;
                    }
                    for secret in &world.hidden[caller] {
                        if text.contains(secret.as_str()) {
                            failures.push(format!("{cell}: the answer leaks {secret}"));
                        }
                    }
                    if (200..300).contains(&status) {
                        if let (Scope::Own, Some(id)) = (scope, &r.shows) {
                            if !text.contains(id.as_str()) {
                                failures.push(format!("{cell}: the answer does not show {id}"));
                            }
                        }
                        if let Some(results) = &row.results {
                            let expected = results[world.at(scope)][caller];
                            let after = snapshot(&server).await;
                            failures.extend(mutation_outcome(&cell, expected, &text, &before, &after));
                        }
                        continue;
                    }
                    // A refusal: the error format with the code of its status (an answer to HEAD
                    // has no body), and nothing changed, the sync bookkeeping included.
                    let code = serde_json::from_str::<Value>(&text)
                        .ok()
                        .and_then(|v| v["error"]["code"].as_str().map(str::to_owned))
                        .unwrap_or_default();
                    if row.method != "HEAD" {
                        match ErrorCode::parse(&code) {
                            Some(c) if c.http_status() == status => {}
                            _ => failures.push(format!("{cell}: {status} with error code {code:?}: {text}")),
                        }
                        if caller == 0 && code != "auth.required" {
                            failures.push(format!("{cell}: anonymous gets {code:?}, not auth.required"));
                        }
                    }
                    let after = snapshot(&server).await;
                    if before != after {
                        let changed: Vec<_> = before.iter().zip(&after).filter(|(b, a)| b != a).collect();
                        failures.push(format!("{cell}: refused with {status} but changed the database: {changed:?}"));
                    }
                }
            }
        }
        assert_eq!(cells, served.len() * CALLERS.len() * SCOPES.len());
        assert!(failures.is_empty(), "{} of {cells} cells fail:\n{}", failures.len(), failures.join("\n"));
    }
}

on_both_databases! {
    async fn a_malformed_path_id_is_404_in_the_error_format(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let manager = server.login("manager").await;
        let before = snapshot(&server).await;
        for (method, path, body) in [
            (Method::GET, "/api/v1/visits/not-a-uuid", None),
            (Method::GET, "/api/v1/sites/not-a-uuid", None),
            (Method::GET, "/api/v1/checklists/any/versions/first", None),
            (Method::PUT, "/api/v1/programme/lines/not-a-uuid",
                Some(json!({"base_version": 1, "planned_count": 1, "planned_hours": 1.0}))),
        ] {
            let mut request = server.client.request(method.clone(), server.url(path)).bearer_auth(&manager);
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 404, "{method} {path}");
            let body: Value = response.json().await.unwrap_or(Value::Null);
            assert_eq!(body["error"]["code"], "request.not_found", "{method} {path}");
        }
        assert_eq!(snapshot(&server).await, before);
    }
}

async fn push(server: &TestServer, token: &str, body: &Value) -> (u16, Value) {
    tests::sim::post_json(
        &server.client,
        &server.base,
        token,
        "/api/v1/sync/push",
        body,
    )
    .await
}

on_both_databases! {
    async fn a_push_through_another_users_device_is_403_and_changes_nothing(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let world = world(&server).await;
        let (first, second) = (server.login("inspecteur1").await, server.login("inspecteur2").await);
        let device = uuid::Uuid::new_v4().to_string();
        let (status, _) = push(&server, &first, &json!({"device_id": device, "mutations": []})).await;
        assert_eq!(status, 200);
        let device_row = || async {
            sqlx::query_as::<_, (String, i64, Option<String>)>(
                "SELECT user_id, last_seq, last_push_at FROM sync_devices WHERE device_id = $1",
            )
            .bind(&device)
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap()
        };
        let (row_before, before) = (device_row().await, snapshot(&server).await);
        // inspecteur2 writing to their own visit, but through inspecteur1's device.
        let mutation = json!({"id": uuid::Uuid::new_v4(), "seq": 1, "type": "visit_note.add",
            "entity_id": uuid::Uuid::new_v4(), "base_version": null, "at": "2027-02-01T09:00:00+01:00",
            "data": {"visit_id": world.visit[1], "text": "Via een vreemd apparaat"}});
        let (status, body) = push(&server, &second, &json!({"device_id": device, "mutations": [mutation]})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (403, Some("auth.forbidden")), "{body}");
        assert_eq!(device_row().await, row_before);
        assert_eq!(snapshot(&server).await, before, "nothing changes, the sync bookkeeping included");
    }
}

on_both_databases! {
    async fn malformed_sync_and_blob_requests_are_refused_in_the_error_format(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let before = snapshot(&server).await;

        let response = server.client.get(server.url("/api/v1/sync/pull?cursor=bm90LWEtY3Vyc29y"))
            .bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "request.invalid");

        let mutations: Vec<Value> = (1..=501)
            .map(|seq| json!({"id": uuid::Uuid::new_v4(), "seq": seq, "type": "visit_note.add",
                "entity_id": uuid::Uuid::new_v4(), "base_version": null, "at": "2027-02-01T09:00:00+01:00",
                "data": {"visit_id": uuid::Uuid::new_v4(), "text": "x"}}))
            .collect();
        let (status, body) = push(&server, &token, &json!({"device_id": uuid::Uuid::new_v4(), "mutations": mutations})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (413, Some("request.too_large")), "{body}");

        let response = server.client.put(server.url("/api/v1/blobs/NOT-HEX"))
            .bearer_auth(&token).body("x").send().await.unwrap();
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "request.invalid");

        let response = server.client.head(server.url("/api/v1/blobs/NOT-HEX"))
            .bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), 400);
        let unknown = sha256_hex(b"never uploaded");
        let response = server.client.head(server.url(&format!("/api/v1/blobs/{unknown}")))
            .bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), 404);
        assert_eq!(response.headers()["upload-offset"], "0");

        assert_eq!(snapshot(&server).await, before);
    }
}

/// The wire names of the mutation kinds, as a device sends them (this test speaks the wire; the
/// check below ties the list to `MutationKind::KNOWN`).
mod wire_kind {
    pub const VISIT_NOTE_ADD: &str = "visit_note.add";
    pub const VISIT_NOTE_EDIT: &str = "visit_note.edit";
    pub const VISIT_START: &str = "visit.start";
    pub const VISIT_FINISH: &str = "visit.finish";
    pub const FINDING_UPSERT: &str = "finding.upsert";
    pub const PHOTO_ATTACH: &str = "photo.attach";
    pub const PROBLEM_RESOLVE: &str = "sync_problem.resolve";
    pub const VIOLATION_ASSESS: &str = "violation.assess";
    pub const CASE_REINSPECT: &str = "enforcement_case.reinspect";
    pub const VISIT_NOT_POSSIBLE: &str = "visit.not_possible";
}

/// What one mutation of a kind comes to when the roles push it (a valid one, that its owner could
/// make), per scope (own, sibling, foreign) and caller with a token (inspector, team_lead,
/// manager, authority_viewer, admin): `applied`, or the code it is rejected with.
struct KindRow {
    kind: &'static str,
    results: [[&'static str; 5]; 3],
}

/// Writes to a visit: only the inspector it is assigned to; another agency's visit is unknown.
const VISIT_WRITE: [[&str; 5]; 3] = [
    ["applied", FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    [FORBIDDEN; 5],
    [UNKNOWN; 5],
];

/// The kind matrix: a row for every kind of `shared::sync::MutationKind::KNOWN`, checked below, so a new
/// kind fails until its access rules are written down here.
fn kind_matrix() -> Vec<KindRow> {
    use wire_kind as kind;
    let row = |kind, results| KindRow { kind, results };
    vec![
        row(kind::VISIT_NOTE_ADD, VISIT_WRITE),
        row(kind::VISIT_NOTE_EDIT, VISIT_WRITE),
        row(kind::VISIT_START, VISIT_WRITE),
        row(kind::VISIT_FINISH, VISIT_WRITE),
        row(kind::FINDING_UPSERT, VISIT_WRITE),
        row(kind::PHOTO_ATTACH, VISIT_WRITE),
        // Whoever made the refused change settles it, or a team lead, manager or admin of the
        // agency; an authority viewer never.
        row(
            kind::PROBLEM_RESOLVE,
            [
                ["applied", "applied", "applied", FORBIDDEN, "applied"],
                [FORBIDDEN, "applied", "applied", FORBIDDEN, "applied"],
                [UNKNOWN; 5],
            ],
        ),
        row(kind::VIOLATION_ASSESS, VISIT_WRITE),
        // The re-inspection's verdict: only the inspector of the (started) visit at the case's site.
        row(kind::CASE_REINSPECT, VISIT_WRITE),
        row(kind::VISIT_NOT_POSSIBLE, VISIT_WRITE),
    ]
}

/// Per scope, the objects a mutation of each kind needs to be valid for its owner.
struct KindWorld {
    /// A planned visit (for `visit.start`), an in-progress one (for `visit.finish`) and another
    /// in-progress one (for findings, photos and assessments).
    start_visit: [String; 3],
    /// A planned visit nobody starts (for `visit.not_possible`).
    unstarted_visit: [String; 3],
    finish_visit: [String; 3],
    work_visit: [String; 3],
    /// A violating finding on the work visit (for `violation.assess`).
    violation: [String; 3],
    /// The pinned template, an item not yet answered, an image blob of the agency, and an LHSO
    /// assessment of the default matrix.
    template: (String, u32),
    free_item: String,
    photo: String,
    assessment: Value,
    /// An open enforcement case at the scope's site (the work visit's).
    case: [String; 3],
}

/// A mutation with a new id, sent at a fixed device time.
fn mutation(
    seq: i64,
    kind: &str,
    entity_id: &str,
    base_version: Option<i64>,
    data: Value,
) -> Value {
    let mut mutation = json!({"id": uuid::Uuid::new_v4(), "seq": seq, "type": kind,
        "entity_id": entity_id, "base_version": base_version, "at": "2027-02-01T09:00:00+01:00"});
    mutation["data"] = data;
    mutation
}

/// A push of one mutation from a new device.
fn one_mutation(kind: &str, entity_id: &str, base_version: Option<i64>, data: Value) -> Value {
    json!({"device_id": uuid::Uuid::new_v4(), "mutations": [mutation(1, kind, entity_id, base_version, data)]})
}

async fn version_of(server: &TestServer, table: &str, id: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT version FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap_or_else(|e| panic!("version of {table} {id}: {e}"))
}

async fn kind_world(server: &TestServer, world: &World) -> KindWorld {
    use tests::sim;
    let pool = &server.state.db.pool;
    let first = server.login("inspecteur1").await;
    let (template, version, _) = sim::a_template(&server.client, &server.base, &first).await;
    let (violated, free_item) =
        sim::yes_no_items(&server.client, &server.base, &first, &template).await;
    let image = sim::noise_jpeg(7, 32, 80);
    assert_eq!(
        sim::put_blob(&server.client, &server.base, &first, &image).await,
        201
    );
    let answers = sim::lightest_answers(&server.client, &server.base, &first).await;
    let (_, advice) = sim::post_json(
        &server.client,
        &server.base,
        &first,
        "/api/v1/lhso/assess",
        &json!({"answers": answers}),
    )
    .await;
    let assessment = json!({"matrix_version": "lhso-default-2022", "answers": answers,
        "repeat_offence": false, "chosen_cell": advice["cell"], "deviation_reason": null,
        "inspection_date": world.date});

    let foreign_visit = world.visit[2].clone();
    let mut unstarted_visit = [String::new(), String::new(), foreign_visit.clone()];
    let (mut start_visit, mut finish_visit, mut work_visit, mut violation) = (
        [String::new(), String::new(), foreign_visit.clone()],
        [String::new(), String::new(), foreign_visit.clone()],
        [String::new(), String::new(), foreign_visit.clone()],
        [
            String::new(),
            String::new(),
            uuid::Uuid::new_v4().to_string(),
        ],
    );
    let date: chrono::NaiveDate = world.date.parse().unwrap();
    for (i, username) in ["inspecteur1", "inspecteur2"].into_iter().enumerate() {
        let inspector = scalar(server, "SELECT id FROM users WHERE username = $1", username).await;
        let agency = scalar(
            server,
            "SELECT agency_id FROM users WHERE username = $1",
            username,
        )
        .await;
        let mut tx = pool.begin().await.unwrap();
        // On the days after the matrix date: each visit is first of its day.
        let visits = [
            &mut start_visit[i],
            &mut finish_visit[i],
            &mut work_visit[i],
            &mut unstarted_visit[i],
        ];
        for (day, visit) in date.iter_days().skip(1).zip(visits) {
            *visit =
                fixtures::insert_visit(&mut tx, &agency, &world.site[i], &inspector, day).await;
        }
        tx.commit().await.unwrap();
        // The owner starts two of them and records a violation on one.
        let token = server.login(username).await;
        violation[i] = uuid::Uuid::new_v4().to_string();
        let start = json!({"template_id": template, "template_version": version});
        let (status, pushed) = push(
            server,
            &token,
            &json!({"device_id": uuid::Uuid::new_v4(), "mutations": [
                mutation(1, "visit.start", &finish_visit[i], Some(1), start.clone()),
                mutation(2, "visit.start", &work_visit[i], Some(1), start.clone()),
                mutation(3, "finding.upsert", &violation[i], None, json!({"visit_id": work_visit[i],
                    "item_id": violated, "answer": {"type": "no"}, "note": null})),
            ]}),
        )
        .await;
        assert_eq!(status, 200, "{pushed}");
        for result in pushed["results"].as_array().unwrap() {
            assert_eq!(result["status"], "applied", "setup of {username}: {pushed}");
        }
    }
    // The foreign tenant's violating finding, written straight into its visit.
    let mut tx = pool.begin().await.unwrap();
    server::db::findings::insert_finding(
        &mut tx,
        &server::db::findings::FindingRow {
            id: violation[2].clone(),
            visit_id: foreign_visit,
            item_id: violated.clone(),
            answer: r#"{"type":"no"}"#.to_owned(),
            is_violation: 1,
            note: None,
            updated_at: "2027-02-01T08:00:00Z".to_owned(),
            version: 1,
        },
        None,
    )
    .await
    .unwrap();
    // An open case per scope at the work visit's site.
    let found = date - chrono::Days::new(30);
    let open = shared::enforcement::CaseFile::opened(found + chrono::Days::new(14));
    let mut case: [String; 3] = Default::default();
    for i in 0..3 {
        let (agency, authority, inspector): (String, String, String) = sqlx::query_as(
            "SELECT s.agency_id, s.authority_id, v.inspector_id FROM visits v JOIN sites s ON s.id = v.site_id WHERE v.id = $1",
        )
        .bind(&work_visit[i])
        .fetch_one(pool)
        .await
        .unwrap();
        case[i] = fixtures::insert_case(
            &mut tx,
            &agency,
            &authority,
            &world.site[i],
            &inspector,
            found,
            &open,
        )
        .await;
    }
    tx.commit().await.unwrap();
    KindWorld {
        case,
        start_visit,
        unstarted_visit,
        finish_visit,
        work_visit,
        violation,
        template: (template, version),
        free_item,
        photo: sim::sha256_hex(&image),
        assessment,
    }
}

/// A push of one valid mutation of `kind` for the objects of scope `i`, at their current versions.
async fn kind_request(
    server: &TestServer,
    world: &World,
    kinds: &KindWorld,
    kind: &str,
    i: usize,
) -> Value {
    use wire_kind as k;
    let new = uuid::Uuid::new_v4().to_string();
    match kind {
        k::VISIT_NOTE_ADD => one_mutation(
            kind,
            &new,
            None,
            json!({"visit_id": world.visit[i], "text": "Matrix soort"}),
        ),
        k::VISIT_NOTE_EDIT => one_mutation(
            kind,
            &world.note[i],
            Some(version_of(server, "visit_notes", &world.note[i]).await),
            json!({"text": "Matrix bewerkt"}),
        ),
        k::VISIT_START => one_mutation(
            kind,
            &kinds.start_visit[i],
            Some(version_of(server, "visits", &kinds.start_visit[i]).await),
            json!({"template_id": kinds.template.0, "template_version": kinds.template.1}),
        ),
        k::VISIT_FINISH => one_mutation(
            kind,
            &kinds.finish_visit[i],
            Some(version_of(server, "visits", &kinds.finish_visit[i]).await),
            json!({"finished_at": null, "hours_spent": 1.0}),
        ),
        k::FINDING_UPSERT => one_mutation(
            kind,
            &new,
            None,
            json!({"visit_id": kinds.work_visit[i],
            "item_id": kinds.free_item, "answer": {"type": "not_applicable"}, "note": null}),
        ),
        k::PHOTO_ATTACH => one_mutation(
            kind,
            &new,
            None,
            json!({"visit_id": kinds.work_visit[i],
            "finding_id": null, "sha256": kinds.photo, "captured_at": "2027-02-01T09:30:00+01:00", "position": null}),
        ),
        k::PROBLEM_RESOLVE => one_mutation(
            kind,
            &world.problem[i],
            None,
            json!({"resolution": "server_kept"}),
        ),
        k::VIOLATION_ASSESS => {
            one_mutation(kind, &kinds.violation[i], None, kinds.assessment.clone())
        }
        k::CASE_REINSPECT => one_mutation(
            kind,
            &kinds.case[i],
            Some(version_of(server, "enforcement_cases", &kinds.case[i]).await),
            json!({"visit_id": kinds.work_visit[i], "remedied": true}),
        ),
        k::VISIT_NOT_POSSIBLE => one_mutation(
            kind,
            &kinds.unstarted_visit[i],
            Some(version_of(server, "visits", &kinds.unstarted_visit[i]).await),
            json!({"reason": "closed", "note": null}),
        ),
        other => panic!("no valid request of kind {other} is written down for the kind matrix"),
    }
}

on_both_databases! {
    async fn every_mutation_kind_comes_to_what_the_kind_matrix_says_for_every_role_and_tenant(backend: Backend) {
        let rows = kind_matrix();
        // The matrix covers exactly the kinds the server knows.
        let known: BTreeSet<&str> = MutationKind::KNOWN.iter().map(MutationKind::as_str).collect();
        assert_eq!(known.len(), MutationKind::KNOWN.len(), "a kind listed twice in MutationKind");
        let mut listed = BTreeSet::new();
        for row in &rows {
            assert!(listed.insert(row.kind), "{} is in the kind matrix twice", row.kind);
        }
        let missing: Vec<_> = known.difference(&listed).collect();
        let extra: Vec<_> = listed.difference(&known).collect();
        assert!(missing.is_empty(), "mutation kinds without a row in the kind matrix: {missing:?}");
        assert!(extra.is_empty(), "in the kind matrix but not a kind: {extra:?}");

        let server = TestServer::with_demo(backend).await;
        let world = world(&server).await;
        let kinds = kind_world(&server, &world).await;
        let mut tokens = Vec::new();
        for (_, username) in &CALLERS[1..] {
            tokens.push(server.login(username.expect("a caller with a token")).await);
        }
        let mut failures = Vec::new();
        let mut cells = 0;
        for row in &rows {
            for scope in SCOPES {
                let i = world.at(scope);
                for (caller, (role, _)) in CALLERS[1..].iter().enumerate() {
                    cells += 1;
                    let cell = format!("{} [{scope:?}] as {role}", row.kind);
                    let body = kind_request(&server, &world, &kinds, row.kind, i).await;
                    let before = snapshot(&server).await;
                    let (status, answer) = push(&server, &tokens[caller], &body).await;
                    if status != 200 {
                        failures.push(format!("{cell}: the push answered {status}: {answer}"));
                        continue;
                    }
                    let after = snapshot(&server).await;
                    failures.extend(mutation_outcome(&cell, row.results[i][caller], &answer.to_string(), &before, &after));
                }
            }
        }
        assert_eq!(cells, known.len() * SCOPES.len() * (CALLERS.len() - 1));
        assert!(failures.is_empty(), "{} of {cells} cells fail:\n{}", failures.len(), failures.join("\n"));
        tests::sim::invariants::audit_chain_intact(&server.state.db.pool).await;
    }
}
