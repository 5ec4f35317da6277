//! The PDF reader on arbitrary bytes (mostly mutated PDFs when seeded with
//! samples/pdf), through `read_document` with the default limits: an input
//! without the `%PDF-` header gets one, so every run reaches the PDF reader.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nianbao::readers::{read_document, Limits};

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"%PDF-") {
        let _ = read_document(data, &Limits::default());
    } else {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.extend_from_slice(data);
        let _ = read_document(&pdf, &Limits::default());
    }
});
