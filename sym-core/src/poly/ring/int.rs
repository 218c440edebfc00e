//! [`Int`]: an arbitrary-precision integer stored inline when it fits an `i64`.
//!
//! Invariant: the `Big` representation holds only values outside the `i64` range, so every value
//! has exactly one representation and derived equality and hashing are correct. Machine-word
//! operations use checked arithmetic and move to GMP (via `rug`) on overflow.
//!
//! [`IntAcc`] accumulates sums of products in an `i128` (a product of two `i64` always fits, and
//! sums spill into a GMP integer only on overflow), which is what makes polynomial multiplication
//! over `Z` allocation-free for machine-size coefficients.

use rug::ops::{Pow, RemRounding};
use rug::{Float, Integer};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Add, Mul, Neg, Sub};

/// An integer with an inline `i64` fast path.
#[derive(Clone, PartialEq, Eq)]
pub struct Int(Repr);

#[derive(Clone, PartialEq, Eq)]
enum Repr {
    Small(i64),
    Big(Box<Integer>),
}

impl Hash for Int {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match &self.0 {
            Repr::Small(v) => {
                0u8.hash(state);
                v.hash(state);
            }
            Repr::Big(b) => {
                1u8.hash(state);
                b.hash(state);
            }
        }
    }
}

impl Default for Int {
    fn default() -> Self {
        Int::ZERO
    }
}

impl From<i64> for Int {
    fn from(v: i64) -> Self {
        Int(Repr::Small(v))
    }
}

impl From<i32> for Int {
    fn from(v: i32) -> Self {
        Int(Repr::Small(i64::from(v)))
    }
}

impl From<u64> for Int {
    fn from(v: u64) -> Self {
        match i64::try_from(v) {
            Ok(s) => Int(Repr::Small(s)),
            Err(_) => Int(Repr::Big(Box::new(Integer::from(v)))),
        }
    }
}

impl From<i128> for Int {
    fn from(v: i128) -> Self {
        match i64::try_from(v) {
            Ok(s) => Int(Repr::Small(s)),
            Err(_) => Int(Repr::Big(Box::new(Integer::from(v)))),
        }
    }
}

impl From<Integer> for Int {
    fn from(v: Integer) -> Self {
        match v.to_i64() {
            Some(s) => Int(Repr::Small(s)),
            None => Int(Repr::Big(Box::new(v))),
        }
    }
}

impl From<&Integer> for Int {
    fn from(v: &Integer) -> Self {
        match v.to_i64() {
            Some(s) => Int(Repr::Small(s)),
            None => Int(Repr::Big(Box::new(v.clone()))),
        }
    }
}

impl From<&Int> for Integer {
    fn from(v: &Int) -> Self {
        v.to_integer()
    }
}

impl Int {
    /// Zero.
    pub const ZERO: Int = Int(Repr::Small(0));
    /// One.
    pub const ONE: Int = Int(Repr::Small(1));
    /// Minus one.
    pub const MINUS_ONE: Int = Int(Repr::Small(-1));

