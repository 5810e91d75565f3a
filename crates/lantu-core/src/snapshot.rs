//! Where a plan stands in one evaluation year, as the dashboard and the
//! reports show it: every indicator with its target in force, baseline,
//! figures and judgement, the tasks and projects, and notes on the data.
//! Built by the store, read by the web and the report writers; plain data.

use crate::account::Role;
use crate::plan::{BaselineDoc, PlanMeta, TargetDoc};
use crate::progress::{Assessment, Period};
use crate::{Attribute, Measure};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// 年度监测 / 中期评估 / 总结评估.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Annual,
    Midterm,
    Final,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [ReportKind::Annual, ReportKind::Midterm, ReportKind::Final];

    /// `annual` / `midterm` / `final`: the name in file names, URLs, JSON
    /// and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Annual => "annual",
            ReportKind::Midterm => "midterm",
            ReportKind::Final => "final",
        }
    }

    /// The kind named by its [`code`](ReportKind::code).
    pub fn from_code(code: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ReportKind::Annual => "年度监测报告",
            ReportKind::Midterm => "中期评估报告",
            ReportKind::Final => "总结评估报告",
        }
    }

    /// The evaluation a planning office writes for `year` of the period
    /// `start`–`end`: the final evaluation in the last year (or after),
    /// the mid-term one in the middle year, otherwise annual monitoring.
    pub fn of_year(year: i32, start: i32, end: i32) -> ReportKind {
        let span = f64::from(end - start + 1);
        let elapsed = (f64::from(year - start + 1) / span).clamp(0.0, 1.0);
        if year >= end {
            ReportKind::Final
        } else if elapsed >= 0.5 && year == (start + end) / 2 {
            ReportKind::Midterm
        } else {
            ReportKind::Annual
        }
    }

    /// 年度监测 / 中期评估 / 总结评估: the evaluation's name without 报告.
    pub fn evaluation_zh(self) -> &'static str {
        match self {
            ReportKind::Annual => "年度监测",
            ReportKind::Midterm => "中期评估",
            ReportKind::Final => "总结评估",
        }
    }

    pub fn evaluation_en(self) -> &'static str {
        match self {
            ReportKind::Annual => "annual monitoring",
            ReportKind::Midterm => "mid-term evaluation",
            ReportKind::Final => "final evaluation",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ReportKind::Annual => "Annual monitoring report",
            ReportKind::Midterm => "Mid-term evaluation report",
            ReportKind::Final => "Final evaluation report",
        }
    }
}

/// A chapter (or part) of the plan, for grouping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chapter {
    /// Outline id (c3).
    pub id: String,
    pub number: Option<u32>,
    pub title: String,
}

/// One figure with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub period: Period,
    pub value: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// How many times the figure was revised (vintage − 1).
    #[serde(default)]
    pub revisions: u32,
    /// Store id of the observation vintage the figure is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observation_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Chapter id the indicator belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    pub attribute: Attribute,
    pub measure: Measure,
    /// Names of the responsible departments.
    #[serde(default)]
    pub departments: Vec<String>,
    /// The target version in force in the evaluation year.
    pub target: TargetDoc,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineDoc>,
    /// Figures up to the evaluation year, oldest first.
    #[serde(default)]
    pub figures: Vec<Figure>,
    pub assessment: Assessment,
}

impl IndicatorRow {
    pub fn latest(&self) -> Option<&Figure> {
        self.figures.last()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub departments: Vec<String>,
    /// done / on_schedule / overdue / not_started, from the work-plan entries.
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectRow {
    pub code: String,
    pub name: String,
    /// done / on_schedule / overdue / not_started.
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_investment: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_investment: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    pub indicator: String,
    pub period: Period,
    pub from: Decimal,
    pub to: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DataNotes {
    /// Distinct sources of the figures used.
    pub sources: Vec<String>,
    /// Figures revised since the last report.
    pub revisions: Vec<Revision>,
    /// Codes of indicators with no figure.
    pub without_data: Vec<String>,
    /// The figures are illustrative sample data, not published statistics.
    pub sample_data: bool,
}

/// An evaluation comment (评估意见) as a report quotes it: only in reports
/// for staff, never in the public portal's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentNote {
    /// The indicator's name; `None`: the plan as a whole.
    pub indicator: Option<String>,
    /// The evaluation year it is about.
    pub year: Option<i32>,
    pub author: String,
    pub role: Role,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub body: String,
}

/// The state of one plan in one evaluation year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub plan: PlanMeta,
    pub evaluation_year: i32,
    pub chapters: Vec<Chapter>,
    pub indicators: Vec<IndicatorRow>,
    #[serde(default)]
    pub tasks: Vec<TaskRow>,
    #[serde(default)]
    pub projects: Vec<ProjectRow>,
    #[serde(default)]
    pub notes: DataNotes,
    /// Evaluation comments up to the evaluation year, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<CommentNote>,
    /// The plan's tolerance of approximate targets (0.05 = ±5 %), for the
    /// band the charts draw.
    #[serde(default = "default_approx_tolerance")]
    pub approx_tolerance: Decimal,
}

fn default_approx_tolerance() -> Decimal {
    crate::progress::Tolerances::default().approx_tolerance
}

impl Snapshot {
    /// Share of the plan period that has run by the end of the evaluation
    /// year (2023 of 2021–2025 → 0.6): 时间过半 when ≥ 0.5.
    pub fn time_elapsed(&self) -> f64 {
        let span = (self.plan.end_year - self.plan.start_year + 1) as f64;
        ((self.evaluation_year - self.plan.start_year + 1) as f64 / span).clamp(0.0, 1.0)
    }

    /// The report a planning office writes in this year.
    pub fn default_kind(&self) -> ReportKind {
        ReportKind::of_year(self.evaluation_year, self.plan.start_year, self.plan.end_year)
    }
}

#[cfg(test)]
mod tests {
    use super::ReportKind;

    #[test]
    fn the_evaluation_a_year_is() {
        let kinds: Vec<ReportKind> = (2021..=2026).map(|y| ReportKind::of_year(y, 2021, 2025)).collect();
        use ReportKind::*;
        assert_eq!(kinds, [Annual, Annual, Midterm, Annual, Final, Final]);
        // A six-year period: the middle year (2023) has run half the time.
        assert_eq!(ReportKind::of_year(2023, 2021, 2026), Midterm);
        assert_eq!(ReportKind::of_year(2020, 2021, 2025), Annual);
    }

    #[test]
    fn a_kind_is_named_by_its_code_as_in_json() {
        for k in ReportKind::ALL {
            assert_eq!(ReportKind::from_code(k.code()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.code()));
        }
        assert_eq!(ReportKind::from_code("anual"), None);
    }
}
