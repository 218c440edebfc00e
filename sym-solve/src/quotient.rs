//! Zero-dimensional polynomial systems over `Q`: solutions read from the quotient ring.
//!
//! For a zero-dimensional ideal `I ⊂ Q[x_1..x_n]` the quotient `A = Q[x]/I` is a vector space of
//! finite dimension `D` with basis the standard monomials of a Groebner basis (here grevlex),
//! and every element acts on it by multiplication. The method (the linear-algebra core of FGLM,
//! Faugère–Gianni–Lazard–Mora 1993, and of Rouillier's rational univariate representation):
//!
//! 1. *Radical.* The minimal polynomial `m_i` of `x_i` in `A` is found from the first linear
//!    dependence among the normal forms of `1, x_i, x_i^2, ...`. By Seidenberg's lemma, adding the
//!    square-free parts `sqf(m_i)` to `I` gives its radical, whose quotient has dimension equal to
//!    the number of distinct complex solutions.
//! 2. *Separating element.* For a radical ideal, `t = sum c_i x_i` separates the solutions exactly
//!    when its minimal polynomial `g(t)` has degree `D`; then `1, t, ..., t^(D-1)` is a basis of
//!    `A`, and expressing `x_i` in it gives `x_i ≡ h_i(t) (mod I)`: the shape-lemma
//!    parametrisation. A generic integer vector `c` separates; a few are tried in turn.
//! 3. The solutions are `(h_1(r), ..., h_n(r))` for the roots `r` of `g` (the caller factors `g`
//!    over `Q` and solves each factor exactly).
//!
//! The linear algebra is exact Gaussian elimination over `Q` on vectors of length `D`.

use crate::error::SolveError;
use crate::groebner::{Groebner, GroebnerLimits, Mono, Order, Poly, exponent, pack};
use rug::Rational;
use std::collections::HashMap;
use sym_core::poly::{RationalField, UPoly};

/// The most standard monomials (complex solutions with multiplicity) handled.
pub const MAX_DIMENSION: usize = 400;

/// What a system of polynomial equations is.
#[derive(Clone, Debug)]
pub enum ZeroDim {
    /// No solution: the ideal is the whole ring.
    Inconsistent,
    /// Infinitely many solutions (the ideal is not zero-dimensional).
    PositiveDimensional,
    /// Finitely many: `x_i = coords[i](t)` for the roots `t` of `minpoly` (square-free), one
    /// solution per root.
    Points {
        /// The minimal polynomial of the separating element.
        minpoly: UPoly<RationalField>,
        /// The coordinates as polynomials in the separating element (degree below `minpoly`'s).
        coords: Vec<UPoly<RationalField>>,
    },
}

/// The quotient ring of a zero-dimensional Groebner basis.
struct Quotient {
    gb: Groebner,
    index: HashMap<Mono, usize>,
}

impl Quotient {
    fn dim(&self) -> usize {
        self.index.len()
    }

    fn vector(&self, p: &Poly) -> Vec<Rational> {
        let mut v = vec![Rational::new(); self.dim()];
        for (m, c) in &p.terms {
            if let Some(&i) = self.index.get(m) {
                v[i] = c.clone();
            }
        }
        v
    }
}

/// Incremental row echelon form that remembers each row as a combination of the inputs.
struct Echelon {
    rows: Vec<(usize, Vec<Rational>, Vec<Rational>)>,
    inputs: usize,
}

impl Echelon {
    fn new() -> Echelon {
        Echelon { rows: Vec::new(), inputs: 0 }
    }

    /// Reduces `v`; returns the remainder and the combination `c` of inputs with
    /// `v = remainder + sum c_k input_k`.
    fn reduce(&self, mut v: Vec<Rational>) -> (Vec<Rational>, Vec<Rational>) {
        let mut comb = vec![Rational::new(); self.inputs + 1];
        for (pivot, row, rc) in &self.rows {
            if v[*pivot] == 0 {
                continue;
            }
            let a = v[*pivot].clone();
            for (x, r) in v.iter_mut().zip(row) {
                if *r != 0 {
                    *x -= Rational::from(&a * r);
                }
            }
            for (x, r) in comb.iter_mut().zip(rc) {
                if *r != 0 {
                    *x += Rational::from(&a * r);
                }
            }
        }
        (v, comb)
    }

