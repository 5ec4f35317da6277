//! Issue 11, archives and limits: every member is its own row, every tar
//! entry is accounted for, bulk archives are not refused for their honest
//! size, and limits that trim say so.

use std::io::Write;
use std::path::Path;

use crate::robustness::{rows, run_in, stderr, SEED};

/// A ZIP of stored members by raw name bytes; `utf8_flag` sets bit 11.
fn stored_zip(members: &[(&[u8], &[u8])], utf8_flag: bool) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    let flags: u16 = if utf8_flag { 0x0800 } else { 0 };
    for (name, data) in members {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let offset = out.len() as u32;
        let fixed = |sig: &[u8], central: bool| {
            let mut h = sig.to_vec();
            if central {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes());
            h.extend_from_slice(&flags.to_le_bytes());
            h.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // stored, time, date
            h.extend_from_slice(&crc.sum().to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h
        };
        out.extend(fixed(b"PK\x03\x04", false));
        out.extend_from_slice(name);
        out.extend_from_slice(data);
        central.extend(fixed(b"PK\x01\x02", true));
        central.extend_from_slice(&[0; 10]); // comment, disk, attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

fn tar_of(entries: &[(&str, tar::EntryType, &[u8], Option<&str>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, kind, data, link) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(*kind);
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        if let Some(l) = link {
            h.set_link_name(l).unwrap();
        }
        h.set_path(name).unwrap();
        h.set_cksum();
        b.append(&h, *data).unwrap();
    }
    b.into_inner().unwrap()
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn convert(root: &Path, input: &str) -> Vec<(String, String, String)> {
    let o = run_in(root, &["convert", input, "--out", "out", "--overwrite"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    rows(&root.join("out"))
}

#[test]
fn case06_zip_member_names_gbk_repeats_and_normalised_collisions_each_get_a_row() {
    let t = tempfile::tempdir().unwrap();
    let s = SEED.as_bytes();
    let zip = stored_zip(
        &[
            (b"\xb9\xe3\xd1\xf4\xd5\xf2.txt", s), // 广阳镇.txt in GBK, no UTF-8 flag
            (b"s.txt", s),
            (b"x/../s.txt", s),
            (b"s.txt", s),
            (b"/abs/t.txt", s),
            (b"abs/t.txt", s),
        ],
        false,
    );
    std::fs::write(t.path().join("a.zip"), zip).unwrap();
    let rows = convert(t.path(), "a.zip");
    let mut sources: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    sources.sort();
    assert_eq!(
        sources,
        [
            "a.zip!abs/t.txt",
            "a.zip!abs/t.txt!2",
            "a.zip!s.txt",
            "a.zip!s.txt!2",
            "a.zip!x/s.txt",
            "a.zip!广阳镇.txt"
        ],
        "{rows:?}"
    );
    assert!(rows.iter().all(|r| r.1 == "converted"), "{rows:?}");
    assert_eq!(
        std::fs::read_to_string(t.path().join("out/reports.jsonl"))
            .unwrap()
            .lines()
            .count(),
        6
    );
}

#[test]
fn case07_every_gzip_member_of_a_tar_gz_is_read() {
    let t = tempfile::tempdir().unwrap();
    let tar = tar_of(&[
        ("one.txt", tar::EntryType::Regular, SEED.as_bytes(), None),
        ("two.txt", tar::EntryType::Regular, SEED.as_bytes(), None),
    ]);
    // As pigz and appending writers do: the tar stream split over two gzip
    // members (the cut on a 512-byte block after the first member).
    let cut = 512 + SEED.len().div_ceil(512) * 512;
    let mut bytes = gz(&tar[..cut]);
    bytes.extend(gz(&tar[cut..]));
    std::fs::write(t.path().join("multi.tar.gz"), bytes).unwrap();
    let rows = convert(t.path(), "multi.tar.gz");
    let sources: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        sources,
        ["multi.tar.gz!one.txt", "multi.tar.gz!two.txt"],
        "{rows:?}"
    );
    assert!(rows.iter().all(|r| r.1 == "converted"));
}

#[test]
fn case08_tar_cut_inside_a_member_fails_that_member() {
    let t = tempfile::tempdir().unwrap();
    let tar = tar_of(&[("cut.txt", tar::EntryType::Regular, SEED.as_bytes(), None)]);
    std::fs::write(t.path().join("cut.tar"), &tar[..512 + SEED.len() / 2]).unwrap();
    std::fs::write(
        t.path().join("cut.tar.gz"),
        gz(&tar[..512 + SEED.len() / 2]),
    )
    .unwrap();
    for name in ["cut.tar", "cut.tar.gz"] {
        let rows = convert(t.path(), name);
        let r = rows
            .iter()
            .find(|r| r.0 == format!("{name}!cut.txt"))
            .expect("a row");
        assert_eq!(r.1, "failed", "{r:?}");
        assert!(
            r.2.contains("cut short") || r.2.contains("cannot be read"),
            "{r:?}"
        );
    }
}

#[test]
fn case09_links_and_contiguous_files_in_a_tar_each_get_a_row() {
    let t = tempfile::tempdir().unwrap();
    let tar = tar_of(&[
        ("real.txt", tar::EntryType::Regular, SEED.as_bytes(), None),
        (
            "contiguous.txt",
            tar::EntryType::Continuous,
            SEED.as_bytes(),
            None,
        ),
        ("hard.txt", tar::EntryType::Link, b"", Some("real.txt")),
        (
            "soft.txt",
            tar::EntryType::Symlink,
            b"",
            Some("/etc/passwd"),
        ),
        ("pipe", tar::EntryType::Fifo, b"", None),
        ("dir/", tar::EntryType::Directory, b"", None),
    ]);
    std::fs::write(t.path().join("links.tar"), tar).unwrap();
    let rows = convert(t.path(), "links.tar");
    let get = |n: &str| {
        rows.iter()
            .find(|r| r.0 == format!("links.tar!{n}"))
            .unwrap_or_else(|| panic!("{n}: {rows:?}"))
    };
    assert_eq!(get("real.txt").1, "converted");
    assert_eq!(get("contiguous.txt").1, "converted");
    assert_eq!(get("hard.txt").1, "skipped");
    assert!(get("hard.txt").2.contains("hard link") && get("hard.txt").2.contains("real.txt"));
    assert!(get("soft.txt").2.contains("symbolic link"));
    assert_eq!(get("pipe").1, "skipped");
    assert_eq!(rows.len(), 5, "folders are not inputs: {rows:?}");
}

#[test]
fn case11_an_empty_zip_gets_a_row() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("empty.zip"), stored_zip(&[], false)).unwrap();
    let rows = convert(t.path(), "empty.zip");
    assert_eq!(
        rows,
        [(
            "empty.zip".into(),
            "skipped".into(),
            "empty archive: it holds no files".into()
        )]
    );
}

#[test]
fn case15_bulk_zip_over_the_old_total_cap_converts_and_a_bomb_is_refused() {
    use nianbao::inputs::{Content, Selection, Walk};
    let t = tempfile::tempdir().unwrap();
    // Scaled down (limits are a parameter): honest members inflating to 10x
    // the total cap all read; zeros compressing 1000x are stopped.
    let limits = nianbao::readers::Limits {
        max_file_bytes: 1 << 20,
        max_inflated_bytes: 128 << 10,
        ..Default::default()
    };
    let honest: Vec<(String, Vec<u8>)> = (0..80)
        .map(|i| {
            (
                format!("r{i:02}.txt"),
                SEED.replace("广阳镇", &format!("第{i}镇")).into_bytes(),
            )
        })
        .collect();
    let total: usize = honest.iter().map(|(_, b)| b.len()).sum();
    assert!(total as u64 > 4 * limits.max_inflated_bytes, "{total}");
    let mut w = zip::ZipWriter::new(std::fs::File::create(t.path().join("bulk.zip")).unwrap());
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (n, b) in &honest {
        w.start_file(n.as_str(), deflate).unwrap();
        w.write_all(b).unwrap();
    }
    w.finish().unwrap();
    let jobs: Vec<_> =
        Walk::new(&[t.path().join("bulk.zip")], Selection::default(), limits).collect();
    assert_eq!(jobs.len(), 80);
    assert!(
        jobs.iter().all(|j| matches!(j.content, Content::Bytes(_))),
        "{:?}",
        jobs.iter()
            .find(|j| !matches!(j.content, Content::Bytes(_)))
    );

    let mut w = zip::ZipWriter::new(std::fs::File::create(t.path().join("bomb.zip")).unwrap());
    let zeros = vec![0u8; 900 << 10];
    for i in 0..40 {
        w.start_file(format!("b{i:02}.txt"), deflate).unwrap();
        w.write_all(&zeros).unwrap();
    }
    w.finish().unwrap();
    let jobs: Vec<_> =
        Walk::new(&[t.path().join("bomb.zip")], Selection::default(), limits).collect();
    let refused: Vec<_> = jobs
        .iter()
        .filter(|j| matches!(&j.content, Content::Fail(r) if r.to_string().contains("in all")))
        .collect();
    assert!(
        refused.len() > 30,
        "the bomb is stopped by the ratio budget: {} refused",
        refused.len()
    );
}

#[test]
fn case16_zip_entry_count_is_capped_before_listing() {
    let t = tempfile::tempdir().unwrap();
    // A ZIP64 end record claiming 2,000,000 entries over an empty directory.
    let mut z = Vec::new();
    z.extend_from_slice(b"PK\x06\x06");
    z.extend_from_slice(&44u64.to_le_bytes());
    z.extend_from_slice(&[45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&2_000_000u64.to_le_bytes());
    z.extend_from_slice(&2_000_000u64.to_le_bytes());
    z.extend_from_slice(&0u64.to_le_bytes());
    z.extend_from_slice(&0u64.to_le_bytes());
    z.extend_from_slice(b"PK\x06\x07\0\0\0\0");
    z.extend_from_slice(&0u64.to_le_bytes());
    z.extend_from_slice(&1u32.to_le_bytes());
    z.extend_from_slice(b"PK\x05\x06\0\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\0\0");
    std::fs::write(t.path().join("many.zip"), z).unwrap();
    let rows = convert(t.path(), "many.zip");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1, "failed");
    assert!(
        rows[0]
            .2
            .contains("lists 2000000 entries, the limit is 100000"),
        "{rows:?}"
    );
}

#[test]
fn case17_bytes_in_flight_are_bounded_for_files_on_disk() {
    use nianbao::pipeline::{run_batch, JobResult};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let t = tempfile::tempdir().unwrap();
    crate::robustness::towns(t.path(), 12);
    // The first three files (sorted by name) fill the byte budget exactly.
    let size: u64 = (0..3)
        .map(|i| {
            std::fs::metadata(t.path().join(format!("town{i:03}-2022.txt")))
                .unwrap()
                .len()
        })
        .sum();
    let limits = nianbao::readers::Limits {
        max_inflated_bytes: size,
        ..Default::default()
    };
    // Jobs read and not yet handed over, at each hand-over: the files in
    // flight (the batch is a pipeline, so the count varies with timing,
    // but never past the budget).
    let read = AtomicUsize::new(0);
    let (mut written, mut most) = (0, 0);
    let done = |_: &nianbao::inputs::SourceId, _: &nianbao::pipeline::Fingerprint| {
        read.fetch_add(1, Ordering::SeqCst);
        false
    };
    run_batch(
        nianbao::inputs::jobs(&[t.path().to_path_buf()], limits),
        &limits,
        64,
        &done,
        |r| {
            assert!(matches!(r, JobResult::Fresh(_)));
            most = most.max(read.load(Ordering::SeqCst) - written);
            written += 1;
            Ok::<(), ()>(())
        },
    )
    .unwrap();
    assert_eq!(read.load(Ordering::SeqCst), 12);
    assert!(
        (1..=3).contains(&most),
        "a window of 64 jobs holds at most 3 files of this size: {most}"
    );
}

#[test]
fn case18_devices_and_fifos_are_skipped_without_reading() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.txt")).unwrap();
    let fifo = dir.join("fifo.txt");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    std::fs::write(dir.join("ok.txt"), SEED).unwrap();
    let start = std::time::Instant::now();
    let rows = convert(t.path(), "in");
    assert!(start.elapsed().as_secs() < 60);
    let get = |n: &str| {
        rows.iter()
            .find(|r| r.0 == format!("in/{n}"))
            .unwrap()
            .clone()
    };
    assert_eq!(get("zero.txt").1, "skipped");
    assert!(get("zero.txt").2.contains("a device"));
    assert!(get("fifo.txt").2.contains("a FIFO"));
    assert_eq!(get("ok.txt").1, "converted");
}

#[test]
fn case19_a_table_cut_at_the_row_limit_says_so_in_the_diagnostics() {
    let mut html = String::from("<html><body><h1>某县2023年政府信息公开工作年度报告</h1><table>");
    for i in 0..10_050 {
        html += &format!("<tr><td>行{i}</td><td>{i}</td></tr>");
    }
    html += "</table></body></html>";
    let report =
        nianbao::pipeline::convert_bytes(html.as_bytes(), "long.html", &Default::default())
            .unwrap();
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code == "reader_note")
        .expect("a reader note");
    assert!(d.message.contains("10000"), "{}", d.message);
}

#[test]
fn case22_control_characters_in_names_never_reach_the_terminal() {
    let t = tempfile::tempdir().unwrap();
    let zip = stored_zip(
        &[(
            b"\x1b[2J\x1b[Hforged\nfailed: x.html",
            b"\x00\x01\x02garbage",
        )],
        true,
    );
    std::fs::write(t.path().join("evil.zip"), zip).unwrap();
    let o = run_in(t.path(), &["convert", "evil.zip", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(!err.contains('\x1b'), "{err:?}");
    assert!(err.contains("\\u{1b}[2J"), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.contains("failed:")).count(),
        1,
        "{err}"
    );
}
