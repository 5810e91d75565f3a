//! Holding under load: the data version every cache is keyed by, bounded
//! caches of rendered bytes (public pages, reports), and limits on how many
//! expensive requests (report rendering, imports, exports) run at once.
//!
//! A cached page or report is served only while the data version it was
//! built at is current: the version pairs this server's write generation
//! (bumped by every write made here, seen at once) with the store's
//! ([`lantu_app::App::data_version`]: the newest audit entry, moved by
//! every write from any process — another server, `lantu` on the command
//! line), which is read again at most every [`LoadConfig::version_ttl`].

use crate::error::WebError;
use crate::{AppState, SessionInfo};
use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Settings for load: cache budgets and concurrency limits.
#[derive(Debug, Clone)]
pub struct LoadConfig {
    /// Bytes of rendered public pages kept in memory.
    pub page_cache_bytes: usize,
    /// Bytes of rendered reports kept in memory.
    pub report_cache_bytes: usize,
    /// How long the store's data version is trusted before it is read
    /// again: a write made by another process shows within this time.
    pub version_ttl: Duration,
    /// Reports rendered at once.
    pub reports: usize,
    /// Uploads and imports processed at once.
    pub imports: usize,
    /// Exports (spreadsheet templates) built at once.
    pub exports: usize,
    /// How long a request waits for a turn before it is refused (503).
    pub wait: Duration,
    /// The `Retry-After` of that refusal, in seconds.
    pub retry_after: u64,
}

impl Default for LoadConfig {
    fn default() -> Self {
        LoadConfig {
            page_cache_bytes: 32 << 20,
            report_cache_bytes: 64 << 20,
            version_ttl: Duration::from_secs(1),
            reports: 2,
            imports: 2,
            exports: 4,
            wait: Duration::from_secs(2),
            retry_after: 5,
        }
    }
}

// ---------------------------------------------------------------- version

/// What a cached thing was built from: this server's write generation and
/// the store's data version. Both only grow, so a later reading is never
/// smaller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DataVersion {
    pub(crate) local: u64,
    pub(crate) stored: i64,
}

/// The store's data version as last read, shared by every request.
#[derive(Default)]
pub(crate) struct VersionProbe {
    last: Mutex<Option<(Instant, i64)>>,
    /// One reader at a time: the others wait for its answer.
    refresh: tokio::sync::Mutex<()>,
}

impl VersionProbe {
    fn fresh(&self, ttl: Duration) -> Option<i64> {
        lock(&self.last).filter(|(at, _)| at.elapsed() < ttl).map(|(_, v)| v)
    }

    pub(crate) async fn read(&self, app: &lantu_app::App, ttl: Duration) -> Result<i64, WebError> {
        if let Some(v) = self.fresh(ttl) {
            return Ok(v);
        }
        let _turn = self.refresh.lock().await;
        if let Some(v) = self.fresh(ttl) {
            return Ok(v);
        }
        let v = app.data_version().await?;
        *lock_mut(&self.last) = Some((Instant::now(), v));
        Ok(v)
    }

    /// After a write made here: read the store's version again next time.
    pub(crate) fn forget(&self) {
        *lock_mut(&self.last) = None;
    }
}

fn lock<T: Copy>(m: &Mutex<T>) -> T {
    *m.lock().unwrap_or_else(|e| e.into_inner())
}

fn lock_mut<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl AppState {
    /// The data version now (see the module's documentation).
    pub async fn data_version(&self) -> Result<DataVersion, WebError> {
        let local = self.generation();
        let stored = self
            .inner
            .version
            .read(&self.inner.app, self.inner.config.load.version_ttl)
            .await?;
        Ok(DataVersion { local, stored })
    }
}

// ---------------------------------------------------------------- bytes

/// A rendered response kept in memory: status, the headers that describe
/// the body, the body.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    pub(crate) status: StatusCode,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Bytes,
}

impl Rendered {
    fn size(&self) -> usize {
        self.body.len()
            + self
                .headers
                .iter()
                .map(|(k, v)| k.as_str().len() + v.len())
                .sum::<usize>()
            + 64
    }

    /// The response, marked as served from memory (`X-Cache: hit`) or not.
    pub(crate) fn response(&self, hit: bool) -> Response {
        let mut r = (self.status, Body::from(self.body.clone())).into_response();
        let h = r.headers_mut();
        for (k, v) in &self.headers {
            h.insert(k.clone(), v.clone());
        }
        h.insert(
            HeaderName::from_static("x-cache"),
            HeaderValue::from_static(if hit { "hit" } else { "miss" }),
        );
        r
    }
}

