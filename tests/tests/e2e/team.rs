//! The team lead's view of a day (issue 4: visits by team).

use serde_json::Value;
use tests::{on_both_databases, TestServer};

on_both_databases! {
    async fn a_team_lead_sees_every_inspectors_day_and_an_authority_only_its_own_sites(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let date = tests::demo_date();
        let path = format!("/api/v1/team/visits?date={date}");
        let lead = server.login("teamleider1").await;
        let response = server.client.get(server.url(&path)).bearer_auth(&lead).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        let inspectors = body["inspectors"].as_array().unwrap();
        assert_eq!(inspectors.len(), 12);
        for day in inspectors {
            let visits = day["visits"].as_array().unwrap();
            assert!(!visits.is_empty(), "{} has no visits", day["name"]);
            assert_eq!(day["planned"].as_u64().unwrap() as usize, visits.len());
            let orders: Vec<i64> = visits.iter().map(|v| v["route_order"].as_i64().unwrap()).collect();
            assert!(orders.windows(2).all(|w| w[0] < w[1]));
        }

        let viewer = server.login("gemeente1").await;
        let me: Value = server.client.get(server.url("/api/v1/me")).bearer_auth(&viewer).send().await.unwrap().json().await.unwrap();
        let own = me["authority_id"].as_str().unwrap();
        let body: Value = server.client.get(server.url(&path)).bearer_auth(&viewer).send().await.unwrap().json().await.unwrap();
        let seen: Vec<&Value> = body["inspectors"].as_array().unwrap().iter().flat_map(|d| d["visits"].as_array().unwrap()).collect();
        assert!(!seen.is_empty(), "the demo plans visits in Aalten on this day");
        assert!(seen.iter().all(|v| v["site"]["authority_id"] == own));

        let inspector = server.login("inspecteur1").await;
        let forbidden = server.client.get(server.url(&path)).bearer_auth(&inspector).send().await.unwrap();
        assert_eq!(forbidden.status(), 403);
        let bad = server.client.get(server.url("/api/v1/team/visits?date=morgen")).bearer_auth(&lead).send().await.unwrap();
        assert_eq!(bad.status(), 400);
    }
}

on_both_databases! {
    async fn the_day_board_shows_what_the_field_recorded_and_the_unsent_work(backend: Backend) {
        use shared::sync::MutationStatus;
        use tests::sim::{a_started_violation, Fault};
        let server = TestServer::with_demo(backend).await;
        let date = tests::demo_date();
        let lead = server.login("teamleider1").await;
        let board = |token: String| {
            let request = server.client.get(server.url(&format!("/api/v1/team/board?date={date}"))).bearer_auth(token);
            async move {
                let response = request.send().await.unwrap();
                (response.status().as_u16(), response.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        let (status, body) = board(lead.clone()).await;
        assert_eq!(status, 200, "{body}");
        let inspectors = body["inspectors"].as_array().unwrap();
        assert_eq!(inspectors.len(), 12);
        assert!(inspectors.iter().all(|i| ["Team Noord", "Team Zuid"].contains(&i["team"].as_str().unwrap())), "{inspectors:?}");
        // The same visits as the team's day, each with the planner's hours for its size.
        let day: Value = server.client.get(server.url(&format!("/api/v1/team/visits?date={date}"))).bearer_auth(&lead)
            .send().await.unwrap().json().await.unwrap();
        let planned: usize = day["inspectors"].as_array().unwrap().iter().map(|d| d["visits"].as_array().unwrap().len()).sum();
        let visits = body["visits"].as_array().unwrap();
        assert_eq!(visits.len(), planned);
        let hours = |size: &str| match size { "S" => 1.0, "M" => 2.0, "L" => 4.0, "XL" => 6.0, _ => 8.0 };
        assert!(visits.iter().all(|v| v["planned_hours"].as_f64() == Some(hours(v["size"].as_str().unwrap()))));
        assert!(visits.iter().all(|v| v["violations"] == 0 && v["hours_spent"].is_null()));

        // A visit started with a violation: in progress, one violation, a start time.
        let inspector = server.login("inspecteur1").await;
        let v = a_started_violation(&server.client, &server.base, &inspector, date).await;
        let visit_id = v.visit["id"].as_str().unwrap().to_owned();
        let find = |body: &Value| body["visits"].as_array().unwrap().iter().find(|x| x["id"] == visit_id.as_str()).cloned().unwrap();
        let seen = find(&board(lead.clone()).await.1);
        assert_eq!((seen["status"].as_str(), seen["violations"].as_u64()), (Some("in_progress"), Some(1)));
        assert!(seen["started_at"].is_string() && seen["hours_spent"].is_null());

        // Two changes queued, one sent: the device reports one unsent change.
        let mut tablet = v.tablet;
        tablet.add_note(&visit_id, "Eigenaar aanwezig.");
        tablet.queue("visit.finish", visit_id.parse().unwrap(), Some(2), serde_json::json!({"hours_spent": 1.5}));
        let first = tablet.push_once(1, Fault::None).await.unwrap();
        assert_eq!(first[0].status, MutationStatus::Applied);
        let body = board(lead.clone()).await.1;
        let me = v.visit["inspector_id"].as_str().unwrap();
        let line = body["inspectors"].as_array().unwrap().iter().find(|i| i["id"] == me).unwrap().clone();
        assert_eq!(line["unsent"], 1, "{line}");
        assert!(line["oldest_unsent_at"].is_string() && line["last_contact_at"].is_string());
        // The rest sent: done, hours booked, nothing unsent.
        for r in tablet.flush(10).await {
            assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
        }
        let body = board(lead.clone()).await.1;
        let seen = find(&body);
        assert_eq!((seen["status"].as_str(), seen["hours_spent"].as_f64()), (Some("done"), Some(1.5)));
        assert!(seen["finished_at"].is_string());
        let line = body["inspectors"].as_array().unwrap().iter().find(|i| i["id"] == me).unwrap().clone();
        assert_eq!((line["unsent"].as_i64(), line["oldest_unsent_at"].is_null()), (Some(0), true));

        // Inspectors and authority viewers: 403; a malformed date: 400.
        assert_eq!(board(inspector).await.0, 403);
        assert_eq!(board(server.login("gemeente1").await).await.0, 403);
        let bad = server.client.get(server.url("/api/v1/team/board?date=vandaag")).bearer_auth(&lead).send().await.unwrap();
        assert_eq!(bad.status(), 400);
    }
}
