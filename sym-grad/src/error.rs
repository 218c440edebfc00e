//! The error type of sym-grad: one closed enum, each variant naming the thing that failed.

use sym_lower::Type;
use thiserror::Error;

/// Everything that can go wrong while building or running a derivative.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The IR reported an error (an invalid graph, an op that cannot be built, tensors that do not fit).
    #[error(transparent)]
    Ir(#[from] sym_lower::Error),
    /// A name given as an input to differentiate with respect to is not an input of the graph.
    #[error("`{name}` is not an input of the graph")]
    UnknownInput {
        /// The name asked for.
        name: String,
    },
    /// A name given as an output to differentiate is not an output of the graph.
    #[error("`{name}` is not an output of the graph")]
    UnknownOutput {
        /// The name asked for.
        name: String,
    },
    /// Only float values have derivatives; this input or output is a mask or a status.
    #[error("`{name}` has type {ty}: only float values can be differentiated")]
    NotDifferentiable {
        /// The input or output.
        name: String,
        /// Its type.
        ty: Type,
    },
    /// A name occurs twice where each must be distinct (two `wrt` inputs, or a generated name that clashes).
    #[error("`{name}` is given twice")]
    Duplicate {
        /// The repeated name.
        name: String,
    },
    /// An option is out of its range.
    #[error("invalid option `{option}`: {reason}")]
    InvalidOption {
        /// The option.
        option: &'static str,
        /// Why it is invalid.
        reason: &'static str,
    },
    /// The tensors given to a burn function do not fit it (count, shape, kind or device).
    #[error("burn tensors: {problem}")]
    BurnTensors {
        /// What is wrong.
        problem: String,
    },
    /// A `root` op has more parameters than the burn custom backward supports.
    #[error("a root with {params} parameters: the burn custom backward supports at most {max}")]
    TooManyRootParams {
        /// The parameter count.
        params: usize,
        /// The supported maximum.
        max: usize,
    },
}

/// The result type of sym-grad.
pub type Result<T, E = Error> = std::result::Result<T, E>;
