//! The audit log: clean after ordinary writes; every kind of tampering done
//! behind the store's back (raw SQL) — on the chain or on the content of an
//! audited table — is found and located; an anchor kept outside the
//! database reveals a rewritten or truncated chain.

mod common;

use common::*;
use lantu_core::account::Role;
use lantu_core::observation::ObservationState;
use lantu_core::plan::PlanState;
use lantu_store::testing::{fresh_store, rechain, TestStore};
use lantu_store::{AuditProblemKind, AuditReport, Figures, NewUser, Store, UserUpdate, BASELINE_ACTION};

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
    submit_drafts(&store, plan).await;
    // A figure under review gets no new vintage, so the second import
    // brings a new year and a new indicator.
    store
        .import_observations(
            plan,
            &[obs("t001", "2023", "24.4"), obs("t002", "2022", "37")],
            "dept",
            "b.csv",
            Some("修订"),
        )
        .await
        .unwrap();
    (store, plan)
}

async fn submit_drafts(store: &Store, plan: i64) {
    store
        .set_state(
            &Figures::AllIn {
                plan_id: plan,
                state: ObservationState::Draft,
            },
            ObservationState::Submitted,
            "dept",
            None,
        )
        .await
        .unwrap();
}

async fn add_reporter(store: &Store) -> i64 {
    store
        .add_user(
            &NewUser {
                username: "li".into(),
                display_name: "李".into(),
                role: Role::Reporter,
                department: Some("fgw".into()),
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            },
            "admin",
        )
        .await
        .unwrap()
        .id
}

fn kinds(report: &AuditReport) -> Vec<(i64, AuditProblemKind)> {
    report.problems.iter().map(|p| (p.seq, p.kind)).collect()
}

/// The problems about the chain itself (not about rows or records).
fn chain_kinds(report: &AuditReport) -> Vec<(i64, AuditProblemKind)> {
    use AuditProblemKind::*;
    kinds(report)
        .into_iter()
        .filter(|(_, k)| matches!(k, Edited | Missing | BrokenLink))
        .collect()
}

/// The one problem of `report`, which must be about a row of `table`
/// whose `columns` differ.
fn one_row_problem(report: &AuditReport, kind: AuditProblemKind, table: &str, columns: &[&str]) -> String {
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    let p = &report.problems[0];
    assert_eq!(p.kind, kind, "{p:?}");
    assert_eq!(p.table.as_deref(), Some(table), "{p:?}");
    assert_eq!(p.columns, columns, "{p:?}");
    p.message.clone()
}

async fn clean(store: &Store) -> AuditReport {
    let report = store.audit_verify().await.unwrap();
    assert!(report.is_clean(), "{:#?}", report.problems);
    report
}

