//! What the engine takes (a target, a baseline, settings) and what it gives
//! back (an [`Assessment`]).

use super::period::Period;
use super::status::{Reason, Status};
use crate::target::{Attribute, Comparator, Measure};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A target as the engine needs it: what is measured, how it is compared,
/// the number(s), the year, and whether it is binding.
///
/// Values of annual-growth and reduction targets are percentages (7 = 7 %).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetSpec {
    pub measure: Measure,
    pub comparator: Comparator,
    #[serde(with = "rust_decimal::serde::float")]
    pub value: Decimal,
    /// Upper bound of a range target (`value` is the lower bound).
    #[serde(default, with = "rust_decimal::serde::float_option")]
    pub value_max: Option<Decimal>,
    #[serde(default)]
    pub unit: Option<String>,
    /// The target year T.
    pub year: i32,
    /// 约束性 (binding) when true, 预期性 (expected) otherwise.
    #[serde(default)]
    pub binding: bool,
}

impl TargetSpec {
    /// A target without upper bound, unit or binding flag; set those fields
    /// directly where needed.
    pub fn new(measure: Measure, comparator: Comparator, value: Decimal, year: i32) -> TargetSpec {
        TargetSpec {
            measure,
            comparator,
            value,
            value_max: None,
            unit: None,
            year,
            binding: false,
        }
    }

    pub fn attribute(&self) -> Attribute {
        if self.binding {
            Attribute::Binding
        } else {
            Attribute::Expected
        }
    }
}

/// The baseline (基期值): the value x0 in year t0. For a cumulative target
/// only the year counts: flows are summed from the year after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    #[serde(with = "rust_decimal::serde::float")]
    pub value: Decimal,
    pub year: i32,
}

impl Baseline {
    pub fn new(value: Decimal, year: i32) -> Baseline {
        Baseline { value, year }
    }
}

/// The plan's settings for judging progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tolerances {
    /// r ≥ this → ahead (快于预期). Default 1.10.
    #[serde(with = "rust_decimal::serde::float")]
    pub ahead_ratio: Decimal,
    /// this ≤ r < ahead_ratio → on track (基本符合预期); below → lagging.
    /// Default 0.90.
    #[serde(with = "rust_decimal::serde::float")]
    pub on_track_ratio: Decimal,
    /// Relative tolerance of an approximate target (左右/约): |x − v| ≤
    /// tol·|v| meets it. Default 0.05.
    #[serde(with = "rust_decimal::serde::float")]
    pub approx_tolerance: Decimal,
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances {
            ahead_ratio: Decimal::new(110, 2),
            on_track_ratio: Decimal::new(90, 2),
            approx_tolerance: Decimal::new(5, 2),
        }
    }
}

/// Whether the projection says the target will be met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Likelihood {
    /// The whole interval meets the target.
    Likely,
    /// No part of the interval meets the target.
    Unlikely,
    /// The interval straddles the target.
    Uncertain,
}

impl Likelihood {
    pub fn label_zh(self) -> &'static str {
        match self {
            Likelihood::Likely => "有望实现",
            Likelihood::Unlikely => "难以实现",
            Likelihood::Uncertain => "存在不确定性",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Likelihood::Likely => "Likely",
            Likelihood::Unlikely => "Unlikely",
            Likelihood::Uncertain => "Uncertain",
        }
    }
}

/// How a projection was made (see docs/methodology.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectionMethod {
    /// Weighted least squares through the baseline and every year since,
    /// with a 90 % prediction interval (three points or more).
    WeightedTrend,
    /// The line through the baseline and the one later point; the interval
    /// assumes the future pace lies between half and one and a half times
    /// the pace so far.
    TwoPoint,
}

/// The trend carried to the target year.
///
/// `value`, `low` and `high` are in the target's own terms: the level for a
/// level target, the total of flows for a cumulative target, the average
/// annual growth in percent for an annual-growth target, the total
/// reduction in percent for a reduction target. They are statistical
/// estimates, hence floats.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    pub year: i32,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub likelihood: Likelihood,
    pub method: ProjectionMethod,
    /// Points fitted, the baseline included.
    pub points: usize,
}

/// The engine's judgement of one target in one evaluation year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub status: Status,
    /// The schedule ratio r (p / s, or CAGR / g for growth, or achieved /
    /// required reduction). For a ceiling on a flow, a growth rate or a
    /// reduction it is the pace at which the allowance is used, where lower
    /// is better. Always finite when present.
    pub ratio: Option<f64>,
    /// Progress p from the baseline toward the target (1 = reached).
    pub progress: Option<f64>,
    /// Elapsed share s = (t − t0) / (T − t0).
    pub elapsed_share: Option<f64>,
    /// The latest value is further from the target than the baseline.
    pub regressing: bool,
    pub projection: Option<Projection>,
    /// 预警: a binding target lagging or not completed, or any target
    /// unlikely to be met on its trend.
    pub warning: bool,
    pub reason: Reason,
    /// The latest period the judgement rests on.
    pub as_of: Option<Period>,
}

impl Assessment {
    pub(crate) fn new(status: Status, reason: Reason) -> Assessment {
        Assessment {
            status,
            ratio: None,
            progress: None,
            elapsed_share: None,
            regressing: false,
            projection: None,
            warning: false,
            reason,
            as_of: None,
        }
    }
}
