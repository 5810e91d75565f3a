//! The rules, formula by formula as in docs/methodology.md.
//!
//! Exact decimals decide every comparison that can be made exactly (does a
//! value meet the target, is a level or cumulative ratio at least 1.10);
//! floats are used where powers and logarithms are needed (growth,
//! reduction) and inside the trend fit.

use super::model::{Assessment, Baseline, Likelihood, Projection, TargetSpec, Tolerances};
use super::period::{Granularity, Observation, Period};
use super::status::{Reason, Status};
use super::trend;
use crate::target::{Comparator, Measure};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Judges one target in `evaluation_year`.
///
/// `observations` may hold years, quarters and months in any order; for a
/// duplicated period the later entry wins. Observations after the
/// evaluation year, and after the target year, are not used.
pub fn assess(
    target: &TargetSpec,
    baseline: Option<&Baseline>,
    observations: &[Observation],
    evaluation_year: i32,
    tolerances: &Tolerances,
) -> Assessment {
    let mut a = Assessment::new(Status::NotAssessable, Reason::NoObservations);
    let run = Run {
        target,
        tol: tolerances,
        big_t: i64::from(target.year),
    };
    if let Err(reason) = run.assess(baseline, observations, i64::from(evaluation_year), &mut a) {
        a.status = Status::NotAssessable;
        a.reason = reason;
        a.ratio = None;
        a.progress = None;
        a.regressing = false;
        a.projection = None;
        a.warning = false;
    }
    a
}

// ---------------------------------------------------------------- numbers

/// A number that stays an exact decimal as long as it can.
#[derive(Debug, Clone, Copy)]
enum Num {
    D(Decimal),
    F(f64),
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

impl Num {
    fn float(self) -> f64 {
        match self {
            Num::D(d) => f(d),
            Num::F(x) => x,
        }
    }

    fn sub(self, o: Num) -> Num {
        match (self, o) {
            (Num::D(a), Num::D(b)) => a.checked_sub(b).map_or(Num::F(f(a) - f(b)), Num::D),
            _ => Num::F(self.float() - o.float()),
        }
    }

    fn mul(self, o: Num) -> Num {
        match (self, o) {
            (Num::D(a), Num::D(b)) => a.checked_mul(b).map_or(Num::F(f(a) * f(b)), Num::D),
            _ => Num::F(self.float() * o.float()),
        }
    }

    /// `None` when dividing by zero or leaving the finite numbers.
    fn div(self, o: Num) -> Option<Num> {
        let r = match (self, o) {
            (_, Num::D(b)) if b.is_zero() => return None,
            (Num::D(a), Num::D(b)) => a.checked_div(b).map_or(Num::F(f(a) / f(b)), Num::D),
            _ => Num::F(self.float() / o.float()),
        };
        r.finite()
    }

    fn finite(self) -> Option<Num> {
        self.float().is_finite().then_some(self)
    }

    fn ge(self, threshold: Decimal) -> bool {
        match self {
            Num::D(a) => a >= threshold,
            Num::F(x) => x >= f(threshold),
        }
    }

    fn le(self, threshold: Decimal) -> bool {
        match self {
            Num::D(a) => a <= threshold,
            Num::F(x) => x <= f(threshold),
        }
    }

    fn negative(self) -> bool {
        match self {
            Num::D(a) => a.is_sign_negative() && !a.is_zero(),
            Num::F(x) => x < 0.0,
        }
    }
}

fn d(n: i64) -> Num {
    Num::D(Decimal::from(n))
}

fn finite(x: f64) -> Option<Num> {
    x.is_finite().then_some(Num::F(x))
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// base^exp by repeated squaring, `None` on overflow.
fn powi(base: Decimal, mut exp: i64) -> Option<Decimal> {
    let mut result = Decimal::ONE;
    let mut b = base;
    while exp > 0 {
        if exp & 1 == 1 {
            result = result.checked_mul(b)?;
        }
        exp >>= 1;
        if exp > 0 {
            b = b.checked_mul(b)?;
        }
    }
    Some(result)
}

// ------------------------------------------------------------------ bands

/// The values that meet a target: `lo ≤ x ≤ hi`, a missing bound being
/// unbounded.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Band {
    lo: Option<Decimal>,
    hi: Option<Decimal>,
}

impl Band {
    fn contains(&self, x: Decimal) -> bool {
        self.lo.is_none_or(|lo| x >= lo) && self.hi.is_none_or(|hi| x <= hi)
    }

