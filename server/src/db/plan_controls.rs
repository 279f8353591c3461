//! The team lead's hand in the plan: locked days, and moving or boosting one planned visit. The
//! planner (`planning.rs`) reads the locks; the API (`api/plan.rs`) writes all three.

use sqlx::{Any, Transaction};

type Tx<'c> = Transaction<'c, Any>;

/// Whether the agency's `day` is locked.
pub async fn is_locked(
    executor: impl sqlx::Executor<'_, Database = Any>,
    agency_id: &str,
    day: &str,
) -> sqlx::Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM day_locks WHERE agency_id = $1 AND day = $2")
            .bind(agency_id)
            .bind(day)
            .fetch_one(executor)
            .await?;
    Ok(n > 0)
}

/// Adds (`on`) or removes the row a flag of two keys stands for; `true` when that changed
/// something. `insert` binds the keys, who and when; `delete` the keys.
async fn toggle(
    tx: &mut Tx<'_>,
    on: bool,
    (insert, delete): (&str, &str),
    keys: [&str; 2],
    by: &str,
    at: &str,
) -> sqlx::Result<bool> {
    let query = if on {
        sqlx::query(insert)
            .bind(keys[0])
            .bind(keys[1])
            .bind(by)
            .bind(at)
    } else {
        sqlx::query(delete).bind(keys[0]).bind(keys[1])
    };
    Ok(query.execute(&mut **tx).await?.rows_affected() == 1)
}

/// Locks or unlocks `day`; `true` when that changed something.
pub async fn set_lock(
    tx: &mut Tx<'_>,
    agency_id: &str,
    day: &str,
    locked: bool,
    by: &str,
    at: &str,
) -> sqlx::Result<bool> {
    let sql = (
        "INSERT INTO day_locks (agency_id, day, locked_by, locked_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (agency_id, day) DO NOTHING",
        "DELETE FROM day_locks WHERE agency_id = $1 AND day = $2",
    );
    toggle(tx, locked, sql, [agency_id, day], by, at).await
}

/// The visit's status, version, inspector and day, read inside the writing transaction.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlacedVisit {
    pub status: String,
    pub version: i64,
    pub inspector_id: String,
    pub planned_date: String,
}

pub async fn placed(tx: &mut Tx<'_>, visit_id: &str) -> sqlx::Result<Option<PlacedVisit>> {
    sqlx::query_as("SELECT status, version, inspector_id, planned_date FROM visits WHERE id = $1")
        .bind(visit_id)
        .fetch_optional(&mut **tx)
        .await
}

/// Puts the visit last on `inspector_id`'s route of `day`; its new version.
pub async fn move_visit(
    tx: &mut Tx<'_>,
    visit_id: &str,
    inspector_id: &str,
    day: &str,
) -> sqlx::Result<i64> {
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(route_order) FROM visits WHERE inspector_id = $1 AND planned_date = $2",
    )
    .bind(inspector_id)
    .bind(day)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query_scalar(
        "UPDATE visits SET inspector_id = $2, planned_date = $3, route_order = $4, version = version + 1 \
         WHERE id = $1 RETURNING version",
    )
    .bind(visit_id)
    .bind(inspector_id)
    .bind(day)
    .bind(last.unwrap_or(0) + 1)
    .fetch_one(&mut **tx)
    .await
}

/// Gives the visit its boosted priority and the first place of its day (the others move one
/// down); every visit of that day gets a new version, so tablets learn the new order. Returns
/// (visit id, new version) of each.
pub async fn boost_visit(
    tx: &mut Tx<'_>,
    visit_id: &str,
    inspector_id: &str,
    day: &str,
    priority_json: &str,
    score: f64,
) -> sqlx::Result<Vec<(String, i64)>> {
    super::planning::make_room_first(tx, inspector_id, day).await?;
    sqlx::query("UPDATE visits SET route_order = 1, priority_json = $2, score = $3 WHERE id = $1")
        .bind(visit_id)
        .bind(priority_json)
        .bind(score)
        .execute(&mut **tx)
        .await?;
    sqlx::query_as(
        "UPDATE visits SET version = version + 1 WHERE inspector_id = $1 AND planned_date = $2 \
         RETURNING id, version",
    )
    .bind(inspector_id)
    .bind(day)
    .fetch_all(&mut **tx)
    .await
}

/// The visit's stored priority (`priority_json`).
pub async fn priority_json(tx: &mut Tx<'_>, visit_id: &str) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT priority_json FROM visits WHERE id = $1")
        .bind(visit_id)
        .fetch_one(&mut **tx)
        .await
}

/// Whether `user_id` is an active inspector of the agency.
pub async fn is_inspector_of(
    executor: impl sqlx::Executor<'_, Database = Any>,
    agency_id: &str,
    user_id: &str,
) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE id = $1 AND agency_id = $2 AND role = 'inspector' AND active = 1",
    )
    .bind(user_id)
    .bind(agency_id)
    .fetch_one(executor)
    .await?;
    Ok(n > 0)
}

pub async fn set_capacity(tx: &mut Tx<'_>, user_id: &str, hours: Option<f64>) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET capacity_hours = $2 WHERE id = $1")
        .bind(user_id)
        .bind(hours)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Marks `user_id` absent (or present) on `day`; `true` when that changed something.
pub async fn set_absence(
    tx: &mut Tx<'_>,
    user_id: &str,
    day: &str,
    absent: bool,
    by: &str,
    at: &str,
) -> sqlx::Result<bool> {
    let sql = (
        "INSERT INTO absences (user_id, day, by_user, at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, day) DO NOTHING",
        "DELETE FROM absences WHERE user_id = $1 AND day = $2",
    );
    toggle(tx, absent, sql, [user_id, day], by, at).await
}

/// A visit of the site planned from `from` on that nobody started, the soonest first.
pub async fn open_planned_visit(
    pool: &sqlx::AnyPool,
    site_id: &str,
    from: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT id FROM visits WHERE site_id = $1 AND status = 'planned' AND planned_date >= $2 \
         ORDER BY planned_date, id LIMIT 1",
    )
    .bind(site_id)
    .bind(from)
    .fetch_optional(pool)
    .await
}

pub struct NewSiteBoost<'a> {
    pub id: &'a str,
    pub agency_id: &'a str,
    pub site_id: &'a str,
    pub points: f64,
    pub reason: &'a str,
    pub by_user: &'a str,
    pub from_day: &'a str,
    pub until_day: Option<&'a str>,
    pub created_at: &'a str,
}

pub async fn insert_site_boost(tx: &mut Tx<'_>, b: &NewSiteBoost<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO site_boosts (id, agency_id, site_id, points, reason, by_user, from_day, until_day, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(b.id)
    .bind(b.agency_id)
    .bind(b.site_id)
    .bind(b.points)
    .bind(b.reason)
    .bind(b.by_user)
    .bind(b.from_day)
    .bind(b.until_day)
    .bind(b.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
