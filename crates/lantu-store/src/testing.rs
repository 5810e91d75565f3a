//! Test support for this crate and its users (CLI, web): a fresh, empty,
//! migrated store per test, on the backend `LANTU_TEST_DATABASE_URL` names.
//!
//! * unset or `sqlite…`: a new SQLite file in the temp directory, removed
//!   when the [`TestStore`] is dropped;
//! * `postgres://…`: a new schema `lantu_test_<random>` in that database
//!   (every pooled connection has it as `search_path`), dropped when the
//!   [`TestStore`] is dropped.
//!
//! ```no_run
//! # async fn t() {
//! let store = lantu_store::testing::fresh_store().await;
//! assert!(store.plans().await.unwrap().is_empty());
//! # }
//! ```

#![doc(hidden)]

use crate::{Backend, Store};
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The variable that selects the test database.
pub const URL_VAR: &str = "LANTU_TEST_DATABASE_URL";

/// A store that cleans up after itself.
pub struct TestStore {
    store: Store,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Schema { base_url: String, schema: String },
}

impl Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

impl TestStore {
    /// The URL that opens this same database (and schema) again.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}

fn unique() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos() as u64;
    format!(
        "{:x}_{:x}_{:x}",
        std::process::id(),
        nanos & 0xffff_ffff_ffff,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// The base URL for tests: `LANTU_TEST_DATABASE_URL`, or `None` for a
/// temporary SQLite file.
pub fn base_url() -> Option<String> {
    std::env::var(URL_VAR).ok().filter(|u| !u.trim().is_empty())
}

/// A fresh, migrated, empty store. Panics when the database cannot be
/// reached (this is for tests).
pub async fn fresh_store() -> TestStore {
    match base_url() {
        Some(url) if Backend::of_url(&url).ok() == Some(Backend::Postgres) => fresh_postgres(&url).await,
        _ => fresh_sqlite().await,
    }
}

async fn fresh_sqlite() -> TestStore {
    let path = std::env::temp_dir().join(format!("lantu-test-{}.db", unique()));
    let url = format!("sqlite://{}", path.display());
    let store = Store::open(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot open {url}: {e:?}"));
    TestStore {
        store,
        url,
        cleanup: Cleanup::File(path),
    }
}

/// The URL with `search_path` set to `schema` on every connection.
pub fn with_search_path(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{schema}")
}

async fn fresh_postgres(base: &str) -> TestStore {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let schema = format!("lantu_test_{}", unique());
    let mut conn = sqlx::AnyConnection::connect(base)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {base}: {e}"));
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("cannot create schema {schema}: {e}"));
    let _ = conn.close().await;
    // The application name marks the store's connections, so that the
    // cleanup can end them.
    let url = format!("{}&application_name={schema}", with_search_path(base, &schema));
    let store = Store::open(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot open {url}: {e:?}"));
    TestStore {
        store,
        url,
        cleanup: Cleanup::Schema {
            base_url: base.to_string(),
            schema,
        },
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            Cleanup::Schema { base_url, schema } => {
                // Drop is synchronous: a thread with its own runtime drops
                // the schema, whatever runtime the test runs on. While it
                // runs, the test's runtime is blocked, so a connection of
                // the store whose rollback sqlx has not yet sent would hold
                // its locks for ever: the store's connections are ended
                // first.
                let (base_url, schema) = (base_url.clone(), schema.clone());
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build();
                    if let Ok(rt) = rt {
                        rt.block_on(async move {
                            use sqlx::Connection;
                            if let Ok(mut conn) = sqlx::AnyConnection::connect(&base_url).await {
                                let _ = sqlx::query(
                                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                                     WHERE application_name = $1 AND pid <> pg_backend_pid()",
                                )
                                .bind(schema.clone())
                                .execute(&mut conn)
                                .await;
                                let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                                    .execute(&mut conn)
                                    .await;
                                let _ = conn.close().await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

/// What someone with write access to the database can do after editing
/// the audit log: recompute every entry's `prev_hash` and `hash` so that
/// the chain verifies again. Only an anchor kept outside the database
/// ([`crate::AuditAnchor`]) reveals it.
pub async fn rechain(store: &Store) {
    use crate::audit::{entry_hash, entry_of, ENTRY_COLUMNS, GENESIS};
    let rows = sqlx::query(&format!("SELECT {ENTRY_COLUMNS} FROM audit_log ORDER BY seq"))
        .fetch_all(store.pool())
        .await
        .expect("reading the audit log");
    let mut prev = GENESIS.to_string();
    for r in &rows {
        let mut e = entry_of(r).expect("an audit entry");
        e.prev_hash = prev;
        e.hash = entry_hash(&e);
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3")
            .bind(e.prev_hash.clone())
            .bind(e.hash.clone())
            .bind(e.seq)
            .execute(store.pool())
            .await
            .expect("rewriting an audit entry");
        prev = e.hash;
    }
}
