//! The ring of integers `Z`, with [`Int`] elements.

use super::{GcdDomain, Int, IntAcc, RealEmbedding, Ring};
use rug::{Float, Integer};

/// The ring of integers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct IntegerRing;

/// The ring of integers (a constant for convenience).
pub const Z: IntegerRing = IntegerRing;

impl Ring for IntegerRing {
    type Elem = Int;
    type Acc = IntAcc;

    #[inline]
    fn zero(&self) -> Int {
        Int::ZERO
    }
    #[inline]
    fn one(&self) -> Int {
        Int::ONE
    }
    fn from_i64(&self, n: i64) -> Int {
        Int::from(n)
    }
    fn from_integer(&self, n: &Integer) -> Int {
        Int::from(n)
    }
    #[inline]
    fn mul_u64(&self, a: &Int, n: u64) -> Int {
        if let (Some(x), Ok(k)) = (a.as_i64(), i64::try_from(n))
            && let Some(p) = x.checked_mul(k)
        {
            return Int::from(p);
        }
        a * &Int::from(n)
    }
    #[inline]
    fn is_zero(&self, a: &Int) -> bool {
        a.is_zero()
    }
    #[inline]
    fn is_one(&self, a: &Int) -> bool {
        a.is_one()
    }
    #[inline]
    fn add(&self, a: &Int, b: &Int) -> Int {
        a + b
    }
    #[inline]
    fn sub(&self, a: &Int, b: &Int) -> Int {
        a - b
    }
    #[inline]
    fn mul(&self, a: &Int, b: &Int) -> Int {
        a * b
    }
    #[inline]
    fn neg(&self, a: &Int) -> Int {
        -a
    }
    #[inline]
    fn add_mul_assign(&self, a: &mut Int, b: &Int, c: &Int) {
        a.add_mul(b, c);
    }
    #[inline]
    fn sub_mul_assign(&self, a: &mut Int, b: &Int, c: &Int) {
        a.sub_mul(b, c);
    }
    fn try_div(&self, a: &Int, b: &Int) -> Option<Int> {
        a.checked_div_exact(b)
    }
    fn pow(&self, a: &Int, e: u64) -> Int {
        match u32::try_from(e) {
            Ok(e) => a.pow(e),
            // Only 0, 1 and -1 have powers this large that fit in memory.
            Err(_) => {
                if a.is_zero() || a.is_one() {
                    a.clone()
                } else if *a == Int::MINUS_ONE {
                    if e.is_multiple_of(2) { Int::ONE } else { Int::MINUS_ONE }
                } else {
                    panic!("integer power with exponent {e} does not fit in memory")
                }
            }
        }
    }
    fn characteristic(&self) -> u64 {
        0
    }
    fn size_bits(&self, a: &Int) -> u64 {
        u64::from(a.bits()).max(1)
    }
    fn is_unit(&self, a: &Int) -> bool {
        a.is_one() || *a == Int::MINUS_ONE
    }
    #[inline]
    fn acc_zero(&self) -> IntAcc {
        IntAcc::new()
    }
    #[inline]
    fn acc_add_mul(&self, acc: &mut IntAcc, a: &Int, b: &Int) {
        acc.add_mul(a, b);
    }
    #[inline]
    fn acc_sub_mul(&self, acc: &mut IntAcc, a: &Int, b: &Int) {
        acc.sub_mul(a, b);
    }
    #[inline]
    fn acc_add(&self, acc: &mut IntAcc, a: &Int) {
        acc.add(a);
    }
    #[inline]
    fn acc_take(&self, acc: &mut IntAcc) -> Int {
        acc.take()
    }
    fn is_negative(&self, a: &Int) -> bool {
        a.is_negative()
    }
}

impl GcdDomain for IntegerRing {
    fn gcd(&self, a: &Int, b: &Int) -> Int {
        a.gcd(b)
    }
    fn unit_part(&self, a: &Int) -> Int {
        if a.is_negative() { Int::MINUS_ONE } else { Int::ONE }
    }
    fn normalize(&self, a: &Int) -> Int {
        a.abs()
    }
}

impl RealEmbedding for IntegerRing {
    fn to_f64(&self, a: &Int) -> f64 {
        a.to_f64()
    }
    fn to_float(&self, a: &Int, prec: u32) -> Float {
        a.to_float(prec)
    }
}
