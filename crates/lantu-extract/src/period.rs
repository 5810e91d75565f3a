//! The plan period and the years sentences point at: 到 2025 年, 到“十四五”末,
//! “十四五”期间, 到二〇三五年.

use crate::quantity::{parse_arabic, parse_chinese_numeral, parse_chinese_year};
use crate::scan::{at, at_any};

/// The years a plan covers (第十四个五年规划 → 2021–2025).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanPeriod {
    pub start: i32,
    pub end: i32,
}

impl Default for PlanPeriod {
    fn default() -> Self {
        PlanPeriod { start: 2021, end: 2025 }
    }
}

/// Start year of the n-th national five-year plan (the 3rd began in 1966,
/// after the 1963–65 adjustment; every later one follows on).
pub fn five_year_plan_start(n: u32) -> Option<i32> {
    match n {
        1 => Some(1953),
        2 => Some(1958),
        3..=40 => Some(1966 + 5 * (n as i32 - 3)),
        _ => None,
    }
}

/// The ordinal in a period name starting at `i`: “十四五” → 14, 第十四个五年 → 14.
pub fn period_ordinal(s: &[char], i: usize) -> Option<(u32, usize)> {
    // “十四五”: tens digit, units digit, 五.
    if let Some((n, len)) = parse_chinese_numeral(s, i) {
        if (11..=29).contains(&n) || len >= 2 {
            // "十四五": the numeral parser reads 十四五? No: it stops at 五 after 四.
            if s.get(i + len) == Some(&'五') && !at(s, i + len, "五年") {
                return Some((n, len + 1));
            }
            if at(s, i + len, "个五年") || at(s, i + len, "五年") && n < 10 {
                let skip = if at(s, i + len, "个五年") { 3 } else { 2 };
                return Some((n, len + skip));
            }
        }
    }
    None
}

/// Reads the plan period from the first lines: "第十四个五年规划", "“十四五”规划",
/// or "2021—2025 年".
pub fn detect(chars: &[char]) -> PlanPeriod {
    find(&chars[..chars.len().min(600)]).map_or_else(PlanPeriod::default, |(p, _)| p)
}

/// The first period named in `head` and the range `[start, end)` of
/// `head` that names it: 第十四个五年 first, then “十四五”, then 2021—2025.
pub fn find(head: &[char]) -> Option<(PlanPeriod, std::ops::Range<usize>)> {
    for i in 0..head.len() {
        if head[i] == '第' {
            if let Some((n, len)) = period_ordinal(head, i + 1) {
                if let Some(start) = five_year_plan_start(n) {
                    return Some((PlanPeriod { start, end: start + 4 }, i..i + 1 + len));
                }
            }
        }
    }
    for i in 0..head.len() {
        if let Some((n, len)) = period_ordinal(head, i) {
            if len == 3 && (i == 0 || !matches!(head[i - 1], '第')) {
                if let Some(start) = five_year_plan_start(n) {
                    return Some((PlanPeriod { start, end: start + 4 }, i..i + len));
                }
            }
        }
    }
    // "2021-2025 年"
    for i in 0..head.len() {
        if let Some((a, e)) = parse_arabic(head, i) {
            if matches!(head.get(e), Some('-' | '—' | '~' | '至')) {
                if let Some((b, e2)) = parse_arabic(head, e + 1) {
                    let (a, b) = (
                        a.trunc().to_string().parse::<i32>().unwrap_or(0),
                        b.trunc().to_string().parse::<i32>().unwrap_or(0),
                    );
                    if (1950..=2100).contains(&a) && b > a && b - a <= 15 {
                        return Some((PlanPeriod { start: a, end: b }, i..e2));
                    }
                }
            }
        }
    }
    None
}

/// End year named by a period name at `i` (“十三五” → 2020).
fn period_end_at(s: &[char], i: usize) -> Option<(i32, usize)> {
    let (n, len) = period_ordinal(s, i)?;
    Some((five_year_plan_start(n)? + 4, len))
}

