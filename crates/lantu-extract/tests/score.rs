//! Scoring against gold (data/gold/README.md, "Scoring a program's output").

use lantu_core::{Comparator, Measure, TargetKind};
use lantu_extract::score::{score, Gold, ScoreError, ScoreReport};
use lantu_extract::{Baseline, Extraction, Span, Target};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

const PLAN: &str = "jinnan-14th-five-year-plan";

fn plan() -> String {
    let path = format!("{}/../../data/plans/{PLAN}.txt", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn gold() -> Gold {
    let path = format!("{}/../../data/gold/{PLAN}.gold.json", env!("CARGO_MANIFEST_DIR"));
    Gold::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn dec(v: Option<f64>) -> Option<Decimal> {
    v.map(|v| Decimal::from_f64(v).expect("finite value"))
}

/// Character span of the first occurrence of `quote` in `text` (empty span
/// at 0 when absent).
fn span_of(text: &str, quote: &str) -> Span {
    match text.find(quote) {
        Some(byte) => {
            let start = text[..byte].chars().count();
            Span {
                start,
                end: start + quote.chars().count(),
            }
        }
        None => Span { start: 0, end: 0 },
    }
}

/// The gold, as an extraction would give it.
fn gold_as_extraction(text: &str, gold: &Gold) -> Extraction {
    Extraction {
        plan: Default::default(),
        genre: Default::default(),
        outline: Vec::new(),
        targets: gold
            .targets
            .iter()
            .map(|t| Target {
                id: t.id.clone(),
                indicator: t.indicator.clone(),
                comparator: t.comparator,
                value: dec(t.value),
                value_max: dec(t.value_max),
                unit: t.unit.clone(),
                year: t.year,
                quote: t.quote.clone(),
                kind: t.kind,
                measure: Measure::Level,
                attribute: None,
                span: span_of(text, &t.quote),
                node: None,
            })
            .collect(),
        baselines: gold
            .baselines
            .iter()
            .map(|b| Baseline {
                id: b.id.clone(),
                indicator: b.indicator.clone(),
                value: dec(b.value).expect("every gold baseline has a value"),
                unit: b.unit.clone(),
                year: b.year,
                quote: b.quote.clone(),
                span: span_of(text, &b.quote),
                node: None,
                target_ids: b.target_ids.clone(),
            })
            .collect(),
        projects: Vec::new(),
    }
}

/// A prediction copying gold target `id`, to be altered by the test.
fn target_like(text: &str, gold: &Gold, id: &str) -> Target {
    let ex = gold_as_extraction(text, gold);
    let mut t = ex
        .targets
        .into_iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("gold has no target {id}"));
    t.id = format!("p-{id}");
    t
}

fn only_targets(targets: Vec<Target>) -> Extraction {
    Extraction {
        targets,
        ..Extraction::default()
    }
}

fn matched_gold_ids(r: &ScoreReport) -> Vec<&str> {
    r.target_pairs.iter().map(|p| p.gold.as_str()).collect()
}

#[test]
fn gold_has_the_documented_counts() {
    let g = gold();
    assert_eq!(g.doc, format!("{PLAN}.txt"));
    assert_eq!(g.targets.len(), 68);
    assert_eq!(g.baselines.len(), 109);
    let links: usize = g.baselines.iter().map(|b| b.target_ids.len()).sum();
    assert_eq!(links, 10);
    assert_eq!(g.targets.iter().filter(|t| t.kind == TargetKind::Relative).count(), 10);
}

#[test]
fn gold_against_itself_is_perfect() {
    let text = plan();
    let g = gold();
    let ex = gold_as_extraction(&text, &g);
    let r = score(&text, &ex, &g);
    for (name, prf) in [
        ("targets", r.targets),
        ("baselines", r.baselines),
        ("links", r.links),
        ("targets_numeric", r.targets_numeric),
        ("targets_lenient", r.targets_lenient),
    ] {
        assert_eq!(
            (prf.precision, prf.recall, prf.f1),
            (1.0, 1.0, 1.0),
            "{name}: {prf:?}\n{r}"
        );
    }
    assert_eq!(r.targets.matched, 68);
    assert_eq!(r.baselines.matched, 109);
    assert_eq!(r.links.matched, 10);
    assert_eq!(r.targets_numeric.gold, 58);
    assert_eq!(r.indicator_similarity_targets, 1.0);
    assert_eq!(r.indicator_similarity_baselines, 1.0);
    assert_eq!(r.year_accuracy, 1.0);
    assert_eq!(r.kind_accuracy, 1.0);
    assert_eq!(r.unlocated_target_quotes + r.unlocated_baseline_quotes, 0);
    assert!(r.target_misses.is_empty() && r.target_false_hits.is_empty());
    assert!(r.baseline_misses.is_empty() && r.baseline_false_hits.is_empty());
    assert!(r.link_misses.is_empty() && r.link_false_hits.is_empty());
    // Targets sharing a quote (t006/t007, t002/t003) pair with their own
    // gold by indicator similarity.
    assert!(r.target_pairs.iter().all(|p| p.predicted == p.gold));
    assert!(r.baseline_pairs.iter().all(|p| p.predicted == p.gold));
}

#[test]
fn magnitude_prefix_is_folded_into_the_value() {
    let text = plan();
    let g = gold();
    // Gold t009: 45 万吨/日.
    let mut base = target_like(&text, &g, "t009");
    base.value = Some(Decimal::from(450_000));
    base.unit = Some("吨/日".into());
    let mut spaced = target_like(&text, &g, "t009");
    spaced.unit = Some("万吨 / 日".into());
    for t in [base, spaced] {
        let unit = t.unit.clone();
        let r = score(&text, &only_targets(vec![t]), &g);
        assert_eq!(matched_gold_ids(&r), ["t009"], "unit {unit:?}\n{r}");
    }
    // 4.5 万吨/日 is not 45 万吨/日.
    let mut wrong = target_like(&text, &g, "t009");
    wrong.value = Some(Decimal::new(45, 1));
    let r = score(&text, &only_targets(vec![wrong]), &g);
    assert_eq!(r.targets.matched, 0);
    assert!(r.target_false_hits[0].reason.contains("value"), "{r}");
}

#[test]
fn a_unit_that_is_only_a_magnitude_becomes_null() {
    let plan = "新增市场主体 6 万户,新增就业 2 万。";
    let g = Gold::from_json(
        r#"{"doc": "x.txt", "targets": [
            {"id": "t1", "indicator": "新增市场主体", "comparator": "=", "value": 60000,
             "unit": "户", "year": null, "quote": "新增市场主体 6 万户,新增就业 2 万。", "kind": "numeric"},
            {"id": "t2", "indicator": "新增就业", "comparator": "=", "value": 20000,
             "unit": null, "year": null, "quote": "新增市场主体 6 万户,新增就业 2 万。", "kind": "numeric"}
        ], "baselines": []}"#,
    )
    .unwrap();
    let t = |id: &str, indicator: &str, unit: &str, v: i64| Target {
        id: id.into(),
        indicator: indicator.into(),
        comparator: Comparator::Exact,
        value: Some(Decimal::from(v)),
        value_max: None,
        unit: Some(unit.into()),
        year: None,
        quote: "新增就业 2 万".into(),
        kind: TargetKind::Numeric,
        measure: Measure::Cumulative,
        attribute: None,
        span: Span { start: 0, end: 0 },
        node: None,
    };
    let ex = only_targets(vec![t("p1", "新增市场主体", "万户", 6), t("p2", "新增就业", "万", 2)]);
    let r = score(plan, &ex, &g);
    assert_eq!(r.targets.matched, 2, "{r}");
}

