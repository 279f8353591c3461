//! LHSO assessments from the tablet (`violation.assess`): the server recomputes the advice from
//! the answers, keeps suggested and chosen cell with the reason for a deviation, and treats a
//! revision like any other versioned write (a stale one is a conflict, never an overwrite).

use serde_json::{json, Value};
use shared::sync::MutationStatus;
use tests::sim::{a_template, invariants, lightest_answers, visits_on, yes_no_items, SimDevice};
use tests::{demo_date, on_both_databases, TestServer};
use uuid::Uuid;

async fn violation(
    server: &TestServer,
    id: Uuid,
) -> (String, String, Option<String>, String, Option<String>, i64) {
    sqlx::query_as(
        "SELECT cell, suggested_cell, deviation_reason, matrix_version, remedy_deadline, version \
         FROM violations WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&server.state.db.pool)
    .await
    .expect("violation row")
}

on_both_databases! {
    async fn an_assessment_from_the_tablet_is_recomputed_stored_with_its_deviation_and_versioned(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let visit = visits_on(&server.client, &server.base, &token, demo_date()).await[0].clone();
        let visit_id = visit["id"].as_str().unwrap();
        let (template, version, _) = a_template(&server.client, &server.base, &token).await;
        let (violated, other) = yes_no_items(&server.client, &server.base, &token, &template).await;
        let mut tablet = SimDevice::new(&server.base, server.client.clone(), &token);
        tablet.queue("visit.start", visit_id.parse().unwrap(), Some(visit["version"].as_i64().unwrap()),
            json!({"template_id": template, "template_version": version}));
        let finding = Uuid::new_v4();
        tablet.queue("finding.upsert", finding, None,
            json!({"visit_id": visit_id, "item_id": violated, "answer": {"type": "no"}, "note": null}));
        let compliant = Uuid::new_v4();
        tablet.queue("finding.upsert", compliant, None,
            json!({"visit_id": visit_id, "item_id": other, "answer": {"type": "not_applicable"}, "note": null}));
        for r in tablet.flush(10).await {
            assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
        }

        let answers = lightest_answers(&server.client, &server.base, &token).await;
        let advice: Value = server.client.post(server.url("/api/v1/lhso/assess")).bearer_auth(&token)
            .json(&json!({"answers": answers})).send().await.unwrap().json().await.unwrap();
        let suggested = advice["cell"].as_str().expect("suggested cell").to_owned();
        let assess = |chosen: &str, reason: Option<&str>, matrix: &str| json!({
            "matrix_version": matrix, "answers": answers, "repeat_offence": false,
            "chosen_cell": chosen, "deviation_reason": reason, "inspection_date": "2026-11-30"});
        let only = |results: Vec<shared::sync::MutationResult>| {
            assert_eq!(results.len(), 1, "{results:?}");
            results.into_iter().next().unwrap()
        };

        // The suggestion taken as it is.
        tablet.queue("violation.assess", finding, None, assess(&suggested, None, "lhso-default-2022"));
        let first = only(tablet.flush(10).await);
        assert_eq!((first.status, first.version), (MutationStatus::Applied, Some(1)), "{first:?}");
        let (cell, suggested_cell, reason, matrix, _, v) = violation(&server, finding).await;
        assert_eq!((cell.as_str(), suggested_cell.as_str(), reason, matrix.as_str(), v),
            (suggested.as_str(), suggested.as_str(), None, "lhso-default-2022", 1));

        // A deviation needs a written reason; with one it is kept beside the suggestion.
        let heavier = if suggested == "B3" { "C3" } else { "B3" };
        tablet.queue("violation.assess", finding, Some(1), assess(heavier, Some("  "), "lhso-default-2022"));
        let refused = only(tablet.flush(10).await);
        assert_eq!(refused.error.as_ref().map(|e| e.code.as_str()), Some("lhso.invalid_input"));
        tablet.queue("violation.assess", finding, Some(1),
            assess(heavier, Some("Eerder schriftelijk gewaarschuwd"), "lhso-default-2022"));
        let revised = only(tablet.flush(10).await);
        assert_eq!((revised.status, revised.version), (MutationStatus::Applied, Some(2)), "{revised:?}");
        let (cell, suggested_cell, reason, _, deadline, _) = violation(&server, finding).await;
        assert_eq!((cell.as_str(), suggested_cell.as_str()), (heavier, suggested.as_str()));
        assert_eq!(reason.as_deref(), Some("Eerder schriftelijk gewaarschuwd"));
        assert!(deadline.as_deref().is_none_or(|d| d > "2026-11-30"), "deadline after the inspection: {deadline:?}");

        // A revision on a stale version is a conflict; nothing changes.
        tablet.queue("violation.assess", finding, Some(1), assess(&suggested, None, "lhso-default-2022"));
        assert_eq!(only(tablet.flush(10).await).status, MutationStatus::Conflict);
        assert_eq!(violation(&server, finding).await.0, heavier);

        // Not a violation, an unknown matrix, another inspector: refused, nothing written.
        tablet.queue("violation.assess", compliant, None, assess(&suggested, None, "lhso-default-2022"));
        assert_eq!(only(tablet.flush(10).await).error.unwrap().code, "sync.invalid_data");
        let other_finding_check = invariants::count(&server.state.db.pool,
            "SELECT COUNT(*) FROM violations WHERE id = $1", &compliant.to_string()).await;
        assert_eq!(other_finding_check, 0);
        tablet.queue("violation.assess", finding, Some(2), assess(&suggested, None, "lhso-eigen-1999"));
        assert_eq!(only(tablet.flush(10).await).error.unwrap().code, "lhso.invalid_input");
        let stranger_token = server.login("inspecteur2").await;
        let mut stranger = SimDevice::new(&server.base, server.client.clone(), &stranger_token);
        stranger.queue("violation.assess", finding, Some(2), assess(&suggested, None, "lhso-default-2022"));
        assert_eq!(only(stranger.flush(10).await).error.unwrap().code, "auth.forbidden");
        assert_eq!(violation(&server, finding).await.5, 2, "still the second version");

        let pool = &server.state.db.pool;
        for device in [&tablet, &stranger] {
            invariants::exactly_once(pool, device).await;
        }
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }
}
