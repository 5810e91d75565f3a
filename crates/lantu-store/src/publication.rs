//! What the planner shows the public of a plan (公开与发布): whether the plan
//! is public and which evaluation years are released. The rule that turns
//! these into visibility is [`lantu_core::policy::Publication`]'s; the
//! store keeps the planner's decisions and audits each of them.

use crate::audit::Audit;
use crate::db::{col, parse_enum};
use crate::error::{Ctx, Result, StoreError};
use crate::{Store, WriteTx};
use lantu_core::plan::PlanState;
use lantu_core::policy::Publication;
use std::collections::BTreeSet;

/// The plan's state, whether made public, and its period.
async fn plan_row(w: &mut WriteTx, plan_id: i64) -> Result<(PlanState, bool, i32, i32)> {
    let r = sqlx::query("SELECT state, made_public, start_year, end_year FROM plans WHERE id = $1")
        .bind(plan_id)
        .fetch_optional(&mut *w.tx)
        .await
        .ctx(|| format!("reading plan {plan_id}"))?
        .ok_or(StoreError::PlanNotFound(plan_id))?;
    Ok((
        parse_enum("plans", plan_id, "state", &col::<String>(&r, "state")?)?,
        col::<i32>(&r, "made_public")? != 0,
        col(&r, "start_year")?,
        col(&r, "end_year")?,
    ))
}

impl Store {
    /// What the planner has decided to show of plan `plan_id`.
    pub async fn publication(&self, plan_id: i64) -> Result<Publication> {
        let r = sqlx::query("SELECT state, made_public FROM plans WHERE id = $1")
            .bind(plan_id)
            .fetch_optional(&self.pool)
            .await
            .ctx(|| format!("reading plan {plan_id}"))?
            .ok_or(StoreError::PlanNotFound(plan_id))?;
        let years = sqlx::query("SELECT year FROM plan_releases WHERE plan_id = $1")
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await
            .ctx(|| format!("reading the released years of plan {plan_id}"))?;
        Ok(Publication {
            state: parse_enum("plans", plan_id, "state", &col::<String>(&r, "state")?)?,
            public: col::<i32>(&r, "made_public")? != 0,
            released_years: years
                .iter()
                .map(|y| col(y, "year"))
                .collect::<Result<BTreeSet<i32>>>()?,
        })
    }

    /// Makes plan `plan_id` public (`true`) or private again. Only an
    /// adopted plan can be made public; making it private is always
    /// allowed. Returns whether anything changed (audited when it did).
    pub async fn set_plan_public(&self, plan_id: i64, public: bool, actor: &str) -> Result<bool> {
        self.write(async |w| {
            let (state, was, _, _) = plan_row(w, plan_id).await?;
            if public && state == PlanState::Draft {
                return Err(StoreError::PlanNotAdopted(plan_id));
            }
            if was == public {
                return Ok(false);
            }
            let mut audit = Audit::start(&mut w.tx).await?;
            audit.track(&mut w.tx, "plans", "id = $1", &[plan_id]).await?;
            sqlx::query("UPDATE plans SET made_public = $1, updated_at = $2 WHERE id = $3")
                .bind(i32::from(public))
                .bind(audit.at().to_string())
                .bind(plan_id)
                .execute(&mut *w.tx)
                .await
                .ctx(|| format!("making plan {plan_id} {}", if public { "public" } else { "private" }))?;
            audit.push(
                actor,
                if public { "publish_plan" } else { "unpublish_plan" },
                "plan",
                Some(plan_id),
                Some(&serde_json::json!({ "public": was })),
                Some(&serde_json::json!({ "public": public })),
            );
            audit.write(w).await?;
            Ok(true)
        })
        .await
    }

    /// Releases evaluation year `year` of plan `plan_id` to the public
    /// (`true`) or withdraws it. The year must lie in the plan period.
    /// Returns whether anything changed (audited when it did).
    pub async fn set_year_released(&self, plan_id: i64, year: i32, released: bool, actor: &str) -> Result<bool> {
        self.write(async |w| {
            let (_, _, start, end) = plan_row(w, plan_id).await?;
            if !(start..=end).contains(&year) {
                return Err(StoreError::YearOutsidePlan {
                    plan_id,
                    year,
                    start,
                    end,
                });
            }
            let was = sqlx::query("SELECT 1 AS one FROM plan_releases WHERE plan_id = $1 AND year = $2")
                .bind(plan_id)
                .bind(year)
                .fetch_optional(&mut *w.tx)
                .await
                .ctx(|| format!("reading the releases of plan {plan_id}"))?
                .is_some();
            if was == released {
                return Ok(false);
            }
            let mut audit = Audit::start(&mut w.tx).await?;
            audit
                .track(
                    &mut w.tx,
                    "plan_releases",
                    "plan_id = $1 AND year = $2",
                    &[plan_id, i64::from(year)],
                )
                .await?;
            let q = if released {
                sqlx::query(
                    "INSERT INTO plan_releases (plan_id, year, released_at, released_by) VALUES ($1, $2, $3, $4)",
                )
                .bind(plan_id)
                .bind(year)
                .bind(audit.at().to_string())
                .bind(actor.to_string())
            } else {
                sqlx::query("DELETE FROM plan_releases WHERE plan_id = $1 AND year = $2")
                    .bind(plan_id)
                    .bind(year)
            };
            q.execute(&mut *w.tx).await.ctx(|| {
                format!(
                    "{} year {year} of plan {plan_id}",
                    if released { "releasing" } else { "withdrawing" }
                )
            })?;
            audit.push(
                actor,
                if released { "release_year" } else { "withdraw_year" },
                "plan",
                Some(plan_id),
                Some(&serde_json::json!({ "year": year, "released": was })),
                Some(&serde_json::json!({ "year": year, "released": released })),
            );
            audit.write(w).await?;
            Ok(true)
        })
        .await
    }
}
