//! The instruction set of the tensor IR: one enum variant per kind of op, each with one result.
//!
//! Elementwise ops act lane by lane; a scalar operand is broadcast against a batch operand.
//! The function ops follow sym-core's real conventions:
//!
//! - `cot x = 1/tan x`, `sec x = 1/cos x`, `csc x = 1/sin x`, `coth x = 1/tanh x`;
//! - `acot x = atan(1/x)`, with values in `(-pi/2, pi/2]` (so `acot 0 = pi/2`, as in SymPy);
//! - `sign x` is `-1`, `0` or `1` (zero keeps its sign, NaN stays NaN);
//! - `lambertw x` is the principal branch `W_0`, real for `x >= -1/e` and NaN below;
//! - `powi x, k` is `x^k` for an integer attribute `k`, computed by binary powering (see [`crate::scalar`]);
//! - `pow x, y` is the real power `x^y` (NaN for a negative base and a non-integer exponent);
//! - `log1p x = log(1 + x)`, `expm1 x = exp(x) - 1` and `hypot x, y = sqrt(x^2 + y^2)`, each without the
//!   cancellation or overflow of the naive form.
//!
//! Outside a function's real domain the result is NaN (never an error): a batch may hold lanes where a branch
//! is not taken, and `select` discards them.

use crate::types::{Elem, ResidualId, Value};

/// Elementwise functions of one float operand.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum UnOp {
    /// `-x`.
    Neg,
    /// `1/x`.
    Recip,
    /// The square root (NaN below zero).
    Sqrt,
    /// The real cube root.
    Cbrt,
    /// `e^x`.
    Exp,
    /// The natural logarithm.
    Log,
    /// The sine.
    Sin,
    /// The cosine.
    Cos,
    /// The tangent.
    Tan,
    /// The cotangent, `1/tan x`.
    Cot,
    /// The secant, `1/cos x`.
    Sec,
    /// The cosecant, `1/sin x`.
    Csc,
    /// The arcsine.
    Asin,
    /// The arccosine.
    Acos,
    /// The arctangent.
    Atan,
    /// The arccotangent, `atan(1/x)`.
    Acot,
    /// The hyperbolic sine.
    Sinh,
    /// The hyperbolic cosine.
    Cosh,
    /// The hyperbolic tangent.
    Tanh,
    /// The hyperbolic cotangent, `1/tanh x`.
    Coth,
    /// The inverse hyperbolic sine.
    Asinh,
    /// The inverse hyperbolic cosine.
    Acosh,
    /// The inverse hyperbolic tangent.
    Atanh,
    /// The absolute value.
    Abs,
    /// The sign: -1, 0 or 1.
    Sign,
    /// The principal branch of the Lambert W function.
    LambertW,
    /// `log(1 + x)`, accurate for small `x`.
    Log1p,
    /// `exp(x) - 1`, accurate for small `x`.
    Expm1,
}

impl UnOp {
    /// Every unary op, in a fixed order.
    pub const ALL: [Self; 28] = [
        Self::Neg,
        Self::Recip,
        Self::Sqrt,
        Self::Cbrt,
        Self::Exp,
        Self::Log,
        Self::Sin,
        Self::Cos,
        Self::Tan,
        Self::Cot,
        Self::Sec,
        Self::Csc,
        Self::Asin,
        Self::Acos,
        Self::Atan,
        Self::Acot,
        Self::Sinh,
        Self::Cosh,
        Self::Tanh,
        Self::Coth,
        Self::Asinh,
        Self::Acosh,
        Self::Atanh,
        Self::Abs,
        Self::Sign,
        Self::LambertW,
        Self::Log1p,
        Self::Expm1,
    ];

    /// The opcode in the text form; for functions it is sym-core's function name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Neg => "neg",
            Self::Recip => "recip",
            Self::Sqrt => "sqrt",
            Self::Cbrt => "cbrt",
            Self::Exp => "exp",
            Self::Log => "log",
            Self::Sin => "sin",
            Self::Cos => "cos",
            Self::Tan => "tan",
            Self::Cot => "cot",
            Self::Sec => "sec",
            Self::Csc => "csc",
            Self::Asin => "asin",
            Self::Acos => "acos",
            Self::Atan => "atan",
            Self::Acot => "acot",
            Self::Sinh => "sinh",
            Self::Cosh => "cosh",
            Self::Tanh => "tanh",
            Self::Coth => "coth",
            Self::Asinh => "asinh",
            Self::Acosh => "acosh",
            Self::Atanh => "atanh",
            Self::Abs => "abs",
            Self::Sign => "sign",
            Self::LambertW => "lambertw",
            Self::Log1p => "log1p",
            Self::Expm1 => "expm1",
        }
    }

    /// The unary op with the given name (the text-form opcode, which is also sym-core's function name).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }
}

/// Elementwise functions of two float operands.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum BinOp {
    /// `x + y`.
    Add,
    /// `x - y`.
    Sub,
    /// `x * y`.
    Mul,
    /// `x / y`.
    Div,
    /// The real power `x^y`.
    Pow,
    /// `sqrt(x^2 + y^2)` without overflow or underflow in the squares.
    Hypot,
}

