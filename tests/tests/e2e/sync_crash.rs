//! Sync fault injection, crashes: the server killed with SIGKILL in the middle of pushes and
//! restarted on the same data directory (and database), and a tablet whose storage was wiped while
//! it still had unsent work. Nothing acknowledged may be lost, nothing may be applied twice, and lost work on a
//! device must be visible to the team lead, not silent.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use shared::sync::MutationStatus;
use tests::sim::{get_json, invariants, login, visits_on, SimDevice};
use tests::{demo_date, on_both_databases, Backend, FreshDatabase, TestServer};

on_both_databases! {
    async fn a_wiped_tablet_leaves_its_unsent_work_visible_and_starts_a_new_seq_stream(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let visit = visits_on(&server.client, &server.base, &token, demo_date()).await[0]["id"].as_str().unwrap().to_owned();
        let mut old = SimDevice::new(&server.base, server.client.clone(), &token);
        old.clock_skew = chrono::Duration::hours(-30);
        for i in 0..5 {
            old.add_note(&visit, &format!("Notitie {i}"));
        }
        // Two are delivered; the push reports the three still waiting and the oldest one's time.
        old.push_once(2, tests::sim::Fault::None).await.unwrap();
        let oldest = old.outbox[0].at;
        let lost: Vec<String> = old.outbox.iter().map(|m| m.id.to_string()).collect();
        // The tablet's storage is wiped: outbox and device id are gone. The app starts afresh.
        drop(old);
        let mut fresh = SimDevice::new(&server.base, server.client.clone(), &token);
        fresh.add_note(&visit, "Na het wissen");
        let results = fresh.flush(10).await;
        assert_eq!(results[0].status, MutationStatus::Applied, "a new device id starts at seq 1");

        let lead = server.login("teamleider1").await;
        let (status, body) = get_json(&server.client, &server.base, &lead, "/api/v1/team/devices").await;
        assert_eq!(status, 200, "{body}");
        let devices = body["devices"].as_array().unwrap();
        let mine: Vec<&Value> = devices.iter().filter(|d| d["user_name"] == devices[0]["user_name"]).collect();
        assert_eq!(mine.len(), 2, "both devices are listed: {body}");
        let silent = devices.iter().find(|d| d["pending_count"] == 3).expect("the wiped device, with 3 unsent");
        assert_eq!(silent["last_seq"], 2);
        let reported = chrono::DateTime::parse_from_rfc3339(silent["oldest_pending_at"].as_str().unwrap()).unwrap();
        let sent = oldest;
        assert!((reported - sent).num_seconds().abs() <= 1, "{reported} vs {sent}");
        assert_eq!(devices[0]["device_id"], silent["device_id"], "devices with unsent work are listed first");
        let current = devices.iter().find(|d| d["device_id"] == fresh.device_id.to_string()).unwrap();
        assert_eq!((current["last_seq"].as_i64(), current["pending_count"].as_i64()), (Some(1), Some(0)));
        // What was never sent is not on the server: the count above is all that is left of it.
        for id in lost {
            assert_eq!(invariants::count(&server.state.db.pool, "SELECT COUNT(*) FROM sync_mutations WHERE mutation_id = $1", &id).await, 0);
        }
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }
}

/// A `schouw` command on `data`, and on the PostgreSQL database `database` when there is one.
fn schouw(data: &Path, database: Option<&str>) -> Command {
    let mut command = Command::new(tests::schouw_binary());
    command.env("SCHOUW_DATA", data);
    match database {
        Some(url) => command.env("SCHOUW_DATABASE_URL", url),
        None => command.env_remove("SCHOUW_DATABASE_URL"),
    };
    command
}

