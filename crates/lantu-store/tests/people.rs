//! Accounts, evaluation comments and the outline's headings.

mod common;

use common::*;
use lantu_core::account::Role;
use lantu_core::plan::{OutlineEntry, PlanState};
use lantu_store::testing::fresh_store;
use lantu_store::{NewComment, NewUser, StoreError, UserUpdate};

fn new_user(name: &str, role: Role, department: Option<&str>) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: String::new(),
        role,
        department: department.map(str::to_string),
        password_hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA".into(),
    }
}

#[tokio::test]
async fn accounts_are_kept_changed_and_audited_without_their_hashes() {
    let store = fresh_store().await;
    assert!(!store.has_users().await.unwrap());
    let u = store
        .add_user(&new_user("SthJ", Role::Reporter, Some("hb")), "admin")
        .await
        .unwrap();
    assert!(store.has_users().await.unwrap());
    assert_eq!(u.username, "SthJ");
    assert_eq!(u.display_name, "SthJ", "an empty display name is the user name");
    assert_eq!(u.department.as_deref(), Some("hb"));
    assert!(u.active);
    // Names are unique whatever their case.
    let again = store.add_user(&new_user("sthj", Role::Planner, None), "admin").await;
    assert!(matches!(again, Err(StoreError::UsernameTaken(_))), "{again:?}");
    assert_eq!(store.user_by_name(" STHJ ").await.unwrap().unwrap().id, u.id);
    // A reporter needs a department; other roles drop it.
    assert!(matches!(
        store.add_user(&new_user("x", Role::Reporter, None), "admin").await,
        Err(StoreError::Account(_))
    ));
    assert!(matches!(
        store.add_user(&new_user("a b", Role::Planner, None), "admin").await,
        Err(StoreError::Account(_))
    ));
    let p = store
        .add_user(&new_user("planner", Role::Planner, Some("hb")), "admin")
        .await
        .unwrap();
    assert_eq!(p.department, None);

    // Token, role change, deactivation.
    let u2 = store
        .update_user(
            u.id,
            &UserUpdate {
                api_token_hash: Some(Some("ab".repeat(32))),
                ..Default::default()
            },
            "SthJ",
        )
        .await
        .unwrap();
    assert_eq!(
        store.user_by_token_hash(&"ab".repeat(32)).await.unwrap().unwrap().id,
        u.id
    );
    assert!(matches!(
        store
            .update_user(
                u.id,
                &UserUpdate {
                    department: Some(None),
                    ..Default::default()
                },
                "admin"
            )
            .await,
        Err(StoreError::Account(_))
    ));
    let u3 = store
        .update_user(
            u.id,
            &UserUpdate {
                role: Some(Role::Evaluator),
                active: Some(false),
                password_hash: Some("$argon2id$other".into()),
                ..Default::default()
            },
            "admin",
        )
        .await
        .unwrap();
    assert_eq!(
        (u3.role, u3.department.as_deref(), u3.active),
        (Role::Evaluator, None, false)
    );
    assert_ne!(u3.password_hash, u2.password_hash);
    assert_eq!(
        u3.api_token_hash, None,
        "a new password or a deactivation revokes the token"
    );
    assert!(
        store.user_by_token_hash(&"ab".repeat(32)).await.unwrap().is_none(),
        "a deactivated account's token no longer works"
    );
    // An update that changes nothing writes nothing.
    let before = store.audit_of("user", u.id).await.unwrap().len();
    store.update_user(u.id, &UserUpdate::default(), "admin").await.unwrap();
    let log = store.audit_of("user", u.id).await.unwrap();
    assert_eq!(log.len(), before);
    assert_eq!(log.len(), 3, "added, token issued, role changed");
    for e in &log {
        let text = format!("{:?}{:?}", e.before, e.after);
        assert!(!text.contains("argon2"), "no password hash in the audit log: {text}");
        assert!(!text.contains(&"ab".repeat(32)), "no token hash in the audit log");
    }
    assert!(log.iter().any(|e| e
        .after
        .as_deref()
        .is_some_and(|a| a.contains("\"api_token\":\"issued\""))));
    assert!(log.iter().any(|e| e
        .after
        .as_deref()
        .is_some_and(|a| a.contains("\"password_changed\":true"))));
    assert!(store.audit_verify().await.unwrap().is_clean());
    let names: Vec<String> = store.users().await.unwrap().into_iter().map(|u| u.username).collect();
    assert_eq!(names, ["planner", "SthJ"]);
}

