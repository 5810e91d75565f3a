//! The publication screen (公开与发布): on a plan's page the planner makes
//! an adopted plan public or private and releases or withdraws its
//! evaluation years, each named for what it is (年度监测 / 中期评估 /
//! 总结评估), after ticking a confirmation. Plain forms, no script. The
//! handlers parse the form and call one use case,
//! [`lantu_app::App::change_publication`], which checks the role and has
//! the store audit the change.

use crate::error::WebError;
use crate::i18n::{t, Lang};
use crate::{respond, AppState, Ctx, PageResult};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use lantu_app::publication::{PublicationChange, PublicationState};
use lantu_app::Actor;
use lantu_core::policy::{Action, Policy};
use lantu_core::snapshot::ReportKind;
use serde::{Deserialize, Serialize};

/// What one of the screen's forms asks.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    MakePublic,
    MakePrivate,
    Release,
    Withdraw,
}

/// A form of the screen: the action, the year for a release, and the
/// confirmation box.
#[derive(Debug, Deserialize)]
pub struct PublicationForm {
    action: Ask,
    #[serde(default)]
    year: String,
    #[serde(default)]
    confirm: String,
}

#[derive(Serialize)]
struct YearLine {
    year: i32,
    kind: &'static str,
    released: bool,
    is_default: bool,
}

/// The evaluation a year is, in the page's language.
pub(crate) fn evaluation(lang: Lang, kind: ReportKind) -> &'static str {
    lang.pick(kind.evaluation_zh(), kind.evaluation_en())
}

/// Only roles that decide what the public sees open the screen.
fn decider(ctx: &Ctx) -> Result<Actor, WebError> {
    let u = ctx.require_internal()?;
    if Policy::default().allows_any(u.role, Action::PublishPlan) {
        Ok(Actor::of(u))
    } else {
        Err(WebError::Forbidden(
            "只有规划人员和管理员能决定公开内容 / only planners and administrators decide what the public sees".into(),
        ))
    }
}

async fn render(state: &AppState, ctx: &Ctx, plan: i64, flash: Option<(String, bool)>) -> PageResult {
    let v = state.plan_view(plan, None, ctx.visibility()).await?;
    let p: PublicationState = state.app().publication(plan).await?;
    let years: Vec<YearLine> = p
        .years
        .iter()
        .map(|y| YearLine {
            year: y.year,
            kind: evaluation(ctx.lang, y.kind),
            released: y.released,
            is_default: p.default_year == Some(y.year),
        })
        .collect();
    let page = minijinja::context! {
        plan_id => plan,
        made_public => p.made_public,
        public => p.public,
        adopted => p.blocked.is_none(),
        blocked => p.blocked,
        years => years,
        default_year => p.default_year,
    };
    state.page_flash(ctx, Some(&v), "publication", "publication.html", page, flash)
}

/// `GET /plans/{id}/publication`
pub async fn page(State(state): State<AppState>, ctx: Ctx, Path(plan): Path<i64>) -> Response {
    let r = async {
        decider(&ctx)?;
        render(&state, &ctx, plan, None).await
    }
    .await;
    respond(&ctx, r)
}

/// The change a form asks for, or why it is refused (Chinese first).
fn change_of(lang: Lang, form: &PublicationForm) -> Result<PublicationChange, String> {
    if form.confirm.trim().is_empty() {
        return Err(t(lang, "publication_confirm_missing").to_string());
    }
    let year = || {
        form.year
            .trim()
            .parse::<i32>()
            .map_err(|_| format!("{}: `{}`", t(lang, "publication_bad_year"), form.year.trim()))
    };
    Ok(match form.action {
        Ask::MakePublic => PublicationChange::Public(true),
        Ask::MakePrivate => PublicationChange::Public(false),
        Ask::Release => PublicationChange::Year(year()?, true),
        Ask::Withdraw => PublicationChange::Year(year()?, false),
    })
}

/// `POST /plans/{id}/publication`
pub async fn post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(plan): Path<i64>,
    Form(form): Form<PublicationForm>,
) -> Response {
    let r = async {
        let actor = decider(&ctx)?;
        let change = match change_of(ctx.lang, &form) {
            Ok(c) => c,
            Err(m) => return render(&state, &ctx, plan, Some((m, false))).await,
        };
        let flash = match state.app().change_publication(&actor, plan, change).await {
            Ok(out) => {
                state.changed();
                tracing::info!(user = %actor.name, plan, ?change, changed = out.changed, "publication changed");
                (done_message(ctx.lang, change, out.changed), true)
            }
            // A refusal the planner can act on (a draft, a year outside the
            // period) is shown on the screen; anything else is an error page.
            Err(lantu_app::AppError::Store(
                e @ (lantu_app::StoreError::PlanNotAdopted(_) | lantu_app::StoreError::YearOutsidePlan { .. }),
            )) => (e.to_string(), false),
            Err(e) => return Err(e.into()),
        };
        render(&state, &ctx, plan, Some(flash)).await
    }
    .await;
    respond(&ctx, r)
}

fn done_message(lang: Lang, change: PublicationChange, changed: bool) -> String {
    let what = match change {
        PublicationChange::Public(true) => t(lang, "publication_done_public").to_string(),
        PublicationChange::Public(false) => t(lang, "publication_done_private").to_string(),
        PublicationChange::Year(y, true) => format!("{y} · {}", t(lang, "publication_done_release")),
        PublicationChange::Year(y, false) => format!("{y} · {}", t(lang, "publication_done_withdraw")),
    };
    if changed {
        what
    } else {
        format!("{what}（{}）", t(lang, "publication_unchanged"))
    }
}
