//! The workbench through the JSON API (`/api/v1/plans` POST and
//! `/api/v1/plans/{id}/workbench…`): the same use cases as the pages
//! (`lantu_app::workbench`), for planners and administrators.

use crate::error::{ApiError, WebError};
use crate::json::ApiJson;
use crate::{query_param, AppState, Ctx};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use lantu_app::workbench::{Caller, IndicatorEdit, MetaEdit, NewTarget};
use lantu_core::review::ReviewState;
use serde::Deserialize;
use serde_json::json;

type ApiResult = Result<Response, ApiError>;

fn caller(ctx: &Ctx) -> Result<Caller<'_>, WebError> {
    let u = ctx
        .user
        .as_ref()
        .ok_or(WebError::LoginRequired { next: String::new() })?;
    Ok(Caller {
        role: u.role,
        name: &u.username,
    })
}

fn app_error(e: lantu_app::AppError) -> ApiError {
    match e {
        lantu_app::AppError::Incomplete(b) => {
            let msg = lantu_app::AppError::Incomplete(b).to_string();
            ApiError(WebError::Conflict(msg))
        }
        e => ApiError(e.into()),
    }
}

/// `POST /api/v1/plans?filename=plan.docx`: the file as the raw body, or a
/// multipart form with a `file` field. 201 with the new draft's id.
pub async fn import(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap, body: axum::body::Bytes) -> ApiResult {
    let c = caller(&ctx)?;
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let (name, bytes) = if kind.starts_with("multipart/form-data") {
        let req = axum::http::Request::builder()
            .header(header::CONTENT_TYPE, kind)
            .body(axum::body::Body::from(body))
            .map_err(|e| WebError::BadRequest(e.to_string()))?;
        let mut form = <axum::extract::Multipart as axum::extract::FromRequest<()>>::from_request(req, &())
            .await
            .map_err(|e| WebError::BadRequest(format!("the upload cannot be read: {e}")))?;
        let mut file = None;
        while let Some(f) = form
            .next_field()
            .await
            .map_err(|e| WebError::BadRequest(format!("the upload cannot be read: {e}")))?
        {
            if f.name() == Some("file") {
                let name = f.file_name().unwrap_or("").to_string();
                let bytes = f.bytes().await.map_err(|e| WebError::BadRequest(e.to_string()))?;
                file = Some((name, bytes.to_vec()));
            }
        }
        file.unwrap_or_default()
    } else {
        (query_param(&ctx.query, "filename").unwrap_or_default(), body.to_vec())
    };
    let id = state
        .app()
        .import_plan_file(c, &name, &bytes)
        .await
        .map_err(app_error)?;
    state.changed();
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "state": "draft", "workbench": format!("/api/v1/plans/{id}/workbench") })),
    )
        .into_response())
}

/// `GET /api/v1/plans/{id}/workbench`: indicators with review state and
/// suspect flags, rejected ones, highlights, baselines, blockers; the text
/// too with `?text=1`.
pub async fn workbench(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    let c = caller(&ctx)?;
    let mut w = state.app().workbench(c, id).await.map_err(app_error)?;
    if query_param(&ctx.query, "text").as_deref() != Some("1") {
        w.text = None;
    }
    Ok(Json(w).into_response())
}

/// `PATCH /api/v1/plans/{id}/workbench/indicators/{code}`: corrects and
/// accepts one indicator.
pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, code)): Path<(i64, String)>,
    ApiJson(e): ApiJson<IndicatorEdit>,
) -> ApiResult {
    let c = caller(&ctx)?;
    state.app().edit_record(c, id, &code, &e).await.map_err(app_error)?;
    state.changed();
    Ok(Json(json!({ "code": code, "state": "accepted" })).into_response())
}

#[derive(Deserialize)]
pub struct ReviewBody {
    state: ReviewState,
    #[serde(default)]
    codes: Vec<String>,
}

/// `POST /api/v1/plans/{id}/workbench/review`: accepts or rejects
/// indicators `codes`.
pub async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ReviewBody>,
) -> ApiResult {
    let c = caller(&ctx)?;
    if b.state == ReviewState::Unreviewed {
        return Err(WebError::BadRequest("state must be accepted or rejected".into()).into());
    }
    let n = state
        .app()
        .review_records(c, id, &b.codes, b.state)
        .await
        .map_err(app_error)?;
    state.changed();
    Ok(Json(json!({ "reviewed": n, "state": b.state })).into_response())
}

/// `POST /api/v1/plans/{id}/workbench/targets`: adds a target from a span.
pub async fn add_target(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(new): ApiJson<NewTarget>,
) -> ApiResult {
    let c = caller(&ctx)?;
    let code = state.app().add_target(c, id, &new).await.map_err(app_error)?;
    state.changed();
    Ok((StatusCode::CREATED, Json(json!({ "code": code }))).into_response())
}

#[derive(Deserialize)]
pub struct AssignBody {
    codes: Vec<String>,
    #[serde(default)]
    lead: Option<String>,
    #[serde(default)]
    co: Vec<String>,
}

/// `POST /api/v1/plans/{id}/workbench/assign`
pub async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<AssignBody>,
) -> ApiResult {
    let c = caller(&ctx)?;
    let n = state
        .app()
        .assign_departments(c, id, &b.codes, b.lead.as_deref(), &b.co)
        .await
        .map_err(app_error)?;
    state.changed();
    Ok(Json(json!({ "assigned": n })).into_response())
}

#[derive(Deserialize)]
pub struct DepartmentBody {
    name: String,
    #[serde(default)]
    code: Option<String>,
}

/// `POST /api/v1/plans/{id}/workbench/departments`
pub async fn department(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DepartmentBody>,
) -> ApiResult {
    let c = caller(&ctx)?;
    let code = state
        .app()
        .add_department(c, id, &b.name, b.code.as_deref())
        .await
        .map_err(app_error)?;
    state.changed();
    Ok((StatusCode::CREATED, Json(json!({ "code": code }))).into_response())
}

/// `PATCH /api/v1/plans/{id}/workbench/meta`
pub async fn meta(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(e): ApiJson<MetaEdit>,
) -> ApiResult {
    let c = caller(&ctx)?;
    state.app().edit_meta(c, id, &e).await.map_err(app_error)?;
    state.changed();
    Ok(Json(json!({ "plan": id })).into_response())
}

/// `POST /api/v1/plans/{id}/adopt`: 200 when adopted; 409 with the
/// blockers when not.
pub async fn adopt(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> ApiResult {
    let c = caller(&ctx)?;
    match state.app().adopt(c, id).await {
        Ok(()) => {
            state.changed();
            Ok(Json(json!({ "plan": id, "state": "adopted" })).into_response())
        }
        Err(lantu_app::AppError::Incomplete(b)) => {
            let msg = lantu_app::AppError::Incomplete(b.clone()).to_string();
            Ok((
                StatusCode::CONFLICT,
                Json(json!({ "error": { "code": "incomplete", "message": msg }, "blockers": b })),
            )
                .into_response())
        }
        Err(e) => Err(app_error(e)),
    }
}
