//! What a plan says about itself in its first and last lines: the title
//! (……国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要), joined
//! across lines and freed of its 关于印发《……》的通知 wrapper; the body that
//! owns it and that body's level; the kind of plan; the period; the vision
//! year; who issued it and when. Every field carries the span it was read
//! from.

use crate::model::{PlanInfo, PlanSpans, Span};
use crate::period::{self, PlanPeriod};
use crate::quantity::{parse_arabic, parse_chinese_numeral, parse_chinese_year};
use crate::regions::province_at;
use crate::scan::{at, fold, Compact};
use crate::text::CharIndex;
use lantu_core::plan::{PlanKind, PlanLevel};

/// Non-empty lines looked at for the title.
const TITLE_LINES: usize = 15;
/// Non-empty lines at the start and at the end looked at for the issuer.
const ISSUER_LINES: usize = 25;
/// A title line is at most this many characters.
const TITLE_MAX: usize = 100;
/// A line joined to a title (`第十五个五年规划纲要`) is at most this long.
const FRAGMENT_MAX: usize = 40;

/// Words a plan's title ends with.
const TITLE_ENDS: &[&str] = &["纲要", "规划", "方案", "计划"];

/// Words of a master plan's title.
const MASTER_WORDS: &[&str] = &[
    "国民经济和社会发展",
    "国民经济与社会发展",
    "经济和社会发展",
    "经济社会发展",
];

/// Words of a regional plan's title (区域规划: an area across bodies).
const REGIONAL_WORDS: &[&str] = &[
    "区域规划",
    "区域一体化",
    "城市群",
    "都市圈",
    "经济圈",
    "经济带",
    "经济区",
    "协同发展规划",
];

/// Endings of an issuing body's name.
const BODY_ENDS: &[&str] = &[
    "人民政府",
    "办公厅",
    "办公室",
    "委员会",
    "调查队",
    "政府",
    "中心",
    "委",
    "厅",
    "局",
    "部",
    "院",
    "署",
    "会",
];

/// Suffixes of the units of a region below the province, longest first,
/// with the level they give.
const UNIT_SUFFIXES: &[(&str, PlanLevel)] = &[
    ("特别行政区", PlanLevel::Provincial),
    ("自治区", PlanLevel::Provincial),
    ("自治州", PlanLevel::City),
    ("自治县", PlanLevel::District),
    ("自治旗", PlanLevel::District),
    ("街道", PlanLevel::Town),
    ("地区", PlanLevel::City),
    ("新区", PlanLevel::District),
    ("省", PlanLevel::Provincial),
    ("市", PlanLevel::City),
    ("州", PlanLevel::City),
    ("盟", PlanLevel::City),
    ("区", PlanLevel::District),
    ("县", PlanLevel::District),
    ("旗", PlanLevel::District),
    ("镇", PlanLevel::Town),
    ("乡", PlanLevel::Town),
];

/// A suffix character followed by one of these is a common noun (市场,
/// 区域, 县域, 乡村), not the end of a place name.
const NOT_AFTER_SUFFIX: &[char] = &['场', '民', '政', '容', '域', '位', '块', '间', '村', '镇', '级', '际'];

/// Words that never occur in the name of a place.
const NOT_IN_NAME: &[&str] = &[
    "城乡", "城市", "主城", "城镇", "都市", "社区", "园区", "景区", "文化", "旅游", "生态", "发展", "经济", "国民",
    "产业", "农村", "乡村", "建设", "规划", "保护", "开发", "关于", "印发",
];

/// A kept character of the text and its byte offset.
type Kept = (char, usize);

struct Line<'a> {
    /// The line with its surrounding whitespace trimmed.
    text: &'a str,
    /// Byte offset of `text` in the whole text.
    at: usize,
    /// The line without whitespace, folded, with byte offsets.
    chars: Vec<Kept>,
}

impl Line<'_> {
    fn compact(&self) -> String {
        self.chars.iter().map(|k| k.0).collect()
    }
    fn len(&self) -> usize {
        self.chars.len()
    }
}

