//! Matching normalized cell text against the template's label aliases.

use crate::values::similarity;

/// How well a normalized cell text matches a normalized alias (see [`best`]), from 0 (no
/// match) to 1 (identical). Containment either way counts (labels are often
/// shortened or carry extra words); otherwise bigram similarity tolerates
/// typos in labels of four or more characters.
/// Identity or containment only: cheap, and enough for most labels.
pub fn direct_score(cell: &str, alias: &str) -> f64 {
    if cell.is_empty() || alias.is_empty() {
        return 0.0;
    }
    if cell == alias {
        return 1.0;
    }
    let (cell_len, alias_len) = (cell.chars().count(), alias.chars().count());
    if alias_len >= 2 && cell.contains(alias) {
        // The longer the alias relative to the cell, the better the match.
        return 0.8 + 0.15 * alias_len as f64 / cell_len as f64;
    }
    if cell_len >= 4 && alias.contains(cell) {
        return 0.8 + 0.1 * cell_len as f64 / alias_len as f64;
    }
    0.0
}

/// Bigram similarity for typos and reworded labels; the expensive path.
pub fn fuzzy_score(cell: &str, alias: &str) -> f64 {
    let (cell_len, alias_len) = (cell.chars().count(), alias.chars().count());
    // Dice can reach 0.75 only when the lengths are close.
    let (short, long) = (cell_len.min(alias_len), cell_len.max(alias_len));
    if short >= 4 && 2 * short * 4 >= 3 * (short + long) {
        let sim = similarity(cell, alias);
        if sim >= 0.75 {
            return 0.6 + 0.2 * sim;
        }
    }
    // A dropped or miswritten character in a long label (其他法律行政止公开
    // for 其他法律行政法规禁止公开): nearly every pair of the cell is in the
    // alias, and most of the alias is in the cell.
    if short >= 6 && cell_len >= 6 && cover(cell, alias) >= 0.85 && cover(alias, cell) >= 0.6 {
        return 0.76;
    }
    0.0
}

/// The share of `a`'s character pairs that occur in `b`.
fn cover(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() < 2 {
        return 0.0;
    }
    let found = a
        .windows(2)
        .filter(|w| b.windows(2).any(|x| x == *w))
        .count();
    found as f64 / (a.len() - 1) as f64
}

/// The best score of `cell` against any of `aliases`.
pub fn best(cell: &str, aliases: &[&str]) -> f64 {
    let direct = best_with(cell, aliases, direct_score);
    if direct > 0.0 {
        direct
    } else {
        best_with(cell, aliases, fuzzy_score)
    }
}

/// The best score of `cell` against `aliases` under one scoring function.
pub fn best_with(cell: &str, aliases: &[&str], score: fn(&str, &str) -> f64) -> f64 {
    aliases.iter().map(|a| score(cell, a)).fold(0.0, f64::max)
}

/// Label matches at or above this score are trusted.
pub const THRESHOLD: f64 = 0.75;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::normalize_label as n;

    fn score(cell: &str, alias: &str) -> f64 {
        best(cell, &[alias])
    }

    #[test]
    fn exact_contained_and_fuzzy() {
        assert_eq!(score(&n("（一）予以公开"), "予以公开"), 1.0);
        assert!(score(&n("一、本年新收政府信息公开申请数量"), "本年新收") > THRESHOLD);
        assert!(score(&n("2.其他法律法规禁止公开"), "其他法律行政法规禁止公开") > THRESHOLD);
        assert!(score(&n("(三) 不予公开"), "予以公开") < THRESHOLD);
        assert!(
            score(
                &n("上年结转政府信息公开申请数量"),
                "本年新收政府信息公开申请数量"
            ) < THRESHOLD
        );
        assert!(score(&n("结转下一年继续办理"), "结转下一年继续办理") == 1.0);
        assert!(score(&n("2.其他法律行政止公开"), "其他法律行政法规禁止公开") >= THRESHOLD);
        assert!(score(&n("4.保护第三方合法权益"), "其他法律行政法规禁止公开") < THRESHOLD);
        assert!(score(&n("2.没有现成信息需要另行制作"), "本机关不掌握相关政府信息") < THRESHOLD);
    }
}
