//! Validation rules of an indicator (校验规则) and of a plan (跨指标规则),
//! and the check of one figure against them. Pure: the caller hands in the
//! figure, the previous period's figure and the other figures of the same
//! period; the check says what is wrong (an error blocks the figure) or
//! what needs a comment (a warning, like DHIS2's follow-up flag).
//!
//! Defaults follow from the indicator's unit and measure, so a newly
//! adopted plan is protected without configuration; explicit rules in the
//! plan document override them (see docs/methodology.md, "Validation").

use crate::messages::{Change, Message};
use crate::plan::IndicatorDoc;
use crate::target::Measure;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The rules a planner set on one indicator; every field left out takes
/// the default of [`IndicatorRules::effective`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorRules {
    /// Lowest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Decimal>,
    /// Highest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Decimal>,
    /// Whole numbers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integer: Option<bool>,
    /// Largest change from the previous period, in percent of the previous
    /// value, before a comment is needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_change_percent: Option<Decimal>,
    /// Largest change in absolute terms (percentage points for an
    /// indicator in %); takes precedence over `max_change_percent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_change_points: Option<Decimal>,
}

impl IndicatorRules {
    pub fn is_empty(&self) -> bool {
        *self == IndicatorRules::default()
    }
}

/// The rules in force for an indicator: its explicit rules over the
/// defaults of its unit and measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Effective {
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub integer: bool,
    pub max_change: Option<Change>,
}

/// Default change before a comment is needed: ±100 % of the previous value.
pub const DEFAULT_MAX_CHANGE_PERCENT: Decimal = Decimal::ONE_HUNDRED;
/// Default change for an indicator in %: ±20 percentage points.
pub const DEFAULT_MAX_CHANGE_POINTS: Decimal = Decimal::from_parts(20, 0, 0, false, 0);

/// Words that make an indicator in % a share of a whole (0–100).
const SHARE_WORDS: [&str; 6] = ["率", "比重", "覆盖率", "占比", "比例", "比率"];
/// Units of things counted one by one.
const COUNT_UNITS: [&str; 16] = [
    "个", "家", "所", "人", "座", "项", "处", "张", "台", "辆", "次", "户", "名", "件", "条", "只",
];

/// The unit with full-width forms and blanks folded (％ → %).
fn unit_of(i: &IndicatorDoc) -> String {
    i.unit
        .as_deref()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '％' { '%' } else { c })
        .collect()
}

/// A level in % named as a rate or share (森林覆盖率, 城镇化率, 比重).
pub fn is_share(i: &IndicatorDoc) -> bool {
    unit_of(i) == "%" && i.measure == Measure::Level && SHARE_WORDS.iter().any(|w| i.name.contains(w))
}

impl IndicatorRules {
    /// The rules in force for `i`: explicit values, else the defaults —
    /// a share 0–100; any other level or a cumulative total ≥ 0; a growth
    /// rate or reduction unbounded; integers for counted units; a change of
    /// more than ±20 points (in %) or ±100 % (otherwise) needs a comment.
    pub fn effective(i: &IndicatorDoc) -> Effective {
        let r = &i.rules;
        let percent = unit_of(i) == "%";
        let (min, max) = if is_share(i) {
            (Some(Decimal::ZERO), Some(Decimal::ONE_HUNDRED))
        } else {
            match i.measure {
                Measure::Level | Measure::Cumulative => (Some(Decimal::ZERO), None),
                Measure::AnnualGrowth | Measure::Reduction => (None, None),
            }
        };
        let counted = COUNT_UNITS.contains(&unit_of(i).as_str());
        let max_change = match (r.max_change_points, r.max_change_percent) {
            (Some(p), _) => Some(Change::Points(p)),
            (None, Some(p)) => Some(Change::Percent(p)),
            (None, None) if percent => Some(Change::Points(DEFAULT_MAX_CHANGE_POINTS)),
            (None, None) => Some(Change::Percent(DEFAULT_MAX_CHANGE_PERCENT)),
        };
        Effective {
            min: r.min.or(min),
            max: r.max.or(max),
            integer: r.integer.unwrap_or(counted),
            max_change,
        }
    }
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The figure is refused.
    Error,
    /// The figure is saved only with a comment.
    Warning,
}

/// One thing wrong with a figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub message: Message,
}