#[tokio::test]
async fn comments_are_appended_and_listed_newest_first() {
    let store = fresh_store().await;
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    let ev = store
        .add_user(&new_user("evaluator", Role::Evaluator, None), "admin")
        .await
        .unwrap();
    let code = store.plan_doc(plan).await.unwrap().indicators[0].code.clone();
    let c1 = store
        .add_comment(
            plan,
            &NewComment {
                indicator: None,
                year: Some(2023),
                body: "  总体进展符合预期。 ".into(),
            },
            &ev,
        )
        .await
        .unwrap();
    assert_eq!(c1.body, "总体进展符合预期。");
    assert_eq!((c1.author_role, c1.indicator.as_deref()), (Role::Evaluator, None));
    let c2 = store
        .add_comment(
            plan,
            &NewComment {
                indicator: Some(code.clone()),
                year: None,
                body: "数据来源需注明口径。".into(),
            },
            &ev,
        )
        .await
        .unwrap();
    assert_eq!(c2.indicator.as_deref(), Some(code.as_str()));
    let all = store.comments(plan, None).await.unwrap();
    assert_eq!(all.iter().map(|c| c.id).collect::<Vec<_>>(), [c2.id, c1.id]);
    let one = store.comments(plan, Some(&code)).await.unwrap();
    assert_eq!(one.len(), 1);
    for bad in [
        NewComment {
            indicator: None,
            year: None,
            body: "   ".into(),
        },
        NewComment {
            indicator: None,
            year: None,
            body: "长".repeat(5001),
        },
        NewComment {
            indicator: Some("nope".into()),
            year: None,
            body: "x".into(),
        },
        NewComment {
            indicator: None,
            year: Some(1990),
            body: "x".into(),
        },
    ] {
        assert!(store.add_comment(plan, &bad, &ev).await.is_err(), "{bad:?}");
    }
    assert!(matches!(
        store
            .add_comment(
                999,
                &NewComment {
                    indicator: None,
                    year: None,
                    body: "x".into()
                },
                &ev
            )
            .await,
        Err(StoreError::PlanNotFound(999))
    ));
    assert_eq!(
        store.comments(plan, None).await.unwrap().len(),
        2,
        "the refused ones wrote nothing"
    );
    assert_eq!(store.audit_of("comment", c2.id).await.unwrap()[0].actor, "evaluator");
}

#[tokio::test]
async fn the_outline_travels_with_the_plan_document() {
    let store = fresh_store().await;
    let mut doc = sample_doc(PlanState::Adopted);
    doc.outline = vec![
        OutlineEntry {
            node: "c1".into(),
            number: Some(1),
            title: "发展基础".into(),
        },
        OutlineEntry {
            node: "c4".into(),
            number: Some(4),
            title: "生态环境".into(),
        },
        OutlineEntry {
            node: "c4.s1".into(),
            number: Some(1),
            title: "治水".into(),
        },
    ];
    let plan = store.import_plan(&doc, "planner").await.unwrap();
    let stored = store.plan_doc(plan).await.unwrap();
    assert_eq!(stored.outline, doc.outline);

    let mut edited = stored.clone();
    edited.outline[2].title = "水环境治理".into();
    edited.outline.remove(0);
    let report = store.apply_plan(plan, &edited, "planner").await.unwrap();
    assert!(report.changed.iter().any(|c| c.entity == "outline"), "{report:?}");
    assert_eq!(store.plan_doc(plan).await.unwrap().outline, edited.outline);
    let again = store.apply_plan(plan, &edited, "planner").await.unwrap();
    assert!(again.changed.is_empty(), "an unchanged outline is left alone");

    let mut bare = edited.clone();
    bare.outline.clear();
    let kept = store.apply_plan(plan, &bare, "planner").await.unwrap();
    assert!(
        kept.changed.is_empty(),
        "no headings in the document: the stored ones stay"
    );
    assert_eq!(store.plan_doc(plan).await.unwrap().outline, edited.outline);

    let mut dup = edited.clone();
    dup.outline.push(dup.outline[0].clone());
    assert!(matches!(
        store.apply_plan(plan, &dup, "planner").await,
        Err(StoreError::InvalidPlan(_))
    ));
}
