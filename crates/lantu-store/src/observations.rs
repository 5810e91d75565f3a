//! Monitoring data (监测数据). A figure is an indicator's value for a period
//! and a place; the observations table only grows: importing the same value
//! again writes nothing, a different value becomes the figure's next
//! vintage, and each vintage goes draft → submitted → approved → published
//! on its own.
//!
//! An import is one transaction: it is written whole or not at all, also
//! when the process dies in the middle. It is fast because it never asks
//! the database row by row: the current vintage of every figure of the plan
//! is read once into a map, and new vintages are written with multi-row
//! `INSERT`s of up to [`ROWS_PER_INSERT`] rows, each a cached prepared
//! statement.

use crate::audit::{Audit, IMPORT_ACTION};
use crate::db::{code_cmp, col, geo_from_key, geo_key, parse_dec};
use crate::error::{Ctx, Result, RowError, RowProblem, StoreError};
use crate::Store;
use lantu_core::observation::{NewObservation, ObservationState, VintageKind};
use lantu_core::Period;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};
use std::collections::HashMap;

/// Rows per `INSERT` statement of an import (10 parameters each: well within
/// SQLite's 32,766 and PostgreSQL's 65,535).
pub const ROWS_PER_INSERT: usize = 1000;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The batch that records who, when, from what and why; `None` when
    /// nothing was written.
    pub batch_id: Option<i64>,
    /// Figures seen for the first time (vintage 1).
    pub inserted: usize,
    /// Figures whose value changed (a new vintage).
    pub revised: usize,
    /// Figures whose latest vintage already has this value.
    pub unchanged: usize,
}

/// Reported after each multi-row insert of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    /// Vintages written so far.
    pub written: usize,
    /// Vintages this import writes.
    pub total: usize,
}

/// Which vintages a query returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// The latest vintage of each figure, whatever its state (the office).
    #[default]
    Latest,
    /// The latest approved or published vintage of each figure (what the
    /// evaluation counts).
    Reviewed,
    /// The latest published vintage of each figure (the public).
    Published,
    /// Every vintage (revision history).
    AllVintages,
}

impl View {
    fn states(self) -> Option<&'static str> {
        match self {
            View::Latest | View::AllVintages => None,
            View::Reviewed => Some("('approved', 'published')"),
            View::Published => Some("('published')"),
        }
    }
}

/// A filter on observations; the default is every figure's latest vintage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObservationQuery {
    pub view: View,
    /// One indicator (code).
    pub indicator: Option<String>,
    /// Indicators this department (code) is responsible (牵头) for.
    pub department: Option<String>,
    /// `None`: every place; `Some("")`: the plan's own area; `Some(name)`:
    /// one town or street.
    pub geography: Option<String>,
    /// Periods of these calendar years (inclusive).
    pub years: Option<(i32, i32)>,
}

/// One stored vintage of a figure with who wrote it, when and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservationRecord {
    pub id: i64,
    pub indicator: String,
    pub period: Period,
    pub geography: Option<String>,
    pub vintage: i32,
    pub value: Decimal,
    pub source: Option<String>,
    pub note: Option<String>,
    pub state: ObservationState,
    pub batch_id: i64,
    pub recorded_at: String,
    pub recorded_by: String,
    /// The file or form the figure came from.
    pub source_name: String,
    /// Why the batch was imported (a correction, the annual report, …).
    pub reason: Option<String>,
    /// While submitted: how many levels of the plan's review chain it has
    /// passed (it waits for the next); 0 otherwise.
    #[serde(default)]
    pub passed: usize,
    /// Why a figure that needed a comment (a large change) is right.
    #[serde(default)]
    pub comment: Option<String>,
    /// A figure, a correction of a published figure (its reason is
    /// `reason`), or a withdrawn draft.
    #[serde(default)]
    pub kind: VintageKind,
}

/// One change of state of a vintage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub observation_id: i64,
    pub from: ObservationState,
    pub to: ObservationState,
    pub at: String,
    pub actor: String,
    pub comment: Option<String>,
}

/// The vintages [`Store::set_state`] moves, always named within the plan
/// the caller acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figures {
    /// These vintages, each of which must belong to plan `plan_id` and,
    /// when `department` is given (a department reporter), to an indicator
    /// that department leads.
    Ids {
        plan_id: i64,
        department: Option<String>,
        ids: Vec<i64>,
    },
    /// The latest vintage of one figure.
    Figure {
        plan_id: i64,
        indicator: String,
        period: Period,
        geography: Option<String>,
    },
    /// Every vintage of the plan now in `state` (e.g. approve everything
    /// submitted).
    AllIn { plan_id: i64, state: ObservationState },
}

type Key<'a> = (i64, Period, &'a str);

