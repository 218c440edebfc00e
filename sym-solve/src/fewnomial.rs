//! Sums of rational powers of the unknown on the positive half-line: `f(x) = sum c_i x^(p_i)` with real numeric
//! coefficients `c_i` and distinct rational exponents `p_i` ("generalized polynomials", fewnomials).
//!
//! Floats in an exponent (`x**2.33333333333333`, taken at its exact binary value, a fraction with a 2^k
//! denominator) make radical elimination hopeless, but two classical facts still bound the positive roots
//! without solving anything:
//!
//! * **Laguerre's rule of signs** (Laguerre 1883; Descartes' rule for real exponents, see Jameson, *Counting zeros
//!   of generalised polynomials*, Math. Gazette 2006): with the exponents in increasing order and zero
//!   coefficients dropped, the number of positive roots counted with multiplicity is at most the number `V` of
//!   sign changes of the coefficient sequence, and differs from it by an even number.
//! * **A root bound**: for `x >= 1` every lower power is at most `x^(p_(n-1))`, so the top term dominates once
//!   `x^(p_n - p_(n-1)) > S / |c_n|` with `S` the sum of the other `|c_i|`; symmetrically for `x <= 1` the bottom
//!   term dominates below `(|c_1| / S')^(1 / (p_2 - p_1))`. Every positive root lies in `[lower, upper]`.
//!
//! [`analyse`] computes both, and whether the negative half-line can hold a root at all under principal branches;
//! the one-unknown solver uses them to search a bounded window of the positive half-line and to claim that the
//! certified roots found there are all of them.

use crate::numeric::{Point, eval_at};
use rug::ops::Pow;
use rug::{Float, Rational};
use sym_core::expr::has_symbol;
use sym_core::{Expr, Kind, Symbol};

/// Working precision of the coefficient values (bits).
const PREC: u32 = 256;

/// What Laguerre's rule and the root bound say about the positive roots of a generalized polynomial.
#[derive(Clone, Debug)]
pub struct PositiveRoots {
    /// Sign changes of the coefficient sequence: an upper bound on the number of positive roots (with
    /// multiplicity), of the same parity.
    pub sign_changes: usize,
    /// Every positive root is at least this (exact, slightly below the computed bound).
    pub lower: Rational,
    /// Every positive root is at most this (exact, slightly above the computed bound).
    pub upper: Rational,
    /// Whether there is provably no real root `x < 0` (principal branches; see [`analyse`]).
    pub no_negative_root: bool,
}

