//! A compact view of the text: whitespace dropped (PDF text is full of stray
//! spaces: "到 2025年", "45 -50 张") and full-width forms folded, with the byte
//! offset of every kept character so that records can quote the original.

use crate::text::{CharIndex, STRIDE};

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

/// Unicode White_Space (what `char::is_whitespace` tests: U+0009–U+000D,
/// U+0020, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
/// U+205F, U+3000) and the invisible U+200B and U+FEFF, written out so that
/// the common CJK character costs two comparisons, not a table lookup.
#[inline]
fn is_space(c: char) -> bool {
    match c {
        '\t'..='\r' | ' ' => true,
        '\0'..='\u{84}' => false,
        '\u{85}' | '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200B}' => true,
        '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\u{FEFF}' => true,
        _ => false,
    }
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | '！' | '？')
}

impl Compact {
    pub fn new(text: &str) -> Compact {
        Compact::build(text, false).0
    }

    /// The compact view and the [`CharIndex`] of `text`, both from one pass
    /// over it.
    pub fn with_index(text: &str) -> (Compact, CharIndex) {
        Compact::build(text, true)
    }

    fn build(text: &str, index: bool) -> (Compact, CharIndex) {
        let mut marks = Vec::with_capacity(if index { text.len() / (STRIDE * 2) + 1 } else { 0 });
        // Chars of `text` read so far, spaces included (for the index).
        let mut n = 0usize;
        // A guess instead of a counting pass over the text: Chinese takes 3
        // bytes a char; a text with more ASCII grows the vectors (cheaply:
        // large blocks are remapped, not copied).
        let cap = text.len() / 2 + 16;
        let mut chars: Vec<char> = Vec::with_capacity(cap);
        let mut bytes: Vec<u32> = Vec::with_capacity(cap);
        let mut widths: Vec<u8> = Vec::with_capacity(cap);
        let mut sentences = Vec::new();
        let mut start = 0usize;
        let bs = text.as_bytes();
        let mut b = 0usize;
        // The chars decoded by hand from the bytes of a `str` (valid
        // UTF-8): the loop runs once per character of every plan.
        while b < bs.len() {
            let x = bs[b];
            let (c, w) = if x < 0x80 {
                (x as char, 1)
            } else if x < 0xE0 {
                let u = (u32::from(x & 0x1F) << 6) | u32::from(bs[b + 1] & 0x3F);
                (char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER), 2)
            } else if x < 0xF0 {
                let u = (u32::from(x & 0x0F) << 12) | (u32::from(bs[b + 1] & 0x3F) << 6) | u32::from(bs[b + 2] & 0x3F);
                (char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER), 3)
            } else {
                let u = (u32::from(x & 0x07) << 18)
                    | (u32::from(bs[b + 1] & 0x3F) << 12)
                    | (u32::from(bs[b + 2] & 0x3F) << 6)
                    | u32::from(bs[b + 3] & 0x3F);
                (char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER), 4)
            };
            let at = b;
            b += w;
            if index && n.is_multiple_of(STRIDE) {
                marks.push(at);
            }
            n += 1;
            if ('\u{3400}'..'\u{FEFF}').contains(&c) {
                // CJK and the forms after it: no space, no terminator, no
                // fold among them (the common case, made cheap).
                chars.push(c);
                bytes.push(at as u32);
                widths.push(w as u8);
                continue;
            }
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
            // ASCII folds to itself.
            chars.push(if w == 1 { c } else { fold(c) });
            bytes.push(at as u32);
            widths.push(w as u8);
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
        (
            Compact {
                chars,
                bytes,
                widths,
                sentences,
            },
            CharIndex::from_marks(marks, n),
        )
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
    // The first char is compared before the whole pattern is decoded.
    let first = pat.chars().next();
    (from..=to - n)
        .rev()
        .find(|&i| (first.is_none() || s.get(i) == first.as_ref()) && at(s, i, pat))
}

pub fn find(s: &[char], from: usize, to: usize, pat: &str) -> Option<usize> {
    let n = pat.chars().count();
    if to < from + n {
        return None;
    }
    let first = pat.chars().next();
    (from..=to - n).find(|&i| (first.is_none() || s.get(i) == first.as_ref()) && at(s, i, pat))
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '〇')
}

/// A set of characters of the Basic Multilingual Plane as a bitmap (8 KiB),
/// built at compile time: one lookup tells a scanner that nothing it looks
/// for starts at a character, which is the answer for most characters.
pub struct CharSet([u64; 1024]);

