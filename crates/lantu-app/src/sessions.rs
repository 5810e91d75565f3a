//! Sign-in sessions of the web application, kept in the database so that
//! they survive a restart and several servers share them. The web owns
//! what a session means (cookies, expiry, CSRF); these are its records.

use crate::{App, Result};

pub use lantu_store::StoredSession;

impl App {
    /// Stores a session under the SHA-256 of its token.
    pub async fn create_session(&self, id_hash: &str, s: &StoredSession) -> Result<()> {
        Ok(self.store.create_session(id_hash, s).await?)
    }

    /// The session stored under `id_hash`, if it has not expired at `now`
    /// (Unix seconds).
    pub async fn session(&self, id_hash: &str, now: i64) -> Result<Option<StoredSession>> {
        Ok(self.store.session(id_hash, now).await?)
    }

    /// Marks a session seen at `last_seen`, expiring at `expires_at`;
    /// `false` when it is gone.
    pub async fn touch_session(&self, id_hash: &str, last_seen: i64, expires_at: i64) -> Result<bool> {
        Ok(self.store.touch_session(id_hash, last_seen, expires_at).await?)
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        Ok(self.store.delete_session(id_hash).await?)
    }

    /// Deletes the sessions expired at `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64> {
        Ok(self.store.delete_expired_sessions(now).await?)
    }

    /// The web's secret called `name` (a signing key), stored as
    /// `candidate` by the first server that asks.
    pub async fn web_secret(&self, name: &str, candidate: &str) -> Result<String> {
        Ok(self.store.web_secret(name, candidate).await?)
    }
}
