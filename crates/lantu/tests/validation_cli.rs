//! `lantu data import` goes through the one validation: an impossible share
//! is refused with the message of the core's table — Chinese by default,
//! English with `--lang en`, `LANTU_LANG=en` or an English locale — and a
//! large jump from last year is imported only with a comment.

mod common;

use common::{ok, runtime, Tmp};
use lantu_core::messages::Lang;
use lantu_core::rules::{check_value, Severity};
use rust_decimal::Decimal;
use std::process::{Command, Output};

fn lantu(db: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lantu"));
    c.arg("--db").arg(db).args(["--as", "tester"]).args(args);
    for v in ["LANTU_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        c.env_remove(v);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("the lantu binary runs")
}

fn plan_path() -> String {
    format!(
        "{}/../../data/plans/jinnan-14th-five-year-plan.txt",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Flags, environment, the language expected.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], Lang);

#[test]
fn an_impossible_share_is_refused_in_the_users_language() {
    let rt = runtime();
    let store = rt.block_on(lantu_store::testing::fresh_store());
    let db = store.url().to_string();
    let tmp = Tmp::new("validation");
    ok(&lantu(&db, &["plan", "import", &plan_path()], &[]));
    let doc = rt.block_on(store.store().plan_doc(1)).unwrap();
    let forest = doc.indicators.iter().find(|i| i.name.contains("森林覆盖率")).unwrap();
    assert!(lantu_core::rules::is_share(forest), "{} is a share", forest.name);
    let message = |value: i64, lang: Lang| {
        let f = check_value(forest, Decimal::from(value), None);
        let e = f.iter().find(|f| f.severity == Severity::Error).unwrap();
        e.message.text(lang)
    };
    let code = forest.code.as_str();
    for value in [-5, 150] {
        let file = tmp.file(
            &format!("bad{value}.csv"),
            &format!("指标代码,期间,数值\n{code},2024,{value}\n"),
        );
        let cases: [Case; 5] = [
            (&[], &[], Lang::Zh),
            (&["--lang", "en"], &[], Lang::En),
            (&[], &[("LANTU_LANG", "en")], Lang::En),
            (&[], &[("LANG", "en_US.UTF-8")], Lang::En),
            (&["--lang", "zh"], &[("LANTU_LANG", "en")], Lang::Zh),
        ];
        for (flags, env, lang) in cases {
            let mut args = vec!["data", "import", file.as_str(), "--plan", "1"];
            args.extend_from_slice(flags);
            let o = lantu(&db, &args, env);
            assert!(!o.status.success());
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains(&message(value, lang)), "{flags:?} {env:?}: {err}");
        }
    }
    // Nothing was written.
    let figures = rt
        .block_on(store.store().observations(1, &lantu_store::ObservationQuery::default()))
        .unwrap();
    assert!(figures.is_empty());

    // +300 % from last year: refused without a comment, imported with one.
    let base = tmp.file("base.csv", &format!("指标代码,期间,数值\n{code},2023,10\n"));
    ok(&lantu(&db, &["data", "import", &base, "--plan", "1"], &[]));
    let jump = tmp.file("jump.csv", &format!("指标代码,期间,数值\n{code},2024,40\n"));
    let o = lantu(&db, &["data", "import", &jump, "--plan", "1"], &[]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("说明") && err.contains("+30 个百分点"), "{err}");
    let explained = tmp.file(
        "explained.csv",
        &format!("指标代码,期间,数值,异常说明\n{code},2024,40,造林工程验收\n"),
    );
    assert!(ok(&lantu(&db, &["data", "import", &explained, "--plan", "1"], &[])).contains("1 new"));
    let figures = rt
        .block_on(store.store().observations(1, &lantu_store::ObservationQuery::default()))
        .unwrap();
    let f = figures.iter().find(|f| f.period.to_string() == "2024").unwrap();
    assert_eq!(f.comment.as_deref(), Some("造林工程验收"));
}
