//! The deployment's department registry: filled by plan imports, shared by
//! plans (the same code is the same body), edited and retired with audit,
//! never retired while a plan or an account names it.

mod common;

use common::*;
use lantu_core::account::Role;
use lantu_core::plan::{DepartmentDoc, PlanState};
use lantu_store::testing::fresh_store;
use lantu_store::{NewUser, RegistryFields, StoreError};

fn fields(name: &str) -> RegistryFields {
    RegistryFields {
        name: name.into(),
        ..RegistryFields::default()
    }
}

#[tokio::test]
async fn two_plans_share_one_body_of_the_registry() {
    let store = fresh_store().await;
    let doc = sample_doc(PlanState::Adopted);
    let codes: Vec<String> = doc.departments.iter().map(|d| d.code.clone()).collect();
    store.import_plan(&doc, "planner").await.unwrap();
    let mut second = doc.clone();
    second.plan.name = "另一规划".into();
    second.departments.push(DepartmentDoc {
        code: "kjj".into(),
        name: "区科技局".into(),
    });
    store.import_plan(&second, "planner").await.unwrap();
    let reg = store.registry().await.unwrap();
    let mut want = codes.clone();
    want.push("kjj".into());
    want.sort();
    assert_eq!(
        reg.iter().map(|e| e.code.clone()).collect::<Vec<_>>(),
        want,
        "one row per code"
    );
    assert_eq!(store.registry_entry("kjj").await.unwrap().name, "区科技局");

    // Edited: audited; the log verifies.
    let mut f = fields("区科学技术局");
    f.short_name = Some("科技局".into());
    f.parent = Some("区人民政府".into());
    f.contact = Some("张三".into());
    f.phone = Some("022-1234 5678".into());
    let e = store.update_registry_entry("kjj", &f, false, "admin").await.unwrap();
    assert_eq!(
        (e.name.as_str(), e.short_name.as_deref(), e.phone.as_deref()),
        ("区科学技术局", Some("科技局"), Some("022-1234 5678"))
    );
    let bad = store
        .update_registry_entry(
            "kjj",
            &RegistryFields {
                phone: Some("call me".into()),
                ..fields("x")
            },
            false,
            "admin",
        )
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("电话"), "{bad}");

    // A body a plan names cannot be retired; one nobody names can.
    let err = store.retire_registry_entry("kjj", "admin").await.unwrap_err();
    assert!(matches!(err, StoreError::DepartmentInUse { .. }), "{err}");
    assert!(err.to_string().contains("另一规划"), "{err}");
    store
        .add_registry_entry("mzj", &fields("区民政局"), "admin")
        .await
        .unwrap();
    let taken = store
        .add_registry_entry("mzj", &fields("又一个"), "admin")
        .await
        .unwrap_err();
    assert!(matches!(taken, StoreError::DepartmentTaken(_)), "{taken}");
    let bad_code = store
        .add_registry_entry("民政", &fields("区民政局"), "admin")
        .await
        .unwrap_err();
    assert!(bad_code.to_string().contains("部门代码"), "{bad_code}");
    // An account names it: not retired either.
    store
        .add_user(
            &NewUser {
                username: "mz".into(),
                display_name: String::new(),
                role: Role::Reporter,
                department: Some("mzj".into()),
                password_hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA".into(),
            },
            "admin",
        )
        .await
        .unwrap();
    let err = store.retire_registry_entry("mzj", "admin").await.unwrap_err();
    assert!(err.to_string().contains("账户 mz"), "{err}");
    store
        .add_registry_entry("old", &fields("已撤销的机构"), "admin")
        .await
        .unwrap();
    let retired = store.retire_registry_entry("old", "admin").await.unwrap();
    assert!(retired.retired_at.is_some());
    let restored = store
        .update_registry_entry("old", &fields("已撤销的机构"), true, "admin")
        .await
        .unwrap();
    assert!(restored.retired_at.is_none());
    assert!(matches!(
        store.registry_entry("nope").await.unwrap_err(),
        StoreError::DepartmentNotFound(_)
    ));

    let log = store.audit_log(20).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for a in ["add_department", "edit_department", "retire_department"] {
        assert!(actions.contains(&a), "{a}: {actions:?}");
    }
    let report = store.audit_verify().await.unwrap();
    assert!(report.is_clean(), "{:#?}", report.problems);
    // A row changed behind the store's back is named.
    exec(&store, "UPDATE registry SET phone = '110' WHERE code = 'kjj'").await;
    let report = store.audit_verify().await.unwrap();
    assert!(!report.is_clean());
}
