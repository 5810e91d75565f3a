//! The layers every request passes: body limits, the session and its
//! CSRF check (also inside a multipart form), the security headers.

use crate::error::WebError;
use crate::i18n::Lang;
use crate::{auth, cookie, input, query_param, serde_urlencoded_pairs, sessions, workbench, AppState, SessionInfo};
use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

// ---------------------------------------------------------------- layers

const MAX_FORM: usize = 4 << 20;
/// The largest request body (an upload): also the router's limit.
pub const MAX_UPLOAD: usize = input::MAX_BODY;
/// How far into a multipart body its `csrf` field is looked for (it comes
/// first in the upload form).
const MULTIPART_CSRF_WITHIN: usize = 64 << 10;

pub(crate) fn is_write(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The language a request asks for: `?lang=`, then the cookie.
pub(crate) fn request_lang(headers: &HeaderMap, query: Option<&str>) -> Lang {
    query
        .and_then(|q| query_param(q, "lang"))
        .and_then(|l| Lang::parse(&l))
        .or_else(|| cookie(headers, auth::LANG_COOKIE).and_then(Lang::parse))
        .unwrap_or_default()
}

fn too_large() -> WebError {
    WebError::TooLarge(format!(
        "文件过大：上传最多 {0} MiB / the file is too large: an upload may be at most {0} MiB",
        MAX_UPLOAD >> 20
    ))
}

fn plan_too_large() -> WebError {
    WebError::TooLarge(format!(
        "规划文件过大：最多 {0} MiB / the plan file is too large: at most {0} MiB",
        lantu_app::workbench::MAX_PLAN_BYTES >> 20
    ))
}

/// The `csrf` field of a multipart form, if it comes before any file and
/// within the body's first 64 KiB.
async fn multipart_csrf(bytes: &axum::body::Bytes, content_type: &str) -> Option<String> {
    let head = bytes.slice(..bytes.len().min(MULTIPART_CSRF_WITHIN));
    let req = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(head))
        .ok()?;
    let mut form = axum::extract::Multipart::from_request(req, &()).await.ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.file_name().is_some() {
            return None;
        }
        if field.name() == Some("csrf") {
            return field.text().await.ok();
        }
    }
    None
}

/// Finds the session, refuses state-changing requests without the
/// session's CSRF token (the login form: without its signed double-submit
/// token), remembers `?lang=`, and adds security headers; signed-in pages
/// and the API are not stored by caches.
pub(crate) async fn session_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let token = cookie(&parts.headers, auth::SESSION_COOKIE).map(str::to_string);
    let config = &state.inner.config;
    let session = match &token {
        Some(t) => state
            .inner
            .sessions
            .get(&state.inner.app, t, &config.sessions, config.account_ttl)
            .await
            .unwrap_or_else(|e| {
                // The request goes on anonymous: it sees public data only.
                tracing::error!(error = %e, "reading a session");
                None
            }),
        None => None,
    };
    let path = parts.uri.path().to_string();
    let api = path.starts_with("/api/");
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    let lang = parts
        .uri
        .query()
        .and_then(|q| query_param(q, "lang"))
        .and_then(|l| Lang::parse(&l));
    let mut body = body;
    if is_write(&parts.method) && !(api && bearer) {
        let mut given = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let fail = |e: WebError| {
            if api {
                e.json()
            } else {
                e.page(request_lang(&parts.headers, parts.uri.query()), false)
            }
        };
        if given.is_none() && !api {
            if content_type.starts_with("application/x-www-form-urlencoded") {
                match axum::body::to_bytes(body, MAX_FORM).await {
                    Ok(bytes) => {
                        given = serde_urlencoded_pairs(&String::from_utf8_lossy(&bytes))
                            .into_iter()
                            .find(|(k, _)| k == "csrf")
                            .map(|(_, v)| v);
                        body = Body::from(bytes);
                    }
                    Err(_) => return fail(WebError::TooLarge("the form is too large".into())),
                }
            } else if content_type.starts_with("multipart/form-data") {
                let declared = parts
                    .headers
                    .get(header::CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok());
                // A plan file has its own, larger limit.
                let (limit, refusal) = if workbench::is_plan_upload(&path) {
                    (workbench::MAX_PLAN_UPLOAD, plan_too_large as fn() -> WebError)
                } else {
                    (MAX_UPLOAD, too_large as fn() -> WebError)
                };
                if declared.is_some_and(|n| n > limit as u64) {
                    return fail(refusal());
                }
                match axum::body::to_bytes(body, limit).await {
                    Ok(bytes) => {
                        given = multipart_csrf(&bytes, &content_type).await;
                        body = Body::from(bytes);
                    }
                    Err(_) => return fail(refusal()),
                }
            }
        }
        let ok = if path == "/login" {
            let cookie = cookie(&parts.headers, sessions::LOGIN_COOKIE);
            state
                .inner
                .login_csrf
                .check(&state.inner.app, cookie, given.as_deref())
                .await
                .unwrap_or_else(|e| {
                    tracing::error!(error = %e, "checking a login form's token");
                    false
                })
        } else {
            let expected = session.as_ref().map(|s| s.csrf.as_str());
            matches!((expected, &given), (Some(e), Some(g)) if auth::same(e, g))
        };
        if !ok {
            return fail(WebError::Csrf);
        }
    }
    let private = session.is_some() || api;
    parts.extensions.insert(SessionInfo { token, session });
    let mut resp = next.run(Request::from_parts(parts, body)).await;
    let h = resp.headers_mut();
    if let Some(l) = lang {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            auth::LANG_COOKIE,
            l.code()
        )) {
            h.append(header::SET_COOKIE, v);
        }
    }
    if private && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    // A page that runs the server's own script sets its own policy.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'none'; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        );
    }
    resp
}
