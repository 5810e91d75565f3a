//! Monitoring figures (监测数据): reading them as each reader may see
//! them; entering, importing, withdrawing and correcting them, always
//! through the one [`validation`](crate::validation).

use crate::validation::{check, Problem};
use crate::{App, AppError, Result};
use lantu_core::observation::NewObservation;
use lantu_core::Period;
use lantu_store::{ImportReport, ObservationQuery, ObservationRecord, View};

/// Where a batch of figures comes from and why: who, the file or form,
/// the reason (a correction of a published figure needs one).
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    pub actor: &'a str,
    pub source_name: &'a str,
    pub reason: Option<&'a str>,
}

impl App {
    /// The stored figures of a plan that `query` selects.
    pub async fn observations(&self, plan_id: i64, query: &ObservationQuery) -> Result<Vec<ObservationRecord>> {
        Ok(self.store.observations(plan_id, query).await?)
    }

    /// Checks figures for a plan as [`App::save_figures`] would, without
    /// storing anything.
    pub async fn check_figures(
        &self,
        plan_id: i64,
        rows: &[NewObservation],
        reason: Option<&str>,
    ) -> Result<Vec<Problem>> {
        let doc = self.store.plan_doc(plan_id).await?;
        let stored = self.store.observations(plan_id, &ObservationQuery::default()).await?;
        Ok(check(&doc, rows, &stored, reason))
    }

    /// Stores figures for a plan (the grid, an upload, the API, the CLI
    /// import): validated first — any problem refuses the whole batch with
    /// [`AppError::Refused`] and nothing is written — then imported in one
    /// transaction, a change to a published figure as a correction.
    pub async fn save_figures(&self, plan_id: i64, rows: &[NewObservation], batch: Batch<'_>) -> Result<ImportReport> {
        let problems = self.check_figures(plan_id, rows, batch.reason).await?;
        if !problems.is_empty() {
            return Err(AppError::Refused(problems));
        }
        let reason = batch.reason.map(str::trim).filter(|r| !r.is_empty());
        Ok(self
            .store
            .import_observations(plan_id, rows, batch.actor, batch.source_name, reason)
            .await?)
    }

    /// Withdraws draft figures a reporter cleared (kept in the history as
    /// withdrawn, counted nowhere); `department` limits them to the
    /// indicators it leads.
    pub async fn withdraw_drafts(
        &self,
        plan_id: i64,
        department: Option<&str>,
        figures: &[(String, Period, Option<String>)],
        actor: &str,
    ) -> Result<Vec<i64>> {
        Ok(self.store.withdraw_drafts(plan_id, department, figures, actor).await?)
    }

    /// Every vintage of one figure, oldest first (withdrawn and corrections
    /// included, each with its kind, comment and reason).
    pub async fn figure_history(
        &self,
        plan_id: i64,
        indicator: &str,
        period: Period,
        geography: Option<&str>,
    ) -> Result<Vec<ObservationRecord>> {
        Ok(self
            .store
            .observation_history(plan_id, indicator, period, geography)
            .await?)
    }

    /// The latest vintage of each figure (what the office sees).
    pub async fn latest_figures(&self, plan_id: i64) -> Result<Vec<ObservationRecord>> {
        self.observations(
            plan_id,
            &ObservationQuery {
                view: View::Latest,
                ..ObservationQuery::default()
            },
        )
        .await
    }
}

/// What a reader asks of a plan's figures (the API's `observations`).
#[derive(Debug, Clone, Default)]
pub struct FigureRequest {
    /// `None`: published figures for the public, reviewed ones for staff.
    pub view: Option<View>,
    pub department: Option<String>,
    pub indicator: Option<String>,
    pub geography: Option<String>,
    pub year: Option<i32>,
}

impl App {
    /// The figures of plan `plan_id` that `reader` (`None`: the public)
    /// may see: the public a public plan's published figures of released
    /// years; staff reviewed figures, or with `latest`/`all_vintages`
    /// unreviewed ones too — a reporter its own department's only.
    pub async fn figures_for(
        &self,
        reader: Option<&lantu_store::User>,
        plan_id: i64,
        req: FigureRequest,
    ) -> Result<Vec<ObservationRecord>> {
        let staff = reader.filter(|u| u.role.internal());
        let view = match (req.view, staff) {
            (None, None) | (Some(View::Published), _) => View::Published,
            (None, Some(_)) => View::Reviewed,
            (Some(v), Some(_)) => v,
            (Some(_), None) => {
                return Err(AppError::Forbidden(
                    "匿名访问只能查看已发布的数据 / anonymous requests see published figures only".into(),
                ))
            }
        };
        let mut query = ObservationQuery {
            view,
            indicator: req.indicator.filter(|d| !d.is_empty()),
            department: req.department.clone().filter(|d| !d.is_empty()),
            geography: req.geography,
            years: req.year.map(|y| (y, y)),
        };
        // Unreviewed figures: a reporter sees its own department's only.
        let mut own: Option<Vec<String>> = None;
        if let (View::Latest | View::AllVintages, Some(user)) = (view, staff) {
            if !user.role.sees_all_departments() {
                let doc = self.store.plan_doc(plan_id).await?;
                let dept = crate::entry::department_for(user, query.department.as_deref(), &doc)?;
                let codes: Vec<String> = crate::entry::department_indicators(&doc, &dept)
                    .iter()
                    .map(|i| i.code.clone())
                    .collect();
                if let Some(code) = &query.indicator {
                    if !codes.contains(code) {
                        return Err(AppError::Forbidden(format!(
                            "指标 {code} 不由 {dept} 填报 / indicator {code} is not reported by {dept}"
                        )));
                    }
                }
                query.department = Some(dept);
                own = Some(codes);
            }
        }
        // The public: a public plan's published figures up to its latest
        // released year.
        let public = match staff {
            Some(_) => None,
            None => Some(crate::assess::public_year(&self.store, plan_id, None).await?.1),
        };
        let records = self.store.observations(plan_id, &query).await?;
        Ok(records
            .into_iter()
            .filter(|r| own.as_ref().is_none_or(|c| c.contains(&r.indicator)))
            .filter(|r| {
                public
                    .as_ref()
                    .is_none_or(|p| p.figure_public(r.period.calendar_year(), r.state))
            })
            .collect())
    }
}
