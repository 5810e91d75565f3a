//! HTML to text, by hand: no DOM, no dependency. Scripts, styles and the
//! `<head>` are dropped, block elements become line breaks, table cells are
//! separated by tabs, entities are decoded, and whitespace is collapsed as
//! a browser would (except inside `<pre>`), without putting spaces between
//! Chinese characters that the source broke across lines.

use encoding_rs::Encoding;

use super::text::{check_not_binary, decode_charset, normalize_text};
use super::{is_cjk, tidy_lines, InputError, NO_PATH};

/// Decodes an HTML page to text.
pub(super) fn decode_html(bytes: &[u8]) -> Result<String, InputError> {
    let not_text = |reason: String| InputError::NotText {
        origin: NO_PATH.into(),
        reason,
    };
    let (html, via_gb) = decode_charset(bytes, meta_charset(bytes)).map_err(not_text)?;
    check_not_binary(&html, via_gb).map_err(not_text)?;
    Ok(tidy_lines(&strip_html(&normalize_text(&html))))
}

/// Whether bytes given as something else are an HTML page.
pub(super) fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    let head = head[start..].to_ascii_lowercase();
    head.starts_with(b"<!doctype html")
        || head.starts_with(b"<html")
        || (head.starts_with(b"<")
            && (super::find(&head, b"<html").is_some() || super::find(&head, b"<body").is_some()))
}

/// The encoding a `<meta charset=…>`, `<meta http-equiv="Content-Type"
/// content="text/html; charset=…">` or `<?xml … encoding="…"?>` declares in
/// the first 4 KiB.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(4096)].to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = super::find(&head[from..], b"<meta") {
        let tag_start = from + pos;
        let tag_end = head[tag_start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |p| tag_start + p);
        if let Some(enc) = label_after(&head[tag_start..tag_end], b"charset") {
            return Some(enc);
        }
        from = tag_end;
    }
    if head.starts_with(b"<?xml") {
        let end = super::find(&head, b"?>").unwrap_or(head.len());
        return label_after(&head[..end], b"encoding");
    }
    None
}

/// The encoding named after `key` `=` (optionally quoted) in `tag`.
fn label_after(tag: &[u8], key: &[u8]) -> Option<&'static Encoding> {
    let pos = super::find(tag, key)? + key.len();
    let rest = &tag[pos..];
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let rest = rest.strip_prefix(b"=")?;
    let rest = rest.trim_ascii_start();
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let len = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..len])
}

/// Elements whose start and end break the line.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Elements whose content is not text to read.
const SKIPPED: &[&str] = &[
    "script", "style", "head", "title", "noscript", "template", "svg", "math", "object", "iframe", "select",
];

/// Builds the text, tracking the whitespace that the source has collapsed.
struct Out {
    text: String,
    /// A collapsible space is owed before the next character.
    space: bool,
    /// Inside `<pre>`: whitespace is kept.
    pre: usize,
    /// Cells seen in the current table row.
    cells: usize,
}

impl Out {
    fn push(&mut self, c: char) {
        if self.space {
            self.space = false;
            let after_break = self.text.is_empty() || self.text.ends_with(['\n', '\t', ' ']);
            let between_cjk = self.text.chars().next_back().is_some_and(is_cjk) && is_cjk(c);
            if !after_break && !between_cjk {
                self.text.push(' ');
            }
        }
        self.text.push(c);
    }

    fn push_text(&mut self, s: &str) {
        for c in s.chars() {
            if self.pre > 0 {
                self.space = false;
                self.text.push(c);
            } else if c.is_ascii_whitespace() {
                self.space = true;
            } else {
                self.push(c);
            }
        }
    }

