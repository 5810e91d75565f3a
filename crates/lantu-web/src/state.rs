//! What the handlers share: the application, the settings, the caches
//! of views, pages and reports, the login limits.

use crate::auth::{NewUser, Role, RoleLabel, User, Users};
use crate::error::WebError;
use crate::i18n::t;
use crate::limiter::{Limiter, LoginStats};
use crate::sessions::{LoginCsrf, Sessions};
use crate::view::PlanView;
use crate::{cache, load, templates, Config, Ctx, ASSET_VERSION};
use axum::response::{Html, IntoResponse, Response};
use lantu_app::{App, Visibility};
use lantu_core::policy::{Action, Policy};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

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

    pub(crate) fn generation(&self) -> u64 {
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
