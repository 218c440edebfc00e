//! `sym-lower`: a tensor IR for sym expressions and solutions, its passes, a reference interpreter and a fast
//! batched CPU executor.
//!
//! A [`Graph`] is a pure SSA dataflow program over batched tensors (`f32`/`f64`; a batch dimension broadcast
//! against scalars). It is built with a hash-consing [`Builder`], checked by the [`verify`] module, printed and
//! parsed by the [`text`] module, optimised by [`passes`], and run by the reference [`interpret`]er or the fast
//! [`Executor`]. Roots without a closed form are `root` ops: per-lane safeguarded Newton on a residual graph
//! ([`root`]), with a per-lane [`RootStatus`] that the graph reads with `root_status`.
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

mod builder;
mod error;
mod exec;
mod graph;
mod interp;
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
    Error, Invariant, Location, ParseError, ParseErrorKind, Result, TensorProblem, VerifyError,
};
pub use exec::{ExecOptions, Executor, Threads};
pub use graph::{Graph, InputDecl, Output};
pub use interp::interpret;
pub use op::{BinOp, BoolOp, CmpOp, Inst, Root, RootStart, UnOp};
pub use root::{RootOptions, RootStatus};
pub use tensor::{Tensor, TensorMut, TensorRef};
pub use text::{parse, print};
pub use types::{Elem, ResidualId, Shape, Type, Value};
