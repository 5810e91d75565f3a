//! Rows of a plan's indicator tables (主要指标, usually 专栏1 or 表1), in
//! the layouts text extraction produces:
//!
//! - one row per line, columns split by spaces: `森林覆盖率 % 24.1 24.5 约束性`,
//!   `城市公园数量 ≥ 120 预期性`, `25 森林覆盖率（%） ≥7.64 约束性`;
//! - columns split by runs of spaces or tabs, the attribute before the
//!   value: `经济强    1    地区生产总值年均增长率（%）    预期性    5以上`;
//! - a serial number and a category (经济强, 经济发展) before the name;
//!   group lines (`一、经济强（12 项）`) between rows;
//! - a row wrapped over lines (`与经济增长` / `保持同步`, a name cut in two);
//! - cells `24.5`, `≥120`, `＞40`, `6 左右`, `45-50`, `〔16〕` (cumulative),
//!   `—`/`*` (no figure), phrases (`提高 1 个百分点以上`) and qualitative
//!   cells (`完成省定目标`, `与经济增长保持同步`, `基本稳定`, `稳中有升`);
//! - the unit as a column (`%`) or in brackets after the name (`（万人）`),
//!   its magnitude expanded.
//!
//! The header line (`指标 单位 2020年 2025年 属性`) gives the years. A row is a
//! baseline and a target at once, with its attribute; in the review of the
//! last period the same rows report what was achieved (the caller decides).

use crate::lexicon::lower_is_better;
use crate::quantity::{is_year_value, parse_arabic};
use crate::scan::{fold, is_cjk, Compact};
use lantu_core::{Attribute, Comparator, Measure, TargetKind};
use rust_decimal::Decimal;
use std::ops::Range;

/// One row read from a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Byte range of the row (trimmed; several lines when it wraps).
    pub bytes: Range<usize>,
    pub category: Option<String>,
    pub indicator: String,
    pub unit: Option<String>,
    pub baseline: Option<(Decimal, Option<i32>)>,
    /// `None` for a qualitative cell (a relative target).
    pub target: Option<Decimal>,
    pub target_max: Option<Decimal>,
    pub comparator: Comparator,
    pub measure: Measure,
    pub year: Option<i32>,
    pub attribute: Option<Attribute>,
    pub kind: TargetKind,
    /// Figures of the last column: what a completion table (`2025年完成情况`)
    /// reports as achieved.
    pub achieved: Vec<Achieved>,
}

/// A figure a table reports as achieved.
#[derive(Debug, Clone, PartialEq)]
pub struct Achieved {
    /// The row's name, with the words the cell puts before the figure
    /// (`19428.78，年均增速4.8%` → …年均增速), or the one item of a
    /// `分别` list it belongs to.
    pub indicator: String,
    pub value: Decimal,
    pub unit: Option<String>,
}

/// Rows and every line the tables occupy (headers and group lines too), so
/// that the prose reader skips them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub rows: Vec<Row>,
    pub lines: Vec<Range<usize>>,
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

/// Base units a bracket may hold after a magnitude (`（亿斤）`, `（万公顷）`).
const BASE_UNITS: &[&str] = &[
    "元",
    "美元",
    "吨",
    "斤",
    "公斤",
    "人",
    "人次",
    "户",
    "家",
    "个",
    "件",
    "项",
    "公顷",
    "亩",
    "平方米",
    "平方公里",
    "立方米",
    "千瓦",
    "千瓦时",
    "标箱",
    "辆",
    "张",
    "床",
    "所",
    "座",
    "公里",
    "分",
    "岁",
    "年",
    "天",
    "小时",
];

/// Magnitude prefixes of a unit, longest first.
const UNIT_MAGNITUDES: &[(&str, i64)] = &[("万亿", 1_000_000_000_000), ("亿", 100_000_000), ("万", 10_000)];

