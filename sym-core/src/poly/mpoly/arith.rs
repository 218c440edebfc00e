//! Sums, negation, scaling and the arithmetic operators of [`MPoly`].
//!
//! A sum is a merge of two sorted term lists (linear time). Operands with different layouts are
//! first repacked into the wider one. The operators `+`, `-`, `*` and unary `-` work on
//! references and values; `*` calls [`MPoly::mul`], which can only fail when exponents exceed
//! `2^63` (then it panics: use [`MPoly::try_mul`] for a typed error and term limits).

use super::MPoly;
use crate::poly::monomial::{ExpKey, Layout, MonomialOrder, with_key};
use crate::poly::ring::Ring;
use crate::poly::{Limits, PolyError};
use std::ops::{Add, AddAssign, Mul, MulAssign, Neg, Sub, SubAssign};

impl<R: Ring, O: MonomialOrder> MPoly<R, O> {
    /// Panics unless `other` has the same number of variables and ring.
    #[inline]
    pub(crate) fn check_compatible(&self, other: &Self) {
        assert_eq!(self.nvars(), other.nvars(), "polynomials with different numbers of variables");
        assert!(self.ring == other.ring, "polynomials over different rings");
    }

    /// The common layout of two polynomials: the wider of the two.
    pub(crate) fn common_layout(&self, other: &Self) -> Layout {
        if self.layout.max_value() >= other.layout.max_value() { self.layout } else { other.layout }
    }

    /// `self + sign * other` by merging, with `sign` either `+1` or `-1`.
    fn add_signed(&self, other: &Self, negate: bool) -> Self {
        self.check_compatible(other);
        let layout = self.common_layout(other);
        let a = self.repacked_cow(layout);
        let b = other.repacked_cow(layout);
        with_key!(layout.words(), K => merge::<R, O, K>(&a, &b, negate))
    }

    /// This polynomial in `layout`, borrowed when it already is.
    pub(crate) fn repacked_cow(&self, layout: Layout) -> std::borrow::Cow<'_, Self> {
        if self.layout == layout {
            std::borrow::Cow::Borrowed(self)
        } else {
            std::borrow::Cow::Owned(self.repacked(layout))
        }
    }

    /// `-self`.
    pub fn neg(&self) -> Self {
        let mut p = self.clone();
        for c in &mut p.coeffs {
            p.ring.neg_assign(c);
        }
        p
    }

    /// `c * self`.
    pub fn scale(&self, c: &R::Elem) -> Self {
        if self.ring.is_zero(c) {
            return self.empty_like(self.layout, 0);
        }
        if self.ring.is_one(c) {
            return self.clone();
        }
        // Integral domain: products of nonzero elements are nonzero.
        let coeffs = self.coeffs.iter().map(|x| self.ring.mul(x, c)).collect();
        MPoly::from_parts(self.ring.clone(), self.layout, coeffs, self.exps.clone())
    }

    /// `self * c * x^exps`.
    pub fn mul_monomial(&self, c: &R::Elem, exps: &[u64]) -> Result<Self, PolyError> {
        let m = MPoly::monomial(self.ring.clone(), c.clone(), exps)?;
        self.try_mul(&m, &Limits::UNLIMITED)
    }

    /// `self / c` for a constant `c` dividing every coefficient, `None` otherwise.
    pub fn div_scalar(&self, c: &R::Elem) -> Option<Self> {
        let mut coeffs = Vec::with_capacity(self.len());
        for x in &self.coeffs {
            coeffs.push(self.ring.try_div(x, c)?);
        }
        Some(MPoly::from_parts(self.ring.clone(), self.layout, coeffs, self.exps.clone()))
    }

    /// `self + other`.
    pub fn add(&self, other: &Self) -> Self {
        self.add_signed(other, false)
    }

    /// `self - other`.
    pub fn sub(&self, other: &Self) -> Self {
        self.add_signed(other, true)
    }
}

