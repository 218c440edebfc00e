//! Numerically safer rewrites that are exact identities over the reals.
//!
//! | naive form | rewritten | why the new form is better |
//! |---|---|---|
//! | `log(1 + x)`, `log(x + 1)` | `log1p x` | `fl(1 + x) = (1 + x)(1 + d)` with `|d| <= u = eps/2`, so `log(fl(1 + x)) = log1p(x) + log(1 + d)`: an absolute error up to `u`, which is all of the result when `|x| < u`; `log1p` is accurate to about an ulp of its result |
//! | `log(1 - x)` | `log1p(-x)` | the same, since `-x` is exact |
//! | `exp(x) - 1` | `expm1 x` | `fl(exp x) - 1` has an absolute error up to about `u exp(x)`, all of the result for small `x`; `expm1` is accurate to about an ulp |
//! | `sqrt(x*x + y*y)` (or with `powi _, 2`) | `hypot(x, y)` | the squares overflow for `|x| > 1.3e154` and underflow for `|x| < 1.5e-154` in `f64`; `hypot` scales, and is accurate to about an ulp |
//!
//! The rewrites change values (they are more accurate, not bit-identical); special values can differ too, in
//! the rewritten form's favour (`hypot(inf, NaN) = inf`). The naive subexpression (`1 + x`, ...) is left in place
//! for its other users; [`crate::passes::dce()`] removes it when it has none.

use super::rebuild;
use crate::builder::Builder;
use crate::error::Result;
use crate::graph::Graph;
use crate::op::{BinOp, Inst, UnOp};
use crate::types::Value;
use crate::verify::{verify, verify_if_debug};

/// Applies the rewrites of the module doc wherever they match.
///
/// # Errors
/// [`crate::Error::Verify`] if the input graph is invalid (or, in debug builds, if the pass broke an invariant).
pub fn safe_rewrites(graph: &Graph) -> Result<Graph> {
    verify(graph)?;
    let out = rebuild(graph, None, &mut |b, inst, _| rewrite_one(b, inst))?;
    verify_if_debug(&out)?;
    Ok(out)
}

fn is_one(b: &Builder, v: Value) -> bool {
    matches!(b.graph().inst(v), Inst::Const { bits, .. } if f64::from_bits(*bits) == 1.0)
}

/// `x` if `v` is `x*x` or `powi x, 2`.
fn square_of(b: &Builder, v: Value) -> Option<Value> {
    match *b.graph().inst(v) {
        Inst::Binary(BinOp::Mul, x, y) if x == y => Some(x),
        Inst::Powi(x, 2) => Some(x),
        _ => None,
    }
}

fn rewrite_one(b: &mut Builder, inst: Inst) -> Result<Value> {
    let ty = b.type_of(&inst)?;
    let same = |b: &Builder, w: Value| b.ty(w).is_ok_and(|t| t == ty);
    match inst {
        Inst::Unary(UnOp::Log, a) => match *b.graph().inst(a) {
            Inst::Binary(BinOp::Add, p, q) if is_one(b, p) && same(b, q) => return b.log1p(q),
            Inst::Binary(BinOp::Add, p, q) if is_one(b, q) && same(b, p) => return b.log1p(p),
            Inst::Binary(BinOp::Sub, p, q) if is_one(b, p) && same(b, q) => {
                let m = b.neg(q)?;
                return b.log1p(m);
            }
            _ => {}
        },
        Inst::Binary(BinOp::Sub, p, q) if is_one(b, q) => {
            if let Inst::Unary(UnOp::Exp, x) = *b.graph().inst(p)
                && same(b, x)
            {
                return b.expm1(x);
            }
        }
        Inst::Unary(UnOp::Sqrt, a) => {
            if let Inst::Binary(BinOp::Add, p, q) = *b.graph().inst(a)
                && let (Some(x), Some(y)) = (square_of(b, p), square_of(b, q))
            {
                let h = b.hypot(x, y)?;
                if same(b, h) {
                    return Ok(h);
                }
            }
        }
        _ => {}
    }
    b.inst(inst)
}
