//! The inspector's day (API.md "The inspector's day"): the demo's planned, explained, route-ordered
//! visits, re-inspections when due, idempotent planning and who may read which visit.

use std::collections::HashSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde_json::Value;
use tests::{demo_date, on_both_databases, TestServer};

async fn get(server: &TestServer, token: &str, path: &str) -> (u16, Value) {
    let response = server
        .client
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The visits of one inspector on one day, as the API lists them.
async fn day(server: &TestServer, token: &str, date: NaiveDate) -> Vec<Value> {
    let (status, body) = get(server, token, &format!("/api/v1/me/visits?date={date}")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["date"], date.to_string());
    body["visits"].as_array().unwrap().clone()
}

fn horizon() -> Vec<NaiveDate> {
    server::planning::workdays_from(demo_date(), server::demo::PLAN_WORKDAYS)
}

fn date(v: &Value) -> NaiveDate {
    v.as_str().unwrap().parse().unwrap()
}

/// The first working day on or after `d`.
fn workday_on_or_after(d: NaiveDate) -> NaiveDate {
    d.iter_days()
        .find(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .unwrap()
}

fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

on_both_databases! {
    async fn every_demo_inspector_has_an_explained_route_ordered_list_for_the_demo_date(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let mut sites_today = HashSet::new();
        for i in 1..=12 {
            let token = server.login(&format!("inspecteur{i}")).await;
            let (_, me) = get(&server, &token, "/api/v1/me").await;
            let visits = day(&server, &token, demo_date()).await;
            assert!(!visits.is_empty(), "inspecteur{i} has no visits on {}", demo_date());
            for (n, visit) in visits.iter().enumerate() {
                assert_eq!(visit["route_order"], n as i64 + 1, "route order of inspecteur{i}");
                assert_eq!(visit["planned_date"], demo_date().to_string());
                assert_eq!(visit["status"], "planned");
                assert_eq!(visit["version"], 1);
                assert_eq!(visit["inspector_id"], me["id"]);
                assert!(uuid::Uuid::parse_str(visit["id"].as_str().unwrap()).is_ok());
                assert!(["planned", "reinspection", "sample"].contains(&visit["kind"].as_str().unwrap()));
                assert!(["S", "M", "L", "XL", "XXL"].contains(&visit["size"].as_str().unwrap()));
                let site = &visit["site"];
                for key in ["id", "name", "address", "sector", "authority_id"] {
                    assert!(site[key].as_str().is_some_and(|s| !s.is_empty()), "site.{key}");
                }
                assert!((51.7..52.3).contains(&site["lat"].as_f64().unwrap()));
                assert!((6.0..7.0).contains(&site["lon"].as_f64().unwrap()));
                assert!(site["address"].as_str().unwrap().contains(", "), "street number, postcode city");
                assert!(sites_today.insert(site["id"].as_str().unwrap().to_owned()), "a site twice on one day");

                let priority = &visit["priority"];
                let factors = priority["factors"].as_array().unwrap();
                assert!(!factors.is_empty());
                let mut sum = 0.0;
                for f in factors {
                    assert!(f["name"].as_str().is_some_and(|n| !n.is_empty()));
                    for key in ["value", "weight", "contribution"] {
                        assert!(f[key].is_number(), "factor {key}");
                    }
                    sum += f["contribution"].as_f64().unwrap();
                }
                let score = priority["score"].as_f64().unwrap();
                assert!((sum - score).abs() < 1e-9, "contributions {sum} != score {score}");
            }
        }
    }

    async fn reinspections_are_planned_first_class_on_the_first_working_day_they_are_due(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let mut reinspections = 0;
        let mut sites = HashSet::new();
        for i in 1..=12 {
            let token = server.login(&format!("inspecteur{i}")).await;
            for d in horizon() {
                for visit in day(&server, &token, d).await {
                    assert!(sites.insert(visit["site"]["id"].clone()), "a site planned twice in the horizon");
                    if visit["kind"] != "reinspection" {
                        continue;
                    }
                    reinspections += 1;
                    let (status, detail) =
                        get(&server, &token, &format!("/api/v1/visits/{}", visit["id"].as_str().unwrap())).await;
                    assert_eq!(status, 200);
                    // The earliest re-inspection due among the site's open enforcement cases (the
                    // deadline in force, or the first working day after it) decides the day.
                    let due = detail["enforcement"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|c| c["open"] == true && !c["reinspection_due"].is_null())
                        .map(|c| date(&c["reinspection_due"]))
                        .min()
                        .expect("a re-inspection has an open case that is due");
                    let deadline = due;
                    assert_eq!(
                        date(&visit["planned_date"]),
                        workday_on_or_after(due.max(demo_date())),
                        "re-inspection of {} (deadline {deadline})",
                        visit["site"]["name"]
                    );
                }
            }
        }
        assert!(reinspections > 0, "the demo has re-inspections due in the horizon");
    }

    async fn planning_twice_changes_nothing_and_a_new_day_is_planned_without_repeating_sites(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let db = &server.state.db;
        let again = server::planning::ensure_planned(db, demo_date(), server::demo::PLAN_WORKDAYS)
            .await
            .unwrap();
        assert_eq!((again.visits, again.days.len()), (0, 0));

        // The next morning one new working day enters the horizon; only that one is planned.
        let tomorrow = demo_date().succ_opt().unwrap();
        let next = server::planning::ensure_planned(db, tomorrow, server::demo::PLAN_WORKDAYS)
            .await
            .unwrap();
        let new_day = *horizon().last().unwrap() + Days::new(3); // Friday + 3 = Monday
        assert_eq!(next.days, [new_day]);
        assert!(next.visits > 0);

        let mut sites = HashSet::new();
        for i in 1..=12 {
            let token = server.login(&format!("inspecteur{i}")).await;
            for d in horizon().into_iter().chain([new_day]) {
                for visit in day(&server, &token, d).await {
                    assert!(sites.insert(visit["site"]["id"].clone()), "site planned twice");
                }
            }
        }
    }

    async fn only_inspectors_have_a_day_list_and_dates_must_be_real(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let lead = server.login("teamleider1").await;
        let (status, body) = get(&server, &lead, "/api/v1/me/visits").await;
        assert_eq!((status, error_code(&body)), (403, "auth.forbidden"));

        let inspector = server.login("inspecteur1").await;
        for bad in ["2026-02-30", "30-11-2026", "morgen", "2026-11-3"] {
            let (status, body) = get(&server, &inspector, &format!("/api/v1/me/visits?date={bad}")).await;
            assert_eq!((status, error_code(&body)), (400, "request.invalid"), "{bad}");
        }
        // Without a date: today's list (the server's calendar day).
        let (status, body) = get(&server, &inspector, "/api/v1/me/visits").await;
        assert_eq!(status, 200);
        assert_eq!(body["date"], chrono::Local::now().date_naive().to_string());

        let response = server.client.get(server.url("/api/v1/me/visits")).send().await.unwrap();
        assert_eq!(response.status(), 401);
    }

    async fn a_visit_is_readable_by_its_inspector_and_leads_but_hidden_from_everyone_else(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let first = server.login("inspecteur1").await;
        let visits = day(&server, &first, demo_date()).await;
        let id = visits[0]["id"].as_str().unwrap();
        let path = format!("/api/v1/visits/{id}");

        let (status, detail) = get(&server, &first, &path).await;
        assert_eq!(status, 200);
        assert_eq!(detail["id"], id);
        assert_eq!(detail["site"], visits[0]["site"]);
        assert_eq!(detail["priority"], visits[0]["priority"]);
        for key in ["notes", "findings", "photos"] {
            assert_eq!(detail[key], serde_json::json!([]), "{key}");
        }
        let history = detail["history"].as_array().unwrap();
        let mut previous: Option<NaiveDate> = None;
        for inspection in history {
            let d = date(&inspection["date"]);
            assert!(d < demo_date());
            assert!(previous.is_none_or(|p| p >= d), "newest first");
            previous = Some(d);
            assert!(["compliant", "violations"].contains(&inspection["result"].as_str().unwrap()));
            let cells = inspection["cells"].as_array().unwrap();
            assert_eq!(cells.is_empty(), inspection["result"] == "compliant");
            assert_eq!(cells.len(), inspection["violations"].as_array().unwrap().len());
        }

        // Another inspector, a random id and a malformed id all look the same: not found.
        let second = server.login("inspecteur2").await;
        for (token, path) in [
            (&second, path.clone()),
            (&first, format!("/api/v1/visits/{}", uuid::Uuid::new_v4())),
            (&first, "/api/v1/visits/not-a-visit".to_owned()),
        ] {
            let (status, body) = get(&server, token, &path).await;
            assert_eq!((status, error_code(&body)), (404, "request.not_found"), "{path}");
        }
        for lead in ["teamleider1", "manager", "admin"] {
            let token = server.login(lead).await;
            assert_eq!(get(&server, &token, &path).await.0, 200, "{lead}");
        }

        // The municipality's viewer sees visits to sites under its authority only.
        let viewer = server.login("gemeente1").await;
        let (_, me) = get(&server, &viewer, "/api/v1/me").await;
        let mut seen = (false, false);
        'outer: for i in 1..=12 {
            let token = server.login(&format!("inspecteur{i}")).await;
            for visit in day(&server, &token, demo_date()).await {
                let own = visit["site"]["authority_id"] == me["authority_id"];
                let expected = if own { 200 } else { 404 };
                let path = format!("/api/v1/visits/{}", visit["id"].as_str().unwrap());
                assert_eq!(get(&server, &viewer, &path).await.0, expected);
                if own { seen.0 = true } else { seen.1 = true }
                if seen == (true, true) {
                    break 'outer;
                }
            }
        }
        assert_eq!(seen, (true, true), "the demo day has visits inside and outside the municipality");
    }

    async fn a_visit_of_another_agency_is_not_found(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let visit_id = day(&server, &token, demo_date()).await[0]["id"].as_str().unwrap().to_owned();

        // A second tenant on the same server, with a team lead of its own.
        let hash = server::auth::hash_password("ander-wachtwoord").unwrap();
        let agency_id = uuid::Uuid::new_v4().to_string();
        let user_id = uuid::Uuid::new_v4().to_string();
        let mut tx = server.state.db.pool.begin().await.unwrap();
        server::db::seed::agency(&mut tx, &server::db::seed::AgencyRecord { id: &agency_id, code: "ODX", name: "Omgevingsdienst X" })
            .await
            .unwrap();
        server::db::seed::user(&mut tx, &server::db::seed::UserRecord {
            id: &user_id,
            agency_id: &agency_id,
            username: "teamleider-x",
            display_name: "Teamleider X",
            role: "team_lead",
            authority_id: None,
            password_hash: &hash,
            created_at: "2026-11-30T08:00:00Z",
            team: None,
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let login: Value = server
            .client
            .post(server.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": "teamleider-x", "password": "ander-wachtwoord"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let other = login["token"].as_str().unwrap();
        let (status, body) = get(&server, other, &format!("/api/v1/visits/{visit_id}")).await;
        assert_eq!((status, error_code(&body)), (404, "request.not_found"));
    }
}
