//! Review chains as data: a plan of one level and a plan of three levels
//! (部门初审 → 统计局审核 → 发改委确认) run through the application's use
//! cases on the store (SQLite, or PostgreSQL with LANTU_TEST_DATABASE_URL):
//! approval through every level, a return with its reason at level 2, a
//! take-back before the next level acted and a refused one after, the lock
//! while in the chain, publication only after the last level, and the
//! audit log covering every step (and catching an edit of the new tables).

#[path = "../../lantu-store/tests/common/mod.rs"]
mod common;

use common::*;
use lantu_app::{App, AppError, User};
use lantu_core::account::Role;
use lantu_core::observation::ObservationState;
use lantu_core::plan::PlanState;
use lantu_core::policy::{Level, Step};
use lantu_store::testing::fresh_store;
use lantu_store::{AuditProblemKind, NewUser, Store, StoreError};

async fn user(store: &Store, name: &str, role: Role, department: Option<&str>) -> User {
    store
        .add_user(
            &NewUser {
                username: name.into(),
                display_name: format!("{name} 的单位"),
                role,
                department: department.map(str::to_string),
                password_hash: "x".into(),
            },
            "test",
        )
        .await
        .unwrap()
}

fn level(name: &str, role: Role) -> Level {
    Level {
        name: name.into(),
        role,
        department: None,
    }
}

/// A plan with one draft figure of 森林覆盖率 (t001, led by hb) in 2023,
/// submitted; returns (plan, observation id).
async fn submitted(store: &Store) -> (i64, i64) {
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "test")
        .await
        .unwrap();
    store
        .import_observations(plan, &[obs("t001", "2022", "24.2")], "test", "a.csv", None)
        .await
        .unwrap();
    approve_all(store, plan).await;
    store
        .import_observations(plan, &[obs("t001", "2023", "24.3")], "hb", "b.csv", None)
        .await
        .unwrap();
    let id = latest(store, plan, "2023").await.id;
    store
        .set_state(
            &lantu_store::Figures::Ids {
                plan_id: plan,
                department: None,
                ids: vec![id],
            },
            ObservationState::Submitted,
            "hb",
            None,
        )
        .await
        .unwrap();
    (plan, id)
}

async fn latest(store: &Store, plan: i64, p: &str) -> lantu_app::ObservationRecord {
    store
        .observation_history(plan, "t001", period(p), None)
        .await
        .unwrap()
        .pop()
        .unwrap()
}

fn stage(r: &lantu_app::ObservationRecord) -> (ObservationState, usize) {
    (r.state, r.passed)
}

async fn clean(store: &Store) {
    let report = store.audit_verify().await.unwrap();
    assert!(report.is_clean(), "{:#?}", report.problems);
}

#[tokio::test]
async fn a_one_level_chain() {
    let store = fresh_store().await;
    let app = App::new(store.store().clone());
    let (plan, id) = submitted(&store).await;
    let reviewer = user(&store, "rv", Role::Reviewer, None).await;
    let reporter = user(&store, "hb", Role::Reporter, Some("hb")).await;
    assert_eq!(app.policy(plan).await.unwrap().levels().len(), 1);

    // The reporter cannot approve; the reviewer approves in one step.
    assert!(matches!(
        app.review_step(plan, &reporter, &[id], Step::Approve, None).await,
        Err(AppError::Forbidden(_))
    ));
    app.review_step(plan, &reviewer, &[id], Step::Approve, None)
        .await
        .unwrap();
    assert_eq!(
        stage(&latest(&store, plan, "2023").await),
        (ObservationState::Approved, 0)
    );
    // Taken back before publication, approved again, published.
    app.review_step(plan, &reviewer, &[id], Step::TakeBack, None)
        .await
        .unwrap();
    assert_eq!(
        stage(&latest(&store, plan, "2023").await),
        (ObservationState::Submitted, 0)
    );
    app.review_step(plan, &reviewer, &[id], Step::Approve, None)
        .await
        .unwrap();
    app.publish_approved(plan, &reviewer).await.unwrap();
    assert_eq!(latest(&store, plan, "2023").await.state, ObservationState::Published);
    // Published: nothing more to take back.
    assert!(app
        .review_step(plan, &reviewer, &[id], Step::TakeBack, None)
        .await
        .is_err());
    clean(&store).await;
}

