//! The error type of root finding: [`RootsError`].

use thiserror::Error;

/// Why a root computation did not produce a certified answer.
///
/// Every variant is a property of the input or of the configured [`RootLimits`](super::RootLimits);
/// none is a bug report (bugs panic).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RootsError {
    /// The zero polynomial: every number is a root, so there is nothing to isolate.
    #[error("the zero polynomial has no isolated roots")]
    ZeroPolynomial,
    /// The degree exceeds [`RootLimits::max_degree`](super::RootLimits::max_degree).
    #[error("degree {degree} exceeds the limit {limit}")]
    DegreeLimit {
        /// The degree of the input.
        degree: usize,
        /// The configured limit.
        limit: usize,
    },
    /// Certification needs more working precision than
    /// [`RootLimits::max_precision`](super::RootLimits::max_precision) allows.
    #[error("certifying the roots needs more than {limit} bits of working precision")]
    PrecisionLimit {
        /// The configured limit in bits.
        limit: u32,
    },
    /// The iteration did not converge within
    /// [`RootLimits::max_iterations`](super::RootLimits::max_iterations) sweeps.
    #[error("root iteration did not converge in {iterations} sweeps")]
    IterationLimit {
        /// The number of sweeps performed.
        iterations: usize,
    },
    /// A root index outside `0..degree`.
    #[error("root index {index} is out of range for degree {degree}")]
    IndexOutOfRange {
        /// The requested index.
        index: usize,
        /// The degree (the number of roots counted with multiplicity).
        degree: usize,
    },
    /// Two roots could neither be separated nor proven to have equal real parts within the
    /// precision limit, so their place in the canonical order is not certified.
    #[error("the canonical order of two roots is undecided at {bits} bits")]
    OrderUndecided {
        /// The precision (bits) reached.
        bits: u32,
    },
    /// A requested precision that cannot be met (for example more digits than the precision
    /// limit allows).
    #[error("{digits} digits exceed the precision limit of {limit} bits")]
    DigitsLimit {
        /// The requested number of digits.
        digits: u32,
        /// The configured precision limit in bits.
        limit: u32,
    },
}
