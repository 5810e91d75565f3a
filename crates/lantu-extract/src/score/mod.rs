//! Scoring an [`Extraction`] against hand-checked gold, exactly as
//! `data/gold/README.md` ("Scoring a program's output") describes it.
//!
//! - Strings are NFKC-normalised with all whitespace removed; numbers are put
//!   in base form (a magnitude prefix of the unit multiplies the value and is
//!   dropped: `45 万吨/日` ≡ `450000 吨/日`); `%`, `％`, `百分之` are one unit;
//!   the prefixes fold repeatedly (`1000 万千瓦` ≡ `1e10 瓦` ≡ `1e7 千瓦`);
//!   a ratio value matches in either orientation (`1:9` as 9 or as 1/9);
//!   values compare with a relative tolerance of 1e-6; `null` equals only
//!   `null`; an empty unit is `null`.
//! - A predicted target matches a gold target when their quotes overlap in
//!   the (whitespace-free) plan text, and value, value_max, unit and
//!   comparator are equal. Baselines: the same without comparator.
//! - Predictions and gold are paired one-to-one by a maximum bipartite
//!   matching; among maximum matchings the one with the largest total
//!   indicator similarity is taken.
//! - Links (baseline → target) are mapped to gold ids through the two
//!   matchings and are correct when the mapped pair is a gold link.

mod display;
mod identity;
mod matching;
mod norm;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use lantu_core::{Comparator, TargetKind};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::Extraction;

pub use identity::{identity_key, score_identity, GoldPlan, IdentityScore};
pub use norm::{base_unit, indicator_similarity, normalize, values_equal, TOLERANCE};

/// What can go wrong reading gold.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    #[error("cannot read gold file {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("gold is not valid JSON of the gold schema (data/gold/README.md): {0}")]
    Json(#[from] serde_json::Error),
    #[error("gold has two {what} with id `{id}`")]
    DuplicateId { what: &'static str, id: String },
    #[error("gold baseline `{baseline}`, field target_ids: target `{target}` is not among the gold targets")]
    UnknownLinkTarget { baseline: String, target: String },
}

/// Gold annotations of one plan (schema: `data/gold/README.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gold {
    /// File name of the plain-text plan.
    pub doc: String,
    /// Where the text came from.
    #[serde(default)]
    pub source: Option<String>,
    /// What the plan says about itself (title, region, level, kind, period).
    #[serde(default)]
    pub plan: Option<GoldPlan>,
    pub targets: Vec<GoldTarget>,
    #[serde(default)]
    pub baselines: Vec<GoldBaseline>,
}

/// A gold target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldTarget {
    pub id: String,
    pub indicator: String,
    pub comparator: Comparator,
    pub value: Option<f64>,
    #[serde(default)]
    pub value_max: Option<f64>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    pub quote: String,
    pub kind: TargetKind,
}

/// A gold baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldBaseline {
    pub id: String,
    pub indicator: String,
    pub value: Option<f64>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    pub quote: String,
    /// Gold targets that measure the same quantity.
    #[serde(default)]
    pub target_ids: Vec<String>,
}

impl Gold {
    /// Parses gold JSON and checks that ids are unique and that every
    /// `target_ids` entry names a gold target.
    pub fn from_json(s: &str) -> Result<Gold, ScoreError> {
        let gold: Gold = serde_json::from_str(s)?;
        gold.validate()?;
        Ok(gold)
    }

    /// Reads and parses a gold file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Gold, ScoreError> {
        let path = path.as_ref();
        let s = std::fs::read_to_string(path).map_err(|source| ScoreError::Read {
            path: path.to_owned(),
            source,
        })?;
        Gold::from_json(&s)
    }

    fn validate(&self) -> Result<(), ScoreError> {
        let mut targets = HashSet::new();
        for t in &self.targets {
            if !targets.insert(t.id.as_str()) {
                return Err(ScoreError::DuplicateId {
                    what: "targets",
                    id: t.id.clone(),
                });
            }
        }
        let mut baselines = HashSet::new();
        for b in &self.baselines {
            if !baselines.insert(b.id.as_str()) {
                return Err(ScoreError::DuplicateId {
                    what: "baselines",
                    id: b.id.clone(),
                });
            }
            if let Some(t) = b.target_ids.iter().find(|t| !targets.contains(t.as_str())) {
                return Err(ScoreError::UnknownLinkTarget {
                    baseline: b.id.clone(),
                    target: t.clone(),
                });
            }
        }
        Ok(())
    }
}

