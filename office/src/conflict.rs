//! A sync conflict as a team lead settles it: what the tablet sent and what the server has now,
//! side by side, field by field with the differences marked, in words a team lead reads (not
//! field names); then keep either version, after a confirmation. Keeping the tablet's version
//! sends `tablet_kept` with the server version shown here, so a server that moved on meanwhile
//! changes nothing.

use leptos::prelude::*;
use serde_json::Value;

use shared::lhso::Intervention;
use shared::team::SyncProblem;

use app::{strings, util};

const FIELD: &str = "Gegeven";
const ON_TABLET: &str = "Op de tablet (niet opgeslagen)";
const ON_SERVER: &str = "Nu op de server";
const VERSION: &str = "versie";
const GONE: &str = "Staat niet meer op de server.";
const SAME: &str = "gelijk";

/// The fields a team lead compares, in this order: (name in the tablet's data, name on the
/// server, Dutch label).
const FIELDS: &[(&str, &str, &str)] = &[
    ("text", "text", "Tekst van de notitie"),
    ("item_id", "item_id", "Controlepunt"),
    ("answer", "answer", "Antwoord"),
    ("note", "note", "Toelichting"),
    ("chosen_cell", "cell", "LHSO-cel"),
    ("deviation_reason", "deviation_reason", "Reden van afwijken"),
    ("intervention", "intervention", "Interventie"),
    (
        "intervention_reason",
        "intervention_reason",
        "Reden van de keuze",
    ),
    ("remedy_deadline", "remedy_deadline", "Hersteltermijn tot"),
    ("started_at", "started_at", "Gestart om"),
    ("finished_at", "finished_at", "Afgerond om"),
    ("hours_spent", "hours_spent", "Bestede uren"),
];

/// A value as a team lead reads it.
fn shown(field: &str, value: Option<&Value>) -> String {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return "–".to_owned();
    };
    match (field, value) {
        ("answer", Value::Object(answer)) => match answer.get("type").and_then(Value::as_str) {
            Some("yes") => strings::YES.to_owned(),
            Some("no") => strings::NO.to_owned(),
            Some("not_applicable") => strings::NOT_APPLICABLE.to_owned(),
            _ => answer
                .get("value")
                .map(|v| shown("", Some(v)))
                .unwrap_or_default(),
        },
        ("intervention", Value::String(code)) => Intervention::parse(code)
            .map(|i| strings::intervention_label(i).to_owned())
            .unwrap_or_else(|| code.clone()),
        ("remedy_deadline", Value::String(day)) => day
            .parse()
            .map(strings::date_nl)
            .unwrap_or_else(|_| day.clone()),
        ("started_at" | "finished_at", Value::String(t)) => util::short_time(t),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Number(n)) => n
            .as_f64()
            .map(|f| util::number_nl(f, 2))
            .unwrap_or_default(),
        (_, Value::Bool(b)) => if *b { strings::YES } else { strings::NO }.to_owned(),
        (_, other) => other.to_string(),
    }
}

/// The rows to compare: every known field the tablet sent or the server has.
fn rows(tablet: &Value, server: Option<&Value>) -> Vec<(&'static str, String, String, bool)> {
    FIELDS
        .iter()
        .filter(|(mine, theirs, _)| {
            tablet.get(*mine).is_some() || server.and_then(|s| s.get(*theirs)).is_some()
        })
        .map(|(mine, theirs, label)| {
            let a = shown(mine, tablet.get(*mine));
            let b = server.map_or_else(String::new, |s| shown(theirs, s.get(*theirs)));
            let differs = server.is_some() && a != b;
            (*label, a, b, differs)
        })
        .collect()
}

/// The server's version of a conflict's entity, as shown (and sent back with `tablet_kept`).
pub fn server_version(p: &SyncProblem) -> Option<i64> {
    p.server.as_ref()?.get("version")?.as_i64()
}

#[component]
pub fn Versions(problem: SyncProblem) -> impl IntoView {
    let version = server_version(&problem);
    let SyncProblem {
        mut detail,
        server,
        user_name,
        ..
    } = problem;
    let tablet = detail
        .get_mut("data")
        .map(Value::take)
        .unwrap_or(Value::Null);
    let rows = rows(&tablet, server.as_ref());
    view! {
        <table class="figures versions" data-testid="conflict-versions">
            <thead><tr>
                <th scope="col">{FIELD}</th>
                <th scope="col">{ON_TABLET}" · "{user_name}</th>
                <th scope="col">{ON_SERVER}{version.map(|v| format!(" ({VERSION} {v})"))}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|(label, a, b, differs)| view! {
                    <tr class=if differs { "differs" } else { "" }>
                        <th scope="row">{label}</th>
                        <td data-testid="version-tablet">{a}</td>
                        <td data-testid="version-server">{b}{(!differs && server.is_some()).then(|| view! { " " <span class="muted">"("{SAME}")"</span> })}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {server.is_none().then(|| view! { <p class="muted">{GONE}</p> })}
    }
}
