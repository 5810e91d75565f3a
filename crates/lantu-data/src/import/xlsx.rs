//! Workbooks (`.xlsx`), read as a stream: the worksheet's XML is parsed
//! cell by cell straight out of the zip archive, so memory holds one row
//! at a time (and the shared strings), never a grid sized by what the file
//! declares. The sheet named 填报表 is read if there is one, else the first.
//!
//! Bounds (see [`super::limits`]): every part is decompressed under a cap,
//! checked against the archive's directory and again while inflating; a
//! cell with a value far below the rows in use or far right of the columns
//! a form can have is refused, with its reference, before anything is
//! kept for it. The legacy `.xls` format is refused: its reader builds the
//! whole grid the file declares.

use super::csv::HEADER_SEARCH_ROWS;
use super::limits::{MAX_COLUMN, MAX_ROW_GAP, MAX_SHARED_STRINGS, MAX_SHEET_XML, MAX_SMALL_PART};
use super::validate::{Cell, Header, Validator};
use super::zipread::{Archive, PartError};
use super::{ErrorKind, Errors, RowError};
use crate::fields::{column_letter, FIELD_COUNT};
use crate::number;
use crate::template::SHEET;
use lantu_core::messages::Message;
use lantu_core::observation::NewObservation;
use lantu_core::plan::PlanDoc;
use quick_xml::events::{BytesStart, Event};
use std::io::BufReader;

/// Excel's own bounds: 1,048,576 rows and 16,384 columns (A–XFD).
const EXCEL_ROWS: usize = 1 << 20;
const EXCEL_COLUMNS: usize = 1 << 14;

pub(super) fn read_xlsx(bytes: &[u8], plan: &PlanDoc) -> Result<Vec<NewObservation>, Errors> {
    let mut zip = Archive::open(bytes).map_err(part_error)?;
    let book = Book::read(&mut zip).map_err(part_error)?;
    let dates = match &book.styles {
        Some(p) => date_styles(&mut zip, p).map_err(part_error)?,
        None => Vec::new(),
    };
    let strings = match &book.shared_strings {
        Some(p) => SharedStrings::read(&mut zip, p).map_err(part_error)?,
        None => SharedStrings::default(),
    };
    let ctx = Context {
        strings,
        dates,
        date1904: book.date1904,
        sheet: book.sheet_name,
    };
    let part = zip
        .open_part(&book.sheet_path, MAX_SHEET_XML)
        .map_err(part_error)?
        .ok_or_else(|| damaged(format!("its sheet `{}` has no part {}", ctx.sheet, book.sheet_path)))?;
    let mut sheet = Sheet {
        xml: quick_xml::Reader::from_reader(BufReader::with_capacity(64 * 1024, part)),
        buf: Vec::new(),
        ctx: &ctx,
    };
    read_rows(&mut sheet, plan)
}

/// The legacy binary `.xls`: refused, because the only reader at hand
/// builds the whole grid a file declares (a tiny file can declare billions
/// of cells).
pub(super) fn refuse_xls() -> Errors {
    Errors::from(RowError::file(Message::both(
        "这是旧版 Excel .xls 工作簿，无法读取：请在 Excel 或 WPS 中打开，另存为 .xlsx（Excel 工作簿）或 CSV UTF-8",
        "this is a legacy Excel .xls workbook, which is not read: open it in Excel or WPS and \
         save it as .xlsx (Excel Workbook), or as CSV UTF-8",
    )))
}

fn damaged(reason: impl std::fmt::Display) -> RowError {
    RowError::file(Message::both(
        format!("不是可读取的 .xlsx 工作簿（{reason}）：请在 Excel 或 WPS 中打开后重新另存为 .xlsx"),
        format!("not a readable .xlsx workbook: {reason}; open it in Excel or WPS and save it again as .xlsx"),
    ))
}

fn part_error(e: PartError) -> RowError {
    match e {
        PartError::Damaged(reason) => damaged(reason),
        PartError::TooLarge(reason) => RowError {
            kind: ErrorKind::Limit,
            ..RowError::file(Message::both(
                format!(
                    "拒绝读取此工作簿：{reason}（压缩炸弹，或远超一张填报表的数据量）；如数据属实，请拆分为几个文件"
                ),
                format!(
                    "refusing the workbook: {reason} (a zip bomb, or far more than a form holds); \
                     if the data are genuine, split them into several files"
                ),
            ))
        },
    }
}

