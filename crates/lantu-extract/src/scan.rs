//! A compact view of the text: whitespace dropped (PDF text is full of stray
//! spaces: "到 2025年", "45 -50 张") and full-width forms folded, with the byte
//! offset of every kept character so that records can quote the original.

/// One sentence of the compact view.
#[derive(Debug, Clone, Copy)]
pub struct Sentence {
    /// Compact-index range, terminator (。！？) included.
    pub start: usize,
    pub end: usize,
}

pub struct Compact {
    pub chars: Vec<char>,
    /// Byte offset in the original text of each compact char.
    pub bytes: Vec<u32>,
    /// UTF-8 width of each compact char as written in the original (a
    /// folded ％ is 3 bytes there, 1 here).
    widths: Vec<u8>,
    /// Sentences, split at 。！？ and at line ends.
    pub sentences: Vec<Sentence>,
}

/// Folds full-width ASCII forms and a few look-alikes to their plain form.
pub fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '〜' => '~',
        '−' | '–' => '-',
        // PDFs write the 〇 of 二〇三五 with look-alike letters.
        '\u{039F}' | '\u{041E}' | '○' => '〇',
        _ => c,
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{FEFF}' || c == '\u{200B}'
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | '！' | '？')
}

impl Compact {
    pub fn new(text: &str) -> Compact {
        let n = text.chars().count();
        let mut chars = Vec::with_capacity(n);
        let mut bytes = Vec::with_capacity(n);
        let mut widths = Vec::with_capacity(n);
        let mut sentences = Vec::new();
        let mut start = 0usize;
        for (b, c) in text.char_indices() {
            if c == '\n' || c == '\r' {
                if chars.len() > start {
                    sentences.push(Sentence {
                        start,
                        end: chars.len(),
                    });
                }
                start = chars.len();
                continue;
            }
            if is_space(c) {
                continue;
            }
            let f = fold(c);
            chars.push(f);
            bytes.push(b as u32);
            widths.push(c.len_utf8() as u8);
            if ends_sentence(c) {
                sentences.push(Sentence {
                    start,
                    end: chars.len(),
                });
                start = chars.len();
            }
        }
        if chars.len() > start {
            sentences.push(Sentence {
                start,
                end: chars.len(),
            });
        }
        Compact {
            chars,
            bytes,
            widths,
            sentences,
        }
    }

    /// Byte range in the original text of compact range `[a, b)`.
    pub fn byte_range(&self, a: usize, b: usize) -> std::ops::Range<usize> {
        if a >= b || a >= self.bytes.len() {
            let at = self
                .bytes
                .get(a)
                .copied()
                .unwrap_or_else(|| self.end_of(self.bytes.len()) as u32);
            return at as usize..at as usize;
        }
        self.bytes[a] as usize..self.end_of(b)
    }

    /// Byte offset one past compact char `k - 1` (0 for `k == 0`).
    fn end_of(&self, k: usize) -> usize {
        k.checked_sub(1)
            .map_or(0, |j| (self.bytes[j] + u32::from(self.widths[j])) as usize)
    }

    pub fn string(&self, a: usize, b: usize) -> String {
        self.chars[a.min(b)..b].iter().collect()
    }
}

/// True when `s[i..]` starts with `pat`.
#[inline]
pub fn at(s: &[char], i: usize, pat: &str) -> bool {
    let mut it = pat.chars();
    match (it.next(), s.get(i)) {
        (Some(p), Some(&c)) if p == c => {}
        (None, _) => return true,
        _ => return false,
    }
    let mut k = i + 1;
    for p in it {
        match s.get(k) {
            Some(&c) if c == p => k += 1,
            _ => return false,
        }
    }
    true
}

/// The first pattern of `pats` that `s[i..]` starts with.
#[inline]
pub fn at_any<'a>(s: &[char], i: usize, pats: &[&'a str]) -> Option<&'a str> {
    pats.iter().copied().find(|p| at(s, i, p))
}

/// True when `s[..i]` ends with `pat`.
#[inline]
pub fn ends_with(s: &[char], i: usize, pat: &str) -> bool {
    let n = pat.chars().count();
    i >= n && at(s, i - n, pat)
}

/// Position of the last occurrence of `pat` starting in `[from, to)`, whole
/// pattern inside `s[..to]`.
pub fn rfind(s: &[char], from: usize, to: usize, pat: &str) -> Option<usize> {
    let n = pat.chars().count();
    if to < from + n {
        return None;
    }
    (from..=to - n).rev().find(|&i| at(s, i, pat))
}

pub fn find(s: &[char], from: usize, to: usize, pat: &str) -> Option<usize> {
    let n = pat.chars().count();
    if to < from + n {
        return None;
    }
    (from..=to - n).find(|&i| at(s, i, pat))
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '〇')
}

/// A list of words matched at a position, with a first-character filter so
/// that the common case (no word starts here) costs one lookup.
pub struct Words {
    words: Vec<Vec<char>>,
    bloom: [u64; 4],
    /// Identifies the list for [`crate::lexicon::record`].
    list: u64,
}

impl Words {
    pub fn new(list: &[&str]) -> Words {
        let mut bloom = [0u64; 4];
        let words: Vec<Vec<char>> = list.iter().map(|w| w.chars().collect()).collect();
        for w in &words {
            if let Some(&c) = w.first() {
                let h = (c as u32 & 255) as usize;
                bloom[h >> 6] |= 1 << (h & 63);
            }
        }
        Words {
            words,
            bloom,
            list: crate::lexicon::list_id(list),
        }
    }

    #[inline]
    fn may_start(&self, c: char) -> bool {
        let h = (c as u32 & 255) as usize;
        self.bloom[h >> 6] & (1 << (h & 63)) != 0
    }

    /// Index (in the original list) of the first word that `s[i..]` starts with.
    #[inline]
    pub fn at(&self, s: &[char], i: usize) -> Option<usize> {
        let c = *s.get(i)?;
        if !self.may_start(c) {
            return None;
        }
        let rest = &s[i..];
        let k = self
            .words
            .iter()
            .position(|w| w[0] == c && rest.len() >= w.len() && rest[1..w.len()] == w[1..]);
        if let Some(k) = k {
            crate::lexicon::fired(self.list, k);
        }
        k
    }

    pub fn len_of(&self, k: usize) -> usize {
        self.words[k].len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_drops_spaces_and_keeps_offsets() {
        let t = "到 2025 年,达到 ２５％ 。\n下一行";
        let c = Compact::new(t);
        let s: String = c.chars.iter().collect();
        assert_eq!(s, "到2025年,达到25%。下一行");
        assert_eq!(c.sentences.len(), 2);
        let r = c.byte_range(c.sentences[0].start, c.sentences[0].end);
        assert_eq!(&t[r], "到 2025 年,达到 ２５％ 。");
    }
}
