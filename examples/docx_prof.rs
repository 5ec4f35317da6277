//! Runs the DOCX reader, the unzip+tokenize floor (in memory or streamed
//! through a BufReader) or docx-rs N times on one file, for profilers that
//! count instructions (valgrind --tool=callgrind) or CPU time (perf stat):
//! `cargo run --release --example docx_prof -- reader|floor|floor-streamed|docx-rs FILE N`
use nianbao::readers::{read_as, Format, Limits};
use quick_xml::events::Event;
use std::io::{Cursor, Read};

fn floor(bytes: &[u8]) -> usize {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut file = archive.by_name("word/document.xml").unwrap();
    let mut xml = Vec::with_capacity(file.size() as usize);
    file.read_to_end(&mut xml).unwrap();
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut events = 0;
    while !matches!(reader.read_event().unwrap(), Event::Eof) {
        events += 1;
    }
    events
}

fn floor_streamed(bytes: &[u8]) -> usize {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let file = archive.by_name("word/document.xml").unwrap();
    let mut reader =
        quick_xml::Reader::from_reader(std::io::BufReader::with_capacity(64 * 1024, file));
    let mut buf = Vec::with_capacity(4096);
    let mut events = 0;
    loop {
        buf.clear();
        if matches!(reader.read_event_into(&mut buf).unwrap(), Event::Eof) {
            break;
        }
        events += 1;
    }
    events
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[2]).unwrap();
    let n: usize = args[3].parse().unwrap();
    let limits = Limits::default();
    let mut total = 0;
    for _ in 0..n {
        total += match args[1].as_str() {
            "reader" => read_as(Format::Docx, &bytes, &limits).unwrap().blocks.len(),
            "floor" => floor(&bytes),
            "floor-streamed" => floor_streamed(&bytes),
            "docx-rs" => docx_rs::read_docx(&bytes).unwrap().document.children.len(),
            other => panic!("unknown mode {other}"),
        };
    }
    println!("{total}");
}