impl BinOp {
    /// Every binary op, in a fixed order.
    pub const ALL: [Self; 6] = [Self::Add, Self::Sub, Self::Mul, Self::Div, Self::Pow, Self::Hypot];

    /// The opcode in the text form.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Sub => "sub",
            Self::Mul => "mul",
            Self::Div => "div",
            Self::Pow => "pow",
            Self::Hypot => "hypot",
        }
    }

    /// The binary op with the given text-form name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }

    /// Whether `op(x, y)` and `op(y, x)` are bitwise equal for every `x`, `y` (up to NaN payloads).
    #[must_use]
    pub const fn is_commutative(self) -> bool {
        matches!(self, Self::Add | Self::Mul)
    }
}

/// Comparisons of two float operands, giving a boolean mask (IEEE semantics: any comparison with NaN is false,
/// except `ne`, which is true).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum CmpOp {
    /// `x < y`.
    Lt,
    /// `x <= y`.
    Le,
    /// `x > y`.
    Gt,
    /// `x >= y`.
    Ge,
    /// `x == y`.
    Eq,
    /// `x != y`.
    Ne,
}

impl CmpOp {
    /// Every comparison, in a fixed order.
    pub const ALL: [Self; 6] = [Self::Lt, Self::Le, Self::Gt, Self::Ge, Self::Eq, Self::Ne];

    /// The opcode in the text form.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Lt => "lt",
            Self::Le => "le",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Eq => "eq",
            Self::Ne => "ne",
        }
    }

    /// The comparison with the given text-form name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }
}

/// Boolean operations of two masks.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum BoolOp {
    /// Logical and.
    And,
    /// Logical or.
    Or,
}

impl BoolOp {
    /// The opcode in the text form.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::And => "and",
            Self::Or => "or",
        }
    }
}

/// How a `root` op starts its iteration, lane by lane.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum RootStart {
    /// Newton from a guess; a sign-change bracket is adopted as soon as two iterates straddle the root.
    Guess(Value),
    /// A sign-change bracket `[lo, hi]` (in either order); the iteration starts at its midpoint.
    Bracket(Value, Value),
    /// A bracket and a guess inside it (a guess outside the bracket is replaced by the midpoint).
    GuessInBracket {
        /// The first iterate.
        guess: Value,
        /// One end of the bracket.
        lo: Value,
        /// The other end of the bracket.
        hi: Value,
    },
}

impl RootStart {
    /// The guess, if any.
    #[must_use]
    pub const fn guess(&self) -> Option<Value> {
        match *self {
            Self::Guess(g) | Self::GuessInBracket { guess: g, .. } => Some(g),
            Self::Bracket(..) => None,
        }
    }

    /// The bracket ends, if any.
    #[must_use]
    pub const fn bracket(&self) -> Option<(Value, Value)> {
        match *self {
            Self::Bracket(lo, hi) | Self::GuessInBracket { lo, hi, .. } => Some((lo, hi)),
            Self::Guess(_) => None,
        }
    }

    fn map(self, mut f: impl FnMut(Value) -> Value) -> Self {
        match self {
            Self::Guess(g) => Self::Guess(f(g)),
            Self::Bracket(lo, hi) => Self::Bracket(f(lo), f(hi)),
            Self::GuessInBracket { guess, lo, hi } => Self::GuessInBracket { guess: f(guess), lo: f(lo), hi: f(hi) },
        }
    }
}

/// The attributes and operands of a `root` op: solve `F(y, params) = 0` for `y`, lane by lane.
///
/// `F` and `dF/dy` are the two outputs of the residual graph `residual`, whose inputs are `y` followed by the
/// parameters (see [`crate::Graph::residual`] and the algorithm in [`crate::root`]).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Root {
    /// The residual graph in the enclosing graph's residual table.
    pub residual: ResidualId,
    /// The parameters, in the order of the residual's inputs `1..`.
    pub params: Vec<Value>,
    /// The start of the iteration.
    pub start: RootStart,
    /// The relative step tolerance: a lane converges when a step satisfies `|step| <= tol * max(1, |y|)`.
    /// Stored as the bits of an `f64` so that the op can be hashed.
    pub tol_bits: u64,
    /// The most Newton or bisection steps per lane.
    pub max_iter: u32,
}

impl Root {
    /// The relative step tolerance.
    #[must_use]
    pub fn tol(&self) -> f64 {
        f64::from_bits(self.tol_bits)
    }
}