#[tokio::test]
async fn every_write_is_audited_and_the_chain_verifies() {
    let (store, plan) = busy_store().await;
    let log = store.audit_log(100).await.unwrap();
    // baseline, import_plan, import, update_indicator, 2 × set_state, import.
    assert_eq!(log.len(), 7);
    assert_eq!(log.iter().map(|e| e.seq).collect::<Vec<_>>(), [7, 6, 5, 4, 3, 2, 1]);
    // A fresh database starts with an empty baseline of every table.
    assert_eq!(log[6].action, BASELINE_ACTION);
    assert_eq!(log[6].prev_hash, "0".repeat(64));
    assert_eq!(log[5].action, "import_plan");
    assert_eq!(log[5].entity_id, Some(plan));
    assert!(log[5].rows_digest.is_some());
    assert_eq!(log[3].action, "update_indicator");
    let before: serde_json::Value = serde_json::from_str(log[3].before.as_deref().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(log[3].after.as_deref().unwrap()).unwrap();
    assert_eq!(before["name"], "PM2.5年均浓度");
    assert_eq!(after["name"], "细颗粒物（PM2.5）年均浓度");
    assert_eq!(log[0].action, "import_observations");
    assert_eq!(log[0].actor, "dept");
    // The row records of a transaction go with its last entry.
    assert!(log[2].rows_digest.is_none() && log[1].rows_digest.is_some());
    for pair in log.windows(2) {
        assert_eq!(pair[0].prev_hash, pair[1].hash);
    }
    assert_eq!(store.audit_log(2).await.unwrap().len(), 2);

    let report = clean(&store).await;
    assert_eq!((report.entries, report.last_seq), (7, 7));
    assert_eq!(report.last_hash, log[0].hash);
    assert!(report.rows_checked > 20, "{}", report.rows_checked);

    // Opening the database again records no second baseline.
    let again = Store::open(store.url()).await.unwrap();
    assert_eq!(again.audit_log(100).await.unwrap().len(), 7);
}

#[tokio::test]
async fn an_edited_entry_is_found() {
    let (store, _) = busy_store().await;
    exec(&store, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 4").await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(kinds(&report), [(4, AuditProblemKind::Edited)]);
    assert!(
        report.problems[0].message.contains("entry 4"),
        "{}",
        report.problems[0].message
    );
    assert!(report.problems[0].message.contains("mallory"));

    // Editing the JSON of another entry.
    exec(
        &store,
        "UPDATE audit_log SET after = REPLACE(after, 'b.csv', 'c.csv') WHERE seq = 7",
    )
    .await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(
        kinds(&report),
        [(4, AuditProblemKind::Edited), (7, AuditProblemKind::Edited)]
    );
}

#[tokio::test]
async fn a_deleted_entry_is_found() {
    let (store, _) = busy_store().await;
    // The first of the two set_state entries (its transaction's records
    // are with the second).
    exec(&store, "DELETE FROM audit_log WHERE seq = 5").await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(kinds(&report), [(6, AuditProblemKind::Missing)]);
    assert!(
        report.problems[0].message.contains("entry 5 is missing"),
        "{}",
        report.problems[0].message
    );

    // Deleting and renumbering so that seq has no gap still breaks the link.
    exec(&store, "UPDATE audit_log SET seq = -(seq - 1) WHERE seq > 5").await;
    exec(&store, "UPDATE audit_log SET seq = -seq WHERE seq < 0").await;
    let report = store.audit_verify().await.unwrap();
    let k = chain_kinds(&report);
    assert!(k.contains(&(5, AuditProblemKind::BrokenLink)), "{k:?}");
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
             VALUES (8, '2024-01-01T00:00:00.000000Z', 'mallory', 'import_plan', 'plan', 1, NULL, NULL, '{}', '{}')",
            last.hash,
            "ab".repeat(32)
        ),
    )
    .await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(kinds(&report), [(8, AuditProblemKind::Edited)]);

    // Slipped into the middle: the entries after it are moved up by one.
    exec(&store, "DELETE FROM audit_log WHERE seq = 8").await;
    exec(&store, "UPDATE audit_log SET seq = -(seq + 1) WHERE seq >= 4").await;
    exec(&store, "UPDATE audit_log SET seq = -seq WHERE seq < 0").await;
    let third = store
        .audit_log(10)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.seq == 3)
        .unwrap();
    exec(
        &store,
        &format!(
            "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash) \
             VALUES (4, '2024-01-01T00:00:00.000000Z', 'mallory', 'update_plan', 'plan', 1, NULL, NULL, '{}', '{}')",
            third.hash,
            "cd".repeat(32)
        ),
    )
    .await;
    let report = store.audit_verify().await.unwrap();
    let k = chain_kinds(&report);
    assert!(k.contains(&(4, AuditProblemKind::Edited)), "{k:?}");
    assert!(k.contains(&(5, AuditProblemKind::BrokenLink)), "{k:?}");
    assert!(!k.iter().any(|(seq, _)| *seq < 4), "{k:?}");
}

