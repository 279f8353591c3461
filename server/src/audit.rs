//! The audit trail: who did what to which record, when, from which device. Entries are
//! hash-chained (each hash covers the entry and its predecessor's hash), so an edited, inserted or
//! deleted entry is detectable with `schouw audit verify`.

use sha2::{Digest, Sha256};
use sqlx::{Any, AnyPool, Transaction};

use crate::db::{self, audit::AuditRow};

/// One write to be recorded, in the same transaction as the write itself.
pub struct AuditEntry<'a> {
    pub actor_id: Option<&'a str>,
    pub device_id: Option<&'a str>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub old_version: Option<i64>,
    pub new_version: Option<i64>,
    pub details: serde_json::Value,
}

pub async fn record(tx: &mut Transaction<'_, Any>, entry: &AuditEntry<'_>) -> sqlx::Result<()> {
    let (seq, prev_hash) = db::audit::advance_head(tx).await?;
    let mut row = AuditRow {
        seq,
        at: db::now_text(),
        actor_id: entry.actor_id.map(str::to_owned),
        device_id: entry.device_id.map(str::to_owned),
        action: entry.action.to_owned(),
        entity: entry.entity.to_owned(),
        entity_id: entry.entity_id.to_owned(),
        old_version: entry.old_version,
        new_version: entry.new_version,
        details: entry.details.to_string(),
        prev_hash,
        hash: String::new(),
    };
    row.hash = entry_hash(&row);
    db::audit::append(tx, &row).await
}

/// Records many writes of one transaction with one head update and multi-row inserts; the chain
/// is the same as recording them one by one with [`record`].
pub async fn record_many(
    tx: &mut Transaction<'_, Any>,
    entries: &[AuditEntry<'_>],
) -> sqlx::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let count = i64::try_from(entries.len()).unwrap_or(i64::MAX);
    let (first_seq, mut prev_hash) = db::audit::reserve(tx, count).await?;
    let at = db::now_text();
    let mut rows = Vec::with_capacity(entries.len());
    for (seq, entry) in (first_seq..).zip(entries) {
        let mut row = AuditRow {
            seq,
            at: at.clone(),
            actor_id: entry.actor_id.map(str::to_owned),
            device_id: entry.device_id.map(str::to_owned),
            action: entry.action.to_owned(),
            entity: entry.entity.to_owned(),
            entity_id: entry.entity_id.to_owned(),
            old_version: entry.old_version,
            new_version: entry.new_version,
            details: entry.details.to_string(),
            prev_hash,
            hash: String::new(),
        };
        row.hash = entry_hash(&row);
        prev_hash = row.hash.clone();
        rows.push(row);
    }
    db::audit::append_many(tx, &rows).await
}

/// SHA-256 over an unambiguous encoding of every field but `hash` (a JSON array, so no
/// separator inside a value can shift fields).
pub fn entry_hash(row: &AuditRow) -> String {
    let canonical = serde_json::json!([
        row.seq,
        row.at,
        row.actor_id,
        row.device_id,
        row.action,
        row.entity,
        row.entity_id,
        row.old_version,
        row.new_version,
        row.details,
        row.prev_hash,
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    Intact {
        entries: i64,
    },
    /// The first entry whose stored hash or link does not match.
    BrokenAt {
        seq: i64,
        reason: &'static str,
    },
}

/// Walks the whole chain in pages and checks every link and hash, and that it ends at the head.
pub async fn verify(pool: &AnyPool) -> sqlx::Result<Verification> {
    let mut expected_prev = "0".repeat(64);
    let mut expected_seq = 1;
    loop {
        let page = db::audit::page_after(pool, expected_seq - 1, 1000).await?;
        if page.is_empty() {
            break;
        }
        for row in page {
            if row.seq != expected_seq {
                return Ok(Verification::BrokenAt {
                    seq: expected_seq,
                    reason: "ontbrekende regel",
                });
            }
            if row.prev_hash != expected_prev {
                return Ok(Verification::BrokenAt {
                    seq: row.seq,
                    reason: "verbroken schakel",
                });
            }
            if entry_hash(&row) != row.hash {
                return Ok(Verification::BrokenAt {
                    seq: row.seq,
                    reason: "gewijzigde inhoud",
                });
            }
            expected_prev = row.hash;
            expected_seq += 1;
        }
    }
    let (head_seq, head_hash) = db::audit::head(pool).await?;
    if head_seq != expected_seq - 1 || head_hash != expected_prev {
        return Ok(Verification::BrokenAt {
            seq: expected_seq,
            reason: "laatste regels verwijderd",
        });
    }
    Ok(Verification::Intact {
        entries: expected_seq - 1,
    })
}
