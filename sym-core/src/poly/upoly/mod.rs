//! Dense univariate polynomials: [`UPoly`], coefficients `a_0, a_1, ..., a_n` of `x^0..x^n`.
//!
//! Invariant: the last coefficient (the leading one) is nonzero; the zero polynomial has no
//! coefficients. Products are schoolbook convolutions accumulated per output coefficient
//! (allocation-free for machine-size integers); Karatsuba's split takes over above
//! `KARATSUBA_CUTOFF` coefficients.
//!
//! The submodules hold the algorithms: `div` (division with remainder, pseudo-division, exact
//! division), `gcd` (Euclid, extended Euclid, subresultant and modular GCDs), `resultant`
//! (subresultant resultants and discriminants), `sqf` (Yun's square-free decomposition) and
//! `real` (evaluation, Taylor shifts, sign variations, Sturm sequences).

mod div;
mod gcd;
mod real;
mod resultant;
mod sqf;

pub(crate) use gcd::symmetric_mod;
pub use gcd::{PolyGcd, clear_denominators, subresultant_gcd};
pub use sqf::SquareFree;

use crate::poly::ring::Ring;
use crate::poly::{Limits, PolyError};
use std::fmt;
use std::ops::{Add, Mul, Neg, Sub};

/// Products of operands with more coefficients than this use Karatsuba's method.
const KARATSUBA_CUTOFF: usize = 48;

/// A dense univariate polynomial over the ring `R`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UPoly<R: Ring> {
    pub(crate) ring: R,
    pub(crate) coeffs: Vec<R::Elem>,
}

impl<R: Ring> UPoly<R> {
    /// The zero polynomial.
    pub fn zero(ring: R) -> Self {
        UPoly { ring, coeffs: Vec::new() }
    }

    /// The constant `c`.
    pub fn constant(ring: R, c: R::Elem) -> Self {
        Self::from_coeffs(ring, vec![c])
    }

    /// The constant one.
    pub fn one(ring: R) -> Self {
        let c = ring.one();
        Self::constant(ring, c)
    }

    /// The variable `x`.
    pub fn x(ring: R) -> Self {
        let c = vec![ring.zero(), ring.one()];
        Self::from_coeffs(ring, c)
    }

    /// `c * x^k`.
    pub fn monomial(ring: R, c: R::Elem, k: usize) -> Self {
        if ring.is_zero(&c) {
            return Self::zero(ring);
        }
        let mut v = vec![ring.zero(); k + 1];
        v[k] = c;
        UPoly { ring, coeffs: v }
    }

    /// The polynomial with coefficients `coeffs[i]` of `x^i` (trailing zeros are dropped).
    pub fn from_coeffs(ring: R, coeffs: Vec<R::Elem>) -> Self {
        let mut p = UPoly { ring, coeffs };
        p.trim();
        p
    }

    /// The polynomial with small integer coefficients `coeffs[i]` of `x^i`.
    pub fn from_i64s(ring: R, coeffs: &[i64]) -> Self {
        let c = coeffs.iter().map(|&v| ring.from_i64(v)).collect();
        Self::from_coeffs(ring, c)
    }

    /// Drops leading zero coefficients.
    pub(crate) fn trim(&mut self) {
        while let Some(c) = self.coeffs.last() {
            if self.ring.is_zero(c) {
                self.coeffs.pop();
            } else {
                break;
            }
        }
    }

    /// The coefficient ring.
    pub fn ring(&self) -> &R {
        &self.ring
    }

    /// The coefficients, lowest degree first.
    pub fn coeffs(&self) -> &[R::Elem] {
        &self.coeffs
    }

    /// The coefficients, lowest degree first, by value.
    pub fn into_coeffs(self) -> Vec<R::Elem> {
        self.coeffs
    }

