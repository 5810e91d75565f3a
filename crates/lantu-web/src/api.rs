//! The JSON API under `/api/v1/` (described by `/api/v1/openapi.json`).
//!
//! Anonymous requests see what the public portal shows: published figures
//! only. Staff authenticate with their session cookie (writes then need the
//! `X-CSRF-Token` header) or with `Authorization: Bearer TOKEN` (a token
//! from the account page). Reporters read and write their own
//! department's unreviewed figures only.

use crate::error::{ApiError, WebError};
use crate::json::ApiJson;
use crate::view::{chapter_of, section_of};
use crate::{query_param, AppState, Ctx};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use lantu_app::View;
use lantu_app::Visibility;
use lantu_core::observation::{NewObservation, ObservationState, VintageKind};
use lantu_core::policy::{Action, Level, Policy, Step};
use lantu_core::Period;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

type ApiResult = Result<Response, ApiError>;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/me", get(me))
        .route(
            "/plans",
            get(plans)
                .post(crate::api_workbench::import)
                .layer(axum::extract::DefaultBodyLimit::max(crate::workbench::MAX_PLAN_UPLOAD)),
        )
        .route("/plans/{id}/workbench", get(crate::api_workbench::workbench))
        .route(
            "/plans/{id}/workbench/indicators/{code}",
            axum::routing::patch(crate::api_workbench::edit),
        )
        .route("/plans/{id}/workbench/review", post(crate::api_workbench::review))
        .route("/plans/{id}/workbench/targets", post(crate::api_workbench::add_target))
        .route("/plans/{id}/workbench/assign", post(crate::api_workbench::assign))
        .route(
            "/plans/{id}/workbench/departments",
            post(crate::api_workbench::department),
        )
        .route(
            "/plans/{id}/workbench/meta",
            axum::routing::patch(crate::api_workbench::meta),
        )
        .route("/plans/{id}/adopt", post(crate::api_workbench::adopt))
        .route("/plans/{id}", get(plan))
        .route("/plans/{id}/outline", get(outline))
        .route("/plans/{id}/indicators", get(indicators))
        .route("/plans/{id}/indicators/{code}", get(indicator))
        .route("/plans/{id}/indicators/{code}/rules", get(rules).put(put_rules))
        .route("/plans/{id}/targets", get(targets))
        .route("/plans/{id}/observations", get(observations).post(post_observations))
        .route("/plans/{id}/observations/{obs}/state", post(set_state))
        .route("/plans/{id}/review", get(review_queue).post(review_step))
        .route("/plans/{id}/review-levels", get(review_levels).put(put_review_levels))
        .route("/plans/{id}/status", get(status))
        .route("/plans/{id}/tasks", get(tasks))
        .route("/plans/{id}/projects", get(projects))
        .route("/plans/{id}/comments", get(comments).post(post_comment))
        .route("/plans/{id}/publication", get(publication).post(post_publication))
        .route("/plans/{id}/releases/{year}", post(post_release))
        .route("/plans/{id}/department-choices", get(department_choices))
        .route("/departments", get(registry).post(add_department))
        .route("/departments/{code}", post(edit_department))
        .route("/departments/{code}/retire", post(retire_department))
        .route(
            "/plans/{id}/evidence",
            get(crate::evidence::api_list).post(crate::evidence::api_upload),
        )
        .route("/plans/{id}/evidence/{file}", get(crate::evidence::api_download))
        .route("/plans/{id}/due", get(crate::due::api_due))
        .route("/plans/{id}/completeness", get(crate::due::api_completeness))
        .route(
            "/plans/{id}/deadlines",
            get(crate::due::api_deadlines).put(crate::due::api_set_deadline),
        )
        .route("/plans/{id}/reminders", post(crate::due::api_remind))
        .fallback(|| async { WebError::NotFound.json() })
}

fn year(ctx: &Ctx) -> Option<i32> {
    query_param(&ctx.query, "year").and_then(|y| y.parse().ok())
}

fn vis(ctx: &Ctx) -> Visibility {
    match &ctx.user {
        Some(u) if u.role.internal() => Visibility::Internal,
        _ => Visibility::Public,
    }
}

async fn me(ctx: Ctx) -> ApiResult {
    Ok(Json(json!({ "user": ctx.user, "visibility": vis(&ctx).figures_shown() })).into_response())
}

