//! Users, roles, sessions, CSRF tokens and the login rate limit.
//!
//! * Passwords are hashed with argon2id (PHC strings).
//! * A session is a random 256-bit token in a `Secure; HttpOnly;
//!   SameSite=Strict` cookie; the server keeps the session (user, CSRF
//!   token, times) in memory and only a SHA-256 of the token as its key.
//!   A login replaces the session (no fixation). Sessions end after 8 hours
//!   idle or 24 hours in all.
//! * Every state-changing request of the HTML site carries the session's
//!   CSRF token (form field `csrf`, header `X-CSRF-Token`, or `?csrf=` on a
//!   multipart upload) or is refused with 403 ([`csrf_layer`]).
//! * Ten wrong passwords in a row for one user name (or fifty from one
//!   address) lock further attempts for 5·2^(n−10) seconds, at most 15
//!   minutes: the response is 429 with `Retry-After`.
//!
//! Accounts are kept by the store ([`lantu_store::User`]); [`Users`] reads
//! them with a short-lived cache. Sessions live in this process's memory:
//! a restart signs everyone out.

use crate::error::WebError;
use crate::i18n::{t, Lang};
use lantu_store::Store;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

pub use lantu_app::accounts::{
    check_password, hash_password, verify_password, HashCost, NewAccount as NewUser, MIN_PASSWORD,
};
pub use lantu_core::account::Role;
pub use lantu_store::User;

/// A role's name in the page's language.
pub trait RoleLabel {
    fn label(self, lang: Lang) -> &'static str;
}

impl RoleLabel for Role {
    fn label(self, lang: Lang) -> &'static str {
        let key = match self {
            Role::Administrator => "role_administrator",
            Role::Planner => "role_planner",
            Role::Reporter => "role_reporter",
            Role::Reviewer => "role_reviewer",
            Role::Evaluator => "role_evaluator",
            Role::Public => "role_public",
        };
        t(lang, key)
    }
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the operating system's random number generator failed");
    b
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// Compares secrets in constant time.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hashes off the async threads: argon2id takes tens of milliseconds.
pub async fn hash_password_blocking(password: String, cost: HashCost) -> Result<String, WebError> {
    Ok(tokio::task::spawn_blocking(move || hash_password(&password, cost))
        .await
        .map_err(|e| WebError::Internal(format!("hashing a password: {e}")))??)
}

/// The accounts, kept by the store, with a short-lived cache so that a
/// page view does not cost a query for its user.
#[derive(Debug, Default)]
pub struct Users {
    cache: RwLock<HashMap<i64, (Instant, User)>>,
    /// Bumped by every change made here: a read that began before a change
    /// does not put its stale copy in the cache.
    epoch: AtomicU64,
    /// A hash to verify against when the user name is unknown, so that
    /// unknown names take as long as wrong passwords.
    dummy: tokio::sync::OnceCell<String>,
}

impl Users {
    /// The account of a session, if it exists, is active and still has the
    /// password the session signed in with; a copy read less than `ttl` ago
    /// is reused.
    pub async fn of_session(&self, store: &Store, session: &Session, ttl: Duration) -> Result<Option<User>, WebError> {
        let Some(id) = session.user_id else {
            return Ok(None);
        };
        let current = |u: &User| u.active && same(&credential(u), &session.credential);
        if let Some((at, u)) = self.cache.read().unwrap().get(&id) {
            if at.elapsed() < ttl {
                return Ok(Some(u.clone()).filter(current));
            }
        }
        let epoch = self.epoch.load(Ordering::Acquire);
        let u = store.user(id).await?;
        let mut cache = self.cache.write().unwrap();
        match &u {
            Some(u) if self.epoch.load(Ordering::Acquire) == epoch => {
                cache.insert(id, (Instant::now(), u.clone()));
            }
            _ => {
                cache.remove(&id);
            }
        }
        Ok(u.filter(current))
    }

    /// The active account of an API token.
    pub async fn by_token(&self, store: &Store, token: &str) -> Result<Option<User>, WebError> {
        Ok(store.user_by_token_hash(&sha256_hex(token)).await?)
    }

    /// Changes an account and forgets the cached copy.
    pub async fn update(
        &self,
        store: &Store,
        id: i64,
        update: &lantu_store::UserUpdate,
        actor: &str,
    ) -> Result<User, WebError> {
        let u = store.update_user(id, update, actor).await;
        self.epoch.fetch_add(1, Ordering::AcqRel);
        self.cache.write().unwrap().remove(&id);
        Ok(u?)
    }

    /// Sets a new password (checked for length, then hashed).
    pub async fn set_password(
        &self,
        store: &Store,
        id: i64,
        password: &str,
        cost: HashCost,
        actor: &str,
    ) -> Result<User, WebError> {
        check_password(password)?;
        let hash = hash_password_blocking(password.to_string(), cost).await?;
        let update = lantu_store::UserUpdate {
            password_hash: Some(hash),
            ..Default::default()
        };
        self.update(store, id, &update, actor).await
    }

    /// The user whose name and password match, if active.
    pub async fn authenticate(
        &self,
        store: &Store,
        username: &str,
        password: &str,
        cost: HashCost,
    ) -> Result<Option<User>, WebError> {
        let found = store.user_by_name(username).await?.filter(|u| u.active);
        let phc = match &found {
            Some(u) => u.password_hash.clone(),
            // Spend the same time as a real check.
            None => self
                .dummy
                .get_or_try_init(|| hash_password_blocking("not a password".into(), cost))
                .await?
                .clone(),
        };
        let password = password.to_string();
        let ok = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
            .await
            .map_err(|e| WebError::Internal(format!("checking a password: {e}")))?;
        Ok(found.filter(|_| ok))
    }
}

