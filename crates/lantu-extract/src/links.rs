//! Which baseline measures the same quantity as which target (国家高新技术企业
//! 468 家 → 达到 620 家). Names are compared after dropping filler words and
//! folding standard aliases of common indicators; a qualifier on one side
//! only (高价值, 规模以上) means a subset, not the same quantity.

use crate::model::{Baseline, Target};
use lantu_core::TargetKind;

/// Aliases of indicators every plan uses under several names, folded to one.
const ALIASES: &[(&str, &str)] = &[
    ("研究与试验发展经费投入强度", "研发投入强度"),
    ("研究与试验发展经费支出占地区生产总值比重", "研发投入强度"),
    ("研发经费支出占地区生产总值比重", "研发投入强度"),
    ("研发支出与地区生产总值之比", "研发投入强度"),
    ("研发经费投入强度", "研发投入强度"),
    ("R&D经费投入强度", "研发投入强度"),
    ("R&D投入强度", "研发投入强度"),
    ("单位地区生产总值", "单位GDP"),
    ("地区生产总值(GDP)", "GDP"),
    ("地区生产总值（GDP）", "GDP"),
    ("年均增长率", "年均增速"),
    ("地区生产总值", "GDP"),
    ("国内生产总值", "GDP"),
    ("能源消耗", "能耗"),
    ("细颗粒物(PM2.5)", "PM2.5"),
    ("细颗粒物", "PM2.5"),
    ("年均浓度", "平均浓度"),
    ("老年人", "老人"),
    ("养老床位", "床位"),
];

/// Words that name no part of the quantity.
const FILLER: &[&str] = &[
    "全社会",
    "全区",
    "全市",
    "全县",
    "拥有",
    "认定",
    "评价入库",
    "累计",
    "达到",
    "数量",
    "总量",
    "总数",
    "个数",
    "的",
    "“",
    "”",
    "名",
    "数",
];

/// Qualifiers that make a subset of a quantity.
const QUALIFIERS: &[&str] = &[
    "人均",
    "高价值",
    "高技术",
    "规模以上",
    "规上",
    "重点",
    "国家级",
    "省级",
    "市级",
    "区级",
    "县级",
    "新兴",
    "战略性",
];

fn norm(name: &str) -> String {
    let mut s: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    for (a, b) in ALIASES {
        if s.contains(a) {
            s = s.replace(a, b);
        }
    }
    for f in FILLER.iter().filter(|f| f.chars().nth(1).is_some()) {
        if s.contains(f) {
            s = s.replace(f, "");
        }
    }
    s.retain(|c| !FILLER.iter().any(|f| f.chars().nth(1).is_none() && f.starts_with(c)));
    s
}

/// A name and, for a joint name (中小学), each of its parts.
fn variants(name: &str) -> Vec<String> {
    let n = norm(name);
    if n.contains("中小学") {
        vec![n.replace("中小学", "中学"), n.replace("中小学", "小学")]
    } else {
        vec![n]
    }
}

