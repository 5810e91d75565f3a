//! Rows of a plan's main indicator table (主要指标, usually 专栏1), as PDF
//! extraction flattens them: `森林覆盖率 % 24.1 24.5 约束性`,
//! `城市公园数量 ≥ 120 预期性`, `地区生产总值（亿元） 1500 2200 预期性`. The
//! header line (`指标 单位 2020年 2025年 属性`) gives the years. A row is a
//! baseline and a target at once, with its attribute.

use crate::lexicon::lower_is_better;
use crate::quantity::{is_year_value, parse_arabic};
use crate::scan::fold;
use lantu_core::{Attribute, Comparator, Measure};
use rust_decimal::Decimal;
use std::ops::Range;

/// One row read from a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Byte range of the row line (trimmed).
    pub bytes: Range<usize>,
    pub category: Option<String>,
    pub indicator: String,
    pub unit: Option<String>,
    pub baseline: Option<(Decimal, Option<i32>)>,
    pub target: Option<Decimal>,
    pub target_max: Option<Decimal>,
    pub comparator: Comparator,
    pub measure: Measure,
    pub year: Option<i32>,
    pub attribute: Option<Attribute>,
}

/// Categories that open a block of rows in the tables of most plans.
const CATEGORIES: &[&str] = &[
    "经济发展",
    "创新驱动",
    "民生福祉",
    "绿色生态",
    "生态文明",
    "安全保障",
    "经济结构",
    "社会发展",
    "资源环境",
    "生态环境",
    "改革开放",
    "城乡发展",
    "城乡建设",
    "协调发展",
    "开放发展",
    "共享发展",
    "绿色发展",
    "创新发展",
    "人民生活",
    "社会民生",
    "文化建设",
    "高质量发展",
    "综合实力",
];

/// Units as table columns write them, with the magnitude they carry.
const TABLE_UNITS: &[(&str, &str, i64)] = &[
    ("万亿元", "元", 1_000_000_000_000),
    ("亿元", "元", 100_000_000),
    ("万元", "元", 10_000),
    ("元", "元", 1),
    ("万美元", "美元", 10_000),
    ("亿美元", "美元", 100_000_000),
    ("美元", "美元", 1),
    ("万吨标准煤", "吨标准煤", 10_000),
    ("吨标准煤/万元", "吨标准煤/万元", 1),
    ("万吨", "吨", 10_000),
    ("吨", "吨", 1),
    ("万人", "人", 10_000),
    ("人", "人", 1),
    ("万人次", "人次", 10_000),
    ("万平方米", "平方米", 10_000),
    ("平方米", "平方米", 1),
    ("平方公里", "平方公里", 1),
    ("公顷", "公顷", 1),
    ("万亩", "亩", 10_000),
    ("亩", "亩", 1),
    ("公里", "公里", 1),
    ("微克/立方米", "微克/立方米", 1),
    ("个百分点", "个百分点", 1),
    ("‰", "‰", 1),
    ("%", "%", 1),
    ("岁", "岁", 1),
    ("年", "年", 1),
    ("天", "天", 1),
    ("件", "件", 1),
    ("个", "个", 1),
    ("家", "家", 1),
    ("所", "所", 1),
    ("张", "张", 1),
    ("人", "人", 1),
    ("户", "户", 1),
    ("座", "座", 1),
    ("处", "处", 1),
    ("项", "项", 1),
    ("千瓦", "千瓦", 1),
    ("万千瓦", "千瓦", 10_000),
    ("亿立方米", "立方米", 100_000_000),
    ("万立方米", "立方米", 10_000),
    ("立方米", "立方米", 1),
];

fn table_unit(tok: &str) -> Option<(&'static str, i64)> {
    let t = tok.trim_matches(|c| matches!(c, '(' | ')' | '（' | '）' | '[' | ']'));
    TABLE_UNITS
        .iter()
        .find(|(u, _, _)| *u == t)
        .map(|(_, base, m)| (*base, *m))
}

/// A value cell: `24.5`, `≥120`, `>60`, `〔18〕` (cumulative), `6左右`, `45-50`.
struct Cell {
    value: Decimal,
    max: Option<Decimal>,
    cmp: Option<Comparator>,
    cumulative: bool,
}

