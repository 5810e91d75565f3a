//! When figures are due (报送期限): the deadline of each reporting period,
//! set per plan and frequency, and the state of an expected figure.

use crate::observation::ObservationState;
use crate::plan::Frequency;
use crate::Period;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A deadline rule: figures for a period are due on month-day `MM-DD` of
/// the year after an annual period, or `days` days after the end of a
/// quarter or month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum Deadline {
    /// `MM-DD` of the following year (an annual figure).
    FollowingYear { month: u8, day: u8 },
    /// Days after the last day of the period.
    DaysAfterEnd { days: u16 },
}

/// What is wrong with a deadline as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("期限“{text}”无效：年度指标写作月-日（如 03-31），季度、月度指标写作天数（如 30） / invalid deadline `{text}`: write month-day (03-31) for annual figures, a number of days (30) for quarterly or monthly ones")]
pub struct DeadlineError {
    pub text: String,
}

impl Deadline {
    /// The default: 03-31 of the following year for annual figures, 30
    /// days after a quarter, 15 after a month.
    pub fn default_for(freq: Frequency) -> Deadline {
        match freq {
            Frequency::Annual => Deadline::FollowingYear { month: 3, day: 31 },
            Frequency::Quarterly => Deadline::DaysAfterEnd { days: 30 },
            Frequency::Monthly => Deadline::DaysAfterEnd { days: 15 },
        }
    }

    /// Parses `MM-DD` (annual) or a number of days (quarterly, monthly).
    pub fn parse(freq: Frequency, text: &str) -> Result<Deadline, DeadlineError> {
        let t = text.trim();
        let err = || DeadlineError { text: t.to_string() };
        match freq {
            Frequency::Annual => {
                let (m, d) = t.split_once('-').ok_or_else(err)?;
                let (month, day): (u8, u8) = (m.parse().map_err(|_| err())?, d.parse().map_err(|_| err())?);
                // Any year's calendar: 02-29 would not exist in most.
                if !(1..=12).contains(&month) || day == 0 || day > days_in_month(2023, month) {
                    return Err(err());
                }
                Ok(Deadline::FollowingYear { month, day })
            }
            _ => {
                let days: u16 = t.parse().map_err(|_| err())?;
                if days > 366 {
                    return Err(err());
                }
                Ok(Deadline::DaysAfterEnd { days })
            }
        }
    }

    /// The due date (`YYYY-MM-DD`) of `period` under this rule.
    pub fn due_on(self, period: Period) -> String {
        let y = period.calendar_year();
        match self {
            Deadline::FollowingYear { month, day } => format!("{:04}-{month:02}-{day:02}", y + 1),
            Deadline::DaysAfterEnd { days } => {
                let m = period.end_month();
                let (mut y, mut m, mut d) = (y, m, days_in_month(y, m));
                // At most 366 steps.
                for _ in 0..days {
                    if d < days_in_month(y, m) {
                        d += 1;
                    } else if m < 12 {
                        (m, d) = (m + 1, 1);
                    } else {
                        (y, m, d) = (y + 1, 1, 1);
                    }
                }
                format!("{y:04}-{m:02}-{d:02}")
            }
        }
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deadline::FollowingYear { month, day } => write!(f, "{month:02}-{day:02}"),
            Deadline::DaysAfterEnd { days } => write!(f, "{days}"),
        }
    }
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Where an expected figure stands for the reporter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    /// Nothing entered yet.
    Missing,
    /// Entered, not submitted (a returned figure is a draft again).
    Draft,
    /// Returned by review (a draft whose last move was a return).
    Returned,
    /// In review.
    Submitted,
    Approved,
    Published,
}

impl DueState {
    /// The state of an expected figure: `None` when none is stored.
    pub fn of(state: Option<ObservationState>, returned: bool) -> DueState {
        match state {
            None => DueState::Missing,
            Some(ObservationState::Draft) if returned => DueState::Returned,
            Some(ObservationState::Draft) => DueState::Draft,
            Some(ObservationState::Submitted) => DueState::Submitted,
            Some(ObservationState::Approved) => DueState::Approved,
            Some(ObservationState::Published) => DueState::Published,
        }
    }

    /// Still asked of the reporter (not yet submitted).
    pub fn open(self) -> bool {
        matches!(self, DueState::Missing | DueState::Draft | DueState::Returned)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DueState::Missing => "missing",
            DueState::Draft => "draft",
            DueState::Returned => "returned",
            DueState::Submitted => "submitted",
            DueState::Approved => "approved",
            DueState::Published => "published",
        }
    }
}

/// Whether an open item due on `due` (`YYYY-MM-DD`) is overdue on `today`.
pub fn overdue(state: DueState, due: &str, today: &str) -> bool {
    state.open() && today > due
}

/// The periods of `freq` in calendar year `year`.
pub fn periods(freq: Frequency, year: i32) -> Vec<Period> {
    match freq {
        Frequency::Annual => vec![Period::year(year)],
        Frequency::Quarterly => (1..=4).filter_map(|q| Period::quarter(year, q).ok()).collect(),
        Frequency::Monthly => (1..=12).filter_map(|m| Period::month(year, m).ok()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annual_default_is_march_31_next_year() {
        let d = Deadline::default_for(Frequency::Annual);
        assert_eq!(d.due_on(Period::year(2024)), "2025-03-31");
        assert_eq!(
            Deadline::parse(Frequency::Annual, "06-30")
                .unwrap()
                .due_on(Period::year(2023)),
            "2024-06-30"
        );
        assert!(Deadline::parse(Frequency::Annual, "02-30").is_err());
        assert!(Deadline::parse(Frequency::Annual, "13-01").is_err());
        assert!(Deadline::parse(Frequency::Annual, "x").is_err());
    }

    #[test]
    fn days_after_the_end_of_a_quarter_or_month() {
        let q = Deadline::DaysAfterEnd { days: 30 };
        assert_eq!(q.due_on(Period::quarter(2024, 1).unwrap()), "2024-04-30");
        assert_eq!(q.due_on(Period::quarter(2024, 4).unwrap()), "2025-01-30");
        let m = Deadline::DaysAfterEnd { days: 15 };
        assert_eq!(m.due_on(Period::month(2024, 2).unwrap()), "2024-03-15");
        assert_eq!(
            Deadline::DaysAfterEnd { days: 0 }.due_on(Period::month(2023, 2).unwrap()),
            "2023-02-28"
        );
        assert_eq!(
            Deadline::DaysAfterEnd { days: 1 }.due_on(Period::month(2023, 1).unwrap()),
            "2023-02-01"
        );
        assert_eq!(
            Deadline::DaysAfterEnd { days: 60 }.due_on(Period::month(2023, 12).unwrap()),
            "2024-02-29"
        );
    }

    #[test]
    fn only_open_items_are_overdue() {
        assert!(overdue(DueState::Missing, "2025-03-31", "2025-04-01"));
        assert!(!overdue(DueState::Missing, "2025-03-31", "2025-03-31"));
        assert!(!overdue(DueState::Submitted, "2025-03-31", "2026-01-01"));
        assert!(overdue(DueState::Returned, "2025-03-31", "2026-01-01"));
    }
}
