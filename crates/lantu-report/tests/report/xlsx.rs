//! The Excel workbook, read back with calamine.

use super::common;
use calamine::{Data, Reader, Xlsx};
use lantu_core::snapshot::Snapshot;
use lantu_report::{render, Format, Lang, ReportKind};
use std::io::Cursor;

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text, found {other:?}"),
    }
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("expected a number, found {other:?}"),
    }
}

fn f(d: rust_decimal::Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap()
}

/// Rows of an indicator sheet below its header, keyed by the header.
fn sheet(wb: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> (Vec<String>, Vec<Vec<Data>>) {
    let range = wb.worksheet_range(name).unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let head = rows
        .iter()
        .position(|r| r.get(1).is_some_and(|c| matches!(c, Data::String(s) if s == "指标")))
        .unwrap_or_else(|| panic!("no header row in {name}"));
    let header = rows[head].iter().map(text).collect();
    (header, rows[head + 1..].to_vec())
}

fn check_rows(header: &[String], rows: &[Vec<Data>], s: &Snapshot, codes: &[&str]) {
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    assert_eq!(rows.len(), codes.len());
    for (row, code) in rows.iter().zip(codes) {
        let i = s.indicators.iter().find(|i| i.code == *code).unwrap();
        assert_eq!(text(&row[col("指标")]), i.name);
        assert_eq!(text(&row[col("指标代码")]), i.code);
        assert_eq!(text(&row[col("单位")]), i.unit.clone().unwrap());
        assert_eq!(text(&row[col("状态")]), i.assessment.status.label_zh());
        assert_eq!(
            text(&row[col("属性")]),
            if i.attribute == lantu_core::Attribute::Binding {
                "约束性"
            } else {
                "预期性"
            }
        );
        assert_eq!(text(&row[col("预警")]) == "预警", i.assessment.warning);
        match &i.baseline {
            Some(b) => {
                assert_eq!(number(&row[col("基期值")]), f(b.value));
                assert_eq!(number(&row[col("基期年份")]), f64::from(b.year));
            }
            None => assert_eq!(row[col("基期值")], Data::Empty),
        }
        assert_eq!(number(&row[col("目标年份")]), f64::from(i.target.year));
        match i.target.value {
            Some(v) => assert_eq!(number(&row[col("目标值")]), f(v)),
            None => assert_eq!(row[col("目标值")], Data::Empty),
        }
        if let Some(m) = i.target.value_max {
            assert_eq!(number(&row[col("目标上限")]), f(m));
        }
        match common::current_text(i, s.evaluation_year) {
            Some(v) => {
                assert_eq!(number(&row[col("当前值")]), v.parse::<f64>().unwrap(), "{}", i.name);
                assert_eq!(
                    number(&row[col("当前期")]),
                    f64::from(i.figures.last().unwrap().period.calendar_year())
                );
            }
            None => assert_eq!(row[col("当前值")], Data::Empty),
        }
        match i.assessment.progress {
            Some(p) => assert!((number(&row[col("进度")]) - p).abs() < 1e-12),
            None => assert_eq!(row[col("进度")], Data::Empty),
        }
        match i.assessment.ratio {
            Some(r) => assert!((number(&row[col("进度比")]) - r).abs() < 1e-12),
            None => assert_eq!(row[col("进度比")], Data::Empty),
        }
    }
}

#[test]
fn workbook_has_summary_full_table_and_a_sheet_per_chapter() {
    let s = common::snapshot(2023);
    let bytes = render(&s, ReportKind::Annual, Lang::Zh, Format::Xlsx).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an xlsx");
    let names = wb.sheet_names();
    assert_eq!(
        names,
        [
            "概况",
            "指标总表",
            "第三章 推动经济高质量发展和民生改善",
            "第五章 推进绿色低碳发展",
            "评估意见"
        ]
    );
    let comments = wb.worksheet_range("评估意见").unwrap();
    let rows: Vec<Vec<String>> = comments
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| match d {
                    Data::Float(_) | Data::Int(_) => number(d).to_string(),
                    _ => text(d),
                })
                .collect()
        })
        .collect();
    assert_eq!(rows[0], ["日期", "对象", "年度", "提出人", "身份", "意见"]);
    assert_eq!(rows[1][2], "2023", "the year is a number");
    assert_eq!(rows.len(), 1 + s.comments.len());
    assert_eq!(rows[1][1], "规划总体");
    assert_eq!(rows[1][4], "第三方评估机构");
    assert_eq!(rows[2][1], "森林覆盖率");
    assert_eq!(rows[2][5], s.comments[1].body);

    let all: Vec<&str> = s.indicators.iter().map(|i| i.code.as_str()).collect();
    let (header, rows) = sheet(&mut wb, "指标总表");
    check_rows(&header, &rows, &s, &all);

    for (sheet_name, chapter) in [
        ("第三章 推动经济高质量发展和民生改善", "c3"),
        ("第五章 推进绿色低碳发展", "c5"),
    ] {
        let codes: Vec<&str> = s
            .indicators
            .iter()
            .filter(|i| i.chapter.as_deref() == Some(chapter))
            .map(|i| i.code.as_str())
            .collect();
        let (header, rows) = sheet(&mut wb, sheet_name);
        check_rows(&header, &rows, &s, &codes);
    }

    // The summary: counts by status add up, the warning is listed, the
    // sample-data line is there.
    let range = wb.worksheet_range("概况").unwrap();
    let cells: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let flat: Vec<String> = cells
        .iter()
        .flatten()
        .filter_map(|c| match c {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(flat.iter().any(|t| t.contains("示例数据，非正式统计数据")));
    let counts: lantu_core::progress::StatusCounts = common::statuses(&s).into_iter().collect();
    for st in lantu_core::progress::Status::ALL {
        let n = counts.get(st);
        let row = cells
            .iter()
            .find(|r| matches!(&r[0], Data::String(x) if x == st.label_zh()));
        match row {
            Some(r) => assert_eq!(number(&r[1]), n as f64, "{st:?}"),
            None => assert_eq!(n, 0, "{st:?} missing from the summary"),
        }
    }
    let elapsed = cells
        .iter()
        .find(|r| matches!(&r[0], Data::String(x) if x == "时间进度"))
        .unwrap();
    assert!((number(&elapsed[1]) - 0.6).abs() < 1e-12);
    let warned = cells
        .iter()
        .filter(|r| matches!(&r[0], Data::String(x) if x == "森林覆盖率"))
        .count();
    assert_eq!(warned, 1, "the warning is listed once");
}
