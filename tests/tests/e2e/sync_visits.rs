//! A visit's life through the sync protocol (API.md "Sync"): started, answered and finished from
//! the tablet; its checklist version pinned at the start even when a newer version is published
//! while it is in progress; marked not possible with a reason; and the pull feed read across many
//! pages.

use serde_json::{json, Value};
use shared::sync::{MutationStatus, PullResponse};
use tests::sim::{a_template, get_json, invariants, visits_on, SimDevice};
use tests::{demo_date, on_both_databases, TestServer};
use uuid::Uuid;

/// inspecteur1's token and their first visit on the demo date.
async fn setup(backend: tests::Backend) -> (TestServer, String, Value) {
    let server = TestServer::with_demo(backend).await;
    let token = server.login("inspecteur1").await;
    let visit = visits_on(&server.client, &server.base, &token, demo_date()).await[0].clone();
    (server, token, visit)
}

fn statuses(results: &[shared::sync::MutationResult]) -> Vec<(MutationStatus, Option<i64>)> {
    results.iter().map(|r| (r.status, r.version)).collect()
}

fn code(result: &shared::sync::MutationResult) -> Option<&str> {
    result.error.as_ref().map(|e| e.code.as_str())
}

/// A time the server reports is the moment the device sent (in whatever offset it is written).
fn same_instant(reported: &Value, sent: &str) -> bool {
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    reported
        .as_str()
        .and_then(parse)
        .is_some_and(|r| Some(r) == parse(sent))
}

