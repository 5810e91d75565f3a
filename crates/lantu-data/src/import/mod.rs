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
//! Bounds: nothing read from a file sizes an allocation. A file over
//! [`limits::MAX_FILE_BYTES`] is refused; a workbook is read as a stream
//! under the caps of [`limits`] (decompressed size per part and in total,
//! checked from the zip directory and while inflating; cells far outside
//! the rows and columns in use); a CSV under a row cap; NUL characters are
//! refused where they stand. At most [`limits::MAX_ERRORS`] errors are
//! listed, with a count of the rest.
//!
//! Speed: a CSV is decoded once (borrowed when it is UTF-8), split with
//! `csv::ByteRecord` into one reused record, indicator codes are looked up
//! in a map built once, and plain numbers take a parse path that does not
//! allocate; `benches/parse.rs` measures it.

mod csv;
mod rows;
mod validate;
mod xlsx;
pub(crate) mod zipread;

use crate::fields::Field;
use lantu_core::messages::{Lang, Message};
use lantu_core::observation::NewObservation;
use lantu_core::plan::PlanDoc;
use std::fmt;

pub use rows::{read_rows, FormRow};
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
    /// The file passes one of the reader's [`limits`]: too large, too
    /// many rows, a zip bomb, a cell far outside the sheet in use.
    Limit,
    /// A cell holds a NUL character (which no database text column takes).
    ControlCharacter,
}

/// The bounds every import is read under.
pub mod limits {
    /// Largest file read, `.csv` or `.xlsx` (64 MiB).
    pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
    /// Most rows (Excel's own limit); a CSV with more is refused.
    pub const MAX_ROWS: usize = 1 << 20;
    /// Errors listed at most; the rest are counted.
    pub const MAX_ERRORS: usize = 100;
    /// Largest worksheet XML decompressed from a workbook (128 MiB, some
    /// 350,000 form rows).
    pub const MAX_SHEET_XML: u64 = 128 * 1024 * 1024;
    /// Largest shared-strings part (all the workbook's texts).
    pub const MAX_SHARED_STRINGS: u64 = 64 * 1024 * 1024;
    /// Largest of the small parts (workbook, relationships, styles).
    pub const MAX_SMALL_PART: u64 = 16 * 1024 * 1024;
    /// A cell with a value in this column (0-based: column AMK) or further
    /// right is refused: a form has a dozen columns.
    pub const MAX_COLUMN: usize = 1024;
    /// A cell with a value more than this many rows below the last row in
    /// use is refused (a stray cell that inflates the sheet's range).
    pub const MAX_ROW_GAP: usize = 10_000;
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
    /// What is wrong and, where it helps, what to write instead, in
    /// Chinese and English ([`Message::text`]).
    pub message: Message,
}

impl RowError {
    pub(crate) fn file(message: impl Into<Message>) -> RowError {
        RowError {
            row: None,
            column: None,
            field: None,
            kind: ErrorKind::Unreadable,
            message: message.into(),
        }
    }
}

impl RowError {
    /// The error with its place, in `lang`: `第 7 行，F 列（数值 Value）：…`.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = String::new();
        if let Some(row) = self.row {
            match (lang, &self.column) {
                (Lang::Zh, Some(c)) => out.push_str(&format!("第 {row} 行，{} 列（{}）：", c.letter, c.header)),
                (Lang::Zh, None) => out.push_str(&format!("第 {row} 行：")),
                (Lang::En, Some(c)) => out.push_str(&format!("row {row}, column {} ({}): ", c.letter, c.header)),
                (Lang::En, None) => out.push_str(&format!("row {row}: ")),
            }
        }
        out.push_str(&self.message.text(lang));
        out
    }
}

/// In English, as logs and the English interface read it.
impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// Every error of one file (the first [`limits::MAX_ERRORS`], and a count
/// of the rest); when there is one, nothing is imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors {
    /// The file's name as the caller gave it.
    pub file: String,
    /// In the order of the file: by row, then by column.
    pub errors: Vec<RowError>,
    /// Errors found after the listed ones, not listed.
    pub more: usize,
}

