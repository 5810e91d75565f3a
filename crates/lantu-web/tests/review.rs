//! The review page and the review API: every submitted figure is shown with
//! the previous year's value, the target and the deviation from the
//! schedule path; nothing is pre-selected; a return needs a reason; each
//! figure has its own buttons; the reviewer's body is shown in the
//! history, not the login name; the plan's chain is set on its own page.

mod common;

use common::*;
use lantu_core::observation::{NewObservation, ObservationState};
use lantu_core::Period;
use lantu_store::Figures;
use rust_decimal::Decimal;

/// Submits a 2024 figure (10 % above 2023) for every indicator of `fgw`
/// that has a 2023 figure; returns how many.
fn submit_2024(app: &App) -> usize {
    let store = app.state.app().store().clone();
    let plan = app.plan;
    app.rt.block_on(async move {
        let recs = store
            .observations(
                plan,
                &lantu_store::ObservationQuery {
                    department: Some("fgw".into()),
                    geography: Some(String::new()),
                    years: Some((2023, 2023)),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let rows: Vec<NewObservation> = recs
            .iter()
            .map(|r| NewObservation {
                indicator: r.indicator.clone(),
                period: Period::year(2024),
                geography: None,
                value: (r.value * Decimal::new(11, 1)).round_dp(2),
                source: Some("区统计年鉴 2024".into()),
                note: None,
                comment: None,
            })
            .collect();
        store
            .import_observations(plan, &rows, "fgw", "grid", None)
            .await
            .unwrap();
        store
            .set_state(
                &Figures::AllIn {
                    plan_id: plan,
                    state: ObservationState::Draft,
                },
                ObservationState::Submitted,
                "fgw",
                None,
            )
            .await
            .unwrap();
        rows.len()
    })
}

/// The cell of class `class` in a row's HTML.
fn cell<'a>(row: &'a str, class: &str) -> &'a str {
    let open = format!("class=\"{class}\">");
    let i = row.find(&open).unwrap_or_else(|| panic!("no {class} cell in {row}")) + open.len();
    &row[i..i + row[i..].find("</td>").unwrap()]
}

#[test]
fn every_figure_has_its_context_and_nothing_is_pre_selected() {
    let app = start();
    let n = submit_2024(&app);
    assert!(n >= 3, "the fixture gives fgw figures to review ({n})");
    let rv = app.client();
    rv.login("reviewer", PASSWORD);
    let page = rv.get(&format!("/review?plan={}&year=2024", app.plan));
    assert_eq!(page.status, 200, "{}", page.body);
    let waiting = page.body.split("<h2>").nth(1).unwrap();
    let rows: Vec<&str> = waiting.split("<tr data-id=\"").skip(1).collect();
    assert_eq!(rows.len(), n, "one row per submitted figure");
    for row in &rows {
        let previous = cell(row, "num previous");
        assert!(previous.contains("(2023)"), "the previous year's value: {row}");
        assert_ne!(cell(row, "num change"), "—", "{row}");
        assert!(!cell(row, "target").is_empty(), "the target: {row}");
        let deviation = cell(row, "num deviation");
        assert!(
            deviation.starts_with('+') || deviation.starts_with('-'),
            "the deviation: {row}"
        );
        assert!(row.contains("区统计年鉴 2024"), "the source: {row}");
        assert!(row.contains("name=\"row\" value=\"approve:"), "a button per row: {row}");
    }
    assert!(!page.body.contains("checked"), "nothing is pre-selected");
    assert!(page.body.contains("type=\"checkbox\" name=\"id\""));

    // Approving with nothing checked approves nothing.
    let csrf = page.csrf();
    let plan = app.plan.to_string();
    let none = rv.post_form("/review", &[("csrf", &csrf), ("plan", &plan), ("action", "approve")]);
    assert!(none.body.contains("请先勾选数据"), "{}", none.body);

    // One row's own button moves that row only; a return without a reason
    // is refused in Chinese.
    let id = |row: &str| row[..row.find('"').unwrap()].to_string();
    let (first, second) = (id(rows[0]), id(rows[1]));
    let r = rv.post_form(
        "/review",
        &[("csrf", &csrf), ("plan", &plan), ("row", &format!("return:{first}"))],
    );
    assert!(r.body.contains("退回时请填写意见"), "{}", r.body);
    let reason = format!("reason_{first}");
    let r = rv.post_form(
        "/review",
        &[
            ("csrf", &csrf),
            ("plan", &plan),
            ("row", &format!("return:{first}")),
            (&reason, "口径与上年不一致"),
        ],
    );
    assert!(r.body.contains("已退回: 1"), "{}", r.body);
    let r = rv.post_form(
        "/review",
        &[("csrf", &csrf), ("plan", &plan), ("row", &format!("approve:{second}"))],
    );
    assert!(r.body.contains("已审核通过: 1"), "{}", r.body);
    // The approved figure's history names the body (the account's display
    // name), not the login.
    let approved = r.body.split("<h2>").nth(2).unwrap();
    assert!(approved.contains(&format!("data-id=\"{second}\"")), "{approved}");
    assert!(r.body.contains("reviewer 用户"), "the reviewer's body");
    assert!(!r.body.contains(" reviewer · "), "not the login");

    // The API gives the same context.
    let token = rv.issue_token();
    let auth = format!("Bearer {token}");
    let q = rv
        .get_with(
            &format!("/api/v1/plans/{}/review?year=2024", app.plan),
            &[("Authorization", &auth)],
        )
        .json();
    let waiting = q["waiting"].as_array().unwrap();
    assert_eq!(waiting.len(), n - 2);
    for w in waiting {
        assert!(w["previous"]["value"].is_string(), "{w}");
        assert!(w["target"].is_object(), "{w}");
        assert!(w["deviation"].is_string(), "{w}");
        assert_eq!(w["steps"], serde_json::json!(["approve", "return"]), "{w}");
    }
    // The documented paths exist.
    let spec = rv.get("/api/v1/openapi.json").json();
    assert!(spec["paths"]["/plans/{id}/review"]["get"].is_object());
    assert!(spec["paths"]["/plans/{id}/review"]["post"].is_object());
    assert!(spec["paths"]["/plans/{id}/review-levels"]["put"].is_object());
}