    /// The value as an `i64`, when it fits.
    #[inline]
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            Repr::Small(v) => Some(v),
            Repr::Big(_) => None,
        }
    }

    /// The value as a GMP integer.
    pub fn to_integer(&self) -> Integer {
        match &self.0 {
            Repr::Small(v) => Integer::from(*v),
            Repr::Big(b) => (**b).clone(),
        }
    }

    /// Whether the value is zero.
    #[inline]
    pub fn is_zero(&self) -> bool {
        matches!(self.0, Repr::Small(0))
    }

    /// Whether the value is one.
    #[inline]
    pub fn is_one(&self) -> bool {
        matches!(self.0, Repr::Small(1))
    }

    /// The sign: `-1`, `0` or `1`.
    pub fn signum(&self) -> i32 {
        match &self.0 {
            Repr::Small(v) => v.signum() as i32,
            Repr::Big(b) => match b.cmp0() {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            },
        }
    }

    /// Whether the value is negative.
    pub fn is_negative(&self) -> bool {
        self.signum() < 0
    }

    /// The absolute value.
    pub fn abs(&self) -> Int {
        if self.is_negative() { -self } else { self.clone() }
    }

    /// The number of bits of the absolute value (`0` for zero).
    pub fn bits(&self) -> u32 {
        match &self.0 {
            Repr::Small(v) => 64 - v.unsigned_abs().leading_zeros(),
            Repr::Big(b) => b.significant_bits(),
        }
    }

    /// `self += a * b`.
    pub fn add_mul(&mut self, a: &Int, b: &Int) {
        if let (Repr::Small(s), Repr::Small(x), Repr::Small(y)) = (&mut self.0, &a.0, &b.0) {
            let r = i128::from(*s) + i128::from(*x) * i128::from(*y);
            if let Ok(v) = i64::try_from(r) {
                *s = v;
            } else {
                *self = Int::from(r);
            }
            return;
        }
        let mut acc = self.to_integer();
        acc += a.to_integer() * b.to_integer();
        *self = Int::from(acc);
    }

    /// `self -= a * b`.
    pub fn sub_mul(&mut self, a: &Int, b: &Int) {
        if let (Repr::Small(s), Repr::Small(x), Repr::Small(y)) = (&mut self.0, &a.0, &b.0) {
            let r = i128::from(*s) - i128::from(*x) * i128::from(*y);
            if let Ok(v) = i64::try_from(r) {
                *s = v;
            } else {
                *self = Int::from(r);
            }
            return;
        }
        let mut acc = self.to_integer();
        acc -= a.to_integer() * b.to_integer();
        *self = Int::from(acc);
    }

    /// The exact quotient `self / d`, or `None` when `d` is zero or does not divide `self`.
    pub fn checked_div_exact(&self, d: &Int) -> Option<Int> {
        if d.is_zero() {
            return None;
        }
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &d.0) {
            if a % b == 0 {
                // `i64::MIN / -1` overflows; the i128 route handles it.
                return Some(match a.checked_div(*b) {
                    Some(q) => Int::from(q),
                    None => Int::from(-i128::from(*a)),
                });
            }
            return None;
        }
        let a = self.to_integer();
        let b = d.to_integer();
        if a.is_divisible(&b) { Some(Int::from(a.div_exact(&b))) } else { None }
    }

    /// The quotient `self / d` of a division known to be exact (`d` nonzero).
    ///
    /// # Panics
    ///
    /// Panics when `d` is zero (a broken invariant of the caller).
    pub fn div_exact(&self, d: &Int) -> Int {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &d.0) {
            return match a.checked_div(*b) {
                Some(q) => Int::from(q),
                None => Int::from(-i128::from(*a)),
            };
        }
        Int::from(self.to_integer().div_exact(&d.to_integer()))
    }

    /// Floor division with remainder: `self = q * d + r` with `0 <= r < |d|` when `d > 0`, and
    /// `r` of the sign of `d` in general. Returns `None` when `d` is zero.
    pub fn div_rem_floor(&self, d: &Int) -> Option<(Int, Int)> {
        if d.is_zero() {
            return None;
        }
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &d.0) {
            let (a, b) = (i128::from(*a), i128::from(*b));
            let q = a.div_euclid(b);
            let r = a.rem_euclid(b);
            // Adjust the Euclidean result to floor semantics for negative divisors.
            let (q, r) = if b < 0 && r != 0 { (q - 1, r + b) } else { (q, r) };
            return Some((Int::from(q), Int::from(r)));
        }
        let (q, r) = self.to_integer().div_rem_floor(d.to_integer());
        Some((Int::from(q), Int::from(r)))
    }

    /// The non-negative greatest common divisor.
    pub fn gcd(&self, other: &Int) -> Int {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &other.0) {
            return Int::from(gcd_u64(a.unsigned_abs(), b.unsigned_abs()));
        }
        Int::from(self.to_integer().gcd(&other.to_integer()))
    }

    /// The non-negative least common multiple.
    pub fn lcm(&self, other: &Int) -> Int {
        if self.is_zero() || other.is_zero() {
            return Int::ZERO;
        }
        let g = self.gcd(other);
        (&self.div_exact(&g) * other).abs()
    }

    /// `self^e`.
    pub fn pow(&self, e: u32) -> Int {
        if let Repr::Small(v) = self.0
            && let Some(p) = v.checked_pow(e)
        {
            return Int::from(p);
        }
        Int::from(self.to_integer().pow(e))
    }

    /// The residue in `[0, p)` for `p > 0`.
    pub fn rem_u64(&self, p: u64) -> u64 {
        match &self.0 {
            Repr::Small(v) => {
                let r = v.unsigned_abs() % p;
                if *v < 0 && r != 0 { p - r } else { r }
            }
            Repr::Big(b) => {
                let r = (**b).clone().rem_euc(Integer::from(p));
                r.to_u64().expect("invariant: a residue mod a u64 fits a u64")
            }
        }
    }

    /// The nearest `f64` (infinite when out of range).
    pub fn to_f64(&self) -> f64 {
        match &self.0 {
            Repr::Small(v) => *v as f64,
            Repr::Big(b) => b.to_f64(),
        }
    }

    /// The value rounded to a float of `prec` bits.
    pub fn to_float(&self, prec: u32) -> Float {
        match &self.0 {
            Repr::Small(v) => Float::with_val(prec, *v),
            Repr::Big(b) => Float::with_val(prec, &**b),
        }
    }

    /// `self * 2^k`.
    pub fn shl(&self, k: u32) -> Int {
        if let Repr::Small(v) = self.0
            && k < 63
            && let Some(r) = v.checked_mul(1i64 << k)
        {
            return Int::from(r);
        }
        Int::from(self.to_integer() << k)
    }
}

