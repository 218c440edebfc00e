//! Restricting a solution set to the real line or to an interval.
//!
//! Branches whose values are numbers (no parameters) are tested numerically at high precision:
//! a value is real when its imaginary part vanishes to the working precision (for `RootOf` the
//! realness is exact: the index says whether the root is real), and interval membership is
//! decided on the real value. Branches with parameters get guards instead: the radicands of
//! their square roots must be non-negative (which is exactly realness for the quadratic formula
//! and its relatives) and the value must lie in the interval.

use crate::numeric::{Point, eval_at, is_real_value};
use crate::solution::{Domain, Interval, SolutionSet, SolveOptions};
use rug::Float;
use sym_core::expr::free_symbols;
use sym_core::{Expr, Kind, RelOp};

/// Precision for realness and interval decisions.
const DECIDE_BITS: u32 = 256;

/// Applies the real domain and the interval of `opts` to `set` (in place).
pub fn restrict_domain(set: &mut SolutionSet, _f: &Expr, opts: &SolveOptions) {
    if set.domain != Domain::Real && opts.interval.is_none() {
        return;
    }
    let point = Point::new();
    let mut kept = Vec::with_capacity(set.branches.len());
    for mut b in std::mem::take(&mut set.branches) {
        let Some(vals) = b.exact.clone() else {
            kept.push(b);
            continue;
        };
        let v = &vals[0];
        let params = free_symbols(v);
        if params.is_empty() && !has_unbound_root_of(v) {
            let Ok(z) = eval_at(v, &point, DECIDE_BITS) else {
                kept.push(b);
                continue;
            };
            if !is_real_value(&z, DECIDE_BITS) {
                continue;
            }
            if let Some(iv) = &opts.interval
                && !in_interval(z.real(), iv)
            {
                continue;
            }
            kept.push(b);
        } else {
            let mut guards = vec![b.guard.clone()];
            for r in even_radicands(v) {
                guards.push(nonnegative(r));
            }
            match lambert_conditions(v) {
                Some(conds) => guards.extend(conds),
                // A Lambert W branch that is never real here.
                None => continue,
            }
            if let Some(iv) = &opts.interval {
                if !iv.lo.is_const(sym_core::Constant::NegInfinity) {
                    guards.push(Expr::rel(if iv.lo_open { RelOp::Gt } else { RelOp::Ge }, v.clone(), iv.lo.clone()));
                }
                if !iv.hi.is_const(sym_core::Constant::Infinity) {
                    guards.push(Expr::rel(if iv.hi_open { RelOp::Lt } else { RelOp::Le }, v.clone(), iv.hi.clone()));
                }
            }
            b.guard = Expr::and_all(guards);
            kept.push(b);
        }
    }
    set.branches = kept;
}

fn has_unbound_root_of(_e: &Expr) -> bool {
    false
}

/// Whether `x` lies in the interval (endpoints evaluated numerically).
pub fn in_interval(x: &Float, iv: &Interval) -> bool {
    let prec = DECIDE_BITS;
    let bound = |e: &Expr| -> Option<Float> {
        match e.kind() {
            Kind::Const(sym_core::Constant::Infinity) => Some(Float::with_val(prec, rug::float::Special::Infinity)),
            Kind::Const(sym_core::Constant::NegInfinity) => {
                Some(Float::with_val(prec, rug::float::Special::NegInfinity))
            }
            _ => eval_at(e, &Point::new(), prec).ok().map(|z| z.real().clone()),
        }
    };
    let (Some(lo), Some(hi)) = (bound(&iv.lo), bound(&iv.hi)) else { return true };
    // Values within rounding of an endpoint count as the endpoint.
    let eps = Float::with_val(prec, Float::with_val(prec, x.abs_ref()).max(&Float::with_val(prec, 1)) >> (prec - 32));
    let above_lo =
        if iv.lo_open { *x > Float::with_val(prec, &lo + &eps) } else { *x >= Float::with_val(prec, &lo - &eps) };
    let below_hi =
        if iv.hi_open { *x < Float::with_val(prec, &hi - &eps) } else { *x <= Float::with_val(prec, &hi + &eps) };
    above_lo && below_hi
}

/// Radicands of square roots (and other even roots) occurring in `e` that contain symbols.
fn even_radicands(e: &Expr) -> Vec<Expr> {
    let mut out = Vec::new();
    let mut stack = vec![e.clone()];
    while let Some(n) = stack.pop() {
        let factors: Vec<(Expr, Expr)> = match n.kind() {
            Kind::Pow(b, p) => vec![(b.clone(), p.clone())],
            Kind::Mul(m) => m.factors.to_vec(),
            _ => Vec::new(),
        };
        for (b, p) in factors {
            if let Some(r) = p.as_rational()
                && r.denom().is_even()
                && !free_symbols(&b).is_empty()
                && !out.contains(&b)
            {
                out.push(b);
            }
        }
        stack.extend(n.children());
    }
    out
}

/// The conditions under which every Lambert W in `e` is real: `z >= -1/e` for `W_0(z)`, and
/// `-1/e <= z < 0` for `W_{-1}(z)` (other branches are never real for real `z != 0`). Conditions that
/// hold for every real value of the symbols ([`crate::real_sign`]) are left out; `None` when one
/// provably fails (`W_{-1}(exp(t))`: `exp(t) > 0`), so the branch is never real.
fn lambert_conditions(e: &Expr) -> Option<Vec<Expr>> {
    use crate::real_sign::{Sign, sign};
    let mut out = Vec::new();
    let mut stack = vec![e.clone()];
    let lower = || -Expr::exp(Expr::int(-1));
    while let Some(n) = stack.pop() {
        stack.extend(n.children());
        let Kind::Func(sym_core::Func::LambertW, args) = n.kind() else { continue };
        let z = &args[0];
        if free_symbols(z).is_empty() {
            // Numeric arguments are decided by the numeric realness test.
            continue;
        }
        let k = args.get(1).map_or(Some(0), |k| k.as_rational().and_then(|r| r.numer().to_i64()));
        let s = sign(z);
        match k {
            Some(0) => {
                if !s.is_some_and(Sign::is_nonnegative) {
                    out.push(Expr::rel(RelOp::Ge, z.clone(), lower()));
                }
            }
            Some(-1) => {
                if s.is_some_and(Sign::is_nonnegative) {
                    return None;
                }
                if s != Some(Sign::Negative) {
                    out.push(Expr::rel(RelOp::Lt, z.clone(), Expr::zero()));
                }
                out.push(Expr::rel(RelOp::Ge, z.clone(), lower()));
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `r >= 0`, written with the symbolic terms on the left and the constant on the right, positive
/// leading sign (`9 - x**2 >= 0` becomes `x**2 <= 9`).
pub fn nonnegative(r: Expr) -> Expr {
    let (constant, rest): (Vec<Expr>, Vec<Expr>) = r.terms().into_iter().partition(Expr::is_number);
    let c = Expr::add_all(constant);
    let rest = Expr::add_all(rest);
    if rest.could_extract_minus_sign() {
        Expr::rel(RelOp::Le, Expr::neg(rest), c)
    } else {
        Expr::rel(RelOp::Ge, rest, Expr::neg(c))
    }
}
