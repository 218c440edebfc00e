//! The error type of the polynomial engine.

use thiserror::Error;

/// What a resource limit bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LimitKind {
    /// The number of terms of a result.
    Terms,
    /// The total degree (or the degree in one variable) of a result.
    Degree,
    /// An exponent that does not fit the packed representation (at most `2^62`).
    Exponent,
    /// The bits of all coefficients of a result together (a bound computed before the work).
    Bits,
}

impl std::fmt::Display for LimitKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LimitKind::Terms => "terms",
            LimitKind::Degree => "degree",
            LimitKind::Exponent => "exponent",
            LimitKind::Bits => "coefficient bits",
        })
    }
}

/// Errors of polynomial operations.
///
/// Operations on user input return these instead of panicking; panics are kept for broken
/// invariants (for example mixing polynomials with different numbers of variables).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PolyError {
    /// A result would exceed a configured [`Limits`] bound.
    #[error("{op}: result needs {needed} {kind}, the limit is {limit}")]
    Limit {
        /// The operation that stopped.
        op: &'static str,
        /// What is bounded.
        kind: LimitKind,
        /// The configured bound.
        limit: u64,
        /// A lower bound on what the result needs (it may need more).
        needed: u64,
    },
    /// Division by the zero polynomial or by a zero coefficient.
    #[error("{op}: division by zero")]
    DivisionByZero {
        /// The operation that divided.
        op: &'static str,
    },
    /// An exact division that does not divide.
    #[error("{op}: the division is not exact")]
    NotExact {
        /// The operation that divided.
        op: &'static str,
    },
    /// The operation needs a ring property the coefficient ring lacks (for example an
    /// inverse of a leading coefficient, or characteristic zero).
    #[error("{op}: unsupported in this ring: {why}")]
    Unsupported {
        /// The operation.
        op: &'static str,
        /// What is missing.
        why: &'static str,
    },
    /// A modulus that is not a prime below `2^63`.
    #[error("modulus {0} is not a prime below 2^63")]
    BadModulus(u64),
    /// Text that is not a polynomial (see [`parse_mpoly`](crate::poly::parse_mpoly)).
    #[error("parse error at byte {pos}: {what}")]
    Parse {
        /// The byte offset in the input.
        pos: usize,
        /// What was expected or found.
        what: &'static str,
    },
}

/// Size bounds for operations whose result can explode (powers, products, substitutions).
///
/// The defaults allow ten million terms and total degree `2^32`; they exist to turn a request
/// that would exhaust memory into a [`PolyError::Limit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// The largest number of terms a result may have.
    pub max_terms: u64,
    /// The largest total degree a result may have.
    pub max_degree: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_terms: 10_000_000, max_degree: 1 << 32 }
    }
}

impl Limits {
    /// No bounds beyond what the representation itself supports.
    pub const UNLIMITED: Limits = Limits { max_terms: u64::MAX, max_degree: u64::MAX };

    /// Checks a term count, naming the operation in the error.
    pub fn check_terms(&self, op: &'static str, needed: u64) -> Result<(), PolyError> {
        if needed > self.max_terms {
            Err(PolyError::Limit { op, kind: LimitKind::Terms, limit: self.max_terms, needed })
        } else {
            Ok(())
        }
    }

    /// Checks a degree, naming the operation in the error.
    pub fn check_degree(&self, op: &'static str, needed: u64) -> Result<(), PolyError> {
        if needed > self.max_degree {
            Err(PolyError::Limit { op, kind: LimitKind::Degree, limit: self.max_degree, needed })
        } else {
            Ok(())
        }
    }
}
