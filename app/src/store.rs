//! The device's IndexedDB database (rexie). It holds the session now; the working set and the
//! outbox of the sync protocol will live here too, so a reload without network loses nothing.

use rexie::{ObjectStore, Rexie, TransactionMode, TransactionResult};
use wasm_bindgen::JsValue;

use shared::LoginResponse;

const DB_NAME: &str = "schouw";
const DB_VERSION: u32 = 1;
const SESSION_STORE: &str = "session";
const SESSION_KEY: &str = "current";

async fn open() -> Result<Rexie, rexie::Error> {
    Rexie::builder(DB_NAME)
        .version(DB_VERSION)
        .add_object_store(ObjectStore::new(SESSION_STORE))
        .build()
        .await
}

/// The stored session, if any. A record that no longer parses (an older app version) counts as none.
pub async fn load_session() -> Result<Option<LoginResponse>, rexie::Error> {
    let db = open().await?;
    let tx = db.transaction(&[SESSION_STORE], TransactionMode::ReadOnly)?;
    let value = tx
        .store(SESSION_STORE)?
        .get(JsValue::from_str(SESSION_KEY))
        .await?;
    tx.done().await?;
    Ok(value
        .and_then(|v| v.as_string())
        .and_then(|json| serde_json::from_str(&json).ok()))
}

pub async fn save_session(session: &LoginResponse) -> Result<(), rexie::Error> {
    let json = serde_json::to_string(session).unwrap_or_default();
    let db = open().await?;
    let tx = db.transaction(&[SESSION_STORE], TransactionMode::ReadWrite)?;
    tx.store(SESSION_STORE)?
        .put(
            &JsValue::from_str(&json),
            Some(&JsValue::from_str(SESSION_KEY)),
        )
        .await?;
    committed(tx.done().await?)
}

pub async fn clear_session() -> Result<(), rexie::Error> {
    let db = open().await?;
    let tx = db.transaction(&[SESSION_STORE], TransactionMode::ReadWrite)?;
    tx.store(SESSION_STORE)?
        .delete(JsValue::from_str(SESSION_KEY))
        .await?;
    committed(tx.done().await?)
}

/// An aborted transaction changed nothing: report it as a failure, never as success.
fn committed(result: TransactionResult) -> Result<(), rexie::Error> {
    match result {
        TransactionResult::Committed => Ok(()),
        TransactionResult::Aborted => Err(rexie::Error::TransactioncommitFailed),
    }
}
