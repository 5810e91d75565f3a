//! The read-only pages (dashboard, indicator, tasks, projects, plan list)
//! for staff and for the public portal, and the account page (signing in
//! and out: [`crate::login`]).

use crate::auth::{self, Role};
use crate::error::WebError;
use crate::i18n::t;
use crate::view::{self, Filters};
use crate::{query_param, serde_urlencoded_pairs, AppState, Ctx};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};

use crate::{respond, PageResult};

fn year_param(ctx: &Ctx) -> Option<i32> {
    query_param(&ctx.query, "year").and_then(|y| y.trim().parse().ok())
}

/// Staff may see the internal site; everyone the public one.
fn guard(ctx: &Ctx) -> Result<(), WebError> {
    if ctx.public {
        Ok(())
    } else {
        ctx.require_internal().map(|_| ())
    }
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        if ctx.user.as_ref().is_some_and(|u| u.role.internal()) {
            return Ok(match state.default_plan().await? {
                Some(id) => Redirect::to(&format!("/plans/{id}")).into_response(),
                None => Redirect::to("/plans").into_response(),
            });
        }
        Ok(Redirect::to("/public/").into_response())
    }
    .await;
    respond(&ctx, r)
}

pub async fn public_home(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        let plans = state.app().plans(lantu_app::Visibility::Public).await?;
        if plans.len() == 1 {
            return Ok(Redirect::to(&format!("/public/plans/{}", plans[0].id)).into_response());
        }
        plans_page(&state, &ctx, plans)
    }
    .await;
    respond(&ctx, r)
}

#[derive(Serialize)]
struct PlanLine {
    name: String,
    url: String,
    start_year: i32,
    end_year: i32,
    indicators: i64,
    /// The review workbench, for those who may edit plans.
    workbench_url: Option<String>,
    draft: bool,
}

fn plans_page(state: &AppState, ctx: &Ctx, plans: Vec<lantu_app::PlanSummary>) -> PageResult {
    let can_import = !ctx.public && ctx.role().can_edit_settings();
    let lines: Vec<PlanLine> = plans
        .into_iter()
        .map(|p| PlanLine {
            workbench_url: can_import.then(|| format!("/plans/{}/workbench", p.id)),
            draft: p.state == lantu_core::plan::PlanState::Draft,
            url: ctx.site().plan_url(p.id),
            name: p.name,
            start_year: p.start_year,
            end_year: p.end_year,
            indicators: p.indicators,
        })
        .collect();
    state.page(
        ctx,
        None,
        "plans",
        "plans.html",
        minijinja::context! { plans => lines, can_import => can_import },
    )
}

pub async fn plans(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        guard(&ctx)?;
        let plans = state.app().plans(ctx.visibility()).await?;
        plans_page(&state, &ctx, plans)
    }
    .await;
    respond(&ctx, r)
}

fn filters(ctx: &Ctx) -> Filters {
    let mut f = Filters::default();
    for (k, v) in serde_urlencoded_pairs(&ctx.query) {
        let v = Some(v);
        match k.as_str() {
            "chapter" => f.chapter = v,
            "category" => f.category = v,
            "attribute" => f.attribute = v,
            "department" => f.department = v,
            "status" => f.status = v,
            "q" => f.q = v,
            _ => {}
        }
    }
    f.clean()
}

pub async fn dashboard(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let r = async {
        guard(&ctx)?;
        let v = state.plan_view(id, year_param(&ctx), ctx.visibility()).await?;
        let key = format!(
            "dash|{id}|{:?}|{}|{}|{}",
            ctx.visibility(),
            ctx.lang.code(),
            ctx.public,
            ctx.query
        );
        let title = format!("{} · {}", t(ctx.lang, "blueprint"), v.snapshot.plan.name);
        state
            .page_cached(&ctx, &v, "blueprint", (key, title), "dashboard.html", || {
                let d = view::dashboard(&v, ctx.site(), ctx.lang, filters(&ctx));
                minijinja::context! { d => d, years => v.years }
            })
            .await
    }
    .await;
    respond(&ctx, r)
}

