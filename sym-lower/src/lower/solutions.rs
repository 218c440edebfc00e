//! Lowering sym-solve solution sets: one value output per branch and unknown, one mask per branch.
//!
//! Branch `i` of a set with unknowns `u1, ..., um` gives outputs `"u1[i]"`, ..., `"um[i]"` and `"ok[i]"`:
//! `ok[i]` is the branch's guard, and every value of the branch defined (real, converged) and not NaN, lane by
//! lane; the values are NaN exactly where `ok[i]` is false. (Without masks, `ok[i]` is the guard alone.) The values are lowered in the context of the guard, so the
//! partial ops of a branch are sanitised where its guard fails (the "double where", see the parent module), and
//! the final `select(ok, value, NaN)` gives them a zero cotangent there.
//!
//! A branch whose value is the unknown itself (every value solves the equation under its guard, as for
//! `a*x**2 + b*x + c` with `a = b = c = 0`) has nothing to compute: its values are NaN, `ok[i]` is false, and an
//! extra output `"any[i]"` is the mask where its guard holds.
//!
//! A branch known only as an implicit root of its equation (sym-solve's `ImplicitRoot`) is a `root` op on the
//! equation started from the branch's bracket, defined where the iteration converged; without a bracket it
//! cannot be lowered here (a caller gives a start to [`super::lower_implicit`] instead).
//!
//! [`lower_solved`] also knows the equation: a quadratic's branches are lowered in the stable form (see the
//! `stable` module), and when a branch has no real form (Cardano's and Ferrari's formulas with parameters go
//! through complex radicals) a polynomial equation is lowered as its sorted real roots instead, isolated per
//! lane (outputs `"y[k]"`, `"ok[k]"` for `k = 0 .. degree - 1`: the `k`-th distinct real root, where it exists).

use super::expr::{Lowered, Lowerer};
use super::{LowerOptions, constant, finish, roots, stable};
use crate::builder::Builder;
use crate::error::{Error, LowerError, LowerProblem, Result};
use crate::graph::Graph;
use crate::types::Value;
use sym_core::{Expr, Symbol};
use sym_solve::SolutionSet;

fn err(e: impl std::fmt::Display, problem: LowerProblem) -> Error {
    Error::Lower(LowerError::new(e, problem))
}

/// Declares the inputs, refusing an unknown among them.
fn declare(l: &mut Lowerer<'_>, inputs: &[&str], unknowns: &[Symbol]) -> Result<()> {
    for name in inputs {
        if unknowns.iter().any(|u| u.name() == *name) {
            return Err(err(name, LowerProblem::UnknownIsInput { name: (*name).to_owned() }));
        }
        l.input(name)?;
    }
    Ok(())
}

/// Whether a branch says "every value of an unknown is a solution" (its value contains an unknown, as in
/// `0 = 0` under a guard).
fn is_identity(set: &SolutionSet, i: usize) -> bool {
    set.branches[i].exact.as_ref().is_some_and(|ex| {
        ex.iter().any(|e| {
            let free = sym_core::expr::free_symbols(e);
            set.unknowns.iter().any(|u| free.contains(u))
        })
    })
}

/// An identity branch (see [`is_identity`]) has no value to compute: its values are NaN with `ok[i]` false, and
/// `any[i]` is the mask of the lanes where every value is a solution (its guard).
fn emit_identity(l: &mut Lowerer<'_>, set: &SolutionSet, i: usize) -> Result<()> {
    let g = l.condition(&set.branches[i].guard)?;
    let any = match g.defined {
        None => g.value,
        Some(d) => l.builder().and(g.value, d)?,
    };
    let nan = l.constant(f64::NAN);
    for u in &set.unknowns {
        l.builder().output(&format!("{}[{i}]", u.name()), nan)?;
    }
    let no = l.builder().const_bool(false);
    l.builder().output(&format!("ok[{i}]"), no)?;
    l.builder().output(&format!("any[{i}]"), any)
}

/// The value of unknown `j` of a branch (its exact form, or a real numeric value).
fn branch_value(set: &SolutionSet, i: usize, j: usize) -> Result<Expr> {
    let br = &set.branches[i];
    if let Some(ex) = &br.exact {
        return Ok(ex[j].clone());
    }
    let name = format!("{}[{i}]", set.unknowns[j].name());
    match br.numeric.as_ref().and_then(|v| v.get(j)) {
        Some((re, im)) if im.is_zero() => {
            let r = re
                .to_rational()
                .ok_or_else(|| err(&name, LowerProblem::Undefined { reason: "not a finite number".to_owned() }))?;
            Ok(Expr::num(sym_core::Number::from_rational(r)))
        }
        Some(_) => Err(err(&name, LowerProblem::Complex)),
        None => Err(err(&name, LowerProblem::NoExactForm)),
    }
}

