//! The blob store: photos and other evidence on disk, named by their SHA-256.
//!
//! Uploads arrive in parts and are appended to `partial/<agency>.<sha>.part` (one per agency: an
//! upload of one tenant can neither be seen nor disturbed by another); once complete the content
//! is hashed, and only a matching file is moved (atomic rename, then directory fsync) to
//! `<aa>/<sha>`. A mismatch or an abandoned upload leaves nothing behind. The stored file is
//! shared by content; which agencies may see it is kept in the database (`blob_owners`).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use tokio::sync::Mutex;

const LOCK_STRIPES: usize = 64;

pub struct BlobStore {
    root: PathBuf,
    locks: Vec<Mutex<()>>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum AppendError {
    /// The part does not start where the stored bytes end.
    OffsetMismatch { stored: u64 },
}

#[derive(Debug, PartialEq, Eq)]
pub enum FinishError {
    HashMismatch,
}

impl BlobStore {
    pub fn open(data_dir: &Path) -> std::io::Result<BlobStore> {
        let root = data_dir.join("blobs");
        std::fs::create_dir_all(root.join("partial"))?;
        Ok(BlobStore {
            root,
            locks: (0..LOCK_STRIPES).map(|_| Mutex::new(())).collect(),
        })
    }

    /// Uploads of the same blob are serialised; different blobs mostly proceed in parallel.
    pub fn lock(&self, sha256: &str) -> &Mutex<()> {
        // Per content, not per agency: two agencies finishing the same blob rename onto one file.
        let stripe = u8::from_str_radix(&sha256[..2], 16).unwrap_or(0) as usize % LOCK_STRIPES;
        &self.locks[stripe]
    }

    pub fn path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(sha256)
    }

    fn partial(&self, agency_id: &str, sha256: &str) -> PathBuf {
        self.root
            .join("partial")
            .join(format!("{agency_id}.{sha256}.part"))
    }

    /// Bytes of an agency's unfinished upload stored so far.
    pub async fn partial_len(&self, agency_id: &str, sha256: &str) -> u64 {
        tokio::fs::metadata(self.partial(agency_id, sha256))
            .await
            .map(|m| m.len())
            .unwrap_or(0)
    }

