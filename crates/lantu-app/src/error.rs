//! The one error type of the application layer.

use lantu_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The store refused or failed (its message says which plan, figure or
    /// row).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// What was asked for does not exist, or the reader may not know it
    /// exists (a plan or year not made public).
    #[error("not found")]
    NotFound,
    /// The caller's role (or department) may not do this; the message
    /// says what, in Chinese and English.
    #[error("{0}")]
    Forbidden(String),
    /// The input is not acceptable; the message says why.
    #[error("{0}")]
    Invalid(String),
    /// Adoption refused: these indicators are not complete.
    #[error("{}", incomplete(.0))]
    Incomplete(Vec<crate::workbench::Blocker>),
    /// Figures refused by the validation: every problem, each with its
    /// message in Chinese and English (the adapter picks the language).
    #[error("{}", crate::validation::render(.0, lantu_core::messages::Lang::Zh))]
    Refused(Vec<crate::validation::Problem>),
    /// Typed or sent figures that cannot be read (a number that is not
    /// one, an unknown indicator or period): every row's error, by row.
    #[error("{}", .0.text(lantu_core::messages::Lang::Zh))]
    Unreadable(lantu_data::import::ImportErrors),
    /// Something underneath failed that the user cannot fix (the random
    /// number generator, the password hasher).
    #[error("{0}")]
    Internal(String),
}

fn incomplete(blockers: &[crate::workbench::Blocker]) -> String {
    let lines: Vec<String> = blockers
        .iter()
        .map(|b| {
            let what: Vec<&str> = b.missing.iter().map(|m| m.label().0).collect();
            format!("{}「{}」：{}", b.code, b.name, what.join("、"))
        })
        .collect();
    format!(
        "规划尚不能采纳，{} 个指标不完整 / the plan cannot be adopted yet: {} indicator(s) are incomplete:\n{}",
        blockers.len(),
        blockers.len(),
        lines.join("\n")
    )
}