/// Each edit of an audited table is named with its table, row and columns;
/// undoing it makes the log clean again.
#[tokio::test]
async fn every_direct_edit_of_content_is_named() {
    use AuditProblemKind::*;
    let (store, _) = busy_store().await;
    let user = add_reporter(&store).await;
    clean(&store).await;

    let cases: &[(&str, &str, &str, &[&str], &str)] = &[
        // A figure published by SQL (the anonymous API would serve it).
        (
            "UPDATE observations SET state = 'published' WHERE value = '24.2'",
            "UPDATE observations SET state = 'submitted' WHERE value = '24.2'",
            "observations",
            &["state"],
            "state 'submitted' → 'published'",
        ),
        // And one sent back to draft.
        (
            "UPDATE observations SET state = 'draft' WHERE value = '24.3'",
            "UPDATE observations SET state = 'submitted' WHERE value = '24.3'",
            "observations",
            &["state"],
            "state 'submitted' → 'draft'",
        ),
        (
            "UPDATE observations SET value = '25.9' WHERE value = '24.2'",
            "UPDATE observations SET value = '24.2' WHERE value = '25.9'",
            "observations",
            &["value"],
            "value 24.2 → 25.9",
        ),
        (
            "UPDATE observations SET note = '伪造' WHERE value = '37'",
            "UPDATE observations SET note = NULL WHERE value = '37'",
            "observations",
            &["note"],
            "note NULL → '伪造'",
        ),
        (
            "UPDATE observations SET source = 'x' WHERE value = '24.4'",
            "UPDATE observations SET source = NULL WHERE value = '24.4'",
            "observations",
            &["source"],
            "source NULL → 'x'",
        ),
        (
            "UPDATE targets SET value = '99' WHERE value = '35'",
            "UPDATE targets SET value = '35' WHERE value = '99'",
            "targets",
            &["value"],
            "value 35 → 99",
        ),
        (
            "UPDATE users SET role = 'administrator' WHERE username = 'li'",
            "UPDATE users SET role = 'reporter' WHERE username = 'li'",
            "users",
            &["role"],
            "role 'reporter' → 'administrator'",
        ),
        // A password hash swapped for one the attacker knows.
        (
            "UPDATE users SET password_hash = 'known' WHERE username = 'li'",
            "",
            "users",
            &["password_hash", "api_token_hash"],
            "a secret column",
        ),
    ];
    let original_hash: String = {
        use lantu_store::sqlx::Row;
        lantu_store::sqlx::query("SELECT password_hash FROM users WHERE username = 'li'")
            .fetch_one(store.pool())
            .await
            .unwrap()
            .get(0)
    };
    for (edit, undo, table, columns, says) in cases {
        exec(&store, edit).await;
        let report = store.audit_verify().await.unwrap();
        let message = one_row_problem(&report, RowChanged, table, columns);
        assert!(message.contains(says), "{edit}: {message}");
        if undo.is_empty() {
            exec(
                &store,
                &format!("UPDATE users SET password_hash = '{original_hash}' WHERE id = {user}"),
            )
            .await;
        } else {
            exec(&store, undo).await;
        }
        clean(&store).await;
    }
    assert!(
        one_row_problem_message(&store, "UPDATE plans SET state = 'draft'", "plans", &["state"])
            .await
            .contains("plans (id=")
    );
}

async fn one_row_problem_message(store: &Store, edit: &str, table: &str, columns: &[&str]) -> String {
    exec(store, edit).await;
    let report = store.audit_verify().await.unwrap();
    one_row_problem(&report, AuditProblemKind::RowChanged, table, columns)
}

#[tokio::test]
async fn deleted_and_added_rows_are_named() {
    use AuditProblemKind::*;
    let (store, plan) = busy_store().await;
    exec(&store, "DELETE FROM observation_transitions").await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(report.problems.len(), 2, "{:#?}", report.problems);
    for p in &report.problems {
        assert_eq!(
            (p.kind, p.table.as_deref(), p.seq),
            (RowMissing, Some("observation_transitions"), 6)
        );
        assert!(p.message.contains("deleted"), "{}", p.message);
    }

    let (store, _) = busy_store().await;
    exec(&store, "DELETE FROM observations WHERE value = '37'").await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(kinds(&report), [(7, RowMissing)]);
    assert!(report.problems[0].key.as_deref().unwrap().contains("period=2022"));

    // A figure and its batch slipped in by SQL.
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
    let unexpected: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.kind == RowUnexpected)
        .map(|p| p.table.clone().unwrap())
        .collect();
    assert_eq!(
        unexpected,
        ["observation_batches", "observations"],
        "{:#?}",
        report.problems
    );
}

