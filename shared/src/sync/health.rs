//! How a device's sync looks to a team lead, from what it last reported on a push.

use serde::{Deserialize, Serialize};

/// How a device's sync looks to a team lead, from what it last reported on a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceHealth {
    /// Nothing unsent.
    UpToDate,
    /// Unsent work, but young: the device is probably just between syncs.
    Pending,
    /// The device keeps reaching the server, yet its oldest unsent change is older than
    /// `STUCK_AFTER_HOURS`: something is refused or failing on it (peers' silent stalls).
    Stuck,
    /// Unsent work and no push for longer than `SILENT_AFTER_HOURS`: offline, or not used.
    Silent,
}

/// Hours an unsent change may wait while the device is in contact before it counts as stuck.
pub const STUCK_AFTER_HOURS: i64 = 2;
/// Hours without any push after which a device with unsent work counts as silent.
pub const SILENT_AFTER_HOURS: i64 = 24;

/// Classifies a device from its last report. Times are server times; `now` is a parameter.
pub fn device_health(
    pending_count: i64,
    oldest_pending_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    last_push_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> DeviceHealth {
    if pending_count <= 0 {
        return DeviceHealth::UpToDate;
    }
    let hours = |t: chrono::DateTime<chrono::FixedOffset>| (now - t).num_minutes() as f64 / 60.0;
    match last_push_at {
        Some(push) if hours(push) <= SILENT_AFTER_HOURS as f64 => {
            let waiting = oldest_pending_at.map_or(0.0, hours);
            if waiting > STUCK_AFTER_HOURS as f64 {
                DeviceHealth::Stuck
            } else {
                DeviceHealth::Pending
            }
        }
        _ => DeviceHealth::Silent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> chrono::DateTime<chrono::FixedOffset> {
        chrono::DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn device_health_tells_idle_stuck_and_silent_devices_apart() {
        let now = at("2026-11-30T15:00:00+01:00");
        let recent = Some(at("2026-11-30T14:55:00+01:00"));
        assert_eq!(device_health(0, None, None, now), DeviceHealth::UpToDate);
        assert_eq!(
            device_health(3, Some(at("2026-11-30T14:30:00+01:00")), recent, now),
            DeviceHealth::Pending
        );
        // In contact five minutes ago, but a change has waited since the morning.
        assert_eq!(
            device_health(1, Some(at("2026-11-30T09:10:00+01:00")), recent, now),
            DeviceHealth::Stuck
        );
        assert_eq!(
            device_health(
                4,
                Some(at("2026-11-28T09:10:00+01:00")),
                Some(at("2026-11-28T17:00:00+01:00")),
                now
            ),
            DeviceHealth::Silent
        );
        assert_eq!(device_health(2, None, None, now), DeviceHealth::Silent);
        // Other offsets compare as instants.
        assert_eq!(
            device_health(
                1,
                Some(at("2026-11-30T13:30:00Z")),
                Some(at("2026-11-30T13:59:00Z")),
                now
            ),
            DeviceHealth::Pending
        );
    }
}
