//! Reporting periods (报告期) and observations (监测值).
//!
//! A figure is reported for a year (`2023`), a quarter (`2023Q2`) or a month
//! (`2023-05`). [`Period`] is parsed once at the edge and cannot hold an
//! impossible quarter or month afterwards.

use rust_decimal::Decimal;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// How long a period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Month,
    Quarter,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Year,
    /// 1–4.
    Quarter(u8),
    /// 1–12.
    Month(u8),
}

/// A reporting period: a year, a quarter of a year, or a month of a year.
///
/// Written `2023`, `2023Q2` (also `2023q2`, `2023-Q2`) and `2023-05` (also
/// `2023-5`); displayed in the first form of each.
///
/// Periods are ordered by the month they end in; periods ending in the same
/// month are ordered month < quarter < year, so that within a year the annual
/// figure, where there is one, comes last and counts as the year's latest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    year: i32,
    part: Part,
}

/// Why a text is not a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("empty period: write a year (2023), a quarter (2023Q2) or a month (2023-05)")]
    Empty,
    #[error("period `{0}`: the year must have four digits, e.g. 2023, 2023Q2 or 2023-05")]
    Year(String),
    #[error("period `{0}`: the quarter must be Q1, Q2, Q3 or Q4, e.g. 2023Q2")]
    Quarter(String),
    #[error("period `{0}`: the month must be 01 to 12, e.g. 2023-05")]
    Month(String),
    #[error("`{0}` is not a period: write a year (2023), a quarter (2023Q2) or a month (2023-05)")]
    Unrecognised(String),
}

impl Period {
    /// The whole year `year`.
    pub fn year(year: i32) -> Period {
        Period { year, part: Part::Year }
    }

    /// Quarter `quarter` (1–4) of `year`.
    pub fn quarter(year: i32, quarter: u8) -> Result<Period, PeriodError> {
        if (1..=4).contains(&quarter) {
            Ok(Period {
                year,
                part: Part::Quarter(quarter),
            })
        } else {
            Err(PeriodError::Quarter(format!("{year}Q{quarter}")))
        }
    }

    /// Month `month` (1–12) of `year`.
    pub fn month(year: i32, month: u8) -> Result<Period, PeriodError> {
        if (1..=12).contains(&month) {
            Ok(Period {
                year,
                part: Part::Month(month),
            })
        } else {
            Err(PeriodError::Month(format!("{year}-{month:02}")))
        }
    }

