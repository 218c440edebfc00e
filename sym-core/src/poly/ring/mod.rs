//! Coefficient rings: the [`Ring`] trait that every polynomial algorithm is written against,
//! and its instances.
//!
//! A ring is a *value* (it may carry data, such as the modulus of `Z/p` or the number of
//! variables of a polynomial ring) and its elements are plain data that do not know their ring:
//! `R::add(&r, &a, &b)`. This is the design of Symbolica and FLINT's contexts; it lets one
//! algorithm serve `Z`, `Q`, `Z/p` and `Q[a, b]` alike.
//!
//! Instances:
//!
//! * [`IntegerRing`] (`Z`), elements [`Int`]: an `i64` fast path with GMP fallback, and an `i128`
//!   accumulator for sums of products, so machine-size coefficients never allocate;
//! * [`RationalField`] (`Q`), elements `rug::Rational`;
//! * [`Zp`] (`Z/p` for primes `p < 2^63`), elements `u64` in `[0, p)`, multiplication reduced with
//!   a precomputed reciprocal (Möller and Granlund, "Improved division by invariant integers",
//!   IEEE Trans. Computers 60, 2011);
//! * [`PolyRing`](crate::poly::PolyRing): sparse multivariate polynomials over any ring.
//!
//! Laws every instance satisfies (checked by property tests): `(R, add, zero)` is an abelian group,
//! `mul` is associative and commutative with unit `one` and distributes over `add`, `neg` is the
//! additive inverse, and `try_div(a, b) == Some(q)` exactly when `b != 0` and `a == q * b`
//! (the rings here are integral domains, so `q` is unique).

mod int;
mod integer;
mod modular;
mod rational;

pub use int::{Int, IntAcc};
pub use integer::{IntegerRing, Z};
pub use modular::Zp;
pub use rational::{Q, RationalField};

use rug::{Float, Integer};
use std::fmt::{Debug, Display};
use std::hash::Hash;

