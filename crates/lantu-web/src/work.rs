//! Writes on tasks and key projects: annual work-plan entries (年度工作计划)
//! with milestones, due dates and states, and project progress. A
//! department reporter edits the tasks its department leads; planners and
//! administrators edit every task and project (the use cases of
//! `lantu_app::work` decide). Then the page is shown again
//! (post/redirect/get).

use crate::error::WebError;
use crate::{AppState, Ctx};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use lantu_app::work::ProgressInput;
use lantu_app::{NewWorkPlanEntry, ProjectStatus, WorkPlanUpdate, WorkStatus};

use crate::respond;

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

pub async fn add_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((plan, code)): Path<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let user = ctx.require_internal()?.clone();
        let year: i32 = field(&pairs, "year")
            .and_then(|y| y.parse().ok())
            .ok_or_else(|| WebError::BadRequest("year: write a year, e.g. 2024".into()))?;
        let entry = NewWorkPlanEntry {
            year,
            milestone: field(&pairs, "milestone").unwrap_or_default().to_string(),
            due_date: field(&pairs, "due_date").map(str::to_string),
            status: work_status(field(&pairs, "status"))?,
            progress_note: field(&pairs, "note").map(str::to_string),
        };
        state.app().add_work_entry(&user, plan, &code, &entry).await?;
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
        let user = ctx.require_internal()?.clone();
        let update = WorkPlanUpdate {
            status: Some(work_status(field(&pairs, "status"))?),
            progress_note: field(&pairs, "note").map(|n| Some(n.to_string())),
            ..WorkPlanUpdate::default()
        };
        let e = state.app().update_work_entry(&user, plan, entry, &update).await?;
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
        let status: ProjectStatus = serde_json::from_value(serde_json::Value::String(
            field(&pairs, "status").unwrap_or("planned").to_string(),
        ))
        .map_err(|_| WebError::BadRequest("status: planned, under_construction, completed or suspended".into()))?;
        let input = ProgressInput {
            status,
            completed_investment: field(&pairs, "completed_investment").map(str::to_string),
            note: field(&pairs, "note").map(str::to_string),
        };
        state.app().record_project_progress(&user, plan, &code, input).await?;
        state.changed();
        Ok(Redirect::to(&format!("/plans/{plan}/projects#{}", crate::view::enc(&code))).into_response())
    }
    .await;
    respond(&ctx, r)
}
