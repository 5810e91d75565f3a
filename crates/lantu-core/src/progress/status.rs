//! The evaluation vocabulary (评估结论), the reasons behind a conclusion,
//! and roll-ups of conclusions by chapter, category, department or attribute.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The conclusion about one target in one evaluation year.
///
/// Before the target year: [`Achieved`](Status::Achieved),
/// [`Ahead`](Status::Ahead), [`OnTrack`](Status::OnTrack) or
/// [`Lagging`](Status::Lagging); in or after the target year:
/// [`Completed`](Status::Completed) or [`NotCompleted`](Status::NotCompleted);
/// at any time [`NoData`](Status::NoData) or
/// [`NotAssessable`](Status::NotAssessable).
///
/// `Ord` follows the order above (for stable table columns and map keys);
/// to compare how good two conclusions are, use [`Status::rank`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 提前实现: the latest value already meets the target.
    Achieved,
    /// 快于预期: progress runs ahead of elapsed time.
    Ahead,
    /// 基本符合预期: progress keeps pace with elapsed time.
    OnTrack,
    /// 滞后: progress falls behind elapsed time.
    Lagging,
    /// 完成: met in the target year (final evaluation).
    Completed,
    /// 未完成: not met in the target year (final evaluation).
    NotCompleted,
    /// 无数据: no observation to judge by.
    NoData,
    /// 无法评估: data exist but the target cannot be judged (see the reason).
    NotAssessable,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Achieved,
        Status::Ahead,
        Status::OnTrack,
        Status::Lagging,
        Status::Completed,
        Status::NotCompleted,
        Status::NoData,
        Status::NotAssessable,
    ];

    /// The stable code used in JSON: `achieved`, `ahead`, `on_track`,
    /// `lagging`, `completed`, `not_completed`, `no_data`, `not_assessable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::Ahead => "ahead",
            Status::OnTrack => "on_track",
            Status::Lagging => "lagging",
            Status::Completed => "completed",
            Status::NotCompleted => "not_completed",
            Status::NoData => "no_data",
            Status::NotAssessable => "not_assessable",
        }
    }

    /// The planning office's own word.
    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Achieved => "提前实现",
            Status::Ahead => "快于预期",
            Status::OnTrack => "基本符合预期",
            Status::Lagging => "滞后",
            Status::Completed => "完成",
            Status::NotCompleted => "未完成",
            Status::NoData => "无数据",
            Status::NotAssessable => "无法评估",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Status::Achieved => "Achieved early",
            Status::Ahead => "Ahead of schedule",
            Status::OnTrack => "On track",
            Status::Lagging => "Lagging",
            Status::Completed => "Completed",
            Status::NotCompleted => "Not completed",
            Status::NoData => "No data",
            Status::NotAssessable => "Not assessable",
        }
    }

    /// Parses the JSON code (`on_track`, …).
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == code)
    }

    /// How good the conclusion is, for sorting and comparing: before the
    /// target year Lagging 0 < OnTrack 1 < Ahead 2 < Achieved 3; at the
    /// final evaluation NotCompleted 0 < Completed 1. `None` for NoData and
    /// NotAssessable, which say nothing about progress.
    pub fn rank(self) -> Option<u8> {
        match self {
            Status::Lagging | Status::NotCompleted => Some(0),
            Status::OnTrack | Status::Completed => Some(1),
            Status::Ahead => Some(2),
            Status::Achieved => Some(3),
            Status::NoData | Status::NotAssessable => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the engine reached its conclusion: a stable code (serialised in
/// snake_case) with plain words in English and Chinese for the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Achieved: the latest value meets the target.
    MetEarly,
    /// Ahead: the value has gone past the target range (or past the
    /// tolerance of an approximate target) on the far side from the baseline.
    Overshoot,
    AheadOfSchedule,
    OnSchedule,
    BehindSchedule,
    /// Lagging and further from the target than the baseline (regressing).
    MovingAway,
    /// Lagging: the baseline met the target, the latest value does not
    /// (maintain-type targets, 保持在……以上).
    NoLongerMet,
    /// A ceiling on a flow, a growth rate or a reduction, used no faster
    /// than time elapses.
    WithinAllowance,
    /// A ceiling used faster than time elapses.
    AllowanceUsedTooFast,
    /// A ceiling for the whole period already exceeded.
    AllowanceExceeded,
    MetInTargetYear,
    NotMetInTargetYear,
    /// Final evaluation judged on a figure from before the target year,
    /// which does not meet the target.
    TargetYearFigureMissing,
    NoObservations,
    NoObservationSinceBaseline,
    /// Not assessable: the latest observation is from the baseline year, so
    /// no time has elapsed to compare progress with.
    NoTimeElapsed,
    NoBaseline,
    TargetYearNotAfterBaseline,
    EvaluationBeforeBaseline,
    /// A range target without `value_max`.
    MissingUpperBound,
    /// A range target whose `value_max` is below `value`.
    ReversedRange,
    /// A reduction of more than 100 %.
    ReductionAbove100,
    /// A growth rate of −100 % or less.
    GrowthBelowMinus100,
    /// Growth and reduction need positive levels (a ratio of levels).
    NonPositiveLevel,
    /// Numbers too large or too small to compare.
    NumericLimit,
}

impl Reason {
    pub fn en(self) -> &'static str {
        match self {
            Reason::MetEarly => "The latest value already meets the target.",
            Reason::Overshoot => "The latest value has gone past the target range.",
            Reason::AheadOfSchedule => "Progress is ahead of the time elapsed.",
            Reason::OnSchedule => "Progress keeps pace with the time elapsed.",
            Reason::BehindSchedule => "Progress is behind the time elapsed.",
            Reason::MovingAway => "The latest value is further from the target than the baseline.",
            Reason::NoLongerMet => "The baseline met the target, but the latest value no longer does.",
            Reason::WithinAllowance => "The ceiling is being used no faster than time elapses.",
            Reason::AllowanceUsedTooFast => "The ceiling is being used faster than time elapses.",
            Reason::AllowanceExceeded => "The ceiling for the whole period is already exceeded.",
            Reason::MetInTargetYear => "The target is met.",
            Reason::NotMetInTargetYear => "The target is not met.",
            Reason::TargetYearFigureMissing => {
                "The target year's figure is missing, and the latest figure does not meet the target."
            }
            Reason::NoObservations => "No figures up to the evaluation year.",
            Reason::NoObservationSinceBaseline => "No figures after the baseline year.",
            Reason::NoTimeElapsed => "The latest figure is from the baseline year; progress cannot be judged yet.",
            Reason::NoBaseline => "No baseline, and the target is not met yet.",
            Reason::TargetYearNotAfterBaseline => "The target year is not after the baseline year.",
            Reason::EvaluationBeforeBaseline => "The evaluation year is before the baseline year.",
            Reason::MissingUpperBound => "A range target needs an upper bound (value_max).",
            Reason::ReversedRange => "The range's upper bound is below its lower bound.",
            Reason::ReductionAbove100 => "A reduction cannot exceed 100 %.",
            Reason::GrowthBelowMinus100 => "An annual growth rate must be above −100 %.",
            Reason::NonPositiveLevel => "Growth and reduction need positive levels.",
            Reason::NumericLimit => "The numbers are too large or too small to compare.",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Reason::MetEarly => "最新值已达到目标。",
            Reason::Overshoot => "最新值已超出目标区间。",
            Reason::AheadOfSchedule => "进度快于时序进度。",
            Reason::OnSchedule => "进度与时序进度基本同步。",
            Reason::BehindSchedule => "进度慢于时序进度。",
            Reason::MovingAway => "最新值比基期值更偏离目标。",
            Reason::NoLongerMet => "基期已达到目标，但最新值未保持。",
            Reason::WithinAllowance => "控制额度的使用未快于时序进度。",
            Reason::AllowanceUsedTooFast => "控制额度的使用快于时序进度。",
            Reason::AllowanceExceeded => "已超出规划期控制额度。",
            Reason::MetInTargetYear => "目标已实现。",
            Reason::NotMetInTargetYear => "目标未实现。",
            Reason::TargetYearFigureMissing => "缺少目标年数据，最新数据未达到目标。",
            Reason::NoObservations => "评估年及以前没有监测数据。",
            Reason::NoObservationSinceBaseline => "基期年之后没有监测数据。",
            Reason::NoTimeElapsed => "最新数据为基期年数据，尚无法判断进度。",
            Reason::NoBaseline => "缺少基期值，且尚未达到目标。",
            Reason::TargetYearNotAfterBaseline => "目标年不晚于基期年。",
            Reason::EvaluationBeforeBaseline => "评估年早于基期年。",
            Reason::MissingUpperBound => "区间目标缺少上限（value_max）。",
            Reason::ReversedRange => "区间目标的上限小于下限。",
            Reason::ReductionAbove100 => "下降幅度不能超过100%。",
            Reason::GrowthBelowMinus100 => "年均增速必须大于-100%。",
            Reason::NonPositiveLevel => "增速和降幅的计算需要正的水平值。",
            Reason::NumericLimit => "数值过大或过小，无法比较。",
        }
    }
}

/// How many targets have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub achieved: usize,
    pub ahead: usize,
    pub on_track: usize,
    pub lagging: usize,
    pub completed: usize,
    pub not_completed: usize,
    pub no_data: usize,
    pub not_assessable: usize,
}