    /// A line break unless the text already ends with one.
    fn soft_break(&mut self) {
        self.space = false;
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    fn hard_break(&mut self) {
        self.space = false;
        self.text.push('\n');
    }

    fn cell(&mut self) {
        self.space = false;
        if self.cells > 0 {
            self.text.push('\t');
        }
        self.cells += 1;
    }
}

/// Strips tags from (already decoded) HTML.
pub(super) fn strip_html(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = Out {
        text: String::with_capacity(html.len() / 2),
        space: false,
        pre: 0,
        cells: 0,
    };
    let mut i = 0;
    let mut text_start = 0;
    while i < b.len() {
        match b[i] {
            b'<' => {
                out.push_text(&html[text_start..i]);
                i = markup(html, i, &mut out);
                text_start = i;
            }
            b'&' => {
                out.push_text(&html[text_start..i]);
                match entity(&html[i..]) {
                    Some((decoded, len)) => {
                        for c in decoded.chars() {
                            if out.pre > 0 {
                                out.text.push(c);
                            } else {
                                out.push(c);
                            }
                        }
                        i += len;
                    }
                    None => {
                        out.push('&');
                        i += 1;
                    }
                }
                text_start = i;
            }
            _ => i += 1,
        }
    }
    out.push_text(&html[text_start..]);
    out.text
}

/// Handles the markup starting at `b[i] == '<'`; returns where text resumes.
fn markup(html: &str, i: usize, out: &mut Out) -> usize {
    let b = html.as_bytes();
    let rest = &b[i..];
    if rest.starts_with(b"<!--") {
        return find_from(b, i + 4, b"-->").map_or(b.len(), |p| p + 3);
    }
    if rest.starts_with(b"<![CDATA[") {
        let end = find_from(b, i + 9, b"]]>").unwrap_or(b.len());
        out.push_text(&html[i + 9..end]);
        return (end + 3).min(b.len());
    }
    if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
        return find_from(b, i, b">").map_or(b.len(), |p| p + 1);
    }
    let closing = rest.get(1) == Some(&b'/');
    let name_start = i + 1 + usize::from(closing);
    if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        // A lone '<' in text ("a < b").
        out.push('<');
        return i + 1;
    }
    let name_end = b[name_start..]
        .iter()
        .position(|c| !c.is_ascii_alphanumeric())
        .map_or(b.len(), |p| name_start + p);
    let name = html[name_start..name_end].to_ascii_lowercase();
    let end = tag_end(b, name_end);
    let name = name.as_str();
    if !closing && SKIPPED.contains(&name) {
        return skip_element(b, end, name);
    }
    match name {
        "br" => out.hard_break(),
        "td" | "th" if !closing => out.cell(),
        "tr" => {
            out.cells = 0;
            out.soft_break();
        }
        "pre" => {
            out.soft_break();
            if closing {
                out.pre = out.pre.saturating_sub(1);
            } else if !b[..end].ends_with(b"/>") {
                out.pre += 1;
            }
        }
        _ if BLOCKS.contains(&name) => out.soft_break(),
        _ => {}
    }
    end
}

/// The position after the `>` closing a tag whose name ends at `from`,
/// honouring quoted attribute values; an unclosed quote falls back to the
/// first `>`.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut quote = None;
    let mut j = from;
    while j < b.len() {
        match (quote, b[j]) {
            (None, b'>') => return j + 1,
            (None, q @ (b'"' | b'\'')) => quote = Some(q),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
        j += 1;
    }
    find_from(b, from, b">").map_or(b.len(), |p| p + 1)
}

/// Skips the content of `<name>` up to and including `</name>`; `<head>`
/// also ends where `<body` begins (its end tag is optional).
fn skip_element(b: &[u8], from: usize, name: &str) -> usize {
    let lower_find = |needle: &[u8]| -> Option<usize> {
        let mut j = from;
        while j + needle.len() <= b.len() {
            let p = find_from(b, j, b"<")?;
            if b.len() >= p + needle.len() && b[p..p + needle.len()].eq_ignore_ascii_case(needle) {
                return Some(p);
            }
            j = p + 1;
        }
        None
    };
    let close = format!("</{name}");
    let mut end = lower_find(close.as_bytes());
    if name == "head" {
        if let Some(body) = lower_find(b"<body") {
            end = Some(end.map_or(body, |e| e.min(body)));
            if end == Some(body) {
                return body;
            }
        }
    }
    match end {
        Some(p) => tag_end(b, p + close.len()),
        None if name == "head" => from,
        None => b.len(),
    }
}

fn find_from(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    super::find(b.get(from..)?, needle).map(|p| p + from)
}

