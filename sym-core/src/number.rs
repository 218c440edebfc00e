//! Numbers: exact integers (with a machine-word fast path), exact rationals and MPFR floats.
//!
//! A [`Number`] is always in its canonical variant:
//!
//! * `Small(i64)` for every integer that fits a machine word;
//! * `Big(Integer)` only for integers that do not fit (so equal integers have one representation);
//! * `Rational(Ratio)` only for non-integral rationals (denominator greater than one), with
//!   numerator and denominator in machine words when both fit (see [`Ratio`]);
//! * `Float(Float)` for finite MPFR floats, which carry their precision in bits.
//!
//! Exact arithmetic never overflows: machine-word operations are checked and move to GMP on
//! overflow. Mixing a float with an exact number yields a float at the float's precision; two
//! floats combine at the larger precision (the usual "precision of the least precise operand" rule
//! would silently lose digits a user asked for, so we keep the larger one, as MPFR users expect).
//! Operations that would produce a non-finite float return `None`.

mod ratio;

pub use ratio::Ratio;
use rug::ops::Pow;
use rug::{Float, Integer, Rational};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// The precision, in bits, of a float literal such as `0.5` (an IEEE double, as in SymPy).
pub const DEFAULT_FLOAT_PREC: u32 = 53;

/// An exact integer or rational, or a finite arbitrary-precision float.
#[derive(Clone, Debug)]
pub enum Number {
    /// An integer that fits in an `i64`.
    Small(i64),
    /// An integer that does not fit in an `i64`.
    Big(Integer),
    /// A rational with denominator greater than one, in lowest terms.
    Rational(Ratio),
    /// A finite MPFR float; its precision is part of its identity.
    Float(Float),
}

impl Number {
    /// The integer `n`.
    pub const fn int(n: i64) -> Number {
        Number::Small(n)
    }

    /// Zero.
    pub const ZERO: Number = Number::Small(0);
    /// One.
    pub const ONE: Number = Number::Small(1);
    /// Minus one.
    pub const MINUS_ONE: Number = Number::Small(-1);

    /// An integer in canonical form.
    pub fn from_integer(n: Integer) -> Number {
        match n.to_i64() {
            Some(v) => Number::Small(v),
            None => Number::Big(n),
        }
    }

    /// A rational in canonical form (integral rationals become integers).
    pub fn from_rational(r: Rational) -> Number {
        if *r.denom() == 1 {
            Number::from_integer(r.into_numer_denom().0)
        } else {
            Number::Rational(Ratio::from_rational(r))
        }
    }

    /// The rational `p/q`, or `None` when `q` is zero.
    pub fn rational(p: i64, q: i64) -> Option<Number> {
        if q == 0 {
            return None;
        }
        if let Some(n) = from_wide_parts(if q < 0 { -(p as i128) } else { p as i128 }, (q as i128).abs()) {
            return Some(n);
        }
        Some(Number::from_rational(Rational::from((p, q))))
    }

    /// A float, or `None` when it is NaN or infinite.
    pub fn from_float(f: Float) -> Option<Number> {
        f.is_finite().then_some(Number::Float(f))
    }

    /// A 53-bit float from an `f64`, or `None` when it is not finite.
    pub fn from_f64(x: f64) -> Option<Number> {
        Number::from_float(Float::with_val(DEFAULT_FLOAT_PREC, x))
    }

    /// Whether this is exactly zero (a float zero counts as zero).
    pub fn is_zero(&self) -> bool {
        match self {
            Number::Small(v) => *v == 0,
            Number::Float(f) => f.is_zero(),
            _ => false,
        }
    }

    /// Whether this is the exact integer one.
    pub fn is_one(&self) -> bool {
        matches!(self, Number::Small(1))
    }

    /// Whether this is the exact integer minus one.
    pub fn is_minus_one(&self) -> bool {
        matches!(self, Number::Small(-1))
    }

    /// Whether this is an exact integer.
    pub fn is_integer(&self) -> bool {
        matches!(self, Number::Small(_) | Number::Big(_))
    }

    /// Whether this is exact (an integer or a rational, not a float).
    pub fn is_exact(&self) -> bool {
        !self.is_float()
    }

    /// Whether this is a float.
    pub fn is_float(&self) -> bool {
        matches!(self, Number::Float(_))
    }

