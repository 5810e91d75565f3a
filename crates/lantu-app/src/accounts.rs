//! Accounts (账户): passwords, hashed with argon2id — the one place the
//! command line (`lantu user`, `lantu serve`, `lantu demo`) and the web
//! (sign-in, the account and administration pages) hash and check them.

use crate::{App, AppError, Result};
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Argon2, Block};
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

/// Password hashes and checks that may run at once in this process; a
/// further one waits for a turn. The web's login limiter lets as many
/// checks run (`lantu_web::limiter::LoginLimits::checks`).
pub const CONCURRENT_HASHES: usize = 4;

/// argon2id's working memory (19 MiB per hash at the default cost), kept
/// and reused: at most `turns` buffers ever exist, each grown to the
/// largest cost it has served.
///
/// Why not a fresh buffer per check: glibc raises its mmap threshold to
/// the size of the first large block freed, so later 19 MiB buffers come
/// from the per-thread malloc arenas and stay there once freed; a burst of
/// logins on many blocking threads grew the server by ~190 MB that it
/// never gave back.
struct Memory {
    turns: usize,
    state: std::sync::Mutex<Buffers>,
    free: std::sync::Condvar,
}

struct Buffers {
    idle: Vec<Vec<Block>>,
    made: usize,
}

/// A buffer lent out by [`Memory::lend`]; it goes back on drop (also when
/// the hash panics).
struct Lent<'a> {
    memory: &'a Memory,
    blocks: Option<Vec<Block>>,
}

impl Memory {
    const fn new(turns: usize) -> Memory {
        Memory {
            turns,
            state: std::sync::Mutex::new(Buffers {
                idle: Vec::new(),
                made: 0,
            }),
            free: std::sync::Condvar::new(),
        }
    }

    /// A buffer of at least `blocks` blocks; waits while all `turns` are
    /// lent out.
    fn lend(&self, blocks: usize) -> Lent<'_> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut buf = loop {
            if let Some(b) = state.idle.pop() {
                break b;
            }
            if state.made < self.turns.max(1) {
                state.made += 1;
                break Vec::new();
            }
            state = self.free.wait(state).unwrap_or_else(|e| e.into_inner());
        };
        drop(state);
        if buf.len() < blocks {
            buf.resize(blocks, Block::default());
        }
        Lent {
            memory: self,
            blocks: Some(buf),
        }
    }

    #[cfg(test)]
    fn made(&self) -> usize {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).made
    }
}

impl Lent<'_> {
    fn blocks(&mut self, n: usize) -> &mut [Block] {
        let b = self.blocks.as_deref_mut().unwrap_or_default();
        let n = n.min(b.len());
        &mut b[..n]
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(b) = self.blocks.take() {
            let mut state = self.memory.state.lock().unwrap_or_else(|e| e.into_inner());
            state.idle.push(b);
            drop(state);
            self.memory.free.notify_one();
        }
    }
}

static MEMORY: Memory = Memory::new(CONCURRENT_HASHES);

/// argon2's output for `password` and raw `salt` into `out`, in memory
/// lent by `memory`.
fn hash_into(memory: &Memory, argon: &Argon2<'_>, password: &[u8], salt: &[u8], out: &mut [u8]) -> argon2::Result<()> {
    let n = argon.params().block_count();
    let mut lent = memory.lend(n);
    argon.hash_password_into_with_memory(password, salt, out, lent.blocks(n))
}

/// The PHC string of `password` under a B64 `salt` (what
/// [`PasswordHasher::hash_password`] would give, computed in lent memory).
fn hash_with_salt(memory: &Memory, password: &str, salt: SaltString, cost: HashCost) -> Result<String> {
    let fail = |e: &dyn std::fmt::Display| AppError::Internal(format!("hashing a password: {e}"));
    let argon = argon(cost);
    let mut raw_salt = [0u8; 64];
    let raw_salt = salt.as_salt().decode_b64(&mut raw_salt).map_err(|e| fail(&e))?;
    let mut out = [0u8; argon2::Params::DEFAULT_OUTPUT_LEN];
    hash_into(memory, &argon, password.as_bytes(), raw_salt, &mut out).map_err(|e| fail(&e))?;
    let phc = PasswordHash {
        algorithm: argon2::Algorithm::Argon2id.ident(),
        version: Some(argon2::Version::V0x13.into()),
        params: ParamsString::try_from(argon.params()).map_err(|e| fail(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| fail(&e))?),
    };
    Ok(phc.to_string())
}

