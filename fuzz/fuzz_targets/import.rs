//! Fuzz target: any bytes through the monitoring-data import, as a workbook,
//! as CSV, and as the rows of a sheet inside a workbook (so that the
//! streamed sheet reader sees XML, not only what random bytes make of a zip
//! archive). It must return (figures or errors) without panicking, hanging
//! or exhausting memory: the readers hold no `catch_unwind`, so any panic
//! is a crash.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    lantu_data::testing::fuzz_import(data);
});