#[tokio::test]
async fn an_edit_a_later_write_builds_on_is_still_found() {
    // Edited behind the store's back, then submitted through the store:
    // the submission's record shows the figure was not what the log held.
    let (store, plan) = busy_store().await;
    exec(&store, "UPDATE observations SET value = '1' WHERE value = '37'").await;
    submit_drafts(&store, plan).await;
    let report = store.audit_verify().await.unwrap();
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    let p = &report.problems[0];
    assert_eq!(
        (p.kind, p.table.as_deref()),
        (AuditProblemKind::RowChanged, Some("observations"))
    );
    assert!(p.message.contains("between entry 7 and entry"), "{}", p.message);
}

#[tokio::test]
async fn edited_row_records_break_their_entry() {
    let (store, _) = busy_store().await;
    exec(
        &store,
        "UPDATE audit_rows SET body = REPLACE(body, '\"24.2\"', '\"25.9\"') WHERE seq = 3",
    )
    .await;
    exec(&store, "UPDATE observations SET value = '25.9' WHERE value = '24.2'").await;
    let report = store.audit_verify().await.unwrap();
    assert!(
        kinds(&report).contains(&(3, AuditProblemKind::RecordsChanged)),
        "{:#?}",
        report.problems
    );
}

#[tokio::test]
async fn the_last_entry_cut_off_is_found() {
    use AuditProblemKind::*;
    let (store, _) = busy_store().await;
    let user = add_reporter(&store).await;
    let key = b"kept by the operator, not in the database";
    let (anchor, _) = store.audit_anchor(key).await.unwrap();
    assert_eq!(anchor.seq, 8);
    assert!(store.audit_verify_anchored(&anchor, key).await.unwrap().is_clean());
    // A wrong key is refused outright.
    assert!(store.audit_verify_anchored(&anchor, b"guess").await.is_err());

    // The role raised by the store itself, then its entry and records cut
    // off: the chain alone is intact, the row is not what the log holds.
    store
        .update_user(
            user,
            &UserUpdate {
                role: Some(Role::Administrator),
                department: Some(None),
                ..Default::default()
            },
            "admin",
        )
        .await
        .unwrap();
    exec(&store, "DELETE FROM audit_log WHERE seq = 9").await;
    exec(&store, "DELETE FROM audit_rows WHERE seq = 9").await;
    let report = store.audit_verify().await.unwrap();
    assert!(chain_kinds(&report).is_empty());
    let p = report.problems.iter().find(|p| p.kind == RowChanged).unwrap();
    assert_eq!(p.table.as_deref(), Some("users"));
    assert!(p.columns.contains(&"role".to_string()), "{p:?}");
    assert!(p.message.contains("role 'reporter' → 'administrator'"), "{}", p.message);

    // With an anchor of the cut entry, the cut itself is named.
    let (store, _) = busy_store().await;
    add_reporter(&store).await;
    let (anchor, _) = store.audit_anchor(key).await.unwrap();
    exec(&store, &format!("DELETE FROM audit_log WHERE seq = {}", anchor.seq)).await;
    exec(&store, &format!("DELETE FROM audit_rows WHERE seq = {}", anchor.seq)).await;
    exec(&store, "DELETE FROM users").await;
    let report = store.audit_verify_anchored(&anchor, key).await.unwrap();
    assert_eq!(kinds(&report), [(8, Truncated)], "{:#?}", report.problems);
    assert!(report.problems[0].message.contains("cut off"));
}

