//! Renders the demo report in every format into target/report-artifacts/
//! and turns pages of the PDF into PNG images (pdftoppm) to look at. The
//! tool is required under CI (CI set); elsewhere the test says so and skips
//! the image when it is missing.

use super::common;
use lantu_report::{render, Format, Lang, ReportKind};
use std::path::PathBuf;
use std::process::Command;

fn artifacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("report-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

#[test]
fn demo_report_in_every_format_and_a_page_as_png() {
    let dir = artifacts();
    let s = common::snapshot(2023);
    for (kind, lang, stem) in [
        (ReportKind::Midterm, Lang::Zh, "midterm-zh"),
        (ReportKind::Annual, Lang::En, "annual-en"),
    ] {
        for format in Format::ALL {
            let bytes = render(&s, kind, lang, format).unwrap_or_else(|e| panic!("{stem}.{format}: {e}"));
            std::fs::write(dir.join(format!("{stem}.{}", format.extension())), bytes).unwrap();
        }
    }
    let fin = common::snapshot(2025);
    let bytes = render(&fin, ReportKind::Final, Lang::Zh, Format::Pdf).unwrap();
    std::fs::write(dir.join("final-zh.pdf"), bytes).unwrap();

    if !have("pdftoppm") {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftoppm is missing: run scripts/install-report-deps (poppler-utils)"
        );
        eprintln!("note: pdftoppm not found (Debian poppler-utils); the PNG pages were not made");
        return;
    }
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "110", "-f", "1", "-l", "6"])
        .arg(dir.join("midterm-zh.pdf"))
        .arg(dir.join("midterm-zh-page"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftoppm: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("midterm-zh-page"))
        .collect();
    assert!(!pages.is_empty(), "no PNG page in {}", dir.display());
    for p in &pages {
        let png = std::fs::read(p.path()).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{} is not a PNG", p.path().display());
    }
    eprintln!("report artifacts in {}", dir.display());
}
