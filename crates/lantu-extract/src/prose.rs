//! Targets and baselines written in running prose: one sentence at a time,
//! each figure read with the words around it (cue before, 以上/左右 after, the
//! verb that governs a list).

use crate::lexicon::{
    lower_is_better, BUILD_VERBS, CUES, FRAME_PREFIXES, FRAME_SUFFIXES, PLAN_WORK_WORDS, RELATIVE_MARKERS,
};
use crate::quantity::{lex, Qty, UnitClass};
use crate::scan::{at, ends_with, find, is_cjk, rfind, Words};
use lantu_core::{Comparator, Measure, TargetKind};
use rust_decimal::Decimal;
use std::sync::OnceLock;

/// A figure read from a sentence, before ids and spans are given.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub indicator: String,
    pub comparator: Comparator,
    pub value: Option<Decimal>,
    pub value_max: Option<Decimal>,
    pub unit: Option<String>,
    pub kind: TargetKind,
    pub measure: Measure,
    /// Compact position of the figure (for ordering).
    pub at: usize,
    /// The figure was introduced by 由/从 (由 X 提高到 Y): X is a baseline.
    pub from_base: bool,
}

fn is_clause_break(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '。' | '!' | '?' | '；' | '：')
}

fn is_list_break(c: char) -> bool {
    is_clause_break(c) || c == '、'
}

/// The clause `[start, end)` holding position `i` of sentence `[from, to)`.
pub fn clause_bounds(s: &[char], from: usize, to: usize, i: usize) -> (usize, usize) {
    (clause_start(s, from, i), clause_end(s, i, to))
}

/// Start of the clause holding position `i`.
fn clause_start(s: &[char], from: usize, i: usize) -> usize {
    (from..i).rev().find(|&k| is_clause_break(s[k])).map_or(from, |k| k + 1)
}

fn clause_end(s: &[char], i: usize, to: usize) -> usize {
    (i..to).find(|&k| is_clause_break(s[k])).unwrap_or(to)
}

/// The name a person would write: no trailing 各/等 or comparison sign, no
/// unit in brackets at its end (`（万人）`), quotes and brackets balanced (an
/// unmatched one left by a cut is dropped: `瞪羚”企业` → `瞪羚企业`).
pub fn tidy_name(name: &str) -> String {
    let mut s = name
        .trim_end_matches(['各', '等', '≥', '≤', '>', '<', '、', ',', '，', '的'])
        .to_owned();
    // A bracketed unit at the end belongs in the unit, not in the name.
    if let Some(open) = s.rfind(['（', '(']) {
        let inner = s[open..].trim_matches(|c| matches!(c, '(' | ')' | '（' | '）'));
        if s.ends_with(['）', ')']) && !inner.is_empty() && crate::quantity::is_unit(inner) {
            s.truncate(open);
        }
    }
    let pairs = [('“', '”'), ('(', ')'), ('（', '）'), ('《', '》')];
    let chars: Vec<char> = s.chars().collect();
    let mut keep = vec![true; chars.len()];
    for (open, close) in pairs {
        let mut stack = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            if c == open {
                stack.push(i);
            } else if c == close && stack.pop().is_none() {
                keep[i] = false;
            }
        }
        for i in stack {
            keep[i] = false;
        }
    }
    let out: String = chars.iter().zip(keep).filter(|(_, k)| *k).map(|(c, _)| *c).collect();
    if out.is_empty() {
        name.to_owned()
    } else {
        out
    }
}

