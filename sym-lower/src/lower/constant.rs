//! Exact constants to floats, rounded once: numbers, constant subexpressions (evaluated in MPFR) and constant
//! `RootOf`s (isolated exactly with Sturm sequences).
//!
//! This module is the one place where an exact value becomes a float of the graph's kind:
//!
//! - a number (`Number`: integer, rational or MPFR float) is rounded to nearest (ties to even) directly from its
//!   exact value;
//! - a constant subexpression (no free symbols: `sqrt(2)`, `pi/4`, `log(3)`, `2**(1/3)`) is evaluated with MPC
//!   at [`PREC`] bits and the result rounded to nearest. This is a correctly rounded value unless the exact value
//!   lies within about `2^-(PREC - 10)` (relative) of a rounding boundary of the target kind, where the two
//!   roundings may differ by one ulp;
//! - a constant `RootOf(p, x, k)` with rational coefficients is isolated exactly: Sturm's theorem counts the
//!   distinct real roots in `(a, b]`, bisection on exact rationals narrows `(-B, B]` (`B` Cauchy's bound) to the
//!   `k`-th real root, and refinement continues until both ends round to the same float, so the result is the
//!   correctly rounded root.
//!
//! A constant whose value has a non-zero imaginary part (`I`, `(-8)**(1/3)`, `acos(2)`, `log(-1)`) is
//! [`LowerProblem::Complex`]; one without a value (`zoo`, `nan`, `log(0)`) or that overflows the kind is
//! [`LowerProblem::Undefined`].

use crate::error::{LowerError, LowerProblem};
use crate::types::Elem;
use rug::{Complex, Float, Rational};
use sym_core::evalf::{ComplexEnv, eval_complex};
use sym_core::poly::{RationalField, UPoly};
use sym_core::{CoreError, Expr, Number, Symbol};

/// The working precision (bits) of constant subexpressions.
pub(crate) const PREC: u32 = 256;

/// The most bisection steps of the exact `RootOf` isolation and refinement.
const MAX_BISECTIONS: usize = 4096;

/// Rounds an MPFR value to the kind `elem` (to nearest, ties to even).
pub(crate) fn round_float(x: &Float, elem: Elem) -> f64 {
    match elem {
        Elem::F32 => f64::from(x.to_f32()),
        _ => x.to_f64(),
    }
}

/// Rounds an exact rational to the kind `elem` (to nearest, ties to even; correctly rounded, subnormals
/// included).
///
/// In the normal range MPFR rounds the rational to the kind's precision directly; below it the value is scaled
/// to units of the smallest subnormal, rounded to an integer exactly (ties to even) and scaled back, so there is
/// no double rounding.
pub(crate) fn round_rational(r: &Rational, elem: Elem) -> f64 {
    // (precision, exponent of the smallest normal, exponent of the smallest subnormal)
    let (prec, min_normal, min_sub) = match elem {
        Elem::F32 => (24, -126, -149),
        _ => (53, -1022, -1074),
    };
    let tiny = Rational::from((rug::Integer::from(1), rug::Integer::from(1) << (-min_normal) as u32));
    if Rational::from(r.abs_ref()) >= tiny {
        let f = Float::with_val(prec, r);
        return round_float(&f, elem);
    }
    let scaled = Rational::from(r * (rug::Integer::from(1) << (-min_sub) as u32));
    let n = round_half_even(&scaled);
    let f = Float::with_val(prec, &n) >> (-min_sub) as u32;
    round_float(&f, elem)
}

/// The integer nearest to `r`, ties to even.
fn round_half_even(r: &Rational) -> rug::Integer {
    let fl = r.floor_ref();
    let floor = rug::Integer::from(Rational::from(fl).numer());
    let frac = Rational::from(r - &floor);
    let half = Rational::from((1, 2));
    match frac.cmp(&half) {
        std::cmp::Ordering::Less => floor,
        std::cmp::Ordering::Greater => floor + 1u32,
        std::cmp::Ordering::Equal => {
            if floor.is_even() {
                floor
            } else {
                floor + 1u32
            }
        }
    }
}

