//! `violation.assess`: the LHSO assessment, the chosen intervention and the case it opens.

use super::*;

/// `violation.assess`: the LHSO assessment of a violating finding. The server does not take the
/// tablet's advice on trust: it recomputes the suggested cell from the answers with the named
/// matrix version, refuses a deviation without a written reason, and stores suggested and chosen
/// cell, reason, matrix version, intervention and remedy deadline on the violation (whose id is
/// the finding's), where follow-up and the annual figures read them.
pub(super) async fn violation_assess(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    use shared::lhso::{
        assess, choose_cell, choose_intervention, choose_remedy_deadline, AssessmentInput,
        Intervention, LhsoCell,
    };

    let data: ViolationAssess = step!(ctx.data());
    let id = ctx.entity_id();
    let Some(finding) = db::findings::finding(&mut **tx, &id).await? else {
        return Ok(Outcome::Rejected(ErrorCode::SyncUnknownEntity));
    };
    let visit = step!(ctx.writable_visit(tx, &finding.visit_id).await?);
    if finding.is_violation == 0 {
        return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
    }
    let Some(inspection) = db::inspections::inspection_of_visit(tx, &visit.id).await? else {
        return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
    };
    let matrix = match crate::agency_config::matrix_for(
        ctx.pool,
        &visit.agency_id,
        Some(&data.matrix_version),
    )
    .await
    {
        Ok(matrix) => matrix,
        Err(AppError::Api(_)) => return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput)),
        Err(e) => return Err(e),
    };
    let input =
        AssessmentInput::answers(data.answers.clone()).with_repeat_offence(data.repeat_offence);
    let Ok(suggested) = assess(&matrix, &input) else {
        return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput));
    };
    let Ok(chosen) = data.chosen_cell.parse::<LhsoCell>() else {
        return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput));
    };
    let Ok(choice) = choose_cell(suggested.cell, chosen, data.deviation_reason.as_deref()) else {
        return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput));
    };
    let advice = if choice.deviated {
        match assess(&matrix, &AssessmentInput::direct(chosen)) {
            Ok(advice) => advice,
            Err(_) => return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput)),
        }
    } else {
        suggested.clone()
    };

    let current = db::violations::violation_version(tx, &id).await?;
    step!(base_check(
        ctx,
        Write::Upsert,
        current,
        EntityKind::Violation
    ));
    let version = current.map_or(1, |c| c + 1);
    // What was violated, from the checklist version the inspection pinned.
    let item = match (
        inspection.template_id.as_deref(),
        inspection.template_version,
    ) {
        (Some(template_id), Some(template_version)) => {
            db::checklists::version(&mut **tx, &visit.agency_id, template_id, template_version)
                .await?
                .and_then(|body| serde_json::from_str::<ChecklistTemplate>(&body).ok())
                .and_then(|t| t.item(&finding.item_id).cloned())
        }
        _ => None,
    };
    let Some(item) = item else {
        return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
    };
    let theme = serde_json::to_value(item.theme)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    // The intervention the inspector chose; an older app sends none, and then the matrix's first
    // is recorded as not chosen.
    let (intervention, chosen_by_inspector, intervention_reason) =
        match data.intervention.as_deref() {
            Some(code) => match choose_intervention(
                &advice.interventions,
                code,
                data.intervention_reason.as_deref(),
            ) {
                Ok(choice) => (choice.intervention, true, choice.reason),
                Err(_) => return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput)),
            },
            None => (
                advice
                    .interventions
                    .first()
                    .copied()
                    .unwrap_or(Intervention::Inform),
                false,
                None,
            ),
        };
    let Ok(remedy_deadline) = choose_remedy_deadline(
        data.inspection_date,
        advice.remedy_days,
        data.remedy_deadline,
    ) else {
        return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput));
    };
    if [&data.intervention_reason, &data.repeat_offence_reason]
        .into_iter()
        .flatten()
        .any(|t| !t.trim().is_empty() && !valid_note_text(t))
    {
        return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput));
    }
    let old_version = current;
    db::violations::write_violation(
        tx,
        &db::violations::ViolationWrite {
            id: &id,
            inspection_id: &inspection.id,
            site_id: &visit.site_id,
            visit_id: &visit.id,
            theme: &theme,
            description: &item.text,
            rule_ref: &item.rule.citation,
            consequence: i64::from(choice.chosen.consequence.digit()),
            behaviour: choice.chosen.behaviour.letter().to_string(),
            cell: choice.chosen.to_string(),
            suggested_cell: suggested.cell.to_string(),
            deviation_reason: choice.reason.as_deref(),
            matrix_version: matrix.version(),
            repeat_offence: data.repeat_offence,
            repeat_offence_reason: data
                .repeat_offence_reason
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty()),
            intervention: intervention.as_str(),
            intervention_chosen: chosen_by_inspector,
            intervention_reason: intervention_reason.as_deref(),
            boa_consultation: advice.boa_consultation,
            boa_consulted: data.boa_consulted,
            remedy_deadline: remedy_deadline.map(|d| d.to_string()),
            version,
        },
    )
    .await?;
    let case = crate::enforcement::on_assessed(
        tx,
        &crate::enforcement::Assessed {
            violation_id: &id,
            agency_id: &visit.agency_id,
            authority_id: &visit.authority_id,
            site_id: &visit.site_id,
            inspector_id: &visit.inspector_id,
            found_on: data.inspection_date,
            cell: &choice.chosen.to_string(),
            intervention,
            remedy_deadline,
        },
        &ctx.user_id(),
    )
    .await?;
    if let Some(case) = case {
        ctx.defer_case(&visit, &case, None);
    }
    ctx.finish(tx, &visit, EntityKind::Violation, old_version, version)
        .await
}