/// A one-target gold over `plan`, quoting the whole plan.
fn one_target_gold(plan: &str, value: f64, unit: Option<&str>, kind: &str) -> Gold {
    let unit = unit.map_or("null".to_owned(), |u| format!("\"{u}\""));
    Gold::from_json(&format!(
        r#"{{"doc": "x.txt", "targets": [
            {{"id": "t1", "indicator": "x", "comparator": ">=", "value": {value},
             "unit": {unit}, "year": null, "quote": "{plan}", "kind": "{kind}"}}
        ], "baselines": []}}"#
    ))
    .unwrap()
}

fn predicted(plan: &str, value: Decimal, unit: Option<&str>, kind: TargetKind) -> Target {
    Target {
        id: "p1".into(),
        indicator: "x".into(),
        comparator: Comparator::AtLeast,
        value: Some(value),
        value_max: None,
        unit: unit.map(str::to_owned),
        year: None,
        quote: plan.into(),
        kind,
        measure: Measure::Level,
        attribute: None,
        span: Span { start: 0, end: 0 },
        node: None,
    }
}

#[test]
fn magnitude_prefixes_fold_repeatedly() {
    // 1000 万千瓦 ≡ 1e10 瓦 ≡ 1e7 千瓦 (data/gold/README.md).
    let plan = "可再生能源装机达到 1000 万千瓦。";
    let g = one_target_gold(plan, 1e7, Some("千瓦"), "numeric");
    for (v, u) in [
        (Decimal::from(1000), "万千瓦"),
        (Decimal::from(10_000_000_000i64), "瓦"),
    ] {
        let r = score(
            plan,
            &only_targets(vec![predicted(plan, v, Some(u), TargetKind::Numeric)]),
            &g,
        );
        assert_eq!(r.targets.matched, 1, "{v} {u}\n{r}");
    }
    let r = score(
        plan,
        &only_targets(vec![predicted(
            plan,
            Decimal::from(1000),
            Some("千瓦"),
            TargetKind::Numeric,
        )]),
        &g,
    );
    assert_eq!(r.targets.matched, 0, "{r}");
}

