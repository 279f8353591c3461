//! The sync engine (API.md "Sync"): pushes the outbox in `seq` order, then pulls changes with the
//! cursor, then (now and then) refreshes the working set. One loop per app, so runs never
//! overlap; it runs on start, on the `online` event, every 30 s while online and on demand, and
//! backs off exponentially (with jitter, up to 5 minutes) after a failure. It never blocks the UI:
//! everything is async and the screen only reads its state signal and IndexedDB.
//!
//! Never lose or double anything:
//! - an outbox entry leaves the outbox only when the server acknowledged it (`applied` or
//!   `duplicate`), or moves to the `problems` store with the server's reason (`conflict`,
//!   `rejected`); the acknowledgement and the local update share one transaction;
//! - a resend after a lost answer reuses the same `seq` and id, so the server answers `duplicate`;
//! - a pulled entity never overwrites a local one that still has an unsent mutation;
//! - a mutation written while an earlier one of the same entity was unsent (`chained`) is sent
//!   only after that one was acknowledged, with the version the server gave it as base; after a
//!   conflict the base stays the stale one, so the follow-up is a recorded conflict too.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use uuid::Uuid;
use wasm_bindgen::JsValue;

use shared::sync::{
    EntityKind, FeedFinding, FeedNote, FeedOp, MutationStatus, PendingReport, PushRequest,
    PushResponse,
};
use shared::visit::{DayVisits, FeedVisit, Visit};
use shared::ErrorCode;

use crate::api::{self, ApiFailure};
use crate::session::Session;
use crate::store::{
    self, key, EntityStore, LocalFinding, LocalNote, LocalPhoto, LocalVisit, OutboxEntry,
    PhotoState, Problem, StoreError, WriteTx,
};
use crate::{photos, strings, util};

