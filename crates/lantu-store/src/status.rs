//! Progress status of a plan in one evaluation year: each indicator's
//! target in force that year, its baseline and its counted figures go
//! through [`lantu_core::progress::assess`] with the plan's tolerances;
//! roll-ups count the conclusions by chapter, category, department and
//! attribute.

use crate::db::{code_cmp, col, parse_dec};
use crate::error::{Ctx, Result, StoreError};
use crate::observations::parse_period;
use crate::plans::{in_force, load_indicators, load_meta, TargetVersion};
use crate::Store;
use lantu_core::plan::BaselineDoc;
use lantu_core::progress::{
    assess, rollup, Assessment, Baseline, Observation, Status, StatusCounts, TargetSpec, Tolerances,
};
use lantu_core::{Attribute, Direction, Measure};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

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

/// The engine's view of a target; `None` when it has no number.
pub fn target_spec(
    target: &TargetVersion,
    measure: Measure,
    attribute: Attribute,
    unit: Option<&str>,
) -> Option<TargetSpec> {
    let t = &target.target;
    Some(TargetSpec {
        measure,
        comparator: t.comparator,
        value: t.value?,
        value_max: t.value_max,
        unit: unit.map(str::to_string),
        year: t.year,
        binding: attribute == Attribute::Binding,
    })
}

/// `period:value;…` in vintage order → one observation per period, its
/// last (newest) entry.
fn latest_vintages(indicator_id: i64, text: &str) -> Result<Vec<Observation>> {
    let mut newest: HashMap<&str, &str> = HashMap::new();
    for item in text.split(';') {
        let Some((p, x)) = item.split_once(':') else {
            return Err(StoreError::Corrupt {
                table: "observations",
                id: indicator_id,
                column: "period, value",
                value: item.to_string(),
                what: "a figure of this indicator cannot be read".to_string(),
            });
        };
        newest.insert(p, x);
    }
    newest
        .into_iter()
        .map(|(p, x)| {
            Ok(Observation {
                period: parse_period("observations", indicator_id, p)?,
                value: parse_dec("observations", indicator_id, "value", x)?,
            })
        })
        .collect()
}

impl Store {
    /// Every active indicator's status in evaluation year `year`, by code.
    /// Figures of the plan's own area count (not those of its towns), up to
    /// `year`.
    pub async fn status(&self, plan_id: i64, year: i32, options: &StatusOptions) -> Result<Vec<IndicatorStatus>> {
        let mut tx = self
            .pool
            .begin()
            .await
            .ctx(|| "starting a read transaction".to_string())?;
        let (_, settings) = load_meta(&mut tx, plan_id).await?;
        let tolerances = options.tolerances.unwrap_or_else(|| settings.tolerances());
        let indicators = load_indicators(&mut tx, plan_id).await?;

        let states = match options.counted {
            Counted::Reviewed => " AND o.state IN ('approved', 'published')",
            Counted::All => "",
        };
        // One row per indicator: sqlx's cost is per row, so the figures
        // come as one string `period:value;…` (neither a period nor a
        // decimal contains `:` or `;`), in vintage order, so that the last
        // entry of a period is its newest counted vintage. `string_agg` with
        // ORDER BY is PostgreSQL's and SQLite's (3.44+) syntax.
        let rows = sqlx::query(&format!(
            "SELECT o.indicator_id, string_agg(o.period || ':' || o.value, ';' ORDER BY o.vintage) AS figures \
             FROM observations o WHERE o.indicator_id IN \
             (SELECT id FROM indicators WHERE plan_id = $1 AND retired_at IS NULL) \
             AND o.geography = '' AND o.year <= $2{states} GROUP BY o.indicator_id"
        ))
        .bind(plan_id)
        .bind(year)
        .fetch_all(&mut *tx)
        .await
        .ctx(|| format!("reading the figures of plan {plan_id} up to {year}"))?;
        let mut figures: HashMap<i64, Vec<Observation>> = HashMap::with_capacity(rows.len());
        for r in &rows {
            let ind: i64 = col(r, "indicator_id")?;
            let text: String = col(r, "figures")?;
            figures.insert(ind, latest_vintages(ind, &text)?);
        }
        drop(rows);

        let mut out = Vec::with_capacity(indicators.len());
        for ind in indicators.into_iter().filter(|i| !i.retired) {
            let obs = figures.remove(&ind.id).unwrap_or_default();
            let target = in_force(&ind.versions, Some(year)).clone();
            let d = ind.doc;
            let baseline = d.baseline.as_ref().map(|b| Baseline {
                value: b.value,
                year: b.year,
            });
            let assessment = target_spec(&target, d.measure, d.attribute, d.unit.as_deref())
                .map(|spec| assess(&spec, baseline.as_ref(), &obs, year, &tolerances));
            let latest = obs.iter().max_by_key(|o| o.period).copied();
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
                observations: obs.len(),
                assessment,
            });
        }
        out.sort_by(|a, b| code_cmp(&a.code, &b.code));
        Ok(out)
    }
}
