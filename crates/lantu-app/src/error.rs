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
    /// The input is not acceptable; the message says why.
    #[error("{0}")]
    Invalid(String),
    /// Figures refused by the validation: every problem, each with its
    /// message in Chinese and English (the adapter picks the language).
    #[error("{}", crate::validation::render(.0, lantu_core::messages::Lang::Zh))]
    Refused(Vec<crate::validation::Problem>),
    /// The role may not do this; the message says what (in Chinese and
    /// English).
    #[error("{0}")]
    Forbidden(String),
    /// Something underneath failed that the user cannot fix (the random
    /// number generator, the password hasher).
    #[error("{0}")]
    Internal(String),
}
