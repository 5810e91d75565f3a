//! Signing in and out: the login form (CSRF by a signed double-submit
//! cookie, no session for anonymous visitors), the limited password check,
//! and where to go afterwards ([`next_path`]).

use crate::error::WebError;
use crate::i18n::t;
use crate::limiter::Refusal;
use crate::sessions::{clear_session_cookie, login_cookie, session_cookie};
use crate::{query_param, redirect_with_cookie, respond, AppState, Ctx};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

/// Where a `next` parameter (already percent-decoded once) may send the
/// browser after login: a path on this site, or `/`.
///
/// Refused: anything not starting with a single `/` (schemes, `//host`,
/// `/\host`), backslashes, control and whitespace characters (browsers
/// drop tabs and newlines, so `/\t/evil` would become `//evil`), all of
/// these also after a second percent-decoding, and paths over 2,000
/// bytes. Non-ASCII characters are percent-encoded for the `Location`
/// header.
pub fn next_path(next: Option<&str>) -> String {
    fn fine(s: &str) -> bool {
        let b = s.as_bytes();
        b.first() == Some(&b'/')
            && !matches!(b.get(1), Some(b'/' | b'\\'))
            && !s.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace())
    }
    match next {
        Some(n) if n.len() <= 2000 && fine(n) && fine(&percent_decode(n)) => {
            let mut out = String::with_capacity(n.len());
            for c in n.chars() {
                if c.is_ascii() {
                    out.push(c);
                } else {
                    let mut buf = [0u8; 4];
                    for byte in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("%{byte:02X}"));
                    }
                }
            }
            out
        }
        _ => "/".to_string(),
    }
}

/// `%XX` → byte (invalid escapes kept as they are), lossily as UTF-8.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hexpair = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (b[i], hexpair.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub async fn login_form(State(state): State<AppState>, ctx: Ctx) -> Response {
    let token = match state.inner.login_csrf.issue(state.app()).await {
        Ok(t) => t,
        Err(e) => return ctx.fail(e).into_response(),
    };
    let next = next_path(query_param(&ctx.query, "next").as_deref());
    let ctx = Ctx {
        notices: Vec::new(),
        csrf: token.clone(),
        ..ctx
    };
    let mut resp = respond(
        &ctx,
        state.page(
            &ctx,
            None,
            "login",
            "login.html",
            minijinja::context! { next => next, error => None::<String> },
        ),
    );
    if let Ok(c) = HeaderValue::from_str(&login_cookie(&token, state.config().secure_cookies)) {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
    /// Checked by the CSRF layer; the form shown again carries it on.
    #[serde(default)]
    csrf: String,
}

pub async fn login(State(state): State<AppState>, ctx: Ctx, Form(form): Form<LoginForm>) -> Response {
    let limiter = &state.inner.limiter;
    let attempt = match limiter.begin(&form.username, &ctx.addr).await {
        Ok(a) => a,
        Err(refusal) => {
            // The account's name only when it exists: the submitted text
            // may be a password typed in the wrong box.
            let account = known_account(&state, &form.username).await;
            let retry_after = refusal.retry_after();
            let error = match refusal {
                Refusal::Account(_) => {
                    tracing::warn!(account = %account.as_deref().unwrap_or("-"), addr = %ctx.addr, retry_after, "login refused: account locked");
                    WebError::TooManyAttempts { retry_after }
                }
                Refusal::Address(_) => {
                    tracing::warn!(account = %account.as_deref().unwrap_or("-"), addr = %ctx.addr, retry_after, "login refused: address slowed down");
                    WebError::TooManyAttempts { retry_after }
                }
                Refusal::Busy(_) => {
                    tracing::warn!(addr = %ctx.addr, "login refused: too many password checks at once");
                    WebError::Busy { retry_after }
                }
            };
            return ctx.fail(error).into_response();
        }
    };
    let cost = state.config().hash_cost;
    let found = state
        .inner
        .users
        .authenticate(state.app(), &form.username, &form.password, cost)
        .await;
    let user = match found {
        Ok(u) => u,
        Err(e) => return ctx.fail(e).into_response(),
    };
    match user {
        Some(user) => {
            limiter.succeeded(attempt);
            let r = async {
                if let Some(old) = crate::cookie_token(&ctx) {
                    state.inner.sessions.remove(state.app(), &old).await?;
                }
                state
                    .inner
                    .sessions
                    .create(state.app(), &user, &state.config().sessions)
                    .await
            }
            .await;
            let token = match r {
                Ok(t) => t,
                Err(e) => return ctx.fail(e).into_response(),
            };
            tracing::info!(account = %user.username, addr = %ctx.addr, "signed in");
            let next = match next_path(form.next.as_deref()).as_str() {
                // A reporter lands on what is due (待报事项).
                "/" | "/login" if user.role == crate::auth::Role::Reporter => "/due".to_string(),
                "/" | "/login" => "/".to_string(),
                n => n.to_string(),
            };
            redirect_with_cookie(&next, session_cookie(&token, state.config().secure_cookies))
        }
        None => {
            drop(attempt);
            let account = known_account(&state, &form.username).await;
            tracing::warn!(account = %account.as_deref().unwrap_or("-"), addr = %ctx.addr, "failed login");
            let next = next_path(form.next.as_deref());
            let ctx = Ctx {
                notices: Vec::new(),
                csrf: form.csrf.clone(),
                ..ctx
            };
            let r = state.page(
                &ctx,
                None,
                "login",
                "login.html",
                minijinja::context! { next => next, error => t(ctx.lang, "login_failed"), username => form.username },
            );
            let mut resp = respond(&ctx, r);
            *resp.status_mut() = StatusCode::UNAUTHORIZED;
            resp
        }
    }
}

/// The stored name of the account a login named, if there is one.
async fn known_account(state: &AppState, username: &str) -> Option<String> {
    match state.app().user_by_name(username).await {
        Ok(u) => u.map(|u| u.username),
        Err(e) => {
            tracing::error!(error = %e, "reading an account for the log");
            None
        }
    }
}

pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> Response {
    if let Some(token) = crate::cookie_token(&ctx) {
        if let Err(e) = state.inner.sessions.remove(state.app(), &token).await {
            return ctx.fail(e).into_response();
        }
    }
    redirect_with_cookie("/public/", clear_session_cookie(state.config().secure_cookies))
}

#[cfg(test)]
mod tests {
    use super::next_path;

    #[test]
    fn next_stays_on_this_site() {
        for bad in [
            "/\t/evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/%0a/evil.example",
            "/%0d%0a/evil.example",
            "/\n/evil.example",
            "/\r\n/evil",
            "/ /evil.example",
            "/\u{a0}/evil.example",
            "/\u{2028}/evil",
            "/\u{0}/evil",
            "/\u{7f}/evil",
            "/a\\b",
            "https://evil.example",
            "http:/evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            " /plans",
            "%2F%2Fevil.example",
            "/a%20b",
        ] {
            assert_eq!(next_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(next_path(None), "/");
        assert_eq!(next_path(Some(&format!("/{}", "a".repeat(2001)))), "/");
        for good in [
            "/",
            "/plans/1",
            "/plans/1?year=2023&lang=en",
            "/entry?plan=1#x",
            "/a%E6%8C%87",
        ] {
            assert_eq!(next_path(Some(good)), good);
        }
        assert_eq!(next_path(Some("/plans/1?q=指标")), "/plans/1?q=%E6%8C%87%E6%A0%87");
    }
}
