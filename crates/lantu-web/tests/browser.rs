//! The application in a real browser: Debian's headless Chromium driven
//! through chromedriver (WebDriver, with `fantoccini` over plain HTTP on
//! loopback).
//!
//! The walk: a department reporter logs in, opens the data-entry grid, enters
//! a figure for a year that has none, saves it and submits it; the reviewer
//! (statistics bureau) logs in, approves it and publishes it; the public
//! portal then shows the figure and the indicator's new status. Screenshots
//! of the dashboard and of an indicator page go to
//! `target/browser-artifacts/`.
//!
//! Needs `chromium`, `chromium-driver` and `fonts-noto-cjk`: with `CI` set,
//! `scripts/install-browser` installs what is missing; elsewhere the test is
//! skipped with a note when the browser is missing.

#[path = "common/browser.rs"]
mod browser;
#[path = "common/mod.rs"]
mod common;

use browser::{click_and_wait, find, login, logout, phone, screenshot, text};
use fantoccini::{Client, Locator};
use lantu_core::target::Comparator;
use lantu_core::{Direction, Measure, TargetKind};
use rust_decimal::Decimal;
use std::path::PathBuf;

/// What the walk needs to know about the fixture.
#[derive(Clone)]
struct Walk {
    base: String,
    plan: i64,
    /// An indicator of the reporter's department with published figures up
    /// to 2023 and a numeric "at least" target.
    code: String,
    name: String,
    /// The year entered (no figure yet).
    year: i32,
    /// The value entered: above the target, so the indicator is achieved.
    value: String,
    artifacts: PathBuf,
}

const REPORTER: &str = "sthj";

fn walk_for(app: &common::App) -> Walk {
    let codes = app.codes_of(REPORTER);
    let ind = app
        .doc
        .indicators
        .iter()
        .filter(|i| codes.contains(&i.code))
        .find(|i| {
            i.measure == Measure::Level
                && i.direction == Direction::HigherIsBetter
                && i.target.kind == TargetKind::Numeric
                && i.target.comparator == Comparator::AtLeast
                && i.target.value.is_some_and(|v| v > Decimal::ZERO)
                && i.baseline.is_some()
                && i.frequency == lantu_core::plan::Frequency::Annual
        })
        .expect("the reporter's department leads a level indicator with an 'at least' target");
    let target = ind.target.value.unwrap();
    let value = (target * Decimal::new(11, 1)).round_dp(1).normalize();
    Walk {
        base: app.base.clone(),
        plan: app.plan,
        code: ind.code.clone(),
        name: ind.name.clone(),
        year: 2024,
        value: value.to_string(),
        artifacts: PathBuf::new(),
    }
}

#[test]
fn reporter_enters_reviewer_publishes_public_sees_it() {
    let app = common::start();
    let Some(session) = browser::Session::open(&app.rt) else {
        return;
    };
    let walk = walk_for(&app);
    // The planner has released the walk's year: the public sees its figures
    // once they are published (an unreleased year shows nothing).
    app.rt
        .block_on(
            app.state
                .app()
                .store()
                .set_year_released(app.plan, walk.year, true, "planner"),
        )
        .unwrap();
    let walk = Walk {
        artifacts: session.artifacts.clone(),
        ..walk
    };
    session.run(&app.rt, |c| run(c, walk));
}

/// The status badge and the latest value on an indicator page.
async fn status_and_latest(c: &Client) -> (String, String) {
    let status = text(c, ".status-box .badge").await;
    let side = text(c, ".ind-side").await;
    (status, side)
}

