//! `/kantoor/beoordelen` (team lead, manager): the review loop of API.md "Review". The list shows
//! the finished visits that need a second look with the reasons (`shared::review`'s rules), oldest
//! first; `/kantoor/beoordelen/{id}` opens one visit with everything the inspector recorded (the
//! checklist answers, the LHSO assessments with the suggested cell and the chosen intervention,
//! photos, notes) and its review history, and approves it or returns it with a comment. A returned
//! visit reaches the inspector's tablet at its next sync.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use shared::checklist::{Answer, ChecklistTemplate};
use shared::review::{ReviewDecision, ReviewItem, ReviewList, ReviewRequest, ReviewStep};
use shared::sync::{FeedFinding, FeedPhoto, FeedViolation};
use shared::visit::VisitDetail;
use shared::Role;

use app::api;
use app::pages::guard::RequireRole;
use app::session::use_session;
use app::{strings, util};

const TITLE: &str = "Beoordelen";
const INTRO: &str = "Afgeronde bezoeken die een tweede blik nodig hebben, het langst wachtende eerst. Open een bezoek om het goed te keuren of met een opmerking terug te sturen naar de inspecteur.";
const NONE_WAITING: &str = "Er wachten geen bezoeken op beoordeling.";
const VISIT: &str = "Bezoek";
const INSPECTOR: &str = "Inspecteur";
const FINISHED: &str = "Afgerond";
const REASONS: &str = "Waarom op de lijst";
const BACK: &str = "‹ Terug naar de lijst";
const FINDINGS: &str = "Bevindingen";
const NO_FINDINGS: &str = "Geen antwoorden vastgelegd.";
const ITEM: &str = "Controlepunt";
const ANSWER: &str = "Antwoord";
const NOTE: &str = "Toelichting";
const VIOLATION: &str = "Overtreding";
const ASSESSMENT: &str = "LHSO-beoordeling";
const CELL: &str = "Cel";
const SUGGESTED: &str = "voorgesteld";
const DEVIATION: &str = "Reden van afwijken";
const INTERVENTION: &str = "Interventie";
const INTERVENTION_REASON: &str = "Reden van de keuze";
const NOT_CHOSEN: &str = "(niet gekozen op de tablet: de eerste van de matrix)";
const BOA: &str = "BOA/OM-advies";
const BOA_CONSULTED: &str = "overlegd";
const BOA_NOT_CONSULTED: &str = "niet overlegd";
const DEADLINE: &str = "Hersteltermijn tot";
const REPEAT: &str = "Herhaalde overtreding";
const PHOTOS: &str = "Foto's";
const PHOTO: &str = "Foto";
const NO_PHOTOS: &str = "Geen foto's.";
const PHOTO_FAILED: &str = "Foto niet te laden.";
const NOTES: &str = "Notities";
const HISTORY: &str = "Beoordelingen";
const NO_HISTORY: &str = "Nog niet beoordeeld.";
const APPROVED: &str = "Goedgekeurd";
const RETURNED: &str = "Teruggestuurd";
const DECIDE: &str = "Beoordeling";
const COMMENT: &str = "Opmerking voor de inspecteur (verplicht bij terugsturen)";
const APPROVE: &str = "Goedkeuren";
const RETURN: &str = "Terugsturen naar de inspecteur";
const SENDING: &str = "Bezig…";
const COMMENT_NEEDED: &str = "Schrijf bij terugsturen wat de inspecteur moet aanpassen.";
const CONFIRM_RETURN: &str =
    "Het bezoek gaat terug naar de tablet van de inspecteur, met uw opmerking. Doorgaan?";
const NOT_FINISHED: &str =
    "Dit bezoek is niet afgerond; beoordelen kan pas als de inspecteur het heeft afgerond.";

#[component]
pub fn ReviewListPage() -> impl IntoView {
    view! { <RequireRole role=Role::TeamLead also=Role::Manager><Reviews/></RequireRole> }
}

#[component]
pub fn ReviewVisitPage() -> impl IntoView {
    view! { <RequireRole role=Role::TeamLead also=Role::Manager><ReviewVisit/></RequireRole> }
}

fn reason_tags(item: &ReviewItem) -> impl IntoView {
    item.reasons
        .iter()
        .map(|r| {
            view! { <span class=format!("tag reason-{}", r.as_str()) data-reason=r.as_str()>{r.label_nl()}</span> }
        })
        .collect_view()
}

