//! Review (审核): the page a reviewer works through — each figure with its
//! context, approved, returned or taken back one by one or for a checked
//! set — publication of the approved figures, and the plan's review chain
//! (审核层级) form. Every rule and every write is the application layer's
//! (`lantu_app::review`); this module parses the form, calls one use case
//! and renders.

use crate::auth::{RoleLabel, User};
use crate::error::WebError;
use crate::format::{dec, status_label, target_text, with_unit};
use crate::i18n::{t, Lang};
use crate::view::state_label;
use crate::{query_param, respond, AppState, Ctx, PageResult};
use axum::extract::State;
use axum::response::Response;
use axum::Form;
use lantu_app::review::{ReviewItem, ReviewQueue};
use lantu_app::AppError;
use lantu_core::account::Role;
use lantu_core::observation::VintageKind;
use lantu_core::policy::{Level, Step};
use lantu_core::rules::Severity;
use serde::Serialize;

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

fn year_of(value: Option<&str>) -> Option<i32> {
    value.and_then(|v| v.trim().parse().ok())
}

/// One row of the review table, formatted.
#[derive(Serialize)]
struct Row {
    id: i64,
    code: String,
    name: String,
    department: String,
    period: String,
    place: Option<String>,
    value: String,
    previous: Option<String>,
    change: Option<String>,
    target: String,
    schedule: Option<String>,
    deviation: Option<String>,
    status: Option<&'static str>,
    status_code: Option<&'static str>,
    source: Option<String>,
    note: Option<String>,
    /// The reporter's explanation (异常说明).
    comment: Option<String>,
    /// The rules it breaks, in the reader's language, with their severity.
    findings: Vec<(&'static str, String)>,
    correction_reason: Option<String>,
    evidence: Vec<crate::evidence::EvidenceRow>,
    waiting_at: Option<String>,
    by: String,
    at: String,
    approve: bool,
    ret: bool,
    take_back: bool,
    history: Vec<HistoryLine>,
}

#[derive(Serialize)]
struct HistoryLine {
    vintage: i32,
    value: String,
    state: &'static str,
    correction: bool,
    comment: Option<String>,
    by: String,
    at: String,
    reason: Option<String>,
    events: Vec<String>,
}

fn short_time(s: &str) -> String {
    s.chars().take(16).collect::<String>().replace('T', " ")
}

fn signed(d: rust_decimal::Decimal) -> String {
    if d.is_sign_negative() {
        dec(d)
    } else {
        format!("+{}", dec(d))
    }
}

fn step_label(lang: Lang, s: Step) -> &'static str {
    match s {
        Step::Approve => t(lang, "approve"),
        Step::Return => t(lang, "return"),
        Step::TakeBack => t(lang, "take_back"),
    }
}

