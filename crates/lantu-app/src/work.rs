//! Tasks and key projects: annual work-plan entries (年度工作计划) kept by
//! the department that leads a task, and project progress kept by the
//! planning office. Who may write is [`Action::EditWork`] and
//! [`Action::EditProject`] of the policy.

use crate::{App, AppError, Result};
use lantu_core::account::Role;
use lantu_core::plan::TaskDoc;
use lantu_core::policy::{Action, Policy, Scope};
use lantu_store::{NewWorkPlanEntry, Project, ProjectProgress, ProjectStatus, User, WorkPlanEntry, WorkPlanUpdate};
use rust_decimal::Decimal;

/// Whether `user` may keep the work plan of `task`: a reporter for the
/// tasks its department leads, the planning office for every task.
pub fn may_edit_task(user: Option<&User>, task: &TaskDoc) -> bool {
    user.is_some_and(|u| {
        let scope = match u.role {
            Role::Reporter => Scope::of(u.department.as_deref(), &task.departments),
            _ => Scope::None,
        };
        Policy::default().allows(u.role, Action::EditWork, scope, None)
    })
}

/// Whether `user` may record the progress of key projects.
pub fn may_edit_projects(user: Option<&User>) -> bool {
    user.is_some_and(|u| Policy::default().allows(u.role, Action::EditProject, Scope::None, None))
}

/// A project's progress as an office writes it in a form: state, the
/// investment completed so far (as typed) and a note.
#[derive(Debug, Clone)]
pub struct ProgressInput {
    pub status: ProjectStatus,
    pub completed_investment: Option<String>,
    pub note: Option<String>,
}

impl App {
    /// Task `code` of plan `plan_id` with its stored id, if `user` may
    /// keep its work plan.
    async fn editable_task(&self, user: &User, plan_id: i64, code: &str) -> Result<i64> {
        let doc = self.store.plan_doc(plan_id).await?;
        let task = doc.tasks.iter().find(|t| t.code == code).ok_or(AppError::NotFound)?;
        if !may_edit_task(Some(user), task) {
            return Err(AppError::Forbidden(format!(
                "{} 不能编辑任务 {code} 的年度计划 / {} may not edit the work plan of task {code}",
                user.username, user.username
            )));
        }
        self.store
            .tasks(plan_id)
            .await?
            .into_iter()
            .find(|t| t.code == code)
            .map(|t| t.id)
            .ok_or(AppError::NotFound)
    }

    /// Adds an entry to the annual work plan of task `code`.
    pub async fn add_work_entry(&self, user: &User, plan_id: i64, code: &str, entry: &NewWorkPlanEntry) -> Result<i64> {
        if entry.milestone.trim().is_empty() {
            return Err(AppError::Invalid("请填写年度计划内容 / the milestone is empty".into()));
        }
        let task_id = self.editable_task(user, plan_id, code).await?;
        Ok(self.store.add_work_plan_entry(task_id, entry, &user.username).await?)
    }

    /// Changes work-plan entry `entry_id` of plan `plan_id`; returns it as
    /// changed.
    pub async fn update_work_entry(
        &self,
        user: &User,
        plan_id: i64,
        entry_id: i64,
        update: &WorkPlanUpdate,
    ) -> Result<WorkPlanEntry> {
        let e = self.store.work_plan_entry(entry_id).await?;
        // The entry's own task, in the plan of the URL: no writing across plans.
        if self.editable_task(user, plan_id, &e.task).await? != e.task_id {
            return Err(AppError::NotFound);
        }
        Ok(self
            .store
            .update_work_plan_entry(entry_id, update, &user.username)
            .await?)
    }

    /// The key projects of plan `plan_id`.
    pub async fn projects(&self, plan_id: i64) -> Result<Vec<Project>> {
        Ok(self.store.projects(plan_id).await?)
    }

    /// Records the progress of project `code` of plan `plan_id`.
    pub async fn record_project_progress(
        &self,
        user: &User,
        plan_id: i64,
        code: &str,
        input: ProgressInput,
    ) -> Result<()> {
        if !may_edit_projects(Some(user)) {
            return Err(AppError::Forbidden(
                "重大项目进展由规划部门填写 / project progress is kept by the planning office".into(),
            ));
        }
        let p = self
            .store
            .projects(plan_id)
            .await?
            .into_iter()
            .find(|p| p.code == code)
            .ok_or(AppError::NotFound)?;
        let completed = match input
            .completed_investment
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            Some(v) => Some(v.parse::<Decimal>().map_err(|_| {
                AppError::Invalid(format!(
                    "完成投资：“{v}”不是数字 / completed investment: `{v}` is not a number"
                ))
            })?),
            None => None,
        };
        let progress = ProjectProgress {
            completed_investment: completed,
            started_on: p.started_on.clone(),
            finished_on: p.finished_on.clone(),
            status: input.status,
            progress_note: input.note,
        };
        self.store
            .update_project_progress(p.id, &progress, &user.username)
            .await?;
        Ok(())
    }
}
