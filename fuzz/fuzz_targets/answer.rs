//! The response decoder of every shipped action: an input is `STATUS ACTION` on its first line,
//! then any bytes as the body (see `checks::split_answer`), read through the generated client's
//! table of actions by name as a call reads an answer. Must end in a value or a bounded error.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::answer(data));
