//! Imports of CSV and XLSX files: encodings, headers, skipped rows, every
//! validation error with its row and column, and bad files.

mod common;

use common::{obs, plan, HEADER};
use lantu_core::observation::NewObservation;
use lantu_data::import::{self, Column, ErrorKind, ImportErrors, RowError};
use lantu_data::Field;
use rust_xlsxwriter::{ExcelDateTime, Workbook};

fn read(text: &str) -> Result<Vec<NewObservation>, ImportErrors> {
    import::read(text.as_bytes(), "data.csv", &plan())
}

fn errors(text: &str) -> Vec<RowError> {
    read(text).expect_err("the file should fail").errors
}

/// `(row, column letter, kind)` of each error.
fn located(errors: &[RowError]) -> Vec<(Option<usize>, Option<&str>, ErrorKind)> {
    errors
        .iter()
        .map(|e| (e.row, e.column.as_ref().map(|c| c.letter.as_str()), e.kind))
        .collect()
}

const ROWS: &str = "\
gdp,地区生产总值,亿元,2023,,1360.8,1300.25,统计年鉴,
forest,森林覆盖率,%,2024,,24.65,,,遥感
pm25,细颗粒物（PM2.5）年均浓度,微克/立方米,2023-01,,35,,,
retail,社会消费品零售总额,亿元,2023Q1,,310.2,,,
parks,新建口袋公园,,2023,,12,,,
";

fn expected() -> Vec<NewObservation> {
    let mut gdp = obs("gdp", "2023", None, "1360.8");
    gdp.source = Some("统计年鉴".into());
    let mut forest = obs("forest", "2024", None, "24.65");
    forest.note = Some("遥感".into());
    vec![
        gdp,
        forest,
        obs("pm25", "2023-01", None, "35"),
        obs("retail", "2023Q1", None, "310.2"),
        obs("parks", "2023", None, "12"),
    ]
}

#[test]
fn csv_in_utf8_with_and_without_bom_and_in_gb18030() {
    let text = format!("{HEADER}\n{ROWS}");
    assert_eq!(read(&text).unwrap(), expected());
    let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    assert_eq!(import::read(&bom, "data.csv", &plan()).unwrap(), expected());
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(read(&crlf).unwrap(), expected());
    let (gbk, _, lossy) = encoding_rs::GB18030.encode(&crlf);
    assert!(!lossy);
    assert!(std::str::from_utf8(&gbk).is_err(), "really not UTF-8");
    assert_eq!(import::read(&gbk, "导出.CSV", &plan()).unwrap(), expected());
}

#[test]
fn headers_match_by_english_or_chinese_names_in_any_order() {
    let text = "Value,Period,Code,Notes\n1360.8,2023,gdp,\n12,2023,parks,ok\n";
    let mut parks = obs("parks", "2023", None, "12");
    parks.note = Some("ok".into());
    assert_eq!(read(text).unwrap(), vec![obs("gdp", "2023", None, "1360.8"), parks]);
    let text = "数值,指标代码,期间,地区\n1,gdp,2023,\n";
    assert_eq!(read(text).unwrap(), vec![obs("gdp", "2023", None, "1")]);
    let text = "unit\tcode\tperiod\tvalue\n亿元\tgdp\t2023\t7\n";
    assert_eq!(read(text).unwrap(), vec![obs("gdp", "2023", None, "7")]);
}

#[test]
fn blank_values_and_blank_lines_are_skipped_and_title_rows_above_the_header_allowed() {
    let text = format!(
        "某区监测数据填报表,,,,,,,,\n{HEADER}\n\
         gdp,地区生产总值,亿元,2023,,,1300.25,,\n\
         \n\
         ,,,,,,,,\n\
         nonsense,,,20x3,,,,,\n\
         gdp,,,2024,,—,,,\n\
         forest,,,2024,, / ,,,\n\
         parks,新建口袋公园,,2023,,12,,,\n"
    );
    assert_eq!(read(&text).unwrap(), vec![obs("parks", "2023", None, "12")]);
    // Rows count as Excel shows them: the blank line is row 5, and a note
    // over two lines is one row.
    let text = format!(
        "{HEADER}\n\
         gdp,,,2023,,1,,,\"first line\nsecond line\"\n\
         \n\
         parks,,,2023,,x,,,\n"
    );
    let errs = errors(&text);
    assert_eq!(located(&errs), [(Some(4), Some("F"), ErrorKind::NotANumber)]);
}