/// The value of an implicit-root branch: a `root` op on its equation started from its bracket (see the
/// `roots` module), whose lanes are defined where the iteration converged.
fn implicit_value(
    l: &mut Lowerer<'_>,
    set: &SolutionSet,
    i: usize,
    imp: &sym_solve::ImplicitRoot,
    ctx: Option<Value>,
) -> Result<Lowered> {
    let Some((lo, hi)) = &imp.bracket else {
        let name = format!("{}[{i}]", set.unknowns[0].name());
        return Err(err(&name, LowerProblem::NoExactForm));
    };
    let start = super::Start::Bracket(lo.clone(), hi.clone());
    roots::implicit(l, &imp.equation, imp.unknown, &start, ctx)
}

/// Writes branch `i`'s outputs from its lowered values and guard.
fn emit(l: &mut Lowerer<'_>, set: &SolutionSet, i: usize, guard: Lowered, values: &[Lowered]) -> Result<()> {
    let guard_true = matches!(l.builder().graph().inst(guard.value), crate::op::Inst::ConstBool(true));
    let mut ok = if guard_true { None } else { Some(guard.value) };
    ok = l.and(ok, guard.defined)?;
    for v in values {
        ok = l.and(ok, v.defined)?;
    }
    if l.options().masks {
        for v in values {
            let not_nan = l.builder().eq(v.value, v.value)?;
            ok = l.and(ok, Some(not_nan))?;
        }
    }
    for (j, v) in values.iter().enumerate() {
        let out = l.masked(Lowered { value: v.value, defined: ok, marked: false })?;
        l.builder().output(&format!("{}[{i}]", set.unknowns[j].name()), out)?;
    }
    let m = match ok {
        Some(m) => m,
        None => l.builder().const_bool(true),
    };
    l.builder().output(&format!("ok[{i}]"), m)
}

/// Lowers every branch of `set` (see the module doc), with `inputs` as the graph's batch inputs in order.
///
/// # Errors
/// [`Error::Lower`] naming the first construct that cannot be lowered (a complex branch, a numeric-only branch,
/// a symbol that is not an input, an unknown that is an input).
pub fn lower_solutions(set: &SolutionSet, inputs: &[&str], opts: &LowerOptions) -> Result<Graph> {
    let mut b = Builder::new();
    {
        let mut l = Lowerer::new(&mut b, opts.clone())?;
        declare(&mut l, inputs, &set.unknowns)?;
        for i in 0..set.branches.len() {
            if is_identity(set, i) {
                emit_identity(&mut l, set, i)?;
                continue;
            }
            let g = l.condition(&set.branches[i].guard)?;
            let ctx = guard_ctx(&mut l, g);
            if let Some(imp) = &set.branches[i].implicit {
                let v = implicit_value(&mut l, set, i, imp, ctx)?;
                emit(&mut l, set, i, g, &[v])?;
                continue;
            }
            let mut vals = Vec::with_capacity(set.unknowns.len());
            for j in 0..set.unknowns.len() {
                let e = branch_value(set, i, j)?;
                vals.push(l.value_in(&e, ctx)?);
            }
            emit(&mut l, set, i, g, &vals)?;
        }
    }
    finish(b, opts)
}

/// The context of a guarded branch: the guard's mask, unless it is the constant `true`.
fn guard_ctx(l: &mut Lowerer<'_>, g: Lowered) -> Option<Value> {
    let always = matches!(l.builder().graph().inst(g.value), crate::op::Inst::ConstBool(true));
    (!always).then_some(g.value)
}

/// The polynomial coefficients of the equation's numerator in `y`, as sym-solve computes them.
fn numerator_coeffs(eq: &Expr, y: Symbol) -> Option<Vec<Expr>> {
    let f = sym_solve::univariate::rationalize_floats(eq);
    let (n, d) = f.as_numer_denom();
    if sym_core::expr::has_symbol(&d, y) {
        return None;
    }
    n.poly_coeffs(y)
}

