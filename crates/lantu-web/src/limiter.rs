//! Login limits: how many password checks run, and how often a name or an
//! address may try.
//!
//! * An attempt is counted **before** its password is checked, so that a
//!   burst of parallel requests cannot try more than the limit.
//! * Per account (the submitted name, whatever the address): after
//!   [`LoginLimits::per_account`] failures within
//!   [`LoginLimits::window`], further attempts get 429 with `Retry-After`
//!   until the window ends. Never a permanent lock-out: after the window
//!   the right password works again. A success clears that account's count
//!   only.
//! * Per address: after [`LoginLimits::per_address`] failures within the
//!   window, the address is slowed to one attempt per
//!   [`LoginLimits::address_gap`], for every name: an office behind one
//!   NAT keeps signing in, slowly, and a success does not clear it.
//! * Server-wide: at most [`LoginLimits::checks`] password checks (argon2id,
//!   ~19 MiB each) run at once; a request that gets no turn within
//!   [`LoginLimits::check_wait`] is answered 503 with `Retry-After` instead
//!   of queueing without bound.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The limits (part of [`crate::Config`]).
#[derive(Debug, Clone)]
pub struct LoginLimits {
    /// Failed attempts per account name within `window`.
    pub per_account: u32,
    /// Failed attempts per client address within `window` before the
    /// address is slowed down.
    pub per_address: u32,
    /// The counting window, and the longest wait a locked account gets.
    pub window: Duration,
    /// A slowed address's time between two attempts.
    pub address_gap: Duration,
    /// Password checks running at once, server-wide.
    pub checks: usize,
    /// How long a login waits for a turn to check its password.
    pub check_wait: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_account: 10,
            per_address: 50,
            window: Duration::from_secs(15 * 60),
            address_gap: Duration::from_secs(2),
            checks: 4,
            check_wait: Duration::from_secs(3),
        }
    }
}

/// Why an attempt may not go ahead now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The account had too many failures: retry after this many seconds.
    Account(u64),
    /// The address is slowed down: retry after this many seconds.
    Address(u64),
    /// No turn to check the password: the server is busy.
    Busy(u64),
}

impl Refusal {
    pub fn retry_after(self) -> u64 {
        match self {
            Refusal::Account(s) | Refusal::Address(s) | Refusal::Busy(s) => s,
        }
    }
}

#[derive(Debug)]
struct Count {
    failures: u32,
    since: Instant,
    /// The last attempt of a slowed address.
    last: Instant,
}

/// What the limiter has done, for tests and operations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoginStats {
    /// Password checks started.
    pub checked: u64,
    /// The most checks that ran at once.
    pub peak: usize,
}

/// The counters and the check semaphore.
#[derive(Debug)]
pub struct Limiter {
    limits: LoginLimits,
    accounts: Mutex<HashMap<String, Count>>,
    addresses: Mutex<HashMap<String, Count>>,
    checks: Arc<Semaphore>,
    running: AtomicUsize,
    peak: AtomicUsize,
    checked: AtomicU64,
}

/// An attempt that was counted and may check its password; tell the
/// limiter how it went with [`Limiter::succeeded`].
#[derive(Debug)]
pub struct Attempt<'a> {
    limiter: &'a Limiter,
    key: Key,
    _permit: OwnedSemaphorePermit,
}

/// Where an attempt was counted: the account and the address, each with
/// the start of its window.
#[derive(Debug, Clone)]
struct Key {
    account: String,
    account_since: Instant,
    addr: String,
    addr_since: Instant,
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        self.limiter.running.fetch_sub(1, Ordering::AcqRel);
    }
}

fn seconds_left(since: Instant, span: Duration) -> u64 {
    let left = span.saturating_sub(since.elapsed());
    // Round up: a client that waits the advertised time gets through.
    left.as_secs() + u64::from(left.subsec_nanos() > 0)
}

/// The account key of a submitted name: trimmed, lower-cased, bounded.
fn account_key(username: &str) -> String {
    username.trim().to_lowercase().chars().take(64).collect()
}

impl Limiter {
    pub fn new(limits: LoginLimits) -> Limiter {
        Limiter {
            checks: Arc::new(Semaphore::new(limits.checks.max(1))),
            limits,
            accounts: Mutex::new(HashMap::new()),
            addresses: Mutex::new(HashMap::new()),
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            checked: AtomicU64::new(0),
        }
    }

    pub fn stats(&self) -> LoginStats {
        LoginStats {
            checked: self.checked.load(Ordering::Acquire),
            peak: self.peak.load(Ordering::Acquire),
        }
    }

    fn prune(&self, map: &mut HashMap<String, Count>) {
        if map.len() > 10_000 {
            let window = self.limits.window;
            map.retain(|_, c| c.since.elapsed() < window);
        }
    }

