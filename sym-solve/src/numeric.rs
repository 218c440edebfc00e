//! Numeric evaluation of exact solutions at a parameter point, with `RootOf` support, and
//! implicit-function-theorem gradients.
//!
//! Values are computed by sym-core's MPFR evaluator at a working precision with guard bits;
//! `RootOf(p, x, k)` nodes are first replaced by their value (the polynomial is instantiated at
//! the point, its roots certified by [`crate::roots`], and the `k`-th in the canonical order is
//! taken).

use crate::error::SolveError;
use rug::{Complex, Float};
use std::collections::HashMap;
use sym_core::evalf::{ComplexEnv, eval_complex};
use sym_core::{Expr, Kind, Symbol};

/// A point: exact values of the parameters.
pub type Point = HashMap<Symbol, Expr>;

/// Evaluates `e` at `point` with `prec` bits, resolving `RootOf` nodes.
pub fn eval_at(e: &Expr, point: &Point, prec: u32) -> Result<Complex, SolveError> {
    let inst = instantiate(e, point);
    let resolved = resolve_root_ofs(&inst, prec)?;
    let env: ComplexEnv = ComplexEnv::new();
    Ok(eval_complex(&resolved, &env, prec)?)
}

/// Substitutes the point's exact values into `e`.
pub fn instantiate(e: &Expr, point: &Point) -> Expr {
    if point.is_empty() {
        return e.clone();
    }
    let pairs: Vec<(Expr, Expr)> = point.iter().map(|(k, v)| (Expr::sym(*k), v.clone())).collect();
    e.subs_all(&pairs)
}

/// Replaces every `RootOf` with rational coefficients by a complex float of `prec` bits.
pub fn resolve_root_ofs(e: &Expr, prec: u32) -> Result<Expr, SolveError> {
    if !contains_root_of(e) {
        return Ok(e.clone());
    }
    sym_core::expr::map_children(e, |c| resolve_root_ofs(c, prec)).and_then(|rebuilt| match rebuilt.kind() {
        Kind::RootOf(r) => crate::rootof::root_of_value(&r.poly, r.var, r.index, prec),
        _ => Ok(rebuilt),
    })
}

fn contains_root_of(e: &Expr) -> bool {
    let mut stack = vec![e.clone()];
    while let Some(n) = stack.pop() {
        if matches!(n.kind(), Kind::RootOf(_)) {
            return true;
        }
        stack.extend(n.children());
    }
    false
}

/// Whether a complex value is real to the working precision (relative to its modulus).
pub fn is_real_value(z: &Complex, prec: u32) -> bool {
    let m = Float::with_val(prec, z.abs_ref());
    if m.is_zero() {
        return true;
    }
    let im = Float::with_val(prec, z.imag().abs_ref());
    let tol = Float::with_val(prec, &m >> (prec * 3 / 4));
    im <= tol
}

/// `d(unknown)/d(param)` at a simple root by the implicit function theorem:
/// `-(dF/dp) / (dF/dx)` with `F` the equation, evaluated at the point and the root. `None` when
/// `dF/dx` vanishes (a singular root, where the derivative does not exist) or evaluation fails.
pub fn ift_gradient(f: &Expr, x: Symbol, root: &Complex, param: Symbol, point: &Point, prec: u32) -> Option<Complex> {
    let fx = f.diff(x);
    let fp = f.diff(param);
    let mut env = ComplexEnv::new();
    env.insert(x, root.clone());
    let inst = |g: &Expr| -> Option<Complex> {
        let e = resolve_root_ofs(&instantiate(g, point), prec).ok()?;
        eval_complex(&e, &env, prec).ok()
    };
    let dx = inst(&fx)?;
    let dp = inst(&fp)?;
    let scale = Float::with_val(prec, dp.abs_ref()).max(&Float::with_val(prec, 1));
    let dxm = Float::with_val(prec, dx.abs_ref());
    if dxm.is_zero() || dxm < Float::with_val(prec, &scale >> (prec / 2)) {
        return None;
    }
    Some(-(dp / dx))
}
