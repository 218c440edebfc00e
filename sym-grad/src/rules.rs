//! The derivative rules: for every elementwise op `u = f(a)` or `u = f(a, b)`, its partial derivatives as IR
//! values built from the op's operands and result.
//!
//! Reverse mode multiplies a cotangent by these partials, forward mode a tangent, and the rounding-magnitude
//! sweep of [`crate::implicit`] their absolute values, so each rule is written once, here.
//!
//! # The rules
//!
//! With `u` the op's own result (reused wherever it saves work or improves accuracy):
//!
//! | op | partial | note |
//! |---|---|---|
//! | `neg`, `recip` | `-1`, `-u^2` | |
//! | `sqrt`, `cbrt` | `1/(2u)`, `1/(3u^2)` | `+inf` at `0`: the true one-sided limit |
//! | `exp`, `log` | `u`, `1/a` | |
//! | `sin`, `cos`, `tan` | `cos a`, `-sin a`, `1 + u^2` | |
//! | `cot`, `sec`, `csc` | `-(1 + u^2)`, `u tan a`, `-u cot a` | |
//! | `asin`, `acos` | `±1/sqrt((1-a)(1+a))` | the factored form keeps relative accuracy near `±1` |
//! | `atan`, `acot` | `±1/(1 + a^2)` | `acot` has a jump at `0` (`acot 0 = pi/2`); the rule gives the one-sided derivative `-1` |
//! | `sinh`, `cosh` | `cosh a`, `sinh a` | |
//! | `tanh`, `coth` | `1/cosh^2 a`, `-1/sinh^2 a` | not `1 - u^2`, which cancels to `0` for large `a` |
//! | `asinh` | `1/hypot(a, 1)` | no overflow of `a^2` |
//! | `acosh` | `1/(sqrt(a-1) sqrt(a+1))` | no overflow of `a^2` |
//! | `atanh` | `1/((1-a)(1+a))` | |
//! | `abs`, `sign` | `sign a`, `0` | `abs` takes the subgradient `0` at `0` |
//! | `lambertw` | `1/(e^u (1 + u))` | not `u/(a(1+u))`, which is `0/0` at `a = 0` (where `W' = 1`); `+inf` at the branch point `-1/e` |
//! | `log1p`, `expm1` | `1/(1+a)`, `e^a` | |
//! | `powi a, k` | `k a^(k-1)` (`0` for `k = 0`) | |
//! | `a + b`, `a - b` | `1`, `±1` | |
//! | `a * b` | `b`, `a` | |
//! | `a / b` | `1/b`, `-u/b` | |
//! | `pow a, b` | `b a^(b-1)` where `b != 0` else `0`; `u log a` where `a != 0` else `0` | `a^0 = 1` is constant in `a`, and `0^b = 0` is constant in `b` for `b > 0`: these `0`s avoid `0 * inf` |
//! | `hypot a, b` | `a/u`, `b/u` where `u != 0` else `0` | the subgradient `0` at the origin, as for `abs` |
//!
//! Partials of the form `k / g` are kept as quotients, so that a cotangent `x` times one is built as `(k x) / g`:
//! one division instead of a reciprocal and a product. Reverse and forward mode treat `a / b` as a whole:
//! `abar = ubar / b`, `bbar = -u abar` and `udot = (adot - u bdot) / b`, one division each.
//!
//! # Zero times infinity
//!
//! Where a partial can be infinite at a finite operand (the ops `may_be_infinite` lists), the chain-rule product with a
//! cotangent or tangent that is exactly zero is taken to be zero ("strong zero"), so `x * sqrt(x)` has derivative
//! `0` at `0` in reverse mode instead of `0 * inf = NaN`. A zero cotangent means that the output does not depend
//! on the value to first order, so its contribution is zero whatever the partial.

use sym_lower::{BinOp, Builder, Elem, Inst, UnOp, Value};