    /// Counts an attempt as a failure in advance (a success takes it back)
    /// and waits for a turn to check the password.
    pub async fn begin(&self, username: &str, addr: &str) -> Result<Attempt<'_>, Refusal> {
        let key = self.count(&account_key(username), addr)?;
        let permit = match tokio::time::timeout(self.limits.check_wait, self.checks.clone().acquire_owned()).await {
            Ok(Ok(p)) => p,
            // Closed never happens (the semaphore is never closed); a
            // timeout means the server is busy. The attempt was not
            // checked: it does not count against the account.
            _ => {
                self.uncount(&key, true);
                return Err(Refusal::Busy(1));
            }
        };
        let now = self.running.fetch_add(1, Ordering::AcqRel) + 1;
        self.peak.fetch_max(now, Ordering::AcqRel);
        self.checked.fetch_add(1, Ordering::AcqRel);
        Ok(Attempt {
            limiter: self,
            key,
            _permit: permit,
        })
    }

    /// Checks the limits and counts the attempt.
    fn count(&self, account: &str, addr: &str) -> Result<Key, Refusal> {
        let window = self.limits.window;
        let mut addresses = self.addresses.lock().unwrap_or_else(|e| e.into_inner());
        self.prune(&mut addresses);
        let now = Instant::now();
        let a = addresses.entry(addr.to_string()).or_insert(Count {
            failures: 0,
            since: now,
            last: now,
        });
        if a.since.elapsed() >= window {
            *a = Count {
                failures: 0,
                since: now,
                last: now,
            };
        }
        let slowed = a.failures >= self.limits.per_address;
        if slowed && a.last.elapsed() < self.limits.address_gap {
            return Err(Refusal::Address(seconds_left(a.last, self.limits.address_gap)));
        }
        let mut accounts = self.accounts.lock().unwrap_or_else(|e| e.into_inner());
        self.prune(&mut accounts);
        let c = accounts.entry(account.to_string()).or_insert(Count {
            failures: 0,
            since: now,
            last: now,
        });
        if c.since.elapsed() >= window {
            c.failures = 0;
            c.since = now;
        }
        if c.failures >= self.limits.per_account {
            return Err(Refusal::Account(seconds_left(c.since, window)));
        }
        c.failures += 1;
        c.last = now;
        a.failures = a.failures.saturating_add(1);
        a.last = now;
        Ok(Key {
            account: account.to_string(),
            account_since: c.since,
            addr: addr.to_string(),
            addr_since: a.since,
        })
    }

    /// Takes back an attempt counted in advance (in the same windows): from
    /// the address always, from the account when `account` (else the
    /// account's count starts again).
    fn uncount(&self, key: &Key, account: bool) {
        let mut addresses = self.addresses.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(a) = addresses.get_mut(&key.addr).filter(|a| a.since == key.addr_since) {
            a.failures = a.failures.saturating_sub(1);
        }
        let mut accounts = self.accounts.lock().unwrap_or_else(|e| e.into_inner());
        if accounts.get(&key.account).is_some_and(|c| c.since == key.account_since) {
            if account {
                if let Some(c) = accounts.get_mut(&key.account) {
                    c.failures = c.failures.saturating_sub(1);
                }
            } else {
                accounts.remove(&key.account);
            }
        }
    }

    /// The password was right: the account's count starts again, and the
    /// address's count loses this attempt only (one member of an office
    /// signing in says nothing about the other failures from there).
    pub fn succeeded(&self, attempt: Attempt<'_>) {
        self.uncount(&attempt.key, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> LoginLimits {
        LoginLimits {
            per_account: 3,
            per_address: 5,
            window: Duration::from_millis(400),
            address_gap: Duration::from_millis(200),
            checks: 2,
            check_wait: Duration::from_millis(50),
        }
    }

    #[tokio::test]
    async fn accounts_wait_out_the_window_and_a_success_clears_only_the_account() {
        let l = Limiter::new(limits());
        for _ in 0..3 {
            drop(l.begin("Ann ", "10.0.0.1").await.unwrap());
        }
        let r = l.begin("ann", "10.0.0.2").await.unwrap_err();
        assert!(
            matches!(r, Refusal::Account(s) if s >= 1),
            "{r:?}: keyed by name, whatever the address"
        );
        assert!(l.begin("bob", "10.0.0.1").await.is_ok(), "others go ahead");
        tokio::time::sleep(Duration::from_millis(450)).await;
        let a = l.begin("ann", "10.0.0.1").await.expect("the window passed");
        l.succeeded(a);
        for _ in 0..3 {
            drop(l.begin("ann", "10.0.0.3").await.unwrap());
        }
        assert_eq!(l.stats().checked, 8);
    }

    #[tokio::test]
    async fn an_address_is_slowed_not_locked() {
        let l = Limiter::new(LoginLimits {
            window: Duration::from_secs(10),
            ..limits()
        });
        for i in 0..5 {
            drop(l.begin(&format!("user{i}"), "10.0.0.9").await.unwrap());
        }
        assert!(matches!(l.begin("new", "10.0.0.9").await, Err(Refusal::Address(_))));
        tokio::time::sleep(Duration::from_millis(220)).await;
        // A success does not clear the address.
        let a = l.begin("other", "10.0.0.9").await.unwrap();
        l.succeeded(a);
        assert!(matches!(l.begin("new", "10.0.0.9").await, Err(Refusal::Address(_))));
        tokio::time::sleep(Duration::from_millis(220)).await;
        let a = l.begin("other", "10.0.0.9").await.unwrap();
        l.succeeded(a);
        assert!(matches!(l.begin("new", "10.0.0.9").await, Err(Refusal::Address(_))));
        tokio::time::sleep(Duration::from_millis(220)).await;
        assert!(l.begin("new", "10.0.0.9").await.is_ok(), "one attempt per gap");
        assert!(matches!(l.begin("new2", "10.0.0.9").await, Err(Refusal::Address(_))));
        assert!(
            l.begin("new", "10.0.0.10").await.is_ok(),
            "other addresses are not slowed"
        );
    }

    #[tokio::test]
    async fn checks_at_once_are_bounded_and_busy_attempts_do_not_count() {
        let l = Limiter::new(limits());
        let a = l.begin("a", "1").await.unwrap();
        let b = l.begin("b", "2").await.unwrap();
        assert_eq!(l.begin("c", "3").await.unwrap_err(), Refusal::Busy(1));
        assert_eq!(l.stats().peak, 2);
        drop(a);
        drop(b);
        for _ in 0..3 {
            drop(l.begin("c", "3").await.unwrap());
        }
        assert!(matches!(l.begin("c", "3").await, Err(Refusal::Account(_))));
    }
}