#[test]
fn numbers_as_people_type_them() {
    let text = format!(
        "{HEADER}\n\
         gdp,,亿元,2023,,\"1,360.8\",,,\n\
         forest,,％,2023,,２４．６５,,,\n\
         forest,,%,2024,,24.7%,,,\n\
         retail,,亿 元,2023Q1,, 310.2 ,,,\n\
         retail,,亿元,2023,,－5,,,\n"
    );
    assert_eq!(
        read(&text).unwrap(),
        vec![
            obs("gdp", "2023", None, "1360.8"),
            obs("forest", "2023", None, "24.65"),
            obs("forest", "2024", None, "24.7"),
            obs("retail", "2023Q1", None, "310.2"),
            obs("retail", "2023", None, "-5"),
        ]
    );
}

#[test]
fn areas_are_towns_and_the_region_itself_is_the_district() {
    let text = "Code,Period,Area,Value\ngdp,2023,某区,100\ngdp,2023,甲镇,40\ngdp,2023,乙街道,60\ngdp,2024,甲镇,45\n";
    assert_eq!(
        read(text).unwrap(),
        vec![
            obs("gdp", "2023", None, "100"),
            obs("gdp", "2023", Some("甲镇"), "40"),
            obs("gdp", "2023", Some("乙街道"), "60"),
            obs("gdp", "2024", Some("甲镇"), "45"),
        ]
    );
}

#[test]
fn every_validation_error_with_its_row_and_column() {
    use ErrorKind::*;
    // (row text, column letter, kind, words the message must hold)
    let cases: &[(&str, &str, ErrorKind, &str)] = &[
        (
            "nope,,,2023,,1,,,",
            "A",
            UnknownIndicator,
            "unknown indicator code `nope`",
        ),
        (",,,2023,,1,,,", "A", Missing, "no indicator code"),
        (
            "gdp,,万元,2023,,1,,,",
            "C",
            UnitMismatch,
            "unit `万元` differs from the unit of indicator gdp, `亿元`",
        ),
        ("parks,,个,2023,,1,,,", "C", UnitMismatch, "indicator parks has no unit"),
        ("gdp,,,2023,,\"12,3a\",,,", "F", NotANumber, "\"12,3a\" is not a number"),
        (
            "gdp,,,2023,,12.5%,,,",
            "F",
            UnitMismatch,
            "is a percentage, but the unit of indicator gdp is 亿元",
        ),
        ("gdp,,,20x3,,1,,,", "D", BadPeriod, "`20x3`"),
        ("gdp,,,2023Q5,,1,,,", "D", BadPeriod, "Q1, Q2, Q3 or Q4"),
        ("gdp,,,,,1,,,", "D", Missing, "no period"),
        (
            "gdp,,,2026,,1,,,",
            "D",
            PeriodOutsidePlan,
            "from 2016 (baselines) to 2025",
        ),
        ("gdp,,,2015,,1,,,", "D", PeriodOutsidePlan, "outside the plan's years"),
        (
            "gdp,,,2023Q2,,1,,,",
            "D",
            WrongGranularity,
            "reported annually: write a year such as 2023, not a quarter",
        ),
        ("retail,,,2023-05,,1,,,", "D", WrongGranularity, "reported quarterly"),
    ];
    for (row, letter, kind, words) in cases {
        let text = format!("{HEADER}\n{row}\n");
        let errs = errors(&text);
        assert_eq!(errs.len(), 1, "{row}: {errs:?}");
        let e = &errs[0];
        assert_eq!((e.row, e.kind), (Some(2), *kind), "{row}: {e}");
        let col = e.column.as_ref().expect("a column");
        assert_eq!(col.letter, *letter, "{row}: {e}");
        assert_eq!(
            e.field.map(|f| f.header()),
            Some(col.header.clone()),
            "{row}: the template's header"
        );
        assert!(
            e.message.text(lantu_core::messages::Lang::En).contains(words),
            "{row}: {e}"
        );
    }
    // Granularities that fit.
    let text = format!("{HEADER}\nretail,,,2023,,1,,,\npm25,,,2023Q1,,1,,,\npm25,,,2023,,1,,,\nforest,,,2016,,1,,,\n");
    assert_eq!(read(&text).unwrap().len(), 4);
}

