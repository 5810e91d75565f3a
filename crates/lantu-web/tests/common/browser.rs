//! The browser harness of the web tests: Debian's headless Chromium driven
//! through chromedriver (WebDriver, with `fantoccini` over plain HTTP on
//! loopback), and the steps every walk takes (find, click and wait, log in,
//! screenshots). A test file includes it beside `common`:
//!
//! ```ignore
//! #[path = "common/mod.rs"] mod common;
//! #[path = "common/browser.rs"] mod browser;
//! ```
//!
//! Needs `chromium`, `chromium-driver` and `fonts-noto-cjk`: with `CI` set,
//! `scripts/install-browser` installs what is missing; elsewhere the test is
//! skipped with a note when the browser is missing.

#![allow(dead_code)]

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Chromium's flags: headless, no sandbox (root in a container), and nothing
/// that reaches out of the machine.
pub const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1366,900",
];

pub const WAIT: Duration = Duration::from_secs(15);

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn artifacts_dir() -> PathBuf {
    workspace_root().join("target/browser-artifacts")
}

/// The first of `names` found on `PATH`.
pub fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

pub struct Browser {
    pub chromedriver: PathBuf,
    pub chromium: PathBuf,
}

pub fn find_browser() -> Option<Browser> {
    Some(Browser {
        chromedriver: on_path(&["chromedriver"])?,
        chromium: on_path(&["chromium", "chromium-browser"])?,
    })
}

/// Whether a CJK font is installed (else Chinese renders as empty boxes).
pub fn cjk_font_installed() -> bool {
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
pub fn browser_or_install() -> Option<Browser> {
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
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Driver {
    pub fn start(path: &Path) -> Driver {
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

/// A browser session: chromedriver, a Chromium with a fresh profile, the
/// WebDriver client. `None` when the browser is missing outside CI (the
/// test is skipped with a note).
pub struct Session {
    pub client: Client,
    driver: Driver,
    profile: PathBuf,
    /// Where screenshots go (`target/browser-artifacts/`), created.
    pub artifacts: PathBuf,
}

impl Session {
    pub fn open(rt: &tokio::runtime::Runtime) -> Option<Session> {
        let browser = browser_or_install()?;
        let driver = Driver::start(&browser.chromedriver);
        let artifacts = artifacts_dir();
        std::fs::create_dir_all(&artifacts).unwrap();
        let artifacts = artifacts.canonicalize().unwrap();
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
        let client = rt.block_on(async {
            ClientBuilder::new(HttpConnector::new())
                .capabilities(caps)
                .connect(&driver.url)
                .await
                .expect("a WebDriver session with headless chromium")
        });
        Some(Session {
            client,
            driver,
            profile,
            artifacts,
        })
    }

    /// Runs the walk as a task, so that a failed assertion comes back here
    /// and the browser is closed all the same; then re-raises it.
    pub fn run<F>(self, rt: &tokio::runtime::Runtime, walk: impl FnOnce(Client) -> F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let result = rt.block_on(rt.spawn(walk(self.client.clone())));
        let _ = rt.block_on(self.client.close());
        drop(self.driver);
        let _ = std::fs::remove_dir_all(&self.profile);
        if let Err(e) = result {
            match e.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(e) => panic!("the browser walk was cancelled: {e}"),
            }
        }
    }
}

pub async fn find(c: &Client, css: &str) -> fantoccini::elements::Element {
    match c.wait().at_most(WAIT).for_element(Locator::Css(css)).await {
        Ok(e) => e,
        Err(e) => panic!("no `{css}` on {}: {e}", url(c).await),
    }
}

pub async fn url(c: &Client) -> String {
    c.current_url().await.map(|u| u.to_string()).unwrap_or_default()
}

pub async fn text(c: &Client, css: &str) -> String {
    find(c, css).await.text().await.unwrap()
}

/// Clicks and waits until the browser has left the page.
pub async fn click_and_wait(c: &Client, css: &str) {
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

pub async fn login(c: &Client, base: &str, user: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    find(c, "input[name=username]").await.send_keys(user).await.unwrap();
    find(c, "input[name=password]")
        .await
        .send_keys(super::common::PASSWORD)
        .await
        .unwrap();
    click_and_wait(c, "form[action='/login'] button[type=submit]").await;
    let who = text(c, "header a.who").await;
    assert!(who.contains(user), "logged in as {user}: the header says {who:?}");
}

pub async fn logout(c: &Client) {
    click_and_wait(c, "form[action='/logout'] button").await;
    let header = text(c, "header .tools").await;
    assert!(header.contains("登录"), "logged out: the header says {header:?}");
}

/// A screenshot at 1366×768 (the office laptop's screen), or of the whole
/// page (the window grown to the page's height), checked to be a real
/// picture, saved under `name`.
pub async fn screenshot(c: &Client, dir: &Path, name: &str, whole_page: bool) -> PathBuf {
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
    let path = dir.join(name);
    std::fs::write(&path, &png).unwrap();
    eprintln!("screenshot {} ({width}×{height}, {} bytes)", path.display(), png.len());
    path
}

/// The page at a phone's width (390 px): nothing may stick out sideways
/// (wide tables scroll inside their own box); saved as a screenshot.
pub async fn phone(c: &Client, dir: &Path, name: &str) {
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
    std::fs::write(dir.join(name), &png).unwrap();
    assert!(
        overflow <= 1,
        "{name}: the page is {overflow} px wider than a phone's screen"
    );
}
