//! The audit chain: clean after ordinary writes, and every kind of tampering
//! done behind the store's back (raw SQL) is found and located.

mod common;

use common::*;
use lantu_core::observation::ObservationState;
use lantu_core::plan::PlanState;
use lantu_store::testing::{fresh_store, TestStore};
use lantu_store::{AuditProblemKind, Figures};

/// A store with a plan, an import, an apply and some state changes.
async fn busy_store() -> (TestStore, i64) {
    let store = fresh_store().await;
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    store
        .import_observations(
            plan,
            &[obs("t001", "2021", "24.2"), obs("t001", "2022", "24.3")],
            "dept",
            "a.csv",
            None,
        )
        .await
        .unwrap();
    let mut doc = store.plan_doc(plan).await.unwrap();
    doc.indicators[1].name = "细颗粒物（PM2.5）年均浓度".into();
    store.apply_plan(plan, &doc, "planner").await.unwrap();
    // Submitted and returned: a figure under review gets no new value
    // until it is returned.
    let figure = Figures::Figure {
        plan_id: plan,
        indicator: "t001".into(),
        period: period("2022"),
        geography: None,
    };
    store
        .set_state(&figure, ObservationState::Submitted, "dept", None)
        .await
        .unwrap();
    store
        .set_state(&figure, ObservationState::Draft, "stats", Some("请核实"))
        .await
        .unwrap();
    store
        .import_observations(
            plan,
            &[obs("t001", "2022", "24.4"), obs("t002", "2022", "37")],
            "dept",
            "b.csv",
            Some("修订"),
        )
        .await
        .unwrap();
    (store, plan)
}

fn kinds(report: &lantu_store::AuditReport) -> Vec<(i64, AuditProblemKind)> {
    report.problems.iter().map(|p| (p.seq, p.kind)).collect()
}

