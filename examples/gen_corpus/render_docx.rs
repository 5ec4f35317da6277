//! DOCX written with docx-rs: the official merged layout (gridSpan/vMerge),
//! headings sometimes numbered by Word (w:numPr, the "一、" not in the text),
//! text split over runs, a tracked change in a cell, the whole report in a
//! one-cell layout table. The package is repacked with fixed timestamps,
//! deflate compression and renumbered paragraph/revision ids, so the bytes
//! depend on nothing but the report.

use std::io::{Cursor, Read, Write};

use docx_rs::*;

use super::grid::{self, Block, Grid, Kind, Slot};
use super::model::{DocxOpts, Report};
use super::narrative::{self, Narrative};
use super::rng::Rng;

const BODY_FONT: &[&str] = &["仿宋_GB2312", "仿宋", "宋体"];

struct Ctx<'a> {
    o: &'a DocxOpts,
    font: &'static str,
    rng: Rng,
    tracked_done: bool,
}

impl Ctx<'_> {
    fn fonts(&self) -> RunFonts {
        RunFonts::new()
            .east_asia(self.font)
            .ascii("Times New Roman")
            .hi_ansi("Times New Roman")
    }

    fn runs(&mut self, mut p: Paragraph, text: &str, size: usize, bold: bool) -> Paragraph {
        let chars: Vec<char> = text.chars().collect();
        let pieces: Vec<String> = if self.o.split_runs && chars.len() > 10 {
            let k = self.rng.range(2, 5) as usize;
            let mut cuts: Vec<usize> = (0..k - 1)
                .map(|_| 1 + self.rng.below(chars.len() as u64 - 1) as usize)
                .collect();
            cuts.sort();
            cuts.dedup();
            let mut out = Vec::new();
            let mut prev = 0;
            for c in cuts.into_iter().chain([chars.len()]) {
                out.push(chars[prev..c].iter().collect());
                prev = c;
            }
            out
        } else {
            vec![text.to_string()]
        };
        for piece in pieces {
            let mut run = Run::new().add_text(piece).size(size).fonts(self.fonts());
            if bold {
                run = run.bold();
            }
            p = p.add_run(run);
        }
        p
    }

    fn body(&mut self, text: &str) -> Paragraph {
        let p = Paragraph::new()
            .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
            .line_spacing(
                LineSpacing::new()
                    .line(560)
                    .line_rule(LineSpacingType::Exact),
            );
        self.runs(p, text, 32, false)
    }

    fn heading(&mut self, text: &str, numbered: bool) -> Paragraph {
        let p = Paragraph::new().indent(None, Some(SpecialIndentType::FirstLine(640)), None, None);
        if numbered {
            let p = p.numbering(NumberingId::new(2), IndentLevel::new(0));
            let run = Run::new()
                .add_text(text)
                .size(32)
                .fonts(RunFonts::new().east_asia("黑体"));
            p.add_run(run)
        } else {
            let run = Run::new()
                .add_text(text)
                .size(32)
                .fonts(RunFonts::new().east_asia("黑体"));
            p.add_run(run)
        }
    }

    fn cell_paragraph(&mut self, text: &str, kind: Kind) -> Paragraph {
        let mut p = Paragraph::new();
        if kind != Kind::Label {
            p = p.align(AlignmentType::Center);
        }
        // One tracked change per document: a deleted old number and the
        // inserted new one share the cell (the inserted one counts).
        if self.o.tracked_change && !self.tracked_done && kind == Kind::Value {
            if let Ok(v) = text.trim().parse::<i64>() {
                if v > 0 {
                    self.tracked_done = true;
                    let old = (v + 1 + self.rng.below(5) as i64).to_string();
                    let del = Delete::new()
                        .author("admin")
                        .date("2023-01-10T09:00:00Z")
                        .add_run(Run::new().add_delete_text(old).size(21));
                    let ins = Insert::new(Run::new().add_text(text).size(21))
                        .author("admin")
                        .date("2023-01-10T09:00:00Z");
                    return p.add_delete(del).add_insert(ins);
                }
            }
        }
        if text.is_empty() {
            return p;
        }
        p.add_run(
            Run::new()
                .add_text(text)
                .size(21)
                .fonts(RunFonts::new().east_asia("宋体")),
        )
    }

    fn table(&mut self, g: &Grid) -> Table {
        let slots = g.slots();
        let mut rows = Vec::new();
        for (r, row) in slots.iter().enumerate() {
            let mut cells = Vec::new();
            for (c, slot) in row.iter().enumerate() {
                match slot {
                    Slot::Origin(i) => {
                        let gc = &g.rows[r][*i];
                        let mut cell =
                            TableCell::new().add_paragraph(self.cell_paragraph(&gc.text, gc.kind));
                        if gc.cs > 1 {
                            cell = cell.grid_span(gc.cs);
                        }
                        if gc.rs > 1 {
                            cell = cell.vertical_merge(VMergeType::Restart);
                        }
                        cell = cell.vertical_align(VAlignType::Center);
                        cells.push(cell);
                    }
                    Slot::RowCover(r0, c0) if *c0 == c => {
                        let Slot::Origin(i) = slots[*r0][*c0] else {
                            continue;
                        };
                        let cs = g.rows[*r0][i].cs;
                        let mut cell = TableCell::new()
                            .add_paragraph(Paragraph::new())
                            .vertical_merge(VMergeType::Continue);
                        if cs > 1 {
                            cell = cell.grid_span(cs);
                        }
                        cells.push(cell);
                    }
                    Slot::Empty => cells.push(TableCell::new().add_paragraph(Paragraph::new())),
                    _ => {}
                }
            }
            rows.push(TableRow::new(cells));
        }
        let width = 9000 / g.ncols;
        Table::new(rows)
            .set_grid(vec![width; g.ncols])
            .layout(TableLayoutType::Fixed)
    }
}