#[tokio::test]
async fn a_three_level_chain() {
    let store = fresh_store().await;
    let app = App::new(store.store().clone());
    let (plan, id) = submitted(&store).await;
    let planner = user(&store, "pl", Role::Planner, None).await;
    let reviewer = user(&store, "rv", Role::Reviewer, None).await;
    let hb = user(&store, "hbsh", Role::DepartmentApprover, Some("hb")).await;
    let wj = user(&store, "wjsh", Role::DepartmentApprover, Some("wj")).await;
    let reporter = user(&store, "hb", Role::Reporter, Some("hb")).await;

    // The chain is data: set by the planner, refused to a reviewer.
    let chain = vec![
        level("部门初审", Role::DepartmentApprover),
        level("统计局审核", Role::Reviewer),
        level("发改委确认", Role::Planner),
    ];
    assert!(app.set_review_levels(plan, &reviewer, chain.clone()).await.is_err());
    assert!(app.set_review_levels(plan, &planner, chain.clone()).await.unwrap());
    assert_eq!(store.plan_doc(plan).await.unwrap().settings.review_levels, chain);
    // The store refuses to skip levels.
    assert!(matches!(
        store
            .set_state(
                &lantu_store::Figures::Ids {
                    plan_id: plan,
                    department: None,
                    ids: vec![id],
                },
                ObservationState::Approved,
                "rv",
                None,
            )
            .await,
        Err(StoreError::ChainRequired { levels: 3, .. })
    ));

    // Level 1: another department's approver may not; its own may.
    assert!(app.review_step(plan, &wj, &[id], Step::Approve, None).await.is_err());
    assert!(app
        .review_step(plan, &reviewer, &[id], Step::Approve, None)
        .await
        .is_err());
    app.review_step(plan, &hb, &[id], Step::Approve, None).await.unwrap();
    assert_eq!(
        stage(&latest(&store, plan, "2023").await),
        (ObservationState::Submitted, 1)
    );
    // Locked while in the chain.
    let err = store
        .import_observations(plan, &[obs("t001", "2023", "99")], "hb", "c.csv", None)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::UnderReview { .. }), "{err}");

    // Level 1 takes back its approval before level 2 acted, approves again.
    app.review_step(plan, &hb, &[id], Step::TakeBack, None).await.unwrap();
    assert_eq!(
        stage(&latest(&store, plan, "2023").await),
        (ObservationState::Submitted, 0)
    );
    app.review_step(plan, &hb, &[id], Step::Approve, None).await.unwrap();

    // Level 2 returns it: a reason is required.
    let err = app
        .review_step(plan, &reviewer, &[id], Step::Return, Some("  "))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("退回时请填写意见"), "{err}");
    app.review_step(plan, &reviewer, &[id], Step::Return, Some("与上年口径不一致"))
        .await
        .unwrap();
    assert_eq!(stage(&latest(&store, plan, "2023").await), (ObservationState::Draft, 0));
    let history = store.transitions(id).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.to, last.comment.as_deref(), last.actor.as_str()),
        (ObservationState::Draft, Some("与上年口径不一致"), "rv")
    );
    let steps = store.chain_steps(id).await.unwrap();
    let step = steps.last().unwrap().as_ref().unwrap();
    assert_eq!((step.step, step.level_name.as_str()), (Step::Return, "统计局审核"));

    // Corrected and submitted again; through every level.
    store
        .import_observations(plan, &[obs("t001", "2023", "24.32")], "hb", "d.csv", Some("更正"))
        .await
        .unwrap();
    let id = latest(&store, plan, "2023").await.id;
    store
        .set_state(
            &lantu_store::Figures::Ids {
                plan_id: plan,
                department: Some("hb".into()),
                ids: vec![id],
            },
            ObservationState::Submitted,
            "hb",
            None,
        )
        .await
        .unwrap();
    assert!(app
        .review_step(plan, &reporter, &[id], Step::Approve, None)
        .await
        .is_err());
    app.review_step(plan, &hb, &[id], Step::Approve, None).await.unwrap();
    app.review_step(plan, &reviewer, &[id], Step::Approve, None)
        .await
        .unwrap();
    assert_eq!(
        stage(&latest(&store, plan, "2023").await),
        (ObservationState::Submitted, 2)
    );
    // Level 2 has acted: level 1 can no longer take back.
    assert!(matches!(
        app.review_step(plan, &hb, &[id], Step::TakeBack, None).await,
        Err(AppError::Forbidden(_))
    ));
    // Not publishable before the last level.
    assert!(!app.publish_approved(plan, &reviewer).await.unwrap().contains(&id));
    assert_eq!(latest(&store, plan, "2023").await.state, ObservationState::Submitted);
    // The chain cannot be cut below the level a figure stands at.
    assert!(matches!(
        app.set_review_levels(plan, &planner, chain[..2].to_vec()).await,
        Err(AppError::Store(StoreError::ChainInUse { .. }))
    ));
    app.review_step(plan, &planner, &[id], Step::Approve, None)
        .await
        .unwrap();
    assert_eq!(
        stage(&latest(&store, plan, "2023").await),
        (ObservationState::Approved, 0)
    );
    assert_eq!(app.publish_approved(plan, &reviewer).await.unwrap(), vec![id]);
    assert_eq!(latest(&store, plan, "2023").await.state, ObservationState::Published);

    // The review queue names bodies, not logins, in the history.
    clean(&store).await;

    // An edit of the new tables behind the store's back is found.
    exec(
        &store,
        "UPDATE transition_levels SET level_name = '伪造' WHERE step = 'return'",
    )
    .await;
    let report = store.audit_verify().await.unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.kind == AuditProblemKind::RowChanged && p.table.as_deref() == Some("transition_levels")),
        "{:#?}",
        report.problems
    );
    exec(
        &store,
        "UPDATE transition_levels SET level_name = '统计局审核' WHERE step = 'return'",
    )
    .await;
    clean(&store).await;
    exec(
        &store,
        "UPDATE plan_review_levels SET role = 'reporter' WHERE position = 0",
    )
    .await;
    let report = store.audit_verify().await.unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.table.as_deref() == Some("plan_review_levels")),
        "{:#?}",
        report.problems
    );
}