/// Most mutations per push.
const BATCH: usize = 50;
const PERIOD_MS: i32 = 30_000;
const BACKOFF_BASE_MS: f64 = 2_000.0;
const BACKOFF_CAP_MS: f64 = 300_000.0;
/// How often the working set (visit lists, details, templates) is refreshed without a trigger.
const WORKSET_EVERY_MS: f64 = 15.0 * 60_000.0;
/// Workdays after today kept on the device.
const WORKDAYS_AHEAD: usize = 4;

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Idle,
    Syncing {
        done: usize,
        total: usize,
    },
    /// Uploading photos (counted in photos).
    Photos {
        done: usize,
        total: usize,
    },
    Offline,
    Error(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SyncStatus {
    pub phase: Phase,
    /// Device time of the last complete sync (RFC 3339).
    pub last_success: Option<String>,
    /// Unsent mutations and the device time of the oldest.
    pub pending: usize,
    pub oldest: Option<String>,
    pub problems: usize,
    /// Seconds until the next attempt after a failure.
    pub retry_in_s: Option<u32>,
}

#[derive(Clone, Copy)]
pub struct Sync {
    pub status: RwSignal<SyncStatus>,
    /// Bumped whenever local data changed; pages re-read IndexedDB when it moves.
    pub rev: RwSignal<u64>,
}

impl Sync {
    /// A user action was recorded: refresh what the screen shows and send it soon.
    pub fn changed(&self) {
        self.rev.update(|r| *r += 1);
        let this = *self;
        spawn_local(async move { refresh_counts(this).await });
        kick(false);
    }

    /// "Nu synchroniseren".
    pub fn now(&self) {
        kick(true);
    }
}

pub fn use_sync() -> Sync {
    expect_context::<Sync>()
}

thread_local! {
    static WAKE: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    static KICKED: Cell<bool> = const { Cell::new(false) };
    static FULL: Cell<bool> = const { Cell::new(true) };
}

/// Runs the loop now (or right after the current run); `full` also refreshes the working set.
pub fn kick(full: bool) {
    if full {
        FULL.with(|f| f.set(true));
    }
    KICKED.with(|k| k.set(true));
    if let Some(wake) = WAKE.with(|w| w.borrow_mut().take()) {
        let _ = wake.call0(&JsValue::NULL);
    }
}

async fn wait(ms: i32) {
    if KICKED.with(|k| k.replace(false)) {
        return;
    }
    let (timer, wake) = util::timer(ms);
    WAKE.with(|w| *w.borrow_mut() = Some(wake));
    let _ = timer.await;
    WAKE.with(|w| *w.borrow_mut() = None);
    KICKED.with(|k| k.set(false));
}

pub fn provide(session: Session) {
    let sync = Sync {
        status: RwSignal::new(SyncStatus {
            phase: if session.online.get_untracked() {
                Phase::Idle
            } else {
                Phase::Offline
            },
            last_success: None,
            pending: 0,
            oldest: None,
            problems: 0,
            retry_in_s: None,
        }),
        rev: RwSignal::new(0),
    };
    provide_context(sync);

    // A session that appears (loaded from the device, or a new login) starts a full run; the
    // session itself knows nothing of the sync loop.
    Effect::new(move |previous: Option<Option<String>>| {
        let token = session
            .current
            .with(|s| s.as_ref().map(|s| s.token.clone()));
        if session.loaded.get() && token.is_some() && previous.as_ref() != Some(&token) {
            kick(true);
        }
        token
    });

    let online = window_event_listener(leptos::ev::online, move |_| kick(true));
    let offline = window_event_listener(leptos::ev::offline, move |_| {
        sync.status.update(|s| {
            s.phase = Phase::Offline;
            s.retry_in_s = None;
        });
    });
    on_cleanup(move || {
        online.remove();
        offline.remove();
    });

    spawn_local(async move {
        if let Ok(Some(last)) = store::meta::<String>(store::META_LAST_SYNC).await {
            sync.status.update(|s| s.last_success = Some(last));
        }
        if let Ok(Some(matrix)) = store::meta::<String>(store::META_LHSO_MATRIX).await {
            crate::lhso::install(&matrix);
        }
        refresh_counts(sync).await;
        let mut failures: u32 = 0;
        let mut last_workset: f64 = f64::NEG_INFINITY;
        loop {
            let full = FULL.with(|f| f.replace(false))
                || js_sys::Date::now() - last_workset > WORKSET_EVERY_MS;
            let delay = match run(sync, session, full).await {
                Ok(ran) => {
                    failures = 0;
                    if ran && full {
                        last_workset = js_sys::Date::now();
                    }
                    sync.status.update(|s| s.retry_in_s = None);
                    PERIOD_MS
                }
                Err(reason) => {
                    failures = failures.saturating_add(1);
                    if full {
                        FULL.with(|f| f.set(true));
                    }
                    let delay = backoff(failures);
                    let offline = !session.online.get_untracked();
                    sync.status.update(|s| {
                        s.phase = if offline {
                            Phase::Offline
                        } else {
                            Phase::Error(reason)
                        };
                        s.retry_in_s = Some((delay / 1000) as u32);
                    });
                    delay
                }
            };
            refresh_counts(sync).await;
            sync.rev.update(|r| *r += 1);
            wait(delay).await;
        }
    });
}

/// Exponential backoff with "full jitter" between half and all of the step, capped at 5 minutes.
fn backoff(failures: u32) -> i32 {
    let step = (BACKOFF_BASE_MS * 2f64.powi(failures.min(16) as i32 - 1)).min(BACKOFF_CAP_MS);
    (step * (0.5 + js_sys::Math::random() * 0.5)) as i32
}

async fn refresh_counts(sync: Sync) {
    let outbox = store::outbox().await.unwrap_or_default();
    let problems = store::problems().await.map(|p| p.len()).unwrap_or(0);
    let photos = store::all::<LocalPhoto>(store::PHOTOS)
        .await
        .unwrap_or_default();
    let photos_waiting = photos.iter().filter(|p| p.is_waiting()).count();
    let photo_problems = photos.iter().filter(|p| p.problem.is_some()).count();
    sync.status.update(|s| {
        s.pending = outbox.len() + photos_waiting;
        s.problems = problems + photo_problems;
        s.oldest = outbox.first().map(|e| e.mutation.at.to_rfc3339());
    });
}

/// Why a run stopped, in Dutch.
fn failure_text(failure: &ApiFailure) -> String {
    match failure {
        ApiFailure::Network => strings::SYNC_NO_SERVER.to_owned(),
        ApiFailure::Api { code, message, .. } => strings::error_message(code, message),
    }
}

fn storage_text(_: StoreError) -> String {
    strings::SYNC_STORAGE_FAILED.to_owned()
}

/// One run. `Ok(false)`: nothing to do (offline, nobody logged in).
async fn run(sync: Sync, session: Session, full: bool) -> Result<bool, String> {
    if !session.loaded.get_untracked() {
        return Ok(false);
    }
    let (Some(token), Some(user)) = (session.token(), session.user_untracked()) else {
        sync.status.update(|s| s.phase = Phase::Idle);
        return Ok(false);
    };
    if !session.online.get_untracked() {
        sync.status.update(|s| s.phase = Phase::Offline);
        return Ok(false);
    }

    // The device's data belongs to one user at a time.
    let owner: Option<Uuid> = store::meta(store::META_OWNER).await.map_err(storage_text)?;
    if owner != Some(user.id) {
        let unsent = store::unsent_count().await.map_err(storage_text)?;
        if owner.is_some() && unsent > 0 {
            return Err(strings::SYNC_OTHER_USER.to_owned());
        }
        store::reset_working_set(user.id)
            .await
            .map_err(storage_text)?;
    }
    let device = store::device_id().await.map_err(storage_text)?;

    let pending = store::outbox().await.map_err(storage_text)?.len();
    sync.status.update(|s| {
        s.phase = Phase::Syncing {
            done: 0,
            total: pending,
        }
    });
    push(sync, device, &token).await?;
    // Field work (a working set, photos, the pull) is the inspector's; other roles only send what
    // they settled (`sync_problem.resolve` from the team page).
    if user.role != shared::Role::Inspector {
        sync.status.update(|s| s.phase = Phase::Idle);
        return Ok(true);
    }
    // Photos after the outbox: a slow upload never holds back notes and findings. Each uploaded
    // photo put its `photo.attach` in the outbox, which goes out right away.
    let uploaded = photos::upload_pending(&token, |done, total| {
        if total > 0 {
            sync.status
                .update(|s| s.phase = Phase::Photos { done, total });
        }
    })
    .await
    .map_err(|f| failure_text(&f))?;
    if uploaded > 0 {
        sync.rev.update(|r| *r += 1);
        push(sync, device, &token).await?;
    }
    pull(&token).await?;
    sync.rev.update(|r| *r += 1);
    if full {
        refresh_working_set(&token).await?;
    }

    let now = util::now_rfc3339();
    if let Ok(tx) = WriteTx::begin(&[store::META], false).await {
        if tx
            .put(store::META, &JsValue::from_str(store::META_LAST_SYNC), &now)
            .is_ok()
        {
            let _ = tx.commit().await;
        }
    }
    sync.status.update(|s| {
        s.phase = Phase::Idle;
        s.last_success = Some(now);
    });
    Ok(true)
}

// Push.

async fn push(sync: Sync, device: Uuid, token: &str) -> Result<(), String> {
    let mut done = 0;
    let mut gap_retries = 0;
    loop {
        let entries = store::outbox().await.map_err(storage_text)?;
        if entries.is_empty() {
            return Ok(());
        }
        sync.status.update(|s| {
            s.phase = Phase::Syncing {
                done,
                total: done + entries.len(),
            }
        });
        // In seq order; a chained mutation waits for the answer to its predecessor.
        let mut batch: Vec<OutboxEntry> = Vec::new();
        let mut entities = HashSet::new();
        for entry in entries.iter().take(BATCH) {
            if entry.chained && entities.contains(&entry.mutation.entity_id) {
                break;
            }
            entities.insert(entry.mutation.entity_id);
            batch.push(entry.clone());
        }
        for entry in batch.iter_mut().filter(|e| e.chained) {
            entry.mutation.base_version = known_version(entry.entity, entry.mutation.entity_id)
                .await
                .map_err(storage_text)?;
        }
        mark_attempt(&batch).await.map_err(storage_text)?;

        // What will still wait once this batch is applied (the server keeps the last report, so it
        // must not count the batch itself), including photos not uploaded yet.
        let after = &entries[batch.len()..];
        let photos: Vec<LocalPhoto> = store::all(store::PHOTOS).await.unwrap_or_default();
        let waiting_photos: Vec<&LocalPhoto> = photos.iter().filter(|p| p.is_waiting()).collect();
        let oldest = after
            .iter()
            .map(|e| e.mutation.at)
            .chain(
                waiting_photos
                    .iter()
                    .filter_map(|p| chrono::DateTime::parse_from_rfc3339(&p.captured_at).ok()),
            )
            .min();
        let report = PendingReport {
            count: (after.len() + waiting_photos.len()) as i64,
            oldest_at: oldest,
        };

        let request = PushRequest {
            device_id: device,
            mutations: batch.iter().map(|e| e.mutation.clone()).collect(),
            pending: Some(report),
        };
        let response: PushResponse = api::post("/api/v1/sync/push", &request, Some(token))
            .await
            .map_err(|f| failure_text(&f))?;
        let (settled, gap) = settle(&batch, &response).await.map_err(storage_text)?;
        done += settled;
        sync.rev.update(|r| *r += 1);

        if gap {
            // The server is missing earlier mutations of this device: everything it has not
            // applied is renumbered to follow its last_seq and sent again (ids stay the same).
            gap_retries += 1;
            if gap_retries > 2 {
                return Err(strings::error_message(ErrorCode::SyncSeqGap.as_str(), ""));
            }
            renumber(response.last_seq).await.map_err(storage_text)?;
        } else if settled == 0 {
            // The server answered none of them: try again later rather than loop.
            return Err(strings::SYNC_NO_ANSWER.to_owned());
        }
    }
}

async fn known_version(entity: EntityStore, id: Uuid) -> Result<Option<i64>, StoreError> {
    Ok(match entity {
        EntityStore::Visit => store::get::<LocalVisit>(store::VISITS, &key(&id))
            .await?
            .map(|v| v.visit.version),
        EntityStore::Note => store::get::<LocalNote>(store::NOTES, &key(&id))
            .await?
            .and_then(|n| n.version),
        EntityStore::Finding => store::get::<LocalFinding>(store::FINDINGS, &key(&id))
            .await?
            .and_then(|f| f.version),
        EntityStore::Assessment => store::get::<LocalFinding>(store::FINDINGS, &key(&id))
            .await?
            .and_then(|f| f.lhso_version),
        // `photo.attach` creates and `sync_problem.resolve` settles: no base version.
        EntityStore::Photo | EntityStore::Problem => None,
    })
}

async fn mark_attempt(batch: &[OutboxEntry]) -> Result<(), StoreError> {
    let tx = WriteTx::begin(&[store::OUTBOX], false).await?;
    for entry in batch {
        let mut entry = entry.clone();
        let seq_key = JsValue::from_f64(entry.mutation.seq as f64);
        // Keep the stored mutation as written (its base version is filled in per attempt).
        if let Some(stored) = tx.get::<OutboxEntry>(store::OUTBOX, &seq_key).await? {
            entry.mutation = stored.mutation;
            entry.attempts = stored.attempts + 1;
            tx.put(store::OUTBOX, &seq_key, &entry)?;
        }
    }
    tx.commit().await
}

/// Applies the server's answers in one transaction. Returns how many entries left the outbox and
/// whether the server reported a gap in `seq`.
async fn settle(
    batch: &[OutboxEntry],
    response: &PushResponse,
) -> Result<(usize, bool), StoreError> {
    let tx = WriteTx::begin(
        &[
            store::OUTBOX,
            store::PROBLEMS,
            store::VISITS,
            store::NOTES,
            store::FINDINGS,
            store::PHOTOS,
        ],
        true,
    )
    .await?;
    let mut settled = 0;
    let mut gap = false;
    for result in &response.results {
        let Some(entry) = batch.iter().find(|e| e.mutation.id == result.id) else {
            continue;
        };
        let seq_key = JsValue::from_f64(entry.mutation.seq as f64);
        match result.status {
            MutationStatus::Applied | MutationStatus::Duplicate => {
                tx.delete(store::OUTBOX, &seq_key)?;
                acknowledge(&tx, entry, result.version, true).await?;
                settled += 1;
            }
            MutationStatus::Conflict | MutationStatus::Rejected => {
                let (code, server_message) = result
                    .error
                    .as_ref()
                    .map(|e| (e.code.clone(), e.message.clone()))
                    .unwrap_or_else(|| {
                        let code = if result.status == MutationStatus::Conflict {
                            ErrorCode::RecordVersionConflict
                        } else {
                            ErrorCode::SyncInvalidData
                        };
                        (code.as_str().to_owned(), String::new())
                    });
                if code == ErrorCode::SyncSeqGap.as_str() {
                    gap = true;
                    continue;
                }
                let problem = Problem {
                    mutation: entry.mutation.clone(),
                    visit_id: entry.visit_id,
                    status: result.status,
                    message: strings::error_message(&code, &server_message),
                    code,
                    server_version: result.version,
                    recorded_at: util::now_rfc3339(),
                    resolution: None,
                };
                tx.put(store::PROBLEMS, &key(&entry.mutation.id), &problem)?;
                tx.delete(store::OUTBOX, &seq_key)?;
                // The entity keeps the version the device saw: a chained follow-up is then a
                // conflict too, never a silent overwrite.
                acknowledge(&tx, entry, None, false).await?;
                if entry.entity == EntityStore::Photo {
                    // The photo shows the refusal too (e.g. not a valid image), with the choice to
                    // remove it from the device.
                    let id = key(&entry.mutation.entity_id);
                    if let Some(mut photo) = tx.get::<LocalPhoto>(store::PHOTOS, &id).await? {
                        photo.problem = Some(problem.message.clone());
                        tx.put(store::PHOTOS, &id, &photo)?;
                    }
                }
                settled += 1;
            }
        }
    }
    tx.commit().await?;
    Ok((settled, gap))
}

/// One unsent mutation of the entity is settled; an applied one sets its new version.
async fn acknowledge(
    tx: &WriteTx,
    entry: &OutboxEntry,
    version: Option<i64>,
    applied: bool,
) -> Result<(), StoreError> {
    let id = key(&entry.mutation.entity_id);
    let store_name = entry.entity.store();
    match entry.entity {
        EntityStore::Visit => {
            if let Some(mut v) = tx.get::<LocalVisit>(store_name, &id).await? {
                v.unsent = v.unsent.saturating_sub(1);
                if let (true, Some(version)) = (applied, version) {
                    v.visit.version = version;
                    v.awaiting = Some(version);
                }
                tx.put(store_name, &id, &v)?;
            }
        }
        EntityStore::Note => {
            if let Some(mut n) = tx.get::<LocalNote>(store_name, &id).await? {
                n.unsent = n.unsent.saturating_sub(1);
                if let (true, Some(version)) = (applied, version) {
                    n.version = Some(version);
                    n.awaiting = Some(version);
                }
                tx.put(store_name, &id, &n)?;
            }
        }
        EntityStore::Finding => {
            if let Some(mut f) = tx.get::<LocalFinding>(store_name, &id).await? {
                f.unsent = f.unsent.saturating_sub(1);
                if let (true, Some(version)) = (applied, version) {
                    f.version = Some(version);
                    f.awaiting = Some(version);
                }
                tx.put(store_name, &id, &f)?;
            }
        }
        EntityStore::Assessment => {
            if let Some(mut f) = tx.get::<LocalFinding>(store_name, &id).await? {
                f.lhso_unsent = f.lhso_unsent.saturating_sub(1);
                if let (true, Some(version)) = (applied, version) {
                    f.lhso_version = Some(version);
                }
                tx.put(store_name, &id, &f)?;
            }
        }
        EntityStore::Problem => {
            // Settled on the server: the problem is done. Refused: it shows again.
            if applied {
                tx.delete(store_name, &id)?;
            } else if let Some(mut p) = tx.get::<Problem>(store_name, &id).await? {
                p.resolution = None;
                tx.put(store_name, &id, &p)?;
            }
        }
        EntityStore::Photo => {
            if let Some(mut p) = tx.get::<LocalPhoto>(store_name, &id).await? {
                p.unsent = p.unsent.saturating_sub(1);
                if applied {
                    p.state = PhotoState::Confirmed;
                }
                tx.put(store_name, &id, &p)?;
            }
        }
    }
    Ok(())
}

/// Gives the unsent mutations the seqs right after the server's `last_seq`, in their order.
async fn renumber(last_seq: i64) -> Result<(), StoreError> {
    let tx = WriteTx::begin(&[store::OUTBOX, store::META], true).await?;
    let entries: Vec<OutboxEntry> = tx.get_all(store::OUTBOX).await?;
    let mut next = last_seq + 1;
    for entry in &entries {
        tx.delete(store::OUTBOX, &JsValue::from_f64(entry.mutation.seq as f64))?;
    }
    for mut entry in entries {
        entry.mutation.seq = next;
        tx.put(store::OUTBOX, &JsValue::from_f64(next as f64), &entry)?;
        next += 1;
    }
    tx.put(store::META, &JsValue::from_str(store::META_NEXT_SEQ), &next)?;
    tx.commit().await
}

// Pull.

async fn pull(token: &str) -> Result<(), String> {
    let mut cursor: String = store::meta(store::META_CURSOR)
        .await
        .map_err(storage_text)?
        .unwrap_or_default();
    loop {
        let path = format!(
            "/api/v1/sync/pull?cursor={}",
            String::from(js_sys::encode_uri_component(&cursor))
        );
        let page: PullPage = api::get(&path, Some(token))
            .await
            .map_err(|f| failure_text(&f))?;
        apply_changes(&page.changes, &page.cursor)
            .await
            .map_err(storage_text)?;
        let moved = page.cursor != cursor;
        cursor = page.cursor;
        if !page.more || !moved {
            return Ok(());
        }
    }
}

/// `shared::sync::PullResponse`, with each entity's JSON kept as the parsed JS value and read once
/// into the app's own type (not through `serde_json::Value`, which doubles the deserialisers).
#[derive(Deserialize)]
struct PullPage {
    changes: Vec<RawChange>,
    cursor: String,
    more: bool,
}

/// `shared::sync::Change`, with `data` kept as the parsed JS value and read once into its shared
/// payload type.
#[derive(Deserialize)]
struct RawChange {
    entity: EntityKind,
    entity_id: Uuid,
    version: i64,
    op: FeedOp,
    /// `null` (or absent) for a deletion.
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    data: JsValue,
}

impl RawChange {
    fn has_data(&self) -> bool {
        !self.data.is_null() && !self.data.is_undefined()
    }

    fn parse<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        if !self.has_data() {
            return None;
        }
        store::from_value(self.data.clone())
    }
}