/// What the workbook says about its sheets and shared parts.
struct Book {
    sheet_name: String,
    sheet_path: String,
    shared_strings: Option<String>,
    styles: Option<String>,
    date1904: bool,
}

/// The value of attribute `key` (matched by local name, so `r:id` is
/// `id`), unescaped.
fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == key).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default()
        })
    })
}

fn xml_error(part: &str, e: impl std::fmt::Display) -> PartError {
    PartError::Damaged(format!("{part} is not well-formed XML ({e})"))
}

/// Every `(local name, attributes)` start tag of a small part, in order.
fn for_each_tag(
    zip: &mut Archive<'_>,
    part: &str,
    mut f: impl FnMut(&str, &BytesStart<'_>, bool),
) -> Result<bool, PartError> {
    let Some(bytes) = zip.read_part(part, MAX_SMALL_PART)? else {
        return Ok(false);
    };
    let mut xml = quick_xml::Reader::from_reader(bytes.as_slice());
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(|e| xml_error(part, e))? {
            Event::Start(e) => f(e.local_name().as_ref(), &e, true),
            Event::Empty(e) => f(e.local_name().as_ref(), &e, false),
            Event::End(e) => {
                let name = format!("/{}", e.local_name().as_ref());
                f(&name, &BytesStart::new(""), false)
            }
            Event::Eof => return Ok(true),
            _ => {}
        }
    }
}

/// A relationship's target, relative to the folder of `from`, as a path in
/// the archive.
fn resolve(from: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

impl Book {
    fn read(zip: &mut Archive<'_>) -> Result<Book, PartError> {
        let mut workbook = None;
        for_each_tag(zip, "_rels/.rels", |name, e, _| {
            if name == "Relationship" && attr(e, "Type").is_some_and(|t| t.ends_with("/officeDocument")) {
                workbook = attr(e, "Target").map(|t| resolve("", &t));
            }
        })?;
        let workbook = match workbook {
            Some(w) if zip.has(&w) => w,
            _ if zip.has("xl/workbook.xml") => "xl/workbook.xml".to_string(),
            _ => {
                let what = if zip.has("word/document.xml") {
                    "it is a Word document, not a workbook"
                } else {
                    "the zip archive has no xl/workbook.xml"
                };
                return Err(PartError::Damaged(what.into()));
            }
        };
        let mut sheets: Vec<(String, String)> = Vec::new();
        let mut date1904 = false;
        for_each_tag(zip, &workbook, |name, e, _| match name {
            "sheet" => sheets.push((attr(e, "name").unwrap_or_default(), attr(e, "id").unwrap_or_default())),
            "workbookPr" => date1904 = attr(e, "date1904").is_some_and(|v| v == "1" || v == "true"),
            _ => {}
        })?;
        let (dir, file) = workbook.rsplit_once('/').unwrap_or(("", &workbook));
        let rels_path = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        let mut targets: Vec<(String, String, String)> = Vec::new();
        for_each_tag(zip, &rels_path, |name, e, _| {
            if name == "Relationship" {
                let get = |k| attr(e, k).unwrap_or_default();
                targets.push((get("Id"), get("Type"), resolve(&workbook, &get("Target"))));
            }
        })?;
        let by_type = |suffix: &str| {
            targets
                .iter()
                .find(|(_, t, _)| t.ends_with(suffix))
                .map(|(_, _, p)| p.clone())
        };
        let or_default = |found: Option<String>, file: &str| {
            found.or_else(|| {
                let p = resolve(&workbook, file);
                zip.has(&p).then_some(p)
            })
        };
        let shared_strings = or_default(by_type("/sharedStrings"), "sharedStrings.xml");
        let styles = or_default(by_type("/styles"), "styles.xml");
        let (sheet_name, id) = sheets
            .iter()
            .find(|(n, _)| n.trim() == SHEET)
            .or_else(|| sheets.first())
            .cloned()
            .ok_or_else(|| PartError::Damaged("the workbook has no worksheet".into()))?;
        let sheet_path = targets
            .iter()
            .find(|(i, _, _)| *i == id)
            .map(|(_, _, p)| p.clone())
            .ok_or_else(|| PartError::Damaged(format!("sheet `{sheet_name}` has no part in the archive")))?;
        Ok(Book {
            sheet_name,
            sheet_path,
            shared_strings,
            styles,
            date1904,
        })
    }
}

/// For each cell format (`s` attribute), whether it shows a date.
fn date_styles(zip: &mut Archive<'_>, part: &str) -> Result<Vec<bool>, PartError> {
    let mut custom: Vec<(u32, bool)> = Vec::new();
    let mut xfs: Vec<u32> = Vec::new();
    let mut in_xfs = false;
    for_each_tag(zip, part, |name, e, _| match name {
        "numFmt" => {
            if let Some(id) = attr(e, "numFmtId").and_then(|v| v.parse().ok()) {
                custom.push((id, is_date_format(&attr(e, "formatCode").unwrap_or_default())));
            }
        }
        "cellXfs" => in_xfs = true,
        "/cellXfs" => in_xfs = false,
        "xf" if in_xfs => xfs.push(attr(e, "numFmtId").and_then(|v| v.parse().ok()).unwrap_or(0)),
        _ => {}
    })?;
    Ok(xfs
        .into_iter()
        .map(|id| match custom.iter().find(|(c, _)| *c == id) {
            Some((_, date)) => *date,
            None => matches!(id, 14..=17 | 22 | 27..=36 | 50..=58),
        })
        .collect())
}

/// Whether a number format shows a date (it has a year, day or month,
/// outside quoted text and brackets; `mm` next to hours or seconds is
/// minutes).
fn is_date_format(code: &str) -> bool {
    let mut plain = String::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                }
            }
            '[' => {
                for c in chars.by_ref() {
                    if c == ']' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            c => plain.push(c.to_ascii_lowercase()),
        }
    }
    plain.contains('y') || plain.contains('d') || (plain.contains('m') && !plain.contains('h') && !plain.contains('s'))
}

