//! The HTML page: self-contained, printable, with the table and the charts.

use super::common;
use lantu_report::{render_html, Lang, ReportKind};

#[test]
fn page_is_self_contained_with_table_and_svg_charts() {
    let s = common::snapshot(2023);
    let html = render_html(&s, ReportKind::Midterm, Lang::Zh);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("<table class=\"data indicators\">"));
    for h in [
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
    ] {
        assert!(html.contains(&format!("<th>{h}</th>")), "{h}");
    }
    for i in &s.indicators {
        assert!(html.contains(&i.name), "{}", i.name);
        assert!(html.contains(i.assessment.status.label_zh()));
    }
    let charts = html.matches("<svg ").count();
    assert_eq!(charts, 7, "one chart per indicator with data");
    assert!(html.contains("示例数据，非正式统计数据"));
    assert!(html.contains("@media print") && html.contains("break-before: page"));
    assert!(html.contains("Noto Sans CJK SC"), "system CJK font stack");
    // No external request: no script, stylesheet link, image or font URL.
    for bad in [
        "<script",
        "<link",
        "<img",
        "@import",
        "url(",
        "src=\"http",
        "href=\"http",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
    let outside: Vec<&str> = html
        .match_indices("http")
        .map(|(i, _)| &html[i..(i + 40).min(html.len())])
        .filter(|s| !s.starts_with("http://www.w3.org/2000/svg"))
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
}

#[test]
fn english_page() {
    let s = common::snapshot(2023);
    let html = render_html(&s, ReportKind::Annual, Lang::En);
    assert!(html.contains("<html lang=\"en\">"));
    for i in &s.indicators {
        assert!(html.contains(i.assessment.status.label_en()));
    }
    assert!(html.contains("illustrative sample data"));
}
