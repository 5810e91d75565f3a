//! The routes: every page, form, download and API path.

use crate::error::WebError;
use crate::{
    admin, api, comments, departments, due, entry, evidence, input, load, login, pages, publication, request_log,
    review, session_layer, templates, work, workbench, AppState, Ctx, MAX_UPLOAD,
};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        templates::STYLE,
    )
        .into_response()
}

async fn not_found(ctx: Ctx) -> Response {
    if ctx.path.starts_with("/api/") {
        WebError::NotFound.json()
    } else {
        ctx.fail(WebError::NotFound).into_response()
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/healthz", get(|| async { "ok" }))
        .route("/static/style.css", get(style))
        .route("/plans", get(pages::plans))
        .route(
            "/plans/new",
            get(workbench::new_page)
                .post(workbench::import)
                .layer(axum::extract::DefaultBodyLimit::max(workbench::MAX_PLAN_UPLOAD)),
        )
        .route("/plans/{id}/workbench", get(workbench::page).post(workbench::post))
        .route("/static/workbench.js", get(workbench::script))
        .route("/plans/{id}", get(pages::dashboard))
        .route("/plans/{id}/indicators/{code}", get(pages::indicator))
        .route("/plans/{id}/indicators/{code}/rules", post(pages::indicator_rules))
        .route("/plans/{id}/report/{file}", get(pages::report))
        .route("/plans/{id}/comments", get(comments::page).post(comments::add))
        .route(
            "/plans/{id}/publication",
            get(publication::page).post(publication::post),
        )
        .route("/plans/{id}/tasks", get(pages::tasks))
        .route("/plans/{id}/projects", get(pages::projects))
        .route("/plans/{id}/tasks/{code}/entries", post(work::add_entry))
        .route("/plans/{id}/work/{entry}", post(work::update_entry))
        .route("/plans/{id}/projects/{code}/progress", post(work::project_progress))
        .route("/plans/{id}/evidence", post(evidence::upload))
        .route("/plans/{id}/evidence/{file}", get(evidence::download))
        .route("/plans/{id}/evidence/{file}/public", post(evidence::set_public))
        .route("/public/plans/{id}/evidence/{file}", get(evidence::download))
        .route("/public", get(|| async { Redirect::permanent("/public/") }))
        .route("/public/", get(pages::public_home))
        .route("/public/plans", get(pages::plans))
        .route("/public/plans/{id}", get(pages::dashboard))
        .route("/public/plans/{id}/indicators/{code}", get(pages::indicator))
        .route("/public/plans/{id}/report/{file}", get(pages::report))
        .route("/login", get(login::login_form).post(login::login))
        .route("/logout", post(login::logout))
        .route("/account", get(pages::account).post(pages::account_post))
        .route("/entry", get(entry::entry).post(entry::entry_save))
        .route("/entry/upload", post(entry::upload))
        .route("/entry/submit", post(entry::submit))
        .route("/entry/correct", post(entry::correct))
        .route("/entry/template.xlsx", get(entry::template))
        .route("/review", get(review::review).post(review::review_post))
        .route("/review/publish", post(review::publish))
        .route("/review/levels", get(review::levels).post(review::levels_post))
        .route("/due", get(due::due))
        .route("/reminders", get(due::reminders))
        .route("/reminders/send", post(due::send))
        .route("/reminders/deadlines", post(due::deadlines))
        .route("/notices/read", post(due::read_notices))
        .route("/departments", get(departments::page).post(departments::post))
        .route("/admin", get(admin::admin))
        .route("/admin/users", post(admin::admin_users))
        .route("/admin/settings", post(admin::admin_settings))
        .nest("/api/v1", api::router())
        .fallback(not_found)
        .layer(axum::middleware::from_fn(input::text_layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), load::limit_layer))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            load::page_cache_layer,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), session_layer))
        .layer(axum::middleware::from_fn(request_log::request_log))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD))
        .with_state(state)
}