/// The workbook's shared strings in one buffer.
#[derive(Default)]
struct SharedStrings {
    text: String,
    ends: Vec<usize>,
}

impl SharedStrings {
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }

    fn read(zip: &mut Archive<'_>, part: &str) -> Result<SharedStrings, PartError> {
        let mut out = SharedStrings::default();
        let Some(p) = zip.open_part(part, MAX_SHARED_STRINGS)? else {
            return Ok(out);
        };
        let mut xml = quick_xml::Reader::from_reader(BufReader::new(p));
        let mut buf = Vec::new();
        // Inside <si>, inside <t>, inside <rPh> (a phonetic guide, not text).
        let (mut si, mut t, mut rph) = (false, false, 0usize);
        loop {
            buf.clear();
            let event = match xml.read_event_into(&mut buf) {
                Ok(e) => e,
                Err(e) => return Err(read_error(xml.get_ref().get_ref(), part, e)),
            };
            match event {
                Event::Start(e) => match e.local_name().as_ref() {
                    "si" => si = true,
                    "t" => t = si,
                    "rPh" => rph += 1,
                    _ => {}
                },
                Event::Empty(e) if e.local_name().as_ref() == "si" => out.ends.push(out.text.len()),
                Event::End(e) => match e.local_name().as_ref() {
                    "si" => {
                        si = false;
                        out.ends.push(out.text.len());
                    }
                    "t" => t = false,
                    "rPh" => rph = rph.saturating_sub(1),
                    _ => {}
                },
                Event::Text(x) if t && rph == 0 => out.text.push_str(&x.xml10_content()),
                Event::CData(x) if t && rph == 0 => out.text.push_str(&x.xml10_content()),
                Event::GeneralRef(r) if t && rph == 0 => push_ref(&mut out.text, &r),
                Event::Eof => return Ok(out),
                _ => {}
            }
        }
    }
}

/// The error for `e` met while parsing a streamed part: a passed limit if
/// the part says so, else damaged XML.
fn read_error(p: &super::zipread::Part<'_>, part: &str, e: quick_xml::Error) -> PartError {
    match p.over_limit() {
        Some(msg) => PartError::TooLarge(msg.to_string()),
        None => xml_error(part, e),
    }
}

