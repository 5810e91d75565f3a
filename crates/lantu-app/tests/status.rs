//! Status: the application's numbers are the engine's numbers on the same
//! inputs (figures stored through the store, judged by the one pipeline).

#[path = "../../lantu-store/tests/common/mod.rs"]
mod common;

use common::*;
use lantu_app::{rollups, App, Counted, StatusOptions};
use lantu_core::observation::NewObservation;
use lantu_core::plan::{PlanDoc, PlanState};
use lantu_core::progress::{assess, Assessment, Baseline, Observation, Status, TargetSpec, Tolerances};
use lantu_core::Attribute;
use lantu_store::testing::fresh_store;
use lantu_store::ApplyOptions;
use rust_decimal::Decimal;

/// The application on a test store.
fn app(store: &lantu_store::Store) -> App {
    App::new(store.clone())
}

/// Figures of every kind: yearly levels, monthly levels, a range, yearly
/// flows of a cumulative target, levels behind an annual-growth target;
/// plus a town's figure that must not count.
fn figures() -> Vec<NewObservation> {
    let mut v = vec![
        obs("t001", "2021", "24.2"),
        obs("t001", "2022", "24.3"),
        obs("t001", "2023", "24.35"),
        obs("t003", "2021", "4.0"),
        obs("t003", "2022", "4.3"),
        obs("t004", "2021", "1"),
        obs("t004", "2022", "2"),
        obs("t004", "2023", "1"),
        obs("t010", "2021", "1070"),
        obs("t010", "2022", "1120"),
        obs("t010", "2023", "1200"),
        obs_at("t001", "2023", "某镇", "10"),
    ];
    for y in 2021..=2023 {
        for m in 1..=12 {
            let value = Decimal::from(40) - Decimal::new(i64::from((y - 2021) * 12 + m), 1) * Decimal::new(15, 1);
            v.push(NewObservation {
                value,
                ..obs("t002", &format!("{y}-{m:02}"), "0")
            });
        }
    }
    v
}

/// The engine run by hand on the document's own values.
fn expected(doc: &PlanDoc, rows: &[NewObservation], year: i32, tol: &Tolerances) -> Vec<(String, Option<Assessment>)> {
    let mut out = Vec::new();
    for i in &doc.indicators {
        let obs: Vec<Observation> = rows
            .iter()
            .filter(|o| o.indicator == i.code && o.geography.is_none() && o.period.calendar_year() <= year)
            .map(|o| Observation {
                period: o.period,
                value: o.value,
            })
            .collect();
        let a = i.target.value.map(|value| {
            let spec = TargetSpec {
                measure: i.measure,
                comparator: i.target.comparator,
                value,
                value_max: i.target.value_max,
                unit: i.unit.clone(),
                year: i.target.year,
                binding: i.attribute == Attribute::Binding,
            };
            let baseline = i.baseline.as_ref().map(|b| Baseline {
                value: b.value,
                year: b.year,
            });
            assess(&spec, baseline.as_ref(), &obs, year, tol)
        });
        out.push((i.code.clone(), a));
    }
    out.sort_by_key(|(c, _)| c[1..].parse::<u32>().unwrap());
    out
}

#[tokio::test]
async fn status_equals_the_engine_on_the_same_inputs() {
    let store = fresh_store().await;
    let doc = sample_doc(PlanState::Adopted);
    let plan = store.import_plan(&doc, "planner").await.unwrap();
    store
        .import_observations(plan, &figures(), "dept", "data.csv", None)
        .await
        .unwrap();
    approve_all(&store, plan).await;
    // A draft revision (a correction of a published figure: an approved
    // one is locked) does not count until it is approved.
    store
        .set_state(
            &lantu_store::Figures::AllIn {
                plan_id: plan,
                state: lantu_core::observation::ObservationState::Approved,
            },
            lantu_core::observation::ObservationState::Published,
            "office",
            None,
        )
        .await
        .unwrap();
    store
        .import_observations(plan, &[obs("t001", "2023", "30")], "dept", "late.csv", None)
        .await
        .unwrap();

    for year in [2021, 2022, 2023, 2025] {
        let got = app(&store).status(plan, year, &StatusOptions::default()).await.unwrap();
        let want = expected(&doc, &figures(), year, &Tolerances::default());
        assert_eq!(got.len(), want.len());
        for (g, (code, a)) in got.iter().zip(&want) {
            assert_eq!(&g.code, code);
            assert_eq!(&g.assessment, a, "{code} in {year}");
        }
    }
    let s2023 = app(&store).status(plan, 2023, &StatusOptions::default()).await.unwrap();
    // The statuses are not all alike: the fixture exercises the engine.
    let kinds: std::collections::HashSet<Status> = s2023.iter().map(|s| s.status()).collect();
    assert!(kinds.len() >= 3, "{kinds:?}");
    let t001 = &s2023[0];
    assert_eq!(t001.code, "t001");
    assert_eq!(t001.latest.map(|o| o.value), Some(dec("24.35")));
    assert_eq!(t001.observations, 3);
    assert_eq!(t001.chapter.as_deref(), Some("c4"));
    assert_eq!(t001.node.as_deref(), Some("c4.s1"));
    assert_eq!(t001.departments, ["hb"]);
    assert_eq!(t001.target.version, 1);
    let t002 = s2023.iter().find(|s| s.code == "t002").unwrap();
    assert_eq!(t002.observations, 36);
    assert_eq!(t002.co_departments, ["tj"]);
    let t005 = s2023.iter().find(|s| s.code == "t005").unwrap();
    assert_eq!(t005.assessment, None);
    assert_eq!(t005.status(), Status::NotAssessable);

    // The office's preview counts the draft.
    let mut with_draft = figures();
    with_draft[2].value = dec("30");
    let preview = app(&store)
        .status(
            plan,
            2023,
            &StatusOptions {
                counted: Counted::All,
                tolerances: None,
            },
        )
        .await
        .unwrap();
    let want = expected(&doc, &with_draft, 2023, &Tolerances::default());
    for (g, (code, a)) in preview.iter().zip(&want) {
        assert_eq!(&g.assessment, a, "{code}");
    }
    assert_ne!(preview[0].assessment, s2023[0].assessment);

    // Once approved, the revision (vintage 2) replaces vintage 1.
    approve_all(&store, plan).await;
    let approved = app(&store).status(plan, 2023, &StatusOptions::default()).await.unwrap();
    assert_eq!(approved[0].latest.map(|o| o.value), Some(dec("30")));
    for (g, (code, a)) in approved.iter().zip(&want) {
        assert_eq!(&g.assessment, a, "{code}");
    }
}