/// The greatest common divisor of two machine words (binary algorithm).
pub(crate) fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

impl PartialOrd for Int {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Int {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Small(a), Repr::Small(b)) => a.cmp(b),
            (Repr::Small(a), Repr::Big(b)) => Integer::from(*a).cmp(b),
            (Repr::Big(a), Repr::Small(b)) => (**a).cmp(&Integer::from(*b)),
            (Repr::Big(a), Repr::Big(b)) => a.cmp(b),
        }
    }
}

impl fmt::Display for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Small(v) => fmt::Display::fmt(v, f),
            Repr::Big(b) => fmt::Display::fmt(&**b, f),
        }
    }
}

impl fmt::Debug for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::str::FromStr for Int {
    type Err = rug::integer::ParseIntegerError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Int::from(Integer::from_str_radix(s, 10)?))
    }
}

impl Add for &Int {
    type Output = Int;
    #[inline]
    fn add(self, rhs: &Int) -> Int {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &rhs.0) {
            return match a.checked_add(*b) {
                Some(v) => Int::from(v),
                None => Int::from(i128::from(*a) + i128::from(*b)),
            };
        }
        Int::from(self.to_integer() + rhs.to_integer())
    }
}

impl Sub for &Int {
    type Output = Int;
    #[inline]
    fn sub(self, rhs: &Int) -> Int {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &rhs.0) {
            return match a.checked_sub(*b) {
                Some(v) => Int::from(v),
                None => Int::from(i128::from(*a) - i128::from(*b)),
            };
        }
        Int::from(self.to_integer() - rhs.to_integer())
    }
}

impl Mul for &Int {
    type Output = Int;
    #[inline]
    fn mul(self, rhs: &Int) -> Int {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &rhs.0) {
            return match a.checked_mul(*b) {
                Some(v) => Int::from(v),
                None => Int::from(i128::from(*a) * i128::from(*b)),
            };
        }
        Int::from(self.to_integer() * rhs.to_integer())
    }
}

