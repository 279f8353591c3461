//! The annual report's figures as CSV for Dutch spreadsheet software: UTF-8 with a byte-order
//! mark (so Excel reads the accents), `;` between fields, a decimal comma, CRLF line ends, and one
//! tidy table (`Tabel;Onderdeel;Kengetal;Waarde;Eenheid`), so every figure is one row that filters
//! and pivots. Counts are written without a thousands separator so they stay numbers.

use shared::nl::decimal;
use shared::report::Volume;

use super::AnnualReport;

const HEADER: [&str; 5] = ["Tabel", "Onderdeel", "Kengetal", "Waarde", "Eenheid"];

struct Sheet {
    out: String,
}

impl Sheet {
    fn row(&mut self, fields: [&str; 5]) {
        let line: Vec<String> = fields.iter().map(|f| quote(f)).collect();
        self.out.push_str(&line.join(";"));
        self.out.push_str("\r\n");
    }

    fn count(&mut self, table: &str, part: &str, figure: &str, n: i64, unit: &str) {
        self.row([table, part, figure, &n.to_string(), unit]);
    }

    fn number(&mut self, table: &str, part: &str, figure: &str, v: f64, unit: &str) {
        self.row([table, part, figure, &decimal(v, 1), unit]);
    }

    fn euros(&mut self, table: &str, part: &str, cents: i64) {
        self.row([
            table,
            part,
            "Bedrag",
            &decimal(cents as f64 / 100.0, 2),
            "euro",
        ]);
    }

    fn percent(&mut self, table: &str, part: &str, figure: &str, v: Option<f64>) {
        let value = v.map_or(String::new(), |v| decimal(v, 1));
        self.row([table, part, figure, &value, "%"]);
    }

    fn volumes(&mut self, table: &str, part: &str, planned: Volume, realised: Volume) {
        self.count(table, part, "Gepland aantal", planned.count, "controles");
        self.count(
            table,
            part,
            "Uitgevoerd aantal",
            realised.count,
            "controles",
        );
        self.number(table, part, "Gepland uren", planned.hours, "uur");
        self.number(table, part, "Uitgevoerd uren", realised.hours, "uur");
    }
}

/// A field quoted when it holds a separator, a quote or a line break (RFC 4180).
fn quote(field: &str) -> String {
    if field.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

pub fn render(report: &AnnualReport) -> Vec<u8> {
    let r = &report.realisation;
    let mut s = Sheet { out: String::new() };
    s.row(HEADER);
    let whole = report.subject();
    s.volumes("Realisatie", &whole, r.planned, r.realised);
    if let Some(f) = r.forecast {
        s.count(
            "Realisatie",
            &whole,
            "Prognose aantal",
            f.count,
            "controles",
        );
    }
    for a in &r.by_authority {
        s.volumes("Per bevoegd gezag", &a.name, a.planned, a.realised);
    }
    for p in &r.by_product {
        let name = p.product.as_deref().unwrap_or("Buiten het programma");
        s.volumes("Per product", name, p.planned, p.realised);
    }
    for t in &r.by_task_group {
        let name = shared::report::task_group_nl(t.task_group.as_deref());
        s.volumes("Per taakveld", name, t.planned, t.realised);
    }
    for fp in &r.by_focus_point {
        s.percent(
            "Speerpunten",
            &fp.title,
            "Streefwaarde",
            Some(fp.target_percent),
        );
        s.percent(
            "Speerpunten",
            &fp.title,
            fp.measure.label_nl(),
            fp.value_percent,
        );
        s.volumes("Speerpunten", &fp.title, fp.planned, fp.realised);
    }
    for p in &r.progress {
        let month = format!("{:02}", p.month);
        s.number(
            "Voortgang",
            &month,
            "Gepland cumulatief",
            p.planned,
            "controles",
        );
        if let Some(n) = p.realised {
            s.count("Voortgang", &month, "Uitgevoerd cumulatief", n, "controles");
        }
    }
    let c = &r.compliance;
    s.count(
        "Naleving",
        &whole,
        "Eerste controles",
        c.first_inspections,
        "controles",
    );
    s.count(
        "Naleving",
        &whole,
        "Zonder overtreding bij eerste controle",
        c.compliant_at_first,
        "controles",
    );
    s.count(
        "Naleving",
        &whole,
        "In orde na hercontrole",
        c.compliant_after_reinspection,
        "controles",
    );
    s.percent(
        "Naleving",
        &whole,
        "Naleving bij eerste controle",
        c.rate_first,
    );
    s.percent(
        "Naleving",
        &whole,
        "Naleving na hercontrole",
        c.rate_after_reinspection,
    );
    let l = &r.lhso;
    s.count(
        "LHSO",
        &whole,
        "Overtredingen",
        l.violations,
        "overtredingen",
    );
    s.count(
        "LHSO",
        &whole,
        "Controles met overtredingen",
        l.inspections_with_violations,
        "controles",
    );
    s.percent("LHSO", &whole, "Recidive", l.repeat_offence_rate);
    s.percent(
        "LHSO",
        &whole,
        "Afwijking van de voorgestelde cel",
        l.deviation_rate,
    );
    s.percent("LHSO", &whole, "BOA-aandeel", l.boa_share);
    for c in &l.all_violations {
        s.count(
            "LHSO alle overtredingen",
            &c.cell.to_string(),
            "Aantal",
            c.count,
            "overtredingen",
        );
    }
    for c in &l.heaviest_per_inspection {
        s.count(
            "LHSO zwaarste per controle",
            &c.cell.to_string(),
            "Aantal",
            c.count,
            "controles",
        );
    }
    for i in &r.interventions {
        s.count(
            "Interventies",
            i.intervention.as_str(),
            "Aantal",
            i.count,
            "overtredingen",
        );
    }
    let p = &r.penalties;
    s.count(
        "Dwangsommen",
        "Verbeurd",
        "Aantal",
        p.forfeited_count,
        "zaken",
    );
    s.euros("Dwangsommen", "Verbeurd", p.forfeited_cents);
    s.count(
        "Dwangsommen",
        "Ingevorderd",
        "Aantal",
        p.collected_count,
        "zaken",
    );
    s.euros("Dwangsommen", "Ingevorderd", p.collected_cents);
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(s.out.into_bytes());
    bytes
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn fields_with_separators_or_quotes_are_quoted() {
        assert_eq!(quote("Aalten"), "Aalten");
        assert_eq!(quote("Bodem; lucht"), "\"Bodem; lucht\"");
        assert_eq!(quote("de \"grote\" garage"), "\"de \"\"grote\"\" garage\"");
    }
}
