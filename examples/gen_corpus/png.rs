//! A minimal PNG writer for a scanned-looking red seal (公章) image, the
//! usual bulk of a real DOCX report. Integer arithmetic only; the noise comes
//! from the report's stream, so the bytes are deterministic.

use std::io::Write;

use super::rng::Rng;

fn crc_table() -> [u32; 256] {
    let mut t = [0u32; 256];
    for (n, e) in t.iter_mut().enumerate() {
        let mut c = n as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *e = c;
    }
    t
}

fn crc32(table: &[u32; 256], parts: &[&[u8]]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for p in parts {
        for b in *p {
            c = table[((c ^ *b as u32) & 0xFF) as usize] ^ (c >> 8);
        }
    }
    c ^ 0xFFFF_FFFF
}

fn chunk(out: &mut Vec<u8>, table: &[u32; 256], kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(table, &[kind, data]).to_be_bytes());
}

/// A `d`×`d` RGB seal: a noisy red ring and speckled interior on white.
pub fn seal(rng: &mut Rng, d: u32) -> Vec<u8> {
    let d = d.max(16);
    let c = d as i64 / 2;
    let r2 = c * c;
    let ring_in = (c * 82 / 100) * (c * 82 / 100);
    let mut raw = Vec::with_capacity((d * (3 * d + 1)) as usize);
    for y in 0..d as i64 {
        raw.push(0u8);
        for x in 0..d as i64 {
            let q = (x - c) * (x - c) + (y - c) * (y - c);
            let noisy_red = if q <= r2 && q >= ring_in {
                rng.chance(0.9)
            } else if q < ring_in {
                rng.chance(0.35)
            } else {
                false
            };
            if noisy_red {
                let n = rng.next_u64();
                raw.push(190 + (n & 63) as u8);
                raw.push(((n >> 8) & 63) as u8);
                raw.push(((n >> 16) & 63) as u8);
            } else {
                raw.extend_from_slice(&[255, 255, 255]);
            }
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&raw).expect("zlib");
    let idat = z.finish().expect("zlib");
    let table = crc_table();
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&d.to_be_bytes());
    ihdr.extend_from_slice(&d.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, &table, b"IHDR", &ihdr);
    chunk(&mut out, &table, b"IDAT", &idat);
    chunk(&mut out, &table, b"IEND", &[]);
    out
}

pub fn isqrt(n: u64) -> u64 {
    if n < 2 {
        return n;
    }
    let mut x = n;
    let mut y = x.div_ceil(2);
    while y < x {
        x = y;
        y = (x + n / x) / 2;
    }
    x
}

/// A seal whose PNG is about `bytes` long (one correction step).
pub fn seal_of_size(rng: &mut Rng, bytes: usize) -> (Vec<u8>, u32) {
    // About 2.3 compressed bytes per noisy pixel over ~0.5 of the square.
    let d = isqrt((bytes as u64 * 100) / 115).max(16) as u32;
    let first = seal(&mut rng.clone(), d);
    let d2 =
        (d as u64 * isqrt(bytes as u64 * 10_000 / first.len().max(1) as u64) / 100).max(16) as u32;
    let png = seal(rng, d2);
    (png, d2)
}