    /// Parses `2023`, `2023Q2`, `2023-Q2` or `2023-05` (surrounding blanks
    /// are ignored).
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        let s = text.trim();
        if s.is_empty() {
            return Err(PeriodError::Empty);
        }
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(PeriodError::Unrecognised(s.to_string()));
        }
        if digits != 4 {
            return Err(PeriodError::Year(s.to_string()));
        }
        let year: i32 = s[..4].parse().map_err(|_| PeriodError::Year(s.to_string()))?;
        let rest = &s[4..];
        if rest.is_empty() {
            return Ok(Period::year(year));
        }
        let quarter = rest
            .strip_prefix(['Q', 'q'])
            .or_else(|| rest.strip_prefix("-Q"))
            .or_else(|| rest.strip_prefix("-q"));
        if let Some(q) = quarter {
            return match q.as_bytes() {
                [d @ b'1'..=b'4'] => Period::quarter(year, d - b'0'),
                _ => Err(PeriodError::Quarter(s.to_string())),
            };
        }
        if let Some(m) = rest.strip_prefix('-') {
            let ok = !m.is_empty() && m.len() <= 2 && m.bytes().all(|b| b.is_ascii_digit());
            let month: u8 = if ok { m.parse().unwrap_or(0) } else { 0 };
            return Period::month(year, month).map_err(|_| PeriodError::Month(s.to_string()));
        }
        Err(PeriodError::Unrecognised(s.to_string()))
    }

    /// The calendar year the period belongs to.
    pub fn calendar_year(self) -> i32 {
        self.year
    }

    pub fn granularity(self) -> Granularity {
        match self.part {
            Part::Year => Granularity::Year,
            Part::Quarter(_) => Granularity::Quarter,
            Part::Month(_) => Granularity::Month,
        }
    }

    /// The quarter (1–4), for a quarterly period.
    pub fn quarter_number(self) -> Option<u8> {
        match self.part {
            Part::Quarter(q) => Some(q),
            _ => None,
        }
    }

    /// The month (1–12), for a monthly period.
    pub fn month_number(self) -> Option<u8> {
        match self.part {
            Part::Month(m) => Some(m),
            _ => None,
        }
    }

    /// The month (1–12) in which the period ends: 12 for a year, 3·q for
    /// quarter q, m for month m.
    pub fn end_month(self) -> u8 {
        match self.part {
            Part::Year => 12,
            Part::Quarter(q) => 3 * q,
            Part::Month(m) => m,
        }
    }

    fn sort_key(self) -> (i32, u8, Granularity) {
        (self.year, self.end_month(), self.granularity())
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.part {
            Part::Year => write!(f, "{}", self.year),
            Part::Quarter(q) => write!(f, "{}Q{q}", self.year),
            Part::Month(m) => write!(f, "{}-{m:02}", self.year),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    /// Accepts the text forms, and a bare integer as a year (`2023`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Period;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a period: \"2023\", \"2023Q2\" or \"2023-05\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Period, E> {
                Period::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Period, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Period, E> {
                self.visit_str(&v.to_string())
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// One reported figure: the value of an indicator for a period.
///
/// For a level, a growth or a reduction target the value is the level of the
/// quantity at the end of the period (a year's figure, or the latest monthly
/// or quarterly reading); for a cumulative target it is the amount that
/// flowed during the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    pub period: Period,
    #[serde(with = "rust_decimal::serde::float")]
    pub value: Decimal,
}

impl Observation {
    pub fn new(period: Period, value: Decimal) -> Observation {
        Observation { period, value }
    }

    /// An annual figure.
    pub fn annual(year: i32, value: Decimal) -> Observation {
        Observation::new(Period::year(year), value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(Period::parse("2023").unwrap(), Period::year(2023));
        assert_eq!(Period::parse(" 2023Q2 ").unwrap(), Period::quarter(2023, 2).unwrap());
        assert_eq!(Period::parse("2023q4").unwrap(), Period::quarter(2023, 4).unwrap());
        assert_eq!(Period::parse("2023-Q1").unwrap(), Period::quarter(2023, 1).unwrap());
        assert_eq!(Period::parse("2023-05").unwrap(), Period::month(2023, 5).unwrap());
        assert_eq!(Period::parse("2023-5").unwrap(), Period::month(2023, 5).unwrap());
        assert_eq!(Period::parse("2023-12").unwrap().to_string(), "2023-12");
        assert_eq!(Period::parse("2023-Q3").unwrap().to_string(), "2023Q3");
    }

    #[test]
    fn rejects_with_a_clear_error() {
        assert_eq!(Period::parse(""), Err(PeriodError::Empty));
        assert_eq!(Period::parse("23"), Err(PeriodError::Year("23".into())));
        assert_eq!(Period::parse("20231"), Err(PeriodError::Year("20231".into())));
        assert_eq!(Period::parse("2023Q5"), Err(PeriodError::Quarter("2023Q5".into())));
        assert_eq!(Period::parse("2023Q"), Err(PeriodError::Quarter("2023Q".into())));
        assert_eq!(Period::parse("2023-13"), Err(PeriodError::Month("2023-13".into())));
        assert_eq!(Period::parse("2023-00"), Err(PeriodError::Month("2023-00".into())));
        assert_eq!(Period::parse("2023-123"), Err(PeriodError::Month("2023-123".into())));
        assert_eq!(Period::parse("2023年"), Err(PeriodError::Unrecognised("2023年".into())));
        assert_eq!(Period::parse("abc"), Err(PeriodError::Unrecognised("abc".into())));
        let msg = Period::parse("2023Q7").unwrap_err().to_string();
        assert!(msg.contains("2023Q7") && msg.contains("Q1"), "{msg}");
    }

    #[test]
    fn orders_by_end_month_then_granularity() {
        let p = |s: &str| Period::parse(s).unwrap();
        assert!(p("2022") < p("2023-01"));
        assert!(p("2023-05") < p("2023Q2"));
        assert!(p("2023-06") < p("2023Q2"));
        assert!(p("2023Q2") < p("2023-07"));
        assert!(p("2023-12") < p("2023Q4"));
        assert!(p("2023Q4") < p("2023"));
    }

    #[test]
    fn serde_accepts_text_and_integer_years() {
        let a: Observation = serde_json::from_str(r#"{"period":"2023Q2","value":1.5}"#).unwrap();
        assert_eq!(a.period, Period::quarter(2023, 2).unwrap());
        let b: Observation = serde_json::from_str(r#"{"period":2023,"value":7}"#).unwrap();
        assert_eq!(b.period, Period::year(2023));
        assert_eq!(serde_json::to_string(&b).unwrap(), r#"{"period":"2023","value":7.0}"#);
        let e = serde_json::from_str::<Observation>(r#"{"period":"2023-13","value":1}"#);
        assert!(e.unwrap_err().to_string().contains("01 to 12"));
    }
}