#[tokio::test]
async fn every_write_is_audited_and_the_chain_verifies() {
    let (store, plan) = busy_store().await;
    let log = store.audit_log(100).await.unwrap();
    // import_plan, import, update_indicator, 2 × set_state, import.
    assert_eq!(log.len(), 6);
    assert_eq!(log.iter().map(|e| e.seq).collect::<Vec<_>>(), [6, 5, 4, 3, 2, 1]);
    assert_eq!(log[5].action, "import_plan");
    assert_eq!(log[5].entity_id, Some(plan));
    assert_eq!(log[5].prev_hash, "0".repeat(64));
    assert_eq!(log[3].action, "update_indicator");
    let before: serde_json::Value = serde_json::from_str(log[3].before.as_deref().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(log[3].after.as_deref().unwrap()).unwrap();
    assert_eq!(before["name"], "PM2.5年均浓度");
    assert_eq!(after["name"], "细颗粒物（PM2.5）年均浓度");
    assert_eq!(log[0].action, "import_observations");
    assert_eq!(log[0].actor, "dept");
    for pair in log.windows(2) {
        assert_eq!(pair[0].prev_hash, pair[1].hash);
    }
    assert_eq!(store.audit_log(2).await.unwrap().len(), 2);

    let report = store.audit_verify().await.unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!((report.entries, report.last_seq), (6, 6));
    assert_eq!(report.last_hash, log[0].hash);
}

#[tokio::test]
async fn an_edited_entry_is_found() {
    let (store, _) = busy_store().await;
    exec(&store, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3").await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(kinds(&report), [(3, AuditProblemKind::Edited)]);
    assert!(
        report.problems[0].message.contains("entry 3"),
        "{}",
        report.problems[0].message
    );
    assert!(report.problems[0].message.contains("mallory"));

    // Editing the JSON of another entry.
    exec(
        &store,
        "UPDATE audit_log SET after = REPLACE(after, 'b.csv', 'c.csv') WHERE seq = 6",
    )
    .await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(
        kinds(&report),
        [(3, AuditProblemKind::Edited), (6, AuditProblemKind::Edited)]
    );
}

#[tokio::test]
async fn a_deleted_entry_is_found() {
    let (store, _) = busy_store().await;
    exec(&store, "DELETE FROM audit_log WHERE seq = 4").await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(kinds(&report), [(5, AuditProblemKind::Missing)]);
    assert!(
        report.problems[0].message.contains("entry 4 is missing"),
        "{}",
        report.problems[0].message
    );

    // Deleting and renumbering so that seq has no gap still breaks the link.
    exec(&store, "UPDATE audit_log SET seq = -(seq - 1) WHERE seq > 4").await;
    exec(&store, "UPDATE audit_log SET seq = -seq WHERE seq < 0").await;
    let report = store.audit_verify().await.unwrap();
    let k = kinds(&report);
    assert!(k.contains(&(4, AuditProblemKind::BrokenLink)), "{k:?}");
    assert!(report
        .problems
        .iter()
        .any(|p| p.message.contains("inserted or deleted before it")));
}

#[tokio::test]
async fn an_inserted_entry_is_found() {
    let (store, _) = busy_store().await;
    let last = store.audit_log(1).await.unwrap().remove(0);
    // Appended at the end, chained to the last hash, with a made-up hash.
    exec(
        &store,
        &format!(
            "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash) \
             VALUES (7, '2024-01-01T00:00:00.000000Z', 'mallory', 'import_plan', 'plan', 1, NULL, NULL, '{}', '{}')",
            last.hash,
            "ab".repeat(32)
        ),
    )
    .await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(kinds(&report), [(7, AuditProblemKind::Edited)]);

    // Slipped into the middle: the entries after it are moved up by one.
    exec(&store, "DELETE FROM audit_log WHERE seq = 7").await;
    exec(&store, "UPDATE audit_log SET seq = -(seq + 1) WHERE seq >= 3").await;
    exec(&store, "UPDATE audit_log SET seq = -seq WHERE seq < 0").await;
    let second = store
        .audit_log(10)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.seq == 2)
        .unwrap();
    exec(
        &store,
        &format!(
            "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash) \
             VALUES (3, '2024-01-01T00:00:00.000000Z', 'mallory', 'update_plan', 'plan', 1, NULL, NULL, '{}', '{}')",
            second.hash,
            "cd".repeat(32)
        ),
    )
    .await;
    let report = store.audit_verify().await.unwrap();
    let k = kinds(&report);
    assert!(k.contains(&(3, AuditProblemKind::Edited)), "{k:?}");
    assert!(k.contains(&(4, AuditProblemKind::BrokenLink)), "{k:?}");
    assert!(!k.iter().any(|(seq, _)| *seq < 3), "{k:?}");
}

#[tokio::test]
async fn figures_changed_behind_the_store_are_found() {
    let (store, _) = busy_store().await;
    exec(&store, "UPDATE observations SET value = '25.9' WHERE period = '2021'").await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(kinds(&report), [(2, AuditProblemKind::DataChanged)]);
    assert!(
        report.problems[0].message.contains("contents differ"),
        "{}",
        report.problems[0].message
    );

    let (store, _) = busy_store().await;
    exec(&store, "DELETE FROM observation_transitions").await;
    exec(&store, "DELETE FROM observations WHERE value = '37'").await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(kinds(&report), [(6, AuditProblemKind::DataChanged)]);

    let (store, plan) = busy_store().await;
    exec(
        &store,
        &format!(
            "INSERT INTO observation_batches (id, plan_id, actor, at, source_name, inserted, revised, unchanged) \
             VALUES (99, {plan}, 'mallory', '2024-01-01T00:00:00.000000Z', 'x', 1, 0, 0)"
        ),
    )
    .await;
    exec(
        &store,
        "INSERT INTO observations (indicator_id, period, year, geography, vintage, value, batch_id) \
         SELECT id, '2023', 2023, '', 1, '1', 99 FROM indicators WHERE code = 't003'",
    )
    .await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(kinds(&report), [(0, AuditProblemKind::Unaudited)]);
    assert!(report.problems[0].message.contains("batch 99"));
}
