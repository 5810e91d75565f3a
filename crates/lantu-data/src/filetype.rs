//! What a file is, from its content (文件类型识别): the evidence kinds
//! Lantu accepts, recognised by their signatures — `%PDF-`, the PNG
//! signature, JPEG's start-of-image marker — and, for xlsx and docx, a zip
//! archive holding `[Content_Types].xml` and the workbook or document part
//! (read through the bounded zip reader, so a zip bomb is refused too).
//! Names and the uploader's content type are never trusted: an `.exe`
//! renamed `.pdf` is no PDF.

use crate::import::zipread::Archive;
use lantu_core::evidence::FileKind;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The kind of `bytes`, or `None` if they are none of the accepted kinds.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(FileKind::Pdf);
    }
    if bytes.starts_with(PNG) {
        return Some(FileKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileKind::Jpeg);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let zip = Archive::open(bytes).ok()?;
        if !zip.has("[Content_Types].xml") {
            return None;
        }
        if zip.has("xl/workbook.xml") {
            return Some(FileKind::Xlsx);
        }
        if zip.has("word/document.xml") {
            return Some(FileKind::Docx);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(FileKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(FileKind::Jpeg));
        // A Windows program, whatever it is called.
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"PK\x03\x04garbage"), None);
    }

    #[test]
    fn a_workbook_is_xlsx_and_a_plain_zip_is_not() {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().write_string(0, 0, "佐证").unwrap();
        assert_eq!(sniff(&book.save_to_buffer().unwrap()), Some(FileKind::Xlsx));
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.start_file("a.txt", zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut z, b"hello").unwrap();
        let plain = z.finish().unwrap().into_inner();
        assert_eq!(sniff(&plain), None);
    }
}