/// Precision, recall and F1 of one kind of record. A ratio with a zero
/// denominator is 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    pub matched: usize,
    pub predicted: usize,
    pub gold: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn new(matched: usize, predicted: usize, gold: usize) -> Prf {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(matched, predicted);
        let recall = ratio(matched, gold);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            matched,
            predicted,
            gold,
            precision,
            recall,
            f1,
        }
    }
}

/// A record left unpaired: a gold record no prediction matched (a miss) or a
/// prediction that matched no gold record (a false hit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Miss {
    pub id: String,
    pub indicator: String,
    /// `None` for baselines.
    pub comparator: Option<Comparator>,
    /// As written in the record (before base form).
    pub value: Option<f64>,
    pub value_max: Option<f64>,
    pub unit: Option<String>,
    pub year: Option<i32>,
    pub quote: String,
    /// Why it did not pair: quote not found, no overlapping record, or the
    /// closest record on the other side and the fields that differ.
    pub reason: String,
}

/// A link (baseline id → target id) left unpaired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkMiss {
    pub baseline_id: String,
    pub baseline_indicator: String,
    pub target_id: String,
    /// Empty when the target id names no record.
    pub target_indicator: String,
    pub reason: String,
}

/// A paired prediction and gold record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    pub predicted: String,
    pub gold: String,
}

/// Result of [`score`]. Serialised as the `--format json` of scoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreReport {
    /// `doc` of the gold.
    pub doc: String,
    pub targets: Prf,
    pub baselines: Prf,
    pub links: Prf,
    /// Mean indicator similarity over matched target pairs (0 if none).
    pub indicator_similarity_targets: f64,
    /// Mean indicator similarity over matched baseline pairs (0 if none).
    pub indicator_similarity_baselines: f64,
    /// Targets restricted to kind ≠ relative, on both sides.
    pub targets_numeric: Prf,
    /// Targets matched without comparing the comparator.
    pub targets_lenient: Prf,
    /// Share of matched target pairs with the same year (0 if none).
    pub year_accuracy: f64,
    /// Share of matched target pairs with the same kind (0 if none).
    pub kind_accuracy: f64,
    /// Predicted targets whose quote is not in the plan text.
    pub unlocated_target_quotes: usize,
    /// Predicted baselines whose quote is not in the plan text.
    pub unlocated_baseline_quotes: usize,
    pub target_pairs: Vec<Pair>,
    pub baseline_pairs: Vec<Pair>,
    pub target_misses: Vec<Miss>,
    pub target_false_hits: Vec<Miss>,
    pub baseline_misses: Vec<Miss>,
    pub baseline_false_hits: Vec<Miss>,
    pub link_misses: Vec<LinkMiss>,
    pub link_false_hits: Vec<LinkMiss>,
}

/// One record of either side, with its fields in the form they compare in.
struct Item<'a> {
    id: &'a str,
    indicator: &'a str,
    comparator: Option<Comparator>,
    value: Option<f64>,
    value_max: Option<f64>,
    unit: Option<&'a str>,
    year: Option<i32>,
    kind: Option<TargetKind>,
    quote: &'a str,
    // Derived.
    indicator_norm: String,
    base_value: Option<f64>,
    base_value_max: Option<f64>,
    base_unit: Option<String>,
    spans: Vec<(usize, usize)>,
}

