//! The department's form: written, opened again with calamine and as the
//! raw package, filled as a person would, and imported back.

mod common;

use calamine::{Data, Range, Reader, Xlsx};
use common::{dec, obs, plan};
use lantu_core::observation::NewObservation;
use lantu_core::Period;
use lantu_data::{import, template, DataError, Field};
use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;
use std::io::{Cursor, Read};

fn previous(code: &str, p: &Period, area: Option<&str>) -> Option<Decimal> {
    assert_eq!(area, None, "the form's rows are for the district itself");
    match (code, p.to_string().as_str()) {
        ("gdp", "2022") => Some(dec("1234.5")),
        ("gdp", "2023") => Some(dec("1300.25")),
        ("retail", "2022Q4") => Some(dec("300.1")),
        ("pm25", "2023-01") => Some(dec("41")),
        _ => None,
    }
}

fn form(department: Option<&str>) -> Vec<u8> {
    template::xlsx(&plan(), department, 2023..=2024, &previous).unwrap()
}

fn sheet(bytes: &[u8], name: &str) -> Range<Data> {
    let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
    book.worksheet_range(name).unwrap()
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text, found {other:?}"),
    }
}

#[test]
fn the_form_has_a_row_per_indicator_and_period() {
    let bytes = form(None);
    let book = Xlsx::new(Cursor::new(&bytes[..])).unwrap();
    assert_eq!(book.sheet_names(), vec!["填报表".to_string(), "说明".to_string()]);

    let range = sheet(&bytes, "填报表");
    assert_eq!(range.start(), Some((0, 0)));
    let rows: Vec<&[Data]> = range.rows().collect();
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "指标代码 Code",
            "指标名称 Indicator",
            "单位 Unit",
            "期间 Period",
            "地区 Area",
            "数值 Value",
            "上期值 Previous",
            "数据来源 Source",
            "备注 Notes",
            "异常说明 Comment"
        ]
    );
    // gdp 2 years, forest 2, pm25 24 months, retail 8 quarters, parks 2.
    assert_eq!(rows.len(), 1 + 2 + 2 + 24 + 8 + 2);
    let keys: Vec<(String, String)> = rows[1..].iter().map(|r| (text(&r[0]), text(&r[3]))).collect();
    assert_eq!(keys[0], ("gdp".into(), "2023".into()));
    assert_eq!(keys[1], ("gdp".into(), "2024".into()));
    assert_eq!(keys[4], ("pm25".into(), "2023-01".into()));
    assert_eq!(keys[27], ("pm25".into(), "2024-12".into()));
    assert_eq!(keys[28], ("retail".into(), "2023Q1".into()));
    assert_eq!(keys[36], ("parks".into(), "2023".into()));

    // Typed cells: text as text, the previous value as a number.
    let gdp23 = rows[1];
    assert_eq!(gdp23[0], Data::String("gdp".into()));
    assert_eq!(gdp23[1], Data::String("地区生产总值".into()));
    assert_eq!(gdp23[2], Data::String("亿元".into()));
    assert_eq!(gdp23[3], Data::String("2023".into()));
    assert_eq!(gdp23[4], Data::Empty);
    assert_eq!(gdp23[5], Data::Empty);
    assert_eq!(gdp23[6], Data::Float(1234.5));
    assert_eq!(rows[2][6], Data::Float(1300.25));
    assert_eq!(rows[29][6], Data::Float(300.1), "retail 2023Q1 shows 2022Q4");
    assert_eq!(rows[6][6], Data::Float(41.0), "pm25 2023-02 shows 2023-01");
    assert_eq!(rows[5][6], Data::Empty, "no previous value: an empty cell");
    assert_eq!(rows[37][2], Data::Empty, "an indicator without unit");

    let notes = sheet(&bytes, "说明");
    let all: String = notes
        .cells()
        .map(|(_, _, d)| d.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("某区国民经济和社会发展第十四个五年规划"), "{all}");
    assert!(all.contains("2023–2024"), "{all}");
    assert!(all.contains("Leave the value blank"), "{all}");
}

