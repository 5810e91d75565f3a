//! A hand-built snapshot: a small plan of two chapters and eight indicators
//! that between them take every status (before the target year: achieved,
//! ahead, on track, lagging — binding, with a warning —, no data, not
//! assessable; in the target year: completed, not completed), with a range
//! target, a relative target without value, a growth and a cumulative
//! target, and sample data. Assessments come from the real engine.
//!
//! Also [`big`]: a plan of about seventy indicators for the benchmark.

#![allow(dead_code)]

use lantu_core::account::Role;
use lantu_core::plan::{BaselineDoc, PlanLevel, PlanMeta, PlanState, TargetDoc};
use lantu_core::progress::{assess, Assessment, Baseline, Observation, Period, Reason, Status, TargetSpec, Tolerances};
use lantu_core::snapshot::{
    Chapter, CommentNote, DataNotes, Figure, IndicatorRow, ProjectRow, Revision, Snapshot, TaskRow,
};
use lantu_core::{Attribute, Comparator, Measure, TargetKind};
use rust_decimal::Decimal;
use std::str::FromStr;

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// One indicator before the evaluation year is applied.
pub struct Spec {
    pub code: &'static str,
    pub name: String,
    pub unit: &'static str,
    pub category: &'static str,
    pub chapter: &'static str,
    pub attribute: Attribute,
    pub measure: Measure,
    pub comparator: Comparator,
    pub kind: TargetKind,
    pub value: Option<&'static str>,
    pub value_max: Option<&'static str>,
    pub baseline: Option<&'static str>,
    pub departments: &'static [&'static str],
    /// (year, value) from 2021 on.
    pub series: Vec<(i32, String)>,
    pub source: &'static str,
}

fn plan() -> PlanMeta {
    PlanMeta {
        id: Some(1),
        name: "示范区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要".into(),
        region: "示范区".into(),
        level: PlanLevel::District,
        kind: lantu_core::plan::PlanKind::Master,
        issuer: None,
        issued_on: None,
        start_year: 2021,
        end_year: 2025,
        vision_year: Some(2035),
        parent: None,
        state: PlanState::Adopted,
        source: None,
    }
}

fn series(values: &[(i32, &str)]) -> Vec<(i32, String)> {
    values.iter().map(|(y, v)| (*y, v.to_string())).collect()
}

pub fn specs() -> Vec<Spec> {
    vec![
        Spec {
            code: "t01",
            name: "地区生产总值年均增长".into(),
            unit: "%",
            category: "经济发展",
            chapter: "c3",
            attribute: Attribute::Expected,
            measure: Measure::AnnualGrowth,
            comparator: Comparator::AtLeast,
            kind: TargetKind::Numeric,
            value: Some("6"),
            value_max: None,
            baseline: Some("1000"),
            departments: &["区发展改革委", "区统计局"],
            series: series(&[
                (2021, "1070"),
                (2022, "1130"),
                (2023, "1200"),
                (2024, "1280"),
                (2025, "1360"),
            ]),
            source: "区统计局",
        },
        Spec {
            code: "t02",
            name: "常住人口城镇化率".into(),
            unit: "%",
            category: "经济发展",
            chapter: "c3",
            attribute: Attribute::Expected,
            measure: Measure::Level,
            comparator: Comparator::AtLeast,
            kind: TargetKind::Numeric,
            value: Some("68"),
            value_max: None,
            baseline: Some("62.0"),
            departments: &["区发展改革委"],
            series: series(&[
                (2021, "63.5"),
                (2022, "65.0"),
                (2023, "66.8"),
                (2024, "67.5"),
                (2025, "68.2"),
            ]),
            source: "区统计局",
        },
        Spec {
            code: "t03",
            name: "研究与试验发展经费投入强度".into(),
            unit: "%",
            category: "创新驱动",
            chapter: "c3",
            attribute: Attribute::Expected,
            measure: Measure::Level,
            comparator: Comparator::AtLeast,
            kind: TargetKind::Numeric,
            value: Some("2.5"),
            value_max: None,
            baseline: Some("2.10"),
            departments: &["区科技局"],
            series: series(&[
                (2021, "2.3"),
                (2022, "2.45"),
                (2023, "2.6"),
                (2024, "2.7"),
                (2025, "2.8"),
            ]),
            source: "区统计局",
        },
        Spec {
            code: "t04",
            name: "每千人口医疗卫生机构床位数".into(),
            unit: "张",
            category: "民生福祉",
            chapter: "c3",
            attribute: Attribute::Expected,
            measure: Measure::Level,
            comparator: Comparator::Range,
            kind: TargetKind::Numeric,
            value: Some("6.0"),
            value_max: Some("6.5"),
            baseline: Some("5.4"),
            departments: &["区卫生健康委"],
            series: series(&[
                (2021, "5.6"),
                (2022, "5.7"),
                (2023, "5.8"),
                (2024, "5.95"),
                (2025, "6.1"),
            ]),
            source: "区卫生健康委",
        },
        Spec {
            code: "t05",
            name: "城镇新增就业人数".into(),
            unit: "万人",
            category: "民生福祉",
            chapter: "c3",
            attribute: Attribute::Expected,
            measure: Measure::Cumulative,
            comparator: Comparator::AtLeast,
            kind: TargetKind::Numeric,
            value: Some("5"),
            value_max: None,
            baseline: Some("0"),
            departments: &["区人力资源社会保障局"],
            series: series(&[
                (2021, "1.1"),
                (2022, "1.0"),
                (2023, "0.9"),
                (2024, "1.0"),
                (2025, "1.1"),
            ]),
            source: "区人力资源社会保障局",
        },
        Spec {
            code: "t06",
            name: "森林覆盖率".into(),
            unit: "%",
            category: "生态环境",
            chapter: "c5",
            attribute: Attribute::Binding,
            measure: Measure::Level,
            comparator: Comparator::AtLeast,
            kind: TargetKind::Numeric,
            value: Some("24.5"),
            value_max: None,
            baseline: Some("24.1"),
            departments: &["区林业局"],
            series: series(&[
                (2021, "24.15"),
                (2022, "24.2"),
                (2023, "24.25"),
                (2024, "24.3"),
                (2025, "24.35"),
            ]),
            source: "区林业局",
        },
        Spec {
            code: "t07",
            name: "单位地区生产总值能源消耗降低".into(),
            unit: "%",
            category: "生态环境",
            chapter: "c5",
            attribute: Attribute::Binding,
            measure: Measure::Reduction,
            comparator: Comparator::AtLeast,
            kind: TargetKind::Relative,
            value: None,
            value_max: None,
            baseline: None,
            departments: &["区发展改革委"],
            series: vec![],
            source: "区统计局",
        },
        Spec {
            code: "t08",
            name: "人均预期寿命".into(),
            unit: "岁",
            category: "民生福祉",
            chapter: "c5",
            attribute: Attribute::Expected,
            measure: Measure::Level,
            comparator: Comparator::AtLeast,
            kind: TargetKind::Numeric,
            value: Some("79"),
            value_max: None,
            baseline: None,
            departments: &["区卫生健康委"],
            series: series(&[(2023, "78.6"), (2025, "79.1")]),
            source: "区卫生健康委",
        },
    ]
}

