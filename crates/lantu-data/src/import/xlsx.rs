//! Workbooks: `.xlsx` (and the older `.xls`), through calamine. The sheet
//! named 填报表 is read if there is one, else the first sheet.

use super::csv::HEADER_SEARCH_ROWS;
use super::validate::{Cell, Header, Validator};
use super::RowError;
use crate::fields::FIELD_COUNT;
use crate::template::SHEET;
use calamine::{Data, Range, Reader, Xls, Xlsx};
use lantu_core::observation::NewObservation;
use lantu_core::plan::PlanDoc;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

pub(super) fn read_xlsx(bytes: &[u8], plan: &PlanDoc) -> Result<Vec<NewObservation>, Vec<RowError>> {
    let range = guarded(|| sheet::<Xlsx<_>>(bytes, "xlsx"))?;
    read_range(&range, plan)
}

pub(super) fn read_xls(bytes: &[u8], plan: &PlanDoc) -> Result<Vec<NewObservation>, Vec<RowError>> {
    let range = guarded(|| sheet::<Xls<_>>(bytes, "xls"))?;
    read_range(&range, plan)
}

/// Runs the workbook reader so that a reader bug on strange input becomes
/// an error rather than a crash.
fn guarded(f: impl FnOnce() -> Result<Range<Data>, String>) -> Result<Range<Data>, Vec<RowError>> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(range)) => Ok(range),
        Ok(Err(msg)) => Err(vec![RowError::file(msg)]),
        Err(_) => Err(vec![RowError::file("the workbook is damaged: it could not be read")]),
    }
}

fn sheet<'a, R>(bytes: &'a [u8], kind: &str) -> Result<Range<Data>, String>
where
    R: Reader<Cursor<&'a [u8]>>,
    R::Error: std::fmt::Display,
{
    let mut book = R::new(Cursor::new(bytes)).map_err(|e| format!("not a readable .{kind} workbook: {e}"))?;
    let names = book.sheet_names();
    let name = names
        .iter()
        .find(|n| n.trim() == SHEET)
        .or_else(|| names.first())
        .ok_or_else(|| "the workbook has no worksheet".to_string())?
        .clone();
    book.worksheet_range(&name)
        .map_err(|e| format!("sheet `{name}` cannot be read: {e}"))
}

fn cell(d: &Data) -> Cell<'_> {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::text(s),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Other(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Data::Error(e) => Cell::Other(e.to_string()),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                let (year, month, day, ..) = dt.to_ymd_hms_milli();
                Cell::Date {
                    year: year.into(),
                    month,
                    day,
                }
            } else {
                Cell::Number(dt.as_f64())
            }
        }
    }
}

fn read_range(range: &Range<Data>, plan: &PlanDoc) -> Result<Vec<NewObservation>, Vec<RowError>> {
    let Some((top, left)) = range.start() else {
        return Err(vec![RowError::file(
            "the worksheet is empty: it should hold the form's header row and its rows",
        )]);
    };
    let (top, left) = (top as usize, left as usize);
    let mut rows = range.rows().enumerate().map(|(i, r)| (top + i + 1, r));

    let mut best: Option<(usize, Header, String)> = None;
    let mut header = None;
    for (row, cells) in rows.by_ref().take(HEADER_SEARCH_ROWS) {
        let texts: Vec<(usize, String)> = cells
            .iter()
            .enumerate()
            .filter(|(_, d)| !matches!(d, Data::Empty))
            .map(|(c, d)| (left + c, d.to_string()))
            .collect();
        let h = Header::parse(texts.iter().map(|(c, s)| (*c, s.as_str())));
        if h.complete() {
            header = Some((row, h));
            break;
        }
        if best.as_ref().is_none_or(|(_, b, _)| h.score() > b.score()) {
            let shown = texts.iter().map(|(_, s)| s.trim()).collect::<Vec<_>>().join(" | ");
            best = Some((row, h, shown));
        }
    }
    let Some((header_row, header)) = header else {
        let (row, h, shown) = best.unwrap_or_default();
        return Err(h.errors(row.max(1), if shown.is_empty() { "nothing" } else { &shown }));
    };
    let errors = header.errors(header_row, "");
    if !errors.is_empty() {
        return Err(errors);
    }
    // Columns relative to the range.
    let at = header.data_columns().map(|c| c.map(|c| c - left));
    let mut v = Validator::new(plan, header, range.height().saturating_sub(1));
    for (row, data) in rows {
        let mut cells: [Cell<'_>; FIELD_COUNT] = Default::default();
        for (cell_out, col) in cells.iter_mut().zip(at) {
            if let Some(d) = col.and_then(|c| data.get(c)) {
                *cell_out = cell(d);
            }
        }
        v.row(row, &cells);
    }
    if v.errors.is_empty() {
        Ok(v.out)
    } else {
        Err(v.errors)
    }
}
