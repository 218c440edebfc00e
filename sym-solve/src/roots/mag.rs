//! Directed-rounding bounds on nonnegative reals with an unbounded exponent: [`Mag`], an `f64`
//! mantissa in `[1/2, 1)` times `2^e` with `e: i64` (after Arb's `mag_t`).
//!
//! A `Mag` is always used with a *direction*: the `*_up` operations return a value that is at
//! least the exact result of the operation on the represented values, the `*_down` ones a value
//! that is at most it. Every `f64` operation rounds to nearest, so the exact result lies within
//! half an ulp of the computed one, and stepping one ulp away ([`f64::next_up`],
//! [`f64::next_down`]) gives a rigorous bound. Scaling by powers of two is exact while the
//! mantissa stays normal, which normalisation after every operation guarantees; exponents live in
//! an `i64`, so products of hundreds of factors neither overflow nor underflow.

use rug::Float;
use rug::float::Round;
use std::cmp::Ordering;

/// A nonnegative real `m * 2^e` with `m` zero or in `[1/2, 1)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Mag {
    m: f64,
    e: i64,
}

/// Splits a finite positive `f64` into `(m, e)` with `x = m * 2^e` and `m` in `[1/2, 1)` (exact).
fn frexp(x: f64) -> (f64, i64) {
    debug_assert!(x.is_finite() && x > 0.0);
    let bits = x.to_bits();
    let exp_field = ((bits >> 52) & 0x7ff) as i64;
    if exp_field == 0 {
        // Subnormal: scale up by 2^64 (exact) and retry.
        let (m, e) = frexp(x * f64::from_bits(0x43f0_0000_0000_0000));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp_field - 1022)
}

/// `2^k` for `k` in the normal range.
fn pow2(k: i64) -> f64 {
    debug_assert!((-1022..=1023).contains(&k));
    f64::from_bits(((k + 1023) as u64) << 52)
}

impl Mag {
    /// Zero.
    pub(crate) const ZERO: Mag = Mag { m: 0.0, e: 0 };

    /// Normalises a computed nonnegative finite mantissa; exact.
    fn norm(m: f64, e: i64) -> Mag {
        if m == 0.0 {
            return Mag::ZERO;
        }
        let (m2, k) = frexp(m);
        Mag { m: m2, e: e + k }
    }

    /// The exact value of a nonnegative finite `f64`.
    pub(crate) fn from_f64(x: f64) -> Mag {
        debug_assert!(x >= 0.0 && x.is_finite());
        Mag::norm(x, 0)
    }

    /// An upper bound on `|x|`.
    pub(crate) fn from_float_up(x: &Float) -> Mag {
        if x.is_zero() {
            return Mag::ZERO;
        }
        let ax = Float::with_val(x.prec(), x.abs_ref());
        let (m, e) = ax.to_f64_exp_round(Round::Up);
        Mag::norm(m, i64::from(e))
    }

    /// A lower bound on `|x|`.
    pub(crate) fn from_float_down(x: &Float) -> Mag {
        if x.is_zero() {
            return Mag::ZERO;
        }
        let ax = Float::with_val(x.prec(), x.abs_ref());
        let (m, e) = ax.to_f64_exp_round(Round::Down);
        Mag::norm(m, i64::from(e))
    }

    /// Whether this is zero.
    pub(crate) fn is_zero(self) -> bool {
        self.m == 0.0
    }

    /// An upper bound on `self * other`.
    pub(crate) fn mul_up(self, other: Mag) -> Mag {
        if self.is_zero() || other.is_zero() {
            return Mag::ZERO;
        }
        Mag::norm((self.m * other.m).next_up(), self.e + other.e)
    }

    /// A lower bound on `self * other`.
    pub(crate) fn mul_down(self, other: Mag) -> Mag {
        if self.is_zero() || other.is_zero() {
            return Mag::ZERO;
        }
        Mag::norm((self.m * other.m).next_down(), self.e + other.e)
    }

    /// An upper bound on `self / other` (`other` nonzero).
    pub(crate) fn div_up(self, other: Mag) -> Mag {
        debug_assert!(!other.is_zero());
        if self.is_zero() {
            return Mag::ZERO;
        }
        Mag::norm((self.m / other.m).next_up(), self.e - other.e)
    }