/// The latest vintage of a figure, as an import compares it.
struct Head {
    vintage: i32,
    value: Decimal,
    state: ObservationState,
    kind: VintageKind,
    /// Source and note as [`text_key`] folds them.
    source: String,
    note: String,
}

/// Separators of the aggregated figures (ASCII unit and record separator).
const US: char = '\u{1f}';
const RS: char = '\u{1e}';

fn parse_state(id: i64, s: &str) -> Result<ObservationState> {
    ObservationState::parse(s).ok_or_else(|| StoreError::Corrupt {
        table: "observations",
        id,
        column: "state",
        value: s.to_string(),
        what: "not a state".to_string(),
    })
}

pub(crate) fn parse_period(table: &'static str, id: i64, s: &str) -> Result<Period> {
    Period::parse(s).map_err(|e| StoreError::Corrupt {
        table,
        id,
        column: "period",
        value: s.to_string(),
        what: e.to_string(),
    })
}

const RECORD_SELECT: &str = "SELECT o.id, i.code AS indicator, o.period, o.geography, o.vintage, o.value, o.source, \
     o.note, o.state, o.batch_id, b.at, b.actor, b.source_name, b.reason, o.comment, o.kind, \
     CAST(COALESCE(ol.passed, 0) AS BIGINT) AS passed FROM observations o \
     JOIN indicators i ON i.id = o.indicator_id JOIN observation_batches b ON b.id = o.batch_id \
     LEFT JOIN observation_levels ol ON ol.observation_id = o.id";

fn record_of(r: &AnyRow) -> Result<ObservationRecord> {
    let id: i64 = col(r, "id")?;
    Ok(ObservationRecord {
        id,
        indicator: col(r, "indicator")?,
        period: parse_period("observations", id, &col::<String>(r, "period")?)?,
        geography: geo_from_key(col(r, "geography")?),
        vintage: col(r, "vintage")?,
        value: parse_dec("observations", id, "value", &col::<String>(r, "value")?)?,
        source: col(r, "source")?,
        note: col(r, "note")?,
        state: parse_state(id, &col::<String>(r, "state")?)?,
        batch_id: col(r, "batch_id")?,
        recorded_at: col(r, "at")?,
        recorded_by: col(r, "actor")?,
        source_name: col(r, "source_name")?,
        reason: col(r, "reason")?,
        passed: col::<i64>(r, "passed")?.max(0) as usize,
        comment: col(r, "comment")?,
        kind: parse_kind(id, &col::<String>(r, "kind")?)?,
    })
}

fn parse_kind(id: i64, s: &str) -> Result<VintageKind> {
    VintageKind::parse(s).ok_or_else(|| StoreError::Corrupt {
        table: "observations",
        id,
        column: "kind",
        value: s.to_string(),
        what: "not a kind of vintage".to_string(),
    })
}

/// A text field as compared: blank is none, control separators folded.
fn text_key(s: Option<&str>) -> String {
    s.map(str::trim)
        .unwrap_or("")
        .chars()
        .map(|c| if c == US || c == RS { ' ' } else { c })
        .collect()
}

fn sort_records(v: &mut [ObservationRecord]) {
    v.sort_by(|a, b| {
        code_cmp(&a.indicator, &b.indicator)
            .then(a.period.cmp(&b.period))
            .then(a.geography.cmp(&b.geography))
            .then(a.vintage.cmp(&b.vintage))
    });
}

/// `NOT EXISTS (a later vintage of the same figure [in these states])`;
/// withdrawn vintages are not figures and never the latest.
fn latest_clause(states: Option<&str>) -> String {
    let state = states.map(|s| format!(" AND n.state IN {s}")).unwrap_or_default();
    format!(
        "o.kind <> 'withdrawn' AND NOT EXISTS (SELECT 1 FROM observations n WHERE n.indicator_id = o.indicator_id \
         AND n.period = o.period AND n.geography = o.geography AND n.vintage > o.vintage \
         AND n.kind <> 'withdrawn'{state})"
    )
}

/// Active indicator codes of a plan → ids; fails for a missing plan.
async fn indicator_ids(tx: &mut Transaction<'static, Any>, plan_id: i64) -> Result<HashMap<String, i64>> {
    let plan = sqlx::query("SELECT id FROM plans WHERE id = $1")
        .bind(plan_id)
        .fetch_optional(&mut **tx)
        .await
        .ctx(|| format!("reading plan {plan_id}"))?;
    if plan.is_none() {
        return Err(StoreError::PlanNotFound(plan_id));
    }
    let rows = sqlx::query("SELECT id, code FROM indicators WHERE plan_id = $1 AND retired_at IS NULL")
        .bind(plan_id)
        .fetch_all(&mut **tx)
        .await
        .ctx(|| format!("reading the indicators of plan {plan_id}"))?;
    rows.iter()
        .map(|r| Ok((col::<String>(r, "code")?, col::<i64>(r, "id")?)))
        .collect()
}

