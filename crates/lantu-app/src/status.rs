//! Progress status of a plan in one evaluation year, as `lantu status`
//! prints it: the judgement of [`crate::assess::judge`] (the one pipeline
//! the dashboard, the API and the reports use too) with each indicator's
//! target version, latest figure and number of counted figures; roll-ups
//! count the conclusions by chapter, category, department and attribute.

use crate::assess::{judge, Judgement, Visibility, Year};
use crate::{App, Result};
use lantu_core::plan::BaselineDoc;
use lantu_core::progress::{rollup, Assessment, Observation, Status, StatusCounts, Tolerances};
use lantu_core::{Attribute, Direction, Measure};
use lantu_store::TargetVersion;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which figures count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    /// The latest approved or published vintage of each figure: the
    /// evaluation as it stands.
    #[default]
    Reviewed,
    /// The latest vintage whatever its state: the office's preview.
    All,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusOptions {
    pub counted: Counted,
    /// `None`: the plan's own settings.
    pub tolerances: Option<Tolerances>,
}

/// One indicator's status in the evaluation year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorStatus {
    pub code: String,
    pub name: String,
    pub unit: Option<String>,
    pub category: Option<String>,
    pub attribute: Attribute,
    pub measure: Measure,
    pub direction: Direction,
    /// Outline node (c3.s1.i2) and its chapter (c3).
    pub node: Option<String>,
    pub chapter: Option<String>,
    /// Responsible departments (codes), then co-responsible ones.
    pub departments: Vec<String>,
    pub co_departments: Vec<String>,
    /// The target version in force in the evaluation year.
    pub target: TargetVersion,
    pub baseline: Option<BaselineDoc>,
    /// The latest counted figure up to the evaluation year (the plan's own
    /// area).
    pub latest: Option<Observation>,
    /// Counted figures up to the evaluation year.
    pub observations: usize,
    /// The engine's judgement; `None` for a target without a number
    /// (relative targets, 完成上级下达任务), which is judged by hand.
    pub assessment: Option<Assessment>,
}

impl IndicatorStatus {
    /// The status for roll-ups: unassessed targets count as not assessable.
    pub fn status(&self) -> Status {
        self.assessment.as_ref().map_or(Status::NotAssessable, |a| a.status)
    }
}

/// Counts of statuses, overall and by chapter, category, responsible
/// department and attribute (`binding` / `expected`). A missing chapter or
/// category is counted under "".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rollups {
    pub total: StatusCounts,
    pub by_chapter: BTreeMap<String, StatusCounts>,
    pub by_category: BTreeMap<String, StatusCounts>,
    pub by_department: BTreeMap<String, StatusCounts>,
    pub by_attribute: BTreeMap<String, StatusCounts>,
}

/// Rolls statuses up with [`lantu_core::progress::rollup`].
pub fn rollups(items: &[IndicatorStatus]) -> Rollups {
    Rollups {
        total: items.iter().map(IndicatorStatus::status).collect(),
        by_chapter: rollup(
            items
                .iter()
                .map(|i| (i.chapter.clone().unwrap_or_default(), i.status())),
        ),
        by_category: rollup(
            items
                .iter()
                .map(|i| (i.category.clone().unwrap_or_default(), i.status())),
        ),
        by_department: rollup(
            items
                .iter()
                .flat_map(|i| i.departments.iter().map(move |d| (d.clone(), i.status()))),
        ),
        by_attribute: rollup(items.iter().map(|i| (i.attribute.as_str().to_string(), i.status()))),
    }
}

impl Counted {
    fn visibility(self) -> Visibility {
        match self {
            Counted::Reviewed => Visibility::Internal,
            Counted::All => Visibility::Preview,
        }
    }
}

impl App {
    /// Every active indicator's status in evaluation year `year`, by code.
    /// Figures of the plan's own area count (not those of its towns), up to
    /// `year`.
    pub async fn status(&self, plan_id: i64, year: i32, options: &StatusOptions) -> Result<Vec<IndicatorStatus>> {
        let Judgement {
            doc,
            mut targets,
            records,
            indicators,
            ..
        } = judge(
            &self.store,
            plan_id,
            Year::Exactly(year),
            options.counted.visibility(),
            options.tolerances,
        )
        .await?;
        let mut out = Vec::with_capacity(indicators.len());
        for (d, judged) in doc.indicators.into_iter().zip(indicators) {
            let Some(target) = targets.remove(&d.code) else {
                continue;
            };
            let latest = judged
                .figures
                .last()
                .map(|&i| Observation::new(records[i].period, records[i].value));
            out.push(IndicatorStatus {
                chapter: d
                    .source
                    .node
                    .as_ref()
                    .map(|n| n.split('.').next().unwrap_or(n).to_string()),
                node: d.source.node,
                code: d.code,
                name: d.name,
                unit: d.unit,
                category: d.category,
                attribute: d.attribute,
                measure: d.measure,
                direction: d.direction,
                departments: d.departments,
                co_departments: d.co_departments,
                target,
                baseline: d.baseline,
                latest,
                observations: judged.figures.len(),
                assessment: judged.assessment,
            });
        }
        Ok(out)
    }
}
