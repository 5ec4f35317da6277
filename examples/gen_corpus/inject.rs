//! Injected inconsistencies and their exact consequences.
//!
//! The tables are consistent by construction; injections change written
//! values only. The findings a correct checker must emit are then obtained by
//! evaluating the TEMPLATE.md rules on the generator's own numeric model (no
//! file is read back), so every consequence of an injection is listed —
//! including the knock-on ones (a changed `total` of a result row also breaks
//! results_sum for column total, and so on).
//!
//! Conventions of a finding (see also the truth format in mod.rs):
//! - requests.row_sum: row = the row, column = "total"; expected = sum of the
//!   six applicant cells, actual = the written total.
//! - requests.results_sum: row = "results_total", column = c; expected = sum of
//!   the result rows, actual = the written results_total.
//! - requests.balance: row = "carried_forward", column = c; expected = new +
//!   carried_over − results_total, actual = the written carried_forward (so
//!   actual − expected = (results_total + carried_forward) − (new + carried_over)).
//! - review_litigation.group_sum: row = the group (review, suit_direct,
//!   suit_after_review), column = "total"; expected = upheld + corrected +
//!   other + pending, actual = the written total.
//! - value.domain: the cell; expected = null, actual = the written text or
//!   number.
//! - narrative.requests: row = "new", column = "total"; expected = the count
//!   the narrative states (as a careful reader reads it), actual = the written
//!   requests.new.total.
//! - cross_year.carry: row = carried_forward (or carried_over), column = c;
//!   expected = the other year's written value, actual = this report's
//!   written value; related_file names the other year's file.
//!
//! Severity: "error" when every operand is a written number, "incomplete" when
//! some operand is blank, a placeholder or text (read as 0), "warning" for
//! narrative.requests and for a fee with more than 4 decimals.

use serde::Serialize;
use serde_json::{json, Value};

use super::layout::*;
use super::model::*;
use super::rng::Rng;

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub table: &'static str,
    pub row: Option<String>,
    pub column: Option<String>,
    pub expected: Value,
    pub actual: Value,
    pub severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_file: Option<String>,
}

/// What was changed (for debugging a checker; the findings are the contract).
#[derive(Clone, Debug, Serialize)]
pub struct Cause {
    pub kind: &'static str,
    pub table: &'static str,
    pub row: Option<String>,
    pub column: Option<String>,
    #[serde(rename = "true")]
    pub true_value: Value,
    pub written: Value,
}