/// Rounds a sym-core number to the kind `elem`, once, from its exact value.
pub(crate) fn round_number(n: &Number, elem: Elem) -> f64 {
    match n {
        Number::Float(f) => round_float(f, elem),
        _ => round_rational(&n.to_rational().unwrap_or_default(), elem),
    }
}

/// Checks that a rounded constant is finite.
pub(crate) fn finite(e: &Expr, x: f64, elem: Elem) -> Result<f64, LowerError> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(LowerError::new(e, LowerProblem::Undefined { reason: format!("it overflows {}", elem.name()) }))
    }
}

/// The outcome of evaluating a constant subexpression.
pub(crate) enum Folded {
    /// A real value, rounded to the kind.
    Value(f64),
    /// The expression has parts MPFR cannot evaluate (a `RootOf`): lower it structurally instead.
    Structural,
}

/// Evaluates a subexpression without free symbols in MPC and rounds the (real) result once.
pub(crate) fn fold(e: &Expr, elem: Elem) -> Result<Folded, LowerError> {
    match eval_complex(e, &ComplexEnv::new(), PREC) {
        Ok(z) => {
            real_part(e, &z)?;
            Ok(Folded::Value(finite(e, round_float(z.real(), elem), elem)?))
        }
        Err(CoreError::Unsupported(_)) => Ok(Folded::Structural),
        Err(CoreError::Undefined(why)) => Err(LowerError::new(e, LowerProblem::Undefined { reason: why.to_owned() })),
        Err(CoreError::NotReal(_)) => Err(LowerError::new(e, LowerProblem::Complex)),
        Err(other) => Err(LowerError::new(e, LowerProblem::Undefined { reason: other.to_string() })),
    }
}

/// Checks that `z` is real: [`LowerProblem::Complex`] if its imaginary part is not zero up to the working
/// precision's rounding.
fn real_part(e: &Expr, z: &Complex) -> Result<(), LowerError> {
    let im = z.imag();
    if !im.is_zero() {
        let m = Float::with_val(PREC, z.abs_ref());
        let noise = Float::with_val(PREC, &m >> (PREC - 16));
        if Float::with_val(PREC, im.abs_ref()) > noise {
            return Err(LowerError::new(e, LowerProblem::Complex));
        }
    }
    Ok(())
}

/// The coefficients of `poly` in `var` as rationals, if they all are.
pub(crate) fn rational_coeffs(poly: &Expr, var: Symbol) -> Option<Vec<Rational>> {
    poly.poly_coeffs(var)?.iter().map(Expr::as_rational).collect()
}