async fn plans(State(state): State<AppState>, ctx: Ctx) -> ApiResult {
    let plans = state.app().plans(vis(&ctx)).await.map_err(WebError::from)?;
    Ok(Json(plans).into_response())
}

async fn plan(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    let v = state.plan_view(id, year(&ctx), vis(&ctx)).await?;
    Ok(Json(json!({
        "plan": v.snapshot.plan,
        "settings": v.doc.settings,
        "departments": v.doc.departments,
        "evaluation_year": v.snapshot.evaluation_year,
        "time_elapsed": v.snapshot.time_elapsed(),
        "sample_data": v.snapshot.notes.sample_data,
        "figures_shown": vis(&ctx).figures_shown(),
    }))
    .into_response())
}

async fn outline(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    let v = state.plan_view(id, year(&ctx), vis(&ctx)).await?;
    let mut out = Vec::new();
    for c in &v.snapshot.chapters {
        let mut sections: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
        let mut direct = Vec::new();
        for i in &v.doc.indicators {
            let Some(node) = i.source.node.as_deref() else { continue };
            if chapter_of(node).as_deref() != Some(c.id.as_str()) {
                continue;
            }
            match section_of(node) {
                Some(s) => sections.entry(s).or_default().0.push(i.code.clone()),
                None => direct.push(i.code.clone()),
            }
        }
        for t in &v.doc.tasks {
            let Some(node) = t.source.node.as_deref() else { continue };
            if chapter_of(node).as_deref() != Some(c.id.as_str()) {
                continue;
            }
            if let Some(s) = section_of(node) {
                sections.entry(s).or_default().1.push(t.code.clone());
            }
        }
        out.push(json!({
            "id": c.id, "number": c.number, "title": c.title,
            "indicators": direct,
            "sections": sections.into_iter().map(|(id, (inds, tasks))| json!({
                "id": id, "title": v.sections.get(&id), "indicators": inds, "tasks": tasks,
            })).collect::<Vec<_>>(),
        }));
    }
    Ok(Json(json!({ "plan": id, "chapters": out })).into_response())
}

#[derive(Serialize)]
struct IndicatorOut<'a> {
    code: &'a str,
    name: &'a str,
    unit: Option<&'a str>,
    category: Option<&'a str>,
    chapter: Option<&'a str>,
    node: Option<&'a str>,
    attribute: lantu_core::Attribute,
    measure: lantu_core::Measure,
    departments: &'a [String],
    target: &'a lantu_core::plan::TargetDoc,
    baseline: Option<&'a lantu_core::plan::BaselineDoc>,
    status: lantu_core::Status,
    warning: bool,
    latest: Option<&'a lantu_core::snapshot::Figure>,
}

async fn indicators(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    let v = state.plan_view(id, year(&ctx), vis(&ctx)).await?;
    let out: Vec<IndicatorOut> = v
        .snapshot
        .indicators
        .iter()
        .map(|r| IndicatorOut {
            code: &r.code,
            name: &r.name,
            unit: r.unit.as_deref(),
            category: r.category.as_deref(),
            chapter: r.chapter.as_deref(),
            node: v.node_of(&r.code),
            attribute: r.attribute,
            measure: r.measure,
            departments: &r.departments,
            target: &r.target,
            baseline: r.baseline.as_ref(),
            status: r.assessment.status,
            warning: r.assessment.warning,
            latest: r.latest(),
        })
        .collect();
    Ok(Json(json!({ "evaluation_year": v.snapshot.evaluation_year, "indicators": out })).into_response())
}

async fn indicator(State(state): State<AppState>, ctx: Ctx, Path((id, code)): Path<(i64, String)>) -> ApiResult {
    let v = state.plan_view(id, year(&ctx), vis(&ctx)).await?;
    let row = v.row(&code).ok_or(WebError::NotFound)?;
    let doc = v.indicator_doc(&code);
    let versions = state.app().target_versions(id, &code).await.map_err(WebError::from)?;
    Ok(Json(json!({
        "evaluation_year": v.snapshot.evaluation_year,
        "indicator": row,
        "direction": doc.map(|d| d.direction),
        "frequency": doc.map(|d| d.frequency),
        "data_source": doc.and_then(|d| d.data_source.clone()),
        "co_departments": doc.map(|d| d.co_departments.clone()).unwrap_or_default(),
        "source": doc.map(|d| d.source.clone()),
        "reason_text": { "zh": row.assessment.reason.zh(), "en": row.assessment.reason.en() },
        "target_versions": versions,
    }))
    .into_response())
}