#[test]
fn duplicates_name_the_first_row() {
    let text = format!(
        "{HEADER}\n\
         gdp,,,2023,,1,,,\n\
         gdp,,,2023,甲镇,1,,,\n\
         gdp,,,2023,某区,2,,,\n\
         gdp,,,2023,甲镇,1,,,\n\
         pm25,,,2023-05,,1,,,\n\
         pm25,,,2023-5,,1,,,\n"
    );
    let errs = errors(&text);
    assert_eq!(
        located(&errs),
        [
            (Some(4), Some("A"), ErrorKind::Duplicate),
            (Some(5), Some("A"), ErrorKind::Duplicate),
            (Some(7), Some("A"), ErrorKind::Duplicate)
        ]
    );
    assert_eq!(
        errs[0].message.text(lantu_core::messages::Lang::En),
        "duplicate row: gdp for 2023 is already given in row 2"
    );
    assert_eq!(
        errs[1].message.text(lantu_core::messages::Lang::En),
        "duplicate row: gdp for 2023 in 甲镇 is already given in row 3"
    );
}

#[test]
fn all_errors_are_reported_at_once_in_file_order() {
    let text = format!(
        "{HEADER}\n\
         gdp,,,2023,,1,,,\n\
         nope,,万元,2023Q9,,abc,,,\n\
         forest,,%,2024,,24.6,,,\n\
         forest,,吨,2030,,x,,,\n\
         gdp,,,2023,,2,,,\n"
    );
    let err = read(&text).unwrap_err();
    assert_eq!(
        located(&err.errors),
        [
            (Some(3), Some("A"), ErrorKind::UnknownIndicator),
            (Some(3), Some("D"), ErrorKind::BadPeriod),
            (Some(3), Some("F"), ErrorKind::NotANumber),
            (Some(5), Some("C"), ErrorKind::UnitMismatch),
            (Some(5), Some("D"), ErrorKind::PeriodOutsidePlan),
            (Some(5), Some("F"), ErrorKind::NotANumber),
            (Some(6), Some("A"), ErrorKind::Duplicate),
        ]
    );
    let shown = err.to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 7);
    assert_eq!(
        lines[2],
        "data.csv row 3, column F (数值 Value): \"abc\" is not a number"
    );
    assert!(lines.iter().all(|l| l.starts_with("data.csv row ")), "{shown}");
}

#[test]
fn missing_and_doubled_columns() {
    let errs = errors("Code,Period,Notes\ngdp,2023,\n");
    assert_eq!(located(&errs), [(Some(1), None, ErrorKind::MissingColumn)]);
    assert_eq!(errs[0].field, Some(Field::Value));
    assert!(
        errs[0]
            .message
            .text(lantu_core::messages::Lang::En)
            .contains("数值 Value")
            && errs[0]
                .message
                .text(lantu_core::messages::Lang::En)
                .contains("Code | Period | Notes"),
        "{}",
        errs[0]
    );
    let errs = errors("指标代码,期间,数值,Value\ngdp,2023,1,2\n");
    assert_eq!(located(&errs), [(Some(1), Some("D"), ErrorKind::DuplicateColumn)]);
    assert!(
        errs[0]
            .message
            .text(lantu_core::messages::Lang::En)
            .contains("column C"),
        "{}",
        errs[0]
    );
    // No header anywhere: the errors point at the first row.
    let errs = errors("gdp,2023,1\nretail,2023Q1,2\n");
    assert_eq!(errs.len(), 3);
    assert!(errs
        .iter()
        .all(|e| e.row == Some(1) && e.kind == ErrorKind::MissingColumn));
}

