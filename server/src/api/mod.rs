//! The public HTTP contract under `/api/v1` (docs/API.md), one module per resource.
//!
//! Routes are registered through `Api`, which also records each (method, path): the OpenAPI
//! document and the authorization-matrix test are checked against that list, so an endpoint
//! cannot be added without being documented and given its access rules.

mod auth;
mod authorities;
mod blobs;
mod capacity;
mod checklists;
mod config;
mod enforcement;
mod equal_treatment;
mod lhso;
mod openapi;
mod params;
mod plan;
mod programme;
mod reports;
pub(crate) mod reviews;

pub use reports::build as annual_report;
mod sites;
mod sync;
mod team;
pub(crate) mod visits;

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::routing::{get, head, post, put, MethodRouter};
use axum::Router;

use shared::ErrorCode;

use crate::error::error_response;
use crate::AppState;

/// One documented endpoint: method and path as written in the router (relative to `/api/v1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
}

struct Api {
    router: Router<AppState>,
    endpoints: Vec<Endpoint>,
}

impl Api {
    fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        route: MethodRouter<AppState>,
    ) -> Self {
        // axum merges method routers registered for the same path.
        self.router = self.router.route(path, route);
        self.endpoints.push(Endpoint { method, path });
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("GET", path, get(handler))
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("POST", path, post(handler))
    }

    fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("PUT", path, put(handler))
    }
}

fn api() -> Api {
    Api {
        router: Router::new(),
        endpoints: Vec::new(),
    }
    .post("/auth/login", auth::login)
    .post("/auth/logout", auth::logout)
    .get("/me", auth::me)
    .get("/me/visits", visits::my_visits)
    .get("/visits/{id}", visits::visit_detail)
    .get("/visits/{id}/photos/{photo_id}", visits::photo_image)
    .get("/team/visits", visits::team_visits)
    .post("/team/plan", visits::plan_day)
    .post("/team/visits/{id}/move", plan::move_visit)
    .post("/team/visits/{id}/boost", plan::boost_visit)
    .post("/team/sites/{id}/boost", plan::boost_site)
    .put("/team/days/{date}/lock", plan::lock_day)
    .put("/team/inspectors/{id}/capacity", plan::set_capacity)
    .put("/team/inspectors/{id}/absences/{date}", plan::set_absence)
    .get("/enforcement/cases", enforcement::list)
    .get("/enforcement/cases/{id}", enforcement::detail)
    .post("/enforcement/cases/{id}/steps", enforcement::step)
    .post("/lhso/assess", lhso::assess)
    .get("/lhso/matrix", lhso::matrix)
    .put("/admin/lhso/matrix", config::put_lhso_matrix)
    .put("/admin/risk-model", config::put_risk_model)
    .get("/admin/configs", config::list)
    .get("/sites", sites::search)
    .get("/sites/{id}", sites::detail)
    .post("/admin/sites/import", sites::import_csv)
    .get("/checklists", checklists::latest)
    .get("/checklists/{id}/versions/{version}", checklists::pinned)
    .get("/authorities", authorities::list)
    .get("/programme", programme::list)
    .post("/programme/lines", programme::create)
    .post("/programme/import", programme::import)
    .post("/programme/focus-points", programme::create_focus_point)
    .put(
        "/programme/focus-points/{id}",
        programme::update_focus_point,
    )
    .put("/programme/lines/{id}", programme::update)
    .put("/programme/capacity/{year}", capacity::enter)
    .get("/reports/realisation", reports::realisation)
    .get("/reports/capacity", capacity::picture)
    .get("/reports/annual/{file}", reports::annual)
    .get("/reports/inspections", reports::inspections)
    .get("/reports/penalties", reports::penalties)
    .get("/reports/equal-treatment", equal_treatment::figures)
    .get("/reports/equal-treatment/cases", equal_treatment::cases)
    .post("/sync/push", sync::push)
    .get("/sync/pull", sync::pull)
    .get("/sync/problems", team::problems)
    .get("/reviews", reviews::list)
    .post("/visits/{id}/review", reviews::review)
    .get("/team/devices", team::devices)
    .get("/team/board", team::board)
    .add(
        "PUT",
        "/blobs/{sha256}",
        put(blobs::put).layer(DefaultBodyLimit::max(blobs::PART_MAX_BYTES)),
    )
    .add("HEAD", "/blobs/{sha256}", head(blobs::head))
    .get("/openapi.json", openapi::handler())
}

pub fn routes() -> Router<AppState> {
    api()
        .router
        .fallback(|| async { error_response(ErrorCode::NotFound) })
}

/// Every endpoint under `/api/v1`, in registration order.
pub fn endpoints() -> Vec<Endpoint> {
    api().endpoints
}
