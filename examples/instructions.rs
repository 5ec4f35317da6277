//! Fixed workloads for the instruction-count guard (`benches/instructions.sh`):
//! each reads one bundled sample, or recognizes and checks an already read
//! document, `ROUNDS` times. Run under callgrind, the count of instructions
//! is repeatable on a noisy shared machine where wall time is not.
//!
//! `cargo run --release --example instructions -- WORKLOAD ROUNDS`. The
//! script runs each workload for 1 and for 21 rounds and divides the
//! difference by 20, so start-up and one-time work (reading the sample,
//! building the label automata, compiling regexes) are not counted.
//!
//! The `floor_*` workloads are the readers' floors as the criterion benches
//! define them (benches/text_html_recognition.rs, benches/spreadsheet_reader.rs):
//! what reading the same sample cannot avoid. They are not guarded (the code
//! is not ours) but give each reader's ratio to its floor in instructions.

use nianbao::readers::{read_as, read_document, Format, Limits};

#[path = "../benches/common/floors.rs"]
mod floors;
use floors::{html_floor, text_floor, xlsx_floor};

fn rounds() -> usize {
    std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(1)
}

fn sample(path: &str) -> Vec<u8> {
    let full = format!("{}/samples/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn read(format: Format, path: &str) {
    let bytes = sample(path);
    let limits = Limits::default();
    for _ in 0..rounds() {
        std::hint::black_box(read_as(format, &bytes, &limits).expect("sample reads"));
    }
}

fn floor(path: &str, f: fn(&[u8]) -> usize) {
    let bytes = sample(path);
    for _ in 0..rounds() {
        std::hint::black_box(f(std::hint::black_box(&bytes)));
    }
}

/// Recognition + checks; `cold` forgets the label verdicts cached across
/// reports before each round, as for a report whose labels no earlier
/// report printed (the worst case; in a batch most labels repeat).
fn recognize(format: Format, path: &str, cold: bool) {
    let bytes = sample(path);
    let (_, doc) = read_document(&bytes, &Limits::default()).expect("sample reads");
    for _ in 0..rounds() {
        if cold {
            nianbao::internals::clear_label_cache();
        }
        let mut report = nianbao::recognize::recognize(std::hint::black_box(&doc), "guard", format);
        nianbao::checks::run(&mut report);
        std::hint::black_box(report);
    }
}

fn main() {
    let workload = std::env::args().nth(1).unwrap_or_default();
    match workload.as_str() {
        "recognize_text_seed" => recognize(Format::Txt, "txt/guangyang-2022.txt", true),
        "recognize_html_county" => recognize(Format::Html, "html/xx-county-2023-utf8.html", true),
        "recognize_text_seed_warm" => recognize(Format::Txt, "txt/guangyang-2022.txt", false),
        "recognize_html_county_warm" => {
            recognize(Format::Html, "html/xx-county-2023-utf8.html", false)
        }
        "read_text_seed" => read(Format::Txt, "txt/guangyang-2022.txt"),
        "read_html_county" => read(Format::Html, "html/xx-county-2023-utf8.html"),
        "read_html_town" => read(Format::Html, "html/xx-town-2022-gbk.html"),
        "read_xlsx_sheets" => read(Format::Xlsx, "xlsx/qingsong-edu-2023-sheets.xlsx"),
        "floor_text_seed" => floor("txt/guangyang-2022.txt", text_floor),
        "floor_html_county" => floor("html/xx-county-2023-utf8.html", html_floor),
        "floor_html_town" => floor("html/xx-town-2022-gbk.html", html_floor),
        "floor_xlsx_sheets" => floor("xlsx/qingsong-edu-2023-sheets.xlsx", xlsx_floor),
        "read_docx_official" => read(Format::Docx, "docx/official-layout-python-docx.docx"),
        "read_doc_official" => read(Format::Doc, "doc/official-layout-python-docx.doc"),
        "read_pdf_official" => read(Format::Pdf, "pdf/official-layout-python-docx.pdf"),
        other => {
            eprintln!("unknown workload {other:?}");
            std::process::exit(2);
        }
    }
}