fn confirmed(awaiting: Option<i64>, version: i64) -> Option<i64> {
    awaiting.filter(|a| *a > version)
}

/// Applies one page of the feed and its cursor in one transaction.
async fn apply_changes(changes: &[RawChange], cursor: &str) -> Result<(), StoreError> {
    let tx = WriteTx::begin(
        &[
            store::META,
            store::VISITS,
            store::NOTES,
            store::FINDINGS,
            store::PHOTOS,
        ],
        false,
    )
    .await?;
    for change in changes {
        let id = key(&change.entity_id);
        let removed = change.op == FeedOp::Delete || !change.has_data();
        match &change.entity {
            EntityKind::Visit => {
                let local: Option<LocalVisit> = tx.get(store::VISITS, &id).await?;
                if local.as_ref().is_some_and(|v| v.unsent > 0) {
                    continue;
                }
                if removed {
                    if !local.as_ref().is_some_and(|v| v.touched) {
                        tx.delete(store::VISITS, &id)?;
                    }
                    continue;
                }
                let Some(FeedVisit { visit, progress }) = change.parse::<FeedVisit>() else {
                    continue;
                };
                let mut record = match local {
                    Some(mut local) => {
                        local.visit = visit;
                        local
                    }
                    None => new_local_visit(visit),
                };
                record.visit.version = change.version;
                record.awaiting = confirmed(record.awaiting, change.version);
                // What another device started here: its pinned checklist and times.
                if record.template.is_none() {
                    if let (Some(id), Some(version)) =
                        (progress.template_id, progress.template_version)
                    {
                        record.template = Some(shared::checklist::TemplateRef { id, version });
                    }
                }
                record.started_at = record.started_at.or(progress.started_at);
                record.finished_at = record.finished_at.or(progress.finished_at);
                tx.put(store::VISITS, &id, &record)?;
            }
            EntityKind::VisitNote => {
                let local: Option<LocalNote> = tx.get(store::NOTES, &id).await?;
                if local.as_ref().is_some_and(|n| n.unsent > 0) {
                    continue;
                }
                if removed {
                    tx.delete(store::NOTES, &id)?;
                    continue;
                }
                let Some(data) = change.parse::<FeedNote>() else {
                    continue;
                };
                let note = LocalNote {
                    id: change.entity_id,
                    visit_id: data.visit_id,
                    text: data.text,
                    version: Some(change.version),
                    unsent: 0,
                    awaiting: confirmed(local.as_ref().and_then(|n| n.awaiting), change.version),
                    at: local.and_then(|n| n.at).or(Some(data.created_at)),
                };
                tx.put(store::NOTES, &id, &note)?;
            }
            EntityKind::Finding => {
                let local: Option<LocalFinding> = tx.get(store::FINDINGS, &id).await?;
                if local.as_ref().is_some_and(|f| f.unsent > 0) {
                    continue;
                }
                if removed {
                    tx.delete(store::FINDINGS, &id)?;
                    continue;
                }
                let Some(data) = change.parse::<FeedFinding>() else {
                    continue;
                };
                let (awaiting, lhso, lhso_version, lhso_unsent) = local
                    .map_or((None, None, None, 0), |f| {
                        (f.awaiting, f.lhso, f.lhso_version, f.lhso_unsent)
                    });
                let finding = LocalFinding {
                    id: change.entity_id,
                    visit_id: data.visit_id,
                    item_id: data.item_id,
                    answer: data.answer,
                    note: data.note,
                    version: Some(change.version),
                    unsent: 0,
                    awaiting: confirmed(awaiting, change.version),
                    // The assessment is the device's own record (sent as `violation.assess`);
                    // the feed's finding does not carry it.
                    lhso,
                    lhso_version,
                    lhso_unsent,
                };
                tx.put(store::FINDINGS, &id, &finding)?;
            }
            // The device keeps its own photos (with their bytes); the feed only confirms them.
            // Photos taken on other devices are not downloaded to the tablet.
            EntityKind::Photo => {
                let local: Option<LocalPhoto> = tx.get(store::PHOTOS, &id).await?;
                if let Some(mut photo) = local.filter(|p| p.unsent == 0 && !removed) {
                    if photo.state == PhotoState::Uploaded {
                        photo.state = PhotoState::Confirmed;
                        tx.put(store::PHOTOS, &id, &photo)?;
                    }
                }
            }
            // The device keeps its own assessments (sent as `violation.assess`); kinds this app
            // does not know are skipped.
            EntityKind::Violation | EntityKind::SyncProblem | EntityKind::Other(_) => {}
        }
    }
    tx.put(store::META, &JsValue::from_str(store::META_CURSOR), &cursor)?;
    tx.commit().await
}

