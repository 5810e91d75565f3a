//! The Word report, unzipped and parsed with quick-xml.

use super::common;
use lantu_core::progress::Status;
use lantu_core::snapshot::Snapshot;
use lantu_report::{render, Format, Lang, ReportKind};
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// What a reader sees in document.xml: paragraphs outside tables with their
/// style, and tables as rows of cells of paragraphs.
#[derive(Default, Debug)]
pub struct Doc {
    pub paragraphs: Vec<(String, String)>,
    pub tables: Vec<Vec<Vec<Vec<String>>>>,
    pub images: usize,
}

fn attr(e: &quick_xml::events::BytesStart, key: &str) -> Option<String> {
    e.try_get_attribute(key).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

pub fn parse(xml: &str) -> Doc {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut doc = Doc::default();
    let mut depth_tbl = 0usize;
    let mut text: Option<String> = None;
    let mut in_t = false;
    let mut style = String::new();
    let mut row: Vec<Vec<String>> = Vec::new();
    let mut cell: Vec<String> = Vec::new();
    let mut table: Vec<Vec<Vec<String>>> = Vec::new();
    loop {
        let ev = reader
            .read_event()
            .unwrap_or_else(|e| panic!("document.xml is not well-formed: {e}"));
        match ev {
            Event::Start(e) => match e.name().as_ref() {
                "w:tbl" => {
                    depth_tbl += 1;
                    table = Vec::new();
                }
                "w:tr" => row = Vec::new(),
                "w:tc" => cell = Vec::new(),
                "w:p" => {
                    text = Some(String::new());
                    style.clear();
                }
                "w:t" => in_t = true,
                "wp:inline" => doc.images += 1,
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:pStyle" => style = attr(&e, "w:val").unwrap_or_default(),
                "w:br" => {
                    if let Some(t) = text.as_mut() {
                        t.push('\n');
                    }
                }
                "w:p" => {
                    if depth_tbl == 0 {
                        doc.paragraphs.push((String::new(), String::new()));
                    } else {
                        cell.push(String::new());
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_t = false,
                "w:p" => {
                    let t = text.take().unwrap_or_default();
                    if depth_tbl == 0 {
                        doc.paragraphs.push((style.clone(), t));
                    } else {
                        cell.push(t);
                    }
                }
                "w:tc" => row.push(std::mem::take(&mut cell)),
                "w:tr" => table.push(std::mem::take(&mut row)),
                "w:tbl" => {
                    depth_tbl -= 1;
                    doc.tables.push(std::mem::take(&mut table));
                }
                _ => {}
            },
            Event::Text(t) if in_t => {
                if let Some(buf) = text.as_mut() {
                    buf.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_t => {
                let c = match r.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => r.resolve_char_ref().ok().flatten().unwrap_or('\u{FFFD}'),
                };
                if let Some(buf) = text.as_mut() {
                    buf.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    doc
}

fn part(zip: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> String {
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} missing"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// The indicator table's rows equal the snapshot: name, unit, baseline,
/// target year, current value, status label, attribute, departments.
pub fn check_indicator_table(doc: &Doc, s: &Snapshot, lang: Lang) {
    let head = match lang {
        Lang::Zh => [
            "类别",
            "指标",
            "单位",
            "基期值",
            "目标值",
            "当前值",
            "进度",
            "状态",
            "属性",
            "责任单位",
        ],
        Lang::En => [
            "Category",
            "Indicator",
            "Unit",
            "Baseline",
            "Target",
            "Current",
            "Progress",
            "Status",
            "Attribute",
            "Responsible",
        ],
    };
    let table = doc
        .tables
        .iter()
        .find(|t| t.first().is_some_and(|r| r.len() == 10 && r[1][0] == head[1]))
        .expect("the indicator table");
    let header: Vec<&str> = table[0].iter().map(|c| c[0].as_str()).collect();
    assert_eq!(header, head);
    assert_eq!(table.len(), s.indicators.len() + 1, "one row per indicator");
    for (row, i) in table[1..].iter().zip(&s.indicators) {
        let cell = |k: usize| row[k].join("\n");
        assert_eq!(row[1][0], i.name);
        assert_eq!(row[2][0], i.unit.clone().unwrap());
        match &i.baseline {
            Some(b) => {
                assert_eq!(row[3][0], b.value.normalize().to_string(), "{}", i.name);
                assert!(cell(3).contains(&b.year.to_string()));
            }
            None => assert_eq!(row[3][0], "—"),
        }
        assert!(cell(4).contains(&i.target.year.to_string()), "{}", cell(4));
        if let Some(v) = i.target.value {
            assert!(row[4][0].contains(&v.normalize().to_string()), "{} vs {v}", row[4][0]);
        }
        match common::current_text(i, s.evaluation_year) {
            Some(v) => assert!(row[5][0].contains(&v), "{}: {} vs {v}", i.name, row[5][0]),
            None => assert_eq!(row[5][0], "—"),
        }
        match i.assessment.progress {
            Some(p) => assert_eq!(row[6][0], format!("{:.1}%", p * 100.0)),
            None => assert_eq!(row[6][0], "—"),
        }
        let label = match lang {
            Lang::Zh => i.assessment.status.label_zh(),
            Lang::En => i.assessment.status.label_en(),
        };
        assert_eq!(row[7][0], label, "{}", i.name);
        assert_eq!(
            cell(7).contains("预警") || cell(7).contains("warning"),
            i.assessment.warning
        );
        let attr = match (lang, i.attribute) {
            (Lang::Zh, lantu_core::Attribute::Binding) => "约束性",
            (Lang::Zh, _) => "预期性",
            (Lang::En, lantu_core::Attribute::Binding) => "Binding",
            (Lang::En, _) => "Expected",
        };
        assert_eq!(row[8][0], attr);
        for d in &i.departments {
            assert!(row[9][0].contains(d.as_str()));
        }
    }
}

#[test]
fn word_report_has_the_table_headings_footer_page_field_and_charts() {
    let s = common::snapshot(2023);
    let bytes = render(&s, ReportKind::Midterm, Lang::Zh, Format::Docx).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let doc = parse(&part(&mut zip, "word/document.xml"));

    check_indicator_table(&doc, &s, Lang::Zh);

    let h1: Vec<&str> = doc
        .paragraphs
        .iter()
        .filter(|(st, _)| st == "Heading1")
        .map(|(_, t)| t.as_str())
        .collect();
    for want in [
        "一、总体情况",
        "二、主要指标进展情况",
        "三、预警指标",
        "四、对照时序进度评估",
        "五、分领域进展情况",
        "六、重点任务和重大项目",
        "七、评估意见",
        "八、数据说明",
    ] {
        assert!(h1.contains(&want), "Heading 1 {want} in {h1:?}");
    }
    let h2: Vec<&str> = doc
        .paragraphs
        .iter()
        .filter(|(st, _)| st == "Heading2")
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(h2.contains(&"（一）第三章　推动经济高质量发展和民生改善"), "{h2:?}");
    assert!(h2.contains(&"（二）第五章　推进绿色低碳发展"), "{h2:?}");
    let body: String = doc
        .paragraphs
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(body.contains("示例数据，非正式统计数据"), "sample-data line");
    assert!(body.contains("时间过半"));
    assert!(body.contains("时间过半、任务过半"));
    assert!(
        body.contains("森林覆盖率由2020年的24.1%提高到2023年的24.25%，目标2025年达到24.5%以上，进度37.5%（时序进度60.0%），滞后（数据来源：区林业局；监测记录#"),
        "the forest sentence"
    );
    assert!(body.contains("【约束性】森林覆盖率"), "the warning");
    assert!(
        body.contains("城镇新增就业人数2021年至2023年累计3万人（其中2023年0.9万人），目标2025年累计达到5万人以上"),
        "the cumulative total"
    );

    // Page numbers: a PAGE field in the footer.
    let footer = part(&mut zip, "word/footer1.xml");
    let mut reader = quick_xml::Reader::from_str(&footer);
    let (mut in_instr, mut page) = (false, false);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == "w:instrText" => in_instr = true,
            Event::End(e) if e.name().as_ref() == "w:instrText" => in_instr = false,
            Event::Text(t) if in_instr => page |= t.xml10_content().trim() == "PAGE",
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(page, "footer has a PAGE field: {footer}");
    let rels = part(&mut zip, "word/_rels/document.xml.rels");
    assert!(rels.contains("footer1.xml") && rels.contains("header1.xml"));
    assert!(part(&mut zip, "word/header1.xml").contains("示例数据"));

    // East Asian fonts.
    let styles = part(&mut zip, "word/styles.xml");
    assert!(styles.contains("w:eastAsia=\"宋体\"") && styles.contains("w:eastAsia=\"黑体\""));
    assert!(styles.contains("w:styleId=\"Heading1\"") && styles.contains("w:val=\"heading 1\""));

    // One PNG per chart, each placed in the text.
    let charts = s
        .indicators
        .iter()
        .filter(|i| !i.figures.is_empty() || i.baseline.is_some())
        .count();
    let media: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok())
        .filter(|n| n.starts_with("word/media/"))
        .map(|n| n.to_string())
        .collect();
    assert_eq!(media.len(), charts, "{media:?}");
    for m in &media {
        assert!(m.ends_with(".png"));
        let mut png = Vec::new();
        zip.by_name(m).unwrap().read_to_end(&mut png).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{m} is a PNG");
        assert!(rels.contains(&m["word/".len()..]), "{m} is related");
    }
    assert_eq!(doc.images, charts);
    let types = part(&mut zip, "[Content_Types].xml");
    assert!(types.contains("image/png") && types.contains("wordprocessingml.document.main+xml"));
}

#[test]
fn final_word_report_says_completed_or_not() {
    let s = common::snapshot(2025);
    let bytes = render(&s, ReportKind::Final, Lang::Zh, Format::Docx).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let doc = parse(&part(&mut zip, "word/document.xml"));
    check_indicator_table(&doc, &s, Lang::Zh);
    let table = doc
        .tables
        .iter()
        .find(|t| t[0].iter().map(|c| c[0].as_str()).collect::<Vec<_>>() == ["指标", "目标值", "实际值", "完成情况"])
        .expect("the table of targets met");
    for (row, i) in table[1..].iter().zip(&s.indicators) {
        assert_eq!(row[0][0], i.name);
        assert_eq!(row[3][0], i.assessment.status.label_zh());
    }
    let done = s
        .indicators
        .iter()
        .filter(|i| i.assessment.status == Status::Completed)
        .count();
    let body: String = doc.paragraphs.iter().map(|(_, t)| t.as_str()).collect();
    assert!(body.contains(&format!("完成{done}项")), "{body}");
    assert!(body.contains("规划期已满"));
}

#[test]
fn english_word_report() {
    let s = common::snapshot(2023);
    let bytes = render(&s, ReportKind::Annual, Lang::En, Format::Docx).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let doc = parse(&part(&mut zip, "word/document.xml"));
    check_indicator_table(&doc, &s, Lang::En);
    let body: String = doc
        .paragraphs
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(body.contains("illustrative sample data"));
    assert!(body.contains("1. Overview"));
    let h1: Vec<&str> = doc
        .paragraphs
        .iter()
        .filter(|(st, _)| st == "Heading1")
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(
        !h1.iter().any(|h| h.contains("schedule")),
        "no schedule section in an annual report: {h1:?}"
    );
}
