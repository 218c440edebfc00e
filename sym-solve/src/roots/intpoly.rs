//! Integer polynomials as the root finders see them: the square-free factors of the input
//! ([`Factor`]), certified and exact evaluation, and the [`RootPoly`] conversion trait.
//!
//! # Square-free factors
//!
//! The input `p` is split as `p = c x^k prod_i f_i^(e_i)` with Yun's algorithm (over `Z`, in
//! `sym-core`): the `f_i` are primitive, square-free, pairwise coprime, have a positive leading
//! coefficient and `f_i(0) != 0`. Every root finder works on one `f_i` at a time, so all the roots
//! it sees are simple, and reports the multiplicity `e_i`.
//!
//! # Certified evaluation
//!
//! Horner's rule in `prec`-bit MPFR arithmetic with round-to-nearest has unit roundoff
//! `u = 2^-prec`. For real `x`, each step `acc <- acc * x + a_i` is one fused multiply-add
//! (one rounding). For complex `z`, each step computes the product componentwise with separately
//! rounded real operations, so its complex relative error is at most `2 sqrt(2) u (1 + u)`
//! (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., Lemma 3.5), and the
//! addition of `a_i` adds a complex relative error of at most `u`; a step therefore contributes a
//! factor within `1 +- 4u`. Converting a coefficient to `prec` bits adds one more factor
//! `(1 + u)`. Unrolling (Higham, section 5.1) gives `fl(p(z)) = sum_i a_i (1 + t_i) z^i` with
//! `|t_i| <= gamma_(4n + 5)`, `gamma_k = k u / (1 - k u)`, hence
//!
//! `|fl(p(z)) - p(z)| <= gamma_(4n+5) * sum_i |a_i| |z|^i`.
//!
//! [`horner_gamma`] returns `(16 n + 32) 2^-prec`, which is at least `2 (4n + 5) u >=
//! gamma_(4n+5)` whenever `(4n + 5) u <= 1/2`, guaranteed by `prec >= 64` and `n < 2^40`.
//! The sum `S(|z|) = sum |a_i| |z|^i` is evaluated in upward-rounded [`Mag`] arithmetic from
//! upward-rounded `|a_i|` and `|z|`, so it is an upper bound.

use super::error::RootsError;
use super::mag::Mag;
use rug::float::Round;
use rug::{Float, Integer, Rational};
use std::cmp::Ordering;
use std::sync::Arc;
use sym_core::poly::{IntegerRing, RationalField, UPoly, clear_denominators};

/// Polynomials whose roots this module finds: integer and rational univariate polynomials.
pub trait RootPoly {
    /// An integer polynomial with the same roots (and multiplicities): the polynomial itself
    /// over `Z`, its denominators cleared over `Q`.
    fn to_integer_poly(&self) -> UPoly<IntegerRing>;
}

impl RootPoly for UPoly<IntegerRing> {
    fn to_integer_poly(&self) -> UPoly<IntegerRing> {
        self.clone()
    }
}

impl RootPoly for UPoly<RationalField> {
    fn to_integer_poly(&self) -> UPoly<IntegerRing> {
        clear_denominators(self).1
    }
}

/// A square-free factor of the input with its multiplicity.
#[derive(Debug)]
pub(crate) struct Factor {
    /// The factor: primitive, square-free, positive leading coefficient.
    pub(crate) poly: UPoly<IntegerRing>,
    /// Its coefficients, lowest degree first.
    pub(crate) c: Vec<Integer>,
    /// Upper bounds on `|c_i|`.
    pub(crate) abs_up: Vec<Mag>,
    /// The multiplicity of its roots in the input.
    pub(crate) multiplicity: usize,
}

impl Factor {
    /// The factor with coefficients `c` (lowest degree first) and multiplicity `m`.
    pub(crate) fn new(c: Vec<Integer>, multiplicity: usize) -> Factor {
        let poly = UPoly::from_coeffs(IntegerRing, c.iter().map(Into::into).collect());
        let abs_up = c.iter().map(int_mag_up).collect();
        Factor { poly, c, abs_up, multiplicity }
    }