/// Appends the character an entity reference (`&amp;`, `&#x4E2D;`) stands for.
fn push_ref(out: &mut String, r: &quick_xml::events::BytesRef<'_>) {
    let c = match r.resolve_char_ref() {
        Ok(Some(c)) => c,
        Ok(None) => match r.as_ref() {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => '\u{FFFD}',
        },
        Err(_) => '\u{FFFD}',
    };
    out.push(c);
}

struct Context {
    strings: SharedStrings,
    dates: Vec<bool>,
    date1904: bool,
    sheet: String,
}

/// A cell's value, owned (a row's cells live until the row is checked).
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Number(f64),
    Date { year: i32, month: u8, day: u8 },
    Other(String),
}

impl Value {
    fn cell(&self) -> Cell<'_> {
        match self {
            Value::Text(s) => Cell::text(s),
            Value::Number(f) => Cell::Number(*f),
            &Value::Date { year, month, day } => Cell::Date { year, month, day },
            Value::Other(s) => Cell::Other(s.clone()),
        }
    }

    /// As a header cell reads.
    fn shown(&self) -> String {
        match self {
            Value::Text(s) | Value::Other(s) => s.clone(),
            Value::Number(f) => number::from_f64(*f).map_or_else(|| f.to_string(), |d| d.to_string()),
            Value::Date { year, month, day } => format!("{year}-{month:02}-{day:02}"),
        }
    }

    fn is_blank(&self) -> bool {
        matches!(self, Value::Text(s) if s.trim().is_empty())
    }
}

/// The date of a spreadsheet serial number, or `None` outside 1900–9999.
fn serial_date(serial: f64, date1904: bool) -> Option<(i32, u8, u8)> {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    // Days since 1970-01-01 of the serial's day.
    let unix = if date1904 {
        days - 24_107
    } else if days == 60 {
        // Excel's 1900-02-29, which never was.
        return Some((1900, 2, 29));
    } else if days < 60 {
        days - 25_568
    } else {
        days - 25_569
    };
    Some(civil_from_days(unix))
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 → (y, m, d).
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// `XFD1048576` → (row 1048576, column index 16383); `None` if it is not a
/// cell reference inside a worksheet.
fn cell_ref(r: &str) -> Option<(usize, usize)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 || letters == r.len() || r.len() - letters > 7 {
        return None;
    }
    let col = r[..letters]
        .bytes()
        .fold(0usize, |n, b| n * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1));
    let row: usize = r[letters..].parse().ok()?;
    ((1..=EXCEL_ROWS).contains(&row) && col <= EXCEL_COLUMNS).then(|| (row, col - 1))
}

/// The worksheet's XML, streamed.
struct Sheet<'z, 'c> {
    xml: quick_xml::Reader<BufReader<super::zipread::Part<'z>>>,
    buf: Vec<u8>,
    ctx: &'c Context,
}

/// One cell read from the sheet: where, and its value if it has one.
struct Found {
    row: usize,
    col: usize,
    value: Option<Value>,
}

impl Sheet<'_, '_> {
    fn fail(&self, e: quick_xml::Error) -> RowError {
        part_error(read_error(self.xml.get_ref().get_ref(), "the worksheet", e))
    }

    /// Skips to `<sheetData>`; `false` if the sheet has none (a chart sheet,
    /// or an empty one).
    fn start(&mut self) -> Result<bool, RowError> {
        loop {
            self.buf.clear();
            match self.xml.read_event_into(&mut self.buf) {
                Ok(Event::Start(e)) if e.local_name().as_ref() == "sheetData" => return Ok(true),
                Ok(Event::Eof) => return Ok(false),
                Ok(_) => {}
                Err(e) => return Err(self.fail(e)),
            }
        }
    }