enum Item {
    P(Paragraph),
    T(Table),
}

fn items(ctx: &mut Ctx, r: &Report, n: &Narrative) -> Vec<Item> {
    let mut out = Vec::new();
    let title = narrative::title(r);
    let tp = Paragraph::new().align(AlignmentType::Center);
    let tp = tp.add_run(
        Run::new()
            .add_text(&title)
            .size(44)
            .fonts(RunFonts::new().east_asia("方正小标宋简体")),
    );
    out.push(Item::P(tp));
    let numbered = ctx.o.numbered_headings && !r.style.renumbered;
    for i in 0..6 {
        if numbered {
            out.push(Item::P(ctx.heading(narrative::section_text(r, i), true)));
        } else if let Some(h) = narrative::section_heading(r, i) {
            out.push(Item::P(ctx.heading(&h, false)));
        }
        match i {
            0 => {
                for p in &n.intro {
                    out.push(Item::P(ctx.body(p)));
                }
                for (h, ps) in &n.topics {
                    if let Some(h) = h {
                        let p = Paragraph::new().indent(
                            None,
                            Some(SpecialIndentType::FirstLine(640)),
                            None,
                            None,
                        );
                        let p = p.add_run(
                            Run::new()
                                .add_text(h)
                                .size(32)
                                .fonts(RunFonts::new().east_asia("楷体_GB2312"))
                                .bold(),
                        );
                        out.push(Item::P(p));
                    }
                    for p in ps {
                        out.push(Item::P(ctx.body(p)));
                    }
                }
            }
            1..=3 => {
                let intro = match i {
                    1 => &n.active_intro,
                    2 => &n.requests_intro,
                    _ => &n.review_intro,
                };
                if let Some(p) = intro {
                    out.push(Item::P(ctx.body(p)));
                }
                let blocks = match i {
                    1 => grid::active_blocks(r),
                    2 => grid::requests_blocks(r),
                    _ => grid::review_blocks(r),
                };
                for b in &blocks {
                    match b {
                        Block::Table(g) => {
                            out.push(Item::T(ctx.table(g)));
                            out.push(Item::P(Paragraph::new()));
                        }
                        Block::Line(l) => {
                            out.push(Item::P(
                                Paragraph::new()
                                    .align(AlignmentType::Center)
                                    .add_run(Run::new().add_text(l)),
                            ));
                        }
                    }
                }
            }
            4 => {
                for p in &n.problems {
                    out.push(Item::P(ctx.body(p)));
                }
            }
            _ => {
                for p in &n.other {
                    out.push(Item::P(ctx.body(p)));
                }
            }
        }
    }
    for l in &n.closing {
        out.push(Item::P(
            Paragraph::new()
                .align(AlignmentType::Right)
                .add_run(Run::new().add_text(l).size(32)),
        ));
    }
    out
}

