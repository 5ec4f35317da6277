//! Normalized cell texts kept per thread across reports.
//!
//! Every report of a year prints the same template labels, so most of a
//! table's distinct texts were normalized before, in an earlier report on
//! the same worker: normalizing one (width folding, numbering stripped,
//! punctuation dropped) costs about 1,700 instructions, looking it up about
//! a tenth of that. Bounded like the label verdicts
//! (`row_matcher::verdicts`): at [`ENTRIES`] texts the cache is dropped and
//! refills.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use crate::values::{normalize_label, parse_cell, CellText};

/// At most this many texts per thread (a few MB at label lengths).
pub(crate) const ENTRIES: usize = 16_384;

thread_local! {
    static TEXTS: RefCell<FxHashMap<Box<str>, (String, bool)>> = RefCell::default();
}

/// A cell text's normalized form (empty unless it could be a label) and
/// whether it could be a label (not blank, not a number or placeholder).
pub(crate) fn normalized(text: &str) -> (String, bool) {
    if let Some(known) = TEXTS.with_borrow(|t| t.get(text).cloned()) {
        return known;
    }
    let found = afresh(text);
    // Long texts (narrative rows) rarely repeat: not worth keeping.
    if text.len() <= 256 {
        TEXTS.with_borrow_mut(|t| {
            if t.len() >= ENTRIES {
                t.clear();
            }
            t.insert(text.into(), found.clone());
        });
    }
    found
}

fn afresh(text: &str) -> (String, bool) {
    let label = matches!(parse_cell(text), CellText::Text);
    let norm = if label {
        normalize_label(text)
    } else {
        String::new()
    };
    (norm, label)
}

/// Forgets this thread's texts (for cold-cache measurements).
pub fn clear() {
    TEXTS.with_borrow_mut(|t| t.clear());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_texts_equal_fresh_ones() {
        let texts = [
            "（一）予以公开",
            "12",
            "",
            "—",
            "三、本年度办理结果",
            "１２件",
            "总计",
        ];
        clear();
        let cold: Vec<_> = texts.iter().map(|t| normalized(t)).collect();
        let warm: Vec<_> = texts.iter().map(|t| normalized(t)).collect();
        let fresh: Vec<_> = texts.iter().map(|t| afresh(t)).collect();
        assert_eq!(cold, fresh);
        assert_eq!(warm, fresh);
        assert_eq!(fresh[0], ("予以公开".to_string(), true));
        assert!(!fresh[1].1 && fresh[1].0.is_empty());
    }

    #[test]
    fn the_cache_is_bounded() {
        clear();
        for i in 0..ENTRIES + 10 {
            normalized(&format!("标签{i}"));
        }
        assert!(TEXTS.with_borrow(|t| t.len()) <= ENTRIES);
    }
}