#[test]
fn an_xlsx_made_by_hand_with_an_offset_table_dates_and_numbers() {
    let mut book = Workbook::new();
    let other = book.add_worksheet();
    other.set_name("封面").unwrap();
    other.write_string(0, 0, "cover").unwrap();
    let ws = book.add_worksheet();
    ws.set_name("填报表").unwrap();
    // Title in B1, header in row 3 from column B.
    ws.write_string(0, 1, "某区 2023 年监测数据").unwrap();
    for (c, h) in ["Code", "Period", "Value", "Area", "Source"].iter().enumerate() {
        ws.write_string(2, 1 + c as u16, *h).unwrap();
    }
    ws.write_string(3, 1, "gdp").unwrap();
    ws.write_number(3, 2, 2023).unwrap();
    ws.write_number(3, 3, 0.1 + 0.2).unwrap();
    ws.write_number(3, 5, 2024).unwrap();
    // Excel turns a typed 2023-05 into a date.
    let may = ExcelDateTime::from_ymd(2023, 5, 1).unwrap();
    ws.write_string(4, 1, "pm25").unwrap();
    ws.write_datetime_with_format(4, 2, &may, &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm"))
        .unwrap();
    ws.write_number(4, 3, 35).unwrap();
    ws.write_string(4, 4, "甲镇").unwrap();
    ws.write_string(5, 1, "gdp").unwrap();
    ws.write_string(5, 2, "2024").unwrap();
    ws.write_string(5, 3, "bad").unwrap();
    ws.write_boolean(6, 1, true).unwrap();
    ws.write_string(6, 2, "2024").unwrap();
    ws.write_boolean(6, 3, true).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let err = import::read(&bytes, "hand.xlsx", &plan()).unwrap_err();
    assert_eq!(
        located(&err.errors),
        [
            (Some(6), Some("D"), ErrorKind::NotANumber),
            (Some(7), Some("B"), ErrorKind::UnknownIndicator),
            (Some(7), Some("D"), ErrorKind::NotANumber)
        ],
        "{err}"
    );
    assert_eq!(
        err.errors[0].column,
        Some(Column {
            letter: "D".into(),
            header: "Value".into()
        })
    );
    assert!(
        err.errors[1]
            .message
            .text(lantu_core::messages::Lang::En)
            .contains("`TRUE`"),
        "{err}"
    );

    // Without the bad rows it imports, and the float reads as Excel shows it.
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["Code", "Period", "Value", "Area", "Source"].iter().enumerate() {
        ws.write_string(2, 1 + c as u16, *h).unwrap();
    }
    ws.write_string(3, 1, "gdp").unwrap();
    ws.write_number(3, 2, 2023).unwrap();
    ws.write_number(3, 3, 0.1 + 0.2).unwrap();
    ws.write_number(3, 5, 2024).unwrap();
    ws.write_string(4, 1, "pm25").unwrap();
    ws.write_datetime_with_format(4, 2, &may, &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm"))
        .unwrap();
    ws.write_number(4, 3, 35).unwrap();
    ws.write_string(4, 4, "甲镇").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let mut gdp = obs("gdp", "2023", None, "0.3");
    gdp.source = Some("2024".into());
    assert_eq!(
        import::read(&bytes, "hand.xlsx", &plan()).unwrap(),
        vec![gdp, obs("pm25", "2023-05", Some("甲镇"), "35")]
    );
}

#[test]
fn bad_files_get_a_clear_error_and_never_a_panic() {
    let p = plan();
    let only = |bytes: &[u8], name: &str| {
        let err = import::read(bytes, name, &p).expect_err(name);
        assert_eq!(err.errors.len(), 1, "{err}");
        assert_eq!(err.errors[0].kind, ErrorKind::Unreadable, "{err}");
        assert_eq!(err.errors[0].row, None);
        err.to_string()
    };
    let m = only(b"", "empty.csv");
    assert_eq!(
        m,
        "empty.csv: the file is empty: it should hold the form's header row and its rows"
    );
    assert!(only(b"  \r\n", "blank.xlsx").contains("empty"));
    assert!(only(b"just text", "form.xlsx").contains("not an Excel workbook"));
    assert!(only(b"PK\x03\x04garbage", "form.xlsx").contains("not a readable .xlsx workbook"));
    assert!(
        only(b"PK\x03\x04garbage", "form.csv").contains("workbook"),
        "content wins over the name"
    );
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0];
    assert!(only(&ole, "old.xls").contains(".xls"));
    assert!(only(b"%PDF-1.7", "form.pdf").contains("unsupported file type `.pdf`"));
    assert!(only(b"\x00\x01\x02\xff\xfe", "data.csv").contains("not text"));
    assert!(only(b"Code,\xff\x80\x81 Period", "data.csv").contains("neither UTF-8 nor GB18030"));
    // A real workbook cut short.
    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "Code").unwrap();
    let whole = book.save_to_buffer().unwrap();
    assert!(only(&whole[..whole.len() / 2], "cut.xlsx").contains("xlsx"));
    // A workbook whose sheet is empty.
    let mut book = Workbook::new();
    book.add_worksheet();
    assert!(only(&book.save_to_buffer().unwrap(), "blank.xlsx").contains("worksheet is empty"));
}

