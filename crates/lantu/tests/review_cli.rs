//! `lantu review` acts as an account (`--as`) through the same use cases
//! as the review page: the queue with each figure's context as that account
//! sees it, and one step of a two-level chain at the level the account
//! holds — a department approver first, then the statistics bureau; a
//! return needs a reason; a take-back undoes the level's own approval;
//! messages in the user's language; the audit log verifies afterwards.

mod common;

use common::runtime;
use lantu_core::account::Role;
use lantu_core::observation::{NewObservation, ObservationState};
use lantu_core::plan::DepartmentDoc;
use lantu_core::policy::Level;
use lantu_core::Period;
use lantu_store::{Figures, NewUser, ObservationQuery};
use rust_decimal::Decimal;
use std::process::{Command, Output};

fn lantu(db: &str, actor: &str, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lantu"));
    c.arg("--db").arg(db).args(["--as", actor]).args(args);
    for v in ["LANTU_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        c.env_remove(v);
    }
    c.output().expect("the lantu binary runs")
}

fn out(o: &Output) -> (bool, String, String) {
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

#[test]
fn a_two_level_chain_from_the_command_line() {
    let rt = runtime();
    let store = rt.block_on(lantu_store::testing::fresh_store());
    let db = store.url().to_string();
    let app = lantu_app::App::new(store.store().clone());
    let (plan, ids) = rt.block_on(async {
        let text = include_str!("../../../data/plans/jinnan-14th-five-year-plan.txt");
        let ex = lantu_extract::extract(text);
        let mut doc = lantu_extract::draft::draft(&ex, Some("jinnan.txt"));
        doc.departments = vec![DepartmentDoc {
            code: "fgw".into(),
            name: "区发展改革委".into(),
        }];
        for i in doc.indicators.iter_mut() {
            i.departments = vec!["fgw".into()];
        }
        // Two indicators with a value that breaks no rule of theirs.
        let chosen: Vec<(String, Decimal)> = doc
            .indicators
            .iter()
            .filter_map(|i| {
                let v = i.baseline.as_ref().map(|b| b.value).or(i.target.value)?;
                let fine = |x| lantu_core::rules::check_value(i, x, None).is_empty();
                (fine(v) && fine(v + Decimal::ONE)).then(|| (i.code.clone(), v))
            })
            .take(2)
            .collect();
        assert_eq!(chosen.len(), 2, "two indicators to review");
        let plan = store.import_plan(&doc, "test").await.unwrap();
        for (name, display, role, dept) in [
            ("fgw", "发改委填报员", Role::Reporter, Some("fgw")),
            ("fgw-head", "发改委科长", Role::DepartmentApprover, Some("fgw")),
            ("tjj", "区统计局", Role::Reviewer, None),
            ("planner", "规划科", Role::Planner, None),
        ] {
            store
                .add_user(
                    &NewUser {
                        username: name.into(),
                        display_name: display.into(),
                        role,
                        department: dept.map(str::to_string),
                        // The command line signs nobody in.
                        password_hash: "unused".into(),
                    },
                    "test",
                )
                .await
                .unwrap();
        }
        let figures = |year: i32| -> Vec<NewObservation> {
            chosen
                .iter()
                .map(|(code, v)| NewObservation {
                    indicator: code.clone(),
                    period: Period::year(year),
                    geography: None,
                    value: *v,
                    source: Some("区统计年鉴".into()),
                    note: None,
                    comment: None,
                })
                .collect()
        };
        let batch = lantu_app::Batch {
            actor: "fgw",
            source_name: "grid",
            reason: None,
        };
        // 2023 published under the default one level: last year's values.
        app.save_figures(plan, &figures(2023), batch).await.unwrap();
        for (from, to) in [
            (ObservationState::Draft, ObservationState::Submitted),
            (ObservationState::Submitted, ObservationState::Approved),
            (ObservationState::Approved, ObservationState::Published),
        ] {
            let all = Figures::AllIn {
                plan_id: plan,
                state: from,
            };
            store.set_state(&all, to, "test", None).await.unwrap();
        }
        // Then the two-level chain, and 2024 submitted into it.
        let planner = store.user_by_name("planner").await.unwrap().unwrap();
        let levels = vec![
            Level {
                name: "部门初审".into(),
                role: Role::DepartmentApprover,
                department: None,
            },
            Level {
                name: "统计局审核".into(),
                role: Role::Reviewer,
                department: None,
            },
        ];
        app.set_review_levels(plan, &planner, levels).await.unwrap();
        app.save_figures(plan, &figures(2024), batch).await.unwrap();
        // And a correction of a published 2023 figure, with its reason.
        let mut corrected = figures(2023)[..1].to_vec();
        corrected[0].value += Decimal::ONE;
        let correction = lantu_app::Batch {
            reason: Some("统计年鉴修订"),
            ..batch
        };
        app.save_figures(plan, &corrected, correction).await.unwrap();
        let drafts: Vec<i64> = app
            .observations(plan, &ObservationQuery::default())
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.state == ObservationState::Draft)
            .map(|r| r.id)
            .collect();
        let fgw = store.user_by_name("fgw").await.unwrap().unwrap();
        let moved = app.submit_drafts(plan, &fgw, "fgw", drafts).await.unwrap();
        assert_eq!(moved.len(), 3, "two 2024 figures and a correction");
        let latest = app.observations(plan, &ObservationQuery::default()).await.unwrap();
        let id = |year: i32, code: &str| {
            latest
                .iter()
                .find(|r| r.period == Period::year(year) && r.indicator == code)
                .unwrap()
                .id
        };
        let ids = vec![id(2024, &chosen[0].0), id(2024, &chosen[1].0), id(2023, &chosen[0].0)];
        (plan, ids)
    });
    let p = plan.to_string();
    let (a, b) = (ids[0].to_string(), ids[1].to_string());
    let state_of = |id: i64| rt.block_on(store.store().observation(id)).unwrap();

    // The department approver's queue, as a table: both figures with last
    // year's value, the level they wait at and the steps it may take.
    let (ok, table, err) = out(&lantu(
        &db,
        "fgw-head",
        &["review", "list", "--plan", &p, "--year", "2024"],
    ));
    assert!(ok, "{err}");
    assert!(table.contains("审核层级：1. 部门初审 → 2. 统计局审核"), "{table}");
    assert!(table.contains("待审核 (2)") && table.contains("(2023)"), "{table}");
    // The correction (2023) waits too, with its reason.
    let (ok, all, err) = out(&lantu(&db, "fgw-head", &["review", "list", "--plan", &p]));
    assert!(ok, "{err}");
    assert!(
        all.contains("待审核 (3)") && all.contains("更正原因：统计年鉴修订"),
        "{all}"
    );
    let (ok, all, _) = out(&lantu(
        &db,
        "fgw-head",
        &["--lang", "en", "review", "list", "--plan", &p],
    ));
    assert!(
        ok && all.contains("waiting (3)") && all.contains("correction: 统计年鉴修订"),
        "{all}"
    );
    assert!(table.contains("通过/退回") && table.contains("区统计年鉴"), "{table}");
    // The same as JSON: the application's queue as the API gives it.
    let (ok, json, err) = out(&lantu(
        &db,
        "fgw-head",
        &["review", "list", "--plan", &p, "--format", "json"],
    ));
    assert!(ok, "{err}");
    let q: serde_json::Value = serde_json::from_str(&json).unwrap();
    let waiting = q["waiting"].as_array().unwrap();
    assert_eq!(waiting.len(), 3, "{q}");
    let correction = waiting.iter().find(|w| w["id"] == ids[2]).unwrap();
    assert_eq!(
        (&correction["kind"], &correction["correction_reason"]),
        (&"correction".into(), &"统计年鉴修订".into()),
        "{correction}"
    );
    for w in waiting {
        assert_eq!(w["waiting_at"], "部门初审", "{w}");
        assert_eq!(w["steps"], serde_json::json!(["approve", "return"]), "{w}");
        // Last year's value, for the 2024 figures.
        let in_2024 = w["period"] == "2024";
        assert_eq!(w["previous"]["value"].is_string(), in_2024, "{w}");
        assert!(w["target"].is_object(), "{w}");
    }
    // The statistics bureau sees them but may not act before the first level.
    let (ok, json, _) = out(&lantu(
        &db,
        "tjj",
        &["review", "list", "--plan", &p, "--format", "json"],
    ));
    assert!(ok);
    let q: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        q["waiting"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["steps"] == serde_json::json!([])),
        "{q}"
    );
    let (ok, _, err) = out(&lantu(&db, "tjj", &["review", "approve", "--plan", &p, &a]));
    assert!(!ok);
    assert!(
        err.contains(&format!("不能对数据 {a}")) && !err.contains("may not"),
        "Chinese by default: {err}"
    );
    let (ok, _, err) = out(&lantu(
        &db,
        "tjj",
        &["--lang", "en", "review", "approve", "--plan", &p, &a],
    ));
    assert!(!ok);
    assert!(
        err.contains("may not approve") && !err.contains("不能"),
        "English with --lang en: {err}"
    );

    // A return needs a reason, in the user's language.
    let (ok, _, err) = out(&lantu(&db, "fgw-head", &["review", "return", "--plan", &p, &b]));
    assert!(!ok && err.contains("退回时请填写意见"), "{err}");
    let (ok, _, err) = out(&lantu(
        &db,
        "fgw-head",
        &["--lang", "en", "review", "return", "--plan", &p, &b],
    ));
    assert!(
        !ok && err.contains("a return needs a reason") && !err.contains("退回"),
        "{err}"
    );
    let (ok, said, err) = out(&lantu(
        &db,
        "fgw-head",
        &["review", "return", "--plan", &p, &b, "--reason", "口径与上年不一致"],
    ));
    assert!(ok, "{err}");
    assert_eq!(said.trim(), format!("已退回 1: {b}"));
    assert_eq!(state_of(ids[1]).state, ObservationState::Draft);

    // The first level approves, takes it back, approves again.
    let (ok, said, err) = out(&lantu(&db, "fgw-head", &["review", "approve", "--plan", &p, &a]));
    assert!(ok, "{err}");
    assert_eq!(said.trim(), format!("已审核通过 1: {a}"));
    assert_eq!(
        (state_of(ids[0]).state, state_of(ids[0]).passed),
        (ObservationState::Submitted, 1)
    );
    let (ok, said, err) = out(&lantu(&db, "fgw-head", &["review", "take-back", "--plan", &p, &a]));
    assert!(ok, "{err}");
    assert_eq!(said.trim(), format!("已撤回审核 1: {a}"));
    assert_eq!(state_of(ids[0]).passed, 0);
    let (ok, _, err) = out(&lantu(&db, "fgw-head", &["review", "approve", "--plan", &p, &a]));
    assert!(ok, "{err}");

    // Now the statistics bureau's turn: the figure waits at its level.
    let (ok, json, _) = out(&lantu(
        &db,
        "tjj",
        &["review", "list", "--plan", &p, "--format", "json"],
    ));
    assert!(ok);
    let q: serde_json::Value = serde_json::from_str(&json).unwrap();
    let w = q["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == ids[0])
        .unwrap();
    assert_eq!(
        (&w["waiting_at"], &w["steps"]),
        (&"统计局审核".into(), &serde_json::json!(["approve", "return"]))
    );
    let (ok, said, err) = out(&lantu(
        &db,
        "tjj",
        &["--lang", "en", "review", "approve", "--plan", &p, &a],
    ));
    assert!(ok, "{err}");
    assert_eq!(said.trim(), format!("approved 1: {a}"));
    assert_eq!(state_of(ids[0]).state, ObservationState::Approved);
    // The history names the bodies that acted, never the login names.
    let (ok, json, _) = out(&lantu(
        &db,
        "tjj",
        &["review", "list", "--plan", &p, "--format", "json"],
    ));
    assert!(ok);
    let q: serde_json::Value = serde_json::from_str(&json).unwrap();
    let events = q["approved"][0]["history"].to_string();
    assert!(
        events.contains("\"by\":\"区统计局\"") && events.contains("\"by\":\"区发展改革委\""),
        "{events}"
    );
    assert!(
        !events.contains("\"by\":\"tjj\"") && !events.contains("fgw-head"),
        "{events}"
    );

    // No account, a reporter: refused, saying why.
    let (ok, _, err) = out(&lantu(&db, "nobody", &["review", "list", "--plan", &p]));
    assert!(!ok && err.contains("--as nobody：没有该账户"), "{err}");
    let (ok, _, err) = out(&lantu(&db, "fgw", &["review", "list", "--plan", &p]));
    assert!(
        !ok && err.contains("此角色不参与审核") && !err.contains("this role"),
        "{err}"
    );

    // Every step is in the audit log, which verifies.
    let (ok, said, err) = out(&lantu(&db, "tjj", &["audit", "verify"]));
    assert!(ok, "{said}{err}");
}