    /// Adds input number `self.inputs`; returns `Some(c)` with `v = sum_{k<inputs} c_k input_k`
    /// when it is dependent on the previous inputs.
    fn push(&mut self, v: Vec<Rational>) -> Option<Vec<Rational>> {
        let k = self.inputs;
        let (rem, comb) = self.reduce(v);
        match rem.iter().position(|x| *x != 0) {
            None => Some(comb[..k].to_vec()),
            Some(p) => {
                let inv = Rational::from(rem[p].recip_ref());
                let row: Vec<Rational> = rem.into_iter().map(|x| x * &inv).collect();
                // row = (v - sum comb_j input_j) / rem[p].
                let mut rc: Vec<Rational> = comb.into_iter().map(|x| -x * &inv).collect();
                rc.resize(k + 1, Rational::new());
                rc[k] = inv;
                for (_, _, c) in &mut self.rows {
                    c.resize(k + 1, Rational::new());
                }
                self.rows.push((p, row, rc));
                self.inputs += 1;
                None
            }
        }
    }
}

/// The linear polynomial `sum c_i x_i`.
fn linear_form(c: &[i64], order: Order) -> Poly {
    let n = c.len();
    let terms = c
        .iter()
        .enumerate()
        .filter(|(_, k)| **k != 0)
        .map(|(i, k)| {
            let mut e = vec![0u64; n];
            e[i] = 1;
            (pack(&e).expect("a variable fits"), Rational::from(*k))
        })
        .collect();
    Poly::from_terms(order, terms)
}

/// The minimal polynomial of `a` in the quotient, and the echelon form of its powers.
fn min_poly(q: &Quotient, a: &Poly) -> Result<(UPoly<RationalField>, Echelon), SolveError> {
    let order = q.gb.order;
    let mut ech = Echelon::new();
    let mut power = q.gb.reduce(&Poly::from_terms(order, vec![(0, Rational::from(1))]));
    for _ in 0..=q.dim() {
        if let Some(c) = ech.push(q.vector(&power)) {
            // power_k = sum c_j power_j: the polynomial t^k - sum c_j t^j.
            let mut coeffs: Vec<Rational> = c.into_iter().map(|x| -x).collect();
            coeffs.push(Rational::from(1));
            return Ok((UPoly::from_coeffs(RationalField, coeffs), ech));
        }
        power = q.gb.reduce(&power.mul(a, order)?);
    }
    Err(SolveError::Limit { what: "quotient ring dimension", limit: q.dim() as u64 })
}

fn quotient(gens: &[Poly], nvars: usize, limits: &GroebnerLimits) -> Result<Result<Quotient, ZeroDim>, SolveError> {
    let gb = Groebner::new(gens, nvars, Order::GrevLex, limits)?;
    if gb.is_one() {
        return Ok(Err(ZeroDim::Inconsistent));
    }
    let Some(std) = gb.standard_monomials(MAX_DIMENSION) else {
        let zero_dim = (0..nvars).all(|v| {
            gb.leading_monomials()
                .iter()
                .any(|&m| exponent(m, v) > 0 && m & 0x00ff_ffff_ffff_ffff == exponent(m, v) << (8 * v))
        });
        if zero_dim {
            return Err(SolveError::Limit { what: "number of solutions", limit: MAX_DIMENSION as u64 });
        }
        return Ok(Err(ZeroDim::PositiveDimensional));
    };
    let index = std.iter().enumerate().map(|(i, m)| (*m, i)).collect();
    Ok(Ok(Quotient { gb, index }))
}

fn upoly_in_var(p: &UPoly<RationalField>, v: usize, nvars: usize, order: Order) -> Poly {
    let terms = p
        .coeffs()
        .iter()
        .enumerate()
        .filter(|(_, c)| **c != 0)
        .map(|(k, c)| {
            let mut e = vec![0u64; nvars];
            e[v] = k as u64;
            (pack(&e).unwrap_or(0), c.clone())
        })
        .collect();
    Poly::from_terms(order, terms)
}