    /// The sign: -1, 0 or 1.
    pub fn signum(&self) -> i32 {
        match self {
            Number::Small(v) => v.signum() as i32,
            Number::Big(n) => n.cmp0() as i32,
            Number::Rational(r) => r.cmp0() as i32,
            Number::Float(f) => f.cmp0().map_or(0, |o| o as i32),
        }
    }

    /// Whether this is strictly negative.
    pub fn is_negative(&self) -> bool {
        self.signum() < 0
    }

    /// Whether this is strictly positive.
    pub fn is_positive(&self) -> bool {
        self.signum() > 0
    }

    /// The float precision in bits, or `None` for exact numbers.
    pub fn prec(&self) -> Option<u32> {
        match self {
            Number::Float(f) => Some(f.prec()),
            _ => None,
        }
    }

    /// The value as an `i64` when it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Small(v) => Some(*v),
            _ => None,
        }
    }

    /// The value as a GMP integer when it is an exact integer.
    pub fn to_integer(&self) -> Option<Integer> {
        match self {
            Number::Small(v) => Some(Integer::from(*v)),
            Number::Big(n) => Some(n.clone()),
            _ => None,
        }
    }

    /// The value as a GMP rational when it is exact.
    pub fn to_rational(&self) -> Option<Rational> {
        match self {
            Number::Small(v) => Some(Rational::from(*v)),
            Number::Big(n) => Some(Rational::from(n)),
            Number::Rational(r) => Some(r.to_rational()),
            Number::Float(_) => None,
        }
    }

    /// The numerator of an exact number (a float has none).
    pub fn numer(&self) -> Option<Integer> {
        match self {
            Number::Rational(r) => Some(r.numer()),
            other => other.to_integer(),
        }
    }

    /// The denominator of an exact number (one for integers).
    pub fn denom(&self) -> Option<Integer> {
        match self {
            Number::Rational(r) => Some(r.denom()),
            Number::Float(_) => None,
            _ => Some(Integer::from(1)),
        }
    }

    /// The nearest `f64` (may be infinite for huge values).
    pub fn to_f64(&self) -> f64 {
        match self {
            Number::Small(v) => *v as f64,
            Number::Big(n) => n.to_f64(),
            Number::Rational(r) => r.to_f64(),
            Number::Float(f) => f.to_f64(),
        }
    }

    /// The value rounded to an MPFR float of `prec` bits.
    pub fn to_float(&self, prec: u32) -> Float {
        match self {
            Number::Small(v) => Float::with_val(prec, *v),
            Number::Big(n) => Float::with_val(prec, n),
            Number::Rational(r) => r.with_rational(|r| Float::with_val(prec, r)),
            Number::Float(f) => Float::with_val(prec, f),
        }
    }

    /// Absolute value.
    pub fn abs(&self) -> Number {
        if self.is_negative() { -self } else { self.clone() }
    }

    /// Exact or float quotient; `None` when dividing by zero or the result is not finite.
    pub fn checked_div(&self, other: &Number) -> Option<Number> {
        if other.is_zero() {
            return None;
        }
        if let (Some((a, b)), Some((c, d))) = (small_parts(self), small_parts(other)) {
            // a/b / (c/d) = (a d) / (b c), with the sign moved to the numerator.
            let (num, den) = if c < 0 { (-(a as i128), -(c as i128)) } else { (a as i128, c as i128) };
            if let Some(n) = from_wide_parts(num * d as i128, den * b as i128) {
                return Some(n);
            }
        }
        if let (Some(a), Some(b)) = (self.to_rational(), other.to_rational()) {
            return Some(Number::from_rational(a / b));
        }
        let p = float_prec(self, other);
        Number::from_float(self.to_float(p) / other.to_float(p))
    }

    /// The reciprocal; `None` for zero.
    pub fn recip(&self) -> Option<Number> {
        Number::ONE.checked_div(self)
    }

    /// `self ** n` for an integer exponent; `None` for `0 ** negative`, for a non-finite float
    /// result, or when the exact result would exceed `max_bits` bits (a resource limit).
    pub fn pow_int(&self, n: &Integer, max_bits: u64) -> Option<Number> {
        if n.cmp0() == Ordering::Equal {
            return Some(Number::ONE);
        }
        if self.is_zero() {
            return if n.cmp0() == Ordering::Greater { Some(self.clone()) } else { None };
        }
        match self {
            Number::Float(f) => {
                let r = Float::with_val(f.prec(), f.pow(n));
                Number::from_float(r)
            }
            _ => {
                let r = self.to_rational()?;
                let (num, den) = (r.numer(), r.denom());
                let nabs = n.clone().abs();
                // Units never grow.
                if (*num == 1 || *num == -1) && *den == 1 {
                    let odd = n.is_odd();
                    return Some(if *num == -1 && odd { Number::MINUS_ONE } else { Number::ONE });
                }
                let bits = num.significant_bits().max(den.significant_bits()) as u64;
                let e = nabs.to_u64()?;
                if bits.saturating_mul(e) > max_bits {
                    return None;
                }
                let e32 = u32::try_from(e).ok()?;
                let p = r.pow(e32);
                if n.cmp0() == Ordering::Less {
                    Some(Number::from_rational(p.recip()))
                } else {
                    Some(Number::from_rational(p))
                }
            }
        }
    }

    /// Numeric comparison of two real numbers (floats compare by value with exact numbers).
    pub fn cmp_value(&self, other: &Number) -> Ordering {
        match (self, other) {
            (Number::Small(a), Number::Small(b)) => a.cmp(b),
            (Number::Float(a), b) => a.partial_cmp(&b.to_float(a.prec().max(64))).unwrap_or(Ordering::Equal),
            (a, Number::Float(b)) => a.to_float(b.prec().max(64)).partial_cmp(b).unwrap_or(Ordering::Equal),
            (a, b) => {
                let (x, y) = (a.to_rational(), b.to_rational());
                x.cmp(&y)
            }
        }
    }

    /// Floor of an exact number as an integer (`None` for floats).
    pub fn floor(&self) -> Option<Integer> {
        match self {
            Number::Rational(r) => Some(r.to_rational().floor().into_numer_denom().0),
            Number::Float(_) => None,
            other => other.to_integer(),
        }
    }

    fn add_ref(&self, other: &Number) -> Number {
        match (self, other) {
            (Number::Small(a), Number::Small(b)) => match a.checked_add(*b) {
                Some(v) => Number::Small(v),
                None => Number::from_integer(Integer::from(*a) + *b),
            },
            (Number::Float(_), _) | (_, Number::Float(_)) => {
                let p = float_prec(self, other);
                float_result(self.to_float(p) + other.to_float(p))
            }
            (Number::Rational(_), _) | (_, Number::Rational(_)) => {
                if let (Some((a, b)), Some((c, d))) = (small_parts(self), small_parts(other)) {
                    // a/b + c/d = (a d + c b) / (b d); the products fit in 127 bits.
                    let num = a as i128 * d as i128 + c as i128 * b as i128;
                    if let Some(n) = from_wide_parts(num, b as i128 * d as i128) {
                        return n;
                    }
                }
                let (a, b) = (self.to_rational().unwrap_or_default(), other.to_rational().unwrap_or_default());
                Number::from_rational(a + b)
            }
            _ => {
                let (a, b) = (self.to_integer().unwrap_or_default(), other.to_integer().unwrap_or_default());
                Number::from_integer(a + b)
            }
        }
    }

    fn mul_ref(&self, other: &Number) -> Number {
        match (self, other) {
            // One times an exact number is that number (not for floats: the product of a float
            // with an exact number is rounded to at least 53 bits).
            (Number::Small(1), x) | (x, Number::Small(1)) if !x.is_float() => x.clone(),
            (Number::Small(a), Number::Small(b)) => match a.checked_mul(*b) {
                Some(v) => Number::Small(v),
                None => Number::from_integer(Integer::from(*a) * *b),
            },
            (Number::Float(_), _) | (_, Number::Float(_)) => {
                let p = float_prec(self, other);
                float_result(self.to_float(p) * other.to_float(p))
            }
            (Number::Rational(_), _) | (_, Number::Rational(_)) => {
                if let (Some((a, b)), Some((c, d))) = (small_parts(self), small_parts(other))
                    && let Some(n) = from_wide_parts(a as i128 * c as i128, b as i128 * d as i128)
                {
                    return n;
                }
                let (a, b) = (self.to_rational().unwrap_or_default(), other.to_rational().unwrap_or_default());
                Number::from_rational(a * b)
            }
            _ => {
                let (a, b) = (self.to_integer().unwrap_or_default(), other.to_integer().unwrap_or_default());
                Number::from_integer(a * b)
            }
        }
    }

    fn neg_ref(&self) -> Number {
        match self {
            Number::Small(v) => match v.checked_neg() {
                Some(n) => Number::Small(n),
                None => Number::from_integer(-Integer::from(*v)),
            },
            Number::Big(n) => Number::from_integer(-n.clone()),
            Number::Rational(r) => Number::Rational(r.neg()),
            Number::Float(f) => Number::Float(-f.clone()),
        }
    }

    /// A structural total order (variant, then value, then precision), used for canonical sorting.
    pub fn cmp_structural(&self, other: &Number) -> Ordering {
        fn rank(n: &Number) -> u8 {
            match n {
                Number::Small(_) | Number::Big(_) | Number::Rational(_) => 0,
                Number::Float(_) => 1,
            }
        }
        rank(self).cmp(&rank(other)).then_with(|| match (self, other) {
            (Number::Float(a), Number::Float(b)) => {
                a.partial_cmp(b).unwrap_or(Ordering::Equal).then(a.prec().cmp(&b.prec()))
            }
            _ => self.cmp_value(other),
        })
    }
}

