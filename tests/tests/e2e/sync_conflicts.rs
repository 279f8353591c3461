//! Sync fault injection, concurrent work: two devices editing the same record, a visit reassigned
//! while a tablet was offline, and tablet clocks that are days off. A stale base version is a
//! recorded conflict, never an overwrite; a write the user may no longer make is rejected and kept
//! for a person; device time never decides order (API.md "Sync").

use serde_json::{json, Value};
use shared::sync::{MutationResult, MutationStatus};
use tests::sim::{a_template, invariants, visits_on, SimDevice};
use tests::{demo_date, on_both_databases, TestServer};
use uuid::Uuid;

async fn user_column(server: &TestServer, column: &str, username: &str) -> String {
    sqlx::query_scalar(&format!("SELECT {column} FROM users WHERE username = $1"))
        .bind(username)
        .fetch_one(&server.state.db.pool)
        .await
        .expect("user")
}

/// The conflicts and rejections a team lead of the agency is shown (`GET /sync/problems`).
async fn problems(server: &TestServer, username: &str) -> Vec<server::db::mutations::ConflictRow> {
    let agency = user_column(server, "agency_id", username).await;
    server::db::mutations::open_problems(&server.state.db.pool, &agency, None)
        .await
        .expect("problems")
}

fn only(results: &[MutationResult]) -> &MutationResult {
    assert_eq!(results.len(), 1, "{results:?}");
    &results[0]
}

/// A tablet and a phone of one inspector edit the note "Vetput vol" at once (`edits`: the tablet's,
/// then the phone's text); the tablet's edit is applied, the phone's is the returned conflict.
async fn note_conflict(
    server: &TestServer,
    token: &str,
    visit_id: &str,
    edits: [&str; 2],
) -> (SimDevice, SimDevice, Uuid, MutationResult) {
    let mut tablet = SimDevice::new(&server.base, server.client.clone(), token);
    let mut phone = SimDevice::new(&server.base, server.client.clone(), token);
    let note = tablet.add_note(visit_id, "Vetput vol");
    tablet.flush(10).await;
    phone.pull().await;
    assert_eq!(phone.records[&note].version, 1);
    tablet.edit_note(note, edits[0]);
    phone.edit_note(note, edits[1]);
    assert_eq!(
        only(&tablet.flush(10).await).status,
        MutationStatus::Applied
    );
    let conflict = only(&phone.flush(10).await).clone();
    assert_eq!(conflict.status, MutationStatus::Conflict);
    (tablet, phone, note, conflict)
}

async fn first_visit(server: &TestServer, token: &str) -> Value {
    visits_on(&server.client, &server.base, token, demo_date()).await[0].clone()
}

