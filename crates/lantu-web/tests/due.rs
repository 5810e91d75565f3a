//! Issue 13's bars for what is due (催报): the completeness table's counts
//! for the demo plan match counts computed here by independent SQL over the
//! store; a reminder reaches the reporter as an in-app notice on the next
//! page view and as an e-mail at an SMTP sink on loopback, with the right
//! recipient and a Chinese subject encoded per RFC 2047; the deadline is a
//! setting that moves what is overdue.

mod common;

use base64::Engine;
use common::{publish_all, start, start_configured, PASSWORD};
use lantu_core::observation::{NewObservation, ObservationState};
use lantu_core::Period;
use lantu_store::sqlx::{self, Row};
use lantu_store::Figures;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

const TODAY: &str = "2026-06-01";

/// Figures of one department's indicators for `year`, all 1.
fn figures(app: &common::App, dept: &str, year: i32) -> Vec<NewObservation> {
    app.codes_of(dept)
        .into_iter()
        .map(|code| NewObservation {
            indicator: code,
            period: Period::year(year),
            geography: None,
            value: Decimal::ONE,
            source: Some("测试".into()),
            note: None,
            comment: None,
        })
        .collect()
}

/// (department, year) → [expected, entered, submitted, approved, published],
/// counted by SQL written for this test.
async fn sql_counts(
    store: &lantu_store::Store,
    plan: i64,
    years: std::ops::RangeInclusive<i32>,
) -> BTreeMap<(String, String), [i64; 5]> {
    let mut out = BTreeMap::new();
    for year in years {
        let period = year.to_string();
        let rows = sqlx::query(
            "SELECT d.code AS dept, COUNT(*) AS expected, \
               SUM(CASE WHEN o.state IS NOT NULL THEN 1 ELSE 0 END) AS entered, \
               SUM(CASE WHEN o.state IN ('submitted', 'approved', 'published') THEN 1 ELSE 0 END) AS submitted, \
               SUM(CASE WHEN o.state IN ('approved', 'published') THEN 1 ELSE 0 END) AS approved, \
               SUM(CASE WHEN o.state = 'published' THEN 1 ELSE 0 END) AS published \
             FROM indicators i \
             JOIN indicator_departments l ON l.indicator_id = i.id AND l.role = 'lead' \
             JOIN departments d ON d.id = l.department_id \
             LEFT JOIN observations o ON o.indicator_id = i.id AND o.period = $2 AND o.geography = '' \
               AND o.vintage = (SELECT MAX(x.vintage) FROM observations x \
                                WHERE x.indicator_id = i.id AND x.period = $2 AND x.geography = '') \
             WHERE i.plan_id = $1 AND i.retired_at IS NULL AND i.frequency = 'annual' \
             GROUP BY d.code",
        )
        .bind(plan)
        .bind(period.clone())
        .fetch_all(store.pool())
        .await
        .unwrap();
        for r in rows {
            let n = |c: &str| r.try_get::<i64, _>(c).unwrap_or(0);
            out.insert(
                (r.get::<String, _>("dept"), period.clone()),
                [
                    n("expected"),
                    n("entered"),
                    n("submitted"),
                    n("approved"),
                    n("published"),
                ],
            );
        }
    }
    out
}

