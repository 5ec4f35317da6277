//! The Word 97-2003 .doc reader on arbitrary bytes (mostly mutated compound
//! files when seeded with samples/doc/), with the default limits.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nianbao::readers::{read_as, Format, Limits};

fuzz_target!(|data: &[u8]| {
    let _ = read_as(Format::Doc, data, &Limits::default());
});
