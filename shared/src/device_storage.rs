//! The storage guard's rules (the tablet applies them; they live here so they are tested once):
//! when to warn that browser storage may be lost, and which photos may leave the device. Unsent
//! work never leaves the device; a photo leaves only once the server confirmed it.

use chrono::{DateTime, Duration, FixedOffset};

/// A device keeps confirmed photos this many days unless the agency sets another number.
pub const DEFAULT_PHOTO_RETENTION_DAYS: u32 = 14;
/// Space is low when more than this share of the quota is used ...
pub const LOW_SPACE_USED_SHARE: f64 = 0.8;
/// ... or less than this many bytes are left (a day of photos, about 60 of 1.5 MB, plus room).
pub const LOW_SPACE_FREE_BYTES: u64 = 150 * 1024 * 1024;

/// What the browser reports of its storage for this site (`navigator.storage.estimate()`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub usage_bytes: u64,
    pub quota_bytes: u64,
}

impl Estimate {
    pub fn free_bytes(self) -> u64 {
        self.quota_bytes.saturating_sub(self.usage_bytes)
    }

    /// Whether the device is running out of room for field work.
    pub fn is_low(self) -> bool {
        self.quota_bytes > 0
            && (self.usage_bytes as f64 / self.quota_bytes as f64 > LOW_SPACE_USED_SHARE
                || self.free_bytes() < LOW_SPACE_FREE_BYTES)
    }
}

/// Why the inspector should act before work could be lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageWarning {
    /// The browser did not grant persistent storage: it may clear the site's data under pressure.
    NotPersisted,
    /// The app runs in a browser tab, not installed: storage is less safe and easily cleared.
    NotInstalled,
    /// Little room left.
    LowSpace,
}

/// The warnings for what the browser reported; `persisted` is `None` while unknown (no warning
/// then), `estimate` `None` when the browser gives none.
pub fn warnings(
    persisted: Option<bool>,
    installed: bool,
    estimate: Option<Estimate>,
) -> Vec<StorageWarning> {
    let mut out = Vec::new();
    // In a tab, installing is the remedy for both risks: one warning says so.
    if !installed {
        out.push(StorageWarning::NotInstalled);
    } else if persisted == Some(false) {
        out.push(StorageWarning::NotPersisted);
    }
    if estimate.is_some_and(Estimate::is_low) {
        out.push(StorageWarning::LowSpace);
    }
    out
}

/// A photo as the guard sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeptPhoto<Id> {
    pub id: Id,
    /// The server confirmed it (`photo.attach` applied): only then may its bytes leave.
    pub confirmed: bool,
    /// Its bytes are still on the device.
    pub on_device: bool,
    pub captured_at: DateTime<FixedOffset>,
}

/// Which photos' bytes to remove from the device now: confirmed photos older than
/// `retention_days`, and when space is low every confirmed photo, oldest first. Never a photo the
/// server has not confirmed.
pub fn photos_to_remove<Id: Copy>(
    photos: &[KeptPhoto<Id>],
    now: DateTime<FixedOffset>,
    retention_days: u32,
    low_space: bool,
) -> Vec<Id> {
    let cutoff = now - Duration::days(i64::from(retention_days));
    let mut chosen: Vec<&KeptPhoto<Id>> = photos
        .iter()
        .filter(|p| p.confirmed && p.on_device && (low_space || p.captured_at < cutoff))
        .collect();
    chosen.sort_by_key(|p| p.captured_at);
    chosen.into_iter().map(|p| p.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1024 * 1024;

    fn at(day: u32) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(&format!("2026-12-{day:02}T10:00:00+01:00")).unwrap()
    }

    fn photo(id: u32, confirmed: bool, day: u32) -> KeptPhoto<u32> {
        KeptPhoto {
            id,
            confirmed,
            on_device: true,
            captured_at: at(day),
        }
    }

    #[test]
    fn space_is_low_by_share_or_by_what_is_left() {
        let e = |usage, quota| Estimate {
            usage_bytes: usage * MB,
            quota_bytes: quota * MB,
        };
        assert!(!e(100, 10_000).is_low());
        assert!(e(8_100, 10_000).is_low(), "over 80 %");
        assert!(e(100, 240).is_low(), "140 MB left");
        assert!(!Estimate {
            usage_bytes: 0,
            quota_bytes: 0
        }
        .is_low());
    }

    #[test]
    fn warnings_name_each_risk_once_and_nothing_while_unknown() {
        assert_eq!(warnings(None, true, None), vec![]);
        let low = Estimate {
            usage_bytes: 90 * MB,
            quota_bytes: 100 * MB,
        };
        assert_eq!(
            warnings(Some(false), false, Some(low)),
            vec![StorageWarning::NotInstalled, StorageWarning::LowSpace],
            "in a tab, installing is the one remedy"
        );
        assert_eq!(
            warnings(Some(false), true, None),
            vec![StorageWarning::NotPersisted]
        );
        assert_eq!(
            warnings(Some(true), true, Some(low)),
            vec![StorageWarning::LowSpace]
        );
    }

    #[test]
    fn only_confirmed_photos_leave_old_ones_first_all_when_space_is_low() {
        let photos = [
            photo(1, true, 1),
            photo(2, false, 1),
            photo(3, true, 20),
            photo(4, true, 10),
            KeptPhoto {
                on_device: false,
                ..photo(5, true, 1)
            },
        ];
        let now = at(25);
        assert_eq!(
            photos_to_remove(&photos, now, 14, false),
            vec![1, 4],
            "past 14 days"
        );
        assert_eq!(photos_to_remove(&photos, now, 0, false), vec![1, 4, 3]);
        assert_eq!(
            photos_to_remove(&photos, now, 14, true),
            vec![1, 4, 3],
            "low space: every confirmed photo, oldest first, never the unsent one"
        );
    }
}
