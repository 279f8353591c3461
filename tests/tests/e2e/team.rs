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
