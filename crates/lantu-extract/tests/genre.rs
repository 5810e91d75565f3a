//! The genre check on synthetic documents of each genre (fixtures/genre/,
//! written for these tests) and, when `../shared` is beside the project, on
//! the real bulletin and plans of the development corpus. Every verdict must
//! hold with the title line removed.

use lantu_extract::{extract, Genre};
use std::path::PathBuf;

fn without_first_line(text: &str) -> &str {
    text.split_once('\n').map_or("", |(_, rest)| rest)
}

fn check(text: &str, want: Genre, what: &str) {
    for (body, label) in [(text, "whole"), (without_first_line(text), "without its title line")] {
        let ex = extract(body);
        assert_eq!(ex.genre.genre, want, "{what} ({label}): {}", ex.genre.reason);
        if want != Genre::Plan {
            assert!(
                ex.targets.is_empty() && ex.baselines.is_empty(),
                "{what} ({label}) yields records"
            );
            assert!(!ex.genre.reason.is_empty());
        } else {
            assert!(!ex.targets.is_empty(), "{what} ({label}) yields no targets");
        }
    }
}

#[test]
fn synthetic_documents_of_each_genre() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/genre");
    for (file, want) in [
        ("bulletin.txt", Genre::StatisticalBulletin),
        ("work_report.txt", Genre::WorkReport),
        ("evaluation.txt", Genre::EvaluationReport),
        ("plan.txt", Genre::Plan),
    ] {
        let text = std::fs::read_to_string(dir.join(file)).expect("fixture");
        check(&text, want, file);
    }
}

#[test]
fn the_bundled_plan_is_a_plan() {
    check(
        include_str!("../../../data/plans/jinnan-14th-five-year-plan.txt"),
        Genre::Plan,
        "Jinnan",
    );
}

/// A file of `../shared` beside the repository (the development corpus), or
/// of `$LANTU_SHARED`; `None` when it is absent, and the test passes with a
/// note.
fn shared(path: &str) -> Option<String> {
    let root = std::env::var_os("LANTU_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    std::fs::read_to_string(root.join(path)).ok()
}

#[test]
fn the_corpus_bulletin_is_refused_and_its_plans_are_not() {
    let Some(bulletin) = shared("corpus/chengdu_statbulletin_2021.txt") else {
        eprintln!("../shared/corpus (or $LANTU_SHARED) is absent: corpus genre test skipped");
        return;
    };
    check(&bulletin, Genre::StatisticalBulletin, "Chengdu bulletin");
    for plan in [
        "corpus/nanjing_overall_15fyp_outline.txt",
        "corpus/suzhou_overall_15fyp_outline.txt",
        "corpus/national_overall_14fyp_outline.txt",
        "plans/jinnan-14th-five-year-plan.txt",
    ] {
        let text = shared(plan).unwrap_or_else(|| panic!("{plan} missing from ../shared"));
        check(&text, Genre::Plan, plan);
    }
}
