//! A tiny evaluator for the formulas report totals are written with.
//!
//! Spreadsheet files store a formula next to its last computed ("cached")
//! value. Excel, WPS and LibreOffice always write that value; other writers do
//! not: openpyxl writes no value at all, XlsxWriter-style libraries write `0`
//! unless the program supplies the result. Reading those files naively turns
//! every `总计` into blank or 0, and the consistency checks would then report
//! totals the office never wrote.
//!
//! So, for a formula cell whose cached value is missing, or is `0` while the
//! formula refers to cells, this module recomputes the value from the sheet
//! itself. It understands only what totals use: numbers, cell references
//! (`B5`, `$B$5`, `'表三'!B5` on the same sheet, LibreOffice's `[.B5]`),
//! `SUM(...)` over ranges, references and expressions, unary minus, `+ - * /`
//! and parentheses. Excel's semantics are kept where they matter for audits:
//! `SUM` over a range ignores text (a number stored as text does not count, as
//! in Excel), `+`/`-` coerce numeric ASCII text, blanks are 0, an error cell
//! propagates its error (`#REF!`), division by zero gives `#DIV/0!`.
//!
//! Anything else (other functions, other sheets, dates as operands, cycles,
//! chains deeper than [`MAX_DEPTH`], more than [`MAX_STEPS`] cell visits per
//! sheet) is "unevaluable": the caller then keeps the cached text. There is no
//! diagnostics channel in the document model, so nothing else is recorded.

use super::{Raw, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Deepest chain of formula cells referring to formula cells that is followed.
pub const MAX_DEPTH: usize = 64;
/// Cell visits per sheet (ranges included) before evaluation gives up.
pub const MAX_STEPS: usize = 2_000_000;

/// Excel's grid: 1,048,576 rows x 16,384 columns.
const EXCEL_ROWS: u32 = 1_048_576;
const EXCEL_COLS: u32 = 16_384;

type Pos = (u32, u32);

/// An evaluated value, as Excel would hold it.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    Num(f64),
    Text(String),
    Bool(bool),
    Empty,
    Err(String),
}

/// Evaluates the formula cells of one sheet on demand, memoizing results.
pub struct Evaluator<'a> {
    sheet: &'a str,
    cells: &'a BTreeMap<Pos, Raw>,
    /// `None` memoizes "unevaluable".
    memo: HashMap<Pos, Option<V>>,
    visiting: HashSet<Pos>,
    depth: usize,
    steps: usize,
}

/// True when the cached value of a formula cell cannot be trusted: missing,
/// or 0 while the formula refers to cells (a writer's placeholder).
pub fn needs_eval(raw: &Raw) -> bool {
    let Some(formula) = raw.formula.as_deref() else {
        return false;
    };
    if formula.trim().is_empty() {
        return false;
    }
    match &raw.value {
        Value::Empty => true,
        Value::Text(t) => t.is_empty(),
        Value::Number(x) => *x == 0.0 && refers_to_cells(formula),
        _ => false,
    }
}

/// A formula refers to cells when it holds a letter followed by a digit
/// (`B5`) or LibreOffice's `[.` reference syntax.
fn refers_to_cells(formula: &str) -> bool {
    let b = formula.as_bytes();
    formula.contains("[.")
        || b.windows(2)
            .any(|w| w[0].is_ascii_alphabetic() && w[1].is_ascii_digit())
}

impl<'a> Evaluator<'a> {
    pub fn new(sheet: &'a str, cells: &'a BTreeMap<Pos, Raw>) -> Self {
        Evaluator {
            sheet,
            cells,
            memo: HashMap::new(),
            visiting: HashSet::new(),
            depth: 0,
            steps: 0,
        }
    }

    /// The value a formula cell that [`needs_eval`] evaluates to, or `None`
    /// when it is unevaluable (the caller keeps the cached value).
    pub fn evaluate(&mut self, pos: Pos) -> Option<V> {
        self.value_at(pos)
    }

