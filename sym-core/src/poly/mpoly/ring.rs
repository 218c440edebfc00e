//! [`PolyRing`]: multivariate polynomials over a ring as a coefficient ring, so that `Q[a, b][x]`
//! (univariate in `x` with coefficients polynomial in parameters) and the recursive views used by
//! GCDs and resultants run the generic algorithms.

use super::MPoly;
use crate::poly::monomial::{Lex, MonomialOrder};
use crate::poly::ring::{GcdDomain, Ring};
use crate::poly::upoly::PolyGcd;
use std::marker::PhantomData;

/// The ring `R[x_0, ..., x_{n-1}]` with terms in the order `O`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PolyRing<R: Ring, O: MonomialOrder = Lex> {
    ring: R,
    nvars: usize,
    _order: PhantomData<O>,
}

impl<R: Ring, O: MonomialOrder> PolyRing<R, O> {
    /// The polynomial ring in `nvars` variables over `ring`.
    pub fn new(ring: R, nvars: usize) -> Self {
        PolyRing { ring, nvars, _order: PhantomData }
    }

    /// The coefficient ring.
    pub fn coeff_ring(&self) -> &R {
        &self.ring
    }

    /// The number of variables.
    pub fn nvars(&self) -> usize {
        self.nvars
    }

    /// The variable `x_v` as an element.
    pub fn var(&self, v: usize) -> MPoly<R, O> {
        MPoly::var(self.ring.clone(), self.nvars, v)
    }

    /// The constant `c` as an element.
    pub fn constant(&self, c: R::Elem) -> MPoly<R, O> {
        MPoly::constant(self.ring.clone(), self.nvars, c)
    }
}

impl<R: Ring, O: MonomialOrder> Ring for PolyRing<R, O> {
    type Elem = MPoly<R, O>;
    type Acc = MPoly<R, O>;

    fn zero(&self) -> MPoly<R, O> {
        MPoly::zero(self.ring.clone(), self.nvars)
    }
    fn one(&self) -> MPoly<R, O> {
        MPoly::one(self.ring.clone(), self.nvars)
    }
    fn from_i64(&self, n: i64) -> MPoly<R, O> {
        self.constant(self.ring.from_i64(n))
    }
    fn from_integer(&self, n: &rug::Integer) -> MPoly<R, O> {
        self.constant(self.ring.from_integer(n))
    }
    fn is_zero(&self, a: &MPoly<R, O>) -> bool {
        a.is_zero()
    }
    fn is_one(&self, a: &MPoly<R, O>) -> bool {
        a.is_one()
    }
    fn add(&self, a: &MPoly<R, O>, b: &MPoly<R, O>) -> MPoly<R, O> {
        a.add(b)
    }
    fn sub(&self, a: &MPoly<R, O>, b: &MPoly<R, O>) -> MPoly<R, O> {
        a.sub(b)
    }
    fn mul(&self, a: &MPoly<R, O>, b: &MPoly<R, O>) -> MPoly<R, O> {
        a.mul(b)
    }
    fn neg(&self, a: &MPoly<R, O>) -> MPoly<R, O> {
        a.neg()
    }
    fn try_div(&self, a: &MPoly<R, O>, b: &MPoly<R, O>) -> Option<MPoly<R, O>> {
        if b.is_constant() && !b.is_zero() {
            return a.div_scalar(&b.coeffs[0]);
        }
        a.div_exact(b).ok()
    }
    fn pow(&self, a: &MPoly<R, O>, e: u64) -> MPoly<R, O> {
        match a.pow(e, &crate::poly::Limits::UNLIMITED) {
            Ok(p) => p,
            Err(err) => panic!("polynomial power: {err}"),
        }
    }
    fn characteristic(&self) -> u64 {
        self.ring.characteristic()
    }
    fn size_bits(&self, a: &MPoly<R, O>) -> u64 {
        let per_term = 64 * a.nvars() as u64;
        a.coeffs().iter().map(|c| a.ring().size_bits(c) + per_term).sum::<u64>().max(1)
    }
    fn is_unit(&self, a: &MPoly<R, O>) -> bool {
        a.is_constant() && !a.is_zero() && self.ring.is_unit(&a.coeffs[0])
    }
    fn acc_zero(&self) -> MPoly<R, O> {
        self.zero()
    }
    fn acc_add_mul(&self, acc: &mut MPoly<R, O>, a: &MPoly<R, O>, b: &MPoly<R, O>) {
        *acc = acc.add(&a.mul(b));
    }
    fn acc_sub_mul(&self, acc: &mut MPoly<R, O>, a: &MPoly<R, O>, b: &MPoly<R, O>) {
        *acc = acc.sub(&a.mul(b));
    }
    fn acc_add(&self, acc: &mut MPoly<R, O>, a: &MPoly<R, O>) {
        *acc = acc.add(a);
    }
    fn acc_take(&self, acc: &mut MPoly<R, O>) -> MPoly<R, O> {
        std::mem::replace(acc, self.zero())
    }
    fn is_negative(&self, a: &MPoly<R, O>) -> bool {
        a.len() == 1 && self.ring.is_negative(&a.coeffs[0])
    }
    fn needs_parens(&self, a: &MPoly<R, O>) -> bool {
        a.len() > 1 || (a.len() == 1 && !a.is_constant() && self.ring.needs_parens(&a.coeffs[0]))
    }
}

impl<R: PolyGcd, O: MonomialOrder> GcdDomain for PolyRing<R, O> {
    fn gcd(&self, a: &MPoly<R, O>, b: &MPoly<R, O>) -> MPoly<R, O> {
        R::mpoly_gcd(a, b)
    }
    fn unit_part(&self, a: &MPoly<R, O>) -> MPoly<R, O> {
        if a.is_zero() {
            return self.one();
        }
        self.constant(self.ring.unit_part(&a.coeffs[0]))
    }
}

impl<R: PolyGcd, O: MonomialOrder> PolyGcd for PolyRing<R, O> {}
