//! Lantu's persistence: the indicator system of each plan with versioned
//! targets, monitoring data kept as vintages, the review states of each
//! figure, departments, tasks and key projects, and a hash-chained audit
//! log of every write.
//!
//! One code path serves an embedded SQLite file and PostgreSQL: sqlx's
//! `Any` driver with runtime queries and `$1` placeholders, portable column
//! types (exact decimals as TEXT, times as RFC 3339 TEXT), and one
//! migration per backend that differs only in how an id is generated.
//! Generated multi-row statements (bulk inserts, `IN` lists) use anonymous
//! `?` placeholders on SQLite instead: see `db::params` for why.
//!
//! Speed comes from never going row by row: an import reads the current
//! figures of the plan once and writes 1,000-row `INSERT`s; the import
//! reads one row per indicator (figures aggregated with `string_agg`, which
//! PostgreSQL and the bundled SQLite ≥ 3.44 share), because sqlx's cost is
//! per row. Figures: 1,000,000 observations import at ~400,000–530,000
//! rows/s into SQLite (`cargo bench -p lantu-store`). These figures predate
//! the audit's row records (an import now also hashes and stores a record per
//! row: about 3× the CPU time in a debug build).
//!
//! The store reads and writes; it judges nothing: where a plan stands in a
//! year is computed by the application layer (`lantu-app`) from
//! [`Store::plan_at`] and [`Store::observations`].
//!
//! ```no_run
//! # async fn demo(doc: &lantu_core::plan::PlanDoc) -> Result<(), lantu_store::StoreError> {
//! let store = lantu_store::Store::open("sqlite://lantu.db").await?;
//! let plan = store.import_plan(doc, "planner").await?;
//! let (doc, targets) = store.plan_at(plan, 2023).await?;
//! # Ok(()) }
//! ```
//!
//! Every write runs in one transaction together with its audit entries: it
//! happens entirely or not at all.

mod audit;
mod chain;
mod comments;
mod db;
mod drafts;
mod due;
mod error;
mod evidence;
mod migrations;
mod observations;
mod plans;
mod publication;
mod registry;
mod sessions;
pub mod testing;
mod users;
mod work;

pub use audit::{
    audited_columns, audited_tables, unhex, AuditAnchor, AuditEntry, AuditProblem, AuditProblemKind, AuditReport,
    BASELINE_ACTION, NOT_AUDITED,
};
pub use chain::{ChainStep, StageMove};
pub use comments::{Comment, NewComment};
pub use drafts::PlanText;
pub use due::{DueFigure, Notice};
pub use error::{Result, RowError, RowProblem, StoreError};
pub use evidence::{sha256_hex, Evidence, EvidenceStorage, EvidenceTarget, NewEvidence};
pub use observations::{Figures, ImportProgress, ImportReport, ObservationQuery, ObservationRecord, Transition, View};
pub use plans::{ApplyOptions, ApplyReport, Change, PlanSummary, TargetVersion};
pub use registry::{RegistryEntry, RegistryFields};
pub use sessions::StoredSession;
pub use users::{NewUser, User, UserUpdate};
pub use work::{
    Department, NewWorkPlanEntry, Project, ProjectProgress, ProjectStatus, Task, WorkPlanEntry, WorkPlanUpdate,
    WorkStatus,
};

/// sqlx as this crate uses it, for tests that need raw SQL.
#[doc(hidden)]
pub use sqlx;

use error::Ctx;
use sqlx::any::AnyPoolOptions;
use sqlx::pool::PoolOptions;
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a URL names: `sqlite:…` or `postgres://…` /
    /// `postgresql://…`.
    pub fn of_url(url: &str) -> Result<Backend> {
        let lower = url.trim_start().to_ascii_lowercase();
        if lower.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact(url)))
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A connection pool to one Lantu database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Writers take this first: one write transaction at a time per
    /// process, so SQLite writers queue here instead of timing out on the
    /// file lock, and the audit chain grows one entry at a time.
    write_lock: Arc<tokio::sync::Mutex<()>>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

