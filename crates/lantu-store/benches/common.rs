//! Shared by the benchmarks: a plan of `n` indicators and the database to
//! run on (`LANTU_BENCH_DATABASE_URL`, default a new SQLite file).

#![allow(dead_code)]

use lantu_core::plan::{
    BaselineDoc, DepartmentDoc, Frequency, IndicatorDoc, PlanDoc, PlanLevel, PlanMeta, PlanSettings, PlanState, Source,
    TargetDoc,
};
use lantu_core::{Attribute, Comparator, Direction, Measure, TargetKind};
use rust_decimal::Decimal;

/// `cargo bench` passes `--bench`; `cargo test --all-targets` does not.
pub fn full_size() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Indicators of every measure, with baselines in 2020.
pub fn plan(n: usize) -> PlanDoc {
    let indicators = (0..n)
        .map(|i| {
            let (measure, comparator, value, direction) = match i % 4 {
                0 => (
                    Measure::Level,
                    Comparator::AtLeast,
                    Decimal::from(150),
                    Direction::HigherIsBetter,
                ),
                1 => (
                    Measure::Level,
                    Comparator::AtMost,
                    Decimal::from(60),
                    Direction::LowerIsBetter,
                ),
                2 => (
                    Measure::AnnualGrowth,
                    Comparator::AtLeast,
                    Decimal::from(6),
                    Direction::HigherIsBetter,
                ),
                _ => (
                    Measure::Cumulative,
                    Comparator::AtLeast,
                    Decimal::from(5000),
                    Direction::HigherIsBetter,
                ),
            };
            IndicatorDoc {
                code: format!("i{i:04}"),
                name: format!("指标{i}"),
                unit: Some("万元".into()),
                category: Some(format!("类别{}", i % 5)),
                attribute: if i % 3 == 0 {
                    Attribute::Binding
                } else {
                    Attribute::Expected
                },
                measure,
                direction,
                departments: vec![format!("d{}", i % 10)],
                co_departments: vec![],
                data_source: None,
                frequency: Frequency::Monthly,
                target: TargetDoc {
                    comparator,
                    value: Some(value),
                    value_max: None,
                    year: 2025,
                    kind: TargetKind::Numeric,
                    reason: None,
                },
                baseline: Some(BaselineDoc {
                    value: Decimal::from(100),
                    year: 2020,
                }),
                source: Source {
                    node: Some(format!("c{}.s1", i % 8 + 1)),
                    quote: None,
                    span: None,
                },
                rules: Default::default(),
            }
        })
        .collect();
    PlanDoc {
        plan: PlanMeta {
            id: None,
            name: "基准测试规划".into(),
            region: "某区".into(),
            level: PlanLevel::District,
            kind: lantu_core::plan::PlanKind::Master,
            issuer: None,
            issued_on: None,
            start_year: 2021,
            end_year: 2025,
            vision_year: None,
            parent: None,
            state: PlanState::Adopted,
            source: None,
        },
        settings: PlanSettings::default(),
        outline: Vec::new(),
        departments: (0..10)
            .map(|d| DepartmentDoc {
                code: format!("d{d}"),
                name: format!("部门{d}"),
            })
            .collect(),
        indicators,
        tasks: vec![],
        projects: vec![],
        cross_rules: Vec::new(),
    }
}

/// A database URL for one benchmark run, and the file to remove after.
pub fn database(name: &str) -> (String, Option<std::path::PathBuf>) {
    match std::env::var("LANTU_BENCH_DATABASE_URL") {
        Ok(url) if !url.is_empty() => (url, None),
        _ => {
            let path = std::env::temp_dir().join(format!("lantu-bench-{name}-{}.db", std::process::id()));
            remove(&Some(path.clone()));
            (format!("sqlite://{}", path.display()), Some(path))
        }
    }
}

pub fn remove(path: &Option<std::path::PathBuf>) {
    if let Some(p) = path {
        for suffix in ["", "-wal", "-shm"] {
            let mut f = p.clone().into_os_string();
            f.push(suffix);
            let _ = std::fs::remove_file(f);
        }
    }
}
