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

const PLAN2: &str = include_str!("data/synthetic-city-plan-2.txt");

#[test]
fn second_plan_lists_bounds_and_aliases() {
    let ex = extract(PLAN2);
    // 分别降低 14% 和 18%: one reduction target for each item of the list.
    let e = find(&ex, "能源消耗", 14);
    let c = find(&ex, "二氧化碳", 18);
    assert_eq!((e.measure, c.measure), (Measure::Reduction, Measure::Reduction));
    // 3 岁以下 is part of the name, not a figure.
    assert!(!ex
        .targets
        .iter()
        .any(|t| t.unit.as_deref() == Some("岁") && t.value == Some(Decimal::from(3))));
    assert!(ex
        .targets
        .iter()
        .any(|t| t.indicator.contains("3岁以下婴幼儿托位数") && t.value == Some(Decimal::new(45, 1))));
    // 突破 3000 亿元 after a growth figure names the level.
    let gdp = find(&ex, "地区生产总值", 300_000_000_000);
    assert!(!gdp.indicator.contains("增长"), "{}", gdp.indicator);
    // A removal rate of black-and-odorous water is higher-is-better.
    assert_eq!(find(&ex, "黑臭水体消除比例", 100).comparator, Comparator::AtLeast);
    // Per-capita GDP is not GDP; PM2.5 has two names.
    let total = ex
        .baselines
        .iter()
        .find(|b| b.indicator == "地区生产总值")
        .expect("GDP baseline");
    let per_capita = find(&ex, "人均地区生产总值", 120_000);
    assert!(!total.target_ids.contains(&per_capita.id));
    let pm = ex
        .baselines
        .iter()
        .find(|b| b.indicator.contains("PM2.5"))
        .expect("PM2.5 baseline");
    assert_eq!(pm.target_ids, vec![find(&ex, "PM2.5", 35).id.clone()]);
    // 〔14〕 on a 降低 row of the table is a reduction over the period.
    let row = ex
        .targets
        .iter()
        .find(|t| t.attribute == Some(Attribute::Binding) && t.indicator.contains("能源消耗"))
        .unwrap();
    assert_eq!(row.measure, Measure::Reduction);
    assert_eq!(ex.plan.vision_year, Some(2035));
}

/// A sentence, how many targets it gives, and its baselines as (value, year).
type TimeCase<'a> = (&'a str, usize, &'a [(i64, i32)]);

/// Where a sentence stands in time, from its own wording, outside any review
/// section.
#[test]
fn achieved_or_committed_from_the_wording() {
    let cases: &[TimeCase] = &[
        // A sentence opening with a year before the plan reports a result.
        ("2020年，科技型中小企业入库数量达到1.82万家。", 0, &[(18_200, 2020)]),
        ("到2025年，科技型中小企业入库数量达到3万家。", 1, &[]),
        // 以来: what the last years achieved.
        ("“十三五”以来，新建城市公园12个。", 0, &[(12, 2020)]),
        // The issuing line of the document is no target.
        ("湖北省文化和旅游厅办公室 2021年10月27日印发", 0, &[]),
    ];
    for (body, targets, baselines) in cases {
        let text = format!("某市“十四五”规划\n第一章 发展目标\n{body}\n");
        let ex = extract(&text);
        assert_eq!(ex.targets.len(), *targets, "{body}: {:?}", ex.targets);
        let got: Vec<(Decimal, Option<i32>)> = ex.baselines.iter().map(|b| (b.value, b.year)).collect();
        let want: Vec<(Decimal, Option<i32>)> = baselines.iter().map(|(v, y)| (Decimal::from(*v), Some(*y))).collect();
        assert_eq!(got, want, "{body}");
    }
}
