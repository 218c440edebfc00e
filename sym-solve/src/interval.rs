//! Interval arithmetic over MPFR: closed intervals of extended reals with outward rounding.
//!
//! An [`Iv`] `[lo, hi]` (`lo <= hi`, endpoints may be infinite) stands for every real between its ends. Each
//! operation returns an interval that contains `f(x)` for every `x` of its arguments: lower ends are computed
//! with MPFR rounding towards `-oo`, upper ends towards `+oo`, and MPFR's elementary functions are correctly
//! rounded, so a monotone function's range is enclosed by its values at the ends (Moore, Kearfott and Cloud,
//! *Introduction to Interval Analysis*, SIAM 2009, chapters 2 to 5). Non-monotone functions use their critical
//! points: `sin` and `cos` take the value `±1` wherever an extremum `pi/2 + k pi` (or `k pi`) may lie in the
//! argument, the integers `k` being bounded with an enclosure of `pi`, so a doubtful `k` widens the result and
//! never narrows it. `0 * oo` is taken as `0` (the limit of the products of finite members).
//!
//! Functions defined on part of the line (`log`, roots, `asin`, poles) are the caller's business: the methods
//! here take arguments inside their domain (see `interval_eval`, which intersects with the domain first).

use rug::Float;
use rug::float::{Constant, Round, Special};
use rug::ops::{AssignRound, Pow};
use std::cmp::Ordering;

/// A closed interval `[lo, hi]` of extended reals (`lo <= hi`).
#[derive(Clone, Debug, PartialEq)]
pub struct Iv {
    /// The lower end.
    pub lo: Float,
    /// The upper end.
    pub hi: Float,
}

/// `v` rounded towards `-oo` to `prec` bits.
fn dn<T>(prec: u32, v: T) -> Float
where
    Float: AssignRound<T, Round = Round, Ordering = Ordering>,
{
    Float::with_val_round(prec, v, Round::Down).0
}

/// `v` rounded towards `+oo` to `prec` bits.
fn up<T>(prec: u32, v: T) -> Float
where
    Float: AssignRound<T, Round = Round, Ordering = Ordering>,
{
    Float::with_val_round(prec, v, Round::Up).0
}

/// `0` in place of the NaN of `0 * oo`.
fn nan_to_zero(f: Float) -> Float {
    if f.is_nan() { Float::new(f.prec()) } else { f }
}

fn min(a: Float, b: Float) -> Float {
    if b < a { b } else { a }
}

fn max(a: Float, b: Float) -> Float {
    if b > a { b } else { a }
}

impl Iv {
    /// `[lo, hi]`, which must be ordered.
    pub fn new(lo: Float, hi: Float) -> Iv {
        debug_assert!(lo <= hi, "interval ends out of order: {lo} > {hi}");
        Iv { lo, hi }
    }

    /// The point interval `[v, v]`.
    pub fn point(v: Float) -> Iv {
        Iv { lo: v.clone(), hi: v }
    }

    /// The smallest interval of `prec`-bit ends containing the rational `q`.
    pub fn rational(q: &rug::Rational, prec: u32) -> Iv {
        Iv { lo: dn(prec, q), hi: up(prec, q) }
    }

    /// An enclosure of `pi`.
    pub fn pi(prec: u32) -> Iv {
        Iv { lo: dn(prec, Constant::Pi), hi: up(prec, Constant::Pi) }
    }

    /// An enclosure of `e`.
    pub fn e(prec: u32) -> Iv {
        let one = Float::with_val(prec, 1);
        Iv { lo: dn(prec, one.exp_ref()), hi: up(prec, one.exp_ref()) }
    }

    /// The whole line `[-oo, oo]`.
    pub fn entire(prec: u32) -> Iv {
        Iv { lo: Float::with_val(prec, Special::NegInfinity), hi: Float::with_val(prec, Special::Infinity) }
    }

    /// The precision of the lower end.
    pub fn prec(&self) -> u32 {
        self.lo.prec()
    }

    /// Whether `0` is a member.
    pub fn contains_zero(&self) -> bool {
        self.lo <= 0 && self.hi >= 0
    }

    /// Whether `v` is a member.
    pub fn contains(&self, v: &Float) -> bool {
        self.lo <= *v && *v <= self.hi
    }

    /// Whether both ends are finite.
    pub fn is_finite(&self) -> bool {
        self.lo.is_finite() && self.hi.is_finite()
    }

    /// `hi - lo`, rounded up.
    pub fn width(&self) -> Float {
        up(self.prec(), &self.hi - &self.lo)
    }

