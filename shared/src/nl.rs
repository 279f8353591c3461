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

/// A measured value as an inspector types it: `12,5`, `12.5`, `-3`, `0,25`: digits with at most
/// one decimal separator (comma or point, since tablet keyboards offer either) and an optional
/// minus sign. No thousands separators (a measurement is rarely that large, and `1.250` would be
/// ambiguous). `None` for anything else, so the form can say so.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let text = text.trim();
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once([',', '.']) {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !all_digits(whole)
        || fraction.is_some_and(|f| f.is_empty() || !all_digits(f))
        || whole.len() + fraction.map_or(0, str::len) > 15
    {
        return None;
    }
    text.replace(',', ".").parse().ok()
}

/// An amount in euros as a person types it, in cents: `2500`, `2.500`, `2.500,50`, `€ 12,5`. A
/// decimal comma with at most two decimals; dots only between groups of three digits. `None` for
/// anything else (a negative amount, a decimal point, letters), so the form can say so.
pub fn parse_euro_cents(text: &str) -> Option<i64> {
    parse_fixed(text.trim().trim_start_matches('€'), 2)
}

/// A non-negative number as a person types it in Dutch, scaled by 10^`decimals`: `1250`, `1.250`,
/// `12,5` (with `decimals` 2: 1250). A decimal comma with at most `decimals` decimals; dots only
/// between groups of three digits. `None` for anything else (a negative number, a decimal point,
/// letters, an overflow).
pub fn parse_fixed(text: &str, decimals: u32) -> Option<i64> {
    let text = text.trim();
    let (whole, fraction) = match text.split_once(',') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    if whole.is_empty()
        || fraction.len() > decimals as usize
        || (text.contains(',') && fraction.is_empty())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let groups: Vec<&str> = whole.split('.').collect();
    let grouped_ok = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped_ok || !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let scale = 10i64.checked_pow(decimals)?;
    let units: i64 = groups.concat().parse().ok()?;
    let mut part: i64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    for _ in fraction.len()..decimals as usize {
        part *= 10;
    }
    units.checked_mul(scale)?.checked_add(part)
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_measured_value_takes_a_comma_or_a_point_and_nothing_else() {
        assert_eq!(parse_decimal("12,5"), Some(12.5));
        assert_eq!(parse_decimal(" 12.5 "), Some(12.5));
        assert_eq!(parse_decimal("-3"), Some(-3.0));
        assert_eq!(parse_decimal("0,25"), Some(0.25));
        assert_eq!(parse_decimal("40"), Some(40.0));
        for bad in [
            "",
            " ",
            "-",
            ",5",
            "12,",
            "1,2,3",
            "1.2,3",
            "12 5",
            "twaalf",
            "12a",
            "1e3",
            "--1",
            "+1",
            "NaN",
            "inf",
            "1234567890123456",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn euro_amounts_are_read_with_a_decimal_comma_and_grouping_dots() {
        assert_eq!(parse_euro_cents("2500"), Some(250_000));
        assert_eq!(parse_euro_cents("2.500"), Some(250_000));
        assert_eq!(parse_euro_cents(" € 2.500,50 "), Some(250_050));
        assert_eq!(parse_euro_cents("12,5"), Some(1_250));
        for bad in [
            "", "-5", "2.50", "2500.00", "12,345", "1.2345", "tien", "1,2,3", ".500", "12,",
        ] {
            assert_eq!(parse_euro_cents(bad), None, "{bad}");
        }
    }

    #[test]
    fn fixed_point_numbers_with_any_number_of_decimals() {
        assert_eq!(parse_fixed("1.250", 0), Some(1250));
        assert_eq!(parse_fixed("12,5", 2), Some(1250));
        assert_eq!(parse_fixed("0,25", 2), Some(25));
        assert_eq!(parse_fixed("7", 1), Some(70));
        for bad in ["12,5", "1,0", "-1", "1e3", "99999999999999999999"] {
            assert_eq!(parse_fixed(bad, 0), None, "{bad}");
        }
        assert_eq!(parse_fixed("12,345", 2), None);
    }

    proptest! {
        #[test]
        fn a_formatted_amount_reads_back_as_itself(cents in 0i64..10_000_000_000) {
            let text = grouped(cents as f64 / 100.0, 2);
            prop_assert_eq!(parse_euro_cents(&text), Some(cents));
        }
    }

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
