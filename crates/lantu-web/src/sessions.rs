//! Sessions of signed-in accounts, kept in the store, and the login form's
//! CSRF cookie.
//!
//! * A session is created at sign-in only: anonymous visitors have none.
//!   The cookie holds a random 256-bit secret; the store keeps its SHA-256
//!   ([`lantu_app::sessions::StoredSession`]), so a copy of the database signs
//!   nobody in. Sessions survive a restart and are seen by every server of
//!   one database.
//! * A session ends after [`SessionLimits::idle`] without use or
//!   [`SessionLimits::absolute`] in all. Its last use is written at most
//!   every [`SessionLimits::touch_every`], so a page view costs no write;
//!   a copy read from the store is reused for [`crate::Config::account_ttl`]
//!   (a sign-out on another server takes effect within that time).
//! * The login form is protected by a signed double-submit cookie
//!   ([`LoginCsrf`]): the form's token equals the cookie's value and
//!   carries an HMAC-SHA256 (key shared by the servers through the store)
//!   of its expiry and a random nonce.

use crate::auth::{credential, hex, random_bytes, same, sha256_hex, User};
use crate::error::WebError;
use hmac::{Hmac, Mac};
use lantu_app::sessions::StoredSession;
use lantu_app::App;
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const SESSION_COOKIE: &str = "lantu_session";
/// The login form's CSRF cookie.
pub const LOGIN_COOKIE: &str = "lantu_login";

/// Unix seconds now.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// How long sessions last (part of [`crate::Config`]).
#[derive(Debug, Clone)]
pub struct SessionLimits {
    pub idle: Duration,
    pub absolute: Duration,
    /// The last use is written at most this often.
    pub touch_every: Duration,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            idle: Duration::from_secs(8 * 3600),
            absolute: Duration::from_secs(24 * 3600),
            touch_every: Duration::from_secs(60),
        }
    }
}

/// A signed-in session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: i64,
    /// [`credential`] of the account at login: a session outlives neither
    /// a new password nor a deactivation, wherever they were made.
    pub credential: String,
    pub csrf: String,
    stored: StoredSession,
}

impl Session {
    fn of(stored: StoredSession) -> Session {
        Session {
            user_id: stored.user_id,
            credential: stored.credential.clone(),
            csrf: stored.csrf.clone(),
            stored,
        }
    }
}

/// The sessions: the store's, with a short-lived copy in memory.
#[derive(Debug, Default)]
pub struct Sessions {
    cache: RwLock<HashMap<String, (Instant, Session)>>,
    /// When expired sessions were last deleted (Unix seconds).
    swept: AtomicI64,
}

impl Sessions {
    /// A new session of a user who has just signed in; returns the cookie
    /// token.
    pub async fn create(&self, app: &App, user: &User, limits: &SessionLimits) -> Result<String, WebError> {
        let now = unix_now();
        if now - self.swept.load(Ordering::Relaxed) > 3600 {
            self.swept.store(now, Ordering::Relaxed);
            let gone = app.delete_expired_sessions(now).await?;
            tracing::debug!(gone, "deleted expired sessions");
        }
        let token = hex(&random_bytes::<32>());
        let stored = StoredSession {
            user_id: user.id,
            credential: credential(user),
            csrf: hex(&random_bytes::<32>()),
            created_at: now,
            last_seen: now,
            expires_at: now.saturating_add(secs(limits.idle.min(limits.absolute))),
        };
        app.create_session(&sha256_hex(&token), &stored).await?;
        Ok(token)
    }

