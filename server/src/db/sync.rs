//! SQL of the sync protocol: device bookkeeping, recorded mutations and conflicts, the field
//! records devices write (notes, findings, photos, inspections), and the change feed.

use sqlx::{Any, AnyPool, FromRow, Transaction};

type Tx<'c> = Transaction<'c, Any>;

/// Registers a device on first contact. The insert never fails, so it is safe inside a PostgreSQL
/// transaction (a failed statement there would abort the whole transaction); `ON CONFLICT` rather
/// than `WHERE NOT EXISTS`, because two first pushes of one device at the same moment both see no
/// row and the second insert then violated the primary key (a 500 on PostgreSQL).
pub async fn ensure_device(tx: &mut Tx<'_>, device_id: &str, user_id: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sync_devices (device_id, user_id, last_seq, pending_count) \
         VALUES ($1, $2, 0, 0) ON CONFLICT (device_id) DO NOTHING",
    )
    .bind(device_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Locks the device row for this transaction (the UPDATE takes the row lock on PostgreSQL and the
/// write lock on SQLite), so two pushes of one device are applied one after the other.
pub async fn lock_device(
    tx: &mut Tx<'_>,
    device_id: &str,
    now: &str,
) -> sqlx::Result<(String, i64)> {
    sqlx::query("UPDATE sync_devices SET last_push_at = $1 WHERE device_id = $2")
        .bind(now)
        .bind(device_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query_as("SELECT user_id, last_seq FROM sync_devices WHERE device_id = $1")
        .bind(device_id)
        .fetch_one(&mut **tx)
        .await
}

pub async fn finish_device(
    tx: &mut Tx<'_>,
    device_id: &str,
    last_seq: i64,
    pending_count: i64,
    oldest_pending_at: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE sync_devices SET last_seq = $1, pending_count = $2, oldest_pending_at = $3 WHERE device_id = $4",
    )
    .bind(last_seq)
    .bind(pending_count)
    .bind(oldest_pending_at)
    .bind(device_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct StoredMutation {
    pub mutation_id: String,
    pub seq: i64,
    pub status: String,
    pub result: String,
}

pub async fn outcome_by_seq(
    tx: &mut Tx<'_>,
    device_id: &str,
    seq: i64,
) -> sqlx::Result<Option<StoredMutation>> {
    sqlx::query_as("SELECT mutation_id, seq, status, result FROM sync_mutations WHERE device_id = $1 AND seq = $2")
        .bind(device_id)
        .bind(seq)
        .fetch_optional(&mut **tx)
        .await
}

/// A mutation received before under any seq. Another user's mutation counts as not found, so a
/// guessed id reveals nothing about someone else's work.
pub async fn outcome_by_id(
    tx: &mut Tx<'_>,
    mutation_id: &str,
    user_id: &str,
) -> sqlx::Result<Option<StoredMutation>> {
    sqlx::query_as(
        "SELECT mutation_id, seq, status, result FROM sync_mutations WHERE mutation_id = $1 AND user_id = $2",
    )
    .bind(mutation_id)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await
}

/// A mutation id seen before: its stored outcome when it is this user's, or only that it exists.
pub enum SeenBefore {
    New,
    Own(StoredMutation),
    /// Another user's id: nothing of it may be told.
    Foreign,
}

/// One lookup for "replay of our own mutation" and "an id someone else used".
pub async fn seen_before(
    tx: &mut Tx<'_>,
    mutation_id: &str,
    user_id: &str,
) -> sqlx::Result<SeenBefore> {
    let row: Option<(String, String, i64, String, String)> = sqlx::query_as(
        "SELECT user_id, mutation_id, seq, status, result FROM sync_mutations WHERE mutation_id = $1",
    )
    .bind(mutation_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        None => SeenBefore::New,
        Some((owner, mutation_id, seq, status, result)) if owner == user_id => {
            SeenBefore::Own(StoredMutation {
                mutation_id,
                seq,
                status,
                result,
            })
        }
        Some(_) => SeenBefore::Foreign,
    })
}

pub struct MutationRecord<'a> {
    pub device_id: &'a str,
    pub seq: i64,
    pub mutation_id: &'a str,
    pub user_id: &'a str,
    pub kind: &'a str,
    pub entity_id: &'a str,
    pub base_version: Option<i64>,
    pub device_at: &'a str,
    pub received_at: &'a str,
    pub status: &'a str,
    pub result: &'a str,
}

pub async fn record_mutation(tx: &mut Tx<'_>, m: &MutationRecord<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sync_mutations (device_id, seq, mutation_id, user_id, kind, entity_id, base_version, \
         device_at, received_at, status, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(m.device_id)
    .bind(m.seq)
    .bind(m.mutation_id)
    .bind(m.user_id)
    .bind(m.kind)
    .bind(m.entity_id)
    .bind(m.base_version)
    .bind(m.device_at)
    .bind(m.received_at)
    .bind(m.status)
    .bind(m.result)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub struct ConflictRecord<'a> {
    pub id: &'a str,
    pub mutation_id: &'a str,
    pub device_id: &'a str,
    pub user_id: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub base_version: Option<i64>,
    pub current_version: Option<i64>,
    pub data: &'a str,
    pub created_at: &'a str,
}

pub async fn record_conflict(tx: &mut Tx<'_>, c: &ConflictRecord<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sync_conflicts (id, mutation_id, device_id, user_id, entity, entity_id, base_version, \
         current_version, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c.id)
    .bind(c.mutation_id)
    .bind(c.device_id)
    .bind(c.user_id)
    .bind(c.entity)
    .bind(c.entity_id)
    .bind(c.base_version)
    .bind(c.current_version)
    .bind(c.data)
    .bind(c.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A visit as the applier needs it: who may write it, where it is, and its state.
#[derive(Debug, Clone, FromRow)]
pub struct VisitState {
    pub id: String,
    pub agency_id: String,
    pub inspector_id: String,
    pub status: String,
    pub version: i64,
    pub site_id: String,
    pub authority_id: String,
    pub lat: f64,
    pub lon: f64,
    pub sector: String,
    pub activities: String,
    /// The visit kind (`planned`, `reinspection`, `sample`), copied onto its inspection.
    pub kind: String,
    /// The agency's on-site radius (`agencies.on_site_radius_m`).
    #[sqlx(try_from = "i64")]
    pub on_site_radius_m: u32,
}

pub async fn visit_state(tx: &mut Tx<'_>, visit_id: &str) -> sqlx::Result<Option<VisitState>> {
    sqlx::query_as(
        "SELECT v.id, v.agency_id, v.inspector_id, v.status, v.version, v.site_id, s.authority_id, s.lat, s.lon, \
         s.sector, s.activities, v.kind, a.on_site_radius_m FROM visits v JOIN sites s ON s.id = v.site_id \
         JOIN agencies a ON a.id = v.agency_id WHERE v.id = $1",
    )
    .bind(visit_id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn set_visit_status(tx: &mut Tx<'_>, visit_id: &str, status: &str) -> sqlx::Result<i64> {
    sqlx::query("UPDATE visits SET status = $1, version = version + 1 WHERE id = $2")
        .bind(status)
        .bind(visit_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query_scalar("SELECT version FROM visits WHERE id = $1")
        .bind(visit_id)
        .fetch_one(&mut **tx)
        .await
}

#[derive(Debug, Clone, FromRow)]
pub struct InspectionState {
    pub id: String,
    pub template_id: Option<String>,
    pub template_version: Option<i64>,
}

pub async fn inspection_of_visit(
    tx: &mut Tx<'_>,
    visit_id: &str,
) -> sqlx::Result<Option<InspectionState>> {
    sqlx::query_as("SELECT id, template_id, template_version FROM inspections WHERE visit_id = $1")
        .bind(visit_id)
        .fetch_optional(&mut **tx)
        .await
}

pub struct InspectionStart<'a> {
    pub id: &'a str,
    pub visit_id: &'a str,
    pub site_id: &'a str,
    pub inspector_id: &'a str,
    pub kind: &'a str,
    pub inspected_on: &'a str,
    pub started_at: &'a str,
    pub template_id: Option<&'a str>,
    pub template_version: Option<i64>,
    pub on_site_check: &'a str,
}

pub async fn insert_inspection(tx: &mut Tx<'_>, i: &InspectionStart<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO inspections (id, site_id, inspector_id, kind, inspected_on, started_at, hours_spent, result, \
         visit_id, template_id, template_version, on_site_check) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, 'compliant', $7, $8, $9, $10)",
    )
    .bind(i.id)
    .bind(i.site_id)
    .bind(i.inspector_id)
    .bind(i.kind)
    .bind(i.inspected_on)
    .bind(i.started_at)
    .bind(i.visit_id)
    .bind(i.template_id)
    .bind(i.template_version)
    .bind(i.on_site_check)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn finish_inspection(
    tx: &mut Tx<'_>,
    visit_id: &str,
    finished_at: &str,
    hours_spent: f64,
) -> sqlx::Result<()> {
    let violations: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM findings WHERE visit_id = $1 AND is_violation = 1",
    )
    .bind(visit_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE inspections SET finished_at = $1, hours_spent = $2, result = $3, version = version + 1 WHERE visit_id = $4",
    )
    .bind(finished_at)
    .bind(hours_spent)
    .bind(if violations > 0 { "violations" } else { "compliant" })
    .bind(visit_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct NoteRow {
    pub id: String,
    pub visit_id: String,
    pub author_id: String,
    pub text: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

pub async fn note(
    executor: impl sqlx::Executor<'_, Database = Any>,
    id: &str,
) -> sqlx::Result<Option<NoteRow>> {
    sqlx::query_as("SELECT id, visit_id, author_id, text, created_at, updated_at, version FROM visit_notes WHERE id = $1")
        .bind(id)
        .fetch_optional(executor)
        .await
}

pub async fn insert_note(
    tx: &mut Tx<'_>,
    id: &str,
    visit_id: &str,
    author_id: &str,
    text: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO visit_notes (id, visit_id, author_id, text, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $5, 1)",
    )
    .bind(id)
    .bind(visit_id)
    .bind(author_id)
    .bind(text)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn update_note(tx: &mut Tx<'_>, id: &str, text: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE visit_notes SET text = $1, updated_at = $2, version = version + 1 WHERE id = $3",
    )
    .bind(text)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct FindingRow {
    pub id: String,
    pub visit_id: String,
    pub item_id: String,
    pub answer: String,
    pub is_violation: i64,
    pub note: Option<String>,
    pub updated_at: String,
    pub version: i64,
}

const FINDING_COLUMNS: &str =
    "id, visit_id, item_id, answer, is_violation, note, updated_at, version";

pub async fn finding(
    executor: impl sqlx::Executor<'_, Database = Any>,
    id: &str,
) -> sqlx::Result<Option<FindingRow>> {
    sqlx::query_as(&format!(
        "SELECT {FINDING_COLUMNS} FROM findings WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await
}

pub async fn finding_for_item(
    tx: &mut Tx<'_>,
    visit_id: &str,
    item_id: &str,
) -> sqlx::Result<Option<FindingRow>> {
    sqlx::query_as(&format!(
        "SELECT {FINDING_COLUMNS} FROM findings WHERE visit_id = $1 AND item_id = $2"
    ))
    .bind(visit_id)
    .bind(item_id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn insert_finding(
    tx: &mut Tx<'_>,
    f: &FindingRow,
    inspection_id: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO findings (id, visit_id, inspection_id, item_id, answer, is_violation, note, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&f.id)
    .bind(&f.visit_id)
    .bind(inspection_id)
    .bind(&f.item_id)
    .bind(&f.answer)
    .bind(f.is_violation)
    .bind(f.note.as_deref())
    .bind(&f.updated_at)
    .bind(f.version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn update_finding(tx: &mut Tx<'_>, f: &FindingRow) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE findings SET answer = $1, is_violation = $2, note = $3, updated_at = $4, version = $5 WHERE id = $6",
    )
    .bind(&f.answer)
    .bind(f.is_violation)
    .bind(f.note.as_deref())
    .bind(&f.updated_at)
    .bind(f.version)
    .bind(&f.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct PhotoRow {
    pub id: String,
    pub visit_id: String,
    pub finding_id: Option<String>,
    pub sha256: String,
    pub size_bytes: i64,
    pub content_type: String,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub captured_at: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub uploaded_by: String,
    pub created_at: String,
    pub version: i64,
}

const PHOTO_COLUMNS: &str =
    "id, visit_id, finding_id, sha256, size_bytes, content_type, width, height, captured_at, \
    lat, lon, accuracy_m, uploaded_by, created_at, version";

pub async fn photo(
    executor: impl sqlx::Executor<'_, Database = Any>,
    id: &str,
) -> sqlx::Result<Option<PhotoRow>> {
    sqlx::query_as(&format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

pub async fn insert_photo(tx: &mut Tx<'_>, p: &PhotoRow) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO photos ({PHOTO_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    ))
    .bind(&p.id)
    .bind(&p.visit_id)
    .bind(p.finding_id.as_deref())
    .bind(&p.sha256)
    .bind(p.size_bytes)
    .bind(&p.content_type)
    .bind(p.width)
    .bind(p.height)
    .bind(p.captured_at.as_deref())
    .bind(p.lat)
    .bind(p.lon)
    .bind(p.accuracy_m)
    .bind(&p.uploaded_by)
    .bind(&p.created_at)
    .bind(p.version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn notes_of_visit(pool: &AnyPool, visit_id: &str) -> sqlx::Result<Vec<NoteRow>> {
    sqlx::query_as(
        "SELECT id, visit_id, author_id, text, created_at, updated_at, version FROM visit_notes WHERE visit_id = $1 \
         ORDER BY created_at, id",
    )
    .bind(visit_id)
    .fetch_all(pool)
    .await
}

pub async fn findings_of_visit(pool: &AnyPool, visit_id: &str) -> sqlx::Result<Vec<FindingRow>> {
    sqlx::query_as(&format!(
        "SELECT {FINDING_COLUMNS} FROM findings WHERE visit_id = $1 ORDER BY item_id"
    ))
    .bind(visit_id)
    .fetch_all(pool)
    .await
}

pub async fn photos_of_visit(pool: &AnyPool, visit_id: &str) -> sqlx::Result<Vec<PhotoRow>> {
    sqlx::query_as(&format!(
        "SELECT {PHOTO_COLUMNS} FROM photos WHERE visit_id = $1 ORDER BY created_at, id"
    ))
    .bind(visit_id)
    .fetch_all(pool)
    .await
}

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

pub async fn template_body(
    tx: &mut Tx<'_>,
    agency_id: &str,
    id: &str,
    version: i64,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT body FROM checklist_templates WHERE agency_id = $1 AND id = $2 AND version = $3",
    )
    .bind(agency_id)
    .bind(id)
    .bind(version)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn latest_template_bodies(tx: &mut Tx<'_>, agency_id: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT t.body FROM checklist_templates t WHERE t.agency_id = $1 AND t.version = \
         (SELECT MAX(v.version) FROM checklist_templates v WHERE v.agency_id = t.agency_id AND v.id = t.id) ORDER BY t.id",
    )
    .bind(agency_id)
    .fetch_all(&mut **tx)
    .await
}

/// The size of a blob the agency holds (uploaded by one of its users); `None` for any other.
pub async fn blob_size(
    executor: impl sqlx::Executor<'_, Database = Any>,
    agency_id: &str,
    sha256: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT b.size_bytes FROM blobs b JOIN blob_owners o ON o.sha256 = b.sha256 \
         WHERE b.sha256 = $1 AND o.agency_id = $2",
    )
    .bind(sha256)
    .bind(agency_id)
    .fetch_optional(executor)
    .await
}

/// Records a verified upload: the blob (once per content) and that this agency holds it.
pub async fn register_blob(
    pool: &AnyPool,
    agency_id: &str,
    blob: &BlobRow,
    sha256: &str,
) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO blobs (sha256, size_bytes, stored_at, content_type, width, height) \
         SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM blobs WHERE sha256 = $1)",
    )
    .bind(sha256)
    .bind(blob.size_bytes)
    .bind(super::now_text())
    .bind(blob.content_type.as_deref())
    .bind(blob.width)
    .bind(blob.height)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO blob_owners (agency_id, sha256) SELECT $1, $2 \
         WHERE NOT EXISTS (SELECT 1 FROM blob_owners WHERE agency_id = $1 AND sha256 = $2)",
    )
    .bind(agency_id)
    .bind(sha256)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

#[derive(Debug, Clone, FromRow)]
pub struct DeviceRow {
    pub device_id: String,
    pub user_id: String,
    pub user_name: String,
    pub last_seq: i64,
    pub pending_count: i64,
    pub oldest_pending_at: Option<String>,
    pub last_push_at: Option<String>,
}

/// The agency's devices, those with unsent work first, then the longest silent.
pub async fn devices_of_agency(pool: &AnyPool, agency_id: &str) -> sqlx::Result<Vec<DeviceRow>> {
    sqlx::query_as(
        "SELECT d.device_id, d.user_id, u.display_name AS user_name, d.last_seq, d.pending_count, \
         d.oldest_pending_at, d.last_push_at FROM sync_devices d JOIN users u ON u.id = d.user_id \
         WHERE u.agency_id = $1 ORDER BY d.pending_count DESC, d.last_push_at, d.device_id",
    )
    .bind(agency_id)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct ConflictRow {
    /// `conflict` or `rejected`.
    pub problem: String,
    pub id: String,
    pub mutation_id: String,
    pub device_id: String,
    pub user_id: String,
    pub user_name: String,
    pub kind: String,
    pub entity: String,
    pub entity_id: String,
    pub base_version: Option<i64>,
    pub current_version: Option<i64>,
    pub data: String,
    pub created_at: String,
}

/// Unresolved conflicts and rejected mutations of an agency (optionally of one user), newest first.
/// Rejections are read from the mutation log, conflicts from their own table.
pub async fn open_problems(
    pool: &AnyPool,
    agency_id: &str,
    user_id: Option<&str>,
) -> sqlx::Result<Vec<ConflictRow>> {
    sqlx::query_as(
        "SELECT 'conflict' AS problem, c.id, c.mutation_id, c.device_id, c.user_id, u.display_name AS user_name, m.kind, c.entity, \
         c.entity_id, c.base_version, c.current_version, c.data, c.created_at \
         FROM sync_conflicts c JOIN users u ON u.id = c.user_id JOIN sync_mutations m ON m.mutation_id = c.mutation_id \
         WHERE u.agency_id = $1 AND c.resolved_at IS NULL AND ($2 IS NULL OR c.user_id = $2) \
         UNION ALL \
         SELECT 'rejected' AS problem, m.mutation_id AS id, m.mutation_id, m.device_id, m.user_id, \
         u.display_name AS user_name, m.kind, '' AS entity, m.entity_id, m.base_version, NULL AS current_version, m.result AS data, m.received_at AS created_at \
         FROM sync_mutations m JOIN users u ON u.id = m.user_id \
         WHERE u.agency_id = $1 AND m.status = 'rejected' AND ($2 IS NULL OR m.user_id = $2) \
         AND NOT EXISTS (SELECT 1 FROM sync_problem_resolutions r WHERE r.mutation_id = m.mutation_id) \
         ORDER BY created_at DESC LIMIT 500",
    )
    .bind(agency_id)
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// A mutation the server refused, as far as resolving it needs.
#[derive(Debug, Clone, FromRow)]
pub struct RefusedMutation {
    pub user_id: String,
    pub agency_id: String,
    pub status: String,
}

pub async fn recorded_mutation(
    tx: &mut Tx<'_>,
    mutation_id: &str,
) -> sqlx::Result<Option<RefusedMutation>> {
    sqlx::query_as(
        "SELECT m.user_id, u.agency_id, m.status FROM sync_mutations m JOIN users u ON u.id = m.user_id \
         WHERE m.mutation_id = $1",
    )
    .bind(mutation_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Marks a refused mutation as settled. `false` when it was settled before (by another device or
/// person): the first settlement stands.
pub async fn resolve_problem(
    tx: &mut Tx<'_>,
    mutation_id: &str,
    resolution: &str,
    user_id: &str,
    device_id: Option<&str>,
    at: &str,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO sync_problem_resolutions (mutation_id, resolution, resolved_by, device_id, resolved_at) \
         SELECT $1, $2, $3, $4, $5 \
         WHERE NOT EXISTS (SELECT 1 FROM sync_problem_resolutions WHERE mutation_id = $1)",
    )
    .bind(mutation_id)
    .bind(resolution)
    .bind(user_id)
    .bind(device_id)
    .bind(at)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if inserted {
        sqlx::query(
            "UPDATE sync_conflicts SET resolved_at = $2, resolved_by = $3 \
             WHERE mutation_id = $1 AND resolved_at IS NULL",
        )
        .bind(mutation_id)
        .bind(at)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(inserted)
}

/// A violation's LHSO assessment as the sync protocol writes it (the row's id is the finding's).
pub struct ViolationWrite<'a> {
    pub id: &'a str,
    pub inspection_id: &'a str,
    pub site_id: &'a str,
    pub visit_id: &'a str,
    pub theme: &'a str,
    pub description: &'a str,
    pub rule_ref: &'a str,
    pub consequence: i64,
    pub behaviour: String,
    pub cell: String,
    pub suggested_cell: String,
    pub deviation_reason: Option<&'a str>,
    pub matrix_version: &'a str,
    pub repeat_offence: bool,
    pub intervention: &'a str,
    pub remedy_deadline: Option<String>,
    pub version: i64,
}

/// The version of a finding's violation row, if it has one.
pub async fn violation_version(tx: &mut Tx<'_>, id: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT version FROM violations WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Inserts (version 1) or replaces the assessment of a violation.
pub async fn write_violation(tx: &mut Tx<'_>, v: &ViolationWrite<'_>) -> sqlx::Result<()> {
    if v.version == 1 {
        sqlx::query(
            "INSERT INTO violations (id, inspection_id, site_id, theme, description, rule_ref, consequence, \
             behaviour, cell, suggested_cell, deviation_reason, matrix_version, repeat_offence, intervention, \
             remedy_deadline, finding_id, visit_id, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $1, $16, $17)",
        )
    } else {
        sqlx::query(
            "UPDATE violations SET inspection_id = $2, site_id = $3, theme = $4, description = $5, rule_ref = $6, \
             consequence = $7, behaviour = $8, cell = $9, suggested_cell = $10, deviation_reason = $11, \
             matrix_version = $12, repeat_offence = $13, intervention = $14, remedy_deadline = $15, \
             visit_id = $16, version = $17 WHERE id = $1",
        )
    }
    .bind(v.id)
    .bind(v.inspection_id)
    .bind(v.site_id)
    .bind(v.theme)
    .bind(v.description)
    .bind(v.rule_ref)
    .bind(v.consequence)
    .bind(&v.behaviour)
    .bind(&v.cell)
    .bind(&v.suggested_cell)
    .bind(v.deviation_reason)
    .bind(v.matrix_version)
    .bind(i64::from(v.repeat_offence))
    .bind(v.intervention)
    .bind(v.remedy_deadline.as_deref())
    .bind(v.visit_id)
    .bind(v.version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct BlobRow {
    pub size_bytes: i64,
    pub content_type: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
}

/// A blob the agency holds, with what its decoding found.
pub async fn blob(tx: &mut Tx<'_>, agency_id: &str, sha256: &str) -> sqlx::Result<Option<BlobRow>> {
    sqlx::query_as(
        "SELECT b.size_bytes, b.content_type, b.width, b.height FROM blobs b \
         JOIN blob_owners o ON o.sha256 = b.sha256 WHERE b.sha256 = $1 AND o.agency_id = $2",
    )
    .bind(sha256)
    .bind(agency_id)
    .fetch_optional(&mut **tx)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct ViolationRow {
    pub id: String,
    pub visit_id: Option<String>,
    pub cell: String,
    pub suggested_cell: String,
    pub deviation_reason: Option<String>,
    pub matrix_version: String,
    pub repeat_offence: i64,
    pub intervention: String,
    pub remedy_deadline: Option<String>,
    pub version: i64,
}

/// A violation assessed through the sync protocol (the feed's `violation`).
pub async fn violation(
    executor: impl sqlx::Executor<'_, Database = Any>,
    id: &str,
) -> sqlx::Result<Option<ViolationRow>> {
    sqlx::query_as(
        "SELECT id, visit_id, cell, suggested_cell, deviation_reason, matrix_version, repeat_offence, \
         intervention, remedy_deadline, version FROM violations WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(executor)
    .await
}
