//! Roots without closed forms: `RootOf(p, y, k)` and implicit equations `F(y, params) = 0` as `root` ops.
//!
//! # Residuals
//!
//! An implicit solution of `F(y, p1, ..., pm) = 0` is a `root` op whose residual graph has inputs
//! `(y, p1, ..., pm)` (the free symbols of `F` other than `y`, sorted by name) and outputs `F` and `dF/dy`, both
//! lowered from sym-core expressions (`dF/dy` by sym-core's symbolic derivative). Its parameters are the values
//! bound to those symbols. With a [`Start`] (a guess, a bracket, or both, as expressions of the inputs) the root
//! op starts there; its value is the root that the safeguarded Newton iteration reaches from the start, and its
//! mask is the lanes where it converged. Which root that is (its index among the real roots) is the caller's
//! choice of start: it is not checked.
//!
//! # `RootOf(p, y, k)` without a start: per-lane isolation by derivatives
//!
//! Without a start, the `k`-th real root is found in every lane by the derivative-sequence method (Collins and
//! Loos, "Real zeros of polynomials", in *Computer Algebra*, Springer 1982): between consecutive real roots of
//! `p'` the polynomial `p` is strictly monotone, so it has at most one root there, found by a bracketed `root`
//! op; the roots of `p'` come the same way from those of `p''`, down to the linear `p^(n-1)`. All real roots
//! lie in `(-B, B]`, `B = 1 + max_i |c_i / c_n|` (Cauchy's bound; by Gauss-Lucas the roots of every derivative
//! too). At level `d` (the derivative of degree `d`) the split points are `-B`, the `d - 1` values of level
//! `d - 1`, and `B`; interval `(lo, hi]` holds a root iff `lo < hi` and `q(hi) = 0` or `q(lo)`, `q(hi)` are
//! non-zero with opposite signs. An interval without a root contributes its right end `hi` as a (redundant)
//! split point, which only adds an empty interval at the next level. At the top level the `k`-th interval that
//! holds a root gives the value; its mask is: such an interval exists (the lane has more than `k` distinct real
//! roots), its `root` op converged, and `c_n != 0`.
//!
//! The cost is `n(n+1)/2 - 1` bracketed root ops for degree `n` (14 for a quintic), each a few Newton steps;
//! roots are counted without multiplicity (a double root is one root). With a start, one root op does the work.
//!
//! Gradients: a `root` op's value depends on its parameters only (the implicit function theorem), not on its
//! start operands, so the isolation levels carry no derivative; the top-level `select` chain routes it.
//!
//! A constant `RootOf` (no parameters) with rational coefficients is isolated exactly at lowering time and
//! becomes a correctly rounded constant (see the `constant` module).

use super::Start;
use super::constant;
use super::expr::{Lowered, Lowerer};
use crate::builder::Builder;
use crate::error::{Error, LowerError, LowerProblem, Result};
use crate::graph::Graph;
use crate::op::RootStart;
use crate::types::{ResidualId, Type, Value};
use sym_core::expr::{RootOfData, free_symbols};
use sym_core::{Expr, Symbol};

fn err(e: &Expr, problem: LowerProblem) -> Error {
    Error::Lower(LowerError::new(e, problem))
}

/// The residual graph `(y, params...) -> (F, dF/dy)` of `f`, added to the lowerer's builder.
fn residual_of(l: &mut Lowerer<'_>, f: &Expr, y: Symbol, params: &[Symbol]) -> Result<ResidualId> {
    let df = f.diff(y);
    let mut rb = Builder::new();
    {
        let mut opts = l.opts.clone();
        opts.masks = false;
        opts.stable = false;
        let mut rl = Lowerer::new(&mut rb, opts)?;
        rl.input(y.name())?;
        for p in params {
            rl.input(p.name())?;
        }
        let fv = rl.value(f)?.value;
        let dv = rl.value(&df)?.value;
        rl.builder().output("F", fv)?;
        rl.builder().output("dF", dv)?;
    }
    let g = rb.finish()?;
    l.b.add_residual(g)
}

/// The start of a root op from a [`Start`] of expressions.
fn start_values(l: &mut Lowerer<'_>, start: &Start, ctx: Option<Value>) -> Result<(RootStart, Option<Value>)> {
    let mut defined = None;
    let val = |l: &mut Lowerer<'_>, e: &Expr, defined: &mut Option<Value>| -> Result<Value> {
        let x = l.value_in(e, ctx)?;
        *defined = l.and(*defined, x.defined)?;
        Ok(x.value)
    };
    let rs = match start {
        Start::Guess(g) => RootStart::Guess(val(l, g, &mut defined)?),
        Start::Bracket(lo, hi) => RootStart::Bracket(val(l, lo, &mut defined)?, val(l, hi, &mut defined)?),
        Start::GuessInBracket { guess, lo, hi } => RootStart::GuessInBracket {
            guess: val(l, guess, &mut defined)?,
            lo: val(l, lo, &mut defined)?,
            hi: val(l, hi, &mut defined)?,
        },
    };
    Ok((rs, defined))
}

