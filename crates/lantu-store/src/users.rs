//! User accounts: who may sign in, in which role, for which department.
//! The store keeps them (and the web reads them on every request) so that
//! an account, a changed role or a deactivation survives restarts and is
//! seen at once by every server of a PostgreSQL deployment.
//!
//! The store never sees a password: the web hashes it (argon2id) and hands
//! over the PHC string. API tokens are kept as SHA-256 only. The audit log
//! records every change without the hashes, only that one was set.

use crate::audit::Audit;
use crate::db::col;
use crate::error::{Ctx, Result, StoreError};
use crate::Store;
use lantu_core::account::{department_for, parse_username, username_key, AccountError, Role};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

/// A stored account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The department (code) a reporter reports for.
    pub department: Option<String>,
    #[serde(skip_serializing, default)]
    pub password_hash: String,
    /// SHA-256 (hex) of the user's API token, if one was issued.
    #[serde(skip_serializing, default)]
    pub api_token_hash: Option<String>,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// An account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    /// Empty: the user name.
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
    /// An argon2id PHC string.
    pub password_hash: String,
}

/// Fields to change on an account; `None` keeps the stored value. A new
/// password or a deactivation revokes the API token (unless the same update
/// issues a new one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserUpdate {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    /// `Some(None)` clears the department.
    pub department: Option<Option<String>>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
    /// `Some(None)` revokes the token.
    pub api_token_hash: Option<Option<String>>,
}

/// What the audit log keeps of an account: no hashes, only whether a
/// password or a token changed.
#[derive(Serialize)]
struct Audited<'a> {
    username: &'a str,
    display_name: &'a str,
    role: Role,
    department: Option<&'a str>,
    active: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    password_changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_token: Option<&'static str>,
}

fn audited<'a>(u: &'a User, password_changed: bool, api_token: Option<&'static str>) -> Audited<'a> {
    Audited {
        username: &u.username,
        display_name: &u.display_name,
        role: u.role,
        department: u.department.as_deref(),
        active: u.active,
        password_changed,
        api_token,
    }
}

const SELECT: &str = "SELECT id, username, display_name, role, department, password_hash, api_token_hash, active, \
                      created_at, updated_at FROM users";

fn user_of(r: &AnyRow) -> Result<User> {
    let id: i64 = col(r, "id")?;
    let role: String = col(r, "role")?;
    Ok(User {
        id,
        username: col(r, "username")?,
        display_name: col(r, "display_name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt {
            table: "users",
            id,
            column: "role",
            value: role.clone(),
            what: "not a role".into(),
        })?,
        department: col(r, "department")?,
        password_hash: col(r, "password_hash")?,
        api_token_hash: col(r, "api_token_hash")?,
        active: col::<i32>(r, "active")? != 0,
        created_at: col(r, "created_at")?,
        updated_at: col(r, "updated_at")?,
    })
}

fn display_name(name: &str, username: &str) -> Result<String> {
    let name = name.trim();
    if name.chars().count() > 100 {
        return Err(StoreError::Account(AccountError::DisplayName));
    }
    Ok(if name.is_empty() {
        username.to_string()
    } else {
        name.to_string()
    })
}

impl Store {
    /// Every account, by user name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!("{SELECT} ORDER BY username_key"))
            .fetch_all(&self.pool)
            .await
            .ctx(|| "listing the users".to_string())?;
        rows.iter().map(user_of).collect()
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        let r = sqlx::query(&format!("{SELECT} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .ctx(|| format!("reading user {id}"))?;
        r.as_ref().map(user_of).transpose()
    }

    /// The account of a user name, whatever its case.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        let r = sqlx::query(&format!("{SELECT} WHERE username_key = $1"))
            .bind(username_key(username))
            .fetch_optional(&self.pool)
            .await
            .ctx(|| format!("reading user `{username}`"))?;
        r.as_ref().map(user_of).transpose()
    }

    /// The active account whose API token hashes to `token_hash`.
    pub async fn user_by_token_hash(&self, token_hash: &str) -> Result<Option<User>> {
        let r = sqlx::query(&format!("{SELECT} WHERE api_token_hash = $1 AND active = 1"))
            .bind(token_hash.to_string())
            .fetch_optional(&self.pool)
            .await
            .ctx(|| "reading the user of an API token".to_string())?;
        r.as_ref().map(user_of).transpose()
    }

    /// Whether any account exists (the first start of `lantu serve`
    /// creates the administrator).
    pub async fn has_users(&self) -> Result<bool> {
        let r = sqlx::query("SELECT id FROM users LIMIT 1")
            .fetch_optional(&self.pool)
            .await
            .ctx(|| "counting the users".to_string())?;
        Ok(r.is_some())
    }