/// An indicator's explicit validation rules and those in force.
async fn rules(State(state): State<AppState>, ctx: Ctx, Path((id, code)): Path<(i64, String)>) -> ApiResult {
    let user = ctx
        .user
        .as_ref()
        .ok_or(WebError::LoginRequired { next: String::new() })?;
    if !user.role.internal() {
        return Err(WebError::Forbidden("staff only".into()).into());
    }
    let doc = state.app().plan_doc(id).await.map_err(WebError::from)?;
    let ind = doc
        .indicators
        .iter()
        .find(|i| i.code == code)
        .ok_or(WebError::NotFound)?;
    let effective = lantu_core::rules::IndicatorRules::effective(ind);
    Ok(Json(json!({ "indicator": code, "rules": ind.rules, "effective": effective })).into_response())
}

/// Sets an indicator's explicit rules (planners and administrators).
async fn put_rules(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, code)): Path<(i64, String)>,
    body: axum::body::Bytes,
) -> ApiResult {
    let user = ctx
        .user
        .clone()
        .ok_or(WebError::LoginRequired { next: String::new() })?;
    let rules: lantu_core::rules::IndicatorRules = crate::json::parse(&body)?;
    state
        .app()
        .set_indicator_rules(id, &code, rules, user.role, &user.username)
        .await
        .map_err(WebError::from)?;
    state.changed();
    self::rules(State(state), ctx, Path((id, code))).await
}

async fn targets(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    let v = state.plan_view(id, year(&ctx), vis(&ctx)).await?;
    let mut out = Vec::new();
    for i in &v.doc.indicators {
        let versions = state.app().target_versions(id, &i.code).await.map_err(WebError::from)?;
        out.push(json!({ "indicator": i.code, "name": i.name, "in_force": i.target, "versions": versions }));
    }
    Ok(Json(json!({ "evaluation_year": v.snapshot.evaluation_year, "targets": out })).into_response())
}

/// A figure as the API shows it; who recorded it only for staff.
#[derive(Serialize)]
struct FigureOut {
    id: i64,
    indicator: String,
    period: Period,
    #[serde(skip_serializing_if = "Option::is_none")]
    geography: Option<String>,
    value: rust_decimal::Decimal,
    vintage: i32,
    state: ObservationState,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded_by: Option<String>,
    /// figure, correction (of a published figure) or withdrawn (a cleared
    /// draft, seen in `all_vintages` only).
    kind: VintageKind,
    /// The reporter's comment on a figure that needed one (internal).
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    /// Why a correction was made (internal).
    #[serde(skip_serializing_if = "Option::is_none")]
    correction_reason: Option<String>,
}

async fn observations(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    let internal = vis(&ctx) == Visibility::Internal;
    let view = match query_param(&ctx.query, "view").as_deref() {
        None => None,
        Some("published") => Some(View::Published),
        Some("reviewed") => Some(View::Reviewed),
        Some("latest") => Some(View::Latest),
        Some("all_vintages") => Some(View::AllVintages),
        Some(other) => {
            return Err(WebError::BadRequest(format!(
                "view `{other}`: use published, reviewed, latest or all_vintages"
            ))
            .into())
        }
    };
    let req = lantu_app::figures::FigureRequest {
        view,
        department: query_param(&ctx.query, "department"),
        indicator: query_param(&ctx.query, "indicator"),
        geography: query_param(&ctx.query, "geography"),
        year: year(&ctx),
    };
    // The reader as the visibility has it (a session without staff rights
    // reads as the public).
    let reader = ctx.user.as_ref().filter(|_| internal);
    let records = state.app().figures_for(reader, id, req).await.map_err(WebError::from)?;
    let out: Vec<FigureOut> = records
        .into_iter()
        .map(|r| FigureOut {
            id: r.id,
            indicator: r.indicator,
            period: r.period,
            geography: r.geography,
            value: r.value,
            vintage: r.vintage,
            state: r.state,
            source: r.source,
            note: r.note,
            recorded_at: internal.then_some(r.recorded_at),
            recorded_by: internal.then_some(r.recorded_by),
            kind: r.kind,
            comment: r.comment.filter(|_| internal),
            correction_reason: r.reason.filter(|_| internal && r.kind == VintageKind::Correction),
        })
        .collect();
    Ok(Json(json!({ "view": view, "observations": out })).into_response())
}

