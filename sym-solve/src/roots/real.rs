//! Real roots with exact rational isolating intervals: [`RealRoot`], [`isolate_real_roots`] and
//! refinement.
//!
//! # Isolation
//!
//! Each square-free factor `f` of the input is isolated by Descartes' method (module
//! `descartes`), which yields exact dyadic roots and open intervals with dyadic endpoints that
//! contain exactly one root of `f`. A root `r` of a primitive `f` in `Z[x]` that is rational has a
//! denominator dividing the leading coefficient `L` (rational root theorem), so `L r` is an
//! integer: after refining an interval to width below `1 / L` it contains at most one candidate
//! `t / L`, which is tested exactly. Every rational root is therefore reported as an exact point.
//! Roots of different factors are distinct; overlapping intervals of different factors are
//! refined until all are pairwise disjoint, and the roots are returned in ascending order.
//!
//! # Refinement
//!
//! A [`RealRoot`] keeps `s`, the sign of `f` just right of `lo` (the sign of `f(lo)`, or of
//! `f'(lo)` when `lo` is itself a root of `f`, which is simple). For a point `m` in `(lo, hi)`
//! the root lies in `(lo, m)` when `sign f(m) != s`, in `(m, hi)` when `sign f(m) = s`, and is `m`
//! when `f(m) = 0`; so bisection needs only one exact sign per step. Signs are decided by
//! certified MPFR evaluation and, when the error bound straddles zero, exact dyadic arithmetic.
//!
//! The fast path is a Newton step in MPFR from the midpoint, `x1 = m - f(m) / f'(m)`, proposing
//! the interval `(x1 - d, x1 + d)` with `d = 2^t w^2` for the current width `w` (quadratic
//! convergence) and an adaptive `t`. It is accepted only when it lies in `(lo, hi)` and `f` has
//! verified opposite signs just inside its ends, which proves the root is inside; otherwise two
//! bisection steps are taken and `t` grows. This is in the spirit of Abbott's quadratic interval
//! refinement (Abbott 2006; Kerber and Sagraloff 2011), with Newton in place of the secant.

use super::RootLimits;
use super::descartes::{Isolated, isolate_real};
use super::error::RootsError;
use super::intpoly::{Factor, RootPoly, sign_at_float, sign_at_rational, square_free_factors};
use rug::ops::Pow;
use rug::{Float, Integer, Rational};
use std::cmp::Ordering;
use std::sync::Arc;
use sym_core::poly::{IntegerRing, UPoly};

/// A real root of an integer polynomial: either an exact rational, or an open interval
/// `(lo, hi)` with rational (dyadic) endpoints containing exactly this one root of its
/// square-free factor.
#[derive(Clone, Debug)]
pub struct RealRoot {
    factor: Arc<Factor>,
    lo: Rational,
    hi: Rational,
    /// The sign of the factor just right of `lo` (`0` for an exact root).
    sign_lo: i8,
}

/// Converts an ordering to `-1`, `0`, `1`.
fn sgn(o: Ordering) -> i8 {
    o as i8
}

/// The exact sign of `f(q)`, by the float path when `q` is dyadic.
fn sign_at(f: &Factor, q: &Rational) -> i8 {
    let den = q.denom();
    if den.is_power_of_two() {
        let bits = q.numer().significant_bits().max(1) + 1;
        let x = Float::with_val(bits, q);
        debug_assert!(x.to_rational().expect("finite") == *q);
        return sgn(sign_at_float(f, &x));
    }
    sgn(sign_at_rational(&f.c, q))
}

/// The sign of `f` just right of `x`.
fn sign_right_of(f: &Factor, x: &Rational) -> i8 {
    let s = sign_at(f, x);
    if s != 0 {
        return s;
    }
    let d = f.poly.derivative();
    let dc: Vec<Integer> = d.coeffs().iter().map(|a| a.to_integer()).collect();
    sgn(sign_at_rational(&dc, x))
}