impl StatusCounts {
    pub fn add(&mut self, status: Status) {
        *self.slot(status) += 1;
    }

    pub fn get(&self, status: Status) -> usize {
        match status {
            Status::Achieved => self.achieved,
            Status::Ahead => self.ahead,
            Status::OnTrack => self.on_track,
            Status::Lagging => self.lagging,
            Status::Completed => self.completed,
            Status::NotCompleted => self.not_completed,
            Status::NoData => self.no_data,
            Status::NotAssessable => self.not_assessable,
        }
    }

    pub fn total(&self) -> usize {
        Status::ALL.iter().map(|s| self.get(*s)).sum()
    }

    fn slot(&mut self, status: Status) -> &mut usize {
        match status {
            Status::Achieved => &mut self.achieved,
            Status::Ahead => &mut self.ahead,
            Status::OnTrack => &mut self.on_track,
            Status::Lagging => &mut self.lagging,
            Status::Completed => &mut self.completed,
            Status::NotCompleted => &mut self.not_completed,
            Status::NoData => &mut self.no_data,
            Status::NotAssessable => &mut self.not_assessable,
        }
    }
}

impl FromIterator<Status> for StatusCounts {
    fn from_iter<I: IntoIterator<Item = Status>>(iter: I) -> Self {
        let mut c = StatusCounts::default();
        iter.into_iter().for_each(|s| c.add(s));
        c
    }
}

