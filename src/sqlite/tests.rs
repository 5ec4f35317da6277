//! The builder over records made from real conversions: typed rows, keys
//! that hold, and the atomic rename.

use super::*;
use crate::pipeline::{convert_bytes, FileResult, Outcome};
use crate::readers::Limits;

fn seed_record() -> Record {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/txt/guangyang-2022.txt"
    );
    let bytes = std::fs::read(path).unwrap();
    let report = convert_bytes(&bytes, "guangyang-2022.txt", &Limits::default()).unwrap();
    Record::from_result(&FileResult::new(
        crate::source::SourceId::file("guangyang-2022.txt".into()),
        Outcome::Converted(Box::new(report)),
        None,
    ))
}

fn failed_record() -> Record {
    Record::from_result(&FileResult::new(
        crate::source::SourceId::file("broken.docx".into()),
        Outcome::failed(&crate::readers::ReadError::encrypted()),
        None,
    ))
}

fn one(conn: &Connection, sql: &str) -> rusqlite::types::Value {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_finished_database_has_typed_rows_and_holding_keys() {
    use rusqlite::types::Value;
    let dir = tempfile::tempdir().unwrap();
    let mut db = Database::create(dir.path()).unwrap();
    db.add(&failed_record()).unwrap();
    db.add(&seed_record()).unwrap();
    db.finish().unwrap();
    assert!(!partial_path(dir.path()).exists());
    let conn = Connection::open(dir.path().join(DATABASE)).unwrap();
    // The seed report's table 三 new.total, as the cells hold it.
    let seed = seed_record();
    let report: serde_json::Value = serde_json::from_str(seed.report_line().unwrap()).unwrap();
    let new_total = report["tables"]["requests"]["new"]["total"]["value"]
        .as_i64()
        .unwrap();
    assert_eq!(
        one(
            &conn,
            "SELECT value FROM cells WHERE table_key = 'requests' AND row_key = 'new' AND column_key = 'total'"
        ),
        Value::Integer(new_total)
    );
    assert_eq!(
        one(
            &conn,
            "SELECT typeof(template) || ' ' || template FROM reports"
        ),
        Value::Text("text 2021".into())
    );
    assert_eq!(
        one(
            &conn,
            "SELECT error_kind FROM files WHERE status = 'failed'"
        ),
        Value::Text("encrypted".into())
    );
    assert_eq!(
        one(
            &conn,
            "SELECT content FROM meta WHERE name = 'schema_version'"
        ),
        Value::Text(SCHEMA_VERSION.to_string())
    );
    // Every cell of the JSON is a row, and every foreign key resolves.
    let json_cells: usize = ["active_disclosure", "requests", "review_litigation"]
        .iter()
        .filter_map(|t| report["tables"][t].as_object())
        .flat_map(|rows| rows.values())
        .map(|cells| cells.as_object().unwrap().len())
        .sum();
    assert_eq!(
        one(&conn, "SELECT count(*) FROM cells"),
        Value::Integer(json_cells as i64)
    );
    let violations: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(violations, 0);
}

#[test]
fn a_build_that_does_not_finish_leaves_the_previous_database() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Database::create(dir.path()).unwrap();
    db.add(&failed_record()).unwrap();
    db.finish().unwrap();
    let before = std::fs::read(dir.path().join(DATABASE)).unwrap();

    // A second run is killed after some records: dropped, never finished.
    let mut db = Database::create(dir.path()).unwrap();
    db.add(&seed_record()).unwrap();
    drop(db);
    assert_eq!(std::fs::read(dir.path().join(DATABASE)).unwrap(), before);
    let conn = Connection::open(dir.path().join(DATABASE)).unwrap();
    assert_eq!(
        one(&conn, "SELECT count(*) FROM reports"),
        rusqlite::types::Value::Integer(0)
    );

    // The next run replaces the leftover partial file and finishes.
    assert!(partial_path(dir.path()).exists());
    let mut db = Database::create(dir.path()).unwrap();
    db.add(&seed_record()).unwrap();
    db.finish().unwrap();
    let conn = Connection::open(dir.path().join(DATABASE)).unwrap();
    assert_eq!(
        one(&conn, "SELECT count(*) FROM reports"),
        rusqlite::types::Value::Integer(1)
    );
}