/// The row of `spec` as the store would build it in `year`.
pub fn row(spec: &Spec, year: i32, next_id: &mut i64) -> IndicatorRow {
    let target = TargetDoc {
        comparator: spec.comparator,
        value: spec.value.map(d),
        value_max: spec.value_max.map(d),
        year: 2025,
        kind: spec.kind,
        reason: None,
    };
    let baseline = spec.baseline.map(|v| BaselineDoc {
        value: d(v),
        year: 2020,
    });
    let figures: Vec<Figure> = spec
        .series
        .iter()
        .filter(|(y, _)| *y <= year)
        .map(|(y, v)| {
            *next_id += 1;
            Figure {
                period: Period::year(*y),
                value: d(v),
                source: Some(spec.source.to_string()),
                revisions: u32::from(spec.code == "t02" && *y == 2022),
                observation_id: Some(*next_id),
            }
        })
        .collect();
    let assessment = match target.value {
        None => {
            // A relative target: nothing to judge against.
            let mut a = assess(
                &TargetSpec::new(Measure::Level, Comparator::AtLeast, Decimal::ONE, 2025),
                None,
                &[],
                year,
                &Tolerances::default(),
            );
            a.status = Status::NoData;
            a.reason = Reason::NoObservations;
            a
        }
        Some(v) => {
            let mut t = TargetSpec::new(spec.measure, spec.comparator, v, 2025);
            t.value_max = target.value_max;
            t.binding = spec.attribute == Attribute::Binding;
            t.unit = Some(spec.unit.to_string());
            let obs: Vec<Observation> = figures.iter().map(|f| Observation::new(f.period, f.value)).collect();
            let b = baseline.as_ref().map(|b| Baseline::new(b.value, b.year));
            assess(&t, b.as_ref(), &obs, year, &Tolerances::default())
        }
    };
    IndicatorRow {
        code: spec.code.into(),
        name: spec.name.clone(),
        unit: Some(spec.unit.into()),
        category: Some(spec.category.into()),
        chapter: Some(spec.chapter.into()),
        quote: None,
        attribute: spec.attribute,
        measure: spec.measure,
        departments: spec.departments.iter().map(|s| s.to_string()).collect(),
        target,
        baseline,
        figures,
        assessment,
    }
}

