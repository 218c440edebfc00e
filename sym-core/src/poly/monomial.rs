//! Monomial orders and packed exponent vectors.
//!
//! A monomial `x_0^e_0 ... x_{n-1}^e_{n-1}` is stored as a few `u64` words holding *fields* of
//! `bits` bits each, most significant field first (FLINT's packed exponent vectors, after Monagan
//! and Pearce, "Polynomial division using dynamic arrays, heaps, and packed exponent vectors",
//! CASC 2007). The field layout depends on the order, so that comparing the words as unsigned
//! integers (lexicographically over the words) *is* the monomial order:
//!
//! * [`Lex`]: fields `e_0, e_1, ..., e_{n-1}`;
//! * [`DegLex`]: fields `deg, e_0, ..., e_{n-1}`;
//! * [`GrevLex`]: fields `deg, ~e_{n-1}, ..., ~e_0`, where `~e = 2^bits - 1 - e` is the
//!   complement of the field (a smaller last exponent makes a larger monomial).
//!
//! Every field value stays below `2^(bits-1)` (the top bit of each field is a guard), so:
//!
//! * the product of monomials is word-wise `a + b - M`, where `M` has all bits of the complemented
//!   fields set (`M = 0` for `Lex`): `(M - x) + (M - y) - M = M - (x + y)`;
//! * the quotient is `a - b + M`;
//! * `b` divides `a` exactly when `(a ^ M) - (b ^ M)` (word-wise) has no guard bit set: the
//!   lowest field with a borrow sets its own guard bit.
//!
//! A [`Layout`] fixes the number of variables, the order's field arrangement and the field width.
//! Operations that can grow exponents pick a wider layout first and repack their inputs.

use crate::poly::{LimitKind, PolyError};
use std::cmp::Ordering;
use std::fmt::Debug;
use std::hash::Hash;

/// A monomial order, fixed at compile time. See the module documentation for the layouts.
pub trait MonomialOrder: Copy + Clone + Default + Debug + PartialEq + Eq + Hash + Send + Sync + 'static {
    /// Whether the first field holds the total degree.
    const GRADED: bool;
    /// Whether ties are broken reverse-lexicographically (fields reversed and complemented).
    const REVERSE: bool;
    /// The conventional name of the order.
    const NAME: &'static str;

    /// Compares two exponent vectors (one entry per variable) in this order.
    fn cmp_exps(a: &[u64], b: &[u64]) -> Ordering {
        if Self::GRADED {
            let da: u128 = a.iter().map(|&e| u128::from(e)).sum();
            let db: u128 = b.iter().map(|&e| u128::from(e)).sum();
            match da.cmp(&db) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        if Self::REVERSE {
            for (x, y) in a.iter().rev().zip(b.iter().rev()) {
                match y.cmp(x) {
                    Ordering::Equal => {}
                    o => return o,
                }
            }
            Ordering::Equal
        } else {
            a.cmp(b)
        }
    }
}

/// Pure lexicographic order: `x_0 > x_1 > ...`, compared exponent by exponent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Lex;

/// Graded reverse lexicographic order (degree first, then the smaller last exponent wins).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct GrevLex;

/// Graded lexicographic order (degree first, then lexicographic).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DegLex;

impl MonomialOrder for Lex {
    const GRADED: bool = false;
    const REVERSE: bool = false;
    const NAME: &'static str = "lex";
}

impl MonomialOrder for GrevLex {
    const GRADED: bool = true;
    const REVERSE: bool = true;
    const NAME: &'static str = "grevlex";
}

impl MonomialOrder for DegLex {
    const GRADED: bool = true;
    const REVERSE: bool = false;
    const NAME: &'static str = "deglex";
}

/// The largest exponent (and total degree) the packed representation holds.
pub const MAX_EXPONENT: u64 = (1 << 63) - 1;

/// How exponent vectors of one polynomial are packed into words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Layout {
    nvars: u32,
    bits: u32,
    fields_per_word: u32,
    words: u32,
    graded: bool,
    reverse: bool,
}

