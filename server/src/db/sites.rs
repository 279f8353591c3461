//! Supervised sites.

use sqlx::{Any, AnyPool, FromRow, Transaction};

use crate::db::seed::SiteRecord;

pub async fn count(pool: &AnyPool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM sites")
        .fetch_one(pool)
        .await
}

type Tx<'c> = Transaction<'c, Any>;

/// Keys per `IN (...)` list.
const CHUNK: usize = 500;
/// Rows per multi-row INSERT, about 500 parameters each. Not more: SQLite looks up a numbered
/// parameter (`$n`) by a linear scan when binding, so binding costs grow with the square of the
/// parameter count (500 rows x 15 columns made a 50,000-site import take 8 s instead of 1 s).
const INSERT_ROWS: usize = 32;

/// `(id, cbs_code)` of every authority of an agency.
pub async fn authority_codes(
    tx: &mut Tx<'_>,
    agency_id: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT id, cbs_code FROM authorities WHERE agency_id = $1")
        .bind(agency_id)
        .fetch_all(&mut **tx)
        .await
}

/// The import-relevant fields of a stored site.
#[derive(Debug, Clone, FromRow)]
pub struct ImportedSite {
    pub id: String,
    pub external_key: String,
    pub authority_id: String,
    pub name: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub sector: String,
    pub activities: String,
    pub version: i64,
}

/// Every site of an agency, to tell created, changed and unchanged rows apart.
pub async fn for_import(tx: &mut Tx<'_>, agency_id: &str) -> sqlx::Result<Vec<ImportedSite>> {
    sqlx::query_as(
        "SELECT id, external_key, authority_id, name, street, house_number, postcode, city, lat, lon, \
         sector, activities, version FROM sites WHERE agency_id = $1",
    )
    .bind(agency_id)
    .fetch_all(&mut **tx)
    .await
}

