//! How numbers, targets and plan sentences are written on a page.

use crate::i18n::{t, Lang};
use lantu_core::plan::{BaselineDoc, TargetDoc};
use lantu_core::progress::{Assessment, Projection};
use lantu_core::{Attribute, Comparator, Measure, Status, TargetKind};
use rust_decimal::Decimal;

/// An exact decimal as written (`24.50` → `24.5`).
pub fn dec(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A statistical estimate with the precision it deserves.
pub fn float(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let a = x.abs();
    let places = if a >= 1000.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    let s = format!("{x:.places$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// A share as a percentage: 0.6 → `60%`.
pub fn percent(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    format!("{:.0}%", x * 100.0)
}

pub fn attribute_label(lang: Lang, a: Attribute) -> &'static str {
    match a {
        Attribute::Binding => t(lang, "attribute_binding"),
        Attribute::Expected => t(lang, "attribute_expected"),
    }
}

pub fn measure_label(lang: Lang, m: Measure) -> &'static str {
    match m {
        Measure::Level => t(lang, "measure_level"),
        Measure::AnnualGrowth => t(lang, "measure_annual_growth"),
        Measure::Cumulative => t(lang, "measure_cumulative"),
        Measure::Reduction => t(lang, "measure_reduction"),
    }
}

pub fn status_label(lang: Lang, s: Status) -> &'static str {
    lang.pick(s.label_zh(), s.label_en())
}

/// The unit a target's number is in: percent for growth and reduction.
pub fn target_unit(measure: Measure, unit: Option<&str>) -> String {
    match measure {
        Measure::AnnualGrowth | Measure::Reduction => "%".into(),
        _ => unit.unwrap_or("").to_string(),
    }
}

/// A figure for reading: large Chinese amounts in 万/亿 (450000 吨/日 →
/// `45 万吨/日`, 5000000000 元 → `50 亿元`) when that loses no digit, English
/// with thousands separators. Not for input fields.
pub fn amount(lang: Lang, d: Decimal, unit: &str) -> String {
    let d = d.normalize();
    let percent = unit.contains('%') || unit.contains('‰');
    let a = d.abs();
    if lang == Lang::Zh && !percent && !unit.starts_with('万') && !unit.starts_with('亿') {
        for (scale, word) in [(Decimal::new(100_000_000, 0), "亿"), (Decimal::new(10_000, 0), "万")] {
            if a >= scale {
                let v = (d / scale).normalize();
                if v.scale() <= 2 {
                    return with_unit(&v.to_string(), &format!("{word}{unit}"));
                }
            }
        }
    }
    if lang == Lang::En && a >= Decimal::new(10_000, 0) {
        let s = d.to_string();
        let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
        let (sign, digits) = int.strip_prefix('-').map_or(("", int), |r| ("-", r));
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let n = match frac {
            Some(f) => format!("{sign}{grouped}.{f}"),
            None => format!("{sign}{grouped}"),
        };
        return with_unit(&n, unit);
    }
    with_unit(&d.to_string(), unit)
}

/// A value with its unit: `25%`, `468 家`.
pub fn with_unit(value: &str, unit: &str) -> String {
    if unit.is_empty() {
        value.to_string()
    } else if unit == "%" || unit == "‰" || unit.starts_with('%') {
        format!("{value}{unit}")
    } else {
        format!("{value} {unit}")
    }
}