    /// The next cell, in file order; `None` at the end of the sheet data.
    /// `row` is the row being read (from `<row r>`), `next_col` the column
    /// a cell without a reference takes.
    fn next_cell(&mut self, row: &mut usize, next_col: &mut usize) -> Result<Option<Found>, RowError> {
        let mut cell: Option<(usize, usize, Option<String>, Option<usize>)> = None;
        let mut text = String::new();
        // What the text being read is: the value <v>, or inline text <is><t>.
        let (mut in_v, mut in_is, mut in_t, mut rph) = (false, false, false, 0usize);
        let mut has_value = false;
        let ctx = self.ctx;
        loop {
            self.buf.clear();
            let event = match self.xml.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => return Err(self.fail(e)),
            };
            match event {
                Event::Start(e) | Event::Empty(e) if cell.is_none() && e.local_name().as_ref() == "row" => {
                    let r = attr(&e, "r").unwrap_or_else(|| (*row + 1).to_string());
                    *row = r
                        .parse()
                        .ok()
                        .filter(|r| (1..=EXCEL_ROWS).contains(r))
                        .ok_or_else(|| bad_ref(ctx, &format!("row {r}")))?;
                    *next_col = 0;
                }
                Event::Start(e) if cell.is_none() && e.local_name().as_ref() == "c" => {
                    let (r, c) = position(ctx, &e, *row, *next_col)?;
                    let s = attr(&e, "s").and_then(|s| s.parse().ok());
                    cell = Some((r, c, attr(&e, "t"), s));
                }
                Event::Empty(e) if cell.is_none() && e.local_name().as_ref() == "c" => {
                    let (r, c) = position(ctx, &e, *row, *next_col)?;
                    *next_col = c + 1;
                    *row = r;
                    return Ok(Some(Found {
                        row: r,
                        col: c,
                        value: None,
                    }));
                }
                Event::Start(e) if cell.is_some() => match e.local_name().as_ref() {
                    "v" => (in_v, has_value) = (true, true),
                    "is" => (in_is, has_value) = (true, true),
                    "t" => in_t = in_is,
                    "rPh" => rph += 1,
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "v" => in_v = false,
                    "t" => in_t = false,
                    "is" => in_is = false,
                    "rPh" => rph = rph.saturating_sub(1),
                    "c" => {
                        let Some((r, c, t, s)) = cell.take() else { continue };
                        *next_col = c + 1;
                        *row = r;
                        let value = has_value.then(|| self.value(t.as_deref(), s, text)).transpose()?;
                        return Ok(Some(Found { row: r, col: c, value }));
                    }
                    "sheetData" => return Ok(None),
                    _ => {}
                },
                Event::Text(x) if in_v || (in_t && rph == 0) => text.push_str(&x.xml10_content()),
                Event::CData(x) if in_v || (in_t && rph == 0) => text.push_str(&x.xml10_content()),
                Event::GeneralRef(r) if in_v || (in_t && rph == 0) => push_ref(&mut text, &r),
                Event::Eof => return Ok(None),
                _ => {}
            }
        }
    }

    fn value(&self, t: Option<&str>, style: Option<usize>, text: String) -> Result<Value, RowError> {
        Ok(match t {
            Some("s") => {
                let i: Option<usize> = text.trim().parse().ok();
                match i.and_then(|i| self.ctx.strings.get(i)) {
                    Some(s) => Value::Text(s.to_string()),
                    None => {
                        return Err(damaged(format!(
                            "sheet `{}` refers to shared string `{text}`, which the workbook does not have",
                            self.ctx.sheet
                        )))
                    }
                }
            }
            Some("b") => Value::Other(if text.trim() == "1" { "TRUE" } else { "FALSE" }.into()),
            Some("e") => Value::Other(text),
            Some("str" | "inlineStr" | "d") => Value::Text(text),
            _ => match text.trim().parse::<f64>() {
                Ok(f) => {
                    let date = style.and_then(|s| self.ctx.dates.get(s)).copied().unwrap_or(false);
                    match date.then(|| serial_date(f, self.ctx.date1904)).flatten() {
                        Some((year, month, day)) => Value::Date { year, month, day },
                        None => Value::Number(f),
                    }
                }
                Err(_) => Value::Other(text),
            },
        })
    }
}

/// Where cell `e` is: its reference, or the next column of the row.
fn position(ctx: &Context, e: &BytesStart<'_>, row: usize, next_col: usize) -> Result<(usize, usize), RowError> {
    match attr(e, "r") {
        Some(r) => cell_ref(&r).ok_or_else(|| bad_ref(ctx, &format!("cell reference `{r}`"))),
        None if next_col < EXCEL_COLUMNS && row >= 1 => Ok((row, next_col)),
        None => Err(bad_ref(ctx, "a cell without a reference")),
    }
}

fn bad_ref(ctx: &Context, what: &str) -> RowError {
    damaged(format!(
        "sheet `{}` has {what}, which is outside any worksheet",
        ctx.sheet
    ))
}