    /// The coefficient of `x^i` (zero beyond the degree).
    pub fn coeff(&self, i: usize) -> R::Elem {
        self.coeffs.get(i).cloned().unwrap_or_else(|| self.ring.zero())
    }

    /// The degree, `None` for the zero polynomial.
    pub fn degree(&self) -> Option<usize> {
        self.coeffs.len().checked_sub(1)
    }

    /// The degree, with `-1` for the zero polynomial.
    pub fn deg(&self) -> isize {
        self.coeffs.len() as isize - 1
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.coeffs.is_empty()
    }

    /// Whether this is a constant (including zero).
    pub fn is_constant(&self) -> bool {
        self.coeffs.len() <= 1
    }

    /// Whether this is the constant one.
    pub fn is_one(&self) -> bool {
        self.coeffs.len() == 1 && self.ring.is_one(&self.coeffs[0])
    }

    /// The leading coefficient (zero for the zero polynomial).
    pub fn lc(&self) -> R::Elem {
        self.coeffs.last().cloned().unwrap_or_else(|| self.ring.zero())
    }

    /// Whether the leading coefficient is one.
    pub fn is_monic(&self) -> bool {
        self.coeffs.last().is_some_and(|c| self.ring.is_one(c))
    }

    /// `-self`.
    pub fn neg(&self) -> Self {
        UPoly { ring: self.ring.clone(), coeffs: self.coeffs.iter().map(|c| self.ring.neg(c)).collect() }
    }

    /// `self + other`.
    pub fn add(&self, other: &Self) -> Self {
        assert!(self.ring == other.ring, "polynomials over different rings");
        let (long, short) = if self.coeffs.len() >= other.coeffs.len() { (self, other) } else { (other, self) };
        let mut c = long.coeffs.clone();
        for (x, y) in c.iter_mut().zip(&short.coeffs) {
            self.ring.add_assign(x, y);
        }
        Self::from_coeffs(self.ring.clone(), c)
    }

    /// `self - other`.
    pub fn sub(&self, other: &Self) -> Self {
        assert!(self.ring == other.ring, "polynomials over different rings");
        let n = self.coeffs.len().max(other.coeffs.len());
        let mut c = self.coeffs.clone();
        c.resize(n, self.ring.zero());
        for (x, y) in c.iter_mut().zip(&other.coeffs) {
            self.ring.sub_assign(x, y);
        }
        Self::from_coeffs(self.ring.clone(), c)
    }

    /// `c * self`.
    pub fn scale(&self, c: &R::Elem) -> Self {
        if self.ring.is_zero(c) {
            return Self::zero(self.ring.clone());
        }
        UPoly { ring: self.ring.clone(), coeffs: self.coeffs.iter().map(|x| self.ring.mul(x, c)).collect() }
    }

    /// `self / c` when `c` divides every coefficient, `None` otherwise.
    pub fn div_scalar(&self, c: &R::Elem) -> Option<Self> {
        let mut v = Vec::with_capacity(self.coeffs.len());
        for x in &self.coeffs {
            v.push(self.ring.try_div(x, c)?);
        }
        Some(UPoly { ring: self.ring.clone(), coeffs: v })
    }

    /// `self * x^k`.
    pub fn shift_up(&self, k: usize) -> Self {
        if self.is_zero() {
            return self.clone();
        }
        let mut c = vec![self.ring.zero(); k];
        c.extend(self.coeffs.iter().cloned());
        UPoly { ring: self.ring.clone(), coeffs: c }
    }

    /// `self * other`.
    pub fn mul(&self, other: &Self) -> Self {
        assert!(self.ring == other.ring, "polynomials over different rings");
        if self.is_zero() || other.is_zero() {
            return Self::zero(self.ring.clone());
        }
        let c = mul_slices(&self.ring, &self.coeffs, &other.coeffs);
        Self::from_coeffs(self.ring.clone(), c)
    }

