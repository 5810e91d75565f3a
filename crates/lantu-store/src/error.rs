//! The one error type of the store. Every message says what went wrong and
//! where: the plan, the indicator, the row index, the table and column.

use lantu_core::observation::ObservationState;
use lantu_core::plan::{PlanDocError, PlanState};
use lantu_core::Period;
use std::fmt;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "`{0}` is not a database URL the store can open: write sqlite://PATH (e.g. sqlite://lantu.db) \
         or postgres://USER@HOST:PORT/DATABASE"
    )]
    UnsupportedUrl(String),

    #[error("cannot connect to {url}")]
    Connect {
        url: String,
        #[source]
        source: sqlx::Error,
    },

    #[error("cannot migrate the {backend} database at {url} to the current schema")]
    Migrate {
        backend: crate::Backend,
        url: String,
        #[source]
        source: sqlx::migrate::MigrateError,
    },

    /// A statement failed; `action` says what the store was doing.
    #[error("database error while {action}")]
    Db {
        action: String,
        #[source]
        source: sqlx::Error,
    },

    #[error("the store holds a value it cannot read: table {table}, row {id}, column {column}: `{value}` ({what})")]
    Corrupt {
        table: &'static str,
        id: i64,
        column: &'static str,
        value: String,
        what: String,
    },

    #[error("plan {0} does not exist; `lantu plan list` shows the stored plans")]
    PlanNotFound(i64),

    #[error("plan {plan_id} has no indicator `{code}`")]
    IndicatorNotFound { plan_id: i64, code: String },

    #[error("{entity} {id} does not exist")]
    NotFound { entity: &'static str, id: i64 },

    #[error("the plan document is not valid")]
    InvalidPlan(#[source] PlanDocError),

    #[error("the document is plan {doc_id}, but it is being applied to plan {plan_id}; apply it to plan {doc_id}")]
    PlanIdMismatch { plan_id: i64, doc_id: i64 },

    #[error("plan {plan_id} is {from:?}; it cannot go back to {to:?}")]
    PlanState {
        plan_id: i64,
        from: PlanState,
        to: PlanState,
    },

    #[error(
        "plan {plan_id} is adopted, so a changed target becomes a new version and needs its reason: \
         set target.reason for {}",
        list_codes(.codes)
    )]
    ReasonRequired { plan_id: i64, codes: Vec<String> },

    #[error("{} of {total} observations for plan {plan_id} are not valid; nothing was imported:\n{}", .errors.len(), list_rows(.errors))]
    InvalidObservations {
        plan_id: i64,
        total: usize,
        errors: Vec<RowError>,
    },

    #[error("observation {0} does not exist")]
    ObservationNotFound(i64),

    #[error("plan {plan_id} has no figure for indicator `{indicator}`, period {period}, geography {}", geo(.geography))]
    FigureNotFound {
        plan_id: i64,
        indicator: String,
        period: Period,
        geography: Option<String>,
    },

    #[error(
        "observation {id} (indicator `{indicator}`, period {period}, vintage {vintage}) is {}; it cannot move to {}",
        .from.as_str(), .to.as_str()
    )]
    Transition {
        id: i64,
        indicator: String,
        period: Period,
        vintage: i32,
        from: ObservationState,
        to: ObservationState,
    },

    #[error(
        "数据 {id}（指标 `{indicator}`，第 {vintage} 版）现为{}，已通过 {passed} 级审核；请刷新后再操作 / observation {id} (indicator `{indicator}`, vintage {vintage}) is {} having passed {passed} review levels: someone acted first; reload and try again",
        .state.as_str(), .state.as_str()
    )]
    StageChanged {
        id: i64,
        indicator: String,
        vintage: i32,
        state: ObservationState,
        passed: usize,
    },

    #[error(
        "规划 {plan_id} 有 {figures} 条数据已通过 {levels} 级及以上审核，审核层级不能少于 {levels} 级以上 / plan {plan_id} has {figures} figures that passed {levels} or more review levels; the chain cannot be cut to {levels} levels while they are in it"
    )]
    ChainInUse {
        plan_id: i64,
        figures: usize,
        levels: usize,
    },

    #[error(
        "规划 {plan_id} 有 {levels} 级审核，请逐级审核 / plan {plan_id} has a review chain of {levels} levels; approve or take back level by level"
    )]
    ChainRequired { plan_id: i64, levels: usize },

    #[error(
        "observation {id} belongs to plan {belongs_to}, not to plan {plan_id}; change its state in plan {belongs_to}"
    )]
    NotInPlan { id: i64, plan_id: i64, belongs_to: i64 },

    #[error(
        "observation {id} (indicator `{indicator}`) is not reported by department `{department}`; \
         only the indicator's lead department moves it"
    )]
    NotInDepartment {
        id: i64,
        indicator: String,
        department: String,
    },

    #[error(
        "{} of the figures for plan {plan_id} are under review and cannot get a new value until the reviewer \
         returns them; nothing was imported:\n{}",
        .rows.len(), list_rows(.rows)
    )]
    UnderReview { plan_id: i64, rows: Vec<RowError> },

    #[error("部门名录中没有代码 `{0}` / no department `{0}` in the registry")]
    DepartmentNotFound(String),

    #[error("部门代码 `{0}` 已被使用 / department code `{0}` is taken")]
    DepartmentTaken(String),

    #[error(
        "部门 `{code}` 仍被引用，不能停用：{} / department `{code}` is still named by {}, so it cannot be retired",
        .by.join("、"), .by.join(", ")
    )]
    DepartmentInUse { code: String, by: Vec<String> },

    #[error(
        "计划 {0} 仍是草稿，采纳后才能公开 / plan {0} is a draft; adopt it (state = \"adopted\" in `lantu plan \
         apply`) before making it public"
    )]
    PlanNotAdopted(i64),

    #[error("{year} 年不在计划 {plan_id} 的规划期（{start}–{end}）内 / year {year} is outside the period of plan {plan_id} ({start}–{end})")]
    YearOutsidePlan {
        plan_id: i64,
        year: i32,
        start: i32,
        end: i32,
    },

    #[error("{0}")]
    Account(#[from] lantu_core::account::AccountError),

    #[error("用户名 {0} 已存在 / the user name `{0}` is taken")]
    UsernameTaken(String),

    #[error(
        "the audit anchor does not match this key: it was made with another key, or the anchor file was \
         altered; check --key and --anchor"
    )]
    AnchorMismatch,

    #[error(
        "the audit log has {0} problem(s); an anchor would vouch for them: run `lantu audit verify` and resolve them first"
    )]
    AuditNotClean(usize),

    #[error("the store changed rows of `{0}` without an audit entry (a bug in the store)")]
    UnauditedWrite(&'static str),

    #[error("{field}: `{value}` {what}")]
    InvalidInput {
        field: &'static str,
        value: String,
        what: &'static str,
    },
}