/// Lowers the solution set `set` of the equation `eq = 0` in the one unknown `y` (see the module doc): like
/// [`lower_solutions`], with the quadratic's branches in the stable form and, when a branch is not real, the
/// sorted real roots of a polynomial equation instead.
///
/// # Errors
/// As [`lower_solutions`]; a non-real branch of an equation that is not polynomial in `y` is
/// [`LowerProblem::Complex`].
pub fn lower_solved(eq: &Expr, y: Symbol, set: &SolutionSet, inputs: &[&str], opts: &LowerOptions) -> Result<Graph> {
    let coeffs = numerator_coeffs(eq, y);
    // The stable form matters where `b != 0` (for `b = 0` the roots are `±sqrt(-c/a)`, nothing cancels).
    let quad = match &coeffs {
        Some(c) if c.len() == 3 && opts.stable && !c[1].is_zero() => {
            let r = sym_solve::closed_form::quadratic(&c[2], &c[1], &c[0]);
            Some((c.clone(), r))
        }
        _ => None,
    };
    let mut b = Builder::new();
    let result = (|| -> Result<()> {
        let mut l = Lowerer::new(&mut b, opts.clone())?;
        declare(&mut l, inputs, &set.unknowns)?;
        for i in 0..set.branches.len() {
            if is_identity(set, i) {
                emit_identity(&mut l, set, i)?;
                continue;
            }
            let g = l.condition(&set.branches[i].guard)?;
            let ctx = guard_ctx(&mut l, g);
            if let Some(imp) = &set.branches[i].implicit {
                let v = implicit_value(&mut l, set, i, imp, ctx)?;
                emit(&mut l, set, i, g, &[v])?;
                continue;
            }
            let e = branch_value(set, i, 0)?;
            let v = match &quad {
                Some((c, r)) if e == r[0] || e == r[1] => {
                    let both = stable::quadratic_roots(&mut l, &c[2], &c[1], &c[0], ctx)?;
                    if e == r[0] { both[0] } else { both[1] }
                }
                _ => l.value_in(&e, ctx)?,
            };
            emit(&mut l, set, i, g, &[v])?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => finish(b, opts),
        Err(Error::Lower(LowerError { problem: LowerProblem::Complex, .. }))
            if coeffs.is_some() && set.unknowns.len() == 1 =>
        {
            let poly = Expr::add_all(
                coeffs
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                    .map(|(k, c)| Expr::mul(c, Expr::pow(Expr::sym(y), Expr::int(k as i64)))),
            );
            lower_real_roots(&poly, y, inputs, opts)
        }
        Err(e) => Err(e),
    }
}

/// Lowers the sorted distinct real roots of the polynomial `poly` in `y`: outputs `"y[k]"` (the `k`-th real
/// root, NaN where there is none) and `"ok[k]"` for `k = 0 .. degree - 1`, isolated per lane (see the `roots`
/// module). A polynomial without parameters gives exact constants.
///
/// # Errors
/// [`LowerProblem::NotPolynomial`] if `poly` is not a polynomial in `y`; [`LowerProblem::Limit`] beyond
/// [`LowerOptions::max_isolation_degree`]; the errors of lowering its coefficients.
pub fn lower_real_roots(poly: &Expr, y: Symbol, inputs: &[&str], opts: &LowerOptions) -> Result<Graph> {
    let coeffs =
        poly.poly_coeffs(y).ok_or_else(|| err(poly, LowerProblem::NotPolynomial { var: y.name().to_owned() }))?;
    let n = coeffs.len().saturating_sub(1);
    let mut b = Builder::new();
    {
        let mut l = Lowerer::new(&mut b, opts.clone())?;
        declare(&mut l, inputs, &[y])?;
        let constant_coeffs = coeffs.iter().all(|c| sym_core::expr::free_symbols(c).is_empty());
        let rational = constant::rational_coeffs(poly, y);
        for k in 0..n {
            #[allow(clippy::cast_possible_truncation)]
            let k32 = k as u32;
            let v = match (&rational, constant_coeffs) {
                (Some(c), true) => match constant::root_of_constant(poly, c, k32, opts.elem) {
                    Ok(x) => Lowered { value: l.constant(x), defined: None, marked: false },
                    Err(LowerError { problem: LowerProblem::NoRealRoot { .. }, .. }) => Lowered {
                        value: l.constant(f64::NAN),
                        defined: Some(l.builder().const_bool(false)),
                        marked: false,
                    },
                    Err(e) => return Err(Error::Lower(e)),
                },
                _ => roots::real_root(&mut l, poly, &coeffs, k32, None)?,
            };
            let (value, ok) = l.output_pair(v)?;
            l.builder().output(&format!("{}[{k}]", y.name()), value)?;
            if let Some(ok) = ok {
                l.builder().output(&format!("ok[{k}]"), ok)?;
            }
        }
    }
    finish(b, opts)
}
