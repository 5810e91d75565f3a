//! The publication screen (公开与发布) at the HTTP level, without script:
//! the planner makes a plan public or private and releases or withdraws
//! evaluation years named for what they are, after a confirmation; the
//! same through the JSON API; refusals for reporters, evaluators and
//! anonymous visitors; and what the public dashboard then shows.

mod common;

use common::{start, App, Client, PASSWORD};
use lantu_core::plan::PlanState;

/// A path as the templates write it in an attribute (`/` escaped).
fn escaped(path: &str) -> String {
    path.replace('/', "&#x2f;")
}

fn signed_in(app: &App, user: &str) -> Client {
    let c = app.client();
    assert_eq!(c.login(user, PASSWORD).status, 303, "{user} signs in");
    c
}

fn released(app: &App, plan: i64) -> Vec<i32> {
    let p = app.rt.block_on(app.state.app().store().publication(plan)).unwrap();
    p.released_years.into_iter().collect()
}

fn screen(c: &Client, plan: i64) -> common::Resp {
    let r = c.get(&format!("/plans/{plan}/publication"));
    assert_eq!(r.status, 200, "{}", r.body);
    r
}

fn post(c: &Client, plan: i64, form: &[(&str, &str)]) -> common::Resp {
    let csrf = screen(c, plan).csrf();
    let mut f = vec![("csrf", csrf.as_str())];
    f.extend_from_slice(form);
    c.post_form(&format!("/plans/{plan}/publication"), &f)
}

#[test]
fn the_planner_releases_a_year_on_the_screen_with_a_confirmation() {
    let app = start();
    let plan = app.plan;
    let planner = signed_in(&app, "planner");

    // The screen names every year of the period for what it is.
    let page = screen(&planner, plan);
    assert!(page.body.contains("公开与发布"), "{}", page.body);
    assert!(page.body.contains("本计划已公开"));
    for (year, kind) in [
        (2021, "年度监测"),
        (2023, "中期评估"),
        (2024, "年度监测"),
        (2025, "总结评估"),
    ] {
        let row = &page.body[page.body.find(&format!("id=\"year-{year}\"")).unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains(kind), "{year}: {row}");
    }
    // The plan's pages link to it.
    assert!(planner
        .get(&format!("/plans/{plan}"))
        .body
        .contains(&escaped(&format!("/plans/{plan}/publication"))));

    // Without the confirmation box nothing happens, and the screen says why.
    let r = post(&planner, plan, &[("action", "release"), ("year", "2024")]);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("请先勾选确认框"), "{}", r.body);
    assert_eq!(released(&app, plan), [2021, 2022, 2023]);

    // Confirmed, 2024 is released, audited under the planner's name.
    let r = post(
        &planner,
        plan,
        &[("action", "release"), ("year", "2024"), ("confirm", "yes")],
    );
    assert_eq!(r.status, 200);
    assert!(r.body.contains("2024 · 已向公众发布"), "{}", r.body);
    assert_eq!(released(&app, plan), [2021, 2022, 2023, 2024]);
    let log = app.rt.block_on(app.state.app().store().audit_log(1)).unwrap();
    assert_eq!(
        (log[0].action.as_str(), log[0].actor.as_str()),
        ("release_year", "planner")
    );

    // The public portal opens on 2024 and does not judge it on 2023's
    // figures without saying so.
    let public = app.client();
    let dash = public.get(&format!("/public/plans/{plan}"));
    assert_eq!(dash.status, 200);
    assert!(dash.body.contains("<option value=\"2024\" selected>"));
    assert!(dash.body.contains("本年度尚无数据（最新：2023）"), "{}", dash.body);
    let en = public.get(&format!("/public/plans/{plan}?lang=en"));
    assert!(en.body.contains("No figure for this year yet; latest: 2023"));
    // In 2023 every figure is of the year: no such note.
    let y2023 = public.get(&format!("/public/plans/{plan}?year=2023"));
    assert!(!y2023.body.contains("本年度尚无数据"));

    // Again: nothing changes, and the screen says so.
    let r = post(
        &planner,
        plan,
        &[("action", "release"), ("year", "2024"), ("confirm", "yes")],
    );
    assert!(r.body.contains("未作更改"), "{}", r.body);

    // Withdrawn, the public opens on 2023 again.
    let r = post(
        &planner,
        plan,
        &[("action", "withdraw"), ("year", "2024"), ("confirm", "yes")],
    );
    assert!(r.body.contains("2024 · 已撤回"), "{}", r.body);
    assert_eq!(released(&app, plan), [2021, 2022, 2023]);
    assert!(public
        .get(&format!("/public/plans/{plan}"))
        .body
        .contains("<option value=\"2023\" selected>"));

    // A year outside the period is refused on the screen, in Chinese first.
    let r = post(
        &planner,
        plan,
        &[("action", "release"), ("year", "2031"), ("confirm", "yes")],
    );
    assert_eq!(r.status, 200);
    assert!(r.body.contains("不在计划"), "{}", r.body);

    // Private: the public portal no longer finds the plan; public again.
    post(&planner, plan, &[("action", "make_private"), ("confirm", "yes")]);
    assert_eq!(public.get(&format!("/public/plans/{plan}")).status, 404);
    assert!(screen(&planner, plan).body.contains("本计划目前不公开"));
    post(&planner, plan, &[("action", "make_public"), ("confirm", "yes")]);
    assert_eq!(public.get(&format!("/public/plans/{plan}")).status, 200);
}

