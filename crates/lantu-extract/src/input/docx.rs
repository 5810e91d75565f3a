//! Word `.docx` (Office Open XML) to text: the paragraphs and tables of
//! `word/document.xml`, read from the zip archive under zip-bomb limits.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

use super::{tidy_lines, InputError, NO_PATH};

/// Largest `word/document.xml` read, declared or actual (64 MiB).
const MAX_DOCUMENT_XML: u64 = 64 * 1024 * 1024;
/// Most entries an archive may have.
const MAX_ENTRIES: u64 = 10_000;
/// Highest compression ratio accepted for `word/document.xml`…
const MAX_RATIO: u64 = 200;
/// …once it is larger than this (a small file cannot be a bomb).
const RATIO_FLOOR: u64 = 1024 * 1024;
/// Largest `_rels/.rels` read.
const MAX_RELS: u64 = 1024 * 1024;

fn docx_err(reason: impl Into<String>) -> InputError {
    InputError::Docx {
        origin: NO_PATH.into(),
        reason: reason.into(),
    }
}

fn bomb(reason: impl Into<String>) -> InputError {
    InputError::ZipBomb {
        origin: NO_PATH.into(),
        reason: reason.into(),
    }
}

/// Decodes a `.docx` file to text: one line per paragraph, one line per
/// table row with its cells separated by tabs.
pub(super) fn decode_docx(bytes: &[u8]) -> Result<String, InputError> {
    if let Some(n) = declared_entries(bytes) {
        if n > MAX_ENTRIES {
            return Err(bomb(format!(
                "the archive declares {n} entries, over the limit of {MAX_ENTRIES}"
            )));
        }
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| docx_err(format!("it is not a readable zip archive ({e})")))?;
    if archive.len() as u64 > MAX_ENTRIES {
        return Err(bomb(format!(
            "the archive has {} entries, over the limit of {MAX_ENTRIES}",
            archive.len()
        )));
    }
    let name = main_part_name(&mut archive)?;
    let xml = read_main_part(&mut archive, &name)?;
    let xml = xml_to_string(&xml).map_err(|e| docx_err(format!("{name} {e}")))?;
    let text = document_text(&xml).map_err(|e| docx_err(format!("{name} {e}")))?;
    Ok(tidy_lines(&text))
}

/// The number of entries the end-of-central-directory record declares,
/// read before the zip crate allocates anything for them.
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    let start = bytes.len().saturating_sub(22 + 0xFFFF);
    let pos = bytes[start..].windows(4).rposition(|w| w == b"PK\x05\x06")? + start;
    let eocd = bytes.get(pos..pos + 22)?;
    let total = u64::from(u16::from_le_bytes([eocd[10], eocd[11]]));
    if total != 0xFFFF {
        return Some(total);
    }
    // Zip64: the locator just before the record points to the zip64 record.
    let locator = bytes.get(pos.checked_sub(20)?..pos)?;
    if !locator.starts_with(b"PK\x06\x07") {
        return Some(total);
    }
    let offset = u64::from_le_bytes(locator[8..16].try_into().ok()?);
    let offset = usize::try_from(offset).ok()?;
    let record = bytes.get(offset..offset.checked_add(56)?)?;
    if !record.starts_with(b"PK\x06\x06") {
        return Some(total);
    }
    Some(u64::from_le_bytes(record[32..40].try_into().ok()?))
}

