//! The rules every applier and the tablet share: the base-version check, note validity and the
//! sane range of device times.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{DeviceTime, NOTE_MAX_CHARS};
use crate::ErrorCode;

/// Whether a mutation creates its entity or changes an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// A new entity: no `base_version`, and the entity must not exist yet.
    Create,
    /// An existing entity: `base_version` is the version the device last saw.
    Update,
    /// Either: without `base_version` the entity must be new, with one it must match.
    Upsert,
}

/// Why a mutation's `base_version` does not fit the entity as the server has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseError {
    /// A base version where none belongs, or none where one is needed.
    Invalid,
    /// A create for an entity that exists.
    Exists,
    /// An update of an entity the server does not have.
    Unknown,
    /// The device saw an older version: a conflict for a person to settle.
    Stale { current: i64 },
}

impl BaseError {
    /// The refusal's code; a stale base is a conflict (`record.version_conflict`).
    pub fn code(self) -> ErrorCode {
        match self {
            BaseError::Invalid => ErrorCode::SyncInvalidData,
            BaseError::Exists => ErrorCode::SyncEntityExists,
            BaseError::Unknown => ErrorCode::SyncUnknownEntity,
            BaseError::Stale { .. } => ErrorCode::RecordVersionConflict,
        }
    }
}

/// The one base-version check: `base` is what the device sent, `current` the entity's version on
/// the server (`None` when it does not exist).
pub fn check_base(write: Write, base: Option<i64>, current: Option<i64>) -> Result<(), BaseError> {
    match (write, base, current) {
        (Write::Create, Some(_), _) => Err(BaseError::Invalid),
        (Write::Create, None, Some(_)) => Err(BaseError::Exists),
        (Write::Update, None, _) => Err(BaseError::Invalid),
        (Write::Update | Write::Upsert, Some(_), None) => Err(BaseError::Unknown),
        (Write::Upsert, None, Some(current)) => Err(BaseError::Stale { current }),
        (_, Some(base), Some(current)) if base != current => Err(BaseError::Stale { current }),
        _ => Ok(()),
    }
}

/// A note (or finding remark) is valid when, trimmed, it has 1 to [`NOTE_MAX_CHARS`] characters.
pub fn valid_note_text(text: &str) -> bool {
    let chars = text.trim().chars().count();
    (1..=NOTE_MAX_CHARS).contains(&chars)
}

/// The earliest device time accepted: before it a device clock is wrong, not early.
pub fn earliest_device_time() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2000, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// How far a device clock may run ahead of the server's. Tablet clocks are often days off (device
/// time is recorded, never used for ordering), so only a clock a year ahead counts as garbage.
pub const DEVICE_CLOCK_AHEAD_DAYS: i64 = 366;

/// A device time is sane from 2000 up to [`DEVICE_CLOCK_AHEAD_DAYS`] after the server's `now`;
/// anything else (a reset clock in 1970, year 9999) is refused with `sync.invalid_data`.
pub fn check_device_time(t: DeviceTime, now: DateTime<Utc>) -> Result<(), ErrorCode> {
    let t = t.with_timezone(&Utc);
    if t < earliest_device_time() || t > now + Duration::days(DEVICE_CLOCK_AHEAD_DAYS) {
        return Err(ErrorCode::SyncInvalidData);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_version_rule_for_creates_updates_and_upserts() {
        use BaseError::*;
        assert_eq!(check_base(Write::Create, None, None), Ok(()));
        assert_eq!(check_base(Write::Create, Some(1), None), Err(Invalid));
        assert_eq!(check_base(Write::Create, None, Some(1)), Err(Exists));
        assert_eq!(check_base(Write::Update, Some(3), Some(3)), Ok(()));
        assert_eq!(
            check_base(Write::Update, Some(2), Some(3)),
            Err(Stale { current: 3 })
        );
        assert_eq!(check_base(Write::Update, None, Some(3)), Err(Invalid));
        assert_eq!(check_base(Write::Update, Some(1), None), Err(Unknown));
        assert_eq!(check_base(Write::Upsert, None, None), Ok(()));
        assert_eq!(
            check_base(Write::Upsert, None, Some(2)),
            Err(Stale { current: 2 })
        );
        assert_eq!(check_base(Write::Upsert, Some(2), Some(2)), Ok(()));
        assert_eq!(
            Stale { current: 1 }.code(),
            ErrorCode::RecordVersionConflict
        );
    }

    #[test]
    fn note_text_counts_trimmed_characters() {
        assert!(valid_note_text(" Lekbak ontbreekt "));
        assert!(!valid_note_text("   \n"));
        assert!(valid_note_text(&format!(
            "  {}  ",
            "é".repeat(NOTE_MAX_CHARS)
        )));
        assert!(!valid_note_text(&"a".repeat(NOTE_MAX_CHARS + 1)));
    }

    #[test]
    fn device_times_outside_the_sane_range_are_refused() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        assert_eq!(
            check_device_time(at("2026-12-01T11:00:00+01:00"), now),
            Ok(())
        );
        assert_eq!(check_device_time(at("2026-12-10T09:00:00Z"), now), Ok(()));
        assert!(check_device_time(at("2028-01-03T10:00:00Z"), now).is_err());
        assert!(check_device_time(at("9999-01-01T00:00:00Z"), now).is_err());
        assert!(check_device_time(at("1970-01-01T00:00:00Z"), now).is_err());
    }
}
