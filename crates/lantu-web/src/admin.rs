//! The administration page (系统管理): accounts, and the plan's settings
//! and departments. Who may change what is the application's rule; the
//! page parses the form, calls the use case and renders.

use crate::auth::{NewUser, Role, RoleLabel};
use crate::error::WebError;
use crate::format::dec;
use crate::i18n::t;
use crate::{query_param, AppState, Ctx};
use axum::extract::State;
use axum::response::Response;
use axum::Form;
use lantu_app::UserUpdate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::str::FromStr;

use crate::{respond, PageResult};

use crate::entry::{field, plan_id};

#[derive(Serialize)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: &'static str,
    role_label: &'static str,
    /// Code, for the edit form.
    department: Option<String>,
    active: bool,
}

async fn render_admin(state: &AppState, ctx: &Ctx, plan: i64, flash: Option<(String, bool)>) -> PageResult {
    let user = ctx.require_internal()?;
    if !(user.role.can_admin() || user.role.can_edit_settings()) {
        return Err(WebError::Forbidden(
            "administration is for administrators and planners".into(),
        ));
    }
    let v = state.plan_view(plan, None, ctx.visibility()).await?;
    let users: Vec<UserRow> = if user.role.can_admin() {
        state
            .users()
            .await?
            .into_iter()
            .map(|u| UserRow {
                id: u.id,
                role: u.role.as_str(),
                role_label: u.role.label(ctx.lang),
                department: u.department,
                username: u.username,
                display_name: u.display_name,
                active: u.active,
            })
            .collect()
    } else {
        Vec::new()
    };
    let roles: Vec<(&str, &str)> = Role::ALL.iter().map(|r| (r.as_str(), r.label(ctx.lang))).collect();
    let s = &v.doc.settings;
    let page = minijinja::context! {
        plan_id => plan,
        users => users,
        roles => roles,
        is_admin => user.role.can_admin(),
        departments => v.doc.departments.iter().map(|d| (d.code.clone(), d.name.clone())).collect::<Vec<_>>(),
        department_codes => v.doc.departments.iter().map(|d| d.code.clone()).collect::<Vec<_>>(),
        ahead_ratio => dec(s.ahead_ratio),
        on_track_ratio => dec(s.on_track_ratio),
        approx_tolerance => dec(s.approx_tolerance),
    };
    state.page_flash(ctx, Some(&v), "admin", "admin.html", page, flash)
}

pub async fn admin(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        let plan = plan_id(&state, query_param(&ctx.query, "plan").as_deref()).await?;
        render_admin(&state, &ctx, plan, None).await
    }
    .await;
    respond(&ctx, r)
}

pub async fn admin_users(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let me = ctx.require_internal()?.clone();
        if !me.role.can_admin() {
            return Err(WebError::Forbidden("only administrators manage users".into()));
        }
        let plan = plan_id(&state, field(&pairs, "plan")).await?;
        let get = |k: &str| field(&pairs, k).unwrap_or("").trim().to_string();
        let msg = match get("action").as_str() {
            "create" => {
                let role = Role::parse(&get("role")).ok_or_else(|| WebError::BadRequest("unknown role".into()))?;
                let u = state
                    .add_user(
                        NewUser {
                            username: get("username"),
                            display_name: get("display_name"),
                            role,
                            department: Some(get("department")).filter(|d| !d.is_empty() && role == Role::Reporter),
                            password: field(&pairs, "password").unwrap_or("").to_string(),
                        },
                        &me.username,
                    )
                    .await?;
                tracing::info!(admin = %me.username, user = %u.username, role = u.role.as_str(), "user created");
                format!("{} {}", t(ctx.lang, "add"), u.username)
            }
            a @ ("activate" | "deactivate") => {
                let id: i64 = get("id").parse().map_err(|_| WebError::BadRequest("id".into()))?;
                if id == me.id {
                    return Err(WebError::BadRequest("you cannot deactivate yourself".into()));
                }
                let active = a == "activate";
                let update = UserUpdate {
                    active: Some(active),
                    ..Default::default()
                };
                let u = state.inner.users.update(state.app(), id, &update, &me.username).await?;
                tracing::info!(admin = %me.username, user = %u.username, active, "user changed");
                format!("{} {}", t(ctx.lang, "updated"), u.username)
            }
            "reset" => {
                let id: i64 = get("id").parse().map_err(|_| WebError::BadRequest("id".into()))?;
                let pw = field(&pairs, "password").unwrap_or("");
                let u = state
                    .inner
                    .users
                    .set_password(state.app(), id, pw, state.config().hash_cost, &me.username)
                    .await?;
                tracing::info!(admin = %me.username, user = %u.username, "password reset");
                format!("{} {}", t(ctx.lang, "updated"), u.username)
            }
            "update" => {
                let id: i64 = get("id").parse().map_err(|_| WebError::BadRequest("id".into()))?;
                let role = Role::parse(&get("role")).ok_or_else(|| WebError::BadRequest("unknown role".into()))?;
                if id == me.id && role != me.role {
                    return Err(WebError::BadRequest("you cannot change your own role".into()));
                }
                let update = UserUpdate {
                    display_name: Some(get("display_name")).filter(|n| !n.is_empty()),
                    role: Some(role),
                    department: Some(Some(get("department")).filter(|d| !d.is_empty())),
                    ..Default::default()
                };
                let u = state.inner.users.update(state.app(), id, &update, &me.username).await?;
                tracing::info!(admin = %me.username, user = %u.username, role = u.role.as_str(), "user changed");
                format!("{} {}", t(ctx.lang, "updated"), u.username)
            }
            _ => return Err(WebError::BadRequest("unknown action".into())),
        };
        render_admin(&state, &ctx, plan, Some((msg, true))).await
    }
    .await;
    respond(&ctx, r)
}

pub async fn admin_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let me = ctx.require_internal()?.clone();
        let plan = plan_id(&state, field(&pairs, "plan")).await?;
        let get = |k: &str| field(&pairs, k).unwrap_or("").trim().to_string();
        let num = |k: &str| {
            Decimal::from_str(&get(k)).map_err(|_| WebError::BadRequest(format!("{k}: `{}` is not a number", get(k))))
        };
        use lantu_app::plans::SettingsChange;
        let change = match get("action").as_str() {
            "settings" => SettingsChange::Thresholds {
                ahead_ratio: num("ahead_ratio")?,
                on_track_ratio: num("on_track_ratio")?,
                approx_tolerance: num("approx_tolerance")?,
            },
            "add_department" => SettingsChange::AddDepartment {
                code: get("code"),
                name: get("name"),
            },
            "rename_department" => SettingsChange::RenameDepartment {
                code: get("code"),
                name: get("name"),
            },
            _ => return Err(WebError::BadRequest("unknown action".into())),
        };
        state.app().change_settings(&me, plan, change).await?;
        state.changed();
        render_admin(
            &state,
            &ctx,
            plan,
            Some((t(ctx.lang, "settings_saved").to_string(), true)),
        )
        .await
    }
    .await;
    respond(&ctx, r)
}