/// One instruction: the op that defines one value.
///
/// Operand order is the order in which [`Inst::operands`] lists them.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Inst {
    /// The graph input with the given index (its name and type are in [`crate::Graph::inputs`]).
    Input {
        /// The position in the graph's input list.
        index: u32,
    },
    /// A float constant (a scalar); for `f32` the value is exactly representable in `f32`.
    Const {
        /// `F64` or `F32`.
        elem: Elem,
        /// The bits of the value as an `f64`.
        bits: u64,
    },
    /// A boolean constant (a scalar).
    ConstBool(bool),
    /// An elementwise function of one float operand.
    Unary(UnOp, Value),
    /// An elementwise function of two float operands of the same kind.
    Binary(BinOp, Value, Value),
    /// `x^k` for an integer attribute `k`.
    Powi(Value, i32),
    /// An elementwise comparison of two floats of the same kind, giving a mask.
    Cmp(CmpOp, Value, Value),
    /// A boolean operation of two masks.
    Bool(BoolOp, Value, Value),
    /// The negation of a mask.
    Not(Value),
    /// `select(cond, a, b)`: `a` where `cond` holds, else `b`, lane by lane.
    Select(Value, Value, Value),
    /// A conversion between `f32` and `f64` (round to nearest even).
    Cast(Value, Elem),
    /// The sum of a batch over its lanes (a scalar).
    Sum(Value),
    /// A root of a residual function, lane by lane (see [`Root`]).
    Root(Box<Root>),
    /// The per-lane [`crate::RootStatus`] of a `root` value.
    RootStatus(Value),
    /// The mask of lanes whose status is [`crate::RootStatus::Converged`].
    Converged(Value),
}

impl Inst {
    /// A float constant of the given kind (the value is stored as given, except that every NaN becomes the one
    /// quiet NaN `f64::NAN`, which the text form prints and parses back; see [`Inst::Const`]).
    #[must_use]
    pub fn constant(elem: Elem, value: f64) -> Self {
        let value = if value.is_nan() { f64::NAN } else { value };
        Self::Const { elem, bits: value.to_bits() }
    }

    /// The text-form opcode.
    #[must_use]
    pub const fn opcode(&self) -> &'static str {
        match self {
            Self::Input { .. } => "input",
            Self::Const { .. } | Self::ConstBool(_) => "const",
            Self::Unary(op, _) => op.name(),
            Self::Binary(op, ..) => op.name(),
            Self::Powi(..) => "powi",
            Self::Cmp(op, ..) => op.name(),
            Self::Bool(op, ..) => op.name(),
            Self::Not(_) => "not",
            Self::Select(..) => "select",
            Self::Cast(..) => "cast",
            Self::Sum(_) => "sum",
            Self::Root(_) => "root",
            Self::RootStatus(_) => "root_status",
            Self::Converged(_) => "converged",
        }
    }

    /// The operands, in order (for `root`: the parameters, then the guess, then the bracket ends).
    #[must_use]
    pub fn operands(&self) -> Vec<Value> {
        let mut out = Vec::new();
        self.for_each_operand(|v| out.push(v));
        out
    }

    /// Calls `f` on every operand, in order.
    pub fn for_each_operand(&self, mut f: impl FnMut(Value)) {
        match self {
            Self::Input { .. } | Self::Const { .. } | Self::ConstBool(_) => {}
            Self::Unary(_, a)
            | Self::Powi(a, _)
            | Self::Not(a)
            | Self::Cast(a, _)
            | Self::Sum(a)
            | Self::RootStatus(a)
            | Self::Converged(a) => f(*a),
            Self::Binary(_, a, b) | Self::Cmp(_, a, b) | Self::Bool(_, a, b) => {
                f(*a);
                f(*b);
            }
            Self::Select(c, a, b) => {
                f(*c);
                f(*a);
                f(*b);
            }
            Self::Root(r) => {
                r.params.iter().copied().for_each(&mut f);
                if let Some(g) = r.start.guess() {
                    f(g);
                }
                if let Some((lo, hi)) = r.start.bracket() {
                    f(lo);
                    f(hi);
                }
            }
        }
    }

    /// The same instruction with every operand replaced by `f(operand)`.
    #[must_use]
    pub fn map_operands(&self, mut f: impl FnMut(Value) -> Value) -> Self {
        match self {
            Self::Input { .. } | Self::Const { .. } | Self::ConstBool(_) => self.clone(),
            Self::Unary(op, a) => Self::Unary(*op, f(*a)),
            Self::Powi(a, k) => Self::Powi(f(*a), *k),
            Self::Not(a) => Self::Not(f(*a)),
            Self::Cast(a, e) => Self::Cast(f(*a), *e),
            Self::Sum(a) => Self::Sum(f(*a)),
            Self::RootStatus(a) => Self::RootStatus(f(*a)),
            Self::Converged(a) => Self::Converged(f(*a)),
            Self::Binary(op, a, b) => Self::Binary(*op, f(*a), f(*b)),
            Self::Cmp(op, a, b) => Self::Cmp(*op, f(*a), f(*b)),
            Self::Bool(op, a, b) => Self::Bool(*op, f(*a), f(*b)),
            Self::Select(c, a, b) => Self::Select(f(*c), f(*a), f(*b)),
            Self::Root(r) => Self::Root(Box::new(Root {
                residual: r.residual,
                params: r.params.iter().map(|&p| f(p)).collect(),
                start: r.start.map(f),
                tol_bits: r.tol_bits,
                max_iter: r.max_iter,
            })),
        }
    }
}