    /// A point between the ends (their midpoint, rounded).
    pub fn mid(&self) -> Float {
        let s = Float::with_val(self.prec() + 1, &self.lo + &self.hi);
        Float::with_val(self.prec(), s / 2u32)
    }

    /// The intersection, or `None` when it is empty.
    pub fn intersect(&self, other: &Iv) -> Option<Iv> {
        let lo = max(self.lo.clone(), other.lo.clone());
        let hi = min(self.hi.clone(), other.hi.clone());
        (lo <= hi).then_some(Iv { lo, hi })
    }

    /// The smallest interval containing both.
    pub fn hull(&self, other: &Iv) -> Iv {
        Iv { lo: min(self.lo.clone(), other.lo.clone()), hi: max(self.hi.clone(), other.hi.clone()) }
    }

    /// Whether `self` lies in the interior of `other`.
    pub fn interior_of(&self, other: &Iv) -> bool {
        self.lo > other.lo && self.hi < other.hi
    }

    /// `-self`.
    pub fn neg(&self) -> Iv {
        Iv { lo: Float::with_val(self.prec(), -&self.hi), hi: Float::with_val(self.prec(), -&self.lo) }
    }

    /// `self + other`.
    pub fn add(&self, other: &Iv) -> Iv {
        let p = self.prec().max(other.prec());
        Iv { lo: nan_to_zero(dn(p, &self.lo + &other.lo)), hi: nan_to_zero(up(p, &self.hi + &other.hi)) }
    }

    /// `self - other`.
    pub fn sub(&self, other: &Iv) -> Iv {
        self.add(&other.neg())
    }

    /// `self * other`.
    pub fn mul(&self, other: &Iv) -> Iv {
        let p = self.prec().max(other.prec());
        let ends = [(&self.lo, &other.lo), (&self.lo, &other.hi), (&self.hi, &other.lo), (&self.hi, &other.hi)];
        let mut lo = Float::with_val(p, Special::Infinity);
        let mut hi = Float::with_val(p, Special::NegInfinity);
        for (a, b) in ends {
            lo = min(lo, nan_to_zero(dn(p, a * b)));
            hi = max(hi, nan_to_zero(up(p, a * b)));
        }
        Iv { lo, hi }
    }

    /// `1 / self` for an interval without `0`.
    pub fn recip(&self) -> Iv {
        debug_assert!(!self.contains_zero());
        let p = self.prec();
        Iv { lo: dn(p, 1 / &self.hi), hi: up(p, 1 / &self.lo) }
    }

    /// `self ** n` for an integer `n >= 0`.
    pub fn powi(&self, n: u32) -> Iv {
        let p = self.prec();
        if n == 0 {
            return Iv::point(Float::with_val(p, 1));
        }
        if n % 2 == 1 {
            return Iv { lo: dn(p, (&self.lo).pow(n)), hi: up(p, (&self.hi).pow(n)) };
        }
        let a = self.abs();
        Iv { lo: dn(p, (&a.lo).pow(n)), hi: up(p, (&a.hi).pow(n)) }
    }

    /// `|self|`.
    pub fn abs(&self) -> Iv {
        let p = self.prec();
        if self.lo >= 0 {
            self.clone()
        } else if self.hi <= 0 {
            self.neg()
        } else {
            let m = max(Float::with_val(p, -&self.lo), self.hi.clone());
            Iv { lo: Float::new(p), hi: m }
        }
    }

    /// The real `q`-th root (`q >= 1`) of an interval with `lo >= 0`.
    pub fn root(&self, q: u32) -> Iv {
        let p = self.prec();
        Iv { lo: dn(p, self.lo.root_ref(q)), hi: up(p, self.hi.root_ref(q)) }
    }

    /// `exp(self)`.
    pub fn exp(&self) -> Iv {
        let p = self.prec();
        Iv { lo: dn(p, self.lo.exp_ref()), hi: up(p, self.hi.exp_ref()) }
    }

    /// `log(self)` for `lo > 0` (a lower end `0` gives `-oo`).
    pub fn ln(&self) -> Iv {
        let p = self.prec();
        Iv { lo: dn(p, self.lo.ln_ref()), hi: up(p, self.hi.ln_ref()) }
    }

    /// Applies an increasing function given by its rounded values at the ends.
    fn increasing(&self, f: impl Fn(&Float, Round) -> Float) -> Iv {
        Iv { lo: f(&self.lo, Round::Down), hi: f(&self.hi, Round::Up) }
    }

