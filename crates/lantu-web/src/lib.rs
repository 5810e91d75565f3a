//! Lantu in the browser (蓝图): the dashboard (一张蓝图), indicator pages with
//! their charts, tasks and key projects, data entry with review and
//! publication, reminders, administration, the public portal and the JSON
//! API under `/api/v1/`.
//!
//! Pages are rendered on the server (minijinja templates and one stylesheet,
//! all embedded) and work without JavaScript; charts are SVG drawn on the
//! server. Handlers parse the request, call one use case of the application
//! layer (`lantu-app`, the crate's only way to the store, the data files
//! and the reports) and render: the judgement of progress is the
//! application's one pipeline, and who may do what is its policy.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let app = lantu_app::App::open("sqlite://lantu.db").await?;
//! lantu_web::serve(app, "127.0.0.1:8080".parse()?).await?;
//! # Ok(()) }
//! ```

mod admin;
mod api;
mod api_workbench;
pub mod auth;
mod cache;
mod chart;
mod comments;
mod config;
mod departments;
mod due;
mod entry;
mod error;
mod evidence;
mod format;
mod i18n;
mod input;
mod json;
mod layers;
mod limiter;
mod load;
mod login;
mod pages;
mod publication;
mod request;
mod request_log;
mod review;
mod routes;
mod search;
mod sessions;
mod state;
mod templates;
pub mod view;
mod work;
mod workbench;

pub use config::{Config, ASSET_VERSION};
pub(crate) use layers::*;
pub use request::Ctx;
pub(crate) use request::*;
pub use routes::router;
pub use state::AppState;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lantu_app::App;
use std::net::SocketAddr;

/// Serves the application on `addr` until Ctrl-C, with the accounts the
/// store holds (`lantu user`, [`AppState::add_user`], the administration
/// page).
pub async fn serve(app: App, addr: SocketAddr) -> std::io::Result<()> {
    serve_state(AppState::new(app, Config::default()), addr).await
}

/// Serves a prepared state (its settings) on `addr`.
pub async fn serve_state(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_on(state, listener).await
}

/// Serves on a bound listener (tests bind port 0).
pub async fn serve_on(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

pub(crate) fn cookie_token(ctx: &Ctx) -> Option<String> {
    ctx.token.clone()
}

/// A response that sets a cookie and redirects.
pub(crate) fn redirect_with_cookie(to: &str, cookie: String) -> Response {
    let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}
