//! The schedule path (时序进度线): the value a target's indicator would have
//! in a year if it moved from the baseline to the target at an even pace —
//! the line the charts draw from the baseline to the target, read at one
//! year (for the reviewer's context). Levels move in a straight line, a
//! cumulative target's running total from zero, an annual-growth target
//! compounds at the target rate, a reduction compounds to the reduced
//! level. See docs/methodology.md.

use super::model::{Baseline, TargetSpec};
use crate::target::{Comparator, Measure};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

/// The schedule path's value in `year`, or `None` when there is no path
/// (no baseline where one is needed, the year outside baseline..target,
/// or a target year not after the baseline year).
pub fn schedule_at(t: &TargetSpec, baseline: Option<&Baseline>, year: i32) -> Option<Decimal> {
    let b = baseline?;
    let (t0, big_t) = (b.year, t.year);
    if big_t <= t0 || year < t0 || year > big_t {
        return None;
    }
    let f = |d: Decimal| d.to_f64();
    let (v, x0) = (f(t.value)?, f(b.value)?);
    // The aim: the value, or the nearer bound of a range.
    let aim = |start: f64| match (t.comparator, t.value_max.and_then(f)) {
        (Comparator::Range, Some(hi)) if start > v => hi,
        _ => v,
    };
    let share = f64::from(year - t0) / f64::from(big_t - t0);
    let y = match t.measure {
        Measure::Level => x0 + (aim(x0) - x0) * share,
        Measure::Cumulative => aim(0.0) * share,
        Measure::AnnualGrowth => x0 * (1.0 + aim(0.0) / 100.0).powf(f64::from(year - t0)),
        Measure::Reduction => x0 * (1.0 - aim(0.0) / 100.0).max(0.0).powf(share),
    };
    Decimal::from_f64(y).map(|d| d.round_dp(4).normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn spec(measure: Measure, value: Decimal, year: i32) -> TargetSpec {
        TargetSpec::new(measure, Comparator::AtLeast, value, year)
    }

    #[test]
    fn paths_by_measure() {
        let b = Baseline::new(dec("20"), 2020);
        assert_eq!(
            schedule_at(&spec(Measure::Level, dec("30"), 2025), Some(&b), 2023),
            Some(dec("26"))
        );
        assert_eq!(
            schedule_at(&spec(Measure::Cumulative, dec("100"), 2025), Some(&b), 2022),
            Some(dec("40"))
        );
        assert_eq!(
            schedule_at(&spec(Measure::AnnualGrowth, dec("10"), 2025), Some(&b), 2022),
            Some(dec("24.2"))
        );
        assert_eq!(schedule_at(&spec(Measure::Level, dec("30"), 2025), None, 2023), None);
        assert_eq!(
            schedule_at(&spec(Measure::Level, dec("30"), 2025), Some(&b), 2026),
            None
        );
    }
}
