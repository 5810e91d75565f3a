//! Accounts (账户): passwords, hashed with argon2id — the one place the
//! command line (`lantu user`, `lantu serve`, `lantu demo`) and the web
//! (sign-in, the account and administration pages) hash and check them.

use crate::{App, AppError, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use lantu_core::account::Role;
use lantu_store::User;
use serde::Deserialize;

/// A new account as an administrator (or `lantu serve`, `lantu demo`)
/// enters it.
#[derive(Debug, Clone, Deserialize)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
    pub password: String,
}

/// Refuses a password shorter than [`MIN_PASSWORD`].
pub fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::Invalid(
            "密码至少 8 个字符 / the password needs at least 8 characters".into(),
        ));
    }
    Ok(())
}

impl App {
    /// Adds an account: checks the name, the department its role needs and
    /// the password, hashes the password (`cost`) and stores the account,
    /// audited as `actor`'s doing. The store checks the name is free, in the
    /// same transaction.
    pub async fn add_user(&self, new: NewAccount, cost: HashCost, actor: &str) -> Result<User> {
        lantu_core::account::parse_username(&new.username).map_err(|e| AppError::Invalid(e.to_string()))?;
        lantu_core::account::department_for(new.role, new.department.as_deref())
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        check_password(&new.password)?;
        self.check_account_department(new.department.as_deref()).await?;
        // argon2id takes tens of milliseconds: off the async threads.
        let hash = tokio::task::spawn_blocking(move || hash_password(&new.password, cost).map(|h| (h, new)))
            .await
            .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))?;
        let (hash, new) = hash?;
        Ok(self
            .store
            .add_user(
                &lantu_store::NewUser {
                    username: new.username,
                    display_name: new.display_name,
                    role: new.role,
                    department: new.department,
                    password_hash: hash,
                },
                actor,
            )
            .await?)
    }
}

/// Minimum password length, in characters.
/// Reading and changing accounts (the adapters' account caches and sign-in
/// call these; who may change whom is [`App::change_account`]'s rule).
impl App {
    /// Every account.
    pub async fn users(&self) -> Result<Vec<User>> {
        Ok(self.store.users().await?)
    }

    /// The account with id `id`, if any.
    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        Ok(self.store.user(id).await?)
    }

    /// The account named `username`, if any (active or not).
    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        Ok(self.store.user_by_name(username).await?)
    }

    /// The active account whose API token hashes (SHA-256, hex) to `hash`.
    pub async fn user_by_token_hash(&self, hash: &str) -> Result<Option<User>> {
        Ok(self.store.user_by_token_hash(hash).await?)
    }

    /// Changes account `id` as `actor` (audited).
    pub async fn update_user(&self, id: i64, update: &lantu_store::UserUpdate, actor: &str) -> Result<User> {
        Ok(self.store.update_user(id, update, actor).await?)
    }
}

pub const MIN_PASSWORD: usize = 8;

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

/// Hashes a password with argon2id.
pub fn hash_password(password: &str, cost: HashCost) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::Internal(format!("the random number generator failed: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(e.to_string()))?;
    argon(cost)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))
}

/// Checks a password against a PHC string (the parameters come from the
/// string).
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let cost = HashCost {
            memory_kib: 1024,
            passes: 1,
        };
        let h = hash_password("correct horse", cost).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("correct horse", "not a hash"));
    }
}