/// A partial derivative: a constant (folded without building anything) or a value.
#[derive(Copy, Clone, PartialEq, Debug)]
pub(crate) enum Partial {
    /// A constant partial (`1`, `-1`, `0` and other small integers are common).
    Const(f64),
    /// A partial computed in the graph.
    Value(Value),
    /// The partial `num / den`: multiplied by a cotangent `x` it is built as `(num x) / den`, one division
    /// (the common form `1/g(a)` of the rules).
    Quotient {
        /// The constant numerator.
        num: f64,
        /// The denominator.
        den: Value,
    },
}

/// The value of a partial (building its constant if it is one).
pub(crate) fn partial_value(b: &mut Builder, elem: Elem, p: Partial) -> sym_lower::Result<Value> {
    match p {
        Partial::Const(x) => b.constant(elem, x),
        Partial::Value(v) => Ok(v),
        Partial::Quotient { num, den } => {
            let n = b.constant(elem, num)?;
            b.div(n, den)
        }
    }
}

/// The value of a float constant of the builder, if `v` is one.
pub(crate) fn const_value(b: &Builder, v: Value) -> Option<f64> {
    match b.graph().insts.get(v.index()) {
        Some(Inst::Const { bits, .. }) => Some(f64::from_bits(*bits)),
        _ => None,
    }
}

/// `x * p`, without building a multiplication by `1`, `-1` or `0` (in either factor).
pub(crate) fn scale(b: &mut Builder, elem: Elem, x: Value, p: Partial) -> sym_lower::Result<Value> {
    if let (Some(k), Partial::Const(c)) = (const_value(b, x), p) {
        return b.constant(elem, k * c);
    }
    if let Partial::Quotient { num, den } = p {
        let n = scale(b, elem, x, Partial::Const(num))?;
        return b.div(n, den);
    }
    // (c / d) * k = (k c) / d for constants c and k, keeping the chain one division long.
    if let (Partial::Const(k), Some(Inst::Binary(BinOp::Div, n, d))) = (p, b.graph().insts.get(x.index()).cloned())
        && let Some(c) = const_value(b, n)
        && k != 0.0
    {
        let kc = b.constant(elem, k * c)?;
        return b.div(kc, d);
    }
    if let (Some(k), Partial::Value(pv)) = (const_value(b, x), p) {
        if k == 1.0 {
            return Ok(pv);
        }
        if k == -1.0 {
            return b.neg(pv);
        }
    }
    match p {
        Partial::Const(1.0) => Ok(x),
        Partial::Const(-1.0) => b.neg(x),
        Partial::Const(0.0) => b.constant(elem, 0.0),
        _ => {
            let pv = partial_value(b, elem, p)?;
            b.mul(x, pv)
        }
    }
}

/// `x * p` with the strong-zero convention: exactly `0` where `x == 0`, whatever `p` is.
pub(crate) fn scale_strong(b: &mut Builder, elem: Elem, x: Value, p: Partial) -> sym_lower::Result<Value> {
    let prod = scale(b, elem, x, p)?;
    if matches!(p, Partial::Const(_)) || const_value(b, x).is_some_and(|k| k != 0.0) {
        return Ok(prod);
    }
    let zero = b.constant(elem, 0.0)?;
    let is_zero = b.eq(x, zero)?;
    b.select(is_zero, zero, prod)
}

/// Whether a partial of `inst` can be infinite (or NaN) at finite operands where the op's value is finite, so
/// that a zero cotangent or tangent must not be multiplied with it (see the module doc).
pub(crate) fn may_be_infinite(inst: &Inst) -> bool {
    match inst {
        Inst::Unary(op, _) => matches!(
            op,
            UnOp::Recip
                | UnOp::Sqrt
                | UnOp::Cbrt
                | UnOp::Log
                | UnOp::Cot
                | UnOp::Csc
                | UnOp::Coth
                | UnOp::Asin
                | UnOp::Acos
                | UnOp::Acosh
                | UnOp::Atanh
                | UnOp::LambertW
                | UnOp::Log1p
        ),
        Inst::Powi(_, k) => *k < 0,
        Inst::Binary(op, ..) => matches!(op, BinOp::Div | BinOp::Pow),
        _ => false,
    }
}

