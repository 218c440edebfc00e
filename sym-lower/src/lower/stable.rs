//! Exact, numerically safer forms chosen at lowering time: sums that cancel against a square root, and the
//! quadratic formula.
//!
//! # Cancelling sums `R + T*sqrt(D)`
//!
//! When `R` and `T*sqrt(D)` have opposite signs and nearly equal magnitudes, `fl(R + T*sqrt(D))` loses the
//! leading digits (the quadratic's `-b + sqrt(b**2 - 4*a*c)` for small `a*c`). The identity
//!
//! ```text
//! R + T*sqrt(D) = (R**2 - T**2*D) / (R - T*sqrt(D))
//! ```
//!
//! has no cancellation in the denominator in exactly those lanes, and `N = expand(R**2 - T**2*D)` is computed
//! symbolically, where the cancelling leading terms vanish exactly (`b**2 - (b**2 - 4*a*c) = 4*a*c`). The sum is
//! lowered as the fraction
//!
//! ```text
//! select(R*K < 0, N, R + K) / select(R*K < 0, R - K, 1),    K = T*sqrt(D)
//! ```
//!
//! so an enclosing product still does a single division. The rewrite applies to a sum with one radicand `D`
//! with symbols whose expanded `R**2 - T**2*D` has at least two terms fewer than `R**2` and `T**2*D` together
//! (terms cancel, not merely merge); otherwise the sum is lowered as written. It is exact over the reals (where `D >= 0`).
//!
//! # The quadratic formula
//!
//! The roots `(-b - s)/(2a)` and `(-b + s)/(2a)`, `s = sqrt(b**2 - 4*a*c)`, are lowered as (rust-limit.md measured
//! the naive form losing 1e-6 relative accuracy in `dr/da` for small `c`):
//!
//! ```text
//! plus  = select(b > 0, -2c, s - b) / select(b > 0, b + s, 2a)
//! minus = select(b < 0,  2c, -(b + s)) / select(b < 0, s - b, 2a)
//! ```
//!
//! Each branch adds `-b` and `±s` with the same sign, so nothing cancels; the strict comparisons keep `b = 0`
//! on the `2a` side, where `c = 0` gives the root `0` and not `0/0`. Where `b`'s sign is known the select is
//! dropped.

use super::expr::{Fraction, Lowered, Lowerer};
use crate::error::Result;
use crate::types::Value;
use sym_core::expr::AddData;
use sym_core::{Expr, Kind, Number};

/// Expressions larger than this (in tree nodes) are not expanded in search of a cancellation.
const MAX_SIZE: usize = 400;

/// Splits a term `c*m` into `(D, T)` with `c*m = T*sqrt(D)`, if `m` has a factor `D**(1/2)`.
fn sqrt_factor(m: &Expr, c: &Number) -> Option<(Expr, Expr)> {
    let half = Expr::half();
    match m.kind() {
        Kind::Pow(d, x) if *x == half => Some((d.clone(), Expr::num(c.clone()))),
        Kind::Mul(md) => {
            let k = md.factors.iter().position(|(_, x)| *x == half)?;
            let d = md.factors[k].0.clone();
            let rest = Expr::mul_all(
                std::iter::once(Expr::num(md.coeff.clone() * c.clone())).chain(
                    md.factors
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != k)
                        .map(|(_, (b, x))| Expr::pow(b.clone(), x.clone())),
                ),
            );
            Some((d, rest))
        }
        _ => None,
    }
}

fn n_terms(e: &Expr) -> usize {
    match e.kind() {
        Kind::Add(a) => a.terms.len() + usize::from(!a.constant.is_zero()),
        _ => usize::from(!e.is_zero()),
    }
}

