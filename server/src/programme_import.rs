//! Programme import: a year's execution programme from a spreadsheet, as CSV or XLSX
//! (`POST /api/v1/programme/import?year=`).
//!
//! All or nothing, like the site import: every row is checked by `shared::programme::read_import`
//! first; if any is rejected nothing is written and the report lists each rejected row (line,
//! column, Dutch reason). Otherwise every line is upserted on its key (year, product, authority,
//! task group) in one transaction, with one audit entry per created or changed line. Lines of
//! the year that the file does not name are kept: an import adds and corrects, it never deletes.

use std::collections::HashMap;

use shared::programme::{read_import, Cell, Problem, MAX_IMPORT_ROWS};

use crate::audit::{self, AuditEntry};
use crate::db::{self, programme::ProgrammeLineRow, Db};
use crate::import::{ImportReport, Rejection};

/// The two forms a programme arrives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// From the upload's `Content-Type` (parameters such as `charset` ignored).
    pub fn from_content_type(value: &str) -> Option<Format> {
        match value
            .split(';')
            .next()?
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "text/csv" | "application/csv" => Some(Format::Csv),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
                Some(Format::Xlsx)
            }
            _ => None,
        }
    }
}

fn file_problem(reason: impl Into<String>) -> Problem {
    Problem {
        line: 1,
        column: None,
        reason: reason.into(),
    }
}

/// The table of a CSV file (UTF-8, optional BOM, `;` or `,` as in the header line), each row with
/// its line in the file.
fn csv_rows(data: &[u8]) -> Result<Vec<(u64, Vec<Cell>)>, Problem> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(crate::import::detect_delimiter(data))
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut rows = Vec::new();
    let mut lines = crate::import::LineCounter::new(data);
    for record in reader.byte_records() {
        let record = record.map_err(|e| Problem {
            line: e.position().map_or(0, |p| lines.line_of(p.byte())),
            column: None,
            reason: "regel kan niet gelezen worden als CSV".into(),
        })?;
        let line = record.position().map_or(0, |p| lines.line_of(p.byte()));
        let cells = record
            .iter()
            .map(|field| match std::str::from_utf8(field) {
                Ok(t) if t.trim().is_empty() => Ok(Cell::Empty),
                Ok(t) => Ok(Cell::Text(t.to_owned())),
                Err(_) => Err(Problem {
                    line,
                    column: None,
                    reason: "ongeldige tekens: het bestand moet UTF-8 zijn".into(),
                }),
            })
            .collect::<Result<Vec<_>, _>>()?;
        rows.push((line, cells));
    }
    Ok(rows)
}

/// The most a workbook may unpack to: a programme of a few thousand rows is a few megabytes of
/// XML, so anything far larger is refused before it is read (a small upload can unpack to
/// gigabytes).
const MAX_UNPACKED: u64 = 64 * 1024 * 1024;

/// Whether the workbook's parts, as the zip directory declares them, stay within `limit` bytes;
/// the reader is then also held to the declared sizes by the zip crate's checks.
fn unpacked_within(data: &[u8], limit: u64) -> Result<bool, zip::result::ZipError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(data))?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        total = total.saturating_add(archive.by_index_raw(i)?.size());
    }
    Ok(total <= limit)
}

/// The most columns a programme sheet may use (it has seven).
const MAX_COLUMNS: u32 = 50;

/// The table on the first sheet of a workbook; lines are the sheet's row numbers. Cells are read
/// one by one and only those with content are kept: a sheet's declared range can be far larger
/// than its content (a value in A1 and one in XFD1048576 is a few bytes of XML).
fn xlsx_rows(data: &[u8]) -> Result<Vec<(u64, Vec<Cell>)>, Problem> {
    use calamine::{DataRef, Reader, Xlsx};
    let unreadable = || file_problem("het bestand is geen leesbaar Excel-werkboek (XLSX)");
    if !unpacked_within(data, MAX_UNPACKED).map_err(|_| unreadable())? {
        return Err(file_problem(
            "het werkboek is uitgepakt groter dan 64 MB; een programma past ruim in minder",
        ));
    }
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(data)).map_err(|_| unreadable())?;
    let name = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| file_problem("het werkboek heeft geen werkblad"))?;
    let mut reader = workbook
        .worksheet_cells_reader(&name)
        .map_err(|_| unreadable())?;
    let mut rows: std::collections::BTreeMap<u32, Vec<Cell>> = std::collections::BTreeMap::new();
    while let Some(cell) = reader.next_cell().map_err(|_| unreadable())? {
        let value = match cell.get_value() {
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s)
                if !s.trim().is_empty() =>
            {
                Cell::Text(s.clone())
            }
            DataRef::SharedString(s) if !s.trim().is_empty() => Cell::Text((*s).to_owned()),
            DataRef::Float(f) => Cell::Number(*f),
            DataRef::Int(n) => Cell::Number(*n as f64),
            DataRef::Bool(b) => Cell::Text(b.to_string()),
            DataRef::DateTime(d) => Cell::Number(d.as_f64()),
            _ => continue,
        };
        let (row, col) = cell.get_position();
        if col >= MAX_COLUMNS {
            return Err(Problem {
                line: u64::from(row) + 1,
                column: None,
                reason: format!("het werkblad gebruikt meer dan {MAX_COLUMNS} kolommen"),
            });
        }
        // The header and at most MAX_IMPORT_ROWS rows with content.
        if !rows.contains_key(&row) && rows.len() > MAX_IMPORT_ROWS {
            return Err(file_problem(format!(
                "het werkblad heeft meer dan {MAX_IMPORT_ROWS} regels"
            )));
        }
        let cells = rows.entry(row).or_default();
        let at = col as usize;
        if cells.len() <= at {
            cells.resize(at + 1, Cell::Empty);
        }
        cells[at] = value;
    }
    Ok(rows
        .into_iter()
        .map(|(row, cells)| (u64::from(row) + 1, cells))
        .collect())
}

