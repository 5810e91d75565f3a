//! Plans and their indicator system: import a [`PlanDoc`], export it,
//! apply an edited one. Indicators, departments, tasks and projects are
//! definitions and change in place (with an audit entry); a target of an
//! adopted plan never changes in place: a changed target becomes a new
//! version with its reason and the year it takes effect.

use crate::audit::Audit;
use crate::db::{code_cmp, col, current_year, enum_str, parse_dec, parse_enum, parse_opt_dec};
use crate::error::{Ctx, Result, StoreError};
use crate::Store;
use lantu_core::plan::{
    BaselineDoc, DepartmentDoc, IndicatorDoc, OutlineEntry, PlanDoc, PlanDocError, PlanLevel, PlanMeta, PlanSettings,
    PlanState, ProjectDoc, Source, TargetDoc, TaskDoc,
};
use lantu_core::policy::Publication;
use lantu_core::rules::{CrossRule, IndicatorRules};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use std::collections::HashMap;

/// One line of `lantu plan list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub id: i64,
    pub name: String,
    pub region: String,
    pub level: PlanLevel,
    pub start_year: i32,
    pub end_year: i32,
    pub state: PlanState,
    /// Indicators in the indicator system.
    pub indicators: i64,
    /// Indicators whose current target has a number (not a relative one).
    pub targets: i64,
    /// Observation vintages stored for the plan.
    pub observations: i64,
    /// The planner has made the plan public (it is public only once
    /// adopted too: [`PlanSummary::publication`]).
    pub public: bool,
    /// Evaluation years released to the public, in order.
    pub released_years: Vec<i32>,
}

impl PlanSummary {
    /// What the public may see of this plan, by the one rule of
    /// [`Publication`].
    pub fn publication(&self) -> Publication {
        Publication {
            state: self.state,
            public: self.public,
            released_years: self.released_years.iter().copied().collect(),
        }
    }
}

/// One version of an indicator's target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetVersion {
    pub id: i64,
    pub indicator: String,
    /// 1, 2, 3, …
    pub version: i32,
    /// The target; `reason` says why this version replaced the one before.
    pub target: TargetDoc,
    /// The first evaluation year this version applies to.
    pub effective_year: i32,
    pub created_at: String,
    pub created_by: String,
}

/// How [`Store::apply_plan_with`] records changed targets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplyOptions {
    /// The first evaluation year a new target version applies to. Default:
    /// the current year, kept inside the plan period.
    pub effective_year: Option<i32>,
}

/// One added, changed or removed definition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Change {
    /// `plan`, `outline`, `department`, `indicator`, `task` or `project`.
    pub entity: String,
    pub code: String,
}

impl Change {
    fn new(entity: &str, code: &str) -> Change {
        Change {
            entity: entity.to_string(),
            code: code.to_string(),
        }
    }
}

/// What [`Store::apply_plan`] did. Empty when the document equals the
/// stored plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyReport {
    pub added: Vec<Change>,
    pub changed: Vec<Change>,
    /// Definitions no longer in the document: retired, kept with their
    /// history and figures.
    pub removed: Vec<Change>,
    /// Indicators whose target got a new version.
    pub target_versions_added: Vec<String>,
}

impl ApplyReport {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.removed.is_empty()
            && self.target_versions_added.is_empty()
    }
}

// ------------------------------------------------------------ loading

pub(crate) struct StoredIndicator {
    pub(crate) id: i64,
    pub(crate) retired: bool,
    /// The definition with the newest target version.
    pub(crate) doc: IndicatorDoc,
    /// Ascending by version.
    pub(crate) versions: Vec<TargetVersion>,
}

struct Stored<T> {
    id: i64,
    retired: bool,
    doc: T,
}

pub(crate) struct StoredPlan {
    pub(crate) meta: PlanMeta,
    pub(crate) settings: PlanSettings,
    cross_rules: Vec<CrossRule>,
    outline: Vec<OutlineEntry>,
    departments: Vec<Stored<DepartmentDoc>>,
    pub(crate) indicators: Vec<StoredIndicator>,
    tasks: Vec<Stored<TaskDoc>>,
    projects: Vec<Stored<ProjectDoc>>,
}

/// The version in force in `year` (the newest whose effective year is not
/// after it; the first before any), or the newest for `None`.
pub(crate) fn in_force(versions: &[TargetVersion], year: Option<i32>) -> &TargetVersion {
    match year {
        None => versions.last(),
        Some(y) => versions
            .iter()
            .rev()
            .find(|v| v.effective_year <= y)
            .or(versions.first()),
    }
    .expect("every indicator has a target version")
}

impl StoredPlan {
    /// The document of the active definitions, targets as in force in
    /// `year` (the newest for `None`), in a deterministic order.
    pub(crate) fn doc(&self, year: Option<i32>) -> PlanDoc {
        let mut departments: Vec<DepartmentDoc> = self
            .departments
            .iter()
            .filter(|d| !d.retired)
            .map(|d| d.doc.clone())
            .collect();
        departments.sort_by(|a, b| code_cmp(&a.code, &b.code));
        let mut indicators: Vec<IndicatorDoc> = self
            .indicators
            .iter()
            .filter(|i| !i.retired)
            .map(|i| {
                let mut doc = i.doc.clone();
                doc.target = in_force(&i.versions, year).target.clone();
                doc
            })
            .collect();
        indicators.sort_by(|a, b| code_cmp(&a.code, &b.code));
        let mut tasks: Vec<TaskDoc> = self
            .tasks
            .iter()
            .filter(|t| !t.retired)
            .map(|t| t.doc.clone())
            .collect();
        tasks.sort_by(|a, b| code_cmp(&a.code, &b.code));
        let mut projects: Vec<ProjectDoc> = self
            .projects
            .iter()
            .filter(|p| !p.retired)
            .map(|p| p.doc.clone())
            .collect();
        projects.sort_by(|a, b| code_cmp(&a.code, &b.code));
        PlanDoc {
            plan: self.meta.clone(),
            settings: self.settings.clone(),
            outline: self.outline.clone(),
            departments,
            indicators,
            tasks,
            projects,
            cross_rules: self.cross_rules.clone(),
        }
    }
}

fn source_of(r: &AnyRow) -> Result<Source> {
    let start: Option<i64> = col(r, "span_start")?;
    let end: Option<i64> = col(r, "span_end")?;
    Ok(Source {
        node: col(r, "node")?,
        quote: col(r, "quote")?,
        span: match (start, end) {
            (Some(s), Some(e)) => Some([s as usize, e as usize]),
            _ => None,
        },
    })
}

fn span_cols(s: &Source) -> (Option<i64>, Option<i64>) {
    match s.span {
        Some([a, b]) => (Some(a as i64), Some(b as i64)),
        None => (None, None),
    }
}

