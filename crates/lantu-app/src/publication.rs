//! What the public sees of a plan (公开与发布), decided by people: the
//! planner makes an adopted plan public and releases its evaluation years
//! one by one. One use case each, called alike by `lantu plan
//! publish|unpublish|release|withdraw`, the publication screen and the
//! JSON API. Who may decide is [`Action::PublishPlan`] of the policy; what
//! the decisions show is [`Publication`]'s rule; the store audits each
//! change.

use crate::{Actor, App, AppError, Result};
use lantu_core::plan::PlanState;
use lantu_core::policy::{Action, Policy, Publication, Scope};
use lantu_core::snapshot::ReportKind;
use serde::Serialize;

/// One evaluation year of the plan period, as the screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearRelease {
    pub year: i32,
    /// The evaluation the year is: 年度监测 / 中期评估 / 总结评估 (the
    /// engine's rule, [`ReportKind::of_year`]).
    pub kind: ReportKind,
    pub released: bool,
}

/// What the planner has decided to show of one plan, and why a decision
/// cannot be taken yet.
#[derive(Debug, Clone, Serialize)]
pub struct PublicationState {
    pub plan_id: i64,
    pub name: String,
    pub state: PlanState,
    /// The planner's decision (the plan is public only once adopted too).
    pub made_public: bool,
    /// Public by the rule: adopted and made public.
    pub public: bool,
    /// Every year of the period, first year first.
    pub years: Vec<YearRelease>,
    /// The year the public portal opens on (the latest released one).
    pub default_year: Option<i32>,
    /// Why the plan cannot be made public now (a draft), Chinese first.
    pub blocked: Option<String>,
}

/// A change of what the public sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicationChange {
    /// Make the plan public (`true`) or private.
    Public(bool),
    /// Release (`true`) or withdraw evaluation year `year`.
    Year(i32, bool),
}

/// What a change did.
#[derive(Debug, Clone, Serialize)]
pub struct PublicationOutcome {
    /// `false` when the plan already was as asked.
    pub changed: bool,
    pub publication: PublicationState,
}

fn blocked(state: PlanState, plan_id: i64) -> Option<String> {
    (state == PlanState::Draft).then(|| {
        format!(
            "计划 {plan_id} 仍是草稿：采纳指标体系后才能公开 / plan {plan_id} is a draft: it can be made public \
             once its indicator system is adopted"
        )
    })
}

impl App {
    /// What the public sees of plan `plan_id`, for the publication screen
    /// and the API (staff only: the caller has checked the role reads plans).
    pub async fn publication(&self, plan_id: i64) -> Result<PublicationState> {
        let summary = self
            .store
            .plans()
            .await?
            .into_iter()
            .find(|p| p.id == plan_id)
            .ok_or(AppError::NotFound)?;
        let p: Publication = summary.publication();
        let years = (summary.start_year..=summary.end_year)
            .map(|year| YearRelease {
                year,
                kind: ReportKind::of_year(year, summary.start_year, summary.end_year),
                released: p.released_years.contains(&year),
            })
            .collect();
        Ok(PublicationState {
            plan_id,
            name: summary.name,
            state: summary.state,
            made_public: summary.public,
            public: p.plan_public(),
            years,
            default_year: p.default_year(),
            blocked: blocked(summary.state, plan_id),
        })
    }

    /// Changes what the public sees of plan `plan_id`, as `actor`: refused
    /// unless the policy lets the actor's role decide it ([`Action::PublishPlan`]);
    /// a draft cannot be made public and a year must lie in the period (the
    /// store checks both in the write's transaction and audits the change).
    pub async fn change_publication(
        &self,
        actor: &Actor,
        plan_id: i64,
        change: PublicationChange,
    ) -> Result<PublicationOutcome> {
        if !Policy::default().allows(actor.role, Action::PublishPlan, Scope::None, None) {
            return Err(AppError::Forbidden(format!(
                "只有规划人员和管理员能决定公开内容 / only planners and administrators decide what the public \
                 sees ({} is a {})",
                actor.name,
                actor.role.as_str()
            )));
        }
        let changed = match change {
            PublicationChange::Public(public) => self.store.set_plan_public(plan_id, public, &actor.name).await?,
            PublicationChange::Year(year, released) => {
                self.store
                    .set_year_released(plan_id, year, released, &actor.name)
                    .await?
            }
        };
        Ok(PublicationOutcome {
            changed,
            publication: self.publication(plan_id).await?,
        })
    }
}
