//! One pass over the lines of a plan: what each line looks like on its own
//! (a 第X章 heading, a 专栏 box, a task item, a table-of-contents entry…).
//! Deciding what the lines *are* (which style is the chapter level, which
//! runs are a table of contents) happens in the caller.

use super::numeral::{self, is_cn_numeral_char, is_numeral_char};

/// Longest heading line, in characters, that still counts as a heading.
pub(super) const MAX_HEADING_CHARS: usize = 60;
/// Longest lead phrase of a task item (推进生产绿色化。), in non-space characters.
const MAX_LEAD_CHARS: usize = 40;
/// Longest line that can continue a wrapped heading or sit inside a
/// table-of-contents run without being one of its entries.
pub(super) const MAX_WRAP_CHARS: usize = 40;
/// Longest page number of a table-of-contents entry, in digits.
const MAX_PAGE_DIGITS: usize = 3;

/// Heading styles, from the 第X… forms to the enumerated "一、" and "（一）".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Style {
    /// 第X篇 / 第X部分
    Part,
    /// 第X章
    Chapter,
    /// 第X节
    Section,
    /// 一、标题
    ListChapter,
    /// （一）标题
    ListSection,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    Blank,
    /// A heading; `title` may be empty (the title is then on the next line).
    Head {
        style: Style,
        number: Option<u32>,
        title: (usize, usize),
    },
    /// 专栏 line.
    Box {
        number: Option<u32>,
        title: (usize, usize),
    },
    /// A paragraph opening with a lead phrase: `head` is the phrase with its
    /// dash or enumerator and its 。, `title` the phrase alone.
    Item {
        number: Option<u32>,
        head: (usize, usize),
        title: (usize, usize),
    },
    /// Any other line.
    Text,
}

#[derive(Debug, Clone)]
pub(super) struct Line {
    /// Byte range of the line with surrounding whitespace trimmed.
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Ends in a page number (and is short and has no 。): `Some(true)` with
    /// dot leaders, `Some(false)` after plain spaces.
    pub page: Option<bool>,
}

impl Line {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Offset of `inner` (a subslice) within `outer`.
fn offset(outer: &str, inner: &str) -> usize {
    inner.as_ptr() as usize - outer.as_ptr() as usize
}

/// Splits `text` into classified lines.
pub(super) fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::with_capacity(text.len() / 256 + 8);
    let mut pos = 0;
    for raw in text.split_inclusive('\n') {
        let t = trim(raw);
        let start = if t.is_empty() { pos } else { pos + offset(raw, t) };
        let end = start + t.len();
        pos += raw.len();
        let (kind, page) = classify(t, start);
        out.push(Line { start, end, kind, page });
    }
    out
}

fn classify(s: &str, base: usize) -> (Kind, Option<bool>) {
    if s.is_empty() {
        return (Kind::Blank, None);
    }
    let abs = |a: &str| base + offset(s, a);
    let kind = heading(s)
        .or_else(|| boxed(s))
        .map(|k| match k {
            Kind::Head { style, number, title } => Kind::Head {
                style,
                number,
                title: (base + title.0, base + title.1),
            },
            Kind::Box { number, title } => Kind::Box {
                number,
                title: (base + title.0, base + title.1),
            },
            k => k,
        })
        .or_else(|| {
            item(s).map(|(number, head, title)| Kind::Item {
                number,
                head: (abs(head), abs(head) + head.len()),
                title: (abs(title), abs(title) + title.len()),
            })
        })
        .unwrap_or(Kind::Text);
    let page = match kind {
        Kind::Item { .. } => None,
        _ => page_tail(s).filter(|&leaders| {
            (leaders || matches!(kind, Kind::Head { .. } | Kind::Box { .. }))
                && !s.contains('。')
                && s.chars().count() <= 2 * MAX_HEADING_CHARS
        }),
    };
    (kind, page)
}

/// Title of a heading: what follows its marker, with separators trimmed.
fn title_after(s: &str, rest: &str) -> (usize, usize) {
    let t = rest.trim_start_matches(|c: char| is_space(c) || matches!(c, '：' | ':' | '、' | '.' | '．'));
    let t = trim(t);
    let a = offset(s, t);
    (a, a + t.len())
}

fn short_heading_line(s: &str) -> bool {
    !s.contains('。') && s.chars().count() <= MAX_HEADING_CHARS
}