/// The target as a planning office writes it: `≥ 25%`, `年均增长 ≥ 6%`,
/// `45–50 张`, `≈ 7%`.
pub fn target_text(lang: Lang, target: &TargetDoc, measure: Measure, unit: Option<&str>) -> String {
    if target.kind == TargetKind::Relative || target.value.is_none() {
        return lang.pick("完成上级下达任务", "As set by the higher level").into();
    }
    let unit = target_unit(measure, unit);
    let value = target.value.unwrap_or_default();
    let number = match target.comparator {
        Comparator::AtLeast => format!("≥ {}", amount(lang, value, &unit)),
        Comparator::AtMost => format!("≤ {}", amount(lang, value, &unit)),
        Comparator::Exact => amount(lang, value, &unit),
        Comparator::Approx => format!("≈ {}", amount(lang, value, &unit)),
        Comparator::Range => {
            let max = target.value_max.map(dec).unwrap_or_else(|| "?".into());
            with_unit(&format!("{}–{max}", dec(value)), &unit)
        }
    };
    let number = if target.kind == TargetKind::Ratio {
        format!("1 : {}", number.trim_start_matches(['≥', '≤', '≈', ' ']))
    } else {
        number
    };
    match measure {
        Measure::Level => number,
        m => format!("{} {number}", measure_label(lang, m)),
    }
}

pub fn baseline_text(b: &BaselineDoc, unit: Option<&str>, lang: Lang) -> String {
    let v = amount(lang, b.value, unit.unwrap_or(""));
    match lang {
        Lang::Zh => format!("{v}（{}年）", b.year),
        Lang::En => format!("{v} ({})", b.year),
    }
}

/// The projection in plain words: `按当前趋势，2025年预计为 27.1%（90%区间 25.3%～28.9%），有望实现。`
pub fn projection_text(lang: Lang, p: &Projection, measure: Measure, unit: Option<&str>) -> String {
    let unit = target_unit(measure, unit);
    let fmt = |x: f64| with_unit(&float(x), &unit);
    let what = match (measure, lang) {
        (Measure::AnnualGrowth, Lang::Zh) => "年均增长",
        (Measure::Reduction, Lang::Zh) => "累计下降",
        (Measure::Cumulative, Lang::Zh) => "累计",
        (Measure::AnnualGrowth, Lang::En) => "average annual growth of ",
        (Measure::Reduction, Lang::En) => "a cumulative reduction of ",
        (Measure::Cumulative, Lang::En) => "a total of ",
        _ => "",
    };
    match lang {
        Lang::Zh => format!(
            "按当前趋势，{}年预计{what}{}（90%区间 {}～{}），{}。",
            p.year,
            fmt(p.value),
            fmt(p.low),
            fmt(p.high),
            p.likelihood.label_zh()
        ),
        Lang::En => format!(
            "On the current trend, {what}{} is expected by {} (90% interval {} to {}): {}.",
            fmt(p.value),
            p.year,
            fmt(p.low),
            fmt(p.high),
            p.likelihood.label_en().to_lowercase()
        ),
    }
}

