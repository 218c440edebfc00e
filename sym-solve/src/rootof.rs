//! Numeric values of `RootOf(p, x, k)` for polynomials with rational coefficients, through the
//! certified root isolation of [`crate::roots`].

use crate::algebraic::{integer_poly, rational_coeffs};
use crate::error::SolveError;
use rug::Float;
use sym_core::{Expr, Number, Symbol};

/// The value of `RootOf(poly, var, index)` as an expression `re + im*I` of floats with `prec`
/// bits (certified to that many bits by the root isolation). The polynomial must have rational
/// coefficients: parameters are substituted before this is called.
pub fn root_of_value(poly: &Expr, var: Symbol, index: u32, prec: u32) -> Result<Expr, SolveError> {
    let coeffs = poly.poly_coeffs(var).ok_or_else(|| SolveError::NotAnEquation(poly.to_string()))?;
    let q = rational_coeffs(&coeffs)
        .ok_or_else(|| SolveError::InvalidOption(format!("RootOf needs rational coefficients at the point: {poly}")))?;
    if q.len() < 2 {
        return Err(SolveError::InvalidOption(format!("RootOf of a constant: {poly}")));
    }
    let p = integer_poly(&q);
    let digits = ((prec as f64) / std::f64::consts::LOG2_10).ceil() as u32 + 2;
    let root = crate::roots::root_of(&p, index as usize, digits)
        .map_err(|e| SolveError::InvalidOption(format!("RootOf({poly}, {index}): {e}")))?;
    let re = Number::from_float(Float::with_val(prec, root.re())).unwrap_or(Number::ZERO);
    if root.is_real() {
        return Ok(Expr::num(re));
    }
    let im = Number::from_float(Float::with_val(prec, root.im())).unwrap_or(Number::ZERO);
    Ok(Expr::add(Expr::num(re), Expr::mul(Expr::num(im), Expr::i())))
}
