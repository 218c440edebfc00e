//! Greatest common divisors of multivariate polynomials.
//!
//! The generic algorithm is the recursive one (Brown, "On Euclid's algorithm and the computation
//! of polynomial greatest common divisors", JACM 1971, §2): remove the monomial content, pick a
//! main variable `v` occurring in both inputs, view both as univariate in `v` with coefficients
//! in the other variables, and run the subresultant PRS there; the contents of the coefficient
//! sequences are gcds in fewer variables (recursion), and the base case is the coefficient ring's
//! gcd. If `v` occurs in only one input `a`, then `gcd(a, b) = gcd(cont_v(a), b)`.
//!
//! Over `Q` the inputs are scaled to primitive integer polynomials first and the result is made
//! monic (in the polynomials' order). Over `Z` the integer contents are split off first.
//!
//! Correct for every [`PolyGcd`] coefficient ring; its cost grows with the degrees in the main
//! variable (coefficient growth is kept polynomial by the subresultant divisions).

use crate::poly::monomial::MonomialOrder;
use crate::poly::mpoly::MPoly;
use crate::poly::ring::{Int, IntegerRing, RationalField, Ring};
use crate::poly::upoly::{PolyGcd, subresultant_gcd};
use rug::{Integer, Rational};

/// The normalised gcd by the recursive subresultant algorithm (see the module documentation).
pub fn mpoly_gcd_generic<R: PolyGcd, O: MonomialOrder>(a: &MPoly<R, O>, b: &MPoly<R, O>) -> MPoly<R, O> {
    a.check_compatible(b);
    if a.is_zero() {
        return b.normalize();
    }
    if b.is_zero() {
        return a.normalize();
    }
    let n = a.nvars();
    let ring = a.ring().clone();
    // Monomial content: g = x^min(ma, mb) * gcd(a / x^ma, b / x^mb).
    let ma: Vec<u64> = (0..n).map(|v| a.min_degree(v)).collect();
    let mb: Vec<u64> = (0..n).map(|v| b.min_degree(v)).collect();
    let mg: Vec<u64> = ma.iter().zip(&mb).map(|(x, y)| *x.min(y)).collect();
    let a1 = divide_monomial(a, &ma);
    let b1 = divide_monomial(b, &mb);
    let inner = gcd_no_monomial(&a1, &b1);
    let one = ring.one();
    inner.mul_monomial(&one, &mg).expect("invariant: a divisor's exponents fit").normalize()
}

/// `p / x^m` for a monomial dividing every term (order preserved).
fn divide_monomial<R: Ring, O: MonomialOrder>(p: &MPoly<R, O>, m: &[u64]) -> MPoly<R, O> {
    if m.iter().all(|&e| e == 0) {
        return p.clone();
    }
    let terms = p.terms().map(|(c, mut e)| {
        for (x, y) in e.iter_mut().zip(m) {
            *x -= y;
        }
        (c.clone(), e)
    });
    MPoly::from_terms(p.ring().clone(), p.nvars(), terms).expect("invariant: smaller exponents fit")
}

/// The gcd of polynomials without monomial content.
fn gcd_no_monomial<R: PolyGcd, O: MonomialOrder>(a: &MPoly<R, O>, b: &MPoly<R, O>) -> MPoly<R, O> {
    let ring = a.ring().clone();
    let nvars = a.nvars();
    if a.is_constant() || b.is_constant() {
        let g = ring.gcd(&a.content(), &b.content());
        return MPoly::constant(ring, nvars, g);
    }
    let da = a.degrees();
    let db = b.degrees();
    let common = (0..nvars).filter(|&v| da[v] > 0 && db[v] > 0).min_by_key(|&v| da[v].max(db[v]));
    match common {
        Some(v) => {
            let ua = a.to_univariate(v);
            let ub = b.to_univariate(v);
            let g = subresultant_gcd(&ua, &ub);
            MPoly::from_univariate(&g, v)
        }
        None => {
            // No variable occurs in both: gcd(a, b) = gcd(cont_v(a), b) for any v in a.
            let v = (0..nvars).find(|&v| da[v] > 0).expect("a is not constant");
            let ca = a.to_univariate(v).content();
            R::mpoly_gcd(&ca, b)
        }
    }
}

/// The gcd over `Z`: integer contents split off, then the recursive algorithm on the primitive
/// parts; the result has positive leading coefficient.
pub fn mpoly_gcd_integer<O: MonomialOrder>(
    a: &MPoly<IntegerRing, O>,
    b: &MPoly<IntegerRing, O>,
) -> MPoly<IntegerRing, O> {
    if a.is_zero() {
        return b.normalize();
    }
    if b.is_zero() {
        return a.normalize();
    }
    let (ca, pa) = a.content_primitive();
    let (cb, pb) = b.content_primitive();
    let c = ca.gcd(&cb);
    let g = mpoly_gcd_generic(&pa, &pb);
    g.primitive_part().scale(&c)
}

/// `(d, p)`: the positive integer `d` and the integer polynomial `p = d a`, `d` the least common
/// denominator.
pub fn mpoly_clear_denominators<O: MonomialOrder>(a: &MPoly<RationalField, O>) -> (Integer, MPoly<IntegerRing, O>) {
    let mut d = Integer::from(1);
    for c in a.coeffs() {
        d.lcm_mut(c.denom());
    }
    let p = a.map_coeffs(IntegerRing, |c| Int::from(Integer::from(c.numer() * Integer::from(&d / c.denom()))));
    (d, p)
}

/// The monic gcd over `Q` (via `Z`).
pub fn mpoly_gcd_rational<O: MonomialOrder>(
    a: &MPoly<RationalField, O>,
    b: &MPoly<RationalField, O>,
) -> MPoly<RationalField, O> {
    let (_, az) = mpoly_clear_denominators(a);
    let (_, bz) = mpoly_clear_denominators(b);
    let g = mpoly_gcd_integer(&az, &bz);
    g.map_coeffs(RationalField, |c| Rational::from(c.to_integer())).normalize()
}

impl<R: PolyGcd, O: MonomialOrder> MPoly<R, O> {
    /// The normalised greatest common divisor (dispatched on the coefficient ring).
    pub fn gcd(&self, other: &Self) -> Self {
        self.check_compatible(other);
        R::mpoly_gcd(self, other)
    }

    /// `(g, self / g, other / g)` for `g = gcd(self, other)`: the cofactors that `cancel` needs.
    pub fn gcd_cofactors(&self, other: &Self) -> (Self, Self, Self) {
        let g = self.gcd(other);
        if g.is_zero() {
            return (g, self.clone(), other.clone());
        }
        let a = self.div_exact(&g).expect("invariant: the gcd divides");
        let b = other.div_exact(&g).expect("invariant: the gcd divides");
        (g, a, b)
    }
}