#[tokio::test]
async fn each_year_is_judged_against_the_target_version_in_force() {
    let store = fresh_store().await;
    let doc = sample_doc(PlanState::Adopted);
    let plan = store.import_plan(&doc, "planner").await.unwrap();
    store
        .import_observations(plan, &figures(), "dept", "data.csv", None)
        .await
        .unwrap();
    approve_all(&store, plan).await;
    let mut adjusted = store.plan_doc(plan).await.unwrap();
    adjusted.indicators[0].target.value = Some(dec("24.3")); // t001, now already met
    adjusted.indicators[0].target.reason = Some("中期调整".into());
    store
        .apply_plan_with(
            plan,
            &adjusted,
            "planner",
            ApplyOptions {
                effective_year: Some(2023),
            },
        )
        .await
        .unwrap();

    let y2022 = app(&store).status(plan, 2022, &StatusOptions::default()).await.unwrap();
    assert_eq!(y2022[0].target.version, 1);
    assert_eq!(
        y2022[0].assessment,
        expected(&doc, &figures(), 2022, &Tolerances::default())[0].1
    );
    let y2023 = app(&store).status(plan, 2023, &StatusOptions::default()).await.unwrap();
    assert_eq!(y2023[0].target.version, 2);
    assert_eq!(y2023[0].target.target.value, Some(dec("24.3")));
    let mut doc2 = doc.clone();
    doc2.indicators[3].target.value = Some(dec("24.3")); // t001 in the unsorted fixture
    assert_eq!(doc2.indicators[3].code, "t001");
    assert_eq!(
        y2023[0].assessment,
        expected(&doc2, &figures(), 2023, &Tolerances::default())[0].1
    );
    assert_eq!(y2023[0].status(), Status::Achieved);
}

#[tokio::test]
async fn the_plan_tolerances_are_used_unless_overridden() {
    let store = fresh_store().await;
    let mut doc = sample_doc(PlanState::Adopted);
    doc.settings.ahead_ratio = dec("3");
    doc.settings.on_track_ratio = dec("0.2");
    let plan = store.import_plan(&doc, "planner").await.unwrap();
    store
        .import_observations(plan, &figures(), "dept", "data.csv", None)
        .await
        .unwrap();
    approve_all(&store, plan).await;
    let tol = doc.settings.tolerances();
    let got = app(&store).status(plan, 2023, &StatusOptions::default()).await.unwrap();
    for (g, (code, a)) in got.iter().zip(expected(&doc, &figures(), 2023, &tol)) {
        assert_eq!(g.assessment, a, "{code}");
    }
    let default = Tolerances::default();
    let over = app(&store)
        .status(
            plan,
            2023,
            &StatusOptions {
                counted: Counted::Reviewed,
                tolerances: Some(default),
            },
        )
        .await
        .unwrap();
    for (g, (code, a)) in over.iter().zip(expected(&doc, &figures(), 2023, &default)) {
        assert_eq!(g.assessment, a, "{code}");
    }
}

#[tokio::test]
async fn rollups_count_statuses_by_chapter_category_department_and_attribute() {
    let store = fresh_store().await;
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    store
        .import_observations(plan, &figures(), "dept", "data.csv", None)
        .await
        .unwrap();
    approve_all(&store, plan).await;
    let items = app(&store).status(plan, 2023, &StatusOptions::default()).await.unwrap();
    let r = rollups(&items);
    assert_eq!(r.total.total(), 6);
    for s in Status::ALL {
        assert_eq!(r.total.get(s), items.iter().filter(|i| i.status() == s).count());
    }
    // Chapters from the outline nodes: c2 (t010), c4 (t001, t002, t005), c5 (t003, t004).
    assert_eq!(r.by_chapter.keys().collect::<Vec<_>>(), ["c2", "c4", "c5"]);
    assert_eq!(r.by_chapter["c4"].total(), 3);
    assert_eq!(r.by_chapter["c5"].total(), 2);
    // A target counts once for each responsible department.
    assert_eq!(r.by_department["hb"].total(), 2);
    assert_eq!(r.by_department["fgw"].total(), 3);
    assert_eq!(r.by_department["tj"].total(), 1);
    assert_eq!(r.by_attribute["binding"].total(), 3);
    assert_eq!(r.by_attribute["expected"].total(), 3);
    assert_eq!(r.by_category["绿色生态"].total(), 3);
    let t001 = items.iter().find(|i| i.code == "t001").unwrap().status();
    assert!(r.by_chapter["c4"].get(t001) >= 1);
}
