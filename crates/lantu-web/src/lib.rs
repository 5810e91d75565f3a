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
mod departments;
mod due;
mod entry;
mod error;
mod evidence;
mod format;
mod i18n;
mod input;
mod json;
mod limiter;
mod load;
mod login;
mod pages;
mod publication;
mod request_log;
mod review;
mod search;
mod sessions;
mod templates;
pub mod view;
mod work;
mod workbench;

use crate::auth::{HashCost, NewUser, Role, RoleLabel, Session, User, Users};
use crate::error::{PageError, WebError};
use crate::i18n::{t, Lang};
use crate::limiter::{Limiter, LoginLimits, LoginStats};
use crate::sessions::{LoginCsrf, SessionLimits, Sessions};
use crate::view::PlanView;
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lantu_app::{App, Visibility};
use lantu_core::policy::{Action, Policy};
use serde::Serialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Changes whenever the stylesheet changes (cache busting).
pub const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Settings of the web application.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark session cookies `Secure` (the default). Browsers send secure
    /// cookies over HTTPS and to `localhost`/`127.0.0.1` only; an intranet
    /// server reached over plain HTTP needs this off.
    pub secure_cookies: bool,
    /// Label every page as showing illustrative sample data, whatever the
    /// batches say.
    pub sample_data: bool,
    /// How long a built plan view, page or report is reused at most: they
    /// are keyed by the data version ([`load::DataVersion`]), so this is a
    /// backstop, not what makes a write show.
    pub cache_ttl: Duration,
    /// How long a signed-in account or session read from the store is
    /// reused: a change made by another server of the same database (role,
    /// deactivation, new password, sign-out) takes effect within this time;
    /// changes made here at once.
    pub account_ttl: Duration,
    /// Login attempt limits.
    pub login: LoginLimits,
    /// How long sessions last.
    pub sessions: SessionLimits,
    /// Cost of password hashing.
    pub hash_cost: HashCost,
    /// The SMTP server reminders are e-mailed through; none: in-app
    /// notices only.
    pub smtp: Option<lantu_app::mail::SmtpConfig>,
    /// Cache budgets and limits on expensive requests.
    pub load: load::LoadConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: true,
            sample_data: false,
            cache_ttl: Duration::from_secs(60),
            account_ttl: Duration::from_secs(5),
            hash_cost: HashCost::default(),
            smtp: None,
            login: LoginLimits::default(),
            sessions: SessionLimits::default(),
            load: load::LoadConfig::default(),
        }
    }
}

type CacheKey = (i64, Option<i32>, Visibility);
/// When a view was built, at which data version, and the view.
type Cached = (Instant, load::DataVersion, Arc<PlanView>);
/// A rendered body: data version, when, HTML.
type Fragment = (load::DataVersion, Instant, Arc<str>);

pub(crate) struct Inner {
    pub(crate) app: App,
    pub(crate) config: Config,
    pub(crate) users: Users,
    pub(crate) sessions: Sessions,
    pub(crate) login_csrf: LoginCsrf,
    pub(crate) limiter: Limiter,
    pub(crate) cache: RwLock<HashMap<CacheKey, Cached>>,
    /// Rendered page bodies that depend on nothing but the key (no user,
    /// no CSRF token): write generation, when, HTML.
    pub(crate) fragments: RwLock<HashMap<String, Fragment>>,
    generation: AtomicU64,
    /// The store's data version as last read.
    pub(crate) version: load::VersionProbe,
    /// Public pages for anonymous visitors, by language and URL.
    pub(crate) pages: load::ByteCache<String>,
    /// Rendered reports.
    pub(crate) reports: load::ByteCache<cache::ReportKey>,
    pub(crate) limits: load::Limits,
}

/// Everything the handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

