//! Prints what the DOCX reader makes of a file: paragraphs (with list labels)
//! and table grids. `cargo run --example docx_dump -- file.docx`
use nianbao::document::Block;
use nianbao::readers::{docx, Limits};

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        let start = std::time::Instant::now();
        let result = docx::read(&bytes, &Limits::default());
        println!("== {path} ({:?})", start.elapsed());
        match result {
            Err(e) => println!("error: {e}"),
            Ok(doc) => {
                for block in &doc.blocks {
                    match block {
                        Block::Paragraph(p) => match &p.list_label {
                            Some(l) => println!("P [{l}] {}", p.text),
                            None => println!("P {}", p.text),
                        },
                        Block::Table(t) => {
                            println!("T {:?} {}x{}", t.origin, t.rows(), t.cols());
                            for r in 0..t.rows() {
                                let cells: Vec<String> = t
                                    .row(r)
                                    .iter()
                                    .map(|c| {
                                        if c.is_origin {
                                            c.text.clone()
                                        } else {
                                            format!("~{}", c.text)
                                        }
                                    })
                                    .collect();
                                println!("  {}", cells.join(" | "));
                            }
                        }
                    }
                }
            }
        }
    }
}
