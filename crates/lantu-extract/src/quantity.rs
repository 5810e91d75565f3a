//! Numbers with their units, as plans write them: Arabic digits with stray
//! spaces (already removed by [`crate::scan`]), decimals, thousands
//! separators, Chinese numerals (六条, 三所), magnitudes (万, 亿, 千亿, 百亿级),
//! ranges (45-50 张), ratios (1:9), percentages and 个百分点.
//!
//! Values come out in base units: `5.7万亩` → 57000 亩, `45 万吨/日` → 450000
//! 吨/日. Years (2025 年), codes (5G, PM2.5, M8 线, “2+3”) and ordinals (1 号线,
//! 三期) are not quantities.

use crate::scan::{at, at_any, is_cjk};
use rust_decimal::Decimal;
use std::str::FromStr;

/// What kind of thing a unit counts; decides default comparators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitClass {
    /// %, ‰
    Percent,
    /// 个百分点
    Points,
    /// 倍
    Times,
    /// 元, 美元
    Money,
    /// physical measures: 平方米, 吨, 公里, 岁, 个工作日……
    Measure,
    /// classifiers of things: 个, 家, 所, 条, 张……
    Count,
    /// no unit (a ratio, 零开采)
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Qty {
    /// Compact index of the first char (prefix such as 近 included).
    pub start: usize,
    /// Compact index one past the last char (unit and 以上/左右 excluded).
    pub end: usize,
    /// Compact index where the digits begin.
    pub num_start: usize,
    pub value: Decimal,
    pub value_max: Option<Decimal>,
    pub unit: Option<String>,
    pub class: UnitClass,
    pub ratio: bool,
    /// 近/约/接近 before the number.
    pub approx: bool,
    /// 超/超过/逾 before, or 余/多 after: the figure is a floor.
    pub more: bool,
    pub chinese: bool,
    /// 各 right before the number: one figure for each item of a list.
    pub each: bool,
    /// A scale class (50 亿级): the unit 元 is implied.
    pub grade: bool,
}

/// Units longest first, with their class.
const UNITS: &[(&str, UnitClass)] = &[
    ("个百分点", UnitClass::Points),
    ("EFLOPS", UnitClass::Measure),
    ("PFLOPS", UnitClass::Measure),
    ("TEU", UnitClass::Measure),
    ("百分点", UnitClass::Points),
    ("微克/立方米", UnitClass::Measure),
    ("毫克/立方米", UnitClass::Measure),
    ("毫克/升", UnitClass::Measure),
    ("吨标准煤", UnitClass::Measure),
    ("个工作日", UnitClass::Measure),
    ("平方公里", UnitClass::Measure),
    ("平方千米", UnitClass::Measure),
    ("平方米", UnitClass::Measure),
    ("立方米", UnitClass::Measure),
    ("千瓦时", UnitClass::Measure),
    ("工作日", UnitClass::Measure),
    ("万人次", UnitClass::Count),
    ("人次", UnitClass::Count),
    ("辆次", UnitClass::Count),
    ("艘次", UnitClass::Count),
    ("架次", UnitClass::Count),
    ("家次", UnitClass::Count),
    ("公里", UnitClass::Measure),
    ("千米", UnitClass::Measure),
    ("公顷", UnitClass::Measure),
    ("千克", UnitClass::Measure),
    ("公斤", UnitClass::Measure),
    ("千瓦", UnitClass::Measure),
    ("兆瓦", UnitClass::Measure),
    ("吉瓦", UnitClass::Measure),
    ("标箱", UnitClass::Measure),
    ("小时", UnitClass::Measure),
    ("分钟", UnitClass::Measure),
    ("分贝", UnitClass::Measure),
    ("美元", UnitClass::Money),
    ("欧元", UnitClass::Money),
    ("元", UnitClass::Money),
    ("%", UnitClass::Percent),
    ("‰", UnitClass::Percent),
    ("倍", UnitClass::Times),
    ("米", UnitClass::Measure),
    ("亩", UnitClass::Measure),
    ("吨", UnitClass::Measure),
    ("岁", UnitClass::Measure),
    ("天", UnitClass::Measure),
    ("年", UnitClass::Measure),
    ("个", UnitClass::Count),
    ("家", UnitClass::Count),
    ("所", UnitClass::Count),
    ("座", UnitClass::Count),
    ("条", UnitClass::Count),
    ("项", UnitClass::Count),
    ("件", UnitClass::Count),
    ("张", UnitClass::Count),
    ("户", UnitClass::Count),
    ("人", UnitClass::Count),
    ("名", UnitClass::Count),
    ("场", UnitClass::Count),
    ("处", UnitClass::Count),
    ("支", UnitClass::Count),
    ("台", UnitClass::Count),
    ("套", UnitClass::Count),
    ("辆", UnitClass::Count),
    ("艘", UnitClass::Count),
    ("株", UnitClass::Count),
    ("棵", UnitClass::Count),
    ("只", UnitClass::Count),
    ("头", UnitClass::Count),
    ("批", UnitClass::Count),
    ("种", UnitClass::Count),
    ("间", UnitClass::Count),
    ("栋", UnitClass::Count),
    ("幢", UnitClass::Count),
    ("宗", UnitClass::Count),
    ("孔", UnitClass::Count),
    ("部", UnitClass::Count),
    ("类", UnitClass::Count),
];

