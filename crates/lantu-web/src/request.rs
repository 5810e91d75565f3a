//! Who is asking, in which language, on which site: the `Ctx` every
//! handler takes, read from the request by its extractor.

use crate::auth::{Role, Session, User};
use crate::error::{PageError, WebError};
use crate::i18n::Lang;
use crate::{auth, request_log, view, AppState};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use lantu_app::Visibility;

// ---------------------------------------------------------------- request

/// What a page handler returns.
pub(crate) type PageResult = Result<Response, WebError>;

/// The response, or the error as a page (or JSON, for the API).
pub(crate) fn respond(ctx: &Ctx, r: PageResult) -> Response {
    match r {
        Ok(r) => r,
        Err(e) => ctx.fail(e).into_response(),
    }
}

/// The session cookie's token and session, found by [`session_layer`].
#[derive(Debug, Clone, Default)]
pub(crate) struct SessionInfo {
    pub(crate) token: Option<String>,
    pub(crate) session: Option<Session>,
}

/// Who is asking, in which language, on which site.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    /// The language of the API's messages: `Accept-Language`, else Chinese.
    pub api_lang: Lang,
    pub user: Option<User>,
    /// The session's CSRF token (empty without a session).
    pub csrf: String,
    pub public: bool,
    /// Authenticated by an API token rather than a session.
    pub by_token: bool,
    pub path: String,
    pub query: String,
    pub addr: String,
    /// The session cookie's token.
    pub(crate) token: Option<String>,
    /// The signed-in user's unread notices (reminders), shown on every
    /// page until marked read.
    pub(crate) notices: Vec<lantu_app::Notice>,
}

pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub(crate) fn query_param(query: &str, name: &str) -> Option<String> {
    serde_urlencoded_pairs(query)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// `a=1&b=%E4%B8%AD` → pairs, decoded.
pub(crate) fn serde_urlencoded_pairs(s: &str) -> Vec<(String, String)> {
    fn dec(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                        Ok(b) => {
                            out.push(b);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (dec(k), dec(v)),
            None => (dec(p), String::new()),
        })
        .collect()
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("").to_string();
        let lang = query_param(&query, "lang")
            .and_then(|l| Lang::parse(&l))
            .or_else(|| cookie(&parts.headers, auth::LANG_COOKIE).and_then(Lang::parse))
            .unwrap_or_default();
        let info = parts.extensions.get::<SessionInfo>().cloned().unwrap_or_default();
        let mut by_token = false;
        // A store that cannot be read leaves the request anonymous: it
        // then sees public data only, never more.
        let mut user = match info.session.as_ref() {
            Some(session) => match state
                .inner
                .users
                .of_session(&state.inner.app, session, state.inner.config.account_ttl)
                .await
            {
                Ok(Some(u)) => Some(u),
                // Signed out for good once the account is deactivated or its
                // password changed (here, on another server or by `lantu
                // user`).
                Ok(None) => {
                    if let Some(t) = &info.token {
                        if let Err(e) = state.inner.sessions.remove(&state.inner.app, t).await {
                            tracing::error!(error = %e, "ending a session");
                        }
                    }
                    None
                }
                Err(e) => {
                    tracing::error!(error = %e, "reading a session's user");
                    None
                }
            },
            None => None,
        };
        if let Some(token) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        {
            user = state
                .inner
                .users
                .by_token(&state.inner.app, token.trim())
                .await
                .unwrap_or_else(|e| {
                    tracing::error!(error = %e, "reading an API token's user");
                    None
                });
            by_token = true;
        }
        let addr = request_log::client_addr(&parts.extensions);
        if let (Some(u), Some(log)) = (&user, parts.extensions.get::<request_log::LogAccount>()) {
            log.set(&u.username);
        }
        let path = parts.uri.path().to_string();
        let notices = match &user {
            Some(u) if !by_token && !path.starts_with("/api/") && !path.starts_with("/public") => {
                state.inner.app.notices(u).await.unwrap_or_else(|e| {
                    tracing::error!(error = %e, "reading notices");
                    Vec::new()
                })
            }
            _ => Vec::new(),
        };
        let api_lang = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
            .unwrap_or_default();
        Ok(Ctx {
            notices,
            lang,
            api_lang,
            public: path == "/public" || path.starts_with("/public/"),
            csrf: info.session.map(|s| s.csrf).unwrap_or_default(),
            token: info.token,
            user,
            by_token,
            path,
            query,
            addr,
        })
    }
}

impl Ctx {
    pub fn role(&self) -> Role {
        self.user.as_ref().map_or(Role::Public, |u| u.role)
    }

    /// The user, or a redirect to the login page.
    pub fn require_user(&self) -> Result<&User, WebError> {
        self.user.as_ref().ok_or_else(|| WebError::LoginRequired {
            next: if self.query.is_empty() {
                self.path.clone()
            } else {
                format!("{}?{}", self.path, self.query)
            },
        })
    }

    /// A logged-in member of staff (any role but public).
    pub fn require_internal(&self) -> Result<&User, WebError> {
        let u = self.require_user()?;
        if u.role.internal() {
            Ok(u)
        } else {
            Err(WebError::Forbidden(
                "the public role sees the public portal only".into(),
            ))
        }
    }

    pub fn visibility(&self) -> Visibility {
        if self.public || !self.role().internal() {
            Visibility::Public
        } else {
            Visibility::Internal
        }
    }

    pub fn site(&self) -> view::Site {
        view::Site { public: self.public }
    }

    /// The error as a page in this request's language.
    pub fn fail(&self, error: WebError) -> PageError {
        PageError {
            error,
            lang: self.lang,
            public: self.public,
        }
    }

    /// This page in the other language.
    pub fn lang_url(&self) -> String {
        let other = if self.lang == Lang::Zh { "en" } else { "zh" };
        let mut pairs: Vec<(String, String)> = serde_urlencoded_pairs(&self.query)
            .into_iter()
            .filter(|(k, _)| k != "lang")
            .collect();
        pairs.push(("lang".into(), other.into()));
        let q: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", view::enc(k), view::enc(v)))
            .collect();
        format!("{}?{}", self.path, q.join("&"))
    }
}
