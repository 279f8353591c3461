//! The storage guard: browser storage is the only copy of unsent field work, so the app asks for
//! persistent storage, watches usage against the quota, warns when persistence is refused, space
//! runs low or the app runs in a tab instead of installed, and frees space by removing the bytes
//! of photos the server confirmed (after the agency's retention time, or at once when space is
//! low). Unsent work is never removed. The rules are `shared::device_storage`'s; this module
//! reads the browser and the store, and runs after every successful sync.

use js_sys::Reflect;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use shared::device_storage::{photos_to_remove, warnings, Estimate, KeptPhoto, StorageWarning};

use crate::session::use_session;
use crate::store::{self, LocalPhoto, PhotoState, WriteTx};
use crate::sync::use_sync;
use crate::util;

/// What the browser said about the app's storage at the last check.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StorageHealth {
    /// Granted persistent storage; `None` before the first answer (or no such API).
    pub persisted: Option<bool>,
    /// Running as an installed app (standalone display), not in a browser tab.
    pub installed: bool,
    pub estimate: Option<Estimate>,
    /// Photos whose bytes the last tidy-up removed.
    pub photos_freed: usize,
}

impl StorageHealth {
    pub fn warnings(&self) -> Vec<StorageWarning> {
        warnings(self.persisted, self.installed, self.estimate)
    }
}

#[derive(Clone, Copy)]
pub struct StorageGuard {
    pub health: RwSignal<StorageHealth>,
}

/// The guard, where one runs (the field app; the office keeps nothing on the device).
pub fn use_storage_guard() -> Option<StorageGuard> {
    use_context()
}

/// Starts the guard: asks for persistent storage once, then checks and tidies at start and after
/// every successful sync.
pub fn provide() {
    let guard = StorageGuard {
        health: RwSignal::new(StorageHealth::default()),
    };
    provide_context(guard);
    let sync = use_sync();
    let session = use_session();
    Effect::new(move |_| {
        // A finished sync (its time moves) is when photos become confirmed.
        sync.status.with(|s| s.last_success.clone());
        let Some(user) = session.user() else {
            return;
        };
        if user.role != shared::Role::Inspector {
            return;
        }
        let retention = session.agency_untracked().photo_retention_days;
        spawn_local(async move {
            let health = check_and_tidy(retention).await;
            let _ = guard.health.try_set(health);
        });
    });
}

async fn check_and_tidy(retention_days: u32) -> StorageHealth {
    let persisted = persist().await;
    let installed = installed();
    let estimate = estimate().await;
    let low = estimate.is_some_and(Estimate::is_low);
    let photos_freed = tidy(retention_days, low).await.unwrap_or(0);
    // Measure again after freeing space, so the warning reflects what is left.
    let estimate = if photos_freed > 0 {
        self::estimate().await
    } else {
        estimate
    };
    StorageHealth {
        persisted,
        installed,
        estimate,
        photos_freed,
    }
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    Some(web_sys::window()?.navigator().storage())
}

/// Whether storage is persistent, asking for it when it is not (the browser decides without a
/// prompt for an installed app; it may refuse in a tab).
async fn persist() -> Option<bool> {
    let manager = storage_manager()?;
    let already = JsFuture::from(manager.persisted().ok()?).await.ok()?;
    if already.as_bool() == Some(true) {
        return Some(true);
    }
    let granted = JsFuture::from(manager.persist().ok()?).await.ok()?;
    granted.as_bool()
}

fn installed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let standalone = |query: &str| {
        window
            .match_media(query)
            .ok()
            .flatten()
            .is_some_and(|m| m.matches())
    };
    standalone("(display-mode: standalone)") || standalone("(display-mode: fullscreen)")
}

async fn estimate() -> Option<Estimate> {
    let answer = JsFuture::from(storage_manager()?.estimate().ok()?)
        .await
        .ok()?;
    let number = |name: &str| {
        Reflect::get(&answer, &JsValue::from_str(name))
            .ok()?
            .as_f64()
    };
    Some(Estimate {
        usage_bytes: number("usage")? as u64,
        quota_bytes: number("quota")? as u64,
    })
}

/// Removes the bytes of the photos the shared rule picks, in one strict transaction; returns
/// how many. A blob another photo on the device still needs stays.
async fn tidy(retention_days: u32, low_space: bool) -> Result<usize, crate::error::AppError> {
    let photos: Vec<LocalPhoto> = store::all(store::PHOTOS).await?;
    let kept: Vec<KeptPhoto<uuid::Uuid>> = photos
        .iter()
        .filter_map(|p| {
            Some(KeptPhoto {
                id: p.id,
                confirmed: p.state == PhotoState::Confirmed && p.unsent == 0,
                on_device: !p.removed,
                captured_at: chrono::DateTime::parse_from_rfc3339(&p.captured_at).ok()?,
            })
        })
        .collect();
    let chosen = photos_to_remove(&kept, util::now(), retention_days, low_space);
    if chosen.is_empty() {
        return Ok(0);
    }
    let tx = WriteTx::begin(&[store::PHOTOS, store::PHOTO_BLOBS], true).await?;
    for photo in photos.iter().filter(|p| chosen.contains(&p.id)) {
        let still_needed = photos
            .iter()
            .any(|o| o.sha256 == photo.sha256 && !o.removed && !chosen.contains(&o.id));
        if !still_needed {
            tx.delete(store::PHOTO_BLOBS, &JsValue::from_str(&photo.sha256))?;
        }
        let mut record = photo.clone();
        record.removed = true;
        tx.put(store::PHOTOS, &store::key(&photo.id), &record)?;
    }
    tx.commit().await?;
    Ok(chosen.len())
}
