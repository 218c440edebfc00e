//! `sym-grad`: derivatives through sym solutions, as IR-to-IR transforms (reverse mode, forward mode, Hessians),
//! with roots differentiated by the implicit function theorem and NaN-safe `select`, and execution on burn.
//!
//! # The pieces
//!
//! - **Transforms** ([`gradient`], [`vjp`], [`jvp`], [`forward_derivatives`], [`hessian`]): a sym-lower
//!   [`Graph`](sym_lower::Graph) in, a [`Derivative`] out: an ordinary graph whose outputs are the original values,
//!   the derivatives and the per-lane status outputs ([`Derivative::status`]), optimised by sym-lower's passes and
//!   run by its interpreter or executor. The engine (reverse and forward sweeps) is in the `engine` module, every
//!   op's derivative rule in [`rules`].
//! - **Roots** ([`implicit`]): `root` ops are differentiated by the implicit function theorem, never through the
//!   iteration, with a per-lane check that turns a singular or ill-conditioned `dF/dy` into the status
//!   `singular_derivative` instead of a silent NaN or a biased number. Higher derivatives differentiate the IFT
//!   expression again. [`implicit_solution`] ties a closed-form solution to its equation so that it is
//!   differentiated the same way; [`stop_gradient`] is the IR's stop-gradient.
//! - **NaN-safe `select`**: the branch not taken contributes exactly zero, even where its value or derivative is
//!   NaN or infinite (the double select, see the `engine` module).
//! - **Solutions of equations** ([`solution`]): the implicit derivatives of a solution of `F(y, p) = 0` given as
//!   sym-core expressions, in MPFR at any precision (what `sym solve --grad` prints) and as an IR derivative graph.
//! - **burn** ([`burn_backend`]): any graph as a differentiable function of burn tensors (one autodiff node whose
//!   backward is the IR's vector-Jacobian product), a burn `Module` with trainable constants, and a tape in the
//!   manner of `GradientTape`.
//!
//! # Example
//!
//! The circle branch `y = -sqrt(9 - x^2)` and the real root of `y^5 + a y + b = 0`, with their derivatives:
//!
//! ```
//! use ndarray::array;
//! use sym_grad::{GradOptions, gradient};
//! use sym_lower::{Builder, RootOptions, RootStart, RootStatus, Type, interpret};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut b = Builder::new();
//! let x = b.input("x", Type::F64_BATCH)?;
//! let nine = b.const_f64(9.0);
//! let x2 = b.powi(x, 2)?;
//! let d = b.sub(nine, x2)?;
//! let s = b.sqrt(d)?;
//! let y = b.neg(s)?;
//! b.output("y", y)?;
//! let circle = b.finish()?;
//! let dy = gradient(&circle, "y", &["x"], &GradOptions::default())?;
//! let out = interpret(dy.graph(), &[(&array![1.0, 2.0]).into()])?;
//! let (ys, gs) = (out[0].as_f64().unwrap(), out[1].as_f64().unwrap());
//! assert_eq!(gs[[0]], -1.0 / ys[[0]]); // dy/dx = -x/y
//!
//! // y^5 + a y + b = 0: the residual graph has inputs (y, a, b) and outputs F and dF/dy.
//! let mut r = Builder::new();
//! let (y, a, b0) = (r.input("y", Type::F64_BATCH)?, r.input("a", Type::F64_BATCH)?, r.input("b", Type::F64_BATCH)?);
//! let y5 = r.powi(y, 5)?;
//! let ay = r.mul(a, y)?;
//! let f0 = r.add(y5, ay)?;
//! let f = r.add(f0, b0)?;
//! let y4 = r.powi(y, 4)?;
//! let five = r.const_f64(5.0);
//! let t = r.mul(five, y4)?;
//! let df = r.add(t, a)?;
//! r.output("f", f)?;
//! r.output("df", df)?;
//! let mut g = Builder::new();
//! let (a, b0) = (g.input("a", Type::F64_BATCH)?, g.input("b", Type::F64_BATCH)?);
//! let id = g.add_residual(r.finish()?)?;
//! let zero = g.const_f64(0.0);
//! let y = g.root(id, &[a, b0], RootStart::Guess(zero), RootOptions::F64)?;
//! g.output("y", y)?;
//! let quintic = g.finish()?;
//! let dq = gradient(&quintic, "y", &["a", "b"], &GradOptions::default())?;
//! let out = interpret(dq.graph(), &[(&array![1.5]).into(), (&array![0.5]).into()])?;
//! let yv = out[0].as_f64().unwrap()[[0]];
//! let fy = 5.0 * yv.powi(4) + 1.5;
//! assert!((out[2].as_f64().unwrap()[[0]] + 1.0 / fy).abs() < 1e-15); // dy/db = -1/F_y
//! assert_eq!(dq.status(&out, 1)?.unwrap()[0], RootStatus::Converged);
//! # Ok(()) }
//! ```

#![deny(rustdoc::broken_intra_doc_links)]

pub mod burn_backend;
mod derivative;
mod engine;
mod error;
pub mod implicit;
pub mod rules;
mod simplify;
pub mod solution;

pub use derivative::{Derivative, Role, forward_derivatives, gradient, hessian, jvp, vjp};
pub use error::{BurnProblem, Error, Result};
pub use implicit::{implicit_solution, stop_gradient};
pub use solution::{ImplicitGradient, PointGradient};

/// What a derivative is where it does not exist (a root that did not converge, or whose implicit-function
/// check failed; see [`implicit`]).
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
#[non_exhaustive]
pub enum SingularPolicy {
    /// NaN, with the lane's status saying why (the default).
    #[default]
    Nan,
    /// Zero, with the lane's status saying why: a failed lane then drops out of sums over lanes (training).
    Zero,
}

/// Options of the derivative transforms.
#[derive(Copy, Clone, PartialEq, Debug)]
pub struct GradOptions {
    /// The value of derivatives through roots where they do not exist.
    pub singular: SingularPolicy,
    /// The largest estimated relative error of `dF/dy` at a root for which the implicit-function derivative is
    /// returned (see [`implicit`]); above it the lane is `singular_derivative`.
    pub ift_tol: f64,
    /// Whether a zero cotangent or tangent times an infinite partial is zero (see [`rules`]).
    pub strong_zero: bool,
    /// Whether the derivative graph is optimised by sym-lower's passes (`optimize`: safer rewrites, constant
    /// folding, dead-code elimination; hash-consing throughout).
    pub optimize: bool,
}

impl Default for GradOptions {
    fn default() -> Self {
        Self { singular: SingularPolicy::Nan, ift_tol: 1e-2, strong_zero: true, optimize: true }
    }
}