impl CharSet {
    pub const fn new(chars: &[char]) -> CharSet {
        let mut bits = [0u64; 1024];
        let mut i = 0;
        while i < chars.len() {
            let u = chars[i] as u32;
            assert!(u < 0x10000, "CharSet holds BMP characters only");
            bits[(u >> 6) as usize] |= 1 << (u & 63);
            i += 1;
        }
        CharSet(bits)
    }

    #[inline]
    pub fn contains(&self, c: char) -> bool {
        let u = c as u32;
        u < 0x10000 && (self.0[(u >> 6) as usize] >> (u & 63)) & 1 != 0
    }
}

/// A list of words matched at a position, with a first-character filter so
/// that the common case (no word starts here) costs one lookup.
pub struct Words {
    words: Vec<Vec<char>>,
    /// Bit `c mod 4096` is set when a word starts with `c`. The CJK block
    /// is contiguous, so characters sharing a bit are 4096 code points
    /// apart and rare together: a character that starts no word is turned
    /// away here nearly always (256 bits let one in ten through).
    bloom: Box<[u64; BLOOM_WORDS]>,
    /// Each first character with the words (indices, in list order) that
    /// start with it, grouped by filter bit: a character that passes the
    /// filter is compared with its own words only, not with the whole list.
    heads: Vec<(char, Vec<usize>)>,
    /// `heads[first[h] as usize..first[h + 1] as usize]` are the heads of
    /// filter bit `h`.
    first: Box<[u16]>,
    /// Identifies the list for [`crate::lexicon::record`].
    list: u64,
}

const BLOOM_BITS: u32 = 4096;
const BLOOM_WORDS: usize = (BLOOM_BITS / 64) as usize;

impl Words {
    pub fn new(list: &[&str]) -> Words {
        let mut bloom = Box::new([0u64; BLOOM_WORDS]);
        let words: Vec<Vec<char>> = list.iter().map(|w| w.chars().collect()).collect();
        let mut heads: Vec<(char, Vec<usize>)> = Vec::new();
        for (k, w) in words.iter().enumerate() {
            if let Some(&c) = w.first() {
                let h = (c as u32 % BLOOM_BITS) as usize;
                bloom[h >> 6] |= 1 << (h & 63);
                match heads.iter_mut().find(|(f, _)| *f == c) {
                    Some((_, ks)) => ks.push(k),
                    None => heads.push((c, vec![k])),
                }
            }
        }
        heads.sort_by_key(|(c, _)| (*c as u32 % BLOOM_BITS, *c));
        let mut first = vec![0u16; BLOOM_BITS as usize + 1].into_boxed_slice();
        for (c, _) in &heads {
            first[(*c as u32 % BLOOM_BITS) as usize + 1] += 1;
        }
        for h in 0..BLOOM_BITS as usize {
            first[h + 1] += first[h];
        }
        Words {
            words,
            bloom,
            heads,
            first,
            list: crate::lexicon::list_id(list),
        }
    }

    #[inline]
    pub fn may_start(&self, c: char) -> bool {
        let h = (c as u32 % BLOOM_BITS) as usize;
        self.bloom[h >> 6] & (1 << (h & 63)) != 0
    }

    /// Index (in the original list) of the first word that `s[i..]` starts with.
    #[inline]
    pub fn at(&self, s: &[char], i: usize) -> Option<usize> {
        let c = *s.get(i)?;
        if !self.may_start(c) {
            return None;
        }
        self.at_slow(s, i, c)
    }

    /// [`Words::at`] past the filter, kept out of line so that the filter
    /// itself is inlined into every scanning loop.
    #[inline(never)]
    fn at_slow(&self, s: &[char], i: usize, c: char) -> Option<usize> {
        let h = (c as u32 % BLOOM_BITS) as usize;
        let bucket = &self.heads[self.first[h] as usize..self.first[h + 1] as usize];
        let (_, ks) = bucket.iter().find(|(f, _)| *f == c)?;
        let rest = &s[i..];
        // Element by element: these words are a few chars long, too short
        // for a call to memcmp to pay.
        let k = ks.iter().copied().find(|&k| {
            let w = &self.words[k];
            rest.len() >= w.len() && w[1..].iter().zip(&rest[1..]).all(|(a, b)| a == b)
        });
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
    fn is_space_is_white_space_and_the_invisibles() {
        for u in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(u) else { continue };
            let reference = c.is_whitespace() || c == '\u{3000}' || c == '\u{FEFF}' || c == '\u{200B}';
            assert_eq!(is_space(c), reference, "U+{u:04X}");
        }
    }

