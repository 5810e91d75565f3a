//! Load on loopback: the dashboard (logged in and public) and an indicator
//! page of the bundled Jinnan plan, under 16 keep-alive connections.
//!
//! The server is this same binary started again as a child process (the test
//! fixture of `tests/common`: a fresh SQLite store with the plan, published
//! sample figures and one user per role, views cached for 5 s as in
//! `lantu serve`), so that its memory is its own: the figure is the child's
//! peak resident set (`VmHWM` in `/proc/<pid>/status`), setup included. The
//! load generator is a hand-written HTTP/1.1 client over tokio `TcpStream`s
//! on one thread; it shares the machine's cores with the server, and the CPU
//! each side used is printed beside the figures.
//!
//! Bars (issue 4): ≥ 2,000 requests/s and p99 < 20 ms per page; the server's
//! memory under 100 MB.
//!
//! Run with `cargo bench -p lantu-web`. `LANTU_BENCH_SECS` sets the time per
//! page (default 5), `LANTU_BENCH_STRICT=1` makes a failed bar exit non-zero.
//! Under `cargo test` (no `--bench` argument) it does nothing.

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SERVER_ENV: &str = "LANTU_BENCH_SERVER";
const CONNECTIONS: usize = 16;
const BAR_RPS: f64 = 2_000.0;
const BAR_P99_MS: f64 = 20.0;
const BAR_MEMORY_MB: f64 = 100.0;