    /// An upper bound on `self + other`.
    pub(crate) fn add_up(self, other: Mag) -> Mag {
        let (big, small) = if self.ge(other) { (self, other) } else { (other, self) };
        if small.is_zero() {
            return big;
        }
        let shift = big.e - small.e;
        if shift > 1000 {
            // `small < 2^(small.e) <= 2^(big.e - 1001)`, far below one ulp of `big.m * 2^big.e`.
            return Mag::norm(big.m.next_up(), big.e);
        }
        Mag::norm((big.m + small.m * pow2(-shift)).next_up(), big.e)
    }

    /// A lower bound on `self - other`, clamped at zero.
    pub(crate) fn sub_down(self, other: Mag) -> Mag {
        if other.is_zero() {
            return self;
        }
        if !self.gt(other) {
            return Mag::ZERO;
        }
        let shift = self.e - other.e;
        if shift > 1000 {
            return Mag::norm(self.m.next_down(), self.e);
        }
        let d = (self.m - other.m * pow2(-shift)).next_down();
        if d <= 0.0 {
            return Mag::ZERO;
        }
        Mag::norm(d, self.e)
    }

    /// `self * 2^k`, exactly.
    pub(crate) fn mul_2exp(self, k: i64) -> Mag {
        if self.is_zero() {
            return self;
        }
        Mag { m: self.m, e: self.e + k }
    }

    /// The order of the represented values.
    pub(crate) fn cmp(self, other: Mag) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => self.e.cmp(&other.e).then(self.m.total_cmp(&other.m)),
        }
    }

    /// `self >= other`.
    pub(crate) fn ge(self, other: Mag) -> bool {
        self.cmp(other) != Ordering::Less
    }

    /// `self > other`.
    pub(crate) fn gt(self, other: Mag) -> bool {
        self.cmp(other) == Ordering::Greater
    }

    /// `self <= other`.
    pub(crate) fn le(self, other: Mag) -> bool {
        self.cmp(other) != Ordering::Greater
    }

    /// An upper bound as an `f64` (infinite above the range, the least normal below it).
    pub(crate) fn to_f64_up(self) -> f64 {
        if self.is_zero() {
            return 0.0;
        }
        if self.e > 1023 {
            return f64::INFINITY;
        }
        if self.e < -1000 {
            return f64::MIN_POSITIVE;
        }
        self.m * pow2(self.e)
    }

    /// An upper bound as a 53-bit MPFR float (exact: the value is representable).
    pub(crate) fn to_float(self) -> Float {
        let mut f = Float::with_val(53, self.m);
        if !self.is_zero() {
            // MPFR's default exponent range is about `+-2^30`; the bounds computed here stay far
            // inside it (they come from `f64`-sized data and polynomial degrees).
            let e = self.e.clamp(-(1 << 30), 1 << 30) as i32;
            f <<= e;
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rug::Rational;

    fn exact(m: Mag) -> Rational {
        m.to_float().to_rational().expect("finite")
    }

    #[test]
    fn bounds_are_directed() {
        let a = Mag::from_f64(0.1);
        let b = Mag::from_f64(3.7e-200);
        let ea = exact(a);
        let eb = exact(b);
        assert!(exact(a.mul_up(b)) >= Rational::from(&ea * &eb));
        assert!(exact(a.mul_down(b)) <= Rational::from(&ea * &eb));
        assert!(exact(a.add_up(b)) >= Rational::from(&ea + &eb));
        assert!(exact(a.div_up(b)) >= Rational::from(&ea / &eb));
        assert!(exact(a.sub_down(b)) <= Rational::from(&ea - &eb));
        // Products far below the f64 range stay representable and ordered.
        let mut tiny = a;
        for _ in 0..1000 {
            tiny = tiny.mul_down(a);
        }
        assert!(tiny.gt(Mag::ZERO) && tiny.le(b));
        assert!(exact(tiny.mul_2exp(3)) == exact(tiny) * 8u32);
    }

    #[test]
    fn from_float_brackets() {
        let x = Float::with_val(200, -1) / 3u32;
        let up = exact(Mag::from_float_up(&x));
        let down = exact(Mag::from_float_down(&x));
        let ax = x.to_rational().expect("finite").abs();
        assert!(down <= ax && ax <= up);
        assert!(down < up);
    }
}