#[test]
fn a_draft_cannot_be_made_public_and_the_screen_says_why() {
    let app = start();
    let mut doc = app.doc.clone();
    doc.plan.id = None;
    doc.plan.state = PlanState::Draft;
    let draft = app
        .rt
        .block_on(app.state.app().store().import_plan(&doc, "planner"))
        .unwrap();
    let admin = signed_in(&app, "admin");
    let page = screen(&admin, draft);
    assert!(page.body.contains("仍是草稿"), "{}", page.body);
    // No button to make it public; a forged form is refused all the same.
    assert!(!page.body.contains("value=\"make_public\""));
    let r = post(&admin, draft, &[("action", "make_public"), ("confirm", "yes")]);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("仍是草稿"), "{}", r.body);
    let p = app.rt.block_on(app.state.app().store().publication(draft)).unwrap();
    assert!(!p.public && !p.plan_public());
}

#[test]
fn reporters_evaluators_and_visitors_are_refused() {
    let app = start();
    let plan = app.plan;
    let path = format!("/plans/{plan}/publication");
    for user in ["fgw", "evaluator", "reviewer"] {
        let c = signed_in(&app, user);
        assert_eq!(c.get(&path).status, 403, "{user}");
        // The reporter's own CSRF token, a well-formed form: still refused.
        let csrf = c.get("/account").csrf();
        let r = c.post_form(
            &path,
            &[
                ("csrf", &csrf),
                ("action", "withdraw"),
                ("year", "2023"),
                ("confirm", "yes"),
            ],
        );
        assert_eq!(r.status, 403, "{user}: {}", r.body);
        // No link to the screen in their menus.
        let menu = c.get(&format!("/plans/{plan}")).body;
        assert!(menu.contains(&escaped(&format!("/plans/{plan}/tasks"))), "{user}");
        assert!(!menu.contains(&escaped(&path)), "{user}");
    }
    let anonymous = app.client();
    assert_ne!(anonymous.get(&path).status, 200);
    let r = anonymous.post_form(&path, &[("action", "withdraw"), ("year", "2023"), ("confirm", "yes")]);
    assert!(r.status == 401 || r.status == 403, "{}", r.status);
    assert_eq!(released(&app, plan), [2021, 2022, 2023]);
}

fn post_json(c: &Client, path: &str, body: &str, auth: &str) -> common::Resp {
    c.post_body(path, "application/json", body.as_bytes(), &[("Authorization", auth)])
}

