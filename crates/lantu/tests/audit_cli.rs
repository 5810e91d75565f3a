//! `lantu audit` end to end, through the binary, on the backend the test
//! environment names (SQLite by default, PostgreSQL when
//! `LANTU_TEST_DATABASE_URL` is set): after each direct edit of the
//! database, `verify` exits non-zero and names what changed; an anchor
//! reveals a log cut short or rewritten whole.

mod common;

use common::{ok, runtime, Tmp};
use std::process::{Command, Output};

fn lantu(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lantu"))
        .arg("--db")
        .arg(db)
        .args(["--as", "tester"])
        .args(args)
        .env("LANTU_PASSWORD", "a long enough password")
        .output()
        .expect("the lantu binary runs")
}

/// Standard output of a command that must fail.
fn fails(o: &Output) -> String {
    assert!(!o.status.success(), "succeeded: {}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A database with the bundled plan, reviewed figures and a reporter.
fn setup(rt: &tokio::runtime::Runtime, tmp: &Tmp) -> lantu_store::testing::TestStore {
    let store = rt.block_on(lantu_store::testing::fresh_store());
    let db = store.url().to_string();
    let plan = format!(
        "{}/../../data/plans/jinnan-14th-five-year-plan.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    ok(&lantu(&db, &["plan", "import", &plan]));
    let good = tmp.file(
        "good.csv",
        "指标代码,期间,数值\nt008,2021,48\nt008,2022,45\nt035,2021,500\nt035,2022,560\n",
    );
    ok(&lantu(&db, &["data", "import", &good, "--plan", "1"]));
    ok(&lantu(&db, &["data", "review", "--plan", "1", "--to", "submitted"]));
    // The extracted draft names no departments: the account's goes into
    // the registry first.
    ok(&lantu(&db, &["department", "add", "fgw", "--name", "区发展改革委"]));
    ok(&lantu(
        &db,
        &["user", "add", "li", "--role", "reporter", "--department", "fgw"],
    ));
    store
}

fn sql(rt: &tokio::runtime::Runtime, store: &lantu_store::Store, sql: &str) {
    rt.block_on(lantu_store::sqlx::query(sql).execute(store.pool()))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[test]
fn every_direct_edit_fails_verify_and_is_named() {
    let rt = runtime();
    let tmp = Tmp::new("edits");
    let store = setup(&rt, &tmp);
    let db = store.url().to_string();
    let out = ok(&lantu(&db, &["audit", "verify"]));
    assert!(out.contains("intact") && out.contains("head: entry "), "{out}");

    // (edit, undo, what verify must say)
    let cases = [
        (
            "UPDATE observations SET state = 'published' WHERE value = '560'",
            "UPDATE observations SET state = 'submitted' WHERE value = '560'",
            "observations (indicator_id=",
            "state 'submitted' → 'published'",
        ),
        (
            "UPDATE observations SET value = '999' WHERE value = '560'",
            "UPDATE observations SET value = '560' WHERE value = '999'",
            "period=2022",
            "value 560 → 999",
        ),
        (
            "UPDATE observations SET note = 'edited' WHERE value = '48'",
            "UPDATE observations SET note = NULL WHERE value = '48'",
            "observations (",
            "note NULL → 'edited'",
        ),
        (
            "UPDATE targets SET value = '1' WHERE id = (SELECT MIN(t.id) FROM targets t WHERE t.value IS NOT NULL)",
            "",
            "targets (id=",
            "value ",
        ),
        (
            "UPDATE users SET role = 'administrator' WHERE username = 'li'",
            "UPDATE users SET role = 'reporter' WHERE username = 'li'",
            "users (id=",
            "role 'reporter' → 'administrator'",
        ),
    ];
    for (edit, undo, row, says) in cases {
        // The target's old value is read so that it can be put back.
        let restore = if undo.is_empty() {
            use lantu_store::sqlx::Row;
            let r = rt
                .block_on(
                    lantu_store::sqlx::query(
                        "SELECT id, value FROM targets WHERE id = (SELECT MIN(t.id) FROM targets t \
                         WHERE t.value IS NOT NULL)",
                    )
                    .fetch_one(store.pool()),
                )
                .unwrap();
            let (id, value): (i64, String) = (r.get(0), r.get(1));
            format!("UPDATE targets SET value = '{value}' WHERE id = {id}")
        } else {
            undo.to_string()
        };
        sql(&rt, &store, edit);
        let out = fails(&lantu(&db, &["audit", "verify"]));
        assert!(out.contains(row) && out.contains(says), "{edit}:\n{out}");
        assert!(out.contains("head: entry "), "{out}");
        let json = fails(&lantu(&db, &["audit", "verify", "--format", "json"]));
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(report["problems"][0]["kind"], "row_changed", "{json}");
        sql(&rt, &store, &restore);
        assert!(ok(&lantu(&db, &["audit", "verify"])).contains("intact"));
    }

    sql(&rt, &store, "DELETE FROM observation_transitions");
    let out = fails(&lantu(&db, &["audit", "verify"]));
    assert_eq!(out.matches("observation_transitions (id=").count(), 4, "{out}");
    assert!(out.contains("deleted"), "{out}");
}

#[test]
fn an_anchor_reveals_a_cut_off_or_rewritten_log() {
    let rt = runtime();
    let tmp = Tmp::new("anchor");
    let key = tmp.path("audit.key");
    let anchor = tmp.path("anchor.json");

    let store = setup(&rt, &tmp);
    let db = store.url().to_string();
    ok(&lantu(&db, &["audit", "anchor", "--new-key", &key, "-o", &anchor]));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A key is never overwritten.
    fails(&lantu(&db, &["audit", "anchor", "--new-key", &key]));
    let out = ok(&lantu(&db, &["audit", "verify", "--anchor", &anchor, "--key", &key]));
    assert!(out.contains("anchor of"), "{out}");
    // Another key does not fit the anchor.
    let other = tmp.path("other.key");
    ok(&lantu(&db, &["audit", "anchor", "--new-key", &other]));
    let o = lantu(&db, &["audit", "verify", "--anchor", &anchor, "--key", &other]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not match this key"));

    // A full re-chain after one edit: the chain alone verifies, the anchor
    // does not.
    sql(&rt, &store, "UPDATE audit_log SET actor = 'nobody' WHERE seq = 2");
    rt.block_on(lantu_store::testing::rechain(&store));
    ok(&lantu(&db, &["audit", "verify"]));
    let out = fails(&lantu(&db, &["audit", "verify", "--anchor", &anchor, "--key", &key]));
    assert!(out.contains("rewritten"), "{out}");

    // The last entry (not an import: a deactivation) cut off with its
    // records.
    let store = setup(&rt, &tmp);
    let db = store.url().to_string();
    ok(&lantu(&db, &["user", "deactivate", "li"]));
    let anchor2 = tmp.path("anchor2.json");
    ok(&lantu(&db, &["audit", "anchor", "--key", &key, "-o", &anchor2]));
    let head: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&anchor2).unwrap()).unwrap();
    let last = head["seq"].as_i64().unwrap();
    sql(&rt, &store, &format!("DELETE FROM audit_log WHERE seq = {last}"));
    sql(&rt, &store, &format!("DELETE FROM audit_rows WHERE seq = {last}"));
    let out = fails(&lantu(&db, &["audit", "verify"]));
    assert!(out.contains("users (id=") && out.contains("active 1 → 0"), "{out}");
    let out = fails(&lantu(&db, &["audit", "verify", "--anchor", &anchor2, "--key", &key]));
    assert!(out.contains("cut off"), "{out}");
}
