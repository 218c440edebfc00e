//! Deciding whether a coefficient expression vanishes identically.
//!
//! The closed forms split into cases on whether derived coefficients (the depressed `p` and `q`,
//! the resolvent's coefficients) can vanish, so they ask "is `e` identically zero?" about
//! expressions in the parameters. The answer is decided in three steps, cheapest first:
//!
//! 1. Structure: a canonical exact zero is zero.
//! 2. Exact evaluation at a fixed rational point. When `e` is a rational function of its
//!    symbols (sums, products, integer powers of symbols and rationals), its value at a point
//!    where no denominator vanishes is an exact rational; a non-zero value proves that `e` is
//!    not identically zero (a polynomial that vanishes identically vanishes everywhere). A zero
//!    value proves nothing (the point may lie on the zero set), so the next step decides.
//! 3. Otherwise the existing tests: a value clearly away from zero at a generic complex point in
//!    MPFR (128 bits, relative to nothing: an absolute `1e-20`), and as the final word, expansion
//!    to the canonical zero.
//!
//! Step 2 is exact, so it never calls a vanishing expression non-zero; it replaces thousands
//! of MPFR operations (complex powers go through `exp` and `log`) by a few small rational ones.

use rug::Rational;
use std::collections::HashMap;
use sym_core::evalf::{ComplexEnv, eval_complex};
use sym_core::expr::free_symbols;
use sym_core::{Expr, Kind, Symbol};

/// Whether `e` has no free symbols (a number, possibly irrational).
pub(crate) fn is_numeric(e: &Expr) -> bool {
    !e.has_free_symbols()
}

/// Whether `e` is identically zero: structurally or numerically (at 256 bits) for numbers; for
/// symbolic expressions by an exact evaluation, a numeric one, and finally expansion (so that
/// only identically zero expressions count).
pub(crate) fn is_zero(e: &Expr) -> bool {
    if e.is_zero() {
        return true;
    }
    if is_numeric(e) {
        return is_zero_number(e);
    }
    if exact_value_at_rational_point(e).is_some_and(|v| v != 0) {
        return false;
    }
    if nonzero_at_generic_point(e) {
        return false;
    }
    e.expand().is_ok_and(|x| x.is_zero())
}

/// Whether a number (an expression without symbols) is zero, numerically at 256 bits with an
/// absolute threshold of `1e-70`.
pub(crate) fn is_zero_number(e: &Expr) -> bool {
    if !is_numeric(e) {
        return false;
    }
    match eval_complex(e, &ComplexEnv::new(), 256) {
        Ok(z) => {
            let m = rug::Float::with_val(256, z.abs_ref());
            m.is_zero() || m.to_f64() < 1e-70
        }
        Err(_) => false,
    }
}

/// The `k`-th coordinate of the rational test point, `(7 + 4k)/(3 + 2k) + k`: `7/3, 16/5, 29/7,
/// ...`, distinct and never integers (`7 + 4k - 2(3 + 2k) = 1`, so the fraction is in lowest
/// terms).
fn coordinate(k: usize) -> Rational {
    let k = k as i64;
    Rational::from((7 + 4 * k + k * (3 + 2 * k), 3 + 2 * k))
}

/// The exact value of `e` at the rational test point (symbols in sorted order get the
/// coordinates `7/3, 16/5, ...`), when `e` is a rational function of its symbols and no
/// denominator vanishes there; `None` otherwise.
pub(crate) fn exact_value_at_rational_point(e: &Expr) -> Option<Rational> {
    let point: HashMap<Symbol, Rational> =
        free_symbols(e).into_iter().enumerate().map(|(k, s)| (s, coordinate(k))).collect();
    let mut memo = HashMap::new();
    eval_exact(e, &point, &mut memo)
}

/// Exact evaluation with a memo keyed by the node (shared subexpressions are evaluated once).
fn eval_exact(e: &Expr, point: &HashMap<Symbol, Rational>, memo: &mut HashMap<Expr, Rational>) -> Option<Rational> {
    if let Some(v) = memo.get(e) {
        return Some(v.clone());
    }
    let v = match e.kind() {
        Kind::Num(n) => n.to_rational()?,
        Kind::Sym(s) => point.get(s)?.clone(),
        Kind::Add(a) => {
            let mut acc = a.constant.to_rational()?;
            for (t, c) in a.terms.iter() {
                acc += eval_exact(t, point, memo)? * c.to_rational()?;
            }
            acc
        }
        Kind::Mul(m) => {
            let mut acc = m.coeff.to_rational()?;
            for (b, p) in m.factors.iter() {
                acc *= int_power(eval_exact(b, point, memo)?, p)?;
            }
            acc
        }
        Kind::Pow(b, p) => int_power(eval_exact(b, point, memo)?, p)?,
        _ => return None,
    };
    memo.insert(e.clone(), v.clone());
    Some(v)
}

/// `base ** p` for an integer exponent `p` of moderate size; `None` for other exponents and for
/// a negative power of zero.
fn int_power(base: Rational, p: &Expr) -> Option<Rational> {
    let k = p.as_i64()?;
    if k.unsigned_abs() > 64 {
        return None;
    }
    if k < 0 && base == 0 {
        return None;
    }
    let v = rug::ops::Pow::pow(base, k.unsigned_abs() as u32);
    Some(if k < 0 { v.recip() } else { v })
}

/// Whether `e` is clearly non-zero at a fixed point with irrational-looking complex coordinates
/// (a non-zero value there proves that `e` is not identically zero).
fn nonzero_at_generic_point(e: &Expr) -> bool {
    let mut env = ComplexEnv::new();
    for (k, s) in free_symbols(e).into_iter().enumerate() {
        // Distinct, non-special values: 0.7315..., 1.2718..., ...
        let v = 0.731_528_f64 + 0.540_311 * k as f64;
        env.insert(s, rug::Complex::with_val(128, (v, 0.113 * (k as f64 + 1.0))));
    }
    match eval_complex(e, &env, 128) {
        Ok(z) => rug::Float::with_val(128, z.abs_ref()).to_f64() > 1e-20,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sym_core::parse;

    fn zero(s: &str) -> bool {
        is_zero(&parse(s).unwrap())
    }

    #[test]
    fn rational_functions_are_decided_exactly() {
        assert!(!zero("a*b - c"));
        assert!(!zero("(a - b)**2 - a**2 - b**2"));
        assert!(zero("(a - b)**2 - a**2 + 2*a*b - b**2"));
        assert!(zero("(a + 1)**3 / (a + 1) - (a + 1)**2"));
        // A polynomial vanishing at the test point (7/3) is still non-zero.
        assert!(!zero("3*a - 7"));
        assert_eq!(exact_value_at_rational_point(&parse("3*a - 7").unwrap()), Some(Rational::from(0)));
    }

    #[test]
    fn radicals_fall_back_to_the_other_tests() {
        assert_eq!(exact_value_at_rational_point(&parse("sqrt(a) - 1").unwrap()), None);
        assert!(!zero("sqrt(a) - 1"));
        assert!(zero("sqrt(a)**2 - a"));
        assert!(zero("sqrt(2)**2 - 2"));
        assert!(!zero("sqrt(2) - 1"));
    }
}
