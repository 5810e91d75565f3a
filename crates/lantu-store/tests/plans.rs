//! Plans: migrations, import/export/apply round trips, target versions.

mod common;

use common::*;
use lantu_core::plan::{DepartmentDoc, PlanState};
use lantu_store::testing::fresh_store;
use lantu_store::{ApplyOptions, Change, Store, StoreError};

#[tokio::test]
async fn opening_and_migrating_twice_is_harmless() {
    let store = fresh_store().await;
    let id = store
        .import_plan(&sample_doc(PlanState::Draft), "planner")
        .await
        .unwrap();
    // A second store on the same database runs the migrator again.
    let again = Store::open(store.url()).await.unwrap();
    assert_eq!(again.backend(), store.backend());
    assert_eq!(count(&again, "_sqlx_migrations").await, 3, "one row per migration");
    assert_eq!(again.plans().await.unwrap().len(), 1);
    assert_eq!(again.plan_doc(id).await.unwrap(), store.plan_doc(id).await.unwrap());
    again.close().await;
    let third = Store::open(store.url()).await.unwrap();
    assert_eq!(count(&third, "_sqlx_migrations").await, 3);
    third.close().await;
}

#[tokio::test]
async fn import_export_apply_export_is_identical() {
    let store = fresh_store().await;
    let doc = sample_doc(PlanState::Draft);
    let id = store.import_plan(&doc, "planner").await.unwrap();
    let first = store.plan_doc(id).await.unwrap();
    // The export is the document in code order with its id; decimals keep
    // their digits (24.50 stays 24.50).
    assert_eq!(first, sorted(doc, id));
    let t001 = first.indicators.iter().find(|i| i.code == "t001").unwrap();
    assert_eq!(t001.target.value.unwrap().to_string(), "24.50");
    assert_eq!(
        first.indicators.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(),
        ["t001", "t002", "t003", "t004", "t005", "t010"]
    );
    // Departments of an indicator keep their order (lead department first).
    let t010 = first.indicators.iter().find(|i| i.code == "t010").unwrap();
    assert_eq!(t010.departments, ["fgw", "tj"]);

    let report = store.apply_plan(id, &first, "planner").await.unwrap();
    assert!(report.is_empty(), "{report:?}");
    let second = store.plan_doc(id).await.unwrap();
    assert_eq!(second, first);
    assert_eq!(
        serde_json::to_string_pretty(&second).unwrap(),
        serde_json::to_string_pretty(&first).unwrap()
    );

    // The same for an adopted plan with an adjusted target.
    let mut adopted = second.clone();
    adopted.plan.state = PlanState::Adopted;
    store.apply_plan(id, &adopted, "planner").await.unwrap();
    let mut adjusted = store.plan_doc(id).await.unwrap();
    adjusted.indicators[0].target.value = Some(dec("25"));
    adjusted.indicators[0].target.reason = Some("中期评估调整".into());
    let r = store
        .apply_plan_with(
            id,
            &adjusted,
            "planner",
            ApplyOptions {
                effective_year: Some(2023),
            },
        )
        .await
        .unwrap();
    assert_eq!(r.target_versions_added, ["t001"]);
    let third = store.plan_doc(id).await.unwrap();
    assert_eq!(third, adjusted);
    assert!(store.apply_plan(id, &third, "planner").await.unwrap().is_empty());
    let fourth = store.plan_doc(id).await.unwrap();
    assert_eq!(
        serde_json::to_string(&fourth).unwrap(),
        serde_json::to_string(&third).unwrap()
    );
}