/// Department links of one kind of owner: owner id → (lead codes, co codes).
async fn links(
    conn: &mut AnyConnection,
    table: &str,
    owner: &str,
    owner_table: &str,
    plan_id: i64,
) -> Result<HashMap<i64, (Vec<String>, Vec<String>)>> {
    let role = if table == "project_departments" {
        "'lead'"
    } else {
        "l.role"
    };
    let rows = sqlx::query(&format!(
        "SELECT l.{owner} AS owner, {role} AS role, l.position, d.code FROM {table} l \
         JOIN {owner_table} o ON o.id = l.{owner} JOIN departments d ON d.id = l.department_id \
         WHERE o.plan_id = $1"
    ))
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await
    .ctx(|| format!("reading {table} of plan {plan_id}"))?;
    let mut tmp: HashMap<i64, Vec<(String, i32, String)>> = HashMap::new();
    for r in &rows {
        tmp.entry(col(r, "owner")?)
            .or_default()
            .push((col(r, "role")?, col(r, "position")?, col(r, "code")?));
    }
    Ok(tmp
        .into_iter()
        .map(|(k, mut v)| {
            v.sort_by_key(|(_, p, _)| *p);
            let pick = |role: &str| {
                v.iter()
                    .filter(|(r, _, _)| r == role)
                    .map(|(_, _, c)| c.clone())
                    .collect()
            };
            (k, (pick("lead"), pick("co")))
        })
        .collect())
}

fn target_version_of(r: &AnyRow, indicator: String) -> Result<TargetVersion> {
    let id: i64 = col(r, "id")?;
    Ok(TargetVersion {
        id,
        indicator,
        version: col(r, "version")?,
        target: TargetDoc {
            comparator: parse_enum("targets", id, "comparator", &col::<String>(r, "comparator")?)?,
            value: parse_opt_dec("targets", id, "value", col(r, "value")?)?,
            value_max: parse_opt_dec("targets", id, "value_max", col(r, "value_max")?)?,
            year: col(r, "year")?,
            kind: parse_enum("targets", id, "kind", &col::<String>(r, "kind")?)?,
            reason: col(r, "reason")?,
        },
        effective_year: col(r, "effective_year")?,
        created_at: col(r, "created_at")?,
        created_by: col(r, "created_by")?,
    })
}

pub(crate) async fn load_meta(conn: &mut AnyConnection, plan_id: i64) -> Result<(PlanMeta, PlanSettings)> {
    let r = sqlx::query(
        "SELECT id, name, region, level, kind, issuer, issued_on, start_year, end_year, vision_year, parent_id, \
         state, source, ahead_ratio, on_track_ratio, approx_tolerance FROM plans WHERE id = $1",
    )
    .bind(plan_id)
    .fetch_optional(&mut *conn)
    .await
    .ctx(|| format!("reading plan {plan_id}"))?
    .ok_or(StoreError::PlanNotFound(plan_id))?;
    let meta = PlanMeta {
        id: Some(plan_id),
        name: col(&r, "name")?,
        region: col(&r, "region")?,
        level: parse_enum("plans", plan_id, "level", &col::<String>(&r, "level")?)?,
        kind: parse_enum("plans", plan_id, "kind", &col::<String>(&r, "kind")?)?,
        issuer: col(&r, "issuer")?,
        issued_on: col(&r, "issued_on")?,
        start_year: col(&r, "start_year")?,
        end_year: col(&r, "end_year")?,
        vision_year: col(&r, "vision_year")?,
        parent: col(&r, "parent_id")?,
        state: parse_enum("plans", plan_id, "state", &col::<String>(&r, "state")?)?,
        source: col(&r, "source")?,
    };
    let settings = PlanSettings {
        ahead_ratio: parse_dec("plans", plan_id, "ahead_ratio", &col::<String>(&r, "ahead_ratio")?)?,
        on_track_ratio: parse_dec(
            "plans",
            plan_id,
            "on_track_ratio",
            &col::<String>(&r, "on_track_ratio")?,
        )?,
        approx_tolerance: parse_dec(
            "plans",
            plan_id,
            "approx_tolerance",
            &col::<String>(&r, "approx_tolerance")?,
        )?,
        review_levels: crate::chain::load_levels(conn, plan_id).await?,
    };
    Ok((meta, settings))
}

/// The plan's cross-indicator rules, kept as JSON (a document the planner
/// edits as a whole, never queried piecewise).
async fn load_cross_rules(conn: &mut AnyConnection, plan_id: i64) -> Result<Vec<CrossRule>> {
    let r = sqlx::query("SELECT cross_rules FROM plans WHERE id = $1")
        .bind(plan_id)
        .fetch_optional(&mut *conn)
        .await
        .ctx(|| format!("reading the rules of plan {plan_id}"))?
        .ok_or(StoreError::PlanNotFound(plan_id))?;
    let text: Option<String> = col(&r, "cross_rules")?;
    json_col("plans", plan_id, "cross_rules", text)
}

/// A JSON column, `NULL` as the default value.
fn json_col<T: serde::de::DeserializeOwned + Default>(
    table: &'static str,
    id: i64,
    column: &'static str,
    text: Option<String>,
) -> Result<T> {
    match text {
        None => Ok(T::default()),
        Some(t) => serde_json::from_str(&t).map_err(|e| StoreError::Corrupt {
            table,
            id,
            column,
            what: e.to_string(),
            value: t,
        }),
    }
}

/// `NULL` for an empty rule set, else its JSON.
fn rules_text(r: &IndicatorRules) -> Option<String> {
    if r.is_empty() {
        None
    } else {
        serde_json::to_string(r).ok()
    }
}

fn cross_rules_text(r: &[CrossRule]) -> Option<String> {
    if r.is_empty() {
        None
    } else {
        serde_json::to_string(r).ok()
    }
}

