//! The prime field `Z/p` for word-size primes `p < 2^63`.
//!
//! Elements are `u64` residues in `[0, p)`. A product `a * b < p^2` is reduced with the
//! precomputed reciprocal `v = floor((2^128 - 1) / d) - 2^64` of the normalised modulus
//! `d = p * 2^s` (top bit set): Möller and Granlund, "Improved division by invariant integers",
//! Algorithm 4, which replaces the hardware division by two multiplications and a few corrections.
//! The bound `p < 2^63` keeps sums of two residues inside a word.

use super::{Field, GcdDomain, Ring};
use crate::poly::PolyError;
use rug::Integer;
use rug::integer::IsPrime;
use rug::ops::RemRounding;

/// The field of integers modulo a prime `p < 2^63`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Zp {
    p: u64,
    shift: u32,
    v: u64,
}

impl Zp {
    /// The field `Z/p`; `p` must be a prime below `2^63`.
    pub fn new(p: u64) -> Result<Zp, PolyError> {
        if !(2..1 << 63).contains(&p) || Integer::from(p).is_probably_prime(40) == IsPrime::No {
            return Err(PolyError::BadModulus(p));
        }
        Ok(Zp::new_unchecked(p))
    }

    /// The field `Z/p` for a `p` the caller knows to be a prime below `2^63`.
    pub(crate) fn new_unchecked(p: u64) -> Zp {
        debug_assert!((2..1 << 63).contains(&p));
        let shift = p.leading_zeros();
        let d = p << shift;
        let v = (u128::MAX / u128::from(d) - (1u128 << 64)) as u64;
        Zp { p, shift, v }
    }

    /// The modulus.
    #[inline]
    pub fn modulus(&self) -> u64 {
        self.p
    }

    /// `(u1 * 2^64 + u0) mod p` for `u1 < p`.
    #[inline]
    fn rem_2by1(&self, u1: u64, u0: u64) -> u64 {
        let s = self.shift;
        // Normalise: shift the two-word number left by `s` (`s >= 1` since `p < 2^63`).
        let n1 = (u1 << s) | (u0 >> (64 - s));
        let n0 = u0 << s;
        let d = self.p << s;
        let q = u128::from(self.v) * u128::from(n1);
        let q = q.wrapping_add((u128::from(n1.wrapping_add(1)) << 64) | u128::from(n0));
        let q1 = (q >> 64) as u64;
        let q0 = q as u64;
        let mut r = n0.wrapping_sub(q1.wrapping_mul(d));
        if r > q0 {
            r = r.wrapping_add(d);
        }
        if r >= d {
            r -= d;
        }
        r >> s
    }

    /// `x mod p` for any 128-bit `x`.
    #[inline]
    pub fn reduce_u128(&self, x: u128) -> u64 {
        let hi = (x >> 64) as u64;
        let lo = x as u64;
        let h = if hi >= self.p { self.rem_2by1(0, hi) } else { hi };
        self.rem_2by1(h, lo)
    }

    /// `x mod p` for a word.
    #[inline]
    pub fn reduce_u64(&self, x: u64) -> u64 {
        if x < self.p { x } else { self.rem_2by1(0, x) }
    }

    /// `a * b mod p` for residues `a, b`.
    #[inline]
    pub fn mul_mod(&self, a: u64, b: u64) -> u64 {
        let x = u128::from(a) * u128::from(b);
        self.rem_2by1((x >> 64) as u64, x as u64)
    }

    /// `a + b mod p` for residues `a, b`.
    #[inline]
    pub fn add_mod(&self, a: u64, b: u64) -> u64 {
        let s = a + b;
        if s >= self.p { s - self.p } else { s }
    }

    /// `a - b mod p` for residues `a, b`.
    #[inline]
    pub fn sub_mod(&self, a: u64, b: u64) -> u64 {
        if a >= b { a - b } else { a + self.p - b }
    }

    /// `-a mod p`.
    #[inline]
    pub fn neg_mod(&self, a: u64) -> u64 {
        if a == 0 { 0 } else { self.p - a }
    }

    /// The inverse of a nonzero residue (extended Euclid).
    pub fn inv_mod(&self, a: u64) -> Option<u64> {
        if a == 0 {
            return None;
        }
        // Word-size extended Euclid. The Bezout coefficients stay below p < 2^63 in absolute
        // value, so wrapping arithmetic on i64 computes them exactly.
        let (mut r0, mut r1) = (self.p, a % self.p);
        let (mut t0, mut t1) = (0i64, 1i64);
        while r1 != 0 {
            let q = r0 / r1;
            (r0, r1) = (r1, r0 - q * r1);
            (t0, t1) = (t1, t0.wrapping_sub((q as i64).wrapping_mul(t1)));
        }
        debug_assert_eq!(r0, 1, "invariant: p is prime");
        Some(if t0 < 0 { (t0 + self.p as i64) as u64 } else { t0 as u64 })
    }