    /// The value of a cell as formulas see it: evaluated when its cached value
    /// cannot be trusted, the cached value otherwise.
    fn value_at(&mut self, pos: Pos) -> Option<V> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return None;
        }
        let Some(raw) = self.cells.get(&pos) else {
            return Some(V::Empty);
        };
        if !needs_eval(raw) {
            return cached(&raw.value);
        }
        if let Some(done) = self.memo.get(&pos) {
            return done.clone();
        }
        if self.depth >= MAX_DEPTH || !self.visiting.insert(pos) {
            // A cycle or a chain too deep: unevaluable.
            self.memo.insert(pos, None);
            return None;
        }
        self.depth += 1;
        let formula = raw.formula.as_deref().unwrap_or("");
        let result = parse(formula, self.sheet).and_then(|expr| self.eval(&expr));
        self.depth -= 1;
        self.visiting.remove(&pos);
        self.memo.insert(pos, result.clone());
        result
    }

    fn eval(&mut self, expr: &Expr) -> Option<V> {
        match expr {
            Expr::Num(x) => Some(V::Num(*x)),
            Expr::Ref(p) => self.value_at(*p),
            // A bare range outside SUM would be an implicit intersection.
            Expr::Range(..) => None,
            Expr::Neg(e) => {
                let v = self.eval(e)?;
                Some(num_op(to_number(&v), Ok(0.0), |a, _| Ok(-a)))
            }
            Expr::Bin(op, l, r) => {
                let a = to_number(&self.eval(l)?);
                let b = to_number(&self.eval(r)?);
                Some(num_op(a, b, |a, b| match op {
                    '+' => Ok(a + b),
                    '-' => Ok(a - b),
                    '*' => Ok(a * b),
                    _ if b == 0.0 => Err("#DIV/0!".to_string()),
                    _ => Ok(a / b),
                }))
            }
            Expr::Sum(args) => {
                let mut total = 0.0;
                for arg in args {
                    match arg {
                        Expr::Ref(p) => match self.value_at(*p)? {
                            V::Num(x) => total += x,
                            V::Err(e) => return Some(V::Err(e)),
                            _ => {}
                        },
                        Expr::Range(a, b) => {
                            for p in self.positions_in(*a, *b) {
                                match self.value_at(p)? {
                                    V::Num(x) => total += x,
                                    V::Err(e) => return Some(V::Err(e)),
                                    _ => {}
                                }
                            }
                        }
                        other => match to_number(&self.eval(other)?) {
                            Ok(x) => total += x,
                            Err(e) => return Some(V::Err(e)),
                        },
                    }
                }
                Some(V::Num(total))
            }
        }
    }

    /// The stored cells inside a range (empty positions add nothing to a SUM),
    /// so `SUM(A:A)`-sized ranges cost no more than the cells that exist.
    fn positions_in(&mut self, a: Pos, b: Pos) -> Vec<Pos> {
        let (r0, r1) = (a.0.min(b.0), a.0.max(b.0));
        let (c0, c1) = (a.1.min(b.1), a.1.max(b.1));
        let mut out = Vec::new();
        for (&(r, c), _) in self.cells.range((r0, c0)..=(r1, c1)) {
            self.steps += 1;
            if self.steps > MAX_STEPS {
                break;
            }
            if c >= c0 && c <= c1 && r >= r0 {
                out.push((r, c));
            }
        }
        out
    }
}

fn cached(value: &Value) -> Option<V> {
    Some(match value {
        Value::Empty => V::Empty,
        Value::Number(x) => V::Num(*x),
        Value::Text(t) => V::Text(t.clone()),
        Value::Bool(b) => V::Bool(*b),
        Value::Error(e) => V::Err(e.clone()),
        // A date's serial number is no count: refuse rather than add it.
        Value::Date(_) => return None,
    })
}

fn to_number(v: &V) -> Result<f64, String> {
    match v {
        V::Num(x) => Ok(*x),
        V::Empty => Ok(0.0),
        V::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
        V::Text(t) => {
            let t = t.trim();
            if !t.is_empty()
                && t.bytes()
                    .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
            {
                t.parse::<f64>().map_err(|_| "#VALUE!".to_string())
            } else {
                Err("#VALUE!".to_string())
            }
        }
        V::Err(e) => Err(e.clone()),
    }
}

fn num_op(
    a: Result<f64, String>,
    b: Result<f64, String>,
    f: impl Fn(f64, f64) -> Result<f64, String>,
) -> V {
    match (a, b) {
        (Err(e), _) | (_, Err(e)) => V::Err(e),
        (Ok(a), Ok(b)) => match f(a, b) {
            Ok(x) => V::Num(x),
            Err(e) => V::Err(e),
        },
    }
}

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Ref(Pos),
    Range(Pos, Pos),
    Neg(Box<Expr>),
    Bin(char, Box<Expr>, Box<Expr>),
    Sum(Vec<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ref(Pos),
    Range(Pos, Pos),
    Func(String),
    Op(char),
    Open,
    Close,
    Sep,
}

