//! Pull: the change feed from the stored cursor, page by page; each page and its cursor are applied
//! in one transaction, and a pulled entity never overwrites one with unsent local work.

use serde::Deserialize;
use uuid::Uuid;
use wasm_bindgen::JsValue;

use shared::sync::{EntityKind, FeedFinding, FeedNote, FeedOp};
use shared::visit::{FeedVisit, Visit};

use crate::api;
use crate::error::{AppError, AppResult};
use crate::store::{
    self, key, LocalCase, LocalFinding, LocalNote, LocalPhoto, LocalVisit, PhotoState, WriteTx,
};

pub(super) async fn pull(token: &str) -> AppResult<()> {
    let mut cursor: String = store::meta(store::META_CURSOR).await?.unwrap_or_default();
    loop {
        let path = format!(
            "/api/v1/sync/pull?cursor={}",
            String::from(js_sys::encode_uri_component(&cursor))
        );
        let page: PullPage = api::get(&path, Some(token)).await?;
        apply_changes(&page.changes, &page.cursor).await?;
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

pub(super) fn confirmed(awaiting: Option<i64>, version: i64) -> Option<i64> {
    awaiting.filter(|a| *a > version)
}

/// Applies one page of the feed and its cursor in one transaction.
async fn apply_changes(changes: &[RawChange], cursor: &str) -> Result<(), AppError> {
    let tx = WriteTx::begin(
        &[
            store::META,
            store::VISITS,
            store::NOTES,
            store::FINDINGS,
            store::PHOTOS,
            store::CASES,
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
                let Some(FeedVisit {
                    visit,
                    progress,
                    returned,
                }) = change.parse::<FeedVisit>()
                else {
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
                record.returned = returned;
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
                    author: Some(data.author_name).filter(|n| !n.is_empty()),
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
            // A case's new state (an office step, another device's verdict); a verdict still
            // unsent here stays as given. A closed case leaves the device, unless this device
            // gave its verdict (the visit keeps showing it).
            EntityKind::EnforcementCase => {
                let local: Option<LocalCase> = tx.get(store::CASES, &id).await?;
                if local.as_ref().is_some_and(|c| c.unsent > 0) {
                    continue;
                }
                let given_here = local.as_ref().is_some_and(|c| c.verdict.is_some());
                match change.parse::<LocalCase>() {
                    Some(case) if !removed && (case.open || given_here) => {
                        let case = LocalCase {
                            verdict: local.and_then(|c| c.verdict),
                            ..case
                        };
                        tx.put(store::CASES, &id, &case)?;
                    }
                    _ => tx.delete(store::CASES, &id)?,
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

pub(super) fn new_local_visit(visit: Visit) -> LocalVisit {
    LocalVisit {
        visit,
        unsent: 0,
        awaiting: None,
        template: None,
        started_at: None,
        position: None,
        finished_at: None,
        touched: false,
        returned: None,
    }
}