#[test]
fn the_api_releases_and_withdraws_years() {
    let app = start();
    let plan = app.plan;
    let planner = signed_in(&app, "planner");
    let auth = format!("Bearer {}", planner.issue_token());
    let p = app.client();
    let state = p
        .get_with(
            &format!("/api/v1/plans/{plan}/publication"),
            &[("Authorization", &auth)],
        )
        .json();
    assert_eq!(state["public"], true);
    assert_eq!(state["default_year"], 2023);
    let kinds: Vec<(i64, String, bool)> = state["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| {
            (
                y["year"].as_i64().unwrap(),
                y["kind"].as_str().unwrap().to_string(),
                y["released"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (2021, "annual".into(), true),
            (2022, "annual".into(), true),
            (2023, "midterm".into(), true),
            (2024, "annual".into(), false),
            (2025, "final".into(), false)
        ]
    );

    let release = format!("/api/v1/plans/{plan}/releases/2024");
    let r = post_json(&p, &release, r#"{"released":true}"#, &auth);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["changed"], true);
    assert_eq!(r.json()["publication"]["default_year"], 2024);
    let r = post_json(&p, &release, r#"{"released":true}"#, &auth);
    assert_eq!(r.json()["changed"], false);
    let r = post_json(&p, &release, r#"{"released":false}"#, &auth);
    assert_eq!(r.json()["publication"]["default_year"], 2023);
    let r = post_json(
        &p,
        &format!("/api/v1/plans/{plan}/releases/2040"),
        r#"{"released":true}"#,
        &auth,
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let r = post_json(&p, &release, r#"{"released":"yes"}"#, &auth);
    assert_eq!(r.status, 400, "{}", r.body);

    let public = format!("/api/v1/plans/{plan}/publication");
    let r = post_json(&p, &public, r#"{"public":false}"#, &auth);
    assert_eq!(r.json()["publication"]["public"], false);
    assert_eq!(app.client().get(&format!("/api/v1/plans/{plan}")).status, 404);
    post_json(&p, &public, r#"{"public":true}"#, &auth);
    assert_eq!(app.client().get(&format!("/api/v1/plans/{plan}")).status, 200);

    // A draft: 409 with the reason.
    let mut doc = app.doc.clone();
    doc.plan.id = None;
    doc.plan.state = PlanState::Draft;
    let draft = app
        .rt
        .block_on(app.state.app().store().import_plan(&doc, "planner"))
        .unwrap();
    let r = post_json(
        &p,
        &format!("/api/v1/plans/{draft}/publication"),
        r#"{"public":true}"#,
        &auth,
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("草稿"), "{}", r.body);

    // A reporter's token: 403; no token: 401.
    let rep = signed_in(&app, "fgw");
    let rep_auth = format!("Bearer {}", rep.issue_token());
    assert_eq!(post_json(&p, &release, r#"{"released":true}"#, &rep_auth).status, 403);
    assert_eq!(p.get_with(&public, &[("Authorization", &rep_auth)]).status, 403);
    let anonymous = p.post_body(&release, "application/json", br#"{"released":true}"#, &[]);
    assert!(matches!(anonymous.status, 401 | 403), "{}", anonymous.status);
    assert_eq!(released(&app, plan), [2021, 2022, 2023]);

    // The OpenAPI document describes both.
    let spec = p.get("/api/v1/openapi.json").json();
    assert!(spec["paths"]["/plans/{id}/publication"]["post"].is_object());
    assert!(spec["paths"]["/plans/{id}/releases/{year}"]["post"].is_object());
}

/// With 2023 released and one 2025 figure published (2025 not released),
/// the public dashboard shows no 2025 evaluation: no 2025 headline and no
/// 总结评估 (final evaluation) of 2025.
#[test]
fn a_published_figure_of_an_unreleased_year_makes_no_public_evaluation() {
    let app = start();
    let plan = app.plan;
    let planner = signed_in(&app, "planner");
    for year in ["2021", "2022"] {
        post(
            &planner,
            plan,
            &[("action", "withdraw"), ("year", year), ("confirm", "yes")],
        );
    }
    assert_eq!(released(&app, plan), [2023]);
    let code = app
        .doc
        .indicators
        .iter()
        .find(|i| i.target.value.is_some())
        .unwrap()
        .code
        .clone();
    app.rt.block_on(async {
        let store = app.state.app().store();
        store
            .import_observations(
                plan,
                &[lantu_core::observation::NewObservation {
                    indicator: code.clone(),
                    period: lantu_core::Period::year(2025),
                    geography: None,
                    value: rust_decimal::Decimal::new(77, 0),
                    source: None,
                    note: None,
                    comment: None,
                }],
                "fgw",
                "late.csv",
                None,
            )
            .await
            .unwrap();
        common::publish_all(store, plan).await;
    });
    let public = app.client();
    for path in [
        format!("/public/plans/{plan}"),
        format!("/public/plans/{plan}/indicators/{code}"),
    ] {
        let page = public.get(&path);
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.body.contains("总结评估"), "{path}: a final evaluation shown");
        assert!(!page.body.contains("2025<small>"), "{path}: a 2025 headline");
        assert!(!page.body.contains("<option value=\"2025\""), "{path}");
        assert!(
            !page.body.contains(">77<") && !page.body.contains("77 "),
            "{path}: the 2025 figure"
        );
    }
    let dash = public.get(&format!("/public/plans/{plan}"));
    assert!(dash.body.contains("2023<small> · 中期评估报告"), "{}", dash.body);
    assert_eq!(public.get(&format!("/public/plans/{plan}?year=2025")).status, 404);
    // Staff see 2025, the year of the final evaluation.
    let staff = planner.get(&format!("/plans/{plan}?year=2025"));
    assert!(staff.body.contains("总结评估"));
}