impl<'a> Item<'a> {
    fn new(id: &'a str, indicator: &'a str, quote: &'a str) -> Item<'a> {
        Item {
            id,
            indicator,
            comparator: None,
            value: None,
            value_max: None,
            unit: None,
            year: None,
            kind: None,
            quote,
            indicator_norm: String::new(),
            base_value: None,
            base_value_max: None,
            base_unit: None,
            spans: Vec::new(),
        }
    }

    fn prepared(mut self, locator: &mut norm::Locator) -> Item<'a> {
        let (factor, unit) = base_unit(self.unit);
        self.indicator_norm = normalize(self.indicator);
        self.base_value = self.value.map(|v| v * factor);
        self.base_value_max = self.value_max.map(|v| v * factor);
        self.base_unit = unit;
        self.spans = locator.spans(self.quote);
        self
    }

    fn miss(&self, reason: String) -> Miss {
        Miss {
            id: self.id.to_owned(),
            indicator: self.indicator.to_owned(),
            comparator: self.comparator,
            value: self.value,
            value_max: self.value_max,
            unit: self.unit.map(str::to_owned),
            year: self.year,
            quote: self.quote.to_owned(),
            reason,
        }
    }
}

fn decimal(d: Option<Decimal>) -> Option<f64> {
    d.and_then(|d| d.to_f64())
}

/// A field on which two records differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Quote,
    Value,
    ValueMax,
    Unit,
    Comparator,
}

/// Either side is a ratio (1:9): its value matches in either orientation
/// (9 or 1/9), since plans and annotators write both.
fn ratio_pair(p: &Item, g: &Item) -> bool {
    p.kind == Some(TargetKind::Ratio) || g.kind == Some(TargetKind::Ratio)
}

fn differences(p: &Item, g: &Item, with_comparator: bool) -> Vec<Field> {
    let mut d = Vec::new();
    if !norm::overlaps(&p.spans, &g.spans) {
        d.push(Field::Quote);
    }
    let same = values_equal(p.base_value, g.base_value)
        || ratio_pair(p, g) && values_equal(p.base_value.map(f64::recip), g.base_value);
    if !same {
        d.push(Field::Value);
    }
    if !values_equal(p.base_value_max, g.base_value_max) {
        d.push(Field::ValueMax);
    }
    if p.base_unit != g.base_unit {
        d.push(Field::Unit);
    }
    if with_comparator && p.comparator != g.comparator {
        d.push(Field::Comparator);
    }
    d
}

/// Maximum matching of `preds[pi]` against `golds[gi]`; pairs of indices
/// into `preds` and `golds`.
fn pair(preds: &[Item], pi: &[usize], golds: &[Item], gi: &[usize], with_comparator: bool) -> Vec<(usize, usize)> {
    let mut edges = Vec::new();
    for (a, &p) in pi.iter().enumerate() {
        for (b, &g) in gi.iter().enumerate() {
            if differences(&preds[p], &golds[g], with_comparator).is_empty() {
                let sim = norm::dice(&preds[p].indicator_norm, &golds[g].indicator_norm);
                edges.push((a, b, sim));
            }
        }
    }
    matching::max_matching(pi.len(), gi.len(), &edges)
        .into_iter()
        .map(|(a, b)| (pi[a], gi[b]))
        .collect()
}

fn fmt_value(v: Option<f64>) -> String {
    v.map_or_else(|| "null".to_owned(), |v| v.to_string())
}

fn fmt_unit(u: &Option<String>) -> String {
    u.clone().unwrap_or_else(|| "null".to_owned())
}

