//! [`Ratio`]: the value of a non-integral exact rational, in machine words when it fits.
//!
//! A `Ratio` is `num/den` in lowest terms with `den > 1`. Its representation is canonical, like
//! `Number`'s integers: numerator and denominator that both fit an `i64` are stored inline (no
//! GMP allocation: cloning and the word-sized arithmetic of `Number` allocate nothing), anything
//! larger is a GMP [`Rational`]. So equal values have equal representations, and the hash of a
//! value is the same in both (it is the hash of the GMP value's limbs), which keeps the canonical
//! order of expressions independent of the representation.

use rug::rational::MiniRational;
use rug::{Integer, Rational};
use std::cmp::Ordering;
use std::fmt;
use std::hash::Hasher;

/// A non-integral rational in lowest terms (see the module documentation).
#[derive(Clone)]
pub struct Ratio(Repr);

#[derive(Clone)]
enum Repr {
    /// `num/den` with `den > 1` and `gcd(|num|, den) = 1`.
    Small { num: i64, den: i64 },
    /// A value whose numerator or denominator does not fit an `i64`.
    Big(Rational),
}

impl Ratio {
    /// `r`, which must be in lowest terms with denominator greater than one.
    pub(crate) fn from_rational(r: Rational) -> Ratio {
        debug_assert!(*r.denom() > 1);
        match (r.numer().to_i64(), r.denom().to_i64()) {
            (Some(num), Some(den)) => Ratio(Repr::Small { num, den }),
            _ => Ratio(Repr::Big(r)),
        }
    }

    /// `num/den`, which must be in lowest terms with `den > 1`.
    pub(crate) fn from_parts(num: i64, den: i64) -> Ratio {
        debug_assert!(den > 1);
        Ratio(Repr::Small { num, den })
    }

    /// The numerator and denominator when both fit an `i64`.
    pub fn to_i64_parts(&self) -> Option<(i64, i64)> {
        match &self.0 {
            Repr::Small { num, den } => Some((*num, *den)),
            Repr::Big(_) => None,
        }
    }

    /// The numerator (its sign is the value's sign).
    pub fn numer(&self) -> Integer {
        match &self.0 {
            Repr::Small { num, .. } => Integer::from(*num),
            Repr::Big(r) => r.numer().clone(),
        }
    }

    /// The denominator (greater than one).
    pub fn denom(&self) -> Integer {
        match &self.0 {
            Repr::Small { den, .. } => Integer::from(*den),
            Repr::Big(r) => r.denom().clone(),
        }
    }

    /// The value as a GMP rational.
    pub fn to_rational(&self) -> Rational {
        match &self.0 {
            Repr::Small { num, den } => Rational::from((*num, *den)),
            Repr::Big(r) => r.clone(),
        }
    }

    /// The sign, compared with zero (never equal: the value is not an integer).
    pub fn cmp0(&self) -> Ordering {
        match &self.0 {
            Repr::Small { num, .. } => num.cmp(&0),
            Repr::Big(r) => r.cmp0(),
        }
    }

    /// `f` applied to the value as a GMP rational, borrowed without allocating for a small value.
    pub fn with_rational<T>(&self, f: impl FnOnce(&Rational) -> T) -> T {
        match &self.0 {
            Repr::Small { num, den } => f(&MiniRational::from((*num, *den)).borrow()),
            Repr::Big(r) => f(r),
        }
    }

    /// The value as an `f64`, as GMP converts it ([`Rational::to_f64`]).
    pub fn to_f64(&self) -> f64 {
        self.with_rational(Rational::to_f64)
    }

    /// `-self`.
    pub(crate) fn neg(&self) -> Ratio {
        match &self.0 {
            Repr::Small { num, den } => match num.checked_neg() {
                Some(n) => Ratio(Repr::Small { num: n, den: *den }),
                None => Ratio::from_rational(-Rational::from((*num, *den))),
            },
            Repr::Big(r) => Ratio::from_rational(-r.clone()),
        }
    }

    /// Feeds the value to a hasher: the same words for both representations (the GMP value's
    /// limbs of numerator and denominator magnitudes, then the sign).
    pub(crate) fn hash_into<H: Hasher>(&self, state: &mut H) {
        match &self.0 {
            Repr::Small { num, den } => {
                // A non-zero magnitude below 2^64 is one limb.
                state.write_u64(num.unsigned_abs());
                state.write_u64(*den as u64);
            }
            Repr::Big(r) => {
                for d in r.numer().as_limbs().iter().chain(r.denom().as_limbs()) {
                    state.write_u64(*d);
                }
            }
        }
        state.write_i32(self.cmp0() as i32);
    }
}

impl PartialEq for Ratio {
    fn eq(&self, other: &Ratio) -> bool {
        match (&self.0, &other.0) {
            (Repr::Small { num: a, den: b }, Repr::Small { num: c, den: d }) => a == c && b == d,
            (Repr::Big(a), Repr::Big(b)) => a == b,
            // Canonical representations: a value that fits is never big.
            _ => false,
        }
    }
}

impl Eq for Ratio {}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Small { num, den } => write!(f, "{num}/{den}"),
            Repr::Big(r) => write!(f, "{}/{}", r.numer(), r.denom()),
        }
    }
}

impl fmt::Debug for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_big_values_hash_alike() {
        /// The words a hasher receives.
        #[derive(Default)]
        struct Words(Vec<u64>);
        impl Hasher for Words {
            fn finish(&self) -> u64 {
                0
            }
            fn write(&mut self, bytes: &[u8]) {
                self.0.extend(bytes.iter().map(|b| u64::from(*b)));
            }
            fn write_u64(&mut self, x: u64) {
                self.0.push(x);
            }
        }
        let words = |r: &Ratio| {
            let mut w = Words::default();
            r.hash_into(&mut w);
            w.0
        };
        let big = |p: i64, q: i64| Ratio(Repr::Big(Rational::from((p, q))));
        for (p, q) in [(1, 2), (-1, 3), (i64::MIN, 3), (i64::MAX, i64::MAX - 1), (-7, 12)] {
            assert_eq!(words(&Ratio::from_parts(p, q)), words(&big(p, q)), "{p}/{q}");
        }
        // Parts that do not fit are big.
        let r = Ratio::from_rational(Rational::from((Integer::from(i64::MAX) + 1, 3)));
        assert!(r.to_i64_parts().is_none());
        // Its negation -2^63/3 fits again.
        assert_eq!(r.neg().to_i64_parts(), Some((i64::MIN, 3)));
        // i64::MIN negated does not fit.
        assert!(Ratio::from_parts(i64::MIN, 3).neg().to_i64_parts().is_none());
        assert_eq!(std::mem::size_of::<Ratio>(), 32);
    }
}
