//! CSV: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK (what
//! Excel in China writes); comma-separated, or tab- or semicolon-separated
//! when the header row says so.

use super::limits::MAX_ROWS;
use super::validate::{Cell, Header, Validator};
use super::{ErrorKind, Errors, RowError};
use crate::fields::FIELD_COUNT;
use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};
use lantu_core::observation::NewObservation;
use lantu_core::plan::PlanDoc;
use std::borrow::Cow;

/// How many rows may stand above the header row (a title, a note).
pub(super) const HEADER_SEARCH_ROWS: usize = 10;

pub(super) fn read_csv(bytes: &[u8], plan: &PlanDoc) -> Result<Vec<NewObservation>, Errors> {
    let text = decode(bytes).map_err(RowError::file)?;
    let text = text.as_ref();
    let delimiter = sniff_delimiter(text);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = ::csv::ByteRecord::new();
    let mut rows = RowCounter::default();
    let bytes = text.as_bytes();

    // The header: the first row, among the first few, naming code, period
    // and value; failing that, the row that names most fields.
    let mut best: Option<(usize, Header, String)> = None;
    let mut header = None;
    let mut seen = 0;
    while seen < HEADER_SEARCH_ROWS {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(RowError::file(format!("the CSV cannot be read: {e}")).into()),
        }
        let row = rows.next(bytes, &record);
        seen += 1;
        let cells = record
            .iter()
            .enumerate()
            .map(|(c, f)| (c, std::str::from_utf8(f).unwrap_or("")));
        let h = Header::parse(cells);
        if h.complete() {
            header = Some((row, h));
            break;
        }
        if best.as_ref().is_none_or(|(_, b, _)| h.score() > b.score()) {
            let shown = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_string())
                .filter(|f| !f.is_empty())
                .collect::<Vec<_>>();
            best = Some((row, h, shown.join(" | ")));
        }
    }
    let Some((header_row, header)) = header else {
        return Err(match best {
            Some((row, h, shown)) => h.errors(row, if shown.is_empty() { "nothing" } else { &shown }).into(),
            None => RowError::file("the file has no rows").into(),
        });
    };
    let errors = header.errors(header_row, "");
    if !errors.is_empty() {
        return Err(errors.into());
    }

    // One row a line, near enough, to size the output once.
    let rows_hint = bytes.iter().filter(|&&b| b == b'\n').count();
    let at = header.data_columns();
    let mut v = Validator::new(plan, header, rows_hint);
    let mut last_row = header_row;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let msg = format!("the CSV cannot be read after row {last_row}: {e}");
                v.file_error(RowError::file(msg));
                break;
            }
        }
        let row = rows.next(bytes, &record);
        if row > MAX_ROWS {
            v.file_error(RowError {
                kind: ErrorKind::Limit,
                ..RowError::file(format!(
                    "the file has more than {MAX_ROWS} rows (what an Excel sheet holds): \
                     split it into several files"
                ))
            });
            break;
        }
        last_row = row;
        let mut cells: [Cell<'_>; FIELD_COUNT] = Default::default();
        for (cell, col) in cells.iter_mut().zip(at) {
            if let Some(field) = col.and_then(|c| record.get(c)) {
                // The text was valid UTF-8 and the CSV splits at ASCII bytes.
                *cell = match std::str::from_utf8(field) {
                    Ok(s) => Cell::text(s),
                    Err(_) => Cell::Other(String::from_utf8_lossy(field).into_owned()),
                };
            }
        }
        v.row(row, &cells);
    }
    v.finish()
}

/// Counts rows as Excel shows a CSV: one per record, and one per blank
/// line (which the CSV reader skips). A record whose quoted field spans
/// lines is one row.
#[derive(Default)]
struct RowCounter {
    records: usize,
    blank_lines: usize,
}

impl RowCounter {
    /// The row of `record`, just read from `text`.
    fn next(&mut self, text: &[u8], record: &::csv::ByteRecord) -> usize {
        if let Some(p) = record.position() {
            // The position is where the reader resumed after the previous
            // record, before the blank lines it skipped; after a record
            // ended by CR LF it points at the LF.
            let mut i = p.byte() as usize;
            if i > 0 && text.get(i - 1) == Some(&b'\r') && text.get(i) == Some(&b'\n') {
                i += 1;
            }
            loop {
                match text.get(i) {
                    Some(b'\r') if text.get(i + 1) == Some(&b'\n') => i += 2,
                    Some(b'\r' | b'\n') => i += 1,
                    _ => break,
                }
                self.blank_lines += 1;
            }
        }
        self.records += 1;
        self.records + self.blank_lines
    }
}

/// The file as text: UTF-8 is borrowed; a BOM names UTF-8 or UTF-16;
/// anything else must be GB18030 (which includes GBK and GB2312).
pub(crate) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, String> {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        if enc == UTF_16LE || enc == UTF_16BE {
            return enc
                .decode_without_bom_handling_and_without_replacement(body)
                .map(|s| Cow::Owned(s.into_owned()))
                .ok_or_else(|| format!("the file starts as {} text but is not valid {}", enc.name(), enc.name()));
        }
        return std::str::from_utf8(body).map(Cow::Borrowed).map_err(|e| {
            format!(
                "the file starts as UTF-8 text but byte {} is not UTF-8; save it again as CSV UTF-8",
                e.valid_up_to() + bom
            )
        });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(s));
    }
    if bytes.contains(&0) {
        return Err("the file is not text (it holds NUL bytes): import the form as .xlsx or .csv".into());
    }
    GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or_else(|| {
            "the file is neither UTF-8 nor GB18030/GBK text: save it from Excel as CSV UTF-8 (逗号分隔) or as .xlsx"
                .into()
        })
}

/// `,` unless the first line has tabs (or semicolons) and no commas.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if first.contains(',') {
        b','
    } else if first.contains('\t') {
        b'\t'
    } else if first.contains(';') {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_count_as_excel_shows_them() {
        // h1 is row 1, the quoted two-line record row 2, a blank line row 3…
        for text in [
            "h1,h2\na,\"x\ny\"\n\nb,c\n\n\nd,e\r\n\r\nf,g\n",
            "h1,h2\r\na,\"x\r\ny\"\r\n\r\nb,c\r\n\r\n\r\nd,e\r\n\r\nf,g",
        ] {
            let mut reader = ::csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut record = ::csv::ByteRecord::new();
            let mut rows = RowCounter::default();
            let mut got = Vec::new();
            while reader.read_byte_record(&mut record).unwrap() {
                got.push((
                    String::from_utf8_lossy(&record[0]).into_owned(),
                    rows.next(text.as_bytes(), &record),
                ));
            }
            let want = [("h1", 1), ("a", 2), ("b", 4), ("d", 7), ("f", 9)].map(|(s, r)| (s.to_string(), r));
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn decodes_the_encodings_excel_writes() {
        assert_eq!(decode("代码".as_bytes()).unwrap(), "代码");
        assert_eq!(decode(b"\xEF\xBB\xBFabc").unwrap(), "abc");
        let (gbk, _, _) = GB18030.encode("指标代码,数值");
        assert_eq!(decode(&gbk).unwrap(), "指标代码,数值");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a,b".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16).unwrap(), "a,b");
        assert!(decode(b"a\x00b\xff").unwrap_err().contains("NUL"));
        assert!(decode(b"\xEF\xBB\xBFa\xff").unwrap_err().contains("UTF-8"));
        assert!(decode(b"\x81\x20\xff").unwrap_err().contains("GB18030"));
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a,b\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter("a;b\n"), b';');
    }
}