    /// The degree.
    pub(crate) fn degree(&self) -> usize {
        self.c.len() - 1
    }

    /// The leading coefficient.
    pub(crate) fn lc(&self) -> &Integer {
        self.c.last().expect("a factor is not zero")
    }

    /// The coefficients rounded to `prec` bits.
    pub(crate) fn floats(&self, prec: u32) -> Vec<Float> {
        self.c.iter().map(|a| Float::with_val(prec, a)).collect()
    }
}

/// An upper bound on `|a|`.
pub(crate) fn int_mag_up(a: &Integer) -> Mag {
    Mag::from_float_up(&Float::with_val_round(53, a, Round::Up).0)
}

/// The square-free factors of `p` (see the module docs), the factor `x` first when `p(0) = 0`.
pub(crate) fn square_free_factors(p: &UPoly<IntegerRing>, max_degree: usize) -> Result<Vec<Arc<Factor>>, RootsError> {
    let Some(n) = p.degree() else {
        return Err(RootsError::ZeroPolynomial);
    };
    if n > max_degree {
        return Err(RootsError::DegreeLimit { degree: n, limit: max_degree });
    }
    let zeros = p.coeffs().iter().take_while(|c| c.is_zero()).count();
    let mut out = Vec::new();
    if zeros > 0 {
        out.push(Arc::new(Factor::new(vec![Integer::new(), Integer::from(1)], zeros)));
    }
    let rest = UPoly::from_coeffs(IntegerRing, p.coeffs()[zeros..].to_vec());
    if rest.deg() <= 0 {
        return Ok(out);
    }
    let sf = rest.square_free().expect("invariant: a nonzero polynomial over Z has a square-free decomposition");
    for (f, e) in sf.factors {
        let mut c: Vec<Integer> = f.coeffs().iter().map(|a| a.to_integer()).collect();
        if c.last().is_some_and(|l| *l < 0) {
            for a in &mut c {
                *a = -std::mem::take(a);
            }
        }
        out.push(Arc::new(Factor::new(c, e)));
    }
    Ok(out)
}

/// `(16 n + 32) 2^-prec`: a bound on `gamma_(4n+5)` for Horner's rule of degree `n` at `prec`
/// bits (see the module docs).
pub(crate) fn horner_gamma(n: usize, prec: u32) -> Mag {
    debug_assert!(prec >= 64);
    Mag::from_f64(16.0 * n as f64 + 32.0).mul_2exp(-i64::from(prec))
}

/// An upper bound on `sum_i |a_i| r^i` for an upper bound `r`.
pub(crate) fn abs_sum_up(abs_up: &[Mag], r: Mag) -> Mag {
    let mut acc = Mag::ZERO;
    for a in abs_up.iter().rev() {
        acc = acc.mul_up(r).add_up(*a);
    }
    acc
}

/// `f(x)` at `prec` bits for real `x`, with an upper bound on the absolute error.
pub(crate) fn eval_real_ball(f: &Factor, cf: &[Float], x: &Float, prec: u32) -> (Float, Mag) {
    let mut acc = Float::with_val(prec, cf.last().expect("nonzero"));
    for a in cf.iter().rev().skip(1) {
        acc.mul_add_mut(x, a);
    }
    let r = Mag::from_float_up(x);
    let err = horner_gamma(f.degree(), prec).mul_up(abs_sum_up(&f.abs_up, r));
    (acc, err)
}