fn row(ctx: &Ctx, plan: i64, i: &ReviewItem, measure: Option<lantu_core::Measure>) -> Row {
    let lang = ctx.lang;
    let unit = i.unit.clone().unwrap_or_default();
    let history = i
        .history
        .iter()
        .map(|v| HistoryLine {
            vintage: v.vintage,
            value: with_unit(&dec(v.value), &unit),
            state: state_label(lang, v.state),
            correction: v.kind == VintageKind::Correction,
            comment: v.comment.clone(),
            by: v.entered_by.clone(),
            at: short_time(&v.entered_at),
            reason: v.reason.clone(),
            events: v
                .events
                .iter()
                .map(|e| {
                    let what = match (e.step, &e.level) {
                        (Some(s), Some(l)) => format!("{l} {}", step_label(lang, s)),
                        _ => format!("{} → {}", state_label(lang, e.from), state_label(lang, e.to)),
                    };
                    let reason = e.comment.as_deref().map(|c| format!("：{c}")).unwrap_or_default();
                    format!("{} {} · {what}{reason}", short_time(&e.at), e.by)
                })
                .collect(),
        })
        .collect();
    Row {
        id: i.id,
        code: i.indicator.clone(),
        name: i.name.clone(),
        department: i.departments.join("、"),
        period: i.period.to_string(),
        place: i.geography.clone(),
        value: with_unit(&dec(i.value), &unit),
        previous: i
            .previous
            .as_ref()
            .map(|p| format!("{} ({})", with_unit(&dec(p.value), &unit), p.period)),
        change: i.previous.as_ref().map(|p| match p.change_pct {
            Some(pct) => format!("{} ({}%)", signed(p.change), signed(pct)),
            None => signed(p.change),
        }),
        target: measure.map_or_else(
            || i.target.value.map(dec).unwrap_or_default(),
            |m| target_text(lang, &i.target, m, i.unit.as_deref()),
        ),
        schedule: i.schedule.map(|s| with_unit(&dec(s), &unit)),
        deviation: i.deviation.map(signed),
        status: i.assessment.as_ref().map(|a| status_label(lang, a.status)),
        status_code: i.assessment.as_ref().map(|a| a.status.as_str()),
        source: i.source.clone(),
        note: i.note.clone(),
        comment: i.comment.clone(),
        findings: i
            .findings
            .iter()
            .map(|f| {
                let severity = match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                (severity, f.message.text(lang))
            })
            .collect(),
        correction_reason: i.correction_reason.clone(),
        evidence: crate::evidence::rows(ctx, plan, i.evidence.clone()),
        waiting_at: i.waiting_at.clone(),
        by: i.entered_by.clone(),
        at: short_time(&i.entered_at),
        approve: i.steps.contains(&Step::Approve),
        ret: i.steps.contains(&Step::Return),
        take_back: i.steps.contains(&Step::TakeBack),
        history,
    }
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    plan: i64,
    year: Option<i32>,
    flash: Option<(String, bool)>,
) -> PageResult {
    let q: ReviewQueue = state.app().review_queue(plan, user, year).await?;
    let v = state.plan_view(plan, None, ctx.visibility()).await?;
    let measure = |code: &str| v.indicator_doc(code).map(|d| d.measure);
    let rows =
        |items: &[ReviewItem]| -> Vec<Row> { items.iter().map(|i| row(ctx, plan, i, measure(&i.indicator))).collect() };
    let levels: Vec<String> = q
        .levels
        .iter()
        .map(|l| format!("{}. {}（{}）", l.number, l.name, l.role.label(ctx.lang)))
        .collect();
    let page = minijinja::context! {
        plan_id => plan,
        year => year,
        levels => levels,
        submitted => rows(&q.waiting),
        approved => rows(&q.approved),
        can_review => q.waiting.iter().chain(&q.approved).any(|i| !i.steps.is_empty()),
        can_publish => q.may_publish,
        can_edit_levels => user.role.can_edit_settings(),
    };
    state.page_flash(ctx, Some(&v), "review", "review.html", page, flash)
}

pub async fn review(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        let user = ctx.require_internal()?.clone();
        let plan = plan_id(&state, query_param(&ctx.query, "plan").as_deref()).await?;
        render(
            &state,
            &ctx,
            &user,
            plan,
            year_of(query_param(&ctx.query, "year").as_deref()),
            None,
        )
        .await
    }
    .await;
    respond(&ctx, r)
}

/// `action=approve|return|take_back` on the checked `id`s (with `comment`
/// as the reason), or `row=<step>:<id>` on one figure (with `reason_<id>`,
/// else `comment`).
pub async fn review_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let user = ctx.require_internal()?.clone();
        let plan = plan_id(&state, field(&pairs, "plan")).await?;
        let year = year_of(field(&pairs, "year"));
        let comment = field(&pairs, "comment").map(str::trim).filter(|c| !c.is_empty());
        let (step, ids, reason) = match field(&pairs, "row").and_then(|r| r.split_once(':')) {
            Some((s, id)) => {
                let id: i64 = id
                    .trim()
                    .parse()
                    .map_err(|_| WebError::BadRequest(format!("row: `{id}` is not a figure")))?;
                let own = field(&pairs, &format!("reason_{id}"))
                    .map(str::trim)
                    .filter(|c| !c.is_empty());
                (s.to_string(), vec![id], own.or(comment))
            }
            None => {
                let ids: Vec<i64> = pairs
                    .iter()
                    .filter(|(k, _)| k == "id")
                    .filter_map(|(_, v)| v.parse().ok())
                    .collect();
                (field(&pairs, "action").unwrap_or("").to_string(), ids, comment)
            }
        };
        let step = Step::parse(&step)
            .ok_or_else(|| WebError::BadRequest("action must be approve, return or take_back".into()))?;
        if ids.is_empty() {
            let msg = ctx.lang.pick("请先勾选数据。", "Select figures first.").to_string();
            return render(&state, &ctx, &user, plan, year, Some((msg, false))).await;
        }
        if step == Step::Return && reason.is_none() {
            let msg = t(ctx.lang, "return_needs_comment").to_string();
            return render(&state, &ctx, &user, plan, year, Some((msg, false))).await;
        }
        match state.app().review_step(plan, &user, &ids, step, reason).await {
            Ok(moved) => {
                state.changed();
                let msg = match step {
                    Step::Approve => ctx.lang.pick("已审核通过", "Approved"),
                    Step::Return => ctx.lang.pick("已退回", "Returned"),
                    Step::TakeBack => ctx.lang.pick("已撤回审核", "Taken back"),
                };
                render(
                    &state,
                    &ctx,
                    &user,
                    plan,
                    year,
                    Some((format!("{msg}: {}", moved.len()), true)),
                )
                .await
            }
            Err(AppError::Invalid(m)) => render(&state, &ctx, &user, plan, year, Some((m, false))).await,
            Err(e) => Err(e.into()),
        }
    }
    .await;
    respond(&ctx, r)
}

