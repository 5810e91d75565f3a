//! The one series model of an indicator's chart (指标走势图), from which the
//! pages and every report draw: the baseline point, the figures as the
//! engine reads them, the schedule path from the baseline to the target
//! (时序进度线), the target as a line or a band, and the trend projection
//! for the target year with its interval. See docs/methodology.md, "Charts".
//!
//! Everything is in the indicator's own quantity: levels for level, growth
//! and reduction targets (a growth or reduction target becomes the level it
//! implies), the running total since the baseline for cumulative targets.
//! The figures go through the engine's own yearly reading
//! ([`crate::progress::yearly`]), and the schedule path is
//! [`schedule_at`] read at every year, so the chart shows what the status
//! was judged on.

use crate::progress::{schedule_at, yearly, Baseline, Observation, Period, YearValue};
use crate::snapshot::IndicatorRow;
use crate::target::{Attribute, Comparator, Measure};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// The value an indicator is judged by: the latest level, or for a
/// cumulative target the total of flows since the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub value: Decimal,
    /// The latest period that went into it.
    pub period: Period,
    /// First year summed, for a cumulative total.
    pub from_year: Option<i32>,
}

/// A plotted figure: x in years (a level at its year, a flow at the end of
/// the months it covers), y the level or running total.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    /// The latest period that went into the point.
    pub period: Period,
}

/// The target in the chart's quantity.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetMark {
    Line(f64),
    /// A range, or an approximate target with the plan's tolerance.
    Band(f64, f64),
}

/// The projection for the target year, low ≤ high.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionMark {
    pub x: f64,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub measure: Measure,
    pub target_year: i32,
    /// (baseline year, baseline level), or zero flows for a cumulative target.
    pub baseline: Option<(f64, f64)>,
    /// One point per year after the baseline, oldest first.
    pub observed: Vec<Point>,
    /// The schedule path, one point per year from the baseline to the
    /// target year; empty when the baseline already meets the target.
    pub schedule: Vec<(f64, f64)>,
    pub target: Option<TargetMark>,
    pub projection: Option<ProjectionMark>,
    /// What the status was judged on.
    pub current: Option<Current>,
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

/// The chart's x of a year's figure, where the engine's trend fit puts it:
/// the end of the months it covers (a level counts as the whole year).
fn x_of(y: &YearValue) -> f64 {
    (y.year - 1) as f64 + y.months as f64 / 12.0
}