#[tokio::test]
async fn the_review_queue_gives_each_figure_its_context() {
    let store = fresh_store().await;
    let app = App::new(store.store().clone());
    let (plan, id) = submitted(&store).await;
    let reviewer = user(&store, "rv", Role::Reviewer, None).await;
    let q = app.review_queue(plan, &reviewer, Some(2023)).await.unwrap();
    assert_eq!(q.waiting.len(), 1, "{q:#?}");
    let item = &q.waiting[0];
    assert_eq!(item.id, id);
    let prev = item.previous.as_ref().expect("the 2022 figure");
    assert_eq!((prev.value, prev.change), (dec("24.2"), dec("0.1")));
    assert_eq!(prev.change_pct, Some(dec("0.4")));
    assert_eq!(item.target.value, Some(dec("24.50")));
    // Baseline 24.1 (2020) to 24.5 (2025): 24.1 + 0.4 × 3/5 = 24.34 in 2023.
    assert_eq!(item.schedule, Some(dec("24.34")));
    assert_eq!(item.deviation, Some(dec("-0.04")));
    assert!(item.assessment.is_some());
    assert_eq!(item.steps, vec![Step::Approve, Step::Return]);
    // The history names the body that entered it (the account's display
    // name), not the login.
    assert!(item.history.iter().all(|v| !v.entered_by.is_empty()));
    app.review_step(plan, &reviewer, &[id], Step::Approve, None)
        .await
        .unwrap();
    let q = app.review_queue(plan, &reviewer, Some(2023)).await.unwrap();
    assert!(q.waiting.is_empty());
    let events = &q.approved[0].history.last().unwrap().events;
    assert_eq!(events.last().unwrap().by, "rv 的单位");
    assert_eq!(q.approved[0].steps, vec![Step::Return, Step::TakeBack]);
}
