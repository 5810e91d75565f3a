//! The indicator chart as SVG, written by hand: baseline, observed figures,
//! the schedule path from the baseline to the target (时序进度), the target
//! as a line or a band, and the projection to the target year with its
//! interval. No JavaScript, no fonts of its own: the page's CJK font stack
//! applies, and the same SVG can go into Word or PDF.
//!
//! Everything is drawn in the quantity the figures are in: levels for level,
//! growth and reduction targets (a growth or reduction target becomes the
//! level it implies), the running total for cumulative targets.

use crate::format::{compact, escape};
use crate::i18n::{t, Lang};
use lantu_core::progress::Granularity;
use lantu_core::snapshot::IndicatorRow;
use lantu_core::{Comparator, Measure, TargetKind};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write;

const W: f64 = 720.0;
const H: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 32.0;

const C_OBS: &str = "#1d5ba6";
const C_SCHEDULE: &str = "#7a7f87";
const C_TARGET: &str = "#b3261e";
const C_PROJ: &str = "#c77700";
const C_GRID: &str = "#e3e6ea";
const C_AXIS: &str = "#5f6670";

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

/// A projection: from (x, y) to the target year's (low, value, high).
pub type Projected = ((f64, f64), (f64, f64, f64));

/// The points and lines of a chart, in data units (x in years: the figure
/// for year Y sits at Y, a quarter or month at the end of its span).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Series {
    pub baseline: Option<(f64, f64)>,
    pub observed: Vec<(f64, f64, String)>,
    pub schedule: Vec<(f64, f64)>,
    /// Target: (low, high) — equal for a line; either may be infinite for a
    /// one-sided band drawn as a line at the finite bound.
    pub target: Option<(f64, f64)>,
    pub target_year: i32,
    /// From the last observed point to (target year, value), with the
    /// interval at the target year.
    pub projection: Option<Projected>,
}

fn x_of(period: lantu_core::Period) -> f64 {
    let y = period.calendar_year() as f64;
    match period.granularity() {
        Granularity::Year => y,
        _ => y - 1.0 + f64::from(period.end_month()) / 12.0,
    }
}