/// Solves the polynomial system `gens = 0` in `nvars` variables (see the module documentation).
pub fn solve_zero_dim(gens: &[Poly], nvars: usize, limits: &GroebnerLimits) -> Result<ZeroDim, SolveError> {
    let mut gens: Vec<Poly> = gens.to_vec();
    let mut q = match quotient(&gens, nvars, limits)? {
        Ok(q) => q,
        Err(z) => return Ok(z),
    };
    // Make the ideal radical (Seidenberg): add the square-free parts of the variables' minimal
    // polynomials where they differ.
    let mut added = false;
    for v in 0..nvars {
        let (m, _) = min_poly(&q, &linear_form(&unit(nvars, v), Order::GrevLex))?;
        let s = m.square_free_part().map_err(|_| SolveError::Limit { what: "square-free part", limit: 0 })?;
        if s.degree() < m.degree() {
            gens.push(upoly_in_var(&s, v, nvars, Order::GrevLex));
            added = true;
        }
    }
    if added {
        q = match quotient(&gens, nvars, limits)? {
            Ok(q) => q,
            Err(z) => return Ok(z),
        };
    }
    let d = q.dim();
    for attempt in 0..12i64 {
        let c: Vec<i64> =
            (0..nvars as i64).map(|i| 1 + ((i * (attempt + 1) * 7 + attempt * 3) % (5 + 2 * attempt))).collect();
        let t = linear_form(&c, Order::GrevLex);
        let (g, ech) = min_poly(&q, &t)?;
        if g.degree() != Some(d) {
            continue;
        }
        let mut coords = Vec::with_capacity(nvars);
        for v in 0..nvars {
            let xv = q.gb.reduce(&linear_form(&unit(nvars, v), Order::GrevLex));
            let (rem, comb) = ech.reduce(q.vector(&xv));
            if rem.iter().any(|x| *x != 0) {
                return Err(SolveError::Limit { what: "separating element", limit: attempt as u64 });
            }
            coords.push(UPoly::from_coeffs(RationalField, comb[..d].to_vec()));
        }
        return Ok(ZeroDim::Points { minpoly: g, coords });
    }
    Err(SolveError::Limit { what: "separating element attempts", limit: 12 })
}

fn unit(n: usize, v: usize) -> Vec<i64> {
    let mut c = vec![0; n];
    c[v] = 1;
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(terms: &[(i64, &[u64])]) -> Poly {
        Poly::from_terms(Order::GrevLex, terms.iter().map(|(c, e)| (pack(e).unwrap(), Rational::from(*c))).collect())
    }

    #[test]
    fn symmetric_system_has_five_points() {
        // x^2 + y + z - 1, x + y^2 + z - 1, x + y + z^2 - 1: five distinct solutions.
        let f = [
            p(&[(1, &[2, 0, 0]), (1, &[0, 1, 0]), (1, &[0, 0, 1]), (-1, &[0, 0, 0])]),
            p(&[(1, &[1, 0, 0]), (1, &[0, 2, 0]), (1, &[0, 0, 1]), (-1, &[0, 0, 0])]),
            p(&[(1, &[1, 0, 0]), (1, &[0, 1, 0]), (1, &[0, 0, 2]), (-1, &[0, 0, 0])]),
        ];
        match solve_zero_dim(&f, 3, &GroebnerLimits::default()).unwrap() {
            ZeroDim::Points { minpoly, coords } => {
                assert_eq!(minpoly.degree(), Some(5));
                assert_eq!(coords.len(), 3);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn double_root_is_made_radical() {
        // x^2 = 0, y = 1: one solution.
        let f = [p(&[(1, &[2, 0])]), p(&[(1, &[0, 1]), (-1, &[0, 0])])];
        match solve_zero_dim(&f, 2, &GroebnerLimits::default()).unwrap() {
            ZeroDim::Points { minpoly, .. } => assert_eq!(minpoly.degree(), Some(1)),
            other => panic!("unexpected {other:?}"),
        }
    }
}