/// Reads the plan's indicators with every target version (active and
/// retired), keyed as stored.
pub(crate) async fn load_indicators(conn: &mut AnyConnection, plan_id: i64) -> Result<Vec<StoredIndicator>> {
    let rows = sqlx::query(
        "SELECT id, code, name, unit, category, attribute, measure, direction, data_source, frequency, \
         baseline_value, baseline_year, node, quote, span_start, span_end, retired_at, rules \
         FROM indicators WHERE plan_id = $1",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await
    .ctx(|| format!("reading the indicators of plan {plan_id}"))?;
    let mut links = links(conn, "indicator_departments", "indicator_id", "indicators", plan_id).await?;
    let trows = sqlx::query(
        "SELECT t.id, t.indicator_id, t.version, t.comparator, t.value, t.value_max, t.year, t.kind, t.reason, \
         t.effective_year, t.created_at, t.created_by FROM targets t JOIN indicators i ON i.id = t.indicator_id \
         WHERE i.plan_id = $1",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await
    .ctx(|| format!("reading the targets of plan {plan_id}"))?;
    let mut codes: HashMap<i64, String> = HashMap::new();
    for r in &rows {
        codes.insert(col(r, "id")?, col(r, "code")?);
    }
    let mut versions: HashMap<i64, Vec<TargetVersion>> = HashMap::new();
    for r in &trows {
        let ind: i64 = col(r, "indicator_id")?;
        let code = codes.get(&ind).cloned().unwrap_or_default();
        versions.entry(ind).or_default().push(target_version_of(r, code)?);
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = col(r, "id")?;
        let mut v = versions.remove(&id).unwrap_or_default();
        v.sort_by_key(|t| t.version);
        let Some(latest) = v.last() else {
            return Err(StoreError::Corrupt {
                table: "targets",
                id,
                column: "indicator_id",
                value: id.to_string(),
                what: "the indicator has no target version".to_string(),
            });
        };
        let (departments, co_departments) = links.remove(&id).unwrap_or_default();
        let baseline_value = parse_opt_dec("indicators", id, "baseline_value", col(r, "baseline_value")?)?;
        let baseline_year: Option<i32> = col(r, "baseline_year")?;
        let doc = IndicatorDoc {
            code: col(r, "code")?,
            name: col(r, "name")?,
            unit: col(r, "unit")?,
            category: col(r, "category")?,
            attribute: parse_enum("indicators", id, "attribute", &col::<String>(r, "attribute")?)?,
            measure: parse_enum("indicators", id, "measure", &col::<String>(r, "measure")?)?,
            direction: parse_enum("indicators", id, "direction", &col::<String>(r, "direction")?)?,
            departments,
            co_departments,
            data_source: col(r, "data_source")?,
            frequency: parse_enum("indicators", id, "frequency", &col::<String>(r, "frequency")?)?,
            target: latest.target.clone(),
            baseline: match (baseline_value, baseline_year) {
                (Some(value), Some(year)) => Some(BaselineDoc { value, year }),
                _ => None,
            },
            source: source_of(r)?,
            rules: json_col("indicators", id, "rules", col(r, "rules")?)?,
        };
        out.push(StoredIndicator {
            id,
            retired: col::<Option<String>>(r, "retired_at")?.is_some(),
            doc,
            versions: v,
        });
    }
    Ok(out)
}

pub(crate) async fn load_plan(conn: &mut AnyConnection, plan_id: i64) -> Result<StoredPlan> {
    let (meta, settings) = load_meta(conn, plan_id).await?;
    let rows = sqlx::query("SELECT id, code, name, retired_at FROM departments WHERE plan_id = $1")
        .bind(plan_id)
        .fetch_all(&mut *conn)
        .await
        .ctx(|| format!("reading the departments of plan {plan_id}"))?;
    let mut departments = Vec::new();
    for r in &rows {
        departments.push(Stored {
            id: col(r, "id")?,
            retired: col::<Option<String>>(r, "retired_at")?.is_some(),
            doc: DepartmentDoc {
                code: col(r, "code")?,
                name: col(r, "name")?,
            },
        });
    }
    let indicators = load_indicators(conn, plan_id).await?;

    let rows = sqlx::query(
        "SELECT id, code, title, node, quote, span_start, span_end, retired_at FROM tasks WHERE plan_id = $1",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await
    .ctx(|| format!("reading the tasks of plan {plan_id}"))?;
    let mut task_links = links(conn, "task_departments", "task_id", "tasks", plan_id).await?;
    let mut tasks = Vec::new();
    for r in &rows {
        let id: i64 = col(r, "id")?;
        let (departments, co_departments) = task_links.remove(&id).unwrap_or_default();
        tasks.push(Stored {
            id,
            retired: col::<Option<String>>(r, "retired_at")?.is_some(),
            doc: TaskDoc {
                code: col(r, "code")?,
                title: col(r, "title")?,
                departments,
                co_departments,
                source: source_of(r)?,
            },
        });
    }

    let rows = sqlx::query(
        "SELECT id, code, name, action, capacity, planned_investment, start_year, finish_year, node, quote, \
         span_start, span_end, retired_at FROM projects WHERE plan_id = $1",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await
    .ctx(|| format!("reading the projects of plan {plan_id}"))?;
    let mut project_links = links(conn, "project_departments", "project_id", "projects", plan_id).await?;
    let mut projects = Vec::new();
    for r in &rows {
        let id: i64 = col(r, "id")?;
        projects.push(Stored {
            id,
            retired: col::<Option<String>>(r, "retired_at")?.is_some(),
            doc: ProjectDoc {
                code: col(r, "code")?,
                name: col(r, "name")?,
                action: col(r, "action")?,
                capacity: col(r, "capacity")?,
                planned_investment: parse_opt_dec("projects", id, "planned_investment", col(r, "planned_investment")?)?,
                start_year: col(r, "start_year")?,
                finish_year: col(r, "finish_year")?,
                departments: project_links.remove(&id).unwrap_or_default().0,
                source: source_of(r)?,
            },
        });
    }
    let rows = sqlx::query("SELECT node, number, title FROM outline_nodes WHERE plan_id = $1 ORDER BY position")
        .bind(plan_id)
        .fetch_all(&mut *conn)
        .await
        .ctx(|| format!("reading the outline of plan {plan_id}"))?;
    let outline = rows
        .iter()
        .map(|r| {
            Ok(OutlineEntry {
                node: col(r, "node")?,
                number: col::<Option<i32>>(r, "number")?.and_then(|n| u32::try_from(n).ok()),
                title: col(r, "title")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let cross_rules = load_cross_rules(conn, plan_id).await?;
    Ok(StoredPlan {
        meta,
        settings,
        cross_rules,
        outline,
        departments,
        indicators,
        tasks,
        projects,
    })
}

// ------------------------------------------------------------ writing

/// The rows of a plan's definition, by audited table (`$1`: the plan's
/// id): what importing or applying a plan document may write.
const DEFINITION: &[(&str, &str)] = &[
    ("plans", "id = $1"),
    ("plan_review_levels", "plan_id = $1"),
    ("outline_nodes", "plan_id = $1"),
    ("departments", "plan_id = $1"),
    ("indicators", "plan_id = $1"),
    (
        "indicator_departments",
        "indicator_id IN (SELECT id FROM indicators WHERE plan_id = $1)",
    ),
    (
        "targets",
        "indicator_id IN (SELECT id FROM indicators WHERE plan_id = $1)",
    ),
    ("tasks", "plan_id = $1"),
    (
        "task_departments",
        "task_id IN (SELECT id FROM tasks WHERE plan_id = $1)",
    ),
    ("projects", "plan_id = $1"),
    (
        "project_departments",
        "project_id IN (SELECT id FROM projects WHERE plan_id = $1)",
    ),
];

/// Writes definitions within one transaction and audits them.
struct Writer<'a> {
    conn: &'a mut AnyConnection,
    audit: Audit,
    actor: &'a str,
    plan_id: i64,
    /// Department code → id (active ones after the department pass).
    departments: HashMap<String, i64>,
}

impl Writer<'_> {
    fn at(&self) -> String {
        self.audit.at().to_string()
    }

    /// Replaces the plan's outline headings.
    async fn write_outline(&mut self, outline: &[OutlineEntry]) -> Result<()> {
        let plan_id = self.plan_id;
        sqlx::query("DELETE FROM outline_nodes WHERE plan_id = $1")
            .bind(plan_id)
            .execute(&mut *self.conn)
            .await
            .ctx(|| format!("clearing the outline of plan {plan_id}"))?;
        for (position, n) in outline.iter().enumerate() {
            sqlx::query(
                "INSERT INTO outline_nodes (plan_id, position, node, number, title) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(plan_id)
            .bind(i32::try_from(position).unwrap_or(i32::MAX))
            .bind(n.node.clone())
            .bind(n.number.and_then(|v| i32::try_from(v).ok()))
            .bind(n.title.clone())
            .execute(&mut *self.conn)
            .await
            .ctx(|| format!("writing outline node `{}` of plan {plan_id}", n.node))?;
        }
        Ok(())
    }

    async fn insert_plan(
        &mut self,
        meta: &PlanMeta,
        settings: &PlanSettings,
        cross_rules: &[CrossRule],
    ) -> Result<i64> {
        let at = self.at();
        let r = sqlx::query(
            "INSERT INTO plans (name, region, level, start_year, end_year, vision_year, parent_id, state, source, \
             ahead_ratio, on_track_ratio, approx_tolerance, created_at, created_by, updated_at, kind, issuer, \
             issued_on, cross_rules) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13, $15, $16, $17, $18) RETURNING id",
        )
        .bind(meta.name.clone())
        .bind(meta.region.clone())
        .bind(enum_str(&meta.level))
        .bind(meta.start_year)
        .bind(meta.end_year)
        .bind(meta.vision_year)
        .bind(meta.parent)
        .bind(enum_str(&meta.state))
        .bind(meta.source.clone())
        .bind(settings.ahead_ratio.to_string())
        .bind(settings.on_track_ratio.to_string())
        .bind(settings.approx_tolerance.to_string())
        .bind(at)
        .bind(self.actor.to_string())
        .bind(enum_str(&meta.kind))
        .bind(meta.issuer.clone())
        .bind(meta.issued_on.clone())
        .bind(cross_rules_text(cross_rules))
        .fetch_one(&mut *self.conn)
        .await
        .ctx(|| format!("storing plan `{}`", meta.name))?;
        let id = col(&r, "id")?;
        crate::chain::write_levels(self.conn, id, &settings.review_levels).await?;
        Ok(id)
    }

    async fn update_plan(&mut self, meta: &PlanMeta, settings: &PlanSettings, cross_rules: &[CrossRule]) -> Result<()> {
        let at = self.at();
        sqlx::query(
            "UPDATE plans SET name = $1, region = $2, level = $3, start_year = $4, end_year = $5, vision_year = $6, \
             parent_id = $7, state = $8, source = $9, ahead_ratio = $10, on_track_ratio = $11, \
             approx_tolerance = $12, updated_at = $13, kind = $15, issuer = $16, issued_on = $17, cross_rules = $18 \
             WHERE id = $14",
        )
        .bind(meta.name.clone())
        .bind(meta.region.clone())
        .bind(enum_str(&meta.level))
        .bind(meta.start_year)
        .bind(meta.end_year)
        .bind(meta.vision_year)
        .bind(meta.parent)
        .bind(enum_str(&meta.state))
        .bind(meta.source.clone())
        .bind(settings.ahead_ratio.to_string())
        .bind(settings.on_track_ratio.to_string())
        .bind(settings.approx_tolerance.to_string())
        .bind(at)
        .bind(self.plan_id)
        .bind(enum_str(&meta.kind))
        .bind(meta.issuer.clone())
        .bind(meta.issued_on.clone())
        .bind(cross_rules_text(cross_rules))
        .execute(&mut *self.conn)
        .await
        .ctx(|| format!("updating plan {}", self.plan_id))?;
        crate::chain::write_levels(self.conn, self.plan_id, &settings.review_levels).await?;
        Ok(())
    }

    /// The registry has every body the plan names: a code it lacks is
    /// added with the plan's name for it (audited with the plan's write).
    async fn register_department(&mut self, d: &DepartmentDoc) -> Result<()> {
        let at = self.at();
        if let Some(id) = crate::registry::register(&mut *self.conn, &d.code, &d.name, &at, self.actor).await? {
            self.audit.track_new("registry", "id = $1", &[id]);
        }
        Ok(())
    }

    async fn insert_department(&mut self, d: &DepartmentDoc) -> Result<i64> {
        self.register_department(d).await?;
        let r = sqlx::query("INSERT INTO departments (plan_id, code, name) VALUES ($1, $2, $3) RETURNING id")
            .bind(self.plan_id)
            .bind(d.code.clone())
            .bind(d.name.clone())
            .fetch_one(&mut *self.conn)
            .await
            .ctx(|| format!("storing department `{}`", d.code))?;
        let id = col(&r, "id")?;
        self.departments.insert(d.code.clone(), id);
        Ok(id)
    }

    async fn update_department(&mut self, id: i64, d: &DepartmentDoc) -> Result<()> {
        self.register_department(d).await?;
        sqlx::query("UPDATE departments SET name = $1, retired_at = NULL WHERE id = $2")
            .bind(d.name.clone())
            .bind(id)
            .execute(&mut *self.conn)
            .await
            .ctx(|| format!("updating department `{}`", d.code))?;
        self.departments.insert(d.code.clone(), id);
        Ok(())
    }

    /// Audits a definition that `apply` added, restored or changed, and
    /// lists it in the report. `before`: the stored definition and whether
    /// it was retired; `None` for a new one.
    fn note_written<T: Serialize>(
        &mut self,
        report: &mut ApplyReport,
        kind: &str,
        id: i64,
        code: &str,
        before: Option<(&T, bool)>,
        after: &T,
    ) {
        let (action, list) = match before {
            None => ("add", &mut report.added),
            Some((_, true)) => ("restore", &mut report.added),
            Some((_, false)) => ("update", &mut report.changed),
        };
        let actor = self.actor;
        self.audit.push(
            actor,
            &format!("{action}_{kind}"),
            kind,
            Some(id),
            before.map(|(b, _)| b),
            Some(after),
        );
        list.push(Change::new(kind, code));
    }

    /// Retires the active definitions of `table` whose code the document no
    /// longer has, audited and listed in the report.
    async fn retire_missing<'d, T: Serialize + 'd>(
        &mut self,
        report: &mut ApplyReport,
        (kind, table): (&str, &'static str),
        stored: impl Iterator<Item = (i64, bool, &'d str, &'d T)>,
        keep: &std::collections::HashSet<&str>,
    ) -> Result<()> {
        let actor = self.actor;
        for (id, retired, code, doc) in stored {
            if retired || keep.contains(code) {
                continue;
            }
            self.retire(table, id).await?;
            self.audit
                .push(actor, &format!("retire_{kind}"), kind, Some(id), Some(doc), None::<&()>);
            report.removed.push(Change::new(kind, code));
        }
        Ok(())
    }

    async fn retire(&mut self, table: &'static str, id: i64) -> Result<()> {
        let at = self.at();
        sqlx::query(&format!("UPDATE {table} SET retired_at = $1 WHERE id = $2"))
            .bind(at)
            .bind(id)
            .execute(&mut *self.conn)
            .await
            .ctx(|| format!("retiring {table} row {id}"))?;
        Ok(())
    }

    fn department_id(&self, owner: &str, code: &str) -> Result<i64> {
        self.departments.get(code).copied().ok_or_else(|| {
            StoreError::InvalidPlan(PlanDocError::UnknownDepartment {
                owner: owner.to_string(),
                department: code.to_string(),
            })
        })
    }

    /// Replaces the department links of one owner.
    async fn set_links(
        &mut self,
        table: &'static str,
        owner_col: &'static str,
        owner: (i64, &str),
        lead: &[String],
        co: &[String],
    ) -> Result<()> {
        sqlx::query(&format!("DELETE FROM {table} WHERE {owner_col} = $1"))
            .bind(owner.0)
            .execute(&mut *self.conn)
            .await
            .ctx(|| format!("replacing the departments of `{}`", owner.1))?;
        let with_role = table != "project_departments";
        for (role, codes) in [("lead", lead), ("co", co)] {
            for (pos, code) in codes.iter().enumerate() {
                let dept = self.department_id(owner.1, code)?;
                let sql = if with_role {
                    format!("INSERT INTO {table} ({owner_col}, role, position, department_id) VALUES ($1, $2, $3, $4)")
                } else {
                    format!("INSERT INTO {table} ({owner_col}, position, department_id) VALUES ($1, $2, $3)")
                };
                let mut q = sqlx::query(&sql).bind(owner.0);
                if with_role {
                    q = q.bind(role);
                }
                let q = q.bind(pos as i32).bind(dept);
                q.execute(&mut *self.conn)
                    .await
                    .ctx(|| format!("linking `{}` to department `{code}`", owner.1))?;
            }
        }
        Ok(())
    }

    async fn insert_indicator(&mut self, i: &IndicatorDoc, effective_year: i32) -> Result<i64> {
        let (s0, s1) = span_cols(&i.source);
        let r = sqlx::query(
            "INSERT INTO indicators (plan_id, code, name, unit, category, attribute, measure, direction, \
             data_source, frequency, baseline_value, baseline_year, node, quote, span_start, span_end, rules) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        )
        .bind(self.plan_id)
        .bind(i.code.clone())
        .bind(i.name.clone())
        .bind(i.unit.clone())
        .bind(i.category.clone())
        .bind(enum_str(&i.attribute))
        .bind(enum_str(&i.measure))
        .bind(enum_str(&i.direction))
        .bind(i.data_source.clone())
        .bind(enum_str(&i.frequency))
        .bind(i.baseline.as_ref().map(|b| b.value.to_string()))
        .bind(i.baseline.as_ref().map(|b| b.year))
        .bind(i.source.node.clone())
        .bind(i.source.quote.clone())
        .bind(s0)
        .bind(s1)
        .bind(rules_text(&i.rules))
        .fetch_one(&mut *self.conn)
        .await
        .ctx(|| format!("storing indicator `{}`", i.code))?;
        let id = col(&r, "id")?;
        self.set_links(
            "indicator_departments",
            "indicator_id",
            (id, &i.code),
            &i.departments,
            &i.co_departments,
        )
        .await?;
        self.insert_target(id, &i.code, 1, &i.target, effective_year).await?;
        Ok(id)
    }

    async fn update_indicator(&mut self, id: i64, i: &IndicatorDoc) -> Result<()> {
        let (s0, s1) = span_cols(&i.source);
        sqlx::query(
            "UPDATE indicators SET name = $1, unit = $2, category = $3, attribute = $4, measure = $5, \
             direction = $6, data_source = $7, frequency = $8, baseline_value = $9, baseline_year = $10, \
             node = $11, quote = $12, span_start = $13, span_end = $14, retired_at = NULL, rules = $16 WHERE id = $15",
        )
        .bind(i.name.clone())
        .bind(i.unit.clone())
        .bind(i.category.clone())
        .bind(enum_str(&i.attribute))
        .bind(enum_str(&i.measure))
        .bind(enum_str(&i.direction))
        .bind(i.data_source.clone())
        .bind(enum_str(&i.frequency))
        .bind(i.baseline.as_ref().map(|b| b.value.to_string()))
        .bind(i.baseline.as_ref().map(|b| b.year))
        .bind(i.source.node.clone())
        .bind(i.source.quote.clone())
        .bind(s0)
        .bind(s1)
        .bind(id)
        .bind(rules_text(&i.rules))
        .execute(&mut *self.conn)
        .await
        .ctx(|| format!("updating indicator `{}`", i.code))?;
        self.set_links(
            "indicator_departments",
            "indicator_id",
            (id, &i.code),
            &i.departments,
            &i.co_departments,
        )
        .await
    }

    async fn insert_target(
        &mut self,
        indicator_id: i64,
        code: &str,
        version: i32,
        t: &TargetDoc,
        effective_year: i32,
    ) -> Result<i64> {
        let at = self.at();
        let r = sqlx::query(
            "INSERT INTO targets (indicator_id, version, comparator, value, value_max, year, kind, reason, \
             effective_year, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             RETURNING id",
        )
        .bind(indicator_id)
        .bind(version)
        .bind(enum_str(&t.comparator))
        .bind(t.value.map(|v| v.to_string()))
        .bind(t.value_max.map(|v| v.to_string()))
        .bind(t.year)
        .bind(enum_str(&t.kind))
        .bind(t.reason.clone())
        .bind(effective_year)
        .bind(at)
        .bind(self.actor.to_string())
        .fetch_one(&mut *self.conn)
        .await
        .ctx(|| format!("storing version {version} of the target of `{code}`"))?;
        col(&r, "id")
    }

    /// Rewrites a target version in place: only for draft plans and for
    /// the reason of a version.
    async fn update_target(&mut self, id: i64, code: &str, t: &TargetDoc) -> Result<()> {
        sqlx::query(
            "UPDATE targets SET comparator = $1, value = $2, value_max = $3, year = $4, kind = $5, reason = $6 \
             WHERE id = $7",
        )
        .bind(enum_str(&t.comparator))
        .bind(t.value.map(|v| v.to_string()))
        .bind(t.value_max.map(|v| v.to_string()))
        .bind(t.year)
        .bind(enum_str(&t.kind))
        .bind(t.reason.clone())
        .bind(id)
        .execute(&mut *self.conn)
        .await
        .ctx(|| format!("updating the target of `{code}`"))?;
        Ok(())
    }

    async fn insert_task(&mut self, t: &TaskDoc) -> Result<i64> {
        let (s0, s1) = span_cols(&t.source);
        let r = sqlx::query(
            "INSERT INTO tasks (plan_id, code, title, node, quote, span_start, span_end) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(self.plan_id)
        .bind(t.code.clone())
        .bind(t.title.clone())
        .bind(t.source.node.clone())
        .bind(t.source.quote.clone())
        .bind(s0)
        .bind(s1)
        .fetch_one(&mut *self.conn)
        .await
        .ctx(|| format!("storing task `{}`", t.code))?;
        let id = col(&r, "id")?;
        self.set_links(
            "task_departments",
            "task_id",
            (id, &t.code),
            &t.departments,
            &t.co_departments,
        )
        .await?;
        Ok(id)
    }

    async fn update_task(&mut self, id: i64, t: &TaskDoc) -> Result<()> {
        let (s0, s1) = span_cols(&t.source);
        sqlx::query(
            "UPDATE tasks SET title = $1, node = $2, quote = $3, span_start = $4, span_end = $5, retired_at = NULL \
             WHERE id = $6",
        )
        .bind(t.title.clone())
        .bind(t.source.node.clone())
        .bind(t.source.quote.clone())
        .bind(s0)
        .bind(s1)
        .bind(id)
        .execute(&mut *self.conn)
        .await
        .ctx(|| format!("updating task `{}`", t.code))?;
        self.set_links(
            "task_departments",
            "task_id",
            (id, &t.code),
            &t.departments,
            &t.co_departments,
        )
        .await
    }

    async fn insert_project(&mut self, p: &ProjectDoc) -> Result<i64> {
        let (s0, s1) = span_cols(&p.source);
        let r = sqlx::query(
            "INSERT INTO projects (plan_id, code, name, action, capacity, planned_investment, start_year, \
             finish_year, node, quote, span_start, span_end, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(self.plan_id)
        .bind(p.code.clone())
        .bind(p.name.clone())
        .bind(p.action.clone())
        .bind(p.capacity.clone())
        .bind(p.planned_investment.map(|v| v.to_string()))
        .bind(p.start_year)
        .bind(p.finish_year)
        .bind(p.source.node.clone())
        .bind(p.source.quote.clone())
        .bind(s0)
        .bind(s1)
        .bind(enum_str(&crate::work::ProjectStatus::Planned))
        .fetch_one(&mut *self.conn)
        .await
        .ctx(|| format!("storing project `{}`", p.code))?;
        let id = col(&r, "id")?;
        self.set_links("project_departments", "project_id", (id, &p.code), &p.departments, &[])
            .await?;
        Ok(id)
    }

    async fn update_project(&mut self, id: i64, p: &ProjectDoc) -> Result<()> {
        let (s0, s1) = span_cols(&p.source);
        sqlx::query(
            "UPDATE projects SET name = $1, action = $2, capacity = $3, planned_investment = $4, start_year = $5, \
             finish_year = $6, node = $7, quote = $8, span_start = $9, span_end = $10, retired_at = NULL \
             WHERE id = $11",
        )
        .bind(p.name.clone())
        .bind(p.action.clone())
        .bind(p.capacity.clone())
        .bind(p.planned_investment.map(|v| v.to_string()))
        .bind(p.start_year)
        .bind(p.finish_year)
        .bind(p.source.node.clone())
        .bind(p.source.quote.clone())
        .bind(s0)
        .bind(s1)
        .bind(id)
        .execute(&mut *self.conn)
        .await
        .ctx(|| format!("updating project `{}`", p.code))?;
        self.set_links("project_departments", "project_id", (id, &p.code), &p.departments, &[])
            .await
    }
}

fn same_target_value(a: &TargetDoc, b: &TargetDoc) -> bool {
    a.comparator == b.comparator
        && a.value == b.value
        && a.value_max == b.value_max
        && a.year == b.year
        && a.kind == b.kind
}

fn same_definition(stored: &IndicatorDoc, new: &IndicatorDoc) -> bool {
    let mut n = new.clone();
    n.target = stored.target.clone();
    *stored == n
}

fn reason_given(t: &TargetDoc, current: &TargetDoc) -> bool {
    match t.reason.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() => current.reason.as_deref().map(str::trim) != Some(r),
        _ => false,
    }
}

/// Project departments are not checked by `PlanDoc::validate`.
pub(crate) fn check_project_departments(doc: &PlanDoc) -> Result<()> {
    for p in &doc.projects {
        for d in &p.departments {
            if !doc.departments.iter().any(|x| &x.code == d) {
                return Err(StoreError::InvalidPlan(PlanDocError::UnknownDepartment {
                    owner: p.code.clone(),
                    department: d.clone(),
                }));
            }
        }
    }
    Ok(())
}

impl Store {
    /// Stores `doc` as a new plan (its `plan.id` is ignored) in the state
    /// the document gives; every target is version 1, in force from the
    /// plan's start year. Returns the new plan's id.
    pub async fn import_plan(&self, doc: &PlanDoc, actor: &str) -> Result<i64> {
        doc.validate().map_err(StoreError::InvalidPlan)?;
        check_project_departments(doc)?;
        self.write(async |w| import_in(w, doc, actor).await).await
    }
}

/// The body of [`Store::import_plan`] inside a write transaction `w`
/// (`doc` already validated); returns the new plan's id.
pub(crate) async fn import_in(w: &mut crate::WriteTx, doc: &PlanDoc, actor: &str) -> Result<i64> {
    let audit = Audit::start(&mut w.tx).await?;
    let mut wr = Writer {
        conn: &mut w.tx,
        audit,
        actor,
        plan_id: 0,
        departments: HashMap::new(),
    };
    let plan_id = wr.insert_plan(&doc.plan, &doc.settings, &doc.cross_rules).await?;
    wr.plan_id = plan_id;
    for (table, cond) in DEFINITION {
        wr.audit.track_new(table, cond, &[plan_id]);
    }
    wr.write_outline(&doc.outline).await?;
    for d in &doc.departments {
        wr.insert_department(d).await?;
    }
    for i in &doc.indicators {
        wr.insert_indicator(i, doc.plan.start_year).await?;
    }
    for t in &doc.tasks {
        wr.insert_task(t).await?;
    }
    for p in &doc.projects {
        wr.insert_project(p).await?;
    }
    let mut stored = doc.clone();
    stored.plan.id = Some(plan_id);
    let mut audit = wr.audit;
    audit.push(actor, "import_plan", "plan", Some(plan_id), None::<&()>, Some(&stored));
    audit.write(w).await?;
    Ok(plan_id)
}

impl Store {
    /// Every stored plan, by id.
    pub async fn plans(&self) -> Result<Vec<PlanSummary>> {
        let rows = sqlx::query(
            "SELECT p.id, p.name, p.region, p.level, p.start_year, p.end_year, p.state, p.made_public, \
             (SELECT COUNT(*) FROM indicators i WHERE i.plan_id = p.id AND i.retired_at IS NULL) AS indicators, \
             (SELECT COUNT(*) FROM targets t JOIN indicators i ON i.id = t.indicator_id \
              WHERE i.plan_id = p.id AND i.retired_at IS NULL AND t.value IS NOT NULL AND NOT EXISTS \
              (SELECT 1 FROM targets n WHERE n.indicator_id = t.indicator_id AND n.version > t.version)) AS targets, \
             (SELECT CAST(COALESCE(SUM(b.inserted + b.revised), 0) AS BIGINT) FROM observation_batches b \
              WHERE b.plan_id = p.id) AS observations \
             FROM plans p ORDER BY p.id",
        )
        .fetch_all(&self.pool)
        .await
        .ctx(|| "listing the plans".to_string())?;
        let mut released: HashMap<i64, Vec<i32>> = HashMap::new();
        for r in sqlx::query("SELECT plan_id, year FROM plan_releases ORDER BY plan_id, year")
            .fetch_all(&self.pool)
            .await
            .ctx(|| "listing the released years".to_string())?
        {
            released.entry(col(&r, "plan_id")?).or_default().push(col(&r, "year")?);
        }
        rows.iter()
            .map(|r| {
                let id: i64 = col(r, "id")?;
                Ok(PlanSummary {
                    id,
                    name: col(r, "name")?,
                    region: col(r, "region")?,
                    level: parse_enum("plans", id, "level", &col::<String>(r, "level")?)?,
                    start_year: col(r, "start_year")?,
                    end_year: col(r, "end_year")?,
                    state: parse_enum("plans", id, "state", &col::<String>(r, "state")?)?,
                    indicators: col(r, "indicators")?,
                    targets: col(r, "targets")?,
                    observations: col(r, "observations")?,
                    public: col::<i32>(r, "made_public")? != 0,
                    released_years: released.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// The plan's indicator system with the newest target versions:
    /// departments, indicators, tasks and projects ordered by code (digit
    /// runs by value), each indicator's departments in their stored order.
    pub async fn plan_doc(&self, plan_id: i64) -> Result<PlanDoc> {
        self.plan_doc_for(plan_id, None).await
    }

    /// The plan's indicator system with the target versions in force in
    /// evaluation year `year`.
    pub async fn plan_doc_at(&self, plan_id: i64, year: i32) -> Result<PlanDoc> {
        self.plan_doc_for(plan_id, Some(year)).await
    }

    /// [`Store::plan_doc_at`] together with the target version in force in
    /// `year` of each active indicator, by code, read in one transaction.
    pub async fn plan_at(&self, plan_id: i64, year: i32) -> Result<(PlanDoc, HashMap<String, TargetVersion>)> {
        let mut tx = self
            .pool
            .begin()
            .await
            .ctx(|| "starting a read transaction".to_string())?;
        let plan = load_plan(&mut tx, plan_id).await?;
        let versions = plan
            .indicators
            .iter()
            .filter(|i| !i.retired)
            .map(|i| (i.doc.code.clone(), in_force(&i.versions, Some(year)).clone()))
            .collect();
        Ok((plan.doc(Some(year)), versions))
    }

    async fn plan_doc_for(&self, plan_id: i64, year: Option<i32>) -> Result<PlanDoc> {
        // One read transaction: a consistent snapshot while another
        // connection writes.
        let mut tx = self
            .pool
            .begin()
            .await
            .ctx(|| "starting a read transaction".to_string())?;
        let plan = load_plan(&mut tx, plan_id).await?;
        Ok(plan.doc(year))
    }

    /// Every version of one indicator's target, oldest first.
    pub async fn target_versions(&self, plan_id: i64, indicator: &str) -> Result<Vec<TargetVersion>> {
        let rows = sqlx::query(
            "SELECT t.id, t.indicator_id, t.version, t.comparator, t.value, t.value_max, t.year, t.kind, t.reason, \
             t.effective_year, t.created_at, t.created_by FROM targets t JOIN indicators i ON i.id = t.indicator_id \
             WHERE i.plan_id = $1 AND i.code = $2 ORDER BY t.version",
        )
        .bind(plan_id)
        .bind(indicator.to_string())
        .fetch_all(&self.pool)
        .await
        .ctx(|| format!("reading the target versions of `{indicator}` in plan {plan_id}"))?;
        if rows.is_empty() {
            let mut conn = self.pool.acquire().await.ctx(|| "acquiring a connection".to_string())?;
            load_meta(&mut conn, plan_id).await?;
            return Err(StoreError::IndicatorNotFound {
                plan_id,
                code: indicator.to_string(),
            });
        }
        rows.iter()
            .map(|r| target_version_of(r, indicator.to_string()))
            .collect()
    }

    /// The version of one indicator's target in force in evaluation year
    /// `year`.
    pub async fn target_in_force(&self, plan_id: i64, indicator: &str, year: i32) -> Result<TargetVersion> {
        let versions = self.target_versions(plan_id, indicator).await?;
        Ok(in_force(&versions, Some(year)).clone())
    }

    /// Brings the stored plan in line with `doc` (an edited export): see
    /// [`Store::apply_plan_with`]; new target versions take effect in the
    /// current year.
    pub async fn apply_plan(&self, plan_id: i64, doc: &PlanDoc, actor: &str) -> Result<ApplyReport> {
        self.apply_plan_with(plan_id, doc, actor, ApplyOptions::default()).await
    }

    /// Brings the stored plan in line with `doc`, in one transaction:
    ///
    /// * plan metadata, settings, departments, indicator definitions, tasks
    ///   and projects are updated in place; those missing from `doc` are
    ///   retired (kept with their history, hidden from exports);
    /// * a changed target of a draft plan replaces its draft version; of an
    ///   adopted or adjusted plan it becomes a new version, which needs
    ///   `target.reason` (other than the reason of the version it
    ///   replaces) and takes effect in `options.effective_year`;
    /// * a changed reason alone is corrected on the newest version.
    ///
    /// Applying an unedited export changes nothing.
    pub async fn apply_plan_with(
        &self,
        plan_id: i64,
        doc: &PlanDoc,
        actor: &str,
        options: ApplyOptions,
    ) -> Result<ApplyReport> {
        doc.validate().map_err(StoreError::InvalidPlan)?;
        check_project_departments(doc)?;
        if let Some(doc_id) = doc.plan.id {
            if doc_id != plan_id {
                return Err(StoreError::PlanIdMismatch { plan_id, doc_id });
            }
        }
        self.write(async |w| apply_in(w, plan_id, doc, actor, options).await)
            .await
    }
}

/// The body of [`Store::apply_plan_with`] inside a write transaction `w`
/// (`doc` already validated), for callers that write more in the same
/// transaction.
pub(crate) async fn apply_in(
    w: &mut crate::WriteTx,
    plan_id: i64,
    doc: &PlanDoc,
    actor: &str,
    options: ApplyOptions,
) -> Result<ApplyReport> {
    let stored = load_plan(&mut w.tx, plan_id).await?;
    let old_state = stored.meta.state;
    if old_state != PlanState::Draft && doc.plan.state == PlanState::Draft {
        return Err(StoreError::PlanState {
            plan_id,
            from: old_state,
            to: doc.plan.state,
        });
    }
    let effective_year = options
        .effective_year
        .unwrap_or_else(|| current_year().clamp(doc.plan.start_year, doc.plan.end_year));

    // Targets first: every missing reason is reported at once.
    let by_code: HashMap<&str, &StoredIndicator> = stored.indicators.iter().map(|i| (i.doc.code.as_str(), i)).collect();
    if old_state != PlanState::Draft {
        let missing: Vec<String> = doc
            .indicators
            .iter()
            .filter(|i| {
                by_code.get(i.code.as_str()).is_some_and(|s| {
                    let current = in_force(&s.versions, None);
                    !same_target_value(&current.target, &i.target) && !reason_given(&i.target, &current.target)
                })
            })
            .map(|i| i.code.clone())
            .collect();
        if !missing.is_empty() {
            return Err(StoreError::ReasonRequired {
                plan_id,
                codes: missing,
            });
        }
    }

    let mut audit = Audit::start(&mut w.tx).await?;
    for (table, cond) in DEFINITION {
        audit.track(&mut w.tx, table, cond, &[plan_id]).await?;
    }
    let mut wr = Writer {
        conn: &mut w.tx,
        audit,
        actor,
        plan_id,
        departments: HashMap::new(),
    };
    let mut report = ApplyReport::default();

    // The plan itself.
    let mut meta = doc.plan.clone();
    meta.id = Some(plan_id);
    if meta != stored.meta || doc.settings != stored.settings || doc.cross_rules != stored.cross_rules {
        wr.update_plan(&meta, &doc.settings, &doc.cross_rules).await?;
        let before =
            serde_json::json!({ "plan": stored.meta, "settings": stored.settings, "cross_rules": stored.cross_rules });
        let after = serde_json::json!({ "plan": meta, "settings": doc.settings, "cross_rules": doc.cross_rules });
        wr.audit
            .push(actor, "update_plan", "plan", Some(plan_id), Some(&before), Some(&after));
        report.changed.push(Change::new("plan", &plan_id.to_string()));
    }
    // A document without headings (written by hand, or before
    // they were kept) leaves the stored ones alone.
    if !doc.outline.is_empty() && doc.outline != stored.outline {
        wr.write_outline(&doc.outline).await?;
        wr.audit.push(
            actor,
            "update_outline",
            "plan",
            Some(plan_id),
            Some(&stored.outline),
            Some(&doc.outline),
        );
        report.changed.push(Change::new("outline", &plan_id.to_string()));
    }

    // Departments.
    let stored_depts: HashMap<&str, &Stored<DepartmentDoc>> =
        stored.departments.iter().map(|d| (d.doc.code.as_str(), d)).collect();
    for d in &stored.departments {
        if !d.retired {
            wr.departments.insert(d.doc.code.clone(), d.id);
        }
    }
    for d in &doc.departments {
        match stored_depts.get(d.code.as_str()) {
            None => {
                let id = wr.insert_department(d).await?;
                wr.note_written(&mut report, "department", id, &d.code, None, d);
            }
            Some(s) if s.retired || s.doc != *d => {
                wr.update_department(s.id, d).await?;
                wr.note_written(&mut report, "department", s.id, &d.code, Some((&s.doc, s.retired)), d);
            }
            Some(_) => {}
        }
    }
    let keep: std::collections::HashSet<&str> = doc.departments.iter().map(|d| d.code.as_str()).collect();

    // Indicators and their targets.
    for i in &doc.indicators {
        match by_code.get(i.code.as_str()) {
            None => {
                let id = wr.insert_indicator(i, doc.plan.start_year).await?;
                wr.note_written(&mut report, "indicator", id, &i.code, None, i);
            }
            Some(s) => {
                let current = in_force(&s.versions, None);
                let definition_changed = s.retired || !same_definition(&s.doc, i);
                if definition_changed {
                    wr.update_indicator(s.id, i).await?;
                    wr.note_written(&mut report, "indicator", s.id, &i.code, Some((&s.doc, s.retired)), i);
                }
                if !same_target_value(&current.target, &i.target) {
                    if old_state == PlanState::Draft {
                        wr.update_target(current.id, &i.code, &i.target).await?;
                        wr.audit.push(
                            actor,
                            "replace_draft_target",
                            "target",
                            Some(current.id),
                            Some(&current.target),
                            Some(&i.target),
                        );
                    } else {
                        let version = current.version + 1;
                        let id = wr
                            .insert_target(s.id, &i.code, version, &i.target, effective_year)
                            .await?;
                        let after = serde_json::json!({
                            "indicator": i.code, "version": version, "effective_year": effective_year,
                            "target": i.target,
                        });
                        wr.audit.push(
                            actor,
                            "add_target_version",
                            "target",
                            Some(id),
                            Some(&current.target),
                            Some(&after),
                        );
                        report.target_versions_added.push(i.code.clone());
                    }
                    if !definition_changed {
                        report.changed.push(Change::new("indicator", &i.code));
                    }
                } else if current.target.reason != i.target.reason {
                    wr.update_target(current.id, &i.code, &i.target).await?;
                    wr.audit.push(
                        actor,
                        "correct_target_reason",
                        "target",
                        Some(current.id),
                        Some(&current.target),
                        Some(&i.target),
                    );
                    if !definition_changed {
                        report.changed.push(Change::new("indicator", &i.code));
                    }
                }
            }
        }
    }
    let keep_ind: std::collections::HashSet<&str> = doc.indicators.iter().map(|i| i.code.as_str()).collect();
    let stored_ind = stored
        .indicators
        .iter()
        .map(|s| (s.id, s.retired, s.doc.code.as_str(), &s.doc));
    wr.retire_missing(&mut report, ("indicator", "indicators"), stored_ind, &keep_ind)
        .await?;

    // Tasks.
    let tasks: HashMap<&str, &Stored<TaskDoc>> = stored.tasks.iter().map(|t| (t.doc.code.as_str(), t)).collect();
    for t in &doc.tasks {
        match tasks.get(t.code.as_str()) {
            None => {
                let id = wr.insert_task(t).await?;
                wr.note_written(&mut report, "task", id, &t.code, None, t);
            }
            Some(s) if s.retired || s.doc != *t => {
                wr.update_task(s.id, t).await?;
                wr.note_written(&mut report, "task", s.id, &t.code, Some((&s.doc, s.retired)), t);
            }
            Some(_) => {}
        }
    }
    let keep_task: std::collections::HashSet<&str> = doc.tasks.iter().map(|t| t.code.as_str()).collect();
    let stored_tasks = stored
        .tasks
        .iter()
        .map(|s| (s.id, s.retired, s.doc.code.as_str(), &s.doc));
    wr.retire_missing(&mut report, ("task", "tasks"), stored_tasks, &keep_task)
        .await?;

    // Projects.
    let projects: HashMap<&str, &Stored<ProjectDoc>> =
        stored.projects.iter().map(|p| (p.doc.code.as_str(), p)).collect();
    for p in &doc.projects {
        match projects.get(p.code.as_str()) {
            None => {
                let id = wr.insert_project(p).await?;
                wr.note_written(&mut report, "project", id, &p.code, None, p);
            }
            Some(s) if s.retired || s.doc != *p => {
                wr.update_project(s.id, p).await?;
                wr.note_written(&mut report, "project", s.id, &p.code, Some((&s.doc, s.retired)), p);
            }
            Some(_) => {}
        }
    }
    let keep_project: std::collections::HashSet<&str> = doc.projects.iter().map(|p| p.code.as_str()).collect();
    let stored_projects = stored
        .projects
        .iter()
        .map(|s| (s.id, s.retired, s.doc.code.as_str(), &s.doc));
    wr.retire_missing(&mut report, ("project", "projects"), stored_projects, &keep_project)
        .await?;

    // Departments last: links to them are gone by now.
    let stored_depts = stored
        .departments
        .iter()
        .map(|d| (d.id, d.retired, d.doc.code.as_str(), &d.doc));
    wr.retire_missing(&mut report, ("department", "departments"), stored_depts, &keep)
        .await?;

    let audit = wr.audit;
    if audit.is_empty() {
        // Nothing changed: nothing to write.
        return Ok(report);
    }
    audit.write(w).await?;
    Ok(report)
}
