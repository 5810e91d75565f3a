//! Fixtures shared by the integration tests. Every test gets a fresh store
//! from `lantu_store::testing::fresh_store()`: a temp SQLite file, or its
//! own PostgreSQL schema when LANTU_TEST_DATABASE_URL=postgres://….

#![allow(dead_code)]

use lantu_core::observation::{NewObservation, ObservationState};
use lantu_core::plan::{
    BaselineDoc, DepartmentDoc, Frequency, IndicatorDoc, PlanDoc, PlanLevel, PlanMeta, PlanSettings, PlanState,
    ProjectDoc, Source, TargetDoc, TaskDoc,
};
use lantu_core::{Attribute, Comparator, Direction, Measure, Period, TargetKind};
use lantu_store::{Figures, Store};
use rust_decimal::Decimal;
use std::str::FromStr;

pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub fn period(s: &str) -> Period {
    Period::parse(s).unwrap()
}

pub fn obs(code: &str, p: &str, value: &str) -> NewObservation {
    NewObservation {
        indicator: code.to_string(),
        period: period(p),
        geography: None,
        value: dec(value),
        source: None,
        note: None,
        comment: None,
    }
}

pub fn obs_at(code: &str, p: &str, place: &str, value: &str) -> NewObservation {
    NewObservation {
        geography: Some(place.to_string()),
        ..obs(code, p, value)
    }
}

#[allow(clippy::too_many_arguments)]
pub fn indicator(
    code: &str,
    name: &str,
    unit: &str,
    attribute: Attribute,
    measure: Measure,
    comparator: Comparator,
    value: &str,
    baseline: Option<(&str, i32)>,
    departments: &[&str],
    node: &str,
) -> IndicatorDoc {
    IndicatorDoc {
        code: code.to_string(),
        name: name.to_string(),
        unit: Some(unit.to_string()),
        category: Some(
            if attribute == Attribute::Binding {
                "绿色生态"
            } else {
                "经济发展"
            }
            .to_string(),
        ),
        attribute,
        measure,
        direction: lantu_core::plan::direction_of(comparator, measure),
        departments: departments.iter().map(|d| d.to_string()).collect(),
        co_departments: vec![],
        data_source: Some("统计年鉴".to_string()),
        frequency: Frequency::Annual,
        target: TargetDoc {
            comparator,
            value: Some(dec(value)),
            value_max: None,
            year: 2025,
            kind: TargetKind::Numeric,
            reason: None,
        },
        baseline: baseline.map(|(v, y)| BaselineDoc { value: dec(v), year: y }),
        source: Source {
            node: Some(node.to_string()),
            quote: Some(format!("{name}达到{value}{unit}")),
            span: Some([10, 20]),
        },
        rules: Default::default(),
    }
}