#[tokio::test]
async fn a_rewritten_chain_is_found_by_the_anchor() {
    use AuditProblemKind::*;
    let (store, _) = busy_store().await;
    let key = b"0123456789abcdef0123456789abcdef";
    let (anchor, report) = store.audit_anchor(key).await.unwrap();
    assert_eq!(
        (anchor.seq, anchor.hash.as_str()),
        (report.last_seq, report.last_hash.as_str())
    );

    // One entry edited, then the whole chain recomputed: the chain alone
    // verifies, the anchor does not.
    exec(&store, "UPDATE audit_log SET actor = 'someone else' WHERE seq = 4").await;
    rechain(&store).await;
    assert!(store.audit_verify().await.unwrap().is_clean());
    let report = store.audit_verify_anchored(&anchor, key).await.unwrap();
    assert_eq!(kinds(&report), [(7, Rewritten)]);
    assert!(
        report.problems[0].message.contains("rewritten"),
        "{}",
        report.problems[0].message
    );

    // An anchor altered to match is no longer genuine.
    let mut forged = anchor.clone();
    forged.hash = store.audit_log(1).await.unwrap()[0].hash.clone();
    assert!(store.audit_verify_anchored(&forged, key).await.is_err());

    // Later writes do not disturb an older anchor.
    let (store, plan) = busy_store().await;
    let (anchor, _) = store.audit_anchor(key).await.unwrap();
    approve_all(&store, plan).await;
    assert!(store.audit_verify_anchored(&anchor, key).await.unwrap().is_clean());
    // A log with problems gets no anchor.
    exec(&store, "UPDATE observations SET value = '0'").await;
    assert!(store.audit_anchor(key).await.is_err());
}

/// A database made before row records: converted back to that shape by
/// hand (no row records, no baseline, migration 3 undone), then opened.
#[tokio::test]
async fn a_database_from_before_row_records_gets_a_baseline() {
    let (store, _) = busy_store().await;
    add_reporter(&store).await;
    exec(&store, "DELETE FROM audit_rows").await;
    exec(&store, "UPDATE audit_log SET rows_digest = NULL").await;
    exec(&store, "DELETE FROM audit_log WHERE seq = 1").await;
    exec(&store, "UPDATE audit_log SET seq = -(seq - 1)").await;
    exec(&store, "UPDATE audit_log SET seq = -seq").await;
    rechain(&store).await;
    exec(&store, "DELETE FROM _sqlx_migrations WHERE version = 3").await;
    exec(&store, "DROP INDEX audit_log_action").await;
    exec(&store, "DROP TABLE audit_rows").await;
    exec(&store, "ALTER TABLE audit_log DROP COLUMN rows_digest").await;
    let old_entries = 7;

    let reopened = Store::open(store.url()).await.unwrap();
    let log = reopened.audit_log(1).await.unwrap();
    assert_eq!((log[0].seq, log[0].action.as_str()), (old_entries + 1, BASELINE_ACTION));
    let after: serde_json::Value = serde_json::from_str(log[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(after["rows"]["observations"], 4);
    assert_eq!(after["rows"]["users"], 1);
    let report = clean(&reopened).await;
    assert_eq!(report.entries as i64, old_entries + 1);

    // From now on every edit is found.
    exec(
        &reopened,
        "UPDATE observations SET state = 'published' WHERE value = '24.2'",
    )
    .await;
    let report = reopened.audit_verify().await.unwrap();
    one_row_problem(&report, AuditProblemKind::RowChanged, "observations", &["state"]);
}

/// Every table of the schema is audited content or listed as not, and
/// every registered column exists.
#[tokio::test]
async fn every_table_is_classified() {
    use lantu_store::sqlx::Row;
    let store = fresh_store().await;
    let sql = match store.backend() {
        lantu_store::Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        lantu_store::Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema()"
        }
    };
    let tables: Vec<String> = lantu_store::sqlx::query(sql)
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let audited = lantu_store::audited_tables();
    for t in &tables {
        assert!(
            audited.contains(&t.as_str()) || lantu_store::NOT_AUDITED.iter().any(|(n, _)| n == t),
            "table `{t}` is neither in the audit registry (src/audit.rs TABLES) nor in NOT_AUDITED"
        );
    }
    for t in &audited {
        assert!(tables.iter().any(|x| x == t), "registered table `{t}` does not exist");
    }
    // The registry's columns, unquoted (a misspelt name fails).
    let report = store.audit_verify().await.unwrap();
    assert!(report.is_clean());
    for (name, columns) in lantu_store::audited_columns() {
        lantu_store::sqlx::query(&format!("SELECT {} FROM {name} LIMIT 1", columns.join(", ")))
            .fetch_all(store.pool())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
