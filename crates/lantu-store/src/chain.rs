//! Review chains (审核层级): the levels a plan's figures pass between
//! submission and publication, and where each submitted vintage stands in
//! its plan's chain. Who may take which step at which level is
//! [`lantu_core::policy::Policy::step`]'s, asked by the application layer;
//! the store keeps the chain, checks that each step starts where the
//! vintage stands (so two reviewers acting at once cannot both move it),
//! and records every step in `observation_transitions`, `transition_levels`
//! and the audit log.

use crate::audit::Audit;
use crate::db::{col, parse_enum};
use crate::error::{Ctx, Result, StoreError};
use crate::Store;
use lantu_core::account::Role;
use lantu_core::observation::ObservationState;
use lantu_core::plan::PlanSettings;
use lantu_core::policy::{Level, Stage, Step};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

/// The review chain of plan `plan_id` as stored (empty: the default one
/// level).
pub(crate) async fn load_levels(conn: &mut AnyConnection, plan_id: i64) -> Result<Vec<Level>> {
    let rows = sqlx::query(
        "SELECT position, name, role, department FROM plan_review_levels WHERE plan_id = $1 ORDER BY position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await
    .ctx(|| format!("reading the review levels of plan {plan_id}"))?;
    rows.iter()
        .map(|r| {
            Ok(Level {
                name: col(r, "name")?,
                role: parse_enum::<Role>("plan_review_levels", plan_id, "role", &col::<String>(r, "role")?)?,
                department: col(r, "department")?,
            })
        })
        .collect()
}

/// How many levels plan `plan_id`'s chain has.
pub(crate) async fn level_count(conn: &mut AnyConnection, plan_id: i64) -> Result<usize> {
    Ok(load_levels(conn, plan_id).await?.len().max(1))
}

/// Replaces the stored chain of plan `plan_id` with `levels`. The caller
/// tracks `plan_review_levels` for the audit. A chain may not become
/// shorter than a figure has already climbed: a vintage that has passed
/// `k` levels needs more than `k` levels to stand in.
pub(crate) async fn write_levels(conn: &mut AnyConnection, plan_id: i64, levels: &[Level]) -> Result<()> {
    if load_levels(conn, plan_id).await? == levels {
        return Ok(());
    }
    let n = levels.len().max(1) as i64;
    let r = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM observation_levels ol JOIN observations o ON o.id = ol.observation_id \
         JOIN indicators i ON i.id = o.indicator_id WHERE i.plan_id = $1 AND ol.passed >= $2",
    )
    .bind(plan_id)
    .bind(n)
    .fetch_one(&mut *conn)
    .await
    .ctx(|| format!("reading the figures in the review chain of plan {plan_id}"))?;
    let stranded: i64 = col(&r, "n")?;
    if stranded > 0 {
        return Err(StoreError::ChainInUse {
            plan_id,
            figures: stranded as usize,
            levels: n as usize,
        });
    }
    sqlx::query("DELETE FROM plan_review_levels WHERE plan_id = $1")
        .bind(plan_id)
        .execute(&mut *conn)
        .await
        .ctx(|| format!("replacing the review levels of plan {plan_id}"))?;
    for (position, l) in levels.iter().enumerate() {
        sqlx::query(
            "INSERT INTO plan_review_levels (plan_id, position, name, role, department) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(plan_id)
        .bind(position as i32)
        .bind(l.name.trim().to_string())
        .bind(l.role.as_str())
        .bind(l.department.clone())
        .execute(&mut *conn)
        .await
        .ctx(|| format!("writing review level {} of plan {plan_id}", position + 1))?;
    }
    Ok(())
}

/// One step of the chain for one vintage: where it stands and where the
/// step takes it (from [`lantu_core::policy::Policy::step`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageMove {
    pub id: i64,
    pub from: Stage,
    pub to: Stage,
}

/// The chain step of a state change, as `transition_levels` records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainStep {
    pub step: Step,
    /// The name of the level that acted.
    pub level_name: String,
    pub from_passed: usize,
    pub to_passed: usize,
}

