//! One chart per indicator (指标走势图): the baseline, the figures, the
//! time-proportional path from baseline to target (时序进度线), the target
//! as a line or a band, and the trend projection for the target year with
//! its interval. Everything is drawn in the indicator's own terms (levels,
//! or running totals for a cumulative target); growth and reduction targets
//! are turned into the level they imply.
//!
//! The model is drawn as SVG by hand ([`Chart::svg`]): inline in the HTML
//! report, an image in the PDF, and rasterised to PNG for Word
//! ([`Chart::png`]).

use crate::content::{period_text, Current};
use crate::fonts::FontSet;
use crate::num;
use crate::{Lang, ReportError};
use lantu_core::progress::{Granularity, Period};
use lantu_core::snapshot::IndicatorRow;
use lantu_core::{Comparator, Measure, TargetKind};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Width and height of a chart, in CSS pixels (points in Word and PDF).
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 300.0;

#[derive(Debug, Clone, PartialEq)]
pub enum TargetMark {
    Line(f64),
    Band(f64, f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionMark {
    pub x: f64,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// 图N, set once all charts are known.
    pub number: usize,
    pub lang: Lang,
    /// Indicator name and unit.
    pub title: String,
    pub code: String,
    pub x_min: i32,
    pub x_max: i32,
    pub baseline: Option<(f64, f64)>,
    /// Actual values (levels, or running totals), oldest first.
    pub observed: Vec<(f64, f64)>,
    /// The time-proportional path.
    pub schedule: Vec<(f64, f64)>,
    pub target: Option<TargetMark>,
    pub projection: Option<ProjectionMark>,
    /// Decimal places for value labels.
    pub places: u32,
    /// What the last point is, for its label (`2023年`).
    pub last_label: Option<String>,
}

fn year_x(p: Period) -> f64 {
    f64::from(p.calendar_year() - 1) + f64::from(p.end_month()) / 12.0
}

impl Chart {
    /// The chart of one indicator; `None` when there is nothing to draw.
    pub fn of(row: &IndicatorRow, current: Option<&Current>, evaluation_year: i32, lang: Lang) -> Option<Chart> {
        let cap = evaluation_year.min(row.target.year);
        let base = row.baseline.as_ref().map(|b| (b.year, num::f(b.value)));
        let flows = row.measure == Measure::Cumulative;

        // Figures, one point per year: the latest level, or the running total.
        let mut per_year: BTreeMap<i32, BTreeMap<Period, Decimal>> = BTreeMap::new();
        for f in row.figures.iter().filter(|f| f.period.calendar_year() <= cap) {
            per_year
                .entry(f.period.calendar_year())
                .or_default()
                .insert(f.period, f.value);
        }
        let mut observed = Vec::new();
        if flows {
            let mut running = 0.0;
            for (year, items) in &per_year {
                if base.is_some_and(|(t0, _)| *year <= t0) {
                    continue;
                }
                let annual = items.iter().find(|(p, _)| p.granularity() == Granularity::Year);
                let (sum, last) = match annual {
                    Some((p, v)) => (num::f(*v), *p),
                    None => {
                        let quarters: Vec<u8> = items.keys().filter_map(|p| p.quarter_number()).collect();
                        let used: Vec<(&Period, &Decimal)> = items
                            .iter()
                            .filter(|(p, _)| p.month_number().is_none_or(|m| !quarters.contains(&((m - 1) / 3 + 1))))
                            .collect();
                        let last = used.iter().map(|(p, _)| **p).max().unwrap_or(Period::year(*year));
                        (used.iter().map(|(_, v)| num::f(**v)).sum(), last)
                    }
                };
                running += sum;
                observed.push((year_x(last), running));
            }
        } else {
            for items in per_year.values() {
                if let Some((p, v)) = items.iter().next_back() {
                    if base.is_none_or(|(t0, _)| p.calendar_year() >= t0) {
                        observed.push((year_x(*p), num::f(*v)));
                    }
                }
            }
        }
        // The base point of the series: the baseline level, or zero flows.
        let baseline = base.map(|(t0, x0)| (f64::from(t0), if flows { 0.0 } else { x0 }));
        // A figure in the baseline year is the baseline itself.
        if let Some((bx, _)) = baseline {
            observed.retain(|(x, _)| *x > bx);
        }
        if baseline.is_none() && observed.is_empty() {
            return None;
        }

        let t = &row.target;
        let t_year = t.year;
        let horizon = base.map(|(t0, _)| f64::from(t_year - t0));
        let value = t.value.filter(|_| t.kind != TargetKind::Relative).map(num::f);
        let value_max = t.value_max.filter(|_| t.comparator == Comparator::Range).map(num::f);
        let x0 = base.map(|(_, x0)| x0);
        // The target in level terms.
        let to_level = |v: f64| -> Option<f64> {
            match row.measure {
                Measure::Level | Measure::Cumulative => Some(v),
                Measure::AnnualGrowth => Some(x0? * (1.0 + v / 100.0).powf(horizon?)),
                Measure::Reduction => Some(x0? * (1.0 - v / 100.0)),
            }
        };
        let target = match (value, value_max) {
            (Some(v), Some(m)) => match (to_level(v), to_level(m)) {
                (Some(a), Some(b)) => Some(TargetMark::Band(a.min(b), a.max(b))),
                _ => None,
            },
            (Some(v), None) => to_level(v).map(TargetMark::Line),
            _ => None,
        };

        // The schedule path from the baseline to the target.
        let mut schedule = Vec::new();
        if let (Some((t0, _)), Some(start), Some(h)) = (baseline, baseline.map(|b| b.1), horizon) {
            if h > 0.0 {
                let aim = match &target {
                    Some(TargetMark::Line(v)) => Some(*v),
                    Some(TargetMark::Band(lo, hi)) => {
                        if start < *lo {
                            Some(*lo)
                        } else if start > *hi {
                            Some(*hi)
                        } else {
                            None
                        }
                    }
                    None => None,
                };
                let already_met = match (&target, t.comparator) {
                    (Some(TargetMark::Line(v)), Comparator::AtLeast) => start >= *v,
                    (Some(TargetMark::Line(v)), Comparator::AtMost) => start <= *v,
                    _ => false,
                };
                if let (Some(aim), false) = (aim, already_met) {
                    let steps = (h as usize).max(1);
                    for k in 0..=steps {
                        let s = k as f64 / steps as f64;
                        let y = match (row.measure, value) {
                            (Measure::AnnualGrowth, Some(_)) if start > 0.0 && aim > 0.0 => {
                                start * (aim / start).powf(s)
                            }
                            (Measure::Reduction, Some(_)) if start > 0.0 && aim > 0.0 => start * (aim / start).powf(s),
                            _ => start + (aim - start) * s,
                        };
                        schedule.push((t0 + h * s, y));
                    }
                }
            }
        }

        let projection = row.assessment.projection.as_ref().and_then(|p| {
            let conv = |v: f64| to_level(v);
            Some(ProjectionMark {
                x: f64::from(p.year),
                value: conv(p.value)?,
                low: conv(p.low)?.min(conv(p.high)?),
                high: conv(p.high)?.max(conv(p.low)?),
            })
            .filter(|m| [m.value, m.low, m.high].iter().all(|v| v.is_finite()))
        });

        let first_year = baseline
            .map(|(x, _)| x as i32)
            .into_iter()
            .chain(observed.first().map(|(x, _)| x.ceil() as i32))
            .min()
            .unwrap_or(t_year);
        let x_max = t_year.max(observed.last().map(|(x, _)| x.ceil() as i32).unwrap_or(t_year));
        let mut places = 0;
        for d in row
            .figures
            .iter()
            .map(|f| f.value)
            .chain(row.baseline.as_ref().map(|b| b.value))
            .chain(t.value)
        {
            places = places.max(num::scale(d));
        }
        let unit = row.unit.clone().unwrap_or_default();
        let unit = match row.measure {
            Measure::AnnualGrowth | Measure::Reduction if unit == "%" => String::new(),
            _ => unit,
        };
        let title = if unit.is_empty() {
            row.name.clone()
        } else {
            match lang {
                Lang::Zh => format!("{}（{unit}）", row.name),
                Lang::En => format!("{} ({unit})", row.name),
            }
        };
        Some(Chart {
            number: 0,
            lang,
            title,
            code: row.code.clone(),
            x_min: first_year,
            x_max,
            baseline,
            observed,
            schedule,
            target,
            projection,
            places: places.min(2),
            last_label: current.map(|c| period_text(lang, c.period)),
        })
    }

    /// `图3　森林覆盖率（%）` / `Figure 3. Forest coverage (%)`.
    pub fn caption(&self) -> String {
        match self.lang {
            Lang::Zh => format!("图{}　{}", self.number, self.title),
            Lang::En => format!("Figure {}. {}", self.number, self.title),
        }
    }

    fn y_range(&self) -> (f64, f64, f64) {
        let mut ys: Vec<f64> = Vec::new();
        ys.extend(self.baseline.map(|b| b.1));
        ys.extend(self.observed.iter().map(|p| p.1));
        ys.extend(self.schedule.iter().map(|p| p.1));
        match &self.target {
            Some(TargetMark::Line(v)) => ys.push(*v),
            Some(TargetMark::Band(a, b)) => ys.extend([*a, *b]),
            None => {}
        }
        if let Some(p) = &self.projection {
            ys.extend([p.value, p.low, p.high]);
        }
        ys.retain(|v| v.is_finite());
        let lo = ys.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (mut lo, mut hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
        if hi - lo < 1e-9 {
            let pad = if lo.abs() > 1e-9 { lo.abs() * 0.1 } else { 1.0 };
            lo -= pad;
            hi += pad;
        }
        let pad = (hi - lo) * 0.08;
        let step = nice_step((hi - lo + 2.0 * pad) / 5.0);
        let lo_t = ((lo - pad) / step).floor() * step;
        let hi_t = ((hi + pad) / step).ceil() * step;
        // Keep zero as the floor when everything is positive and near it.
        let lo_t = if lo >= 0.0 && lo_t < 0.0 { 0.0 } else { lo_t };
        (lo_t, hi_t, step)
    }

    /// The chart as an SVG document, `font` the CSS font-family list.
    pub fn svg(&self, font: &str) -> String {
        let lang = self.lang;
        let (left, right, top, bottom) = (64.0, WIDTH - 24.0, 40.0, HEIGHT - 34.0);
        let x0 = f64::from(self.x_min) - 0.4;
        let x1 = f64::from(self.x_max) + 0.4;
        let (ylo, yhi, step) = self.y_range();
        let sx = |x: f64| left + (x - x0) / (x1 - x0) * (right - left);
        let sy = |y: f64| bottom - (y - ylo) / (yhi - ylo) * (bottom - top);
        // As many decimals as the step needs (0.25 → 2).
        let tick_places = (0..=6u32)
            .find(|p| {
                let scaled = step * 10f64.powi(*p as i32);
                (scaled - scaled.round()).abs() < 1e-6
            })
            .unwrap_or(6);
        let fmt = |v: f64| num::fixed(v, tick_places as usize);
        let val = |v: f64| num::estimate(v, self.places);
        let (blue, red, grey) = ("#1f4e79", "#c00000", "#7f7f7f");

        let mut s = String::with_capacity(6000);
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}" font-family="{}" font-size="12">"#,
            esc(&self.caption()),
            esc(font)
        );
        let _ = write!(s, "<title>{}</title>", esc(&self.caption()));
        s.push_str(r##"<rect x="0" y="0" width="640" height="300" fill="#ffffff"/>"##);

        // Grid and y ticks.
        let mut y = ylo;
        let mut guard = 0;
        while y <= yhi + step * 1e-6 && guard < 20 {
            let py = sy(y);
            let _ = write!(
                s,
                r##"<line x1="{left:.1}" y1="{py:.1}" x2="{right:.1}" y2="{py:.1}" stroke="#e3e3e3" stroke-width="1"/>"##
            );
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#404040" font-size="11">{}</text>"##,
                left - 6.0,
                py + 4.0,
                fmt(y)
            );
            y += step;
            guard += 1;
        }
        // X ticks: every year, or fewer on a long axis.
        let span = self.x_max - self.x_min;
        let every = if span > 24 {
            5
        } else if span > 12 {
            2
        } else {
            1
        };
        for year in self.x_min..=self.x_max {
            if (year - self.x_min) % every != 0 && year != self.x_max {
                continue;
            }
            let px = sx(f64::from(year));
            let _ = write!(
                s,
                r##"<line x1="{px:.1}" y1="{bottom:.1}" x2="{px:.1}" y2="{:.1}" stroke="#7f7f7f" stroke-width="1"/>"##,
                bottom + 4.0
            );
            let _ = write!(
                s,
                r##"<text x="{px:.1}" y="{:.1}" text-anchor="middle" fill="#404040" font-size="11">{year}</text>"##,
                bottom + 17.0
            );
        }
        let _ = write!(
            s,
            r##"<line x1="{left:.1}" y1="{bottom:.1}" x2="{right:.1}" y2="{bottom:.1}" stroke="#7f7f7f" stroke-width="1"/>"##
        );
        let _ = write!(
            s,
            r##"<line x1="{left:.1}" y1="{top:.1}" x2="{left:.1}" y2="{bottom:.1}" stroke="#7f7f7f" stroke-width="1"/>"##
        );

        // Target.
        match &self.target {
            Some(TargetMark::Band(a, b)) => {
                let (ya, yb) = (sy(*b), sy(*a));
                let _ = write!(
                    s,
                    r##"<rect x="{left:.1}" y="{ya:.1}" width="{:.1}" height="{:.1}" fill="{red}" fill-opacity="0.08"/>"##,
                    right - left,
                    (yb - ya).max(1.0)
                );
                for yy in [ya, yb] {
                    let _ = write!(
                        s,
                        r##"<line x1="{left:.1}" y1="{yy:.1}" x2="{right:.1}" y2="{yy:.1}" stroke="{red}" stroke-width="1.2" stroke-dasharray="6 4"/>"##
                    );
                }
                let _ = write!(
                    s,
                    r##"<text x="{:.1}" y="{:.1}" fill="{red}" font-size="11">{} {}–{}</text>"##,
                    left + 6.0,
                    ya - 5.0,
                    lang.pick("目标", "Target"),
                    val(*a),
                    val(*b)
                );
            }
            Some(TargetMark::Line(v)) => {
                let yy = sy(*v);
                let _ = write!(
                    s,
                    r##"<line x1="{left:.1}" y1="{yy:.1}" x2="{right:.1}" y2="{yy:.1}" stroke="{red}" stroke-width="1.5" stroke-dasharray="6 4"/>"##
                );
                let _ = write!(
                    s,
                    r##"<text x="{:.1}" y="{:.1}" fill="{red}" font-size="11">{} {}</text>"##,
                    left + 6.0,
                    yy - 5.0,
                    lang.pick("目标", "Target"),
                    val(*v)
                );
            }
            None => {}
        }

        // Schedule path.
        if self.schedule.len() >= 2 {
            let pts: Vec<String> = self
                .schedule
                .iter()
                .map(|(x, y)| format!("{:.1},{:.1}", sx(*x), sy(*y)))
                .collect();
            let _ = write!(
                s,
                r##"<polyline points="{}" fill="none" stroke="{grey}" stroke-width="1.5" stroke-dasharray="4 3"/>"##,
                pts.join(" ")
            );
        }

        // Projection: a dotted line from the last point, and the interval.
        let last = self.observed.last().copied().or(self.baseline);
        if let (Some(p), Some((lx, ly))) = (&self.projection, last) {
            let (px, pv, pl, ph) = (sx(p.x), sy(p.value), sy(p.low), sy(p.high));
            let _ = write!(
                s,
                r##"<line x1="{:.1}" y1="{:.1}" x2="{px:.1}" y2="{pv:.1}" stroke="{blue}" stroke-width="1.5" stroke-dasharray="2 3"/>"##,
                sx(lx),
                sy(ly)
            );
            let _ = write!(
                s,
                r##"<line x1="{px:.1}" y1="{pl:.1}" x2="{px:.1}" y2="{ph:.1}" stroke="{blue}" stroke-width="1.2"/>"##
            );
            for yy in [pl, ph] {
                let _ = write!(
                    s,
                    r##"<line x1="{:.1}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="{blue}" stroke-width="1.2"/>"##,
                    px - 5.0,
                    px + 5.0
                );
            }
            let _ = write!(
                s,
                r##"<path d="M{px:.1},{:.1} L{:.1},{pv:.1} L{px:.1},{:.1} L{:.1},{pv:.1} Z" fill="#ffffff" stroke="{blue}" stroke-width="1.5"/>"##,
                pv - 5.0,
                px + 5.0,
                pv + 5.0,
                px - 5.0
            );
        }

        // Actual values.
        let mut series: Vec<(f64, f64)> = Vec::new();
        series.extend(self.baseline);
        series.extend(self.observed.iter().copied());
        if series.len() >= 2 {
            let pts: Vec<String> = series
                .iter()
                .map(|(x, y)| format!("{:.1},{:.1}", sx(*x), sy(*y)))
                .collect();
            let _ = write!(
                s,
                r##"<polyline points="{}" fill="none" stroke="{blue}" stroke-width="2.2" stroke-linejoin="round"/>"##,
                pts.join(" ")
            );
        }
        if let Some((bx, by)) = self.baseline {
            let _ = write!(
                s,
                r##"<circle cx="{:.1}" cy="{:.1}" r="4.5" fill="#ffffff" stroke="{blue}" stroke-width="2"/>"##,
                sx(bx),
                sy(by)
            );
        }
        for (x, y) in &self.observed {
            let _ = write!(
                s,
                r##"<circle cx="{:.1}" cy="{:.1}" r="3.8" fill="{blue}"/>"##,
                sx(*x),
                sy(*y)
            );
        }
        if let Some((x, y)) = self.observed.last().or(self.baseline.as_ref()) {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{blue}" font-size="11" font-weight="bold">{}</text>"##,
                sx(*x),
                sy(*y) - 9.0,
                val(*y)
            );
        }

        // Legend, across the top.
        let mut lx = left;
        let ly = 18.0;
        let mut item = |s: &mut String, mark: String, label: &str| {
            let _ = write!(s, "<g transform=\"translate({lx:.1},{ly:.1})\">{mark}");
            let _ = write!(
                s,
                r##"<text x="26" y="4" fill="#262626" font-size="12">{}</text></g>"##,
                esc(label)
            );
            let w = label
                .chars()
                .map(|c| if c.is_ascii() { 6.6 } else { 12.0 })
                .sum::<f64>();
            lx += 26.0 + w + 16.0;
        };
        item(
            &mut s,
            format!(
                r##"<line x1="0" y1="0" x2="20" y2="0" stroke="{blue}" stroke-width="2.2"/><circle cx="10" cy="0" r="3.5" fill="{blue}"/>"##
            ),
            lang.pick("实际值", "Actual"),
        );
        if self.baseline.is_some() {
            item(
                &mut s,
                format!(r##"<circle cx="10" cy="0" r="4" fill="#ffffff" stroke="{blue}" stroke-width="2"/>"##),
                lang.pick("基期值", "Baseline"),
            );
        }
        if self.schedule.len() >= 2 {
            item(
                &mut s,
                format!(
                    r##"<line x1="0" y1="0" x2="20" y2="0" stroke="{grey}" stroke-width="1.5" stroke-dasharray="4 3"/>"##
                ),
                lang.pick("时序进度", "Schedule"),
            );
        }
        if self.target.is_some() {
            item(
                &mut s,
                format!(
                    r##"<line x1="0" y1="0" x2="20" y2="0" stroke="{red}" stroke-width="1.5" stroke-dasharray="6 4"/>"##
                ),
                lang.pick("目标值", "Target"),
            );
        }
        if self.projection.is_some() {
            item(
                &mut s,
                format!(
                    r##"<line x1="0" y1="0" x2="14" y2="0" stroke="{blue}" stroke-width="1.5" stroke-dasharray="2 3"/><path d="M16,-4 L20,0 L16,4 L12,0 Z" fill="#ffffff" stroke="{blue}" stroke-width="1.2"/>"##
                ),
                lang.pick("趋势预测（90%区间）", "Projection (90%)"),
            );
        }
        s.push_str("</svg>");
        s
    }

    /// The chart as a PNG, `scale` times its size in pixels, text drawn with
    /// the CJK fonts of `fonts`.
    pub fn png(&self, fonts: &FontSet, scale: f32) -> Result<Vec<u8>, ReportError> {
        self.png_of(&self.svg(&fonts.sans_stack()), fonts, scale)
    }

    /// [`Chart::png`] of this chart's `svg`, already written.
    pub(crate) fn png_of(&self, svg: &str, fonts: &FontSet, scale: f32) -> Result<Vec<u8>, ReportError> {
        use resvg::{tiny_skia, usvg};
        let opt = usvg::Options {
            font_family: fonts.sans_family.clone(),
            fontdb: fonts.fontdb(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| ReportError::Chart(e.to_string()))?;
        let w = (WIDTH as f32 * scale).round() as u32;
        let h = (HEIGHT as f32 * scale).round() as u32;
        let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or_else(|| ReportError::Chart("empty image".into()))?;
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        // The background is opaque white: RGB is enough (a quarter less to
        // compress and store than the RGBA of `encode_png`).
        let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        let mut out = Vec::with_capacity(rgb.len() / 8);
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Balanced);
        let chart_err = |e: png::EncodingError| ReportError::Chart(e.to_string());
        let mut writer = enc.write_header().map_err(chart_err)?;
        writer.write_image_data(&rgb).map_err(chart_err)?;
        writer.finish().map_err(chart_err)?;
        Ok(out)
    }
}

/// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    let m = raw / p;
    let k = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 2.5 {
        2.5
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    k * p
}

/// Escapes text for XML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_nice() {
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(1.3), 2.0);
        assert_eq!(nice_step(0.23), 0.25);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(700.0), 1000.0);
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
