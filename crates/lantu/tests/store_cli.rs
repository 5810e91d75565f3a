//! The store commands end to end, through the binary, on the backend the
//! test environment names (SQLite by default, PostgreSQL when
//! `LANTU_TEST_DATABASE_URL` is set): plan import → export → apply → export,
//! data import (atomic, idempotent, vintages), review, status, audit.

mod common;

use common::{ok, runtime, Tmp};
use std::process::{Command, Output};

fn lantu(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lantu"))
        .arg("--db")
        .arg(db)
        .args(["--as", "tester"])
        .args(args)
        .output()
        .expect("the lantu binary runs")
}

/// One indicator of `lantu status --format json` for a plan and year.
fn status_of(db: &str, plan: &str, year: &str, all: bool, code: &str) -> serde_json::Value {
    let mut args = vec!["status", "--plan", plan, "--year", year, "--format", "json"];
    if all {
        args.push("--all");
    }
    let v: serde_json::Value = serde_json::from_str(&ok(&lantu(db, &args))).unwrap();
    v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap()
        .clone()
}

fn plan_path() -> String {
    format!(
        "{}/../../data/plans/jinnan-14th-five-year-plan.txt",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn plan_round_trip_data_import_review_status_audit() {
    let rt = runtime();
    let store = rt.block_on(lantu_store::testing::fresh_store());
    let db = store.url().to_string();
    let tmp = Tmp::new("flow");

    let out = ok(&lantu(&db, &["plan", "import", &plan_path()]));
    assert!(out.starts_with("plan 1:") || out.contains("plan "), "{out}");
    let list = ok(&lantu(&db, &["plan", "list", "--format", "json"]));
    let plans: serde_json::Value = serde_json::from_str(&list).unwrap();
    let id = plans[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(plans[0]["indicators"], 68);

    // Export → apply → export is byte-identical.
    let a = tmp.path("a.toml");
    let b = tmp.path("b.toml");
    ok(&lantu(&db, &["plan", "export", &id, "-o", &a]));
    assert!(ok(&lantu(&db, &["plan", "apply", &a])).contains("no change"));
    ok(&lantu(&db, &["plan", "export", &id, "-o", &b]));
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());

    // A planner's correction comes back.
    let edited = std::fs::read_to_string(&a).unwrap().replacen(
        "name = \"一级管控区森林覆盖率\"",
        "name = \"一级管控区森林覆盖率(修订)\"",
        1,
    );
    let c = tmp.file("c.toml", &edited);
    assert!(ok(&lantu(&db, &["plan", "apply", &c])).contains("indicator t001"));

    // Thresholds out of order are refused as the administration page
    // refuses them (one rule, PlanDoc::validate), and nothing changes.
    let text = std::fs::read_to_string(&a).unwrap();
    let at = text.find("on_track_ratio = ").expect("the export names the thresholds");
    let end = at + text[at..].find('\n').unwrap();
    let bad = format!("{}on_track_ratio = \"5\"{}", &text[..at], &text[end..]);
    let bad = tmp.file("bad.toml", &bad);
    let refused = lantu(&db, &["plan", "apply", &bad]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("基本符合阈值"), "{err}");

    // The template is a real xlsx.
    let tpl = tmp.path("tpl.xlsx");
    ok(&lantu(
        &db,
        &[
            "data", "template", "--plan", &id, "--from", "2021", "--to", "2022", "-o", &tpl,
        ],
    ));
    assert!(std::fs::read(&tpl).unwrap().starts_with(b"PK"));

    // Bad rows: every error with its row and column, nothing imported.
    let bad = tmp.file(
        "bad.csv",
        "指标代码,期间,数值\nt008,2021,48\nt999,2022,1\nt008,2022,x\n",
    );
    // In English here; the languages themselves are validation_cli.rs's.
    let o = lantu(&db, &["data", "import", &bad, "--plan", &id, "--lang", "en"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("row 3") && err.contains("t999") && err.contains("row 4"),
        "{err}"
    );
    let pm = status_of(&db, &id, "2022", true, "t008");
    assert!(pm["latest"].is_null(), "a failed import wrote a figure: {pm}");

    // Good rows; the same file again changes nothing; a changed value is a new vintage.
    let good = tmp.file(
        "good.csv",
        "指标代码,期间,数值\nt008,2021,48\nt008,2022,45\nt035,2021,500\nt035,2022,560\n",
    );
    assert!(ok(&lantu(&db, &["data", "import", &good, "--plan", &id])).contains("4 new"));
    assert!(ok(&lantu(&db, &["data", "import", &good, "--plan", &id])).contains("4 unchanged"));
    let fix = tmp.file("fix.csv", "指标代码,期间,数值\nt008,2022,44\n");
    assert!(ok(&lantu(
        &db,
        &["data", "import", &fix, "--plan", &id, "--reason", "订正"]
    ))
    .contains("1 revised"));

    // Unreviewed figures do not count; after review they do.
    let t035 = status_of(&db, &id, "2022", false, "t035");
    assert!(t035["latest"].is_null());
    for to in ["submitted", "approved"] {
        ok(&lantu(&db, &["data", "review", "--plan", &id, "--to", to]));
    }
    let t035 = status_of(&db, &id, "2022", false, "t035");
    // 国家高新技术企业: 468 (2020) → 620 (2025); 560 in 2022: p = 92/152, s = 2/5.
    let ratio = t035["assessment"]["ratio"].as_f64().unwrap();
    assert!((ratio - (92.0 / 152.0) / 0.4).abs() < 1e-9, "{ratio}");
    assert_eq!(t035["assessment"]["status"], "ahead");
    let pm = status_of(&db, &id, "2022", false, "t008");
    assert_eq!(
        pm["latest"]["value"]
            .as_f64()
            .or_else(|| pm["latest"]["value"].as_str().and_then(|s| s.parse().ok())),
        Some(44.0)
    );

    assert!(ok(&lantu(&db, &["audit", "verify"])).contains("intact"));
    drop(store);
}

#[test]
fn demo_loads_the_bundled_plan_with_sample_data() {
    let rt = runtime();
    let store = rt.block_on(lantu_store::testing::fresh_store());
    let out = ok(&lantu(store.url(), &["demo", "--no-serve"]));
    assert!(out.contains("ILLUSTRATIVE SAMPLE DATA"), "{out}");
    assert!(out.contains("快于预期") && out.contains("滞后"), "{out}");
    // Running it again reuses the plan.
    ok(&lantu(store.url(), &["demo", "--no-serve"]));
    let plans = rt.block_on(store.plans()).unwrap();
    assert_eq!(plans.len(), 1);
}

/// The report's indicator table says what `lantu status` says, indicator by
/// indicator (issue 5: the numbers in the report equal `lantu status`).
#[test]
fn report_agrees_with_status() {
    use calamine::Reader;
    let rt = runtime();
    let store = rt.block_on(lantu_store::testing::fresh_store());
    let db = store.url().to_string();
    let tmp = Tmp::new("report");
    ok(&lantu(&db, &["demo", "--no-serve"]));
    let status: serde_json::Value = serde_json::from_str(&ok(&lantu(
        &db,
        &["status", "--plan", "1", "--year", "2023", "--format", "json"],
    )))
    .unwrap();
    let xlsx = tmp.path("r.xlsx");
    ok(&lantu(
        &db,
        &[
            "report", "annual", "--plan", "1", "--year", "2023", "--format", "xlsx", "-o", &xlsx,
        ],
    ));
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    let sheet = book.worksheet_range("指标总表").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| c == "状态") && r.iter().any(|c| c == "指标"))
        .expect("header");
    let col = |name: &str| rows[header].iter().position(|c| c == name).unwrap();
    let (ci, cs) = (col("指标"), col("状态"));
    let mut from_report: Vec<(String, String)> = rows[header + 1..]
        .iter()
        .filter(|r| !r[ci].is_empty())
        .map(|r| (r[ci].clone(), r[cs].clone()))
        .collect();
    let label = |code: &str| {
        lantu_core::progress::Status::from_code(code)
            .map(|s| s.label_zh().to_string())
            .unwrap_or_default()
    };
    let mut from_status: Vec<(String, String)> = status["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let s = i["assessment"]["status"].as_str().unwrap_or("not_assessable");
            (i["name"].as_str().unwrap().to_string(), label(s))
        })
        .collect();
    from_report.sort();
    from_status.sort();
    assert_eq!(
        from_report.len(),
        from_status.len(),
        "every indicator in the report table"
    );
    let differ: Vec<_> = from_report.iter().zip(&from_status).filter(|(a, b)| a != b).collect();
    assert!(differ.is_empty(), "report and status disagree: {differ:?}");
}