    /// `self^k`, with the degree checked against `limits`.
    pub fn pow(&self, k: u64, limits: &Limits) -> Result<Self, PolyError> {
        if k == 0 {
            return Ok(Self::one(self.ring.clone()));
        }
        let d = self.degree().unwrap_or(0) as u64;
        let needed = d.saturating_mul(k);
        limits.check_degree("power", needed)?;
        limits.check_terms("power", needed.saturating_add(1))?;
        let mut result = Self::one(self.ring.clone());
        let mut base = self.clone();
        let mut e = k;
        while e > 0 {
            if e & 1 == 1 {
                result = result.mul(&base);
            }
            e >>= 1;
            if e > 0 {
                base = base.mul(&base);
            }
        }
        Ok(result)
    }

    /// The derivative.
    pub fn derivative(&self) -> Self {
        let c = self
            .coeffs
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, a)| self.ring.mul(a, &self.ring.from_u64(i as u64)))
            .collect();
        Self::from_coeffs(self.ring.clone(), c)
    }

    /// The value at `x` (Horner's rule).
    pub fn eval(&self, x: &R::Elem) -> R::Elem {
        let mut acc = self.ring.zero();
        for c in self.coeffs.iter().rev() {
            self.ring.mul_assign(&mut acc, x);
            self.ring.add_assign(&mut acc, c);
        }
        acc
    }

    /// The composition `self(g)` (Horner's rule over polynomials).
    pub fn compose(&self, g: &Self) -> Self {
        let mut acc = Self::zero(self.ring.clone());
        for c in self.coeffs.iter().rev() {
            acc = acc.mul(g).add(&Self::constant(self.ring.clone(), c.clone()));
        }
        acc
    }

    /// The reversal `x^n self(1/x)` for `n = deg self`.
    pub fn reverse(&self) -> Self {
        let mut c = self.coeffs.clone();
        c.reverse();
        Self::from_coeffs(self.ring.clone(), c)
    }

    /// Applies `f` to every coefficient, landing in `ring`.
    pub fn map_coeffs<S: Ring>(&self, ring: S, f: impl FnMut(&R::Elem) -> S::Elem) -> UPoly<S> {
        let c = self.coeffs.iter().map(f).collect();
        UPoly::from_coeffs(ring, c)
    }

    /// A displayable view with variable name `x`.
    pub fn display_with<'a>(&'a self, x: &'a str) -> UDisplay<'a, R> {
        UDisplay { poly: self, var: x }
    }
}

/// Schoolbook or Karatsuba product of two nonempty coefficient slices.
pub(crate) fn mul_slices<R: Ring>(ring: &R, a: &[R::Elem], b: &[R::Elem]) -> Vec<R::Elem> {
    if a.len().min(b.len()) >= KARATSUBA_CUTOFF {
        return karatsuba(ring, a, b);
    }
    let n = a.len() + b.len() - 1;
    let mut out = Vec::with_capacity(n);
    let mut acc = ring.acc_zero();
    for k in 0..n {
        let lo = k.saturating_sub(b.len() - 1);
        let hi = k.min(a.len() - 1);
        for i in lo..=hi {
            ring.acc_add_mul(&mut acc, &a[i], &b[k - i]);
        }
        out.push(ring.acc_take(&mut acc));
    }
    out
}