/// A cell far outside the part of the sheet in use: refused before
/// anything is kept for it.
fn out_of_range(ctx: &Context, row: usize, col: usize, used: Option<(usize, usize)>) -> RowError {
    let at = format!("{}{row}", column_letter(col));
    let used = match used {
        Some((last_row, last_col)) => format!(
            "the rows and columns in use end at row {last_row} and column {}",
            column_letter(last_col)
        ),
        None => "no cell above it has a value".to_string(),
    };
    RowError {
        row: Some(row),
        column: None,
        field: None,
        kind: ErrorKind::Limit,
        message: Message::both(
            format!(
                "工作表“{}”的 {at} 单元格有值，远在使用区域之外：请删除多余的单元格（Excel 中 Ctrl+End 可定位到最后一个）后重新保存",
                ctx.sheet
            ),
            format!(
                "sheet `{}`, cell {at} holds a value far outside the part of the sheet in use ({used}; \
                 a form has at most {MAX_COLUMN} columns and no gap of more than {MAX_ROW_GAP} empty rows): \
                 delete the stray cells (Ctrl+End in Excel goes to the last one) and save again",
                ctx.sheet
            ),
        ),
    }
}

/// The rows being read: the header among the first rows, then every data
/// row through the validator, one row in memory at a time.
struct Rows<'p> {
    plan: &'p PlanDoc,
    /// The row whose cells are being gathered.
    current: Option<usize>,
    /// Its cells by column, while the header is looked for (at most
    /// [`MAX_COLUMN`] of them).
    search: Vec<Option<Value>>,
    /// Its cells by field, once the header is known.
    data: [Option<Value>; FIELD_COUNT],
    phase: Phase<'p>,
}

// One value per import: its size does not matter.
#[allow(clippy::large_enum_variant)]
enum Phase<'p> {
    /// Looking for the header: the row naming most fields so far, with its
    /// cells as shown.
    Search(Option<Box<(usize, Header, String)>>),
    Data(Validator<'p>, [Option<usize>; FIELD_COUNT]),
}

impl<'p> Rows<'p> {
    fn put(&mut self, col: usize, value: Value) {
        match &self.phase {
            Phase::Search(_) => {
                if self.search.len() <= col {
                    self.search.resize(col + 1, None);
                }
                self.search[col] = Some(value);
            }
            Phase::Data(_, at) => {
                for (slot, c) in self.data.iter_mut().zip(at) {
                    if *c == Some(col) {
                        *slot = Some(value.clone());
                    }
                }
            }
        }
    }

