//! Equal treatment (issue "Team lead"): per LHSO cell over a period, each inspector's choices
//! against the team's, read from the demo's history; every figure adds up to the cases behind it
//! and drills down to exactly those cases. Who may read it, and what a bad period answers.

use serde_json::Value;
use tests::sim::get_json;
use tests::{on_both_databases, TestServer};

on_both_databases! {
    async fn the_figures_add_up_to_the_cases_and_drill_down_to_them(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let lead = server.login("teamleider1").await;
        let (from, to) = ("2024-01-01", "2026-12-31");
        let (status, body) = get_json(&server.client, &server.base, &lead,
            &format!("/api/v1/reports/equal-treatment?from={from}&to={to}")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!((body["min_cases"].as_u64(), body["outlier_share"].as_f64()), (Some(5), Some(0.5)));
        let cells = body["cells"].as_array().unwrap();
        assert!(!cells.is_empty(), "the demo's history has assessed violations");
        // Every case of the period is in exactly one cell.
        let expected: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM violations v JOIN inspections i ON i.id = v.inspection_id \
             WHERE i.inspected_on >= $1 AND i.inspected_on <= $2 AND i.finished_at IS NOT NULL")
            .bind(from).bind(to).fetch_one(&server.state.db.pool).await.unwrap();
        let total: u64 = cells.iter().map(|c| c["cases"].as_u64().unwrap()).sum();
        assert_eq!(total as i64, expected);
        for cell in cells {
            let inspectors = cell["inspectors"].as_array().unwrap();
            let per: u64 = inspectors.iter().map(|i| i["cases"].as_u64().unwrap()).sum();
            assert_eq!(per, cell["cases"].as_u64().unwrap(), "{}", cell["cell"]);
            let chosen: u64 = cell["interventions"].as_array().unwrap().iter().map(|c| c["count"].as_u64().unwrap()).sum();
            assert_eq!(chosen, per);
            for i in inspectors {
                // The stated rule, checked from the figures themselves.
                let (n, lighter) = (i["cases"].as_u64().unwrap(), i["lighter"].as_u64().unwrap());
                assert_eq!(i["lighter_outlier"].as_bool().unwrap(), n >= 5 && lighter * 2 > n, "{i}");
            }
        }
        // The drill-down of the busiest inspector in the largest cell lists exactly their cases.
        let cell = cells.iter().max_by_key(|c| c["cases"].as_u64().unwrap()).unwrap();
        let busiest = cell["inspectors"].as_array().unwrap().iter().max_by_key(|i| i["cases"].as_u64().unwrap()).unwrap();
        let (status, drill) = get_json(&server.client, &server.base, &lead, &format!(
            "/api/v1/reports/equal-treatment/cases?from={from}&to={to}&cell={}&inspector_id={}",
            cell["cell"].as_str().unwrap(), busiest["inspector_id"].as_str().unwrap())).await;
        assert_eq!(status, 200, "{drill}");
        let listed = drill["cases"].as_array().unwrap();
        assert_eq!(listed.len() as u64, busiest["cases"].as_u64().unwrap());
        assert!(listed.iter().all(|c| c["cell"] == cell["cell"] && c["inspector_id"] == busiest["inspector_id"]));
        let dates: Vec<&str> = listed.iter().map(|c| c["inspected_on"].as_str().unwrap()).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");

        // A manager may read it; inspectors and authority viewers may not.
        let manager = server.login("manager").await;
        assert_eq!(get_json(&server.client, &server.base, &manager, "/api/v1/reports/equal-treatment").await.0, 200);
        for who in ["inspecteur1", "gemeente1"] {
            let token = server.login(who).await;
            assert_eq!(get_json(&server.client, &server.base, &token, "/api/v1/reports/equal-treatment").await.0, 403, "{who}");
        }
        // A bad period or cell: 400.
        for bad in ["?from=2026-13-01", "?from=2026-06-01&to=2026-01-01", "?soort=x"] {
            let (status, body): (u16, Value) = get_json(&server.client, &server.base, &lead,
                &format!("/api/v1/reports/equal-treatment{bad}")).await;
            assert_eq!((status, body["error"]["code"].as_str()), (400, Some("request.invalid")), "{bad}");
        }
        assert_eq!(get_json(&server.client, &server.base, &lead, "/api/v1/reports/equal-treatment/cases?cell=Z9").await.0, 400);
        assert_eq!(get_json(&server.client, &server.base, &lead, "/api/v1/reports/equal-treatment/cases").await.0, 400);
    }
}
