//! Numeric values of `RootOf(p, x, k)` for polynomials with rational coefficients, through the
//! certified root isolation of [`crate::roots`].

use crate::error::SolveError;
use sym_core::{Expr, Symbol};

/// The value of `RootOf(poly, var, index)` as an expression `re + im*I` of floats with `prec`
/// bits; the polynomial must have rational coefficients (parameters already substituted).
pub fn root_of_value(poly: &Expr, var: Symbol, index: u32, prec: u32) -> Result<Expr, SolveError> {
    let _ = (poly, var, index, prec);
    Err(SolveError::InvalidOption("RootOf evaluation is not wired to the root isolation yet".into()))
}
