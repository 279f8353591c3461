//! The yearly execution programme (uitvoeringsprogramma).

use sqlx::{Any, AnyPool, FromRow, Transaction};

#[derive(Debug, Clone, FromRow)]
pub struct ProgrammeLineRow {
    pub id: String,
    pub agency_id: String,
    pub year: i64,
    pub product: String,
    pub authority_id: String,
    pub task_group: String,
    pub planned_count: i64,
    pub planned_hours: f64,
    pub version: i64,
    /// The site sector whose inspections realise the line (`None`: not realised by inspections).
    pub sector: Option<String>,
    /// The focus point the line serves.
    pub focus_point_id: Option<String>,
}

/// A focus point (speerpunt) of a programme year.
#[derive(Debug, Clone, FromRow)]
pub struct FocusPointRow {
    pub id: String,
    pub year: i64,
    pub title: String,
    pub goal: String,
    pub measure: String,
    pub target_percent: f64,
    pub version: i64,
}

const COLUMNS: &str = "id, agency_id, year, product, authority_id, task_group, planned_count, \
     planned_hours, version, sector, focus_point_id";

/// Lines of an agency's year, optionally of one authority, in a stable order.
pub async fn list(
    pool: &AnyPool,
    agency_id: &str,
    year: i64,
    authority_id: Option<&str>,
) -> sqlx::Result<Vec<ProgrammeLineRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM programme_lines WHERE agency_id = $1 AND year = $2 \
         AND ($3 IS NULL OR authority_id = $3) ORDER BY product, authority_id, task_group"
    ))
    .bind(agency_id)
    .bind(year)
    .bind(authority_id)
    .fetch_all(pool)
    .await
}

pub async fn by_id(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    id: &str,
) -> sqlx::Result<Option<ProgrammeLineRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM programme_lines WHERE agency_id = $1 AND id = $2"
    ))
    .bind(agency_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Inserts a line; a second line with the same (year, product, authority, task group) violates the
/// unique index, which the caller reports as a duplicate.
pub async fn insert(tx: &mut Transaction<'_, Any>, line: &ProgrammeLineRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO programme_lines (id, agency_id, year, product, authority_id, task_group, planned_count, \
         planned_hours, version, sector, focus_point_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&line.id)
    .bind(&line.agency_id)
    .bind(line.year)
    .bind(&line.product)
    .bind(&line.authority_id)
    .bind(&line.task_group)
    .bind(line.planned_count)
    .bind(line.planned_hours)
    .bind(line.version)
    .bind(line.sector.as_deref())
    .bind(line.focus_point_id.as_deref())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Updates the planned figures only when the stored version is still `base_version`; returns
/// whether it did (false: someone changed the line in between).
pub async fn update_planned(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    id: &str,
    base_version: i64,
    planned_count: i64,
    planned_hours: f64,
) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "UPDATE programme_lines SET planned_count = $1, planned_hours = $2, version = version + 1 \
         WHERE agency_id = $3 AND id = $4 AND version = $5",
    )
    .bind(planned_count)
    .bind(planned_hours)
    .bind(agency_id)
    .bind(id)
    .bind(base_version)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn authority_in_agency(
    pool: &AnyPool,
    agency_id: &str,
    authority_id: &str,
) -> sqlx::Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM authorities WHERE agency_id = $1 AND id = $2")
            .bind(agency_id)
            .bind(authority_id)
            .fetch_one(pool)
            .await?;
    Ok(n == 1)
}

/// The agency's authorities as (id, CBS code, name), for reading an import.
pub async fn authorities(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as("SELECT id, cbs_code, name FROM authorities WHERE agency_id = $1")
        .bind(agency_id)
        .fetch_all(&mut **tx)
        .await
}

/// An import's correction of a line: new figures, sector and focus point, one version up, when
/// the line is still at `base_version`; returns whether it was.
pub async fn update_imported(
    tx: &mut Transaction<'_, Any>,
    line: &ProgrammeLineRow,
    base_version: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE programme_lines SET planned_count = $1, planned_hours = $2, sector = $3, \
         focus_point_id = $4, version = version + 1 WHERE id = $5 AND version = $6",
    )
    .bind(line.planned_count)
    .bind(line.planned_hours)
    .bind(line.sector.as_deref())
    .bind(line.focus_point_id.as_deref())
    .bind(&line.id)
    .bind(base_version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The agency's authorities as (id, name, CBS code, kind), by name.
pub async fn authority_list(
    pool: &AnyPool,
    agency_id: &str,
) -> sqlx::Result<Vec<(String, String, String, String)>> {
    sqlx::query_as(
        "SELECT id, name, cbs_code, kind FROM authorities WHERE agency_id = $1 ORDER BY name",
    )
    .bind(agency_id)
    .fetch_all(pool)
    .await
}

/// The focus points of an agency's year, by title.
pub async fn focus_points(
    pool: &AnyPool,
    agency_id: &str,
    year: i64,
) -> sqlx::Result<Vec<FocusPointRow>> {
    sqlx::query_as(
        "SELECT id, year, title, goal, measure, target_percent, version FROM focus_points \
         WHERE agency_id = $1 AND year = $2 ORDER BY title",
    )
    .bind(agency_id)
    .bind(year)
    .fetch_all(pool)
    .await
}

/// The year of a focus point of the agency, if it exists.
pub async fn focus_point_year(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    id: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT year FROM focus_points WHERE agency_id = $1 AND id = $2")
        .bind(agency_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn insert_focus_point(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    f: &FocusPointRow,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO focus_points (id, agency_id, year, title, title_key, goal, measure, target_percent, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)",
    )
    .bind(&f.id)
    .bind(agency_id)
    .bind(f.year)
    .bind(&f.title)
    .bind(f.title.to_lowercase())
    .bind(&f.goal)
    .bind(&f.measure)
    .bind(f.target_percent)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Updates a focus point when its version is still `base_version`; returns whether it did.
pub async fn update_focus_point(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    f: &FocusPointRow,
    base_version: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE focus_points SET title = $1, title_key = $8, goal = $2, measure = $3, \
         target_percent = $4, version = version + 1 WHERE agency_id = $5 AND id = $6 AND version = $7",
    )
    .bind(&f.title)
    .bind(&f.goal)
    .bind(&f.measure)
    .bind(f.target_percent)
    .bind(agency_id)
    .bind(&f.id)
    .bind(base_version)
    .bind(f.title.to_lowercase())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Links a line to a focus point (or unlinks it), one version up.
pub async fn set_line_focus_point(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    id: &str,
    focus_point_id: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE programme_lines SET focus_point_id = $1 WHERE agency_id = $2 AND id = $3")
        .bind(focus_point_id)
        .bind(agency_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