/// Character-multiset Dice coefficient.
pub fn dice(a: &str, b: &str) -> f64 {
    let mut av: Vec<char> = a.chars().collect();
    let mut bv: Vec<char> = b.chars().collect();
    if av.is_empty() || bv.is_empty() {
        return 0.0;
    }
    av.sort_unstable();
    bv.sort_unstable();
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < av.len() && j < bv.len() {
        match av[i].cmp(&bv[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * common as f64 / (av.len() + bv.len()) as f64
}

/// Counts of places (所, 处, 个, 座) are the same kind of count.
fn units_compatible(b: Option<&str>, t: Option<&str>, t_kind: TargetKind) -> bool {
    if t_kind == TargetKind::Relative {
        return true;
    }
    const PLACES: &[&str] = &["所", "处", "个", "座"];
    match (b, t) {
        (Some(a), Some(c)) => a == c || PLACES.contains(&a) && PLACES.contains(&c),
        (None, None) => true,
        _ => false,
    }
}

const THRESHOLD: f64 = 0.75;

/// A name prepared once for many comparisons.
struct Key {
    norm: String,
    sorted: Vec<char>,
    /// Bit i set when the name holds `QUALIFIERS[i]`.
    quals: u32,
}

impl Key {
    fn new(norm: String) -> Key {
        let mut sorted: Vec<char> = norm.chars().collect();
        sorted.sort_unstable();
        let quals = QUALIFIERS
            .iter()
            .enumerate()
            .filter(|(_, q)| norm.contains(*q))
            .fold(0, |m, (i, _)| m | 1 << i);
        Key { norm, sorted, quals }
    }
}

/// Number of characters two sorted multisets share.
fn common_sorted(a: &[char], b: &[char]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    common
}

/// Words that end the name of a rate of change (增长, 增速): such a name
/// measures growth, not the level the bare name measures.
const GROWTH_ENDS: &[&str] = &["增长", "增速", "增幅", "增长率"];

fn is_growth(norm: &str) -> bool {
    GROWTH_ENDS.iter().any(|w| norm.ends_with(w))
}

/// Of a share `A占B比重`, the part A whose share it is.
fn share_of(norm: &str) -> Option<&str> {
    norm.find('占').map(|i| &norm[..i]).filter(|a| !a.is_empty())
}

/// Similarity of prepared names, 0 when they cannot be the same quantity.
fn similarity_of(b: &Baseline, bkeys: &[Key], t: &Target, tk: &Key) -> f64 {
    if !units_compatible(b.unit.as_deref(), t.unit.as_deref(), t.kind) {
        return 0.0;
    }
    // A level (人均可支配收入 78243 元) is not its growth (收入增长与经济增长同步).
    if bkeys.iter().all(|bk| is_growth(&bk.norm) != is_growth(&tk.norm)) {
        return 0.0;
    }
    // Two shares of one whole are different quantities unless their parts
    // are the same (数字经济核心产业增加值占GDP比重 ≠ 文化产业增加值占GDP比重).
    if let Some(ta) = share_of(&tk.norm) {
        if bkeys
            .iter()
            .all(|bk| share_of(&bk.norm).is_some_and(|ba| dice(ba, ta) < THRESHOLD))
        {
            return 0.0;
        }
    }
    let mut best: f64 = 0.0;
    for bk in bkeys {
        if bk.quals != tk.quals || bk.sorted.is_empty() || tk.sorted.is_empty() {
            continue;
        }
        let common = common_sorted(&bk.sorted, &tk.sorted);
        let d = 2.0 * common as f64 / (bk.sorted.len() + tk.sorted.len()) as f64;
        // One name inside the other (only possible when every char of the
        // shorter one is shared).
        let short = bk.sorted.len().min(tk.sorted.len());
        let contained = d < THRESHOLD
            && common == short
            && short >= 4
            && (tk.norm.contains(bk.norm.as_str()) || bk.norm.contains(tk.norm.as_str()));
        best = best.max(if contained { THRESHOLD } else { d });
    }
    best
}

/// Similarity of a baseline's and a target's names, 0 when they cannot be
/// the same quantity.
pub fn similarity(b: &Baseline, t: &Target) -> f64 {
    let bkeys: Vec<Key> = variants(&b.indicator).into_iter().map(Key::new).collect();
    similarity_of(b, &bkeys, t, &Key::new(norm(&t.indicator)))
}

/// Fills `target_ids` of every baseline.
pub fn link(baselines: &mut [Baseline], targets: &[Target]) {
    link_unlinked(baselines, targets, &[]);
}

/// Most targets one baseline links to: a plan measures one quantity by a
/// handful of targets at most; the cap keeps a text that repeats itself
/// from producing a quadratic number of links.
pub const MAX_LINKS: usize = 16;

/// Fills `target_ids` of the baselines not marked in `skip` (rows of an
/// indicator table already know their target).
///
/// Targets with the same normalised name, unit and kind form one class, and
/// not every baseline is compared with every class: two names with Dice ≥
/// 0.75 share at least 60 % of the baseline's characters, so a class that
/// holds none of the baseline's ⌊0.4n⌋ + 1 rarest characters cannot match,
/// and a name contained in the baseline holds its own rarest character. An
/// index on characters finds the candidates; results are cached per
/// baseline name and unit. Long texts (many plans in one file) stay near
/// linear.
pub fn link_unlinked(baselines: &mut [Baseline], targets: &[Target], skip: &[bool]) {
    use std::collections::HashMap;
    // Classes of targets: (name, unit, kind) → members in document order.
    let mut class_of: HashMap<(String, Option<String>, TargetKind), usize> = HashMap::new();
    let mut classes: Vec<(Key, &Target, Vec<usize>)> = Vec::new();
    // A long text names the same indicators again and again: each name is
    // normalised once.
    let mut norms: HashMap<&str, String> = HashMap::new();
    for (i, t) in targets.iter().enumerate() {
        let n = norms
            .entry(t.indicator.as_str())
            .or_insert_with(|| norm(&t.indicator))
            .clone();
        let k = (n.clone(), t.unit.clone(), t.kind);
        let c = *class_of.entry(k).or_insert_with(|| {
            classes.push((Key::new(n), t, Vec::new()));
            classes.len() - 1
        });
        classes[c].2.push(i);
    }
    let mut postings: HashMap<char, Vec<u32>> = HashMap::new();
    for (i, (k, _, _)) in classes.iter().enumerate() {
        let mut chars = k.sorted.clone();
        chars.dedup();
        for c in chars {
            postings.entry(c).or_default().push(i as u32);
        }
    }
    let freq = |c: &char| postings.get(c).map_or(0, Vec::len);
    let mut by_rarest: HashMap<char, Vec<u32>> = HashMap::new();
    for (i, (k, _, _)) in classes.iter().enumerate() {
        if let Some(r) = k.sorted.iter().min_by_key(|c| (freq(c), **c)) {
            by_rarest.entry(*r).or_default().push(i as u32);
        }
    }
    let mut cache: HashMap<(String, Option<String>), Vec<String>> = HashMap::new();
    let mut seen = vec![false; classes.len()];
    for (i, b) in baselines.iter_mut().enumerate() {
        if skip.get(i).copied().unwrap_or(false) {
            continue;
        }
        let key = (b.indicator.clone(), b.unit.clone());
        if let Some(ids) = cache.get(&key) {
            b.target_ids = ids.clone();
            continue;
        }
        let bkeys: Vec<Key> = variants(&b.indicator).into_iter().map(Key::new).collect();
        let mut candidates: Vec<u32> = Vec::new();
        for bk in &bkeys {
            let mut chars = bk.sorted.clone();
            chars.dedup();
            for c in &chars {
                candidates.extend(by_rarest.get(c).into_iter().flatten());
            }
            chars.sort_by_key(|c| (freq(c), *c));
            for c in chars.iter().take(bk.sorted.len() * 2 / 5 + 1) {
                candidates.extend(postings.get(c).into_iter().flatten());
            }
        }
        candidates.retain(|&c| !std::mem::replace(&mut seen[c as usize], true));
        for &c in &candidates {
            seen[c as usize] = false;
        }
        let mut members: Vec<usize> = candidates
            .iter()
            .map(|&c| &classes[c as usize])
            .filter(|(k, t, _)| similarity_of(b, &bkeys, t, k) >= THRESHOLD)
            .flat_map(|(_, _, m)| m.iter().copied())
            .collect();
        members.sort_unstable();
        members.truncate(MAX_LINKS);
        let ids: Vec<String> = members.iter().map(|&t| targets[t].id.clone()).collect();
        cache.insert(key, ids.clone());
        b.target_ids = ids;
    }
}