/// Checks one value of `i` against its rules; `previous` is the figure of
/// the previous period (`previous_period` as shown), when there is one.
pub fn check_value(i: &IndicatorDoc, value: Decimal, previous: Option<(&str, Decimal)>) -> Vec<Finding> {
    let e = IndicatorRules::effective(i);
    let unit = unit_of(i);
    let mut out = Vec::new();
    let error = |message| Finding {
        severity: Severity::Error,
        message,
    };
    if let Some(min) = e.min.filter(|m| value < *m) {
        out.push(error(Message::BelowMin {
            code: i.code.clone(),
            name: i.name.clone(),
            value,
            min,
            unit: unit.clone(),
        }));
    }
    if let Some(max) = e.max.filter(|m| value > *m) {
        out.push(error(Message::AboveMax {
            code: i.code.clone(),
            name: i.name.clone(),
            value,
            max,
            unit: unit.clone(),
        }));
    }
    if e.integer && !value.fract().is_zero() {
        out.push(error(Message::NotInteger {
            code: i.code.clone(),
            name: i.name.clone(),
            value,
        }));
    }
    if let (Some(limit), Some((period, prev))) = (e.max_change, previous) {
        let change = match limit {
            Change::Points(_) => Some(Change::Points(value - prev)),
            Change::Percent(_) if prev.is_zero() => None,
            Change::Percent(_) => Some(Change::Percent((value - prev) / prev.abs() * Decimal::ONE_HUNDRED)),
        };
        let over = match (change, limit) {
            (Some(Change::Points(c)), Change::Points(l)) | (Some(Change::Percent(c)), Change::Percent(l)) => {
                c.abs() > l
            }
            _ => false,
        };
        if let (true, Some(change)) = (over, change) {
            out.push(Finding {
                severity: Severity::Warning,
                message: Message::LargeChange {
                    code: i.code.clone(),
                    name: i.name.clone(),
                    previous_period: period.to_string(),
                    previous: prev,
                    value,
                    change,
                    limit,
                },
            });
        }
    }
    out
}

/// A rule across indicators of one plan, checked for each period and area
/// where all its figures are known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossRule {
    pub kind: CrossKind,
    /// The whole (part ≤ whole) or the total (sum = total): an indicator code.
    pub whole: String,
    /// The parts: indicator codes.
    pub parts: Vec<String>,
    /// Allowed difference between the sum and the total (rounding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<Decimal>,
    /// The planner's own words, in place of the generated message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_en: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrossKind {
    /// Each part is at most the whole.
    PartOfWhole,
    /// The parts add up to the total.
    SumOfParts,
}

