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

#[path = "common/mod.rs"]
mod common;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use lantu_core::target::Comparator;
use lantu_core::{Direction, Measure, TargetKind};
use rust_decimal::Decimal;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Chromium's flags: headless, no sandbox (root in a container), and nothing
/// that reaches out of the machine.
const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1366,900",
];

const WAIT: Duration = Duration::from_secs(15);

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn artifacts_dir() -> PathBuf {
    workspace_root().join("target/browser-artifacts")
}

/// The first of `names` found on `PATH`.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

struct Browser {
    chromedriver: PathBuf,
    chromium: PathBuf,
}

fn find_browser() -> Option<Browser> {
    Some(Browser {
        chromedriver: on_path(&["chromedriver"])?,
        chromium: on_path(&["chromium", "chromium-browser"])?,
    })
}

/// Whether a CJK font is installed (else Chinese renders as empty boxes).
fn cjk_font_installed() -> bool {
    fn walk(dir: &Path, depth: usize) -> bool {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return false;
        };
        entries.flatten().any(|e| {
            let p = e.path();
            let name = e.file_name().to_string_lossy().to_lowercase();
            if p.is_dir() {
                depth < 4 && walk(&p, depth + 1)
            } else {
                name.contains("cjk")
            }
        })
    }
    walk(Path::new("/usr/share/fonts"), 0)
}

/// The browser, installed by `scripts/install-browser` under CI; `None`
/// (skip) elsewhere when it is missing.
fn browser_or_install() -> Option<Browser> {
    let complete = |b: Option<Browser>| b.filter(|_| cjk_font_installed());
    if let Some(b) = complete(find_browser()) {
        return Some(b);
    }
    if std::env::var_os("CI").is_none() {
        if let Some(b) = find_browser() {
            let _ = writeln!(
                std::io::stderr(),
                "browser test: no CJK font (fonts-noto-cjk); Chinese will show as boxes in the screenshots"
            );
            return Some(b);
        }
        // Straight to stderr, past the test harness's capture, so that the
        // skip is seen.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED browser test: chromium or chromedriver is not installed. \
             Run scripts/install-browser (Debian: chromium chromium-driver fonts-noto-cjk), \
             or set CI=1 to have the test install them."
        );
        return None;
    }
    let script = workspace_root().join("scripts/install-browser");
    let status = Command::new("bash")
        .arg(&script)
        .status()
        .unwrap_or_else(|e| panic!("running {}: {e}", script.display()));
    assert!(status.success(), "{} failed: {status}", script.display());
    let b = complete(find_browser());
    assert!(
        b.is_some(),
        "chromium, chromedriver or a CJK font still missing after install-browser"
    );
    b
}

/// chromedriver on a free loopback port; killed on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start(path: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        // Without --allowed-ips, chromedriver listens on loopback only.
        let child = Command::new(path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", path.display()));
        let url = format!("http://127.0.0.1:{port}");
        let driver = Driver { child, url };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(2)))
            .build()
            .into();
        let started = Instant::now();
        loop {
            let ready = agent
                .get(format!("{}/status", driver.url))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .and_then(|b| serde_json::from_str::<serde_json::Value>(&b).ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                return driver;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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
        artifacts: artifacts_dir(),
    }
}

#[test]
fn reporter_enters_reviewer_publishes_public_sees_it() {
    let Some(browser) = browser_or_install() else {
        return;
    };
    let driver = Driver::start(&browser.chromedriver);
    let app = common::start();
    let walk = walk_for(&app);
    // The planner has released the walk's year: the public sees its figures
    // once they are published (an unreleased year shows nothing).
    app.rt
        .block_on(
            app.state
                .store()
                .set_year_released(app.plan, walk.year, true, "planner"),
        )
        .unwrap();
    std::fs::create_dir_all(&walk.artifacts).unwrap();
    let walk = Walk {
        artifacts: walk.artifacts.canonicalize().unwrap(),
        ..walk
    };

    let profile = std::env::temp_dir().join(format!(
        "lantu-chromium-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.push("--lang=zh-CN".into());
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "chrome".into());
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "binary": browser.chromium, "args": args }),
    );
    let client = app.rt.block_on(async {
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .expect("a WebDriver session with headless chromium")
    });

    // The walk runs as a task, so that a failed assertion comes back here
    // and the browser is closed all the same.
    let result = app.rt.block_on(app.rt.spawn(run(client.clone(), walk)));
    let _ = app.rt.block_on(client.close());
    drop(driver);
    let _ = std::fs::remove_dir_all(&profile);
    if let Err(e) = result {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("the browser walk was cancelled: {e}"),
        }
    }
}

async fn find(c: &Client, css: &str) -> fantoccini::elements::Element {
    match c.wait().at_most(WAIT).for_element(Locator::Css(css)).await {
        Ok(e) => e,
        Err(e) => panic!("no `{css}` on {}: {e}", url(c).await),
    }
}

async fn url(c: &Client) -> String {
    c.current_url().await.map(|u| u.to_string()).unwrap_or_default()
}

async fn text(c: &Client, css: &str) -> String {
    find(c, css).await.text().await.unwrap()
}