impl AppState {
    pub fn new(app: App, config: Config) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                app,
                limiter: Limiter::new(config.login.clone()),
                version: load::VersionProbe::default(),
                pages: load::ByteCache::new(config.load.page_cache_bytes),
                reports: load::ByteCache::new(config.load.report_cache_bytes),
                limits: load::Limits::new(&config.load),
                config,
                users: Users::default(),
                sessions: Sessions::default(),
                login_csrf: LoginCsrf::default(),
                cache: RwLock::new(HashMap::new()),
                fragments: RwLock::new(HashMap::new()),
                generation: AtomicU64::new(0),
            }),
        }
    }

    pub fn app(&self) -> &App {
        &self.inner.app
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// How many password checks ran, and the most at once.
    pub fn login_stats(&self) -> LoginStats {
        self.inner.limiter.stats()
    }

    /// Adds an account to the store (for `lantu serve`/`demo` and tests);
    /// `actor` is who the audit log names.
    pub async fn add_user(&self, user: NewUser, actor: &str) -> Result<User, WebError> {
        Ok(self
            .inner
            .app
            .add_user(user, self.inner.config.hash_cost, actor)
            .await?)
    }

    pub async fn users(&self) -> Result<Vec<User>, WebError> {
        Ok(self.inner.app.users().await?)
    }

    fn generation(&self) -> u64 {
        self.inner.generation.load(Ordering::Relaxed)
    }

    /// Drops cached views, pages and reports after a write made here (one
    /// made elsewhere shows through the store's data version).
    pub fn changed(&self) {
        self.inner.generation.fetch_add(1, Ordering::Relaxed);
        self.inner.version.forget();
    }

    /// Bytes of rendered pages and reports held in memory.
    pub fn cached_bytes(&self) -> (usize, usize) {
        (self.inner.pages.bytes(), self.inner.reports.bytes())
    }

    /// The plan shown when none is named: the first stored one.
    pub async fn default_plan(&self) -> Result<Option<i64>, WebError> {
        Ok(self.inner.app.default_plan().await?)
    }
}

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
    token: Option<String>,
    session: Option<Session>,
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

#[derive(Serialize)]
struct NavItem {
    key: &'static str,
    label: &'static str,
    url: String,
    badge: Option<usize>,
}

#[derive(Serialize)]
struct UserInfo {
    username: String,
    display_name: String,
    role: &'static str,
    role_label: &'static str,
    department: Option<String>,
    department_name: Option<String>,
}

#[derive(Serialize)]
struct PlanInfo {
    id: i64,
    name: String,
    start_year: i32,
    end_year: i32,
}