/// The body of a post of observations: `{"observations": [...],
/// "source_name": ..., "reason": ...}` or the bare list.
#[derive(Deserialize)]
struct PostBody {
    observations: Vec<NewObservation>,
    #[serde(default)]
    source_name: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

impl PostBody {
    /// Told apart by the first character (not by serde's `untagged`, whose
    /// error names no field).
    fn parse(body: &[u8]) -> Result<PostBody, WebError> {
        if body.trim_ascii_start().starts_with(b"[") {
            Ok(PostBody {
                observations: crate::json::parse(body)?,
                source_name: None,
                reason: None,
            })
        } else {
            crate::json::parse(body)
        }
    }
}

async fn post_observations(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> ApiResult {
    let user = ctx
        .user
        .clone()
        .ok_or(WebError::LoginRequired { next: String::new() })?;
    let PostBody {
        observations: rows,
        source_name,
        reason,
    } = PostBody::parse(&body)?;
    // Each figure as typed, read by the same rules as a file's rows.
    let rows: Vec<lantu_app::entry::FormRow> = rows
        .into_iter()
        .map(|o| lantu_app::entry::FormRow {
            code: o.indicator,
            period: o.period.to_string(),
            area: o.geography.unwrap_or_default(),
            value: o.value.to_string(),
            source: o.source.unwrap_or_default(),
            notes: o.note.unwrap_or_default(),
            comment: o.comment.unwrap_or_default(),
            unit: String::new(),
        })
        .collect();
    // Messages in the language the client asks for, Chinese by default.
    let lang = ctx.api_lang;
    let batch = lantu_app::Batch {
        actor: &user.username,
        source_name: source_name.as_deref().unwrap_or("API"),
        reason: reason.as_deref(),
    };
    let report = match state.app().enter_figures(&user, id, &rows, batch).await {
        Ok(r) => r,
        Err(lantu_app::AppError::Unreadable(e)) => {
            let text = e
                .errors
                .iter()
                .map(|x| match x.row {
                    Some(r) => format!("observations[{}]: {}", r.saturating_sub(1), x.message.text(lang)),
                    None => x.message.text(lang),
                })
                .collect::<Vec<_>>()
                .join("; ");
            return Err(WebError::BadRequest(text).into());
        }
        Err(lantu_app::AppError::Refused(problems)) => {
            let text = problems
                .iter()
                .map(|p| format!("observations[{}]: {}", p.row, p.text(lang)))
                .collect::<Vec<_>>()
                .join("; ");
            let list: Vec<Value> = problems
                .iter()
                .map(|p| {
                    json!({ "index": p.row, "indicator": p.indicator, "period": p.period,
                        "severity": p.severity, "message": p.text(lang) })
                })
                .collect();
            let body = json!({ "error": { "code": "invalid_figures", "message": text, "problems": list } });
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
        }
        Err(e) => return Err(WebError::from(e).into()),
    };
    state.changed();
    Ok((axum::http::StatusCode::CREATED, Json(report)).into_response())
}

#[derive(Deserialize)]
struct StateBody {
    to: ObservationState,
    #[serde(default)]
    comment: Option<String>,
}

async fn set_state(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, obs)): Path<(i64, i64)>,
    ApiJson(body): ApiJson<StateBody>,
) -> ApiResult {
    let user = ctx
        .user
        .clone()
        .ok_or(WebError::LoginRequired { next: String::new() })?;
    let moved = state
        .app()
        .move_figure(id, &user, obs, body.to, body.comment.as_deref())
        .await
        .map_err(WebError::from)?;
    state.changed();
    Ok(Json(json!({ "moved": moved, "state": body.to })).into_response())
}

fn signed_in(ctx: &Ctx) -> Result<crate::auth::User, WebError> {
    ctx.user.clone().ok_or(WebError::LoginRequired { next: String::new() })
}

