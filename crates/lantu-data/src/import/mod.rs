//! Reading a filled form (`.xlsx` or `.csv`) into observations, all or
//! nothing.
//!
//! Every row is validated against the plan and every error is collected,
//! each with the row and column a person sees in Excel (the header is row
//! 1 when it is the first row). A row whose value is empty — or holds only
//! the dash or slash of "no figure" (—, -, /) — is skipped: the template has
//! a row for every period, filled or not. Headers are matched
//! by their Chinese or English name in any order (see
//! [`Field::from_header`]); the header row may sit under a few title rows.
//!
//! Speed: a CSV is decoded once (borrowed when it is UTF-8), split with
//! `csv::ByteRecord` into one reused record, indicator codes are looked up
//! in a map built once, and plain numbers take a parse path that does not
//! allocate; `benches/parse.rs` measures it.

mod csv;
mod validate;
mod xlsx;

use crate::fields::Field;
use lantu_core::observation::NewObservation;
use lantu_core::plan::PlanDoc;
use std::fmt;

pub use validate::parse_period;

/// What is wrong, for callers that act on the kind (a web form marks the
/// cell) rather than print the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The file cannot be read: empty, not a workbook, not text, an
    /// unsupported type.
    Unreadable,
    /// The header row has no column for a required field.
    MissingColumn,
    /// Two header cells name the same field.
    DuplicateColumn,
    /// A row with a value has no code or no period.
    Missing,
    /// The code is not an indicator of the plan.
    UnknownIndicator,
    /// The row's unit differs from the indicator's.
    UnitMismatch,
    /// The value is not a number.
    NotANumber,
    /// The period cannot be read.
    BadPeriod,
    /// The period lies outside the plan's years (start − 5 … end).
    PeriodOutsidePlan,
    /// The period is shorter than the indicator is reported for (a
    /// quarter for an annual indicator).
    WrongGranularity,
    /// The same indicator, period and area appear in an earlier row.
    Duplicate,
}

/// A column of the file, as a person finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The spreadsheet letter: `F`.
    pub letter: String,
    /// The header cell as written in the file: `数值 Value`.
    pub header: String,
}

/// One error, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based row as Excel shows it (a header in the first row is row 1);
    /// `None` for an error of the whole file.
    pub row: Option<usize>,
    pub column: Option<Column>,
    /// The field the error concerns, if one.
    pub field: Option<Field>,
    pub kind: ErrorKind,
    /// What is wrong and, where it helps, what to write instead.
    pub message: String,
}

impl RowError {
    pub(crate) fn file(message: impl Into<String>) -> RowError {
        RowError {
            row: None,
            column: None,
            field: None,
            kind: ErrorKind::Unreadable,
            message: message.into(),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(row) = self.row {
            write!(f, "row {row}")?;
            if let Some(c) = &self.column {
                write!(f, ", column {} ({})", c.letter, c.header)?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

/// Every error of one file; when there is one, nothing is imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors {
    /// The file's name as the caller gave it.
    pub file: String,
    /// In the order of the file: by row, then by column.
    pub errors: Vec<RowError>,
}

impl fmt::Display for ImportErrors {
    /// One line per error: `file.xlsx row 7, column F (数值 Value): "12,3a" is not a number`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            let sep = if e.row.is_some() { " " } else { ": " };
            write!(f, "{}{sep}{e}", self.file)?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportErrors {}

/// Reads a filled form: `bytes` of a file called `name` (its extension
/// picks the format, `.csv` or `.xlsx`; a workbook is recognised by its
/// content whatever its name). Returns one observation per row with a
/// value, in the file's order, or every error found.
pub fn read(bytes: &[u8], name: &str, plan: &PlanDoc) -> Result<Vec<NewObservation>, ImportErrors> {
    read_inner(bytes, name, plan).map_err(|errors| ImportErrors {
        file: name.to_string(),
        errors,
    })
}

fn read_inner(bytes: &[u8], name: &str, plan: &PlanDoc) -> Result<Vec<NewObservation>, Vec<RowError>> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let fail = |msg: String| Err(vec![RowError::file(msg)]);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return fail("the file is empty: it should hold the form's header row and its rows".into());
    }
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(ZIP) {
        return xlsx::read_xlsx(bytes, plan);
    }
    if bytes.starts_with(OLE) {
        return xlsx::read_xls(bytes, plan);
    }
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" => fail(format!(
            "not an Excel workbook: the file is named .{ext} but does not hold one \
             (an .xlsx is a zip archive, an .xls an OLE file); if it is CSV text, name it .csv"
        )),
        "csv" | "txt" | "tsv" | "" => csv::read_csv(bytes, plan),
        other => fail(format!(
            "unsupported file type `.{other}`: import the form as .xlsx or .csv"
        )),
    }
}
