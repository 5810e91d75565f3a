//! Numbers as a report prints them: exact decimals without trailing zeros,
//! shares as percentages with one decimal, ratios with two, estimates with
//! the precision of the data they come from. No float noise.

use crate::Lang;
use lantu_core::snapshot::IndicatorRow;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// `24.10` → `24.1`, `1E+2` → `100`, `-0` → `0`.
pub fn dec(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".to_string()
    } else {
        n.to_string()
    }
}

/// A decimal as a float, for charts and statistics.
pub fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

/// A share (0.5) as a percentage with one decimal (`50.0%`).
pub fn pct(share: f64) -> String {
    format!("{}%", fixed(share * 100.0, 1))
}

/// A ratio with two decimals (`0.83`).
pub fn ratio(r: f64) -> String {
    fixed(r, 2)
}

/// A float with `places` decimals, never `-0.0`.
pub fn fixed(x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    let negative_zero = s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.');
    if negative_zero {
        s[1..].to_string()
    } else {
        s
    }
}

/// Number of decimal places of a normalised decimal.
pub fn scale(d: Decimal) -> u32 {
    d.normalize().scale()
}

/// The most decimal places among an indicator's figures, baseline and
/// target: the precision estimates of it are printed with.
pub fn data_places(row: &IndicatorRow) -> u32 {
    row.figures
        .iter()
        .map(|f| f.value)
        .chain(row.baseline.as_ref().map(|b| b.value))
        .chain(row.target.value)
        .map(scale)
        .max()
        .unwrap_or(0)
}

/// An estimate (a projection) printed with `places` decimals, trailing zeros
/// after the point dropped (`24.50` → `24.5`).
pub fn estimate(x: f64, places: u32) -> String {
    let s = fixed(x, places as usize);
    if s.contains('.') {
        let t = s.trim_end_matches('0').trim_end_matches('.');
        if t == "-0" {
            "0".to_string()
        } else {
            t.to_string()
        }
    } else {
        s
    }
}

/// An axis label: `places` decimals, or from ten thousand on in 万/亿
/// (k, M, B in English), so a long number fits beside the axis:
/// 5000000000 → `50亿` / `5B`.
pub fn axis(lang: Lang, x: f64, places: usize) -> String {
    let scales: &[(f64, &str)] = match lang {
        Lang::Zh => &[(1e8, "亿"), (1e4, "万")],
        Lang::En => &[(1e9, "B"), (1e6, "M"), (1e4, "k")],
    };
    for (scale, word) in scales {
        if x.abs() >= *scale {
            return format!("{}{word}", estimate(x / scale, 2));
        }
    }
    fixed(x, places)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn decimals_lose_their_noise() {
        assert_eq!(dec(Decimal::from_str("24.10").unwrap()), "24.1");
        assert_eq!(dec(Decimal::from_str("100").unwrap()), "100");
        assert_eq!(dec(Decimal::from_str("100.00").unwrap()), "100");
        assert_eq!(dec(Decimal::from_str("-0.0").unwrap()), "0");
        assert_eq!(dec(Decimal::from_str("0.000123").unwrap()), "0.000123");
        assert_eq!(pct(0.5), "50.0%");
        assert_eq!(pct(0.6000000000000001), "60.0%");
        assert_eq!(pct(-0.00001), "0.0%");
        assert_eq!(ratio(0.8333333), "0.83");
        assert_eq!(estimate(24.4999999, 1), "24.5");
        assert_eq!(estimate(57123.456, 0), "57123");
        assert_eq!(estimate(2.50001, 2), "2.5");
        assert_eq!(estimate(-0.001, 2), "0");
    }

    #[test]
    fn long_axis_labels_are_scaled() {
        assert_eq!(axis(Lang::Zh, 5e9, 0), "50亿");
        assert_eq!(axis(Lang::En, 2.5e6, 0), "2.5M");
        assert_eq!(axis(Lang::Zh, 2.25, 2), "2.25");
    }
}
