//! Accounts.

use sqlx::{AnyPool, FromRow};
use uuid::Uuid;

use shared::{Role, UserInfo};

#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: String,
    pub agency_id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub authority_id: Option<String>,
    pub password_hash: String,
    pub active: i64,
}

impl UserRow {
    /// The public view of the account. Rows are written only through this module, so a value
    /// that does not parse means a corrupted database: an internal error, not a user error.
    pub fn info(&self) -> anyhow::Result<UserInfo> {
        Ok(UserInfo {
            id: Uuid::parse_str(&self.id)?,
            name: self.display_name.clone(),
            role: Role::parse(&self.role)
                .ok_or_else(|| anyhow::anyhow!("bad role {}", self.role))?,
            authority_id: self
                .authority_id
                .as_deref()
                .map(Uuid::parse_str)
                .transpose()?,
        })
    }
}

const COLUMNS: &str =
    "id, agency_id, username, display_name, role, authority_id, password_hash, active";

pub async fn by_username(pool: &AnyPool, username: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE username = $1"))
        .bind(username)
        .fetch_optional(pool)
        .await
}

/// The user `id`, read through the pool or inside a transaction (a push settling a conflict reads
/// the author inside its own).
pub async fn by_id(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    id: &str,
) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// The agency's settings for its tablets (`agencies.on_site_radius_m`, ...).
pub async fn agency_settings(
    pool: &AnyPool,
    agency_id: &str,
) -> sqlx::Result<shared::auth::AgencySettings> {
    let (radius, retention): (i64, i64) =
        sqlx::query_as("SELECT on_site_radius_m, photo_retention_days FROM agencies WHERE id = $1")
            .bind(agency_id)
            .fetch_one(pool)
            .await?;
    Ok(shared::auth::AgencySettings {
        on_site_radius_m: u32::try_from(radius).unwrap_or(shared::coords::DEFAULT_ON_SITE_RADIUS_M),
        photo_retention_days: u32::try_from(retention)
            .unwrap_or(shared::device_storage::DEFAULT_PHOTO_RETENTION_DAYS),
    })
}