/// The `index`-th distinct real root (ascending) of the polynomial with rational coefficients `c`, rounded
/// once to `elem` (see the module doc). `e` names the construct in errors.
pub(crate) fn root_of_constant(e: &Expr, c: &[Rational], index: u32, elem: Elem) -> Result<f64, LowerError> {
    let p = UPoly::from_coeffs(RationalField, c.to_vec());
    if p.degree().is_none_or(|d| d == 0) {
        return Err(LowerError::new(e, LowerProblem::NoRealRoot { index, real: 0 }));
    }
    // The square-free part has the same distinct roots, and Sturm's theorem counts them on half-open intervals.
    let g = p.gcd_euclid(&p.derivative());
    let f = p.div_exact(&g).unwrap_or_else(|_| p.clone());
    let seq = f.sturm_sequence();
    let var = |x: &Rational| UPoly::sturm_variations_at(&seq, x);
    let total = UPoly::sturm_variations_at_infinity(&seq, false)
        .saturating_sub(UPoly::sturm_variations_at_infinity(&seq, true));
    let k = index as usize;
    if k >= total {
        return Err(LowerError::new(e, LowerProblem::NoRealRoot { index, real: total }));
    }
    // Isolate: (lo, hi] holds exactly one root, the k-th.
    let b = f.cauchy_bound();
    let (mut lo, mut hi) = (Rational::from(-&b), b);
    let mut below = 0_usize; // Roots <= lo.
    let mut steps = 0;
    loop {
        let inside = var(&lo).saturating_sub(var(&hi));
        if inside <= 1 || steps >= MAX_BISECTIONS {
            break;
        }
        let mid = Rational::from(&lo + &hi) / 2u32;
        let left = var(&lo).saturating_sub(var(&mid));
        if k - below < left {
            hi = mid;
        } else {
            below += left;
            lo = mid;
        }
        steps += 1;
    }
    // Refine by the sign of f (exact): f changes sign across a simple root of the square-free part.
    let sign = |x: &Rational| f.eval(x).cmp0();
    let s_hi = sign(&hi);
    if s_hi == std::cmp::Ordering::Equal {
        return finite(e, round_rational(&hi, elem), elem);
    }
    while round_rational(&lo, elem) != round_rational(&hi, elem) && steps < MAX_BISECTIONS {
        let mid = Rational::from(&lo + &hi) / 2u32;
        let s = sign(&mid);
        if s == std::cmp::Ordering::Equal {
            return finite(e, round_rational(&mid, elem), elem);
        }
        if s == s_hi {
            hi = mid;
        } else {
            lo = mid;
        }
        steps += 1;
    }
    finite(e, round_rational(&hi, elem), elem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sym_core::parse;

    fn root(poly: &str, k: u32) -> Result<f64, LowerError> {
        let x = Symbol::new("x");
        let p = parse(poly).unwrap();
        let c = rational_coeffs(&p, x).unwrap();
        root_of_constant(&p, &c, k, Elem::F64)
    }

    #[test]
    fn isolates_each_real_root() {
        // x^3 - 2 has one real root 2^(1/3); x^2 - 2 has two.
        assert_eq!(root("x**3 - 2", 0).unwrap(), 2f64.cbrt());
        assert_eq!(root("x**2 - 2", 0).unwrap(), -(2f64.sqrt()));
        assert_eq!(root("x**2 - 2", 1).unwrap(), 2f64.sqrt());
        // A rational root is found exactly; a double root counts once.
        assert_eq!(root("(x - 1/2)**2*(x + 3)", 1).unwrap(), 0.5);
        assert_eq!(root("x**2 + 1", 0).unwrap_err().problem, LowerProblem::NoRealRoot { index: 0, real: 0 });
        assert_eq!(root("x**3 - 2", 1).unwrap_err().problem, LowerProblem::NoRealRoot { index: 1, real: 1 });
    }

    #[test]
    fn numbers_round_once() {
        // 1/3 rounds to the nearest double; 0.1 (a float literal) keeps its binary value.
        let third = Number::rational(1, 3).unwrap();
        assert_eq!(round_number(&third, Elem::F64), 1.0 / 3.0);
        assert_eq!(round_number(&third, Elem::F32), f64::from(1.0_f32 / 3.0));
        // sqrt(2)'s nearest double from an exact rational bracket (a truncating conversion would give ...49).
        let r = Rational::from_f64(2f64.sqrt()).unwrap() + Rational::from((1, 1u64 << 60));
        assert_eq!(round_rational(&r, Elem::F64), 2f64.sqrt());
        // 2^-1074 * 3/2 is halfway between two subnormals: ties to even gives 2^-1073; just below it, 2^-1074.
        let unit = Rational::from(rug::Integer::from(1) << 1074u32).recip();
        let tie = Rational::from((3, 2)) * &unit;
        assert_eq!(round_rational(&tie, Elem::F64), f64::from_bits(2));
        let below = tie.clone() - unit * Rational::from((1, 1u64 << 62));
        assert_eq!(round_rational(&below, Elem::F64), f64::from_bits(1));
        assert_eq!(round_rational(&Rational::from(-3), Elem::F32), -3.0);
    }
}