#[test]
fn the_planner_sets_the_chain_in_the_browser_form() {
    let app = start();
    let pl = app.client();
    pl.login("planner", PASSWORD);
    let form = pl.get(&format!("/review/levels?plan={}", app.plan));
    assert_eq!(form.status, 200, "{}", form.body);
    let csrf = form.csrf();
    let plan = app.plan.to_string();
    let saved = pl.post_form(
        "/review/levels",
        &[
            ("csrf", &csrf),
            ("plan", &plan),
            ("name_0", "部门初审"),
            ("role_0", "department_approver"),
            ("name_1", "统计局审核"),
            ("role_1", "reviewer"),
            ("name_2", "发改委确认"),
            ("role_2", "planner"),
        ],
    );
    assert!(saved.body.contains("审核层级已保存"), "{}", saved.body);
    let levels = app
        .rt
        .block_on(app.state.app().store().review_levels(app.plan))
        .unwrap();
    assert_eq!(
        levels.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
        ["部门初审", "统计局审核", "发改委确认"]
    );
    // A level held by a role that does not review is refused in Chinese.
    let bad = pl.post_form(
        "/review/levels",
        &[
            ("csrf", &csrf),
            ("plan", &plan),
            ("name_0", "填报"),
            ("role_0", "reporter"),
        ],
    );
    assert!(bad.body.contains("只有统计审核"), "{}", bad.body);
    // The review page shows the chain.
    let rv = app.client();
    rv.login("reviewer", PASSWORD);
    let page = rv.get(&format!("/review?plan={}", app.plan));
    assert!(
        page.body.contains("部门初审") && page.body.contains("发改委确认"),
        "{}",
        page.body
    );
    // A reporter may not set it.
    let rep = app.client();
    rep.login("fgw", PASSWORD);
    assert_eq!(rep.get(&format!("/review/levels?plan={}", app.plan)).status, 403);
}

