//! The device's IndexedDB database: the session, the working set (visits, their details and
//! history, checklist templates), the inspector's local work (notes, findings) and the sync
//! protocol's outbox, plus the problems the server refused (conflicts, rejections), which stay
//! visible until a person deals with them.
//!
//! The schema is created and upgraded with rexie, which also serves the reads. Every user action
//! writes its local state change and its outbox mutation in ONE transaction opened through the
//! raw web-sys API with `durability: "strict"`: rexie 0.6 (and the `idb` crate under it) cannot
//! pass transaction options, and a relaxed commit may be lost on a power cut after the screen
//! already said "opgeslagen".
//!
//! Records are stored as JSON strings (serde), so the Rust types are the schema. They are written
//! with serde_json and read back through `JSON.parse` and serde-wasm-bindgen (one deserialiser
//! for every type in the bundle, shared with the API answers).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Promise};
use js_sys::{Function, Object, Reflect};
use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction};

use shared::checklist::{Answer, ChecklistTemplate, TemplateRef};
use shared::sync::{EntityKind, Mutation, MutationKind, MutationStatus};
use shared::visit::{PastInspection, Visit, VisitStatus};
use shared::LoginResponse;

const DB_NAME: &str = "schouw";
/// 1: session only. 2: working set, local work, outbox, problems. 3: photos and their blobs.
const DB_VERSION: u32 = 3;

pub const SESSION: &str = "session";
pub const META: &str = "meta";
pub const VISITS: &str = "visits";
pub const DETAILS: &str = "visit_details";
pub const TEMPLATES: &str = "templates";
pub const NOTES: &str = "notes";
pub const FINDINGS: &str = "findings";
pub const OUTBOX: &str = "outbox";
pub const PROBLEMS: &str = "problems";
/// Photo records (`LocalPhoto`), keyed by photo id.
pub const PHOTOS: &str = "photos";
/// The photos' JPEG bytes as browser `Blob`s, keyed by their SHA-256 (content-addressed: the same
/// picture is stored once).
pub const PHOTO_BLOBS: &str = "photo_blobs";

const SESSION_KEY: &str = "current";
pub const META_DEVICE: &str = "device_id";
pub const META_NEXT_SEQ: &str = "next_seq";
pub const META_CURSOR: &str = "cursor";
pub const META_LAST_SYNC: &str = "last_sync";
pub const META_OWNER: &str = "owner";
/// The agency's active LHSO matrix (JSON text), from the working set.
pub const META_LHSO_MATRIX: &str = "lhso_matrix";

/// Storage failed: IndexedDB unavailable, a transaction aborted, or a record the action needs is
/// missing. Nothing was changed.
#[derive(Debug, Clone)]
pub struct StoreError(pub String);

impl From<rexie::Error> for StoreError {
    fn from(e: rexie::Error) -> Self {
        StoreError(e.to_string())
    }
}