#[test]
fn completeness_matches_independent_sql() {
    let app = start();
    assert!(
        app.doc
            .indicators
            .iter()
            .all(|i| i.frequency == lantu_core::plan::Frequency::Annual),
        "the demo plan's indicators are annual"
    );
    let store = app.state.app().store().clone();
    let plan = app.plan;
    app.rt.block_on(async {
        // fgw 2024 and sthj 2025 submitted, jyj 2024 a draft, fgw 2025 approved.
        let mut batch = figures(&app, "fgw", 2024);
        batch.extend(figures(&app, "sthj", 2025));
        batch.extend(figures(&app, "fgw", 2025));
        store
            .import_observations(plan, &batch, "test", "t", None)
            .await
            .unwrap();
        store
            .set_state(
                &Figures::AllIn {
                    plan_id: plan,
                    state: ObservationState::Draft,
                },
                ObservationState::Submitted,
                "test",
                None,
            )
            .await
            .unwrap();
        let fgw25: Vec<i64> = store
            .observations(plan, &Default::default())
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.period == Period::year(2025) && app.codes_of("fgw").contains(&r.indicator))
            .map(|r| r.id)
            .collect();
        store
            .set_state(
                &Figures::Ids {
                    plan_id: plan,
                    department: None,
                    ids: fgw25,
                },
                ObservationState::Approved,
                "test",
                None,
            )
            .await
            .unwrap();
        store
            .import_observations(plan, &figures(&app, "jyj", 2024), "test", "t", None)
            .await
            .unwrap();
    });
    let planner = app.rt.block_on(store.user_by_name("planner")).unwrap().unwrap();
    let rows = app
        .rt
        .block_on(app.state.app().completeness(&planner, plan, TODAY))
        .unwrap();
    let expected = app.rt.block_on(sql_counts(
        &store,
        plan,
        app.doc.plan.start_year..=app.doc.plan.end_year,
    ));
    let mut got = BTreeMap::new();
    for r in &rows {
        got.insert(
            (r.department.clone(), r.period.clone()),
            [r.expected, r.entered, r.submitted, r.approved, r.published].map(|n| n as i64),
        );
        // Every open item's deadline (year + 1)-03-31 has passed by TODAY.
        assert_eq!(r.overdue, r.expected - r.submitted, "{r:?}");
    }
    assert_eq!(got, expected);
    // The states set above show up.
    assert!(expected.values().any(|c| c[2] > c[3]), "some submitted, not approved");
    assert!(expected.values().any(|c| c[3] > c[4]), "some approved, not published");
    assert!(expected.values().any(|c| c[1] > c[2]), "some drafts");

    // The page and the API show the same table.
    let c = app.client();
    assert_eq!(c.login("planner", PASSWORD).status, 303);
    let api = c.get(&format!("/api/v1/plans/{plan}/completeness?today={TODAY}"));
    assert_eq!(api.status, 200, "{}", api.body);
    assert_eq!(api.json().as_array().unwrap().len(), rows.len());
    let page = c.get(&format!("/reminders?plan={plan}"));
    assert!(page.body.contains("报送完整性"), "{}", page.body);

    // The deadline is a setting: 12-31 of the following year makes 2025's
    // open items not yet overdue on TODAY.
    app.rt
        .block_on(app.state.app().set_deadline(&planner, plan, "annual", "12-31"))
        .unwrap();
    let rows = app
        .rt
        .block_on(app.state.app().completeness(&planner, plan, TODAY))
        .unwrap();
    assert!(rows.iter().filter(|r| r.period == "2025").all(|r| r.overdue == 0));
    assert!(rows.iter().filter(|r| r.period == "2024").any(|r| r.overdue > 0));
    let bad = app
        .rt
        .block_on(app.state.app().set_deadline(&planner, plan, "annual", "02-30"));
    assert!(bad.unwrap_err().to_string().contains("期限"));
    // A reporter may not see the table, nor set deadlines.
    let fgw = app.rt.block_on(store.user_by_name("fgw")).unwrap().unwrap();
    assert!(app
        .rt
        .block_on(app.state.app().completeness(&fgw, plan, TODAY))
        .is_err());
    assert!(app
        .rt
        .block_on(app.state.app().set_deadline(&fgw, plan, "annual", "04-30"))
        .is_err());
    // Its due list is its own department's open items only.
    let due = app
        .rt
        .block_on(app.state.app().due(&fgw, plan, Some("sthj"), TODAY))
        .unwrap();
    assert!(!due.is_empty() && due.iter().all(|i| i.department == "fgw" && i.state.open()));
    let _ = publish_all;
}

/// What the sink received: (envelope recipient, message).
type Inbox = Arc<Mutex<Vec<(String, String)>>>;

/// A one-connection-at-a-time SMTP sink: records each envelope recipient
/// and message.
fn smtp_sink() -> (u16, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let out = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut w) = stream else { continue };
            let mut r = BufReader::new(w.try_clone().unwrap());
            let _ = w.write_all(b"220 sink ESMTP\r\n");
            let (mut rcpt, mut data, mut in_data) = (String::new(), String::new(), false);
            let mut line = String::new();
            while r.read_line(&mut line).unwrap_or(0) > 0 {
                if in_data {
                    if line == ".\r\n" {
                        in_data = false;
                        got.lock().unwrap().push((rcpt.clone(), data.clone()));
                        let _ = w.write_all(b"250 queued\r\n");
                    } else {
                        data.push_str(&line);
                    }
                } else if line.starts_with("EHLO") {
                    let _ = w.write_all(b"250-sink\r\n250 OK\r\n");
                } else if let Some(to) = line.strip_prefix("RCPT TO:") {
                    rcpt = to.trim().trim_matches(['<', '>']).to_string();
                    let _ = w.write_all(b"250 OK\r\n");
                } else if line.starts_with("DATA") {
                    in_data = true;
                    let _ = w.write_all(b"354 go on\r\n");
                } else if line.starts_with("QUIT") {
                    let _ = w.write_all(b"221 bye\r\n");
                    break;
                } else {
                    let _ = w.write_all(b"250 OK\r\n");
                }
                line.clear();
            }
        }
    });
    (port, out)
}

