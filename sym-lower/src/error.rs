//! The crate's error type: one closed enum, each variant carrying what failed.

use crate::types::{Elem, ResidualId, Shape, Type, Value};
use thiserror::Error;

/// Everything that can go wrong in sym-lower.
#[derive(Clone, PartialEq, Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A graph broke an invariant (see [`crate::verify`]); it is never executed or transformed.
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// The text form could not be parsed.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A builder method was called with operands that the op does not accept.
    #[error("cannot build `{op}`: {invariant}")]
    Build {
        /// The opcode being built.
        op: &'static str,
        /// The rule the operands break.
        invariant: Invariant,
    },
    /// An op, function or pass that sym-lower does not provide (by name).
    #[error("unsupported op `{name}`")]
    Unsupported {
        /// The name that was asked for.
        name: String,
    },
    /// The number of input tensors does not match the graph's inputs.
    #[error("the graph has {expected} inputs, {found} were given")]
    InputCount {
        /// The graph's input count.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// An input tensor does not fit its declaration.
    #[error("input {index} (`{name}`): {problem}")]
    Input {
        /// The input's position.
        index: usize,
        /// The input's name.
        name: String,
        /// What is wrong with it.
        problem: TensorProblem,
    },
    /// The number of output buffers does not match the graph's outputs.
    #[error("the graph has {expected} outputs, {found} buffers were given")]
    OutputCount {
        /// The graph's output count.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// An output buffer does not fit its output.
    #[error("output {index} (`{name}`): {problem}")]
    Output {
        /// The output's position.
        index: usize,
        /// The output's name.
        name: String,
        /// What is wrong with it.
        problem: TensorProblem,
    },
    /// A sym-core expression or sym-solve solution could not be lowered (see [`crate::lower`]).
    #[error(transparent)]
    Lower(#[from] LowerError),
}

/// A construct that [`crate::lower`] cannot turn into the real tensor IR, and why.
#[derive(Clone, PartialEq, Eq, Debug, Error)]
#[error("cannot lower `{construct}`: {problem}")]
pub struct LowerError {
    /// The offending (sub)expression, printed in sym's syntax.
    pub construct: String,
    /// Why it cannot be lowered.
    pub problem: LowerProblem,
}

impl LowerError {
    /// An error about `construct`.
    pub fn new(construct: impl std::fmt::Display, problem: LowerProblem) -> Self {
        Self { construct: construct.to_string(), problem }
    }
}

/// Why a construct cannot be lowered (see [`LowerError`]).
#[derive(Clone, PartialEq, Eq, Debug, Error)]
#[non_exhaustive]
pub enum LowerProblem {
    /// The value is not real (`I`, a complex constant such as `(-8)**(1/3)` or `acos(2)`, a non-real
    /// `RootOf` index): the IR computes real values only.
    #[error("its value is not real, and the IR is real")]
    Complex,
    /// A constant that has no value (`zoo`, `nan`, `1/0`, `log(0)`) or that overflows the element type.
    #[error("it has no finite real value ({reason})")]
    Undefined {
        /// What went wrong, in words.
        reason: String,
    },
    /// A symbol that is not one of the graph's inputs.
    #[error("the symbol `{name}` is not an input (inputs: {inputs})")]
    UnboundSymbol {
        /// The symbol's name.
        name: String,
        /// The declared inputs, comma separated.
        inputs: String,
    },
    /// A condition (relation, `And`, ...) where a number is needed.
    #[error("a condition is used where a number is needed")]
    ConditionAsValue,
    /// A number where a condition is needed.
    #[error("a number is used where a condition is needed")]
    ValueAsCondition,
    /// A function application the IR cannot compute (a Lambert W branch other than the principal one, or a
    /// function with a non-numeric branch argument).
    #[error("the function `{name}` is not supported here ({reason})")]
    Function {
        /// The function's name.
        name: String,
        /// Why, in words.
        reason: &'static str,
    },
    /// A `RootOf` or implicit equation whose residual is not a polynomial (or not real) in its variable.
    #[error("it is not a polynomial in `{var}` with real coefficients")]
    NotPolynomial {
        /// The variable.
        var: String,
    },
    /// A constant `RootOf` whose index names a non-real root.
    #[error("root index {index} is not real (the polynomial has {real} real roots)")]
    NoRealRoot {
        /// The index.
        index: u32,
        /// The number of distinct real roots.
        real: usize,
    },
    /// A size limit of the lowering (degree of a polynomial for per-lane root isolation, exponent size).
    #[error("{what} {found} exceeds the limit {limit}")]
    Limit {
        /// What is limited.
        what: &'static str,
        /// The size found.
        found: u64,
        /// The limit.
        limit: u64,
    },
    /// An implicit solution without a start (a guess or a bracket) for its iteration.
    #[error("no start (guess or bracket) is given for the root")]
    NoStart,
    /// A solution branch with only a numeric value (no exact form to lower) that is not a real number.
    #[error("the branch has no exact form")]
    NoExactForm,
    /// The unknown of a solution set is also declared as an input.
    #[error("`{name}` is both an unknown and an input")]
    UnknownIsInput {
        /// The unknown.
        name: String,
    },
    /// Options that do not fit (an element kind that is not a float, an invalid tolerance).
    #[error("invalid options: {reason}")]
    Options {
        /// What is wrong.
        reason: &'static str,
    },
}

/// Why a tensor does not fit an input or output of a graph.
#[derive(Clone, PartialEq, Eq, Debug, Error)]
#[non_exhaustive]
pub enum TensorProblem {
    /// The element kind differs.
    #[error("expected {expected:?} elements, found {found:?}")]
    Elem {
        /// The declared kind.
        expected: Elem,
        /// The given kind.
        found: Elem,
    },
    /// The number of dimensions differs (a scalar is 0-dimensional, a batch 1-dimensional).
    #[error("expected a {expected:?} ({} dimensions), found {found} dimensions", match expected { Shape::Scalar => 0, Shape::Batch => 1 })]
    Rank {
        /// The declared shape.
        expected: Shape,
        /// The given number of dimensions.
        found: usize,
    },
    /// The batch length differs from the other batch tensors of the call.
    #[error("batch length {found}, but the call's batch length is {expected}")]
    Length {
        /// The call's batch length (from the first batch input).
        expected: usize,
        /// The given length.
        found: usize,
    },
}

/// Where in a graph an error was found: the graph itself or one of its residuals.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Location {
    /// The top-level graph.
    Graph,
    /// A residual graph of the top-level graph.
    Residual(ResidualId),
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Graph => f.write_str("graph"),
            Self::Residual(id) => write!(f, "residual {id}"),
        }
    }
}

