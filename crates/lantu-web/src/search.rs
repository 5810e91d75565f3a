//! Search over indicator names, task items, key projects and the plan's
//! sentences. Chinese has no spaces, so a query matches a text that contains
//! it, or failing that most of its character bigrams (森林覆盖 finds
//! 森林覆盖率 and 林地覆盖 would not); Latin words match as substrings.
//! The index is a few hundred short texts, scanned in well under a
//! millisecond — a word segmenter (jieba) would add a 5 MB dictionary and
//! ~150 ms of start-up for no gain at this size.

use crate::format::escape;
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Indicator,
    Task,
    Project,
    Chapter,
}

#[derive(Debug, Clone)]
pub struct Doc {
    pub kind: Kind,
    pub code: String,
    pub title: String,
    /// Further text: the plan's sentence, category, departments.
    pub text: String,
    norm_title: String,
    norm_text: String,
    bigrams: HashSet<(char, char)>,
}

impl Doc {
    pub fn new(kind: Kind, code: &str, title: &str, text: &str) -> Doc {
        let norm_title = normalize(title);
        let norm_text = normalize(text);
        let mut bigrams = bigrams(&norm_title);
        bigrams.extend(self::bigrams(&norm_text));
        Doc {
            kind,
            code: code.into(),
            title: title.into(),
            text: text.into(),
            norm_title,
            norm_text,
            bigrams,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Index {
    pub docs: Vec<Doc>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    pub kind: Kind,
    pub code: String,
    pub title: String,
    /// HTML: the text around the match with the matched part marked.
    pub snippet: String,
    pub score: f64,
}

/// Lower case, full-width ASCII folded to half width, whitespace and
/// punctuation dropped.
pub fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric() || *c == '.' || *c == '%')
        .collect()
}

fn bigrams(s: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

impl Index {
    pub fn push(&mut self, doc: Doc) {
        self.docs.push(doc);
    }

    /// Hits for `query`, best first: every space-separated term must match.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let terms: Vec<String> = query
            .split_whitespace()
            .map(normalize)
            .filter(|t| !t.is_empty())
            .collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = Vec::new();
        for d in &self.docs {
            let mut total = 0.0;
            let mut ok = true;
            for term in &terms {
                let s = score(d, term);
                if s <= 0.0 {
                    ok = false;
                    break;
                }
                total += s;
            }
            if ok {
                let kind_bonus = match d.kind {
                    Kind::Indicator => 0.3,
                    Kind::Chapter => 0.2,
                    Kind::Project => 0.1,
                    Kind::Task => 0.0,
                };
                hits.push(Hit {
                    kind: d.kind,
                    code: d.code.clone(),
                    title: d.title.clone(),
                    snippet: snippet(&d.text, &terms),
                    score: total + kind_bonus,
                });
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.code.cmp(&b.code)));
        hits.truncate(limit);
        hits
    }
}

fn score(d: &Doc, term: &str) -> f64 {
    if d.norm_title.contains(term) {
        return 3.0 + if d.norm_title == term { 1.0 } else { 0.0 };
    }
    if d.norm_text.contains(term) {
        return 2.0;
    }
    let q = bigrams(term);
    if q.len() < 2 {
        return 0.0;
    }
    let found = q.iter().filter(|b| d.bigrams.contains(b)).count() as f64 / q.len() as f64;
    if found >= 0.6 {
        found
    } else {
        0.0
    }
}

/// About 60 characters of `text` around the first term found, as HTML with
/// the term marked; the start of the text when no term occurs literally.
fn snippet(text: &str, terms: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    // Find a literal (case-insensitive) occurrence of a term in the original.
    let lower: Vec<char> = chars.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
    let mut found: Option<(usize, usize)> = None;
    for term in terms {
        let t: Vec<char> = term.chars().collect();
        if t.is_empty() || t.len() > lower.len() {
            continue;
        }
        if let Some(i) = (0..=lower.len() - t.len()).find(|&i| lower[i..i + t.len()] == t[..]) {
            found = Some((i, i + t.len()));
            break;
        }
    }
    const SPAN: usize = 60;
    let (start, end, mark) = match found {
        Some((a, b)) => {
            let start = a.saturating_sub(SPAN / 3);
            (start, (start + SPAN).max(b).min(chars.len()), Some((a, b)))
        }
        None => (0, SPAN.min(chars.len()), None),
    };
    let piece = |a: usize, b: usize| escape(&chars[a..b].iter().collect::<String>());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    match mark {
        Some((a, b)) => {
            out.push_str(&piece(start, a));
            out.push_str("<mark>");
            out.push_str(&piece(a, b));
            out.push_str("</mark>");
            out.push_str(&piece(b, end));
        }
        None => out.push_str(&piece(start, end)),
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Index {
        let mut i = Index::default();
        i.push(Doc::new(
            Kind::Indicator,
            "t001",
            "一级管控区森林覆盖率",
            "到2025年，实现一级管控区森林覆盖率达到25%的发展目标。",
        ));
        i.push(Doc::new(
            Kind::Indicator,
            "t002",
            "PM2.5年均浓度",
            "细颗粒物（PM2.5）年均浓度控制在国家和市下达的目标以内。",
        ));
        i.push(Doc::new(Kind::Task, "c3.s1.i1", "推进生产绿色化", "推进生产绿色化。"));
        i
    }

    #[test]
    fn substring_and_bigrams() {
        let i = index();
        assert_eq!(i.search("森林覆盖率", 10)[0].code, "t001");
        // not a substring, but most bigrams match
        assert_eq!(i.search("管控区森林覆盖", 10)[0].code, "t001");
        assert_eq!(i.search("ＰＭ２.５", 10)[0].code, "t002");
        assert_eq!(i.search("pm2.5 浓度", 10).len(), 1);
        assert!(i.search("粮食产量", 10).is_empty());
        assert!(i.search("  ", 10).is_empty());
        let h = &i.search("绿色", 10)[0];
        assert_eq!(h.code, "c3.s1.i1");
        assert!(h.snippet.contains("<mark>绿色</mark>"), "{}", h.snippet);
    }
}
