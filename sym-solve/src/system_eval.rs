//! Systems at a parameter point: values of every solution, and their gradients with respect to
//! the parameters by the implicit function theorem.
//!
//! The system `F(X, p) = 0` is instantiated at the point and solved ([`crate::solve_system`]).
//! For a solution `X*` where the Jacobian `J_X = dF/dX` has full column rank, the solution is a
//! smooth function of the parameters with `dX/dp = -J_X^{-1} J_p` (`J_p = dF/dp`); the linear
//! system is solved by Gaussian elimination with partial pivoting in MPFR complex arithmetic at
//! the working precision (surplus equations of an overdetermined but consistent system are
//! dependent rows and are skipped by the pivoting). A rank-deficient `J_X` (a singular solution)
//! gives `None`.
//!
//! A family of solutions (a branch whose values contain free unknowns, from an underdetermined system) has no
//! values to list: it is left out of [`PointResult::solutions`] and stays in [`PointResult::set`], with the
//! set's coverage (the family is part of the complete answer).

use crate::error::SolveError;
use crate::evaluate::{PointResult, PointSolution, guard_holds, prec_for};
use crate::numeric::{Point, eval_at, instantiate, is_real_value, resolve_root_ofs};
use crate::solution::{Domain, SolveOptions};
use rug::{Complex, Float};
use sym_core::evalf::{ComplexEnv, eval_complex};
use sym_core::{Expr, Symbol};

/// Solves `eqs = 0` for `unknowns` at `point` and reports values (and gradients when asked).
pub fn solve_system_at(
    eqs: &[Expr],
    unknowns: &[Symbol],
    opts: &SolveOptions,
    point: &Point,
    digits: u32,
    want_grad: bool,
) -> Result<PointResult, SolveError> {
    let prec = prec_for(digits);
    let inst: Vec<Expr> = eqs.iter().map(|e| instantiate(e, point)).collect();
    let set = crate::system::solve_system(&inst, unknowns, opts)?;
    let mut out = Vec::new();
    for b in &set.branches {
        if guard_holds(&b.guard, &Point::new()) == Some(false) {
            continue;
        }
        let values: Vec<Complex> = match (&b.exact, &b.numeric) {
            (Some(ex), _) => {
                if ex.iter().any(|e| !sym_core::expr::free_symbols(e).is_empty()) {
                    // A family: it stays in `set` (see the module documentation).
                    continue;
                }
                match ex.iter().map(|e| eval_at(e, &Point::new(), prec)).collect() {
                    Ok(v) => v,
                    Err(_) => continue,
                }
            }
            (None, Some(num)) => num.iter().map(|(re, im)| Complex::with_val(prec, (re, im))).collect(),
            (None, None) => continue,
        };
        let real = values.iter().all(|v| is_real_value(v, prec));
        if set.domain == Domain::Real && !real {
            continue;
        }
        let mut grad = Vec::new();
        if want_grad && real {
            let params: Vec<Symbol> = point.keys().copied().collect();
            let g = jacobian_solve(eqs, unknowns, &values, &params, point, prec);
            for (i, u) in unknowns.iter().enumerate() {
                for (k, p) in params.iter().enumerate() {
                    grad.push((*u, *p, g.as_ref().map(|g| g[i][k].clone())));
                }
            }
            grad.sort_by_key(|a| (a.0, a.1));
        }
        out.push(PointSolution {
            exact: b.exact.clone(),
            guard: None,
            multiplicity: b.multiplicity,
            values,
            grad,
            radius: b.radius.clone(),
        });
    }
    out.sort_by(|a, b| {
        a.values
            .iter()
            .zip(&b.values)
            .map(|(p, q)| crate::evaluate::cmp_values(p, q, prec))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    Ok(PointResult { set, solutions: out })
}

/// `dX/dp` (rows: unknowns, columns: parameters) at a solution, or `None` when `J_X` is
/// rank-deficient or an entry cannot be evaluated.
fn jacobian_solve(
    eqs: &[Expr],
    unknowns: &[Symbol],
    values: &[Complex],
    params: &[Symbol],
    point: &Point,
    prec: u32,
) -> Option<Vec<Vec<Complex>>> {
    let mut env = ComplexEnv::new();
    for (u, v) in unknowns.iter().zip(values) {
        env.insert(*u, v.clone());
    }
    let ev = |e: &Expr| -> Option<Complex> {
        let r = resolve_root_ofs(&instantiate(e, point), prec).ok()?;
        eval_complex(&r, &env, prec).ok()
    };
    let n = unknowns.len();
    let np = params.len();
    // Augmented rows [J_X | -J_p].
    let mut rows: Vec<Vec<Complex>> = Vec::with_capacity(eqs.len());
    for f in eqs {
        let mut row = Vec::with_capacity(n + np);
        for u in unknowns {
            row.push(ev(&f.diff(*u))?);
        }
        for p in params {
            row.push(-ev(&f.diff(*p))?);
        }
        rows.push(row);
    }
    let scale = rows
        .iter()
        .flat_map(|r| r[..n].iter())
        .map(|z| Float::with_val(prec, z.abs_ref()))
        .fold(Float::with_val(prec, 0), |a, b| a.max(&b));
    if scale.is_zero() {
        return None;
    }
    let tiny = Float::with_val(prec, &scale >> (prec / 2));
    let mut used = vec![false; rows.len()];
    let mut pivot_rows = Vec::with_capacity(n);
    for c in 0..n {
        let best = (0..rows.len())
            .filter(|&i| !used[i])
            .map(|i| (i, Float::with_val(prec, rows[i][c].abs_ref())))
            .max_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal))?;
        if best.1 <= tiny {
            return None;
        }
        let p = best.0;
        used[p] = true;
        pivot_rows.push(p);
        let pr = rows[p].clone();
        for (i, row) in rows.iter_mut().enumerate() {
            if i == p {
                continue;
            }
            let f = Complex::with_val(prec, &row[c] / &pr[c]);
            for j in c..n + np {
                let t = Complex::with_val(prec, &f * &pr[j]);
                row[j] -= t;
            }
        }
    }
    // Gauss–Jordan: each pivot row now has one non-zero among the unknowns' columns.
    let mut out = vec![vec![Complex::new(prec); np]; n];
    for (c, &p) in pivot_rows.iter().enumerate() {
        for k in 0..np {
            out[c][k] = Complex::with_val(prec, &rows[p][n + k] / &rows[p][c]);
        }
    }
    Some(out)
}
