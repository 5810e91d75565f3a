//! What is due (催报): the reporter's page of open items (`/due`, where a
//! reporter lands after signing in), the completeness table with the
//! planner's reminder and deadline forms (`/reminders`), the notices, and
//! their API. The rules and the counts are the application layer's
//! ([`lantu_app::due`]).

use crate::entry::plan_id;
use crate::error::{ApiError, WebError};
use crate::i18n::t;
use crate::json::ApiJson;
use crate::{query_param, respond, AppState, Ctx};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use lantu_app::assess::today;
use lantu_app::due::frequency_name;
use lantu_core::due::DueState;
use serde::{Deserialize, Serialize};

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn state_label(lang: crate::i18n::Lang, s: DueState) -> &'static str {
    t(lang, s.as_str())
}

#[derive(Serialize)]
struct DueRow {
    department: String,
    department_name: String,
    indicator: String,
    name: String,
    period: String,
    state: &'static str,
    state_label: &'static str,
    due: String,
    overdue: bool,
    entry_url: String,
}

/// `GET /due?plan=&department=`: the open items of the reporter's
/// department (staff: of the department asked for, or all).
pub async fn due(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        let user = ctx.require_internal()?.clone();
        let plan = plan_id(&state, query_param(&ctx.query, "plan").as_deref()).await?;
        let v = state.plan_view(plan, None, ctx.visibility()).await?;
        let dept = query_param(&ctx.query, "department").filter(|d| !d.is_empty());
        let (today, _) = today();
        let items = state.app().due(&user, plan, dept.as_deref(), &today).await?;
        let rows: Vec<DueRow> = items
            .into_iter()
            .map(|i| DueRow {
                department_name: v.department_name(&i.department),
                entry_url: format!(
                    "/entry?plan={plan}&department={}&year={}",
                    crate::view::enc(&i.department),
                    i.period.calendar_year()
                ),
                department: i.department,
                indicator: i.indicator,
                name: i.name,
                period: i.period.to_string(),
                state: i.state.as_str(),
                state_label: state_label(ctx.lang, i.state),
                due: i.due,
                overdue: i.overdue,
            })
            .collect();
        let overdue = rows.iter().filter(|r| r.overdue).count();
        let departments: Vec<(String, String)> = v
            .doc
            .departments
            .iter()
            .map(|d| (d.code.clone(), d.name.clone()))
            .collect();
        let page = minijinja::context! {
            rows => rows, overdue => overdue, plan_id => plan, today => today,
            departments => departments, department => dept,
            choose_department => user.role != crate::auth::Role::Reporter,
        };
        state.page(&ctx, Some(&v), "due_page", "due.html", page)
    }
    .await;
    respond(&ctx, r)
}

async fn render_reminders(state: &AppState, ctx: &Ctx, flash: Option<(String, bool)>) -> crate::PageResult {
    let user = ctx.require_internal()?.clone();
    let plan = plan_id(state, query_param(&ctx.query, "plan").as_deref()).await?;
    let v = state.plan_view(plan, None, ctx.visibility()).await?;
    let (today, _) = today();
    let year = query_param(&ctx.query, "year").and_then(|y| y.trim().parse::<i32>().ok());
    let rows = match state.app().completeness(&user, plan, &today).await {
        Ok(r) => r,
        // A reporter sees its own department's open items instead.
        Err(lantu_app::AppError::Forbidden(_)) => return Ok(Redirect::to(&format!("/due?plan={plan}")).into_response()),
        Err(e) => return Err(e.into()),
    };
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| year.is_none_or(|y| r.period.starts_with(&y.to_string())))
        .collect();
    let deadlines: Vec<(&str, String, String)> = state
        .app()
        .deadlines(plan)
        .await?
        .into_iter()
        .map(|(f, d)| {
            (
                frequency_name(f),
                t(ctx.lang, frequency_name(f)).to_string(),
                d.to_string(),
            )
        })
        .collect();
    let years: Vec<i32> = (v.doc.plan.start_year..=v.doc.plan.end_year).collect();
    let departments: Vec<(String, String)> = v
        .doc
        .departments
        .iter()
        .map(|d| (d.code.clone(), d.name.clone()))
        .collect();
    let can_remind = matches!(user.role, crate::auth::Role::Planner | crate::auth::Role::Administrator);
    let page = minijinja::context! {
        rows => rows, plan_id => plan, year => year, years => years, deadlines => deadlines,
        departments => departments, can_remind => can_remind, today => today,
        smtp => state.config().smtp.is_some(),
    };
    state.page_flash(ctx, Some(&v), "reminders", "reminders.html", page, flash)
}

/// `GET /reminders?plan=&year=`: the completeness table (department ×
/// period), and for the planner the reminder and deadline forms.
pub async fn reminders(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = render_reminders(&state, &ctx, None).await;
    respond(&ctx, r)
}

