//! The PDF: structure read with lopdf (pages, embedded CJK fonts), text
//! extracted with lopdf and with pdftotext (poppler-utils; required under
//! CI, skipped with a note elsewhere when missing).

use super::common;
use lantu_report::{render, Format, Lang, ReportKind};
use std::process::Command;

pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("lantu-report-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = match Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) => out,
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "pdftotext is missing: run scripts/install-report-deps (poppler-utils)"
            );
            eprintln!("note: pdftotext not found (Debian poppler-utils); PDF text checked with lopdf only");
            return None;
        }
    };
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    Some(String::from_utf8(out.stdout).unwrap())
}

/// Names of the fonts a PDF embeds, each checked to be embedded.
pub fn pdf_fonts(doc: &lopdf::Document) -> Vec<String> {
    let mut names = Vec::new();
    for obj in doc.objects.values() {
        if let Ok(dict) = obj.as_dict() {
            if dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor".as_slice()) {
                let name = String::from_utf8_lossy(dict.get(b"FontName").unwrap().as_name().unwrap()).to_string();
                assert!(
                    dict.has(b"FontFile") || dict.has(b"FontFile2") || dict.has(b"FontFile3"),
                    "{name} is not embedded"
                );
                names.push(name);
            }
        }
    }
    names
}

#[test]
fn pdf_embeds_cjk_fonts_and_its_text_says_the_report() {
    let s = common::snapshot(2023);
    let pdf = render(&s, ReportKind::Midterm, Lang::Zh, Format::Pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let doc = lopdf::Document::load_mem(&pdf).expect("lopdf reads the PDF");
    let pages = doc.get_pages();
    assert!(pages.len() >= 6, "{} pages", pages.len());

    // Every font is embedded (a FontFile stream in its descriptor), and the
    // CJK ones are there.
    let names = pdf_fonts(&doc);
    assert!(!names.is_empty());
    assert!(names.iter().any(|n| n.contains("CJK")), "{names:?}");

    // Text, through lopdf.
    let numbers: Vec<u32> = pages.keys().copied().collect();
    let text = squeeze(&doc.extract_text(&numbers).unwrap_or_default());
    check_text(&text, &s);

    // Text, through poppler.
    if let Some(t) = pdftotext(&pdf) {
        check_text(&squeeze(&t), &s);
    }
}

pub fn check_text(text: &str, s: &lantu_core::snapshot::Snapshot) {
    for want in [
        "指标",
        "主要指标进展情况",
        "时间过半",
        "示例数据，非正式统计数据",
        "预警指标",
    ] {
        assert!(text.contains(want), "{want} in the PDF text");
    }
    for i in &s.indicators {
        assert!(text.contains(&squeeze(&i.name)), "{} in the PDF text", i.name);
        assert!(
            text.contains(i.assessment.status.label_zh()),
            "{}",
            i.assessment.status.label_zh()
        );
    }
    assert!(text.contains("森林覆盖率由2020年的24.1%提高到2023年的24.25%"));
}

#[test]
fn english_and_final_pdfs() {
    let s = common::snapshot(2025);
    let pdf = render(&s, ReportKind::Final, Lang::En, Format::Pdf).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    assert!(doc.get_pages().len() >= 5);
    if let Some(t) = pdftotext(&pdf) {
        let t = squeeze(&t);
        assert!(t.contains("Completed") && t.contains("Notcompleted"), "{t}");
        assert!(t.contains("Illustrativesampledata"));
    }
}