/// The terms of `f` as `(exponent, coefficient value)` when `f`, expanded, is a sum of numeric multiples of
/// rational powers of `x` (equal exponents merged, zero sums dropped, in increasing order of exponent); `None` when
/// it is not such a sum, or when a coefficient is not real or its sign cannot be decided at [`PREC`] bits.
fn terms(f: &Expr, x: Symbol) -> Option<Vec<(Rational, Float)>> {
    let mut by_exp: Vec<(Rational, Float, Float)> = Vec::new();
    for (p, coeff) in power_terms(f, x)? {
        let c = eval_at(&coeff, &Point::new(), PREC).ok()?;
        let (re, im) = (Float::with_val(PREC, c.real()), Float::with_val(PREC, c.imag()));
        let mag = Float::with_val(PREC, re.abs_ref());
        // A coefficient that is not real is no coefficient of a real function.
        if Float::with_val(PREC, im.abs_ref()) > Float::with_val(PREC, &mag >> 200) {
            return None;
        }
        match by_exp.iter_mut().find(|(q, ..)| *q == p) {
            Some((_, sum, scale)) => {
                *sum += &re;
                *scale += &mag;
            }
            None => by_exp.push((p, re, mag)),
        }
    }
    let mut out = Vec::with_capacity(by_exp.len());
    for (p, c, scale) in by_exp {
        // Exactly cancelling terms vanish in `expand`; a sum that is tiny against its parts is undecided.
        if Float::with_val(PREC, c.abs_ref()) <= Float::with_val(PREC, &scale >> 200) {
            if c.is_zero() && scale.is_zero() {
                continue;
            }
            return None;
        }
        out.push((p, c));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Some(out)
}

/// The most terms [`power_terms`] multiplies out.
const MAX_TERMS: usize = 256;

/// `f` multiplied out as `(exponent, coefficient)` pairs, `f = sum c x^p` with `x`-free coefficients, or `None`
/// when `f` is not such a sum (or has more than [`MAX_TERMS`] terms). Written here rather than with
/// [`Expr::expand`], whose polynomial engine represents `x^(m/2^52)` (a float exponent at its binary value) through
/// the generator `x^(1/2^52)` and gives up on the degree.
fn power_terms(e: &Expr, x: Symbol) -> Option<Vec<(Rational, Expr)>> {
    if !has_symbol(e, x) {
        return Some(vec![(Rational::new(), e.clone())]);
    }
    let mul = |a: Vec<(Rational, Expr)>, b: Vec<(Rational, Expr)>| -> Option<Vec<(Rational, Expr)>> {
        if a.len() * b.len() > MAX_TERMS {
            return None;
        }
        let mut out = Vec::with_capacity(a.len() * b.len());
        for (p, c) in &a {
            for (q, d) in &b {
                out.push((Rational::from(p + q), c.clone() * d.clone()));
            }
        }
        Some(out)
    };
    match e.kind() {
        Kind::Sym(s) if *s == x => Some(vec![(Rational::from(1), Expr::one())]),
        Kind::Pow(b, k) if b.as_symbol() == Some(x) => Some(vec![(k.as_rational()?, Expr::one())]),
        Kind::Pow(b, k) => {
            let n = k.as_i64().filter(|n| (1..=16).contains(n))?;
            let base = power_terms(b, x)?;
            let mut acc = base.clone();
            for _ in 1..n {
                acc = mul(acc, base.clone())?;
            }
            Some(acc)
        }
        Kind::Add(_) => {
            let mut out = Vec::new();
            for t in e.terms() {
                out.extend(power_terms(&t, x)?);
                if out.len() > MAX_TERMS {
                    return None;
                }
            }
            Some(out)
        }
        Kind::Mul(_) => {
            let mut acc = vec![(Rational::new(), Expr::one())];
            for f in e.factors() {
                acc = mul(acc, power_terms(&f, x)?)?;
            }
            Some(acc)
        }
        _ => None,
    }
}

/// Laguerre's bound and the root bounds of `f` (which has no symbol but `x`), when `f` is a generalized
/// polynomial in `x` with at least one exponent that is not a non-negative integer (polynomials have exact
/// solvers) and at least two terms.
#[must_use]
pub fn analyse(f: &Expr, x: Symbol) -> Option<PositiveRoots> {
    let ts = terms(f, x)?;
    if ts.len() < 2 || ts.iter().all(|(p, _)| p.is_integer() && *p >= 0) {
        return None;
    }
    let n = ts.len();
    let abs = |c: &Float| Float::with_val(PREC, c.abs_ref());
    let sum_abs = |range: std::ops::Range<usize>| range.fold(Float::with_val(PREC, 0), |acc, i| acc + abs(&ts[i].1));
    // (ratio)^(1/gap) with a rational gap > 0.
    let root = |ratio: Float, gap: &Rational| -> Float {
        let inv = Float::with_val(PREC, Rational::from(gap.recip_ref()));
        ratio.pow(inv)
    };
    let gap_hi = Rational::from(&ts[n - 1].0 - &ts[n - 2].0);
    let upper = root(sum_abs(0..n - 1) / abs(&ts[n - 1].1), &gap_hi).max(&Float::with_val(PREC, 1));
    let gap_lo = Rational::from(&ts[1].0 - &ts[0].0);
    let lower = root(abs(&ts[0].1) / sum_abs(1..n), &gap_lo).min(&Float::with_val(PREC, 1));
    // Generous margins absorb the rounding of the coefficient values and of the powers.
    let upper = Float::with_val(PREC, &upper * 2u32) + 1u32;
    let lower = Float::with_val(PREC, &lower / 2u32);
    Some(PositiveRoots {
        sign_changes: sign_changes(ts.iter().map(|t| &t.1)),
        lower: lower.to_rational()?,
        upper: upper.to_rational()?,
        no_negative_root: no_negative_root(&ts),
    })
}

/// Sign changes in a sequence of non-zero values.
fn sign_changes<'a>(cs: impl Iterator<Item = &'a Float>) -> usize {
    let signs: Vec<bool> = cs.map(Float::is_sign_negative).collect();
    signs.windows(2).filter(|w| w[0] != w[1]).count()
}

