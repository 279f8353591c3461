//! `visit.start` (with the on-site verdict and the pinned checklist), `visit.finish` and
//! `visit.not_possible`.

use super::*;

/// Where the tablet was when the visit started, by the agency's radius (the shared rule the
/// tablet shows the inspector).
fn on_site_check(position: Option<Position>, visit: &VisitState) -> OnSite {
    let site = Wgs84 {
        lat: visit.lat,
        lon: visit.lon,
    };
    let at = position.map(|p| {
        (
            Wgs84 {
                lat: p.lat,
                lon: p.lon,
            },
            p.accuracy_m,
        )
    });
    on_site(site, at, visit.on_site_radius_m).0
}

/// The mutation's visit: one the caller may write, at the version the device last saw (a stale
/// base is a conflict).
async fn current_visit(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
) -> Result<Result<VisitState, Outcome>, AppError> {
    let visit = match ctx.writable_visit(tx, &ctx.entity_id()).await? {
        Ok(visit) => visit,
        Err(outcome) => return Ok(Err(outcome)),
    };
    Ok(base_check(ctx, Write::Update, Some(visit.version), EntityKind::Visit).map(|()| visit))
}

pub(super) async fn visit_start(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    let data: VisitStart = step!(ctx.data());
    let visit = step!(current_visit(tx, ctx).await?);
    let status = step!(transition(&visit, VisitEvent::Start)?);
    let started_at = step!(device_time(data.started_at)).unwrap_or_else(db::now_text);
    // The checklist is pinned now: the one the tablet names, or the newest that fits the site.
    let template = match (&data.template_id, data.template_version) {
        (Some(id), Some(version)) => {
            match db::checklists::version(&mut **tx, &visit.agency_id, id, i64::from(version))
                .await?
            {
                Some(_) => Some((id.clone(), i64::from(version))),
                None => return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData)),
            }
        }
        (None, None) => best_template(tx, &visit).await?,
        _ => return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData)),
    };
    let check = on_site_check(data.position, &visit);
    if db::inspections::inspection_of_visit(tx, &visit.id)
        .await?
        .is_none()
    {
        let inspection_id = Uuid::new_v4().to_string();
        let today = chrono::Utc::now().date_naive().to_string();
        db::inspections::insert_inspection(
            tx,
            &db::inspections::InspectionStart {
                id: &inspection_id,
                visit_id: &visit.id,
                site_id: &visit.site_id,
                inspector_id: &visit.inspector_id,
                kind: &visit.kind,
                inspected_on: &today,
                started_at: &started_at,
                template_id: template.as_ref().map(|t| t.0.as_str()),
                template_version: template.as_ref().map(|t| t.1),
                on_site_check: check.as_str(),
            },
        )
        .await?;
    }
    let version = db::visits::set_visit_status(tx, &visit.id, status.as_str()).await?;
    ctx.finish(tx, &visit, EntityKind::Visit, Some(visit.version), version)
        .await
}

async fn best_template(
    tx: &mut Tx<'_>,
    visit: &VisitState,
) -> Result<Option<(String, i64)>, AppError> {
    let library: Vec<ChecklistTemplate> = db::checklists::latest(&mut **tx, &visit.agency_id)
        .await?
        .iter()
        .filter_map(|b| serde_json::from_str(b).ok())
        .collect();
    let activities: Vec<String> = serde_json::from_str(&visit.activities).unwrap_or_default();
    let activities: Vec<&str> = activities.iter().map(String::as_str).collect();
    Ok(
        shared::checklist::select_templates(&library, &visit.sector, &activities)
            .first()
            .map(|t| (t.id.clone(), i64::from(t.version))),
    )
}

pub(super) async fn visit_finish(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    let data: VisitFinish = step!(ctx.data());
    let visit = step!(current_visit(tx, ctx).await?);
    let status = step!(transition(&visit, VisitEvent::Finish)?);
    let hours = data.hours_spent.unwrap_or(0.0);
    if !(0.0..=24.0).contains(&hours) {
        return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
    }
    let finished_at = step!(device_time(data.finished_at)).unwrap_or_else(db::now_text);
    db::inspections::finish_inspection(tx, &visit.id, &finished_at, hours).await?;
    let version = db::visits::set_visit_status(tx, &visit.id, status.as_str()).await?;
    ctx.finish(tx, &visit, EntityKind::Visit, Some(visit.version), version)
        .await
}

/// `visit.not_possible`: the inspector could not carry out a visit not yet started. The visit
/// keeps the reason; its site goes back to the planner (`db::planning::sites_with_open_visits`).
pub(super) async fn visit_not_possible(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
) -> Result<Outcome, AppError> {
    let data: VisitNotPossible = step!(ctx.data());
    let visit = step!(current_visit(tx, ctx).await?);
    step!(transition(&visit, VisitEvent::NotPossible)?);
    let note = step!(
        shared::visit::check_not_possible(data.reason, data.note.as_deref())
            .map_err(Outcome::Rejected)
    );
    let at = step!(device_time(data.at)).unwrap_or_else(db::now_text);
    let version =
        db::visits::set_not_possible(tx, &visit.id, data.reason.as_str(), note.as_deref(), &at)
            .await?;
    ctx.finish(tx, &visit, EntityKind::Visit, Some(visit.version), version)
        .await
}