/// Units written in Latin letters, which a number may touch (600 万TEU,
/// 70EFLOPS) without being a code.
const ASCII_UNITS: &[&str] = &["TEU", "EFLOPS", "PFLOPS"];

/// Units after `/` in a compound unit (吨/日, 元/平方米).
const PER_UNITS: &[&str] = &[
    "立方米",
    "平方米",
    "小时",
    "千克",
    "公里",
    "日",
    "天",
    "年",
    "月",
    "人",
    "户",
    "升",
];

/// Magnitudes, longest first.
const MAGNITUDES: &[(&str, i64)] = &[
    ("万亿", 1_000_000_000_000),
    ("千亿", 100_000_000_000),
    ("百亿", 10_000_000_000),
    ("十亿", 1_000_000_000),
    ("亿", 100_000_000),
    ("千万", 10_000_000),
    ("百万", 1_000_000),
    ("十万", 100_000),
    ("万", 10_000),
];

/// Units that name a specification, never an amount (110 千伏 输变电).
const SPEC_UNITS: &[&str] = &[
    "千伏", "伏", "兆赫", "赫兹", "号", "期", "届", "版", "代", "线", "级", "层", "路",
];

const APPROX_PREFIX: &[&str] = &["将近", "接近", "大约", "近", "约"];
const MORE_PREFIX: &[&str] = &["超过", "超", "逾"];

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Parses a Chinese numeral of up to four digits (十二, 二十三, 一百零五, 两千);
/// returns (value, chars used).
pub fn parse_chinese_numeral(s: &[char], i: usize) -> Option<(u32, usize)> {
    let mut total = 0u32;
    let mut cur: Option<u32> = None;
    let mut k = i;
    while let Some(&c) = s.get(k) {
        if let Some(d) = cn_digit(c) {
            if cur.is_some() && d != 0 {
                break; // 二三 is not a numeral
            }
            cur = Some(d);
        } else {
            let mult = match c {
                '十' => 10,
                '百' => 100,
                '千' => 1000,
                _ => break,
            };
            total += cur.unwrap_or(1) * mult;
            cur = None;
        }
        k += 1;
        if k - i > 8 {
            return None;
        }
    }
    if k == i {
        return None;
    }
    total += cur.unwrap_or(0);
    Some((total, k - i))
}

