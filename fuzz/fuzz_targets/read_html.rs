//! The HTML reader on arbitrary bytes, with the default limits.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nianbao::readers::{html, Limits};

fuzz_target!(|data: &[u8]| {
    let _ = html::read(data, &Limits::default());
});