struct Slot {
    version: DataVersion,
    at: Instant,
    used: u64,
    value: Rendered,
}

struct Slots<K> {
    map: HashMap<K, Slot>,
    bytes: usize,
    tick: u64,
}

/// Rendered responses under a byte budget: entries of an older data
/// version are dropped when a newer one comes in, and the least recently
/// used go first when the budget is full.
pub(crate) struct ByteCache<K> {
    budget: usize,
    slots: Mutex<Slots<K>>,
}

impl<K: Hash + Eq + Clone> ByteCache<K> {
    pub(crate) fn new(budget: usize) -> Self {
        ByteCache {
            budget,
            slots: Mutex::new(Slots {
                map: HashMap::new(),
                bytes: 0,
                tick: 0,
            }),
        }
    }

    /// The entry built at `version`, no older than `ttl`.
    pub(crate) fn get(&self, key: &K, version: DataVersion, ttl: Duration) -> Option<Rendered> {
        let mut s = lock_mut(&self.slots);
        s.tick += 1;
        let tick = s.tick;
        let slot = s.map.get_mut(key)?;
        if slot.version == version && slot.at.elapsed() < ttl {
            slot.used = tick;
            return Some(slot.value.clone());
        }
        None
    }

    /// Keeps `value`, built at `version`, unless a newer version is already
    /// kept (it was built from data since changed) or it alone exceeds the
    /// budget.
    pub(crate) fn put(&self, key: K, version: DataVersion, value: Rendered) {
        let size = value.size();
        if size > self.budget {
            return;
        }
        let mut s = lock_mut(&self.slots);
        if s.map.values().any(|slot| slot.version > version) {
            return;
        }
        s.map.retain(|k, slot| slot.version == version && *k != key);
        s.bytes = s.map.values().map(|slot| slot.value.size()).sum();
        while s.bytes + size > self.budget {
            let Some(oldest) = s.map.iter().min_by_key(|(_, slot)| slot.used).map(|(k, _)| k.clone()) else {
                break;
            };
            if let Some(gone) = s.map.remove(&oldest) {
                s.bytes -= gone.value.size();
            }
        }
        s.tick += 1;
        let used = s.tick;
        s.bytes += size;
        s.map.insert(
            key,
            Slot {
                version,
                at: Instant::now(),
                used,
                value,
            },
        );
    }

    /// Bytes held now.
    pub(crate) fn bytes(&self) -> usize {
        lock_mut(&self.slots).bytes
    }
}

// ---------------------------------------------------------------- limits

/// The kinds of expensive request, each with its own number of turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expensive {
    Report,
    Import,
    Export,
}

/// How many expensive requests of each kind run at once.
pub(crate) struct Limits {
    reports: Semaphore,
    imports: Semaphore,
    exports: Semaphore,
    wait: Duration,
    retry_after: u64,
}

impl Limits {
    pub(crate) fn new(c: &LoadConfig) -> Limits {
        Limits {
            reports: Semaphore::new(c.reports),
            imports: Semaphore::new(c.imports),
            exports: Semaphore::new(c.exports),
            wait: c.wait,
            retry_after: c.retry_after,
        }
    }

    /// A turn for one request of `kind`, waited for at most
    /// [`LoadConfig::wait`]; then [`WebError::Busy`] (503 with
    /// `Retry-After`): a burst is refused rather than queued without end.
    pub(crate) async fn enter(&self, kind: Expensive) -> Result<SemaphorePermit<'_>, WebError> {
        let sem = match kind {
            Expensive::Report => &self.reports,
            Expensive::Import => &self.imports,
            Expensive::Export => &self.exports,
        };
        match tokio::time::timeout(self.wait, sem.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => {
                tracing::warn!(target: "lantu_web::load", ?kind, "no turn for an expensive request: refused with 503");
                Err(WebError::Busy {
                    retry_after: self.retry_after,
                })
            }
        }
    }
}

/// The routes whose handlers are expensive as a whole (a report takes its
/// turn in [`crate::pages::report`], after its cache).
fn expensive_route(method: &Method, route: &str) -> Option<Expensive> {
    match (method.as_str(), route) {
        ("POST", "/entry/upload" | "/api/v1/plans/{id}/observations") => Some(Expensive::Import),
        ("GET", "/entry/template.xlsx") => Some(Expensive::Export),
        _ => None,
    }
}

