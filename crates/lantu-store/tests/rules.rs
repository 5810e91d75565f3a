//! Rules the store holds below every adapter: a figure under review gets
//! no new vintage, a state change stays inside the plan and department it
//! names, and what the planner shows the public (public plan, released
//! years) is stored and audited.

mod common;

use common::*;
use lantu_core::observation::ObservationState::*;
use lantu_core::plan::PlanState;
use lantu_store::testing::fresh_store;
use lantu_store::{Figures, ObservationQuery, RowProblem, StoreError};

fn figure(plan: i64, code: &str, p: &str) -> Figures {
    Figures::Figure {
        plan_id: plan,
        indicator: code.into(),
        period: period(p),
        geography: None,
    }
}

#[tokio::test]
async fn a_figure_under_review_gets_no_new_vintage_until_returned() {
    let store = fresh_store().await;
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    store
        .import_observations(
            plan,
            &[obs("t001", "2021", "24.2"), obs("t001", "2022", "24.3")],
            "hb",
            "a.csv",
            None,
        )
        .await
        .unwrap();
    let vintages = count(&store, "observations").await;
    for (to, actor) in [(Submitted, "hb"), (Approved, "stats")] {
        store
            .set_state(&figure(plan, "t001", "2022"), to, actor, None)
            .await
            .unwrap();
        // A new value is refused, whole: the draft 2021 figure is not
        // revised either.
        let err = store
            .import_observations(
                plan,
                &[obs("t001", "2021", "24.25"), obs("t001", "2022", "99")],
                "hb",
                "b.csv",
                None,
            )
            .await
            .unwrap_err();
        match &err {
            StoreError::UnderReview { rows, .. } => {
                assert_eq!(rows.len(), 1, "{err}");
                assert_eq!(rows[0].index, 1);
                assert_eq!(rows[0].problem, RowProblem::UnderReview(to));
            }
            other => panic!("expected UnderReview, got {other:?}"),
        }
        assert!(err.to_string().contains("under review"), "{err}");
        assert_eq!(count(&store, "observations").await, vintages);
        // The same value again writes nothing and is no error.
        let same = store
            .import_observations(plan, &[obs("t001", "2022", "24.30")], "hb", "c.csv", None)
            .await
            .unwrap();
        assert_eq!(same.unchanged, 1);
    }
    // The figure under review is still the one the reviewer sees.
    let latest = store.observations(plan, &ObservationQuery::default()).await.unwrap();
    let y2022 = latest.iter().find(|r| r.period == period("2022")).unwrap();
    assert_eq!((y2022.state, y2022.vintage), (Approved, 1));

    // Returned: a new vintage may follow.
    store
        .set_state(&figure(plan, "t001", "2022"), Draft, "stats", Some("请核实"))
        .await
        .unwrap();
    let r = store
        .import_observations(plan, &[obs("t001", "2022", "24.4")], "hb", "d.csv", None)
        .await
        .unwrap();
    assert_eq!(r.revised, 1);

    // Published figures may be corrected by a new vintage.
    store
        .set_state(&figure(plan, "t001", "2021"), Submitted, "hb", None)
        .await
        .unwrap();
    store
        .set_state(&figure(plan, "t001", "2021"), Approved, "stats", None)
        .await
        .unwrap();
    store
        .set_state(&figure(plan, "t001", "2021"), Published, "office", None)
        .await
        .unwrap();
    let r = store
        .import_observations(plan, &[obs("t001", "2021", "24.21")], "hb", "e.csv", Some("更正"))
        .await
        .unwrap();
    assert_eq!(r.revised, 1);
}