/// The review queue with each figure's context (`lantu_app::review`); each
/// rule a figure breaks also as `text` in the caller's language, each
/// evidence file with its page and API download addresses.
async fn review_queue(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    let user = signed_in(&ctx)?;
    let year = query_param(&ctx.query, "year").and_then(|y| y.trim().parse().ok());
    let q = state
        .app()
        .review_queue(id, &user, year)
        .await
        .map_err(WebError::from)?;
    let mut v = serde_json::to_value(&q).map_err(|e| WebError::Internal(e.to_string()))?;
    for (key, items) in [("waiting", &q.waiting), ("approved", &q.approved)] {
        let Some(out) = v.get_mut(key).and_then(Value::as_array_mut) else {
            continue;
        };
        for (item, out) in items.iter().zip(out.iter_mut()) {
            if let Some(findings) = out.get_mut("findings").and_then(Value::as_array_mut) {
                for (f, out) in item.findings.iter().zip(findings.iter_mut()) {
                    out["text"] = f.message.text(ctx.api_lang).into();
                }
            }
            if let Some(files) = out.get_mut("evidence").and_then(Value::as_array_mut) {
                for f in files {
                    let file = f["id"].as_i64().unwrap_or_default();
                    f["url"] = format!("/plans/{id}/evidence/{file}").into();
                    f["download"] = format!("/api/v1/plans/{id}/evidence/{file}").into();
                }
            }
        }
    }
    Ok(Json(v).into_response())
}

#[derive(Deserialize)]
struct StepBody {
    ids: Vec<i64>,
    step: Step,
    #[serde(default)]
    reason: Option<String>,
}

async fn review_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<StepBody>,
) -> ApiResult {
    let user = signed_in(&ctx)?;
    let moved = state
        .app()
        .review_step(id, &user, &body.ids, body.step, body.reason.as_deref())
        .await
        .map_err(WebError::from)?;
    state.changed();
    Ok(Json(json!({ "moved": moved })).into_response())
}

async fn review_levels(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    let user = signed_in(&ctx)?;
    if !user.role.internal() {
        return Err(WebError::Forbidden("staff only".into()).into());
    }
    let levels = state.app().review_levels(id).await.map_err(WebError::from)?;
    Ok(Json(levels).into_response())
}

async fn put_review_levels(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(levels): ApiJson<Vec<Level>>,
) -> ApiResult {
    let user = signed_in(&ctx)?;
    let changed = state
        .app()
        .set_review_levels(id, &user, levels)
        .await
        .map_err(WebError::from)?;
    state.changed();
    Ok(Json(json!({ "changed": changed })).into_response())
}

async fn status(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    let v = state.plan_view(id, year(&ctx), vis(&ctx)).await?;
    let counts: lantu_core::progress::StatusCounts =
        v.snapshot.indicators.iter().map(|r| r.assessment.status).collect();
    let items: Vec<Value> = v
        .snapshot
        .indicators
        .iter()
        .map(|r| {
            json!({
                "code": r.code, "name": r.name, "attribute": r.attribute,
                "status": r.assessment.status, "warning": r.assessment.warning,
                "reason": r.assessment.reason,
                "reason_text": { "zh": r.assessment.reason.zh(), "en": r.assessment.reason.en() },
                "ratio": r.assessment.ratio, "progress": r.assessment.progress,
                "elapsed_share": r.assessment.elapsed_share, "projection": r.assessment.projection,
                "as_of": r.assessment.as_of,
            })
        })
        .collect();
    Ok(Json(json!({
        "plan": id,
        "evaluation_year": v.snapshot.evaluation_year,
        "time_elapsed": v.snapshot.time_elapsed(),
        "figures_shown": vis(&ctx).figures_shown(),
        "sample_data": v.snapshot.notes.sample_data,
        "counts": counts,
        "indicators": items,
    }))
    .into_response())
}

