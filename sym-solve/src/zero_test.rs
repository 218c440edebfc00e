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
//!    Before it, the value is computed modulo the prime `p = 2**61 - 1` in machine words (no
//!    allocation) at the integer point whose coordinates are the symbols' stable hashes mod `p`:
//!    when every denominator met is a unit mod `p`, the residue is the image of the exact value
//!    `N/D` there, so a non-zero residue proves `N != 0` and `e` is not identically zero. Only a
//!    zero residue (or a denominator divisible by `p`) goes on to the exact rational evaluation.
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
use sym_core::hash::ExprMap;
use sym_core::{Expr, Kind, Number, Symbol};

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
    if value_mod_p(e).is_some_and(|v| v != 0) {
        return false;
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

/// The Mersenne prime `2**61 - 1` of the modular step.
const P: u64 = (1 << 61) - 1;

/// `a * b mod P` for `a, b < P` (the product splits at bit 61, and `2**61 = 1 mod P`).
fn mul_mod(a: u64, b: u64) -> u64 {
    let t = a as u128 * b as u128;
    let r = (t as u64 & P) + (t >> 61) as u64;
    if r >= P { r - P } else { r }
}

/// `a + b mod P` for `a, b < P`.
fn add_mod(a: u64, b: u64) -> u64 {
    let r = a + b;
    if r >= P { r - P } else { r }
}

/// `a ** k mod P` by binary powering.
fn pow_mod(mut a: u64, mut k: u64) -> u64 {
    let mut r = 1;
    while k > 0 {
        if k & 1 == 1 {
            r = mul_mod(r, a);
        }
        a = mul_mod(a, a);
        k >>= 1;
    }
    r
}

/// The inverse mod `P` (Fermat), `None` for zero.
fn inv_mod(a: u64) -> Option<u64> {
    (a != 0).then(|| pow_mod(a, P - 2))
}

/// The residue of an integer mod `P`.
fn int_mod(n: &rug::Integer) -> u64 {
    match n.to_i64() {
        Some(v) => v.rem_euclid(P as i64) as u64,
        None => big_mod(n),
    }
}

/// The residue of a large integer mod `P` (in `[0, P)`, so it fits a word).
fn big_mod(n: &rug::Integer) -> u64 {
    let m = rug::Integer::from(n.modulo_ref(&rug::Integer::from(P)));
    m.to_u64().unwrap_or_default()
}

/// The residue of an exact number mod `P` (`None` for floats and for denominators divisible by
/// `P`).
fn number_mod(n: &Number) -> Option<u64> {
    match n {
        Number::Small(v) => Some(v.rem_euclid(P as i64) as u64),
        Number::Big(b) => Some(big_mod(b)),
        Number::Rational(r) => {
            let (p, q) = match r.to_i64_parts() {
                Some((p, q)) => (p.rem_euclid(P as i64) as u64, q.rem_euclid(P as i64) as u64),
                None => (int_mod(&r.numer()), int_mod(&r.denom())),
            };
            Some(mul_mod(p, inv_mod(q)?))
        }
        _ => None,
    }
}

/// The coordinate of a symbol in the modular step: the symbol node's stable hash mod `P`
/// (deterministic, and spread over `Z/P` without a pass over the free symbols).
fn modular_coordinate(sym: &Expr) -> u64 {
    sym.hash_value() % P
}

/// The residue mod `P` of `e`'s value at the point of [`modular_coordinate`]s: the image of
/// the exact value there when every denominator is a unit mod `P`; `None` when `e` is not a
/// rational function or a denominator vanishes mod `P`.
fn value_mod_p(e: &Expr) -> Option<u64> {
    let mut memo = ExprMap::default();
    eval_mod(e, &mut memo)
}

/// Evaluation mod `P`, with a memo keyed by the node.
fn eval_mod(e: &Expr, memo: &mut ExprMap<u64>) -> Option<u64> {
    if let Some(v) = memo.get(e) {
        return Some(*v);
    }
    let v = match e.kind() {
        Kind::Num(n) => number_mod(n)?,
        Kind::Sym(_) => modular_coordinate(e),
        Kind::Add(a) => {
            let mut acc = number_mod(&a.constant)?;
            for (t, c) in a.terms.iter() {
                acc = add_mod(acc, mul_mod(eval_mod(t, memo)?, number_mod(c)?));
            }
            acc
        }
        Kind::Mul(m) => {
            let mut acc = number_mod(&m.coeff)?;
            for (b, p) in m.factors.iter() {
                acc = mul_mod(acc, int_power_mod(eval_mod(b, memo)?, p)?);
            }
            acc
        }
        Kind::Pow(b, p) => int_power_mod(eval_mod(b, memo)?, p)?,
        _ => return None,
    };
    if e.depth() > 0 {
        memo.insert(e.clone(), v);
    }
    Some(v)
}

/// `base ** p mod P` for an integer exponent `p`; `None` for other exponents and for a negative
/// power of a residue zero.
fn int_power_mod(base: u64, p: &Expr) -> Option<u64> {
    let k = p.as_i64()?;
    let v = pow_mod(base, k.unsigned_abs());
    if k < 0 { inv_mod(v) } else { Some(v) }
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

    /// The image of a rational in `Z/P`, for comparison with the modular step.
    fn image(v: &Rational) -> Option<u64> {
        Some(mul_mod(int_mod(v.numer()), inv_mod(int_mod(v.denom()))?))
    }

    /// The exact value at the modular step's integer point.
    fn exact_at_modular_point(e: &Expr) -> Option<Rational> {
        let point: HashMap<Symbol, Rational> =
            free_symbols(e).into_iter().map(|s| (s, Rational::from(modular_coordinate(&Expr::sym(s))))).collect();
        eval_exact(e, &point, &mut HashMap::new())
    }

    #[test]
    fn residues_are_images_of_the_exact_values() {
        for s in ["a*b - c", "3*a - 7", "(a + 1)**3 / (a + 1) - (a + 1)**2", "a**2/(b - 1) + 5/7*c**-3", "2**70*a - 1"]
        {
            let e = parse(s).unwrap();
            let exact = exact_at_modular_point(&e).unwrap();
            assert_eq!(value_mod_p(&e), image(&exact), "{s}");
        }
        assert_eq!(value_mod_p(&parse("(a - b)**2 - a**2 + 2*a*b - b**2").unwrap()), Some(0));
        assert_eq!(value_mod_p(&parse("sqrt(a) - 1").unwrap()), None);
        assert_eq!(mul_mod(P - 1, P - 1), 1);
        assert_eq!(mul_mod(inv_mod(12345).unwrap(), 12345), 1);
    }

    proptest::proptest! {
        /// For rational functions `sum c_i a**i b**j c**k` (negative exponents included), the
        /// modular step gives the image of the exact value, so a non-zero residue implies a
        /// non-zero value: the modular step never calls a vanishing expression non-zero.
        #[test]
        fn modular_step_agrees_with_exact_evaluation(
            terms in proptest::collection::vec((-5i64..6, 1i64..4, -2i64..3, -2i64..3, -2i64..3), 1..6),
            shift in -3i64..4,
        ) {
            let [a, b, c] = ["a", "b", "c"].map(Expr::symbol);
            let e = Expr::add_all(terms.iter().map(|&(n, d, i, j, k)| {
                let base = Expr::add(a.clone(), Expr::int(shift));
                Expr::mul_all([
                    Expr::rational(n, d),
                    Expr::pow(base, Expr::int(i)),
                    Expr::pow(b.clone(), Expr::int(j)),
                    Expr::pow(c.clone(), Expr::int(k)),
                ])
            }));
            let exact = exact_at_modular_point(&e);
            let residue = value_mod_p(&e);
            if let (Some(v), Some(r)) = (&exact, residue) {
                proptest::prop_assert_eq!(Some(r), image(v));
            }
            if exact.as_ref().is_some_and(|v| *v == 0) {
                proptest::prop_assert!(residue.is_none_or(|r| r == 0));
            }
        }
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
