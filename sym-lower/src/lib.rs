//! `sym-lower`: a tensor IR for sym expressions and solutions, its passes, a reference interpreter and a fast
//! batched CPU executor.
//!
//! A [`Graph`] is a pure SSA dataflow program over batched tensors (`f32`/`f64`; a batch dimension broadcast
//! against scalars). It is built with a hash-consing [`Builder`], checked by the [`verify`] module, printed and
//! parsed by the [`text`] module, optimised by [`passes`], and run by the reference [`interpret`]er or the fast
//! [`Executor`]. Roots without a closed form are `root` ops: per-lane safeguarded Newton on a residual graph
//! ([`root`]), with a per-lane [`RootStatus`] that the graph reads with `root_status`.
//!
//! # The pieces
//!
//! - **Values and types** ([`Value`], [`Type`] = [`Elem`] x [`Shape`]): `u32` ids; `f64`, `f32`, `bool` masks and
//!   `status` elements; scalars broadcast against batches of `n` lanes.
//! - **Ops** ([`Inst`]): inputs, constants, `+ - * /`, `pow`, `powi` (integer attribute), `neg`, `recip`, `sqrt`,
//!   `cbrt`, every function of sym-core ([`UnOp`]: `exp log sin cos tan cot sec csc asin acos atan acot sinh
//!   cosh tanh coth asinh acosh atanh abs sign lambertw`, and the safe forms `log1p expm1 hypot`), comparisons,
//!   `and`/`or`/`not`, `select`, `cast`, `sum` over the batch, `root`, `root_status`, `converged`.
//! - **Builder**: one method per op (`b.add(x, y)?`, `b.sqrt(x)?`, `b.root(..)?`), [`Builder::function`] by
//!   sym-core function name (an unknown name is [`Error::Unsupported`] naming it), [`Builder::constant`] (rounds
//!   an exact value to the kind once), [`Builder::inline`] (copies a graph in, e.g. a residual at its root).
//! - **Verifier** ([`verify::verify`]): the invariants are listed in its module doc; a failure is a
//!   [`VerifyError`] naming the value, the op and the [`Invariant`].
//! - **Text form** ([`print()`], [`parse()`]): round-trips; parse errors carry line and column.
//! - **Passes** ([`passes`]): constant folding, CSE, DCE, and exact safer rewrites (`log1p`, `expm1`, `hypot`);
//!   each verifies its input, and its output in debug builds.
//! - **Interpreter** ([`interpret`]): the executable semantics, lane by lane, in `f64` or `f32` as the graph says.
//! - **Executor** ([`Executor`]): compiled once, run many times on `ndarray` batches ([`Executor::run`],
//!   [`Executor::run_into`] with caller-provided buffers); chunked, fused, vectorised, multi-threaded with rayon;
//!   the interpreter's results bit for bit (sums up to their order).
//!
//! # Roots: the residual is a graph
//!
//! A `root` op solves `F(y, p1, ..., pk) = 0` for `y` lane by lane. `F` lives in the graph's residual table
//! ([`Graph::residuals`], referred to by a [`ResidualId`]) as an ordinary [`Graph`] with inputs
//! `(y, p1, ..., pk)` (batches of one float kind) and two outputs, `F` and `dF/dy`. Because a residual is a
//! first-class graph it can be verified, printed, interpreted, differentiated with respect to any input (the
//! implicit function theorem needs `dF/dp_i` at the root) and inlined into the enclosing graph at the root
//! ([`Builder::inline`]) to evaluate those derivatives there. Residuals contain no `root`, `sum`, `cast` or status
//! ops, so every residual can be evaluated lane by lane.
//!
//! # Root statuses are values
//!
//! `root_status %r` is a value of kind `status` (one [`RootStatus`] per lane): converged, not converged, no
//! bracket, singular derivative, or non-finite. It can be an output (returned as an array of [`RootStatus`]) and
//! `converged %s` turns it into a mask, so a graph can `select` a fallback where a root failed. A failed lane never
//! gives a silent NaN: its value is NaN only when its status says why.
//!
//! # Example
//!
//! ```
//! use ndarray::array;
//! use sym_lower::{Builder, Executor, Type, interpret};
//! # fn main() -> Result<(), sym_lower::Error> {
//! // The circle branch y = -sqrt(9 - x^2).
//! let mut b = Builder::new();
//! let x = b.input("x", Type::F64_BATCH)?;
//! let nine = b.const_f64(9.0);
//! let x2 = b.powi(x, 2)?;
//! let d = b.sub(nine, x2)?;
//! let s = b.sqrt(d)?;
//! let y = b.neg(s)?;
//! b.output("y", y)?;
//! let graph = b.finish()?;
//!
//! let xs = array![0.0, 1.0, 3.0];
//! let fast = Executor::new(&graph)?.run(&[(&xs).into()])?;
//! let slow = interpret(&graph, &[(&xs).into()])?;
//! assert_eq!(fast, slow);
//! let ys = fast[0].as_f64().unwrap();
//! assert_eq!(ys[[0]], -3.0);
//! assert_eq!(ys[[1]], -(8.0_f64.sqrt()));
//! # Ok(()) }
//! ```

#![deny(rustdoc::broken_intra_doc_links)]

mod builder;
mod error;
mod exec;
mod graph;
mod interp;
pub mod lower;
mod op;
pub mod passes;
pub mod root;
pub mod scalar;
mod tensor;
pub mod text;
mod types;
mod typing;
pub mod verify;

pub use builder::Builder;
pub use error::{
    Error, Invariant, Location, LowerError, LowerProblem, ParseError, ParseErrorKind, Result, TensorProblem,
    VerifyError,
};
pub use exec::{ExecOptions, Executor, Isa, Threads};
pub use graph::{Graph, InputDecl, Output};
pub use interp::interpret;
pub use op::{BinOp, BoolOp, CmpOp, Inst, Root, RootStart, UnOp};
pub use root::{RootOptions, RootStatus};
pub use tensor::{Tensor, TensorMut, TensorRef};
pub use text::{parse, print};
pub use types::{Elem, ResidualId, Shape, Type, Value};