/// Decodes the character reference at the start of `s` (which starts with
/// `&`): its text and length in bytes, or `None` if it is not one.
fn entity(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let (hex, start) = match b.get(2) {
            Some(b'x' | b'X') => (true, 3),
            _ => (false, 2),
        };
        let digits = b[start..]
            .iter()
            .take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() })
            .count();
        if digits == 0 {
            return None;
        }
        // Too many digits: out of range, like &#x110000;.
        let n = u32::from_str_radix(&s[start..start + digits.min(8)], if hex { 16 } else { 10 })
            .ok()
            .filter(|_| digits <= 8)
            .unwrap_or(u32::MAX);
        let mut len = start + digits;
        if b.get(len) == Some(&b';') {
            len += 1;
        }
        let c = match n {
            // Browsers read these as windows-1252 (&#150; is an en dash).
            0x80..=0x9F => encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(&[n as u8])
                .0
                .chars()
                .next()
                .unwrap_or('\u{FFFD}'),
            0 => '\u{FFFD}',
            n => char::from_u32(n).unwrap_or('\u{FFFD}'),
        };
        return Some((c.to_string(), len));
    }
    let name_len = b[1..].iter().take(12).take_while(|c| c.is_ascii_alphanumeric()).count();
    let name = &s[1..1 + name_len];
    let semicolon = b.get(1 + name_len) == Some(&b';');
    // The five XML entities and &nbsp; are often written without ';'.
    if !semicolon && !matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp") {
        return None;
    }
    let text = named_entity(name)?;
    Some((text.to_string(), 1 + name_len + usize::from(semicolon)))
}

