//! Exact square roots of polynomials over `Q`.
//!
//! `p` is a square `s**2` exactly when, viewed as a polynomial in its first variable `v` with
//! coefficients in the others, it has even degree `2m`, its leading coefficient is a square
//! `s_m**2` (recursively, in fewer variables), and the coefficients of `s = sum s_i v**i` found
//! from the top down, `s_(m-k) = (p_(2m-k) - sum s_i s_j) / (2 s_m)` over `i + j = 2m - k` with
//! `m - k < i, j < m`, are exact quotients and square back to `p` (the final check decides).
//! The root returned has a positive leading coefficient (in the polynomial's order); `-s` is the
//! other one.

use super::MPoly;
use crate::poly::monomial::MonomialOrder;
use crate::poly::ring::RationalField;
use rug::Rational;

impl<O: MonomialOrder> MPoly<RationalField, O> {
    /// `Some(s)` with `s * s == self` (leading coefficient positive), or `None` when `self` is
    /// not the square of a polynomial over `Q`.
    pub fn sqrt_exact(&self) -> Option<Self> {
        let s = sqrt_rec(self)?;
        let s = if s.is_zero() || s.lc() > 0 { s } else { -s };
        (&s * &s == *self).then_some(s)
    }
}

fn rational_sqrt(c: &Rational) -> Option<Rational> {
    if *c < 0 || !c.numer().is_perfect_square() || !c.denom().is_perfect_square() {
        return None;
    }
    Some(Rational::from((c.numer().clone().sqrt(), c.denom().clone().sqrt())))
}

/// A candidate root (checked by the caller).
fn sqrt_rec<O: MonomialOrder>(p: &MPoly<RationalField, O>) -> Option<MPoly<RationalField, O>> {
    if p.is_zero() {
        return Some(p.clone());
    }
    let nvars = p.nvars();
    let degrees = p.degrees();
    let Some(v) = (0..nvars).find(|&v| degrees[v] > 0) else {
        return Some(MPoly::constant(RationalField, nvars, rational_sqrt(&p.lc())?));
    };
    if degrees[v] % 2 == 1 {
        return None;
    }
    let u = p.to_univariate(v);
    let c = u.coeffs();
    let n = c.len() - 1;
    let m = n / 2;
    // s[i] is the coefficient of v**i; filled from the top.
    let mut s: Vec<MPoly<RationalField, O>> = vec![MPoly::zero(RationalField, nvars); m + 1];
    s[m] = sqrt_rec(&c[n])?;
    if s[m].is_zero() {
        return None;
    }
    let two_top = s[m].scale(&Rational::from(2));
    for k in 1..=m {
        let mut acc = c[n - k].clone();
        for i in (m - k + 1)..m {
            let j = 2 * m - k - i;
            if j > m - k && j < m {
                acc -= &(&s[i] * &s[j]);
            }
        }
        s[m - k] = acc.div_exact(&two_top).ok()?;
    }
    let ring = u.ring().clone();
    Some(MPoly::from_univariate(&crate::poly::UPoly::from_coeffs(ring, s), v))
}

#[cfg(test)]
mod tests {
    use crate::poly::{Lex, MPoly, RationalField, parse_mpoly};

    fn pq(s: &str) -> MPoly<RationalField, Lex> {
        parse_mpoly(s, &["x", "y", "z"], RationalField).unwrap()
    }

    #[test]
    fn squares_and_non_squares() {
        for (p, root) in [
            ("(x - y)^2", "x - y"),
            ("4*z^2 - 4*z + 1", "2*z - 1"),
            ("(x*y + 2*z - 1/3)^2", "x*y + 2*z - 1/3"),
            ("(y^2 + z)^2*(x + 1)^4", "(y^2 + z)*(x + 1)^2"),
            ("9/4", "3/2"),
            ("0", "0"),
        ] {
            assert_eq!(pq(p).sqrt_exact(), Some(pq(root)), "{p}");
        }
        for p in ["x^2 + 1", "2*x^2", "x^2*y", "(x - y)^2 + 1", "-(x + 1)^2", "x^3", "(x + 1)^2*(y + 1)"] {
            assert_eq!(pq(p).sqrt_exact(), None, "{p}");
        }
    }
}
