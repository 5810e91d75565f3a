//! A small plan to fill forms for: five indicators of three departments,
//! reported annually, quarterly and monthly.
#![allow(dead_code)]

use lantu_core::observation::NewObservation;
use lantu_core::plan::{
    BaselineDoc, DepartmentDoc, Frequency, IndicatorDoc, PlanDoc, PlanLevel, PlanMeta, PlanSettings, PlanState, Source,
    TargetDoc,
};
use lantu_core::{Attribute, Comparator, Direction, Measure, Period, TargetKind};
use rust_decimal::Decimal;
use std::str::FromStr;

pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub fn period(s: &str) -> Period {
    Period::parse(s).unwrap()
}

fn indicator(code: &str, name: &str, unit: Option<&str>, dept: &str, frequency: Frequency) -> IndicatorDoc {
    IndicatorDoc {
        code: code.into(),
        name: name.into(),
        unit: unit.map(Into::into),
        category: None,
        attribute: Attribute::Expected,
        measure: Measure::Level,
        direction: Direction::HigherIsBetter,
        departments: vec![dept.into()],
        co_departments: vec![],
        data_source: None,
        frequency,
        target: TargetDoc {
            comparator: Comparator::AtLeast,
            value: Some(Decimal::ONE),
            value_max: None,
            year: 2025,
            kind: TargetKind::Numeric,
            reason: None,
        },
        baseline: Some(BaselineDoc {
            value: Decimal::ONE,
            year: 2020,
        }),
        source: Source::default(),
    }
}

pub fn plan() -> PlanDoc {
    let doc = PlanDoc {
        plan: PlanMeta {
            id: Some(1),
            name: "某区国民经济和社会发展第十四个五年规划".into(),
            region: "某区".into(),
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
        },
        settings: PlanSettings::default(),
        outline: Vec::new(),
        departments: vec![
            DepartmentDoc {
                code: "fgw".into(),
                name: "发展改革委".into(),
            },
            DepartmentDoc {
                code: "sthj".into(),
                name: "生态环境局".into(),
            },
            DepartmentDoc {
                code: "tj".into(),
                name: "统计局".into(),
            },
            DepartmentDoc {
                code: "wj".into(),
                name: "卫健委".into(),
            },
        ],
        indicators: vec![
            indicator("gdp", "地区生产总值", Some("亿元"), "fgw", Frequency::Annual),
            indicator("forest", "森林覆盖率", Some("%"), "sthj", Frequency::Annual),
            indicator(
                "pm25",
                "细颗粒物（PM2.5）年均浓度",
                Some("微克/立方米"),
                "sthj",
                Frequency::Monthly,
            ),
            indicator("retail", "社会消费品零售总额", Some("亿元"), "tj", Frequency::Quarterly),
            indicator("parks", "新建口袋公园", None, "fgw", Frequency::Annual),
        ],
        tasks: vec![],
        projects: vec![],
    };
    doc.validate().unwrap();
    doc
}

pub fn obs(code: &str, p: &str, area: Option<&str>, value: &str) -> NewObservation {
    NewObservation {
        indicator: code.into(),
        period: period(p),
        geography: area.map(Into::into),
        value: dec(value),
        source: None,
        note: None,
    }
}

/// The template's header line as CSV.
pub const HEADER: &str = "指标代码 Code,指标名称 Indicator,单位 Unit,期间 Period,地区 Area,数值 Value,上期值 Previous,数据来源 Source,备注 Notes";
