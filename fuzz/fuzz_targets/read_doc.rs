//! The Word 97-2003 .doc reader on arbitrary bytes (mostly mutated compound
//! files when seeded with samples/doc/), with the default limits. The reader
//! is crate-private; `read_document` reaches it for every input detected as
//! a .doc (the shared compound-file walker runs for detection too).
#![no_main]
use libfuzzer_sys::fuzz_target;
use nianbao::readers::{detect_format, read_document, Format, Limits};

fuzz_target!(|data: &[u8]| {
    if matches!(detect_format(data), Ok(Format::Doc)) {
        let _ = read_document(data, &Limits::default());
    }
});
