//! Polynomials with rational coefficients: exact roots with multiplicities.
//!
//! The polynomial is made primitive over Z, split by Yun's square-free decomposition (which
//! gives exact multiplicities), and each square-free part is split further into irreducible
//! factors over Q where the factoriser is available. Factors of degree 1 to 4 get closed forms
//! (quartics may be left as `RootOf` by option), higher degrees `RootOf(f, x, k)` for every
//! index `k`. The result is complete by construction.

use crate::closed_form::roots_closed_form;
use crate::solution::{Branch, SolveOptions};
use rug::{Integer, Rational};
use sym_core::poly::{IntegerRing, RationalField, UPoly, clear_denominators};
use sym_core::{Expr, Number, Symbol};

/// The coefficients as rationals, when every coefficient is an exact rational number.
pub fn rational_coeffs(c: &[Expr]) -> Option<Vec<Rational>> {
    c.iter().map(Expr::as_rational).collect()
}

/// An integer polynomial from rational coefficients (denominators cleared, content removed).
pub fn integer_poly(c: &[Rational]) -> UPoly<IntegerRing> {
    let q = UPoly::from_coeffs(RationalField, c.to_vec());
    let (_, p) = clear_denominators(&q);
    p.primitive_part()
}

/// The expression `sum c_i x**i` of an integer polynomial.
pub fn poly_to_expr(p: &UPoly<IntegerRing>, x: Symbol) -> Expr {
    let xs = Expr::sym(x);
    Expr::add_all(
        p.coeffs()
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_zero())
            .map(|(i, c)| Expr::num(Number::from_integer(c.to_integer())) * Expr::pow(xs.clone(), Expr::int(i as i64))),
    )
}

/// Irreducible factors over Q of a square-free primitive integer polynomial.
pub fn irreducible_factors(f: &UPoly<IntegerRing>) -> Vec<UPoly<IntegerRing>> {
    split_rational_roots(f)
}

/// Splits off the linear factors `q x - p` of rational roots `p/q` (rational root theorem,
/// candidates tested exactly by evaluation), leaving the cofactor whole. This is the fast path
/// of factorisation over Q; the cofactor has no rational roots.
fn split_rational_roots(f: &UPoly<IntegerRing>) -> Vec<UPoly<IntegerRing>> {
    let mut out = Vec::new();
    let mut rest = f.clone();
    let Some(n) = rest.degree() else { return out };
    if n == 0 {
        return out;
    }
    // x = 0 is a root when the constant term vanishes.
    if rest.coeff(0).is_zero() {
        out.push(UPoly::from_i64s(IntegerRing, &[0, 1]));
        let shifted: Vec<_> = rest.coeffs()[1..].to_vec();
        rest = UPoly::from_coeffs(IntegerRing, shifted);
    }
    let (a0, an) = (rest.coeff(0).to_integer().abs(), rest.lc().to_integer().abs());
    let small = a0.significant_bits() <= 40 && an.significant_bits() <= 40;
    if small && rest.degree().is_some_and(|d| d > 1) {
        let (dp, dq) = (divisors(&a0), divisors(&an));
        'outer: for p in &dp {
            for q in &dq {
                if Integer::from(p.gcd_ref(q)) != 1 {
                    continue;
                }
                for sign in [1i64, -1] {
                    let num = Integer::from(p * sign);
                    // Test q x - num by exact evaluation at num/q: sum c_i num^i q^(n-i).
                    if eval_homogeneous(&rest, &num, q) == 0 {
                        let lin = UPoly::from_coeffs(
                            IntegerRing,
                            vec![sym_core::poly::Int::from(-num.clone()), sym_core::poly::Int::from(q.clone())],
                        );
                        if let Ok(Some(cof)) = rest.divides_by(&lin) {
                            out.push(lin);
                            rest = cof;
                            if rest.degree().is_none_or(|d| d == 0) {
                                break 'outer;
                            }
                        }
                    }
                }
            }
        }
    }
    if rest.degree().is_some_and(|d| d > 0) {
        out.push(rest);
    }
    out
}

/// `q**n * f(p/q)` for integers, exactly.
fn eval_homogeneous(f: &UPoly<IntegerRing>, p: &Integer, q: &Integer) -> Integer {
    let n = f.degree().unwrap_or(0);
    let mut acc = Integer::new();
    let mut pq = Integer::from(1);
    let mut qpow: Vec<Integer> = vec![Integer::from(1); n + 1];
    for i in 1..=n {
        qpow[i] = Integer::from(&qpow[i - 1] * q);
    }
    for (i, c) in f.coeffs().iter().enumerate() {
        acc += c.to_integer() * &pq * &qpow[n - i];
        pq *= p;
    }
    acc
}

/// All positive divisors of `n` (by trial division; `n` is at most 40 bits here).
fn divisors(n: &Integer) -> Vec<Integer> {
    if *n == 0 {
        return vec![Integer::from(1)];
    }
    let n = n.to_u64().unwrap_or(1);
    let mut small = Vec::new();
    let mut large = Vec::new();
    let mut d = 1u64;
    while d * d <= n {
        if n % d == 0 {
            small.push(Integer::from(d));
            if d * d != n {
                large.push(Integer::from(n / d));
            }
        }
        d += 1;
    }
    large.reverse();
    small.extend(large);
    small
}

/// The exact roots of a non-constant polynomial with rational coefficients, as branches (each
/// with its multiplicity and guard `True`). Complete.
pub fn solve_rational_poly(c: &[Rational], x: Symbol, opts: &SolveOptions) -> Vec<Branch> {
    let p = integer_poly(c);
    let Ok(sqf) = p.square_free() else { return Vec::new() };
    let mut out = Vec::new();
    for (part, mult) in &sqf.factors {
        if part.degree().is_none_or(|d| d == 0) {
            continue;
        }
        for f in irreducible_factors(part) {
            let n = f.degree().unwrap_or(0);
            let use_closed = n <= 3 || (n == 4 && opts.quartic_radicals);
            let roots: Vec<Expr> = if use_closed {
                let coeffs: Vec<Expr> =
                    f.coeffs().iter().map(|k| Expr::num(Number::from_integer(k.to_integer()))).collect();
                roots_closed_form(&coeffs).unwrap_or_default()
            } else {
                let fe = poly_to_expr(&f, x);
                (0..n as u32).map(|k| Expr::root_of(fe.clone(), x, k)).collect()
            };
            for r in roots {
                out.push(Branch::exact(r, Expr::true_(), *mult as u32));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &[i64]) -> Vec<Rational> {
        v.iter().map(|&k| Rational::from(k)).collect()
    }

    #[test]
    fn rational_roots_split_off() {
        // (x - 1)(2x + 3)(x^2 + 1) = 2x^4 + x^3 - x^2 + x - 3
        let f = integer_poly(&ints(&[-3, 1, -1, 1, 2]));
        let fs = irreducible_factors(&f);
        let degs: Vec<usize> = fs.iter().map(|g| g.degree().unwrap()).collect();
        assert_eq!(degs, [1, 1, 2]);
    }

    #[test]
    fn multiplicities_are_exact() {
        // x^3 (x - 1)^2 = x^5 - 2x^4 + x^3
        let b = solve_rational_poly(&ints(&[0, 0, 0, 1, -2, 1]), Symbol::new("x"), &SolveOptions::default());
        let mut got: Vec<(String, u32)> =
            b.iter().map(|br| (br.exact.as_ref().unwrap()[0].to_string(), br.multiplicity)).collect();
        got.sort();
        assert_eq!(got, [("0".to_string(), 3), ("1".to_string(), 2)]);
    }
}