impl From<JsValue> for StoreError {
    fn from(e: JsValue) -> Self {
        StoreError(format!("{e:?}"))
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

// Records.

/// A visit of the working set: the server's JSON (with local changes applied) plus what this
/// device did to it. `visit.version` is the server version the device last saw.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalVisit {
    pub visit: Visit,
    /// Outbox mutations on the visit entity itself (start, finish) not yet acknowledged.
    #[serde(default)]
    pub unsent: u32,
    /// Version the server acknowledged for our last change, until a pull shows it.
    #[serde(default)]
    pub awaiting: Option<i64>,
    /// The checklist template version pinned when the visit started.
    #[serde(default)]
    pub template: Option<TemplateRef>,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub position: Option<shared::sync::Position>,
    #[serde(default)]
    pub finished_at: Option<String>,
    /// Work on this visit was recorded on this device (drives the delivery receipt).
    #[serde(default)]
    pub touched: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalNote {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub text: String,
    /// Server version last seen; `None` until the server has it.
    pub version: Option<i64>,
    #[serde(default)]
    pub unsent: u32,
    #[serde(default)]
    pub awaiting: Option<i64>,
    #[serde(default)]
    pub at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalFinding {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub item_id: String,
    pub answer: Answer,
    #[serde(default)]
    pub note: Option<String>,
    pub version: Option<i64>,
    #[serde(default)]
    pub unsent: u32,
    #[serde(default)]
    pub awaiting: Option<i64>,
    /// The LHSO assessment of this violation, sent as its own mutation (`violation.assess`).
    #[serde(default)]
    pub lhso: Option<crate::lhso::LhsoRecord>,
    /// Server version of the assessment (the violation row), once acknowledged.
    #[serde(default)]
    pub lhso_version: Option<i64>,
    /// `violation.assess` mutations not yet acknowledged.
    #[serde(default)]
    pub lhso_unsent: u32,
}

/// Where a photo is on its way to the server (API.md "Sync", photos).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhotoState {
    /// On this device (strictly committed), not offered to the server yet.
    Saved,
    /// Its upload started or waits for the network.
    Queued,
    /// The server holds the verified blob; the `photo.attach` mutation is in the outbox.
    Uploaded,
    /// The server accepted `photo.attach`: it decoded the image and attached it to the visit.
    Confirmed,
}

/// A photo taken on this device. The bytes live in `PHOTO_BLOBS` under `sha256`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalPhoto {
    pub id: Uuid,
    pub visit_id: Uuid,
    #[serde(default)]
    pub finding_id: Option<Uuid>,
    pub sha256: String,
    pub size: u64,
    pub width: u32,
    pub height: u32,
    pub captured_at: String,
    #[serde(default)]
    pub position: Option<shared::sync::Position>,
    pub state: PhotoState,
    /// `photo.attach` mutations not yet acknowledged (0 or 1).
    #[serde(default)]
    pub unsent: u32,
    /// Why the server refused the upload (Dutch, as shown); the photo stays on the device.
    #[serde(default)]
    pub problem: Option<String>,
}

impl PhotoState {
    /// As in the stored record (and in `data-state`, CSS classes).
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoState::Saved => "saved",
            PhotoState::Queued => "queued",
            PhotoState::Uploaded => "uploaded",
            PhotoState::Confirmed => "confirmed",
        }
    }
}

impl LocalPhoto {
    /// Not on the server yet, and nothing refused it.
    pub fn is_waiting(&self) -> bool {
        matches!(self.state, PhotoState::Saved | PhotoState::Queued) && self.problem.is_none()
    }
}

/// Which local store an outbox mutation's entity lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityStore {
    Visit,
    Note,
    Finding,
    Photo,
    /// A refused mutation being settled (`sync_problem.resolve`), keyed by that mutation's id.
    Problem,
    /// A finding's LHSO assessment (`violation.assess`), kept on the finding's record.
    Assessment,
}

impl EntityStore {
    /// The store of the entity a mutation kind changes.
    pub fn of_kind(kind: &MutationKind) -> Option<EntityStore> {
        EntityStore::of_entity(&kind.entity()?)
    }

    /// The store of an entity kind (`None` for one this app does not keep).
    pub fn of_entity(entity: &EntityKind) -> Option<EntityStore> {
        Some(match entity {
            EntityKind::Visit => EntityStore::Visit,
            EntityKind::VisitNote => EntityStore::Note,
            EntityKind::Finding => EntityStore::Finding,
            EntityKind::Photo => EntityStore::Photo,
            EntityKind::SyncProblem => EntityStore::Problem,
            EntityKind::Violation => EntityStore::Assessment,
            EntityKind::Other(_) => return None,
        })
    }