impl Layout {
    /// The narrowest layout (fewest words) for `nvars` variables in order `O` whose fields hold
    /// values up to `max_value` (the largest exponent, or total degree for graded orders); within
    /// that word count the fields are made as wide as possible.
    pub fn for_max<O: MonomialOrder>(nvars: usize, max_value: u64) -> Result<Layout, PolyError> {
        if max_value > MAX_EXPONENT {
            return Err(PolyError::Limit {
                op: "pack exponents",
                kind: LimitKind::Exponent,
                limit: MAX_EXPONENT,
                needed: max_value,
            });
        }
        let nfields = nvars + usize::from(O::GRADED);
        // One guard bit above the value's bits, at least 4 bits per field.
        let min_bits = (65 - max_value.leading_zeros()).max(4) as usize;
        let fpw = (64 / min_bits).max(1);
        let words = nfields.div_ceil(fpw).max(1);
        let per_word = nfields.div_ceil(words).max(1);
        let bits = (64 / per_word).min(64);
        Ok(Layout {
            nvars: u32::try_from(nvars).expect("fewer than 2^32 variables"),
            bits: bits as u32,
            fields_per_word: (64 / bits) as u32,
            words: words as u32,
            graded: O::GRADED,
            reverse: O::REVERSE,
        })
    }

    /// The number of variables.
    #[inline]
    pub fn nvars(&self) -> usize {
        self.nvars as usize
    }

    /// The number of words per monomial.
    #[inline]
    pub fn words(&self) -> usize {
        self.words as usize
    }

    /// The width of a field in bits.
    #[inline]
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// The largest value a field holds.
    #[inline]
    pub fn max_value(&self) -> u64 {
        (1u64 << (self.bits - 1)) - 1
    }

    #[inline]
    fn nfields(&self) -> usize {
        self.nvars as usize + usize::from(self.graded)
    }

    #[inline]
    fn field_mask(&self) -> u64 {
        if self.bits == 64 { u64::MAX } else { (1u64 << self.bits) - 1 }
    }

    /// The field index holding variable `v`.
    #[inline]
    fn field_of_var(&self, v: usize) -> usize {
        let n = self.nvars as usize;
        let f = if self.reverse { n - 1 - v } else { v };
        f + usize::from(self.graded)
    }

    /// The word and shift of field `f`.
    #[inline]
    fn field_pos(&self, f: usize) -> (usize, u32) {
        let fpw = self.fields_per_word as usize;
        let w = f / fpw;
        let shift = 64 - self.bits * ((f % fpw) as u32 + 1);
        (w, shift)
    }

    #[inline]
    fn field_complemented(&self, f: usize) -> bool {
        self.reverse && !(self.graded && f == 0)
    }

    /// The masks of this layout: which bits are complemented, and the guard bits.
    pub fn masks(&self) -> Masks {
        let mut xor = vec![0u64; self.words()];
        let mut guard = vec![0u64; self.words()];
        let fm = self.field_mask();
        for f in 0..self.nfields() {
            let (w, s) = self.field_pos(f);
            if self.field_complemented(f) {
                xor[w] |= fm << s;
            }
            guard[w] |= 1u64 << (s + self.bits - 1);
        }
        Masks { xor, guard }
    }

    /// Packs an exponent vector (one entry per variable, each within range) into `out`.
    ///
    /// The caller guarantees every exponent and the total degree are at most
    /// [`Layout::max_value`].
    pub fn pack(&self, exps: &[u64], out: &mut [u64]) {
        debug_assert_eq!(exps.len(), self.nvars());
        out.fill(0);
        let fm = self.field_mask();
        let bits = self.bits;
        let (mut w, mut shift) = (0usize, 64 - bits);
        let advance = |w: &mut usize, shift: &mut u32| {
            if *shift >= bits {
                *shift -= bits;
            } else {
                *w += 1;
                *shift = 64 - bits;
            }
        };
        if self.graded {
            let deg: u64 = exps.iter().sum();
            debug_assert!(deg <= self.max_value());
            out[w] |= deg << shift;
            advance(&mut w, &mut shift);
        }
        let n = exps.len();
        for k in 0..n {
            let (e, val) = if self.reverse {
                let e = exps[n - 1 - k];
                (e, fm ^ e)
            } else {
                (exps[k], exps[k])
            };
            debug_assert!(e <= self.max_value());
            out[w] |= val << shift;
            advance(&mut w, &mut shift);
        }
    }