#[test]
fn a_ratio_matches_in_either_orientation() {
    let plan = "城乡用地比例调整为 1:9。";
    let g = one_target_gold(plan, 9.0, None, "ratio");
    for v in [Decimal::from(9), Decimal::ONE / Decimal::from(9)] {
        let r = score(
            plan,
            &only_targets(vec![predicted(plan, v, None, TargetKind::Ratio)]),
            &g,
        );
        assert_eq!(r.targets.matched, 1, "{v}\n{r}");
    }
    // Not for other kinds: 1/9 家 is not 9 家.
    let g = one_target_gold(plan, 9.0, Some("家"), "numeric");
    let v = Decimal::ONE / Decimal::from(9);
    let r = score(
        plan,
        &only_targets(vec![predicted(plan, v, Some("家"), TargetKind::Numeric)]),
        &g,
    );
    assert_eq!(r.targets.matched, 0, "{r}");
}

#[test]
fn full_width_and_spelled_out_percent_are_percent() {
    let text = plan();
    let g = gold();
    // Gold t001: 25 %.
    for unit in ["％", "百分之", " % "] {
        let mut t = target_like(&text, &g, "t001");
        t.unit = Some(unit.into());
        t.quote = "森林覆盖率达到２５％".into(); // full-width digits too
        let r = score(&text, &only_targets(vec![t]), &g);
        assert_eq!(matched_gold_ids(&r), ["t001"], "unit {unit}\n{r}");
    }
}

#[test]
fn a_clause_quote_overlapping_the_sentence_matches() {
    let text = plan();
    let g = gold();
    // t002 (15 平方米) and t003 (18 %) share one sentence.
    let mut t = target_like(&text, &g, "t003");
    t.quote = "全区森林覆盖率达到 18%".into();
    t.indicator = "森林覆盖率".into();
    let r = score(&text, &only_targets(vec![t]), &g);
    assert_eq!(matched_gold_ids(&r), ["t003"], "{r}");
    assert!(r.indicator_similarity_targets < 1.0);
}

#[test]
fn a_quote_not_in_the_plan_matches_nothing() {
    let text = plan();
    let g = gold();
    let mut t = target_like(&text, &g, "t001");
    t.quote = "到 2025 年,实现月球森林覆盖率达到25% 的发展目标。".into();
    let r = score(&text, &only_targets(vec![t]), &g);
    assert_eq!(r.targets.matched, 0);
    assert_eq!(r.targets_lenient.matched, 0);
    assert_eq!(r.unlocated_target_quotes, 1);
    assert_eq!(r.target_false_hits.len(), 1);
    assert!(r.target_false_hits[0].reason.contains("not found"), "{r}");
    assert_eq!(r.target_misses.len(), 68);
}

