//! The log of the binary: `tracing` events to standard error (standard
//! output stays for results and `--format json`), filtered by `RUST_LOG`
//! (e.g. `RUST_LOG=lantu_web=debug,info`), `info` when it is unset.

use tracing_subscriber::EnvFilter;

/// Installs the subscriber; an unreadable `RUST_LOG` falls back to `info`
/// with a warning.
pub fn init() {
    let (filter, bad) = match std::env::var("RUST_LOG") {
        Ok(v) if !v.trim().is_empty() => match EnvFilter::try_new(&v) {
            Ok(f) => (f, None),
            Err(e) => (
                EnvFilter::new("info"),
                Some(format!("RUST_LOG={v:?} is not a log filter ({e}); using info")),
            ),
        },
        _ => (EnvFilter::new("info"), None),
    };
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init()
        .is_ok();
    if let (true, Some(msg)) = (installed, bad) {
        tracing::warn!("{msg}");
    }
}
