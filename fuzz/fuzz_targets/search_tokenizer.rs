//! cargo-fuzz target: see fuzz/checks/search_tokenizer.rs for what it exercises.
#![no_main]

#[path = "../checks/search_tokenizer.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::run(data));
