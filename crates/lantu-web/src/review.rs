//! Review (审核) and publication of submitted figures by the statistics
//! bureau. Every write goes through the store, which audits it.

use crate::auth::User;
use crate::error::WebError;
use crate::format::{dec, with_unit};
use crate::i18n::t;
use crate::view::PlanView;
use crate::{query_param, respond, AppState, Ctx, PageResult};
use axum::extract::State;
use axum::response::Response;
use axum::Form;
use lantu_core::observation::ObservationState;
use lantu_core::Period;
use lantu_store::{Figures, ObservationRecord};
use serde::Serialize;
use std::collections::HashMap;

/// The value of a form or query field.
fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

async fn plan_id(state: &AppState, value: Option<&str>) -> Result<i64, WebError> {
    match value.and_then(|v| v.trim().parse().ok()) {
        Some(id) => Ok(id),
        None => state.default_plan().await?.ok_or(WebError::NotFound),
    }
}

#[derive(Serialize)]
struct ReviewRow {
    id: i64,
    code: String,
    name: String,
    department: String,
    period: String,
    value: String,
    reviewed: Option<String>,
    source: Option<String>,
    note: Option<String>,
    by: String,
    at: String,
}

fn review_rows(
    v: &PlanView,
    records: &[ObservationRecord],
    reviewed: &[ObservationRecord],
    state: ObservationState,
) -> Vec<ReviewRow> {
    let prev: HashMap<(&str, Period), &ObservationRecord> =
        reviewed.iter().map(|r| ((r.indicator.as_str(), r.period), r)).collect();
    records
        .iter()
        .filter(|r| r.state == state)
        .map(|r| {
            let d = v.indicator_doc(&r.indicator);
            let unit = d.and_then(|d| d.unit.clone()).unwrap_or_default();
            ReviewRow {
                id: r.id,
                code: r.indicator.clone(),
                name: d.map_or_else(|| r.indicator.clone(), |d| d.name.clone()),
                department: d
                    .map(|d| {
                        d.departments
                            .iter()
                            .map(|c| v.department_name(c))
                            .collect::<Vec<_>>()
                            .join("、")
                    })
                    .unwrap_or_default(),
                period: r.period.to_string(),
                value: with_unit(&dec(r.value), &unit),
                reviewed: prev
                    .get(&(r.indicator.as_str(), r.period))
                    .filter(|p| p.id != r.id)
                    .map(|p| with_unit(&dec(p.value), &unit)),
                source: r.source.clone(),
                note: r.note.clone(),
                by: r.recorded_by.clone(),
                at: r.recorded_at.chars().take(16).collect::<String>().replace('T', " "),
            }
        })
        .collect()
}

async fn render_review(state: &AppState, ctx: &Ctx, plan: i64, flash: Option<(String, bool)>) -> PageResult {
    let v = state.plan_view(plan, None, ctx.visibility()).await?;
    let records = state.latest_records(plan, None).await?;
    let reviewed = state
        .store()
        .observations(
            plan,
            &lantu_store::ObservationQuery {
                view: lantu_store::View::Reviewed,
                geography: Some(String::new()),
                ..Default::default()
            },
        )
        .await?;
    let role = ctx.role();
    let page = minijinja::context! {
        plan_id => plan,
        submitted => review_rows(&v, &records, &reviewed, ObservationState::Submitted),
        approved => review_rows(&v, &records, &reviewed, ObservationState::Approved),
        can_review => role.can_review(),
        can_publish => role.can_publish(),
    };
    state.page_flash(ctx, Some(&v), "review", "review.html", page, flash)
}

fn reviewer(ctx: &Ctx) -> Result<&User, WebError> {
    let u = ctx.require_internal()?;
    if u.role.can_review() || u.role.can_publish() {
        Ok(u)
    } else {
        Err(WebError::Forbidden("only the statistics bureau reviews figures".into()))
    }
}

pub async fn review(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        reviewer(&ctx)?;
        let plan = plan_id(&state, query_param(&ctx.query, "plan").as_deref()).await?;
        render_review(&state, &ctx, plan, None).await
    }
    .await;
    respond(&ctx, r)
}

pub async fn review_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let user = reviewer(&ctx)?.clone();
        if !user.role.can_review() {
            return Err(WebError::Forbidden(
                "only the statistics bureau approves or returns figures".into(),
            ));
        }
        let plan = plan_id(&state, field(&pairs, "plan")).await?;
        let ids: Vec<i64> = pairs
            .iter()
            .filter(|(k, _)| k == "id")
            .filter_map(|(_, v)| v.parse().ok())
            .collect();
        // Only submitted figures of this plan may be approved or returned here.
        let records = state.latest_records(plan, None).await?;
        if let Some(bad) = ids.iter().find(|id| {
            !records
                .iter()
                .any(|r| r.id == **id && r.state == ObservationState::Submitted)
        }) {
            return Err(WebError::BadRequest(format!(
                "observation {bad} is not waiting for review"
            )));
        }
        let comment = field(&pairs, "comment").map(str::trim).filter(|c| !c.is_empty());
        let action = field(&pairs, "action").unwrap_or("");
        if ids.is_empty() {
            let msg = ctx.lang.pick("请先勾选数据。", "Select figures first.").to_string();
            return render_review(&state, &ctx, plan, Some((msg, false))).await;
        }
        let (to, msg) = match action {
            "approve" => (ObservationState::Approved, ctx.lang.pick("已审核通过", "Approved")),
            "return" => {
                if comment.is_none() {
                    let msg = t(ctx.lang, "return_needs_comment").to_string();
                    return render_review(&state, &ctx, plan, Some((msg, false))).await;
                }
                (ObservationState::Draft, ctx.lang.pick("已退回", "Returned"))
            }
            _ => return Err(WebError::BadRequest("action must be approve or return".into())),
        };
        let moved = state
            .store()
            .set_state(
                &Figures::Ids {
                    plan_id: plan,
                    department: None,
                    ids,
                },
                to,
                &user.username,
                comment,
            )
            .await?;
        state.changed();
        render_review(&state, &ctx, plan, Some((format!("{msg}: {}", moved.len()), true))).await
    }
    .await;
    respond(&ctx, r)
}

pub async fn publish(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let r = async {
        let user = reviewer(&ctx)?.clone();
        if !user.role.can_publish() {
            return Err(WebError::Forbidden("this role does not publish".into()));
        }
        let plan = plan_id(&state, field(&pairs, "plan")).await?;
        let moved = state
            .store()
            .set_state(
                &Figures::AllIn {
                    plan_id: plan,
                    state: ObservationState::Approved,
                },
                ObservationState::Published,
                &user.username,
                None,
            )
            .await?;
        state.changed();
        let msg = ctx.lang.pick("已发布", "Published");
        render_review(&state, &ctx, plan, Some((format!("{msg}: {}", moved.len()), true))).await
    }
    .await;
    respond(&ctx, r)
}
