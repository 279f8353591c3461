//! Load generator for the sync figures of docs/BENCHMARKS.md ("Sync (issue 5)").
//!
//! `cargo run --profile server -p tests --bin sync_load -- <schouw binary> <empty data dir> [devices]`
//!
//! 1. starts `schouw serve --demo` once on the data dir to load the demo, then stops it;
//! 2. adds 10 planned visits per simulated device straight into the database (the demo plans only
//!    a few visits per inspector per day), devices spread over the 12 demo inspectors;
//! 3. day test: starts the server again and lets every device push a day at the same moment: per
//!    visit `visit.start` + 4 `finding.upsert` in one push, 3 distinct ~400 KB JPEGs uploaded in
//!    256 KB parts, then 3 `photo.attach` + `visit.finish` in a second push. Reports total time,
//!    request latency percentiles, errors and the server's peak RSS (VmHWM);
//! 4. throughput test: a fresh server process; one device pushes `visit_note.add` in batches of
//!    50, then 4 devices at once.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use shared::sync::{MutationStatus, PushRequest, PushResponse};
use tests::sim::{a_template, login, noise_jpeg, sha256_hex, SimDevice};
use uuid::Uuid;

const VISITS_PER_DEVICE: usize = 10;
const FINDINGS_PER_VISIT: usize = 4;
const PHOTOS_PER_VISIT: usize = 3;
const PART: usize = 256 * 1024;