async fn run(c: Client, w: Walk) {
    let public_page = format!("{}/public/plans/{}/indicators/{}", w.base, w.plan, w.code);

    // Before: the public portal shows the indicator without the new figure.
    c.goto(&public_page).await.unwrap();
    let title = text(&c, "main h1").await;
    assert!(title.contains(&w.name), "{title:?}");
    let (status_before, side_before) = status_and_latest(&c).await;
    assert!(!status_before.is_empty());
    let figures_before = text(&c, "table.figures").await;
    assert!(
        !figures_before.contains(&w.year.to_string()),
        "no {} figure is published yet: {figures_before}",
        w.year
    );
    assert!(!side_before.contains(&w.value));

    // The reporter enters the figure in the grid, saves and submits it.
    login(&c, &w.base, REPORTER).await;
    click_and_wait(&c, "nav.nav a[href^='/entry']").await;
    let heading = text(&c, "main h1").await;
    assert!(heading.contains("数据填报"), "{heading:?}");
    find(&c, "form.filters select[name=year]")
        .await
        .select_by_value(&w.year.to_string())
        .await
        .unwrap();
    click_and_wait(&c, "form.filters button[type=submit]").await;
    let cell = format!("input[name='v|{}|{}']", w.code, w.year);
    let input = find(&c, &cell).await;
    assert_eq!(
        input.prop("value").await.unwrap().as_deref(),
        Some(""),
        "the cell is empty"
    );
    input.send_keys(&w.value).await.unwrap();
    let source = format!("input[name='s|{}|{}']", w.code, w.year);
    find(&c, &source).await.send_keys("浏览器测试").await.unwrap();
    click_and_wait(&c, "form[action='/entry'][method=post] div.actions button[type=submit]").await;
    let errors = c.find_all(Locator::Css("main .errors")).await.unwrap();
    if let Some(e) = errors.first() {
        panic!("saving the draft failed: {}", e.text().await.unwrap());
    }
    let saved = find(&c, &cell).await.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(saved, w.value, "the grid shows the saved draft");
    let submit = find(&c, "form[action='/entry/submit'] button[type=submit]").await;
    assert!(submit.is_enabled().await.unwrap(), "one draft to submit");
    assert!(submit.text().await.unwrap().contains("(1)"));
    click_and_wait(&c, "form[action='/entry/submit'] button[type=submit]").await;
    let row_state = text(&c, "table.grid tbody").await;
    assert!(row_state.contains("已提交"), "the figure is submitted: {row_state}");
    logout(&c).await;

    // Not yet public.
    c.goto(&public_page).await.unwrap();
    assert!(!text(&c, "table.figures").await.contains(&w.year.to_string()));

    // The reviewer approves and publishes it.
    login(&c, &w.base, "reviewer").await;
    click_and_wait(&c, "nav.nav a[href^='/review']").await;
    let boxes = c.find_all(Locator::Css("input[type=checkbox][name=id]")).await.unwrap();
    assert_eq!(boxes.len(), 1, "one submitted figure to review");
    let label = boxes[0].attr("aria-label").await.unwrap().unwrap_or_default();
    assert!(label.contains(&w.name), "{label:?}");
    // Nothing is pre-selected: the reviewer ticks the figure first.
    assert!(!boxes[0].is_selected().await.unwrap(), "nothing is pre-selected");
    boxes[0].click().await.unwrap();
    click_and_wait(&c, "button[name=action][value=approve]").await;
    let approved = text(&c, "main").await;
    assert!(approved.contains(&w.value), "approved: {approved}");
    click_and_wait(&c, "form[action='/review/publish'] button[type=submit]").await;

    // Screenshots, logged in: the dashboard and the indicator page.
    c.goto(&format!("{}/plans/{}", w.base, w.plan)).await.unwrap();
    find(&c, "main").await;
    let dashboard = screenshot(&c, &w.artifacts, "dashboard.png", false).await;
    screenshot(&c, &w.artifacts, "dashboard-full.png", true).await;
    phone(&c, &w.artifacts, "phone-dashboard.png").await;
    c.goto(&format!("{}/plans/{}/indicators/{}", w.base, w.plan, w.code))
        .await
        .unwrap();
    let internal = text(&c, "table.figures").await;
    assert!(internal.contains(&w.value), "{internal}");
    let indicator = screenshot(&c, &w.artifacts, "indicator.png", true).await;
    logout(&c).await;

    // The third-party evaluator comments on the indicator.
    const NOTE: &str = "浏览器测试：该指标新增数据已核实。";
    login(&c, &w.base, "evaluator").await;
    c.goto(&format!("{}/plans/{}/indicators/{}", w.base, w.plan, w.code))
        .await
        .unwrap();
    find(&c, "#comments textarea[name=body]")
        .await
        .send_keys(NOTE)
        .await
        .unwrap();
    click_and_wait(&c, "#comments form.comment-form button[type=submit]").await;
    let comments = text(&c, "#comments").await;
    assert!(
        comments.contains(NOTE),
        "the comment is under the indicator: {comments}"
    );
    screenshot(&c, &w.artifacts, "indicator-comments.png", true).await;
    logout(&c).await;

    // After: the public portal shows the figure and the changed status.
    c.goto(&public_page).await.unwrap();
    let figures_after = text(&c, "table.figures").await;
    let row = figures_after
        .lines()
        .find(|l| l.starts_with(&w.year.to_string()))
        .unwrap_or_else(|| panic!("a {} row among the published figures: {figures_after}", w.year));
    assert!(row.contains(&w.value), "{row}");
    let (status_after, side_after) = status_and_latest(&c).await;
    assert!(
        side_after.contains(&format!("{} ", w.value)) || side_after.contains(&w.value),
        "the latest value is the new figure: {side_after}"
    );
    assert!(side_after.contains(&w.year.to_string()), "{side_after}");
    assert_ne!(status_before, status_after, "the status changed");
    assert_eq!(status_after, "提前实现", "the target is reached ahead of time");
    assert!(
        !text(&c, "main").await.contains(NOTE),
        "the public portal shows no evaluation comment"
    );
    screenshot(&c, &w.artifacts, "public-indicator.png", true).await;
    eprintln!(
        "walk: {} {} {} → {}; status {status_before} → {status_after}; screenshots {} {}",
        w.code,
        w.name,
        w.year,
        w.value,
        dashboard.display(),
        indicator.display()
    );
}
