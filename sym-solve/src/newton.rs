//! Numeric fallback for square systems without parameters: damped Newton from sampled starts.
//!
//! For `F: R^n -> R^n`, Newton's step solves `J(X) d = -F(X)` (LU with partial pivoting,
//! `nalgebra`); the damped iteration takes `X + t d` with the largest `t` in `1, 1/2, 1/4, ...`
//! that decreases the merit function `phi = |F|^2 / 2` by Armijo's condition
//! `phi(X + t d) <= (1 - 2 c t) phi(X)` (`c = 1e-4`; `d` is a descent direction of `phi` since
//! `grad phi . d = -|F|^2`). Starts are a deterministic low-discrepancy sample of a box; a run is
//! accepted when `|F| <= 1e-12 (1 + scale)` with a non-singular Jacobian, and distinct solutions
//! are kept. The Jacobian is sym-core's symbolic derivative, evaluated in `f64`.
//!
//! The result is never claimed complete: roots outside the sampled box or with small basins
//! may be missed.

use nalgebra::{DMatrix, DVector};
use sym_core::evalf::{F64Env, eval_f64};
use sym_core::{Expr, Symbol};

/// How many starting points are tried.
const STARTS: usize = 64;
/// Newton iterations per start.
const ITERATIONS: usize = 60;
/// Half-width of the sampled box.
const BOX: f64 = 10.0;

fn eval_all(fs: &[Expr], vars: &[Symbol], x: &[f64]) -> Option<DVector<f64>> {
    let mut env = F64Env::new();
    for (v, xi) in vars.iter().zip(x) {
        env.insert(*v, *xi);
    }
    let vals: Option<Vec<f64>> = fs.iter().map(|f| eval_f64(f, &env).ok().filter(|v| v.is_finite())).collect();
    vals.map(DVector::from_vec)
}

/// Real solutions of the square system `eqs = 0` found by damped Newton (see the module
/// documentation), sorted lexicographically.
pub fn newton_solutions(eqs: &[Expr], vars: &[Symbol]) -> Vec<Vec<f64>> {
    let n = vars.len();
    if eqs.len() != n || n == 0 {
        return Vec::new();
    }
    let jac: Vec<Vec<Expr>> = eqs.iter().map(|f| vars.iter().map(|v| f.diff(*v)).collect()).collect();
    let jac_flat: Vec<Expr> = jac.into_iter().flatten().collect();
    let mut found: Vec<Vec<f64>> = Vec::new();
    // Halton-like sequence: the fractional parts of k * sqrt(prime).
    let primes = [2.0f64, 3.0, 5.0, 7.0, 11.0, 13.0, 17.0, 19.0];
    for k in 0..STARTS {
        let mut x: Vec<f64> = (0..n)
            .map(|i| {
                let p = primes[i % primes.len()].sqrt();
                let u = ((k as f64 + 1.0) * p).fract();
                (2.0 * u - 1.0) * BOX * if k < STARTS / 2 { 0.2 } else { 1.0 }
            })
            .collect();
        let Some(mut fx) = eval_all(eqs, vars, &x) else { continue };
        let mut ok = false;
        for _ in 0..ITERATIONS {
            let phi = fx.norm_squared() / 2.0;
            if fx.norm() <= 1e-13 {
                ok = true;
                break;
            }
            let Some(jv) = eval_all(&jac_flat, vars, &x) else { break };
            let j = DMatrix::from_row_slice(n, n, jv.as_slice());
            let Some(d) = j.lu().solve(&(-&fx)) else { break };
            let mut t = 1.0;
            let mut moved = false;
            while t > 1e-10 {
                let cand: Vec<f64> = x.iter().zip(d.iter()).map(|(a, b)| a + t * b).collect();
                if let Some(fc) = eval_all(eqs, vars, &cand)
                    && fc.norm_squared() / 2.0 <= (1.0 - 2e-4 * t) * phi
                {
                    x = cand;
                    fx = fc;
                    moved = true;
                    break;
                }
                t /= 2.0;
            }
            if !moved {
                break;
            }
        }
        if !ok && fx.norm() > 1e-12 * (1.0 + x.iter().fold(0.0f64, |m, v| m.max(v.abs()))) {
            continue;
        }
        // A singular Jacobian means a non-isolated or multiple root: not reported.
        let Some(jv) = eval_all(&jac_flat, vars, &x) else { continue };
        let j = DMatrix::from_row_slice(n, n, jv.as_slice());
        if j.determinant().abs() < 1e-10 {
            continue;
        }
        let same = |a: &Vec<f64>| a.iter().zip(&x).all(|(p, q)| (p - q).abs() <= 1e-8 * (1.0 + q.abs()));
        if !found.iter().any(same) {
            found.push(x);
        }
    }
    found.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circle_and_exponential() {
        // x^2 + y^2 = 4, y = e^x: two real intersections.
        let (x, y) = (Symbol::new("x"), Symbol::new("y"));
        let eqs = [sym_core::parse("x**2 + y**2 - 4").unwrap(), sym_core::parse("y - exp(x)").unwrap()];
        let sols = newton_solutions(&eqs, &[x, y]);
        assert_eq!(sols.len(), 2);
        for s in &sols {
            assert!((s[0] * s[0] + s[1] * s[1] - 4.0).abs() < 1e-10);
            assert!((s[1] - s[0].exp()).abs() < 1e-10);
        }
    }
}
