//! Evidence files (佐证材料) on the web and the API: the attach form's
//! target, the upload, the download (always as an attachment, with the
//! content type of the kind found in the content and `nosniff`), the
//! planner's public switch, and the list shown on the indicator page. The
//! rules are the application layer's ([`lantu_app::evidence`]).

use crate::error::{ApiError, WebError};
use crate::{query_param, respond, AppState, Ctx};
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use lantu_app::{Evidence, EvidenceTarget, User};
use lantu_core::Period;
use serde::Serialize;

/// The target named by form or query fields: `indicator` and `period`
/// (and `geography`), or `work` (a work-plan entry id), or `project`.
pub(crate) fn target_of(get: impl Fn(&str) -> Option<String>) -> Result<EvidenceTarget, WebError> {
    let some = |k: &str| get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    if let Some(indicator) = some("indicator") {
        let p = some("period").unwrap_or_default();
        let period = Period::parse(&p).map_err(|_| {
            WebError::BadRequest(format!(
                "期间“{p}”无效（如 2023、2023Q1、2023-01） / invalid period `{p}`"
            ))
        })?;
        return Ok(EvidenceTarget::Figure {
            indicator,
            period,
            geography: some("geography"),
        });
    }
    if let Some(w) = some("work") {
        let id = w
            .parse()
            .map_err(|_| WebError::BadRequest(format!("任务进展编号“{w}”无效 / invalid work entry `{w}`")))?;
        return Ok(EvidenceTarget::WorkEntry { id });
    }
    if let Some(code) = some("project") {
        return Ok(EvidenceTarget::Project { code });
    }
    Err(WebError::BadRequest(
        "请指明佐证材料所属的指标和期间、任务进展或项目 / say what the file supports: indicator and period, work, or project"
            .into(),
    ))
}

/// A file as a page lists it.
#[derive(Serialize)]
pub(crate) struct EvidenceRow {
    pub id: i64,
    pub period: Option<String>,
    pub file_name: String,
    pub kind: &'static str,
    pub size_kb: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
    pub public: bool,
    pub url: String,
}

pub(crate) fn rows(ctx: &Ctx, plan: i64, list: Vec<Evidence>) -> Vec<EvidenceRow> {
    let prefix = if ctx.public { "/public" } else { "" };
    list.into_iter()
        .map(|e| EvidenceRow {
            id: e.id,
            period: match &e.target {
                EvidenceTarget::Figure { period, .. } => Some(period.to_string()),
                _ => None,
            },
            file_name: e.file_name,
            kind: e.kind.as_str(),
            size_kb: format!("{:.0} KB", (e.size as f64 / 1024.0).ceil()),
            uploaded_by: e.uploaded_by,
            uploaded_at: e.uploaded_at.chars().take(10).collect(),
            public: e.public,
            url: format!("{prefix}/plans/{plan}/evidence/{}", e.id),
        })
        .collect()
}

/// The evidence of every figure of indicator `code` in `periods` that the
/// reader may see, oldest first.
pub(crate) async fn of_indicator(
    state: &AppState,
    ctx: &Ctx,
    plan: i64,
    code: &str,
    periods: impl IntoIterator<Item = Period>,
) -> Result<Vec<EvidenceRow>, WebError> {
    let mut all = Vec::new();
    let user = if ctx.public { None } else { ctx.user.as_ref() };
    for period in periods {
        let target = EvidenceTarget::Figure {
            indicator: code.to_string(),
            period,
            geography: None,
        };
        all.extend(state.app().evidence_of(user, plan, &target).await?);
    }
    all.sort_by_key(|e| e.id);
    Ok(rows(ctx, plan, all))
}

fn signed_in(ctx: &Ctx) -> Result<&User, WebError> {
    ctx.require_internal()
}

/// Where to go back to after an upload: the page the form was on, if it
/// is one of ours.
fn back(to: Option<&str>, plan: i64) -> String {
    match to {
        Some(t) if t.starts_with('/') && !t.starts_with("//") && !t.contains(['\r', '\n']) => t.to_string(),
        _ => format!("/plans/{plan}"),
    }
}

