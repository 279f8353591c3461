//! Site import from a CSV register export, shared by `schouw import-sites` and the admin upload
//! `POST /api/v1/admin/sites/import`.
//!
//! All or nothing: every row is validated first; if any row is rejected nothing is written and the
//! report lists each rejected row (line, column, Dutch reason). Otherwise all rows are upserted on
//! the agency's stable key in one transaction, with one audit entry per created or changed site.
//! Re-importing the same file changes nothing: unchanged rows keep their version.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use shared::coords::{Rd, Wgs84};

use crate::audit::{self, AuditEntry};
use crate::db::seed::SiteRecord;
use crate::db::sites::ImportedSite;
use crate::db::{self, Db};

/// Largest CSV upload through the API: about 130,000 sites of a typical register export.
pub const UPLOAD_LIMIT: usize = 16 * 1024 * 1024;

/// At most this many rejections are listed; `rejected_total` still counts them all.
pub const MAX_LISTED_REJECTIONS: usize = 1000;

/// Where the Netherlands (with its coastal waters and the Wadden islands) lies, in WGS84.
const LAT_RANGE: (f64, f64) = (50.70, 53.70);
const LON_RANGE: (f64, f64) = (3.20, 7.30);

const REQUIRED: [&str; 9] = [
    "key",
    "name",
    "street",
    "house_number",
    "postcode",
    "city",
    "municipality_code",
    "sector",
    "activities",
];
const COORDINATES: [&str; 4] = ["lat", "lon", "x", "y"];

/// The outcome of an import, also the body of the API answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows that passed validation (written only when nothing was rejected).
    pub accepted: usize,
    /// True when the import was committed; false when any row was rejected (then nothing is).
    pub written: bool,
    pub rejected: Vec<Rejection>,
    pub rejected_total: usize,
}

/// One rejected row: its line in the file (the header is line 1), the column, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub line: u64,
    /// The column name as in the header; `None` when the whole row or file is at fault.
    pub column: Option<String>,
    pub reason: String,
}

/// A validated row, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteRow {
    pub line: u64,
    pub key: String,
    pub name: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub authority_id: String,
    pub sector: String,
    pub activities: Vec<String>,
    pub position: Wgs84,
}

/// Who imports: recorded in the audit trail.
#[derive(Debug, Clone, Copy)]
pub struct Importer<'a> {
    pub actor_id: Option<&'a str>,
    /// `cli` or `api`.
    pub source: &'a str,
}

impl ImportReport {
    pub(crate) fn reject(&mut self, rejection: Rejection) {
        self.rejected_total += 1;
        if self.rejected.len() < MAX_LISTED_REJECTIONS {
            self.rejected.push(rejection);
        }
    }

    /// A Dutch summary for the command line.
    pub fn summary_nl(&self) -> String {
        let mut out = String::new();
        if self.written {
            out.push_str(&format!(
                "Import voltooid: {} nieuw, {} gewijzigd, {} ongewijzigd, 0 afgekeurd.\n",
                self.created, self.updated, self.unchanged
            ));
        } else {
            out.push_str(&format!(
                "Niets geïmporteerd: {} {} afgekeurd. Een bestand wordt alleen in zijn geheel \
                 ingelezen; {} goedgekeurde {} zijn daarom ook niet opgeslagen.\n",
                self.rejected_total,
                if self.rejected_total == 1 {
                    "regel"
                } else {
                    "regels"
                },
                self.accepted,
                if self.accepted == 1 {
                    "regel"
                } else {
                    "regels"
                },
            ));
            for r in &self.rejected {
                match &r.column {
                    Some(column) => out.push_str(&format!(
                        "  regel {}, kolom {}: {}\n",
                        r.line, column, r.reason
                    )),
                    None => out.push_str(&format!("  regel {}: {}\n", r.line, r.reason)),
                }
            }
            if self.rejected_total > self.rejected.len() {
                out.push_str(&format!(
                    "  ... en nog {} afgekeurde regels.\n",
                    self.rejected_total - self.rejected.len()
                ));
            }
        }
        out
    }
}

fn rejection(line: u64, column: Option<&str>, reason: impl Into<String>) -> Rejection {
    Rejection {
        line,
        column: column.map(str::to_owned),
        reason: reason.into(),
    }
}

