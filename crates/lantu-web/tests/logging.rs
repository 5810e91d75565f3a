//! What the application logs: a line per request (method, route, status,
//! latency), failed logins at warn naming the account only when it exists,
//! refusals at warn with the client's address, and never a secret. Its own
//! test binary: the log subscriber is global to the process.

mod common;

use common::{start, PASSWORD};
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[test]
fn requests_and_security_events_are_logged_without_secrets() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        // Plain text whatever features the workspace build turns on.
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let app = start();
    let c = app.client();

    // Every request leaves a line with its route, never its query.
    let paths = [
        format!("/public/plans/{}?year=2023&secret-query=1", app.plan),
        "/login?next=/plans".to_string(),
        "/no/such/page".to_string(),
        "/api/v1/plans".to_string(),
    ];
    for p in &paths {
        c.get(p);
    }
    let requests = |text: &str| text.lines().filter(|l| l.contains("lantu_web::request")).count();
    let log = buffer.text();
    assert_eq!(requests(&log), paths.len(), "{log}");
    assert!(
        log.contains("route=/public/plans/{id}") && log.contains("status=200"),
        "{log}"
    );
    assert!(log.contains("method=GET") && log.contains("latency_ms="), "{log}");
    assert!(log.contains("route=(no route)") && log.contains("status=404"), "{log}");
    assert!(!log.contains("secret-query"), "no query in the log: {log}");

    // A failed login: warn, with the account that exists and the address;
    // the submitted text itself never.
    let typo = "Typed-Password-In-Name-Box";
    c.login("reviewer", "wrong-password-text");
    c.login(typo, PASSWORD);
    let log = buffer.text();
    let failed: Vec<&str> = log.lines().filter(|l| l.contains("failed login")).collect();
    assert_eq!(failed.len(), 2, "{log}");
    assert!(
        failed
            .iter()
            .all(|l| l.contains("WARN") && l.contains("addr=127.0.0.1")),
        "{log}"
    );
    assert!(failed[0].contains("account=reviewer"), "{log}");
    assert!(failed[1].contains("account=-"), "an unknown name is not logged: {log}");
    assert!(!log.contains(typo) && !log.contains("wrong-password-text"), "{log}");

    // A refused CSRF token and a refused permission: warn.
    c.post_form("/logout", &[("csrf", "forged")]);
    let rep = app.client();
    let login = rep.login("fgw", PASSWORD);
    assert_eq!(login.status, 303);
    let admin = rep.get(&format!("/admin?plan={}", app.plan));
    assert_eq!(admin.status, 403);
    let log = buffer.text();
    assert!(
        log.lines()
            .any(|l| l.contains("WARN") && l.contains("CSRF token refused") && l.contains("route=/logout")),
        "{log}"
    );
    assert!(
        log.lines()
            .any(|l| l.contains("WARN") && l.contains("permission refused") && l.contains("account=fgw")),
        "{log}"
    );

    // No secret: no password, no session token, no form token.
    let token = rep.get("/account").csrf();
    let session = login
        .headers
        .iter()
        .find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("lantu_session="))
        .map(|(_, v)| {
            v.split(';')
                .next()
                .unwrap()
                .trim_start_matches("lantu_session=")
                .to_string()
        })
        .unwrap();
    let log = buffer.text();
    assert!(
        !log.contains(PASSWORD) && !log.contains(&session) && !log.contains(&token),
        "{log}"
    );
}