/// One page of the feed after `cursor`.
async fn pull_page(server: &TestServer, token: &str, cursor: &str) -> PullResponse {
    let response = server
        .client
        .get(server.url("/api/v1/sync/pull"))
        .query(&[("cursor", cursor)])
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The cursor at the end of the feed as it is now.
async fn tail_cursor(server: &TestServer, token: &str) -> String {
    let mut observer = SimDevice::new(&server.base, server.client.clone(), token);
    observer.pull().await;
    observer.cursor
}

/// The visit as the feed has it last, read from the start.
async fn visit_in_feed(server: &TestServer, token: &str, visit_id: &str) -> (Vec<i64>, Value) {
    let mut cursor = String::new();
    let (mut versions, mut last) = (Vec::new(), Value::Null);
    loop {
        let page = pull_page(server, token, &cursor).await;
        for change in page.changes {
            if change.entity.as_str() == "visit" && change.entity_id.to_string() == visit_id {
                versions.push(change.version);
                last = change.data.unwrap_or(Value::Null);
            }
        }
        cursor = page.cursor;
        if !page.more {
            return (versions, last);
        }
    }
}

on_both_databases! {
    async fn a_visit_started_answered_and_finished_is_done_in_its_detail_and_in_the_feed(backend: Backend) {
        let (server, token, visit) = setup(backend).await;
        let id = visit["id"].as_str().unwrap().to_owned();
        assert_eq!((visit["status"].as_str(), visit["version"].as_i64()), (Some("planned"), Some(1)));
        let (template, version, items) = a_template(&server.client, &server.base, &token).await;
        let mut tablet = SimDevice::new(&server.base, server.client.clone(), &token);
        let visit_uuid: Uuid = id.parse().unwrap();
        tablet.queue("visit.start", visit_uuid, Some(1), json!({"template_id": template, "template_version": version,
            "started_at": "2026-11-30T09:02:00+01:00", "position": {"lat": 51.93, "lon": 6.58, "accuracy_m": 12.0}}));
        let finding = Uuid::new_v4();
        tablet.queue("finding.upsert", finding, None,
            json!({"visit_id": id, "item_id": items[0], "answer": {"type": "not_applicable"}, "note": null}));
        tablet.queue("visit.finish", visit_uuid, Some(2),
            json!({"finished_at": "2026-11-30T10:17:00+01:00", "hours_spent": 1.25}));
        let results = tablet.flush(10).await;
        assert_eq!(statuses(&results), [(MutationStatus::Applied, Some(2)), (MutationStatus::Applied, Some(1)),
            (MutationStatus::Applied, Some(3))], "{results:?}");

        // The visit is done where the office reads it and where the tablet lists it.
        let (status, detail) = get_json(&server.client, &server.base, &token, &format!("/api/v1/visits/{id}")).await;
        assert_eq!(status, 200, "{detail}");
        assert_eq!((detail["status"].as_str(), detail["version"].as_i64()), (Some("done"), Some(3)), "{detail}");
        assert_eq!(detail["findings"].as_array().map(Vec::len), Some(1), "{detail}");
        assert!(same_instant(&detail["started_at"], "2026-11-30T09:02:00+01:00"), "{detail}");
        assert!(same_instant(&detail["finished_at"], "2026-11-30T10:17:00+01:00"), "{detail}");
        let lead = server.login("teamleider1").await;
        let (_, seen_by_lead) = get_json(&server.client, &server.base, &lead, &format!("/api/v1/visits/{id}")).await;
        assert_eq!(seen_by_lead["status"], "done", "{seen_by_lead}");
        let listed = visits_on(&server.client, &server.base, &token, demo_date()).await;
        let listed = listed.iter().find(|v| v["id"] == id.as_str()).expect("still in the day list");
        assert_eq!((listed["status"].as_str(), listed["version"].as_i64()), (Some("done"), Some(3)));
        let hours: f64 = sqlx::query_scalar("SELECT hours_spent FROM inspections WHERE visit_id = $1")
            .bind(&id).fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(hours, 1.25);

        // The feed carries the start and the finish, in that order, and ends with the done visit.
        let (versions, last) = visit_in_feed(&server, &token, &id).await;
        assert!(versions.ends_with(&[2, 3]), "visit versions in the feed: {versions:?}");
        assert_eq!((last["status"].as_str(), last["version"].as_i64()), (Some("done"), Some(3)), "{last}");

        // A done visit is not finished or started again, and nothing changes.
        tablet.queue("visit.finish", visit_uuid, Some(3), json!({"finished_at": null, "hours_spent": 2.0}));
        tablet.queue("visit.start", visit_uuid, Some(3), json!({}));
        let again = tablet.flush(10).await;
        assert_eq!(again.iter().map(code).collect::<Vec<_>>(),
            [Some("visit.invalid_transition"), Some("visit.invalid_transition")], "{again:?}");
        let (_, after) = get_json(&server.client, &server.base, &token, &format!("/api/v1/visits/{id}")).await;
        assert_eq!((after["status"].as_str(), after["version"].as_i64()), (Some("done"), Some(3)));

        invariants::exactly_once(&server.state.db.pool, &tablet).await;
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn a_checklist_version_published_during_a_visit_leaves_the_visit_on_its_pinned_version(backend: Backend) {
        let (server, token, visit) = setup(backend).await;
        let id = visit["id"].as_str().unwrap().to_owned();
        let (template, version, items) = a_template(&server.client, &server.base, &token).await;
        let mut tablet = SimDevice::new(&server.base, server.client.clone(), &token);
        tablet.queue("visit.start", id.parse().unwrap(), Some(1),
            json!({"template_id": template, "template_version": version}));
        assert_eq!(statuses(&tablet.flush(10).await), [(MutationStatus::Applied, Some(2))]);

        // The office publishes the next version: the first item is dropped, a new one added.
        let (status, pinned) = get_json(&server.client, &server.base, &token,
            &format!("/api/v1/checklists/{template}/versions/{version}")).await;
        assert_eq!(status, 200, "{pinned}");
        let mut next = pinned.clone();
        let next_version = version + 1;
        next["version"] = json!(next_version);
        let list = next["items"].as_array_mut().unwrap();
        let mut added = list.remove(0);
        added["id"] = json!("nieuw-in-volgende-versie");
        list.push(added);
        let agency: String = sqlx::query_scalar("SELECT agency_id FROM users WHERE username = 'inspecteur1'")
            .fetch_one(&server.state.db.pool).await.unwrap();
        tests::fixtures::publish_template(&server, &agency, &next).await;
        let (_, latest) = get_json(&server.client, &server.base, &token, "/api/v1/checklists").await;
        let listed = latest["templates"].as_array().unwrap().iter().find(|t| t["id"] == template.as_str()).unwrap();
        assert_eq!(listed["version"], next_version, "the new version is the one the field gets now");

        // Answers are checked against the pinned version: its first item is still there, the new
        // item is not part of this inspection.
        let answer = |item: &str| json!({"visit_id": id, "item_id": item, "answer": {"type": "not_applicable"}, "note": null});
        tablet.queue("finding.upsert", Uuid::new_v4(), None, answer(&items[0]));
        tablet.queue("finding.upsert", Uuid::new_v4(), None, answer("nieuw-in-volgende-versie"));
        let results = tablet.flush(10).await;
        assert_eq!(results[0].status, MutationStatus::Applied, "{results:?}");
        assert_eq!(code(&results[1]), Some("finding.invalid_answer"), "{results:?}");

        // The visit still names the version it was started with, in its detail and in the feed.
        let (_, detail) = get_json(&server.client, &server.base, &token, &format!("/api/v1/visits/{id}")).await;
        assert_eq!((detail["template_id"].as_str(), detail["template_version"].as_u64()),
            (Some(template.as_str()), Some(u64::from(version))), "{detail}");
        let (_, in_feed) = visit_in_feed(&server, &token, &id).await;
        assert_eq!((in_feed["template_id"].as_str(), in_feed["template_version"].as_u64()),
            (Some(template.as_str()), Some(u64::from(version))), "{in_feed}");
        let stored: Option<i64> = sqlx::query_scalar("SELECT template_version FROM inspections WHERE visit_id = $1")
            .bind(&id).fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(stored, Some(i64::from(version)));

        // Finishing works on the pinned version too.
        tablet.queue("visit.finish", id.parse().unwrap(), Some(2), json!({"finished_at": null, "hours_spent": 0.5}));
        assert_eq!(statuses(&tablet.flush(10).await), [(MutationStatus::Applied, Some(3))]);
        invariants::exactly_once(&server.state.db.pool, &tablet).await;
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn the_pull_feed_beyond_one_page_continues_at_its_cursor_without_losing_or_repeating_a_change(backend: Backend) {
        let (server, token, visit) = setup(backend).await;
        let id = visit["id"].as_str().unwrap().to_owned();
        let start = tail_cursor(&server, &token).await;
        // 260 new notes and 200 edits: 460 changes, more than two pages of 200.
        let mut tablet = SimDevice::new(&server.base, server.client.clone(), &token);
        let mut expected = Vec::new();
        for i in 0..260 {
            let note = tablet.add_note(&id, &format!("Notitie {i}"));
            expected.push((note, 1));
            if i % 13 < 10 {
                tablet.edit_note(note, &format!("Notitie {i}, bijgewerkt"));
                expected.push((note, 2));
            }
        }
        assert_eq!(expected.len(), 460);
        let results = tablet.flush(200).await;
        assert!(results.iter().all(|r| r.status == MutationStatus::Applied));

        let mut cursor = start.clone();
        let mut seen = Vec::new();
        let mut pages = Vec::new();
        loop {
            let page = pull_page(&server, &token, &cursor).await;
            pages.push((page.changes.len(), page.more));
            assert!(page.cursor != cursor || page.changes.is_empty(), "the cursor moves on with every change");
            if pages.len() == 1 {
                // A change committed while the device is between pages comes after the rest.
                let late = tablet.add_note(&id, "Tussendoor");
                tablet.flush(10).await;
                expected.push((late, 1));
            }
            seen.extend(page.changes.iter().filter(|c| c.entity.as_str() == "visit_note").map(|c| (c.entity_id, c.version)));
            cursor = page.cursor;
            if !page.more {
                break;
            }
        }
        assert_eq!(pages, [(200, true), (200, true), (61, false)], "page sizes and `more`");
        assert_eq!(seen, expected, "every change once, in commit order");
        // At the end the feed has nothing more, and the same cursor stays at the end.
        let end = pull_page(&server, &token, &cursor).await;
        assert!(end.changes.is_empty() && !end.more);
        // Starting again from the first cursor gives the same changes.
        let mut again = SimDevice::new(&server.base, server.client.clone(), &token);
        again.cursor = start;
        again.pull().await;
        assert_eq!(again.cursor, cursor);
        invariants::exactly_once(&server.state.db.pool, &tablet).await;
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn a_visit_marked_not_possible_keeps_its_reason_counts_for_the_team_and_frees_its_site(backend: Backend) {
        let (server, token, visit) = setup(backend).await;
        let id = visit["id"].as_str().unwrap().to_owned();
        let visit_uuid: Uuid = id.parse().unwrap();
        let site_id = visit["site"]["id"].as_str().unwrap().to_owned();
        let mut tablet = SimDevice::new(&server.base, server.client.clone(), &token);

        // Refused reasons change nothing: "other" needs an explanation, none may be too long, an
        // unknown reason is malformed data.
        tablet.queue("visit.not_possible", visit_uuid, Some(1), json!({"reason": "other", "note": "  "}));
        tablet.queue("visit.not_possible", visit_uuid, Some(1), json!({"reason": "closed", "note": "x".repeat(501)}));
        tablet.queue("visit.not_possible", visit_uuid, Some(1), json!({"reason": "weekend"}));
        let refused = tablet.flush(10).await;
        assert_eq!(refused.iter().map(code).collect::<Vec<_>>(),
            [Some("visit.invalid_reason"), Some("visit.invalid_reason"), Some("sync.invalid_data")], "{refused:?}");
        let (_, unchanged) = get_json(&server.client, &server.base, &token, &format!("/api/v1/visits/{id}")).await;
        assert_eq!((unchanged["status"].as_str(), unchanged["version"].as_i64()), (Some("planned"), Some(1)));

        tablet.queue("visit.not_possible", visit_uuid, Some(1),
            json!({"reason": "no_access", "note": " Poort dicht, niemand aanwezig ", "at": "2026-11-30T09:40:00+01:00"}));
        assert_eq!(statuses(&tablet.flush(10).await), [(MutationStatus::Applied, Some(2))]);

        // The visit says why, in its detail, in the day list and in the feed.
        let (_, detail) = get_json(&server.client, &server.base, &token, &format!("/api/v1/visits/{id}")).await;
        assert_eq!(detail["status"], "not_possible", "{detail}");
        assert_eq!(detail["not_possible"]["reason"], "no_access", "{detail}");
        assert_eq!(detail["not_possible"]["note"], "Poort dicht, niemand aanwezig", "{detail}");
        assert!(same_instant(&detail["not_possible"]["at"], "2026-11-30T09:40:00+01:00"), "{detail}");
        let (versions, in_feed) = visit_in_feed(&server, &token, &id).await;
        assert!(versions.ends_with(&[2]), "{versions:?}");
        assert_eq!(in_feed["not_possible"]["reason"], "no_access", "{in_feed}");

        // The team lead counts it on the board and in the team day, with the reason.
        let lead = server.login("teamleider1").await;
        let date = demo_date();
        let (status, board) = get_json(&server.client, &server.base, &lead, &format!("/api/v1/team/board?date={date}")).await;
        assert_eq!(status, 200, "{board}");
        let on_board = board["visits"].as_array().unwrap().iter().find(|v| v["id"] == id.as_str()).expect("on the board");
        assert_eq!((on_board["status"].as_str(), on_board["not_possible"].as_str()), (Some("not_possible"), Some("no_access")));
        let (_, day) = get_json(&server.client, &server.base, &lead, &format!("/api/v1/team/visits?date={date}")).await;
        let own = day["inspectors"].as_array().unwrap().iter()
            .find(|i| i["visits"].as_array().unwrap().iter().any(|v| v["id"] == id.as_str())).unwrap();
        assert_eq!(own["not_possible"], 1, "{own}");

        // The site goes back to the planner for the days after; a started visit is not given up.
        let agency: String = sqlx::query_scalar("SELECT agency_id FROM visits WHERE id = $1")
            .bind(&id).fetch_one(&server.state.db.pool).await.unwrap();
        let later = (date + chrono::Days::new(1)).to_string();
        let blocked = server::db::planning::sites_with_open_visits(&server.state.db.pool, &agency, &later).await.unwrap();
        assert!(!blocked.contains(&site_id), "a site whose visit was not possible may be planned again");

        // The inspector goes after all: the visit starts, the reason is dropped, and it can no
        // longer be marked not possible.
        tablet.queue("visit.start", visit_uuid, Some(2), json!({}));
        tablet.queue("visit.not_possible", visit_uuid, Some(3), json!({"reason": "no_time"}));
        let results = tablet.flush(10).await;
        assert_eq!(results[0].status, MutationStatus::Applied, "{results:?}");
        assert_eq!(code(&results[1]), Some("visit.invalid_transition"), "{results:?}");
        let (_, started) = get_json(&server.client, &server.base, &token, &format!("/api/v1/visits/{id}")).await;
        assert_eq!((started["status"].as_str(), started["version"].as_i64()), (Some("in_progress"), Some(3)));
        assert!(started.get("not_possible").is_none(), "{started}");

        invariants::exactly_once(&server.state.db.pool, &tablet).await;
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }
}