pub fn new_local_visit(visit: Visit) -> LocalVisit {
    LocalVisit {
        visit,
        unsent: 0,
        awaiting: None,
        template: None,
        started_at: None,
        position: None,
        finished_at: None,
        touched: false,
    }
}

// Working set.

/// `GET /checklists`; each template is stored as the server's JSON text under `id@version`.
#[derive(Deserialize)]
struct Templates {
    #[serde(with = "serde_wasm_bindgen::preserve")]
    templates: JsValue,
}

/// Any JSON answer, kept as the parsed JS value.
#[derive(Deserialize)]
struct RawJson(#[serde(with = "serde_wasm_bindgen::preserve")] JsValue);

#[derive(Deserialize)]
struct TemplateId {
    id: String,
    version: u32,
}

async fn refresh_working_set(token: &str) -> Result<(), String> {
    let fail = |f: ApiFailure| failure_text(&f);
    let mut ids = Vec::new();
    for day in util::working_days(WORKDAYS_AHEAD) {
        let list: DayVisits = api::get(&format!("/api/v1/me/visits?date={day}"), Some(token))
            .await
            .map_err(fail)?;
        ids.extend(list.visits.iter().map(|v| v.id));
        store_day(&list).await.map_err(storage_text)?;
    }

    let templates: Templates = api::get("/api/v1/checklists", Some(token))
        .await
        .map_err(fail)?;
    let tx = WriteTx::begin(&[store::TEMPLATES], false)
        .await
        .map_err(storage_text)?;
    for raw in js_sys::Array::from(&templates.templates).iter() {
        let (Some(t), Ok(text)) = (
            store::from_value::<TemplateId>(raw.clone()),
            js_sys::JSON::stringify(&raw),
        ) else {
            continue;
        };
        tx.put_raw(
            store::TEMPLATES,
            &store::template_key(&t.id, t.version),
            &text.into(),
        )
        .map_err(storage_text)?;
    }
    tx.commit().await.map_err(storage_text)?;

    // The agency's LHSO matrix, so the advice on the tablet is the agency's, offline too.
    let matrix: RawJson = api::get("/api/v1/lhso/matrix", Some(token))
        .await
        .map_err(fail)?;
    for derived in ["questions", "labels"] {
        let _ = js_sys::Reflect::delete_property(&matrix.0.clone().into(), &derived.into());
    }
    if let Ok(text) = js_sys::JSON::stringify(&matrix.0) {
        let text = String::from(text);
        if crate::lhso::install(&text) {
            let tx = WriteTx::begin(&[store::META], false)
                .await
                .map_err(storage_text)?;
            tx.put(
                store::META,
                &JsValue::from_str(store::META_LHSO_MATRIX),
                &text,
            )
            .map_err(storage_text)?;
            tx.commit().await.map_err(storage_text)?;
        }
    }

    // Site details and history, so a visit opens offline with everything the server knows.
    for id in ids {
        let detail: store::VisitHistory = api::get(&format!("/api/v1/visits/{id}"), Some(token))
            .await
            .map_err(fail)?;
        let tx = WriteTx::begin(&[store::DETAILS], false)
            .await
            .map_err(storage_text)?;
        tx.put(store::DETAILS, &key(&id), &detail)
            .map_err(storage_text)?;
        tx.commit().await.map_err(storage_text)?;
    }
    Ok(())
}

/// Stores one day's list. A visit with unsent local work keeps its local state; a visit that
/// left the list is forgotten unless work was recorded on it here.
async fn store_day(list: &DayVisits) -> Result<(), StoreError> {
    let tx = WriteTx::begin(&[store::VISITS], false).await?;
    let existing: Vec<LocalVisit> = tx.get_all(store::VISITS).await?;
    for visit in &list.visits {
        let id = key(&visit.id);
        let record = match existing.iter().find(|v| v.visit.id == visit.id) {
            Some(local) if local.unsent > 0 => continue,
            Some(local) if local.visit.version > visit.version => continue,
            Some(local) => {
                let mut local = local.clone();
                local.awaiting = confirmed(local.awaiting, visit.version);
                local.visit = visit.clone();
                local
            }
            None => new_local_visit(visit.clone()),
        };
        tx.put(store::VISITS, &id, &record)?;
    }
    for gone in existing.iter().filter(|v| {
        v.visit.planned_date == list.date
            && !v.touched
            && v.unsent == 0
            && !list.visits.iter().any(|n| n.id == v.visit.id)
    }) {
        tx.delete(store::VISITS, &key(&gone.visit.id))?;
    }
    tx.commit().await
}
