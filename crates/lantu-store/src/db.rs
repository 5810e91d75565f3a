//! Small helpers shared by the modules: portable encodings of decimals,
//! enumerations and times, and typed column reads.

use crate::error::{Ctx, Result, StoreError};
use crate::Backend;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::cmp::Ordering;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

/// The current time as RFC 3339 UTC with microseconds
/// (`2024-05-01T08:30:00.123456Z`): sorts as text, reads everywhere.
pub(crate) fn now() -> String {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    format_utc(d.as_secs() as i64, d.subsec_micros())
}

pub(crate) fn format_utc(secs: i64, micros: u32) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The calendar year now (UTC).
pub(crate) fn current_year() -> i32 {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    civil_from_days(d.as_secs() as i64 / 86_400).0 as i32
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian
/// (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Checks a `YYYY-MM-DD` date.
pub(crate) fn check_date(field: &'static str, s: &str) -> Result<()> {
    let bad = || StoreError::InvalidInput {
        field,
        value: s.to_string(),
        what: "is not a date; write YYYY-MM-DD",
    };
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().map_err(|_| bad());
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days {
        return Err(bad());
    }
    Ok(())
}

/// The serde name of a unit-like enum value (`binding`, `>=`, `annual`).
pub(crate) fn enum_str<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        other => panic!("not a unit enum: {other:?}"),
    }
}

/// Reads an enum back from its serde name.
pub(crate) fn parse_enum<T: DeserializeOwned>(
    table: &'static str,
    id: i64,
    column: &'static str,
    s: &str,
) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).map_err(|e| StoreError::Corrupt {
        table,
        id,
        column,
        value: s.to_string(),
        what: e.to_string(),
    })
}

pub(crate) fn parse_dec(table: &'static str, id: i64, column: &'static str, s: &str) -> Result<Decimal> {
    Decimal::from_str(s).map_err(|e| StoreError::Corrupt {
        table,
        id,
        column,
        value: s.to_string(),
        what: e.to_string(),
    })
}

pub(crate) fn parse_opt_dec(
    table: &'static str,
    id: i64,
    column: &'static str,
    s: Option<String>,
) -> Result<Option<Decimal>> {
    s.map(|s| parse_dec(table, id, column, &s)).transpose()
}

/// Typed column read; a failure names the column.
pub(crate) fn col<'r, T>(row: &'r AnyRow, column: &'static str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(column).ctx(|| format!("reading column `{column}`"))
}

/// `geography` is stored as '' for the plan's own area.
pub(crate) fn geo_key(g: &Option<String>) -> &str {
    match g {
        Some(g) => g.trim(),
        None => "",
    }
}

pub(crate) fn geo_from_key(g: String) -> Option<String> {
    if g.is_empty() {
        None
    } else {
        Some(g)
    }
}

/// Codes ordered as people read them: digit runs by value (`t2` < `t10`),
/// the rest by character; ties broken by the plain text.
pub(crate) fn code_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let n = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let m = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (dx, dy) = (trim_zeros(&x[..n]), trim_zeros(&y[..m]));
                let o = dx.len().cmp(&dy.len()).then_with(|| dx.cmp(dy));
                if o != Ordering::Equal {
                    return o;
                }
                x = &x[n..];
                y = &y[m..];
            }
            (Some(p), Some(q)) => {
                if p != q {
                    return p.cmp(q);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let z = d.iter().take_while(|c| **c == b'0').count();
    &d[z..]
}

/// Placeholders for parameters `start + 1 ..= start + n` of a generated
/// statement, for parameters bound in that order and each used once:
/// `$k` on PostgreSQL, anonymous `?` on SQLite.
///
/// Hand-written statements use `$1` on both backends. Generated multi-row
/// statements cannot: sqlx's SQLite driver asks SQLite for the name of
/// every parameter when it binds, and SQLite finds a name by a linear
/// search, so a statement with n named parameters costs O(n²) per
/// execution (8,000 parameters: ~60 ms). Anonymous parameters have no
/// name to look up.
pub(crate) fn params(backend: Backend, start: usize, n: usize) -> String {
    match backend {
        Backend::Sqlite => vec!["?"; n].join(", "),
        Backend::Postgres => (start + 1..=start + n)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_times() {
        assert_eq!(format_utc(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(format_utc(951_782_400, 5), "2000-02-29T00:00:00.000005Z");
        assert_eq!(format_utc(1_714_552_200, 123_456), "2024-05-01T08:30:00.123456Z");
    }

    #[test]
    fn checks_dates() {
        assert!(check_date("d", "2024-02-29").is_ok());
        assert!(check_date("d", "2023-02-29").is_err());
        assert!(check_date("d", "2023-13-01").is_err());
        assert!(check_date("d", "2023-1-01").is_err());
        assert!(check_date("d", "tomorrow").is_err());
    }

    #[test]
    fn orders_codes_naturally() {
        let mut v = vec!["t10", "t2", "t001", "a", "t1", "b1"];
        v.sort_by(|a, b| code_cmp(a, b));
        assert_eq!(v, ["a", "b1", "t001", "t1", "t2", "t10"]);
    }
}
