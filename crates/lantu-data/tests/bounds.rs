//! The bounds of issue 10: hostile and oversized files are refused with a
//! located message, and reading them takes little memory.

mod common;

use common::plan;
use lantu_data::import::{self, limits};
use lantu_data::{testing, ErrorKind, ImportErrors};
use std::process::Command;

fn refuse(bytes: &[u8], name: &str) -> ImportErrors {
    import::read(bytes, name, &plan()).expect_err(name)
}

#[test]
fn the_sparse_workbook_is_refused_naming_the_stray_cell() {
    let book = testing::sparse_xlsx();
    assert!(book.len() < 2_000, "{} bytes", book.len());
    let err = refuse(&book, "sparse.xlsx");
    assert_eq!(err.errors.len(), 1, "{err}");
    let e = &err.errors[0];
    assert_eq!(e.kind, ErrorKind::Limit, "{err}");
    assert_eq!(e.row, Some(1_048_576));
    let msg = err.to_string();
    assert!(
        msg.starts_with("sparse.xlsx row 1048576: sheet `填报表`, cell XFD1048576"),
        "{msg}"
    );
    assert!(msg.contains("far outside the part of the sheet in use"), "{msg}");
}

#[test]
fn a_bomb_with_honest_headers_is_refused_from_the_directory() {
    // 3 GiB of blank cells in about 3 MB.
    let bomb = testing::xlsx_bomb(3 << 30, true);
    assert!(bomb.len() < 4 << 20, "{} bytes", bomb.len());
    let start = std::time::Instant::now();
    let err = refuse(&bomb, "bomb.xlsx");
    assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
    assert_eq!(err.errors[0].kind, ErrorKind::Limit, "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("xl/worksheets/sheet1.xml would decompress to 3221") && msg.contains("zip bomb"),
        "{msg}"
    );
}

#[test]
fn a_bomb_whose_directory_lies_is_refused_while_inflating() {
    let bomb = testing::xlsx_bomb(3 << 30, false);
    let err = refuse(&bomb, "bomb.xlsx");
    assert_eq!(err.errors[0].kind, ErrorKind::Limit, "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains(
            "xl/worksheets/sheet1.xml decompresses to more than the 100000 bytes the archive's directory declares"
        ),
        "{msg}"
    );
}

#[test]
fn stray_cells_far_right_or_far_below_are_refused() {
    let header: String = ["指标代码 Code", "期间 Period", "数值 Value"]
        .iter()
        .zip(["A1", "B1", "C1"])
        .map(|(h, at)| testing::text_cell(at, h))
        .collect();
    let row2 = format!(
        "{}{}<c r=\"C2\"><v>5</v></c>",
        testing::text_cell("A2", "gdp"),
        testing::text_cell("B2", "2023")
    );
    let book = |extra: &str| testing::xlsx(&format!("<row r=\"1\">{header}</row><row r=\"2\">{row2}</row>{extra}"));
    // The form reads.
    assert_eq!(import::read(&book(""), "ok.xlsx", &plan()).unwrap().len(), 1);
    // A note two columns right of the form, and a blank styled cell far away, are fine.
    let fine = book("<row r=\"3\"><c r=\"E3\" t=\"inlineStr\"><is><t>备注</t></is></c><c r=\"XFD3\" s=\"1\"/></row>");
    assert_eq!(import::read(&fine, "ok.xlsx", &plan()).unwrap().len(), 1);
    let far_right = book("<row r=\"3\"><c r=\"AMK3\"><v>1</v></c></row>");
    let e = refuse(&far_right, "right.xlsx");
    assert_eq!(e.errors[0].kind, ErrorKind::Limit, "{e}");
    assert!(e.to_string().contains("cell AMK3"), "{e}");
    let far_below = book(&format!(
        "<row r=\"{0}\"><c r=\"A{0}\"><v>1</v></c></row>",
        2 + limits::MAX_ROW_GAP + 1
    ));
    let e = refuse(&far_below, "below.xlsx");
    assert!(
        e.to_string().contains("cell A10003") && e.to_string().contains("row 2"),
        "{e}"
    );
    // Rows out of order, and references outside any worksheet, are damage.
    let backwards = book("<row r=\"1\"><c r=\"D1\"><v>1</v></c></row>");
    assert!(refuse(&backwards, "b.xlsx").to_string().contains("out of order"));
    let outside = book("<row r=\"3\"><c r=\"A1048577\"><v>1</v></c></row>");
    assert!(refuse(&outside, "o.xlsx").to_string().contains("outside any worksheet"));
}

#[test]
fn legacy_xls_is_refused_with_advice() {
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0];
    let msg = refuse(&ole, "old.xls").to_string();
    assert!(
        msg.contains("legacy Excel .xls") && msg.contains("save it as .xlsx"),
        "{msg}"
    );
}

#[test]
fn files_over_the_size_limit_are_refused_before_reading() {
    let big = vec![b'a'; limits::MAX_FILE_BYTES + 1];
    let err = refuse(&big, "big.csv");
    assert_eq!(err.errors[0].kind, ErrorKind::Limit);
    assert!(err.to_string().contains("over the limit of 64 MiB"), "{err}");
}

#[test]
fn a_csv_with_more_rows_than_a_sheet_is_refused() {
    let mut text = String::from("指标代码 Code,期间 Period,数值 Value\n");
    text.push_str(&"x,,\n".repeat(limits::MAX_ROWS));
    let err = refuse(text.as_bytes(), "rows.csv");
    assert_eq!(err.errors.len(), 1, "{err}");
    assert_eq!(err.errors[0].kind, ErrorKind::Limit);
    assert!(err.to_string().contains("more than 1048576 rows"), "{err}");
}

