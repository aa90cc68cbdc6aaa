//! cargo-fuzz target: see fuzz/checks/front_matter.rs for what it exercises.
#![no_main]

#[path = "../checks/front_matter.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::run(data));