/// Whether `f` provably has no root `x < 0` under principal branches. There `x^p = t^p e^(i pi p)` with
/// `t = -x > 0`, so a root is a common positive root of the real and imaginary parts; the imaginary part
/// `sum c_i sin(pi p_i) t^(p_i)` (integer exponents drop out) has none when its coefficients do not change sign
/// (Laguerre's rule with `V = 0`) and do not all vanish.
fn no_negative_root(ts: &[(Rational, Float)]) -> bool {
    let mut im = Vec::new();
    for (p, c) in ts {
        if p.is_integer() {
            continue;
        }
        // sin(pi p) for a non-integer rational p: far from zero at this precision.
        let s = Float::with_val(PREC, Float::with_val(PREC, rug::float::Constant::Pi) * p).sin();
        im.push(Float::with_val(PREC, c * &s));
    }
    !im.is_empty() && sign_changes(im.iter()) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysed(f: &str) -> Option<PositiveRoots> {
        analyse(&sym_core::parse(f).unwrap(), Symbol::new("x"))
    }

    #[test]
    fn sign_changes_and_bounds() {
        // (x^(1/2) - 1)(x^(1/2) - 2) = x - 3 x^(1/2) + 2: roots 1 and 4, two sign changes.
        let r = analysed("x - 3*x**(1/2) + 2").unwrap();
        assert_eq!(r.sign_changes, 2);
        assert!(r.lower <= 1 && r.upper >= 4, "{r:?}");
        // All coefficients positive: no positive root.
        assert_eq!(analysed("x**(7/3) + 2*x**(1/3) + 5").unwrap().sign_changes, 0);
        // Equal exponents after multiplying out are merged before the signs are counted:
        // -3 + x^(1/2) + (1 - 2) x^(3/2) changes sign twice, and without the merge (+1, -2) three times.
        assert_eq!(analysed("x**(1/2)*(x + 1) - 2*x**(3/2) - 3").unwrap().sign_changes, 2);
    }

    #[test]
    fn negative_half_line() {
        // x^(1/9) + x^(1/10) - 3 at x = -t: imaginary part sin(pi/9) t^(1/9) + sin(pi/10) t^(1/10) > 0.
        assert!(analysed("x**(1/9) + x**(1/10) - 3").unwrap().no_negative_root);
        // x^(1/3) - x^(2/3) - 1 has imaginary part (sqrt(3)/2)(t^(1/3) - t^(2/3)), zero at t = 1: undecided.
        assert!(!analysed("x**(1/3) - x**(2/3) - 1").unwrap().no_negative_root);
        // x^(1/2) + x - 2 at x = -t: imaginary part t^(1/2) > 0.
        assert!(analysed("x**(1/2) + x - 2").unwrap().no_negative_root);
    }

    #[test]
    fn not_generalized_polynomials() {
        assert!(analysed("x**2 - 1").is_none(), "a polynomial");
        assert!(analysed("sqrt(x + 1) - 2").is_none(), "a power of a sum");
        assert!(analysed("x**(1/2) - sin(x)").is_none(), "a function");
        assert!(analysed("x**(1/2)").is_none(), "one term");
        assert!(analysed("x**(1/2) - I").is_none(), "a complex coefficient");
    }
}
