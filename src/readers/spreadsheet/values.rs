//! Cell values as text: numbers in General format (3.0 -> 3), dates as
//! ISO text, error cells as their text, evaluated formulas.

#[allow(unused_imports)]
use super::*;

pub(super) fn value_ref(v: &DataRef<'_>) -> Value {
    match v {
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(x) => Value::Number(*x),
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(d) => Value::Date(excel_date(d)),
        DataRef::DateTimeIso(s) => Value::Date(iso_date(s)),
        DataRef::DurationIso(s) => Value::Date(s.clone()),
        DataRef::Error(e) => Value::Error(error_text(e)),
        DataRef::Empty => Value::Empty,
    }
}

pub(super) fn value_data(v: &Data) -> Value {
    match v {
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(x) => Value::Number(*x),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => Value::Date(excel_date(d)),
        Data::DateTimeIso(s) => Value::Date(iso_date(s)),
        Data::DurationIso(s) => Value::Date(s.clone()),
        Data::Error(e) => Value::Error(error_text(e)),
        Data::Empty => Value::Empty,
    }
}

pub(super) fn error_text(e: &CellErrorType) -> String {
    e.to_string()
}

/// An Excel serial date as ISO text: `2023-01-05`, `2023-01-05 08:30:00`, a
/// time of day alone as `08:30:00`, a duration as `[h]:mm:ss`.
pub(super) fn excel_date(d: &ExcelDateTime) -> String {
    let serial = d.as_f64();
    if d.is_duration() || !serial.is_finite() {
        let secs = (serial * 86_400.0).round().max(0.0) as u64;
        return format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    }
    let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
    if serial < 1.0 {
        format!("{h:02}:{mi:02}:{s:02}")
    } else if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{day:02}")
    } else {
        format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}")
    }
}

/// LibreOffice's `2023-01-05T00:00:00` as `2023-01-05`; a time kept after a
/// space.
pub(super) fn iso_date(s: &str) -> String {
    match s.split_once('T') {
        Some((date, "00:00:00")) => date.to_string(),
        Some((date, time)) => format!("{date} {time}"),
        None => s.to_string(),
    }
}

/// A number as Excel's General format shows it: 15 significant digits, no
/// trailing zeros, integers without a fraction.
pub(crate) fn number_text(x: f64) -> String {
    if !x.is_finite() {
        return "#NUM!".into();
    }
    // Whole numbers under 10^15 (nearly every report cell) have at most 15
    // digits, so the rounding below leaves them as they are.
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return if x == 0.0 {
            "0".into()
        } else {
            (x as i64).to_string()
        };
    }
    rounded_text(x)
}

/// [`number_text`] the long way for every finite number: round to 15
/// significant digits through the exponent form, then print.
fn rounded_text(x: f64) -> String {
    let rounded: f64 = format!("{x:.14e}").parse().unwrap_or(x);
    if rounded == 0.0 {
        return "0".into();
    }
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    }
}

pub(super) fn value_text(v: &Value) -> String {
    match v {
        Value::Empty => String::new(),
        Value::Number(x) => number_text(*x),
        Value::Text(t) => t.clone(),
        Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Value::Date(d) => d.clone(),
        Value::Error(e) => e.clone(),
    }
}

pub(super) fn eval_text(v: &formula::V) -> String {
    match v {
        formula::V::Num(x) => number_text(*x),
        formula::V::Text(t) => t.clone(),
        formula::V::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        formula::V::Empty => String::new(),
        formula::V::Err(e) => e.clone(),
    }
}

#[cfg(test)]
mod number_tests {
    use super::*;

    #[test]
    fn whole_numbers_take_the_shortcut_with_the_same_text() {
        let mut xs = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            705.0,
            999_999_999_999_999.0,
            -999_999_999_999_999.0,
        ];
        xs.extend((0..2000).map(|i| f64::from(i) * 37.0));
        xs.extend((0..50).map(|e| 10f64.powi(e % 15) * 3.0));
        for x in xs {
            assert_eq!(number_text(x), rounded_text(x), "{x}");
        }
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(1e15), rounded_text(1e15));
    }
}
