//! A tiny deterministic PRNG (SplitMix64). Hand-written so the corpus stays
//! byte-identical across crate versions and platforms: only integer arithmetic
//! and exact f64 comparisons of 53-bit fractions, no transcendental functions.

#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// An independent stream for (`seed`, `stream`, `index`).
    pub fn derive(seed: u64, stream: u64, index: u64) -> Self {
        let mut r = Rng(seed ^ 0xD1B5_4A32_D192_ED03);
        let a = r.next_u64() ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut r = Rng(a);
        let b = r.next_u64() ^ index.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        let mut r = Rng(b);
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    /// Index drawn with the given (non-negative) weights.
    pub fn weighted(&mut self, ws: &[f64]) -> usize {
        let total: f64 = ws.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in ws.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        ws.len() - 1
    }

    /// A skewed draw in `lo..=hi`: most values near `lo` (u^k scaling).
    pub fn skewed(&mut self, lo: i64, hi: i64, k: u32) -> i64 {
        let mut u = self.unit();
        let base = u;
        for _ in 1..k {
            u *= base;
        }
        lo + ((hi - lo) as f64 * u + 0.5) as i64
    }

    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            xs.swap(i, j);
        }
    }
}
