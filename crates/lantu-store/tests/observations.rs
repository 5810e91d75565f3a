//! Observations: idempotent imports, vintages, atomic failure, states, views.

mod common;

use common::*;
use lantu_core::observation::ObservationState::{self, *};
use lantu_core::plan::PlanState;
use lantu_store::testing::fresh_store;
use lantu_store::{Figures, ObservationQuery, RowProblem, StoreError, View};

/// These vintages of plan `plan`, for any department.
fn vintages(plan: i64, ids: impl Into<Vec<i64>>) -> Figures {
    Figures::Ids {
        plan_id: plan,
        department: None,
        ids: ids.into(),
    }
}

fn rows() -> Vec<lantu_core::observation::NewObservation> {
    vec![
        obs("t001", "2021", "24.2"),
        obs("t001", "2022", "24.35"),
        obs("t002", "2021", "38"),
        obs("t002", "2022Q4", "36.5"),
        obs("t002", "2022-12", "37"),
        obs_at("t002", "2022", "某镇", "41"),
        obs("t004", "2021", "1"),
    ]
}

#[tokio::test]
async fn importing_the_same_figures_twice_changes_nothing() {
    let store = fresh_store().await;
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    let first = store
        .import_observations(plan, &rows(), "dept", "2022.xlsx", Some("年度监测"))
        .await
        .unwrap();
    assert_eq!((first.inserted, first.revised, first.unchanged), (7, 0, 0));
    assert!(first.batch_id.is_some());
    let audit = count(&store, "audit_log").await;

    let again = store
        .import_observations(plan, &rows(), "dept", "2022.xlsx", Some("年度监测"))
        .await
        .unwrap();
    assert_eq!(
        (again.inserted, again.revised, again.unchanged, again.batch_id),
        (0, 0, 7, None)
    );
    // Nothing written at all: no vintage, no batch, no audit entry.
    assert_eq!(count(&store, "observations").await, 7);
    assert_eq!(count(&store, "observation_batches").await, 1);
    assert_eq!(count(&store, "audit_log").await, audit);

    // Values compare as numbers: 24.20 is 24.2.
    let same = store
        .import_observations(plan, &[obs("t001", "2021", "24.20")], "dept", "x.csv", None)
        .await
        .unwrap();
    assert_eq!((same.inserted, same.revised, same.unchanged), (0, 0, 1));
}