/// Merges two sorted term lists in the same layout: `a + b` or `a - b`.
fn merge<R: Ring, O: MonomialOrder, K: ExpKey>(a: &MPoly<R, O>, b: &MPoly<R, O>, negate: bool) -> MPoly<R, O> {
    let ring = &a.ring;
    let mut out = a.empty_like(a.layout, a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let ka = K::load(a.mono(i));
        let kb = K::load(b.mono(j));
        match ka.cmp(&kb) {
            std::cmp::Ordering::Greater => {
                out.push_term(a.coeffs[i].clone(), a.mono(i));
                i += 1;
            }
            std::cmp::Ordering::Less => {
                let c = if negate { ring.neg(&b.coeffs[j]) } else { b.coeffs[j].clone() };
                out.push_term(c, b.mono(j));
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let c =
                    if negate { ring.sub(&a.coeffs[i], &b.coeffs[j]) } else { ring.add(&a.coeffs[i], &b.coeffs[j]) };
                if !ring.is_zero(&c) {
                    out.push_term(c, a.mono(i));
                }
                i += 1;
                j += 1;
            }
        }
    }
    while i < a.len() {
        out.push_term(a.coeffs[i].clone(), a.mono(i));
        i += 1;
    }
    while j < b.len() {
        let c = if negate { ring.neg(&b.coeffs[j]) } else { b.coeffs[j].clone() };
        out.push_term(c, b.mono(j));
        j += 1;
    }
    out
}

impl<R: Ring, O: MonomialOrder> Add<&MPoly<R, O>> for &MPoly<R, O> {
    type Output = MPoly<R, O>;
    fn add(self, rhs: &MPoly<R, O>) -> MPoly<R, O> {
        MPoly::add(self, rhs)
    }
}

impl<R: Ring, O: MonomialOrder> Add for MPoly<R, O> {
    type Output = MPoly<R, O>;
    fn add(self, rhs: MPoly<R, O>) -> MPoly<R, O> {
        MPoly::add(&self, &rhs)
    }
}

impl<R: Ring, O: MonomialOrder> Sub<&MPoly<R, O>> for &MPoly<R, O> {
    type Output = MPoly<R, O>;
    fn sub(self, rhs: &MPoly<R, O>) -> MPoly<R, O> {
        MPoly::sub(self, rhs)
    }
}

impl<R: Ring, O: MonomialOrder> Sub for MPoly<R, O> {
    type Output = MPoly<R, O>;
    fn sub(self, rhs: MPoly<R, O>) -> MPoly<R, O> {
        MPoly::sub(&self, &rhs)
    }
}

impl<R: Ring, O: MonomialOrder> Mul<&MPoly<R, O>> for &MPoly<R, O> {
    type Output = MPoly<R, O>;
    /// # Panics
    ///
    /// Panics when an exponent of the product exceeds `2^63 - 1`.
    fn mul(self, rhs: &MPoly<R, O>) -> MPoly<R, O> {
        MPoly::mul(self, rhs)
    }
}

impl<R: Ring, O: MonomialOrder> Mul for MPoly<R, O> {
    type Output = MPoly<R, O>;
    fn mul(self, rhs: MPoly<R, O>) -> MPoly<R, O> {
        MPoly::mul(&self, &rhs)
    }
}

impl<R: Ring, O: MonomialOrder> Neg for &MPoly<R, O> {
    type Output = MPoly<R, O>;
    fn neg(self) -> MPoly<R, O> {
        MPoly::neg(self)
    }
}

impl<R: Ring, O: MonomialOrder> Neg for MPoly<R, O> {
    type Output = MPoly<R, O>;
    fn neg(self) -> MPoly<R, O> {
        MPoly::neg(&self)
    }
}

impl<R: Ring, O: MonomialOrder> AddAssign<&MPoly<R, O>> for MPoly<R, O> {
    fn add_assign(&mut self, rhs: &MPoly<R, O>) {
        *self = MPoly::add(self, rhs);
    }
}

impl<R: Ring, O: MonomialOrder> SubAssign<&MPoly<R, O>> for MPoly<R, O> {
    fn sub_assign(&mut self, rhs: &MPoly<R, O>) {
        *self = MPoly::sub(self, rhs);
    }
}

impl<R: Ring, O: MonomialOrder> MulAssign<&MPoly<R, O>> for MPoly<R, O> {
    fn mul_assign(&mut self, rhs: &MPoly<R, O>) {
        *self = MPoly::mul(self, rhs);
    }
}