/// `;` when the header line has more semicolons than commas (the Dutch spreadsheet default), else `,`.
pub(crate) fn detect_delimiter(text: &[u8]) -> u8 {
    let header = text.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |d: u8| header.iter().filter(|b| **b == d).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

/// The line in the file where each CSV record starts. The csv crate's own record positions lag
/// behind after a blank line or a `\r\n` line end (a record's position is taken before the
/// previous line end is consumed), so lines are counted here from the byte offsets.
pub(crate) struct LineCounter<'a> {
    data: &'a [u8],
    offset: usize,
    newlines: u64,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        LineCounter {
            data,
            offset: 0,
            newlines: 0,
        }
    }

    /// The 1-based line of the record whose position starts at `byte` (the line ends and blank
    /// lines before its first character skipped). Records come in file order.
    pub(crate) fn line_of(&mut self, byte: u64) -> u64 {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.data.len());
        while start < self.data.len() && matches!(self.data[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.offset {
            self.newlines += self.data[self.offset..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.offset = start;
        }
        self.newlines + 1
    }
}

/// A number as written in a register export: `52.1`, or `52,1` (Dutch decimal comma).
fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let normalised = if text.contains(',') && !text.contains('.') {
        text.replacen(',', ".", 1)
    } else {
        text.to_owned()
    };
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `1234 AB` from `1234AB`, `1234 ab`, ...; `None` unless four digits (not starting with 0) and two
/// letters (PostNL does not use SA, SD and SS).
pub fn normalise_postcode(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let bytes = compact.as_bytes();
    let ok = bytes.len() == 6
        && bytes[0] != b'0'
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4..].iter().all(u8::is_ascii_uppercase)
        && !matches!(&compact[4..], "SA" | "SD" | "SS");
    ok.then(|| format!("{} {}", &compact[..4], &compact[4..]))
}

fn inside_netherlands(p: Wgs84) -> bool {
    (LAT_RANGE.0..=LAT_RANGE.1).contains(&p.lat) && (LON_RANGE.0..=LON_RANGE.1).contains(&p.lon)
}

/// Parses and validates a whole file. `authorities` maps CBS codes (upper case) to authority ids
/// of the importing agency; `sectors` is the known sector vocabulary.
pub fn parse(
    data: &[u8],
    authorities: &HashMap<String, String>,
    sectors: &BTreeMap<String, f64>,
) -> (Vec<SiteRow>, ImportReport) {
    let mut report = ImportReport::default();
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(data))
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut lines = LineCounter::new(data);
    let mut records = reader.byte_records();

    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(_)) | None => {
            report.reject(rejection(
                1,
                None,
                "het bestand heeft geen kopregel met kolomnamen",
            ));
            return (Vec::new(), report);
        }
    };
    let names: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_lowercase())
        .collect();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if !REQUIRED.contains(&name.as_str()) && !COORDINATES.contains(&name.as_str()) {
            report.reject(rejection(
                1,
                Some(name),
                format!(
                    "onbekende kolom; toegestaan zijn {}, en lat+lon of x+y",
                    REQUIRED.join(", ")
                ),
            ));
        } else if index.insert(name.as_str(), i).is_some() {
            report.reject(rejection(1, Some(name), "kolom komt twee keer voor"));
        }
    }
    for required in REQUIRED {
        if !index.contains_key(required) {
            report.reject(rejection(1, Some(required), "verplichte kolom ontbreekt"));
        }
    }
    let has = |c: &str| index.contains_key(c);
    let wgs = has("lat") && has("lon");
    let rd = has("x") && has("y");
    if has("lat") != has("lon") || has("x") != has("y") || !(wgs || rd) {
        report.reject(rejection(
            1,
            None,
            "coördinaten ontbreken: geef de kolommen lat en lon (WGS84) of x en y (RD New)",
        ));
    }
    if report.rejected_total > 0 {
        return (Vec::new(), report);
    }

    let mut rows = Vec::new();
    let mut seen_keys: HashMap<String, u64> = HashMap::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_of(p.byte()));
                report.reject(rejection(
                    line,
                    None,
                    "regel kan niet gelezen worden als CSV",
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_of(p.byte()));
        if record.len() != names.len() {
            report.reject(rejection(
                line,
                None,
                format!(
                    "regel heeft {} velden, de kopregel {}",
                    record.len(),
                    names.len()
                ),
            ));
            continue;
        }
        let mut fields: HashMap<&str, &str> = HashMap::new();
        let mut bad_text = false;
        for (name, i) in &index {
            match std::str::from_utf8(&record[*i]) {
                Ok(v) => {
                    fields.insert(name, v.trim());
                }
                Err(_) => {
                    report.reject(rejection(
                        line,
                        Some(name),
                        "ongeldige tekens: het bestand moet UTF-8 zijn",
                    ));
                    bad_text = true;
                }
            }
        }
        if bad_text {
            continue;
        }
        if let Some(row) = validate_row(line, &fields, authorities, sectors, &mut report) {
            match seen_keys.get(&row.key) {
                Some(first) => report.reject(rejection(
                    line,
                    Some("key"),
                    format!("sleutel {:?} staat ook al op regel {first}", row.key),
                )),
                None => {
                    seen_keys.insert(row.key.clone(), line);
                    rows.push(row);
                }
            }
        }
    }
    report.accepted = rows.len();
    (rows, report)
}

