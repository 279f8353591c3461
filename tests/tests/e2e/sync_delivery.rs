//! Sync fault injection, delivery: a push delivered twice, lost on the way in, answered but the
//! answer lost, or batches arriving out of order. Each mutation must be applied exactly once and
//! in `seq` order, and every replay must get the original outcome (API.md "Sync").

use serde_json::json;
use shared::sync::{MutationStatus, PushResponse};
use tests::sim::{invariants, visits_on, Fault, SimDevice};
use tests::{demo_date, on_both_databases, TestServer};
use uuid::Uuid;

/// A server with the demo, inspecteur1's token and the id of one of their visits on the demo date.
async fn setup(backend: tests::Backend) -> (TestServer, String, String) {
    let server = TestServer::with_demo(backend).await;
    let token = server.login("inspecteur1").await;
    let visits = visits_on(&server.client, &server.base, &token, demo_date()).await;
    let visit = visits[0]["id"].as_str().expect("visit id").to_owned();
    (server, token, visit)
}

async fn recorded_for_device(server: &TestServer, device: &SimDevice) -> i64 {
    invariants::count(
        &server.state.db.pool,
        "SELECT COUNT(*) FROM sync_mutations WHERE device_id = $1",
        &device.device_id.to_string(),
    )
    .await
}

fn statuses(response: &PushResponse) -> Vec<MutationStatus> {
    response.results.iter().map(|r| r.status).collect()
}

