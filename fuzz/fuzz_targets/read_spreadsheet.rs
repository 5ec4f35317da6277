//! The spreadsheet reader on arbitrary bytes. The format it is told is the
//! one content sniffing gives (as in the pipeline); for bytes that sniff as no
//! spreadsheet, the first byte picks one, so a wrong format is exercised too.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "tolerate.rs"]
mod tolerate;
use nianbao::readers::{read_as, read_document, Format, Limits};

fuzz_target!(|data: &[u8]| {
    tolerate::tolerate_caught_calamine_panics();
    let format = match read_document(data, &Limits::default()) {
        Ok((f @ (Format::Xlsx | Format::Xls | Format::Ods), _)) => f,
        _ => [Format::Xlsx, Format::Xls, Format::Ods][data.first().map_or(0, |b| *b as usize % 3)],
    };
    let _ = read_as(format, data, &Limits::default());
});