/// 第X篇/部分/章/节 and "一、" / "（一）" headings. Title offsets relative to `s`.
fn heading(s: &str) -> Option<Kind> {
    let first = s.chars().next()?;
    if first == '第' {
        let rest = &s['第'.len_utf8()..];
        let (num, rest) = numeral_run(rest, true);
        if num.is_empty() {
            return None;
        }
        let rest = rest.trim_start_matches(is_space);
        let (style, rest) = if let Some(r) = rest.strip_prefix('篇') {
            (Style::Part, r)
        } else if let Some(r) = rest.strip_prefix("部分") {
            (Style::Part, r)
        } else if let Some(r) = rest.strip_prefix('章') {
            (Style::Chapter, r)
        } else if let Some(r) = rest.strip_prefix('节') {
            (Style::Section, r)
        } else {
            return None;
        };
        if !short_heading_line(s) {
            return None;
        }
        let number = numeral::parse(num.chars());
        return Some(Kind::Head {
            style,
            number,
            title: title_after(s, rest),
        });
    }
    if is_cn_numeral_char(first) {
        let (num, rest) = numeral_run(s, false);
        let rest = rest.trim_start_matches(is_space).strip_prefix('、')?;
        let title = title_after(s, rest);
        if title.0 == title.1 || !short_list_heading(s) {
            return None;
        }
        let number = Some(numeral::parse(num.chars())?);
        return Some(Kind::Head {
            style: Style::ListChapter,
            number,
            title,
        });
    }
    if first == '（' || first == '(' {
        let rest = s[first.len_utf8()..].trim_start_matches(is_space);
        let (num, rest) = numeral_run(rest, true);
        if num.is_empty() || !num.chars().all(|c| is_cn_numeral_char(c) || is_space(c)) {
            return None;
        }
        let rest = rest.trim_start_matches(is_space);
        let rest = rest.strip_prefix('）').or_else(|| rest.strip_prefix(')'))?;
        let title = title_after(s, rest);
        if title.0 == title.1 || !short_list_heading(s) {
            return None;
        }
        let number = Some(numeral::parse(num.chars())?);
        return Some(Kind::Head {
            style: Style::ListSection,
            number,
            title,
        });
    }
    None
}

fn short_list_heading(s: &str) -> bool {
    !s.contains('。') && s.chars().count() <= MAX_WRAP_CHARS
}

/// The numeral characters at the start of `s` (spaces between them allowed
/// when `spaced`), and the rest.
fn numeral_run(s: &str, spaced: bool) -> (&str, &str) {
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if is_numeral_char(c) {
            end = i + c.len_utf8();
        } else if !(spaced && is_space(c)) {
            break;
        }
    }
    (&s[..end], &s[end..])
}

/// 专栏 lines: "专栏1", "专栏 2-3 标题", "专栏一：标题". Title offsets relative to `s`.
fn boxed(s: &str) -> Option<Kind> {
    let rest = s.strip_prefix("专栏")?;
    match rest.chars().next() {
        None => {}
        Some(c)
            if is_space(c)
                || is_numeral_char(c)
                || matches!(c, '：' | ':' | '“' | '"' | '《' | '「' | '—' | '-' | '.' | '．' | '、') => {}
        Some(_) => return None,
    }
    if !short_heading_line(s) {
        return None;
    }
    let mut r = rest.trim_start_matches(is_space);
    let mut number = None;
    loop {
        let (num, after) = numeral_run(r, false);
        if num.is_empty() {
            break;
        }
        match numeral::parse(num.chars()).filter(|&n| n < 1000) {
            Some(n) => number = Some(n),
            None => break,
        }
        r = after;
        // 专栏 2-3: the box's own ordinal is the last one.
        match after.strip_prefix(['-', '－', '—', '–', '.', '．']) {
            Some(a) if a.starts_with(is_numeral_char) => r = a,
            _ => break,
        }
    }
    Some(Kind::Box {
        number,
        title: title_after(s, r),
    })
}

/// Dash, enumerator or bullet opening a task item; returns bytes consumed and
/// the ordinal of an enumerator.
fn item_prefix(s: &str) -> (usize, Option<u32>) {
    let dashes = s.trim_start_matches(['—', '―', '─', '-', '－']);
    let skipped = s.len() - dashes.len();
    if skipped > 0 && (skipped >= 2 * '—'.len_utf8() || s.starts_with("--")) {
        let t = dashes.trim_start_matches(is_space);
        return (s.len() - t.len(), None);
    }
    let Some(first) = s.chars().next() else {
        return (0, None);
    };
    // ①…⑳
    if ('\u{2460}'..='\u{2473}').contains(&first) {
        let t = s[first.len_utf8()..].trim_start_matches(is_space);
        return (s.len() - t.len(), Some(first as u32 - 0x2460 + 1));
    }
    if matches!(
        first,
        '●' | '◆' | '■' | '▲' | '•' | '▪' | '◇' | '□' | '○' | '◎' | '★' | '☆' | '➢' | '►' | '▶'
    ) {
        let t = s[first.len_utf8()..].trim_start_matches(is_space);
        return (s.len() - t.len(), None);
    }
    // （一） (1)
    if first == '（' || first == '(' {
        let rest = s[first.len_utf8()..].trim_start_matches(is_space);
        let (num, rest) = numeral_run(rest, true);
        let rest = rest.trim_start_matches(is_space);
        if let (Some(n), Some(r)) = (
            numeral::parse(num.chars()),
            rest.strip_prefix('）').or_else(|| rest.strip_prefix(')')),
        ) {
            let t = r.trim_start_matches(is_space);
            return (s.len() - t.len(), Some(n));
        }
        return (0, None);
    }
    // 一、 1、 1. 1．
    if is_numeral_char(first) {
        let (num, rest) = numeral_run(s, false);
        let arabic = num.starts_with(|c: char| numeral::arabic_digit(c).is_some());
        let r = match rest.strip_prefix('、') {
            Some(r) => Some(r),
            None if arabic => rest
                .strip_prefix(['.', '．'])
                .filter(|r| !r.starts_with(|c: char| numeral::arabic_digit(c).is_some())),
            None => None,
        };
        if let (Some(r), Some(n)) = (r, numeral::parse(num.chars())) {
            let t = r.trim_start_matches(is_space);
            return (s.len() - t.len(), Some(n));
        }
    }
    (0, None)
}