    /// `x` lies outside the band on the far side from `start`.
    fn beyond(&self, start: Decimal, x: Decimal) -> bool {
        match (self.lo, self.hi) {
            (Some(lo), Some(hi)) => (start < lo && x > hi) || (start > hi && x < lo),
            _ => false,
        }
    }

    fn f64(&self) -> (f64, f64) {
        (self.lo.map_or(f64::NEG_INFINITY, f), self.hi.map_or(f64::INFINITY, f))
    }

    /// Maps both bounds through a monotone function; a decreasing one swaps
    /// them.
    fn map(&self, increasing: bool, g: impl Fn(Decimal) -> Option<Decimal>) -> Option<Band> {
        let lo = self.lo.map(&g).map_or(Some(None), |v| v.map(Some))?;
        let hi = self.hi.map(&g).map_or(Some(None), |v| v.map(Some))?;
        Some(if increasing {
            Band { lo, hi }
        } else {
            Band { lo: hi, hi: lo }
        })
    }
}

// ------------------------------------------------------------ aggregation

/// One year's figure.
#[derive(Debug, Clone, Copy)]
pub(crate) struct YearValue {
    pub(crate) year: i64,
    /// Months of the year the figure covers (12 for levels and for full
    /// years of flows).
    pub(crate) months: i64,
    pub(crate) value: Decimal,
    /// The latest period that went into it.
    pub(crate) last: Period,
}

/// The figures as the engine reads them, one per year up to `cap`: for a
/// level the latest period's value, for a cumulative target the year's
/// flow ([`flow_years`]); a later entry for the same period wins. The
/// chart series (`crate::series`) reads the figures through this too.
pub(crate) fn yearly(measure: Measure, observations: &[Observation], cap: i64) -> Result<Vec<YearValue>, Reason> {
    let obs = by_period(observations, cap);
    if measure == Measure::Cumulative {
        flow_years(&obs)
    } else {
        Ok(level_years(&obs))
    }
}

fn by_period(observations: &[Observation], cap: i64) -> BTreeMap<Period, Decimal> {
    observations
        .iter()
        .filter(|o| i64::from(o.period.calendar_year()) <= cap)
        .map(|o| (o.period, o.value))
        .collect()
}

/// Levels: the latest period's value stands for its year.
fn level_years(obs: &BTreeMap<Period, Decimal>) -> Vec<YearValue> {
    let mut out: Vec<YearValue> = Vec::new();
    for (p, v) in obs {
        let y = YearValue {
            year: i64::from(p.calendar_year()),
            months: 12,
            value: *v,
            last: *p,
        };
        match out.last_mut() {
            Some(prev) if prev.year == y.year => *prev = y,
            _ => out.push(y),
        }
    }
    out
}

/// Flows: the annual figure where there is one; otherwise the quarters plus
/// the months of quarters not reported as such.
fn flow_years(obs: &BTreeMap<Period, Decimal>) -> Result<Vec<YearValue>, Reason> {
    let mut years: BTreeMap<i32, Vec<(Period, Decimal)>> = BTreeMap::new();
    for (p, v) in obs {
        years.entry(p.calendar_year()).or_default().push((*p, *v));
    }
    let mut out = Vec::new();
    for (year, items) in years {
        let annual = items.iter().find(|(p, _)| p.granularity() == Granularity::Year);
        let used: Vec<(Period, Decimal)> = match annual {
            Some(a) => vec![*a],
            None => {
                let quarters: Vec<u8> = items.iter().filter_map(|(p, _)| p.quarter_number()).collect();
                items
                    .iter()
                    .filter(|(p, _)| p.month_number().is_none_or(|m| !quarters.contains(&((m - 1) / 3 + 1))))
                    .copied()
                    .collect()
            }
        };
        let mut value = Decimal::ZERO;
        for (_, v) in &used {
            value = value.checked_add(*v).ok_or(Reason::NumericLimit)?;
        }
        let last = used.iter().map(|(p, _)| *p).max().unwrap_or(Period::year(year));
        out.push(YearValue {
            year: i64::from(year),
            months: i64::from(last.end_month()),
            value,
            last,
        });
    }
    Ok(out)
}

// ------------------------------------------------------------------- rules

struct Run<'a> {
    target: &'a TargetSpec,
    tol: &'a Tolerances,
    big_t: i64,
}