impl AppState {
    /// The context every page shares: language, user, CSRF token, plan,
    /// navigation, notices.
    pub(crate) fn base(&self, ctx: &Ctx, plan: Option<&PlanView>, active: &str) -> minijinja::Value {
        let lang = ctx.lang;
        let mut nav = Vec::new();
        if let Some(v) = plan {
            let id = v.plan_id();
            let site = ctx.site();
            let mut item = |key: &'static str, url: String| {
                nav.push(NavItem {
                    key,
                    label: t(lang, key),
                    url,
                    badge: None,
                })
            };
            item("blueprint", site.plan_url(id));
            if !ctx.public {
                item("tasks", format!("/plans/{id}/tasks"));
                item("projects", format!("/plans/{id}/projects"));
                item("comments", format!("/plans/{id}/comments"));
                let role = ctx.role();
                if role.can_enter_data() {
                    item("data_entry", format!("/entry?plan={id}"));
                }
                // A department approver holds a level only where a plan's
                // chain gives it one; the review page says what it may do.
                if role.can_review() || role.can_publish() || role == Role::DepartmentApprover {
                    item("review", format!("/review?plan={id}"));
                }
                if role.internal() {
                    item("due_page", format!("/due?plan={id}"));
                    item("reminders", format!("/reminders?plan={id}"));
                }
                if role.can_admin() || role.can_edit_settings() {
                    item("admin", format!("/admin?plan={id}"));
                }
                if Policy::default().allows_any(role, Action::PublishPlan) {
                    item("publication", format!("/plans/{id}/publication"));
                }
                if Policy::default().allows_any(role, Action::ManageDepartments) {
                    item("registry", "/departments".to_string());
                }
            }
        }
        let user = ctx.user.as_ref().map(|u| UserInfo {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.as_str(),
            role_label: u.role.label(lang),
            department_name: u
                .department
                .as_ref()
                .map(|d| plan.map_or_else(|| d.clone(), |v| v.department_name(d))),
            department: u.department.clone(),
        });
        let plan_info = plan.map(|v| PlanInfo {
            id: v.plan_id(),
            name: v.snapshot.plan.name.clone(),
            start_year: v.snapshot.plan.start_year,
            end_year: v.snapshot.plan.end_year,
        });
        minijinja::context! {
            lang => lang.code(),
            html_lang => lang.html(),
            lang_url => ctx.lang_url(),
            public => ctx.public,
            base => ctx.site().base(),
            user => user,
            csrf => ctx.csrf.clone(),
            plan => plan_info,
            plan_url => plan.map(|v| ctx.site().plan_url(v.plan_id())),
            nav => nav,
            active => active,
            sample_data => plan.is_some_and(|v| v.snapshot.notes.sample_data),
            asset_version => ASSET_VERSION,
            notices => ctx.notices.clone(),
            notices_up_to => ctx.notices.last().map(|n| n.id),
        }
    }

    /// Renders a page: the shared context merged with the page's own.
    pub(crate) fn page(
        &self,
        ctx: &Ctx,
        plan: Option<&PlanView>,
        active: &str,
        template: &str,
        page: minijinja::Value,
    ) -> Result<Response, WebError> {
        let base = self.base(ctx, plan, active);
        let merged = minijinja::context! { ..page, ..base };
        let html = templates::render(template, merged)?;
        Ok(Html(html).into_response())
    }

    /// A page whose body is rendered once per `key` (and write generation)
    /// and reused for every visitor: `body_template` must use nothing
    /// user-specific (no `user`, no `csrf`).
    pub(crate) async fn page_cached(
        &self,
        ctx: &Ctx,
        plan: &PlanView,
        active: &str,
        (key, title): (String, String),
        body_template: &str,
        page: impl FnOnce() -> minijinja::Value,
    ) -> Result<Response, WebError> {
        let generation = self.data_version().await?;
        let ttl = self.inner.config.cache_ttl;
        let hit = self
            .inner
            .fragments
            .read()
            .unwrap()
            .get(&key)
            .filter(|(g, at, _)| *g == generation && at.elapsed() < ttl)
            .map(|(_, _, html)| html.clone());
        let base = self.base(ctx, Some(plan), active);
        let body = match hit {
            Some(b) => b,
            None => {
                let merged = minijinja::context! { ..page(), ..base.clone() };
                let html: Arc<str> = templates::render(body_template, merged)?.into();
                let mut f = self.inner.fragments.write().unwrap();
                if f.len() > 256 {
                    f.clear();
                }
                f.insert(key, (generation, Instant::now(), html.clone()));
                html
            }
        };
        let ctx_all = minijinja::context! { body => body.as_ref(), title => title, ..base };
        Ok(Html(templates::render("shell.html", ctx_all)?).into_response())
    }

    /// A page with a one-line notice.
    pub(crate) fn page_flash(
        &self,
        ctx: &Ctx,
        plan: Option<&PlanView>,
        active: &str,
        template: &str,
        page: minijinja::Value,
        flash: Option<(String, bool)>,
    ) -> Result<Response, WebError> {
        let (flash, kind) = match flash {
            Some((m, ok)) => (Some(m), if ok { "ok" } else { "error" }),
            None => (None, ""),
        };
        let page = minijinja::context! { flash => flash, flash_kind => kind, ..page };
        self.page(ctx, plan, active, template, page)
    }
}

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
async fn session_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
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