/// A paragraph that opens with a short lead phrase ending in 。 and goes on
/// after it: returns the ordinal of its enumerator, the lead with prefix and
/// 。, and the lead alone.
fn item(s: &str) -> Option<(Option<u32>, &str, &str)> {
    let (skip, number) = item_prefix(s);
    let lead_from = &s[skip..];
    let mut n = 0usize;
    for (i, c) in lead_from.char_indices() {
        match c {
            '。' => {
                if n < 2 {
                    return None;
                }
                let after = &lead_from[i + c.len_utf8()..];
                // A closing quote or bracket right after the 。 still belongs to the lead.
                let close = after.len() - after.trim_start_matches(['”', '’', '」', '』', '）', ')']).len();
                let rest = trim(&after[close..]);
                // The paragraph goes on after its lead (two characters at least).
                rest.chars().nth(1)?;
                let title = trim(&lead_from[..i]);
                if !is_lead_phrase(title) {
                    return None;
                }
                let head_end = skip + i + c.len_utf8() + close;
                return Some((number, &s[..head_end], title));
            }
            // Not a lead phrase: a colon introduces a list, a question or
            // exclamation is prose.
            '：' | ':' | '；' | ';' | '？' | '?' | '！' | '!' => return None,
            c if is_space(c) => {}
            _ => {
                n += 1;
                if n > MAX_LEAD_CHARS {
                    return None;
                }
            }
        }
    }
    None
}

/// A lead phrase names a task; a short first sentence that states a figure
/// or a date (到2025年……, 展望二〇三五年……, ……70%) is prose.
fn is_lead_phrase(s: &str) -> bool {
    if s.contains(['%', '％', '‰']) {
        return false;
    }
    // A year: four digits, Arabic or Chinese, then 年.
    let mut digits = 0;
    let mut year = false;
    for c in s.chars() {
        if numeral::arabic_digit(c).is_some() || numeral::cn_digit(c).is_some() {
            digits += 1;
        } else if is_space(c) && digits > 0 {
        } else {
            if c == '年' && digits == 4 {
                year = true;
                break;
            }
            digits = 0;
        }
    }
    !year
}

/// Whether the line ends in a page number: `Some(true)` after dot leaders,
/// `Some(false)` after whitespace, `None` otherwise.
fn page_tail(s: &str) -> Option<bool> {
    let body = s.trim_end_matches(|c: char| numeral::arabic_digit(c).is_some());
    let digits = s[body.len()..].chars().count();
    if digits == 0 || digits > MAX_PAGE_DIGITS {
        return None;
    }
    let spaced = body.trim_end_matches(is_space);
    let had_space = spaced.len() < body.len();
    let led = spaced.trim_end_matches(is_leader);
    let leader_chars = spaced[led.len()..].chars();
    let mut dots = 0;
    for c in leader_chars.filter(|c| !is_space(*c)) {
        dots += if matches!(c, '…' | '⋯' | '‥') { 2 } else { 1 };
    }
    if trim(led).is_empty() {
        return None;
    }
    if dots >= 2 {
        Some(true)
    } else if had_space || dots == 1 && led.ends_with(is_space) {
        Some(false)
    } else {
        None
    }
}

fn is_leader(c: char) -> bool {
    matches!(
        c,
        '.' | '…' | '⋯' | '‥' | '·' | '．' | '・' | '﹒' | '_' | '-' | '—' | '─' | '－'
    ) || is_space(c)
}