/// Clicks and waits until the browser has left the page.
async fn click_and_wait(c: &Client, css: &str) {
    let marker = c.execute("window.__lantu_marker = 1; return 1;", vec![]).await.unwrap();
    assert_eq!(marker, serde_json::json!(1));
    find(c, css).await.click().await.unwrap();
    let started = Instant::now();
    loop {
        let old = c
            .execute("return window.__lantu_marker === 1;", vec![])
            .await
            .unwrap_or(serde_json::json!(true));
        let ready = c
            .execute("return document.readyState;", vec![])
            .await
            .unwrap_or_default();
        if old == serde_json::json!(false) && ready == serde_json::json!("complete") {
            return;
        }
        assert!(started.elapsed() < WAIT, "clicking `{css}` did not load a page");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn login(c: &Client, w: &Walk, user: &str) {
    c.goto(&format!("{}/login", w.base)).await.unwrap();
    find(c, "input[name=username]").await.send_keys(user).await.unwrap();
    find(c, "input[name=password]")
        .await
        .send_keys(common::PASSWORD)
        .await
        .unwrap();
    click_and_wait(c, "form[action='/login'] button[type=submit]").await;
    let who = text(c, "header a.who").await;
    assert!(who.contains(user), "logged in as {user}: the header says {who:?}");
}

async fn logout(c: &Client) {
    click_and_wait(c, "form[action='/logout'] button").await;
    let header = text(c, "header .tools").await;
    assert!(header.contains("登录"), "logged out: the header says {header:?}");
}

/// A screenshot at 1366×768 (the office laptop's screen), or of the whole
/// page (the window grown to the page's height), checked to be a real
/// picture, saved under `name`.
async fn screenshot(c: &Client, w: &Walk, name: &str, whole_page: bool) -> PathBuf {
    let height = if whole_page {
        c.execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .unwrap()
            .as_u64()
            .unwrap_or(900)
            .clamp(600, 8000) as u32
    } else {
        768
    };
    // The window's height includes the browser's own bars.
    let bars = c
        .execute("return window.outerHeight - window.innerHeight;", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(0)
        .min(400) as u32;
    c.set_window_size(1366, height + bars).await.unwrap();
    let png = c.screenshot().await.unwrap();
    c.set_window_size(1366, 900).await.unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name} is a PNG");
    let (width, height) = (
        u32::from_be_bytes(png[16..20].try_into().unwrap()),
        u32::from_be_bytes(png[20..24].try_into().unwrap()),
    );
    assert!(width >= 1000 && height >= 600, "{name}: {width}×{height}");
    // A blank page of that size compresses to a few kilobytes; a page with
    // text, badges and a chart is far larger.
    assert!(png.len() > 40_000, "{name}: only {} bytes", png.len());
    let path = w.artifacts.join(name);
    std::fs::write(&path, &png).unwrap();
    eprintln!("screenshot {} ({width}×{height}, {} bytes)", path.display(), png.len());
    path
}

/// The page at a phone's width (390 px): nothing may stick out sideways
/// (wide tables scroll inside their own box); saved as a screenshot.
async fn phone(c: &Client, w: &Walk, name: &str) {
    c.set_window_size(390, 844).await.unwrap();
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap_or(i64::MAX);
    let png = c.screenshot().await.unwrap();
    c.set_window_size(1366, 900).await.unwrap();
    std::fs::write(w.artifacts.join(name), &png).unwrap();
    assert!(
        overflow <= 1,
        "{name}: the page is {overflow} px wider than a phone's screen"
    );
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
    login(&c, &w, REPORTER).await;
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
    login(&c, &w, "reviewer").await;
    click_and_wait(&c, "nav.nav a[href^='/review']").await;
    let boxes = c.find_all(Locator::Css("input[type=checkbox][name=id]")).await.unwrap();
    assert_eq!(boxes.len(), 1, "one submitted figure to review");
    let label = boxes[0].attr("aria-label").await.unwrap().unwrap_or_default();
    assert!(label.contains(&w.name), "{label:?}");
    click_and_wait(&c, "button[name=action][value=approve]").await;
    let approved = text(&c, "main").await;
    assert!(approved.contains(&w.value), "approved: {approved}");
    click_and_wait(&c, "form[action='/review/publish'] button[type=submit]").await;

    // Screenshots, logged in: the dashboard and the indicator page.
    c.goto(&format!("{}/plans/{}", w.base, w.plan)).await.unwrap();
    find(&c, "main").await;
    let dashboard = screenshot(&c, &w, "dashboard.png", false).await;
    screenshot(&c, &w, "dashboard-full.png", true).await;
    phone(&c, &w, "phone-dashboard.png").await;
    c.goto(&format!("{}/plans/{}/indicators/{}", w.base, w.plan, w.code))
        .await
        .unwrap();
    let internal = text(&c, "table.figures").await;
    assert!(internal.contains(&w.value), "{internal}");
    let indicator = screenshot(&c, &w, "indicator.png", true).await;
    logout(&c).await;

    // The third-party evaluator comments on the indicator.
    const NOTE: &str = "浏览器测试：该指标新增数据已核实。";
    login(&c, &w, "evaluator").await;
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
    screenshot(&c, &w, "indicator-comments.png", true).await;
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
    screenshot(&c, &w, "public-indicator.png", true).await;
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
