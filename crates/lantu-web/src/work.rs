//! Writes on tasks and key projects: annual work-plan entries (年度工作计划)
//! with milestones, due dates and states, and project progress. A
//! department reporter edits the tasks its department leads; planners and
//! administrators edit every task and project. Every write goes through the
//! store, which audits it; then the page is shown again (post/redirect/get).

use crate::auth::{Role, User};
use crate::error::WebError;
use crate::{AppState, Ctx};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use lantu_core::plan::TaskDoc;
use lantu_store::{NewWorkPlanEntry, ProjectProgress, ProjectStatus, WorkPlanUpdate, WorkStatus};
use rust_decimal::Decimal;
use std::str::FromStr;

use crate::respond;

/// Whether `user` may edit the work plan of `task`.
pub fn may_edit_task(user: Option<&User>, task: &TaskDoc) -> bool {
    match user {
        Some(u) => match u.role {
            Role::Administrator | Role::Planner => true,
            Role::Reporter => u.department.as_ref().is_some_and(|d| task.departments.contains(d)),
            _ => false,
        },
        None => false,
    }
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn work_status(s: Option<&str>) -> Result<WorkStatus, WebError> {
    serde_json::from_value(serde_json::Value::String(s.unwrap_or("not_started").to_string()))
        .map_err(|_| WebError::BadRequest("status: not_started, in_progress, completed or delayed".into()))
}

async fn task_for(state: &AppState, ctx: &Ctx, plan: i64, code: &str) -> Result<(i64, User), WebError> {
    let user = ctx.require_internal()?.clone();
    let doc = state.store().plan_doc(plan).await?;
    let task = doc.tasks.iter().find(|t| t.code == code).ok_or(WebError::NotFound)?;
    if !may_edit_task(Some(&user), task) {
        return Err(WebError::Forbidden(format!(
            "{} may not edit task {code}",
            user.username
        )));
    }
    let id = state
        .store()
        .tasks(plan)
        .await?
        .into_iter()
        .find(|t| t.code == code)
        .map(|t| t.id)
        .ok_or(WebError::NotFound)?;
    Ok((id, user))
}

pub async fn add_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((plan, code)): Path<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let (task_id, user) = task_for(&state, &ctx, plan, &code).await?;
        let year: i32 = field(&pairs, "year")
            .and_then(|y| y.parse().ok())
            .ok_or_else(|| WebError::BadRequest("year: write a year, e.g. 2024".into()))?;
        let milestone = field(&pairs, "milestone")
            .ok_or_else(|| WebError::BadRequest("请填写年度计划内容 / the milestone is empty".into()))?;
        let entry = NewWorkPlanEntry {
            year,
            milestone: milestone.to_string(),
            due_date: field(&pairs, "due_date").map(str::to_string),
            status: work_status(field(&pairs, "status"))?,
            progress_note: field(&pairs, "note").map(str::to_string),
        };
        state
            .store()
            .add_work_plan_entry(task_id, &entry, &user.username)
            .await?;
        state.changed();
        Ok(Redirect::to(&format!("/plans/{plan}/tasks?year={year}#{}", crate::view::enc(&code))).into_response())
    }
    .await;
    respond(&ctx, r)
}

pub async fn update_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((plan, entry)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let e = state.store().work_plan_entry(entry).await?;
        let (task_id, user) = task_for(&state, &ctx, plan, &e.task).await?;
        if task_id != e.task_id {
            return Err(WebError::NotFound);
        }
        let update = WorkPlanUpdate {
            status: Some(work_status(field(&pairs, "status"))?),
            progress_note: field(&pairs, "note").map(|n| Some(n.to_string())),
            ..WorkPlanUpdate::default()
        };
        state
            .store()
            .update_work_plan_entry(entry, &update, &user.username)
            .await?;
        state.changed();
        Ok(Redirect::to(&format!(
            "/plans/{plan}/tasks?year={}#{}",
            e.year,
            crate::view::enc(&e.task)
        ))
        .into_response())
    }
    .await;
    respond(&ctx, r)
}

pub async fn project_progress(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((plan, code)): Path<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let user = ctx.require_internal()?.clone();
        if !matches!(user.role, Role::Administrator | Role::Planner) {
            return Err(WebError::Forbidden(
                "project progress is kept by the planning office".into(),
            ));
        }
        let p = state
            .store()
            .projects(plan)
            .await?
            .into_iter()
            .find(|p| p.code == code)
            .ok_or(WebError::NotFound)?;
        let status: ProjectStatus = serde_json::from_value(serde_json::Value::String(
            field(&pairs, "status").unwrap_or("planned").to_string(),
        ))
        .map_err(|_| WebError::BadRequest("status: planned, under_construction, completed or suspended".into()))?;
        let completed = match field(&pairs, "completed_investment") {
            Some(v) => Some(
                Decimal::from_str(v)
                    .map_err(|_| WebError::BadRequest(format!("completed investment: `{v}` is not a number")))?,
            ),
            None => None,
        };
        let progress = ProjectProgress {
            completed_investment: completed,
            started_on: p.started_on.clone(),
            finished_on: p.finished_on.clone(),
            status,
            progress_note: field(&pairs, "note").map(str::to_string),
        };
        state
            .store()
            .update_project_progress(p.id, &progress, &user.username)
            .await?;
        state.changed();
        Ok(Redirect::to(&format!("/plans/{plan}/projects#{}", crate::view::enc(&code))).into_response())
    }
    .await;
    respond(&ctx, r)
}
