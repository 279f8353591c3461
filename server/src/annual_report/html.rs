//! The annual report as one standalone HTML document: title block, contents, numbered sections,
//! the summary in sentences, tables and vector (SVG) charts, and the definitions of every figure.
//! Styled for the screen and for printing (A4, a section per page where it helps); no scripts and
//! nothing loaded from elsewhere, so it can be archived and mailed as it is.

use std::fmt::Write;

use shared::lhso::{Behaviour, Consequence, LhsoCell};
use shared::nl::{decimal, grouped};
use shared::report::{self, CellCount, Volume};

use super::AnnualReport;

const STYLE: &str = "
body { font-family: 'DejaVu Sans', 'Segoe UI', Roboto, sans-serif; color: #111; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
header.title { border-bottom: 6px solid #14532d; padding-bottom: 1rem; margin-bottom: 2rem; }
header.title p { margin: 0.2rem 0; color: #4a4f4a; }
h1 { font-size: 2rem; margin: 0 0 0.5rem; color: #14532d; }
h2 { font-size: 1.35rem; margin-top: 2.5rem; border-bottom: 1px solid #dfe3de; }
nav ol { padding-left: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: 0.75rem 0; font-size: 0.95rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #dfe3de; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.lhso { width: auto; display: inline-table; margin-right: 2rem; }
table.lhso td, table.lhso th { text-align: center; border: 1px solid #dfe3de; width: 3rem; white-space: nowrap; }
.h0 { background: #fff; } .h1 { background: #e6f2ea; } .h2 { background: #b7dcc3; }
.h3 { background: #2f7d4d; color: #fff; } .h4 { background: #14532d; color: #fff; }
.definition { color: #4a4f4a; font-size: 0.9rem; }
svg { width: 100%; height: auto; }
svg text { font-size: 11px; fill: #4a4f4a; }
@page { size: A4; margin: 18mm 16mm; }
@media print { body { margin: 0; max-width: none; } h2 { break-before: page; } nav, header.title { break-after: page; } table, svg { break-inside: avoid; } }
";

/// Text for HTML element content and attribute values.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn pct(part: i64, whole: i64) -> String {
    report::percent(part, whole).map_or("-".to_owned(), |v| format!("{} %", decimal(v, 1)))
}

fn pct_of(v: Option<f64>) -> String {
    v.map_or("-".to_owned(), |v| format!("{} %", decimal(v, 1)))
}

fn definition(key: &str) -> String {
    let text = report::definitions()
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, t)| *t);
    format!("<p class=\"definition\">{}</p>", esc(text))
}

fn volume_table(caption: &str, rows: &[(String, Volume, Volume)]) -> String {
    let mut out = format!(
        "<table><caption>{}</caption><thead><tr><th scope=\"col\"></th><th scope=\"col\" class=\"num\">Gepland</th>\
         <th scope=\"col\" class=\"num\">Uitgevoerd</th><th scope=\"col\" class=\"num\">%</th>\
         <th scope=\"col\" class=\"num\">Uren gepland</th><th scope=\"col\" class=\"num\">Uren uitgevoerd</th></tr></thead><tbody>",
        esc(caption)
    );
    for (name, p, r) in rows {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(name),
            grouped(p.count as f64, 0),
            grouped(r.count as f64, 0),
            pct(r.count, p.count),
            grouped(p.hours, 1),
            grouped(r.hours, 1)
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// Planned and realised counts side by side per row, as horizontal bars.
fn bars(title: &str, rows: &[(String, Volume, Volume)]) -> String {
    let (w, row_h, label_w) = (640.0, 30.0, 190.0);
    let h = row_h * rows.len().max(1) as f64 + 8.0;
    let max = rows
        .iter()
        .map(|(_, p, r)| p.count.max(r.count))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let bar = |n: i64| (w - label_w - 70.0) * n as f64 / max;
    let mut out = format!(
        "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        t = esc(title)
    );
    for (i, (name, p, r)) in rows.iter().enumerate() {
        let top = 4.0 + row_h * i as f64;
        let _ = write!(
            out,
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{name}</text>\
             <rect x=\"{label_w}\" y=\"{y1}\" width=\"{pw:.1}\" height=\"10\" fill=\"#b9bfb9\"/>\
             <rect x=\"{label_w}\" y=\"{y2}\" width=\"{rw:.1}\" height=\"10\" fill=\"#14532d\"/>\
             <text x=\"{vx:.1}\" y=\"{ty}\">{rc} / {pc}</text>",
            lx = label_w - 8.0,
            ty = top + 18.0,
            name = esc(name),
            y1 = top + 3.0,
            y2 = top + 14.0,
            pw = bar(p.count),
            rw = bar(r.count),
            vx = label_w + bar(p.count.max(r.count)) + 6.0,
            rc = grouped(r.count as f64, 0),
            pc = grouped(p.count as f64, 0),
        );
    }
    out.push_str("</svg><p class=\"definition\">Grijs: gepland; groen: uitgevoerd.</p>");
    out
}

/// Cumulative realised count per month against the plan spread over the year.
fn progress(r: &report::Realisation) -> String {
    let (w, h, left, bottom, top) = (640.0, 220.0, 48.0, 26.0, 10.0);
    let max = r
        .progress
        .iter()
        .map(|p| p.planned.max(p.realised.unwrap_or(0) as f64))
        .fold(1.0, f64::max)
        .max(r.forecast.map_or(0.0, |f| f.count as f64));
    let x = |m: f64| left + (w - left - 8.0) * m / 12.0;
    let y = |v: f64| top + (h - top - bottom) * (1.0 - v / max);
    let line = |points: Vec<(f64, f64)>| {
        points
            .into_iter()
            .map(|(m, v)| format!("{:.1},{:.1}", x(m), y(v)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let planned = line(
        std::iter::once((0.0, 0.0))
            .chain(r.progress.iter().map(|p| (f64::from(p.month), p.planned)))
            .collect(),
    );
    let realised = line(report::realised_curve(r));
    let forecast = report::forecast_segment(r).map_or(String::new(), |((m1, v1), (m2, v2))| {
        format!(
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#8a5a00\" stroke-width=\"2\" stroke-dasharray=\"3 3\"/>",
            x(m1), y(v1), x(m2), y(v2)
        )
    });
    let title = format!(
        "Voortgang {}: uitgevoerde controles per maand, cumulatief",
        r.year
    );
    let mut out = format!(
        "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        t = esc(&title)
    );
    for i in 0..=4 {
        let v = max * f64::from(i) / 4.0;
        let _ = write!(
            out,
            "<line x1=\"{left}\" x2=\"{x2}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#dfe3de\"/>\
             <text x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"end\">{label}</text>",
            x2 = w - 8.0,
            yy = y(v),
            tx = left - 6.0,
            ty = y(v) + 4.0,
            label = grouped(v, 0)
        );
    }
    for (i, m) in [
        "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ]
    .iter()
    .enumerate()
    {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"end\">{m}</text>",
            x(i as f64 + 1.0),
            h - 8.0
        );
    }
    let _ = write!(
        out,
        "<polyline points=\"{planned}\" fill=\"none\" stroke=\"#8a8f8a\" stroke-width=\"3\" stroke-dasharray=\"6 4\"/>\
         <polyline points=\"{realised}\" fill=\"none\" stroke=\"#14532d\" stroke-width=\"3\"/>{forecast}</svg>\
         <p class=\"definition\">Grijs gestippeld: het plan, gelijk verdeeld over het jaar; groen: uitgevoerd; bruin gestippeld: de prognose.</p>"
    );
    out
}

fn lhso_grid(caption: &str, cells: &[CellCount]) -> String {
    let total: i64 = cells.iter().map(|c| c.count).sum();
    let max = cells.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    let mut out = format!(
        "<table class=\"lhso\"><caption>{} ({})</caption><thead><tr><th scope=\"col\">Gevolg / gedrag</th>",
        esc(caption),
        grouped(total as f64, 0)
    );
    for b in Behaviour::ALL {
        let _ = write!(out, "<th scope=\"col\">{}</th>", b.letter());
    }
    out.push_str("</tr></thead><tbody>");
    for c in Consequence::ALL.into_iter().rev() {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", c.digit());
        for b in Behaviour::ALL {
            let n = cells
                .iter()
                .find(|x| x.cell == LhsoCell::new(c, b))
                .map_or(0, |x| x.count);
            let level = if n == 0 { 0 } else { 1 + (n * 4 / max).min(3) };
            let _ = write!(out, "<td class=\"h{level}\">{n}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// What the programme contributed to its goals: each focus point's goal, then the table of
/// indicators against their targets.
fn focus_points(report: &AnnualReport) -> String {
    let r = &report.realisation;
    if r.by_focus_point.is_empty() {
        return "<p>Het programma van dit jaar heeft geen speerpunten.</p>".to_owned();
    }
    let mut out = String::new();
    for f in &r.by_focus_point {
        let _ = write!(
            out,
            "<p><strong>{}</strong>{}</p>",
            esc(&f.title),
            if f.goal.is_empty() {
                String::new()
            } else {
                format!(": {}", esc(&f.goal))
            }
        );
    }
    out.push_str("<table><caption>Speerpunten: indicator en doel</caption><thead><tr>");
    for (i, h) in super::FOCUS_HEADER.iter().enumerate() {
        let class = if i >= 2 { " class=\"num\"" } else { "" };
        let _ = write!(out, "<th scope=\"col\"{class}>{h}</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for row in report.focus_point_rows() {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td>",
            esc(&row[0]),
            esc(&row[1])
        );
        for cell in &row[2..] {
            let _ = write!(out, "<td class=\"num\">{}</td>", esc(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out.push_str(&definition("focus_points"));
    out
}

const SECTIONS: [(&str, &str); 7] = [
    ("samenvatting", "Samenvatting"),
    ("realisatie", "Realisatie van het uitvoeringsprogramma"),
    ("speerpunten", "Doelen en speerpunten"),
    ("voortgang", "Voortgang over het jaar"),
    ("naleving", "Naleving"),
    ("overtredingen", "Overtredingen en interventies"),
    ("definities", "Definities"),
];

pub fn render(report: &AnnualReport) -> String {
    let r = &report.realisation;
    let report_rows = (
        report.authority_rows(),
        report.product_rows(),
        report.task_group_rows(),
    );
    let subject = report.subject();
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Jaarverslag toezicht {year}, {subject}</title><style>{STYLE}</style></head><body>\
         <header class=\"title\"><h1>Jaarverslag toezicht {year}</h1><p>{subject}</p>\
         <p>Verslag over de uitvoering van het uitvoeringsprogramma (Omgevingsbesluit artikel 13.11), \
         gegevens tot en met {through}.</p></header>",
        year = r.year,
        subject = esc(&subject),
        through = format_date(r.through),
    );
    out.push_str("<nav aria-label=\"Inhoud\"><h2 id=\"inhoud\">Inhoud</h2><ol>");
    for (id, title) in SECTIONS {
        let _ = write!(out, "<li><a href=\"#{id}\">{title}</a></li>");
    }
    out.push_str("</ol></nav>");

    let mut section = 0;
    let mut heading = |out: &mut String| {
        let (id, title) = SECTIONS[section];
        section += 1;
        let _ = write!(out, "<h2 id=\"{id}\">{section}. {title}</h2>");
    };
    heading(&mut out);
    for sentence in report::summary(r) {
        let _ = write!(out, "<p>{}</p>", esc(&sentence));
    }

    heading(&mut out);
    let authorities = report_rows.0;
    out.push_str(&bars(
        "Gepland en uitgevoerd per bevoegd gezag",
        &authorities,
    ));
    out.push_str(&volume_table("Per bevoegd gezag", &authorities));
    let products = report_rows.1;
    out.push_str(&volume_table("Per product", &products));
    let groups = report_rows.2;
    out.push_str(&volume_table("Per taakveld", &groups));
    out.push_str(&definition("realised"));

    heading(&mut out);
    out.push_str(&focus_points(report));

    heading(&mut out);
    out.push_str(&progress(r));
    if let Some(f) = r.forecast {
        let _ = write!(
            out,
            "<p>Prognose voor het hele jaar: {} controles ({} van het plan).</p>",
            grouped(f.count as f64, 0),
            pct(f.count, r.planned.count)
        );
    }
    out.push_str(&definition("forecast"));

    heading(&mut out);
    let c = &r.compliance;
    let _ = write!(
        out,
        "<table><caption>Naleving</caption><tbody>\
         <tr><th scope=\"row\">Eerste controles</th><td class=\"num\">{}</td></tr>\
         <tr><th scope=\"row\">Naleving bij eerste controle</th><td class=\"num\">{}</td></tr>\
         <tr><th scope=\"row\">Naleving na hercontrole</th><td class=\"num\">{}</td></tr></tbody></table>",
        grouped(c.first_inspections as f64, 0),
        pct_of(c.rate_first),
        pct_of(c.rate_after_reinspection)
    );
    out.push_str(&definition("rate_first"));
    out.push_str(&definition("rate_after_reinspection"));

    heading(&mut out);
    let l = &r.lhso;
    out.push_str(&lhso_grid("Alle overtredingen", &l.all_violations));
    out.push_str(&lhso_grid(
        "Zwaarste per controle",
        &l.heaviest_per_inspection,
    ));
    let _ = write!(
        out,
        "<table><caption>Kengetallen</caption><tbody>\
         <tr><th scope=\"row\">Overtredingen</th><td class=\"num\">{}</td></tr>\
         <tr><th scope=\"row\">Recidive</th><td class=\"num\">{}</td></tr>\
         <tr><th scope=\"row\">Afwijking van de voorgestelde cel</th><td class=\"num\">{}</td></tr>\
         <tr><th scope=\"row\">BOA-aandeel (indicatie {}-{} %)</th><td class=\"num\">{}</td></tr></tbody></table>",
        grouped(l.violations as f64, 0),
        pct_of(l.repeat_offence_rate),
        pct_of(l.deviation_rate),
        report::BOA_INDICATION_PERCENT.0,
        report::BOA_INDICATION_PERCENT.1,
        pct_of(l.boa_share)
    );
    out.push_str("<table><caption>Gekozen interventies</caption><thead><tr><th scope=\"col\">Interventie</th>\
        <th scope=\"col\" class=\"num\">Aantal</th><th scope=\"col\" class=\"num\">Aandeel</th></tr></thead><tbody>");
    for i in &r.interventions {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(i.intervention.label_nl()),
            grouped(i.count as f64, 0),
            pct(i.count, l.violations)
        );
    }
    let p = &r.penalties;
    let _ = write!(
        out,
        "</tbody></table><table><caption>Dwangsommen</caption><thead><tr><th scope=\"col\"></th>\
         <th scope=\"col\" class=\"num\">Aantal</th><th scope=\"col\" class=\"num\">Bedrag</th></tr></thead><tbody>\
         <tr><th scope=\"row\">Verbeurd</th><td class=\"num\">{}</td><td class=\"num\">€ {}</td></tr>\
         <tr><th scope=\"row\">Ingevorderd</th><td class=\"num\">{}</td><td class=\"num\">€ {}</td></tr></tbody></table>",
        p.forfeited_count,
        grouped(p.forfeited_cents as f64 / 100.0, 2),
        p.collected_count,
        grouped(p.collected_cents as f64 / 100.0, 2)
    );

    heading(&mut out);
    out.push_str("<dl>");
    for (_, text) in report::definitions() {
        let (term, body) = text.split_once(": ").unwrap_or(("", text));
        let _ = write!(
            out,
            "<dt><strong>{}</strong></dt><dd>{}</dd>",
            esc(term),
            esc(body)
        );
    }
    out.push_str("</dl></body></html>");
    out
}

fn format_date(d: chrono::NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}