    pub fn store(self) -> &'static str {
        match self {
            EntityStore::Visit => VISITS,
            EntityStore::Note => NOTES,
            EntityStore::Finding | EntityStore::Assessment => FINDINGS,
            EntityStore::Photo => PHOTOS,
            EntityStore::Problem => PROBLEMS,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub mutation: Mutation,
    pub visit_id: Uuid,
    pub entity: EntityStore,
    /// Written while an earlier mutation of the same entity was still unsent: its base version
    /// is the version the server gave that earlier mutation, filled in when it is pushed.
    pub chained: bool,
    /// Push attempts that got no answer for this entry.
    #[serde(default)]
    pub attempts: u32,
}

/// A mutation the server did not apply (conflict or rejection), kept for a person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Problem {
    pub mutation: Mutation,
    pub visit_id: Uuid,
    pub status: MutationStatus,
    pub code: String,
    /// Dutch, as shown.
    pub message: String,
    pub server_version: Option<i64>,
    pub recorded_at: String,
    /// How the user settled it (`resent`, `server_kept`); the record goes once the server has the
    /// settlement (`sync_problem.resolve` acknowledged).
    #[serde(default)]
    pub resolution: Option<String>,
}

// Opening.

thread_local! {
    static REXIE: RefCell<Option<Rc<Rexie>>> = const { RefCell::new(None) };
    static RAW: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

async fn db() -> StoreResult<Rc<Rexie>> {
    if let Some(db) = REXIE.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = Rc::new(
        Rexie::builder(DB_NAME)
            .version(DB_VERSION)
            .add_object_store(ObjectStore::new(SESSION))
            .add_object_store(ObjectStore::new(META))
            .add_object_store(ObjectStore::new(VISITS))
            .add_object_store(ObjectStore::new(DETAILS))
            .add_object_store(ObjectStore::new(TEMPLATES))
            .add_object_store(ObjectStore::new(NOTES))
            .add_object_store(ObjectStore::new(FINDINGS))
            .add_object_store(ObjectStore::new(OUTBOX))
            .add_object_store(ObjectStore::new(PROBLEMS))
            .add_object_store(ObjectStore::new(PHOTOS))
            .add_object_store(ObjectStore::new(PHOTO_BLOBS))
            .build()
            .await?,
    );
    REXIE.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// A second connection through web-sys, for transactions that need options rexie cannot pass.
async fn raw_db() -> StoreResult<IdbDatabase> {
    if let Some(db) = RAW.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    // The schema is rexie's: make sure it is created or upgraded before opening at that version.
    db().await?;
    let factory = web_sys::window()
        .ok_or_else(|| StoreError("no window".into()))?
        .indexed_db()?
        .ok_or_else(|| StoreError("no IndexedDB".into()))?;
    let request = factory.open_with_u32(DB_NAME, DB_VERSION)?;
    let request: &IdbRequest = request.as_ref();
    wait_request(request).await?;
    let db: IdbDatabase = request.result()?.dyn_into()?;
    RAW.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

async fn wait_request(request: &IdbRequest) -> StoreResult<JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await?;
    Ok(request.result()?)
}

pub use crate::json::{from_js, from_value, parse_json, to_js};

pub fn key(id: &Uuid) -> JsValue {
    JsValue::from_str(&id.to_string())
}

/// One read-write transaction on the raw connection. Requests are queued with `put`/`delete`
/// (a failing one aborts the whole transaction) and `get` awaits a value inside it; `commit`
/// resolves only once the transaction has committed (with strict durability, is on disk).
pub struct WriteTx {
    tx: IdbTransaction,
    done: JsFuture,
}

impl WriteTx {
    pub async fn begin(stores: &[&str], strict: bool) -> StoreResult<WriteTx> {
        let db = raw_db().await?;
        let names = Array::new();
        for s in stores {
            names.push(&JsValue::from_str(s));
        }
        // `db.transaction(stores, "readwrite", {durability})`, called through JS: web-sys has
        // the options overload only behind `web_sys_unstable_apis`. A browser without the
        // option ignores the dictionary (and commits with its default durability).
        let options = Object::new();
        Reflect::set(
            &options,
            &JsValue::from_str("durability"),
            &JsValue::from_str(if strict { "strict" } else { "default" }),
        )?;
        let open_tx: Function = Reflect::get(&db, &JsValue::from_str("transaction"))?.dyn_into()?;
        let tx: IdbTransaction = open_tx
            .call3(&db, &names, &JsValue::from_str("readwrite"), &options)?
            .dyn_into()?;
        let promise = Promise::new(&mut |resolve, reject| {
            tx.set_oncomplete(Some(&resolve));
            tx.set_onabort(Some(&reject));
        });
        Ok(WriteTx {
            tx,
            done: JsFuture::from(promise),
        })
    }

    pub async fn get<T: DeserializeOwned>(
        &self,
        store: &str,
        key: &JsValue,
    ) -> StoreResult<Option<T>> {
        Ok(self.get_raw(store, key).await?.as_ref().and_then(from_js))
    }

    /// A value stored as it is (a photo's `Blob`).
    pub async fn get_raw(&self, store: &str, key: &JsValue) -> StoreResult<Option<JsValue>> {
        let request = self.tx.object_store(store)?.get(key)?;
        let value = wait_request(&request).await?;
        Ok((!value.is_undefined()).then_some(value))
    }

    pub async fn get_all<T: DeserializeOwned>(&self, store: &str) -> StoreResult<Vec<T>> {
        let request = self.tx.object_store(store)?.get_all()?;
        let value = wait_request(&request).await?;
        Ok(Array::from(&value)
            .iter()
            .filter_map(|v| from_js(&v))
            .collect())
    }

    pub fn put<T: Serialize>(&self, store: &str, key: &JsValue, value: &T) -> StoreResult<()> {
        self.put_raw(store, key, &to_js(value))
    }

    /// Stores `value` as it is (a JSON string already).
    pub fn put_raw(&self, store: &str, key: &JsValue, value: &JsValue) -> StoreResult<()> {
        self.tx.object_store(store)?.put_with_key(value, key)?;
        Ok(())
    }

    pub fn delete(&self, store: &str, key: &JsValue) -> StoreResult<()> {
        self.tx.object_store(store)?.delete(key)?;
        Ok(())
    }

    pub fn abort(self) {
        let _ = self.tx.abort();
    }

    pub async fn commit(self) -> StoreResult<()> {
        self.done
            .await
            .map(|_| ())
            .map_err(|_| StoreError("transaction aborted".into()))
    }
}

// Reads (rexie).

pub async fn get<T: DeserializeOwned>(store: &str, key: &JsValue) -> StoreResult<Option<T>> {
    let db = db().await?;
    let tx = db.transaction(&[store], TransactionMode::ReadOnly)?;
    let value = tx.store(store)?.get(key.clone()).await?;
    Ok(value.as_ref().and_then(from_js))
}

pub async fn all<T: DeserializeOwned>(store: &str) -> StoreResult<Vec<T>> {
    let db = db().await?;
    let tx = db.transaction(&[store], TransactionMode::ReadOnly)?;
    let values = tx.store(store)?.get_all(None, None).await?;
    Ok(values.iter().filter_map(from_js).collect())
}

pub async fn meta<T: DeserializeOwned>(name: &str) -> StoreResult<Option<T>> {
    get(META, &JsValue::from_str(name)).await
}

/// The outbox in `seq` order (numeric keys sort ascending).
pub async fn outbox() -> StoreResult<Vec<OutboxEntry>> {
    all(OUTBOX).await
}

/// Work recorded here that has not reached the server: outbox entries and photos not uploaded.
pub async fn unsent_count() -> StoreResult<usize> {
    let photos: Vec<LocalPhoto> = all(PHOTOS).await?;
    Ok(outbox().await?.len() + photos.iter().filter(|p| p.is_waiting()).count())
}

/// The problems waiting for the user (not the ones settled and on their way to the server).
pub async fn problems() -> StoreResult<Vec<Problem>> {
    let mut problems: Vec<Problem> = all(PROBLEMS).await?;
    problems.retain(|p| p.resolution.is_none());
    Ok(problems)
}

pub async fn templates() -> StoreResult<Vec<ChecklistTemplate>> {
    all(TEMPLATES).await
}

pub fn template_key(id: &str, version: u32) -> JsValue {
    JsValue::from_str(&format!("{id}@{version}"))
}

pub async fn visit(id: Uuid) -> StoreResult<Option<LocalVisit>> {
    get(VISITS, &key(&id)).await
}

pub async fn visits() -> StoreResult<Vec<LocalVisit>> {
    all(VISITS).await
}

/// What the device keeps of `GET /visits/{id}` besides the visit: the site's history.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VisitHistory {
    pub history: Vec<PastInspection>,
}

pub async fn detail(id: Uuid) -> StoreResult<Option<VisitHistory>> {
    get(DETAILS, &key(&id)).await
}

pub async fn notes_of(visit_id: Uuid) -> StoreResult<Vec<LocalNote>> {
    let mut notes: Vec<LocalNote> = all(NOTES).await?;
    notes.retain(|n| n.visit_id == visit_id);
    notes.sort_by(|a, b| a.at.cmp(&b.at));
    Ok(notes)
}

pub async fn photos_of(visit_id: Uuid) -> StoreResult<Vec<LocalPhoto>> {
    let mut photos: Vec<LocalPhoto> = all(PHOTOS).await?;
    photos.retain(|p| p.visit_id == visit_id);
    photos.sort_by(|a, b| a.captured_at.cmp(&b.captured_at));
    Ok(photos)
}

/// A photo's bytes (a `Blob`), if this device still has them.
pub async fn photo_blob(sha256: &str) -> StoreResult<Option<web_sys::Blob>> {
    let db = db().await?;
    let tx = db.transaction(&[PHOTO_BLOBS], TransactionMode::ReadOnly)?;
    let value = tx
        .store(PHOTO_BLOBS)?
        .get(JsValue::from_str(sha256))
        .await?;
    Ok(value.and_then(|v| v.dyn_into::<web_sys::Blob>().ok()))
}

pub async fn findings_of(visit_id: Uuid) -> StoreResult<Vec<LocalFinding>> {
    let mut findings: Vec<LocalFinding> = all(FINDINGS).await?;
    findings.retain(|f| f.visit_id == visit_id);
    Ok(findings)
}

/// The device's id, created once (UUID v4 from the browser's CSPRNG).
pub async fn device_id() -> StoreResult<Uuid> {
    let tx = WriteTx::begin(&[META], true).await?;
    let key = JsValue::from_str(META_DEVICE);
    if let Some(id) = tx.get::<Uuid>(META, &key).await? {
        tx.commit().await?;
        return Ok(id);
    }
    let id = crate::util::new_uuid().ok_or_else(|| StoreError("no crypto".into()))?;
    tx.put(META, &key, &id)?;
    tx.commit().await?;
    Ok(id)
}

// Recording user actions: local change + outbox mutation, one strict transaction.

/// What a user action changes locally, and the mutation it sends.
pub struct Action {
    pub kind: MutationKind,
    pub entity: EntityStore,
    pub entity_id: Uuid,
    pub visit_id: Uuid,
    pub data: serde_json::Value,
}

/// Writes `action` to the outbox with the next `seq`, lets `change` update the entity record
/// (given the stored record, it returns the new one and the base version the device saw), marks
/// the visit as touched, all in one strict transaction. Returns the mutation.
pub async fn record<T, F>(action: Action, change: F) -> StoreResult<Mutation>
where
    T: Serialize + DeserializeOwned + 'static,
    F: FnOnce(Option<T>) -> Result<(T, Option<i64>, u32), StoreError> + 'static,
{
    // One copy of the transaction code for every record type (the bundle is size-bound).
    let change: RawChange = Box::new(move |stored: Option<JsValue>| {
        let (record, base, unsent) = change(stored.as_ref().and_then(from_js))?;
        Ok((to_js(&record), base, unsent))
    });
    let mut recorded = record_raw(vec![(action, change)]).await?;
    recorded
        .pop()
        .ok_or_else(|| StoreError("nothing recorded".into()))
}

type RawChange = Box<dyn FnOnce(Option<JsValue>) -> StoreResult<(JsValue, Option<i64>, u32)>>;

/// Records the actions in order, in one strict transaction: all of them or none.
async fn record_raw(actions: Vec<(Action, RawChange)>) -> StoreResult<Vec<Mutation>> {
    let mut stores = vec![META, OUTBOX, VISITS];
    for (action, _) in &actions {
        let store = action.entity.store();
        if !stores.contains(&store) {
            stores.push(store);
        }
    }
    let tx = WriteTx::begin(&stores, true).await?;
    let mut recorded = Vec::new();
    for (action, change) in actions {
        match record_in(&tx, action, change).await {
            Ok(mutation) => recorded.push(mutation),
            Err(e) => {
                tx.abort();
                return Err(e);
            }
        }
    }
    tx.commit().await?;
    Ok(recorded)
}

async fn record_in(tx: &WriteTx, action: Action, change: RawChange) -> StoreResult<Mutation> {
    let device: Option<Uuid> = tx.get(META, &JsValue::from_str(META_DEVICE)).await?;
    if device.is_none() {
        return Err(StoreError("no device id".into()));
    }
    let seq_key = JsValue::from_str(META_NEXT_SEQ);
    let seq: i64 = tx.get(META, &seq_key).await?.unwrap_or(1);
    let entity_key = key(&action.entity_id);
    let stored = tx.get_raw(action.entity.store(), &entity_key).await?;
    // `change` returns the new record, the base version and how many mutations of this entity
    // were unsent before this one.
    let (record, base_version, unsent_before) = change(stored)?;
    let id = crate::util::new_uuid().ok_or_else(|| StoreError("no crypto".into()))?;
    let mutation = Mutation {
        id,
        seq,
        kind: action.kind,
        entity_id: action.entity_id,
        base_version,
        at: crate::util::now(),
        data: action.data,
    };
    tx.put_raw(action.entity.store(), &entity_key, &record)?;
    if matches!(
        action.entity,
        EntityStore::Note | EntityStore::Finding | EntityStore::Photo | EntityStore::Assessment
    ) {
        let visit_key = key(&action.visit_id);
        let mut visit: LocalVisit = tx
            .get(VISITS, &visit_key)
            .await?
            .ok_or_else(|| StoreError("visit not on device".into()))?;
        visit.touched = true;
        tx.put(VISITS, &visit_key, &visit)?;
    }
    let entry = OutboxEntry {
        mutation: mutation.clone(),
        visit_id: action.visit_id,
        entity: action.entity,
        chained: unsent_before > 0,
        attempts: 0,
    };
    tx.put(OUTBOX, &JsValue::from_f64(seq as f64), &entry)?;
    tx.put(META, &seq_key, &(seq + 1))?;
    Ok(mutation)
}

// Resolving problems: a person decides, the device records it and tells the server.

/// The `sync_problem.resolve` mutation settling `problem`; the problem record stays (marked) until
/// the server acknowledged the settlement.
fn settlement(problem: &Problem, resolution: shared::sync::Resolution) -> (Action, RawChange) {
    let data = shared::sync::ProblemResolve { resolution };
    let action = Action {
        kind: MutationKind::ProblemResolve,
        entity: EntityStore::Problem,
        entity_id: problem.mutation.id,
        visit_id: problem.visit_id,
        data: serde_json::to_value(&data).unwrap_or_default(),
    };
    let change: RawChange = Box::new(move |stored: Option<JsValue>| {
        let mut problem: Problem = stored
            .as_ref()
            .and_then(from_js)
            .ok_or_else(|| StoreError("problem not on device".into()))?;
        problem.resolution = Some(resolution.as_str().to_owned());
        Ok((to_js(&problem), None, 0))
    });
    (action, change)
}

/// A team lead settles another user's problem (listed by the server, not on this device): the
/// settlement goes to this device's outbox beside a placeholder record, which leaves with the
/// server's acknowledgement like any settled problem.
pub async fn settle_listed(
    mutation_id: Uuid,
    kind: MutationKind,
    entity_id: Uuid,
    status: MutationStatus,
) -> StoreResult<()> {
    let placeholder = Problem {
        mutation: Mutation {
            id: mutation_id,
            seq: 0,
            kind,
            entity_id,
            base_version: None,
            at: crate::util::now(),
            data: serde_json::Value::Null,
        },
        visit_id: Uuid::nil(),
        status,
        code: String::new(),
        message: String::new(),
        server_version: None,
        recorded_at: crate::util::now_rfc3339(),
        resolution: None,
    };
    let (action, change) = settlement(&placeholder, shared::sync::Resolution::ServerKept);
    let change: RawChange = Box::new(move |stored: Option<JsValue>| {
        change(Some(stored.unwrap_or_else(|| to_js(&placeholder))))
    });
    record_raw(vec![(action, change)]).await.map(|_| ())
}

/// "Mijn versie opnieuw versturen" for a conflict: the refused change is recorded again as a new
/// mutation on top of the version the server reported, together with the settlement, in one
/// strict transaction. The server applies it only if nobody changed the entity in the meantime.
pub async fn resend(problem: &Problem) -> StoreResult<()> {
    let m = &problem.mutation;
    let entity = EntityStore::of_kind(&m.kind)
        .filter(|e| {
            matches!(
                e,
                EntityStore::Visit | EntityStore::Note | EntityStore::Finding
            )
        })
        .ok_or_else(|| StoreError("cannot resend".into()))?;
    let kind = Some(m.kind.clone())
        .filter(MutationKind::is_known)
        .ok_or_else(|| StoreError("unknown kind".into()))?;
    let server_version = problem.server_version;
    let action = Action {
        kind,
        entity,
        entity_id: m.entity_id,
        visit_id: problem.visit_id,
        data: m.data.clone(),
    };
    let change: RawChange = Box::new(move |stored: Option<JsValue>| {
        let text = stored
            .and_then(|v| v.as_string())
            .ok_or_else(|| StoreError("not on device".into()))?;
        let record = js_sys::JSON::parse(&text)?;
        let field = |o: &JsValue, name: &str| Reflect::get(o, &JsValue::from_str(name));
        // The record now stands on the server's version; a visit keeps it one level down.
        let versioned = match entity {
            EntityStore::Visit => field(&record, "visit")?,
            _ => record.clone(),
        };
        let version = server_version.map_or(JsValue::NULL, |v| JsValue::from_f64(v as f64));
        Reflect::set(&versioned, &JsValue::from_str("version"), &version)?;
        let unsent = field(&record, "unsent")?.as_f64().unwrap_or(0.0) as u32;
        Reflect::set(
            &record,
            &JsValue::from_str("unsent"),
            &JsValue::from_f64(f64::from(unsent + 1)),
        )?;
        let text = js_sys::JSON::stringify(&record)?;
        Ok((text.into(), server_version, unsent))
    });
    let settled = settlement(problem, shared::sync::Resolution::Resent);
    record_raw(vec![(action, change), settled])
        .await
        .map(|_| ())
}

/// "Versie van de server aanhouden": the device gives up its refused change. The settlement goes
/// to the outbox; a record the server never had (no version) is removed; and the pull starts from
/// the beginning, so the device shows the server's state again (unsent work stays and is sent).
pub async fn accept_server(problem: &Problem) -> StoreResult<()> {
    record_raw(vec![settlement(
        problem,
        shared::sync::Resolution::ServerKept,
    )])
    .await?;
    let tx = WriteTx::begin(&[META, NOTES, FINDINGS], true).await?;
    let id = key(&problem.mutation.entity_id);
    match EntityStore::of_kind(&problem.mutation.kind) {
        Some(EntityStore::Note) => {
            if let Some(n) = tx.get::<LocalNote>(NOTES, &id).await? {
                if n.version.is_none() && n.unsent == 0 {
                    tx.delete(NOTES, &id)?;
                }
            }
        }
        Some(EntityStore::Finding) => {
            if let Some(f) = tx.get::<LocalFinding>(FINDINGS, &id).await? {
                if f.version.is_none() && f.unsent == 0 {
                    tx.delete(FINDINGS, &id)?;
                }
            }
        }
        _ => {}
    }
    tx.delete(META, &JsValue::from_str(META_CURSOR))?;
    tx.commit().await
}

// Session.

/// The stored session, if any. A record that no longer parses (an older app version) counts as none.
pub async fn load_session() -> StoreResult<Option<LoginResponse>> {
    get(SESSION, &JsValue::from_str(SESSION_KEY)).await
}

pub async fn save_session(session: &LoginResponse) -> StoreResult<()> {
    let tx = WriteTx::begin(&[SESSION], true).await?;
    tx.put(SESSION, &JsValue::from_str(SESSION_KEY), session)?;
    tx.commit().await
}

pub async fn clear_session() -> StoreResult<()> {
    let tx = WriteTx::begin(&[SESSION], true).await?;
    tx.delete(SESSION, &JsValue::from_str(SESSION_KEY))?;
    tx.commit().await
}

/// Another user logs in on this device: forget the previous user's working set. Their outbox
/// and problems stay (they are never dropped); the sync engine does not push them for someone
/// else.
pub async fn reset_working_set(owner: Uuid) -> StoreResult<()> {
    let tx = WriteTx::begin(&[META, VISITS, DETAILS, NOTES, FINDINGS], false).await?;
    for store in [VISITS, DETAILS, NOTES, FINDINGS] {
        tx.tx.object_store(store)?.clear()?;
    }
    tx.delete(META, &JsValue::from_str(META_CURSOR))?;
    tx.put(META, &JsValue::from_str(META_OWNER), &owner)?;
    tx.commit().await
}

pub fn is_pending_status(status: VisitStatus) -> bool {
    matches!(status, VisitStatus::Planned | VisitStatus::Returned)
}

/// Where a visit's recorded work is on its way to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// In the outbox, not offered to the server yet.
    Saved,
    /// In the outbox; offline, or an attempt got no answer.
    Waiting,
    /// The server acknowledged it; its pull feed has not shown it back yet.
    Sent,
    /// The server's feed shows the recorded state.
    Confirmed,
    /// The server refused something (conflict, rejection): see the sync panel.
    Problem,
}

