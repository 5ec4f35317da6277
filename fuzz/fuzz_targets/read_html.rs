//! The HTML reader on arbitrary bytes, with the default limits.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nianbao::readers::{read_as, Format, Limits};

fuzz_target!(|data: &[u8]| {
    let _ = read_as(Format::Html, data, &Limits::default());
});
