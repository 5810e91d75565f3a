//! Numbers as departments type them: `1234.5`, `1,234.5`, `１２３４．５`,
//! `－3`, `12.5%`, `1.2E+3`, parsed to exact decimals.
//!
//! Thousands separators (`,` or a blank) must group by three, so `12,3` —
//! a decimal comma, or a typo — is refused rather than read as 123.

use crate::fields::fold_width;
use rust_decimal::Decimal;
use std::str::FromStr;

/// A parsed value cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number {
    /// The number as written: `12.5%` → 12.5.
    pub value: Decimal,
    /// Whether it was followed by a percent sign.
    pub percent: bool,
}

/// Why a text is not a number that can be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not one number at all.
    NotANumber,
    /// A number with more digits than a decimal holds exactly (28
    /// significant digits, 28 after the point): it would be rounded.
    TooPrecise,
    /// A number beyond a decimal's range (about ±7.9 × 10²⁸).
    TooLarge,
}

/// Parses a number as a person types it (see the module's doc); `None` when
/// the text is not one number, or not one that can be stored exactly.
pub fn parse(text: &str) -> Option<Number> {
    parse_exact(text).ok()
}

/// [`parse`], saying why a text is refused: a number is never rounded.
pub fn parse_exact(text: &str) -> Result<Number, NumberError> {
    parse_with(text, &mut String::new())
}

/// [`parse_exact`] with a scratch buffer, so that a loop allocates at most
/// once.
pub(crate) fn parse_with(text: &str, scratch: &mut String) -> Result<Number, NumberError> {
    let text = text.trim();
    let b = text.as_bytes();
    // Fast path: plain ASCII `-123.45`, which is nearly every cell; with at
    // most 28 characters it has at most 28 digits and is held exactly.
    let plain = !b.is_empty()
        && b.len() <= 28
        && b.iter()
            .enumerate()
            .all(|(i, &c)| c.is_ascii_digit() || c == b'.' || (i == 0 && (c == b'-' || c == b'+')));
    if plain {
        if let Ok(value) = Decimal::from_str(text) {
            return Ok(Number { value, percent: false });
        }
    }
    slow(text, scratch).ok_or(NumberError::NotANumber)?
}

/// Whether `value` holds exactly the significant digits `int` `frac` (with
/// an exponent) were written with: `Decimal` rounds what it cannot hold.
fn exact(value: Decimal, int: &str, frac: &str) -> bool {
    let written = format!("{int}{frac}");
    let written = written.trim_matches('0');
    let held = value.normalize().mantissa().unsigned_abs().to_string();
    held.trim_matches('0') == written
}

fn slow(text: &str, buf: &mut String) -> Option<Result<Number, NumberError>> {
    // Fold to ASCII: full-width digits and signs, other minus signs, blanks.
    buf.clear();
    for c in text.chars() {
        let c = match fold_width(c) {
            '\u{2212}' | '\u{2012}' | '\u{2013}' => '-',
            c if c.is_whitespace() => ' ',
            c if c.is_ascii() => c,
            _ => return None,
        };
        buf.push(c);
    }
    let mut s = buf.trim();
    let mut percent = false;
    if let Some(rest) = s.strip_suffix('%') {
        percent = true;
        s = rest.trim_end();
    }
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, s[1..].trim_start()),
        Some(b'+') => (false, s[1..].trim_start()),
        _ => (false, s),
    };
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = ungroup(int)?;
    if let Some(f) = frac {
        if !f.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    let frac = frac.unwrap_or("");
    if digits.is_empty() && frac.is_empty() {
        return None;
    }
    let mut clean = String::with_capacity(s.len() + 4);
    if negative {
        clean.push('-');
    }
    clean.push_str(if digits.is_empty() { "0" } else { &digits });
    if !frac.is_empty() {
        clean.push('.');
        clean.push_str(frac);
    }
    let value = match exponent {
        None => Decimal::from_str(&clean),
        Some(e) => {
            let body = e.strip_prefix(['+', '-']).unwrap_or(e);
            if body.is_empty() || body.len() > 3 || !body.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            clean.push('e');
            clean.push_str(e);
            Decimal::from_scientific(&clean)
        }
    };
    // The text is one number: a failure now is its size or its precision.
    Some(match value {
        Err(_) if exponent.is_some_and(|e| e.starts_with('-')) => Err(NumberError::TooPrecise),
        Err(_) if exponent.is_some() || digits.trim_start_matches('0').len() > 28 => Err(NumberError::TooLarge),
        Err(_) => Err(NumberError::TooPrecise),
        Ok(value) if !exact(value, &digits, frac) => Err(NumberError::TooPrecise),
        Ok(value) => Ok(Number { value, percent }),
    })
}