impl Series {
    /// The series of one indicator in `evaluation_year`; `approx_tolerance`
    /// is the plan's setting for approximate targets (0.05 = ±5 %).
    pub fn of(row: &IndicatorRow, evaluation_year: i32, approx_tolerance: Decimal) -> Series {
        let t = &row.target;
        let flows = row.measure == Measure::Cumulative;
        let cap = i64::from(evaluation_year.min(t.year));
        let observations: Vec<Observation> = row
            .figures
            .iter()
            .map(|g| Observation::new(g.period, g.value))
            .collect();
        // A sum beyond the decimal range is not assessable; nothing to draw.
        let years = yearly(row.measure, &observations, cap).unwrap_or_default();
        let t0 = row.baseline.as_ref().map(|b| i64::from(b.year));

        // What the status was judged on: the latest level, or the flows
        // summed since the baseline.
        let summed: Vec<&YearValue> = years
            .iter()
            .filter(|y| !flows || t0.is_none_or(|t0| y.year > t0))
            .collect();
        let current = if flows {
            let mut total = Some(Decimal::ZERO);
            for y in &summed {
                total = total.and_then(|s| s.checked_add(y.value));
            }
            match (total, summed.last()) {
                (Some(value), Some(last)) => Some(Current {
                    value,
                    period: last.last,
                    from_year: t0.map(|t0| t0 as i32 + 1).or(summed.first().map(|y| y.year as i32)),
                }),
                _ => None,
            }
        } else {
            years.last().map(|y| Current {
                value: y.value,
                period: y.last,
                from_year: None,
            })
        };

        // One point per year; a figure at or before the baseline is the
        // baseline itself.
        let mut observed = Vec::new();
        let mut running = 0.0;
        for y in &summed {
            running += f(y.value);
            let point = Point {
                x: x_of(y),
                y: if flows { running } else { f(y.value) },
                period: y.last,
            };
            if t0.is_none_or(|t0| point.x > t0 as f64) {
                observed.push(point);
            }
        }

        let base = row.baseline.as_ref().map(|b| (f64::from(b.year), f(b.value)));
        let baseline = base.map(|(x, x0)| (x, if flows { 0.0 } else { x0 }));
        let spec = t.spec(row.measure, row.unit.clone(), row.attribute == Attribute::Binding);
        let horizon = base.map(|(x, _)| f64::from(t.year) - x);
        // A number of the target (a level, a total, a growth rate in %, a
        // reduction in %) as the level or total it implies.
        let to_chart = |v: f64| -> Option<f64> {
            let x0 = base.map(|b| b.1);
            match row.measure {
                Measure::Level | Measure::Cumulative => Some(v),
                Measure::AnnualGrowth => Some(x0? * (1.0 + v / 100.0).powf(horizon?)),
                Measure::Reduction => Some(x0? * (1.0 - v / 100.0)),
            }
        };
        let target = spec.as_ref().and_then(|s| {
            let v = f(s.value);
            let band = |a: f64, b: f64| {
                Some(TargetMark::Band(
                    to_chart(a)?.min(to_chart(b)?),
                    to_chart(a)?.max(to_chart(b)?),
                ))
            };
            match (s.comparator, s.value_max) {
                (Comparator::Range, Some(max)) => band(v, f(max)),
                (Comparator::Approx, _) => {
                    let d = f(approx_tolerance) * v.abs();
                    band(v - d, v + d)
                }
                _ => to_chart(v).map(TargetMark::Line),
            }
        });

        // The schedule path, unless the baseline already meets the target
        // (a path away from a met target would read as a plan to fall back).
        let met_at_start = match (&target, baseline, t.comparator) {
            (Some(TargetMark::Line(v)), Some((_, y0)), Comparator::AtLeast) => y0 >= *v,
            (Some(TargetMark::Line(v)), Some((_, y0)), Comparator::AtMost) => y0 <= *v,
            (Some(TargetMark::Band(lo, hi)), Some((_, y0)), _) => *lo <= y0 && y0 <= *hi,
            _ => false,
        };
        let mut schedule = Vec::new();
        if let (Some(s), Some(b), false) = (&spec, &row.baseline, met_at_start) {
            let engine_baseline = Baseline::new(b.value, b.year);
            for year in b.year..=t.year {
                if let Some(v) = schedule_at(s, Some(&engine_baseline), year) {
                    schedule.push((f64::from(year), f(v)));
                }
            }
            if schedule.len() < 2 {
                schedule.clear();
            }
        }

        let projection = row.assessment.projection.as_ref().and_then(|p| {
            let (a, b) = (to_chart(p.low)?, to_chart(p.high)?);
            Some(ProjectionMark {
                x: f64::from(p.year),
                value: to_chart(p.value)?,
                low: a.min(b),
                high: a.max(b),
            })
            .filter(|m| [m.value, m.low, m.high].iter().all(|v| v.is_finite()))
        });

        Series {
            measure: row.measure,
            target_year: t.year,
            baseline,
            observed,
            schedule,
            target,
            projection,
            current,
        }
    }

    /// Nothing to draw: no baseline and no figure.
    pub fn is_empty(&self) -> bool {
        self.baseline.is_none() && self.observed.is_empty()
    }

    /// The years the x axis spans: from the baseline (or the first figure)
    /// to the target year (or the last figure).
    pub fn years(&self) -> (i32, i32) {
        let first = self
            .baseline
            .map(|(x, _)| x as i32)
            .into_iter()
            .chain(self.observed.first().map(|p| p.x.ceil() as i32))
            .min()
            .unwrap_or(self.target_year);
        let last = self.target_year.max(
            self.observed
                .last()
                .map(|p| p.x.ceil() as i32)
                .unwrap_or(self.target_year),
        );
        (first, last)
    }