fn assemble(specs: &[Spec], chapters: Vec<Chapter>, year: i32) -> Snapshot {
    let mut id = 100;
    let indicators: Vec<IndicatorRow> = specs.iter().map(|s| row(s, year, &mut id)).collect();
    let without_data = indicators
        .iter()
        .filter(|i| i.figures.is_empty())
        .map(|i| i.code.clone())
        .collect();
    Snapshot {
        plan: plan(),
        evaluation_year: year,
        chapters,
        indicators,
        tasks: vec![
            TaskRow {
                code: "R01".into(),
                title: "建设区级科技创新服务平台".into(),
                departments: vec!["区科技局".into()],
                state: "done".into(),
                note: Some("2022年建成投用".into()),
            },
            TaskRow {
                code: "R02".into(),
                title: "推进老旧小区改造".into(),
                departments: vec!["区住房城乡建设局".into()],
                state: "on_schedule".into(),
                note: None,
            },
            TaskRow {
                code: "R03".into(),
                title: "实施河湖生态修复工程".into(),
                departments: vec!["区水务局".into(), "区生态环境局".into()],
                state: "overdue".into(),
                note: Some("征地手续尚未办结".into()),
            },
        ],
        projects: vec![
            ProjectRow {
                code: "P01".into(),
                name: "城西污水处理厂扩建工程".into(),
                state: "done".into(),
                planned_investment: Some(d("3.2")),
                completed_investment: Some(d("3.2")),
                note: None,
            },
            ProjectRow {
                code: "P02".into(),
                name: "区人民医院新院区".into(),
                state: "overdue".into(),
                planned_investment: Some(d("12")),
                completed_investment: Some(d("4.5")),
                note: Some("主体结构施工中".into()),
            },
        ],
        notes: DataNotes {
            sources: vec!["区统计局".into(), "区林业局".into()],
            revisions: vec![Revision {
                indicator: "t02".into(),
                period: Period::year(2022),
                from: d("64.8"),
                to: d("65.0"),
                reason: Some("与第七次全国人口普查数据衔接".into()),
            }],
            without_data,
            sample_data: true,
        },
        comments: vec![
            CommentNote {
                indicator: None,
                year: Some(year),
                author: "某评估机构".into(),
                role: Role::Evaluator,
                date: format!("{}-11-20", year + 1),
                body: "规划总体实施情况良好，建议加强数据质量管理。".into(),
            },
            CommentNote {
                indicator: Some("森林覆盖率".into()),
                year: None,
                author: "区发展改革委".into(),
                role: Role::Planner,
                date: format!("{}-11-21", year + 1),
                body: "已会同林业部门核实。".into(),
            },
        ],
        approx_tolerance: Decimal::new(5, 2),
    }
}

/// The small plan in `year` (2023: annual and mid-term; 2025: final).
pub fn snapshot(year: i32) -> Snapshot {
    let chapters = vec![
        Chapter {
            id: "c3".into(),
            number: Some(3),
            title: "推动经济高质量发展和民生改善".into(),
        },
        Chapter {
            id: "c5".into(),
            number: Some(5),
            title: "推进绿色低碳发展".into(),
        },
    ];
    assemble(&specs(), chapters, year)
}

/// A plan of `n` indicators in seven chapters, for the benchmark.
pub fn big(n: usize, year: i32) -> Snapshot {
    let base = specs();
    let chapter_ids = ["c1", "c2", "c3", "c4", "c5", "c6", "c7"];
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let b = &base[i % base.len()];
        out.push(Spec {
            code: Box::leak(format!("b{i:03}").into_boxed_str()),
            name: format!("{}（{}）", b.name, i + 1),
            unit: b.unit,
            category: b.category,
            chapter: chapter_ids[i % chapter_ids.len()],
            attribute: b.attribute,
            measure: b.measure,
            comparator: b.comparator,
            kind: b.kind,
            value: b.value,
            value_max: b.value_max,
            baseline: b.baseline,
            departments: b.departments,
            series: b.series.clone(),
            source: b.source,
        });
    }
    let titles = [
        "构建现代产业体系",
        "坚持创新驱动发展",
        "全面深化改革开放",
        "推进城乡融合发展",
        "推进绿色低碳发展",
        "增进民生福祉",
        "统筹发展和安全",
    ];
    let chapters = chapter_ids
        .iter()
        .zip(titles)
        .enumerate()
        .map(|(k, (id, t))| Chapter {
            id: id.to_string(),
            number: Some(k as u32 + 2),
            title: t.into(),
        })
        .collect();
    assemble(&out, chapters, year)
}

/// The status of every indicator, to check coverage.
pub fn statuses(s: &Snapshot) -> Vec<Status> {
    s.indicators.iter().map(|i| i.assessment.status).collect()
}

/// The judged value the report must show: the latest figure (the sum since
/// the baseline for a cumulative target), normalised.
pub fn current_text(i: &IndicatorRow, year: i32) -> Option<String> {
    let used = i
        .figures
        .iter()
        .filter(|f| f.period.calendar_year() <= year.min(i.target.year));
    if i.measure == Measure::Cumulative {
        let t0 = i.baseline.as_ref().map(|b| b.year).unwrap_or(0);
        let figs: Vec<&Figure> = used.filter(|f| f.period.calendar_year() > t0).collect();
        if figs.is_empty() {
            return None;
        }
        let sum: Decimal = figs.iter().map(|f| f.value).sum();
        Some(sum.normalize().to_string())
    } else {
        used.max_by_key(|f| f.period).map(|f| f.value.normalize().to_string())
    }
}

/// Makes sure the fixture covers what it says.
pub fn assert_coverage(a: &[Assessment]) {
    assert!(a.iter().any(|x| x.warning), "a warning");
}