    /// Applies a decreasing function given by its rounded values at the ends.
    fn decreasing(&self, f: impl Fn(&Float, Round) -> Float) -> Iv {
        Iv { lo: f(&self.hi, Round::Down), hi: f(&self.lo, Round::Up) }
    }

    /// The integers `k` for which `offset + k pi` may lie in `self` (a superset), or `None` when there are too
    /// many to list or the ends are not finite.
    fn critical(&self, offset: &Iv) -> Option<(i64, i64)> {
        if !self.is_finite() {
            return None;
        }
        let pi = Iv::pi(self.prec());
        let klo = Iv::point(self.lo.clone()).sub(offset).mul(&pi.recip());
        let khi = Iv::point(self.hi.clone()).sub(offset).mul(&pi.recip());
        let a = klo.lo.ceil().to_integer()?.to_i64()?;
        let b = khi.hi.floor().to_integer()?.to_i64()?;
        (b.saturating_sub(a) <= 4).then_some((a, b))
    }

    /// `sin(self)`.
    pub fn sin(&self) -> Iv {
        self.trig(true)
    }

    /// `cos(self)`.
    pub fn cos(&self) -> Iv {
        self.trig(false)
    }

    fn trig(&self, sine: bool) -> Iv {
        let p = self.prec();
        let unit = Iv { lo: Float::with_val(p, -1), hi: Float::with_val(p, 1) };
        // Extrema of sin at pi/2 + k pi (value (-1)^k), of cos at k pi (value (-1)^k).
        let offset = if sine {
            let pi = Iv::pi(p);
            Iv { lo: dn(p, &pi.lo / 2u32), hi: up(p, &pi.hi / 2u32) }
        } else {
            Iv::point(Float::new(p))
        };
        let Some((a, b)) = self.critical(&offset) else { return unit };
        let f = |x: &Float, r: Round| {
            if sine { Float::with_val_round(p, x.sin_ref(), r).0 } else { Float::with_val_round(p, x.cos_ref(), r).0 }
        };
        let mut lo = min(f(&self.lo, Round::Down), f(&self.hi, Round::Down));
        let mut hi = max(f(&self.lo, Round::Up), f(&self.hi, Round::Up));
        for k in a..=b {
            if k % 2 == 0 {
                hi = Float::with_val(p, 1);
            } else {
                lo = Float::with_val(p, -1);
            }
        }
        Iv { lo: max(lo, unit.lo), hi: min(hi, unit.hi) }
    }

    /// `tan(self)`, or `None` when a pole `pi/2 + k pi` may lie in `self`.
    pub fn tan(&self) -> Option<Iv> {
        let p = self.prec();
        let pi = Iv::pi(p);
        let half = Iv { lo: dn(p, &pi.lo / 2u32), hi: up(p, &pi.hi / 2u32) };
        let (a, b) = self.critical(&half)?;
        (a > b).then(|| self.increasing(|x, r| Float::with_val_round(p, x.tan_ref(), r).0))
    }

    /// `cot(self)`, or `None` when a pole `k pi` may lie in `self`.
    pub fn cot(&self) -> Option<Iv> {
        let p = self.prec();
        let (a, b) = self.critical(&Iv::point(Float::new(p)))?;
        (a > b).then(|| self.decreasing(|x, r| Float::with_val_round(p, x.cot_ref(), r).0))
    }

    /// `atan(self)`.
    pub fn atan(&self) -> Iv {
        let p = self.prec();
        self.increasing(|x, r| Float::with_val_round(p, x.atan_ref(), r).0)
    }

    /// `asin(self)` for `self` inside `[-1, 1]`.
    pub fn asin(&self) -> Iv {
        let p = self.prec();
        self.increasing(|x, r| Float::with_val_round(p, x.asin_ref(), r).0)
    }

    /// `acos(self)` for `self` inside `[-1, 1]`.
    pub fn acos(&self) -> Iv {
        let p = self.prec();
        self.decreasing(|x, r| Float::with_val_round(p, x.acos_ref(), r).0)
    }

    /// `sinh(self)`.
    pub fn sinh(&self) -> Iv {
        let p = self.prec();
        self.increasing(|x, r| Float::with_val_round(p, x.sinh_ref(), r).0)
    }

    /// `cosh(self)`.
    pub fn cosh(&self) -> Iv {
        let p = self.prec();
        let c = |x: &Float, r: Round| Float::with_val_round(p, x.cosh_ref(), r).0;
        let a = self.abs();
        Iv { lo: c(&a.lo, Round::Down), hi: c(&a.hi, Round::Up) }
    }