/// The path of the main document part: `word/document.xml`, or what
/// `_rels/.rels` names as the office document.
fn main_part_name(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<String, InputError> {
    const DEFAULT: &str = "word/document.xml";
    if archive.index_for_name(DEFAULT).is_some() {
        return Ok(DEFAULT.into());
    }
    if let Some(target) = rels_main_target(archive) {
        if archive.index_for_name(&target).is_some() {
            return Ok(target);
        }
    }
    let names: Vec<&[u8]> = archive.file_names_raw().collect();
    let has = |n: &str| names.contains(&n.as_bytes());
    let unsupported = |what: &str| InputError::Unsupported {
        origin: NO_PATH.into(),
        what: what.into(),
        hint: "give the plan as .docx (Word), .txt, .html or .pdf".into(),
    };
    if has("xl/workbook.xml") {
        return Err(unsupported("an Excel workbook (.xlsx), not a Word document"));
    }
    if has("ppt/presentation.xml") {
        return Err(unsupported("a PowerPoint presentation (.pptx), not a Word document"));
    }
    if has("content.xml") && has("mimetype") {
        return Err(unsupported(
            "an OpenDocument file (.odt), not a Word document: save it as .docx",
        ));
    }
    Err(docx_err(format!(
        "the zip archive has no {DEFAULT} ({} entries; is it really a .docx?)",
        names.len()
    )))
}

/// The officeDocument relationship's target in `_rels/.rels`, if any.
fn rels_main_target(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    let mut rels = Vec::new();
    archive
        .by_name("_rels/.rels")
        .ok()?
        .take(MAX_RELS)
        .read_to_end(&mut rels)
        .ok()?;
    let rels = String::from_utf8(rels).ok()?;
    let mut reader = quick_xml::Reader::from_str(&rels);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let attr = |key: &str| {
                    e.try_get_attribute(key).ok().flatten().and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| v.into_owned())
                    })
                };
                if attr("Type").is_some_and(|t| t.ends_with("/officeDocument")) {
                    return attr("Target").map(|t| t.trim_start_matches('/').to_string());
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Reads the main part, refusing declared or actual sizes over
/// [`MAX_DOCUMENT_XML`] and compression ratios over [`MAX_RATIO`].
fn read_main_part(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Vec<u8>, InputError> {
    let file = archive
        .by_name(name)
        .map_err(|e| docx_err(format!("cannot open {name} in the archive ({e})")))?;
    let declared = file.size();
    let compressed = file.compressed_size();
    let mib = |n: u64| n as f64 / (1024.0 * 1024.0);
    if declared > MAX_DOCUMENT_XML {
        return Err(bomb(format!(
            "{name} would decompress to {declared} bytes ({:.0} MiB), over the limit of 64 MiB",
            mib(declared)
        )));
    }
    let ratio_ok = |size: u64| size <= RATIO_FLOOR || size <= compressed.saturating_mul(MAX_RATIO);
    if !ratio_ok(declared) {
        return Err(bomb(format!(
            "{name} would decompress from {compressed} to {declared} bytes, a ratio over \
             {MAX_RATIO}:1"
        )));
    }
    let mut xml = Vec::with_capacity(declared as usize);
    // `take` bounds what is decompressed even if the header lies about the size.
    file.take(MAX_DOCUMENT_XML + 1)
        .read_to_end(&mut xml)
        .map_err(|e| docx_err(format!("{name} is corrupt: {e}")))?;
    let actual = xml.len() as u64;
    if actual > MAX_DOCUMENT_XML {
        return Err(bomb(format!(
            "{name} decompresses to more than 64 MiB although its header says {declared} bytes"
        )));
    }
    if !ratio_ok(actual) {
        return Err(bomb(format!(
            "{name} decompresses from {compressed} to {actual} bytes, a ratio over {MAX_RATIO}:1"
        )));
    }
    Ok(xml)
}

/// The XML as a string: UTF-8 (with or without BOM) or UTF-16 with a BOM.
fn xml_to_string(bytes: &[u8]) -> Result<String, String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling_and_without_replacement(&bytes[bom..])
            .map(|s| s.into_owned())
            .ok_or_else(|| format!("is not valid {}", enc.name()));
    }
    String::from_utf8(bytes.to_vec())
        .map_err(|e| format!("is not UTF-8 (invalid byte at offset {})", e.utf8_error().valid_up_to()))
}

/// Where text goes while walking `document.xml`.
#[derive(Default)]
struct Walk {
    out: String,
    /// Inside `<w:t>`.
    in_text: bool,
    /// Depth of `<w:r>` (tabs and breaks count only inside runs; `<w:tab>`
    /// also defines tab stops in paragraph properties).
    runs: usize,
    /// For each open table: the index of the current cell in its row and
    /// the number of paragraphs seen in that cell.
    tables: Vec<(usize, usize)>,
    /// Depth of elements whose text is skipped (`mc:Fallback`, which repeats
    /// `mc:Choice`; `w:moveFrom`, text moved elsewhere).
    skip: usize,
}