on_both_databases! {
    async fn two_devices_editing_the_same_note_give_one_edit_and_one_recorded_conflict(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let visit = first_visit(&server, &token).await;
        let visit_id = visit["id"].as_str().unwrap();
        let (mut tablet, mut phone, note, conflict) = note_conflict(
            &server, &token, visit_id, ["Vetput vol, ledigingsbewijs ontbreekt", "Vetput geleegd op 12 november"]).await;
        let conflict = &conflict;
        assert_eq!(conflict.version, Some(2), "the current version is reported");

        let pool = &server.state.db.pool;
        let text: String = sqlx::query_scalar("SELECT text FROM visit_notes WHERE id = $1")
            .bind(note.to_string()).fetch_one(pool).await.unwrap();
        assert_eq!(text, "Vetput vol, ledigingsbewijs ontbreekt", "the stale edit did not overwrite");
        let (entity, base, current, data): (String, Option<i64>, Option<i64>, String) = sqlx::query_as(
            "SELECT entity, base_version, current_version, data FROM sync_conflicts WHERE mutation_id = $1")
            .bind(conflict.id.to_string()).fetch_one(pool).await.unwrap();
        assert_eq!((entity.as_str(), base, current), ("visit_note", Some(1), Some(2)));
        assert!(data.contains("Vetput geleegd op 12 november"), "the losing text is kept: {data}");
        let shown = problems(&server, "inspecteur1").await;
        assert!(shown.iter().any(|p| p.problem == "conflict" && p.mutation_id == conflict.id.to_string()));

        for device in [&tablet, &phone] {
            invariants::exactly_once(pool, device).await;
        }
        invariants::note_history(pool, &note.to_string()).await;
        for device in [&mut tablet, &mut phone] {
            device.pull().await;
            invariants::converged(pool, device, &[note.to_string()]).await;
        }
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn two_devices_starting_a_visit_and_answering_one_item_give_one_answer_and_recorded_conflicts(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur2").await;
        let visit = first_visit(&server, &token).await;
        let visit_id = visit["id"].as_str().unwrap();
        let visit_uuid: Uuid = visit_id.parse().unwrap();
        let (template, version, items) = a_template(&server.client, &server.base, &token).await;
        let start = json!({"template_id": template, "template_version": version});
        let mut tablet = SimDevice::new(&server.base, server.client.clone(), &token);
        let mut phone = SimDevice::new(&server.base, server.client.clone(), &token);

        tablet.queue("visit.start", visit_uuid, Some(1), start.clone());
        phone.queue("visit.start", visit_uuid, Some(1), start);
        assert_eq!(only(&tablet.flush(10).await).status, MutationStatus::Applied);
        let second_start = phone.flush(10).await;
        assert_eq!(only(&second_start).status, MutationStatus::Conflict);
        assert_eq!(only(&second_start).version, Some(2));

        let answer = |t: &str| json!({"visit_id": visit_id, "item_id": items[0], "answer": {"type": t}, "note": null});
        let finding = Uuid::new_v4();
        tablet.queue("finding.upsert", finding, None, answer("not_applicable"));
        phone.queue("finding.upsert", Uuid::new_v4(), None, answer("not_applicable"));
        assert_eq!(only(&tablet.flush(10).await).status, MutationStatus::Applied);
        assert_eq!(only(&phone.flush(10).await).status, MutationStatus::Conflict, "a second answer to one item");

        tablet.queue("finding.upsert", finding, Some(1), json!({"visit_id": visit_id, "item_id": items[0],
            "answer": {"type": "not_applicable"}, "note": "Niet van toepassing: geen opslag"}));
        phone.queue("finding.upsert", finding, Some(1), json!({"visit_id": visit_id, "item_id": items[0],
            "answer": {"type": "not_applicable"}, "note": "Anders"}));
        assert_eq!(only(&tablet.flush(10).await).status, MutationStatus::Applied);
        assert_eq!(only(&phone.flush(10).await).status, MutationStatus::Conflict);

        let pool = &server.state.db.pool;
        let rows: Vec<(String, i64, Option<String>)> = sqlx::query_as(
            "SELECT id, version, note FROM findings WHERE visit_id = $1")
            .bind(visit_id).fetch_all(pool).await.unwrap();
        assert_eq!(rows, vec![(finding.to_string(), 2, Some("Niet van toepassing: geen opslag".to_owned()))]);
        let conflicts = invariants::count(pool,
            "SELECT COUNT(*) FROM sync_conflicts WHERE device_id = $1", &phone.device_id.to_string()).await;
        assert_eq!(conflicts, 3);
        for device in [&tablet, &phone] {
            invariants::exactly_once(pool, device).await;
        }
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn a_settled_problem_leaves_the_open_list_once_and_only_its_owner_or_a_team_lead_may_settle_it(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let visit = first_visit(&server, &token).await;
        let visit_id = visit["id"].as_str().unwrap();
        let (mut tablet, mut phone, note, conflict) =
            note_conflict(&server, &token, visit_id, ["Vetput vol, bewijs ontbreekt", "Vetput geleegd"]).await;
        let conflict = conflict.id;
        // A rejection too: an empty note.
        tablet.queue("visit_note.add", Uuid::new_v4(), None, json!({"visit_id": visit_id, "text": "  "}));
        let rejected = only(&tablet.flush(10).await).clone();
        assert_eq!(rejected.status, MutationStatus::Rejected);
        let open = |list: &[server::db::mutations::ConflictRow], id: Uuid| list.iter().any(|p| p.mutation_id == id.to_string());
        let shown = problems(&server, "inspecteur1").await;
        assert!(open(&shown, conflict) && open(&shown, rejected.id));

        let resolve = |device: &mut SimDevice, id: Uuid, resolution: &str| {
            device.queue("sync_problem.resolve", id, None, json!({"resolution": resolution}));
        };
        let pool = &server.state.db.pool;
        // Another inspector may not settle it; the problem stays open.
        let other_token = server.login("inspecteur2").await;
        let mut other = SimDevice::new(&server.base, server.client.clone(), &other_token);
        resolve(&mut other, conflict, "server_kept");
        let refused = only(&other.flush(10).await).clone();
        assert_eq!(refused.status, MutationStatus::Rejected);
        assert_eq!(refused.error.as_ref().unwrap().code, "auth.forbidden");
        assert!(open(&problems(&server, "inspecteur1").await, conflict));
        // Nor may a team lead of another agency.
        let foreign = tests::fixtures::foreign_tenant(&server, "ZZANDERS", demo_date(), 2027, "garage-basis").await;
        let foreign_token = server.login(&foreign.inspector_username).await;
        let mut outsider = SimDevice::new(&server.base, server.client.clone(), &foreign_token);
        resolve(&mut outsider, conflict, "server_kept");
        let refused = only(&outsider.flush(10).await).clone();
        assert_eq!(refused.error.as_ref().unwrap().code, "sync.unknown_entity");

        // The owner settles the conflict: it leaves the list, and the settlement is audited.
        resolve(&mut phone, conflict, "server_kept");
        assert_eq!(only(&phone.flush(10).await).status, MutationStatus::Applied);
        let shown = problems(&server, "inspecteur1").await;
        assert!(!open(&shown, conflict), "a settled conflict is no longer open");
        assert!(open(&shown, rejected.id), "the rejection still is");
        let resolved_by: Option<String> = sqlx::query_scalar("SELECT resolved_by FROM sync_conflicts WHERE mutation_id = $1")
            .bind(conflict.to_string()).fetch_one(pool).await.unwrap();
        assert_eq!(resolved_by, Some(user_column(&server, "id", "inspecteur1").await));
        assert_eq!(invariants::count(pool,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'sync_problem.resolve' AND entity_id = $1", &conflict.to_string()).await, 1);

        // Settling it again (the other device) is applied and changes nothing.
        resolve(&mut tablet, conflict, "resent");
        assert_eq!(only(&tablet.flush(10).await).status, MutationStatus::Applied);
        let resolution: String = sqlx::query_scalar("SELECT resolution FROM sync_problem_resolutions WHERE mutation_id = $1")
            .bind(conflict.to_string()).fetch_one(pool).await.unwrap();
        assert_eq!(resolution, "server_kept", "the first settlement stands");
        assert_eq!(invariants::count(pool,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'sync_problem.resolve' AND entity_id = $1 \
             AND details LIKE '%\"settled_before\":true%'", &conflict.to_string()).await, 1,
            "the late settlement is audited as changing nothing");

        // A team lead settles the rejection.
        let lead_token = server.login("teamleider1").await;
        let mut lead = SimDevice::new(&server.base, server.client.clone(), &lead_token);
        resolve(&mut lead, rejected.id, "server_kept");
        assert_eq!(only(&lead.flush(10).await).status, MutationStatus::Applied);
        assert!(!open(&problems(&server, "inspecteur1").await, rejected.id));

        // What is not a refused mutation cannot be settled.
        let applied = tablet.written.values()
            .find(|m| m.kind.as_str() == "visit_note.add" && m.entity_id == note)
            .map(|m| m.id).unwrap();
        for id in [applied, Uuid::new_v4()] {
            resolve(&mut tablet, id, "resent");
            let r = only(&tablet.flush(10).await).clone();
            assert_eq!(r.error.as_ref().map(|e| e.code.as_str()), Some("sync.unknown_entity"), "{id}");
        }
        resolve(&mut tablet, conflict, "maybe");
        assert_eq!(only(&tablet.flush(10).await).error.as_ref().unwrap().code, "sync.invalid_data");
        for device in [&tablet, &phone, &other, &lead] {
            invariants::exactly_once(pool, device).await;
        }
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn a_visit_reassigned_while_the_tablet_was_offline_gets_its_writes_rejected_and_recorded(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur3").await;
        let visit = first_visit(&server, &token).await;
        let visit_id = visit["id"].as_str().unwrap();
        let (template, version, items) = a_template(&server.client, &server.base, &token).await;
        let mut tablet = SimDevice::new(&server.base, server.client.clone(), &token);
        tablet.queue("visit.start", visit_id.parse().unwrap(), Some(1),
            json!({"template_id": template, "template_version": version}));
        assert_eq!(only(&tablet.flush(10).await).status, MutationStatus::Applied);

        // Offline: a note, an answer and the finish are written on the tablet ...
        tablet.add_note(visit_id, "Geen toegang tot het terrein");
        tablet.queue("finding.upsert", Uuid::new_v4(), None,
            json!({"visit_id": visit_id, "item_id": items[0], "answer": {"type": "not_applicable"}, "note": null}));
        tablet.queue("visit.finish", visit_id.parse().unwrap(), Some(2), json!({"hours_spent": 1.5}));
        // ... while the office gives the visit to another inspector.
        let other = user_column(&server, "id", "inspecteur4").await;
        // (at the end of their route: route order is unique per inspector and day)
        sqlx::query("UPDATE visits SET inspector_id = $1, route_order = 99 WHERE id = $2")
            .bind(&other).bind(visit_id).execute(&server.state.db.pool).await.unwrap();

        let results = tablet.flush(10).await;
        assert_eq!(results.len(), 3);
        for r in &results {
            assert_eq!(r.status, MutationStatus::Rejected);
            assert_eq!(r.error.as_ref().unwrap().code, "auth.forbidden");
        }
        let pool = &server.state.db.pool;
        invariants::exactly_once(pool, &tablet).await;
        assert_eq!(invariants::count(pool, "SELECT COUNT(*) FROM visit_notes WHERE visit_id = $1", visit_id).await, 0);
        assert_eq!(invariants::count(pool, "SELECT COUNT(*) FROM findings WHERE visit_id = $1", visit_id).await, 0);
        let status: String = sqlx::query_scalar("SELECT status FROM visits WHERE id = $1")
            .bind(visit_id).fetch_one(pool).await.unwrap();
        assert_eq!(status, "in_progress", "the finish was not applied");
        let shown = problems(&server, "inspecteur3").await;
        for r in &results {
            assert!(shown.iter().any(|p| p.problem == "rejected" && p.mutation_id == r.id.to_string()),
                "rejection {} is shown to the team lead", r.id);
        }
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn device_clocks_days_off_change_nothing_about_order(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur5").await;
        let visit = first_visit(&server, &token).await;
        let visit_id = visit["id"].as_str().unwrap();
        let mut ahead = SimDevice::new(&server.base, server.client.clone(), &token);
        ahead.clock_skew = chrono::Duration::days(9);
        let mut behind = SimDevice::new(&server.base, server.client.clone(), &token);
        behind.clock_skew = chrono::Duration::days(-12);

        // Within one device, seq decides even when device time runs backwards.
        let note = behind.add_note(visit_id, "Eerste versie");
        behind.clock_skew = chrono::Duration::days(-30);
        behind.edit_note(note, "Tweede versie, klok nog verder terug");
        let results = behind.flush(10).await;
        assert!(results.iter().all(|r| r.status == MutationStatus::Applied), "{results:?}");

        // Between devices, the later device time does not win: the stale base is a conflict
        // whichever clock is ahead.
        ahead.pull().await;
        ahead.edit_note(note, "Versie van de tablet met de klok vooruit");
        behind.edit_note(note, "Versie van de tablet met de klok achter");
        assert_eq!(only(&behind.flush(10).await).status, MutationStatus::Applied);
        assert_eq!(only(&ahead.flush(10).await).status, MutationStatus::Conflict);

        let pool = &server.state.db.pool;
        let text: String = sqlx::query_scalar("SELECT text FROM visit_notes WHERE id = $1")
            .bind(note.to_string()).fetch_one(pool).await.unwrap();
        assert_eq!(text, "Versie van de tablet met de klok achter");
        // Device time is recorded as sent, never rewritten.
        for m in behind.written.values().chain(ahead.written.values()) {
            let at: String = sqlx::query_scalar("SELECT device_at FROM sync_mutations WHERE mutation_id = $1")
                .bind(m.id.to_string()).fetch_one(pool).await.unwrap();
            assert_eq!(at, m.at.to_rfc3339());
        }
        // The feed is in commit order: versions 1, 2, 3 of the note, whatever the device clocks said.
        let mut reader = SimDevice::new(&server.base, server.client.clone(), &token);
        reader.pull().await;
        invariants::note_history(pool, &note.to_string()).await;
        invariants::converged(pool, &reader, &[note.to_string()]).await;
        for device in [&ahead, &behind] {
            invariants::exactly_once(pool, device).await;
        }
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }
}

on_both_databases! {
    async fn a_team_lead_sees_both_versions_of_a_conflict_and_may_keep_the_tablets(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let visit = first_visit(&server, &token).await;
        let visit_id = visit["id"].as_str().unwrap();
        let (_tablet, mut phone, note, conflict) = note_conflict(
            &server, &token, visit_id, ["Vetput vol, ledigingsbewijs ontbreekt", "Vetput geleegd op 12 november"]).await;
        let lead = server.login("teamleider1").await;
        let listed = |token: String| {
            let request = server.client.get(server.url("/api/v1/sync/problems")).bearer_auth(token);
            async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
        };
        // Both versions, side by side: what the phone sent and what the server has now.
        let list = listed(lead.clone()).await;
        let problem = list["problems"].as_array().unwrap().iter()
            .find(|p| p["mutation_id"] == conflict.id.to_string()).cloned().expect("listed");
        assert_eq!(problem["detail"]["data"]["text"], "Vetput geleegd op 12 november");
        assert_eq!(problem["server"]["text"], "Vetput vol, ledigingsbewijs ontbreekt");
        assert_eq!(problem["server"]["version"], 2);

        let text_of = || async {
            sqlx::query_as::<_, (String, i64)>("SELECT text, version FROM visit_notes WHERE id = $1")
                .bind(note.to_string()).fetch_one(&server.state.db.pool).await.unwrap()
        };
        let mut office = SimDevice::new(&server.base, server.client.clone(), &lead);
        let mut keep = |seen: i64| {
            office.queue("sync_problem.resolve", conflict.id, None,
                json!({"resolution": "tablet_kept", "seen_version": seen}));
        };
        // Seen an older version than the server's: nothing changes, the conflict stays open.
        keep(1);
        let stale = office.flush(10).await;
        assert_eq!((only(&stale).status, only(&stale).error.as_ref().map(|e| e.code.as_str())),
            (MutationStatus::Rejected, Some("record.version_conflict")));
        assert_eq!(text_of().await, ("Vetput vol, ledigingsbewijs ontbreekt".to_owned(), 2));
        assert!(problems(&server, "teamleider1").await.iter().any(|p| p.mutation_id == conflict.id.to_string()));

        // The version shown: the tablet's text replaces the server's, as the inspector's edit.
        let mut office = SimDevice::new(&server.base, server.client.clone(), &lead);
        office.queue("sync_problem.resolve", conflict.id, None,
            json!({"resolution": "tablet_kept", "seen_version": 2}));
        assert_eq!(only(&office.flush(10).await).status, MutationStatus::Applied);
        assert_eq!(text_of().await, ("Vetput geleegd op 12 november".to_owned(), 3));
        assert!(!problems(&server, "teamleider1").await.iter().any(|p| p.mutation_id == conflict.id.to_string()));
        let inspector_id = user_column(&server, "id", "inspecteur1").await;
        let lead_id = user_column(&server, "id", "teamleider1").await;
        let edits: Vec<(Option<String>, String)> = sqlx::query_as(
            "SELECT actor_id, action FROM audit_log WHERE entity_id IN ($1, $2) ORDER BY seq")
            .bind(note.to_string()).bind(conflict.id.to_string())
            .fetch_all(&server.state.db.pool).await.unwrap();
        assert!(edits.contains(&(Some(inspector_id), "visit_note.edit".to_owned())), "{edits:?}");
        assert!(edits.contains(&(Some(lead_id), "sync_problem.resolve".to_owned())), "{edits:?}");
        // The phone learns the kept text at its next pull.
        phone.pull().await;
        assert_eq!(phone.pulled[&note].version, 3);

        // A rejection has no tablet version to keep.
        phone.queue("visit_note.edit", note, Some(3), json!({"text": "   "}));
        let rejected = only(&phone.flush(10).await).clone();
        assert_eq!(rejected.status, MutationStatus::Rejected);
        let mut office = SimDevice::new(&server.base, server.client.clone(), &lead);
        office.queue("sync_problem.resolve", rejected.id, None,
            json!({"resolution": "tablet_kept", "seen_version": 3}));
        let refused = office.flush(10).await;
        assert_eq!(only(&refused).error.as_ref().map(|e| e.code.as_str()), Some("sync.invalid_data"));
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }
}