fn line<'a>(text: &'a str, at: usize) -> Line<'a> {
    let trimmed = text.trim();
    let at = at + (text.len() - text.trim_start().len());
    let chars = trimmed
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace() && *c != '\u{FEFF}')
        .map(|(b, c)| (fold(c), at + b))
        .collect();
    Line {
        text: trimmed,
        at,
        chars,
    }
}

/// The first `n` non-empty lines of `text` and, separately, the last `n`.
fn head_and_tail(text: &str, n: usize) -> (Vec<Line<'_>>, Vec<Line<'_>>) {
    let mut head = Vec::new();
    let mut offset = 0;
    for l in text.split_inclusive('\n') {
        let ln = line(l, offset);
        offset += l.len();
        if ln.len() > 0 {
            head.push(ln);
            if head.len() == n {
                break;
            }
        }
    }
    let mut tail = Vec::new();
    let mut end = text.len();
    // Walk back line by line until `n` non-empty ones (or the head) are met.
    loop {
        let start = text[..end].rfind('\n').map_or(0, |p| p + 1);
        let ln = line(&text[start..end], start);
        if ln.len() > 0 {
            if head.iter().any(|h| h.at == ln.at) {
                break;
            }
            tail.push(ln);
            if tail.len() == n {
                break;
            }
        }
        if start == 0 {
            break;
        }
        end = start - 1;
    }
    tail.reverse();
    (head, tail)
}

fn has_any(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.contains(w))
}

/// Strips brackets and closing quotes after the last word, for "ends with".
fn core_end(s: &str) -> &str {
    s.trim_end_matches(['》', ')', '）', '”', '"', '」'])
}

fn ends_like_title(s: &str) -> bool {
    let s = core_end(s);
    TITLE_ENDS.iter().any(|w| s.ends_with(w))
        || s.ends_with("的通知")
        || is_period_note(s)
        || (s.ends_with("年更新") || s.ends_with("修订"))
}

/// `(2021—2025年)` standing alone after a title.
fn is_period_note(s: &str) -> bool {
    let t = s.trim_matches(['(', ')', '（', '）']);
    t.len() < s.len() && t.ends_with('年') && t.chars().all(|c| c.is_ascii_digit() || "-—~至年".contains(c))
}

fn is_sentence(s: &str) -> bool {
    s.contains(['。', ',', '，', ';', '；', ':', '：', '!', '?'])
}

/// A heading or table-of-contents line, never a title.
fn is_heading(s: &str) -> bool {
    s.starts_with('第') && s.chars().nth(2).is_some_and(|c| "章篇节".contains(c))
        || s.contains("..")
        || s.contains("……")
        || s.ends_with(|c: char| c.is_ascii_digit())
}

fn title_line(l: &Line) -> bool {
    let s = l.compact();
    l.len() <= TITLE_MAX && has_any(&s, TITLE_ENDS) && !is_heading(&s) && (!is_sentence(&s) || s.contains('《'))
}

/// A line that may continue or start a title split over lines.
fn fragment(l: &Line) -> bool {
    let s = l.compact();
    l.len() <= FRAGMENT_MAX
        && !is_sentence(&s)
        && !is_heading(&s)
        && date_in(&l.chars.iter().map(|k| k.0).collect::<Vec<_>>()).is_none()
}

/// The title as kept characters with offsets: lines joined, wrappers off.
fn title_chars(head: &[Line]) -> Vec<Kept> {
    let Some(i) = head.iter().take(TITLE_LINES).position(title_line) else {
        return Vec::new();
    };
    let mut first = i;
    let mut last = i;
    let unit = |chars: &[Kept]| -> bool {
        let c: Vec<char> = chars.iter().map(|k| k.0).collect();
        region_prefix(&c).0 > 0
    };
    // 北京市国民经济和社会发展 / 第十五个五年规划纲要: the line above holds
    // the region (or 关于印发) and the found line holds none.
    if i > 0 && !unit(&head[i].chars) && fragment(&head[i - 1]) {
        let above = head[i - 1].compact();
        if !ends_like_title(&above)
            && (unit(&head[i - 1].chars) || has_any(&above, MASTER_WORDS) || above.contains("印发"))
        {
            first = i - 1;
        }
    }
    // ……规划和二〇三五年 / 远景目标纲要, or a (2021—2025年) line, or 的通知.
    while last + 1 < head.len() && last - first < 3 {
        let here: String = head[first..=last].iter().map(Line::compact).collect();
        let next = head[last + 1].compact();
        let wraps = here.contains("印发") && !core_end(&here).ends_with("的通知");
        let open = !ends_like_title(&here);
        let fits = fragment(&head[last + 1])
            && (ends_like_title(&next) || is_period_note(&next))
            && !unit(&head[last + 1].chars);
        if (open || wraps || is_period_note(&next)) && fits {
            last += 1;
        } else {
            break;
        }
    }
    let chars: Vec<Kept> = head[first..=last]
        .iter()
        .flat_map(|l| l.chars.iter().copied())
        .collect();
    unwrap(chars)
}

