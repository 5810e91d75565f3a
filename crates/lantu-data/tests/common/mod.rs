//! Helpers for the import tests; the plan to fill forms for is
//! [`lantu_data::testing::plan`].
#![allow(dead_code)]

use lantu_core::observation::NewObservation;
use lantu_core::Period;
pub use lantu_data::testing::plan;
use rust_decimal::Decimal;
use std::str::FromStr;

pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub fn period(s: &str) -> Period {
    Period::parse(s).unwrap()
}

pub fn obs(code: &str, p: &str, area: Option<&str>, value: &str) -> NewObservation {
    NewObservation {
        indicator: code.into(),
        period: period(p),
        geography: area.map(Into::into),
        value: dec(value),
        source: None,
        note: None,
        comment: None,
    }
}

/// The template's header line as CSV.
pub const HEADER: &str = "指标代码 Code,指标名称 Indicator,单位 Unit,期间 Period,地区 Area,数值 Value,上期值 Previous,数据来源 Source,备注 Notes";
