//! The field of rational numbers `Q`, with `rug::Rational` elements.

use super::{Field, GcdDomain, Int, RealEmbedding, Ring};
use rug::{Float, Integer, Rational};

/// The field of rational numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RationalField;

/// The field of rational numbers (a constant for convenience).
pub const Q: RationalField = RationalField;

impl RationalField {
    /// The rational with numerator and denominator given as [`Int`]s (`den` nonzero).
    ///
    /// # Panics
    ///
    /// Panics when `den` is zero.
    pub fn from_ints(num: &Int, den: &Int) -> Rational {
        Rational::from((num.to_integer(), den.to_integer()))
    }
}

impl Ring for RationalField {
    type Elem = Rational;
    type Acc = Rational;

    fn zero(&self) -> Rational {
        Rational::new()
    }
    fn one(&self) -> Rational {
        Rational::from(1)
    }
    fn from_i64(&self, n: i64) -> Rational {
        Rational::from(n)
    }
    fn from_integer(&self, n: &Integer) -> Rational {
        Rational::from(n)
    }
    fn is_zero(&self, a: &Rational) -> bool {
        a.is_zero()
    }
    fn is_one(&self, a: &Rational) -> bool {
        *a == 1
    }
    fn add(&self, a: &Rational, b: &Rational) -> Rational {
        Rational::from(a + b)
    }
    fn sub(&self, a: &Rational, b: &Rational) -> Rational {
        Rational::from(a - b)
    }
    fn mul(&self, a: &Rational, b: &Rational) -> Rational {
        Rational::from(a * b)
    }
    fn neg(&self, a: &Rational) -> Rational {
        Rational::from(-a)
    }
    fn add_assign(&self, a: &mut Rational, b: &Rational) {
        *a += b;
    }
    fn sub_assign(&self, a: &mut Rational, b: &Rational) {
        *a -= b;
    }
    fn mul_assign(&self, a: &mut Rational, b: &Rational) {
        *a *= b;
    }
    fn neg_assign(&self, a: &mut Rational) {
        let v = std::mem::take(a);
        *a = -v;
    }
    fn try_div(&self, a: &Rational, b: &Rational) -> Option<Rational> {
        if b.is_zero() { None } else { Some(Rational::from(a / b)) }
    }
    fn pow(&self, a: &Rational, e: u64) -> Rational {
        use rug::ops::Pow;
        match u32::try_from(e) {
            Ok(e) => Rational::from(a.pow(e)),
            Err(_) => {
                if a.is_zero() || *a == 1 {
                    a.clone()
                } else if *a == -1 {
                    if e.is_multiple_of(2) { Rational::from(1) } else { Rational::from(-1) }
                } else {
                    panic!("rational power with exponent {e} does not fit in memory")
                }
            }
        }
    }
    fn characteristic(&self) -> u64 {
        0
    }
    fn size_bits(&self, a: &Rational) -> u64 {
        u64::from(a.numer().significant_bits()) + u64::from(a.denom().significant_bits())
    }
    fn is_unit(&self, a: &Rational) -> bool {
        !a.is_zero()
    }
    fn acc_zero(&self) -> Rational {
        Rational::new()
    }
    fn acc_add_mul(&self, acc: &mut Rational, a: &Rational, b: &Rational) {
        *acc += Rational::from(a * b);
    }
    fn acc_sub_mul(&self, acc: &mut Rational, a: &Rational, b: &Rational) {
        *acc -= Rational::from(a * b);
    }
    fn acc_add(&self, acc: &mut Rational, a: &Rational) {
        *acc += a;
    }
    fn acc_take(&self, acc: &mut Rational) -> Rational {
        std::mem::take(acc)
    }
    fn as_integer_fractions(&self, elems: &[Rational]) -> Option<(Vec<Int>, Int)> {
        let mut d = Integer::from(1);
        for c in elems {
            if *c.denom() != 1 {
                d.lcm_mut(c.denom());
            }
        }
        let nums = elems
            .iter()
            .map(|c| if d == 1 { Int::from(c.numer()) } else { Int::from(c.numer() * Integer::from(&d / c.denom())) })
            .collect();
        Some((nums, Int::from(d)))
    }
    fn from_integer_fraction(&self, n: &Int, d: &Int) -> Rational {
        if d.is_one() { Rational::from(n.to_integer()) } else { Rational::from((n.to_integer(), d.to_integer())) }
    }
    fn is_negative(&self, a: &Rational) -> bool {
        a.cmp0() == std::cmp::Ordering::Less
    }
    fn needs_parens(&self, a: &Rational) -> bool {
        *a.denom() != 1
    }
}

impl Field for RationalField {
    fn inv(&self, a: &Rational) -> Option<Rational> {
        if a.is_zero() { None } else { Some(a.clone().recip()) }
    }
}

impl GcdDomain for RationalField {
    fn gcd(&self, a: &Rational, b: &Rational) -> Rational {
        if a.is_zero() && b.is_zero() { Rational::new() } else { Rational::from(1) }
    }
    fn unit_part(&self, a: &Rational) -> Rational {
        if a.is_zero() { Rational::from(1) } else { a.clone() }
    }
}

impl RealEmbedding for RationalField {
    fn to_f64(&self, a: &Rational) -> f64 {
        a.to_f64()
    }
    fn to_float(&self, a: &Rational, prec: u32) -> Float {
        Float::with_val(prec, a)
    }
}
