//! The planner's review of a draft indicator system (审核工作台): each
//! extracted or added indicator is unreviewed, accepted or rejected, and
//! its attribute 约束性/预期性 counts as set only once the plan's text says
//! it or the planner chose it.

use serde::{Deserialize, Serialize};

/// Where one record of a draft stands in the planner's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Read by the extractor, not yet looked at.
    #[default]
    Unreviewed,
    /// Kept by the planner (as read, or corrected).
    Accepted,
    /// Not a target of the plan: retired, kept with its history.
    Rejected,
}

impl ReviewState {
    pub const ALL: [ReviewState; 3] = [ReviewState::Unreviewed, ReviewState::Accepted, ReviewState::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Unreviewed => "unreviewed",
            ReviewState::Accepted => "accepted",
            ReviewState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewState> {
        ReviewState::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// (Chinese, English) label.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            ReviewState::Unreviewed => ("待审核", "unreviewed"),
            ReviewState::Accepted => ("已接受", "accepted"),
            ReviewState::Rejected => ("已驳回", "rejected"),
        }
    }
}

/// The review of one indicator of a draft, by its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordReview {
    pub code: String,
    pub state: ReviewState,
    /// 约束性/预期性 is known (from the text or the planner), not the
    /// extractor's default.
    pub attribute_set: bool,
    /// The indicator's name when reviewed (a rejected one is no longer in
    /// the indicator system).
    pub label: String,
    /// `[start, end)` in characters of the plan text.
    pub span: Option<[usize; 2]>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip() {
        for s in ReviewState::ALL {
            assert_eq!(ReviewState::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReviewState::parse("adopted"), None);
    }
}