#[component]
fn Reviews() -> impl IntoView {
    let session = use_session();
    let data = LocalResource::new(move || {
        let token = session.token();
        async move {
            api::get::<ReviewList>("/api/v1/reviews", token.as_deref())
                .await
                .map_err(|e| e.user_message())
        }
    });
    view! {
        <section class="review" data-testid="review-list">
            <h1>{TITLE}</h1>
            <p class="muted">{INTRO}</p>
            {move || match data.get() {
                None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(list)) if list.reviews.is_empty() => view! { <p class="muted">{NONE_WAITING}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="figures reviews">
                        <thead><tr>
                            <th scope="col">{VISIT}</th><th scope="col">{INSPECTOR}</th>
                            <th scope="col">{FINISHED}</th><th scope="col">{REASONS}</th>
                        </tr></thead>
                        <tbody>
                            {list.reviews.into_iter().map(|item| view! {
                                <tr data-testid="review-item" data-visit-id=item.visit_id.clone()>
                                    <td>
                                        <a href=format!("/kantoor/beoordelen/{}", item.visit_id)>{item.site.name.clone()}</a>
                                        <br/><span class="muted">{item.site.address.clone()}</span>
                                    </td>
                                    <td>{item.inspector_name.clone()}</td>
                                    <td>{util::short_time(&item.finished_at)}</td>
                                    <td><div class="tags">{reason_tags(&item)}</div></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}

/// Everything the review page shows of one visit.
#[derive(Clone)]
struct Loaded {
    detail: VisitDetail,
    /// The entry on the review list, when the visit is on it (reasons, inspector's name).
    item: Option<ReviewItem>,
    template: Option<ChecklistTemplate>,
}

async fn load(id: String, token: Option<String>) -> Result<Loaded, String> {
    let token = token.as_deref();
    let detail: VisitDetail = api::get(&format!("/api/v1/visits/{id}"), token)
        .await
        .map_err(|e| e.user_message())?;
    let list: ReviewList = api::get("/api/v1/reviews", token)
        .await
        .map_err(|e| e.user_message())?;
    let item = list.reviews.into_iter().find(|r| r.visit_id == id);
    // The checklist the inspection pinned: the item texts the answers belong to.
    let template = match (
        &detail.progress.template_id,
        detail.progress.template_version,
    ) {
        (Some(t), Some(v)) => api::get(&format!("/api/v1/checklists/{t}/versions/{v}"), token)
            .await
            .ok(),
        _ => None,
    };
    Ok(Loaded {
        detail,
        item,
        template,
    })
}

#[component]
fn ReviewVisit() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let refresh = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        refresh.track();
        let id = params.with(|p| p.get("id").unwrap_or_default());
        let token = session.token();
        load(id, token)
    });
    view! {
        <section class="review" data-testid="review-visit">
            <p><a href="/kantoor/beoordelen" class="back">{BACK}</a></p>
            {move || match data.get() {
                None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(loaded)) => view! { <VisitReview loaded=loaded refresh=refresh/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn VisitReview(loaded: Loaded, refresh: RwSignal<u32>) -> impl IntoView {
    let Loaded {
        detail,
        item,
        template,
    } = loaded;
    let v = &detail.visit;
    let on_site = detail
        .progress
        .on_site
        .map(|o| strings::on_site(o, None))
        .unwrap_or_default();
    let times = [
        detail
            .progress
            .started_at
            .as_deref()
            .map(|t| format!("{} {}", strings::STARTED_AT, util::short_time(t))),
        detail
            .progress
            .finished_at
            .as_deref()
            .map(|t| format!("{} {}", strings::FINISHED_AT, util::short_time(t))),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let reviewable = v.status == shared::visit::VisitStatus::Done;
    view! {
        <h1>{v.site.name.clone()}</h1>
        <p class="address">{v.site.address.clone()}</p>
        <div class="tags">
            <span class=format!("tag status-{}", v.status.as_str()) data-testid="review-status">{strings::status_label(v.status)}</span>
            {item.as_ref().map(reason_tags)}
        </div>
        <p class="muted">
            {item.as_ref().map(|i| format!("{INSPECTOR}: {} · ", i.inspector_name))}
            {times}{(!on_site.is_empty()).then(|| format!(" · {on_site}"))}
        </p>
        <Findings findings=detail.findings.clone() violations=detail.violations.clone()
            photos=detail.photos.clone() template=template visit_id=v.id/>
        <Photos photos=detail.photos.iter().filter(|p| p.finding_id.is_none()).cloned().collect() visit_id=v.id title=PHOTOS/>
        <section class="card">
            <h2>{NOTES}</h2>
            {detail.notes.is_empty().then(|| view! { <p class="muted">"–"</p> })}
            <ul class="notes">
                {detail.notes.iter().map(|n| view! {
                    <li><span class="muted">{format!("{} · {}", n.author_name, util::short_time(&n.created_at))}</span>" "{n.text.clone()}</li>
                }).collect_view()}
            </ul>
        </section>
        <History steps=detail.reviews.clone()/>
        {if reviewable {
            view! { <Decide visit_id=v.id refresh=refresh/> }.into_any()
        } else {
            view! { <p class="muted" data-testid="review-not-finished">{NOT_FINISHED}</p> }.into_any()
        }}
    }
}

fn answer_text(answer: &Answer) -> String {
    match answer {
        Answer::Yes => strings::YES.to_owned(),
        Answer::No => strings::NO.to_owned(),
        Answer::NotApplicable => strings::NOT_APPLICABLE.to_owned(),
        Answer::Number(n) => util::number_nl(*n, 2),
        Answer::Text(t) => t.clone(),
        Answer::Photo(_) => PHOTO.to_owned(),
    }
}

#[component]
fn Findings(
    findings: Vec<FeedFinding>,
    violations: Vec<FeedViolation>,
    photos: Vec<FeedPhoto>,
    template: Option<ChecklistTemplate>,
    visit_id: Uuid,
) -> impl IntoView {
    let texts: HashMap<String, String> = template
        .map(|t| t.items.into_iter().map(|i| (i.id, i.text)).collect())
        .unwrap_or_default();
    // Violations first: they are what the review is about.
    let mut findings = findings;
    findings.sort_by_key(|f| !f.is_violation);
    let empty = findings.is_empty();
    view! {
        <section class="card">
            <h2>{FINDINGS}</h2>
            {empty.then(|| view! { <p class="muted">{NO_FINDINGS}</p> })}
            <ul class="findings">
                {findings.into_iter().map(|f| {
                    let text = texts.get(&f.item_id).cloned().unwrap_or_else(|| f.item_id.clone());
                    let assessment = violations.iter().find(|v| v.id == f.id).cloned();
                    let own: Vec<FeedPhoto> = photos.iter().filter(|p| p.finding_id == Some(f.id)).cloned().collect();
                    view! {
                        <li class=if f.is_violation { "finding violation" } else { "finding" } data-testid="review-finding">
                            <p><strong>{ITEM}": "</strong>{text}</p>
                            <p>{ANSWER}": "<strong>{answer_text(&f.answer)}</strong>
                                {f.is_violation.then(|| view! { " " <span class="tag violation">{VIOLATION}</span> })}</p>
                            {f.note.clone().map(|n| view! { <p>{NOTE}": "{n}</p> })}
                            {assessment.map(|a| view! { <Assessment a=a/> })}
                            {(!own.is_empty()).then(|| view! { <Photos photos=own visit_id=visit_id title=PHOTOS/> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Assessment(a: FeedViolation) -> impl IntoView {
    let deviates = a.cell != a.suggested_cell;
    let boa = a.boa_consultation.then(|| {
        let done = match a.boa_consulted {
            Some(true) => BOA_CONSULTED,
            _ => BOA_NOT_CONSULTED,
        };
        format!("{BOA}: {done}")
    });
    view! {
        <dl class="assessment" data-testid="review-assessment" data-cell=a.cell.clone()>
            <dt>{ASSESSMENT}</dt>
            <dd>{CELL}" "<strong>{a.cell.clone()}</strong>
                {deviates.then(|| view! { " " <span class="tag reason-deviation">{format!("{SUGGESTED}: {}", a.suggested_cell)}</span> })}
                {(!deviates).then(|| format!(" ({SUGGESTED})"))}
                {a.repeat_offence.then(|| view! { " " <span class="tag">{REPEAT}</span> })}
            </dd>
            {a.deviation_reason.clone().map(|r| view! { <dt>{DEVIATION}</dt><dd>{r}</dd> })}
            <dt>{INTERVENTION}</dt>
            <dd><strong>{strings::intervention_label(a.intervention)}</strong>{(!a.intervention_chosen).then(|| format!(" {NOT_CHOSEN}"))}</dd>
            {a.intervention_reason.clone().map(|r| view! { <dt>{INTERVENTION_REASON}</dt><dd>{r}</dd> })}
            {a.remedy_deadline.map(|d| view! { <dt>{DEADLINE}</dt><dd>{strings::date_nl(d)}</dd> })}
            {boa.map(|b| view! { <dt>{BOA}</dt><dd>{b}</dd> })}
        </dl>
    }
}

/// The photos, fetched with the session's token (an `<img>` cannot send it) as object URLs that
/// are revoked when the page leaves.
#[component]
fn Photos(photos: Vec<FeedPhoto>, visit_id: Uuid, title: &'static str) -> impl IntoView {
    let session = use_session();
    let empty = photos.is_empty();
    view! {
        <section class="card photos">
            <h2>{title}</h2>
            {empty.then(|| view! { <p class="muted">{NO_PHOTOS}</p> })}
            <ul class="photo-grid">
                {photos.into_iter().map(|p| {
                    let url = RwSignal::new(None::<Result<String, ()>>);
                    let path = format!("/api/v1/visits/{visit_id}/photos/{}", p.id);
                    let token = session.token();
                    spawn_local(async move {
                        let answer = crate::fetch::object_url(&path, token.as_deref()).await;
                        url.try_set(Some(answer));
                    });
                    on_cleanup(move || {
                        if let Some(Some(Ok(u))) = url.try_get_untracked() {
                            crate::fetch::revoke(&u);
                        }
                    });
                    let caption = p.captured_at.as_deref().map(util::short_time).unwrap_or_default();
                    let alt = format!("{PHOTO} {caption}");
                    view! {
                        <li data-testid="review-photo">
                            {move || match url.get() {
                                None => view! { <span class="muted">{strings::LOADING}</span> }.into_any(),
                                Some(Err(())) => view! { <span class="error">{PHOTO_FAILED}</span> }.into_any(),
                                Some(Ok(src)) => {
                                    let href = src.clone();
                                    let alt = alt.clone();
                                    view! {
                                        <a href=href target="_blank" rel="noopener">
                                            <img src=src alt=alt loading="lazy"/>
                                        </a>
                                    }.into_any()
                                }
                            }}
                            <span class="muted">{caption}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn History(steps: Vec<ReviewStep>) -> impl IntoView {
    let empty = steps.is_empty();
    view! {
        <section class="card">
            <h2>{HISTORY}</h2>
            {empty.then(|| view! { <p class="muted">{NO_HISTORY}</p> })}
            <ol class="review-steps" data-testid="review-history">
                {steps.into_iter().map(|s| {
                    let label = match s.decision {
                        ReviewDecision::Approve => APPROVED,
                        ReviewDecision::Return => RETURNED,
                    };
                    view! {
                        <li data-decision=s.decision.as_str()>
                            <strong>{label}</strong>" · "{s.by_name.clone()}" · "{util::short_time(&s.at)}
                            {s.comment.clone().map(|c| view! { <p>{c}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn Decide(visit_id: Uuid, refresh: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let comment = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let send = move |decision: ReviewDecision| {
        let text = comment.get_untracked();
        if decision == ReviewDecision::Return {
            if text.trim().is_empty() {
                message.set(Some(COMMENT_NEEDED.to_owned()));
                return;
            }
            let ok = web_sys::window()
                .and_then(|w| w.confirm_with_message(CONFIRM_RETURN).ok())
                .unwrap_or(false);
            if !ok {
                return;
            }
        }
        sending.set(true);
        message.set(None);
        let token = session.token();
        let navigate = navigate.clone();
        spawn_local(async move {
            let body = ReviewRequest {
                decision,
                comment: Some(text).filter(|t| !t.trim().is_empty()),
            };
            let answer: Result<VisitDetail, _> = api::post(
                &format!("/api/v1/visits/{visit_id}/review"),
                &body,
                token.as_deref(),
            )
            .await;
            sending.set(false);
            match answer {
                // Done with this one: back to the list, which no longer shows it.
                Ok(_) => navigate("/kantoor/beoordelen", Default::default()),
                Err(e) => {
                    message.set(Some(e.user_message()));
                    refresh.update(|r| *r += 1);
                }
            }
        });
    };
    let approve = send.clone();
    view! {
        <section class="card decide">
            <h2>{DECIDE}</h2>
            <label for="review-comment">{COMMENT}</label>
            <textarea id="review-comment" data-testid="review-comment" rows="4"
                prop:value=move || comment.get()
                on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
            <Show when=move || message.get().is_some()>
                <p class="error" role="alert" data-testid="review-message">{move || message.get().unwrap_or_default()}</p>
            </Show>
            <div class="actions">
                <button class="primary" data-testid="review-approve" disabled=move || sending.get()
                    on:click=move |_| approve(ReviewDecision::Approve)>
                    {move || if sending.get() { SENDING } else { APPROVE }}
                </button>
                <button class="secondary" data-testid="review-return" disabled=move || sending.get()
                    on:click=move |_| send(ReviewDecision::Return)>
                    {RETURN}
                </button>
            </div>
        </section>
    }
}