/// Which of `keys` another agency already uses (the key column is globally unique, see 0004).
pub async fn keys_of_other_agencies(
    tx: &mut Tx<'_>,
    agency_id: &str,
    keys: &[&str],
) -> sqlx::Result<Vec<String>> {
    let mut taken = Vec::new();
    for chunk in keys.chunks(CHUNK) {
        let placeholders = (0..chunk.len())
            .map(|i| format!("${}", i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT external_key FROM sites WHERE agency_id <> $1 AND external_key IN ({placeholders})"
        );
        let mut query = sqlx::query_scalar(&sql).bind(agency_id);
        for key in chunk {
            query = query.bind(*key);
        }
        taken.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(taken)
}

/// Inserts new sites (version 1) with multi-row INSERTs.
pub async fn insert_many(tx: &mut Tx<'_>, sites: &[SiteRecord]) -> sqlx::Result<()> {
    const COLUMNS: usize = 15;
    for chunk in sites.chunks(INSERT_ROWS) {
        let rows = super::values_placeholders(chunk.len(), COLUMNS);
        let sql = format!(
            "INSERT INTO sites (id, agency_id, authority_id, external_key, name, street, house_number, \
             postcode, city, lat, lon, sector, activities, surroundings, attributes) VALUES {rows}"
        );
        let mut query = sqlx::query(&sql);
        for r in chunk {
            query = query
                .bind(&r.id)
                .bind(&r.agency_id)
                .bind(&r.authority_id)
                .bind(&r.external_key)
                .bind(&r.name)
                .bind(&r.street)
                .bind(&r.house_number)
                .bind(&r.postcode)
                .bind(&r.city)
                .bind(r.lat)
                .bind(r.lon)
                .bind(&r.sector)
                .bind(&r.activities_json)
                .bind(&r.surroundings_json)
                .bind(&r.attributes_json);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Writes the imported fields of a changed site and bumps its version; false when the stored
/// version is no longer `old_version` (changed concurrently).
pub async fn update_imported(
    tx: &mut Tx<'_>,
    s: &ImportedSite,
    old_version: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE sites SET authority_id = $1, name = $2, street = $3, house_number = $4, postcode = $5, \
         city = $6, lat = $7, lon = $8, sector = $9, activities = $10, version = version + 1 \
         WHERE id = $11 AND version = $12",
    )
    .bind(&s.authority_id)
    .bind(&s.name)
    .bind(&s.street)
    .bind(&s.house_number)
    .bind(&s.postcode)
    .bind(&s.city)
    .bind(s.lat)
    .bind(s.lon)
    .bind(&s.sector)
    .bind(&s.activities)
    .bind(&s.id)
    .bind(old_version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A site search within one agency, optionally narrowed to one authority.
pub struct SiteSearch<'a> {
    pub agency_id: &'a str,
    pub authority_id: Option<&'a str>,
    pub sector: Option<&'a str>,
    /// Lower-cased search text; matched as a substring of name, address, postcode or city.
    pub text: Option<&'a str>,
    /// Keyset position: the `(name, id)` of the last site of the previous page.
    pub after: Option<(&'a str, &'a str)>,
    pub limit: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct SiteListRow {
    pub id: String,
    pub external_key: String,
    pub authority_id: String,
    pub name: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub sector: String,
    pub version: i64,
}

/// Escapes LIKE wildcards so user text matches literally (with `ESCAPE '\'`).
pub fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Joins the fields of the stored `search_text` column (migration 0005); a search text containing
/// it could match across two fields there.
const SEARCH_SEPARATOR: char = '\u{1f}';

/// One page in `(name, id)` order. Matching is `LOWER(column) LIKE '%text%'`, which both
/// databases evaluate the same way for ASCII text. The lower-cased columns are the generated
/// `search_text` and `search_postcode` (migration 0005), read from the `(agency_id | authority_id,
/// name, id, search_text, search_postcode)` index: a page stops after `limit` matches and a query
/// matching few sites reads index entries, not rows, and computes nothing per row.
pub async fn search(pool: &AnyPool, s: &SiteSearch<'_>) -> sqlx::Result<Vec<SiteListRow>> {
    let mut sql = String::from(
        "SELECT id, external_key, authority_id, name, street, house_number, postcode, city, lat, lon, \
         sector, version FROM sites WHERE agency_id = $1",
    );
    let mut binds: Vec<String> = vec![s.agency_id.to_owned()];
    let next = |value: String, binds: &mut Vec<String>| {
        binds.push(value);
        format!("${}", binds.len())
    };
    if let Some(authority_id) = s.authority_id {
        let p = next(authority_id.to_owned(), &mut binds);
        sql.push_str(&format!(" AND authority_id = {p}"));
    }
    if let Some(sector) = s.sector {
        let p = next(sector.to_owned(), &mut binds);
        sql.push_str(&format!(" AND sector = {p}"));
    }
    if let Some(text) = s.text {
        let p = next(format!("%{}%", like_escape(text)), &mut binds);
        // A postcode typed without its space ("7121ab") still finds "7121 AB".
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let q = next(format!("%{}%", like_escape(&compact)), &mut binds);
        if text.contains(SEARCH_SEPARATOR) {
            sql.push_str(&format!(
                " AND (LOWER(name) LIKE {p} ESCAPE '\\' \
                 OR LOWER(street || ' ' || house_number) LIKE {p} ESCAPE '\\' \
                 OR LOWER(city) LIKE {p} ESCAPE '\\' \
                 OR REPLACE(LOWER(postcode), ' ', '') LIKE {q} ESCAPE '\\')"
            ));
        } else {
            sql.push_str(&format!(
                " AND (search_text LIKE {p} ESCAPE '\\' OR search_postcode LIKE {q} ESCAPE '\\')"
            ));
        }
    }
    if let Some((name, id)) = s.after {
        let n = next(name.to_owned(), &mut binds);
        let i = next(id.to_owned(), &mut binds);
        sql.push_str(&format!(" AND (name > {n} OR (name = {n} AND id > {i}))"));
    }
    sql.push_str(&format!(
        " ORDER BY name, id LIMIT {}",
        s.limit.clamp(1, 1000)
    ));
    let mut query = sqlx::query_as(&sql);
    for b in binds {
        query = query.bind(b);
    }
    query.fetch_all(pool).await
}

#[derive(Debug, Clone, FromRow)]
pub struct SiteDetailRow {
    pub id: String,
    pub external_key: String,
    pub authority_id: String,
    pub authority_name: String,
    pub authority_code: String,
    pub name: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub sector: String,
    pub activities: String,
    pub surroundings: String,
    pub attributes: String,
    pub version: i64,
}

/// A site of the agency (and of `authority_id` when given); `None` hides it either way.
pub async fn detail(
    pool: &AnyPool,
    id: &str,
    agency_id: &str,
    authority_id: Option<&str>,
) -> sqlx::Result<Option<SiteDetailRow>> {
    sqlx::query_as(
        "SELECT s.id, s.external_key, s.authority_id, a.name AS authority_name, a.cbs_code AS authority_code, \
         s.name, s.street, s.house_number, s.postcode, s.city, s.lat, s.lon, s.sector, s.activities, \
         s.surroundings, s.attributes, s.version \
         FROM sites s JOIN authorities a ON a.id = s.authority_id \
         WHERE s.id = $1 AND s.agency_id = $2 AND ($3 = '' OR s.authority_id = $3)",
    )
    .bind(id)
    .bind(agency_id)
    .bind(authority_id.unwrap_or(""))
    .fetch_optional(pool)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct HistoryInspectionRow {
    pub id: String,
    pub kind: String,
    pub inspected_on: String,
    pub result: String,
    pub hours_spent: f64,
    pub inspector_name: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct HistoryViolationRow {
    pub id: String,
    pub inspection_id: String,
    pub theme: String,
    pub description: String,
    pub rule_ref: String,
    pub cell: String,
    pub suggested_cell: String,
    pub deviation_reason: Option<String>,
    pub matrix_version: String,
    pub repeat_offence: i64,
    pub intervention: String,
    pub remedy_deadline: Option<String>,
    pub remedied_on: Option<String>,
    pub version: i64,
}

/// The inspections of a site, newest first, with their violations.
pub async fn history(
    pool: &AnyPool,
    site_id: &str,
) -> sqlx::Result<(Vec<HistoryInspectionRow>, Vec<HistoryViolationRow>)> {
    let inspections = sqlx::query_as(
        "SELECT i.id, i.kind, i.inspected_on, i.result, i.hours_spent, u.display_name AS inspector_name, \
         i.version FROM inspections i LEFT JOIN users u ON u.id = i.inspector_id \
         WHERE i.site_id = $1 ORDER BY i.inspected_on DESC, i.id",
    )
    .bind(site_id)
    .fetch_all(pool)
    .await?;
    let violations = sqlx::query_as(
        "SELECT id, inspection_id, theme, description, rule_ref, cell, suggested_cell, deviation_reason, \
         matrix_version, repeat_offence, intervention, remedy_deadline, remedied_on, version \
         FROM violations WHERE site_id = $1 ORDER BY inspection_id, id",
    )
    .bind(site_id)
    .fetch_all(pool)
    .await?;
    Ok((inspections, violations))
}

/// `(id, code)` of every agency, for choosing whose sites a command-line import is for.
pub async fn agencies(pool: &AnyPool) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT id, code FROM agencies ORDER BY code")
        .fetch_all(pool)
        .await
}