    /// `a^e mod p`.
    pub fn pow_mod(&self, a: u64, mut e: u64) -> u64 {
        let mut r = if self.p == 1 { 0 } else { 1 };
        let mut b = a;
        while e > 0 {
            if e & 1 == 1 {
                r = self.mul_mod(r, b);
            }
            e >>= 1;
            if e > 0 {
                b = self.mul_mod(b, b);
            }
        }
        r
    }

    /// The symmetric representative of a residue, in `(-p/2, p/2]`.
    pub fn symmetric(&self, a: u64) -> i64 {
        if a > self.p / 2 { -((self.p - a) as i64) } else { a as i64 }
    }
}

/// The high half of the accumulator range: accumulators are reduced before they reach it.
const ACC_SPILL: u128 = 1 << 127;

impl Ring for Zp {
    type Elem = u64;
    type Acc = u128;

    #[inline]
    fn zero(&self) -> u64 {
        0
    }
    #[inline]
    fn one(&self) -> u64 {
        1
    }
    fn from_i64(&self, n: i64) -> u64 {
        let r = n.unsigned_abs() % self.p;
        if n < 0 && r != 0 { self.p - r } else { r }
    }
    fn from_integer(&self, n: &Integer) -> u64 {
        n.clone().rem_euc(Integer::from(self.p)).to_u64().expect("invariant: a residue fits a word")
    }
    fn from_u64(&self, n: u64) -> u64 {
        self.reduce_u64(n)
    }
    #[inline]
    fn is_zero(&self, a: &u64) -> bool {
        *a == 0
    }
    #[inline]
    fn is_one(&self, a: &u64) -> bool {
        *a == 1
    }
    #[inline]
    fn add(&self, a: &u64, b: &u64) -> u64 {
        self.add_mod(*a, *b)
    }
    #[inline]
    fn sub(&self, a: &u64, b: &u64) -> u64 {
        self.sub_mod(*a, *b)
    }
    #[inline]
    fn mul(&self, a: &u64, b: &u64) -> u64 {
        self.mul_mod(*a, *b)
    }
    #[inline]
    fn neg(&self, a: &u64) -> u64 {
        self.neg_mod(*a)
    }
    fn try_div(&self, a: &u64, b: &u64) -> Option<u64> {
        self.inv_mod(*b).map(|i| self.mul_mod(*a, i))
    }
    fn pow(&self, a: &u64, e: u64) -> u64 {
        self.pow_mod(*a, e)
    }
    fn characteristic(&self) -> u64 {
        self.p
    }
    fn is_unit(&self, a: &u64) -> bool {
        *a != 0
    }
    #[inline]
    fn acc_zero(&self) -> u128 {
        0
    }
    #[inline]
    fn acc_add_mul(&self, acc: &mut u128, a: &u64, b: &u64) {
        *acc += u128::from(*a) * u128::from(*b);
        if *acc >= ACC_SPILL {
            *acc = u128::from(self.reduce_u128(*acc));
        }
    }
    #[inline]
    fn acc_sub_mul(&self, acc: &mut u128, a: &u64, b: &u64) {
        *acc += u128::from(*a) * u128::from(self.p - *b);
        if *acc >= ACC_SPILL {
            *acc = u128::from(self.reduce_u128(*acc));
        }
    }
    #[inline]
    fn acc_add(&self, acc: &mut u128, a: &u64) {
        *acc += u128::from(*a);
        if *acc >= ACC_SPILL {
            *acc = u128::from(self.reduce_u128(*acc));
        }
    }
    #[inline]
    fn acc_take(&self, acc: &mut u128) -> u64 {
        let v = self.reduce_u128(*acc);
        *acc = 0;
        v
    }
}

impl Field for Zp {
    fn inv(&self, a: &u64) -> Option<u64> {
        self.inv_mod(*a)
    }
}

impl GcdDomain for Zp {
    fn gcd(&self, a: &u64, b: &u64) -> u64 {
        u64::from(*a != 0 || *b != 0)
    }
    fn unit_part(&self, a: &u64) -> u64 {
        if *a == 0 { 1 } else { *a }
    }
}
