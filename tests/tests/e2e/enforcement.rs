//! The enforcement chain end to end (API.md "Enforcement"): an assessed violation with the
//! intervention the inspector chose opens a case; office steps move it through the escalation
//! machine and a step the machine does not allow changes nothing; a due re-inspection goes first
//! on the day's plan; the re-inspection's verdict closes or escalates the case.

use chrono::{Days, NaiveDate};
use serde_json::{json, Value};
use shared::sync::{MutationResult, MutationStatus};
use tests::sim::{a_started_violation, a_template, get_json, post_json, visits_on, SimDevice};
use tests::{demo_date, on_both_databases, TestServer};
use uuid::Uuid;

/// A visit of inspecteur1 on the demo date, now started, with one violating finding; returns the
/// device, the visit, the finding's id and the LHSO answers of the lightest cell.
async fn a_violation(server: &TestServer, token: &str) -> (SimDevice, Value, Uuid, Value) {
    let v = a_started_violation(&server.client, &server.base, token, demo_date()).await;
    (v.tablet, v.visit, v.finding, v.answers)
}

fn only(results: Vec<MutationResult>) -> MutationResult {
    assert_eq!(results.len(), 1, "{results:?}");
    results.into_iter().next().unwrap()
}

fn code(r: &MutationResult) -> Option<&str> {
    r.error.as_ref().map(|e| e.code.as_str())
}

