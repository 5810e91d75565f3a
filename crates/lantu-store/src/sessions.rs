//! Web sessions and the web's shared secrets (migration 4).
//!
//! A session belongs to a signed-in account; anonymous visitors have none.
//! The store keeps only a hash of the cookie's secret (the web computes it)
//! and the times that end the session: `expires_at` is the earlier of the
//! idle and the absolute limit, moved on by [`Store::touch_session`]. A
//! session past `expires_at` is never returned, and
//! [`Store::delete_expired_sessions`] drops it. Sessions are not domain
//! data and are not audited; they are written outside the write turn (one
//! statement each), so that a long import does not hold up signing in.

use crate::db::col;
use crate::error::{Ctx, Result};
use crate::Store;
use sqlx::any::AnyRow;

/// A stored session. Times are Unix seconds (UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub user_id: i64,
    /// A digest of the account's password hash at sign-in.
    pub credential: String,
    /// The secret the session's forms carry.
    pub csrf: String,
    pub created_at: i64,
    pub last_seen: i64,
    pub expires_at: i64,
}

fn session_of(r: &AnyRow) -> Result<StoredSession> {
    Ok(StoredSession {
        user_id: col(r, "user_id")?,
        credential: col(r, "credential")?,
        csrf: col(r, "csrf")?,
        created_at: col(r, "created_at")?,
        last_seen: col(r, "last_seen")?,
        expires_at: col(r, "expires_at")?,
    })
}

impl Store {
    /// Stores a new session under the hash of its cookie secret.
    pub async fn create_session(&self, id_hash: &str, s: &StoredSession) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, credential, csrf, created_at, last_seen, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id_hash.to_string())
        .bind(s.user_id)
        .bind(s.credential.clone())
        .bind(s.csrf.clone())
        .bind(s.created_at)
        .bind(s.last_seen)
        .bind(s.expires_at)
        .execute(&self.pool)
        .await
        .ctx(|| format!("storing a session of user {}", s.user_id))?;
        Ok(())
    }

    /// The session stored under `id_hash`, unless it expired before `now`.
    pub async fn session(&self, id_hash: &str, now: i64) -> Result<Option<StoredSession>> {
        let r = sqlx::query(
            "SELECT user_id, credential, csrf, created_at, last_seen, expires_at FROM sessions \
             WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(id_hash.to_string())
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .ctx(|| "reading a session".to_string())?;
        r.as_ref().map(session_of).transpose()
    }

    /// Records that the session was used at `last_seen` and now ends at
    /// `expires_at`; false when it is gone (signed out, expired, dropped).
    pub async fn touch_session(&self, id_hash: &str, last_seen: i64, expires_at: i64) -> Result<bool> {
        let r =
            sqlx::query("UPDATE sessions SET last_seen = $1, expires_at = $2 WHERE id_hash = $3 AND expires_at > $1")
                .bind(last_seen)
                .bind(expires_at)
                .bind(id_hash.to_string())
                .execute(&self.pool)
                .await
                .ctx(|| "recording a session's use".to_string())?;
        Ok(r.rows_affected() > 0)
    }

    /// Ends a session (sign-out, or a session whose account changed).
    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash.to_string())
            .execute(&self.pool)
            .await
            .ctx(|| "deleting a session".to_string())?;
        Ok(())
    }

    /// Drops every session that expired before `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .ctx(|| "deleting expired sessions".to_string())?;
        Ok(r.rows_affected())
    }

    /// How many sessions are stored, expired or not (for tests and
    /// operations).
    pub async fn session_count(&self) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM sessions")
            .fetch_one(&self.pool)
            .await
            .ctx(|| "counting sessions".to_string())?;
        col(&r, "n")
    }

    /// The web secret called `name`: the stored one, or `candidate` stored
    /// now when there is none yet. Every server of the database ends up
    /// with the same value, whichever stored it first.
    pub async fn web_secret(&self, name: &str, candidate: &str) -> Result<String> {
        sqlx::query("INSERT INTO web_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name.to_string())
            .bind(candidate.to_string())
            .execute(&self.pool)
            .await
            .ctx(|| format!("storing the web secret `{name}`"))?;
        let r = sqlx::query("SELECT value FROM web_secrets WHERE name = $1")
            .bind(name.to_string())
            .fetch_one(&self.pool)
            .await
            .ctx(|| format!("reading the web secret `{name}`"))?;
        col(&r, "value")
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::fresh_store;
    use crate::{NewUser, StoredSession};
    use lantu_core::account::Role;

    #[tokio::test]
    async fn sessions_expire_and_secrets_are_shared() {
        let store = fresh_store().await;
        let u = store
            .add_user(
                &NewUser {
                    username: "ann".into(),
                    display_name: String::new(),
                    role: Role::Planner,
                    department: None,
                    password_hash: "$argon2id$x".into(),
                },
                "test",
            )
            .await
            .unwrap();
        let s = StoredSession {
            user_id: u.id,
            credential: "c".into(),
            csrf: "k".into(),
            created_at: 100,
            last_seen: 100,
            expires_at: 200,
        };
        store.create_session("h1", &s).await.unwrap();
        assert_eq!(store.session("h1", 150).await.unwrap(), Some(s.clone()));
        assert_eq!(store.session("h1", 200).await.unwrap(), None, "expired");
        assert_eq!(store.session("other", 150).await.unwrap(), None);
        assert!(store.touch_session("h1", 190, 290).await.unwrap());
        assert_eq!(store.session("h1", 250).await.unwrap().unwrap().last_seen, 190);
        assert!(!store.touch_session("h1", 300, 400).await.unwrap(), "no revival");
        assert_eq!(store.delete_expired_sessions(300).await.unwrap(), 1);
        assert_eq!(store.session_count().await.unwrap(), 0);
        store.create_session("h2", &s).await.unwrap();
        store.delete_session("h2").await.unwrap();
        assert_eq!(store.session_count().await.unwrap(), 0);

        let first = store.web_secret("k", "one").await.unwrap();
        assert_eq!(first, "one");
        assert_eq!(store.web_secret("k", "two").await.unwrap(), "one", "the first stays");
    }
}
