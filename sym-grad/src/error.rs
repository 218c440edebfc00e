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
    /// A burn function was given the wrong number of tensors.
    #[error("the graph has {expected} inputs, {found} tensors were given")]
    BurnInputCount {
        /// The graph's input count.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// A tensor given to a burn function does not fit its input.
    #[error("input {index} (`{name}`): {problem}")]
    BurnInput {
        /// The input's position.
        index: usize,
        /// The input's name.
        name: String,
        /// What is wrong with it.
        problem: BurnProblem,
    },
    /// An input or output of a graph that the burn path does not carry (masks and statuses are not tensors
    /// there).
    #[error("`{name}` has type {ty}: burn functions take and return float tensors")]
    BurnType {
        /// The input or output.
        name: String,
        /// Its type.
        ty: Type,
    },
    /// A graph with more float inputs than the burn custom backward is instantiated for.
    #[error("a graph with {inputs} inputs: the burn custom backward supports at most {max}")]
    TooManyInputs {
        /// The input count.
        inputs: usize,
        /// The supported maximum.
        max: usize,
    },
    /// The tensors live on a burn backend for which sym-grad has no custom backward (sym-grad supports Flex, and
    /// the cubecl backend with the `wgpu` feature, on devices without gradient checkpointing).
    #[error("no sym-grad custom backward for the backend of these tensors")]
    BurnBackend,
    /// A burn device could not be configured for the float kind asked for.
    #[error("the burn device is already configured with {found} floats")]
    BurnDevice {
        /// The dtype the device was configured with.
        found: &'static str,
    },
    /// A name given to a burn module or tape is not known to it.
    #[error("`{name}` is not a {what}")]
    UnknownName {
        /// The name.
        name: String,
        /// What it was expected to be (an input, a parameter, a watched tensor).
        what: &'static str,
    },
}

/// The result type of sym-grad.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a tensor does not fit a graph input on burn.
#[derive(Clone, PartialEq, Eq, Debug, Error)]
#[non_exhaustive]
pub enum BurnProblem {
    /// The float kind differs.
    #[error("expected {expected:?} elements, found {found}")]
    DType {
        /// The input's kind.
        expected: sym_lower::Elem,
        /// The tensor's dtype.
        found: &'static str,
    },
    /// The length differs (a scalar input takes one element; batch inputs share one length).
    #[error("length {found}, expected {expected}")]
    Length {
        /// The expected length.
        expected: usize,
        /// The given length.
        found: usize,
    },
}