#[tokio::test]
async fn a_changed_value_becomes_a_new_vintage_with_who_when_and_why() {
    let store = fresh_store().await;
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    store
        .import_observations(plan, &rows(), "dept", "2022.xlsx", Some("年度监测"))
        .await
        .unwrap();
    let mut changed = rows();
    changed[1].value = dec("24.4");
    changed.push(obs("t001", "2023", "24.5"));
    let r = store
        .import_observations(plan, &changed, "stats", "2022-revised.xlsx", Some("统计年鉴修订"))
        .await
        .unwrap();
    assert_eq!((r.inserted, r.revised, r.unchanged), (1, 1, 6));

    let history = store
        .observation_history(plan, "t001", period("2022"), None)
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!((history[0].vintage, history[0].value), (1, dec("24.35")));
    assert_eq!((history[1].vintage, history[1].value), (2, dec("24.4")));
    assert_eq!(history[0].recorded_by, "dept");
    assert_eq!(history[1].recorded_by, "stats");
    assert_eq!(history[1].source_name, "2022-revised.xlsx");
    assert_eq!(history[1].reason.as_deref(), Some("统计年鉴修订"));
    assert_eq!(history[1].state, Draft);
    assert!(history[0].recorded_at <= history[1].recorded_at);
    assert!(history[1].recorded_at.ends_with('Z') && history[1].recorded_at.len() == 27);

    // The current figures show the newest vintage; the table only grew.
    let current = store
        .observations(
            plan,
            &ObservationQuery {
                indicator: Some("t001".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        current
            .iter()
            .map(|o| (o.period.to_string(), o.value))
            .collect::<Vec<_>>(),
        [
            ("2021".to_string(), dec("24.2")),
            ("2022".to_string(), dec("24.4")),
            ("2023".to_string(), dec("24.5")),
        ]
    );
    assert_eq!(count(&store, "observations").await, 9);
    let all = store
        .observations(
            plan,
            &ObservationQuery {
                view: View::AllVintages,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(all.len(), 9);

    // Changing it back is one more vintage, not a return to vintage 1.
    let back = store
        .import_observations(plan, &[obs("t001", "2022", "24.35")], "dept", "x.csv", None)
        .await
        .unwrap();
    assert_eq!(back.revised, 1);
    assert_eq!(
        store
            .observation_history(plan, "t001", period("2022"), None)
            .await
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn one_bad_row_writes_nothing_and_every_bad_row_is_reported() {
    let store = fresh_store().await;
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    store
        .import_observations(plan, &rows()[..2], "dept", "a.csv", None)
        .await
        .unwrap();
    let (obs_before, audit_before) = (count(&store, "observations").await, count(&store, "audit_log").await);

    let mut bad = rows();
    bad[1].indicator = "t999".into();
    bad[4].indicator = "森林".into();
    bad.push(obs("t002", "2021", "38.5")); // index 7 repeats index 2
    bad.push(obs("t001", "2024", "25")); // a good new row: not written either
    bad.push(obs_at("t003", "2021", "某\t镇", "4")); // index 9
    let err = store
        .import_observations(plan, &bad, "dept", "bad.csv", None)
        .await
        .unwrap_err();
    let StoreError::InvalidObservations { errors, total, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*total, 10);
    assert_eq!(errors.iter().map(|e| e.index).collect::<Vec<_>>(), [1, 4, 7, 9]);
    assert_eq!(errors[0].problem, RowProblem::UnknownIndicator);
    assert_eq!(errors[2].problem, RowProblem::Duplicate { first: 2 });
    assert_eq!(errors[3].problem, RowProblem::ControlCharacter);
    let msg = err.to_string();
    assert!(msg.contains("row index 1 (indicator `t999`, period 2022)"), "{msg}");
    assert!(msg.contains("row index 4 (indicator `森林`"), "{msg}");
    assert!(msg.contains("row index 7") && msg.contains("row index 2"), "{msg}");
    assert!(msg.contains("nothing was imported"), "{msg}");

    assert_eq!(count(&store, "observations").await, obs_before);
    assert_eq!(count(&store, "observation_batches").await, 1);
    assert_eq!(count(&store, "audit_log").await, audit_before);

    assert!(matches!(
        store.import_observations(999, &rows(), "dept", "a.csv", None).await,
        Err(StoreError::PlanNotFound(999))
    ));
    // A retired indicator takes no new figures.
    let mut doc = store.plan_doc(plan).await.unwrap();
    doc.indicators.retain(|i| i.code != "t004");
    store.apply_plan(plan, &doc, "planner").await.unwrap();
    let err = store
        .import_observations(plan, &[obs("t004", "2022", "2")], "dept", "a.csv", None)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidObservations { .. }), "{err:?}");
}

#[tokio::test]
async fn states_follow_the_review_workflow() {
    let store = fresh_store().await;
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    store
        .import_observations(plan, &rows(), "dept", "a.csv", None)
        .await
        .unwrap();
    let all = store.observations(plan, &ObservationQuery::default()).await.unwrap();
    let ids: Vec<i64> = all.iter().map(|o| o.id).collect();
    let figure = |ind: &str, p: &str| Figures::Figure {
        plan_id: plan,
        indicator: ind.into(),
        period: period(p),
        geography: None,
    };

    // A draft cannot be approved or published directly.
    let err = store
        .set_state(&vintages(plan, ids.clone()), Approved, "stats", None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Transition {
                from: Draft,
                to: Approved,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("is draft; it cannot move to approved"),
        "{err}"
    );
    assert!(store
        .set_state(&figure("t001", "2021"), Published, "x", None)
        .await
        .is_err());

    // Submit all; approve and publish one; a failing batch moves nothing.
    assert_eq!(
        store
            .set_state(&vintages(plan, ids.clone()), Submitted, "dept", None)
            .await
            .unwrap()
            .len(),
        7
    );
    let t001 = store
        .set_state(&figure("t001", "2021"), Approved, "stats", Some("核对无误"))
        .await
        .unwrap();
    assert_eq!(t001.len(), 1);
    store
        .set_state(&vintages(plan, t001.clone()), Published, "office", None)
        .await
        .unwrap();
    let err = store
        .set_state(&vintages(plan, ids.clone()), Approved, "stats", None)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Transition { from: Published, .. }), "{err:?}");
    let states = store.observations(plan, &ObservationQuery::default()).await.unwrap();
    assert_eq!(states.iter().filter(|o| o.state == Submitted).count(), 6);

    // Returned to draft with the reviewer's comment.
    store
        .set_state(&figure("t002", "2021"), Draft, "stats", Some("数据口径不一致"))
        .await
        .unwrap();
    let t002 = store
        .observation_history(plan, "t002", period("2021"), None)
        .await
        .unwrap();
    assert_eq!(t002[0].state, Draft);
    let moves = store.transitions(t002[0].id).await.unwrap();
    assert_eq!(
        moves.iter().map(|m| (m.from, m.to)).collect::<Vec<_>>(),
        [(Draft, Submitted), (Submitted, Draft)]
    );
    assert_eq!(moves[1].comment.as_deref(), Some("数据口径不一致"));
    assert_eq!(moves[1].actor, "stats");
    let moves = store.transitions(t001[0]).await.unwrap();
    assert_eq!(
        moves.iter().map(|m| m.to).collect::<Vec<_>>(),
        [Submitted, Approved, Published]
    );

    assert!(matches!(
        store
            .set_state(&vintages(plan, vec![987_654]), Submitted, "x", None)
            .await,
        Err(StoreError::ObservationNotFound(987_654))
    ));
    assert!(matches!(
        store.set_state(&figure("t001", "2030"), Submitted, "x", None).await,
        Err(StoreError::FigureNotFound { .. })
    ));
    // Every move is audited.
    let entries = store.audit_of("observation", t001[0]).await.unwrap();
    assert_eq!(entries.len(), 3);
    assert!(entries[1].after.as_deref().unwrap().contains("核对无误"));
}

#[tokio::test]
async fn views_for_the_office_the_evaluation_and_the_public() {
    let store = fresh_store().await;
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    store
        .import_observations(plan, &rows(), "dept", "a.csv", None)
        .await
        .unwrap();
    approve_all(&store, plan).await;
    store
        .set_state(
            &Figures::AllIn {
                plan_id: plan,
                state: Approved,
            },
            ObservationState::Published,
            "office",
            None,
        )
        .await
        .unwrap();
    // A revision under review: the public keeps seeing the published figure.
    store
        .import_observations(plan, &[obs("t001", "2022", "24.9")], "dept", "fix.csv", Some("更正"))
        .await
        .unwrap();
    let q = |view| ObservationQuery {
        view,
        indicator: Some("t001".into()),
        years: Some((2022, 2022)),
        ..Default::default()
    };
    let latest = store.observations(plan, &q(View::Latest)).await.unwrap();
    assert_eq!(
        (latest.len(), latest[0].value, latest[0].vintage, latest[0].state),
        (1, dec("24.9"), 2, Draft)
    );
    let public = store.observations(plan, &q(View::Published)).await.unwrap();
    assert_eq!((public.len(), public[0].value, public[0].vintage), (1, dec("24.35"), 1));
    let reviewed = store.observations(plan, &q(View::Reviewed)).await.unwrap();
    assert_eq!(reviewed[0].value, dec("24.35"));

    // By department (responsible): hb is responsible for t001 and t002.
    let hb = store
        .observations(
            plan,
            &ObservationQuery {
                department: Some("hb".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(hb.len(), 6);
    assert!(hb.iter().all(|o| o.indicator == "t001" || o.indicator == "t002"));
    // tj is co-responsible for t002, which does not make it the reporter;
    // it leads only t010, which has no figures.
    let tj = store
        .observations(
            plan,
            &ObservationQuery {
                department: Some("tj".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(tj.is_empty());

    // By place.
    let town = store
        .observations(
            plan,
            &ObservationQuery {
                geography: Some("某镇".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(town.len(), 1);
    assert_eq!(town[0].geography.as_deref(), Some("某镇"));
    let own = store
        .observations(
            plan,
            &ObservationQuery {
                geography: Some(String::new()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(own.len(), 6);
    // Ordered by indicator, then period (months before quarters before years).
    let t002: Vec<String> = own
        .iter()
        .filter(|o| o.indicator == "t002")
        .map(|o| o.period.to_string())
        .collect();
    assert_eq!(t002, ["2021", "2022-12", "2022Q4"]);
    let one = store.observation(own[0].id).await.unwrap();
    assert_eq!(one, own[0]);
}
