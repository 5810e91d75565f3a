//! Load: public pages and reports served from memory and dropped by a write
//! from any process, private pages never served from the anonymous cache,
//! internal reports keyed by the comments their reader may see, and a 503
//! with `Retry-After` when an expensive route has no turn left.

mod common;

use common::{publish_all, start_configured, App, Client, PASSWORD, SAMPLE_YEARS};
use lantu_core::observation::NewObservation;
use rust_decimal::Decimal;
use std::time::Duration;

/// Caches that a write must invalidate (the TTL would never expire in a
/// test) and a store version read on every request.
fn cached_app(configure: impl FnOnce(&mut lantu_web::Config)) -> App {
    start_configured(Duration::from_secs(3600), |c| {
        c.load.version_ttl = Duration::ZERO;
        configure(c);
    })
}

/// The first indicator with published sample figures, as `(code, year)`.
fn figure(app: &App) -> (String, i32) {
    let rows = common::sample_figures(&app.doc);
    let code = rows.first().expect("sample figures").indicator.clone();
    (code, *SAMPLE_YEARS.end())
}

/// A new published value for `code` in `year`, written through the store
/// as `lantu data import` or another server would: this server learns of
/// it only from the store's data version.
fn publish_value(app: &App, code: &str, year: i32, value: &str) {
    let store = app.state.app().store().clone();
    let plan = app.plan;
    let row = NewObservation {
        indicator: code.to_string(),
        period: lantu_core::Period::year(year),
        geography: None,
        value: value.parse::<Decimal>().unwrap(),
        source: Some("修订 revised".into()),
        note: None,
        comment: None,
    };
    app.rt.block_on(async move {
        store
            .import_observations(plan, &[row], "cli", "revision", Some("修订数据 revised figure"))
            .await
            .unwrap();
        publish_all(&store, plan).await;
    });
}

fn cache_header(r: &common::Resp) -> Option<&str> {
    r.header("x-cache")
}

#[test]
fn a_published_figure_changes_the_cached_public_page_and_report() {
    let app = cached_app(|_| {});
    let (code, year) = figure(&app);
    let anon = Client::new(&app.base);
    let page = format!("/public/plans/{}/indicators/{code}", app.plan);
    let first = anon.get(&page);
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(cache_header(&first), Some("miss"));
    let second = anon.get(&page);
    assert_eq!(cache_header(&second), Some("hit"));
    assert_eq!(first.body, second.body);

    let report = format!("/public/plans/{}/report/annual.html", app.plan);
    let r1 = anon.get(&report);
    assert_eq!(r1.status, 200, "{}", r1.body);
    assert_eq!(cache_header(&r1), Some("miss"));
    let r2 = anon.get(&report);
    assert_eq!(cache_header(&r2), Some("hit"));
    assert_eq!(r1.body, r2.body);
    assert!(r2
        .header("content-disposition")
        .is_some_and(|d| d.contains("annual.html")));

    publish_value(&app, &code, year, "98765.43");
    let after = anon.get(&page);
    assert_eq!(cache_header(&after), Some("miss"), "a write elsewhere drops the page");
    assert!(
        after.body.contains("98765.43") || after.body.contains("98,765.43"),
        "the new figure is shown"
    );
    assert_ne!(after.body, first.body);
    let r3 = anon.get(&report);
    assert_eq!(cache_header(&r3), Some("miss"), "and the report");
    assert_ne!(r3.body, r1.body, "the report is rendered from the new figure");
    assert_eq!(cache_header(&anon.get(&report)), Some("hit"));
}

#[test]
fn a_write_through_the_web_shows_at_once_even_with_a_slow_version_check() {
    // The store's version is trusted for an hour: only this server's own
    // write generation can drop the page.
    let app = start_configured(Duration::from_secs(3600), |c| {
        c.load.version_ttl = Duration::from_secs(3600);
    });
    let anon = Client::new(&app.base);
    let dash = format!("/public/plans/{}", app.plan);
    assert_eq!(cache_header(&anon.get(&dash)), Some("miss"));
    assert_eq!(cache_header(&anon.get(&dash)), Some("hit"));
    app.state.changed();
    assert_eq!(cache_header(&anon.get(&dash)), Some("miss"));
}

#[test]
fn signed_in_pages_never_come_from_the_anonymous_cache() {
    let app = cached_app(|_| {});
    let dash = format!("/public/plans/{}", app.plan);
    // A signed-in visitor first: the anonymous visitor after must not get
    // that page.
    let planner = Client::new(&app.base);
    planner.login("planner", PASSWORD);
    let mine = planner.get(&dash);
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert!(mine.body.contains("planner 用户"), "the page names who is signed in");
    assert_eq!(cache_header(&mine), None);
    assert_eq!(mine.header("cache-control"), Some("no-store"));

    let anon = Client::new(&app.base);
    let a1 = anon.get(&dash);
    assert_eq!(cache_header(&a1), Some("miss"));
    assert!(!a1.body.contains("planner 用户"));
    assert_eq!(cache_header(&anon.get(&dash)), Some("hit"));

    // And the other way round: the cached anonymous page is not served to
    // a signed-in visitor.
    let again = planner.get(&dash);
    assert_eq!(cache_header(&again), None);
    assert!(again.body.contains("planner 用户"));
    // An API token is a visitor too.
    let token = planner.issue_token();
    let by_token = Client::new(&app.base).get_with(&dash, &[("Authorization", &format!("Bearer {token}"))]);
    assert_eq!(cache_header(&by_token), None);

    // The language is part of the key.
    let en = Client::new(&app.base).get(&format!("{dash}?lang=en"));
    assert_eq!(cache_header(&en), Some("miss"));
    assert!(en.body != a1.body, "the English page");
    let en_cookie = Client::new(&app.base).get_with(&dash, &[("Cookie", "lang=en")]);
    assert_eq!(
        cache_header(&en_cookie),
        Some("miss"),
        "a language cookie is a different page"
    );
    assert!(en_cookie.body != a1.body, "the English page");
}

