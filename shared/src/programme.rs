//! The yearly execution programme (uitvoeringsprogramma): what makes a programme line valid and
//! how an imported table (CSV or XLSX, read by the server) becomes lines. One set of rules for the
//! API, the import and the office form, each problem told in Dutch.

use std::collections::HashMap;

use crate::nl::parse_fixed;

crate::wire_enum! {
    /// The task group of a programme line (the `task_group` CHECK of `programme_lines`).
    pub enum TaskGroup {
        Basistaak = "basistaak",
        Plustaak = "plustaak",
        Project = "project",
        Bedrijfsvoering = "bedrijfsvoering",
    }
}

impl TaskGroup {
    /// The Dutch name of one line's task group, as in a programme table.
    pub fn label_nl(self) -> &'static str {
        match self {
            TaskGroup::Basistaak => "Basistaak",
            TaskGroup::Plustaak => "Plustaak",
            TaskGroup::Project => "Project",
            TaskGroup::Bedrijfsvoering => "Bedrijfsvoering",
        }
    }

    /// Reads the wire name or the Dutch name, in any case ("Basistaak", "basistaken").
    pub fn parse_nl(text: &str) -> Option<TaskGroup> {
        let t = text.trim().to_lowercase();
        let plural = match t.as_str() {
            "basistaken" => "basistaak",
            "plustaken" => "plustaak",
            "projecten" => "project",
            other => other,
        };
        TaskGroup::parse(plural)
    }
}

crate::wire_enum! {
    /// How a focus point's outcome indicator is measured, from the field results of the lines
    /// that serve it.
    pub enum FocusMeasure {
        /// Realised inspections as a share of the planned ones.
        Realisation = "realisation",
        /// Compliance at first inspection.
        ComplianceFirst = "compliance_first",
        /// Compliance after re-inspection.
        ComplianceAfterReinspection = "compliance_after_reinspection",
    }
}

impl FocusMeasure {
    /// The indicator in Dutch, as a report names it.
    pub fn label_nl(self) -> &'static str {
        match self {
            FocusMeasure::Realisation => "Realisatie van de geplande controles",
            FocusMeasure::ComplianceFirst => "Naleving bij eerste controle",
            FocusMeasure::ComplianceAfterReinspection => "Naleving na hercontrole",
        }
    }
}

/// The longest focus point title, in characters.
pub const MAX_FOCUS_TITLE_CHARS: usize = 200;
/// The longest focus point goal, in characters.
pub const MAX_FOCUS_GOAL_CHARS: usize = 2_000;

/// Whether a focus point's fields are valid: a title and goal of sensible length, a target
/// percentage from 0 to 100.
pub fn valid_focus_point(title: &str, goal: &str, target_percent: f64) -> bool {
    let title = title.trim();
    !title.is_empty()
        && title.chars().count() <= MAX_FOCUS_TITLE_CHARS
        && goal.chars().count() <= MAX_FOCUS_GOAL_CHARS
        && target_percent.is_finite()
        && (0.0..=100.0).contains(&target_percent)
}

/// The largest planned count of one line.
pub const MAX_COUNT: i64 = 1_000_000;
/// The largest planned hours of one line.
pub const MAX_HOURS: f64 = 10_000_000.0;
/// The longest product name, in characters.
pub const MAX_PRODUCT_CHARS: usize = 200;
/// The longest sector name, in characters.
pub const MAX_SECTOR_CHARS: usize = 100;
/// The most rows one import may hold (a region's programme has a few hundred).
pub const MAX_IMPORT_ROWS: usize = 5_000;

/// Whether a line's planned figures are in range.
pub fn valid_figures(count: i64, hours: f64) -> bool {
    (0..=MAX_COUNT).contains(&count) && hours.is_finite() && (0.0..=MAX_HOURS).contains(&hours)
}

/// One cell of an imported table: spreadsheets give numbers, CSV gives text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.trim().to_owned(),
            Cell::Number(n) => crate::nl::decimal(*n, 2)
                .trim_end_matches('0')
                .trim_end_matches(',')
                .to_owned(),
            Cell::Empty => String::new(),
        }
    }
}