/// A started server process, killed when the test ends, passing or failing.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `schouw serve --demo` on `data` (and `database`) and returns the child and its base URL.
fn start(data: &Path, database: Option<&str>) -> (Running, String) {
    let mut child = schouw(data, database)
        .args(["serve", "--demo"])
        .env("SCHOUW_ADDR", "127.0.0.1:0")
        .env("SCHOUW_DIST", data.join("dist"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn schouw");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("schouw printed its address")
            .expect("stdout line");
        if let Some(url) = line.strip_prefix("Schouw luistert op ") {
            break url.trim().to_owned();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Running(child), base)
}

async fn open_db(data: &Path, database: Option<&str>) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    let url = match database {
        Some(url) => url.to_owned(),
        None => format!("sqlite://{}", data.join("schouw.db").display()),
    };
    sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .expect("open the server's database")
}

// With SQLite the database lives inside the server process, so SIGKILL of the server is a crash
// of the database too and the test exercises recovery of its write-ahead log. With PostgreSQL the
// database is another process that survives; the kill drops the server's connections in the
// middle of push transactions, and what was committed but never answered must come back as
// duplicates, what was rolled back must apply on the retry.
on_both_databases! {
    async fn a_server_killed_with_sigkill_during_pushes_loses_nothing_acknowledged_and_applies_nothing_twice(backend: Backend) {
        killed_during_pushes(backend).await;
    }
}

async fn killed_during_pushes(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let database = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(FreshDatabase::on_test_server().await),
    };
    let database_url = database.as_ref().map(|(_, url)| url.as_str());
    let client = reqwest::Client::new();
    let (mut child, base) = start(data, database_url);
    let token = login(&client, &base, "inspecteur1").await;
    // `serve --demo` plans from the real today; take the first day of inspecteur1 that has visits.
    let today = chrono::Local::now().date_naive();
    let mut visit = None;
    for day in today.iter_days().take(7) {
        if let Some(v) = visits_on(&client, &base, &token, day).await.first() {
            visit = Some(v["id"].as_str().unwrap().to_owned());
            break;
        }
    }
    let visit = visit.expect("a planned visit within a week");

    let mut device = SimDevice::new(&base, client.clone(), &token);
    let mut notes = Vec::new();
    let mut kills_mid_push = 0;
    for (round, delay_ms) in [40u64, 120, 250, 500].into_iter().enumerate() {
        for i in 0..300 {
            let note = device.add_note(&visit, &format!("Ronde {round}, notitie {i}"));
            if i % 3 == 0 {
                device.edit_note(note, &format!("Ronde {round}, notitie {i}, bijgewerkt"));
            }
            notes.push(note.to_string());
        }
        let before = device.outbox.len();
        let (pushed, _) = tokio::join!(device.try_flush(50), async {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            child.0.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
            child.0.wait().expect("reaped");
        });
        let acknowledged = before - device.outbox.len();
        if pushed.is_err() && acknowledged > 0 {
            kills_mid_push += 1;
        }
        eprintln!("round {round}: killed after {delay_ms} ms, {acknowledged} of {before} acknowledged ({pushed:?})");

        let (restarted, new_base) = start(data, database_url);
        child = restarted;
        device.set_base(&new_base);
        // Nothing acknowledged before the kill is lost.
        let pool = open_db(data, database_url).await;
        invariants::exactly_once(&pool, &device).await;
        pool.close().await;
        // The device sends what it still has; replays of what was committed but not answered are
        // duplicates, the rest is applied.
        device.try_flush(50).await.expect("push after restart");
        assert!(device.outbox.is_empty());
    }
    assert!(
        kills_mid_push > 0,
        "no kill landed in the middle of a push; adjust the delays"
    );

    let pool = open_db(data, database_url).await;
    invariants::exactly_once(&pool, &device).await;
    assert!(device
        .outcomes
        .values()
        .all(|o| o.status == MutationStatus::Applied));
    for note in &notes {
        invariants::note_history(&pool, note).await;
    }
    let last_seq: i64 =
        sqlx::query_scalar("SELECT last_seq FROM sync_devices WHERE device_id = $1")
            .bind(device.device_id.to_string())
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(last_seq, device.next_seq - 1);
    let stored = invariants::count(
        &pool,
        "SELECT COUNT(*) FROM visit_notes WHERE visit_id = $1",
        &visit,
    )
    .await;
    assert_eq!(stored, notes.len() as i64);
    // The audit trail's hash chain survived the kills.
    pool.close().await;
    let verify = schouw(data, database_url)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    drop(child);
}