fn start(bin: &Path, data: &Path) -> (Child, String) {
    let mut child = Command::new(bin)
        .args(["serve", "--demo"])
        .env("SCHOUW_DATA", data)
        .env("SCHOUW_ADDR", "127.0.0.1:0")
        .env("SCHOUW_DIST", data.join("dist"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn schouw");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let base = loop {
        let line = lines.next().expect("address line").expect("stdout");
        if let Some(url) = line.strip_prefix("Schouw luistert op ") {
            break url.trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

fn stop(mut child: Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let _ = child.wait();
}

fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Per device: inspector username and its visit ids.
async fn prepare(data: &Path, devices: usize) -> Vec<(String, Vec<String>)> {
    let db = server::db::Db::open(&server::config::Config::for_data_dir(data.to_path_buf()))
        .await
        .expect("open db");
    let agency: String = sqlx::query_scalar("SELECT id FROM agencies ORDER BY id LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let inspectors: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, username FROM users WHERE role = 'inspector' AND agency_id = $1 ORDER BY username",
    )
    .bind(&agency)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let sites: Vec<String> =
        sqlx::query_scalar("SELECT id FROM sites WHERE agency_id = $1 ORDER BY id")
            .bind(&agency)
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let first = chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
    let mut plan = Vec::new();
    let mut tx = db.pool.begin().await.unwrap();
    for d in 0..devices {
        let (inspector_id, username) = &inspectors[d % inspectors.len()];
        let day = first + chrono::Days::new((d / inspectors.len()) as u64);
        let mut visits = Vec::new();
        for v in 0..VISITS_PER_DEVICE {
            let id = Uuid::new_v4().to_string();
            server::db::planning::insert_visit(
                &mut tx,
                &server::db::planning::NewVisit {
                    id: id.clone(),
                    agency_id: agency.clone(),
                    site_id: sites[(d * VISITS_PER_DEVICE + v) % sites.len()].clone(),
                    inspector_id: inspector_id.clone(),
                    planned_date: day.to_string(),
                    kind: "planned",
                    size: "M",
                    route_order: v as i64 + 1,
                    priority_json: r#"{"score":1.0,"factors":[]}"#.to_owned(),
                    score: 1.0,
                },
                "2027-01-15T08:00:00Z",
            )
            .await
            .unwrap();
            visits.push(id);
        }
        plan.push((username.clone(), visits));
    }
    tx.commit().await.unwrap();
    db.pool.close().await;
    plan
}

/// A distinct valid JPEG: one of the base images with a comment segment naming it.
fn photo(bases: &[Vec<u8>], n: usize) -> Vec<u8> {
    let base = &bases[n % bases.len()];
    let comment = format!("schouw-load-{n}");
    let len = (comment.len() + 2) as u16;
    let mut out = Vec::with_capacity(base.len() + comment.len() + 4);
    out.extend_from_slice(&base[..2]); // SOI
    out.extend_from_slice(&[0xff, 0xfe]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(comment.as_bytes());
    out.extend_from_slice(&base[2..]);
    out
}

#[derive(Default)]
struct Stats {
    latencies: Vec<Duration>,
    push_latencies: Vec<Duration>,
    errors: Vec<String>,
    mutations: usize,
}

async fn timed<T>(stats: &Mutex<Stats>, push: bool, f: impl std::future::Future<Output = T>) -> T {
    let t = Instant::now();
    let out = f.await;
    let mut s = stats.lock().unwrap();
    s.latencies.push(t.elapsed());
    if push {
        s.push_latencies.push(t.elapsed());
    }
    out
}

async fn push(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    device: Uuid,
    mutations: Vec<shared::sync::Mutation>,
    stats: &Mutex<Stats>,
) {
    let n = mutations.len();
    let request = PushRequest {
        device_id: device,
        mutations,
        pending: None,
    };
    let result = timed(stats, true, async {
        let r = client
            .post(format!("{base}/api/v1/sync/push"))
            .bearer_auth(token)
            .json(&request)
            .send()
            .await?;
        let status = r.status();
        let text = r.text().await?;
        Ok::<_, reqwest::Error>((status, text))
    })
    .await;
    let mut s = stats.lock().unwrap();
    match result {
        Ok((status, text)) if status == 200 => {
            let body: PushResponse = serde_json::from_str(&text).expect("push body");
            for r in &body.results {
                if r.status != MutationStatus::Applied {
                    s.errors.push(format!("{:?} {:?}", r.status, r.error));
                }
            }
            s.mutations += n;
        }
        Ok((status, text)) => s.errors.push(format!("push {status}: {text}")),
        Err(e) => s.errors.push(format!("push: {e}")),
    }
}

#[allow(clippy::too_many_arguments)]
async fn device_day(
    client: reqwest::Client,
    base: String,
    token: String,
    visits: Vec<String>,
    template: (String, u32, Vec<String>),
    bases: Arc<Vec<Vec<u8>>>,
    index: usize,
    stats: Arc<Mutex<Stats>>,
) {
    let mut device = SimDevice::new(&base, client.clone(), &token);
    for (v, visit) in visits.iter().enumerate() {
        let visit_uuid: Uuid = visit.parse().unwrap();
        device.queue(
            "visit.start",
            visit_uuid,
            Some(1),
            json!({"template_id": template.0, "template_version": template.1,
            "position": {"lat": 51.93, "lon": 6.58, "accuracy_m": 10.0}}),
        );
        for item in template.2.iter().take(FINDINGS_PER_VISIT) {
            device.queue("finding.upsert", Uuid::new_v4(), None,
                json!({"visit_id": visit, "item_id": item, "answer": {"type": "not_applicable"}, "note": null}));
        }
        let batch: Vec<_> = std::mem::take(&mut device.outbox);
        push(&client, &base, &token, device.device_id, batch, &stats).await;

        for p in 0..PHOTOS_PER_VISIT {
            let bytes = photo(
                &bases,
                (index * VISITS_PER_DEVICE + v) * PHOTOS_PER_VISIT + p,
            );
            let sha = sha256_hex(&bytes);
            let total = bytes.len();
            for start in (0..total).step_by(PART) {
                let end = (start + PART).min(total);
                let part = bytes[start..end].to_vec();
                let result = timed(&stats, false, async {
                    client
                        .put(format!("{base}/api/v1/blobs/{sha}"))
                        .bearer_auth(&token)
                        .header(
                            "content-range",
                            format!("bytes {start}-{}/{total}", end - 1),
                        )
                        .body(part)
                        .send()
                        .await
                        .map(|r| r.status().as_u16())
                })
                .await;
                let expected = if end == total { 201 } else { 202 };
                if result.as_ref().ok() != Some(&expected) {
                    stats
                        .lock()
                        .unwrap()
                        .errors
                        .push(format!("blob part: {result:?}"));
                }
            }
            device.queue(
                "photo.attach",
                Uuid::new_v4(),
                None,
                json!({"visit_id": visit, "finding_id": null,
                "sha256": sha, "captured_at": "2027-02-01T10:00:00+01:00", "position": null}),
            );
        }
        device.queue(
            "visit.finish",
            visit_uuid,
            Some(2),
            json!({"hours_spent": 1.0}),
        );
        let batch: Vec<_> = std::mem::take(&mut device.outbox);
        push(&client, &base, &token, device.device_id, batch, &stats).await;
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn tokens(
    client: &reqwest::Client,
    base: &str,
    plan: &[(String, Vec<String>)],
) -> std::collections::HashMap<String, String> {
    let mut tokens = std::collections::HashMap::new();
    for (user, _) in plan {
        if !tokens.contains_key(user) {
            tokens.insert(user.clone(), login(client, base, user).await);
        }
    }
    tokens
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bin = PathBuf::from(
        args.get(1)
            .expect("usage: sync_load <schouw binary> <empty data dir> [devices]"),
    );
    let data = PathBuf::from(args.get(2).expect("data dir"));
    let devices: usize = args.get(3).map_or(200, |d| d.parse().expect("devices"));
    std::fs::create_dir_all(&data).unwrap();

    let (child, _) = start(&bin, &data);
    stop(child);
    let plan = prepare(&data, devices).await;
    eprintln!(
        "prepared {} devices x {VISITS_PER_DEVICE} visits",
        plan.len()
    );

    // Base photos: noise, about 400 KB each.
    let side = (200..1000)
        .step_by(10)
        .find(|&side| noise_jpeg(0, side, 90).len() >= 400 * 1000)
        .unwrap_or(1000);
    let bases: Arc<Vec<Vec<u8>>> = Arc::new((0..16).map(|s| noise_jpeg(s, side, 90)).collect());
    let avg = bases.iter().map(Vec::len).sum::<usize>() / bases.len();
    eprintln!("photos {side}x{side}, about {} KB", avg / 1024);

    // Day test.
    let (child, base) = start(&bin, &data);
    let pid = child.id();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap();
    let tokens = tokens(&client, &base, &plan).await;
    let template = a_template(&client, &base, tokens.values().next().unwrap()).await;
    let stats = Arc::new(Mutex::new(Stats::default()));
    let rss_before = peak_rss_kb(pid);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, (user, visits)) in plan.iter().enumerate() {
        tasks.push(tokio::spawn(device_day(
            client.clone(),
            base.clone(),
            tokens[user].clone(),
            visits.clone(),
            template.clone(),
            bases.clone(),
            i,
            stats.clone(),
        )));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let total = started.elapsed();
    let peak = peak_rss_kb(pid);
    stop(child);
    let mut s = std::mem::take(&mut *stats.lock().unwrap());
    s.latencies.sort();
    s.push_latencies.sort();
    let photos = plan.len() * VISITS_PER_DEVICE * PHOTOS_PER_VISIT;
    println!(
        "day test: {} devices, {} mutations acknowledged, {} photos (~{} KB), {} requests",
        plan.len(),
        s.mutations,
        photos,
        avg / 1024,
        s.latencies.len()
    );
    println!(
        "  total {:.1} s; all requests p50 {:.0} ms p95 {:.0} ms p99 {:.0} ms max {:.0} ms",
        total.as_secs_f64(),
        percentile(&s.latencies, 0.5),
        percentile(&s.latencies, 0.95),
        percentile(&s.latencies, 0.99),
        percentile(&s.latencies, 1.0)
    );
    println!(
        "  pushes p50 {:.0} ms p95 {:.0} ms p99 {:.0} ms max {:.0} ms",
        percentile(&s.push_latencies, 0.5),
        percentile(&s.push_latencies, 0.95),
        percentile(&s.push_latencies, 0.99),
        percentile(&s.push_latencies, 1.0)
    );
    println!(
        "  errors {}; server peak RSS {} MB (after start-up and login: {} MB)",
        s.errors.len(),
        peak / 1024,
        rss_before / 1024
    );
    for e in s.errors.iter().take(5) {
        println!("    {e}");
    }

    // Throughput test on a fresh server process.
    let (child, base) = start(&bin, &data);
    let client = reqwest::Client::new();
    let token = login(&client, &base, &plan[0].0).await;
    let visit = plan[0].1[0].clone();
    for parallel in [1usize, 4] {
        let per_device = 4000 / parallel;
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..parallel {
            let (client, base, token, visit) =
                (client.clone(), base.clone(), token.clone(), visit.clone());
            tasks.push(tokio::spawn(async move {
                let mut device = SimDevice::new(&base, client, &token);
                for i in 0..per_device {
                    device.add_note(
                        &visit,
                        &format!("Notitie {i}: lekbak ontbreekt bij de werkplaats"),
                    );
                }
                let results = device.flush(50).await;
                results
                    .iter()
                    .filter(|r| r.status == MutationStatus::Applied)
                    .count()
            }));
        }
        let mut applied = 0;
        for t in tasks {
            applied += t.await.unwrap();
        }
        let secs = started.elapsed().as_secs_f64();
        println!("throughput: {parallel} device(s), {applied} visit_note.add in batches of 50: {secs:.2} s, {:.0} mutations/s",
            applied as f64 / secs);
    }
    stop(child);
}
