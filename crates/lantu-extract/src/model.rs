//! What extraction produces: the records of one plan, each traceable to the
//! characters of the input text it came from. This is the `--format json`
//! schema of `lantu extract`; keep it stable.

use lantu_core::plan::{PlanKind, PlanLevel};
use lantu_core::{Attribute, Comparator, Measure, TargetKind};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of *characters* (not bytes) of the input
/// text. Serialised as a two-element array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl From<[usize; 2]> for Span {
    fn from(a: [usize; 2]) -> Self {
        Span { start: a[0], end: a[1] }
    }
}

impl From<Span> for [usize; 2] {
    fn from(s: Span) -> Self {
        [s.start, s.end]
    }
}

/// What the plan says about itself: its title, whose plan it is, what sort
/// of plan, its period, who issued it and when. Each field read from the
/// text has its span in [`PlanInfo::spans`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInfo {
    /// The title (规划纲要), joined across lines, whitespace, 《》 and the
    /// 关于印发……的通知 wrapper removed; empty when none is found.
    pub title: String,
    /// The body that owns the plan (天津市津南区), read from the title, else
    /// from the issuer.
    pub region: String,
    /// national, provincial (省, 自治区, 直辖市), city, district (区, 县,
    /// 旗), town; `null` when the region is unknown.
    #[serde(default)]
    pub level: Option<PlanLevel>,
    /// master (国民经济和社会发展规划纲要), special (专项规划, 实施方案,
    /// 行动计划) or regional (区域规划); `null` without a title.
    #[serde(default)]
    pub kind: Option<PlanKind>,
    /// The issuing body (湖北省文化和旅游厅办公室), when a line names it.
    #[serde(default)]
    pub issuer: Option<String>,
    pub start_year: i32,
    pub end_year: i32,
    /// The long-range vision year (二〇三五年远景目标), if the title names one.
    pub vision_year: Option<i32>,
    /// The issuing date: `YYYY-MM-DD`, or `YYYY-MM` when the day is not given.
    #[serde(default)]
    pub issued_on: Option<String>,
    #[serde(default)]
    pub spans: PlanSpans,
}

/// Where each field of [`PlanInfo`] was read; `null` for a field not found
/// in the text (a period by default, a level implied by the region).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSpans {
    pub title: Option<Span>,
    pub region: Option<Span>,
    pub issuer: Option<Span>,
    pub period: Option<Span>,
    pub vision_year: Option<Span>,
    pub issued_on: Option<Span>,
}

/// What sort of document the text is, judged from its body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Genre {
    /// A plan: it commits to figures for years to come.
    #[default]
    Plan,
    /// 统计公报: a year's results against the year before.
    StatisticalBulletin,
    /// 政府工作报告: the past year reviewed and this year's tasks.
    WorkReport,
    /// 规划实施评估报告: how far a plan has got.
    EvaluationReport,
}

impl Genre {
    pub fn as_str(self) -> &'static str {
        match self {
            Genre::Plan => "plan",
            Genre::StatisticalBulletin => "statistical bulletin (统计公报)",
            Genre::WorkReport => "work report (工作报告)",
            Genre::EvaluationReport => "evaluation report (评估报告)",
        }
    }
}

/// The genre check's verdict and the evidence it rests on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenreVerdict {
    pub genre: Genre,
    /// What in the body decided it (counts of the phrasing of each genre).
    pub reason: String,
}

/// Everything read from one plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    #[serde(default)]
    pub plan: PlanInfo,
    /// Not a plan (a bulletin, a report): no targets, baselines or projects
    /// are read from it.
    #[serde(default)]
    pub genre: GenreVerdict,
    pub outline: Vec<OutlineNode>,
    pub targets: Vec<Target>,
    pub baselines: Vec<Baseline>,
    pub projects: Vec<Project>,
}

/// Level of a node in the plan's outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeLevel {
    /// 第X篇
    Part,
    /// 第X章
    Chapter,
    /// 第X节
    Section,
    /// 专栏 (a box: indicator table, project list)
    Box,
    /// A task item: the lead phrase that opens a paragraph (推进生产绿色化。)
    Item,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutlineNode {
    /// Stable within one extraction: `p1`, `p1.c2`, `c3.s1.i4`, `c3.b1`…
    pub id: String,
    pub level: NodeLevel,
    /// The ordinal the text gives (第三章 → 3), if any.
    pub number: Option<u32>,
    pub title: String,
    /// The heading itself (not the whole body).
    pub span: Span,
    pub children: Vec<OutlineNode>,
}

/// A quantified commitment of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub id: String,
    pub indicator: String,
    pub comparator: Comparator,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub value: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub value_max: Option<Decimal>,
    pub unit: Option<String>,
    pub year: Option<i32>,
    pub quote: String,
    pub kind: TargetKind,
    pub measure: Measure,
    /// 约束性 / 预期性 when the plan says so (indicator tables do).
    pub attribute: Option<Attribute>,
    pub span: Span,
    /// Id of the innermost outline node that holds the quote.
    pub node: Option<String>,
}

/// A figure the plan reports as already achieved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub id: String,
    pub indicator: String,
    #[serde(with = "rust_decimal::serde::float")]
    pub value: Decimal,
    pub unit: Option<String>,
    pub year: Option<i32>,
    pub quote: String,
    pub span: Span,
    pub node: Option<String>,
    /// Targets of this plan that measure the same quantity.
    pub target_ids: Vec<String>,
}

/// A quantity attached to a project: capacity, length, investment, count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    #[serde(with = "rust_decimal::serde::float")]
    pub value: Decimal,
    pub unit: Option<String>,
}

/// A named key project (重点工程/项目).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub name: String,
    /// What is due: 开工, 建成, 竣工, 投产, 推进, 实施……
    pub action: Option<String>,
    pub quantities: Vec<Quantity>,
    /// Year the text ties to the project, if any.
    pub year: Option<i32>,
    pub quote: String,
    pub span: Span,
    pub node: Option<String>,
}