/// A district plan for 2021–2025 with six indicators (one relative), two
/// tasks and two projects; its lists are deliberately not in code order.
pub fn sample_doc(state: PlanState) -> PlanDoc {
    use Attribute::*;
    use Comparator::*;
    use Measure::*;
    let mut relative = indicator(
        "t005",
        "节能减排任务",
        "",
        Binding,
        Level,
        AtMost,
        "0",
        None,
        &["fgw"],
        "c4.s2",
    );
    relative.target.value = None;
    relative.target.kind = TargetKind::Relative;
    relative.unit = None;
    let mut pm = indicator(
        "t002",
        "PM2.5年均浓度",
        "微克/立方米",
        Binding,
        Level,
        AtMost,
        "35",
        Some(("40", 2020)),
        &["hb"],
        "c4.s1",
    );
    pm.co_departments = vec!["tj".to_string()];
    pm.direction = Direction::LowerIsBetter;
    let mut range = indicator(
        "t003",
        "每千人口床位数",
        "张",
        Expected,
        Level,
        Range,
        "4.5",
        Some(("3.9", 2020)),
        &["wj"],
        "c5.s1",
    );
    range.target.value_max = Some(dec("5.0"));
    PlanDoc {
        plan: PlanMeta {
            id: None,
            name: "某区国民经济和社会发展第十四个五年规划".to_string(),
            region: "某区".to_string(),
            level: PlanLevel::District,
            kind: lantu_core::plan::PlanKind::Master,
            issuer: None,
            issued_on: None,
            start_year: 2021,
            end_year: 2025,
            vision_year: Some(2035),
            parent: None,
            state,
            source: Some("plan.pdf".to_string()),
        },
        settings: PlanSettings::default(),
        outline: Vec::new(),
        departments: vec![
            DepartmentDoc {
                code: "wj".into(),
                name: "卫生健康委".into(),
            },
            DepartmentDoc {
                code: "fgw".into(),
                name: "发展改革委".into(),
            },
            DepartmentDoc {
                code: "hb".into(),
                name: "生态环境局".into(),
            },
            DepartmentDoc {
                code: "tj".into(),
                name: "统计局".into(),
            },
        ],
        indicators: vec![
            indicator(
                "t010",
                "地区生产总值年均增长",
                "%",
                Expected,
                AnnualGrowth,
                AtLeast,
                "6",
                Some(("1000", 2020)),
                &["fgw", "tj"],
                "c2.s1",
            ),
            pm,
            range,
            indicator(
                "t001",
                "森林覆盖率",
                "%",
                Binding,
                Level,
                AtLeast,
                "24.50",
                Some(("24.1", 2020)),
                &["hb"],
                "c4.s1",
            ),
            indicator(
                "t004",
                "新建学校",
                "所",
                Expected,
                Cumulative,
                AtLeast,
                "5",
                Some(("0", 2020)),
                &["fgw"],
                "c5.s2",
            ),
            relative,
        ],
        tasks: vec![
            TaskDoc {
                code: "k2".into(),
                title: "推进城乡融合发展".into(),
                departments: vec!["fgw".into()],
                co_departments: vec!["tj".into(), "hb".into()],
                source: Source::default(),
            },
            TaskDoc {
                code: "k1".into(),
                title: "打好污染防治攻坚战".into(),
                departments: vec!["hb".into()],
                co_departments: vec![],
                source: Source {
                    node: Some("c4.s1.i1".into()),
                    quote: None,
                    span: None,
                },
            },
        ],
        projects: vec![
            ProjectDoc {
                code: "p2".into(),
                name: "第二污水处理厂".into(),
                action: Some("新建".into()),
                capacity: Some("10万吨/日".into()),
                planned_investment: Some(dec("5.2")),
                start_year: Some(2022),
                finish_year: Some(2024),
                departments: vec!["hb".into()],
                source: Source::default(),
            },
            ProjectDoc {
                code: "p1".into(),
                name: "区人民医院新院区".into(),
                action: Some("建设".into()),
                capacity: Some("床位800张".into()),
                planned_investment: Some(dec("12")),
                start_year: Some(2021),
                finish_year: None,
                departments: vec!["wj".into(), "fgw".into()],
                source: Source::default(),
            },
        ],
        cross_rules: Vec::new(),
    }
}

/// `doc` as the store exports it: lists in code order, with its id.
pub fn sorted(mut doc: PlanDoc, id: i64) -> PlanDoc {
    doc.plan.id = Some(id);
    doc.departments.sort_by(|a, b| a.code.cmp(&b.code));
    doc.indicators.sort_by_key(|i| i.code[1..].parse::<u32>().unwrap());
    doc.tasks.sort_by(|a, b| a.code.cmp(&b.code));
    doc.projects.sort_by(|a, b| a.code.cmp(&b.code));
    doc
}

/// Moves every draft figure of the plan to approved.
pub async fn approve_all(store: &Store, plan_id: i64) {
    store
        .set_state(
            &Figures::AllIn {
                plan_id,
                state: ObservationState::Draft,
            },
            ObservationState::Submitted,
            "dept",
            None,
        )
        .await
        .unwrap();
    store
        .set_state(
            &Figures::AllIn {
                plan_id,
                state: ObservationState::Submitted,
            },
            ObservationState::Approved,
            "stats",
            None,
        )
        .await
        .unwrap();
}

/// Rows of a table, by raw SQL.
pub async fn count(store: &Store, table: &str) -> i64 {
    use lantu_store::sqlx::Row;
    let row = lantu_store::sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(store.pool())
        .await
        .unwrap();
    row.try_get::<i64, _>("n").unwrap()
}

/// Runs raw SQL.
pub async fn exec(store: &Store, sql: &str) {
    lantu_store::sqlx::query(sql)
        .execute(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}