impl Neg for &Int {
    type Output = Int;
    #[inline]
    fn neg(self) -> Int {
        match &self.0 {
            Repr::Small(v) => match v.checked_neg() {
                Some(n) => Int::from(n),
                None => Int::from(-i128::from(*v)),
            },
            Repr::Big(b) => Int::from(-(**b).clone()),
        }
    }
}

impl Neg for Int {
    type Output = Int;
    fn neg(self) -> Int {
        -&self
    }
}

/// An accumulator for sums of products of [`Int`]s: an `i128` that spills into a GMP integer on
/// overflow.
#[derive(Clone, Debug, Default)]
pub struct IntAcc {
    lo: i128,
    hi: Option<Integer>,
}

impl IntAcc {
    /// A zero accumulator.
    pub fn new() -> IntAcc {
        IntAcc::default()
    }

    #[cold]
    fn spill(&mut self, extra: Integer) {
        let hi = self.hi.get_or_insert_with(Integer::new);
        *hi += self.lo;
        *hi += extra;
        self.lo = 0;
    }

    /// `self += a * b`.
    #[inline]
    pub fn add_mul(&mut self, a: &Int, b: &Int) {
        if let (Repr::Small(x), Repr::Small(y)) = (&a.0, &b.0) {
            let p = i128::from(*x) * i128::from(*y);
            match self.lo.checked_add(p) {
                Some(v) => self.lo = v,
                None => self.spill(Integer::from(p)),
            }
        } else {
            self.spill(a.to_integer() * b.to_integer());
        }
    }

    /// `self -= a * b`.
    #[inline]
    pub fn sub_mul(&mut self, a: &Int, b: &Int) {
        if let (Repr::Small(x), Repr::Small(y)) = (&a.0, &b.0) {
            let p = i128::from(*x) * i128::from(*y);
            match self.lo.checked_sub(p) {
                Some(v) => self.lo = v,
                None => self.spill(-Integer::from(p)),
            }
        } else {
            self.spill(-(a.to_integer() * b.to_integer()));
        }
    }

    /// `self += a`.
    #[inline]
    pub fn add(&mut self, a: &Int) {
        if let Repr::Small(x) = &a.0 {
            match self.lo.checked_add(i128::from(*x)) {
                Some(v) => self.lo = v,
                None => self.spill(Integer::from(*x)),
            }
        } else {
            self.spill(a.to_integer());
        }
    }

    /// `self += a * k` for a machine integer `k`.
    #[inline]
    pub fn add_mul_i64(&mut self, a: &Int, k: i64) {
        if let Repr::Small(x) = &a.0 {
            let p = i128::from(*x) * i128::from(k);
            match self.lo.checked_add(p) {
                Some(v) => self.lo = v,
                None => self.spill(Integer::from(p)),
            }
        } else {
            self.spill(a.to_integer() * k);
        }
    }

    /// Whether the accumulated value is zero.
    pub fn is_zero(&self) -> bool {
        self.lo == 0 && self.hi.as_ref().is_none_or(|h| h.is_zero())
    }

    /// The accumulated value; resets to zero.
    #[inline]
    pub fn take(&mut self) -> Int {
        let lo = std::mem::take(&mut self.lo);
        match self.hi.take() {
            None => Int::from(lo),
            Some(mut h) => {
                h += lo;
                Int::from(h)
            }
        }
    }

    /// The accumulated value divided exactly by `d` (nonzero); resets to zero.
    pub fn take_div_exact(&mut self, d: i128) -> Int {
        if self.hi.is_none() {
            let lo = std::mem::take(&mut self.lo);
            if let Some(q) = lo.checked_div(d) {
                return Int::from(q);
            }
            return Int::from(Integer::from(lo).div_exact(&Integer::from(d)));
        }
        let v = self.take();
        Int::from(v.to_integer().div_exact(&Integer::from(d)))
    }
}
