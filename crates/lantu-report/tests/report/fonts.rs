//! Every format written with the embedded font alone (system fonts
//! ignored), so the suite fails if the binary's font goes missing; a
//! character no font has is named in a warning.

use super::common;
use super::pdf::{check_text, pdf_fonts, pdftotext, squeeze};
use lantu_report::content::Report;
use lantu_report::fonts::FontSource;
use lantu_report::{render_with, Format, Lang, RenderOptions, ReportKind, Warning};
use std::io::{Cursor, Read};

const EMBEDDED: RenderOptions = RenderOptions {
    fonts: FontSource::EmbeddedOnly,
};

#[test]
fn every_format_works_with_the_embedded_font_alone() {
    let mut s = common::snapshot(2023);
    // Place names beyond GB 2312 (in GBK): 甪直, 浡泥.
    s.indicators[0].name = format!("甪直镇{}", s.indicators[0].name);
    s.chapters[0].title = format!("{}（浡泥）", s.chapters[0].title);
    let report = Report::build(&s, ReportKind::Midterm, Lang::Zh);
    for format in Format::ALL {
        let out = render_with(&report, format, &EMBEDDED).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert_eq!(out.warnings, [], "{format}");
        match format {
            Format::Pdf => {
                let doc = lopdf::Document::load_mem(&out.bytes).unwrap();
                let names = pdf_fonts(&doc);
                assert!(!names.is_empty());
                assert!(
                    names.iter().all(|n| n.contains("LantuSansCJK")),
                    "only the embedded font: {names:?}"
                );
                let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
                let text = squeeze(&doc.extract_text(&pages).unwrap_or_default());
                check_text(&text, &s);
                assert!(text.contains("甪直镇") && text.contains("浡泥"));
                if let Some(t) = pdftotext(&out.bytes) {
                    let t = squeeze(&t);
                    check_text(&t, &s);
                    assert!(t.contains("甪直镇") && t.contains("浡泥"), "{t}");
                }
            }
            Format::Docx => {
                let mut zip = zip::ZipArchive::new(Cursor::new(out.bytes)).unwrap();
                let mut png = Vec::new();
                zip.by_name("word/media/chart1.png")
                    .expect("a chart image")
                    .read_to_end(&mut png)
                    .unwrap();
                assert!(png.starts_with(b"\x89PNG"));
            }
            Format::Html | Format::Xlsx => assert!(!out.bytes.is_empty()),
        }
    }
}

#[test]
fn a_character_no_font_has_is_named_in_a_warning() {
    let mut s = common::snapshot(2023);
    s.indicators[0].name = format!("{}😀", s.indicators[0].name);
    let report = Report::build(&s, ReportKind::Annual, Lang::Zh);
    let out = render_with(&report, Format::Pdf, &EMBEDDED).unwrap();
    assert_eq!(out.warnings, [Warning::MissingGlyphs(vec!['😀'])]);
    let msg = out.warnings[0].to_string();
    assert!(msg.contains("😀 (U+1F600)"), "{msg}");
    // The formats that draw no text themselves have nothing to warn about.
    for format in [Format::Html, Format::Xlsx] {
        assert_eq!(render_with(&report, format, &EMBEDDED).unwrap().warnings, []);
    }
}