fn table_unit(tok: &str) -> Option<(String, i64)> {
    let t = tok.trim_matches(|c| matches!(c, '(' | ')' | '（' | '）' | '[' | ']'));
    if let Some((_, base, m)) = TABLE_UNITS.iter().find(|(u, _, _)| *u == t) {
        return Some(((*base).to_owned(), *m));
    }
    let (rest, m) = UNIT_MAGNITUDES
        .iter()
        .find_map(|(p, m)| t.strip_prefix(p).map(|r| (r, *m)))
        .unwrap_or((t, 1));
    BASE_UNITS.contains(&rest).then(|| (rest.to_owned(), m))
}

/// A name ending in a bracketed unit (`地区生产总值（亿元）`): the name
/// without it, and the unit.
fn bracket_unit(tok: &str) -> Option<(&str, String, i64)> {
    let body = tok.strip_suffix('）').or_else(|| tok.strip_suffix(')'))?;
    let open = body.rfind(['（', '('])?;
    let (u, m) = table_unit(&body[open..])?;
    Some((&tok[..open], u, m))
}

/// A value cell: `24.5`, `≥120`, `>60`, `〔18〕` (cumulative), `6左右`, `45-50`.
struct Cell {
    value: Decimal,
    max: Option<Decimal>,
    cmp: Option<Comparator>,
    cumulative: bool,
}

/// A comparison sign opening a cell (`≥120`, `＞40` once folded).
fn strip_sign(s: &str) -> (&str, Option<Comparator>) {
    for (p, c) in [
        ("≥", Comparator::AtLeast),
        (">=", Comparator::AtLeast),
        (">", Comparator::AtLeast),
        ("≤", Comparator::AtMost),
        ("<=", Comparator::AtMost),
        ("<", Comparator::AtMost),
    ] {
        if let Some(r) = s.strip_prefix(p) {
            return (r, Some(c));
        }
    }
    (s, None)
}

fn cell(tok: &str) -> Option<Cell> {
    let t: String = tok.chars().map(fold).collect();
    let mut s = t.as_str();
    let mut cmp = None;
    let mut cumulative = false;
    if let (r, Some(c)) = strip_sign(s) {
        s = r;
        cmp = Some(c);
    }
    if (s.starts_with('〔') && s.ends_with('〕')) || (s.starts_with('[') && s.ends_with(']')) {
        cumulative = true;
        s = s.trim_start_matches(['〔', '[']).trim_end_matches(['〕', ']']);
        // 〔＞15〕: a sign inside the brackets.
        if let (r, Some(c)) = strip_sign(s) {
            s = r;
            cmp = Some(c);
        }
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

/// What a value column holds.
enum Val {
    /// `—`, `*`, `/`: no figure (not published, not applicable).
    Blank,
    Cell(Cell),
    /// No figure, a wording: `完成省定目标` (relative target) with its comparator.
    Qual(Comparator),
    /// A figure inside words: `提高1个百分点以上`, `19428.78，年均增速4.8%`.
    Phrase(Vec<crate::prose::Reading>, Vec<Figure>),
}

fn is_blank(t: &str) -> bool {
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '—' | '-' | '－' | '*' | '＊' | '/' | '／' | '…'))
}

/// Comparator of a qualitative cell, if the wording states a goal.
fn qualitative(t: &str, name: &str) -> Option<Comparator> {
    let has = |ws: &[&str]| ws.iter().any(|w| t.contains(w));
    if has(&["同步", "稳定", "持平", "合理区间", "相适应", "相协调", "相匹配"]) {
        Some(Comparator::Approx)
    } else if has(&["不高于", "低于", "控制"]) {
        Some(Comparator::AtMost)
    } else if has(&[
        "高于",
        "快于",
        "不低于",
        "稳中有升",
        "只增不减",
        "逐年",
        "提高",
        "提升",
        "增长",
    ]) {
        Some(Comparator::AtLeast)
    } else if has(&["完成", "达到", "符合", "满足", "落实"]) && has(&["目标", "指标", "任务", "要求", "标准"])
    {
        Some(
            if lower_is_better(name) && !["下降", "降低", "减少"].iter().any(|w| name.contains(w)) {
                Comparator::AtMost
            } else {
                Comparator::AtLeast
            },
        )
    } else {
        None
    }
}

