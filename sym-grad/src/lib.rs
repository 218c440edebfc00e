//! `sym-grad`: derivatives through sym solutions, as IR-to-IR transforms (reverse mode, forward mode, Hessians),
//! with roots differentiated by the implicit function theorem and NaN-safe `select`, and execution on burn.
//!
//! Being built; see `ARCHITECTURE.md`.

pub mod burn_backend;
mod derivative;
mod engine;
mod error;
pub mod implicit;
pub mod rules;

pub use implicit::{implicit_solution, stop_gradient};
pub use derivative::{
    Derivative, Role, forward_derivatives, gradient, hessian, jvp, vjp,
};
pub use error::{Error, Result};

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
        Self {
            singular: SingularPolicy::Nan,
            ift_tol: 1e-2,
            strong_zero: true,
            optimize: true,
        }
    }
}