/// Karatsuba's product: with `a = a0 + x^h a1`, `b = b0 + x^h b1`,
/// `ab = a0 b0 + x^h ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) + x^2h a1 b1`.
fn karatsuba<R: Ring>(ring: &R, a: &[R::Elem], b: &[R::Elem]) -> Vec<R::Elem> {
    let n = a.len() + b.len() - 1;
    let h = a.len().max(b.len()) / 2;
    if a.len() <= h || b.len() <= h {
        // Unbalanced: split the longer operand into chunks of the shorter's length.
        let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
        let mut out = vec![ring.zero(); n];
        for (ci, chunk) in long.chunks(short.len()).enumerate() {
            let p = mul_slices(ring, chunk, short);
            for (k, v) in p.iter().enumerate() {
                ring.add_assign(&mut out[ci * short.len() + k], v);
            }
        }
        return out;
    }
    let (a0, a1) = a.split_at(h);
    let (b0, b1) = b.split_at(h);
    let z0 = mul_slices(ring, a0, b0);
    let z2 = mul_slices(ring, a1, b1);
    let sum = |x: &[R::Elem], y: &[R::Elem]| -> Vec<R::Elem> {
        let m = x.len().max(y.len());
        (0..m)
            .map(|i| match (x.get(i), y.get(i)) {
                (Some(p), Some(q)) => ring.add(p, q),
                (Some(p), None) | (None, Some(p)) => p.clone(),
                (None, None) => ring.zero(),
            })
            .collect()
    };
    let sa = sum(a0, a1);
    let sb = sum(b0, b1);
    let mut z1 = mul_slices(ring, &sa, &sb);
    for (i, v) in z0.iter().enumerate() {
        ring.sub_assign(&mut z1[i], v);
    }
    for (i, v) in z2.iter().enumerate() {
        ring.sub_assign(&mut z1[i], v);
    }
    let mut out = vec![ring.zero(); n];
    for (i, v) in z0.into_iter().enumerate() {
        out[i] = v;
    }
    for (i, v) in z2.into_iter().enumerate() {
        ring.add_assign(&mut out[2 * h + i], &v);
    }
    for (i, v) in z1.iter().enumerate() {
        if i + h < n {
            ring.add_assign(&mut out[i + h], v);
        }
    }
    out
}

/// A univariate polynomial printed with a chosen variable name.
pub struct UDisplay<'a, R: Ring> {
    poly: &'a UPoly<R>,
    var: &'a str,
}

impl<R: Ring> fmt::Display for UDisplay<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.poly;
        if p.is_zero() {
            return f.write_str("0");
        }
        let mut first = true;
        for (i, c) in p.coeffs.iter().enumerate().rev() {
            if p.ring.is_zero(c) {
                continue;
            }
            let neg = p.ring.is_negative(c);
            let a = if neg { p.ring.neg(c) } else { c.clone() };
            if first {
                if neg {
                    f.write_str("-")?;
                }
            } else {
                f.write_str(if neg { " - " } else { " + " })?;
            }
            first = false;
            if i == 0 {
                write!(f, "{a}")?;
                continue;
            }
            if !p.ring.is_one(&a) {
                if p.ring.needs_parens(&a) {
                    write!(f, "({a})*")?;
                } else {
                    write!(f, "{a}*")?;
                }
            }
            f.write_str(self.var)?;
            if i > 1 {
                write!(f, "^{i}")?;
            }
        }
        Ok(())
    }
}

impl<R: Ring> fmt::Display for UPoly<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.display_with("x"), f)
    }
}

impl<R: Ring> fmt::Debug for UPoly<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UPoly({self})")
    }
}

impl<R: Ring> Add<&UPoly<R>> for &UPoly<R> {
    type Output = UPoly<R>;
    fn add(self, rhs: &UPoly<R>) -> UPoly<R> {
        UPoly::add(self, rhs)
    }
}

impl<R: Ring> Sub<&UPoly<R>> for &UPoly<R> {
    type Output = UPoly<R>;
    fn sub(self, rhs: &UPoly<R>) -> UPoly<R> {
        UPoly::sub(self, rhs)
    }
}

impl<R: Ring> Mul<&UPoly<R>> for &UPoly<R> {
    type Output = UPoly<R>;
    fn mul(self, rhs: &UPoly<R>) -> UPoly<R> {
        UPoly::mul(self, rhs)
    }
}

impl<R: Ring> Neg for &UPoly<R> {
    type Output = UPoly<R>;
    fn neg(self) -> UPoly<R> {
        UPoly::neg(self)
    }
}