/// Tasks and projects: the plan's definitions for everyone; their progress
/// (states, work-plan entries, notes, investment so far) for staff only,
/// since it has no publication step.
async fn tasks(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    let v = state.plan_view(id, year(&ctx), vis(&ctx)).await?;
    if vis(&ctx) == Visibility::Public {
        let out: Vec<Value> = v
            .doc
            .tasks
            .iter()
            .map(|t| {
                json!({
                    "code": t.code, "title": t.title,
                    "departments": t.departments.iter().map(|c| v.department_name(c)).collect::<Vec<_>>(),
                    "node": t.source.node,
                })
            })
            .collect();
        return Ok(Json(json!({ "tasks": out })).into_response());
    }
    let out: Vec<Value> = v
        .snapshot
        .tasks
        .iter()
        .map(|t| {
            let doc = v.doc.tasks.iter().find(|d| d.code == t.code);
            json!({
                "code": t.code, "title": t.title, "departments": t.departments, "state": t.state, "note": t.note,
                "node": doc.and_then(|d| d.source.node.clone()),
                "work_plan": v.work.get(&t.code),
            })
        })
        .collect();
    Ok(Json(json!({ "evaluation_year": v.snapshot.evaluation_year, "tasks": out })).into_response())
}

async fn projects(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    let v = state.plan_view(id, year(&ctx), vis(&ctx)).await?;
    if vis(&ctx) == Visibility::Public {
        let out: Vec<Value> = v
            .doc
            .projects
            .iter()
            .map(|p| {
                json!({
                    "code": p.code, "name": p.name, "action": p.action, "capacity": p.capacity,
                    "planned_investment": p.planned_investment, "start_year": p.start_year,
                    "finish_year": p.finish_year,
                })
            })
            .collect();
        return Ok(Json(json!({ "projects": out })).into_response());
    }
    let out: Vec<Value> = v
        .snapshot
        .projects
        .iter()
        .map(|p| {
            let doc = v.doc.projects.iter().find(|d| d.code == p.code);
            json!({
                "code": p.code, "name": p.name, "state": p.state,
                "planned_investment": p.planned_investment, "completed_investment": p.completed_investment,
                "note": p.note,
                "action": doc.and_then(|d| d.action.clone()), "capacity": doc.and_then(|d| d.capacity.clone()),
                "start_year": doc.and_then(|d| d.start_year), "finish_year": doc.and_then(|d| d.finish_year),
            })
        })
        .collect();
    Ok(Json(json!({ "projects": out })).into_response())
}

async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        include_str!("../assets/openapi.json"),
    )
        .into_response()
}

/// Staff only: the public never sees evaluation comments.
fn staff(ctx: &Ctx) -> Result<crate::auth::User, WebError> {
    match &ctx.user {
        Some(u) if u.role.internal() => Ok(u.clone()),
        Some(_) => Err(WebError::Forbidden("evaluation comments are for staff".into())),
        None => Err(WebError::LoginRequired { next: String::new() }),
    }
}

async fn comments(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    let user = staff(&ctx)?;
    let indicator = query_param(&ctx.query, "indicator").filter(|c| !c.is_empty());
    // The cached view's plan document: no second read of the plan.
    let v = state.plan_view(id, None, vis(&ctx)).await?;
    let list = state
        .app()
        .comments(&user, id, &v.doc, indicator.as_deref())
        .await
        .map_err(WebError::from)?;
    Ok(Json(list).into_response())
}

#[derive(Deserialize)]
struct CommentBody {
    #[serde(default)]
    indicator: Option<String>,
    #[serde(default)]
    year: Option<i32>,
    body: String,
}

async fn post_comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<CommentBody>,
) -> ApiResult {
    let user = staff(&ctx)?;
    let c = state
        .app()
        .add_comment(
            &user,
            id,
            body.indicator.as_deref().unwrap_or(""),
            &body.year.map(|y| y.to_string()).unwrap_or_default(),
            &body.body,
        )
        .await
        .map_err(WebError::from)?;
    Ok((axum::http::StatusCode::CREATED, Json(c)).into_response())
}

/// Staff who decide what the public sees (the use case checks the role
/// again; this answers the public and reporters before any read).
fn decider(ctx: &Ctx) -> Result<lantu_app::Actor, WebError> {
    match &ctx.user {
        Some(u) if Policy::default().allows_any(u.role, Action::PublishPlan) => Ok(lantu_app::Actor::of(u)),
        Some(_) => Err(WebError::Forbidden(
            "只有规划人员和管理员能决定公开内容 / only planners and administrators decide what the public sees".into(),
        )),
        None => Err(WebError::LoginRequired { next: String::new() }),
    }
}

