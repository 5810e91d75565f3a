//! The indicator system of a plan as a planner edits it (指标体系): the plan's
//! metadata, its departments, indicators with their target and baseline,
//! task items and key projects. `lantu plan export` writes it as TOML and
//! `lantu plan apply` reads it back; the store keeps it with every version.
//!
//! Values are exact decimals, serialised as strings so that a round trip
//! never changes a digit.

use crate::account::Role;
use crate::policy::{Level, Policy};
use crate::progress::TargetSpec;
use crate::rules::{CrossRule, IndicatorRules};
use crate::target::{Attribute, Comparator, Direction, Measure, TargetKind};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Administrative level of the body that owns a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanLevel {
    National,
    Provincial,
    City,
    District,
    Town,
}

/// What sort of plan it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// 国民经济和社会发展规划纲要: the master plan of a body.
    #[default]
    Master,
    /// 专项规划, including 实施方案 and 行动计划.
    Special,
    /// 区域规划: a plan for an area that crosses bodies (城市群, 经济带…).
    Regional,
}

/// Life cycle of a plan: drafted from text, adopted, adjusted at mid-term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PlanState {
    #[default]
    Draft,
    Adopted,
    Adjusted,
}

/// How often an indicator is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    #[default]
    Annual,
    Quarterly,
    Monthly,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanMeta {
    /// Store id; absent in a document not yet stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub region: String,
    pub level: PlanLevel,
    /// Master, special or regional plan; a document written before plans
    /// had a kind reads as a master plan.
    #[serde(default)]
    pub kind: PlanKind,
    /// The body that issued the plan (湖北省文化和旅游厅办公室), when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The issuing date as the plan gives it: `YYYY-MM-DD`, or `YYYY-MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<String>,
    pub start_year: i32,
    pub end_year: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vision_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<i64>,
    pub state: PlanState,
    /// File the plan was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Thresholds of the progress engine and the review chain, settings of
/// each plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanSettings {
    pub ahead_ratio: Decimal,
    pub on_track_ratio: Decimal,
    pub approx_tolerance: Decimal,
    /// The review chain (审核层级), first level first; empty: one level
    /// held by the statistics bureau's reviewer ([`Policy::default`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review_levels: Vec<Level>,
}

impl Default for PlanSettings {
    fn default() -> Self {
        let t = crate::progress::Tolerances::default();
        PlanSettings {
            ahead_ratio: t.ahead_ratio,
            on_track_ratio: t.on_track_ratio,
            approx_tolerance: t.approx_tolerance,
            review_levels: Vec::new(),
        }
    }
}

/// The most levels a review chain may have.
pub const MAX_REVIEW_LEVELS: usize = 6;

impl PlanSettings {
    /// Who may see and do what in this plan: the policy with its review
    /// chain.
    pub fn policy(&self) -> Policy {
        Policy::with_levels(self.review_levels.clone()).unwrap_or_default()
    }

    /// What is wrong with the review chain: too many levels, a level
    /// without a name, held by a role that does not review, or bound to
    /// a department by a role that acts for no department.
    /// The thresholds of the judgement are in order: 0 < on track < ahead,
    /// and the tolerance of approximate targets is in [0, 1).
    pub fn check_thresholds(&self) -> Result<(), PlanDocError> {
        let (a, o, x) = (self.ahead_ratio, self.on_track_ratio, self.approx_tolerance);
        if o > Decimal::ZERO && a > o && x >= Decimal::ZERO && x < Decimal::ONE {
            Ok(())
        } else {
            Err(PlanDocError::Thresholds(
                "需要 0 < 基本符合阈值 < 快于预期阈值，0 ≤ 容差 < 1 / need 0 < on-track < ahead and 0 ≤ tolerance < 1",
            ))
        }
    }