/// One bad row of an observation import. `index` is the row's position in
/// the slice given to the store, counting from 0; the caller maps it back
/// to its file's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub index: usize,
    pub indicator: String,
    pub period: Period,
    pub problem: RowProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// The plan has no (active) indicator with this code.
    UnknownIndicator,
    /// The same indicator, period and geography as the row at this index.
    Duplicate { first: usize },
    /// The geography contains a control character (a tab, a line break…).
    ControlCharacter,
    /// The figure's latest vintage is under review (submitted or
    /// approved): locked until it is returned.
    UnderReview(ObservationState),
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "row index {} (indicator `{}`, period {}): ",
            self.index, self.indicator, self.period
        )?;
        match &self.problem {
            RowProblem::UnknownIndicator => f.write_str("the plan has no indicator with this code"),
            RowProblem::ControlCharacter => f.write_str("the geography contains a control character"),
            RowProblem::UnderReview(state) => write!(
                f,
                "the figure is {} and locked until the reviewer returns it",
                state.as_str()
            ),
            RowProblem::Duplicate { first } => {
                write!(
                    f,
                    "same indicator, period and geography as row index {first}; keep one of them"
                )
            }
        }
    }
}

fn list_rows(errors: &[RowError]) -> String {
    errors.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n")
}

fn list_codes(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| format!("indicator `{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn geo(g: &Option<String>) -> String {
    match g {
        Some(g) => format!("`{g}`"),
        None => "(the plan's own area)".to_string(),
    }
}

/// Attaches "while …" to sqlx errors.
pub(crate) trait Ctx<T> {
    fn ctx(self, action: impl FnOnce() -> String) -> Result<T>;
}

impl<T> Ctx<T> for std::result::Result<T, sqlx::Error> {
    fn ctx(self, action: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| StoreError::Db {
            action: action(),
            source,
        })
    }
}
