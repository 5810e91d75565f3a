//! Evaluation comments (评估意见): the third-party evaluator's notes on the
//! plan or one indicator, and the office's answers. Staff read them on the
//! comments page and under each indicator; the public portal never shows
//! them. Posting needs [`crate::auth::Role::can_comment`]; the store keeps every comment
//! for good and audits it.

use crate::auth::RoleLabel;
use crate::error::WebError;
use crate::i18n::Lang;
use crate::{query_param, respond, AppState, Ctx};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use lantu_app::Comment;
use serde::Serialize;

/// A comment as the pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct CommentView {
    pub id: i64,
    pub indicator: Option<String>,
    pub indicator_name: Option<String>,
    pub indicator_url: Option<String>,
    pub year: Option<i32>,
    pub body: String,
    pub author_name: String,
    pub role_label: &'static str,
    /// `YYYY-MM-DD HH:MM` (UTC).
    pub at: String,
}

pub(crate) fn views(
    comments: Vec<Comment>,
    plan: i64,
    name_of: impl Fn(&str) -> Option<String>,
    lang: Lang,
) -> Vec<CommentView> {
    comments
        .into_iter()
        .map(|c| CommentView {
            id: c.id,
            indicator_name: c.indicator.as_deref().and_then(&name_of),
            indicator_url: c
                .indicator
                .as_deref()
                .map(|code| format!("/plans/{plan}/indicators/{}", crate::view::enc(code))),
            indicator: c.indicator,
            year: c.year,
            body: c.body,
            author_name: c.author_name,
            role_label: c.author_role.label(lang),
            at: c.created_at.get(..16).unwrap_or(&c.created_at).replace('T', " "),
        })
        .collect()
}

/// `GET /plans/{id}/comments[?indicator=CODE]`
pub async fn page(State(state): State<AppState>, ctx: Ctx, Path(plan): Path<i64>) -> Response {
    let r = async {
        let user = ctx.require_internal()?.clone();
        let v = state.plan_view(plan, None, ctx.visibility()).await?;
        let filter = query_param(&ctx.query, "indicator").filter(|c| !c.is_empty());
        if let Some(code) = &filter {
            v.row(code).ok_or(WebError::NotFound)?;
        }
        let stored = state.app().comments(&user, plan, &v.doc, filter.as_deref()).await?;
        let list = views(stored, plan, |c| v.row(c).map(|r| r.name.clone()), ctx.lang);
        let indicators: Vec<(String, String)> = v
            .snapshot
            .indicators
            .iter()
            .map(|r| (r.code.clone(), r.name.clone()))
            .collect();
        state.page(
            &ctx,
            Some(&v),
            "comments",
            "comments.html",
            minijinja::context! {
                comments => list,
                indicators => indicators,
                filter => filter,
                can_comment => user.role.can_comment(),
                year => v.snapshot.evaluation_year,
                plan_id => plan,
            },
        )
    }
    .await;
    respond(&ctx, r)
}

/// What a comment form sends.
#[derive(Debug, serde::Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    body: String,
    /// `indicator`: go back to the indicator's page.
    #[serde(default)]
    back: String,
}

/// `POST /plans/{id}/comments`
pub async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(plan): Path<i64>,
    Form(form): Form<CommentForm>,
) -> Response {
    let r = async {
        let user = ctx.require_internal()?.clone();
        let c = state
            .app()
            .add_comment(&user, plan, &form.indicator, &form.year, &form.body)
            .await?;
        tracing::info!(user = %user.username, comment = c.id, "comment added");
        let to = match (&c.indicator, form.back.as_str()) {
            (Some(code), "indicator") => format!("/plans/{plan}/indicators/{}#comments", crate::view::enc(code)),
            _ => format!("/plans/{plan}/comments#c{}", c.id),
        };
        Ok(Redirect::to(&to).into_response())
    }
    .await;
    respond(&ctx, r)
}