/// Drops 关于印发《X》的通知 and 《》 around a title, keeping X.
fn unwrap(mut chars: Vec<Kept>) -> Vec<Kept> {
    let s: Vec<char> = chars.iter().map(|k| k.0).collect();
    if let (Some(a), Some(b)) = (s.iter().position(|&c| c == '《'), s.iter().rposition(|&c| c == '》')) {
        let inner: String = s[a + 1..b.max(a + 1)].iter().collect();
        if b > a + 1 && has_any(&inner, TITLE_ENDS) {
            return chars[a + 1..b].to_vec();
        }
    }
    if let Some(k) = (0..s.len()).find(|&k| at(&s, k, "印发")) {
        if s[..k].iter().collect::<String>().ends_with("关于") || k == 0 || s.len() - k > 4 {
            chars.drain(..k + 2);
        }
    }
    let n = chars.len();
    if n >= 3 && chars[n - 3..].iter().map(|k| k.0).eq("的通知".chars()) {
        chars.truncate(n - 3);
    }
    chars.retain(|k| !matches!(k.0, '《' | '》'));
    chars
}

/// Length of the region at the start of `s` (brackets included), the
/// region's name (brackets dropped) and its level.
pub fn region_prefix(s: &[char]) -> (usize, String, Option<PlanLevel>) {
    let mut i = 0;
    let mut name = String::new();
    let mut level: Option<PlanLevel> = None;
    let skip_brackets = |i: &mut usize| {
        while s.get(*i).is_some_and(|c| matches!(c, '(' | ')' | '（' | '）')) {
            *i += 1;
        }
    };
    skip_brackets(&mut i);
    for nation in ["中华人民共和国", "全国", "国家"] {
        if at(s, i, nation) && !at(s, i, "国家级") {
            let len = nation.chars().count();
            return (i + len, "中华人民共和国".into(), Some(PlanLevel::National));
        }
    }
    let mut end = 0;
    loop {
        skip_brackets(&mut i);
        let unit = if let Some((_, p)) = province_at(s, i).filter(|_| level.is_none()) {
            Some((p.chars().count(), PlanLevel::Provincial))
        } else {
            unit_at(s, i, level)
        };
        let Some((len, l)) = unit else { break };
        name.extend(&s[i..i + len]);
        i += len;
        end = i;
        level = Some(l);
        if l == PlanLevel::Town {
            break;
        }
    }
    // A closing bracket right after the region belongs to it: (天津市)津南区.
    (end, name, level)
}

fn rank(l: PlanLevel) -> u8 {
    match l {
        PlanLevel::National => 0,
        PlanLevel::Provincial => 1,
        PlanLevel::City => 2,
        PlanLevel::District => 3,
        PlanLevel::Town => 4,
    }
}

