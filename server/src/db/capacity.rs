//! The capacity an agency has per year (fte and productive hours), and the authority of each
//! site, for the capacity picture (art. 13.10).

use sqlx::{Any, AnyPool, Transaction};

/// The entered capacity of a year as (fte, productive hours per fte, version).
pub async fn get(
    pool: &AnyPool,
    agency_id: &str,
    year: i32,
) -> sqlx::Result<Option<(f64, f64, i64)>> {
    sqlx::query_as(
        "SELECT fte, productive_hours_per_fte, version FROM capacity_years \
         WHERE agency_id = $1 AND year = $2",
    )
    .bind(agency_id)
    .bind(i64::from(year))
    .fetch_optional(pool)
    .await
}

/// Stores a year's capacity when `base_version` is the stored one (0: none stored yet); returns
/// whether it did (false: someone else entered or changed it in between).
pub async fn put(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    year: i32,
    fte: f64,
    hours_per_fte: f64,
    base_version: i64,
) -> sqlx::Result<bool> {
    let done = if base_version == 0 {
        sqlx::query(
            "INSERT INTO capacity_years (agency_id, year, fte, productive_hours_per_fte, version) \
             VALUES ($1, $2, $3, $4, 1) ON CONFLICT (agency_id, year) DO NOTHING",
        )
        .bind(agency_id)
        .bind(i64::from(year))
        .bind(fte)
        .bind(hours_per_fte)
        .execute(&mut **tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE capacity_years SET fte = $1, productive_hours_per_fte = $2, version = version + 1 \
             WHERE agency_id = $3 AND year = $4 AND version = $5",
        )
        .bind(fte)
        .bind(hours_per_fte)
        .bind(agency_id)
        .bind(i64::from(year))
        .bind(base_version)
        .execute(&mut **tx)
        .await?
    };
    Ok(done.rows_affected() == 1)
}

/// Every site of the agency with its authority, as (site id, authority id).
pub async fn site_authorities(
    pool: &AnyPool,
    agency_id: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT id, authority_id FROM sites WHERE agency_id = $1")
        .bind(agency_id)
        .fetch_all(pool)
        .await
}