/// Whether the line reads "目录" (table of contents), spaces aside.
pub(super) fn is_contents_title(s: &str) -> bool {
    let mut it = s.chars().filter(|c| !is_space(*c));
    match (it.next(), it.next(), it.next()) {
        (Some('目'), Some('录' | '次'), None) => true,
        _ => s.trim().eq_ignore_ascii_case("contents"),
    }
}

/// Whether a line inside a 专栏 reads like running prose, which ends the box:
/// a task item led by its bare lead phrase, or a long line ending in 。, of
/// several sentences, that does not open like a table row or list entry.
pub(super) fn is_prose(s: &str, kind: &Kind) -> bool {
    // A task item opening straight with its lead phrase (no number, bullet
    // or dash, which box entries use) is back in the running text.
    if let Kind::Item { head, title, .. } = kind {
        if head.0 == title.0 {
            return true;
        }
    }
    let end = s.trim_end_matches(['”', '’', '」', '』', '）', ')']);
    if !end.ends_with('。') || s.chars().nth(59).is_none() {
        return false;
    }
    // A box entry is mostly one long sentence (前沿基础理论突破，……等领域创新。);
    // a paragraph has several, or runs long.
    if s.matches('。').nth(1).is_none() && s.chars().nth(149).is_none() {
        return false;
    }
    if item_prefix(s).0 > 0 || s.starts_with(|c: char| numeral::arabic_digit(c).is_some()) {
        return false;
    }
    // "重点任务：……" is a box entry.
    !s.chars().take(16).any(|c| c == '：' || c == ':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Kind {
        classify(s, 0).0
    }

    #[test]
    fn headings() {
        assert_eq!(
            kind("第 三 章 标题"),
            Kind::Head {
                style: Style::Chapter,
                number: Some(3),
                title: (12, 18)
            }
        );
        assert!(matches!(
            kind("第十二章"),
            Kind::Head {
                number: Some(12),
                title: (12, 12),
                ..
            }
        ));
        assert!(matches!(
            kind("第二部分 总体要求"),
            Kind::Head {
                style: Style::Part,
                number: Some(2),
                ..
            }
        ));
        assert_eq!(kind("第十四个五年规划"), Kind::Text);
        assert!(matches!(
            kind("一、发展基础"),
            Kind::Head {
                style: Style::ListChapter,
                number: Some(1),
                ..
            }
        ));
        assert!(matches!(
            kind("（十二）加强监管"),
            Kind::Head {
                style: Style::ListSection,
                number: Some(12),
                ..
            }
        ));
        assert!(matches!(
            kind("(三) 加强监管"),
            Kind::Head {
                style: Style::ListSection,
                number: Some(3),
                ..
            }
        ));
        assert_eq!(kind("一是加强监管"), Kind::Text);
    }

    #[test]
    fn boxes() {
        let s = "专栏 2-3 重大工程";
        assert!(matches!(kind(s), Kind::Box { number: Some(3), .. }));
        let Kind::Box { number, title } = kind("专栏一：主要指标") else {
            panic!()
        };
        assert_eq!((number, &"专栏一：主要指标"[title.0..title.1]), (Some(1), "主要指标"));
        assert!(matches!(kind("专栏"), Kind::Box { number: None, .. }));
        assert_eq!(kind("专栏目录很长"), Kind::Text);
    }

    #[test]
    fn items() {
        let (n, head, title) = item("——坚持系统观念。 加强前瞻性思考").unwrap();
        assert_eq!((n, head, title), (None, "——坚持系统观念。", "坚持系统观念"));
        let (n, _, title) = item("（一）加强规划引领。强化统领作用").unwrap();
        assert_eq!((n, title), (Some(1), "加强规划引领"));
        let (n, _, title) = item("2. 建设产业园。建设三个").unwrap();
        assert_eq!((n, title), (Some(2), "建设产业园"));
        assert!(item("推进生产绿色化。").is_none());
        assert!(item("到2025年，地区生产总值达到1000亿元。 其中").is_none());
        assert!(item("到 二〇三五 年基本实现现代化。 其中").is_none());
        assert!(item("城镇化率达到70%。 其中").is_none());
        assert!(item("到位资金管理。 其中").is_some());
        assert!(item("展望2035年，基本实现现代化。 其中").is_none());
        assert!(item("实施2025行动计划。 其中").is_some());
        assert!(item("重点任务：推进生产绿色化。支持").is_none());
        assert!(item(&format!("{}。后文", "长".repeat(41))).is_none());
    }

    #[test]
    fn page_numbers() {
        assert_eq!(page_tail("第一章 总体要求……3"), Some(true));
        assert_eq!(page_tail("第一节 发展基础 5"), Some(false));
        assert_eq!(page_tail("一、发展基础.......12"), Some(true));
        assert_eq!(page_tail("第二章 迈向 2035"), None);
        assert_eq!(page_tail("展望2035"), None);
        assert_eq!(page_tail("12"), None);
    }
}