    /// The position of variable `v`'s field, for repeated reads without recomputing it.
    pub fn var_pos(&self, v: usize) -> VarPos {
        let f = self.field_of_var(v);
        let (word, shift) = self.field_pos(f);
        let mask = self.field_mask();
        VarPos { word, shift, mask, flip: if self.field_complemented(f) { mask } else { 0 } }
    }

    /// The exponent of variable `v` in the packed monomial `m`.
    #[inline]
    pub fn exponent(&self, m: &[u64], v: usize) -> u64 {
        self.var_pos(v).get(m)
    }

    /// Unpacks `m` into one exponent per variable.
    pub fn unpack(&self, m: &[u64], out: &mut [u64]) {
        let fm = self.field_mask();
        let bits = self.bits;
        let (mut w, mut shift) = (0usize, 64 - bits);
        let n = self.nvars();
        let mut first = self.graded;
        let mut k = 0;
        while k < n {
            if first {
                first = false;
            } else {
                let raw = (m[w] >> shift) & fm;
                if self.reverse {
                    out[n - 1 - k] = raw ^ fm;
                } else {
                    out[k] = raw;
                }
                k += 1;
            }
            if shift >= bits {
                shift -= bits;
            } else {
                w += 1;
                shift = 64 - bits;
            }
        }
    }

    /// The total degree of the packed monomial `m`.
    #[inline]
    pub fn total_degree(&self, m: &[u64]) -> u64 {
        if self.graded {
            let (w, s) = self.field_pos(0);
            (m[w] >> s) & self.field_mask()
        } else {
            let fm = self.field_mask();
            let bits = self.bits;
            let (mut w, mut shift) = (0usize, 64 - bits);
            let mut sum = 0;
            for _ in 0..self.nvars() {
                sum += (m[w] >> shift) & fm;
                if shift >= bits {
                    shift -= bits;
                } else {
                    w += 1;
                    shift = 64 - bits;
                }
            }
            sum
        }
    }

    /// Repacks monomials `src` (in layout `from`, same order and variables) into this layout.
    pub fn repack_from(&self, from: &Layout, src: &[u64]) -> Vec<u64> {
        debug_assert_eq!(self.nvars, from.nvars);
        if from == self {
            return src.to_vec();
        }
        let n = self.nvars();
        let fw = from.words();
        let tw = self.words();
        let count = src.len() / fw;
        let mut out = vec![0u64; count * tw];
        let mut buf = vec![0u64; n];
        for (i, m) in src.chunks_exact(fw).enumerate() {
            from.unpack(m, &mut buf);
            self.pack(&buf, &mut out[i * tw..(i + 1) * tw]);
        }
        out
    }
}

/// Where one variable's exponent sits in a packed monomial; see [`Layout::var_pos`].
#[derive(Clone, Copy, Debug)]
pub struct VarPos {
    word: usize,
    shift: u32,
    mask: u64,
    flip: u64,
}

impl VarPos {
    /// The exponent in the packed monomial `m`.
    #[inline]
    pub fn get(&self, m: &[u64]) -> u64 {
        ((m[self.word] >> self.shift) & self.mask) ^ self.flip
    }
}

/// The complement and guard masks of a [`Layout`], one word each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Masks {
    /// Bits of complemented fields (all ones within each such field).
    pub xor: Vec<u64>,
    /// The top bit of every field.
    pub guard: Vec<u64>,
}

