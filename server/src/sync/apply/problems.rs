//! `sync_problem.resolve`: how a person settled a refused mutation.

use super::*;

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