/// A write transaction: the process-wide write turn and the database
/// transaction. Dropped without [`WriteTx::commit`], it rolls back.
pub(crate) struct WriteTx {
    pub(crate) tx: Transaction<'static, Any>,
    pub(crate) backend: Backend,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl WriteTx {
    async fn commit(self) -> Result<()> {
        self.tx.commit().await.ctx(|| "committing".to_string())
    }

    async fn rollback(self) {
        // A failed rollback leaves the transaction to sqlx's rollback on
        // drop; the original error is the one to report.
        let _ = self.tx.rollback().await;
    }
}

impl Store {
    /// Opens (and creates, for SQLite) the database at `url` and migrates
    /// it to the current schema.
    ///
    /// * `sqlite://PATH` (or `sqlite:PATH`): the file is created when
    ///   missing; WAL journal, `synchronous=NORMAL`, foreign keys on.
    ///   `sqlite::memory:` gives a private in-memory database.
    /// * `postgres://USER@HOST:PORT/DB`: add
    ///   `?options=-c%20search_path%3DSCHEMA` to work in another schema.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let (url, in_memory) = match backend {
            Backend::Sqlite => sqlite_url(url),
            Backend::Postgres => (url.to_string(), false),
        };
        let options: AnyPoolOptions = PoolOptions::new()
            .max_connections(match (backend, in_memory) {
                (Backend::Sqlite, true) => 1,
                (Backend::Sqlite, false) => 4,
                (Backend::Postgres, _) => 8,
            })
            .acquire_timeout(Duration::from_secs(60))
            .after_connect(move |conn: &mut sqlx::AnyConnection, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        if !in_memory {
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                        }
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 30000").await?;
                    }
                    Ok(())
                })
            });
        let pool = options.connect(&url).await.map_err(|source| StoreError::Connect {
            url: redact(&url),
            source,
        })?;
        migrations::migrator(backend)
            .run(&pool)
            .await
            .map_err(|source| StoreError::Migrate {
                backend,
                url: redact(&url),
                source,
            })?;
        let store = Store {
            pool,
            backend,
            write_lock: Arc::new(tokio::sync::Mutex::new(())),
        };
        // A database made before the log recorded rows (or a table newly
        // registered): the digests of its existing rows, once.
        audit::ensure_baseline(&store).await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for tests that need raw SQL.
    #[doc(hidden)]
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes every connection (waits for those in use).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Runs `body` in a write transaction: commits when it returns `Ok`
    /// (also when it wrote nothing), rolls back at once when it returns
    /// `Err`. A dropped future rolls back too, when sqlx returns the
    /// connection to the pool.
    pub(crate) async fn write<T>(&self, body: impl AsyncFnOnce(&mut WriteTx) -> Result<T>) -> Result<T> {
        let mut w = self.begin_write().await?;
        match body(&mut w).await {
            Ok(v) => {
                w.commit().await?;
                Ok(v)
            }
            Err(e) => {
                w.rollback().await;
                Err(e)
            }
        }
    }

    /// Starts a write transaction. SQLite takes the file's write lock at
    /// once (`BEGIN IMMEDIATE`); PostgreSQL locks the audit log against
    /// other writers, so that the hash chain grows in one line.
    pub(crate) async fn begin_write(&self) -> Result<WriteTx> {
        let turn = self.write_lock.clone().lock_owned().await;
        let tx = match self.backend {
            Backend::Sqlite => self
                .pool
                .begin_with("BEGIN IMMEDIATE")
                .await
                .ctx(|| "starting a write transaction".to_string())?,
            Backend::Postgres => {
                let mut tx = self
                    .pool
                    .begin()
                    .await
                    .ctx(|| "starting a write transaction".to_string())?;
                sqlx::query("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await
                    .ctx(|| "locking the audit log".to_string())?;
                tx
            }
        };
        Ok(WriteTx {
            tx,
            backend: self.backend,
            _turn: turn,
        })
    }
}

/// `sqlite://PATH` with `mode=rwc` added when no mode is given; whether it
/// is an in-memory database.
fn sqlite_url(url: &str) -> (String, bool) {
    let url = url.trim();
    let rest = url.split_once(':').map_or("", |(_, r)| r);
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let in_memory = rest.starts_with(":memory:") || rest.contains("mode=memory");
    if in_memory || url.contains("mode=") {
        return (url.to_string(), in_memory);
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    (format!("{url}{sep}mode=rwc"), false)
}

/// The URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth_end, _) = rest
        .char_indices()
        .find(|(_, c)| *c == '/' || *c == '?')
        .unwrap_or((rest.len(), ' '));
    let authority = &rest[..auth_end];
    match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _password)) => format!("{scheme}://{name}:***@{host}{}", &rest[auth_end..]),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every public write and read is a `Send` future (axum handlers,
    /// `tokio::spawn`).
    #[allow(dead_code)]
    async fn futures_are_send(s: &Store, doc: &lantu_core::plan::PlanDoc) {
        fn send<T: Send>(_: &T) {}
        send(&s.import_plan(doc, "a"));
        send(&s.apply_plan(1, doc, "a"));
        send(&s.import_observations(1, &[], "a", "b", None));
        send(&s.set_state(
            &Figures::Ids {
                plan_id: 1,
                department: None,
                ids: vec![],
            },
            lantu_core::observation::ObservationState::Draft,
            "a",
            None,
        ));
        send(&s.plan_at(1, 2023));
        send(&s.add_work_plan_entry(
            1,
            &NewWorkPlanEntry {
                year: 2023,
                milestone: String::new(),
                due_date: None,
                status: WorkStatus::NotStarted,
                progress_note: None,
            },
            "a",
        ));
        send(&s.audit_verify());
    }

    #[test]
    fn urls() {
        assert_eq!(Backend::of_url("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::of_url("postgresql://u@h/db").unwrap(), Backend::Postgres);
        assert!(Backend::of_url("mysql://u@h/db").is_err());
        assert_eq!(sqlite_url("sqlite://x.db").0, "sqlite://x.db?mode=rwc");
        assert_eq!(sqlite_url("sqlite://x.db?mode=ro").0, "sqlite://x.db?mode=ro");
        assert!(sqlite_url("sqlite::memory:").1);
        assert_eq!(
            redact("postgres://u:secret@h:5432/db?x=1"),
            "postgres://u:***@h:5432/db?x=1"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
