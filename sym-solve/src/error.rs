//! The error type of sym-solve.

use sym_core::CoreError;
use thiserror::Error;

/// Errors raised by the solver. A problem the solver cannot fully handle is not an error: it is
/// a [`crate::SolutionSet`] with partial coverage.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SolveError {
    /// The input is not an equation the solver can read (e.g. a condition, or empty).
    #[error("not an equation: {0}")]
    NotAnEquation(String),
    /// The unknown does not occur in the equation(s).
    #[error("the unknown `{0}` does not occur in the equation")]
    UnknownAbsent(String),
    /// A bad option value (interval, domain, point).
    #[error("invalid option: {0}")]
    InvalidOption(String),
    /// A resource limit was exceeded.
    #[error("limit exceeded: {what} (limit {limit})")]
    Limit {
        /// What grew too large.
        what: &'static str,
        /// The limit that applies.
        limit: u64,
    },
    /// An error from sym-core (evaluation, parsing of options).
    #[error(transparent)]
    Core(#[from] CoreError),
    /// An error of sym-core's polynomial engine (a limit, an unsupported conversion).
    #[error(transparent)]
    Poly(#[from] sym_core::poly::PolyError),
}
