//! Scoring the plan's identity (`plan` of the gold, `data/gold/README.md`):
//! title, region, level, kind and period, each right or wrong.

use lantu_core::plan::{PlanKind, PlanLevel};
use serde::{Deserialize, Serialize};

use super::normalize;
use crate::model::PlanInfo;

/// What the gold says about the plan itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldPlan {
    /// Accepted titles; whitespace, brackets, quotes and 《》 are ignored.
    #[serde(default)]
    pub titles: Vec<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub level: Option<PlanLevel>,
    #[serde(default)]
    pub kind: Option<PlanKind>,
    #[serde(default)]
    pub start_year: Option<i32>,
    #[serde(default)]
    pub end_year: Option<i32>,
}

/// Which identity fields are right. A field the gold leaves out counts as
/// right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityScore {
    pub title: bool,
    pub region: bool,
    pub level: bool,
    pub kind: bool,
    /// Start and end year both.
    pub period: bool,
}

impl IdentityScore {
    pub fn all_right(&self) -> bool {
        self.title && self.region && self.level && self.kind && self.period
    }

    /// The names of the wrong fields.
    pub fn wrong(&self) -> Vec<&'static str> {
        [
            (self.title, "title"),
            (self.region, "region"),
            (self.level, "level"),
            (self.kind, "kind"),
            (self.period, "period"),
        ]
        .into_iter()
        .filter(|(ok, _)| !ok)
        .map(|(_, name)| name)
        .collect()
    }
}

/// A title or region in the form they compare in: NFKC, no whitespace, no
/// brackets, quotes or 《》.
pub fn identity_key(s: &str) -> String {
    normalize(s)
        .chars()
        .filter(|c| !"()（）[]［］【】〔〕《》<>〈〉“”\"'‘’「」『』".contains(*c))
        .collect()
}

/// Compares the extracted identity with the gold's.
pub fn score_identity(plan: &PlanInfo, gold: &GoldPlan) -> IdentityScore {
    let title = identity_key(&plan.title);
    IdentityScore {
        title: gold.titles.is_empty() || gold.titles.iter().any(|t| identity_key(t) == title),
        region: gold
            .region
            .as_ref()
            .is_none_or(|r| identity_key(r) == identity_key(&plan.region)),
        level: gold.level.is_none_or(|l| plan.level == Some(l)),
        kind: gold.kind.is_none_or(|k| plan.kind == Some(k)),
        period: gold.start_year.is_none_or(|y| y == plan.start_year)
            && gold.end_year.is_none_or(|y| y == plan.end_year),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_compare_without_brackets_and_spaces() {
        let plan = PlanInfo {
            title: "(天津市)津南区国民经济和社会发展十四五规划(2022年更新)".into(),
            region: "天津市津南区".into(),
            level: Some(PlanLevel::District),
            kind: Some(PlanKind::Master),
            start_year: 2021,
            end_year: 2025,
            ..PlanInfo::default()
        };
        let gold: GoldPlan = serde_json::from_str(
            r#"{"titles": ["天津市津南区国民经济和社会发展第十四个五年规划", "（天津市）津南区国民经济和社会发展“十四五”规划 (2022年更新)"],
                "region": "天津市 津南区", "level": "district", "kind": "master", "start_year": 2021, "end_year": 2025}"#,
        )
        .unwrap();
        let s = score_identity(&plan, &gold);
        assert!(s.all_right(), "{s:?}");
        let wrong = PlanInfo {
            level: Some(PlanLevel::City),
            kind: None,
            end_year: 2030,
            ..plan
        };
        assert_eq!(score_identity(&wrong, &gold).wrong(), vec!["level", "kind", "period"]);
    }
}