impl Masks {
    /// `out = a * b` (monomial product, word-wise `a + b - M`).
    #[inline]
    pub fn mul_into(&self, a: &[u64], b: &[u64], out: &mut [u64]) {
        for i in 0..out.len() {
            out[i] = a[i].wrapping_add(b[i]).wrapping_sub(self.xor[i]);
        }
    }

    /// `out = a / b` for a divisor `b` of `a` (word-wise `a - b + M`).
    #[inline]
    pub fn div_into(&self, a: &[u64], b: &[u64], out: &mut [u64]) {
        for i in 0..out.len() {
            out[i] = a[i].wrapping_sub(b[i]).wrapping_add(self.xor[i]);
        }
    }

    /// Whether `b` divides `a`.
    #[inline]
    pub fn divides(&self, b: &[u64], a: &[u64]) -> bool {
        (0..a.len()).all(|i| ((a[i] ^ self.xor[i]).wrapping_sub(b[i] ^ self.xor[i])) & self.guard[i] == 0)
    }

    /// The packed monomial `1` (all exponents zero) in this layout.
    pub fn one(&self) -> Vec<u64> {
        self.xor.clone()
    }
}

/// A packed monomial held by value in heap-based kernels: fixed-size arrays for up to four words,
/// a boxed slice beyond. Ordering is the monomial order.
pub(crate) trait ExpKey: Ord + Clone + Debug + Send + Sync {
    /// Reads a packed monomial.
    fn load(src: &[u64]) -> Self;
    /// Writes the packed monomial.
    fn store(&self, dst: &mut [u64]);
    /// The product of two monomials.
    fn mul(&self, other: &Self, m: &Masks) -> Self;
    /// The quotient by a divisor.
    fn div(&self, other: &Self, m: &Masks) -> Self;
    /// Whether `self` divides `other`.
    fn divides(&self, other: &Self, m: &Masks) -> bool;
}

impl<const W: usize> ExpKey for [u64; W] {
    #[inline]
    fn load(src: &[u64]) -> Self {
        let mut k = [0u64; W];
        k.copy_from_slice(src);
        k
    }
    #[inline]
    fn store(&self, dst: &mut [u64]) {
        dst.copy_from_slice(self);
    }
    #[inline]
    fn mul(&self, other: &Self, m: &Masks) -> Self {
        let mut k = [0u64; W];
        for i in 0..W {
            k[i] = self[i].wrapping_add(other[i]).wrapping_sub(m.xor[i]);
        }
        k
    }
    #[inline]
    fn div(&self, other: &Self, m: &Masks) -> Self {
        let mut k = [0u64; W];
        for i in 0..W {
            k[i] = self[i].wrapping_sub(other[i]).wrapping_add(m.xor[i]);
        }
        k
    }
    #[inline]
    fn divides(&self, other: &Self, m: &Masks) -> bool {
        m.divides(self, other)
    }
}

impl ExpKey for Box<[u64]> {
    fn load(src: &[u64]) -> Self {
        src.into()
    }
    fn store(&self, dst: &mut [u64]) {
        dst.copy_from_slice(self);
    }
    fn mul(&self, other: &Self, m: &Masks) -> Self {
        let mut k = vec![0u64; self.len()];
        m.mul_into(self, other, &mut k);
        k.into()
    }
    fn div(&self, other: &Self, m: &Masks) -> Self {
        let mut k = vec![0u64; self.len()];
        m.div_into(self, other, &mut k);
        k.into()
    }
    fn divides(&self, other: &Self, m: &Masks) -> bool {
        m.divides(self, other)
    }
}

/// Runs `$body` with the type alias `$k` bound to the [`ExpKey`] type for `$words` words.
macro_rules! with_key {
    ($words:expr, $k:ident => $body:expr) => {
        match $words {
            1 => {
                type $k = [u64; 1];
                $body
            }
            2 => {
                type $k = [u64; 2];
                $body
            }
            3 => {
                type $k = [u64; 3];
                $body
            }
            4 => {
                type $k = [u64; 4];
                $body
            }
            _ => {
                type $k = Box<[u64]>;
                $body
            }
        }
    };
}
pub(crate) use with_key;
