//! `sync_problem.resolve`: how a person settled a refused mutation. With `tablet_kept` (a team
//! lead who saw both versions of a conflict chose the tablet's) the refused change is applied
//! again here, as its author's, on top of the version the person saw.

use super::*;
use shared::sync::Resolution;

/// `sync_problem.resolve`: whoever made a refused change (or a team lead, manager or admin of the
/// agency) says how it was settled. The problem then leaves the open-problems list; the refused
/// mutation stays in the log. Settling twice is harmless: the first settlement stands.
pub(super) async fn problem_resolve(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    let data: ProblemResolve = step!(ctx.data());
    step!(base_check(
        ctx,
        Write::Create,
        None,
        EntityKind::SyncProblem
    ));
    let refused_id = ctx.entity_id();
    let Some(refused) = db::mutations::recorded_mutation(tx, &refused_id).await? else {
        return Ok(Outcome::Rejected(ErrorCode::SyncUnknownEntity));
    };
    // Another agency's mutation, or one the server applied, is not a problem to settle here.
    if refused.agency_id != ctx.user.agency_id || refused.status == MutationStatus::Applied.as_str()
    {
        return Ok(Outcome::Rejected(ErrorCode::SyncUnknownEntity));
    }
    let may_settle_others = matches!(
        ctx.user.info.role,
        Role::TeamLead | Role::Manager | Role::Admin
    );
    let actor = ctx.user_id();
    if refused.user_id != actor && !may_settle_others {
        return Ok(Outcome::Rejected(ErrorCode::AuthForbidden));
    }
    if data.resolution == Resolution::TabletKept {
        if refused.status != MutationStatus::Conflict.as_str() {
            // A rejection has no tablet version to keep: its data was refused as invalid.
            return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
        }
        // Settled before: the first settlement stands and nothing is applied again.
        if let Some(conflict) = db::mutations::open_conflict(tx, &refused_id).await? {
            step!(keep_tablet_version(tx, ctx, conflict, data.seen_version).await?);
        }
    }
    let now = db::now_text();
    let settled = db::mutations::resolve_problem(
        tx,
        &refused_id,
        data.resolution.as_str(),
        &actor,
        Some(ctx.device_id),
        &now,
    )
    .await?;
    // Every applied mutation leaves one audit entry; a late second settlement says it changed nothing.
    ctx.defer(
        None,
        PendingAudit {
            actor_id: actor,
            device_id: ctx.device_id.to_owned(),
            action: ctx.mutation.kind.to_string(),
            entity: EntityKind::SyncProblem,
            entity_id: refused_id,
            old_version: None,
            new_version: Some(1),
            details: serde_json::json!({
                "mutation_id": ctx.mutation.id,
                "resolution": data.resolution.as_str(),
                "settled_before": !settled,
                "device_at": ctx.mutation.at,
            }),
        },
    );
    Ok(Outcome::Applied { version: 1 })
}

/// Applies the refused change of `conflict` as its author made it (their rights, their device),
/// with `seen_version` as its base: the version the person settling it saw beside it. A newer
/// server version since then is `record.version_conflict` and nothing changes.
async fn keep_tablet_version(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
    conflict: db::mutations::OpenConflictRow,
    seen_version: Option<i64>,
) -> Result<Result<(), Outcome>, AppError> {
    let refused: serde_json::Value =
        serde_json::from_str(&conflict.data).map_err(anyhow::Error::from)?;
    let kind = MutationKind::parse(refused["type"].as_str().unwrap_or_default());
    if !kind.can_keep_tablet_version() || seen_version.is_none() {
        return Ok(Err(Outcome::Rejected(ErrorCode::SyncInvalidData)));
    }
    let Some(row) = db::users::by_id(&mut **tx, &conflict.user_id).await? else {
        return Ok(Err(Outcome::Rejected(ErrorCode::SyncUnknownEntity)));
    };
    let author = AuthUser {
        info: row.info()?,
        agency_id: row.agency_id,
        token_digest: String::new(),
    };
    let replayed = Mutation {
        id: ctx.mutation.id,
        seq: ctx.mutation.seq,
        kind,
        entity_id: Uuid::parse_str(&conflict.entity_id).map_err(anyhow::Error::from)?,
        base_version: seen_version,
        at: ctx.mutation.at,
        data: refused["data"].clone(),
    };
    let as_author = Ctx {
        pool: ctx.pool,
        deferred: ctx.deferred,
        user: &author,
        device_id: &conflict.device_id,
        mutation: &replayed,
    };
    // Boxed: the applier of this kind is reached through the same dispatch as this one.
    Ok(match Box::pin(dispatch(tx, &as_author)).await? {
        Outcome::Applied { .. } => Ok(()),
        Outcome::Conflict { .. } => Err(Outcome::Rejected(ErrorCode::RecordVersionConflict)),
        rejected @ Outcome::Rejected(_) => Err(rejected),
    })
}
