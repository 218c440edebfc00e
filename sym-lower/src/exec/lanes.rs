//! Lane-parallel masks for the blocked root iteration: a mask lane is an all-ones or all-zeros bit pattern as
//! wide as the float it guards, so comparisons, mask logic and selects all stay one SIMD lane wide and the
//! compiler vectorises them (a `bool` lane is one byte and forces packing and unpacking).

use super::block::{LANES, Lanes};
use crate::scalar::Real;
use std::ops::{BitAnd, BitOr, BitXor, Not};

/// A float kind with a same-width unsigned integer for masks.
pub(crate) trait Lane: Real {
    /// The unsigned integer of the same width.
    type Bits: Copy
        + PartialEq
        + BitAnd<Output = Self::Bits>
        + BitOr<Output = Self::Bits>
        + BitXor<Output = Self::Bits>
        + Not<Output = Self::Bits>;
    /// All bits set.
    const ONES: Self::Bits;
    /// No bits set.
    const NONE: Self::Bits;
    /// The sign bit.
    const SIGN: Self::Bits;
    /// The bit pattern.
    fn bits(self) -> Self::Bits;
    /// The float with the given bit pattern.
    fn of_bits(b: Self::Bits) -> Self;

    /// The mask of a condition.
    #[inline(always)]
    fn mask(c: bool) -> Self::Bits {
        if c { Self::ONES } else { Self::NONE }
    }

    /// `a` where the mask is set, else `b` (bit for bit).
    #[inline(always)]
    fn sel(m: Self::Bits, a: Self, b: Self) -> Self {
        Self::of_bits((m & a.bits()) | (!m & b.bits()))
    }

    /// Masks from booleans.
    #[inline(always)]
    fn masks(b: Lanes<bool>) -> Lanes<Self::Bits> {
        map_lanes(&b, |x| if x { Self::ONES } else { Self::NONE })
    }

    /// Booleans from masks.
    #[inline(always)]
    fn unmask(m: Lanes<Self::Bits>) -> Lanes<bool> {
        map_lanes(&m, |x| x != Self::NONE)
    }

    /// Whether `x` is finite, tested as `x - x == 0` (false exactly for infinities and NaN; it compiles to two
    /// float instructions, where `is_finite` becomes integer bit tests that SSE2 handles poorly in 64-bit lanes).
    #[inline(always)]
    #[allow(clippy::eq_op)]
    fn finite_by_sub(x: Self) -> bool {
        x - x == Self::ZERO
    }

    /// Whether every lane is set.
    #[inline(always)]
    fn all(m: Lanes<Self::Bits>) -> bool {
        m.iter().fold(Self::ONES, |acc, &x| acc & x) == Self::ONES
    }
}

impl Lane for f64 {
    type Bits = u64;
    const ONES: u64 = u64::MAX;
    const NONE: u64 = 0;
    const SIGN: u64 = 1 << 63;
    #[inline(always)]
    fn bits(self) -> u64 {
        self.to_bits()
    }
    #[inline(always)]
    fn of_bits(b: u64) -> Self {
        Self::from_bits(b)
    }
}

impl Lane for f32 {
    type Bits = u32;
    const ONES: u32 = u32::MAX;
    const NONE: u32 = 0;
    const SIGN: u32 = 1 << 31;
    #[inline(always)]
    fn bits(self) -> u32 {
        self.to_bits()
    }
    #[inline(always)]
    fn of_bits(b: u32) -> Self {
        Self::from_bits(b)
    }
}

/// `[f(x[0]), f(x[1]), ...]` as a plain loop. The block code uses this and [`lanes_from_fn`] instead of the
/// standard library's array `map` and `from_fn`, which are not `#[inline(always)]`: the executor's AVX2 copy of
/// its loops (see the `isa` module) inlines everything below it, and a call left out of line runs the baseline
/// code.
#[inline(always)]
pub(crate) fn map_lanes<T: Copy, U: Copy>(x: &Lanes<T>, f: impl Fn(T) -> U) -> Lanes<U> {
    let mut out = [f(x[0]); LANES];
    for l in 1..LANES {
        out[l] = f(x[l]);
    }
    out
}

/// `[f(0), f(1), ...]` as a plain loop (see [`map_lanes`]).
#[inline(always)]
pub(crate) fn lanes_from_fn<U: Copy>(f: impl Fn(usize) -> U) -> Lanes<U> {
    let mut out = [f(0); LANES];
    for (l, o) in out.iter_mut().enumerate().skip(1) {
        *o = f(l);
    }
    out
}