#[test]
fn a_wrong_comparator_fails_strict_but_passes_lenient() {
    let text = plan();
    let g = gold();
    let mut t = target_like(&text, &g, "t001");
    t.comparator = Comparator::AtMost;
    let r = score(&text, &only_targets(vec![t]), &g);
    assert_eq!(r.targets.matched, 0);
    assert_eq!(r.targets_lenient.matched, 1);
    assert_eq!(r.targets_lenient.precision, 1.0);
    let hit = &r.target_false_hits[0];
    assert!(hit.reason.contains("t001") && hit.reason.contains("comparator"), "{r}");
}

#[test]
fn pairing_is_one_to_one() {
    let text = plan();
    let g = gold();
    let twice = vec![target_like(&text, &g, "t001"), target_like(&text, &g, "t001")];
    let r = score(&text, &only_targets(twice), &g);
    assert_eq!((r.targets.matched, r.targets.predicted), (1, 2));
    assert_eq!(r.targets.precision, 0.5);
    assert_eq!(r.target_false_hits.len(), 1);
    assert!(r.target_false_hits[0].reason.contains("paired with"), "{r}");
}

#[test]
fn ties_are_broken_by_indicator_similarity() {
    let text = plan();
    let g = gold();
    // t006 and t007 share a quote, value 100 % and comparator: each
    // prediction fits both, and goes to the one with its indicator.
    let r = score(
        &text,
        &only_targets(vec![target_like(&text, &g, "t007"), target_like(&text, &g, "t006")]),
        &g,
    );
    let mut pairs: Vec<_> = r
        .target_pairs
        .iter()
        .map(|p| (p.predicted.as_str(), p.gold.as_str()))
        .collect();
    pairs.sort();
    assert_eq!(pairs, [("p-t006", "t006"), ("p-t007", "t007")]);
    assert_eq!(r.indicator_similarity_targets, 1.0);
}

#[test]
fn matching_is_maximum_not_greedy() {
    // P1 overlaps G1 and G2 and is named like G1; P2 overlaps only G1.
    // Greedy pairing by similarity would give P1–G1 and leave P2 alone.
    let plan = "甲乙丙丁。";
    let g = Gold::from_json(
        r#"{"doc": "x.txt", "targets": [
            {"id": "g1", "indicator": "甲", "comparator": "=", "value": 1, "unit": "个",
             "year": null, "quote": "甲乙", "kind": "numeric"},
            {"id": "g2", "indicator": "丁", "comparator": "=", "value": 1, "unit": "个",
             "year": null, "quote": "乙丙丁", "kind": "numeric"}
        ]}"#,
    )
    .unwrap();
    let t = |id: &str, indicator: &str, quote: &str| Target {
        id: id.into(),
        indicator: indicator.into(),
        comparator: Comparator::Exact,
        value: Some(Decimal::ONE),
        value_max: None,
        unit: Some("个".into()),
        year: None,
        quote: quote.into(),
        kind: TargetKind::Numeric,
        measure: Measure::Cumulative,
        attribute: None,
        span: Span { start: 0, end: 0 },
        node: None,
    };
    let ex = only_targets(vec![t("p1", "甲", "乙"), t("p2", "乙", "甲")]);
    let r = score(plan, &ex, &g);
    assert_eq!(r.targets.matched, 2, "{r}");
}

#[test]
fn numeric_subset_leaves_out_relative_targets() {
    let text = plan();
    let g = gold();
    let mut ex = gold_as_extraction(&text, &g);
    ex.targets.retain(|t| t.kind != TargetKind::Relative);
    let r = score(&text, &ex, &g);
    assert_eq!((r.targets_numeric.matched, r.targets_numeric.gold), (58, 58));
    assert_eq!(r.targets_numeric.f1, 1.0);
    assert_eq!(r.targets.recall, 58.0 / 68.0);
    assert_eq!(r.target_misses.len(), 10);
}

