//! `lantu plan publish|unpublish|release|withdraw` through the binary, and
//! the demo's publication of its plan and sample years; on the backend the
//! test environment names.

use std::process::{Command, Output};

fn lantu(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lantu"))
        .arg("--db")
        .arg(db)
        .args(["--as", "规划科"])
        .args(args)
        .output()
        .expect("the lantu binary runs")
}

fn text(o: &Output) -> (bool, String) {
    (
        o.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn the_planner_publishes_a_plan_and_releases_years() {
    let rt = runtime();
    let store = rt.block_on(lantu_store::testing::fresh_store());
    let db = store.url().to_string();
    let plan = format!(
        "{}/../../data/plans/jinnan-14th-five-year-plan.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let (ok, out) = text(&lantu(&db, &["plan", "import", &plan]));
    assert!(ok, "{out}");
    let id = rt.block_on(store.plans()).unwrap()[0].id;
    let id_s = id.to_string();

    // A draft cannot be made public.
    let (ok, out) = text(&lantu(&db, &["plan", "publish", &id_s]));
    assert!(!ok, "{out}");
    assert!(out.contains("is a draft"), "{out}");

    // Adopted, it can.
    let mut doc = rt.block_on(store.plan_doc(id)).unwrap();
    doc.plan.state = lantu_core::plan::PlanState::Adopted;
    rt.block_on(store.apply_plan(id, &doc, "规划科")).unwrap();
    let (ok, out) = text(&lantu(&db, &["plan", "publish", &id_s]));
    assert!(ok && out.contains("public: yes"), "{out}");
    let (ok, out) = text(&lantu(&db, &["plan", "release", &id_s, "2023"]));
    assert!(ok && out.contains("released years: 2023"), "{out}");
    let (ok, out) = text(&lantu(&db, &["plan", "release", &id_s, "2023"]));
    assert!(ok && out.contains("already"), "{out}");
    let (ok, out) = text(&lantu(&db, &["plan", "release", &id_s, "2040"]));
    assert!(!ok && out.contains("outside the period"), "{out}");
    let p = rt.block_on(store.publication(id)).unwrap();
    assert!(p.plan_public());
    assert_eq!(p.default_year(), Some(2023));

    let (ok, out) = text(&lantu(&db, &["plan", "withdraw", &id_s, "2023"]));
    assert!(ok && out.contains("released years: none"), "{out}");
    let (ok, out) = text(&lantu(&db, &["plan", "unpublish", &id_s]));
    assert!(ok && out.contains("public: no"), "{out}");
    assert!(!rt.block_on(store.publication(id)).unwrap().plan_public());

    // Audited, under the actor's name.
    let log = rt.block_on(store.audit_log(10)).unwrap();
    let steps: Vec<(&str, &str)> = log
        .iter()
        .take(4)
        .rev()
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("publish_plan", "规划科"),
            ("release_year", "规划科"),
            ("withdraw_year", "规划科"),
            ("unpublish_plan", "规划科")
        ]
    );
}

#[test]
fn the_demo_publishes_its_plan_and_sample_years() {
    let rt = runtime();
    let store = rt.block_on(lantu_store::testing::fresh_store());
    let (ok, out) = text(&lantu(store.url(), &["demo", "--no-serve"]));
    assert!(ok, "{out}");
    let plans = rt.block_on(store.plans()).unwrap();
    let p = plans[0].publication();
    assert!(p.plan_public());
    assert_eq!(p.released_years.iter().copied().collect::<Vec<_>>(), [2021, 2022, 2023]);
}
