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

mod pull;
mod push;
mod workset;

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;
use wasm_bindgen::JsValue;

use crate::error::{AppError, AppResult};
use crate::session::Session;
use crate::store::{self, LocalPhoto, WriteTx};
use crate::{photos, util};

use pull::pull;
use push::push;
use workset::refresh_working_set;

const PERIOD_MS: i32 = 30_000;
const BACKOFF_BASE_MS: f64 = 2_000.0;
const BACKOFF_CAP_MS: f64 = 300_000.0;
/// How often the working set (visit lists, details, templates) is refreshed without a trigger.
const WORKSET_EVERY_MS: f64 = 15.0 * 60_000.0;

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Idle,
    Syncing {
        done: usize,
        total: usize,
    },
    /// Uploading photos (counted in photos).
    /// Photos going up: how many and how many bytes (`photos::UploadProgress`).
    Photos(photos::UploadProgress),
    Offline,
    /// Why the last run stopped (worded on screen).
    Error(AppError),
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

/// One run. `Ok(false)`: nothing to do (offline, nobody logged in).
async fn run(sync: Sync, session: Session, full: bool) -> AppResult<bool> {
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
    let owner: Option<Uuid> = store::meta(store::META_OWNER).await?;
    if owner != Some(user.id) {
        let unsent = store::unsent_count().await?;
        if owner.is_some() && unsent > 0 {
            return Err(AppError::OtherUser);
        }
        store::reset_working_set(user.id).await?;
    }
    let device = store::device_id().await?;

    let pending = store::outbox().await?.len();
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
    let uploaded = photos::upload_pending(&token, |progress| {
        if progress.total > 0 {
            sync.status.update(|s| s.phase = Phase::Photos(progress));
        }
    })
    .await?;
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
