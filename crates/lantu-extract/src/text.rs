//! Positions in the input text. Extraction works on byte offsets (fast); the
//! output speaks in characters, so every span goes through [`CharIndex`].

use crate::model::Span;

/// Maps byte offsets of a `str` to character offsets in O(log n).
pub struct CharIndex {
    /// Byte offset of every 64th character; `marks[k]` = byte of char `64k`.
    marks: Vec<usize>,
    len_chars: usize,
}

/// Chars between two marks of a [`CharIndex`].
pub const STRIDE: usize = 64;

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let mut marks = Vec::with_capacity(text.len() / (STRIDE * 2) + 1);
        let mut n = 0usize;
        // Char starts found from the lead bytes of valid UTF-8, without
        // decoding the chars.
        let bs = text.as_bytes();
        let mut b = 0usize;
        while b < bs.len() {
            if n.is_multiple_of(STRIDE) {
                marks.push(b);
            }
            n += 1;
            b += match bs[b] {
                0..=0x7F => 1,
                0x80..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
        }
        CharIndex { marks, len_chars: n }
    }

    /// An index from marks taken elsewhere ([`crate::scan::Compact::with_index`]
    /// takes them in its own pass over the text): `marks[k]` is the byte of
    /// char `k * STRIDE`, `len_chars` the number of chars.
    pub(crate) fn from_marks(marks: Vec<usize>, len_chars: usize) -> Self {
        CharIndex { marks, len_chars }
    }

    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    /// Character offset of `byte`, which must lie on a char boundary of `text`
    /// (or equal `text.len()`).
    pub fn char_of(&self, text: &str, byte: usize) -> usize {
        let k = match self.marks.binary_search(&byte) {
            Ok(k) => return k * STRIDE,
            Err(0) => 0,
            Err(k) => k - 1,
        };
        // No mark: the text is empty.
        let Some(&from) = self.marks.get(k) else { return 0 };
        let upto = byte.min(text.len());
        // Chars are counted by their lead bytes (every byte that is not a
        // continuation byte 10xxxxxx), a loop the compiler vectorises.
        k * STRIDE
            + text
                .get(from..upto)
                .map_or(0, |s| s.bytes().filter(|&x| (x as i8) >= -0x40).count())
    }

    pub fn span(&self, text: &str, bytes: std::ops::Range<usize>) -> Span {
        Span {
            start: self.char_of(text, bytes.start),
            end: self.char_of(text, bytes.end),
        }
    }
}

/// A set of byte ranges asked "does one of you hold this byte?" once per
/// sentence: sorted once, each question a binary search (a scan of every
/// range per sentence made long texts quadratic).
pub struct Covered {
    /// Ranges sorted by start.
    starts: Vec<usize>,
    /// `max_end[k]`: the furthest end among the first `k + 1` ranges.
    max_end: Vec<usize>,
}

impl Covered {
    pub fn new<'a>(ranges: impl IntoIterator<Item = &'a std::ops::Range<usize>>) -> Self {
        let mut rs: Vec<(usize, usize)> = ranges
            .into_iter()
            .filter(|r| r.start < r.end)
            .map(|r| (r.start, r.end))
            .collect();
        rs.sort_unstable();
        let mut max_end = Vec::with_capacity(rs.len());
        let mut m = 0;
        for &(_, e) in &rs {
            m = m.max(e);
            max_end.push(m);
        }
        Covered {
            starts: rs.into_iter().map(|r| r.0).collect(),
            max_end,
        }
    }

    /// True when some range holds `byte`.
    pub fn contains(&self, byte: usize) -> bool {
        // Ranges starting at or before `byte`; one of them holds it iff the
        // furthest of their ends lies past it.
        let k = self.starts.partition_point(|&s| s <= byte);
        k.checked_sub(1).is_some_and(|k| self.max_end[k] > byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covered_matches_a_scan_of_every_range() {
        let ranges = [5..9, 0..2, 7..20, 30..31, 3..3, 25..28];
        let cov = Covered::new(&ranges);
        for b in 0..40 {
            assert_eq!(cov.contains(b), ranges.iter().any(|r| r.contains(&b)), "byte {b}");
        }
        assert!(!Covered::new(&[]).contains(0));
    }

    #[test]
    fn char_offsets_match_naive_count() {
        let text = "到 2025 年,森林覆盖率达到25%。".repeat(40);
        let idx = CharIndex::new(&text);
        for (b, _) in text.char_indices() {
            assert_eq!(idx.char_of(&text, b), text[..b].chars().count());
        }
        assert_eq!(idx.char_of(&text, text.len()), text.chars().count());
        assert_eq!(idx.len_chars(), text.chars().count());
    }
}