/// A four-digit year written in Chinese digits (二〇三五), as in titles.
pub fn parse_chinese_year(s: &[char], i: usize) -> Option<u32> {
    let mut y = 0u32;
    for k in 0..4 {
        let c = *s.get(i + k)?;
        let d = if c == '〇' || c == '零' { 0 } else { cn_digit(c)? };
        y = y * 10 + d;
    }
    (1900..=2100).contains(&y).then_some(y)
}

/// Parses an Arabic number at `i`: digits, thousands commas, one decimal
/// point. Returns (value, end) or None for malformed runs ("1.2.3", more
/// than 18 digits).
pub fn parse_arabic(s: &[char], i: usize) -> Option<(Decimal, usize)> {
    let mut k = i;
    let mut buf = String::new();
    let mut seen_point = false;
    while let Some(&c) = s.get(k) {
        if is_digit(c) {
            buf.push(c);
            k += 1;
        } else if c == ','
            && !seen_point
            && !buf.is_empty()
            && (1..=3).all(|j| s.get(k + j).is_some_and(|&d| is_digit(d)))
            && !s.get(k + 4).is_some_and(|&d| is_digit(d))
        {
            k += 1; // thousands separator
        } else if c == '.' && !seen_point && s.get(k + 1).is_some_and(|&d| is_digit(d)) {
            seen_point = true;
            buf.push('.');
            k += 1;
        } else {
            break;
        }
        // No plan writes a figure of more than 15 digits: such a run is a code or noise.
        if buf.len() > 16 || (!seen_point && buf.len() > 15) {
            return None;
        }
    }
    if buf.is_empty() {
        return None;
    }
    // "1.2.3" or "3.0.1": a version number, not a value.
    if s.get(k) == Some(&'.') && s.get(k + 1).is_some_and(|&d| is_digit(d)) {
        return None;
    }
    Decimal::from_str(&buf).ok().map(|v| (v, k))
}

/// End of a digit run starting at `i` (for skipping).
fn skip_run(s: &[char], mut i: usize) -> usize {
    while s.get(i).is_some_and(|&c| is_digit(c) || c == '.' || c == ',') {
        i += 1;
    }
    i
}

/// Whether `u` is a unit, after an optional magnitude (`人`, `万人`, `%`).
pub fn is_unit(u: &str) -> bool {
    let u = MAGNITUDES
        .iter()
        .find_map(|(m, _)| u.strip_prefix(m).filter(|r| !r.is_empty()))
        .unwrap_or(u);
    UNITS.iter().any(|(n, _)| *n == u)
}

pub fn is_year_value(v: Decimal) -> bool {
    v.fract().is_zero() && v >= Decimal::from(1900) && v <= Decimal::from(2100)
}

/// Reads magnitude, 余/多, unit after a number ending at `k`.
/// Returns (multiplier, unit, class, end, more, grade) or None if a spec unit.
struct Suffix {
    mult: Decimal,
    unit: Option<String>,
    class: UnitClass,
    end: usize,
    more: bool,
    grade: bool,
    spec: bool,
}

fn suffix(s: &[char], mut k: usize, to: usize) -> Suffix {
    let mut more = false;
    let mut mult = Decimal::ONE;
    if k < to && matches!(s[k], '余' | '多') {
        more = true;
        k += 1;
    }
    for (m, v) in MAGNITUDES {
        if at(s, k, m) {
            // 千米 is a unit, not 千 + 米; only 万/亿 forms are listed, so safe.
            mult = Decimal::from(*v);
            k += m.chars().count();
            break;
        }
    }
    if k < to && matches!(s[k], '余' | '多') {
        more = true;
        k += 1;
    }
    if at(s, k, "级") && mult > Decimal::ONE {
        return Suffix {
            mult,
            unit: Some("元".into()),
            class: UnitClass::Money,
            end: k + 1,
            more,
            grade: true,
            spec: false,
        };
    }
    if at_any(s, k, SPEC_UNITS).is_some() && !at(s, k, "年") {
        return Suffix {
            mult,
            unit: None,
            class: UnitClass::None,
            end: k,
            more,
            grade: false,
            spec: true,
        };
    }
    for (u, class) in UNITS {
        if at(s, k, u) {
            let mut unit = (*u).to_string();
            let mut end = k + u.chars().count();
            if *class != UnitClass::Percent && s.get(end) == Some(&'/') {
                if let Some(p) = at_any(s, end + 1, PER_UNITS) {
                    unit.push('/');
                    unit.push_str(p);
                    end += 1 + p.chars().count();
                }
            }
            let unit = if unit == "万人次" {
                mult *= Decimal::from(10_000);
                "人次".to_string()
            } else if unit == "百分点" {
                "个百分点".to_string()
            } else {
                unit
            };
            return Suffix {
                mult,
                unit: Some(unit),
                class: *class,
                end,
                more,
                grade: false,
                spec: false,
            };
        }
    }
    Suffix {
        mult,
        unit: None,
        class: UnitClass::None,
        end: k,
        more,
        grade: false,
        spec: false,
    }
}