fn cell(tok: &str) -> Option<Cell> {
    let t: String = tok.chars().map(fold).collect();
    let mut s = t.as_str();
    let mut cmp = None;
    let mut cumulative = false;
    for (p, c) in [
        ("≥", Comparator::AtLeast),
        (">=", Comparator::AtLeast),
        (">", Comparator::AtLeast),
        ("≤", Comparator::AtMost),
        ("<=", Comparator::AtMost),
        ("<", Comparator::AtMost),
    ] {
        if let Some(r) = s.strip_prefix(p) {
            s = r;
            cmp = Some(c);
            break;
        }
    }
    if (s.starts_with('〔') && s.ends_with('〕')) || (s.starts_with('[') && s.ends_with(']')) {
        cumulative = true;
        s = s.trim_start_matches(['〔', '[']).trim_end_matches(['〕', ']']);
    }
    for (suf, c) in [
        ("左右", Comparator::Approx),
        ("以上", Comparator::AtLeast),
        ("以内", Comparator::AtMost),
        ("以下", Comparator::AtMost),
    ] {
        if let Some(r) = s.strip_suffix(suf) {
            s = r;
            cmp = Some(c);
        }
    }
    let s = s.trim_end_matches('%');
    let chars: Vec<char> = s.chars().collect();
    let (v, e) = parse_arabic(&chars, 0)?;
    if e == chars.len() {
        return Some(Cell {
            value: v,
            max: None,
            cmp,
            cumulative,
        });
    }
    if matches!(chars.get(e), Some('-' | '~' | '—')) {
        let (hi, e2) = parse_arabic(&chars, e + 1)?;
        if e2 == chars.len() {
            return Some(Cell {
                value: v,
                max: Some(hi),
                cmp: Some(Comparator::Range),
                cumulative,
            });
        }
    }
    None
}

fn attribute(tok: &str) -> Option<Attribute> {
    if tok.starts_with("约束性") {
        Some(Attribute::Binding)
    } else if tok.starts_with("预期性") {
        Some(Attribute::Expected)
    } else {
        None
    }
}

/// Years named by a header line (`指标 单位 2020年 2025年 属性`), in order.
fn header_years(line: &str) -> Option<Vec<i32>> {
    if !(line.contains("指标") || line.contains("属性") || line.contains("单位")) {
        return None;
    }
    let chars: Vec<char> = line.chars().map(fold).filter(|c| !c.is_whitespace()).collect();
    let mut years = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            if let Some((v, e)) = parse_arabic(&chars, i) {
                if is_year_value(v) {
                    years.push(v.trunc().to_string().parse().unwrap_or(0));
                }
                i = e.max(i + 1);
                continue;
            }
        }
        i += 1;
    }
    (!years.is_empty()).then_some(years)
}