fn year_at(s: &[char], i: usize) -> Option<(i32, usize)> {
    if let Some((v, e)) = parse_arabic(s, i) {
        if at(s, e, "年") && crate::quantity::is_year_value(v) {
            return Some((v.trunc().to_string().parse().ok()?, e + 1 - i));
        }
        return None;
    }
    let y = parse_chinese_year(s, i)?;
    at(s, i + 4, "年").then_some((y as i32, 5))
}

/// The target year a sentence names: 到/至/在 2025 年, 到“十四五”末,
/// “十四五”期间/时期, 到二〇三五年. Years after 比/较/由/从 are base years.
pub fn target_year(s: &[char], from: usize, to: usize) -> Option<i32> {
    static LEADS: crate::scan::CharSet = crate::scan::CharSet::new(&['到', '至', '在', '于', '“']);
    let mut i = from;
    while i < to {
        if i != from && !LEADS.contains(s[i]) {
            i += 1;
            continue;
        }
        let lead = at_any(s, i, &["到", "至", "在", "于"]);
        let j = i + lead.map_or(0, |l| l.chars().count());
        let skip_quote = if matches!(s.get(j), Some('“' | '"' | '「')) {
            1
        } else {
            0
        };
        if let Some((end, len)) = period_end_at(s, j + skip_quote) {
            let k = j
                + skip_quote
                + len
                + if matches!(s.get(j + skip_quote + len), Some('”' | '"' | '」')) {
                    1
                } else {
                    0
                };
            if at_any(s, k, &["末", "期末", "期间", "时期", "内", "目标"]).is_some() {
                return Some(end);
            }
        }
        if lead.is_some() || i == from {
            if let Some((y, _)) = year_at(s, j) {
                if lead.is_some() || y >= 2000 {
                    return Some(y);
                }
            }
        }
        i += 1;
    }
    None
}

/// A base year the sentence names: 比/较/由/从 2020 年.
pub fn base_year(s: &[char], from: usize, to: usize) -> Option<i32> {
    (from..to).find_map(|i| {
        if !matches!(s[i], '比' | '较' | '由' | '从' | '截') {
            return None;
        }
        let l = at_any(s, i, &["比", "较", "由", "从", "截至", "截止"])?;
        year_at(s, i + l.chars().count()).map(|(y, _)| y)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<char> {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn periods() {
        assert_eq!(
            detect(&v(
                "天津市津南区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"
            )),
            PlanPeriod { start: 2021, end: 2025 }
        );
        assert_eq!(
            detect(&v("某市“十五五”规划纲要")),
            PlanPeriod { start: 2026, end: 2030 }
        );
        assert_eq!(
            detect(&v("某县国民经济和社会发展第十三个五年规划纲要")),
            PlanPeriod { start: 2016, end: 2020 }
        );
        assert_eq!(
            detect(&v("生态环境保护规划(2021—2025年)")),
            PlanPeriod { start: 2021, end: 2025 }
        );
    }

    #[test]
    fn target_years() {
        let s = v("到 2025 年,森林覆盖率达到25%。");
        assert_eq!(target_year(&s, 0, s.len()), Some(2025));
        let s = v("到“十四五”末,全区常住人口达到 50 万人。");
        assert_eq!(target_year(&s, 0, s.len()), Some(2025));
        let s = v("“十四五”期间,新建 3 所中学。");
        assert_eq!(target_year(&s, 0, s.len()), Some(2025));
        let s = v("到二〇三五年,基本实现现代化。");
        assert_eq!(target_year(&s, 0, s.len()), Some(2035));
        let s = v("地区生产总值比 2020 年翻一番。");
        assert_eq!(target_year(&s, 0, s.len()), None);
        assert_eq!(base_year(&s, 0, s.len()), Some(2020));
    }
}