/// The partial derivative of `u = op(a)` with respect to `a`; `u` is the op's result.
pub(crate) fn unary_partial(b: &mut Builder, elem: Elem, op: UnOp, a: Value, u: Value) -> sym_lower::Result<Partial> {
    let one = b.constant(elem, 1.0)?;
    let v = match op {
        UnOp::Neg => return Ok(Partial::Const(-1.0)),
        UnOp::Sign => return Ok(Partial::Const(0.0)),
        UnOp::Recip => {
            let u2 = b.mul(u, u)?;
            b.neg(u2)?
        }
        UnOp::Sqrt => return Ok(Partial::Quotient { num: 0.5, den: u }),
        UnOp::Cbrt => {
            let u2 = b.mul(u, u)?;
            return Ok(Partial::Quotient { num: 1.0 / 3.0, den: u2 });
        }
        UnOp::Exp => u,
        UnOp::Log => return Ok(Partial::Quotient { num: 1.0, den: a }),
        UnOp::Sin => b.cos(a)?,
        UnOp::Cos => {
            let s = b.sin(a)?;
            b.neg(s)?
        }
        UnOp::Tan => {
            let u2 = b.mul(u, u)?;
            b.add(one, u2)?
        }
        UnOp::Cot => {
            let u2 = b.mul(u, u)?;
            let s = b.add(one, u2)?;
            b.neg(s)?
        }
        UnOp::Sec => {
            let t = b.tan(a)?;
            b.mul(u, t)?
        }
        UnOp::Csc => {
            let c = b.cot(a)?;
            let m = b.mul(u, c)?;
            b.neg(m)?
        }
        UnOp::Asin | UnOp::Acos => {
            let l = b.sub(one, a)?;
            let r = b.add(one, a)?;
            let p = b.mul(l, r)?;
            let s = b.sqrt(p)?;
            let num = if op == UnOp::Acos { -1.0 } else { 1.0 };
            return Ok(Partial::Quotient { num, den: s });
        }
        UnOp::Atan | UnOp::Acot => {
            let a2 = b.mul(a, a)?;
            let s = b.add(one, a2)?;
            let num = if op == UnOp::Acot { -1.0 } else { 1.0 };
            return Ok(Partial::Quotient { num, den: s });
        }
        UnOp::Sinh => b.cosh(a)?,
        UnOp::Cosh => b.sinh(a)?,
        UnOp::Tanh => {
            let c = b.cosh(a)?;
            let c2 = b.powi(c, 2)?;
            return Ok(Partial::Quotient { num: 1.0, den: c2 });
        }
        UnOp::Coth => {
            let s = b.sinh(a)?;
            let s2 = b.powi(s, 2)?;
            return Ok(Partial::Quotient { num: -1.0, den: s2 });
        }
        UnOp::Asinh => {
            let h = b.hypot(a, one)?;
            return Ok(Partial::Quotient { num: 1.0, den: h });
        }
        UnOp::Acosh => {
            let l = b.sub(a, one)?;
            let r = b.add(a, one)?;
            let sl = b.sqrt(l)?;
            let sr = b.sqrt(r)?;
            let p = b.mul(sl, sr)?;
            return Ok(Partial::Quotient { num: 1.0, den: p });
        }
        UnOp::Atanh => {
            let l = b.sub(one, a)?;
            let r = b.add(one, a)?;
            let p = b.mul(l, r)?;
            return Ok(Partial::Quotient { num: 1.0, den: p });
        }
        UnOp::Abs => b.sign(a)?,
        UnOp::LambertW => {
            let ew = b.exp(u)?;
            let w1 = b.add(one, u)?;
            let p = b.mul(ew, w1)?;
            return Ok(Partial::Quotient { num: 1.0, den: p });
        }
        UnOp::Log1p => {
            let s = b.add(one, a)?;
            return Ok(Partial::Quotient { num: 1.0, den: s });
        }
        UnOp::Expm1 => b.exp(a)?,
        // `UnOp` is non-exhaustive: an op added to the IR without a rule here is reported, not guessed.
        _ => {
            return Err(sym_lower::Error::Unsupported { name: format!("derivative of {}", op.name()) });
        }
    };
    Ok(Partial::Value(v))
}

