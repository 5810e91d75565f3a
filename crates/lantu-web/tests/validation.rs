//! The one validation, seen through every web path: the entry grid, an
//! uploaded file and the JSON API refuse an impossible share with the same
//! message (Chinese in the Chinese interface, English in the English one),
//! a large jump asks for a comment, and the grid keeps every change —
//! withdrawn drafts, source-only changes, one year's submission, published
//! rows changed only by a correction with its reason.

mod common;

use common::{start, PASSWORD};
use lantu_core::messages::Lang;
use lantu_core::plan::IndicatorDoc;
use lantu_core::rules::{check_value, is_share, Severity};
use lantu_core::Measure;
use rust_decimal::Decimal;

/// A share (森林覆盖率 when a reporter leads it) and its reporter.
fn share(app: &common::App) -> (IndicatorDoc, &'static str) {
    let led = |i: &IndicatorDoc| {
        ["fgw", "sthj"]
            .into_iter()
            .find(|d| i.departments.iter().any(|x| x == d))
    };
    let mut shares: Vec<&IndicatorDoc> = app
        .doc
        .indicators
        .iter()
        .filter(|i| is_share(i) && led(i).is_some())
        .collect();
    shares.sort_by_key(|i| !i.name.contains("森林覆盖率"));
    let i = shares.first().expect("the test plan has a share led by a reporter");
    ((*i).clone(), led(i).unwrap_or("fgw"))
}

/// The message the core's table gives for `value` of `i` (no previous).
fn refusal(i: &IndicatorDoc, value: i64, lang: Lang) -> String {
    let f = check_value(i, Decimal::from(value), None);
    let e = f.iter().find(|f| f.severity == Severity::Error).expect("an error");
    e.message.text(lang)
}

fn post_json(c: &common::Client, path: &str, body: &str, headers: &[(&str, &str)]) -> common::Resp {
    c.post_body(path, "application/json", body.as_bytes(), headers)
}

