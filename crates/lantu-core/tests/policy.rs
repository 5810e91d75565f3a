//! The policy against the matrices written by hand in `tests/fixtures/`:
//! every cell compared, every disagreement named, and every cell of the
//! matrix present exactly once.

use lantu_core::account::Role;
use lantu_core::observation::ObservationState;
use lantu_core::plan::PlanState;
use lantu_core::policy::{Action, Policy, Publication, Scope};
use std::collections::{BTreeSet, HashSet};

const STATES: [ObservationState; 4] = [
    ObservationState::Draft,
    ObservationState::Submitted,
    ObservationState::Approved,
    ObservationState::Published,
];

/// Lines of a fixture that are not blank or comments, with their numbers.
fn lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, l)| (n + 1, l.split('\t').map(str::trim).collect()))
}

fn yes_no(n: usize, s: &str) -> bool {
    match s {
        "yes" => true,
        "no" => false,
        _ => panic!("line {n}: `{s}` is neither yes nor no"),
    }
}

fn state(n: usize, s: &str) -> Option<ObservationState> {
    match s {
        "-" => None,
        _ => Some(ObservationState::parse(s).unwrap_or_else(|| panic!("line {n}: unknown state `{s}`"))),
    }
}

#[test]
fn the_matrix_of_who_may_do_what() {
    let text = include_str!("fixtures/policy.tsv");
    let policy = Policy::default();
    let mut seen = HashSet::new();
    let mut disagreements = Vec::new();
    for (n, f) in lines(text) {
        let [role, action, scope, st, allowed] = f[..] else {
            panic!("line {n}: expected 5 tab-separated columns, got {f:?}");
        };
        let role = Role::parse(role).unwrap_or_else(|| panic!("line {n}: unknown role `{role}`"));
        let action = Action::parse(action).unwrap_or_else(|| panic!("line {n}: unknown action `{action}`"));
        let scope = Scope::parse(scope).unwrap_or_else(|| panic!("line {n}: unknown department `{scope}`"));
        let st = state(n, st);
        let expected = yes_no(n, allowed);
        assert!(
            seen.insert((role, action, scope, st)),
            "line {n}: a second line for this cell"
        );
        let got = policy.allows(role, action, scope, st);
        if got != expected {
            disagreements.push(format!(
                "line {n}: {} {} {} {}: expected {}, the policy says {}",
                role.as_str(),
                action.as_str(),
                scope.as_str(),
                st.map_or("-", ObservationState::as_str),
                if expected { "yes" } else { "no" },
                if got { "yes" } else { "no" },
            ));
        }
    }
    // Every cell of the matrix is in the fixture.
    let mut missing = Vec::new();
    for role in Role::ALL {
        for action in Action::ALL {
            let cells: Vec<(Scope, Option<ObservationState>)> = if action.on_figure() {
                let mut c: Vec<_> = [Scope::Own, Scope::Other]
                    .into_iter()
                    .flat_map(|s| STATES.into_iter().map(move |st| (s, Some(st))))
                    .collect();
                if action == Action::Enter {
                    c.extend([(Scope::Own, None), (Scope::Other, None)]);
                }
                c
            } else if action == Action::EditWork {
                vec![(Scope::Own, None), (Scope::Other, None), (Scope::None, None)]
            } else {
                vec![(Scope::None, None)]
            };
            for (scope, st) in cells {
                if !seen.contains(&(role, action, scope, st)) {
                    missing.push(format!(
                        "{} {} {} {}",
                        role.as_str(),
                        action.as_str(),
                        scope.as_str(),
                        st.map_or("-", ObservationState::as_str)
                    ));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "cells missing from policy.tsv:\n{}",
        missing.join("\n")
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements with policy.tsv:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

/// Moves outside the matrix's domain (a figure action on the plan, a plan
/// action on a figure) are refused, and `may_move` is the matrix read by
/// the move a state change is.
#[test]
fn moves_follow_the_matrix() {
    let policy = Policy::default();
    for role in Role::ALL {
        for action in Action::ALL {
            if action.on_figure() {
                assert!(!policy.allows(role, action, Scope::None, Some(ObservationState::Draft)));
            } else {
                // A task's work plan belongs to a department; nothing else
                // of the plan does.
                if action != Action::EditWork {
                    assert!(!policy.allows(role, action, Scope::Own, None));
                }
                assert!(!policy.allows(role, action, Scope::None, Some(ObservationState::Draft)));
            }
        }
        for scope in [Scope::Own, Scope::Other] {
            for from in STATES {
                for to in STATES {
                    let by_action =
                        Action::of_move(from, to).is_some_and(|a| policy.allows(role, a, scope, Some(from)));
                    assert_eq!(policy.may_move(role, scope, from, to), by_action);
                }
            }
        }
    }
}

#[test]
fn what_the_public_sees() {
    let text = include_str!("fixtures/public.tsv");
    let mut disagreements = Vec::new();
    let mut count = 0;
    for (n, f) in lines(text) {
        let [plan_state, made_public, year, figure, visible] = f[..] else {
            panic!("line {n}: expected 5 tab-separated columns, got {f:?}");
        };
        let plan_state = match plan_state {
            "draft" => PlanState::Draft,
            "adopted" => PlanState::Adopted,
            "adjusted" => PlanState::Adjusted,
            other => panic!("line {n}: unknown plan state `{other}`"),
        };
        const YEAR: i32 = 2023;
        let mut released_years = BTreeSet::from([2021]);
        match year {
            "released" => {
                released_years.insert(YEAR);
            }
            "unreleased" | "-" => {}
            other => panic!("line {n}: year `{other}` is neither released nor unreleased"),
        }
        let p = Publication {
            state: plan_state,
            public: yes_no(n, made_public),
            released_years,
        };
        let expected = yes_no(n, visible);
        let got = match (year, state(n, figure)) {
            ("-", None) => p.plan_public(),
            ("-", Some(_)) => panic!("line {n}: a figure needs a year"),
            (_, None) => p.year_public(YEAR),
            (_, Some(s)) => p.figure_public(YEAR, s),
        };
        count += 1;
        if got != expected {
            disagreements.push(format!("line {n}: {f:?}: expected {expected}, the rule says {got}"));
        }
    }
    assert_eq!(count, 6 + 12 + 48, "public.tsv covers every plan, year and figure cell");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn the_public_opens_on_the_latest_released_year() {
    let mut p = Publication {
        state: PlanState::Adopted,
        public: true,
        released_years: BTreeSet::from([2021, 2023]),
    };
    assert_eq!(p.default_year(), Some(2023));
    // Published figures of an earlier year show in the released year's
    // charts; a later year's wait for its release.
    assert!(p.figure_public(2022, ObservationState::Published));
    assert!(!p.figure_public(2024, ObservationState::Published));
    p.public = false;
    assert_eq!(p.default_year(), None);
    p.public = true;
    p.released_years.clear();
    assert_eq!(p.default_year(), None);
}

/// A chain of three levels, each step written out by hand: 部门初审 (the
/// department's approver, own figures only) → 统计局审核 (the reviewer) →
/// 发改委确认 (the planner), then publication.
#[test]
fn a_three_level_chain_step_by_step() {
    use lantu_core::policy::{Level, Stage, Step};
    use ObservationState::*;
    let level = |name: &str, role| Level {
        name: name.into(),
        role,
        department: None,
    };
    let p = Policy::with_levels(vec![
        level("部门初审", Role::DepartmentApprover),
        level("统计局审核", Role::Reviewer),
        level("发改委确认", Role::Planner),
    ])
    .unwrap();
    let (da, rv, pl) = (Role::DepartmentApprover, Role::Reviewer, Role::Planner);
    let at = |k| Stage::new(Submitted, k);
    let own = Scope::Own;
    // Level 1 (waiting at 0): only the department's approver acts, on its own figures.
    assert_eq!(p.step(da, Some("sthj"), own, at(0), Step::Approve), Some(at(1)));
    assert_eq!(p.step(da, Some("sthj"), Scope::Other, at(0), Step::Approve), None);
    assert_eq!(p.step(rv, None, own, at(0), Step::Approve), None);
    assert_eq!(p.step(pl, None, own, at(0), Step::Approve), None);
    assert_eq!(p.step(da, Some("sthj"), own, at(0), Step::TakeBack), None);
    // Level 2 (waiting at 1): the reviewer approves or returns; level 1 may
    // take back its approval, as level 2 has not acted.
    assert_eq!(p.step(rv, None, own, at(1), Step::Approve), Some(at(2)));
    assert_eq!(p.step(rv, None, own, at(1), Step::Return), Some(Stage::new(Draft, 0)));
    assert_eq!(p.step(da, Some("sthj"), own, at(1), Step::TakeBack), Some(at(0)));
    assert_eq!(p.step(da, Some("sthj"), own, at(1), Step::Approve), None);
    assert_eq!(p.step(pl, None, own, at(1), Step::Approve), None);
    // Level 3 (waiting at 2): level 1 can no longer take back; level 2 can.
    assert_eq!(p.step(da, Some("sthj"), own, at(2), Step::TakeBack), None);
    assert_eq!(p.step(rv, None, own, at(2), Step::TakeBack), Some(at(1)));
    assert_eq!(
        p.step(pl, None, own, at(2), Step::Approve),
        Some(Stage::new(Approved, 0))
    );
    // Approved: the last level may take back or return before publication.
    let approved = Stage::new(Approved, 0);
    assert_eq!(p.step(pl, None, own, approved, Step::TakeBack), Some(at(2)));
    assert_eq!(p.step(rv, None, own, approved, Step::TakeBack), None);
    assert_eq!(
        p.step(pl, None, own, approved, Step::Return),
        Some(Stage::new(Draft, 0))
    );
    assert_eq!(p.step(pl, None, own, approved, Step::Approve), None);
    // Nothing steps a draft or a published figure.
    for s in [Stage::new(Draft, 0), Stage::new(Published, 0)] {
        for step in [Step::Approve, Step::Return, Step::TakeBack] {
            for role in Role::ALL {
                assert_eq!(
                    p.step(role, Some("sthj"), own, s, step),
                    None,
                    "{role:?} {step:?} {s:?}"
                );
            }
        }
    }
    // The administrator holds every level.
    assert_eq!(
        p.step(Role::Administrator, None, own, at(0), Step::Approve),
        Some(at(1))
    );
}

/// With the default chain, a step is the matrix's action: one level.
#[test]
fn the_default_chain_is_one_level() {
    use lantu_core::policy::{Stage, Step};
    use ObservationState::*;
    let p = Policy::default();
    let rv = Role::Reviewer;
    assert_eq!(
        p.step(rv, None, Scope::Own, Stage::new(Submitted, 0), Step::Approve),
        Some(Stage::new(Approved, 0))
    );
    assert_eq!(
        p.step(rv, None, Scope::Own, Stage::new(Approved, 0), Step::TakeBack),
        Some(Stage::new(Submitted, 0))
    );
    assert_eq!(
        p.step(
            Role::Reporter,
            Some("sthj"),
            Scope::Own,
            Stage::new(Submitted, 0),
            Step::Approve
        ),
        None
    );
}