impl RealRoot {
    /// A root from the isolation of `factor`.
    fn from_isolated(factor: &Arc<Factor>, iso: Isolated) -> RealRoot {
        match iso {
            Isolated::Exact(q) => RealRoot::exact_root(factor, q),
            Isolated::Interval(lo, hi) => {
                let sign_lo = sign_right_of(factor, &lo);
                RealRoot { factor: Arc::clone(factor), lo, hi, sign_lo }
            }
        }
    }

    /// The root of `factor` in the open interval `(lo, hi)` with `sign_lo` the (nonzero) sign of
    /// the factor at `lo`; the caller guarantees exactly one root of the factor in `[lo, hi]`
    /// and none at the endpoints.
    pub(crate) fn from_bracket(factor: &Arc<Factor>, lo: Rational, hi: Rational, sign_lo: i8) -> RealRoot {
        RealRoot { factor: Arc::clone(factor), lo, hi, sign_lo }
    }

    /// The exact root `q` of `factor`.
    pub(crate) fn exact_root(factor: &Arc<Factor>, q: Rational) -> RealRoot {
        RealRoot { factor: Arc::clone(factor), lo: q.clone(), hi: q, sign_lo: 0 }
    }

    /// The lower end of the isolating interval (the root itself when exact).
    pub fn lo(&self) -> &Rational {
        &self.lo
    }

    /// The upper end of the isolating interval (the root itself when exact).
    pub fn hi(&self) -> &Rational {
        &self.hi
    }

    /// The root, when it is rational.
    pub fn exact(&self) -> Option<&Rational> {
        (self.lo == self.hi).then_some(&self.lo)
    }

    /// The width `hi - lo` (zero when exact).
    pub fn width(&self) -> Rational {
        Rational::from(&self.hi - &self.lo)
    }

    /// The multiplicity of the root in the input polynomial.
    pub fn multiplicity(&self) -> usize {
        self.factor.multiplicity
    }

    /// The square-free factor of the input that vanishes at this root (primitive, positive
    /// leading coefficient).
    pub fn factor(&self) -> &UPoly<IntegerRing> {
        &self.factor.poly
    }

    /// Whether `q` lies in the closed interval `[lo, hi]`.
    pub fn contains(&self, q: &Rational) -> bool {
        self.lo <= *q && *q <= self.hi
    }

    /// The midpoint rounded to `prec` bits.
    pub fn to_float(&self, prec: u32) -> Float {
        let mid = Rational::from(&self.lo + &self.hi) / 2u32;
        Float::with_val(prec, &mid)
    }

    /// The exact order of the root relative to the rational `q`, narrowing the interval when
    /// `q` lies inside it (one exact sign evaluation).
    pub fn cmp_rational(&mut self, q: &Rational) -> Ordering {
        if let Some(x) = self.exact() {
            return x.cmp(q);
        }
        if *q <= self.lo {
            return Ordering::Greater;
        }
        if *q >= self.hi {
            return Ordering::Less;
        }
        self.split_at(q.clone());
        match self.exact() {
            Some(x) => x.cmp(q),
            None if self.hi == *q => Ordering::Less,
            None => Ordering::Greater,
        }
    }

    /// One bisection step.
    fn bisect(&mut self) {
        let m = Rational::from(&self.lo + &self.hi) / 2u32;
        self.split_at(m);
    }

    /// Narrows to the half of `(lo, hi)` on the root's side of `m` (`lo < m < hi`).
    fn split_at(&mut self, m: Rational) {
        let s = sign_at(&self.factor, &m);
        if s == 0 {
            self.lo = m.clone();
            self.hi = m;
            self.sign_lo = 0;
        } else if s != self.sign_lo {
            self.hi = m;
        } else {
            self.lo = m;
            self.sign_lo = s;
        }
    }

