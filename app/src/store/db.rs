//! IndexedDB plumbing: the schema (store names, meta keys), the rexie connection for reads and
//! the raw web-sys connection for strict read-write transactions (`WriteTx`).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise};
use js_sys::{Function, Object, Reflect};
use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction};

use crate::error::{AppError, AppResult};

const DB_NAME: &str = "schouw";
/// 1: session only. 2: working set, local work, outbox, problems. 3: photos and their blobs.
const DB_VERSION: u32 = 4;

pub const SESSION: &str = "session";
pub const META: &str = "meta";
pub const VISITS: &str = "visits";
pub const DETAILS: &str = "visit_details";
pub const TEMPLATES: &str = "templates";
pub const NOTES: &str = "notes";
pub const FINDINGS: &str = "findings";
pub const OUTBOX: &str = "outbox";
pub const PROBLEMS: &str = "problems";
/// Open enforcement cases of the working set's sites, with the re-inspection's verdict.
pub const CASES: &str = "cases";
/// Photo records (`LocalPhoto`), keyed by photo id.
pub const PHOTOS: &str = "photos";
/// The photos' JPEG bytes as browser `Blob`s, keyed by their SHA-256 (content-addressed: the same
/// picture is stored once).
pub const PHOTO_BLOBS: &str = "photo_blobs";

pub const META_DEVICE: &str = "device_id";
pub const META_NEXT_SEQ: &str = "next_seq";
pub const META_CURSOR: &str = "cursor";
pub const META_LAST_SYNC: &str = "last_sync";
pub const META_OWNER: &str = "owner";
/// The agency's active LHSO matrix (JSON text), from the working set.
pub const META_LHSO_MATRIX: &str = "lhso_matrix";

/// IndexedDB failed (`AppError::Storage`); nothing was changed.
impl From<rexie::Error> for AppError {
    fn from(e: rexie::Error) -> Self {
        AppError::Storage(e.to_string())
    }
}

/// A failed browser call in storage code (`AppError::Storage`).
impl From<JsValue> for AppError {
    fn from(e: JsValue) -> Self {
        AppError::Storage(format!("{e:?}"))
    }
}

pub type StoreResult<T> = AppResult<T>;

// Opening.

thread_local! {
    static REXIE: RefCell<Option<Rc<Rexie>>> = const { RefCell::new(None) };
    static RAW: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

pub(super) async fn db() -> StoreResult<Rc<Rexie>> {
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
            .add_object_store(ObjectStore::new(CASES))
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
        .ok_or_else(|| AppError::Storage("no window".into()))?
        .indexed_db()?
        .ok_or_else(|| AppError::Storage("no IndexedDB".into()))?;
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

pub use crate::json::{from_js, from_value, to_js};

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

    /// Empties a store.
    pub fn clear(&self, store: &str) -> StoreResult<()> {
        self.tx.object_store(store)?.clear()?;
        Ok(())
    }

    pub fn abort(self) {
        let _ = self.tx.abort();
    }

    pub async fn commit(self) -> StoreResult<()> {
        self.done
            .await
            .map(|_| ())
            .map_err(|_| AppError::Storage("transaction aborted".into()))
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