/// The text of a named character reference (a small table: the ones found
/// in Chinese government pages).
fn named_entity(name: &str) -> Option<&'static str> {
    if matches!(name, "shy" | "zwnj" | "zwj" | "lrm" | "rlm") {
        return Some("");
    }
    Some(match name {
        "amp" | "AMP" => "&",
        "lt" | "LT" => "<",
        "gt" | "GT" => ">",
        "quot" | "QUOT" => "\"",
        "apos" => "'",
        // Spaces are written as plain spaces; lines are trimmed later.
        "nbsp" | "ensp" | "emsp" | "thinsp" | "emsp13" | "emsp14" => " ",
        "ideographicspace" => "\u{3000}",
        "ldquo" => "“",
        "rdquo" => "”",
        "lsquo" => "‘",
        "rsquo" => "’",
        "sbquo" => "‚",
        "bdquo" => "„",
        "laquo" => "«",
        "raquo" => "»",
        "lsaquo" => "‹",
        "rsaquo" => "›",
        "mdash" => "—",
        "ndash" => "–",
        "minus" => "−",
        "hellip" => "…",
        "middot" => "·",
        "bull" => "•",
        "times" => "×",
        "divide" => "÷",
        "deg" => "°",
        "plusmn" => "±",
        "le" => "≤",
        "ge" => "≥",
        "ne" => "≠",
        "asymp" => "≈",
        "permil" => "‰",
        "percnt" => "%",
        "yen" => "¥",
        "cent" => "¢",
        "pound" => "£",
        "euro" => "€",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "sect" => "§",
        "para" => "¶",
        "larr" => "←",
        "rarr" => "→",
        "uarr" => "↑",
        "darr" => "↓",
        "sup1" => "¹",
        "sup2" => "²",
        "sup3" => "³",
        "frac12" => "½",
        "frac14" => "¼",
        "frac34" => "¾",
        "micro" => "µ",
        "prime" => "′",
        "Prime" => "″",
        "star" => "☆",
        "starf" => "★",
        "cir" => "○",
        "squ" | "square" => "□",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{decode, Format};
    use super::*;

    #[test]
    fn tags_scripts_styles_and_head_are_dropped() {
        let html = r#"<!DOCTYPE html>
<html><head><title>标题不要</title>
<style>p { color: red }</style>
<script>var s = "<p>不是正文</p>";</script></head>
<body><!-- 注释 <p>x</p> -->
<h1>第一章　总体要求</h1>
<p>到2025年，<b>地区生产总值</b>年均增长6%左右。</p>
<div>第二段<br>换行<br/>再换行</div>
<SCRIPT type="text/javascript">document.write("<b>no</b>")</SCRIPT>
</body></html>"#;
        let text = decode(html.as_bytes(), Format::Html).unwrap();
        assert_eq!(
            text,
            "第一章　总体要求\n到2025年，地区生产总值年均增长6%左右。\n第二段\n换行\n再换行"
        );
    }

    #[test]
    fn entities() {
        let html = "<p>A&amp;B &lt;tag&gt; &quot;q&quot; &#20013;&#x56FD; &#x4e2d;&nbsp;&nbsp;x \
                    &ldquo;十四五&rdquo;&mdash;&unknown; &amp &#150; &#0;</p>";
        let text = decode(html.as_bytes(), Format::Html).unwrap();
        assert_eq!(text, "A&B <tag> \"q\" 中国中  x “十四五”—&unknown; & – \u{FFFD}");
    }

    #[test]
    fn tables_become_rows_of_tab_separated_cells() {
        let html = "<table><tr><th>指标</th><th>2020年</th><th>2025年</th></tr>\n\
                    <tr><td>森林覆盖率（%）</td><td>23.04</td><td>24.1</td></tr>\
                    <tr><td></td><td>x</td><td></td></tr></table><p>后文</p>";
        let text = decode(html.as_bytes(), Format::Html).unwrap();
        assert_eq!(text, "指标\t2020年\t2025年\n森林覆盖率（%）\t23.04\t24.1\n\tx\n后文");
    }

    #[test]
    fn whitespace_collapses_but_not_between_chinese_or_in_pre() {
        let html = "<p>到2025年，单位\n   GDP\n  能耗\n降低  13.5%</p><p>\n  第二\n  段  </p>\
                    <pre>a  b\n  c</pre>";
        let text = decode(html.as_bytes(), Format::Html).unwrap();
        assert_eq!(text, "到2025年，单位 GDP 能耗降低 13.5%\n第二段\na  b\nc");
    }

    #[test]
    fn blank_line_runs_collapse() {
        let html = "<p>一</p><p>&nbsp;</p><p></p><br><br><br><p>二</p>";
        assert_eq!(decode(html.as_bytes(), Format::Html).unwrap(), "一\n\n二");
    }

    #[test]
    fn meta_charset_gbk_and_gb2312() {
        for meta in [
            "<meta charset=gbk>",
            "<meta charset=\"GB2312\">",
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb18030\">",
        ] {
            let page = format!("<html><head>{meta}</head><body><p>“十四五”时期</p></body></html>");
            let (bytes, _, _) = encoding_rs::GB18030.encode(&page);
            assert_eq!(decode(&bytes, Format::Html).unwrap(), "“十四五”时期", "{meta}");
        }
        // No meta: GB18030 is still found by the fallback.
        let (bytes, _, _) = encoding_rs::GBK.encode("<p>规划纲要</p>");
        assert_eq!(decode(&bytes, Format::Html).unwrap(), "规划纲要");
        // A wrong meta (says GBK, bytes are UTF-8): UTF-8 wins when GBK fails.
        let page = "<meta charset=gbk><p>二〇三五年远景目标</p>";
        assert_eq!(decode(page.as_bytes(), Format::Html).unwrap(), "二〇三五年远景目标");
    }

    #[test]
    fn meta_charset_detection() {
        assert_eq!(meta_charset(b"<meta charset='gbk'>"), Some(encoding_rs::GBK));
        assert_eq!(meta_charset(b"<META CHARSET=UTF-8>"), Some(encoding_rs::UTF_8));
        assert_eq!(
            meta_charset(b"<?xml version=\"1.0\" encoding=\"GB2312\"?><html>"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(meta_charset(b"<meta name=x><p>charset=gbk</p>"), None);
    }

    #[test]
    fn malformed_html_does_not_lose_text() {
        let cases = [
            ("a < b and c > d", "a < b and c > d"),
            ("<p title=\"unclosed>text</p>", "text"),
            ("<p>x</p><script>never closed", "x"),
            ("<head><meta charset=utf-8><body>正文", "正文"),
            ("<!-- unclosed comment", ""),
            ("<p>&#x110000;&#99999999999;</p>", "\u{FFFD}\u{FFFD}"),
            ("<", "<"),
            ("&", "&"),
            ("<![CDATA[原文]]>", "原文"),
        ];
        for (html, want) in cases {
            assert_eq!(decode(html.as_bytes(), Format::Html).unwrap(), want, "{html}");
        }
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_html(b"\xEF\xBB\xBF  <!DOCTYPE html><p>"));
        assert!(looks_like_html(b"<HTML>"));
        assert!(looks_like_html(b"<meta charset=gbk><html>"));
        assert!(!looks_like_html(b"plain <html> mention"));
    }
}