    /// Appends a part at `offset`; returns the new stored length.
    pub async fn append(
        &self,
        agency_id: &str,
        sha256: &str,
        offset: u64,
        bytes: &[u8],
    ) -> std::io::Result<Result<u64, AppendError>> {
        let stored = self.partial_len(agency_id, sha256).await;
        if offset != stored {
            return Ok(Err(AppendError::OffsetMismatch { stored }));
        }
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.partial(agency_id, sha256))
            .await?;
        file.write_all(bytes).await?;
        // tokio hands the write to a blocking thread: wait until it is done (and on disk), or the
        // next part (or the final hash) may see a file without it.
        file.flush().await?;
        file.sync_data().await?;
        Ok(Ok(stored + bytes.len() as u64))
    }

    /// Checks the complete upload against its name and moves it into place; returns its size.
    pub async fn finish(
        &self,
        agency_id: &str,
        sha256: &str,
    ) -> std::io::Result<Result<u64, FinishError>> {
        // Each finish holds the whole blob in memory while hashing: a burst queues here.
        let _permit = FINISHES.acquire().await.map_err(std::io::Error::other)?;
        let partial = self.partial(agency_id, sha256);
        let bytes = tokio::fs::read(&partial).await?;
        let digest = tokio::task::spawn_blocking(move || {
            let digest = hex::encode(Sha256::digest(&bytes));
            (digest, bytes.len() as u64)
        })
        .await
        .map_err(std::io::Error::other)?;
        if digest.0 != sha256 {
            tokio::fs::remove_file(&partial).await?;
            return Ok(Err(FinishError::HashMismatch));
        }
        let target = self.path(sha256);
        let dir = target
            .parent()
            .expect("blob paths have a parent")
            .to_path_buf();
        tokio::fs::create_dir_all(&dir).await?;
        tokio::fs::rename(&partial, &target).await?;
        // The rename is durable only once the directory entry is on disk.
        tokio::fs::File::open(&dir).await?.sync_all().await?;
        Ok(Ok(digest.1))
    }

    pub async fn discard(&self, agency_id: &str, sha256: &str) -> std::io::Result<()> {
        match tokio::fs::remove_file(self.partial(agency_id, sha256)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    pub async fn read(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        tokio::fs::read(self.path(sha256)).await
    }

    /// Removes unfinished uploads untouched for longer than `max_age`; returns how many.
    pub async fn remove_abandoned(&self, max_age: Duration) -> std::io::Result<usize> {
        let mut removed = 0;
        let mut entries = tokio::fs::read_dir(self.root.join("partial")).await?;
        while let Some(entry) = entries.next_entry().await? {
            let modified = entry.metadata().await?.modified()?;
            let age = SystemTime::now()
                .duration_since(modified)
                .unwrap_or_default();
            if age > max_age {
                tokio::fs::remove_file(entry.path()).await?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// What the server checked about a photo before accepting it as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Uploads verified (read whole and hashed) at once.
static FINISHES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// Decoding a photo takes tens of megabytes and a core for a moment: at most this many at once, so
/// a burst of uploads queues instead of exhausting memory.
static DECODES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Decodes a stored blob once, under the decode limit; `None` when it is not a valid image.
pub async fn inspect_stored(store: &BlobStore, sha256: &str) -> std::io::Result<Option<ImageInfo>> {
    let _permit = DECODES.acquire().await.map_err(std::io::Error::other)?;
    let bytes = store.read(sha256).await?;
    tokio::task::spawn_blocking(move || validate_image(&bytes))
        .await
        .map_err(std::io::Error::other)
}

/// Decodes the image with explicit limits, so a decompression bomb or a non-image is refused
/// instead of exhausting memory. CPU-heavy: call from `spawn_blocking`.
pub fn validate_image(bytes: &[u8]) -> Option<ImageInfo> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let content_type = match reader.format()? {
        image::ImageFormat::Jpeg => "image/jpeg",
        image::ImageFormat::Png => "image/png",
        _ => return None,
    };
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let decoded = reader.decode().ok()?;
    Some(ImageInfo {
        content_type,
        width: decoded.width(),
        height: decoded.height(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An agency id.
    const A: &str = "6f1c2d3e-0000-4000-8000-00000000000a";
    const B: &str = "6f1c2d3e-0000-4000-8000-00000000000b";

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbImage::new(width, height)
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_real_image_is_accepted_and_a_non_image_is_not() {
        let info = validate_image(&png(40, 30)).unwrap();
        assert_eq!(
            (info.content_type, info.width, info.height),
            ("image/png", 40, 30)
        );
        assert_eq!(validate_image(b"this is not an image"), None);
    }

    #[test]
    fn an_image_claiming_enormous_dimensions_is_refused_before_decoding() {
        // A PNG header announcing 60,000 x 60,000 pixels: a classic decompression bomb.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&60_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&60_000u32.to_be_bytes());
        assert_eq!(validate_image(&bomb), None);
    }

    #[tokio::test]
    async fn only_parts_untouched_for_longer_than_the_limit_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let sha = "a".repeat(64);
        store.append(A, &sha, 0, b"part").await.unwrap().unwrap();
        assert_eq!(
            store
                .remove_abandoned(Duration::from_secs(3600))
                .await
                .unwrap(),
            0
        );
        assert_eq!(store.partial_len(A, &sha).await, 4);
        assert_eq!(store.remove_abandoned(Duration::ZERO).await.unwrap(), 1);
        assert_eq!(store.partial_len(A, &sha).await, 0);
    }

    #[tokio::test]
    async fn parts_append_at_the_right_offset_and_a_wrong_hash_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let content = b"hello blob";
        let sha = hex::encode(Sha256::digest(content));
        assert_eq!(
            store.append(A, &sha, 0, &content[..4]).await.unwrap(),
            Ok(4)
        );
        assert_eq!(
            store.append(A, &sha, 2, &content[4..]).await.unwrap(),
            Err(AppendError::OffsetMismatch { stored: 4 })
        );
        assert_eq!(
            store.append(A, &sha, 4, &content[4..]).await.unwrap(),
            Ok(10)
        );
        assert_eq!(store.finish(A, &sha).await.unwrap(), Ok(10));
        assert_eq!(store.read(&sha).await.unwrap(), content);

        let wrong = "0".repeat(64);
        store.append(A, &wrong, 0, content).await.unwrap().unwrap();
        assert_eq!(
            store.finish(A, &wrong).await.unwrap(),
            Err(FinishError::HashMismatch)
        );
        assert_eq!(store.partial_len(A, &wrong).await, 0);
        assert!(store.read(&wrong).await.is_err());
    }

    #[tokio::test]
    async fn two_agencies_uploading_the_same_content_never_touch_each_others_parts() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let content = b"the same photo";
        let sha = hex::encode(Sha256::digest(content));
        store
            .append(A, &sha, 0, &content[..5])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            store.partial_len(B, &sha).await,
            0,
            "B sees nothing of A's upload"
        );
        // B starts at 0 and finishes first; A then finishes its own upload onto the same file.
        assert_eq!(store.append(B, &sha, 0, content).await.unwrap(), Ok(14));
        assert_eq!(store.finish(B, &sha).await.unwrap(), Ok(14));
        assert_eq!(store.partial_len(A, &sha).await, 5);
        assert_eq!(
            store.append(A, &sha, 5, &content[5..]).await.unwrap(),
            Ok(14)
        );
        assert_eq!(store.finish(A, &sha).await.unwrap(), Ok(14));
        assert_eq!(store.read(&sha).await.unwrap(), content);
    }
}