/// Removes framing words at both ends of an indicator span.
pub fn clean(s: &[char]) -> String {
    let mut a = 0;
    let mut b = s.len();
    // Leading "到2025年" / "“十四五”期间" frames.
    loop {
        let before = a;
        if at(s, a, "到") || at(s, a, "至") || at(s, a, "在") {
            if let Some(k) =
                (a + 1..b.min(a + 12)).find(|&k| s[k] == '年' || s[k] == '末' || at(s, k, "期间") || at(s, k, "时期"))
            {
                let k = if at(s, k, "期间") || at(s, k, "时期") {
                    k + 2
                } else {
                    k + 1
                };
                if s[a + 1..k]
                    .iter()
                    .any(|c| c.is_ascii_digit() || matches!(c, '五' | '〇'))
                {
                    a = k;
                }
            }
        }
        if at(s, a, "“") && (a + 1..b.min(a + 6)).any(|k| at(s, k, "五”")) {
            if let Some(k) = (a..b).find(|&k| at(s, k, "期间") || at(s, k, "时期") || at(s, k, "末")) {
                a = k + if s[k] == '末' { 1 } else { 2 };
            }
        }
        let prefixes = frame_prefixes();
        while a < b {
            match prefixes.at(&s[..b], a) {
                Some(k) => a += prefixes.len_of(k),
                None => break,
            }
        }
        if a == before {
            break;
        }
    }
    let suffixes = frame_suffixes();
    loop {
        let before = b;
        for p in suffixes {
            let n = p.len();
            if b >= a + n && s[b - n..b].iter().zip(p).all(|(x, y)| x == y) {
                b -= n;
                break;
            }
        }
        if b == before {
            break;
        }
    }
    // Unbalanced brackets left by clause cuts.
    let out: String = s[a..b].iter().collect();
    out.trim_matches(|c| c == ')' || c == '(' || c == '“' || c == '”')
        .to_string()
}

/// [`FRAME_PREFIXES`] with a first-character filter (the first word of the
/// list that matches wins, as in a scan of the list).
fn frame_prefixes() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| Words::new(FRAME_PREFIXES))
}

/// [`FRAME_SUFFIXES`] decoded once, in list order.
fn frame_suffixes() -> &'static [Vec<char>] {
    static W: OnceLock<Vec<Vec<char>>> = OnceLock::new();
    W.get_or_init(|| FRAME_SUFFIXES.iter().map(|p| p.chars().collect()).collect())
}

fn cue_words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| Words::new(&CUES.iter().map(|(w, _)| *w).collect::<Vec<_>>()))
}

fn verb_words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| Words::new(BUILD_VERBS))
}

/// The nearest cue before `q` in `[lo, q)`: (position, length, comparator).
fn cue_before(s: &[char], lo: usize, q: usize) -> Option<(usize, usize, Option<Comparator>)> {
    let words = cue_words();
    for k in (lo..q).rev() {
        let Some(idx) = words.at(s, k) else { continue };
        let n = words.len_of(idx);
        if k + n > q {
            continue;
        }
        // One-character cues sit right before the figure; elsewhere they
        // are parts of names (国达环路).
        if n == 1 && k + 1 != q {
            continue;
        }
        // Prefer a longer cue that ends at the same place (不低于 over 低于).
        for d in 1..=2 {
            if k >= lo + d {
                if let Some(i2) = words.at(s, k - d).filter(|&i2| words.len_of(i2) == n + d) {
                    return Some((k - d, n + d, CUES[i2].1));
                }
            }
        }
        return Some((k, n, CUES[idx].1));
    }
    None
}

fn build_verb_before(s: &[char], lo: usize, q: usize) -> Option<(usize, &'static str)> {
    let words = verb_words();
    (lo..q).find_map(|k| {
        words
            .at(s, k)
            .filter(|&i| k + words.len_of(i) <= q)
            .map(|i| (k, BUILD_VERBS[i]))
    })
}

/// Words right after a figure that fix the comparator.
fn post_comparator(s: &[char], end: usize) -> Option<Comparator> {
    let e = if at(s, end, "的") { end + 1 } else { end };
    if at(s, e, "以上") || at(s, e, "及以上") || at(s, e, "之上") {
        Some(Comparator::AtLeast)
    } else if at(s, e, "以内") || at(s, e, "以下") || at(s, e, "之内") {
        Some(Comparator::AtMost)
    } else if at(s, e, "左右") || at(s, e, "上下") {
        Some(Comparator::Approx)
    } else {
        None
    }
}

/// The noun phrase after a count (3 所中学 → 中学), up to a list or clause break.
fn noun_after(s: &[char], from: usize, to: usize) -> String {
    let mut k = from;
    while k < to && k - from < 24 {
        let c = s[k];
        if is_list_break(c)
            || c.is_ascii_digit()
            || at(s, k, "和")
            || at(s, k, "及")
            || at(s, k, "以上")
            || at(s, k, "左右")
            || at(s, k, "以内")
            || c == '('
            || c == ')'
        {
            break;
        }
        if at(s, k, "等") && k > from {
            break;
        }
        k += 1;
    }
    s[from..k]
        .iter()
        .collect::<String>()
        .trim_start_matches('的')
        .to_string()
}

