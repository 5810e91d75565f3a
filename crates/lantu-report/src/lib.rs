//! Evaluation reports (评估报告) from a status [`Snapshot`]: the annual
//! monitoring report (年度监测报告), the mid-term evaluation (中期评估报告) and
//! the final evaluation (总结评估报告), in the formats planning offices
//! exchange — Word (`.docx`), Excel (`.xlsx`), HTML and PDF — in formal
//! Simplified Chinese or in English.
//!
//! One pass turns the snapshot into a format-neutral [`content`] model
//! (summary, the indicator table, early warnings, chapter-by-chapter
//! sentences with charts, tasks and projects, data notes, and for mid-term
//! and final reports the comparison against the time-proportional schedule);
//! each writer renders that model. Every format is generated natively:
//!
//! * `.docx`: OOXML written by hand into a zip (Heading styles, a Word table,
//!   a PAGE field in the footer, East Asian fonts, chart PNGs);
//! * `.xlsx`: `rust_xlsxwriter`, typed cells;
//! * `.html`: one self-contained page, inline CSS and SVG charts;
//! * `.pdf`: typst as a library, with CJK fonts embedded as subsets: the
//!   system's Noto CJK where present, else the one built into the binary
//!   (see [`fonts`]).
//!
//! Charts plot the core's one series model (`lantu_core::series`), drawn
//! as SVG by hand by [`chart::draw`], the renderer the web pages use too;
//! the `.docx` gets them as PNG through `resvg`.

pub mod chart;
pub mod content;
mod docx;
pub mod fonts;
mod html;
mod num;
#[cfg(feature = "pdf")]
mod pdf;
mod words;
mod xlsx;

pub use lantu_core::snapshot::{ReportKind, Snapshot};
use std::fmt;
use std::str::FromStr;

/// The language of a report: the one language type of pages, messages
/// and reports (`zh` or `en`).
pub use lantu_core::messages::Lang;

/// The file format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Docx,
    Xlsx,
    Html,
    Pdf,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Docx, Format::Xlsx, Format::Html, Format::Pdf];

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }

    /// The media type, for a download.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
        }
    }
}

impl FromStr for Format {
    type Err = ReportError;
    fn from_str(s: &str) -> Result<Format, ReportError> {
        match s.trim().trim_start_matches('.').to_ascii_lowercase().as_str() {
            "docx" | "word" => Ok(Format::Docx),
            "xlsx" | "excel" => Ok(Format::Xlsx),
            "html" | "htm" => Ok(Format::Html),
            "pdf" => Ok(Format::Pdf),
            _ => Err(ReportError::UnknownFormat(s.to_string())),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// What can go wrong while writing a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("font file {path}: {source}")]
    FontRead {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("PDF reports are not built into this binary: build lantu-report with the `pdf` feature")]
    PdfDisabled,
    #[error("PDF layout failed: {0}")]
    Pdf(String),
    #[error("Word writer: {0}")]
    Docx(#[from] zip::result::ZipError),
    #[error("Excel writer: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("chart image: {0}")]
    Chart(String),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("unknown report format `{0}`: use docx, xlsx, html or pdf")]
    UnknownFormat(String),
}

/// How to render a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RenderOptions {
    /// The fonts the PDF and the chart images may use.
    pub fonts: fonts::FontSource,
}

/// Something a reader of the report should know that did not stop it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Characters that no font has a glyph for: the PDF or the chart
    /// images show them as empty boxes.
    MissingGlyphs(Vec<char>),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::MissingGlyphs(chars) => {
                let list: Vec<String> = chars.iter().map(|c| format!("{c} (U+{:04X})", u32::from(*c))).collect();
                write!(
                    f,
                    "no font has a glyph for {} character(s), shown as empty boxes: {}; \
                     install a CJK font that has them or set LANTU_FONT_DIR to a folder with one",
                    chars.len(),
                    list.join(", ")
                )
            }
        }
    }
}

/// A written report and what its reader should know.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub warnings: Vec<Warning>,
}

