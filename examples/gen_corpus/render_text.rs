//! Plain text like the seed: text copied out of a web page, tables as
//! tab-separated lines with the merged-cell structure flattened, some rows
//! losing their leading tabs; a few files use runs of spaces or pipe rows.

use super::grid::{Block, Grid, Kind, Slot};
use super::model::{Report, TextOpts};
use super::narrative::{self, Narrative};
use super::rng::Rng;

fn flatten(rng: &mut Rng, g: &Grid, colspan_fill: bool, lost_tabs: bool) -> Vec<Vec<String>> {
    let slots = g.slots();
    let mut out = Vec::new();
    for (r, row) in slots.iter().enumerate() {
        let mut fields: Vec<String> = Vec::new();
        for slot in row {
            match slot {
                Slot::Origin(i) => fields.push(g.rows[r][*i].text.replace('\n', "")),
                Slot::ColCover => {
                    if colspan_fill {
                        fields.push(String::new())
                    }
                }
                Slot::RowCover(..) => fields.push(String::new()),
                Slot::Empty => fields.push(String::new()),
            }
        }
        // Rows whose first cell is a row label covered from above may lose
        // the empty fields before the label (never value fields).
        if lost_tabs && rng.chance(0.12) {
            if let Some(first) = row.iter().position(|s| matches!(s, Slot::Origin(_))) {
                let Slot::Origin(i) = row[first] else {
                    unreachable!()
                };
                if g.rows[r][i].kind == Kind::Label
                    && row[..first].iter().all(|s| matches!(s, Slot::RowCover(..)))
                {
                    fields.drain(..first);
                }
            }
        }
        out.push(fields);
    }
    out
}

fn table_lines(
    rng: &mut Rng,
    r: &Report,
    o: &TextOpts,
    g: &Grid,
    trailing_tab: bool,
    out: &mut String,
) {
    let colspan_fill = rng.chance(0.6);
    let rows = flatten(rng, g, colspan_fill, r.style.lost_tabs);
    for fields in rows {
        if o.pipes {
            out.push_str("| ");
            out.push_str(&fields.join(" | "));
            out.push_str(" |\n");
        } else if o.spaces {
            let mut line = String::new();
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    line.push_str(&" ".repeat(2 + rng.below(4) as usize));
                }
                line.push_str(f);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        } else {
            out.push_str(&fields.join("\t"));
            if trailing_tab {
                out.push('\t');
            }
            out.push('\n');
        }
    }
}

fn para(out: &mut String, p: &str, indent: bool) {
    if indent {
        out.push_str("\u{3000}\u{3000}");
    }
    out.push_str(p);
    out.push_str("\n\n");
}

pub fn render(rng: &mut Rng, r: &Report, o: &TextOpts) -> Vec<u8> {
    let pad = rng.below(6000) as usize;
    let n: Narrative = narrative::build(rng, r, pad);
    let indent = rng.chance(0.3);
    // Every table line ends with a tab, or none does; never when blank cells
    // would make the extra field ambiguous.
    let trailing_tab = !r.style.zero_is_blank() && rng.chance(0.3);
    let mut out = String::new();
    out.push_str("\n\n");
    out.push_str(&narrative::title(r));
    out.push_str("\n\n");
    for i in 0..6 {
        if let Some(h) = narrative::section_heading(r, i) {
            out.push_str(&h);
            out.push_str("\n\n");
        }
        match i {
            0 => {
                for p in &n.intro {
                    para(&mut out, p, indent);
                }
                for (h, ps) in &n.topics {
                    if let Some(h) = h {
                        para(&mut out, h, false);
                    }
                    for p in ps {
                        para(&mut out, p, indent);
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
                    para(&mut out, p, indent);
                }
                let blocks = match i {
                    1 => super::grid::active_blocks(r),
                    2 => super::grid::requests_blocks(r),
                    _ => super::grid::review_blocks(r),
                };
                for b in &blocks {
                    match b {
                        Block::Table(g) => table_lines(rng, r, o, g, trailing_tab, &mut out),
                        Block::Line(l) => {
                            out.push('\n');
                            out.push_str(l);
                            out.push_str("\n\n");
                        }
                    }
                }
                out.push('\n');
            }
            4 => {
                for p in &n.problems {
                    para(&mut out, p, indent);
                }
            }
            _ => {
                for p in &n.other {
                    para(&mut out, p, indent);
                }
            }
        }
    }
    if rng.chance(0.5) {
        for l in &n.closing {
            out.push_str(l);
            out.push('\n');
        }
    }
    out.into_bytes()
}
