//! String and number normalisation used by the scorer: NFKC, no whitespace,
//! units in base form (magnitude prefix folded into the value).

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

/// NFKC (full-width → half-width, `％` → `%`) with every whitespace
/// character removed.
pub fn normalize(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Value of a Chinese magnitude character (数量级), if `c` is one.
fn magnitude(c: char) -> Option<f64> {
    match c {
        '十' => Some(1e1),
        '百' => Some(1e2),
        '千' => Some(1e3),
        '万' => Some(1e4),
        '亿' => Some(1e8),
        _ => None,
    }
}

/// A unit in base form: the factor of its magnitude prefix, and what is left
/// of the unit (`None` when nothing is).
///
/// - the string is [`normalize`]d first, so `％` is `%` and `万吨 / 日` is `万吨/日`;
/// - `百分之` (and `百分比`) is `%`;
/// - the leading run of magnitude characters multiplies (`十万` = 1e5,
///   `百亿` = 1e10, `万亿` = 1e12) and is dropped: `万吨/日` → (1e4, `吨/日`),
///   `万` → (1e4, `None`), `亿元` → (1e8, `元`). A `百` followed by `分`
///   (`百分点`) is part of the unit, not a magnitude;
/// - an empty unit is `None`.
pub fn base_unit(unit: Option<&str>) -> (f64, Option<String>) {
    let Some(unit) = unit else {
        return (1.0, None);
    };
    let u = normalize(unit);
    if u == "百分之" || u == "百分比" {
        return (1.0, Some("%".to_owned()));
    }
    let mut factor = 1.0;
    let mut rest = u.as_str();
    while let Some(c) = rest.chars().next() {
        let Some(m) = magnitude(c) else { break };
        let after = &rest[c.len_utf8()..];
        if c == '百' && after.starts_with('分') {
            break;
        }
        factor *= m;
        rest = after;
    }
    if rest.is_empty() {
        (factor, None)
    } else {
        (factor, Some(rest.to_owned()))
    }
}

/// Relative tolerance for comparing values.
pub const TOLERANCE: f64 = 1e-6;

/// Equal within [`TOLERANCE`] (relative); `None` equals only `None`.
pub fn values_equal(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a == b || (a - b).abs() <= TOLERANCE * a.abs().max(b.abs()),
        _ => false,
    }
}

/// Character-overlap F1 of two strings after [`normalize`]: the Dice
/// coefficient 2·|a∩b| / (|a|+|b|) of their character multisets. Two empty
/// strings are fully similar.
pub fn indicator_similarity(a: &str, b: &str) -> f64 {
    dice(&normalize(a), &normalize(b))
}

/// [`indicator_similarity`] of strings already normalised.
pub(crate) fn dice(a: &str, b: &str) -> f64 {
    let mut counts: HashMap<char, isize> = HashMap::new();
    let mut len_a = 0usize;
    for c in a.chars() {
        *counts.entry(c).or_default() += 1;
        len_a += 1;
    }
    let mut len_b = 0usize;
    let mut common = 0usize;
    for c in b.chars() {
        len_b += 1;
        if let Some(n) = counts.get_mut(&c) {
            if *n > 0 {
                *n -= 1;
                common += 1;
            }
        }
    }
    if len_a + len_b == 0 {
        1.0
    } else {
        2.0 * common as f64 / (len_a + len_b) as f64
    }
}

/// Finds quotes in a plan text after normalisation, as byte spans of the
/// normalised text. Results are cached per quote.
pub(crate) struct Locator {
    plan: String,
    cache: HashMap<String, Vec<(usize, usize)>>,
}

/// More occurrences of one quote than this are not recorded (a quote that
/// short overlaps nearly everything anyway).
const MAX_OCCURRENCES: usize = 10_000;

impl Locator {
    pub(crate) fn new(plan_text: &str) -> Locator {
        Locator {
            plan: normalize(plan_text),
            cache: HashMap::new(),
        }
    }

    /// Every occurrence of `quote` (overlapping ones included); empty when
    /// the quote is not in the plan or normalises to nothing.
    pub(crate) fn spans(&mut self, quote: &str) -> Vec<(usize, usize)> {
        let q = normalize(quote);
        if let Some(found) = self.cache.get(&q) {
            return found.clone();
        }
        let mut found = Vec::new();
        if !q.is_empty() {
            let mut from = 0;
            while let Some(pos) = self.plan[from..].find(&q) {
                let start = from + pos;
                found.push((start, start + q.len()));
                if found.len() >= MAX_OCCURRENCES {
                    break;
                }
                let step = self.plan[start..].chars().next().map_or(1, char::len_utf8);
                from = start + step;
            }
        }
        self.cache.insert(q, found.clone());
        found
    }
}

/// Whether some occurrence in `a` shares at least one character with some
/// occurrence in `b`.
pub(crate) fn overlaps(a: &[(usize, usize)], b: &[(usize, usize)]) -> bool {
    a.iter().any(|&(s1, e1)| b.iter().any(|&(s2, e2)| s1 < e2 && s2 < e1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_and_whitespace() {
        assert_eq!(normalize(" ２５ ％\u{3000}微克 / 立方米\n"), "25%微克/立方米");
        assert_eq!(normalize("ＧＤＰ"), "GDP");
    }

    #[test]
    fn magnitudes() {
        assert_eq!(base_unit(Some("万吨 / 日")), (1e4, Some("吨/日".into())));
        assert_eq!(base_unit(Some("万")), (1e4, None));
        assert_eq!(base_unit(Some("十万人")), (1e5, Some("人".into())));
        assert_eq!(base_unit(Some("百亿元")), (1e10, Some("元".into())));
        assert_eq!(base_unit(Some("千万")), (1e7, None));
        assert_eq!(base_unit(Some("百分之")), (1.0, Some("%".into())));
        assert_eq!(base_unit(Some("％")), (1.0, Some("%".into())));
        assert_eq!(base_unit(Some("个百分点")), (1.0, Some("个百分点".into())));
        assert_eq!(base_unit(Some("百分点")), (1.0, Some("百分点".into())));
        assert_eq!(base_unit(Some("  ")), (1.0, None));
        assert_eq!(base_unit(None), (1.0, None));
        assert_eq!(base_unit(Some("家")), (1.0, Some("家".into())));
    }

    #[test]
    fn tolerance() {
        assert!(values_equal(Some(450000.0), Some(45.0 * 1e4)));
        assert!(values_equal(Some(1e11), Some(1e11 * (1.0 + 5e-7))));
        assert!(!values_equal(Some(1e11), Some(1e11 * (1.0 + 5e-6))));
        assert!(values_equal(Some(0.0), Some(0.0)));
        assert!(!values_equal(Some(0.0), None));
        assert!(values_equal(None, None));
    }

    #[test]
    fn dice_of_multisets() {
        assert_eq!(indicator_similarity("森林覆盖率", "森林 覆盖率"), 1.0);
        assert_eq!(indicator_similarity("", ""), 1.0);
        assert_eq!(indicator_similarity("甲甲乙", "甲丙"), 2.0 * 1.0 / 5.0);
    }

    #[test]
    fn locate_overlapping_occurrences() {
        let mut loc = Locator::new("甲 甲甲。乙");
        assert_eq!(loc.spans("甲甲").len(), 2);
        assert!(loc.spans("丙").is_empty());
        assert!(loc.spans(" ").is_empty());
        assert!(overlaps(&loc.spans("甲。"), &loc.spans("。乙")));
        assert!(!overlaps(&loc.spans("甲甲甲"), &loc.spans("乙")));
    }
}
