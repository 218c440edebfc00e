//! Solutions at a parameter point: values, realness, and gradients with respect to the
//! parameters.
//!
//! At a point the equation is instantiated (parameters replaced by their exact values) and
//! solved again, which is exact and complete for polynomial, rational and radical equations with
//! rational data. Each root found there is matched with a branch of the parametric solution when
//! one evaluates to the same value under a guard that holds, so that the parametric exact form
//! and its guard can be reported; otherwise the instantiated exact form is reported. Gradients
//! come from the implicit function theorem on the original equation (`dx/dp = -F_p/F_x`), so
//! they exist for every simple root, `RootOf`s and numeric roots included.

use crate::error::SolveError;
use crate::numeric::{Point, eval_at, ift_gradient, instantiate, is_real_value};
use crate::solution::{Domain, SolutionSet, SolveOptions};
use rug::{Complex, Float};
use std::cmp::Ordering;
use sym_core::{Expr, Kind, RelOp, Symbol};

/// One solution at a point.
#[derive(Clone, Debug)]
pub struct PointSolution {
    /// The exact value (parametric when a parametric branch matched), or `None`.
    pub exact: Option<Vec<Expr>>,
    /// The guard of the matching parametric branch.
    pub guard: Option<Expr>,
    /// The multiplicity.
    pub multiplicity: u32,
    /// The values per unknown.
    pub values: Vec<Complex>,
    /// `(unknown, param, d unknown / d param)` for every unknown and parameter of a real
    /// solution; `None` where the derivative does not exist (a singular root).
    pub grad: Vec<(Symbol, Symbol, Option<Complex>)>,
    /// For a certified numeric root: per unknown, the radius around `values` within which the root lies.
    pub radius: Option<Vec<Float>>,
}

/// The result at a point.
#[derive(Clone, Debug)]
pub struct PointResult {
    /// The solution set of the instantiated equation (coverage and notes).
    pub set: SolutionSet,
    /// The solutions, sorted: real values ascending, then by real part, then imaginary part.
    pub solutions: Vec<PointSolution>,
}

/// Working precision for point values (bits beyond the requested digits).
pub fn prec_for(digits: u32) -> u32 {
    ((digits as f64) * std::f64::consts::LOG2_10).ceil() as u32 + 96
}

/// Evaluates a condition at a point: `Some(true/false)`, or `None` when undecidable there.
pub fn guard_holds(g: &Expr, point: &Point) -> Option<bool> {
    let inst = instantiate(g, point);
    match inst.kind() {
        Kind::Bool(b) => Some(*b),
        Kind::And(xs) => {
            let mut all = true;
            for x in xs.iter() {
                match guard_holds(x, &Point::new()) {
                    Some(false) => return Some(false),
                    Some(true) => {}
                    None => all = false,
                }
            }
            all.then_some(true)
        }
        Kind::Or(xs) => {
            for x in xs.iter() {
                if guard_holds(x, &Point::new()) == Some(true) {
                    return Some(true);
                }
            }
            None
        }
        Kind::Not(x) => guard_holds(x, &Point::new()).map(|b| !b),
        Kind::Rel(op, a, b) => {
            let d = eval_at(&(a.clone() - b.clone()), &Point::new(), 256).ok()?;
            let m = Float::with_val(256, d.abs_ref());
            let scale = 1e-60;
            let zero = m.to_f64() <= scale;
            Some(match op {
                RelOp::Eq => zero,
                RelOp::Ne => !zero,
                _ => {
                    if !is_real_value(&d, 256) {
                        return None;
                    }
                    let r = d.real().to_f64();
                    match op {
                        RelOp::Lt => r < 0.0 && !zero,
                        RelOp::Le => r < 0.0 || zero,
                        RelOp::Gt => r > 0.0 && !zero,
                        _ => r > 0.0 || zero,
                    }
                }
            })
        }
        _ => None,
    }
}

/// Solves `f = 0` for `x` at `point` and reports values (and gradients when asked).
pub fn solve_at(
    f: &Expr,
    x: Symbol,
    opts: &SolveOptions,
    parametric: Option<&SolutionSet>,
    point: &Point,
    digits: u32,
    want_grad: bool,
) -> Result<PointResult, SolveError> {
    let prec = prec_for(digits);
    let inst = instantiate(f, point);
    let opts = SolveOptions { numeric_digits: opts.numeric_digits.max(digits), ..opts.clone() };
    let set = crate::univariate::solve_one(&inst, x, &opts)?;
    let mut out = Vec::new();
    for b in &set.branches {
        if guard_holds(&b.guard, &Point::new()) == Some(false) {
            continue;
        }
        let (v, ex) = match (&b.exact, &b.numeric) {
            (Some(ex), _) => match eval_at(&ex[0], &Point::new(), prec) {
                Ok(v) => (v, Some(ex)),
                Err(_) => continue,
            },
            (None, Some(num)) => (Complex::with_val(prec, (&num[0].0, &num[0].1)), None),
            (None, None) => continue,
        };
        if set.domain == Domain::Real && !is_real_value(&v, prec) {
            continue;
        }
        let (exact, guard) = match parametric.and_then(|p| match_branch(p, &v, point, prec)) {
            Some((e, g)) => (Some(e), g),
            None => (ex.cloned(), None),
        };
        let mut grad = Vec::new();
        if want_grad && is_real_value(&v, prec) {
            for p in point.keys() {
                let g = if !sym_core::expr::has_symbol(f, *p) {
                    // The equation does not depend on p (it cancelled): the root does not either.
                    Some(Complex::new(prec))
                } else if b.multiplicity > 1 {
                    None
                } else {
                    ift_gradient(f, x, &v, *p, point, prec)
                };
                grad.push((x, *p, g));
            }
            grad.sort_by_key(|a| a.1);
        }
        out.push(PointSolution {
            exact,
            guard,
            multiplicity: b.multiplicity,
            values: vec![v],
            grad,
            radius: b.radius.clone(),
        });
    }
    out.sort_by(|a, b| cmp_values(&a.values[0], &b.values[0], prec));
    Ok(PointResult { set, solutions: out })
}

/// The exact form and guard of the parametric branch whose value at the point equals `v`.
fn match_branch(p: &SolutionSet, v: &Complex, point: &Point, prec: u32) -> Option<(Vec<Expr>, Option<Expr>)> {
    for b in &p.branches {
        let Some(ex) = &b.exact else { continue };
        if guard_holds(&b.guard, point) != Some(true) {
            continue;
        }
        let Ok(w) = eval_at(&ex[0], point, prec) else { continue };
        let d = Float::with_val(prec, Complex::with_val(prec, &w - v).abs_ref());
        let s = Float::with_val(prec, v.abs_ref()).max(&Float::with_val(prec, 1));
        if d <= Float::with_val(prec, &s >> (prec - 64)) {
            let guard = (!matches!(b.guard.kind(), Kind::Bool(true))).then(|| b.guard.clone());
            return Some((ex.clone(), guard));
        }
    }
    None
}

/// The output order: real values ascending, then non-real by real part, then imaginary part.
pub fn cmp_values(a: &Complex, b: &Complex, prec: u32) -> Ordering {
    let (ra, rb) = (is_real_value(a, prec), is_real_value(b, prec));
    match (ra, rb) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => {
            a.real().partial_cmp(b.real()).unwrap_or(Ordering::Equal).then_with(|| {
                if ra { Ordering::Equal } else { a.imag().partial_cmp(b.imag()).unwrap_or(Ordering::Equal) }
            })
        }
    }
}
