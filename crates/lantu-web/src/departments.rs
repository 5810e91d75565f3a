//! The department registry page (部门名录): every body the deployment's
//! plans assign work to, shared by all plans. Staff read it; planners and
//! administrators add, edit, restore and retire bodies with plain forms.
//! The handlers parse the form and call one use case,
//! [`lantu_app::App::change_department`], which checks the role; the store
//! audits each change.

use crate::error::WebError;
use crate::i18n::t;
use crate::{respond, AppState, Ctx, PageResult};
use axum::extract::State;
use axum::response::Response;
use axum::Form;
use lantu_app::departments::{may_manage, DepartmentChange};
use lantu_app::{Actor, RegistryFields};
use serde::Deserialize;

/// What one of the page's forms asks.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    Add,
    Edit,
    Restore,
    Retire,
}

/// A form of the page.
#[derive(Debug, Deserialize)]
pub struct DepartmentForm {
    action: Ask,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    phone: String,
}

impl DepartmentForm {
    fn fields(&self) -> RegistryFields {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        RegistryFields {
            name: self.name.trim().to_string(),
            short_name: opt(&self.short_name),
            parent: opt(&self.parent),
            contact: opt(&self.contact),
            phone: opt(&self.phone),
        }
    }

    fn change(&self) -> DepartmentChange {
        let code = self.code.trim().to_string();
        match self.action {
            Ask::Add => DepartmentChange::Add {
                code,
                fields: self.fields(),
            },
            Ask::Edit | Ask::Restore => DepartmentChange::Edit {
                code,
                fields: self.fields(),
                restore: matches!(self.action, Ask::Restore),
            },
            Ask::Retire => DepartmentChange::Retire { code },
        }
    }
}

async fn render(state: &AppState, ctx: &Ctx, flash: Option<(String, bool)>) -> PageResult {
    let user = ctx.require_internal()?;
    let entries = state.app().registry().await?;
    let plan = state.default_plan().await?;
    let v = match plan {
        Some(id) => Some(state.plan_view(id, None, ctx.visibility()).await?),
        None => None,
    };
    let page = minijinja::context! {
        entries => entries,
        can_manage => may_manage(&Actor::of(user)),
    };
    state.page_flash(ctx, v.as_deref(), "registry", "departments.html", page, flash)
}

/// `GET /departments`
pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = render(&state, &ctx, None).await;
    respond(&ctx, r)
}

/// `POST /departments`
pub async fn post(State(state): State<AppState>, ctx: Ctx, Form(form): Form<DepartmentForm>) -> Response {
    let r = async {
        let actor = Actor::of(ctx.require_internal()?);
        if !may_manage(&actor) {
            return Err(WebError::Forbidden(
                "只有规划人员和管理员能维护部门名录 / only planners and administrators keep the registry".into(),
            ));
        }
        let flash = match state.app().change_department(&actor, form.change()).await {
            Ok(e) => {
                state.changed();
                tracing::info!(user = %actor.name, department = %e.code, action = ?form.action, "registry changed");
                let done = match form.action {
                    Ask::Add => "departments_done_add",
                    Ask::Edit => "departments_done_edit",
                    Ask::Restore => "departments_done_restore",
                    Ask::Retire => "departments_done_retire",
                };
                (format!("{} · {}", e.name, t(ctx.lang, done)), true)
            }
            // What the user can fix is said on the page (the store's
            // messages are Chinese first).
            Err(lantu_app::AppError::Store(
                e @ (lantu_app::StoreError::InvalidInput { .. }
                | lantu_app::StoreError::DepartmentTaken(_)
                | lantu_app::StoreError::DepartmentInUse { .. }
                | lantu_app::StoreError::DepartmentNotFound(_)),
            )) => (e.to_string(), false),
            Err(e) => return Err(e.into()),
        };
        render(&state, &ctx, Some(flash)).await
    }
    .await;
    respond(&ctx, r)
}