/// A verification failure: which op broke which invariant.
#[derive(Clone, PartialEq, Debug, Error)]
#[error("{location}: {}{op}: {invariant}", match value { Some(v) => format!("{v} = "), None => String::new() })]
pub struct VerifyError {
    /// The graph or residual where it was found.
    pub location: Location,
    /// The value whose instruction is at fault, if the fault is in an instruction.
    pub value: Option<Value>,
    /// The opcode at fault (`"input"`, `"add"`, ...), or `"graph"`, `"output"` for graph-level invariants.
    pub op: &'static str,
    /// The invariant that does not hold.
    pub invariant: Invariant,
}

/// The invariants of a graph (each is described in [`crate::verify`]).
#[derive(Clone, PartialEq, Debug, Error)]
#[non_exhaustive]
pub enum Invariant {
    /// The type table has a different length from the instruction list.
    #[error("{types} types for {insts} instructions")]
    TypeTableLength {
        /// The number of types.
        types: usize,
        /// The number of instructions.
        insts: usize,
    },
    /// A graph has more values than a `u32` id can name.
    #[error("more than 2^32 - 1 values")]
    TooManyValues,
    /// An operand is not defined before its use.
    #[error("operand {operand} is not defined before its use")]
    OperandOrder {
        /// The operand.
        operand: Value,
    },
    /// An operand has a type the op does not accept.
    #[error("operand {operand} has type {found}, expected {expected}")]
    OperandType {
        /// The operand.
        operand: Value,
        /// What the op accepts, in words.
        expected: &'static str,
        /// The operand's type.
        found: Type,
    },
    /// Two operands that must share an element kind do not.
    #[error("operands have different element kinds: {lhs} and {rhs}")]
    ElemMismatch {
        /// One operand's type.
        lhs: Type,
        /// The other's.
        rhs: Type,
    },
    /// The recorded result type differs from the type the op computes.
    #[error("result type is recorded as {recorded}, but the op computes {computed}")]
    ResultType {
        /// The type in the graph's type table (or the input declaration).
        recorded: Type,
        /// The type the typing rules give.
        computed: Type,
    },
    /// An `f32` constant that is not exactly an `f32`, or a float constant of a non-float kind.
    #[error("constant {value:e} is not exactly representable as {elem:?}")]
    ConstantKind {
        /// The constant, as an `f64`.
        value: f64,
        /// Its declared kind.
        elem: Elem,
    },
    /// An `input` op refers to an input that is not declared.
    #[error("input index {index} is not declared ({count} inputs)")]
    InputIndex {
        /// The index.
        index: u32,
        /// The number of declared inputs.
        count: usize,
    },
    /// Input ops must define inputs `0, 1, 2, ...` in this order, each once.
    #[error("input {index} is defined out of order (expected input {expected} next)")]
    InputOrder {
        /// The index found.
        index: u32,
        /// The index expected.
        expected: u32,
    },
    /// A declared input has no `input` op.
    #[error("input {index} is declared but never defined")]
    MissingInput {
        /// The input's index.
        index: usize,
    },
    /// Two inputs or two outputs share a name.
    #[error("the name `{name}` is used twice")]
    DuplicateName {
        /// The name.
        name: String,
    },
    /// An output names a value that does not exist.
    #[error("output `{name}` refers to {value}, which is not defined")]
    OutputValue {
        /// The output's name.
        name: String,
        /// The value.
        value: Value,
    },
    /// A `root` op names a residual that is not in the table.
    #[error("residual {id} does not exist ({count} residuals)")]
    UnknownResidual {
        /// The residual.
        id: ResidualId,
        /// The table's size.
        count: usize,
    },
    /// A `root` op passes a different number of parameters from its residual's inputs.
    #[error("residual {id} takes {expected} parameters, {found} given")]
    RootArity {
        /// The residual.
        id: ResidualId,
        /// The residual's inputs minus one (for `y`).
        expected: usize,
        /// The number of parameters passed.
        found: usize,
    },
    /// The tolerance of a `root` op is not positive and finite, or `max_iter` is zero.
    #[error("root options tol = {tol:e}, max_iter = {max_iter} (tol must be positive and finite, max_iter positive)")]
    RootOptions {
        /// The tolerance.
        tol: f64,
        /// The iteration limit.
        max_iter: u32,
    },
    /// A residual graph's signature is not `(y, params...) -> (F, dF/dy)` over batches of one float kind.
    #[error("residual signature: {problem}")]
    ResidualSignature {
        /// The offending part, in words.
        problem: &'static str,
    },
    /// An op that a residual graph may not contain (`root`, `sum`, statuses, casts, or a nested residual table).
    #[error("`{op}` is not allowed in a residual graph")]
    NotInResidual {
        /// The opcode.
        op: &'static str,
    },
    /// `root_status` applied to a value that is not a `root`.
    #[error("operand {operand} of root_status is not a root")]
    NotARoot {
        /// The operand.
        operand: Value,
    },
}

