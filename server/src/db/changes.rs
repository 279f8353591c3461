//! The change feed (`changes`, sequence numbers from `change_head`) that `GET /sync/pull` serves.

use sqlx::{AnyPool, FromRow};

use super::Tx;

pub struct ChangeRecord<'a> {
    pub agency_id: &'a str,
    pub authority_id: Option<&'a str>,
    pub inspector_id: Option<&'a str>,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub version: i64,
    pub op: &'a str,
    pub at: &'a str,
}

/// Appends a transaction's changes to the feed, in order. The head row is updated (and locked)
/// once, right before the transaction commits, which serialises writers: sequence order is commit
/// order, so a keyset cursor never skips a late commit.
pub async fn record_changes(tx: &mut Tx<'_>, changes: &[ChangeRecord<'_>]) -> sqlx::Result<()> {
    const COLUMNS: usize = 9;
    if changes.is_empty() {
        return Ok(());
    }
    let n = i64::try_from(changes.len()).unwrap_or(i64::MAX);
    let last: i64 =
        sqlx::query_scalar("UPDATE change_head SET seq = seq + $1 WHERE id = 1 RETURNING seq")
            .bind(n)
            .fetch_one(&mut **tx)
            .await?;
    let mut seq = last - n + 1;
    for chunk in changes.chunks(50) {
        let values = super::values_placeholders(chunk.len(), COLUMNS);
        let sql = format!(
            "INSERT INTO changes (seq, agency_id, authority_id, inspector_id, entity, entity_id, version, op, at) \
             VALUES {values}"
        );
        let mut query = sqlx::query(&sql);
        for c in chunk {
            query = query
                .bind(seq)
                .bind(c.agency_id)
                .bind(c.authority_id)
                .bind(c.inspector_id)
                .bind(c.entity)
                .bind(c.entity_id)
                .bind(c.version)
                .bind(c.op)
                .bind(c.at);
            seq += 1;
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct ChangeRow {
    pub seq: i64,
    pub entity: String,
    pub entity_id: String,
    pub version: i64,
    pub op: String,
}

/// Changes after `after_seq` visible to a reader: all of the agency, or only one inspector's, or
/// only one authority's.
pub async fn changes_after(
    pool: &AnyPool,
    agency_id: &str,
    after_seq: i64,
    inspector_id: Option<&str>,
    authority_id: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<ChangeRow>> {
    sqlx::query_as(
        "SELECT seq, entity, entity_id, version, op FROM changes WHERE agency_id = $1 AND seq > $2 \
         AND ($3 IS NULL OR inspector_id = $3) AND ($4 IS NULL OR authority_id = $4) ORDER BY seq LIMIT $5",
    )
    .bind(agency_id)
    .bind(after_seq)
    .bind(inspector_id)
    .bind(authority_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}