/// The exact sign of `f(m / 2^k)` (any integer `k`).
pub(crate) fn sign_at_dyadic(c: &[Integer], m: &Integer, k: i64) -> Ordering {
    let n = c.len() - 1;
    if k <= 0 {
        let x = Integer::from(m << (-k) as u32);
        let mut acc = c[n].clone();
        for a in c.iter().rev().skip(1) {
            acc *= &x;
            acc += a;
        }
        return acc.cmp0();
    }
    // 2^(k n) f(m / 2^k) = sum_i a_i m^i 2^(k (n - i)), by Horner on the homogenised form.
    let mut acc = c[n].clone();
    let mut t = Integer::new();
    for (i, a) in c.iter().enumerate().rev().skip(1) {
        acc *= m;
        t.assign_shl(a, k as u64 * (n - i) as u64);
        acc += &t;
    }
    acc.cmp0()
}

/// The exact sign of `f(q)` for a rational `q`.
pub(crate) fn sign_at_rational(c: &[Integer], q: &Rational) -> Ordering {
    let n = c.len() - 1;
    let (num, den) = (q.numer(), q.denom());
    // den^n f(num / den) = sum_i a_i num^i den^(n - i), by Horner on the homogenised form.
    let mut acc = c[n].clone();
    let mut dpow = Integer::from(1);
    for a in c.iter().rev().skip(1) {
        acc *= num;
        dpow *= den;
        acc += Integer::from(a * &dpow);
    }
    acc.cmp0()
}

/// The exact sign of `f(x)` for a finite float `x`: certified MPFR evaluation first, exact
/// dyadic arithmetic when the rounding error bound does not decide.
pub(crate) fn sign_at_float(f: &Factor, x: &Float) -> Ordering {
    if x.is_zero() {
        return f.c[0].cmp0();
    }
    let prec = (x.prec() + 64).max(f.lc().significant_bits().min(4096) + 32);
    let cf = f.floats(prec);
    let (v, err) = eval_real_ball(f, &cf, x, prec);
    if Mag::from_float_down(&v).gt(err) {
        return v.cmp0().expect("finite");
    }
    let (m, e) = x.to_integer_exp().expect("finite float");
    sign_at_dyadic(&f.c, &m, -i64::from(e))
}

/// Helper trait: `Integer::assign_shl` without an intermediate allocation.
trait AssignShl {
    fn assign_shl(&mut self, a: &Integer, k: u64);
}

impl AssignShl for Integer {
    fn assign_shl(&mut self, a: &Integer, k: u64) {
        use rug::Assign;
        self.assign(a);
        *self <<= u32::try_from(k).expect("shift amounts fit in u32");
    }
}

/// `2^k` as a rational, for any integer `k`.
pub(crate) fn rational_pow2(k: i64) -> Rational {
    let k32 = i32::try_from(k).expect("binary exponents fit in i32");
    Rational::from(1) << k32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_signs() {
        // (x - 1/2)(x + 3) = x^2 + 5/2 x - 3/2, times 2: 2x^2 + 5x - 3.
        let c: Vec<Integer> = [-3, 5, 2].iter().map(|&v| Integer::from(v)).collect();
        assert_eq!(sign_at_dyadic(&c, &Integer::from(1), 1), Ordering::Equal);
        assert_eq!(sign_at_dyadic(&c, &Integer::from(1), 2), Ordering::Less);
        assert_eq!(sign_at_dyadic(&c, &Integer::from(1), 0), Ordering::Greater);
        assert_eq!(sign_at_dyadic(&c, &Integer::from(-3), 0), Ordering::Equal);
        assert_eq!(sign_at_rational(&c, &Rational::from((1, 3))), Ordering::Less);
        assert_eq!(sign_at_rational(&c, &Rational::from((-7, 2))), Ordering::Greater);
        let f = Factor::new(c, 1);
        assert_eq!(sign_at_float(&f, &Float::with_val(64, 0.5)), Ordering::Equal);
        assert_eq!(sign_at_float(&f, &Float::with_val(64, 0.25)), Ordering::Less);
        let tiny = Float::with_val(300, 0.5) + Float::with_val(300, Float::i_exp(1, -280));
        assert_eq!(sign_at_float(&f, &tiny), Ordering::Greater);
    }
}