impl Delivery {
    pub fn class(self) -> &'static str {
        match self {
            Delivery::Saved => "tag delivery delivery-saved",
            Delivery::Waiting => "tag delivery delivery-waiting",
            Delivery::Sent => "tag delivery delivery-sent",
            Delivery::Confirmed => "tag delivery delivery-confirmed",
            Delivery::Problem => "tag delivery delivery-problem",
        }
    }
}

/// The delivery state of every visit with work recorded on this device.
pub async fn deliveries(online: bool) -> StoreResult<HashMap<Uuid, Delivery>> {
    let outbox = outbox().await?;
    let problems = problems().await?;
    let notes: Vec<LocalNote> = all(NOTES).await?;
    let findings: Vec<LocalFinding> = all(FINDINGS).await?;
    let photos: Vec<LocalPhoto> = all(PHOTOS).await?;
    let mut result = HashMap::new();
    for v in visits().await? {
        let id = v.visit.id;
        let entries: Vec<&OutboxEntry> = outbox.iter().filter(|e| e.visit_id == id).collect();
        let photos: Vec<&LocalPhoto> = photos.iter().filter(|p| p.visit_id == id).collect();
        let state = if problems.iter().any(|p| p.visit_id == id)
            || photos.iter().any(|p| p.problem.is_some())
        {
            Delivery::Problem
        } else if photos.iter().any(|p| p.state == PhotoState::Queued) {
            Delivery::Waiting
        } else if !entries.is_empty() || photos.iter().any(|p| p.state == PhotoState::Saved) {
            if online
                && (entries.iter().any(|e| e.attempts == 0)
                    || photos.iter().any(|p| p.state == PhotoState::Saved))
            {
                Delivery::Saved
            } else {
                Delivery::Waiting
            }
        } else if v.awaiting.is_some()
            || notes
                .iter()
                .any(|n| n.visit_id == id && n.awaiting.is_some())
            || findings
                .iter()
                .any(|f| f.visit_id == id && f.awaiting.is_some())
        {
            Delivery::Sent
        } else if v.touched {
            Delivery::Confirmed
        } else {
            continue;
        };
        result.insert(id, state);
    }
    Ok(result)
}
