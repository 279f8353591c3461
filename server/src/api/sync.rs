//! `POST /sync/push` and `GET /sync/pull` (API.md "Sync").

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use base64::Engine;
use serde::Deserialize;

use shared::sync::{Change, PullResponse, PushRequest, PushResponse};
use shared::{ErrorCode, Role};

use crate::auth::AuthUser;
use crate::db;
use crate::error::{ApiJson, AppResult};
use crate::sync::{self, views};
use crate::AppState;

const PULL_PAGE: i64 = 200;

pub async fn push(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(request): ApiJson<PushRequest>,
) -> AppResult<Json<PushResponse>> {
    Ok(Json(sync::push(&state, &user, request).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    #[serde(default)]
    cursor: String,
}

/// The cursor is opaque to devices: base64url of "c<seq>".
fn decode_cursor(cursor: &str) -> Option<i64> {
    if cursor.is_empty() {
        return Some(0);
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix('c')?
        .parse()
        .ok()
        .filter(|n: &i64| *n >= 0)
}

fn encode_cursor(seq: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("c{seq}"))
}

/// `GET /api/v1/sync/pull?cursor=`: what this user may see that changed after the cursor, in
/// commit order, each with the entity's current state.
pub async fn pull(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> AppResult<Json<PullResponse>> {
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    let after = decode_cursor(&query.cursor).ok_or(ErrorCode::RequestInvalid)?;
    let me = user.info.id.to_string();
    let (inspector, authority) = match user.info.role {
        Role::Inspector => (Some(me), None),
        Role::AuthorityViewer => (
            None,
            Some(
                user.info
                    .authority_id
                    .ok_or(ErrorCode::AuthForbidden)?
                    .to_string(),
            ),
        ),
        Role::TeamLead | Role::Manager | Role::Admin => (None, None),
    };
    let pool = &state.db.pool;
    let mut rows = db::sync::changes_after(
        pool,
        &user.agency_id,
        after,
        inspector.as_deref(),
        authority.as_deref(),
        PULL_PAGE + 1,
    )
    .await?;
    let more = rows.len() as i64 > PULL_PAGE;
    rows.truncate(PULL_PAGE as usize);
    let mut changes = Vec::with_capacity(rows.len());
    for row in &rows {
        let data = match row.entity.as_str() {
            "visit_note" => db::sync::note(pool, &row.entity_id)
                .await?
                .map(|n| views::note(&n)),
            "finding" => db::sync::finding(pool, &row.entity_id)
                .await?
                .map(|f| views::finding(&f)),
            "photo" => db::sync::photo(pool, &row.entity_id)
                .await?
                .map(|p| views::photo(&p)),
            "visit" => match db::visits::by_id(pool, &row.entity_id).await? {
                // The visit with its pinned checklist and times, which a device reads from here.
                Some(v) => {
                    let mut data = serde_json::to_value(crate::api::visits::visit(&v)?)
                        .map_err(anyhow::Error::from)?;
                    let progress = crate::api::visits::progress(pool, &v.id).await?;
                    if let (Some(data), serde_json::Value::Object(extra)) = (
                        data.as_object_mut(),
                        serde_json::to_value(progress).map_err(anyhow::Error::from)?,
                    ) {
                        data.extend(extra);
                    }
                    Some(data)
                }
                None => None,
            },
            _ => None,
        };
        changes.push(Change {
            entity: row.entity.clone(),
            entity_id: uuid::Uuid::parse_str(&row.entity_id).map_err(anyhow::Error::from)?,
            version: row.version,
            op: row.op.clone(),
            data,
        });
    }
    let cursor = encode_cursor(rows.last().map_or(after, |r| r.seq));
    Ok(Json(PullResponse {
        changes,
        cursor,
        more,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(decode_cursor(""), Some(0));
        assert_eq!(decode_cursor(&encode_cursor(42)), Some(42));
        assert_eq!(decode_cursor("!!"), None);
        assert_eq!(
            decode_cursor(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("c-1")),
            None
        );
    }
}