#[tokio::test]
async fn apply_updates_definitions_in_place_and_retires_what_is_gone() {
    let store = fresh_store().await;
    let id = store
        .import_plan(&sample_doc(PlanState::Draft), "planner")
        .await
        .unwrap();
    let mut doc = store.plan_doc(id).await.unwrap();
    doc.indicators[0].name = "森林覆盖率（修订）".into();
    doc.indicators[0].departments = vec!["tj".into(), "hb".into()];
    let removed = doc.indicators.remove(1); // t002
    let mut new = doc.indicators[0].clone();
    new.code = "t020".into();
    doc.indicators.push(new);
    doc.departments.push(DepartmentDoc {
        code: "jy".into(),
        name: "教育局".into(),
    });
    doc.tasks[0].title = "新的标题".into();
    doc.projects.pop(); // p2
    let report = store.apply_plan(id, &doc, "planner").await.unwrap();
    let has = |list: &[Change], e: &str, c: &str| list.iter().any(|x| x.entity == e && x.code == c);
    assert!(has(&report.changed, "indicator", "t001"), "{report:?}");
    assert!(has(&report.added, "indicator", "t020"));
    assert!(has(&report.added, "department", "jy"));
    assert!(has(&report.removed, "indicator", "t002"));
    assert!(has(&report.changed, "task", "k1"));
    assert!(has(&report.removed, "project", "p2"));
    assert_eq!(
        report.added.len() + report.changed.len() + report.removed.len(),
        6,
        "{report:?}"
    );
    assert!(report.target_versions_added.is_empty());

    let after = store.plan_doc(id).await.unwrap();
    assert_eq!(
        after.indicators.iter().find(|i| i.code == "t001").unwrap().departments,
        ["tj", "hb"]
    );
    assert!(!after.indicators.iter().any(|i| i.code == "t002"));
    assert_eq!(store.plans().await.unwrap()[0].indicators, 6);

    // A retired indicator comes back with its code.
    let mut back = after.clone();
    back.indicators.push(removed.clone());
    let report = store.apply_plan(id, &back, "planner").await.unwrap();
    assert!(has(&report.added, "indicator", "t002"), "{report:?}");
    let restored = store.plan_doc(id).await.unwrap();
    assert_eq!(restored.indicators.iter().find(|i| i.code == "t002").unwrap(), &removed);

    // The audit log names each kind of change.
    let actions: Vec<String> = store
        .audit_log(100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.action, e.entity))
        .collect();
    for a in [
        "update_indicator indicator",
        "add_indicator indicator",
        "add_department department",
        "retire_indicator indicator",
        "update_task task",
        "retire_project project",
        "restore_indicator indicator",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

#[tokio::test]
async fn a_changed_target_of_an_adopted_plan_is_a_new_version_in_force_from_its_year() {
    let store = fresh_store().await;
    let id = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    let mut doc = store.plan_doc(id).await.unwrap();
    doc.indicators[0].target.value = Some(dec("25")); // t001
    doc.indicators[1].target.value = Some(dec("33")); // t002
                                                      // Without a reason: refused, naming both indicators, nothing written.
    let audit_before = count(&store, "audit_log").await;
    let err = store.apply_plan(id, &doc, "planner").await.unwrap_err();
    match &err {
        StoreError::ReasonRequired { codes, .. } => assert_eq!(codes, &["t001", "t002"]),
        e => panic!("{e:?}"),
    }
    assert!(
        err.to_string().contains("`t001`") && err.to_string().contains("`t002`"),
        "{err}"
    );
    assert_eq!(count(&store, "audit_log").await, audit_before);
    assert_eq!(store.target_versions(id, "t001").await.unwrap().len(), 1);

    doc.indicators[0].target.reason = Some("中期评估：上级下达目标提高".into());
    doc.indicators[1].target.reason = Some("中期评估：标准收紧".into());
    let report = store
        .apply_plan_with(
            id,
            &doc,
            "planner",
            ApplyOptions {
                effective_year: Some(2023),
            },
        )
        .await
        .unwrap();
    assert_eq!(report.target_versions_added, ["t001", "t002"]);

    let versions = store.target_versions(id, "t001").await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].version, 1);
    assert_eq!(versions[0].target.value, Some(dec("24.50")));
    assert_eq!(versions[0].effective_year, 2021);
    assert_eq!(versions[1].version, 2);
    assert_eq!(versions[1].target.value, Some(dec("25")));
    assert_eq!(versions[1].effective_year, 2023);
    assert_eq!(versions[1].created_by, "planner");
    assert_eq!(versions[1].target.reason.as_deref(), Some("中期评估：上级下达目标提高"));

    // Each evaluation year uses the version in force.
    assert_eq!(store.target_in_force(id, "t001", 2020).await.unwrap().version, 1);
    assert_eq!(store.target_in_force(id, "t001", 2022).await.unwrap().version, 1);
    assert_eq!(store.target_in_force(id, "t001", 2023).await.unwrap().version, 2);
    assert_eq!(store.target_in_force(id, "t001", 2025).await.unwrap().version, 2);
    let at_2022 = store.plan_doc_at(id, 2022).await.unwrap();
    assert_eq!(at_2022.indicators[0].target.value, Some(dec("24.50")));
    let at_2024 = store.plan_doc_at(id, 2024).await.unwrap();
    assert_eq!(at_2024.indicators[0].target.value, Some(dec("25")));
    assert_eq!(
        store.plan_doc(id).await.unwrap().indicators[1].target.value,
        Some(dec("33"))
    );

    // Changing it again with the reason of the version in force is refused:
    // the reason must say why this change was made.
    let mut again = store.plan_doc(id).await.unwrap();
    again.indicators[0].target.value = Some(dec("25.5"));
    assert!(matches!(
        store.apply_plan(id, &again, "planner").await,
        Err(StoreError::ReasonRequired { .. })
    ));
    // Correcting only the wording of the reason is not a new version.
    let mut wording = store.plan_doc(id).await.unwrap();
    wording.indicators[0].target.reason = Some("中期评估：上级下达的目标提高".into());
    let report = store.apply_plan(id, &wording, "planner").await.unwrap();
    assert!(report.target_versions_added.is_empty());
    assert_eq!(store.target_versions(id, "t001").await.unwrap().len(), 2);
    assert_eq!(
        store.target_in_force(id, "t001", 2024).await.unwrap().target.reason,
        wording.indicators[0].target.reason
    );

    assert!(matches!(
        store.target_in_force(id, "t999", 2024).await,
        Err(StoreError::IndicatorNotFound { .. })
    ));
}