/// A root of `f = 0` in `y` from `start` (see the module doc): the value, defined where the iteration converged
/// (and the parameters and start are defined).
pub(crate) fn implicit(l: &mut Lowerer<'_>, f: &Expr, y: Symbol, start: &Start, ctx: Option<Value>) -> Result<Lowered> {
    if f.is_condition() {
        return Err(err(f, LowerProblem::ConditionAsValue));
    }
    let params: Vec<Symbol> = free_symbols(f).into_iter().filter(|s| *s != y).collect();
    let id = residual_of(l, f, y, &params)?;
    let mut defined = None;
    let mut pv = Vec::with_capacity(params.len());
    for p in &params {
        let x = l.value_in(&Expr::sym(*p), ctx)?;
        defined = l.and(defined, x.defined)?;
        pv.push(x.value);
    }
    let (rs, sd) = start_values(l, start, ctx)?;
    defined = l.and(defined, sd)?;
    let opts = l.opts.root;
    let r = l.b.root(id, &pv, rs, opts)?;
    let st = l.b.root_status(r)?;
    let conv = l.b.converged(st)?;
    defined = l.and(defined, Some(conv))?;
    // A NaN parameter or start makes the lane non-finite, so `converged` covers the operands' marks.
    Ok(Lowered { value: r, defined, marked: false })
}

/// Lowers `RootOf(p, y, k)` (see the module doc).
pub(crate) fn root_of(l: &mut Lowerer<'_>, e: &Expr, r: &RootOfData, ctx: Option<Value>) -> Result<Lowered> {
    let elem = l.opts.elem;
    let params = free_symbols(e);
    if params.is_empty()
        && let Some(c) = constant::rational_coeffs(&r.poly, r.var)
    {
        let x = constant::root_of_constant(e, &c, r.index, elem).map_err(Error::Lower)?;
        return Ok(Lowered { value: l.constant(x), defined: None, marked: false });
    }
    let start = l.opts.starts.iter().find(|(k, _)| k == e).map(|(_, s)| s.clone());
    if let Some(s) = start {
        return implicit(l, &r.poly, r.var, &s, ctx);
    }
    let coeffs = r
        .poly
        .poly_coeffs(r.var)
        .ok_or_else(|| err(e, LowerProblem::NotPolynomial { var: r.var.name().to_owned() }))?;
    real_root(l, e, &coeffs, r.index, ctx)
}

/// The residual of a generic polynomial of degree `d` in `y` with coefficient inputs `a0, ..., ad`:
/// `F = (...(a_d y + a_{d-1}) y + ...) + a_0`, `dF/dy` likewise with `a'_i = (i + 1) a_{i+1}`.
fn horner_residual(l: &mut Lowerer<'_>, d: usize) -> Result<ResidualId> {
    let elem = l.opts.elem;
    let mut b = Builder::new();
    let y = b.input("y", Type::batch(elem))?;
    let a: Vec<Value> = (0..=d).map(|i| b.input(&format!("a{i}"), Type::batch(elem))).collect::<Result<_>>()?;
    let k = |b: &mut Builder, x: f64| b.constant(elem, x);
    let mut f = a[d];
    for i in (0..d).rev() {
        let t = b.mul(f, y)?;
        f = b.add(t, a[i])?;
    }
    let deriv: Vec<Value> = (1..=d)
        .map(|i| {
            #[allow(clippy::cast_precision_loss)]
            let c = k(&mut b, i as f64)?;
            if i == 1 { Ok(a[1]) } else { b.mul(c, a[i]) }
        })
        .collect::<Result<_>>()?;
    let mut df = deriv[d - 1];
    for i in (0..d - 1).rev() {
        let t = b.mul(df, y)?;
        df = b.add(t, deriv[i])?;
    }
    b.output("F", f)?;
    b.output("dF", df)?;
    let g: Graph = b.finish()?;
    l.b.add_residual(g)
}

/// `q(x)` for coefficients `a` (Horner).
fn horner(l: &mut Lowerer<'_>, a: &[Value], x: Value) -> Result<Value> {
    let mut h = a[a.len() - 1];
    for &c in a[..a.len() - 1].iter().rev() {
        let t = l.b.mul(h, x)?;
        h = l.b.add(t, c)?;
    }
    Ok(h)
}