fn delta(rng: &mut Rng, base: i64) -> i64 {
    let k = *rng.pick(&[1i64, 1, 1, 2, 2, 3, 4, 5, 10]);
    if rng.chance(0.45) && base >= k {
        -k
    } else {
        k
    }
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

const TEXTS: &[&str] = &["若干", "不详", "见附件", "待统计", "未统计", "详见说明"];

/// Picks 1–3 injections, applies them to the written values and computes the
/// findings. Retries if the injections happen to cancel out.
pub fn inject(rng: &mut Rng, r: &mut Report) {
    for _attempt in 0..20 {
        r.req_w = written_req(&r.req);
        r.rev_w = written_rev(&r.rev);
        r.fee_written = None;
        let narr0 = r.narr.clone();
        r.causes.clear();
        let n = match rng.weighted(&[70.0, 25.0, 5.0]) {
            0 => 1,
            1 => 2,
            _ => 3,
        };
        let mut touched: Vec<(&'static str, usize, usize)> = Vec::new();
        let mut kinds_used: Vec<usize> = Vec::new();
        while r.causes.len() < n {
            let kind = rng.weighted(&[22.0, 14.0, 12.0, 12.0, 12.0, 13.0, 5.0, 10.0]);
            if kinds_used.contains(&kind) && rng.chance(0.7) {
                continue;
            }
            if let Some(c) = apply(rng, r, kind, &mut touched, &narr0) {
                kinds_used.push(kind);
                r.causes.push(c);
            }
        }
        r.findings = evaluate(r);
        if !r.findings.is_empty() {
            return;
        }
        r.narr = narr0;
    }
    // Give up (never observed): leave the report consistent.
    r.req_w = written_req(&r.req);
    r.rev_w = written_rev(&r.rev);
    r.fee_written = None;
    r.causes.clear();
    r.findings.clear();
}

fn apply(
    rng: &mut Rng,
    r: &mut Report,
    kind: usize,
    touched: &mut Vec<(&'static str, usize, usize)>,
    narr0: &Narr,
) -> Option<Cause> {
    match kind {
        // A cell of table 三 off by k: the total column (0) or an applicant column (1).
        0 | 1 => {
            let row = rng.below(25) as usize;
            let col = if kind == 0 {
                TOTAL
            } else {
                rng.below(6) as usize
            };
            if touched.contains(&("requests", row, col)) {
                return None;
            }
            let from = r.req_w[row][col].num0();
            let to = from + delta(rng, from);
            r.req_w[row][col] = W::N(to);
            touched.push(("requests", row, col));
            Some(Cause {
                kind: if col == TOTAL {
                    "row_total_off"
                } else {
                    "cell_off"
                },
                table: "requests",
                row: s(REQ_ROWS_2021[row].key),
                column: s(REQ_COLS[col].0),
                true_value: json!(r.req[row][col]),
                written: json!(to),
            })
        }
        // results_total off in one column and, to keep its row sum, in total.
        2 | 3 => {
            let row = if kind == 2 { ROW_RT } else { ROW_CF };
            let col = rng.below(6) as usize;
            if touched.iter().any(|t| t.0 == "requests" && t.1 == row) {
                return None;
            }
            let from = r.req_w[row][col].num0();
            let d = delta(rng, from.min(r.req_w[row][TOTAL].num0()));
            r.req_w[row][col] = W::N(from + d);
            let ft = r.req_w[row][TOTAL].num0();
            r.req_w[row][TOTAL] = W::N(ft + d);
            touched.push(("requests", row, col));
            touched.push(("requests", row, TOTAL));
            Some(Cause {
                kind: if kind == 2 {
                    "results_total_off"
                } else {
                    "carried_forward_off"
                },
                table: "requests",
                row: s(REQ_ROWS_2021[row].key),
                column: s(REQ_COLS[col].0),
                true_value: json!(r.req[row][col]),
                written: json!(from + d),
            })
        }
        // A group total of table 四 off by k.
        4 => {
            let g = rng.below(3) as usize;
            if touched.contains(&("review", g, 4)) {
                return None;
            }
            let from = r.rev_w[g][4].num0();
            let to = from + delta(rng, from);
            r.rev_w[g][4] = W::N(to);
            touched.push(("review", g, 4));
            Some(Cause {
                kind: "group_total_off",
                table: "review_litigation",
                row: s(REVIEW_GROUPS[g].0),
                column: s("total"),
                true_value: json!(r.rev[g][4]),
                written: json!(to),
            })
        }
        // Text where a number belongs, in a cell whose true value is 0 (so no
        // sum rule changes when it is read as 0).
        5 => {
            let text = rng.pick(TEXTS).to_string();
            let in_req = rng.chance(0.75);
            let mut cands: Vec<(usize, usize)> = Vec::new();
            if in_req {
                for row in 0..25 {
                    for col in 0..7 {
                        if r.req[row][col] == 0
                            && r.req_w[row][col] == W::N(0)
                            && !touched.contains(&("requests", row, col))
                        {
                            cands.push((row, col));
                        }
                    }
                }
            } else {
                for g in 0..3 {
                    for col in 0..5 {
                        if r.rev[g][col] == 0
                            && r.rev_w[g][col] == W::N(0)
                            && !touched.contains(&("review", g, col))
                        {
                            cands.push((g, col));
                        }
                    }
                }
            }
            if cands.is_empty() {
                return None;
            }
            let (row, col) = *rng.pick(&cands);
            if in_req {
                r.req_w[row][col] = W::T(text.clone());
                touched.push(("requests", row, col));
                Some(Cause {
                    kind: "text_value",
                    table: "requests",
                    row: s(REQ_ROWS_2021[row].key),
                    column: s(REQ_COLS[col].0),
                    true_value: json!(0),
                    written: json!(text),
                })
            } else {
                r.rev_w[row][col] = W::T(text.clone());
                touched.push(("review", row, col));
                Some(Cause {
                    kind: "text_value",
                    table: "review_litigation",
                    row: s(REVIEW_GROUPS[row].0),
                    column: s(REVIEW_COLS[col].0),
                    true_value: json!(0),
                    written: json!(text),
                })
            }
        }
        // The fee: negative, or more than 4 decimals.
        6 => {
            if r.fee_written.is_some() {
                return None;
            }
            let base = if r.active.fee < 1_0000 {
                rng.range(1_0000, 99_9999)
            } else {
                r.active.fee
            };
            let fw = if rng.chance(0.5) {
                FeeWritten::Negative(format!("-{}", super::style::fee_str(base, false)))
            } else {
                let extra = rng.range(1, 99);
                FeeWritten::TooPrecise(format!("{}{:02}", super::style::fee_str(base, true), extra))
            };
            let written = match &fw {
                FeeWritten::Negative(t) | FeeWritten::TooPrecise(t) => t.clone(),
            };
            r.fee_written = Some(fw);
            Some(Cause {
                kind: "fee_domain",
                table: "active_disclosure",
                row: s("fees"),
                column: s("amount"),
                true_value: json!(super::style::fee_str(r.active.fee, false)),
                written: json!(written),
            })
        }
        // The narrative states another count.
        _ => {
            if !r.has_narrative() || r.narr != *narr0 {
                return None;
            }
            let n = r.req[ROW_NEW][TOTAL];
            let new_narr = match &r.narr {
                Narr::WithCarry { stated, carried } => Narr::WithCarry {
                    stated: stated + delta(rng, n),
                    carried: *carried,
                },
                _ if n == 0 => Narr::Count(rng.range(1, 6)),
                _ if rng.chance(0.2) => Narr::NotReceived,
                _ => Narr::Count(n + delta(rng, n)),
            };
            let c = Cause {
                kind: "narrative_count_off",
                table: "requests",
                row: s("new"),
                column: s("total"),
                true_value: json!(n),
                written: json!(new_narr.careful()),
            };
            r.narr = new_narr;
            Some(c)
        }
    }
}

pub fn req_blank(r: &Report, row: usize, col: usize) -> bool {
    match &r.req_w[row][col] {
        W::T(_) => true,
        W::N(0) => r.style.zero_is_blank(),
        W::N(_) => false,
    }
}

fn rev_blank(r: &Report, g: usize, col: usize) -> bool {
    match &r.rev_w[g][col] {
        W::T(_) => true,
        W::N(0) => r.style.zero_is_blank(),
        W::N(_) => false,
    }
}

fn sev(incomplete: bool) -> &'static str {
    if incomplete {
        "incomplete"
    } else {
        "error"
    }
}

/// Evaluates the single-report rules on the written values. A rule
/// instance with a text operand is blocked (TEMPLATE.md: one root cause,
/// one finding): only the operand's value.domain finding is expected.
pub fn evaluate(r: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    let w = |row: usize, col: usize| r.req_w[row][col].num0();
    let text = |row: usize, col: usize| matches!(r.req_w[row][col], W::T(_));
    // requests.row_sum
    for row in 0..25 {
        let sum: i64 = (0..6).map(|c| w(row, c)).sum();
        if (0..7).any(|c| text(row, c)) {
            continue;
        }
        if sum != w(row, TOTAL) {
            let inc = (0..7).any(|c| req_blank(r, row, c));
            out.push(Finding {
                rule: "requests.row_sum",
                table: "requests",
                row: s(REQ_ROWS_2021[row].key),
                column: s("total"),
                expected: json!(sum),
                actual: json!(w(row, TOTAL)),
                severity: sev(inc),
                related_file: None,
            });
        }
    }
    // requests.results_sum
    for col in 0..7 {
        let sum: i64 = RESULT_ROWS.map(|row| w(row, col)).sum();
        if RESULT_ROWS.chain([ROW_RT]).any(|row| text(row, col)) {
            continue;
        }
        if sum != w(ROW_RT, col) {
            let inc = RESULT_ROWS
                .chain([ROW_RT])
                .any(|row| req_blank(r, row, col));
            out.push(Finding {
                rule: "requests.results_sum",
                table: "requests",
                row: s("results_total"),
                column: s(REQ_COLS[col].0),
                expected: json!(sum),
                actual: json!(w(ROW_RT, col)),
                severity: sev(inc),
                related_file: None,
            });
        }
    }
    // requests.balance
    for col in 0..7 {
        let exp = w(ROW_NEW, col) + w(ROW_CO, col) - w(ROW_RT, col);
        if [ROW_NEW, ROW_CO, ROW_RT, ROW_CF]
            .iter()
            .any(|row| text(*row, col))
        {
            continue;
        }
        if exp != w(ROW_CF, col) {
            let inc = [ROW_NEW, ROW_CO, ROW_RT, ROW_CF]
                .iter()
                .any(|row| req_blank(r, *row, col));
            out.push(Finding {
                rule: "requests.balance",
                table: "requests",
                row: s("carried_forward"),
                column: s(REQ_COLS[col].0),
                expected: json!(exp),
                actual: json!(w(ROW_CF, col)),
                severity: sev(inc),
                related_file: None,
            });
        }
    }
    // review_litigation.group_sum
    for g in 0..3 {
        let sum: i64 = (0..4).map(|c| r.rev_w[g][c].num0()).sum();
        if (0..5).any(|c| matches!(r.rev_w[g][c], W::T(_))) {
            continue;
        }
        if sum != r.rev_w[g][4].num0() {
            let inc = (0..5).any(|c| rev_blank(r, g, c));
            out.push(Finding {
                rule: "review_litigation.group_sum",
                table: "review_litigation",
                row: s(REVIEW_GROUPS[g].0),
                column: s("total"),
                expected: json!(sum),
                actual: json!(r.rev_w[g][4].num0()),
                severity: sev(inc),
                related_file: None,
            });
        }
    }
    // value.domain
    for row in 0..25 {
        for col in 0..7 {
            let bad = match &r.req_w[row][col] {
                W::T(t) => Some(json!(t)),
                W::N(v) if *v < 0 => Some(json!(v)),
                _ => None,
            };
            if let Some(actual) = bad {
                out.push(Finding {
                    rule: "value.domain",
                    table: "requests",
                    row: s(REQ_ROWS_2021[row].key),
                    column: s(REQ_COLS[col].0),
                    expected: Value::Null,
                    actual,
                    severity: "error",
                    related_file: None,
                });
            }
        }
    }
    for g in 0..3 {
        for col in 0..5 {
            let bad = match &r.rev_w[g][col] {
                W::T(t) => Some(json!(t)),
                W::N(v) if *v < 0 => Some(json!(v)),
                _ => None,
            };
            if let Some(actual) = bad {
                out.push(Finding {
                    rule: "value.domain",
                    table: "review_litigation",
                    row: s(REVIEW_GROUPS[g].0),
                    column: s(REVIEW_COLS[col].0),
                    expected: Value::Null,
                    actual,
                    severity: "error",
                    related_file: None,
                });
            }
        }
    }
    if let Some(fw) = &r.fee_written {
        let (text, severity) = match fw {
            FeeWritten::Negative(t) => (t, "error"),
            FeeWritten::TooPrecise(t) => (t, "warning"),
        };
        let actual: Value = serde_json::from_str(text).unwrap_or_else(|_| json!(text));
        out.push(Finding {
            rule: "value.domain",
            table: "active_disclosure",
            row: s("fees"),
            column: s("amount"),
            expected: Value::Null,
            actual,
            severity,
            related_file: None,
        });
    }
    // narrative.requests
    if r.has_narrative() {
        if let Some(stated) = r.narr.careful() {
            if stated != w(ROW_NEW, TOTAL) {
                out.push(Finding {
                    rule: "narrative.requests",
                    table: "requests",
                    row: s("new"),
                    column: s("total"),
                    expected: json!(stated),
                    actual: json!(w(ROW_NEW, TOTAL)),
                    severity: "warning",
                    related_file: None,
                });
            }
        }
    }
    out
}

/// cross_year.carry between consecutive years of one agency (`a` is year N,
/// `b` year N+1). Findings go to the report whose written cell differs from
/// its true value (the injected one).
pub fn cross_year(a: &mut Report, b: &mut Report) {
    for col in 0..7 {
        let cf = a.req_w[ROW_CF][col].num0();
        let co = b.req_w[ROW_CO][col].num0();
        if cf == co {
            continue;
        }
        let inc = req_blank(a, ROW_CF, col) || req_blank(b, ROW_CO, col);
        if a.req_w[ROW_CF][col] != W::N(a.req[ROW_CF][col]) {
            a.findings.push(Finding {
                rule: "cross_year.carry",
                table: "requests",
                row: s("carried_forward"),
                column: s(REQ_COLS[col].0),
                expected: json!(co),
                actual: json!(cf),
                severity: sev(inc),
                related_file: Some(b.file.clone()),
            });
        }
        if b.req_w[ROW_CO][col] != W::N(b.req[ROW_CO][col]) {
            b.findings.push(Finding {
                rule: "cross_year.carry",
                table: "requests",
                row: s("carried_over"),
                column: s(REQ_COLS[col].0),
                expected: json!(cf),
                actual: json!(co),
                severity: sev(inc),
                related_file: Some(a.file.clone()),
            });
        }
    }
}