/// `GET /plans/{id}/publication`: whether the plan is public, and each
/// year of its period with its kind of evaluation and whether released.
async fn publication(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    decider(&ctx)?;
    Ok(Json(state.app().publication(id).await.map_err(WebError::from)?).into_response())
}

#[derive(Deserialize)]
struct PublicBody {
    public: bool,
}

/// `POST /plans/{id}/publication` `{"public": true}`: makes an adopted
/// plan public, or private again.
async fn post_publication(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PublicBody>,
) -> ApiResult {
    change_publication(
        &state,
        &ctx,
        id,
        lantu_app::publication::PublicationChange::Public(body.public),
    )
    .await
}

#[derive(Deserialize)]
struct ReleaseBody {
    released: bool,
}

/// `POST /plans/{id}/releases/{year}` `{"released": true}`: releases an
/// evaluation year to the public, or withdraws it.
async fn post_release(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, year)): Path<(i64, i32)>,
    ApiJson(body): ApiJson<ReleaseBody>,
) -> ApiResult {
    change_publication(
        &state,
        &ctx,
        id,
        lantu_app::publication::PublicationChange::Year(year, body.released),
    )
    .await
}

async fn change_publication(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    change: lantu_app::publication::PublicationChange,
) -> ApiResult {
    let actor = decider(ctx)?;
    let out = state
        .app()
        .change_publication(&actor, id, change)
        .await
        .map_err(WebError::from)?;
    state.changed();
    Ok(Json(out).into_response())
}

/// Staff only: the registry names contacts and phone numbers.
fn staff_actor(ctx: &Ctx) -> Result<lantu_app::Actor, WebError> {
    match &ctx.user {
        Some(u) if u.role.internal() => Ok(lantu_app::Actor::of(u)),
        Some(_) => Err(WebError::Forbidden("the department registry is for staff".into())),
        None => Err(WebError::LoginRequired { next: String::new() }),
    }
}

/// `GET /departments`: the deployment's department registry.
async fn registry(State(state): State<AppState>, ctx: Ctx) -> ApiResult {
    staff_actor(&ctx)?;
    Ok(Json(state.app().registry().await.map_err(WebError::from)?).into_response())
}

/// `GET /plans/{id}/department-choices`: the bodies the plan may assign.
async fn department_choices(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    staff_actor(&ctx)?;
    Ok(Json(state.app().department_choices(id).await.map_err(WebError::from)?).into_response())
}

#[derive(Deserialize)]
struct NewDepartmentBody {
    code: String,
    #[serde(flatten)]
    fields: lantu_app::RegistryFields,
}

#[derive(Deserialize)]
struct EditDepartmentBody {
    #[serde(flatten)]
    fields: lantu_app::RegistryFields,
    #[serde(default)]
    restore: bool,
}

async fn change_department(state: &AppState, ctx: &Ctx, change: lantu_app::departments::DepartmentChange) -> ApiResult {
    let actor = staff_actor(ctx)?;
    let e = state
        .app()
        .change_department(&actor, change)
        .await
        .map_err(WebError::from)?;
    state.changed();
    Ok(Json(e).into_response())
}

/// `POST /departments` `{"code": "sthj", "name": "区生态环境局", …}`
async fn add_department(State(state): State<AppState>, ctx: Ctx, ApiJson(b): ApiJson<NewDepartmentBody>) -> ApiResult {
    let change = lantu_app::departments::DepartmentChange::Add {
        code: b.code,
        fields: b.fields,
    };
    let mut r = change_department(&state, &ctx, change).await?;
    *r.status_mut() = axum::http::StatusCode::CREATED;
    Ok(r)
}

/// `POST /departments/{code}` `{"name": …, "restore": false}`
async fn edit_department(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<EditDepartmentBody>,
) -> ApiResult {
    let change = lantu_app::departments::DepartmentChange::Edit {
        code,
        fields: b.fields,
        restore: b.restore,
    };
    change_department(&state, &ctx, change).await
}

/// `POST /departments/{code}/retire`
async fn retire_department(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> ApiResult {
    change_department(&state, &ctx, lantu_app::departments::DepartmentChange::Retire { code }).await
}