#[test]
fn links_go_through_both_matchings() {
    let text = plan();
    let g = gold();
    let mut ex = gold_as_extraction(&text, &g);
    // b017 → t046 is dropped; b020 → t040 is redirected to t001;
    // b023 → an id no prediction has.
    let find = |ex: &Extraction, id: &str| ex.baselines.iter().position(|b| b.id == id).unwrap();
    let b017 = find(&ex, "b017");
    ex.baselines[b017].target_ids.clear();
    let b020 = find(&ex, "b020");
    ex.baselines[b020].target_ids = vec!["t001".into()];
    let b023 = find(&ex, "b023");
    ex.baselines[b023].target_ids.push("nope".into());
    let r = score(&text, &ex, &g);
    assert_eq!((r.links.matched, r.links.predicted, r.links.gold), (8, 10, 10), "{r}");
    let missed: Vec<_> = r.link_misses.iter().map(|l| (&*l.baseline_id, &*l.target_id)).collect();
    assert_eq!(missed, [("b017", "t046"), ("b020", "t040")]);
    let false_hits: Vec<_> = r
        .link_false_hits
        .iter()
        .map(|l| (&*l.baseline_id, &*l.target_id))
        .collect();
    assert_eq!(false_hits, [("b020", "t001"), ("b023", "nope")]);

    // A link whose target is not matched is not correct.
    let mut ex = gold_as_extraction(&text, &g);
    ex.targets.retain(|t| t.id != "t046");
    let r = score(&text, &ex, &g);
    assert_eq!((r.links.matched, r.links.predicted), (9, 10));
    assert!(r.link_false_hits[0].reason.contains("no predicted target"), "{r}");
}

#[test]
fn report_is_readable_and_serialisable() {
    let text = plan();
    let g = gold();
    let mut ex = gold_as_extraction(&text, &g);
    ex.targets.retain(|t| t.id != "t008" && t.id != "t014");
    let r = score(&text, &ex, &g);
    let shown = r.to_string();
    assert!(shown.contains("targets"), "{shown}");
    assert!(shown.contains("links"), "{shown}");
    assert!(shown.contains("Target misses (2):"), "{shown}");
    assert!(shown.contains("t008  PM2.5年均浓度  <= 43 微克/立方米"), "{shown}");
    // t014's quote is 81 characters: shown shortened.
    assert!(shown.contains("t014  特色小城镇  = 5 个"), "{shown}");
    assert!(shown.contains("…」"), "long quotes are shortened: {shown}");
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["targets"]["matched"], 66);
    assert_eq!(json["target_misses"][0]["comparator"], "<=");
}

#[test]
fn gold_errors_say_what_is_wrong() {
    let err = Gold::from_json("{\"doc\": 1}").unwrap_err();
    assert!(matches!(err, ScoreError::Json(_)));
    assert!(err.to_string().contains("line 1"), "{err}");

    let dup = r#"{"doc": "x", "targets": [
        {"id": "t1", "indicator": "a", "comparator": "=", "value": 1, "quote": "q", "kind": "numeric"},
        {"id": "t1", "indicator": "b", "comparator": "=", "value": 2, "quote": "q", "kind": "numeric"}
    ]}"#;
    let err = Gold::from_json(dup).unwrap_err();
    assert_eq!(err.to_string(), "gold has two targets with id `t1`");

    let dangling = r#"{"doc": "x", "targets": [], "baselines": [
        {"id": "b1", "indicator": "a", "value": 1, "quote": "q", "target_ids": ["t9"]}
    ]}"#;
    let err = Gold::from_json(dangling).unwrap_err();
    assert!(matches!(err, ScoreError::UnknownLinkTarget { .. }));
    assert!(
        err.to_string().contains("b1") && err.to_string().contains("t9"),
        "{err}"
    );

    let bad_comparator = r#"{"doc": "x", "targets": [
        {"id": "t1", "indicator": "a", "comparator": "~", "value": 1, "quote": "q", "kind": "numeric"}
    ]}"#;
    assert!(matches!(Gold::from_json(bad_comparator), Err(ScoreError::Json(_))));
}