impl CrossRule {
    /// Checks the rule on the figures of one period (`value` of a code),
    /// when all of them are known; a broken rule is an error.
    pub fn check(
        &self,
        period: &str,
        name: &dyn Fn(&str) -> String,
        value: &dyn Fn(&str) -> Option<Decimal>,
    ) -> Vec<Finding> {
        let Some(whole) = value(&self.whole) else {
            return Vec::new();
        };
        let custom = match (&self.message_zh, &self.message_en) {
            (Some(zh), en) => Some(Message::Custom {
                zh: zh.clone(),
                en: en.clone().unwrap_or_else(|| zh.clone()),
            }),
            (None, Some(en)) => Some(Message::Custom {
                zh: en.clone(),
                en: en.clone(),
            }),
            (None, None) => None,
        };
        let error = |message| Finding {
            severity: Severity::Error,
            message,
        };
        match self.kind {
            CrossKind::PartOfWhole => self
                .parts
                .iter()
                .filter_map(|p| value(p).map(|v| (p, v)))
                .filter(|(_, v)| *v > whole)
                .map(|(p, v)| {
                    error(custom.clone().unwrap_or_else(|| Message::PartExceedsWhole {
                        part: p.clone(),
                        part_name: name(p),
                        part_value: v,
                        whole: self.whole.clone(),
                        whole_name: name(&self.whole),
                        whole_value: whole,
                        period: period.to_string(),
                    }))
                })
                .collect(),
            CrossKind::SumOfParts => {
                let values: Option<Vec<Decimal>> = self.parts.iter().map(|p| value(p)).collect();
                let Some(values) = values else {
                    return Vec::new();
                };
                let sum: Decimal = values.iter().sum();
                if (sum - whole).abs() <= self.tolerance.unwrap_or(Decimal::ZERO) {
                    return Vec::new();
                }
                vec![error(custom.unwrap_or_else(|| Message::SumMismatch {
                    total: self.whole.clone(),
                    total_name: name(&self.whole),
                    total_value: whole,
                    parts: self.parts.iter().map(|p| format!("{}（{p}）", name(p))).collect(),
                    sum,
                    period: period.to_string(),
                }))]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::Lang;
    use crate::plan::{Frequency, Source, TargetDoc};
    use crate::target::{Attribute, Comparator, Direction, TargetKind};

    fn ind(name: &str, unit: &str, measure: Measure) -> IndicatorDoc {
        IndicatorDoc {
            code: "t001".into(),
            name: name.into(),
            unit: Some(unit.into()),
            category: None,
            attribute: Attribute::Binding,
            measure,
            direction: Direction::HigherIsBetter,
            departments: vec![],
            co_departments: vec![],
            data_source: None,
            frequency: Frequency::Annual,
            target: TargetDoc {
                comparator: Comparator::AtLeast,
                value: Some(Decimal::from(30)),
                value_max: None,
                year: 2025,
                kind: TargetKind::Numeric,
                reason: None,
            },
            baseline: None,
            source: Source::default(),
            rules: IndicatorRules::default(),
        }
    }

    fn severities(f: &[Finding]) -> Vec<Severity> {
        f.iter().map(|f| f.severity).collect()
    }

    #[test]
    fn a_share_lies_between_0_and_100() {
        let i = ind("森林覆盖率", "%", Measure::Level);
        assert!(is_share(&i));
        assert_eq!(severities(&check_value(&i, Decimal::from(-5), None)), [Severity::Error]);
        assert_eq!(
            severities(&check_value(&i, Decimal::from(150), None)),
            [Severity::Error]
        );
        assert!(check_value(&i, Decimal::new(245, 1), None).is_empty());
        // An intensity in % is a level, not a share: ≥ 0 only.
        let r = ind("研发经费投入强度", "%", Measure::Level);
        assert!(check_value(&r, Decimal::from(150), None).is_empty());
        assert_eq!(severities(&check_value(&r, Decimal::from(-1), None)), [Severity::Error]);
    }

    #[test]
    fn growth_may_be_negative_and_counts_are_whole() {
        let g = ind("地区生产总值增长", "%", Measure::AnnualGrowth);
        assert!(check_value(&g, Decimal::from(-5), None).is_empty());
        let c = ind("三甲医院", "所", Measure::Level);
        assert_eq!(
            severities(&check_value(&c, Decimal::new(35, 1), None)),
            [Severity::Error]
        );
        assert!(check_value(&c, Decimal::from(4), None).is_empty());
        let mut explicit = c.clone();
        explicit.rules.integer = Some(false);
        explicit.rules.max = Some(Decimal::from(3));
        let f = check_value(&explicit, Decimal::new(35, 1), None);
        assert!(
            matches!(
                f[..],
                [Finding {
                    message: Message::AboveMax { .. },
                    ..
                }]
            ),
            "{f:?}"
        );
    }

    #[test]
    fn a_large_change_needs_a_comment() {
        let i = ind("常住人口", "万人", Measure::Level);
        let f = check_value(&i, Decimal::from(400), Some(("2023", Decimal::from(100))));
        assert_eq!(severities(&f), [Severity::Warning]);
        assert!(
            f[0].message.text(Lang::Zh).contains("+300%"),
            "{}",
            f[0].message.text(Lang::Zh)
        );
        assert!(check_value(&i, Decimal::from(150), Some(("2023", Decimal::from(100)))).is_empty());
        let s = ind("森林覆盖率", "%", Measure::Level);
        assert_eq!(
            severities(&check_value(&s, Decimal::from(80), Some(("2023", Decimal::from(20))))),
            [Severity::Warning]
        );
        assert!(check_value(&s, Decimal::from(25), Some(("2023", Decimal::from(20)))).is_empty());
    }

    #[test]
    fn cross_rules_compare_parts_and_wholes() {
        let rule = CrossRule {
            kind: CrossKind::PartOfWhole,
            whole: "w".into(),
            parts: vec!["a".into()],
            tolerance: None,
            message_zh: None,
            message_en: None,
        };
        let name = |c: &str| c.to_uppercase();
        let vals = |c: &str| match c {
            "w" => Some(Decimal::from(10)),
            "a" => Some(Decimal::from(12)),
            "b" => Some(Decimal::from(3)),
            _ => None,
        };
        let f = rule.check("2024", &name, &vals);
        assert!(f[0].message.text(Lang::Zh).contains("部分不能大于整体"));
        let sum = CrossRule {
            kind: CrossKind::SumOfParts,
            parts: vec!["a".into(), "b".into()],
            ..rule.clone()
        };
        assert_eq!(sum.check("2024", &name, &vals).len(), 1);
        let missing = CrossRule {
            parts: vec!["a".into(), "zzz".into()],
            ..sum
        };
        assert!(missing.check("2024", &name, &vals).is_empty());
    }
}
