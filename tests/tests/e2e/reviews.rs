//! The review loop (API.md "Review"): a finished visit with a heavy intervention is on the review
//! list; a team lead returns it with a comment; the inspector's tablet receives the returned visit
//! and the comment at its next pull, corrects it and finishes it again; it is back on the list and
//! the lead approves it, which takes it off. Every step stays on the visit and is audited. Who may
//! review, and what a visit that is not finished answers.

use serde_json::{json, Value};
use shared::sync::MutationStatus;
use tests::sim::{
    a_started_violation, get_json, noise_jpeg, post_json, put_blob, sha256_hex, visits_on,
    SimDevice,
};
use tests::{demo_date, on_both_databases, TestServer};
use uuid::Uuid;

/// A visit of inspecteur1 on the demo date, finished with one violation that got an order under
/// penalty (heavier than the matrix proposes for the lightest cell, so with a reason). Returns the
/// tablet, the visit id, the finding's id and its checklist item.
async fn a_heavy_visit(server: &TestServer, token: &str) -> (SimDevice, String, Uuid, Value) {
    let v = a_started_violation(&server.client, &server.base, token, demo_date()).await;
    let (_, advice) = post_json(
        &server.client,
        &server.base,
        token,
        "/api/v1/lhso/assess",
        &json!({"answers": v.answers}),
    )
    .await;
    let mut tablet = v.tablet;
    let visit_id: Uuid = v.visit["id"].as_str().unwrap().parse().unwrap();
    tablet.queue("violation.assess", v.finding, None, json!({
        "matrix_version": "lhso-default-2022", "answers": v.answers, "repeat_offence": false,
        "chosen_cell": advice["cell"], "deviation_reason": null, "inspection_date": demo_date(),
        "intervention": "penalty_order", "intervention_reason": "Eerder schriftelijk gewaarschuwd."}));
    tablet.queue(
        "visit.finish",
        visit_id,
        Some(2),
        json!({"hours_spent": 1.5}),
    );
    for r in tablet.flush(10).await {
        assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
    }
    (tablet, visit_id.to_string(), v.finding, json!(v.item))
}

async fn reviews(server: &TestServer, token: &str) -> (u16, Value) {
    get_json(&server.client, &server.base, token, "/api/v1/reviews").await
}

fn listed<'a>(list: &'a Value, visit_id: &str) -> Option<&'a Value> {
    list["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["visit_id"] == visit_id)
}

async fn review(server: &TestServer, token: &str, visit_id: &str, body: Value) -> (u16, Value) {
    post_json(
        &server.client,
        &server.base,
        token,
        &format!("/api/v1/visits/{visit_id}/review"),
        &body,
    )
    .await
}