    /// The last plotted point: the latest figure, else the baseline.
    pub fn last_point(&self) -> Option<(f64, f64)> {
        self.observed.last().map(|p| (p.x, p.y)).or(self.baseline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{BaselineDoc, TargetDoc};
    use crate::progress::{assess, Assessment, Status, Tolerances};
    use crate::snapshot::Figure;
    use crate::TargetKind;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn row(
        measure: Measure,
        comparator: Comparator,
        value: &str,
        baseline: Option<(&str, i32)>,
        figures: &[(&str, &str)],
    ) -> IndicatorRow {
        let mut r = IndicatorRow {
            code: "X".into(),
            name: "x".into(),
            unit: None,
            category: None,
            chapter: None,
            quote: None,
            attribute: Attribute::Expected,
            measure,
            departments: Vec::new(),
            target: TargetDoc {
                comparator,
                value: Some(dec(value)),
                value_max: None,
                year: 2025,
                kind: TargetKind::Numeric,
                reason: None,
            },
            baseline: baseline.map(|(v, y)| BaselineDoc { value: dec(v), year: y }),
            figures: figures
                .iter()
                .map(|(p, v)| Figure {
                    period: p.parse().unwrap(),
                    value: dec(v),
                    source: None,
                    revisions: 0,
                    observation_id: None,
                })
                .collect(),
            assessment: Assessment::new(Status::NoData, crate::progress::Reason::NoObservations),
        };
        let spec = r.target.spec(r.measure, None, false).unwrap();
        let obs: Vec<Observation> = r.figures.iter().map(|g| Observation::new(g.period, g.value)).collect();
        let b = r.baseline.as_ref().map(|b| Baseline::new(b.value, b.year));
        r.assessment = assess(&spec, b.as_ref(), &obs, 2023, &Tolerances::default());
        r
    }

    #[test]
    fn cumulative_points_follow_the_engines_year_rule() {
        // 2021: annual 10 (its quarters ignored); 2022: Q1 3 + Q2 4 + May 1
        // (May lies in the reported Q2, so it is left out) + Jul 2.
        let r = row(
            Measure::Cumulative,
            Comparator::AtLeast,
            "50",
            Some(("0", 2020)),
            &[
                ("2020", "99"),
                ("2021Q1", "2"),
                ("2021", "10"),
                ("2022Q1", "3"),
                ("2022Q2", "4"),
                ("2022-05", "1"),
                ("2022-07", "2"),
            ],
        );
        let s = Series::of(&r, 2023, dec("0.05"));
        let pts: Vec<(f64, f64)> = s.observed.iter().map(|p| (p.x, p.y)).collect();
        assert_eq!(pts, [(2021.0, 10.0), (2021.0 + 7.0 / 12.0, 19.0)]);
        let cur = s.current.unwrap();
        assert_eq!((cur.value, cur.from_year), (dec("19"), Some(2021)));
        assert_eq!(cur.period.to_string(), "2022-07");
        assert_eq!(s.baseline, Some((2020.0, 0.0)));
        // The schedule path is the engine's, from zero to the total.
        assert_eq!(s.schedule.first(), Some(&(2020.0, 0.0)));
        assert_eq!(s.schedule.last(), Some(&(2025.0, 50.0)));
        assert_eq!(s.schedule.len(), 6);
    }

    #[test]
    fn levels_take_each_years_latest_figure() {
        let r = row(
            Measure::Level,
            Comparator::Approx,
            "30",
            Some(("20", 2020)),
            &[("2020", "20"), ("2021Q2", "21"), ("2021", "22"), ("2022Q3", "25")],
        );
        let s = Series::of(&r, 2023, dec("0.05"));
        let pts: Vec<(f64, f64)> = s.observed.iter().map(|p| (p.x, p.y)).collect();
        assert_eq!(pts, [(2021.0, 22.0), (2022.0, 25.0)]);
        assert_eq!(s.observed[1].period.to_string(), "2022Q3");
        assert_eq!(s.current.as_ref().map(|c| c.value), Some(dec("25")));
        // An approximate target is a band of the plan's tolerance.
        assert_eq!(s.target, Some(TargetMark::Band(28.5, 31.5)));
        assert_eq!(s.schedule[3], (2023.0, 26.0));
        assert_eq!(s.years(), (2020, 2025));
    }

    #[test]
    fn a_met_baseline_has_no_schedule_path_and_growth_is_a_level() {
        let r = row(
            Measure::Level,
            Comparator::AtLeast,
            "30",
            Some(("35", 2020)),
            &[("2021", "36")],
        );
        assert!(Series::of(&r, 2023, dec("0.05")).schedule.is_empty());
        let g = row(
            Measure::AnnualGrowth,
            Comparator::AtLeast,
            "10",
            Some(("100", 2020)),
            &[("2021", "110")],
        );
        let s = Series::of(&g, 2023, dec("0.05"));
        match s.target {
            Some(TargetMark::Line(v)) => assert!((v - 161.051).abs() < 1e-6, "{v}"),
            other => panic!("{other:?}"),
        }
        assert!((s.schedule[2].1 - 121.0).abs() < 1e-9);
    }

    #[test]
    fn nothing_to_draw_without_baseline_or_figures() {
        let r = row(Measure::Level, Comparator::AtLeast, "30", None, &[]);
        let s = Series::of(&r, 2023, dec("0.05"));
        assert!(s.is_empty());
        assert_eq!(s.target, Some(TargetMark::Line(30.0)));
    }
}