fn val(t: &str, name: &str) -> Option<Val> {
    if is_blank(t) {
        return Some(Val::Blank);
    }
    if let Some(c) = cell(t) {
        return Some(Val::Cell(c));
    }
    if t.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
        let c = Compact::new(t);
        let r = crate::prose::read_sentence(&c.chars, 0, c.chars.len());
        let q = figures(&c.chars);
        return (!r.is_empty() || !q.is_empty()).then_some(Val::Phrase(r, q));
    }
    qualitative(t, name).map(Val::Qual)
}

/// A figure of a result cell: value, `%` when it says so, and the words
/// right before it.
type Figure = (Decimal, Option<String>, String);

/// Every figure of a cell that reports results (`19428.78，年均增速4.8%`,
/// `分别下降〔53.3〕和〔44.2〕`): its value and `%` when it says so, else no
/// unit (the row's unit applies).
fn figures(s: &[char]) -> Vec<Figure> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if !s[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let Some((v, e)) = parse_arabic(s, i) else {
            i += 1;
            continue;
        };
        if !(is_year_value(v) && s.get(e) == Some(&'年')) {
            let unit = matches!(s.get(e), Some('%' | '％')).then(|| "%".to_owned());
            let words = s[..i].iter().rev().take_while(|&&c| is_cjk(c)).count();
            out.push((v, unit, s[i - words..i].iter().collect()));
        }
        i = e.max(i + 1);
    }
    out
}

/// Words that stand in their own column after a figure (`6 左右`).
fn post_word(t: &str) -> Option<Comparator> {
    match t {
        "左右" => Some(Comparator::Approx),
        "以上" => Some(Comparator::AtLeast),
        "以下" | "以内" => Some(Comparator::AtMost),
        _ => None,
    }
}

fn is_serial(t: &str) -> bool {
    !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit())
}

fn has_cjk(t: &str) -> bool {
    t.chars().any(is_cjk)
}