/// An exact number as machine-word parts `(numerator, denominator)`, denominator positive, when
/// both fit (the fast path of rational arithmetic: no GMP temporaries).
pub(crate) fn small_parts(n: &Number) -> Option<(i64, i64)> {
    match n {
        Number::Small(v) => Some((*v, 1)),
        Number::Rational(r) => r.to_i64_parts(),
        _ => None,
    }
}

/// The canonical number `p/q` for `q > 0`, or `None` when its reduced parts do not fit machine
/// words (the caller then takes the GMP path).
pub(crate) fn from_wide_parts(p: i128, q: i128) -> Option<Number> {
    debug_assert!(q > 0);
    let g = gcd_u128(p.unsigned_abs(), q.unsigned_abs()) as i128;
    let (p, q) = (i64::try_from(p / g).ok()?, i64::try_from(q / g).ok()?);
    Some(if q == 1 { Number::Small(p) } else { Number::Rational(Ratio::from_parts(p, q)) })
}

/// Euclid's algorithm on 64-bit words while the operands fit (the common case), else on 128.
fn gcd_u128(mut a: u128, mut b: u128) -> u128 {
    while a > u64::MAX as u128 || b > u64::MAX as u128 {
        if b == 0 {
            return a;
        }
        (a, b) = (b, a % b);
    }
    let (mut a, mut b) = (a as u64, b as u64);
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a as u128
}