/// Why `item` (on side `own`) found no partner among `others`.
fn reason(
    item: &Item,
    others: &[Item],
    others_paired_with: &HashMap<usize, &str>,
    other_side: &str,
    with_comparator: bool,
) -> String {
    if item.spans.is_empty() {
        return "quote not found in the plan text".to_owned();
    }
    let mut best: Option<(usize, Vec<Field>, f64)> = None;
    for (j, o) in others.iter().enumerate() {
        if !norm::overlaps(&item.spans, &o.spans) {
            continue;
        }
        let d = differences(item, o, with_comparator);
        let sim = norm::dice(&item.indicator_norm, &o.indicator_norm);
        let better = match &best {
            None => true,
            Some((_, bd, bs)) => d.len() < bd.len() || (d.len() == bd.len() && sim > *bs),
        };
        if better {
            best = Some((j, d, sim));
        }
    }
    let Some((j, d, _)) = best else {
        return format!("no {other_side} has an overlapping quote");
    };
    let o = &others[j];
    if d.is_empty() {
        return match others_paired_with.get(&j) {
            Some(partner) => format!(
                "fits {other_side} {} ({}), which is paired with {partner}",
                o.id, o.indicator
            ),
            None => format!("fits {other_side} {} ({})", o.id, o.indicator),
        };
    }
    let parts: Vec<String> = d
        .iter()
        .filter(|&&f| !(f == Field::Unit && d.contains(&Field::Value)))
        .map(|f| match f {
            Field::Quote => "quote".to_owned(),
            Field::Value => format!(
                "value {} {} vs {} {}",
                fmt_value(item.base_value),
                fmt_unit(&item.base_unit),
                fmt_value(o.base_value),
                fmt_unit(&o.base_unit)
            ),
            Field::ValueMax => format!(
                "value_max {} vs {}",
                fmt_value(item.base_value_max),
                fmt_value(o.base_value_max)
            ),
            Field::Unit => format!("unit {} vs {}", fmt_unit(&item.base_unit), fmt_unit(&o.base_unit)),
            Field::Comparator => format!(
                "comparator {} vs {}",
                item.comparator.map_or("null", Comparator::as_str),
                o.comparator.map_or("null", Comparator::as_str)
            ),
        })
        .collect();
    let paired = others_paired_with
        .get(&j)
        .map(|partner| format!(", paired with {partner}"))
        .unwrap_or_default();
    format!(
        "closest {other_side} {} ({}{paired}): {}",
        o.id,
        o.indicator,
        parts.join("; ")
    )
}