/// The series of one indicator. `approx_tolerance` is the plan's setting
/// for approximate targets (0.05 = ±5 %).
pub fn series(row: &IndicatorRow, approx_tolerance: Decimal) -> Series {
    let mut s = Series {
        target_year: row.target.year,
        ..Series::default()
    };
    let cumulative = row.measure == Measure::Cumulative;
    let baseline = row.baseline.as_ref().map(|b| (b.year as f64, f(b.value)));
    s.baseline = if cumulative {
        baseline.map(|(x, _)| (x, 0.0))
    } else {
        baseline
    };
    if cumulative {
        // The engine's rule: a year's annual figure if there is one, else
        // the sum of its quarters and months (months of reported quarters
        // left out).
        let mut years: BTreeMap<i32, Vec<&lantu_core::snapshot::Figure>> = BTreeMap::new();
        let t0 = row.baseline.as_ref().map(|b| b.year);
        for fig in &row.figures {
            if t0.is_some_and(|t0| fig.period.calendar_year() <= t0) {
                continue;
            }
            years.entry(fig.period.calendar_year()).or_default().push(fig);
        }
        let mut total = 0.0;
        for (_, figs) in years {
            let annual = figs.iter().find(|g| g.period.granularity() == Granularity::Year);
            let used: Vec<&&lantu_core::snapshot::Figure> = match annual {
                Some(a) => vec![a],
                None => {
                    let quarters: Vec<u8> = figs.iter().filter_map(|g| g.period.quarter_number()).collect();
                    figs.iter()
                        .filter(|g| {
                            g.period
                                .month_number()
                                .is_none_or(|m| !quarters.contains(&((m - 1) / 3 + 1)))
                        })
                        .collect()
                }
            };
            for g in used {
                total += f(g.value);
                s.observed.push((x_of(g.period), total, g.period.to_string()));
            }
        }
    } else {
        s.observed = row
            .figures
            .iter()
            .map(|g| (x_of(g.period), f(g.value), g.period.to_string()))
            .collect();
    }
    s.observed.sort_by(|a, b| a.0.total_cmp(&b.0));

    let big_t = row.target.year as f64;
    let value = row.target.value.map(f);
    let value_max = row.target.value_max.map(f);
    if row.target.kind == TargetKind::Relative || value.is_none() {
        return s;
    }
    let v = value.unwrap_or(f64::NAN);
    // The band of the target's own number.
    let tol = f(approx_tolerance);
    let (lo, hi) = match row.target.comparator {
        Comparator::AtLeast | Comparator::Exact => (v, f64::INFINITY),
        Comparator::AtMost => (f64::NEG_INFINITY, v),
        Comparator::Range => (v, value_max.unwrap_or(v)),
        Comparator::Approx => (v - tol * v.abs(), v + tol * v.abs()),
    };
    // The aim of the schedule path: the value, or the nearer bound of a range.
    let aim = |start: f64| match row.target.comparator {
        Comparator::Range if start > lo => hi,
        _ => v,
    };
    match (row.measure, baseline) {
        (Measure::Level, b) => {
            s.target = Some(
                if row.target.comparator == Comparator::Approx || row.target.comparator == Comparator::Range {
                    (lo, hi)
                } else {
                    (v, v)
                },
            );
            if let Some((t0, x0)) = b {
                s.schedule = vec![(t0, x0), (big_t, aim(x0))];
            }
        }
        (Measure::Cumulative, b) => {
            s.target = Some(
                if matches!(row.target.comparator, Comparator::Approx | Comparator::Range) {
                    (lo, hi)
                } else {
                    (v, v)
                },
            );
            if let Some((t0, _)) = b {
                s.schedule = vec![(t0, 0.0), (big_t, aim(0.0))];
            }
        }
        (Measure::AnnualGrowth, Some((t0, x0))) if big_t > t0 => {
            let level = |g: f64, t: f64| x0 * (1.0 + g / 100.0).powf(t - t0);
            let g = aim(0.0);
            s.schedule = (0..=((big_t - t0) as i64))
                .map(|k| (t0 + k as f64, level(g, t0 + k as f64)))
                .collect();
            let (a, b) = (level(lo.max(-99.0), big_t), level(hi.min(1e6), big_t));
            s.target = Some(match row.target.comparator {
                Comparator::AtLeast | Comparator::Exact => (a, a),
                Comparator::AtMost => (b, b),
                _ => (a.min(b), a.max(b)),
            });
        }
        (Measure::Reduction, Some((t0, x0))) if big_t > t0 => {
            let r = aim(0.0) / 100.0;
            s.schedule = (0..=((big_t - t0) as i64))
                .map(|k| {
                    let share = k as f64 / (big_t - t0);
                    (t0 + k as f64, x0 * (1.0 - r).max(0.0).powf(share))
                })
                .collect();
            let level = |r: f64| x0 * (1.0 - r / 100.0);
            s.target = Some(match row.target.comparator {
                Comparator::AtLeast | Comparator::Exact => (level(v), level(v)),
                Comparator::AtMost => (level(v), level(v)),
                _ => {
                    let (a, b) = (level(lo), level(hi));
                    (a.min(b), a.max(b))
                }
            });
        }
        _ => {}
    }
    if let (Some(p), Some(last)) = (row.assessment.projection.as_ref(), s.observed.last()) {
        let to_chart = |y: f64| -> f64 {
            match (row.measure, baseline) {
                (Measure::AnnualGrowth, Some((t0, x0))) => x0 * (1.0 + y / 100.0).powf(big_t - t0),
                (Measure::Reduction, Some((_, x0))) => x0 * (1.0 - y / 100.0),
                _ => y,
            }
        };
        let (a, b, c) = (to_chart(p.low), to_chart(p.value), to_chart(p.high));
        if [a, b, c].iter().all(|v| v.is_finite()) && big_t > last.0 {
            s.projection = Some(((last.0, last.1), (a.min(c), b, a.max(c))));
        }
    }
    s
}

/// Round numbers for an axis from `lo` to `hi`: about five of them.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).abs().max(1e-9);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() * step;
    let mut out = Vec::new();
    let mut v = first;
    while v <= hi + step * 1e-6 && out.len() < 12 {
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        v += step;
    }
    out
}

/// The chart of one indicator as an `<svg>` element. `title` names it for
/// screen readers.
pub fn svg(row: &IndicatorRow, approx_tolerance: Decimal, lang: Lang) -> String {
    render(&series(row, approx_tolerance), &row.name, row.unit.as_deref(), lang)
}