#[test]
fn a_header_only_file_imports_nothing() {
    assert_eq!(read(&format!("{HEADER}\n")).unwrap(), vec![]);
    assert_eq!(read("Code,Period,Value").unwrap(), vec![]);
    assert_eq!(
        import::read(b"Code\tPeriod\tValue\r\n", "a.txt", &plan()).unwrap(),
        vec![]
    );
}

mod fuzzish {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// Any bytes: an error or observations, never a panic.
        #[test]
        fn any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400), xlsx in any::<bool>()) {
            let name = if xlsx { "x.xlsx" } else { "x.csv" };
            let _ = import::read(&bytes, name, &plan());
        }

        /// Lines of form-like text with random cells.
        #[test]
        fn any_rows(rows in proptest::collection::vec(
            (
                prop_oneof![Just("gdp"), Just("retail"), Just("pm25"), Just("x"), Just("")],
                "[0-9QM年月/\\- ]{0,8}",
                "[0-9,.%％－ a-z\"]{0,8}",
                "[甲乙 ,\"\n]{0,3}",
            ),
            0..30,
        )) {
            let mut text = format!("{HEADER}\n");
            for (code, period, value, area) in &rows {
                let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
                text.push_str(&format!("{code},,,{},{},{},,,\n", q(period), q(area), q(value)));
            }
            match read(&text) {
                Ok(obs) => prop_assert!(obs.len() <= rows.len()),
                Err(e) => {
                    prop_assert!(!e.errors.is_empty());
                    prop_assert!(e.errors.iter().all(|e| e.row.is_some_and(|r| r >= 2)));
                }
            }
        }
    }
}

#[test]
fn messages_read_in_chinese_and_english() {
    use lantu_core::messages::Lang;
    let plan = lantu_data::testing::plan();
    let csv = "指标代码,期间,数值\ngdp,2023,四十二\n";
    let err = lantu_data::import::read(csv.as_bytes(), "a.csv", &plan).unwrap_err();
    assert_eq!(err.text(Lang::Zh), "a.csv 第 2 行，C 列（数值）：“四十二”不是数字");
    assert_eq!(
        err.text(Lang::En),
        "a.csv row 2, column C (数值): \"四十二\" is not a number"
    );
    // A comment column comes with its figure.
    let csv = "指标代码,期间,数值,异常说明\ngdp,2023,42,新口径\n";
    let rows = lantu_data::import::read(csv.as_bytes(), "b.csv", &plan).unwrap();
    assert_eq!(rows[0].comment.as_deref(), Some("新口径"));
}