/// The cancellation-free fraction for a sum `R + T*sqrt(D)` (see the module doc), or `None` when the sum does
/// not have that shape or the leading terms do not cancel.
pub(crate) fn cancelling_sum(l: &mut Lowerer<'_>, a: &AddData, ctx: Option<Value>) -> Result<Option<Fraction>> {
    let mut radicand: Option<Expr> = None;
    let mut t_parts = Vec::new();
    let mut r_parts = vec![Expr::num(a.constant.clone())];
    for (m, c) in a.terms.iter() {
        match sqrt_factor(m, c) {
            Some((d, t)) => {
                match &radicand {
                    None => radicand = Some(d),
                    Some(r) if *r == d => {}
                    Some(_) => return Ok(None),
                }
                t_parts.push(t);
            }
            None => r_parts.push(Expr::mul(Expr::num(c.clone()), m.clone())),
        }
    }
    let Some(d) = radicand else { return Ok(None) };
    if l.facts.is_constant(&d) {
        return Ok(None);
    }
    let r = Expr::add_all(r_parts);
    let t = Expr::add_all(t_parts);
    if r.is_zero() || [&r, &t, &d].iter().any(|e| e.tree_size(MAX_SIZE) >= MAX_SIZE) {
        return Ok(None);
    }
    let (Ok(r2), Ok(t2d)) =
        (Expr::mul(r.clone(), r.clone()).expand(), Expr::mul(Expr::mul(t.clone(), t.clone()), d.clone()).expand())
    else {
        return Ok(None);
    };
    let Ok(n) = Expr::sub(r2.clone(), t2d.clone()).expand() else {
        return Ok(None);
    };
    // At least two terms must cancel (two terms that merge into one are not a cancellation).
    if n_terms(&n) + 2 > n_terms(&r2) + n_terms(&t2d) {
        return Ok(None);
    }
    let k = Expr::mul(t.clone(), Expr::sqrt(d));
    let rl = l.value_in(&r, ctx)?;
    let kl = l.value_in(&k, ctx)?;
    let nl = l.value_in(&n, ctx)?;
    let mut defined = l.and(rl.defined, kl.defined)?;
    defined = l.and(defined, nl.defined)?;
    // The terms cancel where `R` and `K = T*sqrt(D)` have opposite signs. For a numeric `T` the sign of `K` is
    // that of `T` (`sqrt(D) >= 0`; where it is 0, either form gives `R`), so the test is on `R` alone.
    let zero = l.constant(0.0);
    let cancel = match t.as_number() {
        Some(n) if n.is_positive() => l.b.lt(rl.value, zero)?,
        Some(n) if n.is_negative() => l.b.gt(rl.value, zero)?,
        _ => {
            let prod = l.b.mul(rl.value, kl.value)?;
            l.b.lt(prod, zero)?
        }
    };
    let sum = l.b.add(rl.value, kl.value)?;
    let diff = l.b.sub(rl.value, kl.value)?;
    let one = l.constant(1.0);
    let num = l.b.select(cancel, nl.value, sum)?;
    let den = l.b.select(cancel, diff, one)?;
    // NaN in R or K makes the test false and the sum NaN: the marks propagate.
    let marked = rl.marked || kl.marked || nl.marked;
    Ok(Some(Fraction { num, den: Some(den), defined, marked }))
}

/// The two roots of `a*y**2 + b*y + c` in sym-solve's order (`(-b - s)/(2a)`, then `(-b + s)/(2a)`), in the
/// stable form of the module doc.
pub(crate) fn quadratic_roots(
    l: &mut Lowerer<'_>,
    a: &Expr,
    b: &Expr,
    c: &Expr,
    ctx: Option<Value>,
) -> Result<[Lowered; 2]> {
    let disc = Expr::sub(Expr::mul(b.clone(), b.clone()), Expr::mul(Expr::int(4), Expr::mul(a.clone(), c.clone())));
    let al = l.value_in(a, ctx)?;
    let bl = l.value_in(b, ctx)?;
    let cl = l.value_in(c, ctx)?;
    let sl = l.value_in(&Expr::sqrt(disc), ctx)?;
    let mut defined = l.and(al.defined, bl.defined)?;
    defined = l.and(defined, cl.defined)?;
    defined = l.and(defined, sl.defined)?;
    let (av, bv, cv, s) = (al.value, bl.value, cl.value, sl.value);
    let two = l.constant(2.0);
    let two_a = l.b.mul(two, av)?;
    let two_c = l.b.mul(two, cv)?;
    let neg_two_c = l.b.neg(two_c)?;
    let b_plus_s = l.b.add(bv, s)?;
    let s_minus_b = l.b.sub(s, bv)?;
    let neg_b_plus_s = l.b.neg(b_plus_s)?;
    let zero = l.constant(0.0);
    let sign = l.facts.sign(b);
    // `b > 0` is known for a positive sign; `b < 0` is never known by the analysis (it proves `>= 0` facts).
    let (plus_num, plus_den) = if sign.pos() {
        (neg_two_c, b_plus_s)
    } else if b.is_zero() {
        (s, two_a)
    } else {
        let pos = l.b.gt(bv, zero)?;
        (l.b.select(pos, neg_two_c, s_minus_b)?, l.b.select(pos, b_plus_s, two_a)?)
    };
    let (minus_num, minus_den) = if sign.nonneg() {
        (neg_b_plus_s, two_a)
    } else {
        let negb = l.b.lt(bv, zero)?;
        (l.b.select(negb, two_c, neg_b_plus_s)?, l.b.select(negb, s_minus_b, two_a)?)
    };
    // A NaN in a, b, c or s reaches both numerator candidates (through s where not directly): marks propagate.
    let marked = al.marked || bl.marked || cl.marked || sl.marked;
    let minus = l.fraction_value(Fraction { num: minus_num, den: Some(minus_den), defined, marked }, ctx)?;
    let plus = l.fraction_value(Fraction { num: plus_num, den: Some(plus_den), defined, marked }, ctx)?;
    Ok([minus, plus])
}
