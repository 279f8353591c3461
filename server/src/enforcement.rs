//! Enforcement cases on the server: opened by an assessed violation with a remedy deadline,
//! advanced by office steps and re-inspections through the shared machine
//! (`shared::enforcement`), and shown as `EnforcementCase` (site detail, visit detail, feed, the
//! office list). Only this module writes `enforcement_cases`; every write is versioned.

use std::collections::HashMap;

use anyhow::Context;
use chrono::NaiveDate;
use uuid::Uuid;

use shared::enforcement::{
    CaseFile, CaseState, CaseStep, EnforcementCase, EscalationConfig, ProposedStep, Step, StepKind,
};
use shared::lhso::Intervention;
use shared::ErrorCode;

use crate::db::{self, enforcement::CaseRow, enforcement::CaseWrite, enforcement::StepRow, Tx};
use crate::error::{AppError, AppResult};

/// The standard periods of the escalation (the shared defaults; per-authority periods are
/// configuration still to come, DOMAIN: [open]).
pub fn config() -> EscalationConfig {
    EscalationConfig::default()
}

/// What an assessed violation brings to its case.
pub struct Assessed<'a> {
    pub violation_id: &'a str,
    pub agency_id: &'a str,
    pub authority_id: &'a str,
    pub site_id: &'a str,
    pub inspector_id: &'a str,
    pub found_on: NaiveDate,
    pub cell: &'a str,
    pub intervention: Intervention,
    pub remedy_deadline: Option<NaiveDate>,
}

/// A case write: its id and versions, for the feed and the audit trail.
#[derive(Debug, Clone)]
pub struct Written {
    pub case_id: String,
    pub old_version: Option<i64>,
    pub version: i64,
    pub state: CaseState,
}

/// Opens the case of a violation assessed with a remedy deadline (one per violation), or brings
/// an open case that nothing happened to yet up to date with a revised assessment. A case
/// already under way keeps its course: the office decides what a revision means for it.
pub async fn on_assessed(
    tx: &mut Tx<'_>,
    a: &Assessed<'_>,
    actor: &str,
) -> AppResult<Option<Written>> {
    let now = db::now_text();
    match db::enforcement::by_violation(tx, a.violation_id).await? {
        None => {
            let Some(deadline) = a.remedy_deadline else {
                return Ok(None);
            };
            let file = CaseFile::opened(deadline);
            let id = Uuid::new_v4().to_string();
            let (file_json, due) = file_columns(&file)?;
            db::enforcement::insert(
                tx,
                &CaseWrite {
                    id: &id,
                    agency_id: a.agency_id,
                    authority_id: a.authority_id,
                    site_id: a.site_id,
                    violation_id: a.violation_id,
                    inspector_id: Some(a.inspector_id),
                    found_on: &a.found_on.to_string(),
                    cell: a.cell,
                    intervention: a.intervention.as_str(),
                    state: file.state.as_str(),
                    file: &file_json,
                    reinspection_due: due.as_deref(),
                    is_open: true,
                    updated_at: &now,
                },
            )
            .await?;
            db::enforcement::append_step(
                tx,
                &step_row(
                    &id,
                    StepKind::Opened,
                    file.state,
                    a.found_on,
                    Some(actor),
                    &now,
                ),
            )
            .await?;
            Ok(Some(Written {
                case_id: id,
                old_version: None,
                version: 1,
                state: file.state,
            }))
        }
        Some(case) => {
            let mut file = parse_file(&case)?;
            if file.state != CaseState::Open {
                return Ok(None);
            }
            if let Some(deadline) = a.remedy_deadline {
                file.remedy_deadline = Some(deadline);
            }
            let (file_json, due) = file_columns(&file)?;
            let write = CaseWrite {
                cell: a.cell,
                intervention: a.intervention.as_str(),
                file: &file_json,
                reinspection_due: due.as_deref(),
                updated_at: &now,
                ..case_write(&case, &file)
            };
            let version = db::enforcement::update(tx, &write, case.version)
                .await?
                .context("the case changed inside the assessment's transaction")?;
            Ok(Some(Written {
                case_id: case.id,
                old_version: Some(case.version),
                version,
                state: file.state,
            }))
        }
    }
}

/// Why a step was not recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The case is no longer at the base version the step was taken on.
    Stale {
        current: i64,
    },
    Refused(ErrorCode),
}

/// Who takes a step, and with what.
pub struct StepInput<'a> {
    pub step: Step,
    pub on: NaiveDate,
    pub by: &'a str,
    pub base_version: i64,
    pub note: Option<&'a str>,
    pub visit_id: Option<&'a str>,
    pub photo_ids: &'a [Uuid],
}

/// Applies one step through the shared machine and records it; a refused step changes nothing.
pub async fn record_step(
    tx: &mut Tx<'_>,
    case: &CaseRow,
    input: &StepInput<'_>,
) -> AppResult<Result<Written, Refusal>> {
    if case.version != input.base_version {
        return Ok(Err(Refusal::Stale {
            current: case.version,
        }));
    }
    let file = parse_file(case)?;
    let next = match file.apply(input.step, input.on, &config()) {
        Ok(next) => next,
        Err(e) => return Ok(Err(Refusal::Refused(e.code()))),
    };
    let now = db::now_text();
    let (file_json, due) = file_columns(&next)?;
    let write = CaseWrite {
        state: next.state.as_str(),
        file: &file_json,
        reinspection_due: due.as_deref(),
        is_open: next.is_open(),
        updated_at: &now,
        ..case_write(case, &next)
    };
    let Some(version) = db::enforcement::update(tx, &write, input.base_version).await? else {
        return Ok(Err(Refusal::Stale {
            current: case.version,
        }));
    };
    let mut row = step_row(
        &case.id,
        input.step.kind(),
        next.state,
        input.on,
        Some(input.by),
        &now,
    );
    row.note = input
        .note
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    row.amount_cents = step_amount(input.step);
    row.visit_id = input.visit_id.map(str::to_owned);
    row.photo_ids = serde_json::to_string(input.photo_ids).map_err(anyhow::Error::from)?;
    db::enforcement::append_step(tx, &row).await?;
    Ok(Ok(Written {
        case_id: case.id.clone(),
        old_version: Some(case.version),
        version,
        state: next.state,
    }))
}