fn multipart(csrf: &str, filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "XlantuValidationBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn every_path_refuses_an_impossible_share_with_the_same_message() {
    let app = start();
    let plan = app.plan;
    let (ind, dept) = share(&app);
    let code = ind.code.clone();
    let rep = app.client();
    assert_eq!(rep.login(dept, PASSWORD).status, 303);
    let entry = format!("/entry?plan={plan}&department={dept}&year=2025");
    for (value, lang, q) in [(-5, Lang::Zh, ""), (150, Lang::Zh, ""), (-5, Lang::En, "&lang=en")] {
        let expected = refusal(&ind, value, lang);
        // The grid.
        let page = rep.get(&format!("{entry}{q}"));
        let key = format!("v|{code}|2025");
        let v = value.to_string();
        let form = [
            ("csrf", page.csrf()),
            ("plan", plan.to_string()),
            ("department", dept.to_string()),
            ("year", "2025".to_string()),
            (key.as_str(), v.clone()),
        ];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = rep.post_form(&format!("/entry?lang={}", lang.code()), &form);
        assert_eq!(r.status, 422, "grid {value}");
        assert!(r.body.contains(&expected), "grid: `{expected}` not in the page");
        // The upload.
        let csv = format!("指标代码 Code,期间 Period,数值 Value\n{code},2025,{value}\n");
        let (ct, body) = multipart(&page.csrf(), "figures.csv", csv.as_bytes());
        let r = rep.post_body(
            &format!(
                "/entry/upload?plan={plan}&department={dept}&year=2025&lang={}",
                lang.code()
            ),
            &ct,
            &body,
            &[],
        );
        assert_eq!(r.status, 422, "upload {value}");
        assert!(r.body.contains(&expected), "upload: `{expected}` not in the page");
    }
    // The API: Chinese by default, English when asked.
    let token = format!("Bearer {}", rep.issue_token());
    let path = format!("/api/v1/plans/{plan}/observations");
    for (value, accept, lang) in [(150, None, Lang::Zh), (-5, Some("en-US,en;q=0.9"), Lang::En)] {
        let mut headers = vec![("Authorization", token.as_str())];
        if let Some(a) = accept {
            headers.push(("Accept-Language", a));
        }
        let body = format!(r#"[{{"indicator":"{code}","period":"2025","value":"{value}"}}]"#);
        let r = post_json(&rep, &path, &body, &headers);
        assert_eq!(r.status, 422, "{}", r.body);
        let msg = r.json()["error"]["message"].as_str().unwrap_or("").to_string();
        assert!(msg.contains(&refusal(&ind, value, lang)), "{msg}");
    }
    // Nothing of it was stored.
    let latest = rep.get_with(
        &format!("{path}?view=latest&indicator={code}&year=2025"),
        &[("Authorization", &token)],
    );
    assert_eq!(
        latest.json()["observations"].as_array().map(Vec::len),
        Some(0),
        "{}",
        latest.body
    );
}

#[test]
fn a_jump_from_last_year_asks_for_a_comment_and_keeps_it() {
    let app = start();
    let plan = app.plan;
    let rep = app.client();
    assert_eq!(rep.login("fgw", PASSWORD).status, 303);
    let token = format!("Bearer {}", rep.issue_token());
    let path = format!("/api/v1/plans/{plan}/observations");
    // A level of fgw's, not in %, with a published 2023 figure above zero.
    let figures = rep
        .get_with(&format!("{path}?view=latest&year=2023"), &[("Authorization", &token)])
        .json();
    let levels: Vec<&IndicatorDoc> = app
        .doc
        .indicators
        .iter()
        .filter(|i| i.measure == Measure::Level && i.unit.as_deref() != Some("%"))
        .filter(|i| i.departments.iter().any(|d| d == "fgw"))
        .collect();
    let (code, before) = figures["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|o| {
            let code = o["indicator"].as_str()?;
            let v: Decimal = o["value"].as_str()?.parse().ok()?;
            (levels.iter().any(|i| i.code == code) && v > Decimal::ZERO).then(|| (code.to_string(), v))
        })
        .expect("a published level of fgw");
    let jump = (before * Decimal::from(4)).round_dp(2);
    let body = format!(r#"[{{"indicator":"{code}","period":"2024","value":"{jump}"}}]"#);
    let r = post_json(&rep, &path, &body, &[("Authorization", &token)]);
    assert_eq!(r.status, 422, "{}", r.body);
    let problems = &r.json()["error"]["problems"];
    assert_eq!(problems[0]["severity"], "warning", "{}", r.body);
    assert!(
        problems[0]["message"].as_str().unwrap_or("").contains("+300%"),
        "{}",
        r.body
    );
    let body = format!(r#"[{{"indicator":"{code}","period":"2024","value":"{jump}","comment":"新园区投产"}}]"#);
    let r = post_json(&rep, &path, &body, &[("Authorization", &token)]);
    assert_eq!(r.status, 201, "{}", r.body);
    let latest = rep.get_with(
        &format!("{path}?view=latest&indicator={code}&year=2024"),
        &[("Authorization", &token)],
    );
    assert_eq!(
        latest.json()["observations"][0]["comment"],
        "新园区投产",
        "{}",
        latest.body
    );

    // The grid asks the same, and takes the comment from its 说明 field.
    let page = rep.get(&format!("/entry?plan={plan}&department=fgw&year=2025"));
    let key = format!("v|{code}|2025");
    let far = (jump * Decimal::from(4)).to_string();
    let base = [
        ("csrf", page.csrf()),
        ("plan", plan.to_string()),
        ("department", "fgw".to_string()),
        ("year", "2025".to_string()),
        (key.as_str(), far.clone()),
    ];
    let form: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = rep.post_form("/entry", &form);
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(&format!("name=\"c|{code}|2025\"")),
        "the grid asks for a comment"
    );
    let ckey = format!("c|{code}|2025");
    let mut form = form.clone();
    form.push((ckey.as_str(), "并入新区"));
    let r = rep.post_form("/entry", &form);
    assert_eq!(r.status, 200, "saved with a comment");
}

#[test]
fn the_grid_keeps_every_change() {
    let app = start();
    let plan = app.plan;
    let rep = app.client();
    assert_eq!(rep.login("fgw", PASSWORD).status, 303);
    let token = format!("Bearer {}", rep.issue_token());
    let auth = [("Authorization", token.as_str())];
    let api = format!("/api/v1/plans/{plan}/observations");
    let code = app.codes_of("fgw")[0].clone();
    let latest_2023: Decimal = rep
        .get_with(&format!("{api}?view=latest&indicator={code}&year=2023"), &auth)
        .json()["observations"][0]["value"]
        .as_str()
        .and_then(|v| v.parse().ok())
        .expect("a published 2023 figure");
    let near = |d: i64| (latest_2023 + Decimal::new(d, 2)).to_string();
    let save = |year: i32, value: &str, source: &str| {
        let page = rep.get(&format!("/entry?plan={plan}&department=fgw&year={year}"));
        let (v, s) = (format!("v|{code}|{year}"), format!("s|{code}|{year}"));
        let form = [
            ("csrf", page.csrf()),
            ("plan", plan.to_string()),
            ("department", "fgw".to_string()),
            ("year", year.to_string()),
            (v.as_str(), value.to_string()),
            (s.as_str(), source.to_string()),
        ];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        rep.post_form("/entry", &form)
    };
    let figure = |year: i32, view: &str| {
        rep.get_with(&format!("{api}?view={view}&indicator={code}&year={year}"), &auth)
            .json()["observations"]
            .clone()
    };

    // Clearing a draft withdraws it: gone from the figures, kept in the history.
    assert_eq!(save(2024, &near(1), "统计年鉴").status, 200);
    assert_eq!(figure(2024, "latest").as_array().map(Vec::len), Some(1));
    assert_eq!(save(2024, "", "").status, 200);
    assert_eq!(
        figure(2024, "latest").as_array().map(Vec::len),
        Some(0),
        "the cleared draft is gone"
    );
    let all = figure(2024, "all_vintages");
    assert_eq!(all[0]["kind"], "withdrawn", "{all}");

    // A new source alone is a new vintage, kept.
    assert_eq!(save(2024, &near(2), "统计年鉴").status, 200);
    assert_eq!(save(2024, &near(2), "区统计局快报").status, 200);
    let f = figure(2024, "latest");
    assert_eq!(f[0]["source"], "区统计局快报", "{f}");
    assert_eq!(figure(2024, "all_vintages").as_array().map(Vec::len), Some(3));

    // Submitting 2024 leaves the 2025 draft alone; the page lists what goes.
    assert_eq!(save(2025, &near(3), "").status, 200);
    let page = rep.get(&format!("/entry?plan={plan}&department=fgw&year=2024"));
    assert!(page.body.contains("id=\"pending\""), "the drafts to submit are listed");
    let r = rep.post_form(
        "/entry/submit",
        &[
            ("csrf", &page.csrf()),
            ("plan", &plan.to_string()),
            ("department", "fgw"),
            ("year", "2024"),
        ],
    );
    assert_eq!(r.status, 200);
    assert_eq!(figure(2024, "latest")[0]["state"], "submitted");
    assert_eq!(figure(2025, "latest")[0]["state"], "draft");

    // A published row is read-only; a correction needs a reason and shows it.
    let page = rep.get(&format!("/entry?plan={plan}&department=fgw&year=2023"));
    assert!(
        !page.body.contains(&format!("name=\"v|{code}|2023\"")),
        "no input on a published row"
    );
    assert!(page.body.contains("提出更正"));
    let corrected = near(4);
    let correct = |reason: &str| {
        rep.post_form(
            "/entry/correct",
            &[
                ("csrf", &page.csrf()),
                ("plan", &plan.to_string()),
                ("department", "fgw"),
                ("year", "2023"),
                ("code", &code),
                ("period", "2023"),
                ("value", &corrected),
                ("reason", reason),
            ],
        )
    };
    correct("");
    assert_eq!(
        figure(2023, "latest")[0]["state"],
        "published",
        "no correction without a reason"
    );
    assert_eq!(correct("统计年鉴修订").status, 200);
    let f = figure(2023, "latest");
    assert_eq!(
        (f[0]["kind"].as_str(), f[0]["state"].as_str()),
        (Some("correction"), Some("draft")),
        "{f}"
    );
    assert_eq!(f[0]["correction_reason"], "统计年鉴修订");
}

#[test]
fn the_planner_sets_rules_on_the_indicator_page_and_every_path_keeps_them() {
    let app = start();
    let plan = app.plan;
    let (ind, dept) = share(&app);
    let code = ind.code.clone();
    let page_path = format!("/plans/{plan}/indicators/{code}");
    let rules_path = format!("{page_path}/rules");

    // A reporter sees the rules in force but may not change them.
    let rep = app.client();
    assert_eq!(rep.login(dept, PASSWORD).status, 303);
    let page = rep.get(&page_path);
    assert!(page.body.contains("id=\"rules\"") && !page.body.contains(&format!("action=\"{rules_path}\"")));
    let r = rep.post_form(&rules_path, &[("csrf", &page.csrf()), ("max", "50")]);
    assert_eq!(r.status, 403);

    // The planner narrows the range to 0–50.
    let planner = app.client();
    assert_eq!(planner.login("planner", PASSWORD).status, 303);
    let page = planner.get(&page_path);
    assert!(
        page.body.contains(&format!("action=\"{rules_path}\"")),
        "the planner has the form"
    );
    let r = planner.post_form(&rules_path, &[("csrf", &page.csrf()), ("max", "50"), ("integer", "")]);
    assert_eq!(r.status, 303, "{}", r.body);

    // The API shows it, and the reporter's 60 is now refused.
    let token = format!("Bearer {}", rep.issue_token());
    let got = rep
        .get_with(
            &format!("/api/v1/plans/{plan}/indicators/{code}/rules"),
            &[("Authorization", &token)],
        )
        .json();
    assert_eq!(got["rules"]["max"], "50", "{got}");
    let r = post_json(
        &rep,
        &format!("/api/v1/plans/{plan}/observations"),
        &format!(r#"[{{"indicator":"{code}","period":"2025","value":"60"}}]"#),
        &[("Authorization", &token)],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("50%"), "{}", r.body);
}