impl Walk {
    fn ensure_line(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    /// Inside a table cell, line breaks and tabs would break the row.
    fn in_table(&self) -> bool {
        !self.tables.is_empty()
    }

    fn start(&mut self, name: &str, empty: bool) {
        if matches!(name, "Fallback" | "moveFrom") {
            if !empty {
                self.skip += 1;
            }
            return;
        }
        if self.skip > 0 {
            return;
        }
        match name {
            "t" if !empty => self.in_text = true,
            "r" if !empty => self.runs += 1,
            "tab" if self.runs > 0 => self.out.push(if self.in_table() { ' ' } else { '\t' }),
            "br" | "cr" if self.runs > 0 => self.out.push(if self.in_table() { ' ' } else { '\n' }),
            "noBreakHyphen" => self.out.push('-'),
            "tbl" if !empty => {
                if self.tables.len() <= 1 {
                    self.ensure_line();
                }
                self.tables.push((0, 0));
            }
            "tr" if !empty => {
                if self.tables.len() == 1 {
                    self.ensure_line();
                }
                if let Some(t) = self.tables.last_mut() {
                    t.0 = 0;
                }
            }
            "tc" => {
                let nested = self.tables.len() > 1;
                if let Some(t) = self.tables.last_mut() {
                    if t.0 > 0 {
                        self.out.push(if nested { ' ' } else { '\t' });
                    }
                    t.0 += 1;
                    t.1 = 0;
                }
            }
            "p" => {
                if let Some(t) = self.tables.last_mut() {
                    if t.1 > 0 && !self.out.ends_with(['\t', ' ', '\n']) {
                        self.out.push(' ');
                    }
                    t.1 += 1;
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if matches!(name, "Fallback" | "moveFrom") {
            self.skip = self.skip.saturating_sub(1);
            return;
        }
        if self.skip > 0 {
            return;
        }
        match name {
            "t" => self.in_text = false,
            "r" => self.runs = self.runs.saturating_sub(1),
            "p" if !self.in_table() => self.out.push('\n'),
            "tr" => match self.tables.len() {
                0 => {}
                1 => self.out.push('\n'),
                _ => self.out.push(' '),
            },
            "tbl" => {
                self.tables.pop();
                if self.tables.is_empty() {
                    self.ensure_line();
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, s: &str) {
        if self.in_text && self.skip == 0 {
            self.out.push_str(s);
        }
    }
}

/// The text of a WordprocessingML document.
fn document_text(xml: &str) -> Result<String, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    let mut walk = Walk::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("is not well-formed XML (at byte {}: {e})", reader.error_position()))?;
        match event {
            Event::Start(e) => walk.start(e.local_name().as_ref(), false),
            Event::Empty(e) => {
                let name = e.local_name();
                walk.start(name.as_ref(), true);
                walk.end_empty(name.as_ref());
            }
            Event::End(e) => walk.end(e.local_name().as_ref()),
            Event::Text(t) => walk.text(&t.xml10_content()),
            Event::CData(t) => walk.text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => match r.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                    Err(_) => Some('\u{FFFD}'),
                };
                if let Some(c) = c {
                    walk.text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(walk.out)
}

impl Walk {
    /// An empty `<w:p/>` is an empty paragraph: a line of its own.
    fn end_empty(&mut self, name: &str) {
        if name == "p" && self.skip == 0 && !self.in_table() {
            self.out.push('\n');
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;

    use super::super::{decode, Format, InputError};
    use super::*;

    /// A document with two paragraphs (one with a tab, a break, an entity
    /// and a field code), a tab-stop definition that is no text, and a
    /// table of two rows.
    pub(in super::super) const DOCUMENT_XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
  xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
<w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
  <w:r><w:t>第一章</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">总体要求 </w:t></w:r>
  <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE \* MERGEFORMAT</w:instrText></w:r>
</w:p>
<w:p><w:r><w:t>到2025年，R&amp;D经费投入强度</w:t></w:r><w:r><w:t>达到2.5%</w:t><w:br/><w:t>以上。</w:t></w:r>
  <w:del><w:r><w:delText>删除的字</w:delText></w:r></w:del></w:p>
<w:p/>
<w:tbl>
  <w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>
  <w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2020年</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2025年</w:t></w:r></w:p></w:tc></w:tr>
  <w:tr><w:tc><w:p><w:r><w:t>森林覆盖率</w:t></w:r></w:p><w:p><w:r><w:t>（%）</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>24.1</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>文本框</w:t></mc:Choice><mc:Fallback><w:t>文本框</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>
<w:sectPr/>
</w:body>
</w:document>"#;

    pub(in super::super) fn build_docx(document_xml: &str) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        w.start_file("[Content_Types].xml", opts).unwrap();
        w.write_all(
            br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
        )
        .unwrap();
        w.start_file("word/document.xml", opts).unwrap();
        w.write_all(document_xml.as_bytes()).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn paragraphs_tables_tabs_and_breaks() {
        let text = decode(&build_docx(DOCUMENT_XML), Format::Docx).unwrap();
        assert_eq!(
            text,
            "第一章\t总体要求\n\
             到2025年，R&D经费投入强度达到2.5%\n以上。\n\
             \n\
             指标\t2020年\t2025年\n\
             森林覆盖率 （%）\t\t24.1\n\
             文本框"
        );
    }

    #[test]
    fn main_part_found_through_rels() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default();
        w.start_file("_rels/.rels", opts).unwrap();
        w.write_all(
            br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#,
        )
        .unwrap();
        w.start_file("word/document2.xml", opts).unwrap();
        w.write_all(b"<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>ok</w:t></w:r></w:p></w:body></w:document>")
            .unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert_eq!(decode(&bytes, Format::Docx).unwrap(), "ok");
    }

    #[test]
    fn missing_document_xml_and_other_office_files() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("readme.txt", SimpleFileOptions::default()).unwrap();
        w.write_all(b"hi").unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let e = decode(&bytes, Format::Docx).unwrap_err();
        assert!(matches!(e, InputError::Docx { .. }), "{e}");
        assert!(e.to_string().contains("no word/document.xml"), "{e}");

        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("xl/workbook.xml", SimpleFileOptions::default()).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let e = decode(&bytes, Format::Docx).unwrap_err();
        assert!(e.to_string().contains("Excel"), "{e}");
    }

    #[test]
    fn corrupt_zip_is_an_error() {
        let good = build_docx(DOCUMENT_XML);
        // Truncated: the central directory is gone.
        let e = decode(&good[..good.len() / 2], Format::Docx).unwrap_err();
        assert!(matches!(e, InputError::Docx { .. }), "{e}");
        assert!(e.to_string().contains("zip archive"), "{e}");
        // Compressed data overwritten: inflate or CRC fails.
        let mut bad = good.clone();
        let start = super::super::find(&bad, b"word/document.xml").unwrap() + 17;
        for b in &mut bad[start + 10..start + 200] {
            *b = 0x55;
        }
        let e = decode(&bad, Format::Docx).unwrap_err();
        assert!(matches!(e, InputError::Docx { .. }), "{e}");
        // Only a local header signature.
        let e = decode(b"PK\x03\x04garbage", Format::Docx).unwrap_err();
        assert!(matches!(e, InputError::Docx { .. }), "{e}");
    }

    #[test]
    fn malformed_xml_is_an_error() {
        let e = decode(&build_docx("<w:document><w:body><w:p><w:t>x</w:t"), Format::Docx).unwrap_err();
        assert!(e.to_string().contains("well-formed"), "{e}");
        // A BOM and a NUL: an error or text, never a panic.
        let _ = decode(&build_docx("\u{feff}<a>\u{0}</a>"), Format::Docx);
    }

    /// A zip whose `word/document.xml` is `size` zero bytes, compressed while
    /// streaming (the zeros are never all in memory).
    fn zeros_docx(size: usize) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        w.start_file("word/document.xml", opts).unwrap();
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..size / chunk.len() {
            w.write_all(&chunk).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// Offsets of the uncompressed-size fields of the first entry: in its
    /// local header and in its central-directory record.
    fn size_fields(zip: &[u8]) -> (usize, usize) {
        let local = super::super::find(zip, b"PK\x03\x04").unwrap() + 22;
        let central = super::super::find(zip, b"PK\x01\x02").unwrap() + 24;
        (local, central)
    }

    #[test]
    fn zip_bomb_with_honest_header_is_refused() {
        let bytes = zeros_docx(72 << 20);
        assert!(bytes.len() < 1 << 20, "{}", bytes.len());
        let e = decode(&bytes, Format::Docx).unwrap_err();
        assert!(matches!(e, InputError::ZipBomb { .. }), "{e}");
        assert!(e.to_string().contains("over the limit of 64 MiB"), "{e}");
    }

    #[test]
    fn zip_bomb_with_lying_header_is_bounded() {
        let mut bytes = zeros_docx(72 << 20);
        // Claim 1 MiB: the declared checks pass, the read must stop at 64 MiB.
        let (local, central) = size_fields(&bytes);
        for at in [local, central] {
            bytes[at..at + 4].copy_from_slice(&(1u32 << 20).to_le_bytes());
        }
        let e = decode(&bytes, Format::Docx).unwrap_err();
        assert!(matches!(e, InputError::ZipBomb { .. } | InputError::Docx { .. }), "{e}");
    }

    #[test]
    fn high_compression_ratio_is_refused() {
        // 8 MiB of zeros: under the size limit, far over 200:1.
        let bytes = zeros_docx(8 << 20);
        assert!(bytes.len() < 40 << 10, "{}", bytes.len());
        let e = decode(&bytes, Format::Docx).unwrap_err();
        assert!(matches!(e, InputError::ZipBomb { .. }), "{e}");
        assert!(e.to_string().contains("ratio over 200:1"), "{e}");
    }

    #[test]
    fn too_many_entries_are_refused() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        for i in 0..10_001 {
            w.start_file(format!("f{i}"), opts).unwrap();
        }
        let bytes = w.finish().unwrap().into_inner();
        assert_eq!(declared_entries(&bytes), Some(10_001));
        let e = decode(&bytes, Format::Docx).unwrap_err();
        assert!(matches!(e, InputError::ZipBomb { .. }), "{e}");
        assert!(e.to_string().contains("10001 entries"), "{e}");
    }
}
