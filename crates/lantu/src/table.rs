//! Aligned terminal tables that respect the width of CJK characters.

use lantu_extract::Target;
use unicode_width::UnicodeWidthStr;

fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

fn cut(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > max {
            out.push('…');
            return out;
        }
        w += cw;
        out.push(c);
    }
    out
}

/// Renders rows with a header, columns as wide as their widest cell.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| UnicodeWidthStr::width(*h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(UnicodeWidthStr::width(c.as_str()));
        }
    }
    let line = |cells: Vec<String>| {
        let n = cells.len();
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| if i + 1 == n { c.clone() } else { pad(c, widths[i]) })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
            + "\n"
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    out.push_str(&line(widths.iter().map(|w| "-".repeat(*w)).collect()));
    for r in rows {
        out.push_str(&line(r.clone()));
    }
    out
}

/// The targets as a table: id, indicator, comparator, value, unit, year,
/// measure, the start of the quote.
pub fn targets(targets: &[Target]) -> String {
    let rows: Vec<Vec<String>> = targets
        .iter()
        .map(|t| {
            let value = match (t.value, t.value_max) {
                (Some(v), Some(m)) => format!("{}–{}", v.normalize(), m.normalize()),
                (Some(v), None) => v.normalize().to_string(),
                _ => "—".into(),
            };
            vec![
                t.id.clone(),
                cut(&t.indicator, 30),
                t.comparator.to_string(),
                value,
                t.unit.clone().unwrap_or_default(),
                t.year.map(|y| y.to_string()).unwrap_or_default(),
                t.measure.as_str().to_string(),
                cut(&t.quote, 40),
            ]
        })
        .collect();
    render(
        &[
            "id",
            "指标 indicator",
            "cmp",
            "目标值 value",
            "单位",
            "年份",
            "measure",
            "原文 quote",
        ],
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_display_width() {
        let out = render(
            &["a", "b"],
            &[vec!["森林覆盖率".into(), "x".into()], vec!["PM2.5".into(), "y".into()]],
        );
        let lines: Vec<&str> = out.lines().collect();
        let col = |l: &str| UnicodeWidthStr::width(&l[..l.rfind(' ').unwrap()]);
        assert_eq!(col(lines[2]), col(lines[3]));
    }
}
