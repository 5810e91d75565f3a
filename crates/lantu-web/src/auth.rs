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
//! The user registry ([`Users`]) lives in memory until the store has user
//! tables (see the crate's report for the SQL); `lantu serve` seeds it.

use crate::error::WebError;
use crate::i18n::{t, Lang};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

/// What a user may do (角色).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: users, departments, plan settings; everything.
    Administrator,
    /// 规划部门: reads everything, publishes, edits plan settings.
    Planner,
    /// 部门填报员: enters and submits its own department's figures only.
    Reporter,
    /// 统计审核: approves or returns submitted figures, publishes.
    Reviewer,
    /// 第三方评估: reads everything, writes nothing but comments.
    Evaluator,
    /// 公众: what the public portal shows.
    Public,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Administrator,
        Role::Planner,
        Role::Reporter,
        Role::Reviewer,
        Role::Evaluator,
        Role::Public,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Planner => "planner",
            Role::Reporter => "reporter",
            Role::Reviewer => "reviewer",
            Role::Evaluator => "evaluator",
            Role::Public => "public",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label(self, lang: Lang) -> &'static str {
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

    /// Sees the internal site (dashboard with reviewed figures, tasks,
    /// projects).
    pub fn internal(self) -> bool {
        self != Role::Public
    }

    pub fn can_enter_data(self) -> bool {
        matches!(self, Role::Reporter | Role::Administrator | Role::Planner)
    }

    pub fn can_review(self) -> bool {
        matches!(self, Role::Reviewer | Role::Administrator)
    }

    pub fn can_publish(self) -> bool {
        matches!(self, Role::Reviewer | Role::Planner | Role::Administrator)
    }

    pub fn can_admin(self) -> bool {
        self == Role::Administrator
    }

    pub fn can_edit_settings(self) -> bool {
        matches!(self, Role::Administrator | Role::Planner)
    }

    /// Sees every department's figures, drafts included.
    pub fn sees_all_departments(self) -> bool {
        matches!(
            self,
            Role::Administrator | Role::Planner | Role::Reviewer | Role::Evaluator
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The department (code) a reporter reports for.
    pub department: Option<String>,
    #[serde(skip_serializing)]
    pub password_hash: String,
    /// SHA-256 (hex) of the user's API token, if one was issued.
    #[serde(skip_serializing)]
    pub api_token_hash: Option<String>,
    pub active: bool,
}

/// A new user as the administrator enters it.
#[derive(Debug, Clone, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
    pub password: String,
}

/// Hashing cost: argon2id's defaults (19 MiB, 2 passes) unless set lower
/// for tests.
#[derive(Debug, Clone, Copy)]
pub struct HashCost {
    pub memory_kib: u32,
    pub passes: u32,
}

impl Default for HashCost {
    fn default() -> Self {
        HashCost {
            memory_kib: argon2::Params::DEFAULT_M_COST,
            passes: argon2::Params::DEFAULT_T_COST,
        }
    }
}

fn argon(cost: HashCost) -> Argon2<'static> {
    let params = argon2::Params::new(cost.memory_kib, cost.passes, 1, None).unwrap_or_default();
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
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

/// Hashes a password with argon2id.
pub fn hash_password(password: &str, cost: HashCost) -> Result<String, WebError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).map_err(|e| WebError::Internal(e.to_string()))?;
    argon(cost)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| WebError::Internal(format!("hashing a password: {e}")))
}

/// Checks a password against a PHC string (the parameters come from the
/// string).
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// Compares secrets in constant time.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The user registry (in memory until the store has user tables).
#[derive(Debug, Default)]
pub struct Users {
    inner: RwLock<Vec<User>>,
    /// A hash to verify against when the user name is unknown, so that
    /// unknown names take as long as wrong passwords.
    dummy: RwLock<Option<String>>,
}

impl Users {
    pub fn all(&self) -> Vec<User> {
        self.inner.read().unwrap().clone()
    }