/// The judgement in plain words: the reason, and the numbers behind it.
pub fn reasoning(lang: Lang, a: &Assessment, tol: &lantu_core::Tolerances) -> Vec<String> {
    let (ahead, on) = (dec(tol.ahead_ratio), dec(tol.on_track_ratio));
    let mut out = vec![lang.pick(a.reason.zh(), a.reason.en()).to_string()];
    if let (Some(p), Some(s)) = (a.progress, a.elapsed_share) {
        out.push(match lang {
            Lang::Zh => format!("完成进度 {}，时间进度 {}。", percent(p), percent(s)),
            Lang::En => format!("Progress {}, time elapsed {}.", percent(p), percent(s)),
        });
    }
    if let Some(r) = a.ratio {
        out.push(match lang {
            Lang::Zh => format!(
                "进度比 {}（≥{ahead} 快于预期，{on}–{ahead} 基本符合预期，<{on} 滞后）。",
                float(r)
            ),
            Lang::En => format!(
                "Schedule ratio {} (≥ {ahead} ahead, {on}–{ahead} on track, < {on} lagging).",
                float(r)
            ),
        });
    }
    if a.regressing {
        out.push(
            lang.pick(
                "最新值较基期值更偏离目标。",
                "The latest value is further from the target than the baseline.",
            )
            .into(),
        );
    }
    if a.warning {
        out.push(
            lang.pick(
                "已触发预警：约束性指标滞后或按趋势难以实现，请责任部门关注。",
                "Early warning: a binding target lagging, or a target unlikely to be met on its trend.",
            )
            .into(),
        );
    }
    out
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The plan's sentence as HTML, with the indicator's name marked and the
/// figures in it set in bold.
pub fn highlight_quote(quote: &str, name: &str) -> String {
    let chars: Vec<char> = quote.chars().collect();
    let mut mark = vec![0u8; chars.len()];
    // 1 = name, 2 = figure
    let name_chars: Vec<char> = name.chars().collect();
    if !name_chars.is_empty() {
        let mut i = 0;
        while i + name_chars.len() <= chars.len() {
            if chars[i..i + name_chars.len()] == name_chars[..] {
                mark[i..i + name_chars.len()].iter_mut().for_each(|m| *m = 1);
                i += name_chars.len();
            } else {
                i += 1;
            }
        }
    }
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && mark[i] == 0 {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || matches!(chars[i], '.' | '%' | ',' | '-' | '–')) {
                i += 1;
            }
            // a year is not a figure of the target
            let text: String = chars[start..i].iter().collect();
            let is_year = text.len() == 4 && text.parse::<u32>().is_ok_and(|y| (1949..=2100).contains(&y));
            if !is_year {
                mark[start..i].iter_mut().for_each(|m| *m = 2);
            }
        } else {
            i += 1;
        }
    }
    let mut out = String::new();
    let mut cur = 0u8;
    for (c, m) in chars.iter().zip(&mark) {
        if *m != cur {
            match cur {
                1 => out.push_str("</mark>"),
                2 => out.push_str("</strong>"),
                _ => {}
            }
            match m {
                1 => out.push_str("<mark>"),
                2 => out.push_str("<strong class=\"fig\">"),
                _ => {}
            }
            cur = *m;
        }
        out.push_str(&escape(&c.to_string()));
    }
    match cur {
        1 => out.push_str("</mark>"),
        2 => out.push_str("</strong>"),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(dec(Decimal::new(2450, 2)), "24.5");
        assert_eq!(float(27.123), "27.1");
        assert_eq!(float(1234.6), "1235");
        assert_eq!(float(0.5), "0.5");
        assert_eq!(percent(0.6), "60%");
    }

    #[test]
    fn amounts() {
        assert_eq!(amount(Lang::Zh, Decimal::from(450000), "吨/日"), "45 万吨/日");
        assert_eq!(amount(Lang::Zh, Decimal::from(5_000_000_000i64), "元"), "50 亿元");
        assert_eq!(amount(Lang::Zh, Decimal::new(1234567, 2), "元"), "12345.67 元");
        assert_eq!(amount(Lang::Zh, Decimal::from(3853), "张"), "3853 张");
        assert_eq!(amount(Lang::En, Decimal::new(4500005, 1), "t"), "450,000.5 t");
        assert_eq!(amount(Lang::En, Decimal::from(-12345), ""), "-12,345");
    }

    #[test]
    fn targets() {
        let tg = TargetDoc {
            comparator: Comparator::AtLeast,
            value: Some(Decimal::new(6, 0)),
            value_max: None,
            year: 2025,
            kind: TargetKind::Numeric,
            reason: None,
        };
        assert_eq!(
            target_text(Lang::Zh, &tg, Measure::AnnualGrowth, Some("亿元")),
            "年均增长 ≥ 6%"
        );
        let r = TargetDoc {
            comparator: Comparator::Range,
            value_max: Some(Decimal::new(50, 0)),
            value: Some(Decimal::new(45, 0)),
            ..tg.clone()
        };
        assert_eq!(target_text(Lang::Zh, &r, Measure::Level, Some("张")), "45–50 张");
    }

    #[test]
    fn quote_marks_name_and_figures_not_years() {
        let h = highlight_quote("到2025年，森林覆盖率达到25%<x>", "森林覆盖率");
        assert_eq!(
            h,
            "到2025年，<mark>森林覆盖率</mark>达到<strong class=\"fig\">25%</strong>&lt;x&gt;"
        );
    }
}