/// Parses a formula as Excel (`SUM(B2:G2)`, `=B2+C2`) or LibreOffice
/// (`of:=SUM([.B2:.G2])`) stores it. `None` for anything outside the subset.
pub fn parse(formula: &str, sheet: &str) -> Option<Expr> {
    let mut s = formula.trim();
    if let Some(rest) = s.strip_prefix("of:") {
        s = rest;
    }
    s = s.strip_prefix('=').unwrap_or(s);
    if s.len() > 8192 {
        return None;
    }
    let toks = tokenize(s, sheet)?;
    let mut p = Parser {
        toks: &toks,
        i: 0,
        depth: 0,
    };
    let e = p.expr()?;
    (p.i == toks.len()).then_some(e)
}

fn tokenize(s: &str, sheet: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = s.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '+' | '-' | '*' | '/' => {
                toks.push(Tok::Op(c));
                i += 1;
            }
            '(' => {
                toks.push(Tok::Open);
                i += 1;
            }
            ')' => {
                toks.push(Tok::Close);
                i += 1;
            }
            ',' | ';' => {
                toks.push(Tok::Sep);
                i += 1;
            }
            '0'..='9' | '.' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                if i < chars.len() && matches!(chars[i], 'e' | 'E') {
                    i += 1;
                    if i < chars.len() && matches!(chars[i], '+' | '-') {
                        i += 1;
                    }
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                let text: String = chars[start..i].iter().collect();
                toks.push(Tok::Num(text.parse().ok()?));
            }
            '[' => {
                // LibreOffice: [.B2], [.B2:.G2], [$表三.B2], ['表 三'.B2:.G2]
                let end = chars[i..].iter().position(|&c| c == ']')? + i;
                let inner: String = chars[i + 1..end].iter().collect();
                toks.push(ods_ref(&inner, sheet)?);
                i = end + 1;
            }
            '\'' => {
                // 'Sheet name'!A1
                let mut name = String::new();
                i += 1;
                loop {
                    let c = *chars.get(i)?;
                    i += 1;
                    if c == '\'' {
                        if chars.get(i) == Some(&'\'') {
                            name.push('\'');
                            i += 1;
                        } else {
                            break;
                        }
                    } else {
                        name.push(c);
                    }
                }
                if chars.get(i) != Some(&'!') || !same_sheet(&name, sheet) {
                    return None;
                }
                i += 1;
                let (tok, next) = excel_ref(&chars, i, sheet)?;
                toks.push(tok);
                i = next;
            }
            c if c.is_alphanumeric() || c == '$' || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '$' | '_' | '.'))
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if chars.get(i) == Some(&'(') {
                    toks.push(Tok::Func(word.to_ascii_uppercase()));
                } else if chars.get(i) == Some(&'!') {
                    if !same_sheet(&word, sheet) {
                        return None;
                    }
                    let (tok, next) = excel_ref(&chars, i + 1, sheet)?;
                    toks.push(tok);
                    i = next;
                } else {
                    let (tok, next) = excel_ref(&chars, start, sheet)?;
                    toks.push(tok);
                    i = next;
                }
            }
            _ => return None,
        }
    }
    Some(toks)
}

fn same_sheet(name: &str, sheet: &str) -> bool {
    name.trim_start_matches('$') == sheet
}

/// An Excel reference at `i`: `A1`, `$A$1`, `A1:B2`, `A1:Sheet!B2` is not
/// supported. Returns the token and the index after it.
fn excel_ref(chars: &[char], i: usize, sheet: &str) -> Option<(Tok, usize)> {
    let (a, mut j) = cell_ref(chars, i)?;
    if chars.get(j) == Some(&':') {
        let mut k = j + 1;
        // Tolerate a repeated sheet name after the colon (Sheet1!A1:Sheet1!B2).
        let word_end = (k..chars.len()).find(|&x| !(chars[x].is_alphanumeric() || chars[x] == '_'));
        if let Some(e) = word_end {
            if chars[e] == '!' {
                let name: String = chars[k..e].iter().collect();
                if !same_sheet(&name, sheet) {
                    return None;
                }
                k = e + 1;
            }
        }
        let (b, next) = cell_ref(chars, k)?;
        j = next;
        return Some((Tok::Range(a, b), j));
    }
    Some((Tok::Ref(a), j))
}