/// The decoded `Subject:` of a message.
fn subject(message: &str) -> String {
    let start = message.find("Subject: ").unwrap() + 9;
    let mut header = String::new();
    for (i, line) in message[start..].split("\r\n").enumerate() {
        if i > 0 && !line.starts_with(' ') {
            break;
        }
        header.push_str(line.trim());
        header.push(' ');
    }
    header
        .split_whitespace()
        .map(|w| {
            let b = w
                .strip_prefix("=?UTF-8?B?")
                .and_then(|w| w.strip_suffix("?="))
                .expect("an encoded word");
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b).unwrap()).unwrap()
        })
        .collect()
}

#[test]
fn reminders_reach_the_notice_and_the_smtp_sink() {
    let (port, sink) = smtp_sink();
    let app = start_configured(std::time::Duration::ZERO, |c| {
        c.smtp = Some(lantu_app::mail::SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            from: "Lantu <lantu@planning.example.cn>".into(),
            auth: None,
        });
    });
    let plan = app.plan;

    // The reporter gives an e-mail address on the account page.
    let fgw = app.client();
    assert_eq!(fgw.login("fgw", PASSWORD).status, 303);
    let account = fgw.get("/account");
    let r = fgw.post_form(
        "/account",
        &[
            ("csrf", &account.csrf()),
            ("action", "email"),
            ("email", "fgw@jinnan.example.cn"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let bad = fgw.post_form(
        "/account",
        &[
            ("csrf", &account.csrf()),
            ("action", "email"),
            ("email", "not an address"),
        ],
    );
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("不是有效的电子邮箱地址"), "{}", bad.body);

    // The planner reminds fgw.
    let planner = app.client();
    assert_eq!(planner.login("planner", PASSWORD).status, 303);
    let page = planner.get(&format!("/reminders?plan={plan}"));
    assert_eq!(page.status, 200, "{}", page.body);
    let sent = planner.post_form(
        "/reminders/send",
        &[
            ("csrf", &page.csrf()),
            ("plan", &plan.to_string()),
            ("department", "fgw"),
        ],
    );
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("1 封邮件"), "{}", sent.body);

    let mail = sink.lock().unwrap().clone();
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0].0, "fgw@jinnan.example.cn");
    assert!(mail[0].1.contains("Subject: =?UTF-8?B?"), "{}", mail[0].1);
    let subj = subject(&mail[0].1);
    assert!(subj.starts_with("催报提醒：区发展改革委"), "{subj}");

    // The notice shows on the reporter's next page view after signing in,
    // which lands on what is due; once marked read it is gone.
    let again = app.client();
    let login = again.login("fgw", PASSWORD);
    assert_eq!(login.header("location"), Some("/due"));
    let due = again.get(&format!("/due?plan={plan}"));
    assert_eq!(due.status, 200, "{}", due.body);
    assert!(due.body.contains("催报提醒：区发展改革委"), "{}", due.body);
    let up_to = {
        let i = due.body.find("name=\"up_to\" value=\"").unwrap() + 20;
        due.body[i..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
    };
    let r = again.post_form("/notices/read", &[("csrf", &due.csrf()), ("up_to", &up_to)]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(!again
        .get(&format!("/due?plan={plan}"))
        .body
        .contains("催报提醒：区发展改革委"));
    // Another department got nothing.
    let sthj = app.client();
    sthj.login("sthj", PASSWORD);
    assert!(!sthj.get(&format!("/due?plan={plan}")).body.contains("催报提醒："));
    // A reporter may not send reminders.
    let refused = fgw.post_form(
        "/reminders/send",
        &[("csrf", &account.csrf()), ("plan", &plan.to_string())],
    );
    assert_eq!(refused.status, 403);

    let report = app.rt.block_on(app.state.app().store().audit_verify()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}