/// The errors found so far: the first ones, and a count of the others.
#[derive(Debug, Default)]
pub(crate) struct Errors {
    pub(crate) list: Vec<RowError>,
    pub(crate) more: usize,
}

impl Errors {
    /// Adds the errors of one row (or of the file), keeping the first
    /// [`limits::MAX_ERRORS`].
    pub(crate) fn extend(&mut self, errors: impl IntoIterator<Item = RowError>) {
        for e in errors {
            if self.list.len() < limits::MAX_ERRORS {
                self.list.push(e);
            } else {
                self.more += 1;
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

impl From<Vec<RowError>> for Errors {
    fn from(list: Vec<RowError>) -> Errors {
        let mut e = Errors::default();
        e.extend(list);
        e
    }
}

impl From<RowError> for Errors {
    fn from(e: RowError) -> Errors {
        Errors { list: vec![e], more: 0 }
    }
}

impl ImportErrors {
    /// One line per error in `lang`: `file.xlsx 第 7 行，F 列（数值 Value）：“12,3a”不是数字`.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = String::new();
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let sep = match (e.row.is_some(), lang) {
                (true, _) => " ",
                (false, Lang::Zh) => "：",
                (false, Lang::En) => ": ",
            };
            out.push_str(&format!("{}{sep}{}", self.file, e.text(lang)));
        }
        if self.more > 0 {
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "\n{}：……另有 {} 处错误（只列出前 {} 处）",
                    self.file,
                    self.more,
                    self.errors.len()
                ),
                Lang::En => format!(
                    "\n{}: … and {} more error{} (only the first {} are listed)",
                    self.file,
                    self.more,
                    if self.more == 1 { "" } else { "s" },
                    self.errors.len()
                ),
            });
        }
        out
    }
}

/// In English (logs); people get [`ImportErrors::text`] in their language.
impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for ImportErrors {}

/// Reads a filled form: `bytes` of a file called `name` (its extension
/// picks the format, `.csv` or `.xlsx`; a workbook is recognised by its
/// content whatever its name). Returns one observation per row with a
/// value, in the file's order, or every error found.
pub fn read(bytes: &[u8], name: &str, plan: &PlanDoc) -> Result<Vec<NewObservation>, ImportErrors> {
    read_inner(bytes, name, plan).map_err(|e| ImportErrors {
        file: name.to_string(),
        errors: e.list,
        more: e.more,
    })
}

fn read_inner(bytes: &[u8], name: &str, plan: &PlanDoc) -> Result<Vec<NewObservation>, Errors> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let fail = |msg: Message| Err(RowError::file(msg).into());
    if bytes.len() > limits::MAX_FILE_BYTES {
        return Err(RowError {
            kind: ErrorKind::Limit,
            ..RowError::file(Message::both(
                format!(
                    "文件有 {} 字节，超过数据文件 {} MiB 的上限：请拆分为几个文件",
                    bytes.len(),
                    limits::MAX_FILE_BYTES >> 20
                ),
                format!(
                    "the file is {} bytes, over the limit of {} MiB for a data file: split it into several files",
                    bytes.len(),
                    limits::MAX_FILE_BYTES >> 20
                ),
            ))
        }
        .into());
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return fail(Message::both(
            "文件是空的：应包含填报表的表头行和数据行",
            "the file is empty: it should hold the form's header row and its rows",
        ));
    }
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(ZIP) {
        return xlsx::read_xlsx(bytes, plan);
    }
    if bytes.starts_with(OLE) {
        return Err(xlsx::refuse_xls());
    }
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" => fail(Message::both(
            format!("不是 Excel 工作簿：文件名为 .{ext}，内容却不是；如果是 CSV 文本，请改名为 .csv"),
            format!(
                "not an Excel workbook: the file is named .{ext} but does not hold one \
                 (an .xlsx is a zip archive, an .xls an OLE file); if it is CSV text, name it .csv"
            ),
        )),
        "csv" | "txt" | "tsv" | "" => csv::read_csv(bytes, plan),
        other => fail(Message::both(
            format!("不支持的文件类型“.{other}”：请以 .xlsx 或 .csv 导入填报表"),
            format!("unsupported file type `.{other}`: import the form as .xlsx or .csv"),
        )),
    }
}