pub async fn indicator(State(state): State<AppState>, ctx: Ctx, Path((id, code)): Path<(i64, String)>) -> Response {
    let r = async {
        guard(&ctx)?;
        let v = state.plan_view(id, year_param(&ctx), ctx.visibility()).await?;
        let mut p = view::indicator_page(&v, ctx.site(), ctx.lang, &code).ok_or(WebError::NotFound)?;
        if v.row(&code).is_some_and(|r| r.target.value.is_none() || r.target.kind == lantu_core::TargetKind::Relative) {
            p.reasoning = vec![ctx
                .lang
                .pick(
                    "该目标为相对目标（如完成上级下达任务），没有可计算的目标值，由评估人员结合有关部门意见判断。",
                    "This target has no number of its own (it is set by a higher level); it is judged by the evaluators.",
                )
                .to_string()];
        }
        // Evaluation comments are for staff, never the public portal.
        let comments = match &ctx.user {
            Some(u) if !ctx.public && u.role.internal() => Some(crate::comments::views(
                state.app().comments(u, id, &v.doc, Some(&code)).await?,
                id,
                |_| None,
                ctx.lang,
            )),
            _ => None,
        };
        let can_comment = !ctx.public && ctx.role().can_comment();
        // Evidence (佐证材料) of the figures shown, as the reader may see it.
        let periods: Vec<lantu_core::Period> = p
            .figures
            .iter()
            .filter_map(|f| lantu_core::Period::parse(&f.period).ok())
            .collect();
        let evidence = crate::evidence::of_indicator(&state, &ctx, id, &code, periods.iter().copied()).await?;
        let leads = v
            .doc
            .indicators
            .iter()
            .find(|i| i.code == code)
            .map(|i| i.departments.clone())
            .unwrap_or_default();
        let can_attach = !ctx.public
            && ctx.user.as_ref().is_some_and(|u| {
                let dept = (u.role == Role::Reporter).then(|| u.department.as_deref().unwrap_or(""));
                lantu_core::policy::Policy::default()
                    .may_attach_evidence(u.role, lantu_core::policy::Scope::of(dept, &leads))
            });
        let can_mark_public = !ctx.public && matches!(ctx.role(), Role::Planner | Role::Administrator);
        let evidence_periods: Vec<String> = periods.iter().map(|p| p.to_string()).collect();
        // The validation rules: staff see those in force, planners edit them.
        let rules = match (&ctx.user, v.doc.indicators.iter().find(|i| i.code == code)) {
            (Some(u), Some(ind)) if !ctx.public && u.role.internal() => {
                let effective = lantu_core::rules::IndicatorRules::effective(ind);
                let change = match (effective.max_change, ctx.lang) {
                    (Some(lantu_core::messages::Change::Points(p)), lantu_core::messages::Lang::Zh) => {
                        format!("与上期相比变化超过 ±{p} 个百分点须说明")
                    }
                    (Some(lantu_core::messages::Change::Points(p)), _) => {
                        format!("a change over ±{p} points from the previous period needs a comment")
                    }
                    (Some(lantu_core::messages::Change::Percent(p)), lantu_core::messages::Lang::Zh) => {
                        format!("与上期相比变化超过 ±{p}% 须说明")
                    }
                    (Some(lantu_core::messages::Change::Percent(p)), _) => {
                        format!("a change over ±{p}% from the previous period needs a comment")
                    }
                    (None, _) => String::new(),
                };
                let editable = lantu_core::policy::Policy::default().allows(
                    u.role,
                    lantu_core::policy::Action::EditPlan,
                    lantu_core::policy::Scope::None,
                    None,
                );
                Some(minijinja::context! { effective => effective, explicit => ind.rules.clone(), change => change, editable => editable })
            }
            _ => None,
        };
        state.page(
            &ctx,
            Some(&v),
            "blueprint",
            "indicator.html",
            minijinja::context! {
                evidence => evidence,
                evidence_periods => evidence_periods,
                can_attach => can_attach,
                can_mark_public => can_mark_public,
                back => ctx.path.clone(),
                p => p,
                show_states => !ctx.public,
                comments => comments,
                can_comment => can_comment,
                rules => rules,
                plan_id => id,
                year => v.snapshot.evaluation_year,
            },
        )
    }
    .await;
    respond(&ctx, r)
}

