//! The error type of sym-core.

use thiserror::Error;

/// A byte range `[start, end)` in the input text.
pub type Span = (usize, usize);

/// Errors raised by sym-core (parsing, evaluation, limits).
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum CoreError {
    /// The input text is not a valid expression.
    #[error("{message} at {}..{}", span.0, span.1)]
    Parse {
        /// What is wrong.
        message: String,
        /// Where in the input.
        span: Span,
    },
    /// A function was applied to the wrong number of arguments.
    #[error("{func} takes {} to {} argument(s), got {got}", expected.0, expected.1)]
    Arity {
        /// The function's name.
        func: &'static str,
        /// The accepted range of argument counts.
        expected: (usize, usize),
        /// The number given.
        got: usize,
    },
    /// A symbol had no value during numeric evaluation.
    #[error("no value for symbol `{0}`")]
    UnboundSymbol(String),
    /// Numeric evaluation hit a point where the expression is undefined.
    #[error("undefined value: {0}")]
    Undefined(&'static str),
    /// A real result was asked for and the value is complex.
    #[error("the value is not real (imaginary part {0:e})")]
    NotReal(f64),
    /// The expression contains something the operation does not support.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// A resource limit (size, degree, precision, depth) was exceeded.
    #[error("limit exceeded: {what} (limit {limit})")]
    Limit {
        /// What grew too large.
        what: &'static str,
        /// The limit that applies.
        limit: u64,
    },
}