/// `$?[A-Z]{1,3}$?[0-9]{1,7}` at `i` to a 0-based (row, col).
fn cell_ref(chars: &[char], mut i: usize) -> Option<(Pos, usize)> {
    if chars.get(i) == Some(&'$') {
        i += 1;
    }
    let mut col: u32 = 0;
    let mut letters = 0;
    while let Some(c) = chars.get(i).filter(|c| c.is_ascii_alphabetic()) {
        col = col * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
        letters += 1;
        i += 1;
        if letters > 3 {
            return None;
        }
    }
    if letters == 0 {
        return None;
    }
    if chars.get(i) == Some(&'$') {
        i += 1;
    }
    let mut row: u32 = 0;
    let mut digits = 0;
    while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
        row = row * 10 + d;
        digits += 1;
        i += 1;
        if digits > 7 {
            return None;
        }
    }
    if digits == 0 || row == 0 || row > EXCEL_ROWS || col > EXCEL_COLS {
        return None;
    }
    // A reference must end here (no trailing letters like "A1B").
    if chars
        .get(i)
        .is_some_and(|c| c.is_alphanumeric() || *c == '_')
    {
        return None;
    }
    Some(((row - 1, col - 1), i))
}

/// The inside of a LibreOffice `[...]` reference.
fn ods_ref(inner: &str, sheet: &str) -> Option<Tok> {
    let mut parts = inner.split(':');
    let a = ods_cell(parts.next()?, sheet)?;
    match parts.next() {
        None => Some(Tok::Ref(a)),
        Some(b) if parts.next().is_none() => Some(Tok::Range(a, ods_cell(b, sheet)?)),
        _ => None,
    }
}

fn ods_cell(part: &str, sheet: &str) -> Option<Pos> {
    let part = part.trim();
    let dot = part.rfind('.')?;
    let name = part[..dot].trim_start_matches('$').trim_matches('\'');
    if !name.is_empty() && name != sheet {
        return None;
    }
    let chars: Vec<char> = part[dot + 1..].chars().collect();
    let (pos, end) = cell_ref(&chars, 0)?;
    (end == chars.len()).then_some(pos)
}