    /// Creates an account.
    pub async fn add_user(&self, new: &NewUser, actor: &str) -> Result<User> {
        let username = parse_username(&new.username).map_err(StoreError::Account)?;
        let department = department_for(new.role, new.department.as_deref()).map_err(StoreError::Account)?;
        let display = display_name(&new.display_name, &username)?;
        let id = self
            .write(async |w| {
                let taken = sqlx::query("SELECT id FROM users WHERE username_key = $1")
                    .bind(username_key(&username))
                    .fetch_optional(&mut *w.tx)
                    .await
                    .ctx(|| format!("checking user name `{username}`"))?;
                if taken.is_some() {
                    return Err(StoreError::UsernameTaken(username.clone()));
                }
                let mut audit = Audit::start(&mut w.tx).await?;
                let r = sqlx::query(
                    "INSERT INTO users (username, username_key, display_name, role, department, password_hash, \
                     api_token_hash, active, created_at, created_by, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, NULL, 1, $7, $8, $7, $8) RETURNING id",
                )
                .bind(username.clone())
                .bind(username_key(&username))
                .bind(display.clone())
                .bind(new.role.as_str())
                .bind(department.clone())
                .bind(new.password_hash.clone())
                .bind(audit.at().to_string())
                .bind(actor.to_string())
                .fetch_one(&mut *w.tx)
                .await
                .map_err(|e| match &e {
                    // Another server took the name since the check above.
                    sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::UsernameTaken(username.clone()),
                    _ => StoreError::Db {
                        action: format!("adding user `{username}`"),
                        source: e,
                    },
                })?;
                let id: i64 = col(&r, "id")?;
                audit.track_new("users", "id = $1", &[id]);
                let user = User {
                    id,
                    username: username.clone(),
                    display_name: display.clone(),
                    role: new.role,
                    department: department.clone(),
                    password_hash: String::new(),
                    api_token_hash: None,
                    active: true,
                    created_at: audit.at().to_string(),
                    updated_at: audit.at().to_string(),
                };
                audit.push(
                    actor,
                    "add_user",
                    "user",
                    Some(id),
                    None::<&()>,
                    Some(&audited(&user, true, None)),
                );
                audit.write(w).await?;
                Ok(id)
            })
            .await?;
        self.user(id).await?.ok_or(StoreError::NotFound { entity: "user", id })
    }

    /// Changes an account. A reporter keeps needing a department; any other
    /// role drops it.
    pub async fn update_user(&self, id: i64, update: &UserUpdate, actor: &str) -> Result<User> {
        self.write(async |w| {
            let r = sqlx::query(&format!("{SELECT} WHERE id = $1"))
                .bind(id)
                .fetch_optional(&mut *w.tx)
                .await
                .ctx(|| format!("reading user {id}"))?
                .ok_or(StoreError::NotFound { entity: "user", id })?;
            let before = user_of(&r)?;
            let mut after = before.clone();
            if let Some(n) = &update.display_name {
                after.display_name = display_name(n, &before.username)?;
            }
            if let Some(role) = update.role {
                after.role = role;
            }
            if let Some(d) = &update.department {
                after.department = d.clone();
            }
            after.department = department_for(after.role, after.department.as_deref()).map_err(StoreError::Account)?;
            if let Some(a) = update.active {
                after.active = a;
            }
            if let Some(h) = &update.password_hash {
                after.password_hash = h.clone();
            }
            // A new password or a deactivation also revokes the API token:
            // whoever held the account's credentials holds nothing now.
            if after.password_hash != before.password_hash || (before.active && !after.active) {
                after.api_token_hash = None;
            }
            if let Some(t) = &update.api_token_hash {
                after.api_token_hash = t.clone();
            }
            if after == before {
                return Ok(after);
            }
            let mut audit = Audit::start(&mut w.tx).await?;
            audit.track(&mut w.tx, "users", "id = $1", &[id]).await?;
            after.updated_at = audit.at().to_string();
            sqlx::query(
                "UPDATE users SET display_name = $1, role = $2, department = $3, active = $4, password_hash = $5, \
                 api_token_hash = $6, updated_at = $7, updated_by = $8 WHERE id = $9",
            )
            .bind(after.display_name.clone())
            .bind(after.role.as_str())
            .bind(after.department.clone())
            .bind(i32::from(after.active))
            .bind(after.password_hash.clone())
            .bind(after.api_token_hash.clone())
            .bind(after.updated_at.clone())
            .bind(actor.to_string())
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .ctx(|| format!("updating user `{}`", before.username))?;
            let token = match (&before.api_token_hash, &after.api_token_hash) {
                (a, b) if a == b => None,
                (_, Some(_)) => Some("issued"),
                (_, None) => Some("revoked"),
            };
            audit.push(
                actor,
                "update_user",
                "user",
                Some(id),
                Some(&audited(&before, false, None)),
                Some(&audited(&after, after.password_hash != before.password_hash, token)),
            );
            audit.write(w).await?;
            Ok(after)
        })
        .await
    }
}
