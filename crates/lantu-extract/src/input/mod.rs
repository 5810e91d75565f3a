//! Turning a plan file (txt/md/html/docx/pdf) into plain text.
//!
//! [`read_path`] reads a file and [`decode`] turns its bytes into text with
//! `\n` line endings. The format comes from the file's extension
//! ([`Format::from_path`]), but the bytes win when they say otherwise: a zip
//! archive (`PK\x03\x04`) is read as `.docx` and a `%PDF-` file as PDF,
//! whatever the extension.
//!
//! Input is untrusted: every decoder bounds its memory (files over
//! [`MAX_TEXT_BYTES`] are refused, `.docx` archives are checked for zip
//! bombs, PDF streams are decompressed under a limit), and [`decode`] never
//! panics: a panic inside a third-party parser is caught and reported as an
//! error. [`fuzz_decode`] is the entry point for fuzz targets.

mod docx;
mod html;
mod pdf;
mod text;

use std::path::{Path, PathBuf};

/// Largest plan file accepted, in bytes (256 MiB).
pub const MAX_TEXT_BYTES: usize = 256 * 1024 * 1024;

/// Where an error happened when the bytes did not come from a file.
const NO_PATH: &str = "the input";

/// What a plan file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text (`.txt`, `.md` and anything unknown): UTF-8, UTF-16 with a
    /// byte-order mark, or GB18030/GBK.
    Text,
    /// A web page (`.html`, `.htm`).
    Html,
    /// A Word document (`.docx`, Office Open XML).
    Docx,
    /// A PDF with a text layer.
    Pdf,
}

impl Format {
    /// The format a file's extension names (case-insensitive); unknown or
    /// missing extensions are read as [`Format::Text`].
    pub fn from_path(path: &Path) -> Format {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("html" | "htm" | "xhtml" | "shtml") => Format::Html,
            Some("docx") => Format::Docx,
            Some("pdf") => Format::Pdf,
            _ => Format::Text,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "HTML",
            Format::Docx => ".docx",
            Format::Pdf => "PDF",
        }
    }
}

/// Why a plan file could not be turned into text.
///
/// Each message names the file (or "the input" for [`decode`]), says what is
/// wrong, and what to do next.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be opened or read.
    #[error("cannot read plan file {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The file is larger than [`MAX_TEXT_BYTES`].
    #[error(
        "{origin} is {size} bytes, over the limit of {limit} bytes (256 MiB) for a plan file: \
         give only the plan's text (.txt), or split the file"
    )]
    TooLarge { origin: String, size: u64, limit: u64 },

    /// Bytes given as text are not text in a known encoding.
    #[error(
        "{origin}: not a text file: {reason}; give the plan as UTF-8 or GB18030 text, \
         .html, .docx or .pdf"
    )]
    NotText { origin: String, reason: String },

    /// A `.docx` that cannot be read: not a zip, corrupt, no
    /// `word/document.xml`, malformed XML.
    #[error(
        "{origin}: cannot read the Word document: {reason}; open it in Word or WPS and \
         save it again as .docx, or give the plan as .txt"
    )]
    Docx { origin: String, reason: String },

    /// A `.docx` refused because it would decompress to too much (a zip bomb).
    #[error(
        "{origin}: refusing the Word document: {reason} (a zip bomb?); if the file is \
         genuine, give the plan as .txt"
    )]
    ZipBomb { origin: String, reason: String },

    /// A PDF that cannot be parsed.
    #[error(
        "{origin}: cannot read the PDF: {reason}; give the plan as .txt or .docx, or \
         re-save the PDF with another program"
    )]
    Pdf { origin: String, reason: String },

    /// A PDF whose pages carry no (readable) text.
    #[error(
        "{origin}: the PDF has no text layer (a scanned PDF?){detail}: run OCR first, or \
         give the plan as .txt/.docx"
    )]
    NoTextLayer { origin: String, detail: String },

    /// A file in a format this crate does not read (legacy `.doc`, a
    /// spreadsheet, an encrypted document…).
    #[error("{origin} is {what}, which cannot be read: {hint}")]
    Unsupported { origin: String, what: String, hint: String },
}

impl InputError {
    /// Replaces "the input" by the file's path in every variant that names
    /// where it happened.
    fn with_origin(mut self, path: &Path) -> InputError {
        match &mut self {
            InputError::Io { .. } => {}
            InputError::TooLarge { origin, .. }
            | InputError::NotText { origin, .. }
            | InputError::Docx { origin, .. }
            | InputError::ZipBomb { origin, .. }
            | InputError::Pdf { origin, .. }
            | InputError::NoTextLayer { origin, .. }
            | InputError::Unsupported { origin, .. } => {
                *origin = format!("plan file {}", path.display());
            }
        }
        self
    }
}

