//! A two-level review chain in a real browser (headless Chromium through
//! chromedriver, the shared harness of `tests/common/browser.rs`): the
//! planner sets the chain 统计局审核 → 发改委确认 on the plan's chain form;
//! a department's submitted figure is approved by the statistics bureau
//! (level 1) — still not public — then confirmed by the planner (level 2)
//! and published; the public portal shows it only then. Skipped with a note
//! when the browser is missing (see tests/browser.rs).

#[path = "common/browser.rs"]
mod browser;
#[path = "common/mod.rs"]
mod common;

use browser::{click_and_wait, find, login, logout, screenshot, text};
use fantoccini::Client;
use lantu_core::observation::{NewObservation, ObservationState};
use lantu_core::Period;
use lantu_store::Figures;
use rust_decimal::Decimal;
use std::path::PathBuf;

#[derive(Clone)]
struct Walk {
    base: String,
    plan: i64,
    code: String,
    id: i64,
    value: String,
    artifacts: PathBuf,
}

const YEAR: i32 = 2024;

/// Submits a 2024 figure for an annual indicator of sthj with a 2023 figure.
fn submitted(app: &common::App) -> (String, i64, String) {
    let store = app.state.app().store().clone();
    let plan = app.plan;
    let codes = app.codes_of("sthj");
    app.rt.block_on(async move {
        let recs = store
            .observations(
                plan,
                &lantu_store::ObservationQuery {
                    department: Some("sthj".into()),
                    geography: Some(String::new()),
                    years: Some((2023, 2023)),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let r = recs
            .iter()
            .find(|r| codes.contains(&r.indicator) && r.period == Period::year(2023))
            .expect("an sthj figure of 2023");
        let value = (r.value * Decimal::new(11, 1)).round_dp(2).normalize();
        store
            .import_observations(
                plan,
                &[NewObservation {
                    indicator: r.indicator.clone(),
                    period: Period::year(YEAR),
                    geography: None,
                    value,
                    source: Some("区生态环境局 年报".into()),
                    note: None,
                    comment: None,
                }],
                "sthj",
                "grid",
                None,
            )
            .await
            .unwrap();
        let moved = store
            .set_state(
                &Figures::AllIn {
                    plan_id: plan,
                    state: ObservationState::Draft,
                },
                ObservationState::Submitted,
                "sthj",
                None,
            )
            .await
            .unwrap();
        (r.indicator.clone(), moved[0], value.to_string())
    })
}

#[test]
fn a_two_level_chain_approves_and_publishes() {
    let app = common::start();
    let Some(session) = browser::Session::open(&app.rt) else {
        return;
    };
    app.rt
        .block_on(
            app.state
                .app()
                .store()
                .set_year_released(app.plan, YEAR, true, "planner"),
        )
        .unwrap();
    let (code, id, value) = submitted(&app);
    let walk = Walk {
        base: app.base.clone(),
        plan: app.plan,
        code,
        id,
        value,
        artifacts: session.artifacts.clone(),
    };
    session.run(&app.rt, |c| run(c, walk));
    // Both levels' steps are in the store's history and the audit holds.
    let store = app.state.app().store();
    let steps = app.rt.block_on(store.chain_steps(id)).unwrap();
    let names: Vec<String> = steps.into_iter().flatten().map(|s| s.level_name).collect();
    assert_eq!(names, ["统计局审核", "发改委确认"]);
    let report = app.rt.block_on(store.audit_verify()).unwrap();
    assert!(report.is_clean(), "{:#?}", report.problems);
}

async fn public_shows(c: &Client, w: &Walk) -> bool {
    c.goto(&format!(
        "{}/public/plans/{}/indicators/{}?year={YEAR}",
        w.base, w.plan, w.code
    ))
    .await
    .unwrap();
    let figures = text(c, "table.figures").await;
    figures.contains(&YEAR.to_string())
}

async fn run(c: Client, w: Walk) {
    assert!(!public_shows(&c, &w).await, "a submitted figure is not public");

    // The planner sets the chain on the plan's chain form.
    login(&c, &w.base, "planner").await;
    c.goto(&format!("{}/review/levels?plan={}", w.base, w.plan))
        .await
        .unwrap();
    find(&c, "input[name=name_0]")
        .await
        .send_keys("统计局审核")
        .await
        .unwrap();
    find(&c, "select[name=role_0]")
        .await
        .select_by_value("reviewer")
        .await
        .unwrap();
    find(&c, "input[name=name_1]")
        .await
        .send_keys("发改委确认")
        .await
        .unwrap();
    find(&c, "select[name=role_1]")
        .await
        .select_by_value("planner")
        .await
        .unwrap();
    click_and_wait(&c, "form[action='/review/levels'] button[type=submit]").await;
    let saved = text(&c, "body").await;
    assert!(saved.contains("审核层级已保存"), "{saved}");
    logout(&c).await;

    // Level 1: the statistics bureau approves the one figure by its own button.
    login(&c, &w.base, "reviewer").await;
    c.goto(&format!("{}/review?plan={}", w.base, w.plan)).await.unwrap();
    let chain = text(&c, ".review-chain").await;
    assert!(chain.contains("统计局审核") && chain.contains("发改委确认"), "{chain}");
    let row = text(&c, &format!("tr[data-id='{}']", w.id)).await;
    assert!(row.contains("统计局审核"), "waits at level 1: {row}");
    screenshot(&c, &w.artifacts, "review-chain.png", true).await;
    click_and_wait(&c, &format!("button[name=row][value='approve:{}']", w.id)).await;
    let row = text(&c, &format!("tr[data-id='{}']", w.id)).await;
    assert!(row.contains("发改委确认"), "waits at level 2: {row}");
    logout(&c).await;
    assert!(!public_shows(&c, &w).await, "not public after level 1");

    // Level 2: the planner confirms and publishes.
    login(&c, &w.base, "planner").await;
    c.goto(&format!("{}/review?plan={}", w.base, w.plan)).await.unwrap();
    click_and_wait(&c, &format!("button[name=row][value='approve:{}']", w.id)).await;
    let main = text(&c, "body").await;
    assert!(main.contains("已审核通过: 1"), "{main}");
    assert!(!public_shows(&c, &w).await, "approved is not yet published");
    c.goto(&format!("{}/review?plan={}", w.base, w.plan)).await.unwrap();
    click_and_wait(&c, "form[action='/review/publish'] button[type=submit]").await;
    let published = text(&c, "body").await;
    assert!(published.contains("已发布"), "{published}");
    logout(&c).await;

    assert!(
        public_shows(&c, &w).await,
        "public after the last level and publication"
    );
    let page = text(&c, "table.figures").await;
    assert!(
        page.contains(&w.value) || page.contains(&w.value.replace('.', "．")),
        "{page}"
    );
}
