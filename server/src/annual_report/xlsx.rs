//! The annual report's figures as an XLSX workbook: one sheet per table, typed cells (numbers are
//! numbers, with a number format, so sums and charts work; Excel shows them in the reader's locale,
//! with a decimal comma in Dutch), a bold header row and frozen panes.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use shared::report::{self, Volume};

use super::AnnualReport;

struct Formats {
    header: Format,
    count: Format,
    hours: Format,
    percent: Format,
    euro: Format,
}

fn formats() -> Formats {
    Formats {
        header: Format::new().set_bold(),
        count: Format::new().set_num_format("#,##0"),
        hours: Format::new().set_num_format("#,##0.0"),
        percent: Format::new().set_num_format("0.0%"),
        euro: Format::new().set_num_format("€ #,##0.00"),
    }
}

fn sheet<'a>(
    book: &'a mut Workbook,
    name: &str,
    header: &[&str],
    f: &Formats,
) -> Result<&'a mut Worksheet, XlsxError> {
    let ws = book.add_worksheet();
    ws.set_name(name)?;
    for (col, title) in header.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, *title, &f.header)?;
        ws.set_column_width(col as u16, if col == 0 { 34 } else { 16 })?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(ws)
}

/// A share as a fraction (Excel's percent format multiplies by 100); empty when undefined.
fn write_percent(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    f: &Formats,
) -> Result<(), XlsxError> {
    if let Some(v) = v {
        ws.write_number_with_format(row, col, v / 100.0, &f.percent)?;
    }
    Ok(())
}

fn volumes(
    book: &mut Workbook,
    name: &str,
    rows: &[(String, Volume, Volume)],
    f: &Formats,
) -> Result<(), XlsxError> {
    let ws = sheet(
        book,
        name,
        &[
            "",
            "Gepland",
            "Uitgevoerd",
            "Realisatie",
            "Uren gepland",
            "Uren uitgevoerd",
        ],
        f,
    )?;
    for (i, (label, p, r)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, label)?;
        ws.write_number_with_format(row, 1, p.count as f64, &f.count)?;
        ws.write_number_with_format(row, 2, r.count as f64, &f.count)?;
        // The exact share, so the sheet keeps full precision for its own sums.
        if p.count > 0 {
            ws.write_number_with_format(row, 3, r.count as f64 / p.count as f64, &f.percent)?;
        }
        ws.write_number_with_format(row, 4, p.hours, &f.hours)?;
        ws.write_number_with_format(row, 5, r.hours, &f.hours)?;
    }
    Ok(())
}