on_both_databases! {
    async fn a_returned_visit_goes_back_to_the_tablet_and_returns_to_the_list(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let inspector = server.login("inspecteur1").await;
        let lead = server.login("teamleider1").await;
        let (mut tablet, visit_id, finding, item) = a_heavy_visit(&server, &inspector).await;

        // On the list, with its reason, site and inspector.
        let (status, list) = reviews(&server, &lead).await;
        assert_eq!(status, 200, "{list}");
        let entry = listed(&list, &visit_id).expect("the heavy visit is on the review list");
        assert_eq!(entry["reasons"], json!(["heavy_intervention"]));
        assert_eq!(entry["state"], "open");
        assert!(entry["site"]["name"].as_str().is_some_and(|n| !n.is_empty()));
        assert!(!entry["inspector_name"].as_str().unwrap().is_empty());
        let finished: Vec<&str> = list["reviews"].as_array().unwrap().iter().map(|r| r["finished_at"].as_str().unwrap()).collect();
        assert!(finished.windows(2).all(|w| w[0] <= w[1]), "oldest first: {finished:?}");

        // Returning needs a comment; a bad body changes nothing.
        let (status, body) = review(&server, &lead, &visit_id, json!({"decision": "return"})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (400, Some("review.comment_required")), "{body}");
        let (status, _) = review(&server, &lead, &visit_id, json!({"decision": "reject", "comment": "x"})).await;
        assert_eq!(status, 400);
        let (_, still) = get_json(&server.client, &server.base, &lead, &format!("/api/v1/visits/{visit_id}")).await;
        assert_eq!(still["status"], "done");
        assert_eq!(still["reviews"], json!([]));

        // Returned with a comment: off the list, the visit says returned and keeps the step.
        let comment = "De foto van de lekbak ontbreekt; voeg die toe.";
        let (status, returned) = review(&server, &lead, &visit_id, json!({"decision": "return", "comment": format!("  {comment} ")})).await;
        assert_eq!(status, 200, "{returned}");
        assert_eq!(returned["status"], "returned");
        assert_eq!(returned["reviews"].as_array().unwrap().len(), 1);
        assert_eq!(returned["reviews"][0]["decision"], "return");
        assert_eq!(returned["reviews"][0]["comment"], comment);
        let (_, me) = get_json(&server.client, &server.base, &lead, "/api/v1/me").await;
        assert_eq!(returned["reviews"][0]["by"], me["id"]);
        assert!(listed(&reviews(&server, &lead).await.1, &visit_id).is_none());
        // A returned visit cannot be reviewed again until it is finished.
        let (status, body) = review(&server, &lead, &visit_id, json!({"decision": "approve"})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("review.not_finished")));

        // The tablet's next pull brings the returned visit with the comment.
        tablet.pull().await;
        let pulled = tablet.pulled[&visit_id.parse::<Uuid>().unwrap()].data.clone().expect("the visit");
        assert_eq!(pulled["status"], "returned");
        assert_eq!(pulled["returned"]["comment"], comment);
        assert_eq!(pulled["returned"]["decision"], "return");
        let version = pulled["version"].as_i64().unwrap();

        // The inspector corrects the finding's note and finishes again: done and back on the list.
        tablet.queue("finding.upsert", finding, Some(1), json!({"visit_id": visit_id, "item_id": item,
            "answer": {"type": "no"}, "note": "Lekbak ontbreekt, foto toegevoegd."}));
        tablet.queue("visit.finish", visit_id.parse().unwrap(), Some(version), json!({"hours_spent": 1.75}));
        for r in tablet.flush(10).await {
            assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
        }
        let (_, list) = reviews(&server, &lead).await;
        assert!(listed(&list, &visit_id).is_some(), "finished again, it is back on the list");
        tablet.pull().await;
        let again = tablet.pulled[&visit_id.parse::<Uuid>().unwrap()].data.clone().expect("the visit");
        assert_eq!(again["status"], "done");
        assert!(again.get("returned").is_none(), "no comment on a done visit: {again}");

        // Approved: off the list for good; both steps stay on the visit, oldest first, audited.
        let (status, approved) = review(&server, &lead, &visit_id, json!({"decision": "approve"})).await;
        assert_eq!(status, 200, "{approved}");
        assert_eq!(approved["status"], "done");
        let decisions: Vec<&str> = approved["reviews"].as_array().unwrap().iter().map(|r| r["decision"].as_str().unwrap()).collect();
        assert_eq!(decisions, ["return", "approve"]);
        assert!(listed(&reviews(&server, &lead).await.1, &visit_id).is_none());
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE entity_id = $1 AND action IN ('visit.review.return', 'visit.review.approve')")
            .bind(&visit_id).fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(audited, 2);
    }
}

on_both_databases! {
    async fn only_team_leads_and_managers_of_the_agency_review(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let inspector = server.login("inspecteur1").await;
        let (_, visit_id, _, _) = a_heavy_visit(&server, &inspector).await;
        // Inspectors (even the visit's own), authority viewers and admins may not review or list.
        for who in ["inspecteur1", "gemeente1", "admin"] {
            let token = server.login(who).await;
            assert_eq!(reviews(&server, &token).await.0, 403, "{who} lists");
            let (status, body) = review(&server, &token, &visit_id, json!({"decision": "approve"})).await;
            assert_eq!((status, body["error"]["code"].as_str()), (403, Some("auth.forbidden")), "{who} reviews");
        }
        // A manager may; an unknown or malformed visit id is 404.
        let manager = server.login("manager").await;
        assert_eq!(reviews(&server, &manager).await.0, 200);
        assert_eq!(review(&server, &manager, &Uuid::new_v4().to_string(), json!({"decision": "approve"})).await.0, 404);
        assert_eq!(review(&server, &manager, "geen-id", json!({"decision": "approve"})).await.0, 404);
        // Another agency's lead sees nothing of it and gets 404.
        tests::fixtures::foreign_tenant(&server, "ZZANDERS", demo_date(), 2027, "garage-basis").await;
        let foreign_lead = server.login("zzanders-teamleider").await;
        let (status, list) = reviews(&server, &foreign_lead).await;
        assert_eq!(status, 200);
        assert!(listed(&list, &visit_id).is_none());
        assert_eq!(review(&server, &foreign_lead, &visit_id, json!({"decision": "approve"})).await.0, 404);
        // A visit that is not finished: 409, nothing recorded.
        let planned = visits_on(&server.client, &server.base, &inspector, demo_date()).await.into_iter()
            .find(|v| v["status"] == "planned").unwrap();
        let lead = server.login("teamleider1").await;
        let (status, body) = review(&server, &lead, planned["id"].as_str().unwrap(), json!({"decision": "approve"})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("review.not_finished")));
        let steps: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visit_reviews").fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(steps, 0);
    }
}