/// Reads every table row of `text`. `end_year` is the plan's end year, used
/// when no header names the target year.
pub fn rows(text: &str, end_year: i32) -> Vec<Row> {
    let mut out = Vec::new();
    let mut years: Option<Vec<i32>> = None;
    let mut category: Option<String> = None;
    let mut growth_column = false;
    let mut offset = 0usize;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim();
        if line.is_empty() || line.chars().count() > 160 {
            continue;
        }
        if let Some(y) = header_years(line) {
            growth_column = line.contains("年均增长") || line.contains("年均增速");
            years = Some(y);
            continue;
        }
        let toks: Vec<&str> = line.split_whitespace().collect();
        let attr = toks.iter().rev().take(2).find_map(|t| attribute(t));
        // A row names its attribute, or sits under a header with two figures.
        let cells: Vec<(usize, Cell)> = toks
            .iter()
            .enumerate()
            .filter_map(|(i, t)| cell(t).map(|c| (i, c)))
            .collect();
        if cells.is_empty() || line.contains('。') || (attr.is_none() && (years.is_none() || cells.len() < 2)) {
            continue;
        }
        let first_cell = cells[0].0;
        if first_cell == 0 {
            continue;
        }
        // Name (with an optional category first), then an optional unit column.
        let mut name_toks: Vec<&str> = toks[..first_cell].to_vec();
        let mut unit = None;
        let mut mult = Decimal::ONE;
        if let Some(last) = name_toks.last() {
            if let Some((u, m)) = table_unit(last) {
                unit = Some(u.to_string());
                mult = Decimal::from(m);
                name_toks.pop();
            }
        }
        // Comparator signs standing alone (城市公园数量 ≥ 120).
        let mut sign = None;
        while let Some(last) = name_toks.last() {
            match *last {
                "≥" | ">=" | ">" => sign = Some(Comparator::AtLeast),
                "≤" | "<=" | "<" => sign = Some(Comparator::AtMost),
                _ => break,
            }
            name_toks.pop();
        }
        if name_toks.len() > 1 && CATEGORIES.iter().any(|c| name_toks[0].starts_with(c)) {
            category = Some(name_toks.remove(0).to_string());
        }
        let mut name: String = name_toks.concat();
        // 地区生产总值（亿元）: the unit in brackets sets the magnitude.
        if unit.is_none() {
            if let Some(open) = name.find(['(', '（']) {
                if let Some((u, m)) = table_unit(&name[open..]) {
                    unit = Some(u.to_string());
                    mult = Decimal::from(m);
                    name.truncate(open);
                }
            }
        }
        if name.is_empty() || name.chars().any(|c| c.is_ascii_digit()) && name.chars().count() < 3 {
            continue;
        }
        let scale = |v: Decimal| v.checked_mul(mult).unwrap_or(v);
        let (last_i, last) = (cells[cells.len() - 1].0, &cells[cells.len() - 1].1);
        // "6 左右" flattened into two cells.
        let trailing = toks.get(last_i + 1).and_then(|t| match *t {
            "左右" => Some(Comparator::Approx),
            "以上" => Some(Comparator::AtLeast),
            "以下" | "以内" => Some(Comparator::AtMost),
            _ => None,
        });
        let first = &cells[0].1;
        let growth = ["年均增长", "年均增速", "年均递增", "增速"]
            .iter()
            .any(|w| name.contains(w))
            || growth_column && cells.len() >= 3;
        let reduction = name.contains("下降") || name.contains("降低") || name.contains("减少");
        let measure = if reduction {
            Measure::Reduction
        } else if growth {
            Measure::AnnualGrowth
        } else if last.cumulative {
            Measure::Cumulative
        } else {
            Measure::Level
        };
        let keep_scale = matches!(measure, Measure::AnnualGrowth | Measure::Reduction);
        let v = |c: &Cell| if keep_scale { c.value } else { scale(c.value) };
        let comparator =
            last.cmp
                .or(trailing)
                .or(sign)
                .unwrap_or(if measure == Measure::Level && lower_is_better(&name) {
                    Comparator::AtMost
                } else {
                    Comparator::AtLeast
                });
        let ys = years.clone().unwrap_or_default();
        let baseline = (cells.len() >= 2 && !first.cumulative && measure == Measure::Level)
            .then(|| (v(first), ys.first().copied()));
        out.push(Row {
            bytes: start + (raw.len() - raw.trim_start().len())..start + raw.trim_end().len(),
            category: category.clone(),
            indicator: name,
            unit: if keep_scale { Some("%".into()) } else { unit },
            baseline,
            target: Some(v(last)),
            target_max: last.max.map(|m| if keep_scale { m } else { scale(m) }),
            comparator,
            measure,
            year: ys
                .last()
                .copied()
                .filter(|y| *y > ys.first().copied().unwrap_or(0) || ys.len() == 1)
                .or(Some(end_year)),
            attribute: attr,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "专栏1 “十四五”时期经济社会发展主要指标\n类别 指标 单位 2020年 2025年 属性\n经济发展 地区生产总值（亿元） 1500 2200 预期性\n城市公园数量 个 ≥ 120 预期性\n绿色生态 森林覆盖率 % 24.1 24.5 约束性\n单位地区生产总值能源消耗降低 % 〔14〕 约束性\nPM2.5 年均浓度 微克/立方米 48 ≤40 约束性\n每千名老年人养老床位数 张 40 45-50 预期性\n说明:带〔〕的为五年累计数。\n";

    #[test]
    fn reads_flattened_rows() {
        let r = rows(TABLE, 2025);
        assert_eq!(r.len(), 6, "{r:#?}");
        assert_eq!(r[0].indicator, "地区生产总值");
        assert_eq!(r[0].unit.as_deref(), Some("元"));
        assert_eq!(r[0].target, Some(Decimal::from(220_000_000_000i64)));
        assert_eq!(r[0].baseline, Some((Decimal::from(150_000_000_000i64), Some(2020))));
        assert_eq!(r[0].category.as_deref(), Some("经济发展"));
        assert_eq!(r[1].comparator, Comparator::AtLeast);
        assert_eq!(r[1].target, Some(Decimal::from(120)));
        assert_eq!(r[2].attribute, Some(Attribute::Binding));
        assert_eq!(r[2].year, Some(2025));
        // 〔14〕 on a 降低 row is a reduction over the whole period.
        assert_eq!(r[3].measure, Measure::Reduction);
        let jobs = rows(
            "指标 单位 2020年 2025年 属性\n城镇新增就业 万人 〔52〕 〔50〕 预期性\n",
            2025,
        );
        assert_eq!(
            (jobs[0].measure, jobs[0].target),
            (Measure::Cumulative, Some(Decimal::from(500_000)))
        );
        assert_eq!(r[4].comparator, Comparator::AtMost);
        assert_eq!(r[4].measure, Measure::Level);
        assert_eq!(r[5].comparator, Comparator::Range);
        assert_eq!(r[5].target_max, Some(Decimal::from(50)));
    }

    #[test]
    fn prose_is_not_a_row() {
        assert!(rows("到 2025 年,森林覆盖率达到 25% 。\n第一章 总体要求 3\n", 2025).is_empty());
    }
}
