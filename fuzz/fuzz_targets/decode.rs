//! Fuzz target: any bytes through `input::decode` as every format. It must
//! return (text or an error) without panicking, hanging or exhausting memory.
//!
//! `decode` catches a panic inside a third-party parser and reports it as an
//! error, which is its contract; libfuzzer-sys, though, aborts on any panic,
//! caught or not. By default this target therefore replaces that hook with a
//! silent one, so only a panic that escapes `decode` is a crash. With
//! `LANTU_FUZZ_STRICT=1` the abort-on-any-panic hook stays, which finds the
//! parser panics that `decode` hides.

#![no_main]

use std::sync::atomic::{AtomicU64, Ordering};

use lantu_extract::input::{decode, Format};
use libfuzzer_sys::fuzz_target;

/// Panics caught inside `decode` so far (reported every power of two).
static CAUGHT: AtomicU64 = AtomicU64::new(0);

fuzz_target!(
    init: {
        if std::env::var_os("LANTU_FUZZ_STRICT").is_none() {
            std::panic::set_hook(Box::new(|info| {
                let n = CAUGHT.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_power_of_two() {
                    eprintln!("[decode target] panic #{n} (caught by decode?): {info}");
                }
            }));
        }
    },
    |data: &[u8]| {
        for format in [Format::Text, Format::Html, Format::Docx, Format::Pdf] {
            let r = std::panic::catch_unwind(|| decode(data, format));
            if r.is_err() {
                // A panic escaped `decode`: a real crash.
                std::process::abort();
            }
        }
    }
);
