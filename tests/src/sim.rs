//! Simulated tablets for the sync fault-injection suite: a device id, the next `seq`, an outbox,
//! local copies of what it wrote and pulled, and push/pull over HTTP through a fault layer that
//! can duplicate a request, drop it before the server sees it, or drop the answer after the
//! server committed.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use shared::sync::{
    Mutation, MutationResult, MutationStatus, PendingReport, PullResponse, PushRequest,
    PushResponse,
};
use uuid::Uuid;

/// What the fault layer does to one push request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Delivered once, answer returned.
    None,
    /// Delivered twice, one after the other (a retry after a timeout); the second answer returned.
    Duplicate,
    /// Delivered twice at the same time (two sync loops racing); one answer returned.
    DuplicateConcurrent,
    /// Never reaches the server.
    DropRequest,
    /// The server commits, the answer is lost on the way back.
    DropResponse,
}

/// A device's copy of a record it wrote or pulled.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalRecord {
    pub entity: String,
    pub version: i64,
    pub data: Option<Value>,
}

pub struct SimDevice {
    pub device_id: Uuid,
    pub next_seq: i64,
    /// Mutations not yet answered with a final outcome, in `seq` order.
    pub outbox: Vec<Mutation>,
    /// Every mutation written, by id (kept for the invariant checks).
    pub written: BTreeMap<Uuid, Mutation>,
    /// The final outcome of each answered mutation (a `duplicate` resolved to its original status).
    pub outcomes: BTreeMap<Uuid, MutationResult>,
    /// Local copies: entity id -> record; versions are the device's belief (its own unsent
    /// edits included).
    pub records: BTreeMap<Uuid, LocalRecord>,
    /// The server's state of each record as the pull feed last delivered it.
    pub pulled: BTreeMap<Uuid, LocalRecord>,
    pub cursor: String,
    /// Added to the real clock for `at`: a tablet whose clock is days off.
    pub clock_skew: chrono::Duration,
    pub token: String,
    base: String,
    client: reqwest::Client,
}

impl SimDevice {
    pub fn new(base: &str, client: reqwest::Client, token: &str) -> SimDevice {
        SimDevice {
            device_id: Uuid::new_v4(),
            next_seq: 1,
            outbox: Vec::new(),
            written: BTreeMap::new(),
            outcomes: BTreeMap::new(),
            records: BTreeMap::new(),
            pulled: BTreeMap::new(),
            cursor: String::new(),
            clock_skew: chrono::Duration::zero(),
            token: token.to_owned(),
            base: base.to_owned(),
            client,
        }
    }

    /// Points the device at a restarted server.
    pub fn set_base(&mut self, base: &str) {
        self.base = base.to_owned();
    }