fn prefix_flags(s: &[char], from: usize, i: usize) -> (usize, bool, bool, bool) {
    let mut start = i;
    let mut approx = false;
    let mut more = false;
    let mut each = false;
    for p in APPROX_PREFIX {
        let n = p.chars().count();
        if i >= from + n && at(s, i - n, p) {
            approx = true;
            start = i - n;
            break;
        }
    }
    if !approx {
        for p in MORE_PREFIX {
            let n = p.chars().count();
            if i >= from + n && at(s, i - n, p) {
                more = true;
                start = i - n;
                break;
            }
        }
    }
    if start > from && s[start - 1] == '各' {
        each = true;
    }
    (start, approx, more, each)
}

/// A classifier that may follow a Chinese numeral to make a count.
fn is_count_classifier(s: &[char], k: usize) -> Option<&'static str> {
    UNITS
        .iter()
        .find(|(u, c)| {
            *c == UnitClass::Count
                && at(s, k, u)
                && u.chars().count() == 1
                && *u != "类"
                && *u != "种"
                && *u != "批"
                && *u != "部"
                && *u != "头"
        })
        .map(|(u, _)| *u)
}

/// All quantities in `s[from..to]` (one sentence).
/// Every character at which [`lex`] may read something: an opening quote,
/// a digit, a magnitude (千百万十), a Chinese numeral above zero.
static LEX_START: crate::scan::CharSet = crate::scan::CharSet::new(&[
    '“', '"', '「', '《', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '千', '百', '万', '十', '一', '二', '两',
    '三', '四', '五', '六', '七', '八', '九',
]);

