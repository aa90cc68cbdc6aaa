//! cargo-fuzz target: see fuzz/checks/gift_import.rs for what it exercises.
#![no_main]

#[path = "../checks/gift_import.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::run(data));