pub fn render(s: &Series, title: &str, unit: Option<&str>, lang: Lang) -> String {
    // Extent.
    let mut xs: Vec<f64> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    if let Some((x, y)) = s.baseline {
        xs.push(x);
        ys.push(y);
    }
    for (x, y, _) in &s.observed {
        xs.push(*x);
        ys.push(*y);
    }
    for (x, y) in &s.schedule {
        xs.push(*x);
        ys.push(*y);
    }
    if let Some((lo, hi)) = s.target {
        ys.extend([lo, hi].into_iter().filter(|v| v.is_finite()));
        xs.push(s.target_year as f64);
    }
    if let Some((_, (lo, v, hi))) = s.projection {
        ys.extend([lo, v, hi]);
        xs.push(s.target_year as f64);
    }
    xs.retain(|v| v.is_finite());
    ys.retain(|v| v.is_finite());
    let mut out = String::with_capacity(6000);
    let _ = write!(
        out,
        r##"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{}</title>"##,
        escape(title)
    );
    if xs.is_empty() || ys.is_empty() {
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#5f6670" font-size="14">{}</text></svg>"##,
            W / 2.0,
            H / 2.0,
            t(lang, "no_data_yet")
        );
        return out;
    }
    let (mut x_lo, mut x_hi) = (
        xs.iter().cloned().fold(f64::INFINITY, f64::min).floor(),
        xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max).ceil(),
    );
    if x_hi - x_lo < 1.0 {
        x_lo -= 1.0;
        x_hi += 1.0;
    }
    let (mut y_lo, mut y_hi) = (
        ys.iter().cloned().fold(f64::INFINITY, f64::min),
        ys.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
    );
    let pad = ((y_hi - y_lo) * 0.08).max(y_hi.abs().max(y_lo.abs()) * 0.02).max(1e-6);
    y_lo -= pad;
    y_hi += pad;
    if y_lo > 0.0 && y_lo < (y_hi - y_lo) * 0.6 {
        y_lo = 0.0;
    }
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let px = |x: f64| LEFT + (x - x_lo) / (x_hi - x_lo) * plot_w;
    let py = |y: f64| TOP + (1.0 - (y - y_lo) / (y_hi - y_lo)) * plot_h;
    let clampy = |y: f64| py(y.clamp(y_lo, y_hi));

    // Grid and axes.
    out.push_str(r##"<g class="grid" font-size="11" fill="#5f6670">"##);
    for v in ticks(y_lo, y_hi) {
        let y = py(v);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{C_GRID}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            compact(lang, v)
        );
    }
    let mut year = x_lo as i64;
    let every = if x_hi - x_lo > 12.0 { 2 } else { 1 };
    while year as f64 <= x_hi {
        let x = px(year as f64);
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{:.1}" stroke="{C_GRID}"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{year}</text>"##,
            H - BOTTOM,
            H - BOTTOM + 16.0
        );
        year += every;
    }
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="{C_AXIS}"/>"##,
        W - RIGHT,
        H - BOTTOM,
        H - BOTTOM
    );
    if let Some(u) = unit.filter(|u| !u.is_empty()) {
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" text-anchor="start">{}</text>"##,
            8,
            TOP - 8.0,
            escape(u)
        );
    }
    out.push_str("</g>");

    // Target line or band.
    if let Some((lo, hi)) = s.target {
        let tx = px(s.target_year as f64);
        if lo.is_finite() && hi.is_finite() && (hi - lo).abs() > f64::EPSILON {
            let (a, b) = (clampy(hi), clampy(lo));
            let _ = write!(
                out,
                r##"<rect class="target-band" x="{LEFT}" y="{a:.1}" width="{plot_w:.1}" height="{:.1}" fill="{C_TARGET}" fill-opacity="0.08"/><line x1="{LEFT}" x2="{:.1}" y1="{a:.1}" y2="{a:.1}" stroke="{C_TARGET}" stroke-dasharray="6 4"/><line x1="{LEFT}" x2="{:.1}" y1="{b:.1}" y2="{b:.1}" stroke="{C_TARGET}" stroke-dasharray="6 4"/>"##,
                (b - a).max(1.0),
                W - RIGHT,
                W - RIGHT
            );
        } else {
            let v = if lo.is_finite() { lo } else { hi };
            let y = clampy(v);
            let _ = write!(
                out,
                r##"<line class="target-line" x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{C_TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/><circle cx="{tx:.1}" cy="{y:.1}" r="4" fill="#fff" stroke="{C_TARGET}" stroke-width="2"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="{C_TARGET}">{}</text>"##,
                W - RIGHT,
                tx - 6.0,
                y - 6.0,
                compact(lang, v)
            );
        }
    }

    // Schedule path.
    if s.schedule.len() >= 2 {
        let pts: Vec<String> = s
            .schedule
            .iter()
            .map(|(x, y)| format!("{:.1},{:.1}", px(*x), clampy(*y)))
            .collect();
        let _ = write!(
            out,
            r##"<polyline class="schedule" points="{}" fill="none" stroke="{C_SCHEDULE}" stroke-width="1.5" stroke-dasharray="2 3"/>"##,
            pts.join(" ")
        );
    }

    // Projection with its interval.
    if let Some(((x0, y0), (lo, v, hi))) = s.projection {
        let tx = px(s.target_year as f64);
        let _ = write!(
            out,
            r##"<polygon class="projection-band" points="{:.1},{:.1} {tx:.1},{:.1} {tx:.1},{:.1}" fill="{C_PROJ}" fill-opacity="0.14"/><line class="projection" x1="{:.1}" y1="{:.1}" x2="{tx:.1}" y2="{:.1}" stroke="{C_PROJ}" stroke-width="1.5" stroke-dasharray="5 3"/><line x1="{tx:.1}" x2="{tx:.1}" y1="{:.1}" y2="{:.1}" stroke="{C_PROJ}" stroke-width="1.5"/><circle cx="{tx:.1}" cy="{:.1}" r="3.5" fill="{C_PROJ}"/>"##,
            px(x0),
            clampy(y0),
            clampy(hi),
            clampy(lo),
            px(x0),
            clampy(y0),
            clampy(v),
            clampy(hi),
            clampy(lo),
            clampy(v)
        );
    }

    // Observed figures.
    let mut line: Vec<(f64, f64)> = Vec::new();
    if let Some((bx, by)) = s.baseline {
        line.push((bx, by));
    }
    line.extend(s.observed.iter().map(|(x, y, _)| (*x, *y)));
    line.sort_by(|a, b| a.0.total_cmp(&b.0));
    if line.len() >= 2 {
        let pts: Vec<String> = line
            .iter()
            .map(|(x, y)| format!("{:.1},{:.1}", px(*x), py(*y)))
            .collect();
        let _ = write!(
            out,
            r##"<polyline class="observed" points="{}" fill="none" stroke="{C_OBS}" stroke-width="2.2"/>"##,
            pts.join(" ")
        );
    }
    if let Some((bx, by)) = s.baseline {
        let _ = write!(
            out,
            r##"<rect class="baseline" x="{:.1}" y="{:.1}" width="8" height="8" fill="{C_SCHEDULE}"><title>{} {}</title></rect>"##,
            px(bx) - 4.0,
            py(by) - 4.0,
            t(lang, "chart_baseline"),
            compact(lang, by)
        );
    }
    for (x, y, label) in &s.observed {
        let _ = write!(
            out,
            r##"<circle class="point" cx="{:.1}" cy="{:.1}" r="3.5" fill="{C_OBS}"><title>{} {}</title></circle>"##,
            px(*x),
            py(*y),
            escape(label),
            compact(lang, *y)
        );
    }
    if let Some((x, y, _)) = s.observed.last() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11" font-weight="600" fill="{C_OBS}">{}</text>"##,
            px(*x),
            py(*y) - 8.0,
            compact(lang, *y)
        );
    }

    // Legend.
    let mut lx = LEFT;
    let ly = 16.0;
    let mut item = |out: &mut String, swatch: String, label: &str| {
        let _ = write!(
            out,
            r##"<g transform="translate({lx:.1},{ly})">{swatch}<text x="22" y="4" font-size="12" fill="#333">{}</text></g>"##,
            label
        );
        lx += 30.0
            + label
                .chars()
                .map(|c| if c.is_ascii() { 6.5 } else { 12.0 })
                .sum::<f64>();
    };
    item(
        &mut out,
        format!(
            r##"<line x1="0" x2="16" y1="0" y2="0" stroke="{C_OBS}" stroke-width="2.2"/><circle cx="8" cy="0" r="3" fill="{C_OBS}"/>"##
        ),
        t(lang, "chart_observed"),
    );
    if s.schedule.len() >= 2 {
        item(
            &mut out,
            format!(
                r##"<line x1="0" x2="16" y1="0" y2="0" stroke="{C_SCHEDULE}" stroke-width="1.5" stroke-dasharray="2 3"/>"##
            ),
            t(lang, "chart_schedule"),
        );
    }
    if s.target.is_some() {
        item(
            &mut out,
            format!(
                r##"<line x1="0" x2="16" y1="0" y2="0" stroke="{C_TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/>"##
            ),
            t(lang, "chart_target"),
        );
    }
    if s.projection.is_some() {
        item(
            &mut out,
            format!(
                r##"<rect x="0" y="-5" width="16" height="10" fill="{C_PROJ}" fill-opacity="0.25"/><line x1="0" x2="16" y1="0" y2="0" stroke="{C_PROJ}" stroke-dasharray="5 3"/>"##
            ),
            t(lang, "chart_projection"),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(0.0, 10.0), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let t = ticks(23.7, 26.2);
        assert!(
            t.len() >= 3 && t.iter().all(|v| (v * 2.0).fract().abs() < 1e-9),
            "{t:?}"
        );
    }
}