    pub fn check_levels(&self) -> Result<(), PlanDocError> {
        let bad = |n: usize, what: &str| PlanDocError::ReviewLevel {
            level: n + 1,
            what: what.to_string(),
        };
        if self.review_levels.len() > MAX_REVIEW_LEVELS {
            return Err(bad(MAX_REVIEW_LEVELS, "审核层级过多 / too many review levels"));
        }
        for (n, l) in self.review_levels.iter().enumerate() {
            let name = l.name.trim();
            if name.is_empty() || name.chars().count() > 50 {
                return Err(bad(n, "名称须为 1–50 个字符 / the name must be 1–50 characters"));
            }
            if !matches!(
                l.role,
                Role::Reviewer | Role::DepartmentApprover | Role::Planner | Role::Administrator
            ) {
                return Err(bad(
                    n,
                    "只有统计审核、部门审核、规划部门或管理员可担任审核层级 / only a reviewer, a department approver, a planner or an administrator holds a level",
                ));
            }
            if l.department.is_some() && !l.role.needs_department() {
                return Err(bad(
                    n,
                    "只有部门审核员的层级可指定部门 / only a department approver's level names a department",
                ));
            }
        }
        Ok(())
    }

    pub fn tolerances(&self) -> crate::progress::Tolerances {
        crate::progress::Tolerances {
            ahead_ratio: self.ahead_ratio,
            on_track_ratio: self.on_track_ratio,
            approx_tolerance: self.approx_tolerance,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentDoc {
    pub code: String,
    pub name: String,
}

/// Where a record came from in the plan text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Source {
    /// Outline node id (c3.s1.i2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// `[start, end)` in characters of the plan text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<[usize; 2]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetDoc {
    pub comparator: Comparator,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_max: Option<Decimal>,
    pub year: i32,
    pub kind: TargetKind,
    /// Why the target was changed (a mid-term adjustment); required by the
    /// store when an adopted plan's target changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl TargetDoc {
    /// The engine's view of this target for an indicator of `measure`;
    /// `None` for a target without a number (relative targets, 完成上级下达任务),
    /// which is judged by hand.
    pub fn spec(&self, measure: Measure, unit: Option<String>, binding: bool) -> Option<TargetSpec> {
        if self.kind == TargetKind::Relative {
            return None;
        }
        Some(TargetSpec {
            measure,
            comparator: self.comparator,
            value: self.value?,
            value_max: self.value_max,
            unit,
            year: self.year,
            binding,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineDoc {
    pub value: Decimal,
    pub year: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorDoc {
    /// Stable code within the plan (the extraction's target id at first).
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub attribute: Attribute,
    pub measure: Measure,
    pub direction: Direction,
    /// Responsible departments (codes of [`DepartmentDoc`]).
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    pub co_departments: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_source: Option<String>,
    #[serde(default)]
    pub frequency: Frequency,
    pub target: TargetDoc,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineDoc>,
    #[serde(default)]
    pub source: Source,
    /// Validation rules over the defaults of the unit and measure
    /// ([`crate::rules`]); empty when none is set.
    #[serde(default, skip_serializing_if = "IndicatorRules::is_empty")]
    pub rules: IndicatorRules,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDoc {
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    pub co_departments: Vec<String>,
    #[serde(default)]
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectDoc {
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Capacity as the plan writes it (45 万吨/日).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_investment: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_year: Option<i32>,
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    pub source: Source,
}

/// A heading of the plan's outline (篇、章、节) with its title, so that
/// indicators, tasks and projects are shown under the words of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineEntry {
    /// The node id sources point to: `c3`, `c3.s1`, `p1.c2`.
    pub node: String,
    /// The heading's number (第三章 → 3), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    pub title: String,
}

/// The whole indicator system of one plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanDoc {
    pub plan: PlanMeta,
    #[serde(default)]
    pub settings: PlanSettings,
    /// Chapter and section headings, in the plan's order. A document
    /// applied without any keeps the stored ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outline: Vec<OutlineEntry>,
    #[serde(default)]
    pub departments: Vec<DepartmentDoc>,
    #[serde(default)]
    pub indicators: Vec<IndicatorDoc>,
    #[serde(default)]
    pub tasks: Vec<TaskDoc>,
    #[serde(default)]
    pub projects: Vec<ProjectDoc>,
    /// Rules across indicators (part ≤ whole, parts add up to the total).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cross_rules: Vec<CrossRule>,
}

/// What is wrong with a plan document, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanDocError {
    #[error("the plan period {start}–{end} is not a period (the start year must come before the end year)")]
    Period { start: i32, end: i32 },
    #[error("indicator code `{0}` appears twice; codes must be unique within a plan")]
    DuplicateCode(String),
    #[error("indicator `{code}`: {what}")]
    Indicator { code: String, what: String },
    #[error("评估阈值 / thresholds: {0}")]
    Thresholds(&'static str),
    #[error("审核层级 {level} / review level {level}: {what}")]
    ReviewLevel { level: usize, what: String },
    #[error("`{owner}` names department `{department}`, which is not in [[departments]]")]
    UnknownDepartment { owner: String, department: String },
    #[error("a cross-indicator rule names `{0}`, which is not an indicator of the plan")]
    UnknownRuleIndicator(String),
    #[error("outline node `{0}` appears twice")]
    DuplicateNode(String),
}

impl PlanDoc {
    /// Checks what the types cannot: unique codes, known departments,
    /// value shapes that fit the comparator.
    pub fn validate(&self) -> Result<(), PlanDocError> {
        self.settings.check_thresholds()?;
        self.settings.check_levels()?;
        let p = &self.plan;
        if p.start_year >= p.end_year {
            return Err(PlanDocError::Period {
                start: p.start_year,
                end: p.end_year,
            });
        }
        let mut nodes = std::collections::HashSet::new();
        for n in &self.outline {
            if !nodes.insert(n.node.as_str()) {
                return Err(PlanDocError::DuplicateNode(n.node.clone()));
            }
        }
        let mut seen = std::collections::HashSet::new();
        let depts: std::collections::HashSet<&str> = self.departments.iter().map(|d| d.code.as_str()).collect();
        for i in &self.indicators {
            if !seen.insert(i.code.as_str()) {
                return Err(PlanDocError::DuplicateCode(i.code.clone()));
            }
            let bad = |what: &str| PlanDocError::Indicator {
                code: i.code.clone(),
                what: what.to_string(),
            };
            let t = &i.target;
            match (t.kind, t.value, t.comparator, t.value_max) {
                (TargetKind::Relative, _, _, _) => {}
                (_, None, _, _) => return Err(bad("target has no value (only relative targets may lack one)")),
                (_, Some(_), Comparator::Range, None) => return Err(bad("a range target needs value_max")),
                (_, Some(v), Comparator::Range, Some(m)) if m < v => return Err(bad("value_max is below value")),
                (_, Some(_), c, Some(_)) if c != Comparator::Range => {
                    return Err(bad("value_max is only for range targets"))
                }
                _ => {}
            }
            for d in i.departments.iter().chain(&i.co_departments) {
                if !depts.contains(d.as_str()) {
                    return Err(PlanDocError::UnknownDepartment {
                        owner: i.code.clone(),
                        department: d.clone(),
                    });
                }
            }
        }
        for r in &self.cross_rules {
            for c in std::iter::once(&r.whole).chain(&r.parts) {
                if !seen.contains(c.as_str()) {
                    return Err(PlanDocError::UnknownRuleIndicator(c.clone()));
                }
            }
            if r.parts.is_empty() {
                return Err(PlanDocError::UnknownRuleIndicator(format!("{} (no parts)", r.whole)));
            }
        }
        for i in &self.indicators {
            if let (Some(min), Some(max)) = (i.rules.min, i.rules.max) {
                if min > max {
                    return Err(PlanDocError::Indicator {
                        code: i.code.clone(),
                        what: format!("rules: min {min} is above max {max}"),
                    });
                }
            }
        }
        for t in &self.tasks {
            for d in t.departments.iter().chain(&t.co_departments) {
                if !depts.contains(d.as_str()) {
                    return Err(PlanDocError::UnknownDepartment {
                        owner: t.code.clone(),
                        department: d.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// Direction of an indicator from the comparator and measure of its target:
/// a ceiling on a level is lower-is-better.
pub fn direction_of(comparator: Comparator, measure: Measure) -> Direction {
    match (comparator, measure) {
        (Comparator::AtMost, Measure::Level) => Direction::LowerIsBetter,
        _ => Direction::HigherIsBetter,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_out_of_order_are_refused_by_validate() {
        // The same rule for the administration page and `lantu plan apply`.
        let mut d = doc();
        d.validate().expect("valid");
        d.settings.on_track_ratio = d.settings.ahead_ratio;
        assert!(matches!(d.validate(), Err(PlanDocError::Thresholds(_))));
        let mut d = doc();
        d.settings.approx_tolerance = Decimal::ONE;
        assert!(matches!(d.validate(), Err(PlanDocError::Thresholds(_))));
        let mut d = doc();
        d.settings.on_track_ratio = Decimal::ZERO;
        assert!(matches!(d.validate(), Err(PlanDocError::Thresholds(_))));
    }

    fn doc() -> PlanDoc {
        PlanDoc {
            plan: PlanMeta {
                id: None,
                name: "某区规划".into(),
                region: "某区".into(),
                level: PlanLevel::District,
                kind: PlanKind::Master,
                issuer: None,
                issued_on: None,
                start_year: 2021,
                end_year: 2025,
                vision_year: Some(2035),
                parent: None,
                state: PlanState::Draft,
                source: None,
            },
            settings: PlanSettings::default(),
            outline: Vec::new(),
            departments: vec![DepartmentDoc {
                code: "tj".into(),
                name: "统计局".into(),
            }],
            indicators: vec![IndicatorDoc {
                code: "t001".into(),
                name: "森林覆盖率".into(),
                unit: Some("%".into()),
                category: None,
                attribute: Attribute::Binding,
                measure: Measure::Level,
                direction: Direction::HigherIsBetter,
                departments: vec!["tj".into()],
                co_departments: vec![],
                data_source: None,
                frequency: Frequency::Annual,
                target: TargetDoc {
                    comparator: Comparator::AtLeast,
                    value: Some(Decimal::new(245, 1)),
                    value_max: None,
                    year: 2025,
                    kind: TargetKind::Numeric,
                    reason: None,
                },
                baseline: Some(BaselineDoc {
                    value: Decimal::new(241, 1),
                    year: 2020,
                }),
                source: Source::default(),
                rules: IndicatorRules::default(),
            }],
            tasks: vec![],
            projects: vec![],
            cross_rules: vec![],
        }
    }

    #[test]
    fn validation_finds_what_types_cannot() {
        assert_eq!(doc().validate(), Ok(()));
        let mut d = doc();
        d.indicators.push(d.indicators[0].clone());
        assert_eq!(d.validate(), Err(PlanDocError::DuplicateCode("t001".into())));
        let mut d = doc();
        d.indicators[0].departments = vec!["nope".into()];
        assert!(matches!(d.validate(), Err(PlanDocError::UnknownDepartment { .. })));
        let mut d = doc();
        d.indicators[0].target.comparator = Comparator::Range;
        assert!(matches!(d.validate(), Err(PlanDocError::Indicator { .. })));
    }

    #[test]
    fn decimals_survive_serde_exactly() {
        let d = doc();
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.contains("\"24.5\""), "{json}");
        let back: PlanDoc = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn a_document_without_identity_fields_still_loads() {
        let mut json = serde_json::to_value(doc()).unwrap();
        let plan = json["plan"].as_object_mut().unwrap();
        for k in ["kind", "issuer", "issued_on"] {
            plan.remove(k);
        }
        let back: PlanDoc = serde_json::from_value(json).unwrap();
        assert_eq!((back.plan.kind, back.plan.issuer), (PlanKind::Master, None));
        let mut d = doc();
        d.plan.kind = PlanKind::Special;
        d.plan.issued_on = Some("2021-10-27".into());
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.contains("\"kind\":\"special\""), "{json}");
        assert_eq!(serde_json::from_str::<PlanDoc>(&json).unwrap(), d);
    }
}