    /// A Newton proposal with trust exponent `t`; `true` when it was accepted.
    fn newton_step(&mut self, t: i64) -> bool {
        let w = self.width();
        // log2 of the width and of the magnitude, from bit lengths.
        let wbits = i64::from(w.numer().significant_bits()) - i64::from(w.denom().significant_bits());
        let mag = Rational::from(self.lo.abs_ref()).max(Rational::from(self.hi.abs_ref()));
        let mbits = i64::from(mag.numer().significant_bits()) - i64::from(mag.denom().significant_bits()) + 1;
        let dbits = 2 * wbits + t; // log2 of the proposed half-width
        if dbits >= wbits - 2 {
            return false;
        }
        let prec = (mbits - dbits + 64).clamp(64, i64::from(u32::MAX >> 2)) as u32;
        let m = Float::with_val(prec, &(Rational::from(&self.lo + &self.hi) / 2u32));
        let f = &self.factor;
        let mut p = Float::with_val(prec, f.lc());
        let mut dp = Float::new(prec);
        for a in f.c.iter().rev().skip(1) {
            dp.mul_add_mut(&m, &p);
            p *= &m;
            p += a;
        }
        if dp.is_zero() || !p.is_finite() || !dp.is_finite() {
            return false;
        }
        let x1 = m - p / dp;
        let d = Float::with_val(64, Float::i_exp(1, i32::try_from(dbits).unwrap_or(i32::MIN / 2)));
        let lo2 = Float::with_val(prec, &x1 - &d);
        let hi2 = Float::with_val(prec, &x1 + &d);
        let (Some(lo2), Some(hi2)) = (lo2.to_rational(), hi2.to_rational()) else {
            return false;
        };
        let (lo2, clamp_lo) = if lo2 <= self.lo { (self.lo.clone(), true) } else { (lo2, false) };
        let (hi2, clamp_hi) = if hi2 >= self.hi { (self.hi.clone(), true) } else { (hi2, false) };
        if lo2 >= hi2 || (clamp_lo && clamp_hi) {
            return false;
        }
        let s_lo = if clamp_lo {
            self.sign_lo
        } else {
            let s = sign_at(f, &lo2);
            if s == 0 {
                self.lo = lo2.clone();
                self.hi = lo2;
                self.sign_lo = 0;
                return true;
            }
            s
        };
        let s_hi = if clamp_hi {
            -self.sign_lo
        } else {
            let s = sign_at(f, &hi2);
            if s == 0 {
                self.lo = hi2.clone();
                self.hi = hi2;
                self.sign_lo = 0;
                return true;
            }
            s
        };
        if s_lo == s_hi {
            return false;
        }
        self.lo = lo2;
        self.hi = hi2;
        self.sign_lo = s_lo;
        true
    }

    /// Refines until `done(lo, hi)` holds or the root is exact.
    fn refine_until(&mut self, mut done: impl FnMut(&Rational, &Rational) -> bool) {
        let mut t: i64 = 2;
        let mut bisections = 0u32;
        while self.exact().is_none() && !done(&self.lo, &self.hi) {
            if bisections >= 4 && self.newton_step(t) {
                t = (t - 1).max(0);
                continue;
            }
            if bisections >= 4 {
                t += 4;
                bisections = 2;
            }
            self.bisect();
            bisections += 1;
        }
    }

    /// Refines until `hi - lo <= 2^-bits`.
    pub fn refine_to_bits(&mut self, bits: u32) {
        let target = super::intpoly::rational_pow2(-i64::from(bits));
        self.refine_until(|lo, hi| Rational::from(hi - lo) <= target);
    }

    /// Refines until `hi - lo <= 10^-digits * min(|lo|, |hi|)`: every point of the interval then
    /// agrees with the root to `digits` significant digits (relative error below `10^-digits`).
    ///
    /// Fails when that needs more than `limits.max_precision` bits.
    pub fn refine_digits(&mut self, digits: u32, limits: &RootLimits) -> Result<(), RootsError> {
        let bits = digits_to_bits(digits);
        if bits > limits.max_precision {
            return Err(RootsError::DigitsLimit { digits, limit: limits.max_precision });
        }
        let scale = Rational::from(Integer::from(10).pow(digits));
        self.refine_until(|lo, hi| {
            if lo.cmp0() != hi.cmp0() && !lo.is_zero() && !hi.is_zero() {
                return false;
            }
            let m = Rational::from(lo.abs_ref()).min(Rational::from(hi.abs_ref()));
            Rational::from(hi - lo) * &scale <= m
        });
        Ok(())
    }

