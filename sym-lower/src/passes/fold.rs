//! Constant folding and exact algebraic identities.
//!
//! An op whose operands are all constants is replaced by its value, computed by the same scalar functions as
//! the interpreter (so in its own float kind). The identities below hold bit for bit in IEEE arithmetic for
//! every operand, NaN and signed zeros included, and are applied only when the replacement has the same type
//! as the op (a scalar never replaces a batch):
//!
//! - `x * 1 = 1 * x = x`, `x / 1 = x`, `x - (+0) = x`, `x + (-0) = (-0) + x = x` (but not `x + 0`: `-0 + 0 = +0`);
//! - `neg (neg x) = x`, `powi x, 1 = x`, `not (not b) = b`;
//! - `powi (abs x), k = powi x, k` for even `k` and `abs (powi x, k)` for odd `k` (bit for bit but for the sign
//!   of a NaN result, which no op reads: `powi` of a NaN with the sign bit set may keep it);
//! - `select true, a, b = a`, `select false, a, b = b`, `select c, a, a = a`;
//! - for masks: `select c, c, b = or c, b`, `select c, a, c = and c, a`, `select c, true, false = c`,
//!   `select c, false, true = not c` (then folded again);
//! - `cast x` to its own kind `= x`;
//! - `and b, true = b`, `and b, false = false`, `or b, false = b`, `or b, true = true`.
//!
//! `root` ops are not folded, even with constant operands: their status is part of their meaning.

use super::rebuild;
use crate::builder::Builder;
use crate::error::Result;
use crate::graph::Graph;
use crate::op::{BinOp, BoolOp, Inst, UnOp};
use crate::scalar::{self, Real};
use crate::types::{Elem, Value};
use crate::verify::{verify, verify_if_debug};

/// Folds constants and applies the exact identities of the module doc. Values are unchanged bit for bit.
///
/// # Errors
/// [`crate::Error::Verify`] if the input graph is invalid (or, in debug builds, if the pass broke an invariant).
pub fn fold_constants(graph: &Graph) -> Result<Graph> {
    verify(graph)?;
    let out = rebuild(graph, None, &mut |b, inst, _| fold_one(b, inst))?;
    verify_if_debug(&out)?;
    Ok(out)
}

/// A float constant's kind and value.
fn float_const(b: &Builder, v: Value) -> Option<(Elem, f64)> {
    match b.graph().inst(v) {
        Inst::Const { elem, bits } => Some((*elem, f64::from_bits(*bits))),
        _ => None,
    }
}

fn bool_const(b: &Builder, v: Value) -> Option<bool> {
    match b.graph().inst(v) {
        Inst::ConstBool(c) => Some(*c),
        _ => None,
    }
}

/// Evaluates `f` on constant operands in their own kind and emits the result.
fn emit_float(b: &mut Builder, elem: Elem, f64_fn: impl Fn() -> f64, f32_fn: impl Fn() -> f32) -> Result<Value> {
    match elem {
        Elem::F32 => Ok(b.const_f32(f32_fn())),
        _ => Ok(b.const_f64(f64_fn())),
    }
}