/// The digits of an integer part, without thousands separators; `None` when
/// the separators do not group by three or anything else is there.
fn ungroup(int: &str) -> Option<String> {
    let sep = int.bytes().find(|&c| c == b',' || c == b' ');
    let Some(sep) = sep else {
        return int.bytes().all(|c| c.is_ascii_digit()).then(|| int.to_string());
    };
    let mut out = String::with_capacity(int.len());
    for (i, group) in int.split(sep as char).enumerate() {
        let ok = group.bytes().all(|c| c.is_ascii_digit())
            && if i == 0 {
                (1..=3).contains(&group.len())
            } else {
                group.len() == 3
            };
        if !ok {
            return None;
        }
        out.push_str(group);
    }
    Some(out)
}

/// A spreadsheet's binary number as the exact decimal a person sees: at
/// most 15 significant digits, as Excel shows it (0.1 + 0.2 → 0.3, not
/// 0.30000000000000004). `None` for infinities, NaN and magnitudes beyond a
/// decimal's range.
pub fn from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some(Decimal::ZERO);
    }
    let text = format!("{f:.14e}");
    Decimal::from_scientific_lossy(&text).ok().map(|d| d.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn n(s: &str) -> Option<Decimal> {
        parse(s).map(|n| n.value)
    }

    #[test]
    fn reads_what_people_type() {
        assert_eq!(n("1234.5"), Some(d("1234.5")));
        assert_eq!(n(" 24.50 "), Some(d("24.50")));
        assert_eq!(n("-3"), Some(d("-3")));
        assert_eq!(n("+3"), Some(d("3")));
        assert_eq!(n(".5"), Some(d("0.5")));
        assert_eq!(n("1,234,567.89"), Some(d("1234567.89")));
        assert_eq!(n("1 234 567"), Some(d("1234567")));
        assert_eq!(n("１２３４．５"), Some(d("1234.5")));
        assert_eq!(n("１，２３４"), Some(d("1234")));
        assert_eq!(n("－３"), Some(d("-3")));
        assert_eq!(n("\u{2212}3"), Some(d("-3")));
        assert_eq!(n("1.5E+3"), Some(d("1500")));
        assert_eq!(n("2.5e-2"), Some(d("0.025")));
        assert_eq!(
            parse("12.5%"),
            Some(Number {
                value: d("12.5"),
                percent: true
            })
        );
        assert_eq!(
            parse("１２．５％"),
            Some(Number {
                value: d("12.5"),
                percent: true
            })
        );
    }

    #[test]
    fn refuses_what_is_not_one_number() {
        for bad in [
            "",
            " ",
            "-",
            ".",
            "12,3a",
            "12,3",
            "1,23,456",
            "1,2345",
            ",123",
            "1.2.3",
            "abc",
            "12 万",
            "1_000",
            "1e",
            "1e1000",
            "--1",
            "1-",
            "%",
            "3,456.7.8",
            "1,234 567",
            "١٢",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn spreadsheet_floats_read_as_shown() {
        assert_eq!(from_f64(0.1 + 0.2), Some(d("0.3")));
        assert_eq!(from_f64(24.5), Some(d("24.5")));
        assert_eq!(from_f64(2023.0), Some(d("2023")));
        assert_eq!(from_f64(-1234567.891), Some(d("-1234567.891")));
        assert_eq!(from_f64(1e20), Some(d("100000000000000000000")));
        assert_eq!(from_f64(0.0), Some(Decimal::ZERO));
        assert_eq!(from_f64(f64::NAN), None);
        assert_eq!(from_f64(1e300), None);
    }
}