#[test]
fn only_the_entry_cells_are_unlocked() {
    let bytes = form(None);
    let mut book = Xlsx::new(Cursor::new(&bytes[..])).unwrap();
    let styles = book.worksheet_style("填报表").unwrap();
    let locked = |row: u32, col: Field| {
        let style = styles.get((row, col as u32)).expect("every form cell has a style");
        style.protection.as_ref().is_none_or(|p| p.locked)
    };
    let grey = |row: u32, col: Field| {
        let fill = styles
            .get((row, col as u32))
            .and_then(|s| s.fill.as_ref())
            .and_then(|f| f.get_color());
        fill.map(|c| (c.red, c.green, c.blue)) == Some((0xF2, 0xF2, 0xF2))
    };
    for row in [1, 2, 30, 38] {
        for f in [
            Field::Code,
            Field::Name,
            Field::Unit,
            Field::Period,
            Field::Area,
            Field::Previous,
        ] {
            assert!(locked(row, f), "row {row} {f} locked");
            assert!(grey(row, f), "row {row} {f} grey");
        }
        for f in [Field::Value, Field::Source, Field::Notes] {
            assert!(!locked(row, f), "row {row} {f} unlocked");
            assert!(!grey(row, f), "row {row} {f} white");
        }
    }

    // The package itself: the sheet is protected without a password, the
    // header frozen, the value column validated as decimals with the unit
    // in the input message, and the styles include unlocked cells.
    let xml = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
    let protection = &xml[xml.find("<sheetProtection").expect("sheet protected")..];
    let protection = &protection[..protection.find("/>").unwrap()];
    assert!(!protection.contains("password"), "{protection}");
    assert!(protection.contains("sheet=\"1\""), "{protection}");
    assert!(
        xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#),
        "header frozen"
    );
    assert!(xml.contains(r#"<dataValidation type="decimal""#), "value validated");
    assert!(xml.contains("sqref=\"F2:F3\""), "one rule per indicator block");
    assert!(
        xml.contains("单位：亿元") && xml.contains("单位：微克/立方米"),
        "the unit is named"
    );
    assert!(xml.contains("<col "), "column widths set");
    let styles_xml = zip_entry(&bytes, "xl/styles.xml");
    assert!(styles_xml.contains(r#"<protection locked="0"/>"#), "{styles_xml}");
}

#[test]
fn a_department_gets_its_own_indicators() {
    let p = plan();
    for who in ["sthj", "生态环境局"] {
        let bytes = template::xlsx(&p, Some(who), 2024..=2024, &previous).unwrap();
        let range = sheet(&bytes, "填报表");
        let codes: Vec<String> = range.rows().skip(1).map(|r| text(&r[0])).collect();
        assert_eq!(codes.len(), 1 + 12);
        assert!(codes.iter().all(|c| c == "forest" || c == "pm25"), "{codes:?}");
        let notes = sheet(&bytes, "说明");
        assert!(notes.cells().any(|(_, _, d)| d.to_string().contains("生态环境局")));
    }
    let err = template::xlsx(&p, Some("nobody"), 2024..=2024, &previous).unwrap_err();
    assert!(matches!(err, DataError::UnknownDepartment { .. }));
    assert!(
        err.to_string().contains("nobody") && err.to_string().contains("sthj (生态环境局)"),
        "{err}"
    );
    let err = template::xlsx(&p, Some("wj"), 2024..=2024, &previous).unwrap_err();
    assert!(matches!(err, DataError::NoIndicators(_)), "{err}");
    let (first, last) = (2025, 2024);
    let err = template::xlsx(&p, None, first..=last, &previous).unwrap_err();
    assert!(matches!(err, DataError::Years { start: 2025, end: 2024 }), "{err}");
}

/// Writes what a person would save after filling the form: every cell of
/// the form as it was, with `fill` applied on top (row, column, value).
fn filled(form: &[u8], fill: &[(u32, Field, Data)]) -> Vec<u8> {
    let range = sheet(form, "填报表");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("填报表").unwrap();
    let mut put = |r: u32, c: u16, d: &Data| match d {
        Data::String(s) => {
            ws.write_string(r, c, s).unwrap();
        }
        Data::Float(f) => {
            ws.write_number(r, c, *f).unwrap();
        }
        Data::Empty => {}
        other => panic!("unexpected {other:?}"),
    };
    for (r, row) in range.rows().enumerate() {
        for (c, d) in row.iter().enumerate() {
            put(r as u32, c as u16, d);
        }
    }
    for (r, f, d) in fill {
        put(*r, *f as u16, d);
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_filled_form_imports_as_observations() {
    let form = form(None);
    let s = |x: &str| Data::String(x.into());
    let user = filled(
        &form,
        &[
            (1, Field::Value, Data::Float(1360.8)),
            (1, Field::Source, s("统计年鉴 2024")),
            (4, Field::Value, Data::Float(24.65)),
            (4, Field::Notes, s("遥感监测\n初步数")),
            (5, Field::Value, Data::Float(35.0)),
            (29, Field::Value, Data::Float(310.2)),
            // Pasted as text, with a thousands separator.
            (30, Field::Value, s("1,234.5")),
            (37, Field::Value, Data::Float(12.0)),
        ],
    );
    let got = import::read(&user, "某区-填报.xlsx", &plan()).unwrap();
    let mut gdp = obs("gdp", "2023", None, "1360.8");
    gdp.source = Some("统计年鉴 2024".into());
    let mut forest = obs("forest", "2024", None, "24.65");
    forest.note = Some("遥感监测\n初步数".into());
    let want: Vec<NewObservation> = vec![
        gdp,
        forest,
        obs("pm25", "2023-01", None, "35"),
        obs("retail", "2023Q1", None, "310.2"),
        obs("retail", "2023Q2", None, "1234.5"),
        obs("parks", "2023", None, "12"),
    ];
    assert_eq!(got, want);
    // Exact decimals, not binary floats.
    assert_eq!(got[1].value.to_string(), "24.65");

    // The form as written, unfilled, imports nothing and fails nothing.
    assert_eq!(import::read(&form, "form.xlsx", &plan()).unwrap(), vec![]);
}

#[test]
fn a_filled_form_reports_errors_with_the_cells_excel_shows() {
    let form = form(None);
    let user = filled(
        &form,
        &[
            (1, Field::Value, Data::String("12,3a".into())),
            (2, Field::Value, Data::Float(1.0)),
            (2, Field::Unit, Data::String("万元".into())),
        ],
    );
    let err = import::read(&user, "填报.xlsx", &plan()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "填报.xlsx row 2, column F (数值 Value): \"12,3a\" is not a number\n\
         填报.xlsx row 3, column C (单位 Unit): unit `万元` differs from the unit of indicator gdp, `亿元`"
    );
}