fn build(
    rng: &Rng,
    r: &Report,
    o: &DocxOpts,
    n: &Narrative,
    seal: Option<(Vec<u8>, u32)>,
) -> Vec<u8> {
    let mut ctx = Ctx {
        o,
        font: "仿宋_GB2312",
        rng: rng.clone(),
        tracked_done: false,
    };
    ctx.font = *ctx.rng.pick(BODY_FONT);
    let mut its = items(&mut ctx, r, n);
    if let Some((png, d)) = seal {
        // The seal goes over the signature, as on a stamped report.
        let side = 4 * 360_000; // 4 cm in EMU
        let pic = Pic::new_with_dimensions(png, d, d)
            .id("rIdImage1")
            .size(side, side);
        let at = its.len().saturating_sub(2);
        its.insert(
            at,
            Item::P(
                Paragraph::new()
                    .align(AlignmentType::Right)
                    .add_run(Run::new().add_image(pic)),
            ),
        );
    }
    let date = format!("{}-01-{:02}T08:30:00Z", r.year + 1, 5 + (r.index % 20));
    let mut docx = Docx::new()
        .created_at(&date)
        .updated_at(&date)
        .page_size(11906, 16838);
    if o.numbered_headings {
        docx = docx
            .add_abstract_numbering(AbstractNumbering::new(2).add_level(Level::new(
                0,
                Start::new(1),
                NumberFormat::new("chineseCounting"),
                LevelText::new("%1、"),
                LevelJc::new("left"),
            )))
            .add_numbering(Numbering::new(2, 2));
    }
    if o.layout_table {
        let mut cell = TableCell::new();
        for it in its {
            cell = match it {
                Item::P(p) => cell.add_paragraph(p),
                Item::T(t) => cell.add_table(t),
            };
        }
        let cell = cell.add_paragraph(Paragraph::new());
        docx = docx.add_table(Table::new(vec![TableRow::new(vec![cell])]).set_grid(vec![9000]));
    } else {
        for it in its {
            docx = match it {
                Item::P(p) => docx.add_paragraph(p),
                Item::T(t) => docx.add_table(t),
            };
        }
    }
    let mut buf = Cursor::new(Vec::new());
    docx.build().pack(&mut buf).expect("docx pack");
    repack(&buf.into_inner(), r.year + 1)
}

/// Rewrites `attr` values that follow each occurrence of `marker` with a
/// sequential counter (decimal or 8-digit hex).
fn renumber(s: &str, marker: &str, hex: bool, start: u64) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut n = start;
    while let Some(pos) = rest.find(marker) {
        out.push_str(&rest[..pos + marker.len()]);
        rest = &rest[pos + marker.len()..];
        let end = rest.find('"').unwrap_or(0);
        if hex {
            out.push_str(&format!("{n:08X}"));
        } else {
            out.push_str(&n.to_string());
        }
        n += 1;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Re-zips an OOXML package: same entries in the same order, deflated, with
/// a fixed modification time; ids that docx-rs draws from process-wide
/// counters are renumbered per document.
pub fn repack(bytes: &[u8], year: u32) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip read");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let time = zip::DateTime::from_date_and_time(year as u16, 1, 15, 9, 30, 0).expect("date");
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(time)
        .unix_permissions(0o644);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("zip entry");
        let name = f.name().to_string();
        if f.is_dir() {
            out.add_directory(name, opts).expect("zip dir");
            continue;
        }
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("zip inflate");
        if name.ends_with(".xml") {
            if let Ok(s) = std::str::from_utf8(&data) {
                if s.contains("w14:paraId=\"")
                    || s.contains("<w:ins w:id=\"")
                    || s.contains("<w:del w:id=\"")
                {
                    let s = renumber(s, "w14:paraId=\"", true, 1);
                    let s = renumber(&s, "<w:ins w:id=\"", false, 1);
                    let s = renumber(&s, "<w:del w:id=\"", false, 1000);
                    data = s.into_bytes();
                }
            }
        }
        out.start_file(name, opts).expect("zip start");
        out.write_all(&data).expect("zip write");
    }
    out.finish().expect("zip finish").into_inner()
}

pub fn render(rng: &mut Rng, r: &Report, o: &DocxOpts) -> Vec<u8> {
    // A realistic amount of extra narrative, then a scanned seal image sized
    // so the file lands near its target size (a package without image is
    // about 15.8 KB plus 0.16 byte per byte of narrative padding).
    let pad = rng.below(8000) as usize;
    let n = narrative::build(rng, r, pad);
    let estimate = 15_800 + pad * 16 / 100;
    let seal = if o.target_bytes > estimate + 1500 {
        Some(super::png::seal_of_size(rng, o.target_bytes - estimate))
    } else {
        None
    };
    let cell_rng = Rng::derive(rng.next_u64(), 7, 0);
    build(&cell_rng, r, o, &n, seal)
}