/// Misses and false hits of one matching.
fn unpaired(preds: &[Item], golds: &[Item], pairs: &[(usize, usize)], with_comparator: bool) -> (Vec<Miss>, Vec<Miss>) {
    let gold_partner: HashMap<usize, &str> = pairs.iter().map(|&(p, g)| (g, preds[p].id)).collect();
    let pred_partner: HashMap<usize, &str> = pairs.iter().map(|&(p, g)| (p, golds[g].id)).collect();
    let misses = golds
        .iter()
        .enumerate()
        .filter(|(g, _)| !gold_partner.contains_key(g))
        .map(|(_, item)| item.miss(reason(item, preds, &pred_partner, "prediction", with_comparator)))
        .collect();
    let false_hits = preds
        .iter()
        .enumerate()
        .filter(|(p, _)| !pred_partner.contains_key(p))
        .map(|(_, item)| item.miss(reason(item, golds, &gold_partner, "gold", with_comparator)))
        .collect();
    (misses, false_hits)
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

fn pairs_of(preds: &[Item], golds: &[Item], pairs: &[(usize, usize)]) -> Vec<Pair> {
    pairs
        .iter()
        .map(|&(p, g)| Pair {
            predicted: preds[p].id.to_owned(),
            gold: golds[g].id.to_owned(),
        })
        .collect()
}

/// Scores `ex`, extracted from `plan_text`, against `gold` for the same plan.
pub fn score(plan_text: &str, ex: &Extraction, gold: &Gold) -> ScoreReport {
    let mut locator = norm::Locator::new(plan_text);

    let pred_targets: Vec<Item> = ex
        .targets
        .iter()
        .map(|t| {
            Item {
                comparator: Some(t.comparator),
                value: decimal(t.value),
                value_max: decimal(t.value_max),
                unit: t.unit.as_deref(),
                year: t.year,
                kind: Some(t.kind),
                ..Item::new(&t.id, &t.indicator, &t.quote)
            }
            .prepared(&mut locator)
        })
        .collect();
    let gold_targets: Vec<Item> = gold
        .targets
        .iter()
        .map(|t| {
            Item {
                comparator: Some(t.comparator),
                value: t.value,
                value_max: t.value_max,
                unit: t.unit.as_deref(),
                year: t.year,
                kind: Some(t.kind),
                ..Item::new(&t.id, &t.indicator, &t.quote)
            }
            .prepared(&mut locator)
        })
        .collect();
    let pred_baselines: Vec<Item> = ex
        .baselines
        .iter()
        .map(|b| {
            Item {
                value: b.value.to_f64(),
                unit: b.unit.as_deref(),
                year: b.year,
                ..Item::new(&b.id, &b.indicator, &b.quote)
            }
            .prepared(&mut locator)
        })
        .collect();
    let gold_baselines: Vec<Item> = gold
        .baselines
        .iter()
        .map(|b| {
            Item {
                value: b.value,
                unit: b.unit.as_deref(),
                year: b.year,
                ..Item::new(&b.id, &b.indicator, &b.quote)
            }
            .prepared(&mut locator)
        })
        .collect();

    let all = |items: &[Item]| (0..items.len()).collect::<Vec<_>>();
    let not_relative = |items: &[Item]| {
        (0..items.len())
            .filter(|&i| items[i].kind != Some(TargetKind::Relative))
            .collect::<Vec<_>>()
    };

    // Targets.
    let (pt_all, gt_all) = (all(&pred_targets), all(&gold_targets));
    let target_pairs = pair(&pred_targets, &pt_all, &gold_targets, &gt_all, true);
    let lenient_pairs = pair(&pred_targets, &pt_all, &gold_targets, &gt_all, false);
    let (pt_num, gt_num) = (not_relative(&pred_targets), not_relative(&gold_targets));
    let numeric_pairs = pair(&pred_targets, &pt_num, &gold_targets, &gt_num, true);

    // Baselines.
    let (pb_all, gb_all) = (all(&pred_baselines), all(&gold_baselines));
    let baseline_pairs = pair(&pred_baselines, &pb_all, &gold_baselines, &gb_all, false);

    let similarity = |preds: &[Item], golds: &[Item], pairs: &[(usize, usize)]| {
        mean(
            pairs
                .iter()
                .map(|&(p, g)| norm::dice(&preds[p].indicator_norm, &golds[g].indicator_norm)),
        )
    };
    let share = |same: &dyn Fn(&Item, &Item) -> bool| {
        mean(target_pairs.iter().map(|&(p, g)| {
            if same(&pred_targets[p], &gold_targets[g]) {
                1.0
            } else {
                0.0
            }
        }))
    };

    let (target_misses, target_false_hits) = unpaired(&pred_targets, &gold_targets, &target_pairs, true);
    let (baseline_misses, baseline_false_hits) = unpaired(&pred_baselines, &gold_baselines, &baseline_pairs, false);

    let links = score_links(ex, gold, &target_pairs, &baseline_pairs);

    ScoreReport {
        doc: gold.doc.clone(),
        targets: Prf::new(target_pairs.len(), pred_targets.len(), gold_targets.len()),
        baselines: Prf::new(baseline_pairs.len(), pred_baselines.len(), gold_baselines.len()),
        links: links.prf,
        indicator_similarity_targets: similarity(&pred_targets, &gold_targets, &target_pairs),
        indicator_similarity_baselines: similarity(&pred_baselines, &gold_baselines, &baseline_pairs),
        targets_numeric: Prf::new(numeric_pairs.len(), pt_num.len(), gt_num.len()),
        targets_lenient: Prf::new(lenient_pairs.len(), pred_targets.len(), gold_targets.len()),
        year_accuracy: share(&|p, g| p.year == g.year),
        kind_accuracy: share(&|p, g| p.kind == g.kind),
        unlocated_target_quotes: pred_targets.iter().filter(|i| i.spans.is_empty()).count(),
        unlocated_baseline_quotes: pred_baselines.iter().filter(|i| i.spans.is_empty()).count(),
        target_pairs: pairs_of(&pred_targets, &gold_targets, &target_pairs),
        baseline_pairs: pairs_of(&pred_baselines, &gold_baselines, &baseline_pairs),
        target_misses,
        target_false_hits,
        baseline_misses,
        baseline_false_hits,
        link_misses: links.misses,
        link_false_hits: links.false_hits,
    }
}

struct LinkScore {
    prf: Prf,
    misses: Vec<LinkMiss>,
    false_hits: Vec<LinkMiss>,
}

fn score_links(
    ex: &Extraction,
    gold: &Gold,
    target_pairs: &[(usize, usize)],
    baseline_pairs: &[(usize, usize)],
) -> LinkScore {
    let target_to_gold: HashMap<usize, usize> = target_pairs.iter().copied().collect();
    let target_from_gold: HashMap<usize, usize> = target_pairs.iter().map(|&(p, g)| (g, p)).collect();
    let baseline_to_gold: HashMap<usize, usize> = baseline_pairs.iter().copied().collect();
    let baseline_from_gold: HashMap<usize, usize> = baseline_pairs.iter().map(|&(p, g)| (g, p)).collect();

    let mut pred_target_by_id: HashMap<&str, usize> = HashMap::new();
    for (i, t) in ex.targets.iter().enumerate() {
        pred_target_by_id.entry(t.id.as_str()).or_insert(i);
    }
    let gold_target_by_id: HashMap<&str, usize> = gold
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();

    // Gold links as (gold baseline index, gold target index), in gold order.
    let mut gold_links: Vec<(usize, usize)> = Vec::new();
    for (b, base) in gold.baselines.iter().enumerate() {
        for id in &base.target_ids {
            if let Some(&t) = gold_target_by_id.get(id.as_str()) {
                if !gold_links.contains(&(b, t)) {
                    gold_links.push((b, t));
                }
            }
        }
    }
    let gold_set: HashSet<(usize, usize)> = gold_links.iter().copied().collect();

    // Predicted links as (predicted baseline index, predicted target index).
    let mut predicted = 0usize;
    let mut hit: HashSet<(usize, usize)> = HashSet::new();
    let mut false_hits = Vec::new();
    for (b, base) in ex.baselines.iter().enumerate() {
        let mut seen = HashSet::new();
        for id in &base.target_ids {
            if !seen.insert(id.as_str()) {
                continue;
            }
            predicted += 1;
            let target = pred_target_by_id.get(id.as_str()).copied();
            let mapped = baseline_to_gold
                .get(&b)
                .zip(target.and_then(|t| target_to_gold.get(&t)));
            let reason = match (baseline_to_gold.get(&b), target, mapped) {
                (_, _, Some((&gb, &gt))) if gold_set.contains(&(gb, gt)) => {
                    hit.insert((gb, gt));
                    continue;
                }
                (_, _, Some((&gb, &gt))) => format!(
                    "maps to gold {} → {}, which is not a gold link",
                    gold.baselines[gb].id, gold.targets[gt].id
                ),
                (None, _, _) => "the baseline matches no gold baseline".to_owned(),
                (_, None, _) => "no predicted target has this id".to_owned(),
                (_, Some(_), None) => "the target matches no gold target".to_owned(),
            };
            false_hits.push(LinkMiss {
                baseline_id: base.id.clone(),
                baseline_indicator: base.indicator.clone(),
                target_id: id.clone(),
                target_indicator: target.map(|t| ex.targets[t].indicator.clone()).unwrap_or_default(),
                reason,
            });
        }
    }

    let misses = gold_links
        .iter()
        .filter(|l| !hit.contains(l))
        .map(|&(gb, gt)| {
            let pb = baseline_from_gold.get(&gb);
            let pt = target_from_gold.get(&gt);
            let reason = match (pb, pt) {
                (None, _) => "the gold baseline matches no prediction".to_owned(),
                (_, None) => "the gold target matches no prediction".to_owned(),
                (Some(&pb), Some(&pt)) => format!(
                    "matched by predicted {} and {}, which the prediction does not link",
                    ex.baselines[pb].id, ex.targets[pt].id
                ),
            };
            LinkMiss {
                baseline_id: gold.baselines[gb].id.clone(),
                baseline_indicator: gold.baselines[gb].indicator.clone(),
                target_id: gold.targets[gt].id.clone(),
                target_indicator: gold.targets[gt].indicator.clone(),
                reason,
            }
        })
        .collect();

    LinkScore {
        prf: Prf::new(hit.len(), predicted, gold_links.len()),
        misses,
        false_hits,
    }
}
