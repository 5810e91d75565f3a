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
                assert!(!policy.allows(role, action, Scope::Own, None));
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