    /// The compact view as it was first written (`char_indices`, every
    /// char through `is_space` and `fold`): the fast loop must agree.
    fn compact_reference(text: &str) -> (Vec<char>, Vec<u32>, Vec<(usize, usize)>) {
        let (mut chars, mut bytes, mut sentences, mut start) = (Vec::new(), Vec::new(), Vec::new(), 0);
        for (b, c) in text.char_indices() {
            if c == '\n' || c == '\r' {
                if chars.len() > start {
                    sentences.push((start, chars.len()));
                }
                start = chars.len();
                continue;
            }
            if c.is_whitespace() || c == '\u{3000}' || c == '\u{FEFF}' || c == '\u{200B}' {
                continue;
            }
            chars.push(fold(c));
            bytes.push(b as u32);
            if ends_sentence(c) {
                sentences.push((start, chars.len()));
                start = chars.len();
            }
        }
        if chars.len() > start {
            sentences.push((start, chars.len()));
        }
        (chars, bytes, sentences)
    }

    #[test]
    fn compact_fast_loop_matches_the_reference() {
        let texts = [
            "到 2025 年,达到 ２５％ 。\r\n下一行\u{3000}全角空格\u{FEFF}\u{200B}零宽",
            "Ｏ〜−–\u{039F}\u{041E}○ 二〇三五！？!? 𠀀𪚥 ¥ é\u{85}\u{A0}\u{1680}\u{2028}\u{202F}",
            "“十四五”时期，（一）发展基础\t\x0b\x0c末尾",
            "",
        ];
        for t in texts {
            let c = Compact::new(t);
            let (chars, bytes, sentences) = compact_reference(t);
            assert_eq!(c.chars, chars, "{t:?}");
            assert_eq!(c.bytes, bytes, "{t:?}");
            let got: Vec<(usize, usize)> = c.sentences.iter().map(|s| (s.start, s.end)).collect();
            assert_eq!(got, sentences, "{t:?}");
            for (k, &b) in bytes.iter().enumerate() {
                let w = t[b as usize..].chars().next().map_or(0, char::len_utf8);
                assert_eq!(c.byte_range(k, k + 1), b as usize..b as usize + w, "{t:?} char {k}");
            }
        }
    }

    #[test]
    fn the_index_taken_with_the_compact_view_is_the_char_index() {
        let long = "到 2025 年,森林覆盖率达到25%。\r\n𠀀 “十四五” ".repeat(30);
        for t in [long.as_str(), "", "a", "到\n"] {
            let (c, idx) = Compact::with_index(t);
            let reference = CharIndex::new(t);
            assert_eq!(idx.len_chars(), reference.len_chars());
            for b in (0..=t.len()).filter(|&b| t.is_char_boundary(b)) {
                assert_eq!(idx.char_of(t, b), reference.char_of(t, b), "byte {b}");
            }
            assert_eq!(c.chars, Compact::new(t).chars);
        }
    }

    #[test]
    fn words_find_the_first_listed_word_like_a_scan() {
        // Words sharing first chars and filter bits (U+4E00 and U+5E00 are
        // 4096 apart), a prefix of another, a one-char word.
        let list = [
            "不低于",
            "不低",
            "低于",
            "一",
            "一批",
            "\u{5E00}x",
            "\u{4E00}y",
            "到",
            "达到",
        ];
        let w = Words::new(&list);
        let chars: Vec<char> = "不低于一批\u{5E00}x\u{4E00}y到达到不低低于\u{5E00}".chars().collect();
        for i in 0..=chars.len() {
            let scan = list.iter().position(|p| at(&chars, i, p));
            assert_eq!(w.at(&chars, i), scan, "at {i}");
        }
    }

    #[test]
    fn char_set_holds_its_chars_only() {
        const SET: CharSet = CharSet::new(&['到', '“', '0', '\u{FFFF}']);
        for c in ['到', '“', '0', '\u{FFFF}'] {
            assert!(SET.contains(c));
        }
        for c in ['至', '1', '\u{10000}', '\u{15230}'] {
            assert!(!SET.contains(c));
        }
    }

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