/// `POST /reminders/send`: `plan`, `department` (empty: every department
/// with open items).
pub async fn send(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let r = async {
        let user = ctx.require_internal()?.clone();
        let plan = plan_id(&state, field(&pairs, "plan")).await?;
        let (today, _) = today();
        let report = state
            .app()
            .send_reminders(
                &user,
                plan,
                field(&pairs, "department"),
                &today,
                state.config().smtp.as_ref(),
            )
            .await?;
        let mut msg = ctx
            .lang
            .pick(
                &format!(
                    "已向 {} 个部门发送 {} 条站内通知，{} 封邮件。",
                    report.departments.len(),
                    report.notices,
                    report.emailed
                ),
                &format!(
                    "Sent {} notices to {} departments, {} e-mails.",
                    report.notices,
                    report.departments.len(),
                    report.emailed
                ),
            )
            .to_string();
        for f in &report.failures {
            msg.push(' ');
            msg.push_str(f);
        }
        let ctx = Ctx {
            query: format!("plan={plan}"),
            ..ctx.clone()
        };
        render_reminders(&state, &ctx, Some((msg, report.failures.is_empty()))).await
    }
    .await;
    respond(&ctx, r)
}

/// `POST /reminders/deadlines`: `plan`, `frequency`, `rule`.
pub async fn deadlines(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let r = async {
        let user = ctx.require_internal()?.clone();
        let plan = plan_id(&state, field(&pairs, "plan")).await?;
        state
            .app()
            .set_deadline(
                &user,
                plan,
                field(&pairs, "frequency").unwrap_or(""),
                field(&pairs, "rule").unwrap_or(""),
            )
            .await?;
        Ok(Redirect::to(&format!("/reminders?plan={plan}")).into_response())
    }
    .await;
    respond(&ctx, r)
}

/// `POST /notices/read`: `up_to` (the newest notice shown).
pub async fn read_notices(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let user = ctx.require_user()?.clone();
        let up_to = field(&pairs, "up_to")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| WebError::BadRequest("up_to".into()))?;
        state.app().mark_notices_read(&user, up_to).await?;
        Ok(Redirect::to("/due").into_response())
    }
    .await;
    respond(&ctx, r)
}

// --------------------------------------------------------------------- API

fn api_user(ctx: &Ctx) -> Result<crate::auth::User, WebError> {
    match &ctx.user {
        Some(u) if u.role.internal() => Ok(u.clone()),
        Some(_) => Err(WebError::Forbidden("staff only".into())),
        None => Err(WebError::LoginRequired { next: String::new() }),
    }
}

/// `GET /api/v1/plans/{id}/due?department=&today=`: open items.
pub async fn api_due(State(state): State<AppState>, ctx: Ctx, Path(plan): Path<i64>) -> Result<Response, ApiError> {
    let user = api_user(&ctx)?;
    let today = query_param(&ctx.query, "today").unwrap_or_else(|| today().0);
    let dept = query_param(&ctx.query, "department").filter(|d| !d.is_empty());
    Ok(Json(state.app().due(&user, plan, dept.as_deref(), &today).await?).into_response())
}

/// `GET /api/v1/plans/{id}/completeness?today=`.
pub async fn api_completeness(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(plan): Path<i64>,
) -> Result<Response, ApiError> {
    let user = api_user(&ctx)?;
    let today = query_param(&ctx.query, "today").unwrap_or_else(|| today().0);
    Ok(Json(state.app().completeness(&user, plan, &today).await?).into_response())
}

#[derive(Deserialize)]
pub struct DeadlineBody {
    frequency: String,
    rule: String,
}

/// `GET /api/v1/plans/{id}/deadlines`.
pub async fn api_deadlines(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(plan): Path<i64>,
) -> Result<Response, ApiError> {
    api_user(&ctx)?;
    let out: Vec<serde_json::Value> = state
        .app()
        .deadlines(plan)
        .await?
        .into_iter()
        .map(|(f, d)| serde_json::json!({ "frequency": frequency_name(f), "rule": d.to_string() }))
        .collect();
    Ok(Json(out).into_response())
}

/// `PUT /api/v1/plans/{id}/deadlines` `{"frequency": "annual", "rule": "04-30"}`.
pub async fn api_set_deadline(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(plan): Path<i64>,
    ApiJson(body): ApiJson<DeadlineBody>,
) -> Result<Response, ApiError> {
    let user = api_user(&ctx)?;
    let d = state
        .app()
        .set_deadline(&user, plan, &body.frequency, &body.rule)
        .await?;
    Ok(Json(serde_json::json!({ "frequency": body.frequency, "rule": d.to_string() })).into_response())
}

#[derive(Deserialize, Default)]
pub struct ReminderBody {
    #[serde(default)]
    department: Option<String>,
}

/// `POST /api/v1/plans/{id}/reminders` `{"department": "fgw"}` (or `{}`).
pub async fn api_remind(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(plan): Path<i64>,
    ApiJson(body): ApiJson<ReminderBody>,
) -> Result<Response, ApiError> {
    let user = api_user(&ctx)?;
    let (today, _) = today();
    let report = state
        .app()
        .send_reminders(
            &user,
            plan,
            body.department.as_deref(),
            &today,
            state.config().smtp.as_ref(),
        )
        .await?;
    Ok(Json(report).into_response())
}