/// The working precision of a float operation: the larger float precision among the operands.
fn float_prec(a: &Number, b: &Number) -> u32 {
    a.prec().unwrap_or(0).max(b.prec().unwrap_or(0)).max(DEFAULT_FLOAT_PREC)
}

/// Wraps the result of `+` or `*` on finite floats. Those cannot give NaN, and MPFR's exponent
/// range (beyond 10^(10^8)) makes overflow to infinity unreachable in practice; should it happen,
/// the infinite float is kept rather than replaced by a wrong finite value.
fn float_result(f: Float) -> Number {
    Number::Float(f)
}

impl Default for Number {
    fn default() -> Number {
        Number::ZERO
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        match (self, other) {
            (Number::Small(a), Number::Small(b)) => a == b,
            (Number::Big(a), Number::Big(b)) => a == b,
            (Number::Rational(a), Number::Rational(b)) => a == b,
            (Number::Float(a), Number::Float(b)) => {
                a.prec() == b.prec() && a == b && a.is_sign_negative() == b.is_sign_negative()
            }
            _ => false,
        }
    }
}

impl Eq for Number {}

impl Hash for Number {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Number::Small(v) => {
                state.write_u8(0);
                state.write_i64(*v);
            }
            Number::Big(n) => {
                state.write_u8(1);
                for d in n.as_limbs() {
                    state.write_u64(*d);
                }
                state.write_i32(n.cmp0() as i32);
            }
            Number::Rational(r) => {
                state.write_u8(2);
                r.hash_into(state);
            }
            Number::Float(f) => {
                state.write_u8(3);
                state.write_u32(f.prec());
                match f.to_integer_exp() {
                    Some((m, e)) => {
                        for d in m.as_limbs() {
                            state.write_u64(*d);
                        }
                        state.write_i32(m.cmp0() as i32);
                        state.write_i32(e);
                    }
                    None => state.write_u8(0),
                }
            }
        }
    }
}

