//! Issue 10's bar for the command line: the 1.6 KB sparse workbook and a
//! 3 MB zip bomb are refused by `lantu data import` with a message, nothing
//! is written, and the process's peak memory stays under 200 MB (measured
//! with `/usr/bin/time`, which reports the child's maximum resident set).

use lantu_data::testing;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Peak resident memory allowed for `lantu data import`, in KiB.
const PEAK_KIB: u64 = 200 * 1024;

fn lantu(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lantu"))
        .args(["--db", db, "--as", "tester", "--lang", "zh"])
        .args(args)
        .output()
        .expect("the lantu binary runs")
}

/// Runs `lantu` under `/usr/bin/time`, returning its output and its peak
/// resident set in KiB; `None` for the peak when `time` is not installed.
fn lantu_measured(db: &str, args: &[&str], dir: &Path) -> (Output, Option<u64>) {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        eprintln!("/usr/bin/time is not installed: peak memory is not measured");
        return (lantu(db, args), None);
    }
    let report = dir.join("time.txt");
    let out = Command::new(time)
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&report)
        .arg(env!("CARGO_BIN_EXE_lantu"))
        .args(["--db", db, "--as", "tester", "--lang", "zh"])
        .args(args)
        .output()
        .expect("/usr/bin/time runs lantu");
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    let peak = text.lines().filter_map(|l| l.trim().parse::<u64>().ok()).next_back();
    assert!(peak.is_some(), "no peak in {text:?}");
    (out, peak)
}

struct Tmp(PathBuf);

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn hostile_workbooks_are_refused_with_a_message_and_little_memory() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let store = rt.block_on(lantu_store::testing::fresh_store());
    let db = store.url().to_string();
    let tmp = Tmp(std::env::temp_dir().join(format!("lantu-bad-files-{}", std::process::id())));
    std::fs::create_dir_all(&tmp.0).unwrap();
    let plan = format!(
        "{}/../../data/plans/jinnan-14th-five-year-plan.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let o = lantu(&db, &["plan", "import", &plan]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let bomb = testing::xlsx_bomb(3 << 30, false);
    assert!(bomb.len() < 4 << 20, "{} bytes", bomb.len());
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "sparse.xlsx",
            testing::sparse_xlsx(),
            "工作表“填报表”的 XFD1048576 单元格有值，远在使用区域之外",
        ),
        (
            "bomb.xlsx",
            testing::xlsx_bomb(3 << 30, true),
            "would decompress to 3221",
        ),
        ("lying-bomb.xlsx", bomb, "decompresses to more than the 100000 bytes"),
    ];
    for (name, bytes, says) in cases {
        let path = tmp.0.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let (o, peak) = lantu_measured(
            &db,
            &["data", "import", &path.display().to_string(), "--plan", "1"],
            &tmp.0,
        );
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{name} was imported");
        assert!(stderr.contains(says), "{name}: {stderr}");
        // Chinese unless told otherwise (the binary's default language).
        assert!(stderr.contains("未导入：没有写入任何数据"), "{name}: {stderr}");
        if let Some(kib) = peak {
            eprintln!(
                "{name} ({} bytes): lantu data import peaked at {} MiB",
                bytes.len(),
                kib / 1024
            );
            assert!(kib < PEAK_KIB, "{name}: peak {kib} KiB");
        }
    }
    // The server's process is another's; this one is still usable.
    let o = lantu(&db, &["audit", "verify"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
