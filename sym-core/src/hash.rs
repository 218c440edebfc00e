//! Deterministic hashing: expression hashes are the same in every run, and maps keyed by
//! expressions reuse the cached hash instead of rehashing the tree.

use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x517c_c1b7_2722_0a95;

/// A small, fast, deterministic hasher (the FxHash mixing step) with a final avalanche.
#[derive(Default, Clone, Copy)]
pub struct StableHasher(u64);

impl StableHasher {
    /// A hasher seeded with a tag, so that different node kinds start apart.
    pub fn with_tag(tag: u64) -> StableHasher {
        let mut h = StableHasher(0);
        h.write_u64(tag);
        h
    }
}

impl Hasher for StableHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.write_u64(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
    }

    fn write_u8(&mut self, v: u8) {
        self.write_u64(v as u64);
    }

    fn write_u32(&mut self, v: u32) {
        self.write_u64(v as u64);
    }

    fn write_i32(&mut self, v: i32) {
        self.write_u64(v as u64);
    }

    fn write_i64(&mut self, v: i64) {
        self.write_u64(v as u64);
    }

    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }

    fn finish(&self) -> u64 {
        // splitmix64's finaliser, so that nearby inputs spread over all bits.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A stable hash of a string.
pub fn stable_hash_str(s: &str) -> u64 {
    let mut h = StableHasher::with_tag(0x5359_4d42);
    h.write(s.as_bytes());
    h.write_usize(s.len());
    h.finish()
}

/// A hasher for keys that already are good hashes (an expression writes its cached hash once).
#[derive(Default, Clone, Copy)]
pub struct PassThroughHasher(u64);

impl Hasher for PassThroughHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(K);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 ^= v;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds [`PassThroughHasher`]s; use it for `HashMap`s keyed by `Expr`.
pub type BuildPassThrough = BuildHasherDefault<PassThroughHasher>;

/// A hash map keyed by expressions that reuses their cached hashes.
pub type ExprMap<V> = std::collections::HashMap<crate::Expr, V, BuildPassThrough>;

/// A hash set of expressions that reuses their cached hashes.
pub type ExprSet = std::collections::HashSet<crate::Expr, BuildPassThrough>;