pub async fn tasks(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let r = async {
        ctx.require_internal()?;
        let v = state.plan_view(id, year_param(&ctx), ctx.visibility()).await?;
        let dept = query_param(&ctx.query, "department").filter(|d| !d.is_empty());
        let user = ctx.user.clone();
        let p = view::tasks_page(&v, ctx.lang, dept, |t| lantu_app::work::may_edit_task(user.as_ref(), t));
        let (_, now) = lantu_app::assess::today();
        let statuses = ["not_started", "in_progress", "completed", "delayed"];
        state.page(
            &ctx,
            Some(&v),
            "tasks",
            "tasks.html",
            minijinja::context! { p => p, year => v.snapshot.evaluation_year, this_year => now, statuses => statuses },
        )
    }
    .await;
    respond(&ctx, r)
}

pub async fn projects(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let r = async {
        ctx.require_internal()?;
        let v = state.plan_view(id, year_param(&ctx), ctx.visibility()).await?;
        let stored = state.app().projects(id).await?;
        let statuses: std::collections::HashMap<&str, String> = stored
            .iter()
            .map(|p| {
                let s = serde_json::to_value(p.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string));
                (p.code.as_str(), s.unwrap_or_default())
            })
            .collect();
        let p = view::projects_page(&v, ctx.lang, &statuses);
        let editable = lantu_app::work::may_edit_projects(ctx.user.as_ref());
        let choices = ["planned", "under_construction", "completed", "suspended"];
        state.page(
            &ctx,
            Some(&v),
            "projects",
            "projects.html",
            minijinja::context! { projects => p, editable => editable, choices => choices },
        )
    }
    .await;
    respond(&ctx, r)
}

// ---------------------------------------------------------------- account

pub async fn account(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        let u = ctx.require_user()?;
        let email = state.app().emails().await?.remove(&u.id);
        state.page(
            &ctx,
            None,
            "account",
            "account.html",
            minijinja::context! {
                email => email,
                me => u,
                has_token => u.api_token_hash.is_some(),
                token => None::<String>,
                message => None::<String>,
            },
        )
    }
    .await;
    respond(&ctx, r)
}

#[derive(Deserialize)]
pub struct AccountForm {
    action: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    email: String,
}

pub async fn account_post(State(state): State<AppState>, ctx: Ctx, Form(form): Form<AccountForm>) -> Response {
    let r = async {
        let u = ctx.require_user()?.clone();
        let cost = state.config().hash_cost;
        let (message, token) = match form.action.as_str() {
            "password" => {
                if !auth::verify_password(&form.current, &u.password_hash) {
                    return Err(WebError::BadRequest(t(ctx.lang, "login_failed").into()));
                }
                state
                    .inner
                    .users
                    .set_password(state.app(), u.id, &form.new, cost, &u.username)
                    .await?;
                // The session's credential no longer matches: signed out.
                return Ok(Redirect::to("/login").into_response());
            }
            // A new token replaces the old one; revoking leaves none.
            a @ ("token" | "revoke") if u.role != Role::Public => {
                let token = (a == "token").then(|| auth::hex(&auth::random_bytes::<32>()));
                let update = lantu_app::UserUpdate {
                    api_token_hash: Some(token.as_deref().map(auth::sha256_hex)),
                    ..Default::default()
                };
                state
                    .inner
                    .users
                    .update(state.app(), u.id, &update, &u.username)
                    .await?;
                let said = if token.is_some() {
                    "api_token_hint"
                } else {
                    "api_token_revoke"
                };
                (Some(t(ctx.lang, said).to_string()), token)
            }
            "email" => {
                state.app().set_email(&u, u.id, &form.email).await?;
                (Some(t(ctx.lang, "saved").to_string()), None)
            }
            _ => return Err(WebError::BadRequest("unknown action".into())),
        };
        let email = state.app().emails().await?.remove(&u.id);
        state.page(
            &ctx,
            None,
            "account",
            "account.html",
            minijinja::context! { me => u, email => email, has_token => token.is_some(), token => token, message => message },
        )
    }
    .await;
    respond(&ctx, r)
}