/// Reads a plan file and returns its text (see [`decode`]).
///
/// The format comes from the extension ([`Format::from_path`]), corrected by
/// the file's first bytes. Files over [`MAX_TEXT_BYTES`] are refused before
/// they are read.
pub fn read_path(path: &Path) -> Result<String, InputError> {
    let io_err = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        return Err(io_err(std::io::Error::other(
            "it is a directory: give the path of a plan file",
        )));
    }
    if meta.len() > MAX_TEXT_BYTES as u64 {
        return Err(too_large(meta.len()).with_origin(path));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // Bound the read as well: the file may grow between metadata() and read.
    use std::io::Read;
    std::fs::File::open(path)
        .map_err(io_err)?
        .take(MAX_TEXT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    let format = Format::from_path(path);
    if bytes.len() <= MAX_TEXT_BYTES
        && !bytes.is_empty()
        && matches!(effective_format(&bytes, format), Ok(Format::Text))
    {
        // Plain UTF-8 text is the file's bytes as they are: no copy.
        bytes = match text::plain_utf8(bytes) {
            Ok(s) => return Ok(s),
            Err(b) => b,
        };
    }
    decode(&bytes, format).map_err(|e| e.with_origin(path))
}

/// Turns the bytes of a plan file into text with `\n` line endings.
///
/// `format` is what the caller believes the bytes are (usually from the file
/// extension); the bytes' magic numbers take precedence (`PK\x03\x04` →
/// `.docx`, `%PDF-` → PDF). An empty input gives `Ok("")`.
///
/// Never panics, whatever the bytes: a panic inside a parser is caught and
/// returned as an error.
pub fn decode(bytes: &[u8], format: Format) -> Result<String, InputError> {
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    if bytes.is_empty() {
        return Ok(String::new());
    }
    let format = effective_format(bytes, format)?;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
        Format::Text => text::decode_text(bytes),
        Format::Html => html::decode_html(bytes),
        Format::Docx => docx::decode_docx(bytes),
        Format::Pdf => pdf::decode_pdf(bytes),
    }));
    match result {
        Ok(r) => r,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".to_string());
            let reason = format!("the {} reader failed on malformed data ({msg})", format.name());
            Err(match format {
                Format::Pdf => InputError::Pdf {
                    origin: NO_PATH.into(),
                    reason,
                },
                Format::Docx => InputError::Docx {
                    origin: NO_PATH.into(),
                    reason,
                },
                Format::Text | Format::Html => InputError::NotText {
                    origin: NO_PATH.into(),
                    reason,
                },
            })
        }
    }
}

/// Fuzz entry point: decodes `bytes` as every format and drops the results.
/// It must return (not panic, not hang, not exhaust memory) for any input.
pub fn fuzz_decode(bytes: &[u8]) {
    for format in [Format::Text, Format::Html, Format::Docx, Format::Pdf] {
        let _ = decode(bytes, format);
    }
}

fn too_large(size: u64) -> InputError {
    InputError::TooLarge {
        origin: NO_PATH.into(),
        size,
        limit: MAX_TEXT_BYTES as u64,
    }
}

/// The format the bytes are really in, given what the caller believes.
fn effective_format(bytes: &[u8], declared: Format) -> Result<Format, InputError> {
    const OLE2: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(Format::Docx);
    }
    // The PDF header may follow some junk; readers look in the first 1024 bytes.
    if find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(OLE2) {
        return Err(InputError::Unsupported {
            origin: NO_PATH.into(),
            what: "a legacy Word .doc (or a password-protected Office file)".into(),
            hint: "open it in Word or WPS, remove any password, and save it as .docx or .txt".into(),
        });
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(InputError::Unsupported {
            origin: NO_PATH.into(),
            what: "an RTF document".into(),
            hint: "open it in Word or WPS and save it as .docx or .txt".into(),
        });
    }
    match declared {
        Format::Docx => {
            if html::looks_like_html(bytes) {
                // Word's "save as web page" renamed to .docx, or a download page.
                return Ok(Format::Html);
            }
            Err(InputError::Docx {
                origin: NO_PATH.into(),
                reason: "it is not a zip archive (a .docx starts with \"PK\")".into(),
            })
        }
        Format::Pdf => {
            if html::looks_like_html(bytes) {
                return Ok(Format::Html);
            }
            Err(InputError::Pdf {
                origin: NO_PATH.into(),
                reason: "there is no %PDF- header in its first 1024 bytes".into(),
            })
        }
        other => Ok(other),
    }
}