    pub fn get(&self, id: i64) -> Option<User> {
        self.inner.read().unwrap().iter().find(|u| u.id == id).cloned()
    }

    pub fn by_name(&self, username: &str) -> Option<User> {
        let name = username.trim().to_lowercase();
        self.inner
            .read()
            .unwrap()
            .iter()
            .find(|u| u.username.to_lowercase() == name)
            .cloned()
    }

    pub fn by_token(&self, token: &str) -> Option<User> {
        let h = sha256_hex(token);
        self.inner
            .read()
            .unwrap()
            .iter()
            .find(|u| u.active && u.api_token_hash.as_deref().is_some_and(|x| same(x, &h)))
            .cloned()
    }

    pub fn add(&self, new: NewUser, cost: HashCost) -> Result<User, WebError> {
        let username = new.username.trim().to_string();
        if username.is_empty() || username.len() > 64 || username.chars().any(char::is_whitespace) {
            return Err(WebError::BadRequest(
                "用户名不能为空，不能含空格，最长 64 个字符 / the user name must be 1–64 characters without spaces"
                    .into(),
            ));
        }
        if new.password.chars().count() < 8 {
            return Err(WebError::BadRequest(
                "密码至少 8 个字符 / the password needs at least 8 characters".into(),
            ));
        }
        if new.role == Role::Reporter && new.department.as_deref().is_none_or(|d| d.trim().is_empty()) {
            return Err(WebError::BadRequest(
                "部门填报员必须指定部门 / a department reporter needs a department".into(),
            ));
        }
        if self.by_name(&username).is_some() {
            return Err(WebError::BadRequest(format!(
                "用户名 {username} 已存在 / user {username} exists"
            )));
        }
        let hash = hash_password(&new.password, cost)?;
        let mut users = self.inner.write().unwrap();
        let id = users.iter().map(|u| u.id).max().unwrap_or(0) + 1;
        let user = User {
            id,
            username,
            display_name: if new.display_name.trim().is_empty() {
                new.username.trim().to_string()
            } else {
                new.display_name.trim().to_string()
            },
            role: new.role,
            department: new
                .department
                .filter(|d| !d.trim().is_empty())
                .map(|d| d.trim().to_string()),
            password_hash: hash,
            api_token_hash: None,
            active: true,
        };
        users.push(user.clone());
        Ok(user)
    }

    pub fn update(&self, id: i64, f: impl FnOnce(&mut User)) -> Option<User> {
        let mut users = self.inner.write().unwrap();
        let u = users.iter_mut().find(|u| u.id == id)?;
        f(u);
        Some(u.clone())
    }

    /// The user whose name and password match, if active.
    pub fn authenticate(&self, username: &str, password: &str, cost: HashCost) -> Option<User> {
        match self.by_name(username) {
            Some(u) if u.active => verify_password(password, &u.password_hash).then_some(u),
            _ => {
                // Spend the same time as a real check.
                let dummy = {
                    let d = self.dummy.read().unwrap().clone();
                    match d {
                        Some(d) => d,
                        None => {
                            let h = hash_password("not a password", cost).unwrap_or_default();
                            *self.dummy.write().unwrap() = Some(h.clone());
                            h
                        }
                    }
                };
                let _ = verify_password(password, &dummy);
                None
            }
        }
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
    pub csrf: String,
    created: Instant,
    last_seen: Instant,
}

#[derive(Debug, Default)]
pub struct Sessions {
    inner: RwLock<HashMap<String, Session>>,
}

impl Sessions {
    /// A new session; returns the cookie token and the session.
    pub fn create(&self, user_id: Option<i64>) -> (String, Session) {
        let token = hex(&random_bytes::<32>());
        let now = Instant::now();
        let s = Session {
            user_id,
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

    /// Ends every session of a user (password change, deactivation).
    pub fn remove_user(&self, user_id: i64) {
        self.inner.write().unwrap().retain(|_, s| s.user_id != Some(user_id));
    }
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