impl Store {
    /// Imports figures for a plan in one transaction; see
    /// [`Store::import_observations_with_progress`].
    pub async fn import_observations(
        &self,
        plan_id: i64,
        rows: &[NewObservation],
        actor: &str,
        source_name: &str,
        reason: Option<&str>,
    ) -> Result<ImportReport> {
        self.import_observations_with_progress(plan_id, rows, actor, source_name, reason, &mut |_| {})
            .await
    }

    /// Imports figures for a plan in one transaction:
    ///
    /// * every row must name an active indicator of the plan, and no two
    ///   rows may name the same indicator, period and geography; otherwise
    ///   nothing is written and the error lists every bad row by its index
    ///   in `rows`;
    /// * a figure seen for the first time becomes vintage 1, a figure whose
    ///   latest vintage has another value gets the next vintage, a figure
    ///   with the same value is left alone (values compare as numbers:
    ///   1.50 = 1.5); new vintages start as drafts;
    /// * a figure under review (its latest vintage submitted or approved,
    ///   [`ObservationState::under_review`]) gets no new value from any
    ///   path until it is returned: nothing is written and
    ///   [`StoreError::UnderReview`] lists every such row;
    /// * the batch records `actor`, the time, `source_name` and `reason`;
    ///   one audit entry records the batch, with a row record (the digest)
    ///   of each vintage it wrote.
    ///
    /// `progress` is called after each multi-row insert.
    pub async fn import_observations_with_progress(
        &self,
        plan_id: i64,
        rows: &[NewObservation],
        actor: &str,
        source_name: &str,
        reason: Option<&str>,
        progress: &mut (dyn FnMut(ImportProgress) + Send),
    ) -> Result<ImportReport> {
        self.write(async |w| {
            let codes = indicator_ids(&mut w.tx, plan_id).await?;

            // Validate everything first; report every bad row.
            let mut errors = Vec::new();
            let mut keys: Vec<Key> = Vec::with_capacity(rows.len());
            let mut first: HashMap<Key, usize> = HashMap::with_capacity(rows.len());
            for (index, o) in rows.iter().enumerate() {
                let bad = |problem| RowError {
                    index,
                    indicator: o.indicator.clone(),
                    period: o.period,
                    problem,
                };
                let Some(&ind) = codes.get(o.indicator.trim()) else {
                    errors.push(bad(RowProblem::UnknownIndicator));
                    keys.push((0, o.period, ""));
                    continue;
                };
                let key = (ind, o.period, geo_key(&o.geography));
                if key.2.chars().any(char::is_control) {
                    errors.push(bad(RowProblem::ControlCharacter));
                    keys.push(key);
                    continue;
                }
                if let Some(&f) = first.get(&key) {
                    errors.push(bad(RowProblem::Duplicate { first: f }));
                } else {
                    first.insert(key, index);
                }
                keys.push(key);
            }
            if !errors.is_empty() {
                return Err(StoreError::InvalidObservations {
                    plan_id,
                    total: rows.len(),
                    errors,
                });
            }
            drop(first);

            // The latest vintage of every figure of the plan, read once: one
            // row per indicator (sqlx's cost is per row), its figures joined
            // with the ASCII unit and record separators, which no period,
            // decimal or (checked above) geography contains.
            let heads_rows = sqlx::query(&format!(
                "SELECT o.indicator_id, string_agg(o.period || '{US}' || o.geography || '{US}' || \
                 CAST(o.vintage AS TEXT) || '{US}' || o.value || '{US}' || o.state || '{US}' || o.kind || '{US}' || \
                 replace(replace(COALESCE(o.source, ''), '{US}', ' '), '{RS}', ' ') || '{US}' || \
                 replace(replace(COALESCE(o.note, ''), '{US}', ' '), '{RS}', ' '), '{RS}') AS figures FROM observations o \
                 JOIN indicators i ON i.id = o.indicator_id WHERE i.plan_id = $1 GROUP BY o.indicator_id"
            ))
            .bind(plan_id)
            .fetch_all(&mut *w.tx)
            .await
            .ctx(|| format!("reading the current figures of plan {plan_id}"))?;
            let mut places: HashMap<String, u32> = HashMap::new();
            let mut heads: HashMap<(i64, Period, u32), Head> = HashMap::new();
            for r in &heads_rows {
                let ind: i64 = col(r, "indicator_id")?;
                let text: String = col(r, "figures")?;
                for item in text.split(RS) {
                    let mut f = item.split(US);
                    let (Some(p), Some(g), Some(v), Some(x), Some(st), Some(kind), Some(source), Some(note)) = (
                        f.next(),
                        f.next(),
                        f.next(),
                        f.next(),
                        f.next(),
                        f.next(),
                        f.next(),
                        f.next(),
                    ) else {
                        return Err(StoreError::Corrupt {
                            table: "observations",
                            id: ind,
                            column: "period, geography, vintage, value, state",
                            value: item.to_string(),
                            what: "a figure of this indicator cannot be read".to_string(),
                        });
                    };
                    let n = places.len() as u32;
                    let place = *places.entry(g.to_string()).or_insert(n);
                    let vintage: i32 = v.parse().map_err(|_| StoreError::Corrupt {
                        table: "observations",
                        id: ind,
                        column: "vintage",
                        value: v.to_string(),
                        what: "not a number".to_string(),
                    })?;
                    let key = (ind, parse_period("observations", ind, p)?, place);
                    if heads.get(&key).is_none_or(|h| h.vintage < vintage) {
                        heads.insert(
                            key,
                            Head {
                                vintage,
                                value: parse_dec("observations", ind, "value", x)?,
                                state: parse_state(ind, st)?,
                                kind: parse_kind(ind, kind)?,
                                source: source.to_string(),
                                note: note.to_string(),
                            },
                        );
                    }
                }
            }
            drop(heads_rows);

            // Classify.
            let mut report = ImportReport::default();
            // A figure is unchanged when its value, source and note all are:
            // a new source or note alone is a change and a new vintage, so
            // that the history keeps every one and the reviewer sees it. A
            // withdrawn head is no figure: anything written over it is new.
            let mut writes: Vec<(usize, i32, VintageKind)> = Vec::new();
            let mut locked = Vec::new();
            for (index, (o, key)) in rows.iter().zip(&keys).enumerate() {
                let head = places.get(key.2).and_then(|place| heads.get(&(key.0, key.1, *place)));
                match head {
                    None => {
                        report.inserted += 1;
                        writes.push((index, 1, VintageKind::Figure));
                    }
                    Some(h)
                        if h.kind != VintageKind::Withdrawn
                            && h.value == o.value
                            && h.source == text_key(o.source.as_deref())
                            && h.note == text_key(o.note.as_deref()) =>
                    {
                        report.unchanged += 1
                    }
                    Some(h) if h.kind != VintageKind::Withdrawn && h.state.under_review() => locked.push(RowError {
                        index,
                        indicator: o.indicator.clone(),
                        period: o.period,
                        problem: RowProblem::UnderReview(h.state),
                    }),
                    Some(h) => {
                        report.revised += 1;
                        let kind = if h.kind != VintageKind::Withdrawn && h.state == ObservationState::Published {
                            VintageKind::Correction
                        } else {
                            VintageKind::Figure
                        };
                        writes.push((index, h.vintage + 1, kind));
                    }
                }
            }
            drop(heads);
            if !locked.is_empty() {
                return Err(StoreError::UnderReview { plan_id, rows: locked });
            }
            if writes.is_empty() {
                return Ok(report);
            }

            let mut audit = Audit::start(&mut w.tx).await?;
            let batch = sqlx::query(
            "INSERT INTO observation_batches (plan_id, actor, at, source_name, reason, inserted, revised, unchanged) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(plan_id)
        .bind(actor.to_string())
        .bind(audit.at().to_string())
        .bind(source_name.to_string())
        .bind(reason.map(str::to_string))
        .bind(report.inserted as i64)
        .bind(report.revised as i64)
        .bind(report.unchanged as i64)
        .fetch_one(&mut *w.tx)
        .await
        .ctx(|| format!("recording the import of {source_name}"))?;
            let batch_id: i64 = col(&batch, "id")?;
            report.batch_id = Some(batch_id);
            audit.track_new("observation_batches", "id = $1", &[batch_id]);
            let batch_text = batch_id.to_string();
            let total = writes.len();
            let mut full_sql = None;
            for (n, chunk) in writes.chunks(ROWS_PER_INSERT).enumerate() {
                let sql = if chunk.len() == ROWS_PER_INSERT {
                    full_sql
                        .get_or_insert_with(|| insert_sql(w.backend, batch_id, ROWS_PER_INSERT))
                        .clone()
                } else {
                    insert_sql(w.backend, batch_id, chunk.len())
                };
                let texts: Vec<(String, String)> = chunk
                    .iter()
                    .map(|(i, _, _)| (rows[*i].period.to_string(), rows[*i].value.to_string()))
                    .collect();
                let mut q = sqlx::query(&sql);
                for ((i, vintage, kind), (period, value)) in chunk.iter().zip(&texts) {
                    let o = &rows[*i];
                    let (ind, _, geo) = keys[*i];
                    // The row as the registry reads it back (canonical text,
                    // in its column order); new vintages start as drafts.
                    audit.created(
                        "observations",
                        vec![
                            Some(ind.to_string()),
                            Some(period.clone()),
                            Some(geo.to_string()),
                            Some(vintage.to_string()),
                            Some(o.period.calendar_year().to_string()),
                            Some(value.clone()),
                            o.source.clone(),
                            o.note.clone(),
                            Some(ObservationState::Draft.as_str().to_string()),
                            Some(batch_text.clone()),
                            o.comment.clone(),
                            Some(kind.as_str().to_string()),
                        ],
                    );
                    q = q
                        .bind(ind)
                        .bind(period.as_str())
                        .bind(o.period.calendar_year())
                        .bind(geo)
                        .bind(*vintage)
                        .bind(value.as_str())
                        .bind(o.source.as_deref())
                        .bind(o.note.as_deref())
                        .bind(o.comment.as_deref())
                        .bind(kind.as_str());
                }
                q.execute(&mut *w.tx).await.ctx(|| {
                    format!(
                        "writing observations {}–{} of {total} from {source_name}",
                        n * ROWS_PER_INSERT + 1,
                        n * ROWS_PER_INSERT + chunk.len()
                    )
                })?;
                progress(ImportProgress {
                    written: n * ROWS_PER_INSERT + chunk.len(),
                    total,
                });
            }

            let after = serde_json::json!({
                "batch": batch_id, "plan": plan_id, "source_name": source_name, "reason": reason,
                "inserted": report.inserted, "revised": report.revised, "unchanged": report.unchanged,
                "rows": total,
            });
            audit.push(
                actor,
                IMPORT_ACTION,
                "observation_batch",
                Some(batch_id),
                None::<&()>,
                Some(&after),
            );
            audit.write(w).await?;
            Ok(report)
        })
        .await
    }

    /// Withdraws draft figures (a reporter cleared them): the latest vintage
    /// of each becomes `withdrawn` in place, so that the history and the
    /// audit keep it while no view counts it (the figure's earlier vintage,
    /// if any, is its latest again). Each figure must belong to plan
    /// `plan_id` (and, when given, to an indicator `department` leads) and
    /// its latest vintage must be a draft; otherwise nothing is withdrawn.
    /// Returns the ids withdrawn.
    pub async fn withdraw_drafts(
        &self,
        plan_id: i64,
        department: Option<&str>,
        figures: &[(String, Period, Option<String>)],
        actor: &str,
    ) -> Result<Vec<i64>> {
        if figures.is_empty() {
            return Ok(Vec::new());
        }
        self.write(async |w| {
            let mut ids = Vec::with_capacity(figures.len());
            for (indicator, period, geography) in figures {
                let r = sqlx::query(&format!(
                    "SELECT o.id, o.state, o.vintage FROM observations o JOIN indicators i ON i.id = o.indicator_id \
                     WHERE i.plan_id = $1 AND i.code = $2 AND o.period = $3 AND o.geography = $4 AND {}",
                    latest_clause(None)
                ))
                .bind(plan_id)
                .bind(indicator.clone())
                .bind(period.to_string())
                .bind(geo_key(geography).to_string())
                .fetch_optional(&mut *w.tx)
                .await
                .ctx(|| format!("reading `{indicator}` {period} of plan {plan_id}"))?
                .ok_or_else(|| StoreError::FigureNotFound {
                    plan_id,
                    indicator: indicator.clone(),
                    period: *period,
                    geography: geography.clone(),
                })?;
                let id: i64 = col(&r, "id")?;
                let state = parse_state(id, &col::<String>(&r, "state")?)?;
                if state != ObservationState::Draft {
                    return Err(StoreError::Transition {
                        id,
                        indicator: indicator.clone(),
                        period: *period,
                        vintage: col(&r, "vintage")?,
                        from: state,
                        to: ObservationState::Draft,
                    });
                }
                if let Some(department) = department {
                    let led = sqlx::query(
                        "SELECT 1 AS one FROM indicator_departments l JOIN departments d ON d.id = l.department_id \
                         JOIN indicators i ON i.id = l.indicator_id \
                         WHERE i.plan_id = $1 AND i.code = $2 AND d.code = $3 AND l.role = 'lead'",
                    )
                    .bind(plan_id)
                    .bind(indicator.clone())
                    .bind(department.to_string())
                    .fetch_optional(&mut *w.tx)
                    .await
                    .ctx(|| format!("reading who leads `{indicator}`"))?;
                    if led.is_none() {
                        return Err(StoreError::NotInDepartment {
                            id,
                            indicator: indicator.clone(),
                            department: department.to_string(),
                        });
                    }
                }
                ids.push(id);
            }
            ids.sort_unstable();
            ids.dedup();
            let mut audit = Audit::start(&mut w.tx).await?;
            for chunk in ids.chunks(500) {
                let list = crate::db::params(w.backend, 0, chunk.len());
                audit
                    .track(&mut w.tx, "observations", &format!("id IN ({list})"), chunk)
                    .await?;
                let sql = format!("UPDATE observations SET kind = 'withdrawn' WHERE id IN ({list})");
                let mut q = sqlx::query(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.execute(&mut *w.tx).await.ctx(|| "withdrawing drafts".to_string())?;
            }
            for id in &ids {
                audit.push(
                    actor,
                    "withdraw",
                    "observation",
                    Some(*id),
                    Some(&serde_json::json!({ "kind": "figure" })),
                    Some(&serde_json::json!({ "kind": "withdrawn" })),
                );
            }
            audit.write(w).await?;
            Ok(ids)
        })
        .await
    }

    /// Figures of a plan, ordered by indicator code, period, geography and
    /// vintage.
    pub async fn observations(&self, plan_id: i64, query: &ObservationQuery) -> Result<Vec<ObservationRecord>> {
        let mut sql = format!("{RECORD_SELECT} WHERE i.plan_id = $1");
        let mut binds: Vec<String> = Vec::new();
        let mut next = |sql: &mut String, clause: &str, value: String| {
            binds.push(value);
            sql.push_str(&clause.replace("$?", &format!("${}", binds.len() + 1)));
        };
        if let Some(code) = &query.indicator {
            next(&mut sql, " AND i.code = $?", code.clone());
        }
        if let Some(g) = &query.geography {
            next(&mut sql, " AND o.geography = $?", g.trim().to_string());
        }
        if let Some(d) = &query.department {
            next(
                &mut sql,
                " AND EXISTS (SELECT 1 FROM indicator_departments l JOIN departments d ON d.id = l.department_id \
                 WHERE l.indicator_id = i.id AND l.role = 'lead' AND d.code = $?)",
                d.clone(),
            );
        }
        if let Some((a, b)) = query.years {
            sql.push_str(&format!(" AND o.year >= {a} AND o.year <= {b}"));
        }
        if let Some(states) = query.view.states() {
            sql.push_str(&format!(" AND o.state IN {states}"));
        }
        if query.view != View::AllVintages {
            sql.push_str(" AND ");
            sql.push_str(&latest_clause(query.view.states()));
        }
        let mut q = sqlx::query(&sql).bind(plan_id);
        for b in binds {
            q = q.bind(b);
        }
        let rows = q
            .fetch_all(&self.pool)
            .await
            .ctx(|| format!("reading the figures of plan {plan_id}"))?;
        let mut out = rows.iter().map(record_of).collect::<Result<Vec<_>>>()?;
        sort_records(&mut out);
        Ok(out)
    }

    /// Every vintage of one figure, oldest first.
    pub async fn observation_history(
        &self,
        plan_id: i64,
        indicator: &str,
        period: Period,
        geography: Option<&str>,
    ) -> Result<Vec<ObservationRecord>> {
        let rows = sqlx::query(&format!(
            "{RECORD_SELECT} WHERE i.plan_id = $1 AND i.code = $2 AND o.period = $3 AND o.geography = $4 \
             ORDER BY o.vintage"
        ))
        .bind(plan_id)
        .bind(indicator.to_string())
        .bind(period.to_string())
        .bind(geography.unwrap_or("").trim().to_string())
        .fetch_all(&self.pool)
        .await
        .ctx(|| format!("reading the history of `{indicator}` {period} in plan {plan_id}"))?;
        rows.iter().map(record_of).collect()
    }

    /// One vintage.
    pub async fn observation(&self, id: i64) -> Result<ObservationRecord> {
        let r = sqlx::query(&format!("{RECORD_SELECT} WHERE o.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .ctx(|| format!("reading observation {id}"))?
            .ok_or(StoreError::ObservationNotFound(id))?;
        record_of(&r)
    }

    /// The state changes of one vintage, oldest first.
    pub async fn transitions(&self, observation_id: i64) -> Result<Vec<Transition>> {
        let rows = sqlx::query(
            "SELECT observation_id, from_state, to_state, at, actor, comment FROM observation_transitions \
             WHERE observation_id = $1 ORDER BY id",
        )
        .bind(observation_id)
        .fetch_all(&self.pool)
        .await
        .ctx(|| format!("reading the state changes of observation {observation_id}"))?;
        rows.iter()
            .map(|r| {
                Ok(Transition {
                    observation_id,
                    from: parse_state(observation_id, &col::<String>(r, "from_state")?)?,
                    to: parse_state(observation_id, &col::<String>(r, "to_state")?)?,
                    at: col(r, "at")?,
                    actor: col(r, "actor")?,
                    comment: col(r, "comment")?,
                })
            })
            .collect()
    }

    /// Moves vintages to state `to` (submit, approve, publish, or return to
    /// draft with a comment), in one transaction: if any of them may not
    /// make the move ([`ObservationState::can_move_to`]), or lies outside
    /// the plan (or department) the caller names ([`StoreError::NotInPlan`],
    /// [`StoreError::NotInDepartment`]), none moves. Returns the ids moved.
    /// Whether the caller's role may make the move is
    /// [`lantu_core::policy::Policy`]'s, asked by the caller.
    pub async fn set_state(
        &self,
        figures: &Figures,
        to: ObservationState,
        actor: &str,
        comment: Option<&str>,
    ) -> Result<Vec<i64>> {
        const SELECT: &str = "SELECT o.id, o.state, o.vintage, o.period, i.code, i.plan_id, o.indicator_id, o.kind \
                              FROM observations o JOIN indicators i ON i.id = o.indicator_id";
        self.write(async |w| {
            let rows: Vec<AnyRow> = match figures {
                Figures::Ids {
                    plan_id,
                    department,
                    ids,
                } => {
                    let mut rows = Vec::with_capacity(ids.len());
                    for chunk in ids.chunks(500) {
                        let sql = format!(
                            "{SELECT} WHERE o.id IN ({})",
                            crate::db::params(w.backend, 0, chunk.len())
                        );
                        let mut q = sqlx::query(&sql);
                        for id in chunk {
                            q = q.bind(*id);
                        }
                        rows.extend(
                            q.fetch_all(&mut *w.tx)
                                .await
                                .ctx(|| "reading observations to move".to_string())?,
                        );
                    }
                    let found: std::collections::HashSet<i64> =
                        rows.iter().map(|r| col::<i64>(r, "id")).collect::<Result<_>>()?;
                    if let Some(missing) = ids.iter().find(|i| !found.contains(i)) {
                        return Err(StoreError::ObservationNotFound(*missing));
                    }
                    for r in &rows {
                        let belongs_to: i64 = col(r, "plan_id")?;
                        if belongs_to != *plan_id {
                            return Err(StoreError::NotInPlan {
                                id: col(r, "id")?,
                                plan_id: *plan_id,
                                belongs_to,
                            });
                        }
                    }
                    if let Some(department) = department {
                        let led: std::collections::HashSet<i64> = sqlx::query(
                            "SELECT l.indicator_id FROM indicator_departments l \
                             JOIN departments d ON d.id = l.department_id \
                             WHERE d.plan_id = $1 AND d.code = $2 AND l.role = 'lead'",
                        )
                        .bind(*plan_id)
                        .bind(department.clone())
                        .fetch_all(&mut *w.tx)
                        .await
                        .ctx(|| format!("reading the indicators department `{department}` leads"))?
                        .iter()
                        .map(|r| col::<i64>(r, "indicator_id"))
                        .collect::<Result<_>>()?;
                        for r in &rows {
                            if !led.contains(&col::<i64>(r, "indicator_id")?) {
                                return Err(StoreError::NotInDepartment {
                                    id: col(r, "id")?,
                                    indicator: col(r, "code")?,
                                    department: department.clone(),
                                });
                            }
                        }
                    }
                    rows
                }
                Figures::Figure {
                    plan_id,
                    indicator,
                    period,
                    geography,
                } => {
                    let r = sqlx::query(&format!(
                        "{SELECT} WHERE i.plan_id = $1 AND i.code = $2 AND o.period = $3 AND o.geography = $4 \
                     AND o.kind <> 'withdrawn' ORDER BY o.vintage DESC LIMIT 1"
                    ))
                    .bind(*plan_id)
                    .bind(indicator.clone())
                    .bind(period.to_string())
                    .bind(geo_key(geography).to_string())
                    .fetch_optional(&mut *w.tx)
                    .await
                    .ctx(|| format!("reading `{indicator}` {period} of plan {plan_id}"))?
                    .ok_or_else(|| StoreError::FigureNotFound {
                        plan_id: *plan_id,
                        indicator: indicator.clone(),
                        period: *period,
                        geography: geography.clone(),
                    })?;
                    vec![r]
                }
                Figures::AllIn { plan_id, state } => sqlx::query(&format!(
                    "{SELECT} WHERE i.plan_id = $1 AND o.state = $2 AND o.kind <> 'withdrawn'"
                ))
                .bind(*plan_id)
                .bind(state.as_str())
                .fetch_all(&mut *w.tx)
                .await
                .ctx(|| format!("reading the {} figures of plan {plan_id}", state.as_str()))?,
            };
            let plan_id = match figures {
                Figures::Ids { plan_id, .. } | Figures::Figure { plan_id, .. } | Figures::AllIn { plan_id, .. } => {
                    *plan_id
                }
            };
            let levels = crate::chain::level_count(&mut w.tx, plan_id).await?;
            let mut moves: Vec<(i64, ObservationState)> = Vec::with_capacity(rows.len());
            for r in &rows {
                let id: i64 = col(r, "id")?;
                let from = parse_state(id, &col::<String>(r, "state")?)?;
                // Approval and take-back climb the chain level by level
                // (`Store::move_in_chain`); with one level they are one move.
                let in_chain = matches!(
                    (from, to),
                    (ObservationState::Submitted, ObservationState::Approved)
                        | (ObservationState::Approved, ObservationState::Submitted)
                );
                if in_chain && levels > 1 {
                    return Err(StoreError::ChainRequired { plan_id, levels });
                }
                // A withdrawn draft is no figure: it moves nowhere.
                let withdrawn = parse_kind(id, &col::<String>(r, "kind")?)? == VintageKind::Withdrawn;
                if withdrawn || !from.can_move_to(to) {
                    return Err(StoreError::Transition {
                        id,
                        indicator: col(r, "code")?,
                        period: parse_period("observations", id, &col::<String>(r, "period")?)?,
                        vintage: col(r, "vintage")?,
                        from,
                        to,
                    });
                }
                moves.push((id, from));
            }
            drop(rows);
            moves.sort_by_key(|m| m.0);
            if moves.is_empty() {
                return Ok(Vec::new());
            }
            let mut audit = Audit::start(&mut w.tx).await?;
            let at = audit.at().to_string();
            for chunk in moves.chunks(500) {
                let ids: Vec<i64> = chunk.iter().map(|(id, _)| *id).collect();
                let list = crate::db::params(w.backend, 0, ids.len());
                audit
                    .track(&mut w.tx, "observations", &format!("id IN ({list})"), &ids)
                    .await?;
                audit
                    .track(
                        &mut w.tx,
                        "observation_transitions",
                        &format!("observation_id IN ({list})"),
                        &ids,
                    )
                    .await?;
                audit
                    .track(
                        &mut w.tx,
                        "observation_levels",
                        &format!("observation_id IN ({list})"),
                        &ids,
                    )
                    .await?;
                // A move outside the chain leaves it: no level passed.
                let sql = format!("DELETE FROM observation_levels WHERE observation_id IN ({list})");
                let mut q = sqlx::query(&sql);
                for id in &ids {
                    q = q.bind(*id);
                }
                q.execute(&mut *w.tx)
                    .await
                    .ctx(|| "leaving the review chain".to_string())?;
            }
            for chunk in moves.chunks(500) {
                // The state is inlined (one of four fixed words): every
                // parameter is then an id, bound in order.
                let sql = format!(
                    "UPDATE observations SET state = '{}' WHERE id IN ({})",
                    to.as_str(),
                    crate::db::params(w.backend, 0, chunk.len())
                );
                let mut q = sqlx::query(&sql);
                for (id, _) in chunk {
                    q = q.bind(*id);
                }
                q.execute(&mut *w.tx)
                    .await
                    .ctx(|| format!("moving observations to {}", to.as_str()))?;

                let values = (0..chunk.len())
                    .map(|i| format!("({})", crate::db::params(w.backend, i * 6, 6)))
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = format!(
                    "INSERT INTO observation_transitions (observation_id, from_state, to_state, at, actor, comment) \
                     VALUES {values}"
                );
                let mut q = sqlx::query(&sql);
                for (id, from) in chunk {
                    q = q
                        .bind(*id)
                        .bind(from.as_str())
                        .bind(to.as_str())
                        .bind(at.as_str())
                        .bind(actor)
                        .bind(comment);
                }
                q.execute(&mut *w.tx)
                    .await
                    .ctx(|| "recording the state changes".to_string())?;
            }
            for (id, from) in &moves {
                audit.push(
                    actor,
                    "set_state",
                    "observation",
                    Some(*id),
                    Some(&serde_json::json!({ "state": from.as_str() })),
                    Some(&serde_json::json!({ "state": to.as_str(), "comment": comment })),
                );
            }
            audit.write(w).await?;
            Ok(moves.into_iter().map(|(id, _)| id).collect())
        })
        .await
    }
}

fn insert_sql(backend: crate::Backend, batch_id: i64, rows: usize) -> String {
    let mut sql = String::with_capacity(100 + rows * 60);
    sql.push_str(
        "INSERT INTO observations (batch_id, indicator_id, period, year, geography, vintage, value, source, note, \
         comment, kind) VALUES ",
    );
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("({batch_id}, {})", crate::db::params(backend, r * 10, 10)));
    }
    sql
}