/// A line read from an import row, its authority resolved to an id.
#[derive(Debug, Clone, PartialEq)]
pub struct LineDraft {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    pub product: String,
    pub authority_id: String,
    pub task_group: TaskGroup,
    pub planned_count: i64,
    pub planned_hours: f64,
    /// `None` when the file has no sector column: an existing line keeps its sector.
    pub sector: Option<Option<String>>,
    /// The focus point (by id) the line serves, named by its title in the file; `None` when the
    /// file has no such column: an existing line keeps its focus point.
    pub focus_point_id: Option<Option<String>>,
}

/// One problem of an import: the line (1 is the header), the column as the file names it (or none
/// when the whole row or file is at fault), and a Dutch reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub column: Option<String>,
    pub reason: String,
}

/// The columns of an import, each with the header names it is known by (code name first, then
/// the Dutch names a spreadsheet is likely to carry).
const COLUMNS: [(&str, &[&str], bool); 7] = [
    ("product", &["product"], true),
    (
        "authority",
        &[
            "authority",
            "gemeente",
            "bevoegd_gezag",
            "bevoegd gezag",
            "cbs_code",
        ],
        true,
    ),
    ("task_group", &["task_group", "taakgroep", "taakveld"], true),
    (
        "planned_count",
        &["planned_count", "aantal", "gepland aantal"],
        true,
    ),
    (
        "planned_hours",
        &["planned_hours", "uren", "geplande uren"],
        true,
    ),
    ("sector", &["sector", "branche"], false),
    ("focus_point", &["focus_point", "speerpunt"], false),
];

/// The header of the import template, in code names (`schouw` writes and documents this one).
pub const TEMPLATE_HEADER: [&str; 7] = [
    "product",
    "authority",
    "task_group",
    "planned_count",
    "planned_hours",
    "sector",
    "focus_point",
];

