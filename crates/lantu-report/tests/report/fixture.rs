//! The fixture covers what the report tests rely on.

use super::common;
use lantu_core::progress::Status;

#[test]
fn the_fixture_takes_every_status() {
    let mid = common::snapshot(2023);
    let fin = common::snapshot(2025);
    let mut seen: Vec<Status> = common::statuses(&mid);
    seen.extend(common::statuses(&fin));
    for s in Status::ALL {
        assert!(
            seen.contains(&s),
            "no indicator is {s:?}: {:?} / {:?}",
            common::statuses(&mid),
            common::statuses(&fin)
        );
    }
    let forest = mid.indicators.iter().find(|i| i.code == "t06").unwrap();
    assert_eq!(forest.assessment.status, Status::Lagging);
    assert!(forest.assessment.warning);
    assert!(mid.notes.sample_data);
}
