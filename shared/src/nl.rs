//! Dutch number formatting (decimal comma, a dot between thousands), one rule for the tablet, the
//! office and the reports. Rounds half away from zero on the scaled value. (Measured: replacing
//! `format!("{:.1}")` with it did not drop core's float formatting from the bundle, which other
//! paths still use; see docs/BENCHMARKS.md.)

/// `value` with `decimals` decimals and a decimal comma, rounded half away from zero:
/// `decimal(12.345, 1)` is `12,3`, `decimal(-0.04, 1)` is `0,0`. Thousands are not grouped (a
/// measurement, a score). Not finite values read `-`.
pub fn decimal(value: f64, decimals: u32) -> String {
    digits(value, decimals, false)
}

/// Like [`decimal`], with a dot between thousands (`1.240,5`): counts and amounts in prose.
pub fn grouped(value: f64, decimals: u32) -> String {
    digits(value, decimals, true)
}

fn digits(value: f64, decimals: u32, group: bool) -> String {
    let decimals = decimals.min(6);
    let scale = 10u64.pow(decimals);
    let scaled = (value.abs() * scale as f64).round();
    if !scaled.is_finite() || scaled >= u64::MAX as f64 {
        return "-".to_owned();
    }
    let scaled = scaled as u64;
    let (whole, fraction) = (scaled / scale, scaled % scale);
    let mut out = String::new();
    if value < 0.0 && scaled != 0 {
        out.push('-');
    }
    let whole = whole.to_string();
    for (i, c) in whole.chars().enumerate() {
        if group && i > 0 && (whole.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if decimals > 0 {
        out.push(',');
        let fraction = fraction.to_string();
        for _ in fraction.len()..decimals as usize {
            out.push('0');
        }
        out.push_str(&fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dutch_decimals_and_groups() {
        assert_eq!(decimal(12.345, 1), "12,3");
        assert_eq!(decimal(0.6, 1), "0,6");
        assert_eq!(decimal(2.0, 2), "2,00");
        assert_eq!(decimal(0.05, 2), "0,05");
        assert_eq!(decimal(-1.25, 1), "-1,3");
        assert_eq!(decimal(-0.04, 1), "0,0");
        assert_eq!(decimal(7.0, 0), "7");
        assert_eq!(decimal(f64::NAN, 1), "-");
        assert_eq!(grouped(1240.0, 0), "1.240");
        assert_eq!(grouped(1234567.891, 2), "1.234.567,89");
        assert_eq!(grouped(999.0, 0), "999");
    }

    proptest! {
        #[test]
        fn the_digits_read_back_as_the_rounded_value(v in -1.0e9f64..1.0e9, d in 0u32..4) {
            let text = decimal(v, d).replace(',', ".");
            let back: f64 = text.parse().unwrap();
            let step = 10f64.powi(-(d as i32));
            prop_assert!((back - v).abs() <= step / 2.0 + 1e-6 * v.abs().max(1.0), "{v} {d} {text}");
        }
    }
}