/// One pipeline (issue 9): `lantu status --format json` and the JSON API's
/// status — anonymous (the demo publishes every figure; the public sees the
/// years the demo released, and no other) and with a staff account's token
/// — give the same status, ratio and warning for every indicator of the
/// demo plan in every year of the plan.
#[test]
fn status_and_api_agree_in_every_year() {
    use sha2::Digest;
    let rt = runtime();
    let store = rt.block_on(lantu_store::testing::fresh_store());
    let db = store.url().to_string();
    ok(&lantu(&db, &["demo", "--no-serve"]));
    let plan = rt.block_on(store.plans()).unwrap().remove(0);
    let released = rt.block_on(store.publication(plan.id)).unwrap().released_years;
    assert!(!released.is_empty(), "the demo releases the years of its sample data");
    let token = "5eed".repeat(16);
    let planner = rt.block_on(store.user_by_name("planner")).unwrap().unwrap();
    let digest: String = sha2::Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let update = lantu_store::UserUpdate {
        api_token_hash: Some(Some(digest)),
        ..Default::default()
    };
    rt.block_on(store.update_user(planner.id, &update, "tester")).unwrap();
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = lantu_web::AppState::new(lantu_app::App::new(store.clone()), lantu_web::Config::default());
    rt.spawn(lantu_web::serve_on(state, listener));

    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let bearer = format!("Bearer {token}");
    let mut seen = std::collections::HashSet::new();
    for year in plan.start_year..=plan.end_year {
        let y = year.to_string();
        let cli: serde_json::Value = serde_json::from_str(&ok(&lantu(
            &db,
            &[
                "status",
                "--plan",
                &plan.id.to_string(),
                "--year",
                &y,
                "--format",
                "json",
            ],
        )))
        .unwrap();
        let from_cli: Vec<(String, serde_json::Value, serde_json::Value, bool)> = cli["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let a = &i["assessment"];
                (
                    i["code"].as_str().unwrap().to_string(),
                    a.get("status").cloned().unwrap_or_else(|| "not_assessable".into()),
                    a.get("ratio").cloned().unwrap_or(serde_json::Value::Null),
                    a["warning"].as_bool().unwrap_or(false),
                )
            })
            .collect();
        assert_eq!(from_cli.len(), 68, "every indicator of the demo plan in {year}");
        for auth in [None, Some(bearer.as_str())] {
            let mut req = agent.get(format!("{base}/api/v1/plans/{}/status?year={year}", plan.id));
            if let Some(a) = auth {
                req = req.header("Authorization", a);
            }
            let mut resp = req.call().expect("the API answers");
            if auth.is_none() && !released.contains(&year) {
                assert_eq!(resp.status().as_u16(), 404, "{year} is not released");
                continue;
            }
            assert_eq!(resp.status().as_u16(), 200);
            let api: serde_json::Value = serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
            assert_eq!(api["evaluation_year"], year);
            assert_eq!(
                api["figures_shown"],
                if auth.is_some() { "reviewed" } else { "published" }
            );
            let from_api: Vec<(String, serde_json::Value, serde_json::Value, bool)> = api["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    (
                        i["code"].as_str().unwrap().to_string(),
                        i["status"].clone(),
                        i["ratio"].clone(),
                        i["warning"].as_bool().unwrap(),
                    )
                })
                .collect();
            assert_eq!(
                from_api,
                from_cli,
                "status, ratio and warning in {year} (token: {})",
                auth.is_some()
            );
        }
        seen.extend(from_cli.into_iter().map(|(_, s, _, _)| s.to_string()));
    }
    // The years exercise the engine: several different conclusions.
    assert!(seen.len() >= 3, "{seen:?}");
}