macro_rules! impl_binop {
    ($tr:ident, $m:ident, $f:expr) => {
        impl std::ops::$tr<&Number> for &Number {
            type Output = Number;
            fn $m(self, rhs: &Number) -> Number {
                $f(self, rhs)
            }
        }
        impl std::ops::$tr<Number> for Number {
            type Output = Number;
            fn $m(self, rhs: Number) -> Number {
                $f(&self, &rhs)
            }
        }
    };
}

impl_binop!(Add, add, Number::add_ref);
impl_binop!(Mul, mul, Number::mul_ref);
impl_binop!(Sub, sub, |a: &Number, b: &Number| a.add_ref(&b.neg_ref()));

impl std::ops::Neg for &Number {
    type Output = Number;
    fn neg(self) -> Number {
        self.neg_ref()
    }
}

impl std::ops::Neg for Number {
    type Output = Number;
    fn neg(self) -> Number {
        self.neg_ref()
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Number {
        Number::Small(v)
    }
}

impl From<Integer> for Number {
    fn from(v: Integer) -> Number {
        Number::from_integer(v)
    }
}

impl From<Rational> for Number {
    fn from(v: Rational) -> Number {
        Number::from_rational(v)
    }
}

/// Formats a float with as many decimal digits as its precision carries, in a form the parser
/// reads back at the same precision (see [`parse_float_literal`]).
pub fn format_float(f: &Float) -> String {
    if f.is_zero() {
        return "0.0".to_string();
    }
    let d = f.to_f64();
    // Only a value that is exactly a double (not beyond its exponent range, not rounded to a
    // subnormal) can print as the double's shortest string.
    if f.prec() == DEFAULT_FLOAT_PREC && d != 0.0 && d.is_finite() && *f == d {
        // The shortest decimal string that reads back to the same double.
        let s = format!("{d:?}");
        return if s.contains('.') || s.contains('e') { s } else { format!("{s}.0") };
    }
    let digits = digits_for_prec(f.prec());
    let (neg, mut ds, exp) = f.to_sign_string_exp(10, Some(digits));
    // `ds` holds `digits` significant digits with value 0.ds * 10^exp.
    while ds.len() > 1 && ds.ends_with('0') {
        ds.pop();
    }
    let exp = exp.unwrap_or(0);
    let sign = if neg { "-" } else { "" };
    // Pad to the full digit count so that the parser infers the same precision.
    let mut padded = ds.clone();
    while padded.len() < digits {
        padded.push('0');
    }
    format!("{sign}0.{padded}e{exp}")
}

/// The number of decimal digits printed for a float of `prec` bits: enough that reading them
/// back with [`prec_for_digits`] gives the same precision.
pub fn digits_for_prec(prec: u32) -> usize {
    // prec_for_digits(d) = ceil(d * log2(10)); pick the largest d with prec_for_digits(d) <= prec,
    // then the reader rounds up to `prec` by the rule in prec_for_digits.
    let mut d = ((prec as f64) / std::f64::consts::LOG2_10).floor() as usize;
    while prec_for_digits(d + 1) <= prec {
        d += 1;
    }
    while d > 1 && prec_for_digits(d) > prec {
        d -= 1;
    }
    d.max(1)
}

/// The precision, in bits, that a float literal with `digits` significant digits gets: 53 bits
/// up to 17 digits (an IEEE double), and `ceil(digits * log2 10)` beyond.
pub fn prec_for_digits(digits: usize) -> u32 {
    if digits <= 17 { DEFAULT_FLOAT_PREC } else { ((digits as f64) * std::f64::consts::LOG2_10).ceil() as u32 }
}

/// Parses a decimal float literal (`0.5`, `1e-3`, `2.50E+10`); the precision follows from the
/// number of significant digits ([`prec_for_digits`]). `None` when malformed.
pub fn parse_float_literal(text: &str) -> Option<Number> {
    let mantissa = text.split(['e', 'E']).next().unwrap_or("");
    let sig: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sig = sig.trim_start_matches('0');
    let digits = sig.len().max(1);
    let prec = prec_for_digits(digits);
    let parsed = Float::parse(text).ok()?;
    Number::from_float(Float::with_val(prec, parsed))
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Small(v) => write!(f, "{v}"),
            Number::Big(n) => write!(f, "{n}"),
            Number::Rational(r) => write!(f, "{r}"),
            Number::Float(x) => f.write_str(&format_float(x)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Machine-word parts biased towards the edges of `i64`, where the fast path must hand over
    /// to GMP.
    fn word() -> impl Strategy<Value = i64> {
        prop_oneof![-1000i64..1000, any::<i64>(), Just(i64::MIN), Just(i64::MAX), Just(i64::MAX - 1)]
    }

    fn exact(p: i64, q: i64) -> Option<(Number, Rational)> {
        (q != 0).then(|| {
            let r = Rational::from((p, q));
            (Number::from_rational(r.clone()), r)
        })
    }

    proptest! {
        /// The machine-word paths of `+`, `*` and `/` agree with GMP's rational arithmetic and give
        /// canonical variants (integers as `Small`/`Big`, never an integral `Rational`).
        #[test]
        fn word_arithmetic_matches_gmp(p1 in word(), q1 in word(), p2 in word(), q2 in word()) {
            let (Some((x, rx)), Some((y, ry))) = (exact(p1, q1), exact(p2, q2)) else { return Ok(()) };
            let canonical = |n: &Number, r: Rational| {
                let want = Number::from_rational(r);
                n == &want && !matches!(n, Number::Rational(q) if q.denom() == 1)
                    && !matches!(n, Number::Big(b) if b.to_i64().is_some())
            };
            prop_assert!(canonical(&(&x + &y), Rational::from(&rx + &ry)));
            prop_assert!(canonical(&(&x * &y), Rational::from(&rx * &ry)));
            prop_assert!(canonical(&(&x - &y), Rational::from(&rx - &ry)));
            match x.checked_div(&y) {
                Some(z) => prop_assert!(canonical(&z, Rational::from(&rx / &ry))),
                None => prop_assert!(ry == 0),
            }
        }
    }

    #[test]
    fn small_overflow_moves_to_big() {
        let a = Number::int(i64::MAX);
        let b = &a + &Number::ONE;
        assert!(matches!(b, Number::Big(_)));
        let c = &b - &Number::ONE;
        assert_eq!(c, Number::int(i64::MAX));
        let m = &Number::int(i64::MIN) * &Number::MINUS_ONE;
        assert!(matches!(m, Number::Big(_)));
        assert_eq!(-&Number::int(i64::MIN), m);
    }

    #[test]
    fn rationals_are_canonical() {
        assert_eq!(Number::rational(6, 3), Some(Number::int(2)));
        assert_eq!(Number::rational(1, 0), None);
        let h = Number::rational(1, 2).unwrap();
        assert_eq!(&h + &h, Number::ONE);
        assert_eq!(h.checked_div(&Number::ZERO), None);
    }

    #[test]
    fn pow_int_respects_limits() {
        let two = Number::int(2);
        assert_eq!(two.pow_int(&Integer::from(10), 1 << 20), Some(Number::int(1024)));
        assert_eq!(two.pow_int(&Integer::from(-2), 1 << 20), Number::rational(1, 4));
        assert_eq!(two.pow_int(&Integer::from(1u64 << 40), 1 << 20), None);
        assert_eq!(Number::MINUS_ONE.pow_int(&Integer::from(1u64 << 40), 64), Some(Number::ONE));
        assert_eq!(Number::ZERO.pow_int(&Integer::from(-1), 64), None);
    }

    #[test]
    fn float_literals_round_trip() {
        for s in ["0.5", "1e-3", "123.456", "0.1"] {
            let n = parse_float_literal(s).unwrap();
            let printed = n.to_string();
            assert_eq!(parse_float_literal(&printed).unwrap(), n, "{s} -> {printed}");
        }
        let long = parse_float_literal("3.14159265358979323846264338327950288").unwrap();
        assert!(long.prec().unwrap() > 53);
        let back = parse_float_literal(&long.to_string()).unwrap();
        assert_eq!(back, long);
    }
}