/// Hashes a password with argon2id.
pub fn hash_password(password: &str, cost: HashCost) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::Internal(format!("the random number generator failed: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(e.to_string()))?;
    hash_with_salt(&MEMORY, password, salt, cost)
}

/// Checks a password against a PHC string (the algorithm, version and
/// parameters come from the string).
pub fn verify_password(password: &str, phc: &str) -> bool {
    verify_in(&MEMORY, password, phc)
}

fn verify_in(memory: &Memory, password: &str, phc: &str) -> bool {
    let check = || -> Option<bool> {
        let h = PasswordHash::new(phc).ok()?;
        let algorithm = argon2::Algorithm::try_from(h.algorithm).ok()?;
        let version = match h.version {
            Some(v) => argon2::Version::try_from(v).ok()?,
            None => argon2::Version::default(),
        };
        let params = argon2::Params::try_from(&h).ok()?;
        let (salt, expected) = (h.salt?, h.hash?);
        let mut raw_salt = [0u8; 64];
        let raw_salt = salt.decode_b64(&mut raw_salt).ok()?;
        let argon = Argon2::new(algorithm, version, params);
        let mut out = vec![0u8; expected.len()];
        hash_into(memory, &argon, password.as_bytes(), raw_salt, &mut out).ok()?;
        // `Output`'s comparison takes constant time.
        Some(Output::new(&out).ok()? == expected)
    };
    check().unwrap_or(false)
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

    /// Hashes stored before the lent memory (made by the crate's own
    /// `PasswordHasher`) still verify, and new hashes are the same strings.
    #[test]
    fn hashes_match_the_crates_own() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let cost = HashCost {
            memory_kib: 2048,
            passes: 2,
        };
        let salt = SaltString::encode_b64(b"sixteen byte slt").unwrap();
        let theirs = argon(cost).hash_password(b"correct horse", &salt).unwrap().to_string();
        let ours = hash_with_salt(&MEMORY, "correct horse", salt, cost).unwrap();
        assert_eq!(ours, theirs);
        assert!(verify_password("correct horse", &theirs));
        assert!(!verify_password("correct horse.", &theirs));
        let mine = hash_password("battery staple", cost).unwrap();
        let parsed = PasswordHash::new(&mine).unwrap();
        assert!(Argon2::default().verify_password(b"battery staple", &parsed).is_ok());
        // Other parameters, versions and variants come from the string.
        for (alg, version) in [
            (argon2::Algorithm::Argon2i, argon2::Version::V0x10),
            (argon2::Algorithm::Argon2d, argon2::Version::V0x13),
        ] {
            let params = argon2::Params::new(1024, 3, 2, Some(24)).unwrap();
            let salt = SaltString::encode_b64(b"another salt!").unwrap();
            let h = Argon2::new(alg, version, params)
                .hash_password(b"pw pw pw pw", &salt)
                .unwrap()
                .to_string();
            assert!(verify_password("pw pw pw pw", &h), "{h}");
            assert!(!verify_password("pw pw pw pX", &h), "{h}");
        }
    }

    /// However many threads hash at once, no more than `turns` buffers are
    /// ever made, and none is lent to two at a time.
    #[test]
    fn memory_is_bounded_and_reused() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static MEM: Memory = Memory::new(2);
        let cost = HashCost {
            memory_kib: 1024,
            passes: 1,
        };
        let h = hash_with_salt(
            &MEM,
            "correct horse",
            SaltString::encode_b64(b"0123456789abcdef").unwrap(),
            cost,
        )
        .unwrap();
        let busy = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for i in 0..8 {
                let (h, busy, peak) = (&h, &busy, &peak);
                s.spawn(move || {
                    {
                        let _lent = MEM.lend(1024);
                        let now = busy.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        busy.fetch_sub(1, Ordering::SeqCst);
                    }
                    assert_eq!(
                        verify_in(&MEM, if i % 2 == 0 { "correct horse" } else { "wrong" }, h),
                        i % 2 == 0
                    );
                });
            }
        });
        assert_eq!(peak.load(Ordering::SeqCst), 2);
        assert_eq!(MEM.made(), 2);
        // A larger cost grows a kept buffer rather than adding one.
        let big = hash_with_salt(
            &MEM,
            "pw pw pw pw",
            SaltString::encode_b64(b"fedcba9876543210").unwrap(),
            HashCost {
                memory_kib: 4096,
                passes: 1,
            },
        )
        .unwrap();
        assert!(verify_in(&MEM, "pw pw pw pw", &big));
        assert_eq!(MEM.made(), 2);
    }
}