fn step_amount(step: Step) -> Option<i64> {
    match step {
        Step::DecisionTaken { amount_cents, .. } => amount_cents,
        Step::Forfeited { amount_cents } | Step::Collected { amount_cents } => Some(amount_cents),
        _ => None,
    }
}

fn step_row(
    case_id: &str,
    step: StepKind,
    state: CaseState,
    on: NaiveDate,
    by: Option<&str>,
    at: &str,
) -> StepRow {
    StepRow {
        case_id: case_id.to_owned(),
        seq: 0,
        step: step.as_str().to_owned(),
        state: state.as_str().to_owned(),
        on_date: on.to_string(),
        by_user: by.map(str::to_owned),
        at: at.to_owned(),
        note: None,
        amount_cents: None,
        visit_id: None,
        photo_ids: "[]".to_owned(),
    }
}

/// The unchanged columns of a stored case, for a write that changes some of the others.
fn case_write<'a>(case: &'a CaseRow, file: &CaseFile) -> CaseWrite<'a> {
    CaseWrite {
        id: &case.id,
        agency_id: &case.agency_id,
        authority_id: &case.authority_id,
        site_id: &case.site_id,
        violation_id: &case.violation_id,
        inspector_id: case.inspector_id.as_deref(),
        found_on: &case.found_on,
        cell: &case.cell,
        intervention: &case.intervention,
        state: &case.state,
        file: &case.file,
        reinspection_due: case.reinspection_due.as_deref(),
        is_open: file.is_open(),
        updated_at: "",
    }
}

/// The file as JSON and its re-inspection due date as text.
fn file_columns(file: &CaseFile) -> AppResult<(String, Option<String>)> {
    Ok((
        serde_json::to_string(file).map_err(anyhow::Error::from)?,
        file.reinspection_due().map(|d| d.to_string()),
    ))
}

pub fn parse_file(case: &CaseRow) -> AppResult<CaseFile> {
    serde_json::from_str(&case.file)
        .with_context(|| format!("case {}: unreadable file", case.id))
        .map_err(AppError::from)
}

/// The cases as the API shows them, with their steps and photos (two batched reads), and the
/// step the office is expected to take next as of `today`.
pub async fn views(
    pool: &sqlx::AnyPool,
    rows: Vec<CaseRow>,
    today: NaiveDate,
) -> AppResult<Vec<EnforcementCase>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let violation_ids: Vec<&str> = rows.iter().map(|r| r.violation_id.as_str()).collect();
    let mut steps: HashMap<String, Vec<CaseStep>> = HashMap::new();
    for s in db::enforcement::steps_of(pool, &ids).await? {
        steps
            .entry(s.case_id.clone())
            .or_default()
            .push(step_view(&s)?);
    }
    let mut photos: HashMap<String, Vec<Uuid>> = HashMap::new();
    for (photo, finding) in db::enforcement::photos_of(pool, &violation_ids).await? {
        photos.entry(finding).or_default().push(uuid(&photo)?);
    }
    rows.into_iter()
        .map(|r| {
            let file = parse_file(&r)?;
            let intervention = Intervention::parse(&r.intervention)
                .with_context(|| format!("case {}: intervention {:?}", r.id, r.intervention))?;
            let next = file
                .proposed_next(intervention, today, &config())
                .map(|(step, deadline)| ProposedStep { step, deadline });
            Ok(EnforcementCase {
                id: uuid(&r.id)?,
                violation_id: uuid(&r.violation_id)?,
                site_id: uuid(&r.site_id)?,
                site_name: r.site_name.clone(),
                visit_id: r.visit_id.as_deref().map(uuid).transpose()?,
                inspector_id: r.inspector_id.as_deref().map(uuid).transpose()?,
                found_on: date(&r.found_on)?,
                cell: r.cell.clone(),
                intervention,
                state: file.state,
                open: file.is_open(),
                remedy_deadline: file.remedy_deadline,
                reinspection_due: file.reinspection_due(),
                item_id: r.item_id.clone(),
                description: r.description.clone(),
                rule_ref: r.rule_ref.clone(),
                photo_ids: photos.remove(&r.violation_id).unwrap_or_default(),
                file,
                next,
                steps: steps.remove(&r.id).unwrap_or_default(),
                version: r.version,
            })
        })
        .collect()
}

fn step_view(s: &StepRow) -> AppResult<CaseStep> {
    Ok(CaseStep {
        step: StepKind::parse(&s.step).with_context(|| format!("step {:?}", s.step))?,
        state: CaseState::parse(&s.state).with_context(|| format!("state {:?}", s.state))?,
        on: date(&s.on_date)?,
        by: s.by_user.as_deref().map(uuid).transpose()?,
        at: s.at.clone(),
        note: s.note.clone(),
        amount_cents: s.amount_cents,
    })
}

fn uuid(text: &str) -> AppResult<Uuid> {
    Uuid::parse_str(text)
        .with_context(|| format!("bad id {text:?}"))
        .map_err(AppError::from)
}

fn date(text: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .with_context(|| format!("bad date {text:?}"))
        .map_err(AppError::from)
}