/// A place name of 1–6 characters and its suffix at `s[i..]`, below
/// `above` (a 市 under a city is a county-level city: a district).
fn unit_at(s: &[char], i: usize, above: Option<PlanLevel>) -> Option<(usize, PlanLevel)> {
    for j in i + 1..(i + 7).min(s.len()) {
        if !crate::scan::is_cjk(s[j - 1]) {
            return None;
        }
        let Some((suffix, mut level)) = UNIT_SUFFIXES.iter().copied().find(|(w, _)| at(s, j, w)) else {
            continue;
        };
        let len = j - i + suffix.chars().count();
        // 苏州市, 通州区: a one-character suffix right before another is
        // part of the name.
        // (某市市场: 市场 is a noun.)
        let glued = suffix.chars().count() == 1
            && s.get(i + len).is_some_and(|c| "市区县旗州镇".contains(*c))
            && !s.get(i + len + 1).is_some_and(|c| NOT_AFTER_SUFFIX.contains(c));
        if glued || s.get(i + len).is_some_and(|c| NOT_AFTER_SUFFIX.contains(c)) {
            continue;
        }
        let word: String = s[i..i + len].iter().collect();
        if has_any(&word, NOT_IN_NAME) {
            return None;
        }
        if above == Some(PlanLevel::City) && suffix == "市" {
            level = PlanLevel::District;
        }
        return match above {
            Some(a) if rank(level) <= rank(a) => None,
            _ => Some((len, level)),
        };
    }
    None
}

/// The kind of plan a title names.
pub fn kind_of(title: &str) -> Option<PlanKind> {
    if title.is_empty() {
        None
    } else if has_any(title, MASTER_WORDS) {
        Some(PlanKind::Master)
    } else if has_any(title, REGIONAL_WORDS) {
        Some(PlanKind::Regional)
    } else {
        Some(PlanKind::Special)
    }
}

/// (year, month, day) of a date; the day may be missing.
type Ymd = (u32, u32, Option<u32>);

/// A date `YYYY年M月[D日]` in `s` (Arabic or 二〇二六年四月): its range and
/// (year, month, day).
fn date_in(s: &[char]) -> Option<(std::ops::Range<usize>, Ymd)> {
    for i in 0..s.len() {
        let (year, k) = if let Some((v, e)) = parse_arabic(s, i).filter(|_| i == 0 || !s[i - 1].is_ascii_digit()) {
            (
                v.to_string().parse::<u32>().ok().filter(|y| (1949..=2100).contains(y)),
                e,
            )
        } else {
            (parse_chinese_year(s, i), i + 4)
        };
        let Some(year) = year else { continue };
        if s.get(k) != Some(&'年') {
            continue;
        }
        let number = |at: usize| -> Option<(u32, usize)> {
            parse_arabic(s, at)
                .and_then(|(v, e)| Some((v.to_string().parse::<u32>().ok()?, e)))
                .or_else(|| parse_chinese_numeral(s, at).map(|(v, l)| (v, at + l)))
        };
        let Some((month, e)) = number(k + 1).filter(|(m, e)| (1..=12).contains(m) && s.get(*e) == Some(&'月')) else {
            continue;
        };
        let day = number(e + 1).filter(|(d, e2)| (1..=31).contains(d) && s.get(*e2) == Some(&'日'));
        let end = day.map_or(e + 1, |(_, e2)| e2 + 1);
        return Some((i..end, (year, month, day.map(|d| d.0))));
    }
    None
}

struct Issued {
    issuer: Option<(String, Span)>,
    date: Option<(String, Span)>,
}

fn is_body(s: &str) -> bool {
    let s = s.trim_end_matches(['印', '发']);
    s.chars().count() >= 3 && BODY_ENDS.iter().any(|w| s.ends_with(w))
}

/// The issuing line: `湖北省文化和旅游厅办公室 2021年10月27日印发`, or a body
/// line followed by a date line (苏州市人民政府 / 二〇二六年四月).
fn issued(lines: &[Line], text: &str, idx: &CharIndex, title_end: usize) -> Issued {
    let span = |a: usize, b: usize| idx.span(text, a..b);
    for (n, l) in lines.iter().enumerate() {
        if l.at < title_end || l.len() > FRAGMENT_MAX + 10 {
            continue;
        }
        let c: Vec<char> = l.chars.iter().map(|k| k.0).collect();
        let Some((r, (y, m, d))) = date_in(&c) else { continue };
        let after: String = c[r.end..].iter().collect();
        if !matches!(after.as_str(), "" | "印发" | "发布" | "印" | ")" | "）") {
            continue;
        }
        let date = match d {
            Some(d) => format!("{y:04}-{m:02}-{d:02}"),
            None => format!("{y:04}-{m:02}"),
        };
        let date_span = span(l.chars[r.start].1, end_byte(&l.chars, r.end));
        let before: String = c[..r.start].iter().collect();
        let issuer = if is_body(&before) {
            let b = end_byte(&l.chars, r.start);
            Some((collapse(&text[l.at..b]), span(l.at, b)))
        } else if r.start == 0 && n > 0 && lines[n - 1].at >= title_end && is_body(&lines[n - 1].compact()) {
            let p = &lines[n - 1];
            Some((collapse(p.text), span(p.at, p.at + p.text.len())))
        } else if !before.is_empty() {
            continue;
        } else {
            None
        };
        return Issued {
            issuer,
            date: Some((date, date_span)),
        };
    }
    Issued {
        issuer: None,
        date: None,
    }
}