/// Reads an imported table (`rows[0]` is the header; each row with its line in the file) into
/// lines. All or nothing: every problem of every row is listed, and lines are returned only when
/// there is none. `authorities` maps upper-case CBS codes and lower-case names to authority ids
/// of the importing agency; `sectors` is the known sector vocabulary; `focus_points` maps the
/// lower-case titles of the year's focus points to their ids.
pub fn read_import(
    rows: &[(u64, Vec<Cell>)],
    authorities: &HashMap<String, String>,
    sectors: &[String],
    focus_points: &HashMap<String, String>,
) -> Result<Vec<LineDraft>, Vec<Problem>> {
    let mut problems = Vec::new();
    let problem = |line: u64, column: Option<&str>, reason: String| Problem {
        line,
        column: column.map(str::to_owned),
        reason,
    };
    let Some((header_line, header)) = rows.first() else {
        return Err(vec![problem(1, None, "het bestand is leeg".into())]);
    };
    let names: Vec<String> = header.iter().map(|c| c.text().to_lowercase()).collect();
    let mut index: HashMap<&str, (usize, &str)> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        match COLUMNS
            .iter()
            .find(|(_, aliases, _)| aliases.contains(&name.as_str()))
        {
            None => problems.push(problem(
                *header_line,
                Some(name),
                format!(
                    "onbekende kolom; toegestaan zijn {}",
                    TEMPLATE_HEADER.join(", ")
                ),
            )),
            Some((key, _, _)) => {
                if index.insert(key, (i, name)).is_some() {
                    problems.push(problem(
                        *header_line,
                        Some(name),
                        "kolom komt twee keer voor".into(),
                    ));
                }
            }
        }
    }
    for (key, _, required) in COLUMNS {
        if required && !index.contains_key(key) {
            problems.push(problem(
                *header_line,
                Some(key),
                "verplichte kolom ontbreekt".into(),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let data = &rows[1..];
    if data.len() > MAX_IMPORT_ROWS {
        return Err(vec![problem(
            *header_line,
            None,
            format!(
                "het bestand heeft {} regels; hooguit {MAX_IMPORT_ROWS}",
                data.len()
            ),
        )]);
    }

    let mut lines = Vec::new();
    let mut seen: HashMap<(String, String, TaskGroup), u64> = HashMap::new();
    for (line, cells) in data {
        if cells.iter().all(|c| c.text().is_empty()) {
            continue;
        }
        let field = |key: &str| -> (String, String) {
            let (i, name) = index.get(key).copied().unwrap_or((usize::MAX, key));
            (
                cells.get(i).map(Cell::text).unwrap_or_default(),
                name.to_owned(),
            )
        };
        let cell = |key: &str| -> Option<&Cell> { index.get(key).and_then(|(i, _)| cells.get(*i)) };
        let before = problems.len();
        let mut bad =
            |column: &str, reason: String| problems.push(problem(*line, Some(column), reason));

        let (product, col) = field("product");
        if product.is_empty() {
            bad(&col, "product ontbreekt".into());
        } else if product.chars().count() > MAX_PRODUCT_CHARS {
            bad(
                &col,
                format!("product is langer dan {MAX_PRODUCT_CHARS} tekens"),
            );
        }
        let (authority, col) = field("authority");
        let authority_id = authorities
            .get(&authority.to_uppercase())
            .or_else(|| authorities.get(&authority.to_lowercase()))
            .cloned();
        if authority_id.is_none() {
            bad(
                &col,
                if authority.is_empty() {
                    "gemeente of provincie ontbreekt".into()
                } else {
                    format!(
                        "onbekende gemeente of provincie {:?} (geef de CBS-code of de naam)",
                        truncate(&authority)
                    )
                },
            );
        }
        let (group, col) = field("task_group");
        let task_group = TaskGroup::parse_nl(&group);
        if task_group.is_none() {
            bad(
                &col,
                "taakgroep moet basistaak, plustaak, project of bedrijfsvoering zijn".into(),
            );
        }
        let (_, col) = field("planned_count");
        let planned_count = match cell("planned_count") {
            Some(Cell::Number(n)) if n.fract() == 0.0 => Some(*n as i64),
            Some(Cell::Text(t)) => parse_fixed(t, 0),
            _ => None,
        }
        .filter(|n| (0..=MAX_COUNT).contains(n));
        if planned_count.is_none() {
            bad(
                &col,
                format!("aantal moet een geheel getal van 0 tot en met {MAX_COUNT} zijn"),
            );
        }
        let (_, col) = field("planned_hours");
        let planned_hours = match cell("planned_hours") {
            Some(Cell::Number(n)) => Some(*n),
            Some(Cell::Text(t)) => parse_fixed(t, 2).map(|h| h as f64 / 100.0),
            _ => None,
        }
        .filter(|h| h.is_finite() && (0.0..=MAX_HOURS).contains(h));
        if planned_hours.is_none() {
            bad(
                &col,
                "uren moet een getal van 0 of meer zijn (met decimale komma, hooguit 2 decimalen)"
                    .into(),
            );
        }
        let (sector, col) = field("sector");
        let sector = (!sector.is_empty()).then_some(sector);
        if let Some(s) = &sector {
            if !sectors.iter().any(|known| known == s) {
                bad(&col, format!("onbekende sector {:?}", truncate(s)));
            }
        }
        let (focus, col) = field("focus_point");
        let focus_point_id = if focus.is_empty() {
            None
        } else {
            let id = focus_points.get(&focus.to_lowercase()).cloned();
            if id.is_none() {
                bad(
                    &col,
                    format!(
                        "onbekend speerpunt {:?}: voeg het eerst toe aan het programma van dit jaar",
                        truncate(&focus)
                    ),
                );
            }
            id
        };
        if problems.len() > before {
            continue;
        }
        let (Some(authority_id), Some(task_group), Some(planned_count), Some(planned_hours)) =
            (authority_id, task_group, planned_count, planned_hours)
        else {
            continue;
        };
        let key = (product.to_lowercase(), authority_id.clone(), task_group);
        if let Some(first) = seen.get(&key) {
            problems.push(problem(
                *line,
                None,
                format!("dezelfde regel (product, gemeente, taakgroep) staat ook op regel {first}"),
            ));
            continue;
        }
        seen.insert(key, *line);
        lines.push(LineDraft {
            line: *line,
            product,
            authority_id,
            task_group,
            planned_count,
            planned_hours,
            sector: index.contains_key("sector").then_some(sector),
            focus_point_id: index.contains_key("focus_point").then_some(focus_point_id),
        });
    }
    if problems.is_empty() {
        Ok(lines)
    } else {
        Err(problems)
    }
}

/// An echoed value, cut to a readable length.
fn truncate(text: &str) -> String {
    let mut t: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        t.push('…');
    }
    t
}

#[cfg(test)]
mod tests;