on_both_databases! {
    async fn a_reviewer_sees_the_assessments_and_the_photos_of_the_visit(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let inspector = server.login("inspecteur1").await;
        let v = a_started_violation(&server.client, &server.base, &inspector, demo_date()).await;
        let visit_id = v.visit["id"].as_str().unwrap().to_owned();
        let mut tablet = v.tablet;
        // A photo of the violation, uploaded as the tablet does, then the assessment.
        let jpeg = noise_jpeg(7, 320, 80);
        assert_eq!(put_blob(&server.client, &server.base, &inspector, &jpeg).await, 201);
        let photo = Uuid::new_v4();
        tablet.queue("photo.attach", photo, None, json!({"visit_id": visit_id, "finding_id": v.finding,
            "sha256": sha256_hex(&jpeg), "captured_at": "2026-11-30T10:15:00+01:00", "position": null}));
        tablet.queue("violation.assess", v.finding, None, json!({
            "matrix_version": "lhso-default-2022", "answers": v.answers, "repeat_offence": false,
            "chosen_cell": "C3", "deviation_reason": "Ernstiger dan de vragen laten zien.",
            "inspection_date": demo_date(), "intervention": "penalty_order",
            "intervention_reason": "Eerder schriftelijk gewaarschuwd."}));
        for r in tablet.flush(10).await {
            assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
        }
        let lead = server.login("teamleider1").await;
        let (status, detail) = get_json(&server.client, &server.base, &lead, &format!("/api/v1/visits/{visit_id}")).await;
        assert_eq!(status, 200, "{detail}");
        let violations = detail["violations"].as_array().unwrap();
        assert_eq!(violations.len(), 1, "{detail}");
        assert_eq!(violations[0]["id"], v.finding.to_string());
        assert_eq!(violations[0]["cell"], "C3");
        assert_ne!(violations[0]["suggested_cell"], "C3");
        assert_eq!(violations[0]["deviation_reason"], "Ernstiger dan de vragen laten zien.");
        assert_eq!(violations[0]["intervention"], "penalty_order");
        assert_eq!(detail["photos"][0]["id"], photo.to_string());

        // The image itself, byte for byte, for whoever may read the visit.
        let image = |token: String, path: String| {
            let request = server.client.get(format!("{}{path}", server.base)).bearer_auth(token);
            async move {
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned());
                (status, kind, response.bytes().await.unwrap().to_vec())
            }
        };
        let path = format!("/api/v1/visits/{visit_id}/photos/{photo}");
        let (status, kind, bytes) = image(lead.clone(), path.clone()).await;
        assert_eq!((status, kind.as_deref()), (200, Some("image/jpeg")));
        assert_eq!(bytes, jpeg);
        assert_eq!(image(inspector.clone(), path.clone()).await.0, 200);
        // Another inspector, an unknown photo, the photo under another visit: 404; no token: 401.
        assert_eq!(image(server.login("inspecteur2").await, path.clone()).await.0, 404);
        assert_eq!(image(lead.clone(), format!("/api/v1/visits/{visit_id}/photos/{}", Uuid::new_v4())).await.0, 404);
        let other = visits_on(&server.client, &server.base, &inspector, demo_date()).await.into_iter()
            .find(|x| x["id"] != visit_id.as_str()).unwrap();
        assert_eq!(image(lead.clone(), format!("/api/v1/visits/{}/photos/{photo}", other["id"].as_str().unwrap())).await.0, 404);
        let anonymous = server.client.get(format!("{}{path}", server.base)).send().await.unwrap();
        assert_eq!(anonymous.status().as_u16(), 401);
        // Another agency's lead: 404.
        tests::fixtures::foreign_tenant(&server, "ZZANDERS", demo_date(), 2027, "garage-basis").await;
        assert_eq!(image(server.login("zzanders-teamleider").await, path).await.0, 404);
    }
}