    /// Tests whether the root is the rational `t / L` with `L` the leading coefficient (the
    /// only possible form), after refining to width below `1 / L`; makes it exact when so.
    pub(crate) fn detect_rational(&mut self) {
        if self.exact().is_some() {
            return;
        }
        let l = self.factor.lc().clone();
        self.refine_until(|lo, hi| Rational::from(hi - lo) * &l < 1);
        if self.exact().is_some() {
            return;
        }
        let t = Integer::from(Rational::from(&self.lo * &l).floor_ref()) + 1u32;
        let cand = Rational::from((t, l));
        if cand < self.hi && cand > self.lo && sign_at_rational(&self.factor.c, &cand).is_eq() {
            self.lo = cand.clone();
            self.hi = cand;
            self.sign_lo = 0;
        }
    }

    /// Whether the two (closed) ranges overlap; exact points count as degenerate ranges and
    /// open intervals that only touch do not overlap.
    fn overlaps(&self, other: &RealRoot) -> bool {
        let (a, b) = if self.lo <= other.lo { (self, other) } else { (other, self) };
        if a.exact().is_some() && b.exact().is_some() {
            return a.lo == b.lo;
        }
        a.hi > b.lo
    }
}

/// Bits needed for `digits` decimal digits: `ceil(digits log2 10)`.
pub(crate) fn digits_to_bits(digits: u32) -> u32 {
    (f64::from(digits) * std::f64::consts::LOG2_10).ceil() as u32
}

/// The real roots of `p` in ascending order, each with its multiplicity: exact rationals as
/// points, irrational roots in pairwise disjoint open intervals with dyadic endpoints.
pub fn isolate_real_roots(p: &impl RootPoly) -> Result<Vec<RealRoot>, RootsError> {
    isolate_real_roots_with(p, &RootLimits::default())
}

/// [`isolate_real_roots`] with explicit limits.
pub fn isolate_real_roots_with(p: &impl RootPoly, limits: &RootLimits) -> Result<Vec<RealRoot>, RootsError> {
    let p = p.to_integer_poly();
    let factors = square_free_factors(&p, limits.max_degree)?;
    let mut roots = Vec::new();
    for f in &factors {
        if f.degree() == 1 && f.c[0].is_zero() {
            roots.push(RealRoot::exact_root(f, Rational::new()));
            continue;
        }
        for iso in isolate_real(&f.c) {
            let mut r = RealRoot::from_isolated(f, iso);
            r.detect_rational();
            roots.push(r);
        }
    }
    separate(&mut roots);
    Ok(roots)
}

/// Sorts roots of pairwise coprime factors and refines them until pairwise disjoint.
pub(crate) fn separate(roots: &mut [RealRoot]) {
    loop {
        roots.sort_by(|a, b| a.lo.cmp(&b.lo).then(a.hi.cmp(&b.hi)));
        let mut clean = true;
        for i in 1..roots.len() {
            let (l, r) = roots.split_at_mut(i);
            let a = &mut l[i - 1];
            let b = &mut r[0];
            if a.overlaps(b) {
                clean = false;
                if a.width() >= b.width() {
                    a.bisect();
                } else {
                    b.bisect();
                }
            }
        }
        if clean {
            return;
        }
    }
}

/// The number of distinct real roots of `p` in the closed interval `[a, b]` (zero when `a > b`).
pub fn count_real_roots_in(p: &impl RootPoly, a: &Rational, b: &Rational) -> Result<usize, RootsError> {
    let mut n = 0;
    for mut r in isolate_real_roots(p)? {
        if r.cmp_rational(a).is_ge() && r.cmp_rational(b).is_le() {
            n += 1;
        }
    }
    Ok(n)
}

/// The number of distinct real roots of `p`.
pub fn count_real_roots(p: &impl RootPoly) -> Result<usize, RootsError> {
    let p = p.to_integer_poly();
    let factors = square_free_factors(&p, RootLimits::default().max_degree)?;
    let mut n = 0;
    for f in &factors {
        if f.degree() == 1 && f.c[0].is_zero() {
            n += 1;
        } else {
            n += isolate_real(&f.c).len();
        }
    }
    Ok(n)
}