    /// Checks the gathered row `r`: a header candidate, or a data row.
    fn finish_row(&mut self, r: usize) -> Result<(), Errors> {
        match &mut self.phase {
            Phase::Data(v, _) => {
                let mut cells: [Cell<'_>; FIELD_COUNT] = Default::default();
                for (out, value) in cells.iter_mut().zip(&self.data) {
                    if let Some(value) = value {
                        *out = value.cell();
                    }
                }
                v.row(r, &cells);
                self.data = Default::default();
            }
            Phase::Search(best) => {
                let texts: Vec<(usize, String)> = self
                    .search
                    .iter()
                    .enumerate()
                    .filter_map(|(c, v)| v.as_ref().map(|v| (c, v.shown())))
                    .collect();
                self.search.clear();
                let h = Header::parse(texts.iter().map(|(c, s)| (*c, s.as_str())));
                if h.complete() {
                    let errors = h.errors(r, "");
                    if !errors.is_empty() {
                        return Err(errors.into());
                    }
                    let at = h.data_columns();
                    self.phase = Phase::Data(Validator::new(self.plan, h, 0), at);
                } else if best.as_ref().is_none_or(|b| h.score() > b.1.score()) {
                    let shown = texts.iter().map(|(_, s)| s.trim()).collect::<Vec<_>>().join(" | ");
                    *best = Some(Box::new((r, h, shown)));
                }
            }
        }
        Ok(())
    }
}

/// Reads the rows of the sheet (see [`Rows`]).
fn read_rows(sheet: &mut Sheet<'_, '_>, plan: &PlanDoc) -> Result<Vec<NewObservation>, Errors> {
    let empty = || RowError::file("the worksheet is empty: it should hold the form's header row and its rows");
    if !sheet.start()? {
        return Err(empty().into());
    }
    let ctx = sheet.ctx;
    let (mut row, mut next_col) = (0usize, 0usize);
    // The last row and the rightmost column with a value so far.
    let mut used: Option<(usize, usize)> = None;
    let mut first_row: Option<usize> = None;
    let mut rows = Rows {
        plan,
        current: None,
        search: Vec::new(),
        data: Default::default(),
        phase: Phase::Search(None),
    };
    while let Some(Found { row: r, col, value }) = sheet.next_cell(&mut row, &mut next_col)? {
        let Some(value) = value.filter(|v| !v.is_blank()) else {
            continue;
        };
        if col >= MAX_COLUMN || used.is_some_and(|(last, _)| r > last + MAX_ROW_GAP) {
            return Err(out_of_range(ctx, r, col, used).into());
        }
        used = Some(match used {
            Some((lr, lc)) => (lr.max(r), lc.max(col)),
            None => (r, col),
        });
        let first = *first_row.get_or_insert(r);
        match rows.current {
            Some(cur) if r < cur => {
                return Err(damaged(format!(
                    "in sheet `{}`, row {r} comes after row {cur}: its rows are out of order",
                    ctx.sheet
                ))
                .into());
            }
            Some(cur) if r > cur => rows.finish_row(cur)?,
            _ => {}
        }
        if matches!(rows.phase, Phase::Search(_)) && r >= first + HEADER_SEARCH_ROWS {
            rows.current = None;
            break;
        }
        rows.current = Some(r);
        rows.put(col, value);
    }
    if let Some(cur) = rows.current.take() {
        rows.finish_row(cur)?;
    }
    match rows.phase {
        Phase::Data(v, _) => v.finish(),
        Phase::Search(best) => {
            if first_row.is_none() {
                return Err(empty().into());
            }
            let (r, h, shown) = best.map(|b| *b).unwrap_or_default();
            Err(h
                .errors(r.max(1), if shown.is_empty() { "nothing" } else { &shown })
                .into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref("A1"), Some((1, 0)));
        assert_eq!(cell_ref("b12"), Some((12, 1)));
        assert_eq!(cell_ref("XFD1048576"), Some((1_048_576, 16_383)));
        assert_eq!(cell_ref("XFE1"), None);
        assert_eq!(cell_ref("A1048577"), None);
        assert_eq!(cell_ref("A0"), None);
        assert_eq!(cell_ref("A"), None);
        assert_eq!(cell_ref("12"), None);
        assert_eq!(cell_ref("AAAA1"), None);
        assert_eq!(cell_ref("A99999999999999999999"), None);
    }

    #[test]
    fn serial_dates_in_both_systems() {
        assert_eq!(serial_date(1.0, false), Some((1900, 1, 1)));
        assert_eq!(serial_date(59.0, false), Some((1900, 2, 28)));
        assert_eq!(serial_date(61.0, false), Some((1900, 3, 1)));
        assert_eq!(serial_date(45047.0, false), Some((2023, 5, 1)));
        assert_eq!(serial_date(45047.75, false), Some((2023, 5, 1)));
        assert_eq!(serial_date(45047.0 - 1462.0, true), Some((2023, 5, 1)));
        assert_eq!(serial_date(-1.0, false), None);
        assert_eq!(serial_date(1e12, false), None);
    }

    #[test]
    fn date_formats() {
        for f in [
            "yyyy-mm",
            "yyyy\"年\"m\"月\"",
            "m/d/yy",
            "[$-804]yyyy年m月",
            "mmm-yy",
            "d-mmm",
        ] {
            assert!(is_date_format(f), "{f}");
        }
        for f in [
            "General",
            "0.00",
            "0.0%",
            "h:mm",
            "[h]:mm:ss",
            "mm:ss",
            "#,##0\"元\"",
            "0.00E+00",
        ] {
            assert!(!is_date_format(f), "{f}");
        }
    }

    #[test]
    fn relationship_targets() {
        assert_eq!(
            resolve("xl/workbook.xml", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/workbook.xml", "/xl/worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
        assert_eq!(resolve("xl/workbook.xml", "../media/a.xml"), "media/a.xml");
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
    }
}