pub fn lex(s: &[char], from: usize, to: usize) -> Vec<Qty> {
    // Nothing past the sentence is looked at: lookahead stays bounded, so
    // the whole pass stays linear in the text.
    let s = &s[..to.min(s.len())];
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        let c = s[i];
        if !LEX_START.contains(c) {
            // Nothing below starts at `c`.
            i += 1;
            continue;
        }
        // A short quoted label (“两个大局”, “津南15条”, “1001”工程) is a name.
        if matches!(c, '“' | '"' | '「' | '《') {
            let close = match c {
                '“' => '”',
                '「' => '」',
                '《' => '》',
                _ => '"',
            };
            let limit = if c == '《' { 40 } else { 16 };
            if let Some(e) = (i + 1..to.min(i + limit)).find(|&k| s[k] == close) {
                i = e + 1;
                continue;
            }
        }
        if is_digit(c) {
            // Codes: a letter or '+' glued to the number (PM2.5, M8, 5G, “2+3”).
            let glued_before = i > from
                && (s[i - 1].is_ascii_alphabetic()
                    || s[i - 1] == '+'
                    || s[i - 1] == '.'
                    || s[i - 1] == '-' && i >= from + 2 && is_digit(s[i - 2]));
            let Some((v, k)) = parse_arabic(s, i) else {
                i = skip_run(s, i);
                continue;
            };
            let k = k.min(to);
            let glued_after =
                s.get(k).is_some_and(|&c| c.is_ascii_alphabetic() || c == '+') && at_any(s, k, ASCII_UNITS).is_none();
            if glued_before || glued_after {
                i = k.max(i + 1);
                continue;
            }
            if is_year_value(v)
                && (at(s, k, "年") || matches!(s.get(k), Some('-' | '—' | '~' | '至' | '/' | '.')) || at(s, k, "〜"))
            {
                i = k;
                continue;
            }
            // Ratio 1:9.
            if s.get(k) == Some(&':') && s.get(k + 1).is_some_and(|&d| is_digit(d)) {
                if let Some((b, e)) = parse_arabic(s, k + 1) {
                    if !v.is_zero() {
                        let (start, approx, more, each) = prefix_flags(s, from, i);
                        out.push(Qty {
                            start,
                            end: e,
                            num_start: i,
                            value: b / v,
                            value_max: None,
                            unit: None,
                            class: UnitClass::None,
                            ratio: true,
                            approx,
                            more,
                            chinese: false,
                            each,
                            grade: false,
                        });
                    }
                    i = e;
                    continue;
                }
            }
            let mut suf = suffix(s, k, to);
            let mut value_max = None;
            // Range: 45-50 张, 5%-10%, 3至5个.
            let sep_at = if suf.unit.is_some() && suf.class == UnitClass::Percent {
                suf.end
            } else {
                k
            };
            if matches!(s.get(sep_at), Some('-' | '~' | '—' | '至' | '到'))
                && s.get(sep_at + 1).is_some_and(|&d| is_digit(d))
            {
                if let Some((hi, e)) = parse_arabic(s, sep_at + 1) {
                    let suf2 = suffix(s, e, to);
                    if suf2.unit.is_some() || suf.unit.is_some() {
                        let mult = if suf2.unit.is_some() { suf2.mult } else { suf.mult };
                        if suf2.unit.is_some() {
                            suf = Suffix {
                                mult: suf.mult.max(Decimal::ONE),
                                ..suf2
                            };
                            // 3-5万: the magnitude written once applies to both.
                            suf.mult = mult;
                        }
                        value_max = hi.checked_mul(mult);
                    }
                }
            }
            if suf.spec || suf.unit.is_none() {
                i = suf.end.max(k).max(i + 1);
                continue;
            }
            // 所 after a name is an institute (中电科46所等), not a count.
            if suf.unit.as_deref() == Some("所")
                && matches!(s.get(suf.end), Some('等' | '、' | ')' | '）'))
                && !matches!(s.get(suf.end), Some('。'))
                && at(s, suf.end, "等")
            {
                i = suf.end;
                continue;
            }
            if suf.unit.as_deref() == Some("年") && (is_year_value(v) || v > Decimal::from(200)) {
                i = suf.end;
                continue;
            }
            let Some(value) = v.checked_mul(suf.mult) else {
                i = suf.end;
                continue;
            };
            let (start, approx, more, each) = prefix_flags(s, from, i);
            out.push(Qty {
                start,
                end: suf.end,
                num_start: i,
                value,
                value_max,
                unit: suf.unit,
                class: suf.class,
                ratio: false,
                approx,
                more: more || suf.more,
                chinese: false,
                each,
                grade: suf.grade,
            });
            i = suf.end;
            continue;
        }
        // Number-less magnitudes: 超千亿元, 百亿级.
        if matches!(c, '千' | '百' | '万' | '十')
            && (i == from
                || (!is_digit(s[i - 1]) && cn_digit(s[i - 1]).is_none() && !matches!(s[i - 1], '十' | '百' | '千')))
        {
            if let Some((m, v)) = MAGNITUDES.iter().find(|(m, _)| m.chars().count() == 2 && at(s, i, m)) {
                let k = i + m.chars().count();
                let grade = at(s, k, "级");
                let adjective = i > from && s[i - 1] == '的';
                if (grade || at(s, k, "元")) && !adjective {
                    let (start, approx, more, each) = prefix_flags(s, from, i);
                    out.push(Qty {
                        start,
                        end: k + 1,
                        num_start: i,
                        value: Decimal::from(*v),
                        value_max: None,
                        unit: Some("元".into()),
                        class: UnitClass::Money,
                        ratio: false,
                        approx,
                        more,
                        chinese: true,
                        each,
                        grade,
                    });
                    i = k + 1;
                    continue;
                }
            }
        }
        // Chinese numerals before a classifier: 六条, 三所, 十二个.
        if cn_digit(c).is_some_and(|d| d > 0) || c == '十' {
            let prev = if i > from { Some(s[i - 1]) } else { None };
            let ordinal = matches!(
                prev,
                Some(
                    '第' | '其'
                        | '之'
                        | '初'
                        | '周'
                        | '星'
                        | '万'
                        | '亿'
                        | '千'
                        | '百'
                        | '十'
                        | '统'
                        | '唯'
                        | '单'
                        | '专'
                        | '同'
                        | '逐'
                )
            );
            if !ordinal && prev.is_none_or(|p| cn_digit(p).is_none()) {
                if let Some((v, n)) = parse_chinese_numeral(s, i) {
                    let k = i + n;
                    if let Some(u) = is_count_classifier(s, k) {
                        // 三期, 一号 are ordinals; 一个 + verb is prose; a year in
                        // Chinese digits is handled elsewhere.
                        let next = s.get(k + 1).copied();
                        let prose = next.is_none_or(|c| !is_cjk(c))
                            || at(s, k + 1, "方面")
                            || at(s, k + 1, "是")
                            || at(s, k + 1, "都");
                        // Written-out counts are commitments only where they sum up
                        // a list (A、B 等六条道路) or follow a per-unit norm (每个街道
                        // 至少配建一处); elsewhere they are slogans (三条控制线).
                        let clause_from = (from..i)
                            .rev()
                            .find(|&k| matches!(s[k], ',' | ';' | ':' | '。'))
                            .map_or(from, |k| k + 1);
                        let sums_list = prev == Some('等') || (s[clause_from..i].contains(&'、') && u != "项");
                        let per_unit = ["每", "各", "至少", "不少于"]
                            .iter()
                            .any(|w| (clause_from..i).any(|k| at(s, k, w)));
                        let after_verb = crate::lexicon::BUILD_VERBS
                            .iter()
                            .any(|w| crate::scan::ends_with(s, i, w));
                        let allowed = if v == 1 {
                            per_unit
                        } else {
                            sums_list || per_unit || after_verb
                        };
                        if v > 0 && !prose && allowed {
                            let (start, approx, more, each) = prefix_flags(s, from, i);
                            out.push(Qty {
                                start,
                                end: k + 1,
                                num_start: i,
                                value: Decimal::from(v),
                                value_max: None,
                                unit: Some(u.to_string()),
                                class: UnitClass::Count,
                                ratio: false,
                                approx,
                                more,
                                chinese: true,
                                each,
                                grade: false,
                            });
                        }
                        i = k + 1;
                        continue;
                    }
                    i = k;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Compact;

    fn q(text: &str) -> Vec<(String, Option<String>, Option<String>)> {
        let c = Compact::new(text);
        lex(&c.chars, 0, c.chars.len())
            .into_iter()
            .map(|q| {
                (
                    q.value.normalize().to_string(),
                    q.value_max.map(|v| v.normalize().to_string()),
                    q.unit,
                )
            })
            .collect()
    }

    fn one(text: &str) -> (String, Option<String>, Option<String>) {
        let v = q(text);
        assert_eq!(v.len(), 1, "{text}: {v:?}");
        v.into_iter().next().unwrap()
    }

    #[test]
    fn stray_spaces_magnitudes_and_units() {
        assert_eq!(
            one("森林覆盖率达到25% 的发展目标"),
            ("25".into(), None, Some("%".into()))
        );
        assert_eq!(
            one("新增造林绿化面积 5.7万亩"),
            ("57000".into(), None, Some("亩".into()))
        );
        assert_eq!(
            one("津沽污水处理厂三期( 45 万吨 / 日)"),
            ("450000".into(), None, Some("吨/日".into()))
        );
        assert_eq!(
            one("PM2.5 年均浓度达到 43 微克 / 立方米"),
            ("43".into(), None, Some("微克/立方米".into()))
        );
        assert_eq!(
            one("实际利用外省市投资 1184.9 亿元"),
            ("118490000000".into(), None, Some("元".into()))
        );
        assert_eq!(
            one("发放各类补贴 1800 余万元"),
            ("18000000".into(), None, Some("元".into()))
        );
        assert_eq!(
            one("办理人才落户 1.8 万余人"),
            ("18000".into(), None, Some("人".into()))
        );
        assert_eq!(
            one("服务业比重增加 11 个百分点"),
            ("11".into(), None, Some("个百分点".into()))
        );
        assert_eq!(
            one("企业登记压缩至 1 个工作日"),
            ("1".into(), None, Some("个工作日".into()))
        );
        assert_eq!(
            one("生产总值 1,234.5 亿元"),
            ("123450000000".into(), None, Some("元".into()))
        );
        assert_eq!(one("达到 ７５％"), ("75".into(), None, Some("%".into())));
    }

    #[test]
    fn ranges_ratios_and_grades() {
        assert_eq!(
            one("每千名老年人拥有床位数达到 45 -50 张"),
            ("45".into(), Some("50".into()), Some("张".into()))
        );
        assert_eq!(
            one("引培 5 - 10 家企业"),
            ("5".into(), Some("10".into()), Some("家".into()))
        );
        assert_eq!(one("增长 5%-7%"), ("5".into(), Some("7".into()), Some("%".into())));
        assert_eq!(one("带动系数达到 1:9 。"), ("9".into(), None, None));
        assert_eq!(
            one("形成 50 亿级产业集群"),
            ("5000000000".into(), None, Some("元".into()))
        );
        assert_eq!(
            one("在新材料领域形成百亿级产业集群"),
            ("10000000000".into(), None, Some("元".into()))
        );
        assert_eq!(
            one("协议投资额超千亿元。"),
            ("100000000000".into(), None, Some("元".into()))
        );
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(
            one("东沽路、体育场路等六条道路实施维修工程"),
            ("6".into(), None, Some("条".into()))
        );
        assert_eq!(one("新建三所中学"), ("3".into(), None, Some("所".into())));
        assert_eq!(
            parse_chinese_numeral(&"二十三".chars().collect::<Vec<_>>(), 0),
            Some((23, 3))
        );
        assert_eq!(
            parse_chinese_numeral(&"十二".chars().collect::<Vec<_>>(), 0),
            Some((12, 2))
        );
        assert_eq!(
            parse_chinese_year(&"二〇三五".chars().collect::<Vec<_>>(), 0),
            Some(2035)
        );
        assert!(q("第三章 推进“十四五”规划").is_empty());
        assert!(q("津沽污水处理厂三期").is_empty());
    }

    #[test]
    fn not_quantities() {
        for t in [
            "到 2025 年",
            "建成 5G 基站",
            "PM2.5",
            "M8 线建设",
            "“ 2+3 ”产业体系",
            "地铁 1号线",
            "110 千伏输变电",
            "中电科 46 所等大学",
            "3.0 版",
            "1.2.3%",
            "10^400",
            "（2020 - 2022 年）",
            "“1001”工程",
        ] {
            let v = q(t);
            assert!(v.is_empty() || t == "10^400", "{t}: {v:?}");
        }
        assert!(q("99999999999999999999999999999999999 亿元").is_empty());
    }
}