/// A commutative ring with unit that is an integral domain, with exact division where it applies.
///
/// Elements are passed by reference and never carry their ring. Every method has the
/// mathematical meaning its name says; the `*_assign` and accumulator methods exist so that hot
/// loops can avoid temporaries (the defaults are correct but allocate).
// `from_*` methods take `&self` on purpose: constructing an element needs the ring's data (the
// modulus of `Z/p`, the variables of a polynomial ring).
#[allow(clippy::wrong_self_convention)]
pub trait Ring: Clone + PartialEq + Eq + Debug + Send + Sync + 'static {
    /// The element type.
    type Elem: Clone + PartialEq + Eq + Hash + Debug + Display + Send + Sync + 'static;
    /// An accumulator for sums of products (`sum a_i * b_i`), see [`Ring::acc_add_mul`].
    type Acc: Send;

    /// The additive identity.
    fn zero(&self) -> Self::Elem;
    /// The multiplicative identity.
    fn one(&self) -> Self::Elem;
    /// The image of a machine integer.
    fn from_i64(&self, n: i64) -> Self::Elem;
    /// The image of an integer.
    fn from_integer(&self, n: &Integer) -> Self::Elem;
    /// The image of an unsigned machine integer.
    fn from_u64(&self, n: u64) -> Self::Elem {
        match i64::try_from(n) {
            Ok(v) => self.from_i64(v),
            Err(_) => self.from_integer(&Integer::from(n)),
        }
    }
    /// `a * n` for a machine integer `n` (derivatives multiply by exponents).
    fn mul_u64(&self, a: &Self::Elem, n: u64) -> Self::Elem {
        self.mul(a, &self.from_u64(n))
    }
    /// Whether `a` is zero.
    fn is_zero(&self, a: &Self::Elem) -> bool;
    /// Whether `a` is one.
    fn is_one(&self, a: &Self::Elem) -> bool;
    /// `a + b`.
    fn add(&self, a: &Self::Elem, b: &Self::Elem) -> Self::Elem;
    /// `a - b`.
    fn sub(&self, a: &Self::Elem, b: &Self::Elem) -> Self::Elem;
    /// `a * b`.
    fn mul(&self, a: &Self::Elem, b: &Self::Elem) -> Self::Elem;
    /// `-a`.
    fn neg(&self, a: &Self::Elem) -> Self::Elem;
    /// `a += b`.
    fn add_assign(&self, a: &mut Self::Elem, b: &Self::Elem) {
        *a = self.add(a, b);
    }
    /// `a -= b`.
    fn sub_assign(&self, a: &mut Self::Elem, b: &Self::Elem) {
        *a = self.sub(a, b);
    }
    /// `a *= b`.
    fn mul_assign(&self, a: &mut Self::Elem, b: &Self::Elem) {
        *a = self.mul(a, b);
    }
    /// `a = -a`.
    fn neg_assign(&self, a: &mut Self::Elem) {
        *a = self.neg(a);
    }
    /// `a += b * c`.
    fn add_mul_assign(&self, a: &mut Self::Elem, b: &Self::Elem, c: &Self::Elem) {
        let p = self.mul(b, c);
        self.add_assign(a, &p);
    }
    /// `a -= b * c`.
    fn sub_mul_assign(&self, a: &mut Self::Elem, b: &Self::Elem, c: &Self::Elem) {
        let p = self.mul(b, c);
        self.sub_assign(a, &p);
    }
    /// The exact quotient `a / b`: `Some(q)` with `q * b == a`, or `None` when `b` is zero or
    /// does not divide `a`.
    fn try_div(&self, a: &Self::Elem, b: &Self::Elem) -> Option<Self::Elem>;
    /// `a^e` by repeated squaring.
    fn pow(&self, a: &Self::Elem, mut e: u64) -> Self::Elem {
        let mut result = self.one();
        let mut base = a.clone();
        while e > 0 {
            if e & 1 == 1 {
                self.mul_assign(&mut result, &base);
            }
            e >>= 1;
            if e > 0 {
                base = self.mul(&base, &base);
            }
        }
        result
    }
    /// An upper bound on the bits needed to store `a` (used to refuse results that would exhaust
    /// memory before computing them); one machine word by default.
    fn size_bits(&self, a: &Self::Elem) -> u64 {
        let _ = a;
        64
    }
    /// The characteristic: `0` for `Z`, `Q` and polynomial rings over them, `p` for `Z/p`.
    fn characteristic(&self) -> u64;
    /// Whether `a` is a unit (invertible).
    fn is_unit(&self, a: &Self::Elem) -> bool;

    /// A zero accumulator.
    fn acc_zero(&self) -> Self::Acc;
    /// `acc += a * b`.
    fn acc_add_mul(&self, acc: &mut Self::Acc, a: &Self::Elem, b: &Self::Elem);
    /// `acc -= a * b`.
    fn acc_sub_mul(&self, acc: &mut Self::Acc, a: &Self::Elem, b: &Self::Elem);
    /// `acc += a`.
    fn acc_add(&self, acc: &mut Self::Acc, a: &Self::Elem);
    /// The accumulated value; resets `acc` to zero.
    fn acc_take(&self, acc: &mut Self::Acc) -> Self::Elem;

    /// For rings of fractions of integers (`Q`): integers `n_i` and a positive common
    /// denominator `d` with `elems[i] = n_i / d`, so that polynomial products and powers can run
    /// over `Z`. `None` (the default) for other rings.
    fn as_integer_fractions(&self, _elems: &[Self::Elem]) -> Option<(Vec<Int>, Int)> {
        None
    }
    /// The element `n / d` (`d` nonzero); used with [`Ring::as_integer_fractions`].
    fn from_integer_fraction(&self, n: &Int, d: &Int) -> Self::Elem {
        self.try_div(&self.from_integer(&n.to_integer()), &self.from_integer(&d.to_integer()))
            .expect("from_integer_fraction needs d to divide n in this ring")
    }
    /// Whether `a` prints with a leading minus sign (so that sums print `x - 1`, not `x + -1`).
    fn is_negative(&self, _a: &Self::Elem) -> bool {
        false
    }
    /// Whether `a` needs parentheses when printed as a factor of a product.
    fn needs_parens(&self, _a: &Self::Elem) -> bool {
        false
    }
}

/// A field: every nonzero element has an inverse.
pub trait Field: Ring {
    /// The inverse of `a`, or `None` when `a` is zero.
    fn inv(&self, a: &Self::Elem) -> Option<Self::Elem>;
}

/// An integral domain with greatest common divisors and a normal form up to units.
///
/// `gcd(a, b)` is normalised (see [`GcdDomain::normalize`]): for `Z` it is non-negative, for a field it is
/// `0` or `1`, for polynomials its leading coefficient is normalised.
pub trait GcdDomain: Ring {
    /// A greatest common divisor of `a` and `b`, normalised.
    fn gcd(&self, a: &Self::Elem, b: &Self::Elem) -> Self::Elem;
    /// The unit `u` such that `a / u` is normalised (`u = 1` for zero).
    fn unit_part(&self, a: &Self::Elem) -> Self::Elem;
    /// `a` divided by its unit part.
    fn normalize(&self, a: &Self::Elem) -> Self::Elem {
        let u = self.unit_part(a);
        self.try_div(a, &u).expect("invariant: dividing by a unit is exact")
    }
}

/// Rings whose elements have a real value: conversion to `f64` and to MPFR floats.
pub trait RealEmbedding: Ring {
    /// The nearest `f64` (infinite when out of range).
    fn to_f64(&self, a: &Self::Elem) -> f64;
    /// The value rounded to a float of `prec` bits.
    fn to_float(&self, a: &Self::Elem, prec: u32) -> Float;
}