/// Checks one row; every problem is added to the report, `None` when there was any.
fn validate_row(
    line: u64,
    f: &HashMap<&str, &str>,
    authorities: &HashMap<String, String>,
    sectors: &BTreeMap<String, f64>,
    report: &mut ImportReport,
) -> Option<SiteRow> {
    let before = report.rejected_total;
    let get = |c: &str| f.get(c).copied().unwrap_or("");
    let mut text = |column: &str, max: usize, label: &str| -> String {
        let v = get(column);
        if v.is_empty() {
            report.reject(rejection(line, Some(column), format!("{label} is leeg")));
        } else if v.chars().count() > max {
            report.reject(rejection(
                line,
                Some(column),
                format!("{label} is langer dan {max} tekens"),
            ));
        }
        v.to_owned()
    };
    let key = text("key", 100, "sleutel");
    let name = text("name", 200, "naam");
    let street = text("street", 200, "straat");
    let house_number = text("house_number", 20, "huisnummer");
    let city = text("city", 100, "plaats");
    if !house_number.is_empty() && !house_number.starts_with(|c: char| c.is_ascii_digit()) {
        report.reject(rejection(
            line,
            Some("house_number"),
            format!("huisnummer {house_number:?} begint niet met een cijfer"),
        ));
    }

    let postcode = normalise_postcode(get("postcode")).unwrap_or_else(|| {
        report.reject(rejection(
            line,
            Some("postcode"),
            format!(
                "postcode {:?} is ongeldig: verwacht 4 cijfers en 2 letters, bijvoorbeeld 7121 AB",
                get("postcode")
            ),
        ));
        String::new()
    });

    let code = get("municipality_code").to_ascii_uppercase();
    let authority_id = match authorities.get(&code) {
        Some(id) => id.clone(),
        None => {
            report.reject(rejection(
                line,
                Some("municipality_code"),
                if code.is_empty() {
                    "gemeente- of provinciecode is leeg".to_owned()
                } else {
                    format!(
                        "{code:?} is geen gemeente of provincie van deze omgevingsdienst \
                         (verwacht een CBS-code zoals GM0197 of PV25)"
                    )
                },
            ));
            String::new()
        }
    };

    let sector = get("sector").to_ascii_lowercase();
    if !sectors.contains_key(&sector) {
        report.reject(rejection(
            line,
            Some("sector"),
            format!(
                "onbekende sector {:?}; bekend zijn: {}",
                get("sector"),
                sectors.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        ));
    }

    let mut activities: Vec<String> = Vec::new();
    for activity in get("activities").split('|').map(str::trim) {
        if activity.is_empty() {
            continue;
        }
        let well_formed = activity.len() <= 60
            && activity
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !well_formed {
            report.reject(rejection(
                line,
                Some("activities"),
                format!(
                    "activiteit {activity:?} is ongeldig: gebruik codes van kleine letters, cijfers \
                     en _, gescheiden door |"
                ),
            ));
        } else if !activities.iter().any(|a| a == activity) {
            activities.push(activity.to_owned());
        }
    }

    let position = coordinates(line, f, report);

    if report.rejected_total > before {
        return None;
    }
    Some(SiteRow {
        line,
        key,
        name,
        street,
        house_number,
        postcode,
        city,
        authority_id,
        sector,
        activities,
        position: position?,
    })
}

/// lat+lon when given, otherwise x+y converted from RD New; inside the Netherlands either way.
fn coordinates(line: u64, f: &HashMap<&str, &str>, report: &mut ImportReport) -> Option<Wgs84> {
    let given = |c: &str| f.get(c).is_some_and(|v| !v.is_empty());
    let (a, b, rd) = if given("lat") || given("lon") {
        ("lat", "lon", false)
    } else if given("x") || given("y") {
        ("x", "y", true)
    } else {
        report.reject(rejection(
            line,
            None,
            "coördinaten ontbreken: vul lat en lon (WGS84) of x en y (RD New) in",
        ));
        return None;
    };
    let mut number = |c: &str| {
        let raw = f.get(c).copied().unwrap_or("");
        let parsed = parse_number(raw);
        if parsed.is_none() {
            report.reject(rejection(
                line,
                Some(c),
                if raw.is_empty() {
                    format!("{c} is leeg")
                } else {
                    format!("{raw:?} is geen getal")
                },
            ));
        }
        parsed
    };
    let (first, second) = (number(a), number(b));
    let (first, second) = (first?, second?);
    let position = if rd {
        Rd {
            x: first,
            y: second,
        }
        .to_wgs84()
    } else {
        Wgs84 {
            lat: first,
            lon: second,
        }
    };
    if !inside_netherlands(position) {
        report.reject(rejection(
            line,
            Some(a),
            if rd {
                format!("RD-coördinaten ({first}, {second}) liggen buiten Nederland")
            } else {
                format!(
                    "coördinaten ({first}, {second}) liggen buiten Nederland (lat 50,7-53,7; lon 3,2-7,3)"
                )
            },
        ));
        return None;
    }
    Some(position)
}

/// The names of the imported fields that differ between the stored site and the row.
fn changed_fields(old: &ImportedSite, row: &SiteRow) -> Vec<&'static str> {
    let old_activities: Vec<String> = serde_json::from_str(&old.activities).unwrap_or_default();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    [
        ("authority", old.authority_id == row.authority_id),
        ("name", old.name == row.name),
        ("street", old.street == row.street),
        ("house_number", old.house_number == row.house_number),
        ("postcode", old.postcode == row.postcode),
        ("city", old.city == row.city),
        (
            "position",
            close(old.lat, row.position.lat) && close(old.lon, row.position.lon),
        ),
        ("sector", old.sector == row.sector),
        ("activities", old_activities == row.activities),
    ]
    .into_iter()
    .filter(|(_, same)| !same)
    .map(|(name, _)| name)
    .collect()
}