/// Counts statuses per key: chapter, category, department, attribute, or
/// anything else orderable. A target that belongs to several keys (several
/// responsible departments) is passed once per key.
pub fn rollup<K: Ord + Clone>(items: impl IntoIterator<Item = (K, Status)>) -> BTreeMap<K, StatusCounts> {
    let mut out: BTreeMap<K, StatusCounts> = BTreeMap::new();
    for (k, s) in items {
        out.entry(k).or_default().add(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels() {
        for s in Status::ALL {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
            assert_eq!(Status::from_code(s.as_str()), Some(s));
            assert!(!s.label_zh().is_empty() && !s.label_en().is_empty());
        }
        assert_eq!(Status::OnTrack.as_str(), "on_track");
        assert_eq!(Status::OnTrack.label_zh(), "基本符合预期");
        assert_eq!(Status::Achieved.label_zh(), "提前实现");
    }

    #[test]
    fn rollup_counts_per_key() {
        let r = rollup([
            ("第三章", Status::Lagging),
            ("第二章", Status::OnTrack),
            ("第三章", Status::Achieved),
            ("第三章", Status::Lagging),
        ]);
        assert_eq!(r.len(), 2);
        assert_eq!(r["第三章"].lagging, 2);
        assert_eq!(r["第三章"].achieved, 1);
        assert_eq!(r["第三章"].total(), 3);
        assert_eq!(r["第二章"].get(Status::OnTrack), 1);
    }
}
