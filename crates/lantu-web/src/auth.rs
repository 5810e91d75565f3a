//! Users, roles and passwords.
//!
//! * Passwords are hashed with argon2id (PHC strings).
//! * A session is a random 256-bit token in a `Secure; HttpOnly;
//!   SameSite=Strict` cookie, kept by the store ([`crate::sessions`]).
//!   A login replaces the session (no fixation).
//! * Every state-changing request of the HTML site carries the session's
//!   CSRF token (form field `csrf`, also as a multipart form's first field,
//!   or header `X-CSRF-Token`) or is refused with 403; the login form
//!   carries a signed double-submit token instead.
//! * Login attempts are limited per account, per address and server-wide
//!   ([`crate::limiter`]).
//!
//! Accounts are kept by the application ([`lantu_app::User`]); [`Users`]
//! reads them with a short-lived cache.

use crate::error::WebError;
use crate::i18n::{t, Lang};
use lantu_app::App;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant};

pub use lantu_app::accounts::{
    check_password, hash_password, verify_password, HashCost, NewAccount as NewUser, MIN_PASSWORD,
};
pub use lantu_app::User;
pub use lantu_core::account::Role;

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
            Role::DepartmentApprover => "role_department_approver",
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
    pub async fn of_session(&self, app: &App, session: &Session, ttl: Duration) -> Result<Option<User>, WebError> {
        let id = session.user_id;
        let current = |u: &User| u.active && same(&credential(u), &session.credential);
        if let Some((at, u)) = self.cache.read().unwrap().get(&id) {
            if at.elapsed() < ttl {
                return Ok(Some(u.clone()).filter(current));
            }
        }
        let epoch = self.epoch.load(Ordering::Acquire);
        let u = app.user(id).await?;
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
    pub async fn by_token(&self, app: &App, token: &str) -> Result<Option<User>, WebError> {
        Ok(app.user_by_token_hash(&sha256_hex(token)).await?)
    }

    /// Changes an account and forgets the cached copy.
    pub async fn update(
        &self,
        app: &App,
        id: i64,
        update: &lantu_app::UserUpdate,
        actor: &str,
    ) -> Result<User, WebError> {
        let u = app.update_user(id, update, actor).await;
        self.epoch.fetch_add(1, Ordering::AcqRel);
        self.cache.write().unwrap().remove(&id);
        Ok(u?)
    }

    /// Sets a new password (checked for length, then hashed).
    pub async fn set_password(
        &self,
        app: &App,
        id: i64,
        password: &str,
        cost: HashCost,
        actor: &str,
    ) -> Result<User, WebError> {
        check_password(password)?;
        let hash = hash_password_blocking(password.to_string(), cost).await?;
        let update = lantu_app::UserUpdate {
            password_hash: Some(hash),
            ..Default::default()
        };
        self.update(app, id, &update, actor).await
    }

    /// The user whose name and password match, if active.
    pub async fn authenticate(
        &self,
        app: &App,
        username: &str,
        password: &str,
        cost: HashCost,
    ) -> Result<Option<User>, WebError> {
        let found = app.user_by_name(username).await?.filter(|u| u.active);
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

pub use crate::sessions::{Session, SESSION_COOKIE};
pub const LANG_COOKIE: &str = "lang";

/// What a session remembers of the account's password: a short digest of
/// its hash, which changes with every new password.
pub fn credential(u: &User) -> String {
    sha256_hex(&u.password_hash)[..16].to_string()
}