/// A report of the plan in the year shown, as the dashboard's download
/// buttons ask for it: `/plans/{id}/report/{kind}.{ext}?year=Y`. Built from
/// the same view as the page (the public portal's from published figures).
/// Rendered once per plan, year, kind, format, language, visibility, the
/// comments the reader may see and data version, then served from memory;
/// rendering takes one of a few turns ([`crate::load::Expensive::Report`]).
pub async fn report(State(state): State<AppState>, ctx: Ctx, Path((id, file)): Path<(i64, String)>) -> Response {
    use crate::cache::ReportKey;
    use crate::load::{Expensive, Rendered};
    use axum::http::{header, HeaderValue, StatusCode};
    use lantu_core::snapshot::ReportKind;
    use sha2::{Digest, Sha256};
    let r = async {
        guard(&ctx)?;
        let (stem, ext) = file.rsplit_once('.').ok_or(WebError::NotFound)?;
        let kind = match stem {
            "annual" => ReportKind::Annual,
            "midterm" => ReportKind::Midterm,
            "final" => ReportKind::Final,
            _ => return Err(WebError::NotFound),
        };
        let format: lantu_app::reports::Format = ext.parse().map_err(|_| WebError::NotFound)?;
        let lang = ctx.lang;
        // Read before the data, so that a write meanwhile makes the entry
        // stale rather than wrong.
        let version = state.data_version().await?;
        let vis = ctx.visibility();
        let v = state.plan_view(id, year_param(&ctx), vis).await?;
        let mut snapshot = v.snapshot.clone();
        let comments = if vis == lantu_app::Visibility::Internal {
            state
                .app()
                .add_comments(id, &mut snapshot, ctx.user.as_ref().map(|u| (u, &v.doc)))
                .await?;
            let seen = serde_json::to_vec(&snapshot.comments)
                .map_err(|e| WebError::Internal(format!("cannot digest the comments: {e}")))?;
            Some(Sha256::digest(&seen).into())
        } else {
            None
        };
        let key = ReportKey {
            plan: id,
            year: v.snapshot.evaluation_year,
            file: file.clone(),
            lang: ctx.lang.code(),
            visibility: vis,
            comments,
        };
        let (cache, ttl) = (&state.inner.reports, state.config().cache_ttl);
        if let Some(hit) = cache.get(&key, version, ttl) {
            return Ok(hit.response(true));
        }
        let _turn = state.inner.limits.enter(Expensive::Report).await?;
        // Rendered by another request while this one waited for its turn.
        if let Some(hit) = cache.get(&key, version, ttl) {
            return Ok(hit.response(true));
        }
        let rendered = tokio::task::spawn_blocking(move || lantu_app::reports::render(&snapshot, kind, lang, format))
            .await
            .map_err(|e| WebError::Internal(format!("the report writer stopped: {e}")))??;
        for w in &rendered.warnings {
            tracing::warn!(plan = id, report = %file, "{w}");
        }
        let bytes = rendered.bytes;
        let name = format!("lantu-{id}-{}-{stem}.{ext}", v.snapshot.evaluation_year);
        let header_value =
            |s: String| HeaderValue::from_str(&s).map_err(|e| WebError::Internal(format!("a report header: {e}")));
        let rendered = Rendered {
            status: StatusCode::OK,
            headers: vec![
                (header::CONTENT_TYPE, header_value(format.mime().to_string())?),
                (
                    header::CONTENT_DISPOSITION,
                    header_value(format!("attachment; filename=\"{name}\""))?,
                ),
            ],
            body: bytes.into(),
        };
        cache.put(key, version, rendered.clone());
        Ok(rendered.response(false))
    }
    .await;
    respond(&ctx, r)
}

/// The planner's form of an indicator's validation rules: each field blank
/// for its default.
pub async fn indicator_rules(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, code)): Path<(i64, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let user = ctx.require_internal()?.clone();
        let field = |name: &str| {
            form.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let number = |name: &str| -> Result<Option<rust_decimal::Decimal>, WebError> {
            match field(name) {
                None => Ok(None),
                Some(v) => lantu_app::number::parse(v)
                    .filter(|n| !n.percent)
                    .map(|n| Some(n.value))
                    .ok_or_else(|| WebError::BadRequest(format!("“{v}”不是数字 / \"{v}\" is not a number ({name})"))),
            }
        };
        let rules = lantu_core::rules::IndicatorRules {
            min: number("min")?,
            max: number("max")?,
            integer: match field("integer") {
                Some("yes") => Some(true),
                Some("no") => Some(false),
                _ => None,
            },
            max_change_percent: number("max_change_percent")?,
            max_change_points: number("max_change_points")?,
        };
        state
            .app()
            .set_indicator_rules(id, &code, rules, user.role, &user.username)
            .await?;
        state.changed();
        Ok(Redirect::to(&format!("/plans/{id}/indicators/{code}#rules")).into_response())
    }
    .await;
    respond(&ctx, r)
}