fn fold_one(b: &mut Builder, inst: Inst) -> Result<Value> {
    // The op's type, without building it (a folded op is never built).
    let ty = b.type_of(&inst)?;
    let same = |b: &Builder, w: Value| b.ty(w).is_ok_and(|t| t == ty);
    let f32_of = |x: f64| f32::from_f64(x);
    let folded = match inst.clone() {
        Inst::Unary(op, a) => match (float_const(b, a), op) {
            (Some((e, x)), _) => Some(emit_float(b, e, || scalar::unary(op, x), || scalar::unary(op, f32_of(x)))?),
            (None, UnOp::Neg) => match b.graph().inst(a) {
                Inst::Unary(UnOp::Neg, x) if same(b, *x) => Some(*x),
                _ => None,
            },
            _ => None,
        },
        Inst::Powi(a, k) => match float_const(b, a) {
            Some((e, x)) => Some(emit_float(b, e, || scalar::powi(x, k), || scalar::powi(f32_of(x), k))?),
            None if k == 1 && same(b, a) => Some(a),
            None => match *b.graph().inst(a) {
                // `powi (abs x), k`: binary powering multiplies the same magnitudes for `x` and `|x|`, and IEEE
                // rounding is symmetric in sign, so the result is `powi x, k` for even `k` and its `abs` for odd
                // `k` (the power of `x` is then shared with other users of it, as in a root's error bound).
                Inst::Unary(UnOp::Abs, x) if same(b, x) => {
                    let p = b.powi(x, k)?;
                    Some(if k % 2 == 0 { p } else { b.unary(UnOp::Abs, p)? })
                }
                _ => None,
            },
        },
        Inst::Binary(op, a, c) => match (float_const(b, a), float_const(b, c)) {
            (Some((e, x)), Some((_, y))) => {
                Some(emit_float(b, e, || scalar::binary(op, x, y), || scalar::binary(op, f32_of(x), f32_of(y)))?)
            }
            (None, Some((_, y))) => {
                let identity = match op {
                    BinOp::Mul | BinOp::Div => y == 1.0,
                    BinOp::Sub => y.to_bits() == 0.0_f64.to_bits(),
                    BinOp::Add => y.to_bits() == (-0.0_f64).to_bits(),
                    _ => false,
                };
                (identity && same(b, a)).then_some(a)
            }
            (Some((_, x)), None) => {
                let identity = match op {
                    BinOp::Mul => x == 1.0,
                    BinOp::Add => x.to_bits() == (-0.0_f64).to_bits(),
                    _ => false,
                };
                (identity && same(b, c)).then_some(c)
            }
            (None, None) => None,
        },
        Inst::Cmp(op, a, c) => match (float_const(b, a), float_const(b, c)) {
            (Some((Elem::F32, x)), Some((_, y))) => Some(b.const_bool(scalar::compare(op, f32_of(x), f32_of(y)))),
            (Some((_, x)), Some((_, y))) => Some(b.const_bool(scalar::compare(op, x, y))),
            _ => None,
        },
        Inst::Bool(op, p, q) => match (bool_const(b, p), bool_const(b, q)) {
            (Some(x), Some(y)) => Some(b.const_bool(match op {
                BoolOp::And => x && y,
                BoolOp::Or => x || y,
            })),
            (Some(k), None) | (None, Some(k)) => {
                let other = if bool_const(b, p).is_some() { q } else { p };
                match (op, k) {
                    (BoolOp::And, true) | (BoolOp::Or, false) => same(b, other).then_some(other),
                    (BoolOp::And, false) | (BoolOp::Or, true) => {
                        let c = b.const_bool(k);
                        same(b, c).then_some(c)
                    }
                }
            }
            (None, None) => None,
        },
        Inst::Not(a) => match (bool_const(b, a), b.graph().inst(a)) {
            (Some(x), _) => Some(b.const_bool(!x)),
            (None, Inst::Not(y)) if same(b, *y) => Some(*y),
            _ => None,
        },
        Inst::Select(c, x, y) => {
            let pick = match bool_const(b, c) {
                Some(true) => Some(x),
                Some(false) => Some(y),
                None if x == y => Some(x),
                None => None,
            };
            match pick.filter(|&w| same(b, w)) {
                Some(w) => Some(w),
                None if ty.elem == Elem::Bool => match (bool_const(b, x), bool_const(b, y)) {
                    _ if x == c => Some(fold_one(b, Inst::Bool(BoolOp::Or, c, y))?),
                    _ if y == c => Some(fold_one(b, Inst::Bool(BoolOp::And, c, x))?),
                    (Some(true), Some(false)) if same(b, c) => Some(c),
                    (Some(false), Some(true)) => Some(fold_one(b, Inst::Not(c))?),
                    _ => None,
                }
                .filter(|&w| same(b, w)),
                None => None,
            }
        }
        Inst::Cast(a, to) => match float_const(b, a) {
            Some((_, x)) => Some(b.constant(to, x)?),
            None => same(b, a).then_some(a),
        },
        _ => None,
    };
    match folded {
        Some(v) => Ok(v),
        None => b.inst(inst),
    }
}
