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

/// A plan written for this test (not the bundled one): a county's special
/// plan with two targets.
const NEW_PLAN: &str = "\
青溪县生态环境保护“十四五”规划

第一章 发展目标

到2025年，全县PM2.5年均浓度降至30微克/立方米以下，森林覆盖率达到25%。

第二章 主要任务

一、深入打好污染防治攻坚战。
";

/// Issue 12's bar: after `lantu plan import` of a new plan into the demo
/// database, neither the public portal nor the anonymous API shows it —
/// not in the list, not at its own address — until a planner adopts it,
/// makes it public and releases a year.
#[test]
fn a_plan_imported_into_the_demo_is_not_public() {
    let rt = runtime();
    let store = rt.block_on(lantu_store::testing::fresh_store());
    let db = store.url().to_string();
    let (ok, out) = text(&lantu(&db, &["demo", "--no-serve"]));
    assert!(ok, "{out}");
    let demo = rt.block_on(store.plans()).unwrap()[0].id;
    let dir = std::env::temp_dir().join(format!("lantu-new-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("qingxi-eco-14th.txt");
    std::fs::write(&file, NEW_PLAN).unwrap();
    let (ok, out) = text(&lantu(&db, &["plan", "import", &file.display().to_string()]));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(ok, "{out}");
    let plans = rt.block_on(store.plans()).unwrap();
    assert_eq!(plans.len(), 2);
    let new = plans.iter().find(|p| p.id != demo).unwrap();
    assert!(new.name.contains("青溪县"), "{}", new.name);

    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = lantu_web::AppState::new(lantu_app::App::new(store.clone()), lantu_web::Config::default());
    rt.spawn(lantu_web::serve_on(state, listener));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let get = |path: &str| {
        let mut r = agent.get(format!("{base}{path}")).call().unwrap();
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, location, r.body_mut().read_to_string().unwrap_or_default())
    };

    // The portal goes straight to the one public plan, the demo's.
    let (status, location, _) = get("/public/");
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/public/plans/{demo}").as_str())
    );
    let (status, _, list) = get("/public/plans");
    assert_eq!(status, 200);
    assert!(!list.contains("青溪县"), "{list}");
    let (status, _, api) = get("/api/v1/plans");
    assert_eq!(status, 200);
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    let ids: Vec<i64> = api
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [demo], "{api}");
    assert!(!api.to_string().contains("青溪县"));
    for path in [
        format!("/public/plans/{}", new.id),
        format!("/api/v1/plans/{}", new.id),
        format!("/api/v1/plans/{}/indicators", new.id),
        format!("/api/v1/plans/{}/status", new.id),
    ] {
        assert_eq!(get(&path).0, 404, "{path}");
    }
    // The planner cannot publish it before adoption.
    let (ok, out) = text(&lantu(&db, &["plan", "publish", &new.id.to_string()]));
    assert!(!ok && out.contains("草稿"), "{out}");
}