fn main() {
    if std::env::var_os(SERVER_ENV).is_some() {
        server();
        return;
    }
    if !std::env::args().any(|a| a == "--bench") {
        println!("load: a benchmark; run it with `cargo bench -p lantu-web`");
        return;
    }
    let secs: f64 = std::env::var("LANTU_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    let per_page = Duration::from_secs_f64(secs);

    let server = Server::start();
    println!(
        "load: server pid {} at {} (plan {}, indicator {}); {CONNECTIONS} keep-alive connections, {secs} s per page",
        server.pid(),
        server.base,
        server.plan,
        server.code
    );
    let cookie = login(&server.base, "planner");
    let logged_in = "planner 用户";
    let (plan, code) = (server.plan, &server.code);
    let pages: Vec<(String, String, Option<&str>)> = vec![
        ("dashboard, logged in".into(), format!("/plans/{plan}"), Some(&cookie)),
        ("dashboard, public".into(), format!("/public/plans/{plan}"), None),
        (
            "indicator, logged in".into(),
            format!("/plans/{plan}/indicators/{code}"),
            Some(&cookie),
        ),
        (
            "indicator, public".into(),
            format!("/public/plans/{plan}/indicators/{code}"),
            None,
        ),
    ];

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "\n{:<22} {:<34} {:>6} {:>9} {:>8} {:>8} {:>8} {:>8} {:>7} {:>10} {:>9}",
        "page", "path", "KB", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "server CPU", "load CPU"
    );
    let mut results = Vec::new();
    for (name, path, cookie) in &pages {
        // The page is the one meant: the user's name only when logged in.
        let body = probe(&server.base, path, *cookie);
        assert_eq!(body.contains(logged_in), cookie.is_some(), "{path}");
        // Warm up: the view and the rendered body get built once.
        rt.block_on(run(server.addr, path, *cookie, 2, Duration::from_millis(300)));
        let server_cpu = cpu_seconds(&format!("/proc/{}/stat", server.pid()));
        let own_cpu = cpu_seconds("/proc/self/stat");
        let stats = rt.block_on(run(server.addr, path, *cookie, CONNECTIONS, per_page));
        let server_cpu = cpu_seconds(&format!("/proc/{}/stat", server.pid())) - server_cpu;
        let own_cpu = cpu_seconds("/proc/self/stat") - own_cpu;
        let secs = stats.elapsed.as_secs_f64();
        println!(
            "{:<22} {:<34} {:>6.1} {:>9} {:>8.0} {:>8.2} {:>8.2} {:>8.2} {:>7} {:>9.2}c {:>8.2}c",
            name,
            path,
            stats.bytes_min as f64 / 1024.0,
            stats.latencies.len(),
            stats.rps(),
            stats.percentile(0.50),
            stats.percentile(0.99),
            stats.percentile(1.0),
            stats.errors,
            server_cpu / secs,
            own_cpu / secs,
        );
        assert!(
            stats.bytes_min > 1000,
            "{path}: a response of {} bytes",
            stats.bytes_min
        );
        results.push((name.clone(), stats));
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap_or_default();
    let hwm = status_kb(&status, "VmHWM:") as f64 / 1024.0;
    let rss = status_kb(&status, "VmRSS:") as f64 / 1024.0;
    drop(server);

    println!("\nserver memory: peak resident {hwm:.1} MB (VmHWM, setup included), now {rss:.1} MB (VmRSS)");
    println!("(c = CPU cores used on average; the machine has {} cores)\n", cores());
    let mut failed = 0;
    let mut bar = |ok: bool, what: String| {
        println!("{}  {what}", if ok { "PASS" } else { "FAIL" });
        failed += usize::from(!ok);
    };
    for (name, s) in &results {
        bar(
            s.rps() >= BAR_RPS && s.errors == 0,
            format!("{name}: {:.0} requests/s ≥ {BAR_RPS:.0}, {} errors", s.rps(), s.errors),
        );
        bar(
            s.percentile(0.99) < BAR_P99_MS,
            format!("{name}: p99 {:.2} ms < {BAR_P99_MS} ms", s.percentile(0.99)),
        );
    }
    bar(
        hwm > 0.0 && hwm < BAR_MEMORY_MB,
        format!("server memory: peak {hwm:.1} MB < {BAR_MEMORY_MB} MB"),
    );
    if failed == 0 {
        println!("\nload: all bars PASS");
    } else {
        println!("\nload: {failed} bar(s) FAIL");
        if std::env::var_os("LANTU_BENCH_STRICT").is_some() {
            std::process::exit(1);
        }
    }
}

// ---------------------------------------------------------------- server

/// The child: the fixture's app until the parent closes our stdin.
fn server() {
    let app = common::start_with(Duration::from_secs(5));
    let code = common::sample_figures(&app.doc)
        .first()
        .map(|o| o.indicator.clone())
        .expect("an indicator with figures");
    println!("READY {} {} {code}", app.base, app.plan);
    std::io::stdout().flush().unwrap();
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    base: String,
    addr: SocketAddr,
    plan: i64,
    code: String,
}

impl Server {
    fn start() -> Server {
        let exe = std::env::current_exe().unwrap();
        let mut child = Command::new(exe)
            .env(SERVER_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting the server process");
        let stdin = child.stdin.take();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let ready = loop {
            match lines.next() {
                Some(Ok(l)) if l.starts_with("READY ") => break l,
                Some(Ok(_)) => continue,
                _ => {
                    let _ = child.kill();
                    panic!("the server process ended before it was ready");
                }
            }
        };
        let parts: Vec<&str> = ready.split_whitespace().collect();
        let base = parts[1].to_string();
        let addr = base.trim_start_matches("http://").parse().unwrap();
        Server {
            child,
            stdin,
            base,
            addr,
            plan: parts[2].parse().unwrap(),
            code: parts[3].to_string(),
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Closing its stdin ends the server; kill it if it lingers.
        drop(self.stdin.take());
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Logs in through the form; the session cookie (`name=value`).
fn login(base: &str, user: &str) -> String {
    let client = common::Client::new(base);
    let r = client.login(user, common::PASSWORD);
    assert_eq!(r.status, 303, "logging in as {user}: {}", r.body);
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next())
        .find(|c| c.starts_with(&format!("{}=", lantu_web::auth::SESSION_COOKIE)))
        .expect("a session cookie")
        .to_string()
}

/// One request through another client (ureq); the body.
fn probe(base: &str, path: &str, cookie: Option<&str>) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder().max_redirects(0).build().into();
    let mut req = agent.get(format!("{base}{path}"));
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    let mut r = req.call().unwrap_or_else(|e| panic!("GET {path}: {e}"));
    r.body_mut().read_to_string().unwrap()
}

fn status_kb(status: &str, key: &str) -> u64 {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// User + system CPU time of a process, from `/proc/<pid>/stat`.
fn cpu_seconds(stat: &str) -> f64 {
    let s = std::fs::read_to_string(stat).unwrap_or_default();
    // Fields after the command name, which is in parentheses.
    let rest = s.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0)).collect();
    // utime and stime are fields 14 and 15 of the line; 12 and 13 here.
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    ticks as f64 / 100.0
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

// ---------------------------------------------------------------- client

struct Stats {
    /// Microseconds, sorted.
    latencies: Vec<u32>,
    errors: usize,
    elapsed: Duration,
    bytes_min: usize,
}

impl Stats {
    fn rps(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// Milliseconds.
    fn percentile(&self, q: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::INFINITY;
        }
        let i = ((self.latencies.len() as f64 * q).ceil() as usize).clamp(1, self.latencies.len()) - 1;
        f64::from(self.latencies[i]) / 1000.0
    }
}

/// `connections` keep-alive connections asking for `path` until `time` is
/// up.
async fn run(addr: SocketAddr, path: &str, cookie: Option<&str>, connections: usize, time: Duration) -> Stats {
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: lantu-load\r\nAccept: text/html\r\n");
    if let Some(c) = cookie {
        request.push_str(&format!("Cookie: {c}\r\n"));
    }
    request.push_str("\r\n");
    let request: std::sync::Arc<[u8]> = request.into_bytes().into();
    let started = Instant::now();
    let deadline = started + time;
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let request = request.clone();
            tokio::spawn(async move { connection(addr, &request, deadline).await })
        })
        .collect();
    let mut stats = Stats {
        latencies: Vec::new(),
        errors: 0,
        elapsed: Duration::ZERO,
        bytes_min: usize::MAX,
    };
    for t in tasks {
        let (lat, errors, bytes_min) = t.await.unwrap();
        stats.latencies.extend(lat);
        stats.errors += errors;
        stats.bytes_min = stats.bytes_min.min(bytes_min);
    }
    stats.elapsed = started.elapsed();
    stats.latencies.sort_unstable();
    stats
}

/// One connection's loop: latencies (µs) of good responses, errors, the
/// smallest body.
async fn connection(addr: SocketAddr, request: &[u8], deadline: Instant) -> (Vec<u32>, usize, usize) {
    let mut latencies = Vec::with_capacity(16 * 1024);
    let (mut errors, mut bytes_min) = (0, usize::MAX);
    let mut conn: Option<Conn> = None;
    while Instant::now() < deadline {
        let c = match conn.as_mut() {
            Some(c) => c,
            None => match TcpStream::connect(addr).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    conn.insert(Conn {
                        stream: s,
                        buf: Vec::with_capacity(128 * 1024),
                    })
                }
                Err(_) => {
                    errors += 1;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let t0 = Instant::now();
        match c.exchange(request).await {
            Ok((200, len, keep_alive)) => {
                latencies.push(t0.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                bytes_min = bytes_min.min(len);
                if !keep_alive {
                    conn = None;
                }
            }
            Ok((_, _, keep_alive)) => {
                errors += 1;
                if !keep_alive {
                    conn = None;
                }
            }
            Err(_) => {
                errors += 1;
                conn = None;
            }
        }
    }
    (latencies, errors, bytes_min)
}

struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

fn io_err(msg: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg.to_string())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

impl Conn {
    async fn fill(&mut self) -> std::io::Result<()> {
        let mut chunk = [0u8; 64 * 1024];
        let n = self.stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// Sends the request and reads the whole response: status, body
    /// length, whether the connection stays open.
    async fn exchange(&mut self, request: &[u8]) -> std::io::Result<(u16, usize, bool)> {
        self.buf.clear();
        self.stream.write_all(request).await?;
        let head_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i + 4;
            }
            self.fill().await?;
        };
        let head = std::str::from_utf8(&self.buf[..head_end]).map_err(|_| io_err("head not UTF-8"))?;
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io_err("no status"))?;
        let (mut length, mut chunked, mut keep_alive) = (None, false, true);
        for l in lines {
            let Some((k, v)) = l.split_once(':') else { continue };
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase());
            match k.as_str() {
                "content-length" => length = v.parse::<usize>().ok(),
                "transfer-encoding" => chunked = v.contains("chunked"),
                "connection" => keep_alive = !v.contains("close"),
                _ => {}
            }
        }
        let body = if let Some(n) = length {
            while self.buf.len() < head_end + n {
                self.fill().await?;
            }
            n
        } else if chunked {
            loop {
                if let Some(n) = chunked_len(&self.buf[head_end..])? {
                    break n;
                }
                self.fill().await?;
            }
        } else {
            return Err(io_err("a response without length"));
        };
        Ok((status, body, keep_alive))
    }
}

/// The body length of a complete chunked body, or `None` while incomplete.
fn chunked_len(mut b: &[u8]) -> std::io::Result<Option<usize>> {
    let mut total = 0;
    loop {
        let Some(eol) = find(b, b"\r\n") else { return Ok(None) };
        let size_text = std::str::from_utf8(&b[..eol]).map_err(|_| io_err("chunk size"))?;
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| io_err("chunk size"))?;
        b = &b[eol + 2..];
        if size == 0 {
            // No trailers from this server: the final CRLF.
            return Ok(if b.len() >= 2 { Some(total) } else { None });
        }
        if b.len() < size + 2 {
            return Ok(None);
        }
        total += size;
        b = &b[size + 2..];
    }
}
