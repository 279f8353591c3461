//! Small browser helpers: ids, device time, dates, timers, position.

use chrono::{Days, NaiveDate};
use js_sys::{Date, Promise, Reflect};
use uuid::Uuid;
use wasm_bindgen_futures::JsFuture;

use shared::sync::Position;

/// A random (v4) UUID from the browser's CSPRNG.
pub fn new_uuid() -> Option<Uuid> {
    let crypto = web_sys::window()?.crypto().ok()?;
    Uuid::parse_str(&crypto.random_uuid()).ok()
}

/// Device time as RFC 3339 with the device's UTC offset, e.g. `2026-11-30T09:00:00+01:00`.
pub fn now_rfc3339() -> String {
    let d = Date::new_0();
    // getTimezoneOffset is minutes *behind* UTC.
    let offset = -(d.get_timezone_offset() as i32);
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds(),
        sign,
        offset / 60,
        offset % 60
    )
}

/// Device time with its offset, for mutations (`Mutation.at`, `started_at`, ...).
pub fn now() -> shared::sync::DeviceTime {
    chrono::DateTime::parse_from_rfc3339(&now_rfc3339())
        .unwrap_or_else(|_| chrono::DateTime::UNIX_EPOCH.fixed_offset())
}

/// The device's local date.
pub fn today() -> NaiveDate {
    let d = Date::new_0();
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
        .unwrap_or_default()
}

/// Today (even on a weekend or holiday) and the next `count` workdays after it.
pub fn working_days(count: usize) -> Vec<NaiveDate> {
    let mut days = vec![today()];
    let mut day = today();
    while days.len() <= count {
        day = day + Days::new(1);
        if shared::calendar::is_workday(day) {
            days.push(day);
        }
    }
    days
}

/// `HH:MM` of an RFC 3339 time in Amsterdam time, with the date (`DD-MM-YYYY`) in front when it is
/// not today; the text as it came when it is not a time.
pub fn short_time(rfc3339: &str) -> String {
    let Ok(at) = chrono::DateTime::parse_from_rfc3339(rfc3339) else {
        return rfc3339.to_owned();
    };
    let local = shared::calendar::amsterdam(at.to_utc());
    // "Today" in Amsterdam too, so a time after midnight there is not dated by the device's zone.
    let today_nl = shared::calendar::amsterdam(now().to_utc()).date();
    if local.date() == today_nl {
        local.format("%H:%M").to_string()
    } else {
        local.format("%d-%m-%Y %H:%M").to_string()
    }
}

/// Resolves after `ms` milliseconds, or earlier when `wake` is called with the returned resolver.
pub fn timer(ms: i32) -> (JsFuture, js_sys::Function) {
    let mut resolver = None;
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
        resolver = Some(resolve);
    });
    (
        JsFuture::from(promise),
        resolver.unwrap_or_else(|| js_sys::Function::new_no_args("")),
    )
}

/// The device position, if the inspector allows it and it comes within `timeout_ms`; never
/// more than that long, whatever the browser does with its permission prompt.
pub async fn position(timeout_ms: i32) -> Option<Position> {
    let geo = web_sys::window()?.navigator().geolocation().ok()?;
    let promise = Promise::new(&mut |resolve, _| {
        let options = web_sys::PositionOptions::new();
        options.set_timeout(timeout_ms as u32);
        options.set_maximum_age(60_000);
        options.set_enable_high_accuracy(true);
        // An error (denied, unavailable, timed out) resolves with the error object, which has no
        // `coords`; the own timer resolves with `undefined` should the browser never answer.
        let _ = geo.get_current_position_with_error_callback_and_options(
            &resolve,
            Some(&resolve),
            &options,
        );
        if let Some(w) = web_sys::window() {
            let _ =
                w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, timeout_ms + 500);
        }
    });
    let value = JsFuture::from(promise).await.ok()?;
    let coords = Reflect::get(&value, &"coords".into()).ok()?;
    if coords.is_undefined() || coords.is_null() {
        return None;
    }
    let num = |name: &str| Reflect::get(&coords, &name.into()).ok()?.as_f64();
    Some(Position {
        lat: num("latitude")?,
        lon: num("longitude")?,
        accuracy_m: num("accuracy"),
    })
}

/// Dutch number formatting: decimal comma (`shared::nl`, the rule office and reports use too).
pub fn number_nl(value: f64, decimals: u32) -> String {
    shared::nl::decimal(value, decimals)
}