/// Position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Whether `c` is a CJK character or CJK/full-width punctuation (text in
/// which words are not separated by spaces).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF      // radicals
        | 0x3000..=0x303F    // CJK punctuation (、。〈〉《》「」…)
        | 0x3040..=0x30FF    // kana
        | 0x3100..=0x312F    // bopomofo
        | 0x31C0..=0x31EF    // strokes
        | 0x3200..=0x33FF    // enclosed, compatibility
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // compatibility forms
        | 0xFF00..=0xFFEF    // full-width forms (，：（）％)
        | 0x20000..=0x3134F  // extensions B–G
    )
}

/// Tidies text built from markup (HTML, docx, PDF): no spaces at either end
/// of a line and no tabs at its end (a leading tab is an empty first table
/// cell), at most one blank line in a row, none at the start or end.
fn tidy_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_run = 0usize;
    let mut started = false;
    for line in s.split('\n') {
        let line = line.trim_end_matches([' ', '\t', '\r']).trim_start_matches(' ');
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if started {
            out.push('\n');
            if blank_run > 0 {
                out.push('\n');
            }
        }
        out.push_str(line);
        started = true;
        blank_run = 0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension() {
        assert_eq!(Format::from_path(Path::new("a/plan.txt")), Format::Text);
        assert_eq!(Format::from_path(Path::new("plan.md")), Format::Text);
        assert_eq!(Format::from_path(Path::new("plan")), Format::Text);
        assert_eq!(Format::from_path(Path::new("plan.csv")), Format::Text);
        assert_eq!(Format::from_path(Path::new("plan.HTML")), Format::Html);
        assert_eq!(Format::from_path(Path::new("plan.htm")), Format::Html);
        assert_eq!(Format::from_path(Path::new("规划纲要.docx")), Format::Docx);
        assert_eq!(Format::from_path(Path::new("规划纲要.PDF")), Format::Pdf);
    }

    #[test]
    fn empty_input_is_empty_text_in_every_format() {
        for f in [Format::Text, Format::Html, Format::Docx, Format::Pdf] {
            assert_eq!(decode(b"", f).unwrap(), "");
        }
    }

    #[test]
    fn magic_bytes_beat_the_extension() {
        let docx = docx::tests::build_docx(docx::tests::DOCUMENT_XML);
        let text = decode(&docx, Format::Text).unwrap();
        assert!(text.contains("第一章"), "{text}");
        let pdf = pdf::tests::simple_pdf("BT /F1 12 Tf 72 720 Td (2025 75%) Tj ET");
        assert_eq!(decode(&pdf, Format::Html).unwrap(), "2025 75%");
        // An HTML page saved with a .docx or .pdf name is read as HTML.
        let html = "<html><body><p>到2025年</p></body></html>".as_bytes();
        assert_eq!(decode(html, Format::Docx).unwrap(), "到2025年");
        assert_eq!(decode(html, Format::Pdf).unwrap(), "到2025年");
    }

    #[test]
    fn legacy_doc_and_rtf_are_refused_with_advice() {
        let mut doc = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        doc.extend_from_slice(&[0u8; 600]);
        for f in [Format::Text, Format::Docx] {
            let e = decode(&doc, f).unwrap_err();
            assert!(matches!(e, InputError::Unsupported { .. }), "{e}");
            assert!(e.to_string().contains("save it as .docx"), "{e}");
        }
        let e = decode(b"{\\rtf1\\ansi hello}", Format::Text).unwrap_err();
        assert!(matches!(e, InputError::Unsupported { .. }), "{e}");
    }

    #[test]
    fn declared_docx_or_pdf_that_is_neither_is_an_error() {
        let e = decode(b"just some words", Format::Docx).unwrap_err();
        assert!(matches!(e, InputError::Docx { .. }), "{e}");
        let e = decode(b"just some words", Format::Pdf).unwrap_err();
        assert!(matches!(e, InputError::Pdf { .. }), "{e}");
        assert!(e.to_string().contains("%PDF-"), "{e}");
    }

    #[test]
    fn read_path_names_the_file_and_refuses_directories() {
        let dir = std::env::temp_dir().join(format!("lantu-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("plan.txt");
        std::fs::write(&good, "第一章 总体要求\r\n到2025年\r\n").unwrap();
        assert_eq!(read_path(&good).unwrap(), "第一章 总体要求\n到2025年\n");

        let bad = dir.join("plan.pdf");
        std::fs::write(&bad, b"%PDF-1.4\n garbage").unwrap();
        let e = read_path(&bad).unwrap_err();
        assert!(e.to_string().contains("plan.pdf"), "{e}");

        let e = read_path(&dir.join("missing.txt")).unwrap_err();
        assert!(matches!(e, InputError::Io { .. }));
        assert!(e.to_string().contains("missing.txt"), "{e}");

        let e = read_path(&dir).unwrap_err();
        // The cause is the error's source; the CLI prints the whole chain.
        let chain = format!(
            "{e}: {}",
            std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_default()
        );
        assert!(chain.contains("directory"), "{chain}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn too_large_message_names_the_file_and_the_limit() {
        let e = too_large(MAX_TEXT_BYTES as u64 + 1).with_origin(Path::new("big.txt"));
        let msg = e.to_string();
        assert!(msg.contains("plan file big.txt") && msg.contains("256 MiB"), "{msg}");
    }

    #[test]
    fn read_path_checks_size_from_metadata() {
        // A sparse file just over the limit: metadata says it is too large, and
        // nothing is read (the test would otherwise allocate 256 MiB).
        let dir = std::env::temp_dir().join(format!("lantu-input-big-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("big.txt");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_TEXT_BYTES as u64 + 1).unwrap();
        drop(f);
        let e = read_path(&big).unwrap_err();
        assert!(matches!(e, InputError::TooLarge { .. }), "{e}");
        assert!(e.to_string().contains("big.txt"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn tidy_lines_collapses_blank_runs() {
        assert_eq!(tidy_lines("\n\n a \t\n\n\n\nb\n \n"), "a\n\nb");
        assert_eq!(tidy_lines("\tb\tc\t\n\t\n"), "\tb\tc");
        assert_eq!(tidy_lines("a\nb"), "a\nb");
        assert_eq!(tidy_lines(""), "");
    }

    /// A tiny deterministic generator, so the fuzz-style tests need no crate.
    pub(super) struct XorShift(pub u64);
    impl XorShift {
        pub fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }
        pub fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n).map(|_| self.next() as u8).collect()
        }
    }

    #[test]
    fn decode_never_panics_on_random_or_mutated_input() {
        fuzz_rounds(150, 0x9E37_79B9_7F4A_7C15);
    }

    /// A longer run: `LANTU_FUZZ_ROUNDS=20000 cargo test --release -p
    /// lantu-extract input::tests::fuzz_long -- --ignored --nocapture`; any
    /// "panicked at" line printed names a parser to fix or guard.
    #[test]
    #[ignore]
    fn fuzz_long() {
        let rounds = std::env::var("LANTU_FUZZ_ROUNDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5_000);
        fuzz_rounds(rounds, 0xDEAD_BEEF_1234_5678);
    }

    /// Prints what [`read_path`] makes of a file, for trying real plans:
    /// `LANTU_INPUT_FILE=plan.pdf cargo test -p lantu-extract
    /// input::tests::print_file -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn print_file() {
        let path = std::env::var("LANTU_INPUT_FILE").expect("set LANTU_INPUT_FILE");
        match read_path(Path::new(&path)) {
            Ok(text) => println!("{text}"),
            Err(e) => println!("ERROR: {e}"),
        }
    }

    fn fuzz_rounds(rounds: usize, seed: u64) {
        let mut rng = XorShift(seed);
        for n in [1usize, 2, 3, 7, 64, 1000, 5000] {
            for _ in 0..20 {
                fuzz_decode(&rng.bytes(n));
            }
        }
        // Mutations of valid files exercise deeper code than random bytes do.
        let seeds: Vec<Vec<u8>> = vec![
            docx::tests::build_docx(docx::tests::DOCUMENT_XML),
            pdf::tests::simple_pdf("BT /F1 12 Tf 72 720 Td (2025 75%) Tj ET"),
            pdf::tests::cjk_pdf(),
            b"<html><head><meta charset=gbk><script>x</script></head><p>a&amp;b&#x4E2D;</p>".to_vec(),
            "第一章\r\n到2025年，达到75%。".as_bytes().to_vec(),
        ];
        for seed in &seeds {
            for _ in 0..rounds {
                let mut m = seed.clone();
                let edits = 1 + rng.next() % 8;
                for _ in 0..edits {
                    let i = (rng.next() as usize) % m.len();
                    match rng.next() % 4 {
                        0 => m[i] = rng.next() as u8,
                        1 => m.truncate(i.max(1)),
                        2 => m.insert(i, rng.next() as u8),
                        _ => {
                            let j = (rng.next() as usize) % m.len();
                            m.swap(i, j)
                        }
                    }
                }
                fuzz_decode(&m);
            }
        }
    }
}
