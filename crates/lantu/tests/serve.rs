//! `lantu serve` on its first start: the administrator's password is
//! printed only when it was generated, never when the operator gave it in
//! `LANTU_ADMIN_PASSWORD`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// The first line `lantu serve` prints on a new database.
fn first_line(admin_password: Option<&str>) -> String {
    let dir = std::env::temp_dir().join(format!(
        "lantu-serve-{}-{}",
        std::process::id(),
        admin_password.is_some()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("serve.db").display());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lantu"));
    cmd.args(["--db", &db, "serve", "--addr", "127.0.0.1:0"])
        .env_remove("LANTU_ADMIN_PASSWORD")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(p) = admin_password {
        cmd.env("LANTU_ADMIN_PASSWORD", p);
    }
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    let read = BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    read.unwrap();
    line
}

#[test]
fn a_password_from_the_environment_is_not_printed() {
    let given = "Operator-Chosen-Secret-42";
    let line = first_line(Some(given));
    assert!(line.contains("account admin"), "{line}");
    assert!(!line.contains(given), "{line}");
    assert!(line.contains("LANTU_ADMIN_PASSWORD"), "{line}");
    // A generated one is shown: nobody else knows it.
    let line = first_line(None);
    let shown = line
        .split("password ")
        .nth(1)
        .map(|s| s.trim_end_matches(|c: char| c == ')' || c.is_whitespace()))
        .unwrap_or("");
    assert!(shown.len() >= 12 && !shown.contains(' '), "{line}");
}
