//! Rules held below every adapter, seen through the JSON API and the public
//! portal: no new value over a figure under review, no state change across
//! plans, and one rule for what the public sees (a draft plan is invisible;
//! an unreleased year is never the public's evaluation).

mod common;

use common::{start, PASSWORD};
use lantu_core::observation::ObservationState;
use lantu_core::plan::PlanState;
use lantu_store::{ObservationQuery, View};

fn post_json(c: &common::Client, path: &str, body: &str, auth: &str) -> common::Resp {
    c.post_body(path, "application/json", body.as_bytes(), &[("Authorization", auth)])
}

#[test]
fn the_api_cannot_write_over_a_submitted_figure() {
    let app = start();
    let plan = app.plan;
    let rep = app.client();
    assert_eq!(rep.login("fgw", PASSWORD).status, 303);
    let auth = format!("Bearer {}", rep.issue_token());
    let code = app.codes_of("fgw")[0].clone();
    let path = format!("/api/v1/plans/{plan}/observations");
    let w = post_json(
        &rep,
        &path,
        &format!(r#"[{{"indicator":"{code}","period":"2024","value":"11"}}]"#),
        &auth,
    );
    assert_eq!(w.status, 201, "{}", w.body);
    let latest = rep.get_with(
        &format!("{path}?view=latest&indicator={code}&year=2024"),
        &[("Authorization", &auth)],
    );
    let id = latest.json()["observations"][0]["id"]
        .as_i64()
        .expect("the draft is listed");
    let submit = post_json(
        &rep,
        &format!("/api/v1/plans/{plan}/observations/{id}/state"),
        r#"{"to":"submitted"}"#,
        &auth,
    );
    assert_eq!(submit.status, 200, "{}", submit.body);

    // A new value over the submitted figure: refused, nothing written.
    let w = post_json(
        &rep,
        &path,
        &format!(r#"[{{"indicator":"{code}","period":"2024","value":"12"}}]"#),
        &auth,
    );
    assert_eq!(w.status, 409, "{}", w.body);
    let e = w.json();
    assert_eq!(e["error"]["code"], "conflict");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("under review"),
        "{}",
        w.body
    );
    // The submitted figure is still the one waiting for review.
    let records = app
        .rt
        .block_on(app.state.app().store().observations(
            plan,
            &ObservationQuery {
                view: View::Latest,
                indicator: Some(code.clone()),
                years: Some((2024, 2024)),
                ..ObservationQuery::default()
            },
        ))
        .unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!((records[0].id, records[0].state), (id, ObservationState::Submitted));
    let reviewer = app.client();
    reviewer.login("reviewer", PASSWORD);
    let review = reviewer.get(&format!("/review?plan={plan}"));
    assert!(
        review.body.contains(&format!("value=\"{id}\"")),
        "still in the review queue"
    );

    // Returned, the reporter may correct it.
    let rtok = format!("Bearer {}", reviewer.issue_token());
    let back = post_json(
        &reviewer,
        &format!("/api/v1/plans/{plan}/observations/{id}/state"),
        r#"{"to":"draft","comment":"请核实"}"#,
        &rtok,
    );
    assert_eq!(back.status, 200, "{}", back.body);
    let w = post_json(
        &rep,
        &path,
        &format!(r#"[{{"indicator":"{code}","period":"2024","value":"12"}}]"#),
        &auth,
    );
    assert_eq!(w.status, 201, "{}", w.body);
}

#[test]
fn a_state_change_across_plans_is_refused() {
    let app = start();
    // A second plan with the same indicator codes and departments.
    let two = app
        .rt
        .block_on(app.state.app().store().import_plan(&app.doc, "planner"))
        .unwrap();
    let code = app.codes_of("fgw")[0].clone();
    let one = app.plan;
    let figures = app
        .rt
        .block_on(app.state.app().store().observations(
            one,
            &ObservationQuery {
                indicator: Some(code.clone()),
                ..ObservationQuery::default()
            },
        ))
        .unwrap();
    let of_one = figures[0].id;
    assert_eq!(figures[0].state, ObservationState::Published);
    // A figure of plan 1 in review, so that the move itself is allowed.
    app.rt
        .block_on(app.state.app().store().import_observations(
            one,
            &[lantu_core::observation::NewObservation {
                indicator: code.clone(),
                period: lantu_core::Period::year(2024),
                geography: None,
                value: rust_decimal::Decimal::new(5, 0),
                source: None,
                note: None,
                comment: None,
            }],
            "fgw",
            "x.csv",
            None,
        ))
        .unwrap();
    let draft = app
        .rt
        .block_on(app.state.app().store().observations(
            one,
            &ObservationQuery {
                view: View::Latest,
                indicator: Some(code.clone()),
                years: Some((2024, 2024)),
                ..ObservationQuery::default()
            },
        ))
        .unwrap()[0]
        .id;

    for (user, id, to) in [("fgw", draft, "submitted"), ("admin", of_one, "draft")] {
        let c = app.client();
        assert_eq!(c.login(user, PASSWORD).status, 303);
        let auth = format!("Bearer {}", c.issue_token());
        let r = post_json(
            &c,
            &format!("/api/v1/plans/{two}/observations/{id}/state"),
            &format!(r#"{{"to":"{to}","comment":"x"}}"#),
            &auth,
        );
        assert_eq!(r.status, 403, "{user}: {}", r.body);
        let msg = r.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(
            msg.contains(&format!("belongs to plan {one}, not to plan {two}")),
            "{msg}"
        );
    }
    // Nothing moved.
    let after = app.rt.block_on(app.state.app().store().observation(draft)).unwrap();
    assert_eq!(after.state, ObservationState::Draft);
    assert_eq!(
        app.rt
            .block_on(app.state.app().store().observation(of_one))
            .unwrap()
            .state,
        ObservationState::Published
    );
}

#[test]
fn an_imported_draft_plan_is_invisible_to_the_public() {
    let app = start();
    let mut doc = app.doc.clone();
    doc.plan.id = None;
    doc.plan.state = PlanState::Draft;
    doc.plan.name = "某区“十四五”规划（草稿）".into();
    let draft = app
        .rt
        .block_on(app.state.app().store().import_plan(&doc, "planner"))
        .unwrap();
    let public = app.client();
    let home = public.get("/public/");
    // Two plans stored, one public: the portal goes straight to it.
    assert_eq!(home.status, 303, "{}", home.body);
    assert_eq!(
        home.header("location"),
        Some(format!("/public/plans/{}", app.plan).as_str())
    );
    let list = public.get("/public/plans");
    assert_eq!(list.status, 200);
    assert!(!list.body.contains("某区"), "{}", list.body);
    let api = public.get("/api/v1/plans").json();
    let ids: Vec<i64> = api
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [app.plan]);
    for path in [
        format!("/public/plans/{draft}"),
        format!("/public/plans/{draft}/indicators/{}", doc.indicators[0].code),
        format!("/public/plans/{draft}/report/annual.html"),
        format!("/public/plans/{draft}?q=%E6%A3%AE%E6%9E%97"),
        format!("/api/v1/plans/{draft}"),
        format!("/api/v1/plans/{draft}/indicators"),
        format!("/api/v1/plans/{draft}/observations"),
        format!("/api/v1/plans/{draft}/status"),
        format!("/api/v1/plans/{draft}/tasks"),
    ] {
        assert_eq!(public.get(&path).status, 404, "{path}");
    }
    // Staff see it.
    let planner = app.client();
    planner.login("planner", PASSWORD);
    assert_eq!(planner.get(&format!("/plans/{draft}")).status, 200);
    let staff = planner.get("/api/v1/plans").json();
    assert_eq!(staff.as_array().unwrap().len(), 2);
}

#[test]
fn the_public_dashboard_shows_released_years_only() {
    let app = start();
    let plan = app.plan;
    let store = app.state.app().store();
    // Only 2023 released; one 2025 figure published.
    app.rt.block_on(async {
        for y in [2021, 2022] {
            store.set_year_released(plan, y, false, "planner").await.unwrap();
        }
        let code = app
            .doc
            .indicators
            .iter()
            .find(|i| i.target.value.is_some())
            .unwrap()
            .code
            .clone();
        store
            .import_observations(
                plan,
                &[lantu_core::observation::NewObservation {
                    indicator: code,
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
    let dash = public.get(&format!("/public/plans/{plan}"));
    assert_eq!(dash.status, 200);
    assert!(dash.body.contains("<option value=\"2023\" selected>"), "opens on 2023");
    assert!(!dash.body.contains("<option value=\"2025\""), "2025 is not offered");
    assert!(!dash.body.contains("<option value=\"2022\""), "2022 is withdrawn");
    assert_eq!(public.get(&format!("/public/plans/{plan}?year=2025")).status, 404);
    assert_eq!(
        public
            .get(&format!("/public/plans/{plan}/report/final.html?year=2025"))
            .status,
        404
    );
    let status = public.get(&format!("/api/v1/plans/{plan}/status")).json();
    assert_eq!(status["evaluation_year"], 2023);
    assert_eq!(
        public.get(&format!("/api/v1/plans/{plan}/status?year=2025")).status,
        404
    );
    let obs = public.get(&format!("/api/v1/plans/{plan}/observations")).json();
    let years: Vec<String> = obs["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["period"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(!years.is_empty());
    assert!(!years.iter().any(|p| p.starts_with("2025")), "{years:?}");
    // Staff see 2025.
    let planner = app.client();
    planner.login("planner", PASSWORD);
    let internal = planner.get(&format!("/plans/{plan}?year=2025"));
    assert_eq!(internal.status, 200);
    assert!(internal.body.contains("<option value=\"2025\" selected>"));
}
