//! Monitoring data (监测数据): one figure for one indicator, period and place,
//! and the states it passes through before the public sees it.

use crate::progress::Period;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A figure as a department reports it (a row of an import, a cell of the
/// entry grid), already parsed: the indicator is a code of the plan, the
/// value is exact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewObservation {
    pub indicator: String,
    pub period: Period,
    /// The district itself when `None`, else one of its towns or streets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geography: Option<String>,
    pub value: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Why a figure that breaks a warning rule (a large change from the
    /// previous period) is right; kept with the figure for the reviewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Draft → submitted (by the department) → approved (after the last level
/// of the plan's review chain) → published (to the public portal).
/// Returned data goes back to draft with the reviewer's comment; a
/// submitted figure also carries how many levels of the chain it has
/// passed ([`crate::policy::Stage`]), and the last level may take back its
/// approval (approved → submitted) until the figure is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservationState {
    Draft,
    Submitted,
    Approved,
    Published,
}

impl ObservationState {
    pub fn as_str(self) -> &'static str {
        match self {
            ObservationState::Draft => "draft",
            ObservationState::Submitted => "submitted",
            ObservationState::Approved => "approved",
            ObservationState::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<ObservationState> {
        Some(match s {
            "draft" => ObservationState::Draft,
            "submitted" => ObservationState::Submitted,
            "approved" => ObservationState::Approved,
            "published" => ObservationState::Published,
            _ => return None,
        })
    }

    /// Under review (submitted or approved): locked, so the figure gets no
    /// new vintage from any path until it is returned to draft.
    pub fn under_review(self) -> bool {
        matches!(self, ObservationState::Submitted | ObservationState::Approved)
    }

    /// Whether a figure may move from `self` to `to` (返回 = back to draft).
    pub fn can_move_to(self, to: ObservationState) -> bool {
        use ObservationState::*;
        matches!(
            (self, to),
            (Draft, Submitted)
                | (Submitted, Approved)
                | (Submitted, Draft)
                | (Approved, Published)
                | (Approved, Draft)
                | (Approved, Submitted)
        )
    }
}

/// What a vintage is: a figure, a correction of a published figure (its
/// reason in the batch), or a draft the reporter withdrew (kept for the
/// history and the audit, counted nowhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VintageKind {
    #[default]
    Figure,
    Correction,
    Withdrawn,
}

impl VintageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VintageKind::Figure => "figure",
            VintageKind::Correction => "correction",
            VintageKind::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<VintageKind> {
        Some(match s {
            "figure" => VintageKind::Figure,
            "correction" => VintageKind::Correction,
            "withdrawn" => VintageKind::Withdrawn,
            _ => return None,
        })
    }
}