on_both_databases! {
    async fn a_push_delivered_twice_is_applied_once_and_the_replay_gets_the_original_outcomes(backend: Backend) {
        let (server, token, visit) = setup(backend).await;
        let mut device = SimDevice::new(&server.base, server.client.clone(), &token);
        let note = device.add_note(&visit, "Lekbak ontbreekt");
        device.edit_note(note, "Lekbak ontbreekt bij de werkplaats");
        device.queue("visit_note.add", Uuid::new_v4(), None, json!({"visit_id": visit, "text": "   "}));
        let batch = device.outbox.clone();

        let first = device.send(&batch, None, Fault::None).await.unwrap();
        let replay = device.send(&batch, None, Fault::None).await.unwrap();
        assert_eq!(statuses(&first), [MutationStatus::Applied, MutationStatus::Applied, MutationStatus::Rejected]);
        assert_eq!(first.results[2].error.as_ref().unwrap().code, "note.invalid_text");
        assert_eq!(replay.last_seq, 3);
        for (original, again) in first.results.iter().zip(&replay.results) {
            assert_eq!(again.id, original.id);
            assert_eq!(again.status, MutationStatus::Duplicate);
            assert_eq!(again.original_status, Some(original.status));
            assert_eq!(again.version, original.version);
            assert_eq!(again.error, original.error);
        }
        device.absorb(&replay.results);
        assert!(device.outbox.is_empty());
        invariants::exactly_once(&server.state.db.pool, &device).await;
        invariants::note_history(&server.state.db.pool, &note.to_string()).await;
        assert_eq!(recorded_for_device(&server, &device).await, 3);
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn the_same_push_sent_twice_at_the_same_moment_is_applied_once(backend: Backend) {
        let (server, token, visit) = setup(backend).await;
        for round in 0..3 {
            // A new device each round: the race includes its first contact with the server.
            let mut device = SimDevice::new(&server.base, server.client.clone(), &token);
            let note = device.add_note(&visit, &format!("Ronde {round}"));
            device.edit_note(note, &format!("Ronde {round}, bijgewerkt"));
            device.push_once(10, Fault::DuplicateConcurrent).await.expect("answered");
            assert!(device.outbox.is_empty());
            invariants::exactly_once(&server.state.db.pool, &device).await;
            invariants::note_history(&server.state.db.pool, &note.to_string()).await;
            assert_eq!(recorded_for_device(&server, &device).await, 2);
        }
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn a_push_lost_before_it_reaches_the_server_changes_nothing_and_the_retry_applies_it(backend: Backend) {
        let (server, token, visit) = setup(backend).await;
        let mut device = SimDevice::new(&server.base, server.client.clone(), &token);
        let note = device.add_note(&visit, "Olie-afscheider niet geleegd");
        device.edit_note(note, "Olie-afscheider niet geleegd (laatste lediging 2024)");
        assert!(device.push_once(10, Fault::DropRequest).await.is_none());
        assert_eq!(device.outbox.len(), 2, "nothing acknowledged, everything still queued");
        assert_eq!(recorded_for_device(&server, &device).await, 0);

        let results = device.flush(10).await;
        assert!(results.iter().all(|r| r.status == MutationStatus::Applied), "{results:?}");
        invariants::exactly_once(&server.state.db.pool, &device).await;
        invariants::note_history(&server.state.db.pool, &note.to_string()).await;
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn an_answer_lost_after_the_server_committed_is_answered_as_duplicate_on_retry(backend: Backend) {
        let (server, token, visit) = setup(backend).await;
        let mut device = SimDevice::new(&server.base, server.client.clone(), &token);
        let note = device.add_note(&visit, "Brandblusser gekeurd");
        device.edit_note(note, "Brandblusser gekeurd in 2026");
        device.edit_note(note, "Brandblusser gekeurd in 2026, sticker aanwezig");
        assert!(device.push_once(10, Fault::DropResponse).await.is_none());
        assert_eq!(device.outbox.len(), 3, "the device does not know it was applied");
        assert_eq!(recorded_for_device(&server, &device).await, 3, "the server committed");

        let results = device.flush(10).await;
        assert_eq!(results.len(), 3);
        for r in &results {
            assert_eq!((r.status, r.original_status), (MutationStatus::Duplicate, Some(MutationStatus::Applied)));
        }
        assert_eq!(results[2].version, Some(3));
        invariants::exactly_once(&server.state.db.pool, &device).await;
        invariants::note_history(&server.state.db.pool, &note.to_string()).await;
        assert_eq!(recorded_for_device(&server, &device).await, 3);
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn batches_arriving_out_of_order_are_held_at_the_gap_and_applied_in_seq_order(backend: Backend) {
        let (server, token, visit) = setup(backend).await;
        let mut device = SimDevice::new(&server.base, server.client.clone(), &token);
        let first = device.add_note(&visit, "Versie 1");
        device.edit_note(first, "Versie 2");
        device.edit_note(first, "Versie 3");
        let second = device.add_note(&visit, "Tweede notitie");
        device.edit_note(second, "Tweede notitie, versie 2");
        device.edit_note(first, "Versie 4");

        // Batches [5,6], [3,4], [1,2]: the first two stop at the gap and change nothing.
        let results = device.push_reordered(2).await;
        let codes: Vec<&str> = results[..4].iter().map(|r| r.error.as_ref().map_or("", |e| e.code.as_str())).collect();
        assert_eq!(codes, ["sync.seq_gap"; 4]);
        assert!(results[4..].iter().all(|r| r.status == MutationStatus::Applied));
        assert_eq!(recorded_for_device(&server, &device).await, 2);
        assert_eq!(device.outbox.len(), 4);

        // One batch in reverse order: the server applies it in seq order.
        let mut rest = device.outbox.clone();
        rest.reverse();
        let response = device.send(&rest, None, Fault::None).await.unwrap();
        let seqs: Vec<Uuid> = response.results.iter().map(|r| r.id).collect();
        let expected: Vec<Uuid> = device.outbox.iter().map(|m| m.id).collect();
        assert_eq!(seqs, expected, "answered in seq order");
        assert!(response.results.iter().all(|r| r.status == MutationStatus::Applied), "{response:?}");
        device.absorb(&response.results);

        let pool = &server.state.db.pool;
        invariants::exactly_once(pool, &device).await;
        for note in [first, second] {
            invariants::note_history(pool, &note.to_string()).await;
        }
        let text: String = sqlx::query_scalar("SELECT text FROM visit_notes WHERE id = $1")
            .bind(first.to_string())
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(text, "Versie 4");
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn a_device_that_lost_its_counter_but_kept_its_id_is_refused_not_told_duplicate(backend: Backend) {
        let (server, token, visit) = setup(backend).await;
        let mut device = SimDevice::new(&server.base, server.client.clone(), &token);
        device.add_note(&visit, "Eerste");
        device.add_note(&visit, "Tweede");
        device.flush(10).await;

        // Storage lost, device id kept: new mutations arrive with seq 1 and 2 again. Answering them
        // "duplicate" would make the device drop them as delivered: silent loss.
        device.next_seq = 1;
        let lost = device.add_note(&visit, "Derde, na het wissen");
        let results = device.flush(10).await;
        assert_eq!(results.len(), 1);
        assert_ne!(results[0].status, MutationStatus::Duplicate, "{results:?}");
        assert_eq!(results[0].error.as_ref().map(|e| e.code.as_str()), Some("sync.invalid_data"));
        let stored = invariants::count(&server.state.db.pool, "SELECT COUNT(*) FROM visit_notes WHERE id = $1", &lost.to_string()).await;
        assert_eq!(stored, 0);
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn a_mutation_sent_again_under_a_new_seq_is_applied_once_and_replays_stay_duplicate(backend: Backend) {
        let (server, token, visit) = setup(backend).await;
        let mut device = SimDevice::new(&server.base, server.client.clone(), &token);
        let note = device.add_note(&visit, "Eenmalig");
        let original = device.outbox[0].clone();
        device.flush(10).await;

        // The same mutation (same id) re-queued under seq 2, e.g. after an outbox repair.
        let mut again = original.clone();
        again.seq = 2;
        let response = device.send(std::slice::from_ref(&again), None, Fault::None).await.unwrap();
        assert_eq!(response.results[0].status, MutationStatus::Duplicate);
        assert_eq!(response.results[0].original_status, Some(MutationStatus::Applied));
        assert_eq!(response.last_seq, 2);
        // Delivered once more (its answer was lost): still the original outcome, never an error.
        let replay = device.send(std::slice::from_ref(&again), None, Fault::None).await.unwrap();
        assert_eq!(replay.results[0].status, MutationStatus::Duplicate, "{replay:?}");
        assert_eq!(replay.results[0].original_status, Some(MutationStatus::Applied));
        invariants::note_history(&server.state.db.pool, &note.to_string()).await;
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }
}
