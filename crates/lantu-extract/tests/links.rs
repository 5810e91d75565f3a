//! Which baseline measures the same quantity as which target: each case is
//! a pair of names with units and whether they are linked.

use lantu_core::{Comparator, Measure, TargetKind};
use lantu_extract::links::similarity;
use lantu_extract::{Baseline, Span, Target};
use rust_decimal::Decimal;

fn baseline(indicator: &str, unit: Option<&str>) -> Baseline {
    Baseline {
        id: "b1".into(),
        indicator: indicator.into(),
        value: Decimal::ONE,
        unit: unit.map(str::to_owned),
        year: Some(2025),
        quote: String::new(),
        span: Span { start: 0, end: 0 },
        node: None,
        target_ids: Vec::new(),
    }
}

fn target(indicator: &str, unit: Option<&str>, kind: TargetKind) -> Target {
    Target {
        id: "t1".into(),
        indicator: indicator.into(),
        comparator: Comparator::AtLeast,
        value: (kind != TargetKind::Relative).then_some(Decimal::ONE),
        value_max: None,
        unit: unit.map(str::to_owned),
        year: Some(2030),
        quote: String::new(),
        kind,
        measure: Measure::Level,
        attribute: None,
        span: Span { start: 0, end: 0 },
        node: None,
    }
}

/// Baseline name and unit, target name, unit and kind, and whether linked.
type Case<'a> = (&'a str, Option<&'a str>, &'a str, Option<&'a str>, TargetKind, bool);

#[test]
fn linked_or_not() {
    use TargetKind::{Numeric, Relative};
    let cases: &[Case] = &[
        // The same quantity under a standard alias.
        (
            "地区生产总值年均增速",
            Some("%"),
            "地区生产总值（GDP）年均增长率",
            Some("%"),
            Numeric,
            true,
        ),
        ("森林覆盖率", Some("%"), "森林覆盖率", Some("%"), Numeric, true),
        // Two shares of one whole, of different parts.
        (
            "数字经济核心产业增加值占地区生产总值比重",
            Some("%"),
            "文化产业增加值占GDP比重",
            Some("%"),
            Numeric,
            false,
        ),
        // A level is not its growth.
        (
            "全体居民人均可支配收入",
            Some("元"),
            "居民人均可支配收入增长",
            None,
            Relative,
            false,
        ),
        // Items of a joint row, each to its own.
        (
            "生产安全事故起数下降",
            Some("%"),
            "生产安全事故起数下降",
            Some("%"),
            Numeric,
            true,
        ),
        (
            "生产安全事故起数下降",
            Some("%"),
            "死亡人数下降",
            Some("%"),
            Numeric,
            false,
        ),
    ];
    for (b, bu, t, tu, kind, linked) in cases {
        let s = similarity(&baseline(b, *bu), &target(t, *tu, *kind));
        assert_eq!(s >= 0.75, *linked, "{b} → {t}: {s}");
    }
}