#[tokio::test]
async fn a_changed_target_of_a_draft_plan_replaces_the_draft() {
    let store = fresh_store().await;
    let id = store
        .import_plan(&sample_doc(PlanState::Draft), "planner")
        .await
        .unwrap();
    let mut doc = store.plan_doc(id).await.unwrap();
    doc.indicators[0].target.value = Some(dec("26"));
    let report = store.apply_plan(id, &doc, "planner").await.unwrap();
    assert!(report.target_versions_added.is_empty());
    assert_eq!(
        report.changed,
        [Change {
            entity: "indicator".into(),
            code: "t001".into()
        }]
    );
    let versions = store.target_versions(id, "t001").await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].target.value, Some(dec("26")));

    // Adopting the plan with changed targets adopts the new targets as
    // they are (the stored state decides).
    doc.plan.state = PlanState::Adopted;
    doc.indicators[0].target.value = Some(dec("27"));
    store.apply_plan(id, &doc, "planner").await.unwrap();
    assert_eq!(store.target_versions(id, "t001").await.unwrap().len(), 1);
    assert_eq!(store.plans().await.unwrap()[0].state, PlanState::Adopted);
}

#[tokio::test]
async fn bad_documents_are_refused_with_what_and_where() {
    let store = fresh_store().await;
    let id = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    let doc = store.plan_doc(id).await.unwrap();

    let err = store.apply_plan(id + 1, &doc, "planner").await.unwrap_err();
    assert!(matches!(err, StoreError::PlanIdMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains(&format!("plan {id}")), "{err}");

    let mut missing = doc.clone();
    missing.plan.id = None;
    assert!(matches!(
        store.apply_plan(999, &missing, "planner").await,
        Err(StoreError::PlanNotFound(999))
    ));

    let mut draft = doc.clone();
    draft.plan.state = PlanState::Draft;
    assert!(matches!(
        store.apply_plan(id, &draft, "planner").await,
        Err(StoreError::PlanState { .. })
    ));

    let mut dup = doc.clone();
    dup.indicators.push(dup.indicators[0].clone());
    let err = store.apply_plan(id, &dup, "planner").await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidPlan(_)), "{err:?}");

    let mut unknown = doc.clone();
    unknown.projects[0].departments = vec!["nope".into()];
    let err = store.import_plan(&unknown, "planner").await.unwrap_err();
    assert!(
        format!("{err} {:?}", std::error::Error::source(&err)).contains("nope"),
        "{err:?}"
    );
    assert_eq!(store.plans().await.unwrap().len(), 1);

    assert!(matches!(store.plan_doc(77).await, Err(StoreError::PlanNotFound(77))));
}

#[tokio::test]
async fn plan_list_summarises_each_plan() {
    let store = fresh_store().await;
    assert!(store.plans().await.unwrap().is_empty());
    let a = store
        .import_plan(&sample_doc(PlanState::Draft), "planner")
        .await
        .unwrap();
    let mut other = sample_doc(PlanState::Adopted);
    other.plan.name = "另一个规划".into();
    other.indicators.truncate(2);
    let b = store.import_plan(&other, "planner").await.unwrap();
    store
        .import_observations(
            a,
            &[obs("t001", "2021", "24.2"), obs("t001", "2022", "24.3")],
            "dept",
            "a.csv",
            None,
        )
        .await
        .unwrap();
    let plans = store.plans().await.unwrap();
    assert_eq!(plans.iter().map(|p| p.id).collect::<Vec<_>>(), [a, b]);
    assert_eq!(
        (plans[0].indicators, plans[0].targets, plans[0].observations),
        (6, 5, 2)
    );
    assert_eq!(
        (plans[1].indicators, plans[1].targets, plans[1].observations),
        (2, 2, 0)
    );
    assert_eq!(plans[1].name, "另一个规划");
    assert_eq!(plans[1].state, PlanState::Adopted);
    assert_eq!((plans[0].start_year, plans[0].end_year), (2021, 2025));
}