#[tokio::test]
async fn a_state_change_stays_inside_its_plan_and_department() {
    let store = fresh_store().await;
    let one = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    let two = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    for plan in [one, two] {
        store
            .import_observations(
                plan,
                &[obs("t001", "2022", "24.3"), obs("t003", "2022", "5")],
                "x",
                "a.csv",
                None,
            )
            .await
            .unwrap();
    }
    let of_one = store.observations(one, &ObservationQuery::default()).await.unwrap();
    let t001 = of_one.iter().find(|r| r.indicator == "t001").unwrap().id;
    let t003 = of_one.iter().find(|r| r.indicator == "t003").unwrap().id;

    // Plan 1's figure, named in plan 2 (same indicator code there).
    let err = store
        .set_state(
            &Figures::Ids {
                plan_id: two,
                department: None,
                ids: vec![t001],
            },
            Submitted,
            "hb",
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::NotInPlan { id, plan_id, belongs_to } if id == t001 && plan_id == two && belongs_to == one),
        "{err:?}"
    );
    assert!(err.to_string().contains(&format!("belongs to plan {one}")), "{err}");

    // Another department's figure, with one's own: none moves.
    let err = store
        .set_state(
            &Figures::Ids {
                plan_id: one,
                department: Some("hb".into()),
                ids: vec![t001, t003],
            },
            Submitted,
            "hb",
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::NotInDepartment { id, department, .. } if *id == t003 && department == "hb"),
        "{err:?}"
    );
    let after = store.observations(one, &ObservationQuery::default()).await.unwrap();
    assert!(after.iter().all(|r| r.state == Draft));

    // Its own, in its own plan: moved.
    let moved = store
        .set_state(
            &Figures::Ids {
                plan_id: one,
                department: Some("hb".into()),
                ids: vec![t001],
            },
            Submitted,
            "hb",
            None,
        )
        .await
        .unwrap();
    assert_eq!(moved, [t001]);
}

#[tokio::test]
async fn the_planner_decides_what_the_public_sees() {
    let store = fresh_store().await;
    let draft = store
        .import_plan(&sample_doc(PlanState::Draft), "planner")
        .await
        .unwrap();
    let adopted = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    // New plans are private, with no year released.
    for plan in [draft, adopted] {
        let p = store.publication(plan).await.unwrap();
        assert!(!p.public && p.released_years.is_empty() && !p.plan_public());
    }
    // A draft cannot be made public.
    let err = store.set_plan_public(draft, true, "planner").await.unwrap_err();
    assert!(matches!(err, StoreError::PlanNotAdopted(p) if p == draft), "{err:?}");

    let audit = count(&store, "audit_log").await;
    assert!(store.set_plan_public(adopted, true, "planner").await.unwrap());
    assert!(!store.set_plan_public(adopted, true, "planner").await.unwrap());
    assert!(store.set_year_released(adopted, 2022, true, "planner").await.unwrap());
    assert!(store.set_year_released(adopted, 2021, true, "planner").await.unwrap());
    assert!(!store.set_year_released(adopted, 2021, true, "planner").await.unwrap());
    let err = store
        .set_year_released(adopted, 2031, true, "planner")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::YearOutsidePlan { year: 2031, .. }), "{err:?}");
    let p = store.publication(adopted).await.unwrap();
    assert!(p.plan_public());
    assert_eq!(p.released_years.iter().copied().collect::<Vec<_>>(), [2021, 2022]);
    assert_eq!(p.default_year(), Some(2022));

    // The plan list carries the same decisions.
    let list = store.plans().await.unwrap();
    let line = list.iter().find(|l| l.id == adopted).unwrap();
    assert_eq!(line.publication(), p);
    assert!(!list.iter().find(|l| l.id == draft).unwrap().publication().plan_public());

    assert!(store.set_year_released(adopted, 2022, false, "planner").await.unwrap());
    assert!(store.set_plan_public(adopted, false, "planner").await.unwrap());
    let p = store.publication(adopted).await.unwrap();
    assert!(!p.plan_public());
    assert_eq!(p.released_years.iter().copied().collect::<Vec<_>>(), [2021]);

    // Each change is audited and the chain verifies.
    let log = store.audit_log(100).await.unwrap();
    assert_eq!(count(&store, "audit_log").await, audit + 5);
    let actions: Vec<&str> = log.iter().take(5).rev().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "publish_plan",
            "release_year",
            "release_year",
            "withdraw_year",
            "unpublish_plan"
        ]
    );
    assert!(store.audit_verify().await.unwrap().problems.is_empty());
}