struct Parser<'t> {
    toks: &'t [Tok],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }

    fn expr(&mut self) -> Option<Expr> {
        self.depth += 1;
        if self.depth > 64 {
            return None;
        }
        let mut left = self.term()?;
        while let Some(Tok::Op(op @ ('+' | '-'))) = self.peek() {
            let op = *op;
            self.i += 1;
            let right = self.term()?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
        self.depth -= 1;
        Some(left)
    }

    fn term(&mut self) -> Option<Expr> {
        let mut left = self.unary()?;
        while let Some(Tok::Op(op @ ('*' | '/'))) = self.peek() {
            let op = *op;
            self.i += 1;
            let right = self.unary()?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
        Some(left)
    }

    fn unary(&mut self) -> Option<Expr> {
        match self.peek()? {
            Tok::Op('-') => {
                self.i += 1;
                Some(Expr::Neg(Box::new(self.unary()?)))
            }
            Tok::Op('+') => {
                self.i += 1;
                self.unary()
            }
            _ => self.atom(),
        }
    }

    fn atom(&mut self) -> Option<Expr> {
        let tok = self.peek()?.clone();
        self.i += 1;
        match tok {
            Tok::Num(x) => Some(Expr::Num(x)),
            Tok::Ref(p) => Some(Expr::Ref(p)),
            Tok::Range(a, b) => Some(Expr::Range(a, b)),
            Tok::Open => {
                let e = self.expr()?;
                (self.peek() == Some(&Tok::Close)).then(|| self.i += 1)?;
                Some(e)
            }
            Tok::Func(name) if name == "SUM" => {
                (self.peek() == Some(&Tok::Open)).then(|| self.i += 1)?;
                let mut args = Vec::new();
                if self.peek() == Some(&Tok::Close) {
                    self.i += 1;
                    return Some(Expr::Sum(args));
                }
                loop {
                    args.push(self.expr()?);
                    match self.peek()? {
                        Tok::Sep => self.i += 1,
                        Tok::Close => {
                            self.i += 1;
                            return Some(Expr::Sum(args));
                        }
                        _ => return None,
                    }
                }
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(x: f64) -> Raw {
        Raw {
            value: Value::Number(x),
            formula: None,
        }
    }
    fn text(t: &str) -> Raw {
        Raw {
            value: Value::Text(t.into()),
            formula: None,
        }
    }
    fn f(formula: &str, cached: Value) -> Raw {
        Raw {
            value: cached,
            formula: Some(formula.into()),
        }
    }

    fn sheet(cells: Vec<((u32, u32), Raw)>) -> BTreeMap<Pos, Raw> {
        cells.into_iter().collect()
    }

    #[test]
    fn parses_excel_and_libreoffice_syntax() {
        assert_eq!(
            parse("SUM(B2:C3)", "S"),
            Some(Expr::Sum(vec![Expr::Range((1, 1), (2, 2))]))
        );
        assert_eq!(parse("of:=SUM([.B2:.C3])", "S"), parse("=SUM(B2:C3)", "S"));
        assert_eq!(parse("$A$1+'S'!B1", "S"), parse("A1+B1", "S"));
        assert_eq!(parse("S!A1:S!B2", "S"), Some(Expr::Range((0, 0), (1, 1))));
        assert_eq!(parse("Other!A1", "S"), None);
        assert_eq!(parse("[$Other.A1]", "S"), None);
        assert_eq!(parse("IF(A1>0,1,0)", "S"), None);
        assert!(parse("SUM(A1;2;B1:B3)", "S").is_some());
        assert_eq!(parse("A1B", "S"), None);
        assert_eq!(parse("SUM(A1", "S"), None);
        assert_eq!(parse("", "S"), None);
    }

    #[test]
    fn sums_ranges_and_arithmetic() {
        let cells = sheet(vec![
            ((0, 0), num(1.0)),
            ((0, 1), num(2.0)),
            ((0, 2), text("3")), // text in a range: ignored by SUM, as in Excel
            ((0, 3), f("SUM(A1:C1)", Value::Empty)),
            ((0, 4), f("A1+C1-B1", Value::Number(0.0))),
            ((0, 5), f("SUM(D1,E1,10)", Value::Empty)),
            ((0, 6), f("-A1*2/4", Value::Empty)),
        ]);
        let mut ev = Evaluator::new("S", &cells);
        assert_eq!(ev.evaluate((0, 3)), Some(V::Num(3.0)));
        assert_eq!(ev.evaluate((0, 4)), Some(V::Num(2.0)));
        assert_eq!(ev.evaluate((0, 5)), Some(V::Num(15.0)));
        assert_eq!(ev.evaluate((0, 6)), Some(V::Num(-0.5)));
    }

    #[test]
    fn cycles_and_unknown_functions_are_unevaluable() {
        let cells = sheet(vec![
            ((0, 0), f("B1+1", Value::Empty)),
            ((0, 1), f("A1+1", Value::Empty)),
            ((0, 2), f("AVERAGE(D1:D3)", Value::Empty)),
            ((0, 3), f("SUM(A1:A1)", Value::Empty)),
            ((0, 4), f("C1+1", Value::Empty)),
        ]);
        let mut ev = Evaluator::new("S", &cells);
        assert_eq!(ev.evaluate((0, 0)), None);
        assert_eq!(ev.evaluate((0, 2)), None);
        assert_eq!(ev.evaluate((0, 3)), None);
        assert_eq!(ev.evaluate((0, 4)), None);
    }

    #[test]
    fn long_chains_stop_at_the_depth_cap() {
        let mut cells = BTreeMap::new();
        for r in 0..500u32 {
            cells.insert((r, 0), f(&format!("A{}+1", r + 2), Value::Empty));
        }
        cells.insert((500, 0), num(1.0));
        let mut ev = Evaluator::new("S", &cells);
        assert_eq!(ev.evaluate((0, 0)), None);
        assert_eq!(ev.evaluate((480, 0)), Some(V::Num(21.0)));
    }

    #[test]
    fn errors_propagate_and_cached_values_win() {
        let cells = sheet(vec![
            (
                (0, 0),
                Raw {
                    value: Value::Error("#REF!".into()),
                    formula: None,
                },
            ),
            ((0, 1), f("SUM(A1:A1)", Value::Empty)),
            ((0, 2), f("A1+1", Value::Empty)),
            ((0, 3), f("1/0", Value::Empty)),
            ((0, 4), f("SUM(F1)", Value::Number(7.0))), // cached non-zero: trusted
            ((0, 5), num(5.0)),
        ]);
        let mut ev = Evaluator::new("S", &cells);
        assert_eq!(ev.evaluate((0, 1)), Some(V::Err("#REF!".into())));
        assert_eq!(ev.evaluate((0, 2)), Some(V::Err("#REF!".into())));
        assert_eq!(ev.evaluate((0, 3)), Some(V::Err("#DIV/0!".into())));
        assert!(!needs_eval(&cells[&(0, 4)]));
        assert!(needs_eval(&f("SUM(A1:B1)", Value::Number(0.0))));
        assert!(!needs_eval(&f("0", Value::Number(0.0))));
    }

    #[test]
    fn whole_column_ranges_cost_only_stored_cells() {
        let cells = sheet(vec![
            ((0, 0), num(2.0)),
            ((1_000_000, 0), num(3.0)),
            ((5, 1), f("SUM(A1:A1048576)", Value::Empty)),
        ]);
        let mut ev = Evaluator::new("S", &cells);
        assert_eq!(ev.evaluate((5, 1)), Some(V::Num(5.0)));
    }
}