#[test]
fn internal_reports_differ_by_the_comments_their_reader_may_see() {
    let app = cached_app(|_| {});
    let plan = app.plan;
    // A comment on an indicator the reporter of fgw neither leads nor
    // supports.
    let theirs = app.codes_of("sthj")[0].clone();
    let planner = Client::new(&app.base);
    planner.login("planner", PASSWORD);
    let report = format!("/plans/{plan}/report/annual.html");
    let before = planner.get(&report);
    assert_eq!(before.status, 200, "{}", before.body);
    let csrf = planner.get(&format!("/plans/{plan}/comments")).csrf();
    let secret = "仅限评估人员阅读的意见甲乙丙";
    let r = planner.post_form(
        &format!("/plans/{plan}/comments"),
        &[
            ("csrf", &csrf),
            ("indicator", &theirs),
            ("year", &SAMPLE_YEARS.end().to_string()),
            ("body", secret),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let with = planner.get(&report);
    assert_eq!(cache_header(&with), Some("miss"), "a new comment is a new report");
    assert!(with.body.contains(secret));
    assert_eq!(cache_header(&planner.get(&report)), Some("hit"));

    let reporter = Client::new(&app.base);
    reporter.login("fgw", PASSWORD);
    let theirs_report = reporter.get(&report);
    assert_eq!(theirs_report.status, 200, "{}", theirs_report.body);
    assert_eq!(cache_header(&theirs_report), Some("miss"), "not the planner's report");
    assert!(!theirs_report.body.contains(secret));
    // The public report holds no comment either.
    let public = Client::new(&app.base).get(&format!("/public/plans/{plan}/report/annual.html"));
    assert_eq!(public.status, 200);
    assert!(!public.body.contains(secret));
    // Another reader who may see the same comments shares the report.
    let reviewer = Client::new(&app.base);
    reviewer.login("reviewer", PASSWORD);
    let shared = reviewer.get(&report);
    assert_eq!(cache_header(&shared), Some("hit"));
    assert!(shared.body.contains(secret));
}

#[test]
fn a_full_report_limit_answers_503_with_retry_after() {
    let app = cached_app(|c| {
        c.load.reports = 0;
        c.load.imports = 0;
        c.load.wait = Duration::ZERO;
        c.load.retry_after = 7;
    });
    let anon = Client::new(&app.base);
    let r = anon.get(&format!("/public/plans/{}/report/annual.pdf", app.plan));
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.header("retry-after"), Some("7"));
    assert!(r.body.contains("服务器繁忙"), "{}", r.body);
    let en = anon.get(&format!("/public/plans/{}/report/annual.pdf?lang=en", app.plan));
    assert_eq!(en.status, 503);
    assert!(en.body.contains("The server is busy"), "{}", en.body);
    // Pages are not limited.
    assert_eq!(anon.get(&format!("/public/plans/{}", app.plan)).status, 200);

    // An import through the API gets the JSON form of the refusal.
    let rep = Client::new(&app.base);
    rep.login("fgw", PASSWORD);
    let token = rep.issue_token();
    let mine = app.codes_of("fgw")[0].clone();
    let body = format!(r#"[{{"indicator":"{mine}","period":"2024","value":"1"}}]"#);
    let w = rep.post_body(
        &format!("/api/v1/plans/{}/observations", app.plan),
        "application/json",
        body.as_bytes(),
        &[("Authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(w.status, 503, "{}", w.body);
    assert_eq!(w.header("retry-after"), Some("7"));
    assert_eq!(w.json()["error"]["code"], "busy");
}

#[test]
fn a_report_waits_for_a_turn_and_is_rendered_once() {
    // One turn: parallel requests for the same report wait for it, and
    // those after the first find it rendered.
    let app = cached_app(|c| {
        c.load.reports = 1;
        c.load.wait = Duration::from_secs(120);
    });
    let url = format!("{}/public/plans/{}/report/annual.html", app.base, app.plan);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let base = app.base.clone();
            let path = url.trim_start_matches(&base).to_string();
            std::thread::spawn(move || {
                let r = Client::new(&base).get(&path);
                (r.status, cache_header(&r).map(str::to_string))
            })
        })
        .collect();
    let got: Vec<(u16, Option<String>)> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(got.iter().all(|(s, _)| *s == 200), "{got:?}");
    let misses = got.iter().filter(|(_, c)| c.as_deref() == Some("miss")).count();
    assert_eq!(misses, 1, "rendered once: {got:?}");
}
