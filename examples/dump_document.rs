//! Prints the Document a reader builds from a file: paragraphs, and each
//! table as its dense grid. For debugging readers and recognition:
//! `cargo run --example dump_document -- FILE`.

use nianbao::document::Block;

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump_document FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    match nianbao::readers::read_document(&bytes, &Default::default()) {
        Err(e) => println!("error: {e}"),
        Ok((format, doc)) => {
            println!("format: {}", format.as_str());
            for block in &doc.blocks {
                match block {
                    Block::Paragraph(p) => println!("P: {}", p.display_text()),
                    Block::Table(t) => {
                        println!("TABLE {:?} {}x{}", t.origin, t.rows(), t.cols());
                        for r in 0..t.rows() {
                            let cells: Vec<String> = t
                                .row(r)
                                .iter()
                                .map(|c| {
                                    if c.is_origin {
                                        c.text.to_string()
                                    } else {
                                        format!("^{}", c.text)
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
