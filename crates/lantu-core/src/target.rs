//! The vocabulary of a quantified commitment (目标): how its value is compared,
//! what it measures, whether it is binding.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How the observed value is compared with the target value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Comparator {
    /// At least (达到/以上/不低于/不少于; 达到 for higher-is-better indicators).
    #[serde(rename = ">=")]
    AtLeast,
    /// At most (控制在/以内/不超过/降至; 达到 for lower-is-better indicators).
    #[serde(rename = "<=")]
    AtMost,
    /// Exactly this many things to deliver (新建 3 所中学).
    #[serde(rename = "=")]
    Exact,
    /// Between `value` and `value_max` (45–50 张).
    #[serde(rename = "range")]
    Range,
    /// Approximately (左右/近/约).
    #[serde(rename = "approx")]
    Approx,
}

impl Comparator {
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::AtLeast => ">=",
            Comparator::AtMost => "<=",
            Comparator::Exact => "=",
            Comparator::Range => "range",
            Comparator::Approx => "approx",
        }
    }
}

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the target value measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A level reached at the target year (达到 X).
    Level,
    /// Average annual growth over the period, in percent (年均增长 X%).
    AnnualGrowth,
    /// A total of flows over the period (累计/新增/新建 N).
    Cumulative,
    /// A total reduction over the period, in percent (累计下降 X%).
    Reduction,
}

impl Measure {
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Level => "level",
            Measure::AnnualGrowth => "annual_growth",
            Measure::Cumulative => "cumulative",
            Measure::Reduction => "reduction",
        }
    }
}

/// Whether the value is a number, a ratio, or tied to a quota set elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Numeric,
    /// `A:B`, stored as B/A with no unit (1:9 → 9).
    Ratio,
    /// Tied to another body's quota or standard; no number of its own
    /// (完成上级下达的节能减排任务).
    Relative,
}

/// 约束性 (binding) or 预期性 (expected).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    /// 约束性: held strictly; lagging raises an early warning.
    Binding,
    /// 预期性: expected, guiding.
    Expected,
}

impl Attribute {
    pub fn as_str(self) -> &'static str {
        match self {
            Attribute::Binding => "binding",
            Attribute::Expected => "expected",
        }
    }
}

/// Which way is better for an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}