impl Store {
    /// The review chain of plan `plan_id` (empty: the default one level).
    pub async fn review_levels(&self, plan_id: i64) -> Result<Vec<Level>> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .ctx(|| "connecting to the database".to_string())?;
        load_levels(&mut conn, plan_id).await
    }

    /// Sets the review chain of plan `plan_id` (checked as
    /// [`PlanSettings::check_levels`] does; refused while a figure stands
    /// at a level the new chain lacks). Returns whether it changed
    /// (audited when it did).
    pub async fn set_review_levels(&self, plan_id: i64, levels: &[Level], actor: &str) -> Result<bool> {
        let settings = PlanSettings {
            review_levels: levels.to_vec(),
            ..PlanSettings::default()
        };
        settings.check_levels().map_err(StoreError::InvalidPlan)?;
        self.write(async |w| {
            let exists = sqlx::query("SELECT id FROM plans WHERE id = $1")
                .bind(plan_id)
                .fetch_optional(&mut *w.tx)
                .await
                .ctx(|| format!("reading plan {plan_id}"))?;
            if exists.is_none() {
                return Err(StoreError::PlanNotFound(plan_id));
            }
            let before = load_levels(&mut w.tx, plan_id).await?;
            if before == levels {
                return Ok(false);
            }
            let mut audit = Audit::start(&mut w.tx).await?;
            audit
                .track(&mut w.tx, "plan_review_levels", "plan_id = $1", &[plan_id])
                .await?;
            write_levels(&mut w.tx, plan_id, levels).await?;
            audit.push(
                actor,
                "set_review_levels",
                "plan",
                Some(plan_id),
                Some(&before),
                Some(&levels),
            );
            audit.write(w).await?;
            Ok(true)
        })
        .await
    }

    /// Takes one chain step (`step` by the level named `level_name`) on
    /// vintages of plan `plan_id`, in one transaction: every vintage must
    /// belong to the plan and stand where its move starts (else
    /// [`StoreError::StageChanged`]: someone acted first), or none moves.
    /// Each move is recorded in `observation_transitions` (with `comment`,
    /// the reason of a return), its levels in `transition_levels`, and in
    /// the audit log. Returns the ids moved.
    pub async fn move_in_chain(
        &self,
        plan_id: i64,
        moves: &[StageMove],
        step: Step,
        level_name: &str,
        actor: &str,
        comment: Option<&str>,
    ) -> Result<Vec<i64>> {
        if moves.is_empty() {
            return Ok(Vec::new());
        }
        self.write(async |w| {
            let mut audit = Audit::start(&mut w.tx).await?;
            let at = audit.at().to_string();
            let n = level_count(&mut w.tx, plan_id).await?;
            for m in moves {
                let r = sqlx::query(
                    "SELECT o.state, i.plan_id, i.code, o.period, o.vintage, \
                     CAST(COALESCE(ol.passed, 0) AS BIGINT) AS passed FROM observations o \
                     JOIN indicators i ON i.id = o.indicator_id \
                     LEFT JOIN observation_levels ol ON ol.observation_id = o.id WHERE o.id = $1",
                )
                .bind(m.id)
                .fetch_optional(&mut *w.tx)
                .await
                .ctx(|| format!("reading observation {}", m.id))?
                .ok_or(StoreError::ObservationNotFound(m.id))?;
                let belongs_to: i64 = col(&r, "plan_id")?;
                if belongs_to != plan_id {
                    return Err(StoreError::NotInPlan {
                        id: m.id,
                        plan_id,
                        belongs_to,
                    });
                }
                let state: String = col(&r, "state")?;
                let state = ObservationState::parse(&state).ok_or_else(|| StoreError::Corrupt {
                    table: "observations",
                    id: m.id,
                    column: "state",
                    value: state.clone(),
                    what: "not a state".to_string(),
                })?;
                let now = Stage::new(state, col::<i64>(&r, "passed")?.max(0) as usize);
                let legal = m.from.state.can_move_to(m.to.state)
                    || (m.from.state == ObservationState::Submitted && m.to.state == ObservationState::Submitted);
                if now != m.from || !legal || m.to.passed >= n {
                    return Err(StoreError::StageChanged {
                        id: m.id,
                        indicator: col(&r, "code")?,
                        vintage: col(&r, "vintage")?,
                        state: now.state,
                        passed: now.passed,
                    });
                }
                for (table, cond) in [
                    ("observations", "id = $1"),
                    ("observation_transitions", "observation_id = $1"),
                    ("observation_levels", "observation_id = $1"),
                    (
                        "transition_levels",
                        "transition_id IN (SELECT id FROM observation_transitions WHERE observation_id = $1)",
                    ),
                ] {
                    audit.track(&mut w.tx, table, cond, &[m.id]).await?;
                }
                sqlx::query("UPDATE observations SET state = $1 WHERE id = $2")
                    .bind(m.to.state.as_str())
                    .bind(m.id)
                    .execute(&mut *w.tx)
                    .await
                    .ctx(|| format!("moving observation {}", m.id))?;
                sqlx::query("DELETE FROM observation_levels WHERE observation_id = $1")
                    .bind(m.id)
                    .execute(&mut *w.tx)
                    .await
                    .ctx(|| format!("moving observation {} in the chain", m.id))?;
                if m.to.passed > 0 {
                    sqlx::query("INSERT INTO observation_levels (observation_id, passed) VALUES ($1, $2)")
                        .bind(m.id)
                        .bind(m.to.passed as i32)
                        .execute(&mut *w.tx)
                        .await
                        .ctx(|| format!("moving observation {} in the chain", m.id))?;
                }
                let t = sqlx::query(
                    "INSERT INTO observation_transitions (observation_id, from_state, to_state, at, actor, comment) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(m.id)
                .bind(m.from.state.as_str())
                .bind(m.to.state.as_str())
                .bind(at.as_str())
                .bind(actor)
                .bind(comment)
                .fetch_one(&mut *w.tx)
                .await
                .ctx(|| "recording the state change".to_string())?;
                let tid: i64 = col(&t, "id")?;
                sqlx::query(
                    "INSERT INTO transition_levels (transition_id, step, level_name, from_passed, to_passed) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(tid)
                .bind(step.as_str())
                .bind(level_name)
                .bind(m.from.passed as i32)
                .bind(m.to.passed as i32)
                .execute(&mut *w.tx)
                .await
                .ctx(|| "recording the review level of the state change".to_string())?;
                audit.push(
                    actor,
                    "review_step",
                    "observation",
                    Some(m.id),
                    Some(&serde_json::json!({ "state": m.from.state.as_str(), "passed": m.from.passed })),
                    Some(&serde_json::json!({
                        "state": m.to.state.as_str(), "passed": m.to.passed, "step": step.as_str(),
                        "level": level_name, "comment": comment,
                    })),
                );
            }
            audit.write(w).await?;
            Ok(moves.iter().map(|m| m.id).collect())
        })
        .await
    }

    /// The chain steps of the state changes of one vintage, by transition
    /// (`None`: a change outside the chain, e.g. submit or publish), in the
    /// order of [`Store::transitions`].
    pub async fn chain_steps(&self, observation_id: i64) -> Result<Vec<Option<ChainStep>>> {
        let rows = sqlx::query(
            "SELECT t.id, l.step, l.level_name, CAST(l.from_passed AS BIGINT) AS from_passed, \
             CAST(l.to_passed AS BIGINT) AS to_passed FROM observation_transitions t \
             LEFT JOIN transition_levels l ON l.transition_id = t.id WHERE t.observation_id = $1 ORDER BY t.id",
        )
        .bind(observation_id)
        .fetch_all(&self.pool)
        .await
        .ctx(|| format!("reading the review steps of observation {observation_id}"))?;
        rows.iter()
            .map(|r| {
                let step: Option<String> = col(r, "step")?;
                let Some(step) = step else { return Ok(None) };
                Ok(Some(ChainStep {
                    step: Step::parse(&step).ok_or_else(|| StoreError::Corrupt {
                        table: "transition_levels",
                        id: col(r, "id").unwrap_or(0),
                        column: "step",
                        value: step.clone(),
                        what: "not a review step".to_string(),
                    })?,
                    level_name: col::<Option<String>>(r, "level_name")?.unwrap_or_default(),
                    from_passed: col::<Option<i64>>(r, "from_passed")?.unwrap_or(0).max(0) as usize,
                    to_passed: col::<Option<i64>>(r, "to_passed")?.unwrap_or(0).max(0) as usize,
                }))
            })
            .collect()
    }
}