pub fn render(report: &AnnualReport) -> Result<Vec<u8>, XlsxError> {
    let r = &report.realisation;
    let f = formats();
    let mut book = Workbook::new();

    let ws = sheet(
        &mut book,
        "Samenvatting",
        &[&format!(
            "Jaarverslag toezicht {}, {}",
            r.year,
            report.subject()
        )],
        &f,
    )?;
    ws.set_column_width(0, 120)?;
    for (i, sentence) in report::summary(r).iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, sentence)?;
    }

    let mut total = vec![(report.subject(), r.planned, r.realised)];
    if let Some(fc) = r.forecast {
        total.push(("Prognose eind van het jaar".to_owned(), r.planned, fc));
    }
    volumes(&mut book, "Realisatie", &total, &f)?;
    let authorities = report.authority_rows();
    volumes(&mut book, "Per bevoegd gezag", &authorities, &f)?;
    let products = report.product_rows();
    volumes(&mut book, "Per product", &products, &f)?;
    let groups = report.task_group_rows();
    volumes(&mut book, "Per taakveld", &groups, &f)?;

    let ws = sheet(
        &mut book,
        "Speerpunten",
        &[
            "Speerpunt",
            "Doel",
            "Indicator",
            "Streefwaarde",
            "Gemeten",
            "Gehaald",
            "Gepland",
            "Uitgevoerd",
        ],
        &f,
    )?;
    ws.set_column_width(1, 60)?;
    for (i, fp) in r.by_focus_point.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &fp.title)?;
        ws.write_string(row, 1, &fp.goal)?;
        ws.write_string(row, 2, fp.measure.label_nl())?;
        write_percent(ws, row, 3, Some(fp.target_percent), &f)?;
        write_percent(ws, row, 4, fp.value_percent, &f)?;
        if let Some(met) = fp.met {
            ws.write_boolean(row, 5, met)?;
        }
        ws.write_number_with_format(row, 6, fp.planned.count as f64, &f.count)?;
        ws.write_number_with_format(row, 7, fp.realised.count as f64, &f.count)?;
    }

    let ws = sheet(
        &mut book,
        "Voortgang",
        &["Maand", "Gepland cumulatief", "Uitgevoerd cumulatief"],
        &f,
    )?;
    for p in &r.progress {
        let row = p.month;
        ws.write_number(row, 0, f64::from(p.month))?;
        ws.write_number_with_format(row, 1, p.planned, &f.hours)?;
        if let Some(n) = p.realised {
            ws.write_number_with_format(row, 2, n as f64, &f.count)?;
        }
    }

    let c = &r.compliance;
    let ws = sheet(
        &mut book,
        "Naleving",
        &["Kengetal", "Aantal", "Percentage"],
        &f,
    )?;
    ws.write_string(1, 0, "Eerste controles")?;
    ws.write_number_with_format(1, 1, c.first_inspections as f64, &f.count)?;
    ws.write_string(2, 0, "Naleving bij eerste controle")?;
    ws.write_number_with_format(2, 1, c.compliant_at_first as f64, &f.count)?;
    write_percent(ws, 2, 2, c.rate_first, &f)?;
    ws.write_string(3, 0, "Naleving na hercontrole")?;
    ws.write_number_with_format(3, 1, c.compliant_after_reinspection as f64, &f.count)?;
    write_percent(ws, 3, 2, c.rate_after_reinspection, &f)?;

    let l = &r.lhso;
    let ws = sheet(
        &mut book,
        "LHSO",
        &["Cel", "Alle overtredingen", "Zwaarste per controle"],
        &f,
    )?;
    for (i, (all, heaviest)) in l
        .all_violations
        .iter()
        .zip(&l.heaviest_per_inspection)
        .enumerate()
    {
        let row = i as u32 + 1;
        ws.write_string(row, 0, all.cell.to_string())?;
        ws.write_number_with_format(row, 1, all.count as f64, &f.count)?;
        ws.write_number_with_format(row, 2, heaviest.count as f64, &f.count)?;
    }
    let base = l.all_violations.len() as u32 + 2;
    for (i, (label, count, rate)) in [
        ("Recidive", l.repeat_offences, l.repeat_offence_rate),
        (
            "Afwijking van de voorgestelde cel",
            l.deviations,
            l.deviation_rate,
        ),
        ("BOA-aandeel", l.boa_cells, l.boa_share),
    ]
    .into_iter()
    .enumerate()
    {
        let row = base + i as u32;
        ws.write_string(row, 0, label)?;
        ws.write_number_with_format(row, 1, count as f64, &f.count)?;
        write_percent(ws, row, 2, rate, &f)?;
    }

    let ws = sheet(
        &mut book,
        "Interventies",
        &["Interventie", "Aantal", "Aandeel"],
        &f,
    )?;
    for (i, item) in r.interventions.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, item.intervention.label_nl())?;
        ws.write_number_with_format(row, 1, item.count as f64, &f.count)?;
        write_percent(ws, row, 2, report::percent(item.count, l.violations), &f)?;
    }

    let p = &r.penalties;
    let ws = sheet(&mut book, "Dwangsommen", &["", "Aantal", "Bedrag"], &f)?;
    for (row, (label, count, cents)) in [
        (1, ("Verbeurd", p.forfeited_count, p.forfeited_cents)),
        (2, ("Ingevorderd", p.collected_count, p.collected_cents)),
    ] {
        ws.write_string(row, 0, label)?;
        ws.write_number_with_format(row, 1, count as f64, &f.count)?;
        ws.write_number_with_format(row, 2, cents as f64 / 100.0, &f.euro)?;
    }

    let ws = sheet(&mut book, "Definities", &["Kengetal", "Definitie"], &f)?;
    ws.set_column_width(1, 120)?;
    for (i, (key, text)) in report::definitions().iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, *key)?;
        ws.write_string(i as u32 + 1, 1, *text)?;
    }
    book.save_to_buffer()
}