/// Validates `data` and, when every row is accepted, upserts all rows in one transaction.
pub async fn import_sites(
    db: &Db,
    agency_id: &str,
    importer: Importer<'_>,
    data: &[u8],
) -> anyhow::Result<ImportReport> {
    let sectors = shared::risk::RiskModel::default_2026().environment.sectors;
    let mut tx = db.pool.begin().await?;
    let authorities: HashMap<String, String> = db::sites::authority_codes(&mut tx, agency_id)
        .await?
        .into_iter()
        .map(|(id, code)| (code.to_ascii_uppercase(), id))
        .collect();
    let (rows, mut report) = parse(data, &authorities, &sectors);

    let existing: HashMap<String, ImportedSite> = db::sites::for_import(&mut tx, agency_id)
        .await?
        .into_iter()
        .map(|s| (s.external_key.clone(), s))
        .collect();
    let new_keys: Vec<&str> = rows
        .iter()
        .filter(|r| !existing.contains_key(&r.key))
        .map(|r| r.key.as_str())
        .collect();
    let taken: HashSet<String> = db::sites::keys_of_other_agencies(&mut tx, agency_id, &new_keys)
        .await?
        .into_iter()
        .collect();
    for row in rows.iter().filter(|r| taken.contains(&r.key)) {
        report.reject(rejection(
            row.line,
            Some("key"),
            format!(
                "sleutel {:?} is al in gebruik bij een andere omgevingsdienst",
                row.key
            ),
        ));
    }
    if report.rejected_total > 0 {
        report.accepted = rows.len() - taken.len();
        report.rejected.sort_by_key(|r| r.line);
        // Dropping the transaction rolls back: nothing was written.
        return Ok(report);
    }

    let mut inserts = Vec::new();
    let mut updates: Vec<(ImportedSite, i64, Vec<&'static str>, &str)> = Vec::new();
    for row in &rows {
        let activities_json = serde_json::to_string(&row.activities)?;
        match existing.get(&row.key) {
            None => inserts.push(SiteRecord {
                id: uuid::Uuid::new_v4().to_string(),
                agency_id: agency_id.to_owned(),
                authority_id: row.authority_id.clone(),
                external_key: row.key.clone(),
                name: row.name.clone(),
                street: row.street.clone(),
                house_number: row.house_number.clone(),
                postcode: row.postcode.clone(),
                city: row.city.clone(),
                lat: row.position.lat,
                lon: row.position.lon,
                sector: row.sector.clone(),
                activities_json,
                surroundings_json: "[]".to_owned(),
                attributes_json: "{}".to_owned(),
            }),
            Some(old) => {
                let changed = changed_fields(old, row);
                if changed.is_empty() {
                    report.unchanged += 1;
                    continue;
                }
                let new = ImportedSite {
                    id: old.id.clone(),
                    external_key: row.key.clone(),
                    authority_id: row.authority_id.clone(),
                    name: row.name.clone(),
                    street: row.street.clone(),
                    house_number: row.house_number.clone(),
                    postcode: row.postcode.clone(),
                    city: row.city.clone(),
                    lat: row.position.lat,
                    lon: row.position.lon,
                    sector: row.sector.clone(),
                    activities: activities_json,
                    version: old.version + 1,
                };
                updates.push((new, old.version, changed, row.key.as_str()));
            }
        }
    }

    db::sites::insert_many(&mut tx, &inserts).await?;
    for (site, old_version, _, _) in &updates {
        if !db::sites::update_imported(&mut tx, site, *old_version).await? {
            anyhow::bail!("site {} changed during the import", site.id);
        }
    }
    let mut entries = Vec::with_capacity(inserts.len() + updates.len());
    for site in &inserts {
        entries.push(AuditEntry {
            actor_id: importer.actor_id,
            device_id: None,
            action: "site.import.create",
            entity: "site",
            entity_id: &site.id,
            old_version: None,
            new_version: Some(1),
            details: serde_json::json!({"source": importer.source, "key": site.external_key}),
        });
    }
    for (site, old_version, changed, key) in &updates {
        entries.push(AuditEntry {
            actor_id: importer.actor_id,
            device_id: None,
            action: "site.import.update",
            entity: "site",
            entity_id: &site.id,
            old_version: Some(*old_version),
            new_version: Some(site.version),
            details: serde_json::json!({"source": importer.source, "key": key, "changed": changed}),
        });
    }
    audit::record_many(&mut tx, &entries).await?;
    tx.commit().await?;
    report.created = inserts.len();
    report.updated = updates.len();
    report.written = true;
    Ok(report)
}

/// `schouw import-sites FILE`: the agency is named by its code, or is the only one there is.
pub async fn import_file(
    db: &Db,
    path: &std::path::Path,
    agency_code: Option<&str>,
) -> anyhow::Result<ImportReport> {
    let data = tokio::fs::read(path)
        .await
        .map_err(|e| anyhow::anyhow!("{} kan niet gelezen worden: {e}", path.display()))?;
    let agencies = db::sites::agencies(&db.pool).await?;
    let agency_id = match agency_code {
        Some(code) => agencies
            .iter()
            .find(|(_, c)| c.eq_ignore_ascii_case(code))
            .map(|(id, _)| id.clone())
            .ok_or_else(|| anyhow::anyhow!("onbekende omgevingsdienst {code:?}"))?,
        None => match agencies.as_slice() {
            [(id, _)] => id.clone(),
            [] => anyhow::bail!("de database heeft nog geen omgevingsdienst"),
            _ => anyhow::bail!(
                "meerdere omgevingsdiensten; kies er een met --agency ({})",
                agencies
                    .iter()
                    .map(|(_, c)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    };
    import_sites(
        db,
        &agency_id,
        Importer {
            actor_id: None,
            source: "cli",
        },
        &data,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> (HashMap<String, String>, BTreeMap<String, f64>) {
        let authorities = HashMap::from([
            ("GM0197".to_owned(), "aalten".to_owned()),
            ("PV25".to_owned(), "gelderland".to_owned()),
        ]);
        let sectors = shared::risk::RiskModel::default_2026().environment.sectors;
        (authorities, sectors)
    }

    #[test]
    fn lines_are_counted_across_blank_lines_and_windows_line_ends() {
        for (data, starts, expected) in [
            (&b"a\nb\n\nc\n"[..], [0u64, 2, 4], [1u64, 2, 4]),
            (b"a\r\nb\r\nc\r\n", [0, 2, 5], [1, 2, 3]),
        ] {
            let mut lines = LineCounter::new(data);
            let got: Vec<u64> = starts.iter().map(|s| lines.line_of(*s)).collect();
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn postcodes_are_normalised_and_bad_ones_refused() {
        assert_eq!(normalise_postcode("7121ab").as_deref(), Some("7121 AB"));
        assert_eq!(normalise_postcode(" 7121  AB ").as_deref(), Some("7121 AB"));
        for bad in ["0121 AB", "712 AB", "7121 A1", "7121 SS", "71211AB", ""] {
            assert_eq!(normalise_postcode(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_semicolon_file_with_bom_decimal_commas_and_rd_coordinates_parses() {
        let (authorities, sectors) = vocab();
        let csv = "\u{feff}key;name;street;house_number;postcode;city;municipality_code;sector;activities;x;y\n\
                   A-1;Garage Jansen;Dorpsstraat;12a;7121ab;Aalten;gm0197;garage;vehicle_repair|fuel_storage;240000,5;443000\n";
        let (rows, report) = parse(csv.as_bytes(), &authorities, &sectors);
        assert_eq!(report.rejected, vec![]);
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(row.line, 2);
        assert_eq!(row.postcode, "7121 AB");
        assert_eq!(row.authority_id, "aalten");
        assert_eq!(row.activities, vec!["vehicle_repair", "fuel_storage"]);
        let back = row.position.to_rd();
        assert!((back.x - 240_000.5).abs() < 1.0 && (back.y - 443_000.0).abs() < 1.0);
    }

    #[test]
    fn every_problem_of_a_row_is_reported_with_line_and_column() {
        let (authorities, sectors) = vocab();
        let csv = "key,name,street,house_number,postcode,city,municipality_code,sector,activities,lat,lon\n\
                   A-1,Goed,Markt,1,7121 AB,Aalten,GM0197,office,,51.92,6.58\n\
                   A-2,,Markt,1,12345,Aalten,GM9999,bakery,,48.0,6.58\n\
                   A-1,Dubbel,Markt,1,7121 AB,Aalten,GM0197,office,,51.92,6.58\n";
        let (rows, report) = parse(csv.as_bytes(), &authorities, &sectors);
        assert_eq!(rows.len(), 1);
        assert_eq!(report.accepted, 1);
        let columns: Vec<(u64, Option<&str>)> = report
            .rejected
            .iter()
            .map(|r| (r.line, r.column.as_deref()))
            .collect();
        assert_eq!(
            columns,
            vec![
                (3, Some("name")),
                (3, Some("postcode")),
                (3, Some("municipality_code")),
                (3, Some("sector")),
                (3, Some("lat")),
                (4, Some("key")),
            ]
        );
        assert!(report.rejected[4].reason.contains("buiten Nederland"));
    }

    #[test]
    fn a_header_without_coordinates_or_with_unknown_columns_is_refused() {
        let (authorities, sectors) = vocab();
        let csv = "key,name,street,house_number,postcode,city,municipality_code,sector,activities,colour\n";
        let (rows, report) = parse(csv.as_bytes(), &authorities, &sectors);
        assert!(rows.is_empty());
        assert!(report.rejected.iter().all(|r| r.line == 1));
        assert_eq!(report.rejected_total, 2);
    }
}