pub async fn publish(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let r = async {
        let user = ctx.require_internal()?.clone();
        let plan = plan_id(&state, field(&pairs, "plan")).await?;
        let moved = state.app().publish_approved(plan, &user).await?;
        state.changed();
        let msg = ctx.lang.pick("已发布", "Published");
        render(
            &state,
            &ctx,
            &user,
            plan,
            None,
            Some((format!("{msg}: {}", moved.len()), true)),
        )
        .await
    }
    .await;
    respond(&ctx, r)
}

// ------------------------------------------------------------ the chain

/// Rows the chain form offers (the most levels a chain may have).
const FORM_ROWS: usize = lantu_core::plan::MAX_REVIEW_LEVELS;

/// Roles that may hold a level.
const LEVEL_ROLES: [Role; 4] = [
    Role::DepartmentApprover,
    Role::Reviewer,
    Role::Planner,
    Role::Administrator,
];

async fn render_levels(state: &AppState, ctx: &Ctx, plan: i64, flash: Option<(String, bool)>) -> PageResult {
    let v = state.plan_view(plan, None, ctx.visibility()).await?;
    let stored = state.app().review_levels(plan).await?;
    let rows: Vec<(usize, String, &str, String)> = (0..FORM_ROWS)
        .map(|i| match stored.get(i) {
            Some(l) => (
                i,
                l.name.clone(),
                l.role.as_str(),
                l.department.clone().unwrap_or_default(),
            ),
            None => (i, String::new(), "", String::new()),
        })
        .collect();
    let roles: Vec<(&str, &str)> = LEVEL_ROLES.iter().map(|r| (r.as_str(), r.label(ctx.lang))).collect();
    let departments: Vec<(String, String)> = v
        .doc
        .departments
        .iter()
        .map(|d| (d.code.clone(), d.name.clone()))
        .collect();
    let page = minijinja::context! {
        plan_id => plan,
        rows => rows,
        roles => roles,
        departments => departments,
    };
    state.page_flash(ctx, Some(&v), "review", "review_levels.html", page, flash)
}

fn settings_user(ctx: &Ctx) -> Result<User, WebError> {
    let u = ctx.require_internal()?;
    if u.role.can_edit_settings() {
        Ok(u.clone())
    } else {
        Err(WebError::Forbidden(
            "只有规划部门和管理员可设置审核层级 / only planners and administrators set the review chain".into(),
        ))
    }
}

pub async fn levels(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        settings_user(&ctx)?;
        let plan = plan_id(&state, query_param(&ctx.query, "plan").as_deref()).await?;
        render_levels(&state, &ctx, plan, None).await
    }
    .await;
    respond(&ctx, r)
}

/// `name_<i>`, `role_<i>`, `department_<i>` for each row; rows without a
/// name are dropped.
pub async fn levels_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let user = settings_user(&ctx)?;
        let plan = plan_id(&state, field(&pairs, "plan")).await?;
        let mut levels = Vec::new();
        for i in 0..FORM_ROWS {
            let get = |k: &str| field(&pairs, &format!("{k}_{i}")).unwrap_or("").trim().to_string();
            let name = get("name");
            if name.is_empty() {
                continue;
            }
            let role = Role::parse(&get("role")).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "第 {} 行：请选择担任该层级的角色 / row {}: choose the role that holds the level",
                    i + 1,
                    i + 1
                ))
            })?;
            let department = Some(get("department")).filter(|d| !d.is_empty());
            levels.push(Level { name, role, department });
        }
        match state.app().set_review_levels(plan, &user, levels).await {
            Ok(_) => {
                state.changed();
                render_levels(
                    &state,
                    &ctx,
                    plan,
                    Some((t(ctx.lang, "levels_saved").to_string(), true)),
                )
                .await
            }
            Err(AppError::Store(lantu_app::StoreError::InvalidPlan(e))) => {
                render_levels(&state, &ctx, plan, Some((e.to_string(), false))).await
            }
            Err(AppError::Store(e @ lantu_app::StoreError::ChainInUse { .. })) => {
                render_levels(&state, &ctx, plan, Some((e.to_string(), false))).await
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    respond(&ctx, r)
}
