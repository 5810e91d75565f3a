//! The web is an adapter (issue 9): it reaches the store, the data files and
//! the reports only through the application layer, so that every rule has
//! one home and the command line calls the same use cases.

use std::path::Path;

#[test]
fn the_web_depends_on_the_application_layer_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    let deps: Vec<&str> = manifest
        .split("\n[")
        .filter(|s| s.starts_with("dependencies]"))
        .flat_map(|s| s.lines().skip(1))
        .filter_map(|l| l.split(['.', ' ', '=']).next())
        .collect();
    assert!(deps.contains(&"lantu-app"), "{deps:?}");
    for below in ["lantu-store", "lantu-data", "lantu-report", "lantu-extract"] {
        assert!(
            !deps.contains(&below),
            "lantu-web depends on {below} directly: {deps:?}"
        );
    }
    // Nor does it reach through the application to the store.
    let mut offenders = Vec::new();
    for entry in std::fs::read_dir(root.join("src")).expect("src") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("source");
            for (n, line) in text.lines().enumerate() {
                if line.contains(".store()") && !line.trim_start().starts_with("//") {
                    offenders.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "handlers call the store:\n{}",
        offenders.join("\n")
    );
}