// ---------------------------------------------------------------- sessions

pub const SESSION_COOKIE: &str = "lantu_session";
pub const LANG_COOKIE: &str = "lang";
const IDLE: Duration = Duration::from_secs(8 * 3600);
const ABSOLUTE: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: Option<i64>,
    /// [`credential`] of the account at login: a session outlives neither
    /// a new password nor a deactivation, wherever they were made.
    pub credential: String,
    pub csrf: String,
    created: Instant,
    last_seen: Instant,
}

#[derive(Debug, Default)]
pub struct Sessions {
    inner: RwLock<HashMap<String, Session>>,
}

impl Sessions {
    /// A new session (anonymous, or of a user who has just signed in);
    /// returns the cookie token and the session.
    pub fn create(&self, user: Option<&User>) -> (String, Session) {
        let token = hex(&random_bytes::<32>());
        let now = Instant::now();
        let s = Session {
            user_id: user.map(|u| u.id),
            credential: user.map(credential).unwrap_or_default(),
            csrf: hex(&random_bytes::<32>()),
            created: now,
            last_seen: now,
        };
        let mut map = self.inner.write().unwrap();
        if map.len() > 1000 {
            map.retain(|_, s| s.last_seen.elapsed() < IDLE && s.created.elapsed() < ABSOLUTE);
        }
        map.insert(sha256_hex(&token), s.clone());
        (token, s)
    }

    /// The live session of a cookie token.
    pub fn get(&self, token: &str) -> Option<Session> {
        let key = sha256_hex(token);
        {
            let map = self.inner.read().unwrap();
            let s = map.get(&key)?;
            if s.last_seen.elapsed() < Duration::from_secs(60) && s.created.elapsed() < ABSOLUTE {
                return Some(s.clone());
            }
        }
        let mut map = self.inner.write().unwrap();
        let s = map.get_mut(&key)?;
        if s.last_seen.elapsed() >= IDLE || s.created.elapsed() >= ABSOLUTE {
            map.remove(&key);
            return None;
        }
        s.last_seen = Instant::now();
        Some(s.clone())
    }

    pub fn remove(&self, token: &str) {
        self.inner.write().unwrap().remove(&sha256_hex(token));
    }
}

/// What a session remembers of the account's password: a short digest of
/// its hash, which changes with every new password.
pub fn credential(u: &User) -> String {
    sha256_hex(&u.password_hash)[..16].to_string()
}

/// The `Set-Cookie` value of a session token.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_session_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

// ------------------------------------------------------------- rate limit

/// Consecutive failed logins per user name and per client address.
#[derive(Debug, Default)]
pub struct Limiter {
    inner: Mutex<HashMap<String, (u32, Instant)>>,
}

/// Failures in a row before attempts are slowed down.
pub const FREE_ATTEMPTS: u32 = 10;
const ADDRESS_ATTEMPTS: u32 = 50;
const MAX_LOCK: u64 = 15 * 60;

fn lock_seconds(failures: u32, free: u32) -> u64 {
    if failures < free {
        0
    } else {
        5u64.checked_shl(failures - free).unwrap_or(MAX_LOCK).min(MAX_LOCK)
    }
}

impl Limiter {
    fn keys(username: &str, addr: &str) -> [(String, u32); 2] {
        [
            (format!("u:{}", username.trim().to_lowercase()), FREE_ATTEMPTS),
            (format!("a:{addr}"), ADDRESS_ATTEMPTS),
        ]
    }

    /// Seconds to wait before another attempt may be made; 0 = go ahead.
    pub fn wait(&self, username: &str, addr: &str) -> u64 {
        let map = self.inner.lock().unwrap();
        Self::keys(username, addr)
            .iter()
            .filter_map(|(k, free)| {
                let (n, last) = map.get(k)?;
                let lock = lock_seconds(*n, *free);
                let passed = last.elapsed().as_secs();
                (lock > passed).then(|| lock - passed)
            })
            .max()
            .unwrap_or(0)
    }

    pub fn failed(&self, username: &str, addr: &str) {
        let mut map = self.inner.lock().unwrap();
        if map.len() > 10_000 {
            map.retain(|_, (_, last)| last.elapsed().as_secs() < MAX_LOCK);
        }
        for (k, _) in Self::keys(username, addr) {
            let e = map.entry(k).or_insert((0, Instant::now()));
            e.0 += 1;
            e.1 = Instant::now();
        }
    }

    pub fn succeeded(&self, username: &str, addr: &str) {
        let mut map = self.inner.lock().unwrap();
        for (k, _) in Self::keys(username, addr) {
            map.remove(&k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords() {
        let cost = HashCost {
            memory_kib: 1024,
            passes: 1,
        };
        let h = hash_password("correct horse", cost).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
    }

    #[test]
    fn lockout_grows() {
        assert_eq!(lock_seconds(9, 10), 0);
        assert_eq!(lock_seconds(10, 10), 5);
        assert_eq!(lock_seconds(13, 10), 40);
        assert_eq!(lock_seconds(60, 10), MAX_LOCK);
        let l = Limiter::default();
        for _ in 0..10 {
            assert_eq!(l.wait("a", "127.0.0.1"), 0);
            l.failed("a", "127.0.0.1");
        }
        assert!(l.wait("a", "127.0.0.1") >= 1);
        assert!(
            l.wait("A ", "127.0.0.2") >= 1,
            "keyed by user name, whatever the address"
        );
        assert_eq!(l.wait("b", "127.0.0.1"), 0, "others are not locked out");
        l.succeeded("a", "127.0.0.1");
        assert_eq!(l.wait("a", "127.0.0.1"), 0);
    }
}