/// Runs an expensive route only with a turn of its kind.
pub(crate) async fn limit_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let Some(kind) = route.and_then(|r| expensive_route(req.method(), &r)) else {
        return next.run(req).await;
    };
    match state.inner.limits.enter(kind).await {
        Ok(_turn) => next.run(req).await,
        Err(e) => {
            if req.uri().path().starts_with("/api/") {
                e.json()
            } else {
                e.page(crate::request_lang(req.headers(), req.uri().query()), false)
            }
        }
    }
}

// ---------------------------------------------------------------- pages

/// The public pages whose HTML depends on nothing but the URL, the
/// language and the data: served from memory to anonymous visitors.
const PUBLIC_PAGES: &[&str] = &[
    "/public/",
    "/public/plans",
    "/public/plans/{id}",
    "/public/plans/{id}/indicators/{code}",
];

/// Serves [`PUBLIC_PAGES`] to anonymous visitors (no session, no API
/// token) from memory, keyed by path and query, language and data
/// version; everyone else gets the page rendered for them.
pub(crate) async fn page_cache_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let cacheable = req.method() == Method::GET
        && req
            .extensions()
            .get::<MatchedPath>()
            .is_some_and(|m| PUBLIC_PAGES.contains(&m.as_str()))
        && req
            .extensions()
            .get::<SessionInfo>()
            .is_none_or(|s| s.session.is_none())
        && !req.headers().contains_key(header::AUTHORIZATION);
    if !cacheable {
        return next.run(req).await;
    }
    let version = match state.data_version().await {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "reading the data version: the page is rendered afresh");
            return next.run(req).await;
        }
    };
    let lang = crate::request_lang(req.headers(), req.uri().query());
    let key = format!("{}|{}", lang.code(), req.uri());
    let cache = &state.inner.pages;
    let ttl = state.inner.config.cache_ttl;
    if let Some(hit) = cache.get(&key, version, ttl) {
        return hit.response(true);
    }
    let resp = next.run(req).await;
    let keep = matches!(
        resp.status(),
        StatusCode::OK | StatusCode::SEE_OTHER | StatusCode::PERMANENT_REDIRECT
    ) && !resp.headers().contains_key(header::SET_COOKIE);
    if !keep {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    // The body is a rendered page already in memory.
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            return WebError::Internal(format!("reading a rendered page: {e}")).page(lang, true);
        }
    };
    let headers = [header::CONTENT_TYPE, header::LOCATION, header::CACHE_CONTROL]
        .into_iter()
        .filter_map(|k| parts.headers.get(&k).map(|v| (k, v.clone())))
        .collect();
    let rendered = Rendered {
        status: parts.status,
        headers,
        body,
    };
    cache.put(key, version, rendered.clone());
    rendered.response(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(n: usize) -> Rendered {
        Rendered {
            status: StatusCode::OK,
            headers: Vec::new(),
            body: Bytes::from(vec![b'x'; n]),
        }
    }

    const V1: DataVersion = DataVersion { local: 0, stored: 1 };
    const V2: DataVersion = DataVersion { local: 0, stored: 2 };
    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn the_budget_holds_and_the_least_recently_used_goes_first() {
        let c = ByteCache::new(3 * 1100);
        for k in ["a", "b", "c"] {
            c.put(k, V1, body(1000));
        }
        assert!(c.get(&"a", V1, HOUR).is_some());
        c.put("d", V1, body(1000));
        assert!(c.bytes() <= 3 * 1100);
        assert!(c.get(&"b", V1, HOUR).is_none(), "b was used least recently");
        assert!(c.get(&"a", V1, HOUR).is_some() && c.get(&"d", V1, HOUR).is_some());
        c.put("huge", V1, body(10_000));
        assert!(c.get(&"huge", V1, HOUR).is_none(), "larger than the budget: not kept");
    }

    #[test]
    fn a_newer_version_drops_the_older_and_an_older_one_is_not_kept() {
        let c = ByteCache::new(1 << 20);
        c.put("a", V1, body(10));
        assert!(c.get(&"a", V2, HOUR).is_none(), "stale");
        c.put("b", V2, body(10));
        assert!(c.get(&"a", V1, HOUR).is_none(), "dropped by the newer version");
        // Built from data read before the newer write: not kept.
        c.put("a", V1, body(10));
        assert!(c.get(&"a", V1, HOUR).is_none());
        assert_eq!(c.bytes(), body(10).size());
        assert!(c.get(&"b", V2, Duration::ZERO).is_none(), "older than the TTL");
    }
}