/// `POST /plans/{id}/evidence`: the attach form (multipart: the target's
/// fields, `back`, `file`).
pub async fn upload(State(state): State<AppState>, ctx: Ctx, Path(plan): Path<i64>, mut form: Multipart) -> Response {
    let r = async {
        let user = signed_in(&ctx)?.clone();
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut file: Option<(String, Vec<u8>)> = None;
        while let Some(f) = form
            .next_field()
            .await
            .map_err(|e| WebError::BadRequest(format!("无法读取上传内容 / the upload cannot be read: {e}")))?
        {
            let name = f.name().unwrap_or("").to_string();
            if name == "file" {
                let file_name = f.file_name().unwrap_or("file").to_string();
                let bytes = f
                    .bytes()
                    .await
                    .map_err(|e| WebError::BadRequest(format!("无法读取文件 / the file cannot be read: {e}")))?;
                file = Some((file_name, bytes.to_vec()));
            } else if let Ok(text) = f.text().await {
                fields.push((name, text));
            }
        }
        let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let target = target_of(get)?;
        let Some((file_name, bytes)) = file else {
            return Err(WebError::BadRequest(
                "请选择要上传的文件 / choose a file to upload".into(),
            ));
        };
        state
            .app()
            .attach_evidence(&user, plan, &target, &file_name, &bytes)
            .await?;
        state.changed();
        Ok(Redirect::to(&format!("{}#evidence", back(get("back").as_deref(), plan))).into_response())
    }
    .await;
    respond(&ctx, r)
}

/// The file as a download: never rendered inline, the content type of the
/// kind found in its content, `nosniff`, a private cache.
fn download_response(e: &Evidence, bytes: Vec<u8>) -> Response {
    let ascii: String = e
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = e
        .file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut resp = (StatusCode::OK, bytes).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(e.kind.mime()));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    } else {
        h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    resp
}

/// `GET /plans/{id}/evidence/{file}` and `/public/plans/{id}/evidence/{file}`.
pub async fn download(State(state): State<AppState>, ctx: Ctx, Path((plan, id)): Path<(i64, i64)>) -> Response {
    let r = async {
        let user = if ctx.public { None } else { ctx.user.as_ref() };
        let (e, bytes) = state.app().evidence_download(user, plan, id).await?;
        Ok(download_response(&e, bytes))
    }
    .await;
    respond(&ctx, r)
}

/// `POST /plans/{id}/evidence/{file}/public`: `public=1` or `0`, `back`.
pub async fn set_public(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((plan, id)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let user = signed_in(&ctx)?.clone();
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let public = get("public").as_deref() == Some("1");
        state.app().set_evidence_public(&user, plan, id, public).await?;
        state.changed();
        Ok(Redirect::to(&format!("{}#evidence", back(get("back").as_deref(), plan))).into_response())
    }
    .await;
    respond(&ctx, r)
}

// --------------------------------------------------------------------- API

fn api_user(ctx: &Ctx) -> Option<&User> {
    ctx.user.as_ref().filter(|u| u.role.internal())
}

/// `GET /api/v1/plans/{id}/evidence?indicator=&period=` (or `work=`,
/// `project=`): the files the caller may read.
pub async fn api_list(State(state): State<AppState>, ctx: Ctx, Path(plan): Path<i64>) -> Result<Response, ApiError> {
    let target = target_of(|k| query_param(&ctx.query, k))?;
    let list = state.app().evidence_of(api_user(&ctx), plan, &target).await?;
    let prefix = if api_user(&ctx).is_some() { "" } else { "/public" };
    let out: Vec<serde_json::Value> = list
        .into_iter()
        .map(|e| {
            let url = format!("{prefix}/plans/{plan}/evidence/{}", e.id);
            let mut v = serde_json::to_value(&e).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("url".into(), serde_json::Value::String(url));
                o.insert(
                    "download".into(),
                    format!("/api/v1/plans/{plan}/evidence/{}", e.id).into(),
                );
            }
            v
        })
        .collect();
    Ok(Json(out).into_response())
}

/// `POST /api/v1/plans/{id}/evidence?indicator=&period=&file_name=` (or
/// `work=`, `project=`): the request body is the file.
pub async fn api_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(plan): Path<i64>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let user = api_user(&ctx)
        .cloned()
        .ok_or(WebError::LoginRequired { next: String::new() })?;
    let target = target_of(|k| query_param(&ctx.query, k))?;
    let name = query_param(&ctx.query, "file_name").unwrap_or_else(|| "file".into());
    let e = state.app().attach_evidence(&user, plan, &target, &name, &body).await?;
    state.changed();
    Ok((StatusCode::CREATED, Json(e)).into_response())
}

/// `GET /api/v1/plans/{id}/evidence/{file}`: the file, as the pages serve it.
pub async fn api_download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((plan, id)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (e, bytes) = state.app().evidence_download(api_user(&ctx), plan, id).await?;
    Ok(download_response(&e, bytes))
}
