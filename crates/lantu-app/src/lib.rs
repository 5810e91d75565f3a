//! Lantu's application layer (应用层): the use cases the command line, the
//! web pages and the JSON API share — import, correct and adopt a plan;
//! enter, import, submit, review and publish figures; assess a plan in a
//! year; write a report; manage accounts and departments; comment.
//!
//! The adapters (`lantu` on the command line, `lantu-web` in the browser
//! and the API) parse their input, call one use case of [`App`] and render
//! what it returns. The use cases call the store (persistence), the core
//! (the domain and the progress engine), the data crate (monitoring-data
//! files), extraction and reports. There is one pipeline from stored
//! figures to a status: [`assess`], used by `lantu status`, the dashboard,
//! the API and every report alike.
//!
//! ```no_run
//! # async fn run() -> Result<(), lantu_app::AppError> {
//! let app = lantu_app::App::open("sqlite://lantu.db").await?;
//! let rows = app.status(1, 2023, &lantu_app::StatusOptions::default()).await?;
//! # Ok(()) }
//! ```

pub mod accounts;
pub mod assess;
pub mod audit;
pub mod charts;
pub mod comments;
pub mod departments;
pub mod due;
pub mod entry;
mod error;
pub mod evidence;
pub mod figures;
pub mod mail;
/// Numbers as offices write them (千分位, 全角, 万/亿).
pub use lantu_data::number;
pub mod plans;
pub mod publication;
pub mod reports;
pub mod review;
pub mod rules;
pub mod sessions;
pub mod status;
pub mod validation;
pub mod work;
pub mod workbench;

pub use assess::{chapter_of, section_of, Standing, Visibility, WorkEntry};
pub use error::AppError;
pub use figures::Batch;
pub use status::{rollups, Counted, IndicatorStatus, Rollups, StatusOptions};

/// A report's kind, file format and language, for the adapters that ask
/// for one (the command line's `lantu report KIND --format F`).
pub use lantu_core::snapshot::ReportKind;
pub use lantu_report::Format as ReportFormat;

/// The store's records as the use cases hand them to the adapters.
pub use lantu_store::{
    Comment, Department, Evidence, EvidenceStorage, EvidenceTarget, Figures, ImportReport, NewComment, NewUser,
    NewWorkPlanEntry, Notice, ObservationQuery, ObservationRecord, PlanSummary, Project, ProjectProgress,
    ProjectStatus, RegistryEntry, RegistryFields, StoreError, TargetVersion, Transition, User, UserUpdate, View,
    WorkPlanEntry, WorkPlanUpdate, WorkStatus,
};

use lantu_core::account::Role;
use lantu_store::Store;

/// Who asks for a use case: the name the audit log records and the role
/// the policy judges. The web and the API act as the signed-in account;
/// the command line as its operator (`--as NAME`), who holds the database
/// and so acts as an administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub role: Role,
    /// The account's department (a reporter's), if any.
    pub department: Option<String>,
}

impl Actor {
    /// The command line's operator.
    pub fn operator(name: &str) -> Actor {
        Actor {
            name: name.to_string(),
            role: Role::Administrator,
            department: None,
        }
    }

    /// A signed-in account.
    pub fn of(user: &User) -> Actor {
        Actor {
            name: user.username.clone(),
            role: user.role,
            department: user.department.clone(),
        }
    }
}

/// The result of a use case.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// The application: one store and the use cases on it. Cheap to clone.
#[derive(Clone)]
pub struct App {
    store: Store,
    /// Keep evidence files in this folder instead of the database.
    evidence_dir: Option<std::sync::Arc<std::path::Path>>,
}

impl App {
    /// The application on an opened store.
    pub fn new(store: Store) -> App {
        App {
            store,
            evidence_dir: None,
        }
    }

    /// Keeps new evidence files in folder `dir` (under their SHA-256)
    /// rather than in the database; files already stored stay where they
    /// are.
    pub fn with_evidence_dir(mut self, dir: impl Into<std::path::PathBuf>) -> App {
        self.evidence_dir = Some(std::sync::Arc::from(dir.into().as_path()));
        self
    }

    /// Opens (and migrates) the database at `url`: `sqlite://file.db` or
    /// `postgres://…`.
    pub async fn open(url: &str) -> Result<App> {
        Ok(App::new(Store::open(url).await?))
    }

    /// The store underneath, for the adapters' wiring (tests, `lantu
    /// serve`'s start-up checks) — not for handlers.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The version of everything stored that a page or report shows
    /// ([`Store::data_version`]): what caches are keyed by.
    pub async fn data_version(&self) -> Result<i64> {
        Ok(self.store.data_version().await?)
    }
}