/// The columns of a row: split at runs of two or more spaces (or a tab, an
/// ideographic space) when the line has such runs, else at every space.
fn columns(line: &str) -> Vec<String> {
    let wide = line.contains("  ") || line.contains('\t') || line.contains('\u{3000}');
    if !wide {
        return line.split_whitespace().map(str::to_owned).collect();
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut spaces = 0;
    for c in line.chars() {
        if c == '\t' || c == '\u{3000}' {
            spaces = 2;
        } else if c.is_whitespace() {
            spaces += 1;
        } else {
            if spaces >= 2 && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            spaces = 0;
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Where the reader stands: the header's years, whether the lines above
/// were a table.
#[derive(Default)]
struct State {
    years: Option<Vec<i32>>,
    in_table: bool,
    growth_column: bool,
    category: Option<String>,
}

/// Reads one logical row (`line` may join wrapped lines).
fn parse_row(line: &str, st: &mut State) -> Option<Row> {
    let mut toks = columns(line);
    let attr_at = toks.iter().rposition(|t| attribute(t).is_some());
    let attr = attr_at.and_then(|i| attribute(&toks[i]));
    if let Some(i) = attr_at {
        toks.remove(i);
    }
    if attr.is_none() && !st.in_table && st.years.is_none() {
        return None;
    }
    // Category and serial number: `经济强 1 地区生产总值…`, `16 3 岁以下…`.
    let bracketed = toks.iter().position(|t| bracket_unit(t).is_some());
    let mut category = None;
    if toks.len() >= 3
        && is_serial(&toks[1])
        && has_cjk(&toks[0])
        && !toks[0].contains(['（', '('])
        && cell(&toks[0]).is_none()
        && (has_cjk(&toks[2]) || bracketed.is_some_and(|b| b >= 2))
    {
        category = Some(toks.remove(0));
        toks.remove(0);
    } else if toks.len() >= 2
        && is_serial(&toks[0])
        && (has_cjk(&toks[1]) && cell(&toks[1]).is_none() && val(&toks[1], "").is_none()
            || bracketed.is_some_and(|b| b >= 1))
    {
        toks.remove(0);
    }
    let mut unit = None;
    let mut mult = Decimal::ONE;
    let mut sign = None;
    let (mut name, values): (String, Vec<String>) = if let Some(j) = toks.iter().position(|t| bracket_unit(t).is_some())
    {
        let (head, u, m) = bracket_unit(&toks[j])?;
        unit = Some(u);
        mult = Decimal::from(m);
        let mut before: Vec<String> = toks[..j].to_vec();
        if category.is_none() && !before.is_empty() && CATEGORIES.iter().any(|c| before[0].starts_with(c)) {
            category = Some(before.remove(0));
        }
        let name = format!("{}{}", before.concat(), head);
        (name, toks[j + 1..].to_vec())
    } else if let Some(k) = (1..toks.len()).find(|&k| {
        cell(&toks[k]).is_some()
            || is_blank(&toks[k])
            || table_unit(&toks[k]).is_some()
            || matches!(toks[k].as_str(), "≥" | ">=" | ">" | "≤" | "<=" | "<")
    }) {
        let mut name_toks: Vec<String> = toks[..k].to_vec();
        let mut rest = &toks[k..];
        if let Some((u, m)) = table_unit(&rest[0]) {
            unit = Some(u);
            mult = Decimal::from(m);
            rest = &rest[1..];
        }
        while let Some(first) = rest.first() {
            match first.as_str() {
                "≥" | ">=" | ">" => sign = Some(Comparator::AtLeast),
                "≤" | "<=" | "<" => sign = Some(Comparator::AtMost),
                _ => break,
            }
            rest = &rest[1..];
        }
        if category.is_none() && name_toks.len() > 1 && CATEGORIES.iter().any(|c| name_toks[0].starts_with(c)) {
            category = Some(name_toks.remove(0));
        }
        (name_toks.concat(), rest.to_vec())
    } else if toks.len() >= 2 && has_cjk(&toks[0]) {
        (toks[0].clone(), toks[1..].to_vec())
    } else {
        return None;
    };
    name.retain(|c| !c.is_whitespace());
    if name.is_empty() || !has_cjk(&name) || name.chars().count() > 60 {
        return None;
    }
    if category.is_some() {
        st.category = category;
    }
    // Value columns: one phrase when a row split at every space holds words.
    let joined_phrase = !line.contains("  ")
        && values
            .iter()
            .any(|t| post_word(t).is_none() && cell(t).is_none() && !is_blank(t));
    let mut vals: Vec<Val> = Vec::new();
    if joined_phrase {
        vals.push(val(&values.concat(), &name)?);
    } else {
        for t in &values {
            if let (Some(c), Some(Val::Cell(last))) = (post_word(t), vals.last_mut()) {
                last.cmp = Some(c);
                continue;
            }
            vals.push(val(t, &name)?);
        }
    }
    let last = vals.len().checked_sub(1);
    let cells: Vec<&Cell> = vals
        .iter()
        .filter_map(|v| match v {
            Val::Cell(c) => Some(c),
            _ => None,
        })
        .collect();
    if attr.is_none() && cells.len() < 2 && !(st.in_table && unit.is_some() && last.is_some()) {
        return None;
    }
    let scale = |v: Decimal| v.checked_mul(mult).unwrap_or(v);
    let growth = ["年均增长", "年均增速", "年均递增", "增速", "增长率"]
        .iter()
        .any(|w| name.contains(w))
        || st.growth_column && cells.len() >= 3;
    let reduction = ["下降", "降低", "减少"].iter().any(|w| name.contains(w));
    let last_cumulative = matches!(last.map(|i| &vals[i]), Some(Val::Cell(c)) if c.cumulative);
    let measure = if reduction {
        Measure::Reduction
    } else if growth {
        Measure::AnnualGrowth
    } else if last_cumulative || name.starts_with("新增") || name.starts_with("累计") {
        Measure::Cumulative
    } else {
        Measure::Level
    };
    let percent = unit.as_deref() == Some("%");
    let keep_scale = percent || matches!(measure, Measure::AnnualGrowth | Measure::Reduction);
    let v = |x: Decimal| if keep_scale { x } else { scale(x) };
    let default_cmp = if measure == Measure::Level && lower_is_better(&name) {
        Comparator::AtMost
    } else {
        Comparator::AtLeast
    };
    let ys = st.years.clone().unwrap_or_default();
    let year = ys
        .last()
        .copied()
        .filter(|y| *y > ys.first().copied().unwrap_or(0) || ys.len() == 1);
    let row_unit = if keep_scale && unit.is_none() {
        Some("%".to_owned())
    } else {
        unit.clone()
    };
    // What the last column reports, each figure with its unit.
    let achieved: Vec<Achieved> = match last.map(|i| &vals[i]) {
        Some(Val::Cell(c)) => vec![Achieved {
            indicator: name.clone(),
            value: v(c.value),
            unit: row_unit.clone(),
        }],
        Some(Val::Phrase(_, qs)) => {
            // 起数和死亡人数下降 … 分别下降〔53.3〕和〔44.2〕: one item each.
            let items = split_items(&name);
            let each = values.last().is_some_and(|t| t.contains("分别")) && items.len() == qs.len();
            qs.iter()
                .enumerate()
                .map(|(i, (value, unit, words))| {
                    let indicator = if each {
                        items[i].clone()
                    } else if words.is_empty() || words.contains("分别") {
                        name.clone()
                    } else {
                        format!("{name}{words}")
                    };
                    let (value, unit) = match unit {
                        Some(u) => (*value, Some(u.clone())),
                        None => (v(*value), row_unit.clone()),
                    };
                    Achieved { indicator, value, unit }
                })
                .collect()
        }
        _ => Vec::new(),
    };
    let first_cell = match vals.first() {
        Some(Val::Cell(c)) if cells.len() >= 2 && !c.cumulative && measure == Measure::Level => Some(v(c.value)),
        _ => None,
    };
    let baseline = first_cell.map(|x| (x, ys.first().copied()));
    let (target, target_max, comparator, kind, unit, measure) = match last.map(|i| &vals[i]) {
        Some(Val::Cell(c)) => (
            Some(v(c.value)),
            c.max.map(v),
            c.cmp.or(sign).unwrap_or(default_cmp),
            TargetKind::Numeric,
            row_unit,
            measure,
        ),
        Some(Val::Phrase(rs, _)) if !rs.is_empty() => {
            let r = &rs[0];
            let (value, unit) = match &r.unit {
                Some(u) => (r.value, Some(u.clone())),
                None => (r.value.map(v), row_unit),
            };
            let changed = values.first().is_some_and(|t| {
                ["提高", "增加", "提升", "下降", "降低", "减少"]
                    .iter()
                    .any(|w| t.starts_with(w))
            });
            let measure = if changed && measure == Measure::Level {
                Measure::Cumulative
            } else {
                measure
            };
            (
                value,
                r.value_max.map(v),
                r.comparator,
                TargetKind::Numeric,
                unit,
                measure,
            )
        }
        Some(Val::Qual(c)) => (None, None, *c, TargetKind::Relative, None, measure),
        _ => (None, None, default_cmp, TargetKind::Numeric, row_unit, measure),
    };
    Some(Row {
        bytes: 0..0,
        category: st.category.clone(),
        indicator: name,
        unit,
        baseline,
        target,
        target_max,
        comparator,
        measure,
        year,
        attribute: attr,
        kind,
        achieved,
    })
}

/// The two items of a joint name that share a head and a tail:
/// `生产安全事故起数和死亡人数下降` → `生产安全事故起数下降`,
/// `生产安全事故死亡人数下降` (the first item's own noun taken as its last
/// two characters). Any other name is one item.
fn split_items(name: &str) -> Vec<String> {
    let parts: Vec<&str> = name.split('和').collect();
    if parts.len() != 2 || parts.iter().any(|p| p.chars().count() < 2) {
        return vec![name.to_owned()];
    }
    let (first, second) = (parts[0], parts[1]);
    let tail = ["下降", "降低", "减少", "增长", "比例", "比重"]
        .iter()
        .find(|w| second.ends_with(*w))
        .copied()
        .unwrap_or("");
    let n = first.chars().count();
    let head: String = if n > 4 {
        first.chars().take(n - 2).collect()
    } else {
        String::new()
    };
    vec![format!("{first}{tail}"), format!("{head}{second}")]
}

/// A group line inside a table: `一、经济强（12 项）`, `（二）百姓富`.
fn is_group_line(line: &str) -> bool {
    let mut it = line.chars();
    let first = it.next();
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    let grouped = match first {
        Some(c) if numeral(c) => line.chars().find(|&c| !numeral(c)) == Some('、'),
        Some('（' | '(') => it.next().is_some_and(numeral),
        _ => false,
    };
    grouped && attribute_in(line).is_none()
}

fn attribute_in(line: &str) -> Option<Attribute> {
    line.split_whitespace().find_map(attribute)
}

/// Longest line that can continue a wrapped row, in characters.
const MAX_CONTINUATION: usize = 24;

/// Reads every table of `text`. `end_year` is the plan's end year, used
/// when no header names the target year.
pub fn read(text: &str, end_year: i32) -> Table {
    let mut out = Table::default();
    let mut st = State::default();
    // The row a wrapped line may continue: (index, first byte, logical text).
    let mut open: Option<(usize, usize, String)> = None;
    // A serial and the first part of a wrapped name: (first byte, text).
    let mut prefix: Option<(usize, String)> = None;
    let mut offset = 0usize;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim();
        let lstart = start + (raw.len() - raw.trim_start().len());
        let lend = start + raw.trim_end().len();
        if line.is_empty() {
            open = None;
            prefix = None;
            continue;
        }
        // Over 640 bytes is over 160 chars (4 bytes at most each): the
        // count is left for the short lines that hold no 。.
        if line.len() > 640 || line.contains('。') || line.chars().count() > 160 {
            st.in_table = false;
            open = None;
            prefix = None;
            continue;
        }
        if let Some(y) = header_years(line) {
            st.growth_column = line.contains("年均增长") || line.contains("年均增速");
            st.years = Some(y);
            st.in_table = true;
            out.lines.push(lstart..lend);
            open = None;
            continue;
        }
        if st.in_table && is_group_line(line) {
            st.category = Some(line.to_owned());
            out.lines.push(lstart..lend);
            open = None;
            prefix = None;
            continue;
        }
        let (row_start, logical) = match prefix.take() {
            Some((s, p)) => (s, format!("{p}{line}")),
            None => (lstart, line.to_owned()),
        };
        if let Some(mut row) = parse_row(&logical, &mut st) {
            row.bytes = row_start..lend;
            row.year = row.year.or(Some(end_year));
            out.rows.push(row);
            out.lines.push(lstart..lend);
            open = Some((out.rows.len() - 1, row_start, logical));
            st.in_table = true;
            continue;
        }
        let short = line.chars().filter(|c| !c.is_whitespace()).count() <= MAX_CONTINUATION;
        let first_tok = line.split_whitespace().next().unwrap_or("");
        if st.in_table && short {
            // The rest of a wrapped cell: `保持同步`, `左右    19428.78`.
            if let Some((i, s0, text0)) = open.take() {
                if !is_serial(first_tok) {
                    let joined = format!("{text0}{line}");
                    if let Some(mut row) = parse_row(&joined, &mut st) {
                        row.bytes = s0..lend;
                        row.year = row.year.or(Some(end_year));
                        out.rows[i] = row;
                        out.lines.push(lstart..lend);
                        open = Some((i, s0, joined));
                        continue;
                    }
                }
            }
        }
        if st.in_table && line.chars().count() <= 40 && is_serial(first_tok) && attribute_in(line).is_none() {
            // A serial and a name that wraps: `8 规上数字经济核心产业营业`.
            prefix = Some((lstart, line.to_owned()));
            out.lines.push(lstart..lend);
            continue;
        }
        open = None;
        if line.chars().count() > 40 {
            st.in_table = false;
        }
    }
    out
}

/// The rows of every table of `text` (see [`read`]).
pub fn rows(text: &str, end_year: i32) -> Vec<Row> {
    read(text, end_year).rows
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
