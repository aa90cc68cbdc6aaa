//! cargo-fuzz target: see fuzz/checks/question_bank.rs for what it exercises.
#![no_main]

#[path = "../checks/question_bank.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::run(data));