/// Byte offset one past kept char `k - 1` of a line.
fn end_byte(chars: &[Kept], k: usize) -> usize {
    k.checked_sub(1)
        .and_then(|j| chars.get(j))
        .map_or(0, |&(c, b)| b + c.len_utf8().max(1))
}

/// Whitespace runs as one space: `成都市统计局  国家统计局成都调查队`.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Byte range of kept chars `[a, b)`, as written in the text.
fn bytes_of(text: &str, chars: &[Kept], a: usize, b: usize) -> std::ops::Range<usize> {
    let start = chars[a].1;
    let last = chars[b - 1].1;
    let width = text[last..].chars().next().map_or(1, char::len_utf8);
    start..last + width
}

/// Reads the plan's own description: title and region from the first
/// lines, the issuer and date from the lines after the title or the last
/// lines, the period from the title (else the first 600 characters of
/// `c`), the level from the region.
pub fn plan_info(text: &str, c: &Compact, idx: &CharIndex) -> PlanInfo {
    let (head, tail) = head_and_tail(text, ISSUER_LINES);
    let kept = title_chars(&head);
    let title: String = kept.iter().map(|k| k.0).collect();
    let chars: Vec<char> = title.chars().collect();
    let mut spans = PlanSpans::default();
    let span_of = |a: usize, b: usize| (a < b).then(|| idx.span(text, bytes_of(text, &kept, a, b)));
    spans.title = span_of(0, kept.len());
    let title_end = spans.title.map_or(0, |_| bytes_of(text, &kept, 0, kept.len()).end);

    let (cut, mut region, mut level) = region_prefix(&chars);
    spans.region = span_of(0, cut);

    let issued = {
        let first = issued(&head, text, idx, title_end);
        if first.date.is_some() {
            first
        } else {
            issued(&tail, text, idx, title_end)
        }
    };
    if let Some((issuer, span)) = &issued.issuer {
        if region.is_empty() {
            let ic: Vec<char> = issuer.chars().filter(|c| !c.is_whitespace()).collect();
            let (n, r, l) = region_prefix(&ic);
            if n > 0 {
                (region, level) = (r, l);
                spans.region = Some(*span);
            } else if issuer.starts_with("国务院") || issuer.starts_with("中共中央") {
                (region, level) = ("中华人民共和国".into(), Some(PlanLevel::National));
                spans.region = Some(*span);
            }
        }
    }
    spans.issuer = issued.issuer.as_ref().map(|i| i.1);
    spans.issued_on = issued.date.as_ref().map(|d| d.1);

    let period = match period::find(&chars) {
        Some((p, r)) => {
            spans.period = span_of(r.start, r.end);
            p
        }
        None => {
            let head = &c.chars[..c.chars.len().min(600)];
            match period::find(head) {
                Some((p, r)) => {
                    spans.period = Some(idx.span(text, c.byte_range(r.start, r.end)));
                    p
                }
                None => PlanPeriod::default(),
            }
        }
    };

    let vision = (0..chars.len()).find_map(|i| {
        let (y, len) = parse_chinese_year(&chars, i).map(|y| (y as i32, 4)).or_else(|| {
            parse_arabic(&chars, i)
                .filter(|_| i == 0 || !chars[i - 1].is_ascii_digit())
                .and_then(|(v, e)| Some((v.to_string().parse::<i32>().ok()?, e - i)))
        })?;
        let rest: String = chars[i..].iter().take(12).collect();
        (y > period.end && rest.contains("远景")).then_some((y, i, i + len))
    });
    spans.vision_year = vision.and_then(|(_, a, b)| span_of(a, b));

    PlanInfo {
        kind: kind_of(&title),
        title,
        region,
        level,
        issuer: issued.issuer.map(|i| i.0),
        start_year: period.start,
        end_year: period.end,
        vision_year: vision.map(|v| v.0),
        issued_on: issued.date.map(|d| d.0),
        spans,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(text: &str) -> PlanInfo {
        plan_info(text, &Compact::new(text), &CharIndex::new(text))
    }

    fn region(s: &str) -> (String, Option<PlanLevel>) {
        let c: Vec<char> = s.chars().collect();
        let (_, r, l) = region_prefix(&c);
        (r, l)
    }

    #[test]
    fn regions_and_levels() {
        use PlanLevel::*;
        assert_eq!(region("北京市国民经济和社会发展"), ("北京市".into(), Some(Provincial)));
        assert_eq!(
            region("(天津市)津南区国民经济"),
            ("天津市津南区".into(), Some(District))
        );
        assert_eq!(region("南京市国民经济和社会发展"), ("南京市".into(), Some(City)));
        assert_eq!(region("苏州市国民经济和社会发展"), ("苏州市".into(), Some(City)));
        assert_eq!(region("北京市通州区国民经济"), ("北京市通州区".into(), Some(District)));
        assert_eq!(
            region("湖北省文化和旅游发展“十四五”规划"),
            ("湖北省".into(), Some(Provincial))
        );
        assert_eq!(region("某省某市国民经济"), ("某省某市".into(), Some(City)));
        assert_eq!(region("某县“十四五”生态环境保护规划"), ("某县".into(), Some(District)));
        assert_eq!(region("苏州市昆山市国民经济"), ("苏州市昆山市".into(), Some(District)));
        assert_eq!(region("某市某镇国土空间规划"), ("某市某镇".into(), Some(Town)));
        assert_eq!(
            region("内蒙古自治区某旗乡村振兴规划"),
            ("内蒙古自治区某旗".into(), Some(District))
        );
        assert_eq!(
            region("中华人民共和国国民经济和社会发展"),
            ("中华人民共和国".into(), Some(National))
        );
        assert_eq!(region("南京市城市更新规划"), ("南京市".into(), Some(City)));
        assert_eq!(region("某市市场监管规划"), ("某市".into(), Some(City)));
        assert_eq!(region("“十四五”文化和旅游发展规划"), (String::new(), None));
        assert_eq!(region("某市区域协调发展规划"), ("某市".into(), Some(City)));
    }

    #[test]
    fn a_title_split_over_two_lines_is_joined() {
        let t = "北京市国民经济和社会发展\n第十五个五年规划纲要\n\n序言\n“十五五”时期是……的关键时期。\n";
        let i = info(t);
        assert_eq!(i.title, "北京市国民经济和社会发展第十五个五年规划纲要");
        assert_eq!((i.region.as_str(), i.level), ("北京市", Some(PlanLevel::Provincial)));
        assert_eq!((i.kind, i.start_year, i.end_year), (Some(PlanKind::Master), 2026, 2030));
        let chars: Vec<char> = t.chars().collect();
        let s = i.spans.title.expect("title span");
        assert_eq!(
            chars[s.start..s.end].iter().collect::<String>(),
            "北京市国民经济和社会发展\n第十五个五年规划纲要"
        );
        let r = i.spans.region.expect("region span");
        assert_eq!(chars[r.start..r.end].iter().collect::<String>(), "北京市");
        let p = i.spans.period.expect("period span");
        assert_eq!(chars[p.start..p.end].iter().collect::<String>(), "第十五个五年");
    }

    #[test]
    fn a_provincial_special_plan_with_its_issuing_line() {
        let t = "湖北省文化和旅游发展“十四五”规划\n湖北省文化和旅游厅办公室 2021年10月27日印发\n一、发展基础\n……。\n";
        let i = info(t);
        assert_eq!(i.title, "湖北省文化和旅游发展“十四五”规划");
        assert_eq!((i.region.as_str(), i.level), ("湖北省", Some(PlanLevel::Provincial)));
        assert_eq!(i.kind, Some(PlanKind::Special));
        assert_eq!((i.start_year, i.end_year), (2021, 2025));
        assert_eq!(i.issuer.as_deref(), Some("湖北省文化和旅游厅办公室"));
        assert_eq!(i.issued_on.as_deref(), Some("2021-10-27"));
        let chars: Vec<char> = t.chars().collect();
        let d = i.spans.issued_on.expect("date span");
        assert_eq!(chars[d.start..d.end].iter().collect::<String>(), "2021年10月27日");
    }

    #[test]
    fn a_county_implementation_plan_in_a_notice_wrapper() {
        let t = "某县人民政府办公室关于印发《某县乡村振兴实施方案（2026—2030年）》的通知\n某政办发〔2026〕3号\n各乡镇人民政府：\n现将……印发给你们，请认真贯彻执行。\n某县人民政府办公室\n2026年3月5日\n";
        let i = info(t);
        assert_eq!(i.title, "某县乡村振兴实施方案(2026—2030年)");
        assert_eq!((i.region.as_str(), i.level), ("某县", Some(PlanLevel::District)));
        assert_eq!(i.kind, Some(PlanKind::Special));
        assert_eq!((i.start_year, i.end_year), (2026, 2030));
        assert_eq!(i.issuer.as_deref(), Some("某县人民政府办公室"));
        assert_eq!(i.issued_on.as_deref(), Some("2026-03-05"));
        let chars: Vec<char> = t.chars().collect();
        let s = i.spans.issuer.expect("issuer span");
        assert_eq!(chars[s.start..s.end].iter().collect::<String>(), "某县人民政府办公室");
    }

    #[test]
    fn vision_year_month_only_dates_and_the_bundled_plan() {
        let t = "某市国民经济和社会发展第十四个五年规划和二〇三五年\n远景目标纲要\n某市人民政府\n二〇二一年四月\n";
        let i = info(t);
        assert_eq!(
            i.title,
            "某市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"
        );
        assert_eq!(i.vision_year, Some(2035));
        assert_eq!(i.issuer.as_deref(), Some("某市人民政府"));
        assert_eq!(i.issued_on.as_deref(), Some("2021-04"));
        let jinnan = include_str!("../../../data/plans/jinnan-14th-five-year-plan.txt");
        let i = info(jinnan);
        assert_eq!(i.title, "(天津市)津南区国民经济和社会发展十四五规划(2022年更新)");
        assert_eq!(
            (i.region.as_str(), i.level),
            ("天津市津南区", Some(PlanLevel::District))
        );
        assert_eq!((i.kind, i.start_year, i.end_year), (Some(PlanKind::Master), 2021, 2025));
        assert_eq!(info("").title, "");
        assert_eq!(info("").kind, None);
    }

    #[test]
    fn the_issuing_lines_at_the_end() {
        let mut t = String::from("某市“十五五”生态环境保护规划\n");
        for k in 0..40 {
            t.push_str(&format!("第{k}段，推进生态环境治理。\n"));
        }
        t.push_str("某市生态环境局\n2026年5月8日\n\n");
        let i = info(&t);
        assert_eq!(i.issuer.as_deref(), Some("某市生态环境局"));
        assert_eq!(i.issued_on.as_deref(), Some("2026-05-08"));
        let chars: Vec<char> = t.chars().collect();
        let d = i.spans.issued_on.expect("date span");
        assert_eq!(chars[d.start..d.end].iter().collect::<String>(), "2026年5月8日");
        assert_eq!((i.kind, i.level), (Some(PlanKind::Special), Some(PlanLevel::City)));
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of("长江三角洲区域一体化发展规划纲要"), Some(PlanKind::Regional));
        assert_eq!(kind_of("某市制造业高质量发展行动计划"), Some(PlanKind::Special));
        assert_eq!(
            kind_of("某区国民经济和社会发展第十五个五年规划纲要"),
            Some(PlanKind::Master)
        );
    }
}