    /// The live session of a cookie token; a copy younger than `ttl` is
    /// reused.
    pub async fn get(
        &self,
        app: &App,
        token: &str,
        limits: &SessionLimits,
        ttl: Duration,
    ) -> Result<Option<Session>, WebError> {
        let key = sha256_hex(token);
        let now = unix_now();
        let cached = self
            .cache
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .filter(|(at, _)| at.elapsed() < ttl)
            .map(|(_, s)| s.clone());
        let mut session = match cached {
            Some(s) if s.stored.expires_at > now => s,
            Some(_) => {
                self.forget(&key);
                return Ok(None);
            }
            None => match app.session(&key, now).await? {
                Some(s) => Session::of(s),
                None => {
                    self.forget(&key);
                    return Ok(None);
                }
            },
        };
        if now - session.stored.last_seen >= secs(limits.touch_every) {
            let expires = now
                .saturating_add(secs(limits.idle))
                .min(session.stored.created_at.saturating_add(secs(limits.absolute)));
            if !app.touch_session(&key, now, expires).await? {
                self.forget(&key);
                return Ok(None);
            }
            session.stored.last_seen = now;
            session.stored.expires_at = expires;
        }
        let mut cache = self.cache.write().unwrap_or_else(|e| e.into_inner());
        if cache.len() > 10_000 {
            cache.retain(|_, (at, _)| at.elapsed() < ttl);
        }
        cache.insert(key, (Instant::now(), session.clone()));
        Ok(Some(session))
    }

    fn forget(&self, key: &str) {
        self.cache.write().unwrap_or_else(|e| e.into_inner()).remove(key);
    }

    /// Ends the session of a cookie token.
    pub async fn remove(&self, app: &App, token: &str) -> Result<(), WebError> {
        let key = sha256_hex(token);
        self.forget(&key);
        app.delete_session(&key).await?;
        Ok(())
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

// ------------------------------------------------------------ login CSRF

/// How long a login form may be left open.
const LOGIN_TOKEN_LIFE: i64 = 2 * 3600;
const KEY_NAME: &str = "login_csrf_key";

/// The signed double-submit token of the login form: `EXPIRY.NONCE.MAC`,
/// the same in the cookie and the form, where MAC is HMAC-SHA256 of
/// `EXPIRY.NONCE` under a key the store shares between servers.
#[derive(Debug, Default)]
pub struct LoginCsrf {
    key: tokio::sync::OnceCell<Vec<u8>>,
}

impl LoginCsrf {
    async fn key(&self, app: &App) -> Result<&[u8], WebError> {
        let k = self
            .key
            .get_or_try_init(|| async {
                let hexkey = app.web_secret(KEY_NAME, &hex(&random_bytes::<32>())).await?;
                Ok::<_, WebError>(hexkey.into_bytes())
            })
            .await?;
        Ok(k)
    }

    fn mac(key: &[u8], payload: &str) -> String {
        // HMAC takes keys of any length.
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
        m.update(payload.as_bytes());
        hex(&m.finalize().into_bytes())
    }

    /// A new token.
    pub async fn issue(&self, app: &App) -> Result<String, WebError> {
        let key = self.key(app).await?;
        let payload = format!("{}.{}", unix_now() + LOGIN_TOKEN_LIFE, hex(&random_bytes::<16>()));
        Ok(format!("{payload}.{}", Self::mac(key, &payload)))
    }

    /// Whether the form's token matches the cookie and is signed and
    /// unexpired.
    pub async fn check(&self, app: &App, cookie: Option<&str>, given: Option<&str>) -> Result<bool, WebError> {
        let (Some(cookie), Some(given)) = (cookie, given) else {
            return Ok(false);
        };
        if !same(cookie, given) {
            return Ok(false);
        }
        let Some((payload, mac)) = given.rsplit_once('.') else {
            return Ok(false);
        };
        let Some(expiry) = payload.split_once('.').and_then(|(e, _)| e.parse::<i64>().ok()) else {
            return Ok(false);
        };
        let key = self.key(app).await?;
        Ok(same(&Self::mac(key, payload), mac) && expiry > unix_now())
    }
}

/// The `Set-Cookie` value of a login token (sent to `/login` only).
pub fn login_cookie(token: &str, secure: bool) -> String {
    format!(
        "{LOGIN_COOKIE}={token}; Path=/login; Max-Age={LOGIN_TOKEN_LIFE}; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}
