//! The working set: the visit lists of today and the next workdays, the visits' site details and
//! history, the checklist templates and the agency's LHSO matrix, so a visit opens offline.

use serde::Deserialize;
use wasm_bindgen::JsValue;

use shared::visit::DayVisits;

use super::pull::{confirmed, new_local_visit};
use crate::api;
use crate::error::{AppError, AppResult};
use crate::store::{self, key, LocalVisit, WriteTx};
use crate::util;

/// Workdays after today kept on the device.
const WORKDAYS_AHEAD: usize = 4;

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

pub(super) async fn refresh_working_set(token: &str) -> AppResult<()> {
    let mut ids = Vec::new();
    for day in util::working_days(WORKDAYS_AHEAD) {
        let list: DayVisits =
            api::get(&format!("/api/v1/me/visits?date={day}"), Some(token)).await?;
        ids.extend(list.visits.iter().map(|v| v.id));
        store_day(&list).await?;
    }

    let templates: Templates = api::get("/api/v1/checklists", Some(token)).await?;
    let tx = WriteTx::begin(&[store::TEMPLATES], false).await?;
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
        )?;
    }
    tx.commit().await?;

    // The agency's LHSO matrix, so the advice on the tablet is the agency's, offline too.
    let matrix: RawJson = api::get("/api/v1/lhso/matrix", Some(token)).await?;
    for derived in ["questions", "labels"] {
        let _ = js_sys::Reflect::delete_property(&matrix.0.clone().into(), &derived.into());
    }
    if let Ok(text) = js_sys::JSON::stringify(&matrix.0) {
        let text = String::from(text);
        if crate::lhso::install(&text) {
            let tx = WriteTx::begin(&[store::META], false).await?;
            tx.put(
                store::META,
                &JsValue::from_str(store::META_LHSO_MATRIX),
                &text,
            )?;
            tx.commit().await?;
        }
    }

    // Site details and history, so a visit opens offline with everything the server knows.
    for id in ids {
        let detail: store::VisitHistory =
            api::get(&format!("/api/v1/visits/{id}"), Some(token)).await?;
        let tx = WriteTx::begin(&[store::DETAILS, store::CASES], false).await?;
        tx.put(store::DETAILS, &key(&id), &detail)?;
        // The site's open cases, for the re-inspection; a verdict given here is kept.
        for case in &detail.enforcement {
            let case_key = key(&case.id);
            let local: Option<store::LocalCase> = tx.get(store::CASES, &case_key).await?;
            if local
                .as_ref()
                .is_some_and(|c| c.unsent > 0 || c.version > case.version)
            {
                continue;
            }
            let case = store::LocalCase {
                verdict: local.and_then(|c| c.verdict),
                ..case.clone()
            };
            tx.put(store::CASES, &case_key, &case)?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Stores one day's list. A visit with unsent local work keeps its local state; a visit that
/// left the list is forgotten unless work was recorded on it here.
async fn store_day(list: &DayVisits) -> Result<(), AppError> {
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
