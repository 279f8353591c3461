//! The stored session, and the reset of the working set when another user logs in.

use uuid::Uuid;
use wasm_bindgen::JsValue;

use shared::LoginResponse;

use super::db::*;

const SESSION_KEY: &str = "current";

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
    let tx = WriteTx::begin(&[META, VISITS, DETAILS, NOTES, FINDINGS, CASES], false).await?;
    for store in [VISITS, DETAILS, NOTES, FINDINGS, CASES] {
        tx.clear(store)?;
    }
    tx.delete(META, &JsValue::from_str(META_CURSOR))?;
    tx.put(META, &JsValue::from_str(META_OWNER), &owner)?;
    tx.commit().await
}