/// The partial derivative of `u = powi(a, k)` with respect to `a`.
pub(crate) fn powi_partial(b: &mut Builder, elem: Elem, a: Value, k: i32) -> sym_lower::Result<Partial> {
    Ok(match k {
        0 => Partial::Const(0.0),
        1 => Partial::Const(1.0),
        _ => {
            let p = if k == 2 { a } else { b.powi(a, k - 1)? };
            let kc = b.constant(elem, f64::from(k))?;
            Partial::Value(b.mul(kc, p)?)
        }
    })
}

/// The partial derivative of `u = op(a, b)` with respect to operand `which` (0 for `a`, 1 for `b`).
pub(crate) fn binary_partial(
    b: &mut Builder,
    elem: Elem,
    op: BinOp,
    (a, bv): (Value, Value),
    u: Value,
    which: usize,
) -> sym_lower::Result<Partial> {
    Ok(match (op, which) {
        (BinOp::Add, _) | (BinOp::Sub, 0) => Partial::Const(1.0),
        (BinOp::Sub, _) => Partial::Const(-1.0),
        (BinOp::Mul, 0) => Partial::Value(bv),
        (BinOp::Mul, _) => Partial::Value(a),
        (BinOp::Div, 0) => Partial::Quotient { num: 1.0, den: bv },
        (BinOp::Div, _) => {
            let r = b.div(u, bv)?;
            Partial::Value(b.neg(r)?)
        }
        (BinOp::Pow, 0) => {
            // b a^(b-1), and 0 where b == 0 (a^0 = 1 is constant in a; the formula would give 0 * inf at a = 0).
            let zero = b.constant(elem, 0.0)?;
            let one = b.constant(elem, 1.0)?;
            let bm1 = b.sub(bv, one)?;
            let p = b.pow(a, bm1)?;
            let d = b.mul(bv, p)?;
            let b0 = b.eq(bv, zero)?;
            Partial::Value(b.select(b0, zero, d)?)
        }
        (BinOp::Pow, _) => {
            // u log a, and 0 where a == 0 (0^b is constant in b for b > 0; the formula would give 0 * -inf).
            let zero = b.constant(elem, 0.0)?;
            let l = b.log(a)?;
            let d = b.mul(u, l)?;
            let a0 = b.eq(a, zero)?;
            Partial::Value(b.select(a0, zero, d)?)
        }
        (BinOp::Hypot, _) => {
            // a/u (or b/u), and the subgradient 0 at the origin where u == 0.
            let zero = b.constant(elem, 0.0)?;
            let x = if which == 0 { a } else { bv };
            let d = b.div(x, u)?;
            let u0 = b.eq(u, zero)?;
            Partial::Value(b.select(u0, zero, d)?)
        }
        _ => {
            return Err(sym_lower::Error::Unsupported { name: format!("derivative of {}", op.name()) });
        }
    })
}

/// The partials of an elementwise instruction (`unary`, `binary`, `powi`) with respect to the operands marked in
/// `want` (by operand position), as `(position, partial)`. Operands and result are values of the builder.
pub(crate) fn partials(
    b: &mut Builder,
    elem: Elem,
    inst: &Inst,
    u: Value,
    want: &[bool],
) -> sym_lower::Result<Vec<(usize, Partial)>> {
    let mut out = Vec::with_capacity(2);
    match *inst {
        Inst::Unary(op, a) if want[0] => out.push((0, unary_partial(b, elem, op, a, u)?)),
        Inst::Powi(a, k) if want[0] => out.push((0, powi_partial(b, elem, a, k)?)),
        Inst::Binary(op, x, y) => {
            for (which, &w) in want.iter().enumerate().take(2) {
                if w {
                    out.push((which, binary_partial(b, elem, op, (x, y), u, which)?));
                }
            }
        }
        _ => {}
    }
    Ok(out)
}