/// Splits a list of indicator names on 、 and 和 outside brackets.
fn split_list(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in name.chars() {
        match c {
            '(' | '（' | '“' | '《' => depth += 1,
            ')' | '）' | '”' | '》' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && (c == '、' || c == '和' || c == '及') {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A measure unit glued to a name right after it (辛庄 2.6 平方公里平衡地块) is a
/// size descriptor; a figure followed by a noun and then a count (588 立方米高炉
/// 2 座) is a specification.
fn is_descriptor(s: &[char], q: &Qty, next: Option<&Qty>, lo: usize) -> bool {
    // 3 岁以下婴幼儿, 60% 以上企业: a bound used as an adjective, unless a
    // cue makes it the figure of the clause (达到 60% 以上的水平).
    for w in ["以下", "以上", "以内"] {
        if at(s, q.end, w) && s.get(q.end + 2).is_some_and(|&c| is_cjk(c)) && cue_before(s, lo, q.start).is_none() {
            return true;
        }
    }
    if q.class != UnitClass::Measure {
        return false;
    }
    if let Some(n) = next {
        if n.start > q.end
            && n.start - q.end <= 4
            && n.class == UnitClass::Count
            && s[q.end..n.start].iter().all(|&c| is_cjk(c))
        {
            return true;
        }
    }
    let follows_noun = s.get(q.end).is_some_and(|&c| is_cjk(c))
        && !matches!(
            s.get(q.end),
            Some('的' | '以' | '左' | '和' | '及' | '等' | '上' | '之' | '或' | '至' | '到')
        );
    if !follows_noun {
        return false;
    }
    let pre_cue = cue_before(s, lo.max(q.start.saturating_sub(3)), q.start).is_some()
        || build_verb_before(s, q.start.saturating_sub(2), q.start).is_some();
    !pre_cue
}

/// A scale class (万亿级, 100 亿元级) that sizes the things a count counts
/// (4 个万亿级产业, 百亿级贸易企业 39 家) or a vague number of them (一批,
/// 更多): the count, not the class, is the figure.
fn is_size_class(s: &[char], qs: &[Qty], idx: usize, clause_start: usize) -> bool {
    let q = &qs[idx];
    if !q.grade && s.get(q.end) != Some(&'级') {
        return false;
    }
    let counted_before = idx > 0 && qs[idx - 1].class == UnitClass::Count && qs[idx - 1].end + 1 >= q.start;
    let counted_after = qs.get(idx + 1).is_some_and(|n| {
        n.class == UnitClass::Count && n.start <= q.end + 12 && !s[q.end..n.start].iter().any(|&c| is_list_break(c))
    });
    let vague = ["一批", "更多", "若干", "一些", "多个"]
        .iter()
        .any(|w| find(s, clause_start, q.start, w).is_some());
    counted_before || counted_after || vague
}

/// 连续 6 年, 连续 3 次: how long a streak ran, not a quantity of anything.
fn is_streak(s: &[char], q: &Qty) -> bool {
    q.start >= 2 && ends_with(s, q.start, "连续")
}

/// Reads every figure of sentence `[from, to)`.
pub fn read_sentence(s: &[char], from: usize, to: usize) -> Vec<Reading> {
    // Nothing past the sentence is looked at: lookahead stays bounded, so
    // the whole pass stays linear in the text.
    let s = &s[..to.min(s.len())];
    let qs = lex(s, from, to);
    let mut out: Vec<Reading> = Vec::new();
    let mut prev_end = from;
    let mut prev: Option<Reading> = None;
    let mut prev_verb: Option<&'static str> = None;
    // Items of a 分别 list, its predicate, and the next item to hand out.
    let mut fenbie: Option<(Vec<String>, String, usize)> = None;
    let lizheng = |q: usize| ["力争", "争创", "争取"].iter().any(|w| rfind(s, from, q, w).is_some());
    for (idx, q) in qs.iter().enumerate() {
        let cs = clause_start(s, from, q.start);
        let lo = cs.max(prev_end);
        if is_descriptor(s, q, qs.get(idx + 1), lo) || is_size_class(s, &qs, idx, cs) || is_streak(s, q) {
            // Part of a name: the clause's subject still runs through it.
            continue;
        }
        // 由 X 提高到 Y: X is where the indicator stands now.
        let from_base = ends_with(s, q.start, "由")
            || ends_with(s, q.start, "从")
            || (q.start >= lo + 2
                && s[lo..q.start].iter().rev().take(12).any(|&c| c == '由')
                && s[q.end..clause_end(s, q.end, to)]
                    .iter()
                    .collect::<String>()
                    .contains("到"));
        let in_parens = q.start > from && s[q.start - 1] == '(' && s.get(q.end) == Some(&')');
        let cue = cue_before(s, lo, q.start);
        let verb = build_verb_before(s, lo, q.start);
        let post = post_comparator(s, q.end);
        let pre_text: String = s[lo..q.start].iter().collect();

        // A bare continuation of a list (14% 和 18%) measures what the first did.
        let bare = s[lo..q.start]
            .iter()
            .all(|c| matches!(c, '和' | '及' | '、' | ',' | '与' | '或'));
        // Measure from the wording.
        let measure = if let (true, Some(p)) = (bare, prev.as_ref()) {
            p.measure
        } else if q.class == UnitClass::Percent && (pre_text.contains("年均") || pre_text.contains("年平均")) {
            Measure::AnnualGrowth
        } else if matches!(q.class, UnitClass::Percent | UnitClass::Points)
            && ["下降", "降低", "减少", "削减", "压减"]
                .iter()
                .any(|w| pre_text.contains(w))
            && !matches!(cue, Some((_, _, Some(Comparator::AtMost))))
        {
            Measure::Reduction
        } else if pre_text.contains("累计")
            || pre_text.contains("新增")
            || pre_text.contains("新建")
            || (q.class == UnitClass::Count && verb.is_some())
        {
            Measure::Cumulative
        } else {
            Measure::Level
        };

        // Indicator name.
        let mut indicator = if from_base {
            // 一般公共预算收入由 2020 年的 80 亿元提高到……: the name precedes 由.
            let cut = (lo..q.start).rev().find(|&k| matches!(s[k], '由' | '从')).unwrap_or(lo);
            clean(&s[cs..cut])
        } else if in_parens {
            // A capacity in brackets belongs to the name before them.
            let name_end = q.start - 1;
            let name_start = (lo..name_end)
                .rev()
                .find(|&k| is_list_break(s[k]))
                .map_or(lo, |k| k + 1);
            let name_start =
                build_verb_before(s, name_start, name_end).map_or(name_start, |(k, v)| k + v.chars().count());
            clean(&s[name_start..name_end])
        } else if let Some((k, n, _)) = cue {
            let subj = clean(&s[lo..k]);
            let between = clean(&s[k + n..q.start]);
            let after = noun_after(s, q.end, to);
            if (subj.starts_with('每') || subj.starts_with('各')) && !after.is_empty() {
                // A per-unit norm: 每个街道至少配建一处综合服务中心.
                format!("{subj}{between}{after}")
            } else if subj.is_empty() && !between.is_empty() {
                // 实现农村生活垃圾无害化处理率 100%: the name follows the cue.
                between
            } else if subj.is_empty() {
                let n = noun_after(s, q.end, to);
                if n.is_empty() {
                    prev.as_ref().map(|p| p.indicator.clone()).unwrap_or_default()
                } else {
                    n
                }
            } else {
                subj
            }
        } else {
            let n = noun_after(s, q.end, to);
            let v = verb
                .map(|(_, v)| v)
                .or(if q.class == UnitClass::Count { prev_verb } else { None });
            if !n.is_empty() {
                format!("{}{}", v.unwrap_or(""), n)
            } else {
                let body_start = verb.map_or(lo, |(k, v)| k + v.chars().count());
                let name = clean(&s[body_start..q.start]);
                match verb {
                    // 新建公办幼儿园 17 处: the verb is part of what is counted.
                    Some((_, v)) if !name.is_empty() => format!("{v}{name}"),
                    // 转移登记完成 90%: the name stands before the verb.
                    Some((k, _)) if !clean(&s[lo..k]).is_empty() => clean(&s[lo..k]),
                    _ if !name.is_empty() => name,
                    _ => prev.as_ref().map(|p| p.indicator.clone()).unwrap_or_default(),
                }
            }
        };
        // 分别: A 和 B 分别降低 14% 和 18% gives A 降低 14%, B 降低 18%.
        if let Some((items, pred, k)) = fenbie.as_mut() {
            if bare {
                if let Some(item) = items.get(*k) {
                    indicator = format!("{item}{pred}");
                    *k += 1;
                }
            }
        }
        if let Some(cut) = indicator.find("分别") {
            let items = split_list(&indicator[..cut]);
            if items.len() >= 2 {
                let pred = indicator[cut + "分别".len()..].to_string();
                indicator = format!("{}{pred}", items[0]);
                fenbie = Some((items, pred, 1));
            } else {
                indicator = indicator.replacen("分别", "", 1);
            }
        }
        // A subject carried over from a growth figure names the level.
        if let Some(p) = prev.as_ref() {
            if indicator == p.indicator && p.measure != measure {
                for w in ["年均增长", "年均增速", "增长", "增速"] {
                    if let Some(stripped) = indicator.strip_suffix(w) {
                        indicator = stripped.to_string();
                        break;
                    }
                }
            } else if ["年均", "增长", "增速"].iter().any(|w| indicator.starts_with(w)) {
                // 地区生产总值突破 2000 亿元，年均增长 7.2%
                let base = p.indicator.trim_end_matches("年均增长").to_string();
                indicator = format!("{base}{indicator}");
            }
        }
        if indicator.chars().count() > 40 {
            indicator = indicator
                .chars()
                .rev()
                .take(40)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
        }

        // Comparator from the meaning.
        let direction_cmp = |ind: &str| {
            if lower_is_better(ind) && measure == Measure::Level {
                Comparator::AtMost
            } else {
                Comparator::AtLeast
            }
        };
        let mut comparator = if q.value_max.is_some() {
            Comparator::Range
        } else if let Some(c) = post {
            c
        } else if q.approx {
            Comparator::Approx
        } else if s[q.start..q.num_start].iter().any(|&c| c == '超' || c == '逾') {
            // 培育……企业超 1500 家: 超 makes the count a floor.
            Comparator::AtLeast
        } else if in_parens {
            Comparator::Exact
        } else if let Some((_, _, c)) = cue.filter(|(k, n, c)| c.is_some() || verb.is_none_or(|(vk, _)| *k + *n > vk)) {
            c.unwrap_or_else(|| direction_cmp(&indicator))
        } else if verb.is_some() && q.class == UnitClass::Count {
            Comparator::Exact
        } else if let (Some(p), true) = (prev.as_ref(), cue.is_none() && verb.is_none()) {
            if p.comparator == Comparator::Range || p.comparator == Comparator::Approx {
                direction_cmp(&indicator)
            } else {
                p.comparator
            }
        } else if q.class == UnitClass::Count && !q.ratio {
            Comparator::Exact
        } else {
            direction_cmp(&indicator)
        };
        if comparator == Comparator::Exact && (lizheng(q.start) || rfind(s, cs, q.start, "确保").is_some()) {
            comparator = Comparator::AtLeast;
        }
        if measure == Measure::Reduction && comparator != Comparator::Approx && comparator != Comparator::Range {
            comparator = Comparator::AtLeast;
        }

        let names = if q.each {
            split_list(&indicator)
        } else {
            vec![indicator.clone()]
        };
        for name in names {
            let r = Reading {
                indicator: name,
                comparator,
                value: Some(q.value),
                value_max: q.value_max,
                unit: q.unit.clone(),
                kind: if q.ratio {
                    TargetKind::Ratio
                } else {
                    TargetKind::Numeric
                },
                measure,
                at: q.start,
                from_base,
            };
            out.push(r);
        }
        prev = out.last().cloned();
        if let Some((_, v)) = verb {
            prev_verb = Some(v);
        }
        prev_end = q.end;
    }
    read_zero_and_doubling(s, from, to, &qs, &mut out);
    out
}

/// A zero to hold (零开采, 动态清零) at compact position `at`.
fn zero(indicator: String, at: usize) -> Reading {
    Reading {
        indicator,
        comparator: Comparator::Exact,
        value: Some(Decimal::ZERO),
        value_max: None,
        unit: None,
        kind: TargetKind::Numeric,
        measure: Measure::Level,
        at,
        from_base: false,
    }
}

/// 零开采/零排放 (a zero to hold) and 翻一番 (doubling), which carry no digits.
fn read_zero_and_doubling(s: &[char], from: usize, to: usize, qs: &[Qty], out: &mut Vec<Reading>) {
    for k in from..to {
        if !matches!(s[k], '零' | '翻') {
            continue;
        }
        // 动态清零 / “清零” as a goal (not 清零举措, 清零目标, 清零 3962 处).
        if s[k] == '零' && k > from && s[k - 1] == '清' {
            let after = if s.get(k + 1) == Some(&'”') { k + 2 } else { k + 1 };
            let cs = clause_start(s, from, k);
            let ce = clause_end(s, k, to);
            let ends_goal = after >= to || !is_cjk(s[after]);
            let counted = qs.iter().any(|q| q.start >= cs && q.end <= ce);
            let zero_read = out
                .iter()
                .any(|r| r.value == Some(Decimal::ZERO) && r.at >= cs && r.at <= ce);
            if ends_goal && !counted && !zero_read {
                let mut subj_end = k - 1;
                for w in ["动态", "“"] {
                    if ends_with(s, subj_end, w) {
                        subj_end -= w.chars().count();
                    }
                }
                let mut a = cs;
                for w in ["推动", "保持", "实现", "确保", "持续"] {
                    if let Some(p) = find(s, a, subj_end, w) {
                        a = p + w.chars().count();
                    }
                }
                let mut name = clean(&s[a.min(subj_end)..subj_end]);
                if name.is_empty() && cs > from + 1 {
                    // 巩固黑臭水体治理成效，实现动态清零: the clause before names it.
                    name = clean(&s[clause_start(s, from, cs - 1)..cs - 1]);
                }
                out.push(zero(name, k));
            }
            continue;
        }
        if s[k] == '零'
            && k + 1 < to
            && is_cjk(s[k + 1])
            && (k == from
                || !matches!(
                    s[k - 1],
                    '〇' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千' | '万'
                ))
            && !at(s, k + 1, "售")
            && !at(s, k + 1, "星")
            && !at(s, k + 1, "部件")
        {
            let cs = clause_start(s, from, k);
            let ce = clause_end(s, k, to);
            if qs.iter().any(|q| q.start >= cs && q.end <= ce) {
                continue;
            }
            let Some((vk, vn)) = [("基本实现", 4), ("实现", 2), ("确保", 2), ("保持", 2)]
                .iter()
                .find_map(|(w, n)| rfind(s, cs, k, w).map(|p| (p, *n)))
            else {
                continue;
            };
            let subj = clean(&s[vk + vn..k]);
            let verb_after = noun_after(s, k + 1, ce);
            out.push(zero(format!("{subj}{verb_after}"), k));
        }
        for (w, v) in [("翻一番", 2), ("翻两番", 4), ("翻二番", 4)] {
            if at(s, k, w) {
                let cs = clause_start(s, from, k);
                let subj_end = ["比", "较", "实现", "力争"]
                    .iter()
                    .filter_map(|m| find(s, cs, k, m))
                    .min()
                    .unwrap_or(k);
                out.push(Reading {
                    indicator: clean(&s[cs..subj_end]),
                    comparator: Comparator::AtLeast,
                    value: Some(Decimal::from(v)),
                    value_max: None,
                    unit: Some("倍".into()),
                    kind: TargetKind::Numeric,
                    measure: Measure::Level,
                    at: k,
                    from_base: false,
                });
            }
        }
    }
}

/// Goals tied to a quota or standard set elsewhere (完成上级下达的节能减排任务,
/// 达到考核要求, 严守债务限额, 与经济增长同步): no number of their own.
pub fn read_relative(s: &[char], from: usize, to: usize) -> Vec<Reading> {
    // Nothing past the sentence is looked at: lookahead stays bounded, so
    // the whole pass stays linear in the text.
    let s = &s[..to.min(s.len())];
    let mut out = Vec::new();
    let mut cs = from;
    while cs < to {
        let ce = clause_end(s, cs, to);
        let clause = &s[cs..ce];
        static MARKERS: OnceLock<Words> = OnceLock::new();
        let markers = MARKERS.get_or_init(|| Words::new(&RELATIVE_MARKERS.iter().map(|(m, _)| *m).collect::<Vec<_>>()));
        let has_marker = (cs..ce).any(|k| markers.at(s, k).is_some())
            && !PLAN_WORK_WORDS.iter().any(|w| find(s, cs, ce, w).is_some());
        if has_marker && lex(s, cs, ce).is_empty() {
            for (m, cmp) in RELATIVE_MARKERS {
                let Some(mk) = find(s, cs, ce, m) else {
                    continue;
                };
                if (*m == "下达的" || *m == "下达")
                    && !clause.iter().collect::<String>()[..].contains('任')
                    && !clause.iter().collect::<String>().contains("指标")
                {
                    continue;
                }
                let names: Vec<String>;
                let cmp = cmp.unwrap_or(Comparator::AtLeast);
                if m.contains("同步") {
                    // 居民收入增长和经济增长同步、劳动报酬提高和劳动生产率提高同步:
                    // each item names what keeps pace, before 与/和/同.
                    let mut items = Vec::new();
                    let mut a = cs;
                    while a < ce {
                        let b = (a..ce).find(|&k| s[k] == '、').unwrap_or(ce);
                        if let Some(mk) = find(s, a, b, "同步") {
                            let end = ["与", "和", "同"]
                                .iter()
                                .filter_map(|w| find(s, a, mk, w))
                                .min()
                                .unwrap_or(mk);
                            items.push(clean(&s[a..end]));
                        }
                        a = b + 1;
                    }
                    names = items;
                } else {
                    let verb = [
                        "完成",
                        "达到",
                        "满足",
                        "符合",
                        "严守",
                        "守住",
                        "保持",
                        "落实",
                        "执行",
                        "控制在",
                    ]
                    .iter()
                    .filter_map(|v| rfind(s, cs, mk, v).map(|p| (p, v.chars().count())))
                    .max_by_key(|(p, _)| *p);
                    let (subj_a, subj_b) = match verb {
                        Some((p, n)) => {
                            let before = clean(&s[cs..p]);
                            if before.chars().count() >= 2 && !matches!(before.as_str(), "努力" | "确保" | "坚决")
                            {
                                (cs, p)
                            } else {
                                (p + n, mk)
                            }
                        }
                        None => (cs, mk),
                    };
                    let mut b = subj_b;
                    // 各项指标任务 / 三率指标上限标准: keep the names only.
                    for tail in ["各项", "指标", "等"] {
                        if let Some(p) = find(s, subj_a, b, tail) {
                            b = p;
                        }
                    }
                    while b > subj_a
                        && (s[b - 1] == '率'
                            && b >= subj_a + 2
                            && crate::quantity::parse_chinese_numeral(s, b - 2).is_some())
                    {
                        b -= 2;
                    }
                    // Drop a quota owner (天津市/上级/国家) kept before 下达.
                    let text = clean(&s[subj_a..b]);
                    names = split_list(&text)
                        .into_iter()
                        .map(|n| n.trim_end_matches('均').to_string())
                        .filter(|n| n.chars().count() >= 2)
                        .collect();
                }
                for n in names.into_iter().filter(|n| !n.is_empty()) {
                    out.push(Reading {
                        indicator: n,
                        comparator: cmp,
                        value: None,
                        value_max: None,
                        unit: None,
                        kind: TargetKind::Relative,
                        measure: Measure::Level,
                        at: mk,
                        from_base: false,
                    });
                }
                break;
            }
        }
        cs = ce + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Compact;

    /// (indicator, comparator, value, value_max, unit, measure)
    type Row = (
        String,
        &'static str,
        String,
        Option<String>,
        Option<String>,
        &'static str,
    );

    fn read(t: &str) -> Vec<Row> {
        let c = Compact::new(t);
        let mut v = read_sentence(&c.chars, 0, c.chars.len());
        v.extend(read_relative(&c.chars, 0, c.chars.len()));
        v.into_iter()
            .map(|r| {
                (
                    r.indicator,
                    r.comparator.as_str(),
                    r.value.map_or("-".into(), |v| v.normalize().to_string()),
                    r.value_max.map(|v| v.normalize().to_string()),
                    r.unit,
                    r.measure.as_str(),
                )
            })
            .collect()
    }

    fn cmp_val(t: &str) -> Vec<(&'static str, String)> {
        read(t).into_iter().map(|r| (r.1, r.2)).collect()
    }

    #[test]
    fn comparators_from_meaning() {
        assert_eq!(
            cmp_val("到 2025 年,城镇调查失业率控制在 5.5% 以内。"),
            vec![("<=", "5.5".into())]
        );
        assert_eq!(
            cmp_val("到 2025 年,污染地块安全利用率不低于94% 。"),
            vec![(">=", "94".into())]
        );
        assert_eq!(
            cmp_val("实现PM2.5 年均浓度达到 43 微克 / 立方米。"),
            vec![("<=", "43".into())]
        );
        assert_eq!(cmp_val("年展会规模达到 70场左右。"), vec![("approx", "70".into())]);
        assert_eq!(
            cmp_val("我区共计可提供住宿床位近 3 万张。"),
            vec![("approx", "30000".into())]
        );
        assert_eq!(
            cmp_val("“十四五”期间,新建 3 所中学、 9 所小学、 18 所幼儿园。"),
            vec![("=", "3".into()), ("=", "9".into()), ("=", "18".into())]
        );
        assert_eq!(
            cmp_val("每千名老年人拥有床位数达到 45 -50 张。"),
            vec![("range", "45".into())]
        );
        assert_eq!(
            cmp_val("确保粮食播种面积保持在 12 万亩以上,力争新建高标准农田 5 万亩左右。"),
            vec![(">=", "120000".into()), ("approx", "50000".into())]
        );
        assert_eq!(cmp_val("每个街道至少配建一处综合服务中心。"), vec![(">=", "1".into())]);
        assert_eq!(
            cmp_val("全市规模以上工业企业数量不少于 1,200 家。"),
            vec![(">=", "1200".into())]
        );
        assert_eq!(cmp_val("单位地区生产总值能耗降至 0.45 吨标准煤/万元。").len(), 1);
    }

    #[test]
    fn measures_from_wording() {
        let r = read("“十四五”期间,地区生产总值年均增长 7% 以上。");
        assert_eq!((r[0].1, r[0].2.as_str(), r[0].5), (">=", "7", "annual_growth"));
        let r = read("单位地区生产总值能源消耗累计下降 13.5% 。");
        assert_eq!((r[0].1, r[0].2.as_str(), r[0].5), (">=", "13.5", "reduction"));
        let r = read("全区累计新增城镇就业 10 万人。");
        assert_eq!(r[0].5, "cumulative");
        let r = read("常住人口城镇化率由 2020 年的 65% 提高到 70% 。");
        assert_eq!(r.len(), 2);
        assert_eq!((r[1].1, r[1].2.as_str()), (">=", "70"));
        let r = read("到 2025 年,地区生产总值比 2020 年翻一番。");
        assert_eq!((r[0].1, r[0].2.as_str(), r[0].4.as_deref()), (">=", "2", Some("倍")));
    }

    #[test]
    fn governed_lists_and_each() {
        let r = read("到 2025年,力争引育国际展览业协会( UFI )组织成员单位、国际会议协会( ICCA )成员单位各 3 家,引育会展配套服务规上企业 10家。");
        assert_eq!(r.len(), 3, "{r:?}");
        assert!(r.iter().all(|x| x.1 == ">="));
        let r = read("研发支出与地区生产总值之比达 6% ,每万人拥有高价值发明专利数 13 件。");
        assert_eq!(r.iter().map(|x| x.1).collect::<Vec<_>>(), vec![">=", ">="]);
        let r = read("推动建设津沽污水处理厂三期( 45 万吨 / 日)、葛沽镇污水处理厂( 4.8 万吨 / 日)。");
        assert_eq!(
            r.iter().map(|x| (x.0.as_str(), x.1)).collect::<Vec<_>>(),
            vec![("津沽污水处理厂三期", "="), ("葛沽镇污水处理厂", "=")]
        );
    }

    #[test]
    fn relative_and_zero() {
        let r = read("到 2025 年,单位 GDP能源消耗降低、单位 GDP 二氧化碳排放降幅均完成上级下达的节能减排降碳任务。");
        assert_eq!(r.len(), 2, "{r:?}");
        let r = read("严守政府债务限额要求,坚决遏制隐性债务增量。");
        assert_eq!((r[0].0.as_str(), r[0].1), ("政府债务", "<="));
        let r = read("到 2025 年,实现居民人均可支配收入增长与经济增长基本同步。");
        assert_eq!((r[0].0.as_str(), r[0].1), ("居民人均可支配收入增长", "approx"));
        let r = read("除应急情况外基本实现深层地下水零开采。");
        assert_eq!((r[0].1, r[0].2.as_str()), ("=", "0"));
    }

    #[test]
    fn descriptors_are_not_figures() {
        assert!(read("逐步完善辛庄 2.6 平方公里平衡地块基础配套设施。").is_empty());
        assert_eq!(read("退出 588 立方米高炉 2 座。").len(), 1);
    }
}
