//! Conversions of [`MPoly`]: between monomial orders, to and from the recursive univariate view
//! (coefficients in the other variables), to and from dense univariate polynomials, and the
//! content / primitive-part split.

use super::{MPoly, PolyRing};
use crate::poly::PolyError;
use crate::poly::monomial::{Layout, MonomialOrder};
use crate::poly::ring::{GcdDomain, Ring};
use crate::poly::upoly::UPoly;

impl<R: Ring, O: MonomialOrder> MPoly<R, O> {
    /// The same polynomial with terms in the order `O2`.
    pub fn to_order<O2: MonomialOrder>(&self) -> MPoly<R, O2> {
        let max = if O2::GRADED { self.total_degree() } else { self.degrees().into_iter().max().unwrap_or(0) };
        let layout = Layout::for_max::<O2>(self.nvars(), max.max(self.max_field_plain()))
            .expect("invariant: exponents that fit one order fit another");
        let exps = layout.repack_from(&self.layout, &self.exps);
        MPoly::<R, O2>::zero(self.ring.clone(), self.nvars()).collect_terms(layout, exps, self.coeffs.clone())
    }

    /// The largest exponent or total degree present (what any layout must hold).
    fn max_field_plain(&self) -> u64 {
        self.total_degree().max(self.degrees().into_iter().max().unwrap_or(0))
    }

    /// The recursive view in `x_v`: `self = sum_e c_e x_v^e` with `c_e` polynomials (in the same
    /// `nvars` variables) not involving `x_v`.
    pub fn to_univariate(&self, v: usize) -> UPoly<PolyRing<R, O>> {
        let ring = PolyRing::new(self.ring.clone(), self.nvars());
        let parts = self.split_by_var(v);
        let coeffs =
            parts.into_iter().map(|p| p.unwrap_or_else(|| MPoly::zero(self.ring.clone(), self.nvars()))).collect();
        UPoly::from_coeffs(ring, coeffs)
    }

    /// The inverse of [`MPoly::to_univariate`]: `sum_e c_e x_v^e`.
    pub fn from_univariate(u: &UPoly<PolyRing<R, O>>, v: usize) -> Self {
        let pr = u.ring();
        let nvars = pr.nvars();
        let mut terms: Vec<(R::Elem, Vec<u64>)> = Vec::new();
        for (e, c) in u.coeffs().iter().enumerate() {
            for (coeff, mut exps) in c.terms().map(|(c, x)| (c.clone(), x)) {
                exps[v] += e as u64;
                terms.push((coeff, exps));
            }
        }
        MPoly::from_terms(pr.coeff_ring().clone(), nvars, terms)
            .expect("invariant: exponents of a polynomial's own terms fit")
    }

    /// The dense univariate polynomial in `x_v`, when no other variable occurs.
    pub fn to_upoly(&self, v: usize) -> Result<UPoly<R>, PolyError> {
        let d = self.degree(v);
        let d = usize::try_from(d)
            .map_err(|_| PolyError::Unsupported { op: "to_upoly", why: "degree too large for a dense polynomial" })?;
        let mut c = vec![self.ring.zero(); d + 1];
        for i in 0..self.len() {
            let e = self.exponents(i);
            if e.iter().enumerate().any(|(u, &x)| u != v && x != 0) {
                return Err(PolyError::Unsupported { op: "to_upoly", why: "another variable occurs" });
            }
            c[e[v] as usize] = self.coeffs[i].clone();
        }
        Ok(UPoly::from_coeffs(self.ring.clone(), c))
    }

    /// The polynomial `sum_i u_i x_v^i` in `nvars` variables.
    pub fn from_upoly(u: &UPoly<R>, nvars: usize, v: usize) -> Self {
        assert!(v < nvars, "variable {v} out of range");
        let terms = u.coeffs().iter().enumerate().map(|(i, c)| {
            let mut e = vec![0u64; nvars];
            e[v] = i as u64;
            (c.clone(), e)
        });
        MPoly::from_terms(u.ring().clone(), nvars, terms).expect("invariant: dense degrees fit")
    }
}

impl<R: GcdDomain, O: MonomialOrder> MPoly<R, O> {
    /// The gcd of the coefficients (normalised; zero for zero).
    pub fn content(&self) -> R::Elem {
        let ring = &self.ring;
        let mut g = ring.zero();
        for c in &self.coeffs {
            g = ring.gcd(&g, c);
            if ring.is_one(&g) {
                break;
            }
        }
        g
    }

    /// `(c, p)` with `self = c p`, `p` primitive with normalised leading coefficient.
    pub fn content_primitive(&self) -> (R::Elem, Self) {
        let ring = &self.ring;
        if self.is_zero() {
            return (ring.zero(), self.clone());
        }
        let c = ring.mul(&self.content(), &ring.unit_part(&self.coeffs[0]));
        let p = self.div_scalar(&c).expect("invariant: the content divides every coefficient");
        (c, p)
    }

    /// The primitive part with normalised leading coefficient.
    pub fn primitive_part(&self) -> Self {
        self.content_primitive().1
    }

    /// This polynomial divided by the unit part of its leading coefficient.
    pub fn normalize(&self) -> Self {
        if self.is_zero() {
            return self.clone();
        }
        let u = self.ring.unit_part(&self.coeffs[0]);
        self.div_scalar(&u).expect("invariant: units divide")
    }
}

/// Terms as (coefficient, exponent vector) pairs.
type Terms<R> = Vec<(<R as Ring>::Elem, Vec<u64>)>;

impl<R: Ring, O: MonomialOrder> MPoly<PolyRing<R, O>, O> {
    /// The flat polynomial in `n + m` variables: the outer variables `x_0..x_{n-1}` first, then
    /// the coefficient ring's `m` variables.
    pub fn flatten(&self) -> MPoly<R, O> {
        let inner = self.ring().clone();
        let (n, m) = (self.nvars(), inner.nvars());
        let mut terms: Vec<(R::Elem, Vec<u64>)> = Vec::new();
        for (c, outer) in self.terms() {
            for (ci, ei) in c.terms() {
                let mut e = outer.clone();
                e.extend_from_slice(&ei);
                terms.push((ci.clone(), e));
            }
        }
        MPoly::from_terms(inner.coeff_ring().clone(), n + m, terms).expect("invariant: exponents that fit still fit")
    }
}

impl<R: Ring, O: MonomialOrder> MPoly<R, O> {
    /// The inverse of [`MPoly::flatten`]: the first `outer` variables stay variables, the others
    /// move into the coefficients (a polynomial ring in `nvars - outer` variables).
    ///
    /// # Panics
    ///
    /// Panics when `outer > nvars`.
    pub fn unflatten(&self, outer: usize) -> MPoly<PolyRing<R, O>, O> {
        let n = self.nvars();
        assert!(outer <= n, "more outer variables than variables");
        let inner_ring = PolyRing::<R, O>::new(self.ring.clone(), n - outer);
        let mut groups: std::collections::HashMap<Vec<u64>, Terms<R>> = std::collections::HashMap::new();
        for (c, e) in self.terms() {
            let (a, b) = e.split_at(outer);
            groups.entry(a.to_vec()).or_default().push((c.clone(), b.to_vec()));
        }
        let terms = groups.into_iter().map(|(outer_exps, inner_terms)| {
            let coeff = MPoly::from_terms(self.ring.clone(), n - outer, inner_terms)
                .expect("invariant: exponents that fit still fit");
            (coeff, outer_exps)
        });
        MPoly::from_terms(inner_ring, outer, terms).expect("invariant: exponents that fit still fit")
    }
}