/// Issue 13, item 2: beside each figure the reviewer sees its evidence
/// files (linked to the download route), the reporter's explanation of a
/// figure that broke a warning rule with the rule it broke, and a
/// correction's reason — on the page and in the API.
#[test]
fn the_reviewer_sees_evidence_explanations_and_correction_reasons() {
    let app = start();
    let a = app.state.app().clone();
    let plan = app.plan;
    let codes = app.codes_of("fgw");
    let (jump_id, correction_id, file_id) = app.rt.block_on(async {
        let recs = a
            .observations(
                plan,
                &lantu_store::ObservationQuery {
                    geography: Some(String::new()),
                    years: Some((2023, 2023)),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let doc = a.store().plan_doc(plan).await.unwrap();
        // fgw figures of 2023 in a unit other than % (a 5-fold jump breaks
        // the ±100 % rule there) whose new values break no other rule.
        let fine = |r: &lantu_store::ObservationRecord, value| {
            doc.indicators.iter().any(|i| {
                i.code == r.indicator
                    && i.unit.as_deref() != Some("%")
                    && lantu_core::rules::check_value(i, value, None).is_empty()
            })
        };
        let fgw: Vec<_> = recs
            .iter()
            .filter(|r| codes.contains(&r.indicator) && r.value > Decimal::ONE)
            .collect();
        let jumped = *fgw
            .iter()
            .find(|r| fine(r, r.value * Decimal::from(5)))
            .expect("an fgw figure to jump");
        let corrected = *fgw
            .iter()
            .find(|r| r.id != jumped.id && fine(r, r.value + Decimal::ONE))
            .expect("an fgw figure to correct");
        let batch = |reason| lantu_app::Batch {
            actor: "fgw",
            source_name: "grid",
            reason,
        };
        let row = |r: &lantu_store::ObservationRecord, year, value, comment: Option<&str>| NewObservation {
            indicator: r.indicator.clone(),
            period: Period::year(year),
            geography: None,
            value,
            source: Some("区统计年鉴".into()),
            note: None,
            comment: comment.map(str::to_string),
        };
        // Without the explanation the jump is refused; with it, saved.
        let five_fold = jumped.value * Decimal::from(5);
        let refused = a
            .save_figures(plan, &[row(jumped, 2024, five_fold, None)], batch(None))
            .await;
        assert!(matches!(refused, Err(lantu_app::AppError::Refused(_))), "{refused:?}");
        a.save_figures(
            plan,
            &[row(jumped, 2024, five_fold, Some("新建产业园区投产"))],
            batch(None),
        )
        .await
        .unwrap();
        // A correction of a published figure, with its reason.
        a.save_figures(
            plan,
            &[row(corrected, 2023, corrected.value + Decimal::ONE, None)],
            batch(Some("统计年鉴修订")),
        )
        .await
        .unwrap();
        let fgw_user = a.store().user_by_name("fgw").await.unwrap().unwrap();
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
        let file = a
            .attach_evidence(
                &fgw_user,
                plan,
                &lantu_app::EvidenceTarget::Figure {
                    indicator: jumped.indicator.clone(),
                    period: Period::year(2024),
                    geography: None,
                },
                "园区投产说明.pdf",
                pdf,
            )
            .await
            .unwrap();
        let moved = a
            .store()
            .set_state(
                &Figures::AllIn {
                    plan_id: plan,
                    state: ObservationState::Draft,
                },
                ObservationState::Submitted,
                "fgw",
                None,
            )
            .await
            .unwrap();
        assert_eq!(moved.len(), 2, "{moved:?}");
        let latest = a.observations(plan, &Default::default()).await.unwrap();
        let id_of = |code: &str, year| {
            latest
                .iter()
                .find(|r| r.indicator == code && r.period == Period::year(year) && r.geography.is_none())
                .unwrap()
                .id
        };
        (
            id_of(&jumped.indicator, 2024),
            id_of(&corrected.indicator, 2023),
            file.id,
        )
    });

    let rv = app.client();
    rv.login("reviewer", PASSWORD);
    let page = rv.get(&format!("/review?plan={plan}"));
    assert_eq!(page.status, 200, "{}", page.body);
    let body = page.body.replace("&#x2f;", "/");
    let row_of = |id: i64| {
        let start = body.find(&format!("<tr data-id=\"{id}\"")).unwrap();
        let rest = &body[start..];
        &rest[..rest.find("</tr>").unwrap()]
    };
    let jump = cell(row_of(jump_id), "context");
    assert!(jump.contains("异常说明：新建产业园区投产"), "{jump}");
    assert!(jump.contains("finding f-warning"), "the rule it broke: {jump}");
    assert!(jump.contains("+400%"), "the change from the previous year: {jump}");
    assert!(
        jump.contains(&format!("href=\"/plans/{plan}/evidence/{file_id}\"")) && jump.contains("园区投产说明.pdf"),
        "the evidence file, linked: {jump}"
    );
    let correction = cell(row_of(correction_id), "context");
    assert!(correction.contains("更正原因：统计年鉴修订"), "{correction}");
    assert!(!correction.contains("异常说明"), "{correction}");
    // The link opens the file for the reviewer.
    let file = rv.get(&format!("/plans/{plan}/evidence/{file_id}"));
    assert_eq!(file.status, 200);
    assert!(file.body.starts_with("%PDF"), "{}", file.body);

    // The API: the same, the rule also in the caller's language.
    let auth = format!("Bearer {}", rv.issue_token());
    let q = rv
        .get_with(
            &format!("/api/v1/plans/{plan}/review"),
            &[("Authorization", &auth), ("Accept-Language", "en")],
        )
        .json();
    let item = |id: i64| {
        q["waiting"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["id"] == id)
            .unwrap_or_else(|| panic!("{id} waits: {q}"))
            .clone()
    };
    let jump = item(jump_id);
    assert_eq!(jump["comment"], "新建产业园区投产", "{jump}");
    assert_eq!(jump["kind"], "figure");
    let f = &jump["findings"][0];
    assert_eq!(f["severity"], "warning", "{jump}");
    assert_eq!(f["message"], "large_change", "{jump}");
    assert!(f["text"].as_str().unwrap().contains("+400%"), "{f}");
    let e = &jump["evidence"][0];
    assert_eq!(e["file_name"], "园区投产说明.pdf", "{jump}");
    assert_eq!(e["download"], format!("/api/v1/plans/{plan}/evidence/{file_id}"));
    let correction = item(correction_id);
    assert_eq!(correction["kind"], "correction", "{correction}");
    assert_eq!(correction["correction_reason"], "统计年鉴修订", "{correction}");
    assert!(correction["comment"].is_null());
    // The documented item has the new fields.
    let spec = rv.get("/api/v1/openapi.json").json();
    let props = &spec["components"]["schemas"]["ReviewItem"]["properties"];
    for k in ["comment", "findings", "correction_reason", "kind", "evidence"] {
        assert!(props[k].is_object(), "{k} documented");
    }

    // Another department's reporter cannot open the file.
    let other = app.client();
    other.login("sthj", PASSWORD);
    assert_eq!(other.get(&format!("/plans/{plan}/evidence/{file_id}")).status, 404);
}
