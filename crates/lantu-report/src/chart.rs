//! The one chart renderer (指标走势图) of the pages and the reports: the
//! core's series model ([`lantu_core::series::Series`]: the baseline, the
//! figures as the engine reads them, the schedule path 时序进度线, the
//! target as a line or a band, the trend projection with its interval)
//! drawn as SVG by hand. The SVG goes inline into the web pages and the
//! HTML report, as an image into the PDF, and rasterised to PNG into Word
//! ([`Chart::png`]). No script, no font of its own: the page's or the
//! report's CJK font stack applies.

use crate::content::period_text;
use crate::fonts::FontSet;
use crate::num;
use crate::{Lang, ReportError};
use lantu_core::series::{Series, TargetMark};
use lantu_core::snapshot::IndicatorRow;
use lantu_core::Measure;
use rust_decimal::Decimal;
use std::fmt::Write;

/// Width and height of a chart, in CSS pixels (points in Word and PDF).
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 300.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// 图N, set once all charts are known.
    pub number: usize,
    pub lang: Lang,
    /// Indicator name and unit.
    pub title: String,
    pub code: String,
    pub series: Series,
    /// Decimal places for value labels.
    pub places: u32,
}

impl Chart {
    /// The chart of one indicator; `None` when there is nothing to draw.
    pub fn of(row: &IndicatorRow, series: Series, lang: Lang) -> Option<Chart> {
        if series.is_empty() {
            return None;
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
            series,
            places: num::data_places(row).min(2),
        })
    }

    /// `图3　森林覆盖率（%）` / `Figure 3. Forest coverage (%)`.
    pub fn caption(&self) -> String {
        match self.lang {
            Lang::Zh => format!("图{}　{}", self.number, self.title),
            Lang::En => format!("Figure {}. {}", self.number, self.title),
        }
    }

    /// The chart as an SVG document, `font` the CSS font-family list.
    pub fn svg(&self, font: &str) -> String {
        draw(&self.series, &self.caption(), self.lang, self.places, Some(font))
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

/// The chart of one indicator for a web page: the same drawing as the
/// reports', titled with the indicator's name; `None` when there is
/// nothing to draw (no baseline, no figure).
pub fn page_svg(row: &IndicatorRow, evaluation_year: i32, approx_tolerance: Decimal, lang: Lang) -> Option<String> {
    let chart = Chart::of(row, Series::of(row, evaluation_year, approx_tolerance), lang)?;
    Some(draw(&chart.series, &chart.title, lang, chart.places, None))
}

/// The y axis: (lowest tick, highest tick, step).
fn y_range(s: &Series) -> (f64, f64, f64) {
    let mut ys: Vec<f64> = Vec::new();
    ys.extend(s.baseline.map(|b| b.1));
    ys.extend(s.observed.iter().map(|p| p.y));
    ys.extend(s.schedule.iter().map(|p| p.1));
    match &s.target {
        Some(TargetMark::Line(v)) => ys.push(*v),
        Some(TargetMark::Band(a, b)) => ys.extend([*a, *b]),
        None => {}
    }
    if let Some(p) = &s.projection {
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

/// The series as an SVG document: `label` names it for screen readers,
/// `places` the decimals of value labels, `font` the CSS font-family list
/// (`None`: the surrounding page's). Every mark has a class (`observed`,
/// `point`, `baseline`, `schedule`, `target-line`, `target-band`,
/// `projection`) and each point a `<title>` with its period and value.
pub fn draw(series: &Series, label: &str, lang: Lang, places: u32, font: Option<&str>) -> String {
    let (x_min, x_max) = series.years();
    let (left, right, top, bottom) = (64.0, WIDTH - 24.0, 40.0, HEIGHT - 34.0);
    let x0 = f64::from(x_min) - 0.4;
    let x1 = f64::from(x_max) + 0.4;
    let (ylo, yhi, step) = y_range(series);
    let sx = |x: f64| left + (x - x0) / (x1 - x0) * (right - left);
    let sy = |y: f64| bottom - (y - ylo) / (yhi - ylo) * (bottom - top);
    // As many decimals as the step needs (0.25 → 2).
    let tick_places = (0..=6u32)
        .find(|p| {
            let scaled = step * 10f64.powi(*p as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(6);
    let fmt = |v: f64| num::axis(lang, v, tick_places as usize);
    let val = |v: f64| num::estimate(v, places);
    let (blue, red, grey) = ("#1f4e79", "#c00000", "#7f7f7f");

    let mut s = String::with_capacity(6000);
    let font_attr = font
        .map(|f| format!(r#" font-family="{}""#, esc(f)))
        .unwrap_or_default();
    let _ = write!(
        s,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}"{font_attr} font-size="12">"#,
        esc(label)
    );
    let _ = write!(s, "<title>{}</title>", esc(label));
    let _ = write!(
        s,
        r##"<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>"##
    );

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
    let span = x_max - x_min;
    let every = if span > 24 {
        5
    } else if span > 12 {
        2
    } else {
        1
    };
    for year in x_min..=x_max {
        if (year - x_min) % every != 0 && year != x_max {
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
    let target_word = lang.pick("目标", "Target");
    match &series.target {
        Some(TargetMark::Band(a, b)) => {
            let (ya, yb) = (sy(*b), sy(*a));
            let _ = write!(
                s,
                r##"<rect class="target-band" x="{left:.1}" y="{ya:.1}" width="{:.1}" height="{:.1}" fill="{red}" fill-opacity="0.08"/>"##,
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
                r##"<text x="{:.1}" y="{:.1}" fill="{red}" font-size="11">{target_word} {}–{}</text>"##,
                left + 6.0,
                ya - 5.0,
                val(*a),
                val(*b)
            );
        }
        Some(TargetMark::Line(v)) => {
            let yy = sy(*v);
            let _ = write!(
                s,
                r##"<line class="target-line" x1="{left:.1}" y1="{yy:.1}" x2="{right:.1}" y2="{yy:.1}" stroke="{red}" stroke-width="1.5" stroke-dasharray="6 4"/>"##
            );
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" fill="{red}" font-size="11">{target_word} {}</text>"##,
                left + 6.0,
                yy - 5.0,
                val(*v)
            );
        }
        None => {}
    }

    // Schedule path.
    if series.schedule.len() >= 2 {
        let pts: Vec<String> = series
            .schedule
            .iter()
            .map(|(x, y)| format!("{:.1},{:.1}", sx(*x), sy(*y)))
            .collect();
        let _ = write!(
            s,
            r##"<polyline class="schedule" points="{}" fill="none" stroke="{grey}" stroke-width="1.5" stroke-dasharray="4 3"/>"##,
            pts.join(" ")
        );
    }

    // Projection: a dotted line from the last point, and the interval.
    if let (Some(p), Some((lx, ly))) = (&series.projection, series.last_point()) {
        let (px, pv, pl, ph) = (sx(p.x), sy(p.value), sy(p.low), sy(p.high));
        let (v, lo, hi) = (val(p.value), val(p.low), val(p.high));
        let title = match lang {
            Lang::Zh => format!("趋势预测 {v}（{lo}–{hi}）"),
            Lang::En => format!("Projection {v} ({lo}–{hi})"),
        };
        let _ = write!(
            s,
            r##"<g class="projection"><title>{title}</title><line x1="{:.1}" y1="{:.1}" x2="{px:.1}" y2="{pv:.1}" stroke="{blue}" stroke-width="1.5" stroke-dasharray="2 3"/>"##,
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
            r##"<path d="M{px:.1},{:.1} L{:.1},{pv:.1} L{px:.1},{:.1} L{:.1},{pv:.1} Z" fill="#ffffff" stroke="{blue}" stroke-width="1.5"/></g>"##,
            pv - 5.0,
            px + 5.0,
            pv + 5.0,
            px - 5.0
        );
    }

    // Actual values.
    let mut line: Vec<(f64, f64)> = Vec::new();
    line.extend(series.baseline);
    line.extend(series.observed.iter().map(|p| (p.x, p.y)));
    if line.len() >= 2 {
        let pts: Vec<String> = line
            .iter()
            .map(|(x, y)| format!("{:.1},{:.1}", sx(*x), sy(*y)))
            .collect();
        let _ = write!(
            s,
            r##"<polyline class="observed" points="{}" fill="none" stroke="{blue}" stroke-width="2.2" stroke-linejoin="round"/>"##,
            pts.join(" ")
        );
    }
    if let Some((bx, by)) = series.baseline {
        let _ = write!(
            s,
            r##"<circle class="baseline" cx="{:.1}" cy="{:.1}" r="4.5" fill="#ffffff" stroke="{blue}" stroke-width="2"><title>{} {} {}</title></circle>"##,
            sx(bx),
            sy(by),
            lang.pick("基期值", "Baseline"),
            bx as i32,
            val(by)
        );
    }
    for p in &series.observed {
        let _ = write!(
            s,
            r##"<circle class="point" cx="{:.1}" cy="{:.1}" r="3.8" fill="{blue}"><title>{} {}</title></circle>"##,
            sx(p.x),
            sy(p.y),
            esc(&period_text(lang, p.period)),
            val(p.y)
        );
    }
    if let Some((x, y)) = series.last_point() {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{blue}" font-size="11" font-weight="bold">{}</text>"##,
            sx(x),
            sy(y) - 9.0,
            val(y)
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
    if series.baseline.is_some() {
        item(
            &mut s,
            format!(r##"<circle cx="10" cy="0" r="4" fill="#ffffff" stroke="{blue}" stroke-width="2"/>"##),
            lang.pick("基期值", "Baseline"),
        );
    }
    if series.schedule.len() >= 2 {
        item(
            &mut s,
            format!(
                r##"<line x1="0" y1="0" x2="20" y2="0" stroke="{grey}" stroke-width="1.5" stroke-dasharray="4 3"/>"##
            ),
            lang.pick("时序进度", "Schedule"),
        );
    }
    if series.target.is_some() {
        item(
            &mut s,
            format!(
                r##"<line x1="0" y1="0" x2="20" y2="0" stroke="{red}" stroke-width="1.5" stroke-dasharray="6 4"/>"##
            ),
            lang.pick("目标值", "Target"),
        );
    }
    if series.projection.is_some() {
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