/// Writes the report `kind` of `snapshot` in `lang` as `format`; warnings
/// are logged (`tracing`).
pub fn render(snapshot: &Snapshot, kind: ReportKind, lang: Lang, format: Format) -> Result<Vec<u8>, ReportError> {
    let report = content::Report::build(snapshot, kind, lang);
    render_report(&report, format)
}

/// Writes an already built report model as `format` (to write several
/// formats of one report without building it again); warnings are logged.
pub fn render_report(report: &content::Report, format: Format) -> Result<Vec<u8>, ReportError> {
    let out = render_with(report, format, &RenderOptions::default())?;
    for w in &out.warnings {
        tracing::warn!(report = %report.title, %format, "{w}");
    }
    Ok(out.bytes)
}

/// Writes a report model as `format` with `options`, returning the
/// warnings with the bytes.
pub fn render_with(report: &content::Report, format: Format, options: &RenderOptions) -> Result<Rendered, ReportError> {
    let plain = |bytes| Rendered {
        bytes,
        warnings: Vec::new(),
    };
    match format {
        Format::Docx => docx::write(report, options),
        Format::Xlsx => xlsx::write(report).map(plain),
        Format::Html => Ok(plain(html::write(report).into_bytes())),
        Format::Pdf => pdf_bytes(report, options),
    }
}

/// The [`Warning`] for the characters of `texts` that `fonts` cannot draw.
pub(crate) fn glyph_warnings<'a>(fonts: &fonts::FontSet, texts: impl IntoIterator<Item = &'a str>) -> Vec<Warning> {
    let missing = fonts.missing(texts);
    if missing.is_empty() {
        Vec::new()
    } else {
        vec![Warning::MissingGlyphs(missing)]
    }
}

#[cfg(feature = "pdf")]
fn pdf_bytes(report: &content::Report, options: &RenderOptions) -> Result<Rendered, ReportError> {
    pdf::write(report, options)
}

#[cfg(not(feature = "pdf"))]
fn pdf_bytes(_report: &content::Report, _options: &RenderOptions) -> Result<Rendered, ReportError> {
    Err(ReportError::PdfDisabled)
}

/// The Word report (`.docx`).
pub fn render_docx(snapshot: &Snapshot, kind: ReportKind, lang: Lang) -> Result<Vec<u8>, ReportError> {
    render(snapshot, kind, lang, Format::Docx)
}

/// The Excel workbook (`.xlsx`): a summary sheet, the full indicator table
/// and one sheet per chapter.
pub fn render_xlsx(snapshot: &Snapshot, kind: ReportKind, lang: Lang) -> Result<Vec<u8>, ReportError> {
    render(snapshot, kind, lang, Format::Xlsx)
}

/// The self-contained, printable HTML page.
pub fn render_html(snapshot: &Snapshot, kind: ReportKind, lang: Lang) -> String {
    html::write(&content::Report::build(snapshot, kind, lang))
}

/// The PDF report, with CJK fonts embedded (as subsets).
pub fn render_pdf(snapshot: &Snapshot, kind: ReportKind, lang: Lang) -> Result<Vec<u8>, ReportError> {
    render(snapshot, kind, lang, Format::Pdf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_languages_parse() {
        assert_eq!("docx".parse::<Format>().unwrap(), Format::Docx);
        assert_eq!(".XLSX".parse::<Format>().unwrap(), Format::Xlsx);
        assert_eq!("htm".parse::<Format>().unwrap(), Format::Html);
        assert_eq!("pdf".parse::<Format>().unwrap(), Format::Pdf);
        assert!("odt"
            .parse::<Format>()
            .unwrap_err()
            .to_string()
            .contains("docx, xlsx, html or pdf"));
        // One language type (issue 9): the pages' and messages' own parse.
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::default(), Lang::Zh);
        assert_eq!(Lang::parse("fr"), None);
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>().unwrap(), f);
            assert!(!f.mime().is_empty());
        }
    }
}
