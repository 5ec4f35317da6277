//! The plain-text reader on arbitrary bytes (any encoding, any line shape).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = nianbao::readers::read_as(nianbao::readers::Format::Txt, data, &nianbao::readers::Limits::default());
});