/// `lantu user`: the accounts the web application signs in with, kept in
/// the database; `lantu demo` creates one per role.
#[test]
fn user_accounts_from_the_command_line() {
    let rt = runtime();
    let store = rt.block_on(lantu_store::testing::fresh_store());
    let db = store.url();
    let with_pw = |args: &[&str], pw: &str| {
        Command::new(env!("CARGO_BIN_EXE_lantu"))
            .args(["--db", db, "--as", "tester"])
            .args(args)
            .env("LANTU_PASSWORD", pw)
            .output()
            .unwrap()
    };
    let out = ok(&with_pw(
        &["user", "add", "tjj", "--role", "reviewer", "--display-name", "区统计局"],
        "a-long-password",
    ));
    assert!(out.contains("added user tjj (reviewer)"), "{out}");
    let short = with_pw(&["user", "add", "x", "--role", "planner"], "short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 8 characters"));
    let bad_role = with_pw(&["user", "add", "x", "--role", "boss"], "a-long-password");
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("unknown role `boss`"));
    let no_dept = with_pw(&["user", "add", "x", "--role", "reporter"], "a-long-password");
    assert!(String::from_utf8_lossy(&no_dept.stderr).contains("needs a department"));
    let taken = with_pw(&["user", "add", "TJJ", "--role", "planner"], "a-long-password");
    assert!(String::from_utf8_lossy(&taken.stderr).contains("is taken"));

    let before = rt.block_on(store.user_by_name("tjj")).unwrap().unwrap();
    ok(&with_pw(&["user", "passwd", "tjj"], "another-password"));
    ok(&lantu(db, &["user", "deactivate", "tjj"]));
    let after = rt.block_on(store.user_by_name("tjj")).unwrap().unwrap();
    assert_ne!(before.password_hash, after.password_hash);
    assert!(!after.active);
    let missing = lantu(db, &["user", "passwd", "nobody"]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("there is no user `nobody`"));

    ok(&lantu(db, &["demo", "--no-serve"]));
    let list: serde_json::Value = serde_json::from_str(&ok(&lantu(db, &["user", "list", "--format", "json"]))).unwrap();
    let roles: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["username"].as_str().unwrap().to_string(),
                u["role"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (name, role) in [
        ("admin", "administrator"),
        ("planner", "planner"),
        ("sthj", "reporter"),
        ("reviewer", "reviewer"),
        ("evaluator", "evaluator"),
        ("tjj", "reviewer"),
    ] {
        assert!(
            roles.contains(&(name.to_string(), role.to_string())),
            "{name} in {roles:?}"
        );
    }
    assert!(!list.to_string().contains("argon2"), "no hashes in the listing");

    // The demo's database is not served with the demo's published password.
    let mut child = Command::new(env!("CARGO_BIN_EXE_lantu"))
        .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("lantu serve started on a database with demo passwords");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("demo's accounts") && err.contains("admin") && err.contains("lantu user passwd"),
        "{err}"
    );
    let audit = rt.block_on(store.audit_of("user", before.id)).unwrap();
    assert_eq!(audit.len(), 3);
    assert!(audit.iter().all(|e| e.actor == "tester"));
}