/// A parse failure of the text form, with a 1-based line and column.
#[derive(Clone, PartialEq, Eq, Debug, Error)]
#[error("{line}:{column}: {kind}")]
pub struct ParseError {
    /// The line (1-based).
    pub line: usize,
    /// The column in characters (1-based).
    pub column: usize,
    /// What went wrong.
    pub kind: ParseErrorKind,
}

/// What went wrong while parsing the text form.
#[derive(Clone, PartialEq, Eq, Debug, Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// A character that starts no token.
    #[error("unexpected character {0:?}")]
    UnexpectedChar(char),
    /// A token other than the one the grammar needs.
    #[error("expected {expected}, found {found}")]
    Expected {
        /// What the grammar needs.
        expected: &'static str,
        /// The token found.
        found: String,
    },
    /// An opcode that the IR does not have.
    #[error("unknown op `{0}`")]
    UnknownOp(String),
    /// A type name that the IR does not have.
    #[error("unknown type `{0}`")]
    UnknownType(String),
    /// A number that does not parse or does not fit.
    #[error("invalid number `{0}`")]
    BadNumber(String),
    /// A string literal without its closing quote.
    #[error("unterminated string")]
    UnterminatedString,
    /// Values must be defined as `%0, %1, ...` in order.
    #[error("expected value %{expected} to be defined next, found %{found}")]
    ValueNumber {
        /// The id expected.
        expected: usize,
        /// The id found.
        found: usize,
    },
    /// Residuals must be defined as `@0, @1, ...` in order.
    #[error("expected residual @{expected} to be defined next, found @{found}")]
    ResidualNumber {
        /// The id expected.
        expected: usize,
        /// The id found.
        found: usize,
    },
    /// The text has no `graph` block.
    #[error("missing `graph {{ ... }}` block")]
    MissingGraph,
    /// An input index beyond the value being defined: inputs are numbered in order from 0, so
    /// input `k` is value `%k` or later (refused here rather than declaring `k` placeholders).
    #[error("input index {index} at value %{value}: inputs are numbered in order from 0")]
    InputIndex {
        /// The index given.
        index: u32,
        /// The value being defined.
        value: usize,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