/// What the baseline-relative rules work with.
struct Frame<'a> {
    x0: Decimal,
    t0: i64,
    points: Vec<&'a YearValue>,
    last: &'a YearValue,
    /// Elapsed and total months: s = elapsed / total.
    elapsed: i64,
    total: i64,
    /// The judged quantity q (latest level, or sum of flows) and its value
    /// at the baseline q0.
    q: Decimal,
    q0: Decimal,
    /// Values of q that meet the target (growth at the full horizon).
    band: Band,
}

impl Frame<'_> {
    fn s(&self) -> Num {
        d(self.elapsed).div(d(self.total)).unwrap_or(Num::F(0.0))
    }
}

impl Run<'_> {
    fn measure(&self) -> Measure {
        self.target.measure
    }

    fn flows(&self) -> bool {
        self.measure() == Measure::Cumulative
    }

    /// Values of the target's own number (a level, a total, a growth rate
    /// in %, a reduction in %) that meet it.
    fn value_band(&self) -> Result<Band, Reason> {
        let t = self.target;
        let v = t.value;
        let band = match t.comparator {
            Comparator::AtLeast | Comparator::Exact => Band { lo: Some(v), hi: None },
            Comparator::AtMost => Band { lo: None, hi: Some(v) },
            Comparator::Range => {
                let max = t.value_max.ok_or(Reason::MissingUpperBound)?;
                if max < v {
                    return Err(Reason::ReversedRange);
                }
                Band {
                    lo: Some(v),
                    hi: Some(max),
                }
            }
            Comparator::Approx => {
                let dv = self
                    .tol
                    .approx_tolerance
                    .checked_mul(v.abs())
                    .ok_or(Reason::NumericLimit)?;
                Band {
                    lo: Some(v.checked_sub(dv).ok_or(Reason::NumericLimit)?),
                    hi: Some(v.checked_add(dv).ok_or(Reason::NumericLimit)?),
                }
            }
        };
        let written = [Some(v), t.value_max.filter(|_| t.comparator == Comparator::Range)];
        match self.measure() {
            Measure::AnnualGrowth if written.iter().flatten().any(|g| *g <= -HUNDRED) => {
                Err(Reason::GrowthBelowMinus100)
            }
            Measure::Reduction if written.iter().flatten().any(|r| *r > HUNDRED) => Err(Reason::ReductionAbove100),
            _ => Ok(band),
        }
    }

    /// The target's number progress is measured toward: the value, or for a
    /// range the bound nearer to `start`.
    fn aim(&self, band: &Band, start: Decimal) -> Decimal {
        match (self.target.comparator, band.lo, band.hi) {
            (Comparator::Range, Some(lo), Some(hi)) => {
                if start <= lo {
                    lo
                } else {
                    hi
                }
            }
            _ => self.target.value,
        }
    }

    /// The band in terms of the judged quantity: levels for growth
    /// (x0·(1+g)^years) and reduction (x0·(1−R)), the same numbers
    /// otherwise.
    fn judged_band(&self, vb: &Band, x0: Decimal, years: i64) -> Result<Band, Reason> {
        let mapped = match self.measure() {
            Measure::Level | Measure::Cumulative => Some(*vb),
            Measure::AnnualGrowth => vb.map(true, |g| {
                let factor = (HUNDRED.checked_add(g)?.checked_div(HUNDRED)?).max(Decimal::ZERO);
                x0.checked_mul(powi(factor, years)?)
            }),
            Measure::Reduction => vb.map(false, |r| x0.checked_mul(HUNDRED.checked_sub(r)?.checked_div(HUNDRED)?)),
        };
        mapped.ok_or(Reason::NumericLimit)
    }

    fn assess(
        &self,
        baseline: Option<&Baseline>,
        observations: &[Observation],
        eval: i64,
        a: &mut Assessment,
    ) -> Result<(), Reason> {
        let vb = self.value_band()?;
        if let Some(b) = baseline {
            let t0 = i64::from(b.year);
            if self.big_t <= t0 {
                return Err(Reason::TargetYearNotAfterBaseline);
            }
            if eval < t0 {
                return Err(Reason::EvaluationBeforeBaseline);
            }
            if matches!(self.measure(), Measure::AnnualGrowth | Measure::Reduction) && b.value <= Decimal::ZERO {
                return Err(Reason::NonPositiveLevel);
            }
        }
        let years = yearly(self.measure(), observations, eval.min(self.big_t))?;
        let Some(latest) = years.last() else {
            a.status = Status::NoData;
            a.reason = Reason::NoObservations;
            return Ok(());
        };
        a.as_of = Some(latest.last);
        let final_eval = eval >= self.big_t;
        match baseline {
            None => self.without_baseline(&years, &vb, final_eval, a),
            Some(b) => self.with_baseline(b, &years, &vb, final_eval, a),
        }
    }

    fn without_baseline(
        &self,
        years: &[YearValue],
        vb: &Band,
        final_eval: bool,
        a: &mut Assessment,
    ) -> Result<(), Reason> {
        let q = match self.measure() {
            Measure::AnnualGrowth | Measure::Reduction => return Err(Reason::NoBaseline),
            Measure::Level => years[years.len() - 1].value,
            Measure::Cumulative => sum(years.iter())?,
        };
        let met = vb.contains(q);
        if final_eval {
            let last_year = years[years.len() - 1].year;
            self.final_status(met, last_year, a);
        } else if met && !(self.flows() && self.target.comparator == Comparator::AtMost) {
            set(a, Status::Achieved, Reason::MetEarly);
        } else if !met && self.flows() && self.target.comparator == Comparator::AtMost {
            set(a, Status::Lagging, Reason::AllowanceExceeded);
        } else {
            return Err(Reason::NoBaseline);
        }
        a.warning = self.target.binding && matches!(a.status, Status::Lagging | Status::NotCompleted);
        Ok(())
    }

    fn final_status(&self, met: bool, last_year: i64, a: &mut Assessment) {
        if met {
            set(a, Status::Completed, Reason::MetInTargetYear);
        } else if last_year < self.big_t {
            set(a, Status::NotCompleted, Reason::TargetYearFigureMissing);
        } else {
            set(a, Status::NotCompleted, Reason::NotMetInTargetYear);
        }
    }

    fn with_baseline(
        &self,
        b: &Baseline,
        years: &[YearValue],
        vb: &Band,
        final_eval: bool,
        a: &mut Assessment,
    ) -> Result<(), Reason> {
        let t0 = i64::from(b.year);
        let points: Vec<&YearValue> = years
            .iter()
            .filter(|y| if self.flows() { y.year > t0 } else { y.year >= t0 })
            .collect();
        let Some(&last) = points.last() else {
            a.status = Status::NoData;
            a.reason = Reason::NoObservationSinceBaseline;
            return Ok(());
        };
        a.as_of = Some(last.last);
        let (q, q0) = if self.flows() {
            (sum(points.iter().copied())?, Decimal::ZERO)
        } else {
            (last.value, b.value)
        };
        let horizon = self.big_t - t0;
        let fr = Frame {
            x0: b.value,
            t0,
            band: self.judged_band(vb, b.value, horizon)?,
            points,
            last,
            elapsed: 12 * (last.year - t0 - 1) + last.months,
            total: 12 * horizon,
            q,
            q0,
        };
        a.elapsed_share = Some(fr.s().float());
        let pace =
            self.target.comparator == Comparator::AtMost && self.measure() != Measure::Level && fr.band.contains(q0);

        if final_eval {
            return self.final_with_baseline(&fr, vb, pace, a);
        }
        if pace {
            self.pace(&fr, a)?;
        } else if fr.band.contains(q) {
            set(a, Status::Achieved, Reason::MetEarly);
            if !fr.band.contains(q0) && fr.elapsed > 0 {
                self.fill(a, self.goal(&fr, vb).ok());
            }
        } else if fr.band.contains(q0) {
            set(a, Status::Lagging, Reason::NoLongerMet);
            a.regressing = true;
        } else if fr.elapsed <= 0 {
            return Err(Reason::NoTimeElapsed);
        } else if fr.band.beyond(q0, q) {
            set(a, Status::Ahead, Reason::Overshoot);
            self.fill(a, self.goal(&fr, vb).ok());
        } else {
            let (p, r) = self.goal(&fr, vb)?;
            let status = if r.ge(self.tol.ahead_ratio) {
                Status::Ahead
            } else if r.ge(self.tol.on_track_ratio) {
                Status::OnTrack
            } else {
                Status::Lagging
            };
            let reason = match status {
                Status::Ahead => Reason::AheadOfSchedule,
                Status::OnTrack => Reason::OnSchedule,
                _ if p.negative() => Reason::MovingAway,
                _ => Reason::BehindSchedule,
            };
            set(a, status, reason);
            self.fill(a, Some((p, r)));
            a.regressing = p.negative();
        }
        a.projection = self.projection(&fr, vb);
        a.warning = (self.target.binding && a.status == Status::Lagging)
            || a.projection.is_some_and(|p| p.likelihood == Likelihood::Unlikely);
        Ok(())
    }

    fn final_with_baseline(&self, fr: &Frame, vb: &Band, pace: bool, a: &mut Assessment) -> Result<(), Reason> {
        let band = if self.measure() == Measure::AnnualGrowth {
            // Growth is a rate: judged on the average rate up to the latest year.
            let years = fr.last.year - fr.t0;
            if years <= 0 {
                return Err(Reason::NoTimeElapsed);
            }
            self.judged_band(vb, fr.x0, years)?
        } else {
            fr.band
        };
        self.final_status(band.contains(fr.q), fr.last.year, a);
        if fr.elapsed > 0 {
            if pace {
                self.fill(a, self.usage(fr));
            } else if !fr.band.contains(fr.q0) {
                let pr = self.goal(fr, vb).ok();
                self.fill(a, pr);
                a.regressing = pr.is_some_and(|(p, _)| p.negative());
            }
        }
        if !pace && fr.band.contains(fr.q0) && !fr.band.contains(fr.q) {
            a.regressing = true;
        }
        a.warning = self.target.binding && a.status == Status::NotCompleted;
        Ok(())
    }

    fn fill(&self, a: &mut Assessment, pr: Option<(Num, Num)>) {
        if let Some((p, r)) = pr {
            a.progress = Some(p.float());
            a.ratio = Some(r.float());
        }
    }

    /// Progress p toward the target and the schedule ratio r (baseline not
    /// meeting the target, s > 0).
    fn goal(&self, fr: &Frame, vb: &Band) -> Result<(Num, Num), Reason> {
        let (q, q0) = (Num::D(fr.q), Num::D(fr.q0));
        let pr = match self.measure() {
            Measure::Level | Measure::Cumulative => {
                let aim = Num::D(self.aim(vb, fr.q0));
                let num = q.sub(q0);
                let den = aim.sub(q0);
                let p = num.div(den);
                let r = num.mul(d(fr.total)).div(den.mul(d(fr.elapsed)));
                p.zip(r)
            }
            Measure::AnnualGrowth => {
                if fr.q <= Decimal::ZERO {
                    return Err(Reason::NonPositiveLevel);
                }
                let g = f(self.aim(vb, Decimal::ZERO)) / 100.0;
                let years = (fr.last.year - fr.t0) as f64;
                let horizon = (self.big_t - fr.t0) as f64;
                let lr = (f(fr.q) / f(fr.x0)).ln();
                let p = finite(lr / (horizon * g.ln_1p()));
                let r = if g > 0.0 {
                    finite((lr / years).exp_m1() / g)
                } else {
                    p.and_then(|p| p.div(fr.s()))
                };
                p.zip(r)
            }
            Measure::Reduction => {
                let big_r = self.aim(vb, Decimal::ZERO).checked_div(HUNDRED);
                let achieved = Num::D(Decimal::ONE).sub(q.div(Num::D(fr.x0)).ok_or(Reason::NumericLimit)?);
                big_r.and_then(|big_r| {
                    let p = achieved.div(Num::D(big_r))?;
                    let required = 1.0 - (1.0 - f(big_r)).powf(fr.s().float());
                    let r = achieved.div(finite(required)?)?;
                    Some((p, r))
                })
            }
        };
        pr.ok_or(Reason::NumericLimit)
    }

    /// For a ceiling on a flow, a growth rate or a reduction: the share of
    /// the allowance used (p) and the pace of use (u = p / s, CAGR / g, or
    /// achieved / allowed reduction). `None` when the allowance is zero.
    fn usage(&self, fr: &Frame) -> Option<(Num, Num)> {
        let v = self.target.value;
        match self.measure() {
            Measure::Level => None,
            Measure::Cumulative if v > Decimal::ZERO => {
                let q = Num::D(fr.q);
                let p = q.div(Num::D(v))?;
                let u = q.mul(d(fr.total)).div(Num::D(v).mul(d(fr.elapsed)))?;
                Some((p, u))
            }
            Measure::AnnualGrowth if v > Decimal::ZERO && fr.q > Decimal::ZERO => {
                let g = f(v) / 100.0;
                let years = (fr.last.year - fr.t0) as f64;
                let horizon = (self.big_t - fr.t0) as f64;
                let lr = (f(fr.q) / f(fr.x0)).ln();
                let p = finite(lr / (horizon * g.ln_1p()))?;
                let u = finite((lr / years).exp_m1() / g)?;
                Some((p, u))
            }
            Measure::Reduction if v > Decimal::ZERO => {
                let big_r = v.checked_div(HUNDRED)?;
                let achieved = Num::D(Decimal::ONE).sub(Num::D(fr.q).div(Num::D(fr.x0))?);
                let p = achieved.div(Num::D(big_r))?;
                let allowed = 1.0 - (1.0 - f(big_r)).powf(fr.s().float());
                let u = achieved.div(finite(allowed)?)?;
                Some((p, u))
            }
            _ => None,
        }
    }

    fn pace(&self, fr: &Frame, a: &mut Assessment) -> Result<(), Reason> {
        if !fr.band.contains(fr.q) {
            set(a, Status::Lagging, Reason::AllowanceExceeded);
            if fr.elapsed > 0 {
                self.fill(a, self.usage(fr));
            }
            return Ok(());
        }
        if fr.elapsed <= 0 {
            return Err(Reason::NoTimeElapsed);
        }
        let usage = self.usage(fr);
        self.fill(a, usage);
        match usage {
            Some((_, u)) if !u.mul(Num::D(self.tol.on_track_ratio)).le(Decimal::ONE) => {
                set(a, Status::Lagging, Reason::AllowanceUsedTooFast)
            }
            _ => set(a, Status::OnTrack, Reason::WithinAllowance),
        }
        Ok(())
    }

    /// The trend to the target year, in the target's own terms, and whether
    /// its interval meets the target.
    fn projection(&self, fr: &Frame, vb: &Band) -> Option<Projection> {
        let t0 = fr.t0 as f64;
        let logs = matches!(self.measure(), Measure::AnnualGrowth | Measure::Reduction);
        let mut series: Vec<(f64, f64)> = Vec::with_capacity(fr.points.len() + 1);
        let start = if self.flows() { 0.0 } else { f(fr.x0) };
        series.push((t0, start));
        let mut running = 0.0;
        for y in fr.points.iter().filter(|y| y.year > fr.t0) {
            let v = f(y.value);
            if self.flows() {
                running += v;
                series.push(((y.year - 1) as f64 + y.months as f64 / 12.0, running));
            } else {
                series.push((y.year as f64, v));
            }
        }
        if logs {
            if series.iter().any(|(_, v)| v.is_nan() || *v <= 0.0) {
                return None;
            }
            series.iter_mut().for_each(|(_, v)| *v = v.ln());
        }
        let fit = trend::project(&series, t0, self.big_t as f64)?;
        let horizon = (self.big_t - fr.t0) as f64;
        let ln_x0 = f(fr.x0).ln();
        let to_target = |y: f64| match self.measure() {
            Measure::Level | Measure::Cumulative => y,
            Measure::AnnualGrowth => 100.0 * ((y - ln_x0) / horizon).exp_m1(),
            Measure::Reduction => -100.0 * (y - ln_x0).exp_m1(),
        };
        let (mut low, value, mut high) = (to_target(fit.low), to_target(fit.value), to_target(fit.high));
        if low > high {
            std::mem::swap(&mut low, &mut high);
        }
        if ![low, value, high].iter().all(|v| v.is_finite()) {
            return None;
        }
        let (lo, hi) = vb.f64();
        let likelihood = if lo <= low && high <= hi {
            Likelihood::Likely
        } else if high < lo || low > hi {
            Likelihood::Unlikely
        } else {
            Likelihood::Uncertain
        };
        Some(Projection {
            year: self.target.year,
            value,
            low,
            high,
            likelihood,
            method: fit.method,
            points: fit.points,
        })
    }
}

fn set(a: &mut Assessment, status: Status, reason: Reason) {
    a.status = status;
    a.reason = reason;
}

fn sum<'a>(years: impl Iterator<Item = &'a YearValue>) -> Result<Decimal, Reason> {
    let mut total = Decimal::ZERO;
    for y in years {
        total = total.checked_add(y.value).ok_or(Reason::NumericLimit)?;
    }
    Ok(total)
}
