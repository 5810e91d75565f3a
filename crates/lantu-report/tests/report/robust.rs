//! Text that means something to XML, HTML or typst comes out as text, and
//! an empty plan still makes a report.

use super::common;
use lantu_report::{render, Format, Lang, ReportKind};
use std::io::{Cursor, Read};

const HOSTILE: &str = r#"R&D <投入> "强度" #set text(red) \ $x$ *粗* [链接] ]]> 'q'"#;

#[test]
fn markup_in_the_data_is_text_in_every_format() {
    let mut s = common::snapshot(2023);
    s.indicators[0].name = HOSTILE.to_string();
    s.chapters[0].title = "第三章 <&> #[x]".to_string();
    s.tasks[0].note = Some("a\\b\"c".into());
    for format in Format::ALL {
        let bytes = render(&s, ReportKind::Midterm, Lang::Zh, format).unwrap_or_else(|e| panic!("{format}: {e}"));
        match format {
            Format::Html => {
                let html = String::from_utf8(bytes).unwrap();
                assert!(html.contains("R&amp;D &lt;投入&gt; &quot;强度&quot; #set text(red)"));
                assert!(!html.contains("<投入>"));
            }
            Format::Docx => {
                let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
                let mut xml = String::new();
                zip.by_name("word/document.xml")
                    .unwrap()
                    .read_to_string(&mut xml)
                    .unwrap();
                let doc = super::docx::parse(&xml);
                let table = doc.tables.iter().find(|t| t[0].len() == 10).unwrap();
                assert_eq!(table[1][1][0], HOSTILE);
            }
            Format::Pdf => {
                let doc = lopdf::Document::load_mem(&bytes).unwrap();
                let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
                let text: String = doc
                    .extract_text(&pages)
                    .unwrap()
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                assert!(text.contains("#settext(red)"), "typst did not run the text as code");
                assert!(text.contains("$x$"));
            }
            Format::Xlsx => {}
        }
    }
}

#[test]
fn an_empty_plan_still_makes_a_report() {
    let mut s = common::snapshot(2023);
    s.indicators.clear();
    s.chapters.clear();
    s.tasks.clear();
    s.projects.clear();
    s.notes = Default::default();
    for format in Format::ALL {
        for lang in [Lang::Zh, Lang::En] {
            let bytes = render(&s, ReportKind::Annual, lang, format).unwrap_or_else(|e| panic!("{format}: {e}"));
            assert!(!bytes.is_empty());
        }
    }
}