    /// `tanh(self)`.
    pub fn tanh(&self) -> Iv {
        let p = self.prec();
        self.increasing(|x, r| Float::with_val_round(p, x.tanh_ref(), r).0)
    }

    /// `coth(self)` for `self` without `0`.
    pub fn coth(&self) -> Iv {
        let p = self.prec();
        self.decreasing(|x, r| Float::with_val_round(p, x.coth_ref(), r).0)
    }

    /// `asinh(self)`.
    pub fn asinh(&self) -> Iv {
        let p = self.prec();
        self.increasing(|x, r| Float::with_val_round(p, x.asinh_ref(), r).0)
    }

    /// `acosh(self)` for `self` inside `[1, oo]`.
    pub fn acosh(&self) -> Iv {
        let p = self.prec();
        self.increasing(|x, r| Float::with_val_round(p, x.acosh_ref(), r).0)
    }

    /// `atanh(self)` for `self` inside `[-1, 1]` (the ends `±1` give `±oo`).
    pub fn atanh(&self) -> Iv {
        let p = self.prec();
        self.increasing(|x, r| Float::with_val_round(p, x.atanh_ref(), r).0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const P: u32 = 128;

    fn iv(a: f64, b: f64) -> Iv {
        Iv::new(Float::with_val(P, a.min(b)), Float::with_val(P, a.max(b)))
    }

    /// Members of `[a, b]`: the ends and points in between.
    fn members(a: f64, b: f64) -> Vec<Float> {
        let (lo, hi) = (a.min(b), a.max(b));
        (0..=16).map(|k| Float::with_val(P, (lo + (hi - lo) * f64::from(k) / 16.0).clamp(lo, hi))).collect()
    }

    proptest! {
        /// Inclusion: `f(x)` (computed at a higher precision, and rounded to nearest) lies in `F([a, b])` for
        /// members `x`, for every unary function (within its domain) and for products and sums.
        #[test]
        fn inclusion(a in -20.0f64..20.0, b in -20.0f64..20.0, c in -5.0f64..5.0, d in -5.0f64..5.0) {
            let x = iv(a, b);
            let y = iv(c, d);
            let hp = 4 * P;
            type Unary = (fn(&Iv) -> Option<Iv>, fn(&Float) -> Float, fn(f64) -> bool);
            let cases: [Unary; 10] = [
                (|v| Some(v.sin()), |x| x.clone().sin(), |_| true),
                (|v| Some(v.cos()), |x| x.clone().cos(), |_| true),
                (|v| v.tan(), |x| x.clone().tan(), |_| true),
                (|v| v.cot(), |x| x.clone().cot(), |_| true),
                (|v| Some(v.exp()), |x| x.clone().exp(), |_| true),
                (|v| Some(v.atan()), |x| x.clone().atan(), |_| true),
                (|v| Some(v.cosh()), |x| x.clone().cosh(), |_| true),
                (|v| Some(v.powi(3)), |x| x.clone().square() * x, |_| true),
                (|v| Some(v.powi(4)), |x| x.clone().square().square(), |_| true),
                (|v| Some(v.abs().ln()), |x| x.clone().abs().ln(), |t| t.abs() > 0.0),
            ];
            for (k, (fi, fx, ok)) in cases.iter().enumerate() {
                if k == 9 && x.contains_zero() {
                    continue;
                }
                let Some(r) = fi(&x) else { continue };
                for m in members(a, b) {
                    if !ok(m.to_f64()) {
                        continue;
                    }
                    let v = fx(&Float::with_val(hp, &m));
                    prop_assert!(r.contains(&Float::with_val(P, &v)), "case {} at {}: {} not in [{}, {}]", k, m, v, r.lo, r.hi);
                }
            }
            let (s, pr) = (x.add(&y), x.mul(&y));
            for m in members(a, b) {
                for n in members(c, d) {
                    prop_assert!(s.contains(&Float::with_val(hp, &m + &n)));
                    prop_assert!(pr.contains(&Float::with_val(hp, &m * &n)));
                }
            }
        }
    }

    #[test]
    fn trig_extrema() {
        // [1, 2] contains pi/2: sin reaches 1 there; [3, 3.5] contains pi: cos reaches -1.
        assert_eq!(iv(1.0, 2.0).sin().hi, 1);
        assert_eq!(iv(3.0, 3.5).cos().lo, -1);
        assert!(iv(1.0, 2.0).tan().is_none());
        assert!(iv(-1.0, 1.0).tan().is_some());
        assert!(iv(-1.0, 1.0).cot().is_none());
    }
}