/// The `k`-th distinct real root of `sum c_i y**i` in every lane, by isolation with derivatives.
pub(crate) fn real_root(l: &mut Lowerer<'_>, e: &Expr, coeffs: &[Expr], k: u32, ctx: Option<Value>) -> Result<Lowered> {
    let n = coeffs.len().saturating_sub(1);
    if n == 0 {
        return Err(err(e, LowerProblem::NoRealRoot { index: k, real: 0 }));
    }
    if n > l.opts.max_isolation_degree {
        return Err(err(
            e,
            LowerProblem::Limit {
                what: "degree for per-lane root isolation",
                found: n as u64,
                limit: l.opts.max_isolation_degree as u64,
            },
        ));
    }
    let mut defined = None;
    let mut c = Vec::with_capacity(n + 1);
    for ci in coeffs {
        // The isolation compares values, through which NaN does not propagate: marks become masks.
        let x = l.value_in(ci, ctx)?;
        let x = l.explicit(x)?;
        defined = l.and(defined, x.defined)?;
        c.push(x.value);
    }
    let zero = l.constant(0.0);
    let one = l.constant(1.0);
    let lead = c[n];
    let lead_ok = l.b.ne(lead, zero)?;
    defined = l.and(defined, Some(lead_ok))?;
    // Cauchy's bound B = 1 + max |c_i / c_n|.
    let mut m = zero;
    for &ci in &c[..n] {
        let q = l.b.div(ci, lead)?;
        let q = l.b.abs(q)?;
        let bigger = l.b.gt(q, m)?;
        m = l.b.select(bigger, q, m)?;
    }
    let big = l.b.add(one, m)?;
    let neg_big = l.b.neg(big)?;
    // Coefficients of the derivative of degree d: a_i = c_{i+j} (i+j)!/i!, j = n - d.
    let level_coeffs = |l: &mut Lowerer<'_>, d: usize| -> Result<Vec<Value>> {
        let j = n - d;
        (0..=d)
            .map(|i| {
                let f: f64 = ((i + 1)..=(i + j)).map(|t| t as f64).product();
                if f == 1.0 {
                    Ok(c[i + j])
                } else {
                    let fk = l.constant(f);
                    l.b.mul(fk, c[i + j])
                }
            })
            .collect()
    };
    // Level 1: the root of the linear derivative.
    let a1 = level_coeffs(l, 1)?;
    let r1 = l.b.div(a1[0], a1[1])?;
    let mut slots = vec![l.b.neg(r1)?];
    let mut top: Vec<(Value, Value)> = Vec::new(); // (has root, root op) per interval of the top level.
    if n == 1 {
        top.push((l.b.const_bool(true), slots[0]));
    }
    for d in 2..=n {
        let a = level_coeffs(l, d)?;
        let id = horner_residual(l, d)?;
        let mut pts = Vec::with_capacity(d + 1);
        pts.push(neg_big);
        pts.extend(slots.iter().copied());
        pts.push(big);
        let q: Vec<Value> = pts.iter().map(|&x| horner(l, &a, x)).collect::<Result<_>>()?;
        let mut next = Vec::with_capacity(d);
        for i in 1..=d {
            let (lo, hi, qlo, qhi) = (pts[i - 1], pts[i], q[i - 1], q[i]);
            let ordered = l.b.lt(lo, hi)?;
            let hi_root = l.b.eq(qhi, zero)?;
            let lo_neg = l.b.lt(qlo, zero)?;
            let lo_pos = l.b.gt(qlo, zero)?;
            let hi_pos = l.b.gt(qhi, zero)?;
            let hi_neg = l.b.lt(qhi, zero)?;
            let pos_neg = l.b.and(lo_pos, hi_neg)?;
            let opposite = l.b.select(lo_neg, hi_pos, pos_neg)?;
            let change = l.b.or(hi_root, opposite)?;
            let has = l.b.and(ordered, change)?;
            let root = l.b.root(id, &a, RootStart::Bracket(lo, hi), l.opts.root)?;
            next.push(l.b.select(has, root, hi)?);
            if d == n {
                top.push((has, root));
            }
        }
        slots = next;
    }
    // The k-th interval with a root.
    #[allow(clippy::cast_precision_loss)]
    let kv = l.constant(f64::from(k));
    let mut count = zero;
    let mut picks = Vec::with_capacity(top.len());
    for &(has, root) in &top {
        let at_k = l.b.eq(count, kv)?;
        let pick = l.b.and(has, at_k)?;
        picks.push((pick, root));
        let inc = l.b.select(has, one, zero)?;
        count = l.b.add(count, inc)?;
    }
    let mut value = l.constant(f64::NAN);
    let mut ok = l.b.const_bool(false);
    for &(pick, root) in picks.iter().rev() {
        value = l.b.select(pick, root, value)?;
        let conv = if n == 1 {
            l.b.const_bool(true)
        } else {
            let st = l.b.root_status(root)?;
            l.b.converged(st)?
        };
        ok = l.b.select(pick, conv, ok)?;
    }
    defined = l.and(defined, Some(ok))?;
    Ok(Lowered { value, defined, marked: false })
}

/// A start expression that is not a value is an error naming it.
pub(crate) fn check_start(start: &Start) -> std::result::Result<(), LowerError> {
    let exprs: Vec<&Expr> = match start {
        Start::Guess(g) => vec![g],
        Start::Bracket(a, b) => vec![a, b],
        Start::GuessInBracket { guess, lo, hi } => vec![guess, lo, hi],
    };
    for e in exprs {
        if e.is_condition() {
            return Err(LowerError::new(e, LowerProblem::ConditionAsValue));
        }
    }
    Ok(())
}
