//! The readers' floors: the least any reader of a format must do with a
//! document, so a reader's time or instruction count can be read as a
//! ratio. Shared by the criterion benches and the instruction-count
//! workloads (`examples/instructions.rs`), so both measure the same floor.
//!
//! - HTML: decode (charset sniffing included) and run html5ever's tokenizer
//!   with a sink that only counts tokens; nothing is built.
//! - Text: decode and split into lines and tab-separated cells.
//! - XLSX: open the ZIP, inflate the worksheets and the shared strings, and
//!   run quick-xml over them, counting events.

// Each target that includes this file uses some of the floors.
#![allow(dead_code)]

use std::cell::Cell;
use std::io::{Cursor, Read};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer};
use nianbao::internals::{decode, sniff_charset};

struct CountingSink(Cell<usize>);

impl TokenSink for CountingSink {
    type Handle = ();
    fn process_token(&self, _token: Token, _line: u64) -> TokenSinkResult<()> {
        self.0.set(self.0.get() + 1);
        TokenSinkResult::Continue
    }
}

/// Decode + tokenize, nothing built: what reading an HTML page cannot avoid.
pub fn html_floor(bytes: &[u8]) -> usize {
    let declared = sniff_charset(bytes);
    let text = decode(bytes, declared.as_deref());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&text));
    let tok = Tokenizer::new(CountingSink(Cell::new(0)), Default::default());
    let _ = tok.feed(&input);
    tok.end();
    tok.sink.0.get()
}

/// Decode + split into lines and cells.
pub fn text_floor(bytes: &[u8]) -> usize {
    decode(bytes, None)
        .lines()
        .map(|l| l.split('\t').count())
        .sum()
}

/// Inflates every worksheet and the shared strings and tokenizes them.
pub fn xlsx_floor(bytes: &[u8]) -> usize {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("sample is a ZIP");
    let mut events = 0;
    let mut data = Vec::new();
    let mut buf = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name();
        if !(name.starts_with("xl/worksheets/sheet") || name == "xl/sharedStrings.xml") {
            continue;
        }
        data.clear();
        entry.read_to_end(&mut data).expect("inflates");
        let mut xml = quick_xml::Reader::from_reader(data.as_slice());
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).expect("well-formed") {
                quick_xml::events::Event::Eof => break,
                _ => events += 1,
            }
        }
    }
    events
}