#[test]
fn nul_characters_are_refused_where_they_stand() {
    let text = "指标代码 Code,期间 Period,数值 Value,备注 Notes\ngdp,2023,5,ok\ngdp,2024,6,bad\0note\n";
    let err = refuse(text.as_bytes(), "nul.csv");
    assert_eq!(err.errors.len(), 1, "{err}");
    let e = &err.errors[0];
    assert_eq!((e.row, e.kind), (Some(3), ErrorKind::ControlCharacter), "{err}");
    assert_eq!(e.column.as_ref().map(|c| c.letter.as_str()), Some("D"));
    assert!(
        err.to_string()
            .contains("row 3, column D (备注 Notes): the cell holds a NUL character"),
        "{err}"
    );
}

#[test]
fn a_million_bad_rows_list_the_first_hundred_and_count_the_rest() {
    let mut text = String::from("指标代码 Code,期间 Period,数值 Value\n");
    for i in 0..1_000_000 {
        text.push_str(&format!("nope{},2023,1\n", i % 10));
    }
    let err = refuse(text.as_bytes(), "bad.csv");
    assert_eq!(err.errors.len(), limits::MAX_ERRORS);
    assert_eq!(err.more, 1_000_000 - limits::MAX_ERRORS);
    assert_eq!(err.errors[0].row, Some(2));
    assert_eq!(err.errors[99].row, Some(101));
    let shown = err.to_string();
    assert!(shown.len() < 20_000, "{} bytes", shown.len());
    assert!(
        shown.ends_with("bad.csv: … and 999900 more errors (only the first 100 are listed)"),
        "{}",
        &shown[shown.len() - 200..]
    );
}

#[test]
fn long_decimals_are_kept_exact_or_refused_never_rounded() {
    let p = plan();
    let value = |v: &str| {
        let text = format!("指标代码 Code,期间 Period,数值 Value\ngdp,2023,{v}\n");
        import::read(text.as_bytes(), "d.csv", &p)
    };
    // 28 significant digits: kept as written.
    let obs = value("1234567890.123456789012345678").unwrap();
    assert_eq!(obs[0].value.to_string(), "1234567890.123456789012345678");
    for (v, why) in [
        (
            "1.23456789012345678901234567891",
            "more digits than can be stored exactly",
        ),
        (
            "0.0000000000000000000000000000001",
            "more digits than can be stored exactly",
        ),
        ("123456789012345678901234567890", "too large to be stored"),
        ("1.5e40", "too large to be stored"),
    ] {
        let e = value(v).expect_err(v);
        assert_eq!(e.errors[0].kind, ErrorKind::NotANumber, "{e}");
        assert!(e.to_string().contains(why), "{v}: {e}");
    }
    // Trailing zeros past what a decimal holds lose nothing.
    assert_eq!(
        value("1.00000000000000000000000000000").unwrap()[0].value,
        rust_decimal::Decimal::ONE
    );
}

#[test]
fn a_day_that_does_not_exist_is_named() {
    let text = "指标代码 Code,期间 Period,数值 Value\ngdp,2023-02-30,1\n";
    let err = refuse(text.as_bytes(), "day.csv");
    assert_eq!(err.errors[0].kind, ErrorKind::BadPeriod);
    let msg = err.to_string();
    assert!(
        msg.contains("`2023-02-30`: the day 30 does not exist in February 2023, which has 28 days"),
        "{msg}"
    );
}

/// The peak memory of reading `file` in a fresh process (this test binary
/// run again, see [`child_reads_a_file`]): `(VmHWM before, VmHWM after)` in
/// KiB, and what the child printed.
fn peak_in_child(file: &std::path::Path) -> (u64, u64, String) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["child_reads_a_file", "--exact", "--nocapture", "--test-threads=1"])
        .env("LANTU_BOUNDS_CHILD", file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let kib = |key: &str| {
        stdout
            .lines()
            .find_map(|l| l.split_once(key).map(|(_, v)| v))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or_else(|| panic!("no {key} in {stdout}"))
    };
    (kib("BEFORE "), kib("AFTER "), stdout)
}

fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Run by [`peak_in_child`]: reads the file it is given and prints the
/// peak resident memory before and after. Does nothing otherwise.
#[test]
fn child_reads_a_file() {
    let Some(path) = std::env::var_os("LANTU_BOUNDS_CHILD") else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let p = plan();
    println!("BEFORE {}", vm_hwm_kib());
    let r = import::read(&bytes, "upload.xlsx", &p);
    println!("AFTER {}", vm_hwm_kib());
    println!(
        "RESULT {}",
        r.map(|o| o.len().to_string()).unwrap_or_else(|e| e.to_string())
    );
}

#[test]
fn hostile_workbooks_take_little_memory() {
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("no /proc: memory is not measured on this system");
        return;
    }
    let dir = std::env::temp_dir().join(format!("lantu-bounds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in [
        ("sparse.xlsx", testing::sparse_xlsx()),
        ("bomb-lying.xlsx", testing::xlsx_bomb(3 << 30, false)),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let (before, after, out) = peak_in_child(&path);
        assert!(out.contains("RESULT upload.xlsx"), "{out}");
        let grew_mib = after.saturating_sub(before) / 1024;
        eprintln!("{name}: peak {before} KiB before reading, {after} KiB after (+{grew_mib} MiB)");
        assert!(grew_mib < 20, "{name}: the peak grew by {grew_mib} MiB\n{out}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
