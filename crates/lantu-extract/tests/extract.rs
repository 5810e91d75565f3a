//! Extraction of a plan written in the style of other cities' plans: a table
//! of contents, a review section, a flattened indicator table, and targets in
//! the forms plans use (年均增长……以上, 由……提高到, 累计下降, 控制在……以内,
//! 保持在……以上, 翻一番, 不少于, per-unit norms, 确保……力争……左右).

use lantu_core::{Attribute, Comparator, Measure};
use lantu_extract::{extract, Extraction, Target};
use rust_decimal::Decimal;

const PLAN: &str = include_str!("data/synthetic-city-plan.txt");

fn find<'a>(ex: &'a Extraction, indicator_part: &str, value: i64) -> &'a Target {
    ex.targets
        .iter()
        .find(|t| t.indicator.contains(indicator_part) && t.value.map(|v| v.round()) == Some(Decimal::from(value)))
        .unwrap_or_else(|| {
            panic!(
                "no target {indicator_part} = {value} in {:#?}",
                ex.targets.iter().map(|t| (&t.indicator, t.value)).collect::<Vec<_>>()
            )
        })
}

#[test]
fn reads_every_form() {
    let ex = extract(PLAN);
    let t = find(&ex, "地区生产总值年均增长", 7);
    assert_eq!(
        (t.comparator, t.measure, t.year),
        (Comparator::AtLeast, Measure::AnnualGrowth, Some(2025))
    );
    let t = find(&ex, "一般公共预算收入", 11_000_000_000);
    assert_eq!(t.comparator, Comparator::AtLeast);
    let t = find(&ex, "能源消耗", 14);
    assert_eq!(
        (t.comparator, t.measure, t.value),
        (Comparator::AtLeast, Measure::Reduction, Some(Decimal::new(135, 1)))
    );
    let t = find(&ex, "失业率", 6);
    assert_eq!(t.comparator, Comparator::AtMost);
    let t = find(&ex, "常住人口", 3_000_000);
    assert_eq!(t.comparator, Comparator::AtLeast);
    let t = find(&ex, "可支配收入", 2);
    assert_eq!((t.comparator, t.unit.as_deref()), (Comparator::AtLeast, Some("倍")));
    let t = find(&ex, "综合养老服务中心", 1);
    assert_eq!(t.comparator, Comparator::AtLeast);
    let t = find(&ex, "中小学", 20);
    assert_eq!(t.comparator, Comparator::AtLeast);
    let t = find(&ex, "公办学位", 20_000);
    assert_eq!(t.comparator, Comparator::AtLeast);
    let t = find(&ex, "公办学位", 25_000);
    assert_eq!(t.comparator, Comparator::Approx);
    // 三条控制线 is a slogan, the table of contents yields nothing.
    assert!(!ex.targets.iter().any(|t| t.indicator.contains("控制线")));
    assert!(ex.targets.iter().all(|t| !t.quote.contains("……")));
}

#[test]
fn reads_the_indicator_table() {
    let ex = extract(PLAN);
    let t = ex
        .targets
        .iter()
        .find(|t| t.indicator == "森林覆盖率")
        .expect("森林覆盖率 row");
    assert_eq!(
        (t.value, t.attribute, t.year),
        (Some(Decimal::new(245, 1)), Some(Attribute::Binding), Some(2025))
    );
    let b = ex
        .baselines
        .iter()
        .find(|b| b.indicator == "森林覆盖率")
        .expect("森林覆盖率 baseline");
    assert_eq!(
        (b.value, b.year, b.target_ids.clone()),
        (Decimal::new(241, 1), Some(2020), vec![t.id.clone()])
    );
    let pm = ex
        .targets
        .iter()
        .find(|t| t.indicator.contains("PM2.5"))
        .expect("PM2.5 row");
    assert_eq!((pm.comparator, pm.measure), (Comparator::AtMost, Measure::Level));
    let g = ex
        .targets
        .iter()
        .find(|t| t.indicator == "地区生产总值年均增长")
        .expect("growth row");
    assert_eq!((g.comparator, g.measure), (Comparator::Approx, Measure::AnnualGrowth));
}

#[test]
fn review_figures_are_baselines_linked_to_targets() {
    let ex = extract(PLAN);
    let hi = ex
        .baselines
        .iter()
        .find(|b| b.indicator.contains("国家高新技术企业"))
        .expect("baseline 350 家");
    assert_eq!(hi.value, Decimal::from(350));
    let t = find(&ex, "国家高新技术企业", 500);
    assert_eq!(hi.target_ids, vec![t.id.clone()]);
    // 由 2020 年的 80 亿元 is where the indicator stands.
    assert!(ex
        .baselines
        .iter()
        .any(|b| b.value == Decimal::from(8_000_000_000i64) && b.year == Some(2020)));
    assert!(!ex
        .targets
        .iter()
        .any(|t| t.value == Some(Decimal::from(1200_0000_0000i64))));
}

#[test]
fn quotes_and_spans_point_into_the_text() {
    let ex = extract(PLAN);
    let chars: Vec<char> = PLAN.chars().collect();
    for t in &ex.targets {
        let s: String = chars[t.span.start..t.span.end].iter().collect();
        assert_eq!(s.trim(), t.quote, "{}", t.id);
        assert!(t.node.is_some(), "{} has no outline node", t.id);
    }
}