    /// Pushes the outbox in batches until it is empty or a request fails (connection refused or
    /// reset, or a non-200 answer), as a device's sync loop does before backing off.
    pub async fn try_flush(&mut self, batch: usize) -> Result<(), String> {
        while !self.outbox.is_empty() {
            let n = batch.min(self.outbox.len());
            let request = PushRequest {
                device_id: self.device_id,
                mutations: self.outbox[..n].to_vec(),
                pending: Some(self.pending_after(n)),
            };
            let response = self
                .client
                .post(self.url("/api/v1/sync/push"))
                .bearer_auth(&self.token)
                .json(&request)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if response.status() != 200 {
                return Err(format!("push answered {}", response.status()));
            }
            let body: PushResponse = response.json().await.map_err(|e| e.to_string())?;
            self.absorb(&body.results);
        }
        Ok(())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn device_time(&self) -> chrono::DateTime<chrono::FixedOffset> {
        (chrono::Utc::now() + self.clock_skew)
            .with_timezone(&chrono::FixedOffset::east_opt(3600).expect("offset"))
    }

    /// Writes a mutation to the outbox (what the app does in the same IndexedDB transaction as the
    /// local change).
    pub fn queue(
        &mut self,
        kind: &str,
        entity_id: Uuid,
        base_version: Option<i64>,
        data: Value,
    ) -> Mutation {
        let mutation = Mutation {
            id: Uuid::new_v4(),
            seq: self.next_seq,
            kind: shared::sync::MutationKind::parse(kind),
            entity_id,
            base_version,
            at: self.device_time(),
            data,
        };
        self.next_seq += 1;
        self.outbox.push(mutation.clone());
        self.written.insert(mutation.id, mutation.clone());
        mutation
    }

    /// A new note on a visit; returns the note's id.
    pub fn add_note(&mut self, visit_id: &str, text: &str) -> Uuid {
        let id = Uuid::new_v4();
        self.queue(
            "visit_note.add",
            id,
            None,
            json!({"visit_id": visit_id, "text": text}),
        );
        self.records.insert(
            id,
            LocalRecord {
                entity: "visit_note".into(),
                version: 1,
                data: Some(json!({"visit_id": visit_id, "text": text})),
            },
        );
        id
    }

    /// Edits a note the device knows, based on the version it believes current.
    pub fn edit_note(&mut self, id: Uuid, text: &str) -> Mutation {
        let local = self.records.get_mut(&id).expect("a note this device knows");
        let base = local.version;
        local.version += 1;
        if let Some(Value::Object(data)) = &mut local.data {
            data.insert("text".into(), json!(text));
        }
        self.queue("visit_note.edit", id, Some(base), json!({"text": text}))
    }

    /// What the device reports as unsent besides `in_flight`.
    fn pending_after(&self, in_flight: usize) -> PendingReport {
        let rest = &self.outbox[in_flight.min(self.outbox.len())..];
        PendingReport {
            count: rest.len() as i64,
            oldest_at: rest.first().map(|m| m.at),
        }
    }

    /// One push request through the fault layer; `None` when the answer never arrived.
    pub async fn send(
        &self,
        mutations: &[Mutation],
        pending: Option<PendingReport>,
        fault: Fault,
    ) -> Option<PushResponse> {
        let request = PushRequest {
            device_id: self.device_id,
            mutations: mutations.to_vec(),
            pending,
        };
        let once = || async {
            let response = self
                .client
                .post(self.url("/api/v1/sync/push"))
                .bearer_auth(&self.token)
                .json(&request)
                .send()
                .await
                .expect("push request");
            let status = response.status();
            let body = response.text().await.expect("push body");
            assert_eq!(status, 200, "push answered {status}: {body}");
            serde_json::from_str::<PushResponse>(&body).expect("push response")
        };
        match fault {
            Fault::None => Some(once().await),
            Fault::Duplicate => {
                once().await;
                Some(once().await)
            }
            Fault::DuplicateConcurrent => {
                let (_, second) = tokio::join!(once(), once());
                Some(second)
            }
            Fault::DropRequest => None,
            Fault::DropResponse => {
                once().await;
                None
            }
        }
    }

    /// Takes the answers in: final outcomes leave the outbox; a `seq_gap` stays to be sent again.
    pub fn absorb(&mut self, results: &[MutationResult]) {
        for result in results {
            let gap = result.status == MutationStatus::Rejected
                && result
                    .error
                    .as_ref()
                    .is_some_and(|e| e.code == "sync.seq_gap");
            if gap {
                continue;
            }
            let mut outcome = result.clone();
            if result.status == MutationStatus::Duplicate {
                outcome.status = result
                    .original_status
                    .expect("a duplicate names its original");
                outcome.original_status = None;
            }
            self.outbox.retain(|m| m.id != result.id);
            // A refused new record is gone from the device's view (it stays listed as a problem).
            if outcome.status == MutationStatus::Rejected {
                if let Some(m) = self.written.get(&result.id) {
                    if m.kind.as_str().ends_with(".add") {
                        self.records.remove(&m.entity_id);
                    }
                }
            }
            self.outcomes.insert(result.id, outcome);
        }
    }

    /// Pushes the first `batch` mutations of the outbox through the fault layer and takes in the
    /// answer if one arrives; returns the raw results.
    pub async fn push_once(&mut self, batch: usize, fault: Fault) -> Option<Vec<MutationResult>> {
        let n = batch.min(self.outbox.len());
        if n == 0 {
            return Some(Vec::new());
        }
        let mutations = self.outbox[..n].to_vec();
        let pending = self.pending_after(n);
        let response = self.send(&mutations, Some(pending), fault).await?;
        self.absorb(&response.results);
        Some(response.results)
    }

    /// Pushes until the outbox is empty (no faults); returns every raw result.
    pub async fn flush(&mut self, batch: usize) -> Vec<MutationResult> {
        let mut all = Vec::new();
        for _ in 0..1000 {
            if self.outbox.is_empty() {
                return all;
            }
            all.extend(self.push_once(batch, Fault::None).await.expect("delivered"));
        }
        panic!("the outbox of {} never emptied", self.device_id);
    }

    /// Sends the outbox as batches in reverse order (the last batch arrives first).
    pub async fn push_reordered(&mut self, batch: usize) -> Vec<MutationResult> {
        let batches: Vec<Vec<Mutation>> = self.outbox.chunks(batch).map(<[_]>::to_vec).collect();
        let mut all = Vec::new();
        for mutations in batches.iter().rev() {
            let response = self
                .send(mutations, None, Fault::None)
                .await
                .expect("delivered");
            self.absorb(&response.results);
            all.extend(response.results);
        }
        all
    }

    /// Pulls until the feed has no more, replacing local copies with the server's state.
    pub async fn pull(&mut self) {
        loop {
            let response = self
                .client
                .get(self.url("/api/v1/sync/pull"))
                .query(&[("cursor", self.cursor.as_str())])
                .bearer_auth(&self.token)
                .send()
                .await
                .expect("pull request");
            assert_eq!(response.status(), 200, "pull");
            let page: PullResponse = response.json().await.expect("pull body");
            for change in page.changes {
                let record = LocalRecord {
                    entity: change.entity.to_string(),
                    version: change.version,
                    data: change.data,
                };
                self.records.insert(change.entity_id, record.clone());
                self.pulled.insert(change.entity_id, record);
            }
            self.cursor = page.cursor;
            if !page.more {
                return;
            }
        }
    }
}

/// Logs in with the demo password and returns the bearer token.
pub async fn login(client: &reqwest::Client, base: &str, username: &str) -> String {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": server::demo::DEMO_PASSWORD}))
        .send()
        .await
        .expect("login request");
    assert_eq!(response.status(), 200, "login of {username}");
    let body: Value = response.json().await.expect("login body");
    body["token"].as_str().expect("token").to_owned()
}

/// GET with a bearer token: status and JSON body (null when there is none).
pub async fn get_json(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
) -> (u16, Value) {
    let response = client
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// POST of a JSON body with a bearer token: status and JSON body (null when there is none).
pub async fn post_json(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    let response = client
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("POST");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The inspector's visits on `date` (`GET /me/visits`).
pub async fn visits_on(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    date: chrono::NaiveDate,
) -> Vec<Value> {
    let (status, body) = get_json(
        client,
        base,
        token,
        &format!("/api/v1/me/visits?date={date}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["visits"].as_array().cloned().unwrap_or_default()
}

/// A checklist template of the agency: id, version and its item ids.
pub async fn a_template(
    client: &reqwest::Client,
    base: &str,
    token: &str,
) -> (String, u32, Vec<String>) {
    let (status, body) = get_json(client, base, token, "/api/v1/checklists").await;
    assert_eq!(status, 200, "{body}");
    let template = body["templates"]
        .as_array()
        .and_then(|t| {
            t.iter()
                .find(|t| t["items"].as_array().is_some_and(|i| i.len() >= 4))
        })
        .expect("a template with items")
        .clone();
    let items = template["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("item id").to_owned())
        .collect();
    (
        template["id"].as_str().expect("id").to_owned(),
        template["version"].as_u64().expect("version") as u32,
        items,
    )
}

/// An item of the template that a "no" violates, and one that "n.v.t." answers without violation.
pub async fn yes_no_items(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    template: &str,
) -> (String, String) {
    let (_, body) = get_json(client, base, token, "/api/v1/checklists").await;
    let items = body["templates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == template)
        .unwrap()["items"]
        .as_array()
        .unwrap()
        .clone();
    let violated_by_no = items
        .iter()
        .find(|i| i["answer"]["type"] == "yes_no" && i["answer"]["violation_on"] == "no")
        .expect("a yes/no item")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = items
        .iter()
        .find(|i| i["id"] != violated_by_no.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (violated_by_no, other)
}

/// The lightest answer to every question of the default matrix.
pub async fn lightest_answers(
    client: &reqwest::Client,
    base: &str,
    token: &str,
) -> serde_json::Map<String, Value> {
    let (_, matrix) = get_json(client, base, token, "/api/v1/lhso/matrix").await;
    let mut answers = serde_json::Map::new();
    for axis in ["consequence", "behaviour"] {
        for q in matrix[axis]["questions"].as_array().expect("questions") {
            answers.insert(
                q["id"].as_str().unwrap().to_owned(),
                q["options"][0]["value"].clone(),
            );
        }
    }
    answers
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A valid JPEG of noise seeded by `seed`, `side` pixels square (about 400 KB at side 400 and
/// quality 90).
pub fn noise_jpeg(seed: u64, side: u32, quality: u8) -> Vec<u8> {
    use rand::{RngCore, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut pixels = vec![0u8; (side * side * 3) as usize];
    rng.fill_bytes(&mut pixels);
    let img = image::RgbImage::from_raw(side, side, pixels).expect("buffer fits");
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&img)
        .expect("encode jpeg");
    out
}

/// Uploads a blob whole; returns the HTTP status.
pub async fn put_blob(client: &reqwest::Client, base: &str, token: &str, bytes: &[u8]) -> u16 {
    client
        .put(format!("{base}/api/v1/blobs/{}", sha256_hex(bytes)))
        .bearer_auth(token)
        .body(bytes.to_vec())
        .send()
        .await
        .expect("PUT blob")
        .status()
        .as_u16()
}

/// The invariants every scenario ends with, checked in the server's database.
pub mod invariants {
    use sqlx::AnyPool;

    use super::SimDevice;
    use shared::sync::MutationStatus;

    pub async fn count(pool: &AnyPool, sql: &str, bind: &str) -> i64 {
        sqlx::query_scalar(sql)
            .bind(bind)
            .fetch_one(pool)
            .await
            .expect("count query")
    }

    fn status_text(status: MutationStatus) -> &'static str {
        match status {
            MutationStatus::Applied => "applied",
            MutationStatus::Conflict => "conflict",
            MutationStatus::Rejected => "rejected",
            MutationStatus::Duplicate => "duplicate",
        }
    }

    /// Every answered mutation is recorded exactly once with the outcome the device was told; an
    /// applied one left exactly one audit entry (it was applied once), a conflict exactly one
    /// conflict record, anything else none.
    pub async fn exactly_once(pool: &AnyPool, device: &SimDevice) {
        for (id, outcome) in &device.outcomes {
            let id = id.to_string();
            let statuses: Vec<String> =
                sqlx::query_scalar("SELECT status FROM sync_mutations WHERE mutation_id = $1")
                    .bind(&id)
                    .fetch_all(pool)
                    .await
                    .expect("mutation rows");
            assert_eq!(
                statuses,
                vec![status_text(outcome.status).to_owned()],
                "mutation {id} recorded once with the outcome the device got"
            );
            let written = &device.written[&id.parse().expect("uuid")];
            let entity = written.kind.entity().expect("a known kind");
            let entity = entity.as_str();
            let audits: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND entity_id = $2 \
                 AND details LIKE '%' || $3 || '%'",
            )
            .bind(entity)
            .bind(written.entity_id.to_string())
            .bind(&id)
            .fetch_one(pool)
            .await
            .expect("audit count");
            let expected = i64::from(outcome.status == MutationStatus::Applied);
            assert_eq!(audits, expected, "audit entries of mutation {id}");
            let conflicts = count(
                pool,
                "SELECT COUNT(*) FROM sync_conflicts WHERE mutation_id = $1",
                &id,
            )
            .await;
            let expected = i64::from(outcome.status == MutationStatus::Conflict);
            assert_eq!(conflicts, expected, "conflict records of mutation {id}");
        }
        audit_chain_intact(pool).await;
    }

    /// The audit trail is one hash chain from the first entry to the head, without a gap, a fork,
    /// an edited entry or a missing tail (`schouw audit verify`); every sync scenario ends with
    /// it. Returns the number of entries.
    pub async fn audit_chain_intact(pool: &AnyPool) -> i64 {
        let chain = server::audit::verify(pool)
            .await
            .expect("verify the audit chain");
        match chain {
            server::audit::Verification::Intact { entries } => entries,
            broken @ server::audit::Verification::BrokenAt { .. } => {
                panic!("audit chain: {broken:?}")
            }
        }
    }

    /// A note's version is the number of mutations applied to it; the applied edits were based on
    /// 1, 2, .., v-1 exactly once each (no stale base overwrote a newer version), and the feed has
    /// versions 1..v once each.
    pub async fn note_history(pool: &AnyPool, note_id: &str) {
        let version: Option<i64> =
            sqlx::query_scalar("SELECT version FROM visit_notes WHERE id = $1")
                .bind(note_id)
                .fetch_optional(pool)
                .await
                .expect("note");
        let applied: Vec<(String, Option<i64>)> = sqlx::query_as(
            "SELECT kind, base_version FROM sync_mutations WHERE entity_id = $1 AND status = 'applied' ORDER BY seq",
        )
        .bind(note_id)
        .fetch_all(pool)
        .await
        .expect("applied mutations");
        let Some(version) = version else {
            assert!(
                applied.is_empty(),
                "mutations applied to a note that does not exist"
            );
            return;
        };
        let adds = applied
            .iter()
            .filter(|(k, _)| k == "visit_note.add")
            .count();
        assert_eq!(adds, 1, "note {note_id} added exactly once");
        let mut bases: Vec<i64> = applied
            .iter()
            .filter(|(k, _)| k == "visit_note.edit")
            .map(|(_, b)| b.expect("an edit has a base"))
            .collect();
        bases.sort_unstable();
        assert_eq!(
            bases,
            (1..version).collect::<Vec<_>>(),
            "edits of note {note_id} each based on the version before"
        );
        let mut feed: Vec<i64> = sqlx::query_scalar(
            "SELECT version FROM changes WHERE entity = 'visit_note' AND entity_id = $1",
        )
        .bind(note_id)
        .fetch_all(pool)
        .await
        .expect("feed");
        feed.sort_unstable();
        assert_eq!(
            feed,
            (1..=version).collect::<Vec<_>>(),
            "feed of note {note_id}"
        );
    }

    /// After a final pull the device holds, as the feed delivered it, exactly the server's text and
    /// version of every note.
    pub async fn converged(pool: &AnyPool, device: &SimDevice, note_ids: &[String]) {
        for id in note_ids {
            let row: Option<(String, i64)> =
                sqlx::query_as("SELECT text, version FROM visit_notes WHERE id = $1")
                    .bind(id)
                    .fetch_optional(pool)
                    .await
                    .expect("note");
            let local = device.pulled.get(&id.parse().expect("uuid"));
            match row {
                Some((text, version)) => {
                    let local = local.unwrap_or_else(|| panic!("device lacks note {id}"));
                    assert_eq!(local.version, version, "version of note {id} on the device");
                    let local_text = local.data.as_ref().and_then(|d| d["text"].as_str());
                    assert_eq!(
                        local_text,
                        Some(text.as_str()),
                        "text of note {id} on the device"
                    );
                }
                None => assert!(
                    local.is_none_or(|l| l.data.is_none()),
                    "device holds note {id} the server never stored"
                ),
            }
        }
    }
}

/// A visit of the logged-in inspector on `date` that was planned, now started on a new tablet with
/// one violating finding (a "no" to a yes/no item); the LHSO answers of the lightest cell go with it.
pub struct StartedViolation {
    pub tablet: SimDevice,
    pub visit: Value,
    pub finding: Uuid,
    /// The checklist item the finding answers.
    pub item: String,
    pub answers: Value,
}

pub async fn a_started_violation(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    date: chrono::NaiveDate,
) -> StartedViolation {
    // The first visit of the day not started yet, so a test may make several.
    let visit = visits_on(client, base, token, date)
        .await
        .into_iter()
        .find(|v| v["status"] == "planned")
        .expect("a planned visit");
    let visit_id: Uuid = visit["id"].as_str().unwrap().parse().unwrap();
    let (template, version, _) = a_template(client, base, token).await;
    let (violated, _) = yes_no_items(client, base, token, &template).await;
    let mut tablet = SimDevice::new(base, client.clone(), token);
    tablet.queue(
        "visit.start",
        visit_id,
        Some(visit["version"].as_i64().unwrap()),
        json!({"template_id": template, "template_version": version}),
    );
    let finding = Uuid::new_v4();
    tablet.queue(
        "finding.upsert",
        finding,
        None,
        json!({"visit_id": visit_id, "item_id": violated, "answer": {"type": "no"}, "note": null}),
    );
    for r in tablet.flush(10).await {
        assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
    }
    let answers = json!(lightest_answers(client, base, token).await);
    StartedViolation {
        tablet,
        visit,
        finding,
        item: violated,
        answers,
    }
}
