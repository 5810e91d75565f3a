//! Monitoring data files (监测数据填报): the form a department fills, and the
//! import of filled forms, with no database in sight.
//!
//! - [`template::xlsx`] writes the department's form (填报表): one row per
//!   indicator × period, the locked columns greyed, only the entry cells
//!   (value, source, notes) editable, the previous value alongside.
//! - [`import::read`] reads a filled form back, as `.xlsx` or as `.csv`
//!   (UTF-8 with or without BOM, or GB18030/GBK as Excel in China saves it),
//!   validates every row against the plan and returns the figures as
//!   [`NewObservation`](lantu_core::observation::NewObservation)s, or every
//!   error found, each with its row and column. The caller stores all or
//!   nothing.
//!
//! The columns of both are the [`Field`]s; headers are bilingual
//! (`数值 Value`) and an import matches either language, in any order.

// A located error carries its message in both languages (about 200 bytes);
// errors are the cold path of an import and are collected, not propagated
// row by row, so their size costs nothing measurable.
#![allow(clippy::result_large_err)]

pub mod fields;
pub mod filetype;
pub mod import;
pub mod number;
pub mod template;
pub mod testing;

pub use fields::Field;
pub use import::{Column, ErrorKind, ImportErrors, RowError};

/// Everything this crate can fail with.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("department `{department}` is not in the plan; its departments are: {known}")]
    UnknownDepartment { department: String, known: String },
    #[error("no indicator of the plan is reported by {0}: the form would be empty")]
    NoIndicators(String),
    #[error("the years {start}–{end} are not a range: the first year must not come after the last")]
    Years { start: i32, end: i32 },
    #[error(
        "the form would have {0} rows, more than an Excel worksheet holds (1,048,575 below the header); \
         choose fewer years or one department"
    )]
    TooManyRows(usize),
    #[error("could not write the xlsx form")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error(transparent)]
    Import(#[from] ImportErrors),
}
