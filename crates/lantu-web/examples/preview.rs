//! Serves the test fixture (the bundled plan with published sample figures
//! and one user per role, password `lantu-test-pw`) for a look in a
//! browser: `cargo run -p lantu-web --example preview` and open the URL it
//! prints.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let app = common::start_with(std::time::Duration::from_secs(5));
    println!(
        "{}  (users: admin planner reviewer evaluator fgw sthj; password {})",
        app.base,
        common::PASSWORD
    );
    std::thread::park();
}
