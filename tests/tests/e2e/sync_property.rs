//! Sync fault injection, random interleavings: three devices (two tablets of one inspector, one of
//! another) add and edit notes, push through a fault layer (duplicated, lost, answer lost,
//! reordered) and pull, in an order drawn from a seed. After each case every device sends what it
//! still has and pulls, and the invariants must hold:
//! - every acknowledged mutation exists exactly once, with the outcome the device was told;
//! - nothing written is lost: every mutation ends applied, conflict or rejected;
//! - no stale base version overwrote a newer one (a note's applied edits were based on 1..v-1);
//! - every conflict is recorded;
//! - all devices converge to the server's state after a final pull.
//!
//! 1,000 cases by default (`SCHOUW_SYNC_CASES`), from a random seed printed on failure
//! (`SCHOUW_SYNC_SEED=<seed>` replays it), on SQLite and on PostgreSQL (whose row locks and
//! isolation are what keeps a note's versions and the feed in order there). One server for the
//! whole run, fresh devices per case, so a case costs a few pushes rather than a server start.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use shared::sync::MutationStatus;
use tests::sim::{invariants, visits_on, Fault, SimDevice};
use tests::{demo_date, Backend, TestServer};

#[derive(Debug, Clone, Copy)]
enum Action {
    Add,
    Edit(usize),
    Push(u8),
    Pull,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        2 => Just(Action::Add),
        4 => any::<usize>().prop_map(Action::Edit),
        4 => (0u8..6).prop_map(Action::Push),
        3 => Just(Action::Pull),
    ]
}

fn steps() -> impl Strategy<Value = Vec<(usize, Action)>> {
    prop::collection::vec((0usize..3, action()), 2..16)
}

const BATCH: usize = 3;

struct World {
    server: TestServer,
    /// Per device slot: token, visit to write notes on, index of the inspector.
    slots: Vec<(String, String, usize)>,
    /// Per inspector, a device that follows the feed, so new devices start at its tail.
    observers: Vec<SimDevice>,
}

async fn run_case(world: &mut World, steps: &[(usize, Action)]) -> Result<(), TestCaseError> {
    let server = &world.server;
    for observer in &mut world.observers {
        observer.pull().await;
    }
    let mut devices: Vec<SimDevice> = world
        .slots
        .iter()
        .map(|(token, _, inspector)| {
            let mut d = SimDevice::new(&server.base, server.client.clone(), token);
            d.cursor = world.observers[*inspector].cursor.clone();
            d
        })
        .collect();
    let mut counter = 0;
    for &(slot, action) in steps {
        let visit = world.slots[slot].1.clone();
        let device = &mut devices[slot];
        match action {
            Action::Add => {
                counter += 1;
                device.add_note(&visit, &format!("Notitie {counter}"));
            }
            Action::Edit(pick) => {
                let notes: Vec<_> = device
                    .records
                    .iter()
                    .filter(|(_, r)| r.entity == "visit_note" && r.data.is_some())
                    .map(|(id, _)| *id)
                    .collect();
                if !notes.is_empty() {
                    counter += 1;
                    device.edit_note(notes[pick % notes.len()], &format!("Bewerking {counter}"));
                }
            }
            Action::Push(5) => {
                device.push_reordered(BATCH).await;
            }
            Action::Push(fault) => {
                let fault = [
                    Fault::None,
                    Fault::Duplicate,
                    Fault::DuplicateConcurrent,
                    Fault::DropRequest,
                    Fault::DropResponse,
                ][usize::from(fault)];
                device.push_once(BATCH, fault).await;
            }
            Action::Pull => device.pull().await,
        }
    }
    for device in &mut devices {
        device.flush(BATCH).await;
    }
    let pool = &server.state.db.pool;
    let mut notes_of: Vec<Vec<String>> = vec![Vec::new(); world.observers.len()];
    for (device, (_, _, inspector)) in devices.iter().zip(&world.slots) {
        for m in device
            .written
            .values()
            .filter(|m| m.kind.as_str() == "visit_note.add")
        {
            notes_of[*inspector].push(m.entity_id.to_string());
        }
    }
    for device in &mut devices {
        prop_assert_eq!(
            device.outcomes.len(),
            device.written.len(),
            "every mutation answered"
        );
        prop_assert!(device
            .outcomes
            .values()
            .all(|o| o.status != MutationStatus::Duplicate));
        invariants::exactly_once(pool, device).await;
        device.pull().await;
    }
    for note in notes_of.iter().flatten() {
        invariants::note_history(pool, note).await;
    }
    for (device, (_, _, inspector)) in devices.iter().zip(&world.slots) {
        invariants::converged(pool, device, &notes_of[*inspector]).await;
    }
    Ok(())
}

mod random_interleavings_of_devices_faults_and_pulls_keep_every_invariant {
    use super::*;

    #[test]
    fn on_sqlite() {
        run(Backend::Sqlite);
    }

    #[test]
    fn on_postgres() {
        tests::require_postgres_url();
        run(Backend::Postgres);
    }
}

fn run(backend: Backend) {
    let seed: u64 = std::env::var("SCHOUW_SYNC_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    let cases: u32 = std::env::var("SCHOUW_SYNC_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let world = runtime.block_on(async {
        let server = TestServer::with_demo(backend).await;
        let mut slots = Vec::new();
        let mut observers = Vec::new();
        for (inspector, name) in ["inspecteur6", "inspecteur7"].into_iter().enumerate() {
            let token = server.login(name).await;
            let visit = visits_on(&server.client, &server.base, &token, demo_date()).await[0]["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let devices = if inspector == 0 { 2 } else { 1 };
            for _ in 0..devices {
                slots.push((token.clone(), visit.clone(), inspector));
            }
            observers.push(SimDevice::new(&server.base, server.client.clone(), &token));
        }
        World {
            server,
            slots,
            observers,
        }
    });
    let world = std::cell::RefCell::new(world);
    let config = Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: 200,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let started = std::time::Instant::now();
    // A panic inside an invariant check fails the case too: proptest catches it and shrinks.
    let result = runner.run(&steps(), |steps| {
        runtime.block_on(run_case(&mut world.borrow_mut(), &steps))
    });
    if let Err(e) = result {
        panic!("sync invariants broken on {backend:?} with SCHOUW_SYNC_SEED={seed}: {e}");
    }
    let world = world.into_inner();
    let (mutations, conflicts): (i64, i64) = runtime.block_on(async {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM sync_mutations), (SELECT COUNT(*) FROM sync_conflicts)",
        )
        .fetch_one(&world.server.state.db.pool)
        .await
        .unwrap()
    });
    eprintln!(
        "{backend:?}: {cases} interleavings in {:.1} s (seed {seed}): {mutations} mutations, {conflicts} conflicts",
        started.elapsed().as_secs_f64()
    );
    // The run must have exercised the interesting paths, or it proves little.
    if cases >= 100 {
        assert!(conflicts > 0, "no conflict in {cases} cases (seed {seed})");
    }
}