fn rejection(p: Problem) -> Rejection {
    Rejection {
        line: p.line,
        column: p.column,
        reason: p.reason,
    }
}

/// The report of an import stopped because a line changed while it ran: nothing is written.
fn changed_meanwhile(line: u64) -> ImportReport {
    let mut report = ImportReport::default();
    report.reject(Rejection {
        line,
        column: None,
        reason: "deze programmaregel is intussen door iemand anders gewijzigd of toegevoegd; er is niets geïmporteerd, probeer het opnieuw".into(),
    });
    report
}

/// Who imports: the user (none from the command line) and the channel, for the audit trail.
pub struct Importer<'a> {
    pub actor_id: Option<&'a str>,
    pub source: &'a str,
}

/// Checks the whole file and, when every row is good, writes the year's lines.
pub async fn import_programme(
    db: &Db,
    agency_id: &str,
    year: i64,
    importer: Importer<'_>,
    format: Format,
    data: &[u8],
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    // Parsing a workbook is CPU work of up to a few hundred milliseconds: off the async workers.
    let bytes = data.to_vec();
    let table = tokio::task::spawn_blocking(move || match format {
        Format::Csv => csv_rows(&bytes),
        Format::Xlsx => xlsx_rows(&bytes),
    })
    .await?;
    let rows = match table {
        Ok(rows) => rows,
        Err(problem) => {
            report.reject(rejection(problem));
            return Ok(report);
        }
    };
    let mut tx = db.pool.begin().await?;
    let mut authorities = HashMap::new();
    for (id, code, name) in db::programme::authorities(&mut tx, agency_id).await? {
        authorities.insert(code.to_uppercase(), id.clone());
        authorities.insert(name.to_lowercase(), id);
    }
    let sectors: Vec<String> = shared::risk::RiskModel::default_2026()
        .environment
        .sectors
        .into_keys()
        .collect();
    let focus_points: HashMap<String, String> =
        db::programme::focus_points(&db.pool, agency_id, year)
            .await?
            .into_iter()
            .map(|f| (f.title.to_lowercase(), f.id))
            .collect();
    let drafts = match read_import(&rows, &authorities, &sectors, &focus_points) {
        Ok(drafts) => drafts,
        Err(problems) => {
            for p in problems {
                report.reject(rejection(p));
            }
            // Dropping the transaction rolls back: nothing was written.
            return Ok(report);
        }
    };
    report.accepted = drafts.len();

    let existing: HashMap<(String, String, String), ProgrammeLineRow> =
        db::programme::list(&db.pool, agency_id, year, None)
            .await?
            .into_iter()
            .map(|l| {
                (
                    (
                        l.product.to_lowercase(),
                        l.authority_id.clone(),
                        l.task_group.clone(),
                    ),
                    l,
                )
            })
            .collect();
    let mut entries = Vec::new();
    let mut ids = Vec::new();
    for draft in &drafts {
        let key = (
            draft.product.to_lowercase(),
            draft.authority_id.clone(),
            draft.task_group.as_str().to_owned(),
        );
        match existing.get(&key) {
            Some(line) => {
                // Columns the file does not have keep what the line holds.
                let wanted = ProgrammeLineRow {
                    planned_count: draft.planned_count,
                    planned_hours: draft.planned_hours,
                    sector: draft.sector.clone().unwrap_or_else(|| line.sector.clone()),
                    focus_point_id: draft
                        .focus_point_id
                        .clone()
                        .unwrap_or_else(|| line.focus_point_id.clone()),
                    ..line.clone()
                };
                if wanted.planned_count == line.planned_count
                    && wanted.planned_hours == line.planned_hours
                    && wanted.sector == line.sector
                    && wanted.focus_point_id == line.focus_point_id
                {
                    report.unchanged += 1;
                    continue;
                }
                // The version read above: a line changed since (someone editing it in the
                // office, another import) stops the whole import.
                if !db::programme::update_imported(&mut tx, &wanted, line.version).await? {
                    tx.rollback().await?;
                    return Ok(changed_meanwhile(draft.line));
                }
                report.updated += 1;
                ids.push((line.id.clone(), Some(line.version), line.version + 1, draft));
            }
            None => {
                let row = ProgrammeLineRow {
                    id: uuid::Uuid::new_v4().to_string(),
                    agency_id: agency_id.to_owned(),
                    year,
                    product: draft.product.clone(),
                    authority_id: draft.authority_id.clone(),
                    task_group: draft.task_group.as_str().to_owned(),
                    planned_count: draft.planned_count,
                    planned_hours: draft.planned_hours,
                    version: 1,
                    sector: draft.sector.clone().flatten(),
                    focus_point_id: draft.focus_point_id.clone().flatten(),
                };
                if db::programme::insert(&mut tx, &row).await.is_err() {
                    // The same line was added meanwhile (a concurrent import or entry).
                    tx.rollback().await?;
                    return Ok(changed_meanwhile(draft.line));
                }
                report.created += 1;
                ids.push((row.id, None, 1, draft));
            }
        }
    }
    for (id, old_version, new_version, draft) in &ids {
        entries.push(AuditEntry {
            actor_id: importer.actor_id,
            device_id: None,
            action: if old_version.is_some() {
                "programme_line.update"
            } else {
                "programme_line.create"
            },
            entity: "programme_line",
            entity_id: id,
            old_version: *old_version,
            new_version: Some(*new_version),
            details: serde_json::json!({
                "source": importer.source,
                "year": year,
                "line": draft.line,
                "planned_count": draft.planned_count,
                "planned_hours": draft.planned_hours,
            }),
        });
    }
    audit::record_many(&mut tx, &entries).await?;
    tx.commit().await?;
    report.written = true;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_name_the_format() {
        assert_eq!(
            Format::from_content_type("text/csv; charset=utf-8"),
            Some(Format::Csv)
        );
        assert_eq!(
            Format::from_content_type(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
            Some(Format::Xlsx)
        );
        assert_eq!(Format::from_content_type("application/json"), None);
    }

    #[test]
    fn csv_rows_keep_their_lines_and_refuse_bad_bytes() {
        let rows = csv_rows(b"\xEF\xBB\xBFproduct;uren\nA;1,5\n\nB;\n").unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[1],
            (2, vec![Cell::Text("A".into()), Cell::Text("1,5".into())])
        );
        assert_eq!(rows[2], (4, vec![Cell::Text("B".into()), Cell::Empty]));
        assert!(csv_rows(b"product\n\xff\xfe\n").is_err());
        // Windows line ends count the same.
        let crlf = csv_rows(b"a;b\r\nc;d\r\ne;f\r\n").unwrap();
        let lines: Vec<u64> = crlf.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [1, 2, 3]);
    }

    #[test]
    fn a_workbook_written_by_rust_xlsxwriter_reads_back_with_numbers() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "product").unwrap();
        sheet.write_string(0, 1, "uren").unwrap();
        sheet.write_string(1, 0, "Garages").unwrap();
        sheet.write_number(1, 1, 12.5).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let rows = xlsx_rows(&bytes).unwrap();
        assert_eq!(
            rows[1],
            (2, vec![Cell::Text("Garages".into()), Cell::Number(12.5)])
        );
        assert!(xlsx_rows(b"not a zip").is_err());
        // A cell far away costs nothing (only cells with content are kept); a far column is
        // refused.
        let mut far = rust_xlsxwriter::Workbook::new();
        let sheet = far.add_worksheet();
        sheet.write_string(0, 0, "product").unwrap();
        sheet.write_string(1_048_000, 1, "ver weg").unwrap();
        let rows = xlsx_rows(&far.save_to_buffer().unwrap()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[1],
            (1_048_001, vec![Cell::Empty, Cell::Text("ver weg".into())])
        );
        let mut wide = rust_xlsxwriter::Workbook::new();
        wide.add_worksheet().write_string(0, 16_000, "x").unwrap();
        assert!(xlsx_rows(&wide.save_to_buffer().unwrap()).is_err());
        // The declared unpacked size is checked before anything is read.
        assert_eq!(unpacked_within(&bytes, MAX_UNPACKED).ok(), Some(true));
        assert_eq!(unpacked_within(&bytes, 100).ok(), Some(false));
    }
}
