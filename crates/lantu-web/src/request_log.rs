//! One log line per request, and the security events its response tells
//! of.
//!
//! Every request is logged at `info` (target `lantu_web::request`) with
//! its method, route (the matched pattern such as `/plans/{id}`, never the
//! raw URL with its query, which may hold a token), status, latency, the
//! client's address and the signed-in account, if any. A refused CSRF
//! token and a refused permission are logged again at `warn` (target
//! `lantu_web::security`); failed logins and lock-outs are logged by
//! [`crate::login`], 500s with their cause chain by [`crate::error`].

use crate::error::ErrorCode;
use axum::extract::{ConnectInfo, MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// The account a request acts as, set once the session or token is read.
#[derive(Debug, Clone, Default)]
pub(crate) struct LogAccount(pub(crate) Arc<OnceLock<String>>);

impl LogAccount {
    pub(crate) fn set(&self, username: &str) {
        let _ = self.0.set(username.to_string());
    }
}

/// The client's address as the logs and the login limits know it.
pub(crate) fn client_addr(req: &axum::http::Extensions) -> String {
    req.get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub(crate) async fn request_log(mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(no route)".to_string(), |m| m.as_str().to_string());
    let addr = client_addr(req.extensions());
    let account = LogAccount::default();
    req.extensions_mut().insert(account.clone());
    let resp = next.run(req).await;
    let status = resp.status().as_u16();
    let latency_ms = start.elapsed().as_secs_f64() * 1000.0;
    let who = account.0.get().map_or("-", String::as_str);
    tracing::info!(
        target: "lantu_web::request",
        %method,
        %route,
        status,
        latency_ms = format_args!("{latency_ms:.1}"),
        %addr,
        account = %who,
        "request"
    );
    match resp.extensions().get::<ErrorCode>() {
        Some(ErrorCode("csrf")) => {
            tracing::warn!(target: "lantu_web::security", %method, %route, %addr, account = %who, "CSRF token refused")
        }
        Some(ErrorCode("forbidden")) => {
            tracing::warn!(target: "lantu_web::security", %method, %route, %addr, account = %who, "permission refused")
        }
        _ => {}
    }
    resp
}