/// The advice of the answers' cell: its cell and the interventions it proposes.
async fn advice(server: &TestServer, token: &str, answers: &Value) -> (String, Vec<String>) {
    let (_, advice) = post_json(
        &server.client,
        &server.base,
        token,
        "/api/v1/lhso/assess",
        &json!({"answers": answers}),
    )
    .await;
    let proposed = advice["interventions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap().to_owned())
        .collect();
    (advice["cell"].as_str().unwrap().to_owned(), proposed)
}

fn assessment(answers: &Value, cell: &str, extra: &Value) -> Value {
    let mut data = json!({"matrix_version": "lhso-default-2022", "answers": answers, "repeat_offence": false,
        "chosen_cell": cell, "deviation_reason": null, "inspection_date": demo_date()});
    for (k, v) in extra.as_object().unwrap() {
        data[k] = v.clone();
    }
    data
}

async fn site_cases(server: &TestServer, token: &str, site_id: &str) -> Vec<Value> {
    let (status, site) = get_json(
        &server.client,
        &server.base,
        token,
        &format!("/api/v1/sites/{site_id}"),
    )
    .await;
    assert_eq!(status, 200, "{site}");
    site["enforcement"].as_array().unwrap().clone()
}

async fn step(server: &TestServer, token: &str, case_id: &str, body: Value) -> (u16, Value) {
    post_json(
        &server.client,
        &server.base,
        token,
        &format!("/api/v1/enforcement/cases/{case_id}/steps"),
        &body,
    )
    .await
}

async fn count(server: &TestServer, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap()
}

/// A violation of inspecteur1 assessed with the first proposed intervention and `deadline`;
/// returns the device, the visit, the finding's id and its case as a team lead reads it.
async fn an_open_case(
    server: &TestServer,
    token: &str,
    deadline: NaiveDate,
) -> (SimDevice, Value, Uuid, Value) {
    let (mut tablet, visit, finding, answers) = a_violation(server, token).await;
    let (cell, proposed) = advice(server, token, &answers).await;
    tablet.queue(
        "violation.assess",
        finding,
        None,
        assessment(
            &answers,
            &cell,
            &json!({"intervention": proposed[0], "remedy_deadline": deadline}),
        ),
    );
    assert_eq!(only(tablet.flush(10).await).status, MutationStatus::Applied);
    let lead = server.login("teamleider1").await;
    let case = site_cases(server, &lead, visit["site"]["id"].as_str().unwrap())
        .await
        .into_iter()
        .find(|c| c["violation_id"] == finding.to_string())
        .expect("the violation opened a case");
    (tablet, visit, finding, case)
}

on_both_databases! {
    async fn the_chosen_intervention_is_stored_an_unknown_or_unreasoned_one_refused_and_the_case_opens(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let (mut tablet, visit, finding, answers) = a_violation(&server, &token).await;
        let (cell, proposed) = advice(&server, &token, &answers).await;
        let chosen = proposed.last().unwrap().clone();

        // An unknown code, and a known one the matrix does not propose without a reason: refused.
        let not_proposed = shared::lhso::Intervention::ALL.iter().map(|i| i.as_str())
            .find(|i| !proposed.iter().any(|p| p == i)).unwrap();
        for extra in [json!({"intervention": "fine"}), json!({"intervention": not_proposed}),
                      json!({"intervention": not_proposed, "intervention_reason": "  "}),
                      json!({"intervention": chosen, "remedy_deadline": "2026-11-29"})] {
            tablet.queue("violation.assess", finding, None, assessment(&answers, &cell, &extra));
            let r = only(tablet.flush(10).await);
            assert_eq!((r.status, code(&r)), (MutationStatus::Rejected, Some("lhso.invalid_input")), "{extra}");
        }
        assert_eq!(count(&server, "SELECT COUNT(*) FROM enforcement_cases WHERE violation_id = $1", &finding.to_string()).await, 0);

        // The inspector's choice (not the matrix's first), a deadline of their own and the BOA note.
        tablet.queue("violation.assess", finding, None, assessment(&answers, &cell,
            &json!({"intervention": chosen, "remedy_deadline": "2026-12-14", "boa_consulted": false})));
        let r = only(tablet.flush(10).await);
        assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
        let (intervention, chosen_flag, deadline, boa): (String, i64, Option<String>, Option<i64>) = sqlx::query_as(
            "SELECT intervention, intervention_chosen, remedy_deadline, boa_consulted FROM violations WHERE id = $1")
            .bind(finding.to_string()).fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!((intervention.as_str(), chosen_flag, deadline.as_deref(), boa), (chosen.as_str(), 1, Some("2026-12-14"), Some(0)));

        let lead = server.login("teamleider1").await;
        let cases = site_cases(&server, &lead, visit["site"]["id"].as_str().unwrap()).await;
        let case = cases.iter().find(|c| c["violation_id"] == finding.to_string()).expect("the violation opened a case");
        assert_eq!((case["state"].as_str(), case["open"].as_bool(), case["intervention"].as_str()), (Some("open"), Some(true), Some(chosen.as_str())));
        assert_eq!((case["remedy_deadline"].as_str(), case["reinspection_due"].as_str()), (Some("2026-12-14"), Some("2026-12-14")));
        assert_eq!(case["steps"][0]["step"], "opened");
        assert_eq!(case["next"]["step"], "letter_sent");

        // Another known intervention with a reason is accepted as a revision; an older app's
        // assessment without a choice gets the matrix's first, recorded as not chosen.
        tablet.queue("violation.assess", finding, Some(1), assessment(&answers, &cell,
            &json!({"intervention": not_proposed, "intervention_reason": "Eerder al gewaarschuwd voor hetzelfde"})));
        assert_eq!(only(tablet.flush(10).await).status, MutationStatus::Applied);
        tablet.queue("violation.assess", finding, Some(2), assessment(&answers, &cell, &json!({})));
        assert_eq!(only(tablet.flush(10).await).status, MutationStatus::Applied);
        let (intervention, chosen_flag): (String, i64) = sqlx::query_as("SELECT intervention, intervention_chosen FROM violations WHERE id = $1")
            .bind(finding.to_string()).fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!((intervention.as_str(), chosen_flag), (proposed[0].as_str(), 0));

        // The case travels in the pull feed to the inspector.
        let (_, feed) = get_json(&server.client, &server.base, &token, "/api/v1/sync/pull?cursor=").await;
        assert!(feed["changes"].as_array().unwrap().iter().any(|c| c["entity"] == "enforcement_case" && c["data"]["violation_id"] == finding.to_string()), "{feed}");
        tests::sim::invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn every_office_step_follows_the_machine_and_a_refused_one_changes_nothing(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let (_, _, _, case) = an_open_case(&server, &token, demo_date()).await;
        let lead = server.login("teamleider1").await;
        let id = case["id"].as_str().unwrap().to_owned();
        let today = chrono::Local::now().date_naive();

        // Not allowed by the machine, stale, from the wrong role, or badly formed: nothing changes.
        let before = count(&server, "SELECT COUNT(*) FROM enforcement_steps WHERE case_id = $1", &id).await;
        for (who, body, status, code) in [
            (&lead, json!({"base_version": 1, "step": "collected", "amount_cents": 100}), 409, "enforcement.invalid_transition"),
            (&lead, json!({"base_version": 1, "step": "decision_taken"}), 409, "enforcement.invalid_transition"),
            (&lead, json!({"base_version": 7, "step": "letter_sent"}), 409, "record.version_conflict"),
            (&lead, json!({"base_version": 1, "step": "reinspected", "remedied": true}), 400, "enforcement.invalid_step"),
            (&lead, json!({"base_version": 1, "step": "letter_sent", "on": today + Days::new(3)}), 400, "enforcement.invalid_step"),
            (&lead, json!({"base_version": 1, "step": "pardon"}), 400, "request.invalid"),
            (&token, json!({"base_version": 1, "step": "letter_sent"}), 403, "auth.forbidden"),
        ] {
            let (s, body_out) = step(&server, who, &id, body.clone()).await;
            assert_eq!((s, body_out["error"]["code"].as_str()), (status, Some(code)), "{body}: {body_out}");
        }
        assert_eq!(count(&server, "SELECT COUNT(*) FROM enforcement_steps WHERE case_id = $1", &id).await, before);
        assert_eq!(count(&server, "SELECT version FROM enforcement_cases WHERE id = $1", &id).await, 1);

        // The administrative route as the office records it, on the dates the machine allows.
        let (s, case) = step(&server, &lead, &id, json!({"base_version": 1, "step": "letter_sent", "on": demo_date()})).await;
        assert_eq!((s, case["state"].as_str(), case["version"].as_i64()), (200, Some("letter_sent"), Some(2)), "{case}");
        // The criminal route beside it: the referral needs the official report first.
        let (s, _) = step(&server, &lead, &id, json!({"base_version": 2, "step": "referred_to_prosecutor"})).await;
        assert_eq!(s, 409);
        let (s, case) = step(&server, &lead, &id, json!({"base_version": 2, "step": "official_report", "note": "PV 2026-114"})).await;
        assert_eq!((s, case["state"].as_str()), (200, Some("letter_sent")), "{case}");
        let manager = server.login("manager").await;
        let (s, case) = step(&server, &manager, &id, json!({"base_version": 3, "step": "referred_to_prosecutor"})).await;
        assert_eq!((s, case["file"]["referred_on"].is_string()), (200, true), "{case}");
        let steps: Vec<&str> = case["steps"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap()).collect();
        assert_eq!(steps, ["opened", "letter_sent", "official_report", "referred_to_prosecutor"]);
        assert!(case["steps"].as_array().unwrap()[1]["by"].is_string(), "every step records who");
        let audited = count(&server, "SELECT COUNT(*) FROM audit_log WHERE entity = 'enforcement_case' AND entity_id = $1", &id).await;
        assert!(audited >= 4, "opened + three office steps are audited, got {audited}");
        tests::sim::invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn the_office_walks_a_case_from_intention_to_a_collected_penalty_and_acute_harm_skips_the_intention(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let (_, _, _, case) = an_open_case(&server, &token, demo_date()).await;
        let lead = server.login("teamleider1").await;
        let id = case["id"].as_str().unwrap().to_owned();
        let today = chrono::Local::now().date_naive();
        let mut version = 1;
        for (body, state) in [
            (json!({"step": "intention_sent", "sanction": "penalty_order"}), "intention_sent"),
            (json!({"step": "response_received", "note": "Zienswijze per brief"}), "response_received"),
            // The grace period ends today, so the penalty can be forfeited today.
            (json!({"step": "decision_taken", "grace_deadline": today, "amount_cents": 500_000}), "decision"),
            (json!({"step": "forfeited", "amount_cents": 500_000}), "forfeited"),
            (json!({"step": "collected", "amount_cents": 500_000}), "collected"),
        ] {
            let mut request = body.clone();
            request["base_version"] = json!(version);
            let (s, answer) = step(&server, &lead, &id, request).await;
            assert_eq!((s, answer["state"].as_str()), (200, Some(state)), "{body}: {answer}");
            version = answer["version"].as_i64().unwrap();
        }
        let (_, done) = get_json(&server.client, &server.base, &lead, &format!("/api/v1/enforcement/cases/{id}")).await;
        assert_eq!((done["open"].as_bool(), done["file"]["collected_cents"].as_i64()), (Some(false), Some(500_000)));
        let amounts: Vec<Option<i64>> = done["steps"].as_array().unwrap().iter().map(|s| s["amount_cents"].as_i64()).collect();
        assert_eq!(amounts, [None, None, None, Some(500_000), Some(500_000), Some(500_000)]);
        // A collected case is finished: the open list no longer shows it.
        let (_, open) = get_json(&server.client, &server.base, &lead, "/api/v1/enforcement/cases?open=true").await;
        assert!(open["cases"].as_array().unwrap().iter().all(|c| c["id"] != id.as_str()));

        // Acute harm: an immediate enforcement order, re-inspected the next working day.
        let (_, _, _, acute) = an_open_case(&server, &token, demo_date() + Days::new(30)).await;
        let acute_id = acute["id"].as_str().unwrap();
        let (s, answer) = step(&server, &lead, acute_id, json!({"base_version": 1, "step": "acute_harm"})).await;
        assert_eq!((s, answer["state"].as_str(), answer["file"]["immediate"].as_bool()), (200, Some("decision"), Some(true)), "{answer}");
        assert!(answer["reinspection_due"].as_str().is_some_and(|d| d > today.to_string().as_str()), "{answer}");
        // Forfeiting before the grace period ended is refused.
        let (s, answer) = step(&server, &lead, acute_id, json!({"base_version": 2, "step": "forfeited", "amount_cents": 1})).await;
        assert_eq!((s, answer["error"]["code"].as_str()), (409, Some("enforcement.deadline_not_passed")), "{answer}");
    }

    async fn a_due_reinspection_goes_first_on_the_plan_remedied_closes_and_not_remedied_escalates(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        // Deadline on the inspection day: the re-inspection is due at once.
        let (mut tablet, visit, finding, _) = an_open_case(&server, &token, demo_date()).await;
        let visit_id: Uuid = visit["id"].as_str().unwrap().parse().unwrap();
        tablet.queue("visit.finish", visit_id, Some(2), json!({"finished_at": null, "hours_spent": 1.5}));
        assert_eq!(only(tablet.flush(10).await).status, MutationStatus::Applied);

        let lead = server.login("teamleider1").await;
        let next_day: NaiveDate = demo_date() + Days::new(1);
        let (s, plan) = post_json(&server.client, &server.base, &lead, "/api/v1/team/plan", &json!({"date": next_day})).await;
        assert_eq!(s, 200, "{plan}");
        assert_eq!(plan["date"], next_day.to_string());
        let site_id = visit["site"]["id"].as_str().unwrap();
        let mine = visits_on(&server.client, &server.base, &token, next_day).await;
        assert_eq!(mine[0]["site"]["id"], site_id, "the finder's re-inspection is first of the day: {mine:?}");
        assert_eq!(mine[0]["kind"], "reinspection");
        // Planning again adds nothing.
        post_json(&server.client, &server.base, &lead, "/api/v1/team/plan", &json!({"date": next_day})).await;
        let again = visits_on(&server.client, &server.base, &token, next_day).await;
        assert_eq!(again.len(), mine.len());

        // The re-inspection sees the open case on its visit and settles it: not remedied first.
        let reinspection_id: Uuid = mine[0]["id"].as_str().unwrap().parse().unwrap();
        let (_, detail) = get_json(&server.client, &server.base, &token, &format!("/api/v1/visits/{reinspection_id}")).await;
        let case = detail["enforcement"].as_array().unwrap().iter().find(|c| c["violation_id"] == finding.to_string()).expect("the visit shows the case").clone();
        let case_id: Uuid = case["id"].as_str().unwrap().parse().unwrap();
        let (template, version, _) = a_template(&server.client, &server.base, &token).await;
        tablet.queue("visit.start", reinspection_id, Some(mine[0]["version"].as_i64().unwrap()),
            json!({"template_id": template, "template_version": version}));
        tablet.queue("enforcement_case.reinspect", case_id, Some(case["version"].as_i64().unwrap()),
            json!({"visit_id": reinspection_id, "remedied": false, "note": "Lekbak ontbreekt nog steeds"}));
        let results = tablet.flush(10).await;
        assert!(results.iter().all(|r| r.status == MutationStatus::Applied), "{results:?}");
        let (_, case) = get_json(&server.client, &server.base, &lead, &format!("/api/v1/enforcement/cases/{case_id}")).await;
        assert_eq!(case["state"], "not_remedied", "{case}");
        assert_eq!(case["next"]["step"], "intention_sent");
        assert!(case["next"]["deadline"].is_string(), "not remedied proposes the next step with a new deadline: {case}");
        // A stale verdict is a conflict, kept for a person.
        tablet.queue("enforcement_case.reinspect", case_id, Some(1), json!({"visit_id": reinspection_id, "remedied": true}));
        assert_eq!(only(tablet.flush(10).await).status, MutationStatus::Conflict);
        // The office sends the intention; the offender remedies; the next check closes the case.
        let (s, case) = step(&server, &lead, &case_id.to_string(), json!({"base_version": case["version"], "step": "intention_sent", "sanction": "penalty_order"})).await;
        assert_eq!((s, case["state"].as_str()), (200, Some("intention_sent")), "{case}");
        tablet.queue("enforcement_case.reinspect", case_id, case["version"].as_i64(), json!({"visit_id": reinspection_id, "remedied": true}));
        assert_eq!(only(tablet.flush(10).await).status, MutationStatus::Applied);
        let (_, case) = get_json(&server.client, &server.base, &lead, &format!("/api/v1/enforcement/cases/{case_id}")).await;
        assert_eq!((case["state"].as_str(), case["open"].as_bool(), case["reinspection_due"].as_str()), (Some("closed"), Some(false), None), "{case}");
        let steps: Vec<&str> = case["steps"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap()).collect();
        assert_eq!(steps, ["opened", "not_remedied", "intention_sent", "remedied"]);
        tests::sim::invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn a_verdict_before_the_deadline_or_on_another_site_is_refused(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let later = chrono::Utc::now().date_naive() + Days::new(60);
        let (mut tablet, visit, _, case) = an_open_case(&server, &token, later).await;
        let case_id: Uuid = case["id"].as_str().unwrap().parse().unwrap();
        let visit_id = visit["id"].as_str().unwrap();
        tablet.queue("enforcement_case.reinspect", case_id, Some(1), json!({"visit_id": visit_id, "remedied": false}));
        let r = only(tablet.flush(10).await);
        assert_eq!((r.status, code(&r)), (MutationStatus::Rejected, Some("enforcement.deadline_not_passed")));
        // Another visit of the inspector, at another site, cannot settle this case.
        let other = visits_on(&server.client, &server.base, &token, demo_date()).await[1].clone();
        let (template, version, _) = a_template(&server.client, &server.base, &token).await;
        let other_id: Uuid = other["id"].as_str().unwrap().parse().unwrap();
        tablet.queue("visit.start", other_id, Some(other["version"].as_i64().unwrap()), json!({"template_id": template, "template_version": version}));
        tablet.queue("enforcement_case.reinspect", case_id, Some(1), json!({"visit_id": other_id, "remedied": true}));
        let results = tablet.flush(10).await;
        assert_eq!(code(&results[1]), Some("sync.unknown_entity"), "{results:?}");
        // Unknown fields in the verdict are malformed data.
        tablet.queue("enforcement_case.reinspect", case_id, Some(1), json!({"visit_id": visit_id, "remedied": true, "extra": 1}));
        assert_eq!(code(&only(tablet.flush(10).await)), Some("sync.invalid_data"));
        assert_eq!(count(&server, "SELECT version FROM enforcement_cases WHERE id = $1", &case_id.to_string()).await, 1);
    }

    async fn a_repeat_offence_weighs_in_the_advice_and_clearing_a_suggested_one_keeps_its_reason(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let (mut tablet, _, finding, answers) = a_violation(&server, &token).await;
        let (cell, _) = advice(&server, &token, &answers).await;
        // The same answers with the aggravating repeat: the server recomputes a graver cell.
        let (_, repeat) = post_json(&server.client, &server.base, &token, "/api/v1/lhso/assess",
            &json!({"answers": answers, "repeat_offence": true})).await;
        let graver = repeat["cell"].as_str().unwrap().to_owned();
        assert_ne!(graver, cell, "a repeat offence makes the behaviour graver");
        tablet.queue("violation.assess", finding, None, json!({"matrix_version": "lhso-default-2022", "answers": answers,
            "repeat_offence": true, "chosen_cell": graver, "deviation_reason": null, "inspection_date": demo_date()}));
        assert_eq!(only(tablet.flush(10).await).status, MutationStatus::Applied);
        let (flag, stored_cell): (i64, String) = sqlx::query_as("SELECT repeat_offence, suggested_cell FROM violations WHERE id = $1")
            .bind(finding.to_string()).fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!((flag, stored_cell.as_str()), (1, graver.as_str()));
        // Cleared on the tablet with a reason: the reason is kept beside the assessment.
        tablet.queue("violation.assess", finding, Some(1), assessment(&answers, &cell,
            &json!({"repeat_offence_reason": "Andere installatie dan bij de vorige controle"})));
        assert_eq!(only(tablet.flush(10).await).status, MutationStatus::Applied);
        let (flag, reason): (i64, Option<String>) = sqlx::query_as("SELECT repeat_offence, repeat_offence_reason FROM violations WHERE id = $1")
            .bind(finding.to_string()).fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!((flag, reason.as_deref()), (0, Some("Andere installatie dan bij de vorige controle")));
    }

    async fn the_demo_holds_cases_in_every_state_consistent_with_the_machine(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let states: Vec<String> = sqlx::query_scalar("SELECT DISTINCT state FROM enforcement_cases ORDER BY state")
            .fetch_all(&server.state.db.pool).await.unwrap();
        for state in shared::enforcement::CaseState::ALL {
            assert!(states.iter().any(|s| s == state.as_str()), "no demo case in state {state}: {states:?}");
        }
        let referrals = count(&server, "SELECT COUNT(*) FROM enforcement_steps WHERE step = $1", "referred_to_prosecutor").await;
        let collected = count(&server, "SELECT COUNT(*) FROM enforcement_steps WHERE step = $1", "collected").await;
        assert!(referrals > 0 && collected > 0, "referrals {referrals}, collected {collected}");
        // Every case's steps replay through the machine to its stored file.
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, file FROM enforcement_cases").fetch_all(&server.state.db.pool).await.unwrap();
        for (id, file) in rows.iter().take(400) {
            let file: shared::enforcement::CaseFile = serde_json::from_str(file).unwrap();
            let last: String = sqlx::query_scalar("SELECT state FROM enforcement_steps WHERE case_id = $1 ORDER BY seq DESC LIMIT 1")
                .bind(id).fetch_one(&server.state.db.pool).await.unwrap();
            assert_eq!(last, file.state.as_str(), "case {id}");
        }
    }
}
