//! The annual report (Omgevingsbesluit art. 13.11): the realisation of the year's execution
//! programme, its compliance, LHSO and enforcement figures, in Dutch sentences generated from the
//! data (`shared::report::summary`), with charts. One computation (`shared::report::realisation`),
//! several renderings: `html` (a standalone, printable page with vector charts), `csv` (the
//! figures for Dutch spreadsheet software), `xlsx` (a workbook with a sheet per table) and `pdf`
//! (a paginated document with contents and page numbers).

pub mod csv;
pub mod html;
pub mod pdf;
pub mod xlsx;

use shared::report::{self, Realisation, Volume};

/// What a rendering needs: the figures and whose they are.
pub struct AnnualReport {
    pub agency: String,
    /// The authority the report is limited to; `None` for the whole region.
    pub authority: Option<String>,
    pub realisation: Realisation,
}

/// A row of planned against realised work: (label, planned, realised).
pub type VolumeRow = (String, Volume, Volume);

impl AnnualReport {
    pub fn authority_rows(&self) -> Vec<VolumeRow> {
        let r = &self.realisation;
        r.by_authority
            .iter()
            .map(|a| (a.name.clone(), a.planned, a.realised))
            .collect()
    }

    /// Products of the programme, then the inspections no line covers.
    pub fn product_rows(&self) -> Vec<VolumeRow> {
        let r = &self.realisation;
        r.by_product
            .iter()
            .map(|p| {
                let name = p.product.as_deref().unwrap_or(report::task_group_nl(None));
                (name.to_owned(), p.planned, p.realised)
            })
            .collect()
    }

    pub fn task_group_rows(&self) -> Vec<VolumeRow> {
        let r = &self.realisation;
        r.by_task_group
            .iter()
            .map(|t| {
                let name = report::task_group_nl(t.task_group.as_deref());
                (name.to_owned(), t.planned, t.realised)
            })
            .collect()
    }

    /// The focus points as table rows of text: title, indicator, target, value, verdict, planned
    /// and realised count.
    pub fn focus_point_rows(&self) -> Vec<[String; 7]> {
        use shared::nl::{decimal, grouped};
        self.realisation
            .by_focus_point
            .iter()
            .map(|f| {
                [
                    f.title.clone(),
                    f.measure.label_nl().to_owned(),
                    report::target_nl(f.target_percent),
                    f.value_percent
                        .map_or("-".to_owned(), |v| format!("{} %", decimal(v, 1))),
                    match f.met {
                        Some(true) => "gehaald",
                        Some(false) => "niet gehaald",
                        None => "nog niet te meten",
                    }
                    .to_owned(),
                    grouped(f.planned.count as f64, 0),
                    grouped(f.realised.count as f64, 0),
                ]
            })
            .collect()
    }

    /// "Omgevingsdienst Achterhoek" or "Omgevingsdienst Achterhoek, Aalten".
    pub fn subject(&self) -> String {
        match &self.authority {
            Some(a) => format!("{}, {a}", self.agency),
            None => self.agency.clone(),
        }
    }
}

/// The column heads of the focus point table.
pub const FOCUS_HEADER: [&str; 7] = [
    "Speerpunt",
    "Indicator",
    "Doel",
    "Gemeten",
    "Oordeel",
    "Gepland",
    "Uitgevoerd",
];

/// The file formats of the annual report that are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Csv,
    Xlsx,
    Pdf,
}

impl Format {
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext {
            "html" => Some(Format::Html),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }

    pub fn render(self, report: &AnnualReport) -> anyhow::Result<Vec<u8>> {
        Ok(match self {
            Format::Html => html::render(report).into_bytes(),
            Format::Csv => csv::render(report),
            Format::Xlsx => xlsx::render(report)?,
            Format::Pdf => pdf::render(report)?,
        })
    }
}

/// `2025.html` -> (2025, Html); anything else -> `None`.
pub fn parse_file_name(name: &str) -> Option<(i32, Format)> {
    let (year, ext) = name.split_once('.')?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((year.parse().ok()?, Format::from_extension(ext)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_name_a_year_and_a_served_format() {
        assert_eq!(parse_file_name("2025.html"), Some((2025, Format::Html)));
        assert_eq!(parse_file_name("2025.csv"), Some((2025, Format::Csv)));
        assert_eq!(parse_file_name("2025.xlsx"), Some((2025, Format::Xlsx)));
        assert_eq!(parse_file_name("2025.pdf"), Some((2025, Format::Pdf)));
        for bad in [
            "2025",
            "2025.",
            "2025.doc",
            "25.csv",
            "+202.csv",
            "2025.csv.gz",
            "twee.html",
            "",
        ] {
            assert_eq!(parse_file_name(bad), None, "{bad}");
        }
    }
}
