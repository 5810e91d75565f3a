//! The workbench of the largest plan of the development corpus (苏州
//! 十五五纲要, ≈96,000 characters, ≈120 targets): how long the server takes
//! to serve it and Chromium to reach DOMContentLoaded. A benchmark, not a
//! timed test: `#[ignore]`d, it prints its figures and asserts nothing
//! about time. Run it with `scripts/bench-workbench` (release build), or
//! `cargo test -p lantu-web --test workbench_bench -- --ignored --nocapture`.
//! The corpus is read from `$LANTU_SHARED/corpus` (default `../shared`
//! beside the workspace), never copied into the repository.

#[path = "common/browser.rs"]
mod browser;
#[path = "common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::time::Instant;

fn corpus_file() -> PathBuf {
    const FILE: &str = "corpus/suzhou_overall_15fyp_outline.txt";
    if let Ok(shared) = std::env::var("LANTU_SHARED") {
        return PathBuf::from(shared).join(FILE);
    }
    // Beside the checkout (../shared), or beside a worktree's folder.
    let root = browser::workspace_root();
    let near = root.join("../shared").join(FILE);
    if near.exists() {
        near
    } else {
        root.join("../../shared").join(FILE)
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
#[ignore = "a benchmark: run with --ignored (scripts/bench-workbench)"]
fn workbench_of_the_largest_corpus_plan() {
    let path = corpus_file();
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is missing (set LANTU_SHARED)", path.display());
        return;
    };
    let app = common::start();
    let caller = lantu_app::workbench::Caller {
        role: lantu_core::account::Role::Planner,
        name: "bench",
    };
    let drafted = lantu_app::workbench::draft_text("suzhou.txt", text.clone()).unwrap();
    let targets = drafted.doc.indicators.len();
    let plan = app.rt.block_on(app.state.app().store_draft(caller, drafted)).unwrap();
    let c = app.client();
    c.login("planner", common::PASSWORD);
    let url = format!("/plans/{plan}/workbench");
    let mut served = Vec::new();
    let mut bytes = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let r = c.get(&url);
        served.push(t.elapsed().as_secs_f64());
        assert_eq!(r.status, 200);
        bytes = r.body.len();
    }
    println!(
        "workbench of {} ({} characters, {targets} targets): served in median {:.3} s (runs {:?}), {} KB of HTML",
        path.display(),
        text.chars().count(),
        median(served.clone()),
        served.iter().map(|s| format!("{s:.3}")).collect::<Vec<_>>(),
        bytes / 1024
    );
    let Some(session) = browser::Session::open(&app.rt) else {
        return;
    };
    let base = app.base.clone();
    session.run(&app.rt, move |c| async move {
        browser::login(&c, &base, "planner").await;
        let mut dcl = Vec::new();
        for _ in 0..5 {
            c.goto(&format!("{base}{url}")).await.unwrap();
            let ms = c
                .execute(
                    "const n = performance.getEntriesByType('navigation')[0]; \
                     return n.domContentLoadedEventEnd - n.startTime;",
                    vec![],
                )
                .await
                .unwrap()
                .as_f64()
                .unwrap_or(f64::NAN);
            dcl.push(ms / 1000.0);
        }
        println!(
            "Chromium DOMContentLoaded: median {:.3} s (runs {:?})",
            median(dcl.clone()),
            dcl.iter().map(|s| format!("{s:.3}")).collect::<Vec<_>>()
        );
    });
}