#[test]
fn a_record_whose_report_is_not_json_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Database::create(dir.path()).unwrap();
    let mut record = seed_record();
    record.report =
        Some(serde_json::value::RawValue::from_string("{\"source\": 3}".into()).unwrap());
    let err = db.add(&record).unwrap_err().to_string();
    assert!(err.contains("guangyang-2022.txt"), "{err}");
}

#[test]
fn the_dimension_names_every_table_row_and_column_of_the_templates() {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(schema::TABLES).unwrap();
    schema::fill_dimensions(&conn).unwrap();
    let label = |key: &str| -> String {
        conn.query_row(
            "SELECT number_label || ' ' || name_zh FROM tables WHERE table_key = ?1",
            [key],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(label("active_disclosure"), "表二 主动公开政府信息情况");
    assert_eq!(label("requests"), "表三 收到和处理政府信息公开申请情况");
    assert_eq!(label("review_litigation"), "表四 行政复议行政诉讼情况");
    for template in crate::templates::all() {
        for spec in template.tables {
            let rows: i64 = conn
                .query_row(
                    "SELECT count(*) FROM table_rows WHERE template = ?1 AND table_key = ?2",
                    [template.id.as_str(), spec.key.as_str()],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(rows as usize, spec.rows.len());
        }
    }
    let group: (String, String) = conn
        .query_row(
            "SELECT label, group_label FROM table_rows
             WHERE template = '2021' AND row_key = 'denied.state_secret'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(group, ("属于国家秘密".into(), "不予公开".into()));
}

/// Built on the feeder's thread or in place, in the same two passes, the
/// database is the same file byte for byte (what lets `convert` build it
/// as results come and `merge` from the journal).
#[test]
fn the_feeder_builds_the_same_file_as_the_database_in_place() {
    let records = [failed_record(), seed_record()];
    let build = |threaded: bool| -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Database::create(dir.path()).unwrap();
        if threaded {
            let mut feeder = Feeder::start(db);
            for r in &records {
                let report = parse_report(r).unwrap().map(Box::new);
                feeder.add_record(r.clone(), report).unwrap();
            }
            for r in &records {
                let line = r.report_line().map(|l| l.as_bytes().to_vec());
                feeder.add_findings(line).unwrap();
            }
            feeder.close().unwrap();
        } else {
            for r in &records {
                db.add_record(r, parse_report(r).unwrap().as_ref()).unwrap();
            }
            for r in &records {
                db.add_findings(|| r.source.clone(), r.report_line().map(str::as_bytes))
                    .unwrap();
            }
            db.close().unwrap();
        }
        std::fs::read(partial_path(dir.path())).unwrap()
    };
    let threaded = build(true);
    assert_eq!(threaded, build(false));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.sqlite"), &threaded).unwrap();
    let conn = Connection::open(dir.path().join("x.sqlite")).unwrap();
    let findings = one(&conn, "SELECT count(*) FROM findings WHERE report_id = 2");
    let expected = records[1].severities.iter().sum::<usize>() as i64;
    assert_eq!(findings, rusqlite::types::Value::Integer(expected));
}

/// A statement that fails on the feeder's thread is the error of the next
/// call (or of `close`), not a silent stop.
#[test]
fn an_error_on_the_feeders_thread_reaches_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let mut feeder = Feeder::start(Database::create(dir.path()).unwrap());
    feeder.add_record(seed_record(), None).unwrap();
    // The same source twice breaks `files.source`'s UNIQUE constraint.
    let second = feeder.add_record(seed_record(), None);
    let err = match second {
        Err(e) => e,
        Ok(()) => feeder.close().unwrap_err(),
    };
    assert!(err.to_string().contains("UNIQUE"), "{err}");
}
