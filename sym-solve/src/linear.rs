//! Linear systems over `Q(params)`: Bareiss's fraction-free elimination, rank conditions as
//! guards, parametric families for free unknowns.
//!
//! Bareiss (1968): with `p_0 = 1` and pivot `p_k = a^{(k)}_{kk}`, the update
//! `a^{(k+1)}_{ij} = (p_k a^{(k)}_{ij} - a^{(k)}_{ik} a^{(k)}_{kj}) / p_{k-1}` divides exactly
//! (each entry is a minor of the augmented matrix, Sylvester's identity), so entries stay
//! polynomial in the parameters and never grow beyond the size of a determinant. Entries are kept
//! as cancelled expressions ([`Expr::cancel`]), so constants such as `E` or `sqrt(5)` are
//! coefficients like any parameter.
//!
//! Pivots are chosen as numbers first, then parameter-free constants that evaluate to non-zero,
//! then expressions in the parameters; only the last kind adds a guard `pivot != 0`, and makes the
//! coverage `generic`. A row whose coefficients all vanish reads `0 = c`: no solution when `c` is
//! a non-zero constant, the guard `c = 0` when it depends on parameters. Unknowns without a
//! pivot stay free and the solution is the family parametrised by them.

use crate::error::SolveError;
use crate::numeric::{Point, eval_at};
use crate::solution::{Branch, Coverage, SolutionSet};
use rug::Float;
use sym_core::{Expr, RelOp, Symbol};

/// How safe an entry is as a pivot (lower is better); `None` for zero.
fn pivot_rank(e: &Expr) -> Option<u8> {
    if e.is_zero() {
        return None;
    }
    if e.is_number() {
        return Some(0);
    }
    if sym_core::expr::free_symbols(e).is_empty() {
        return match eval_at(e, &Point::new(), 256) {
            Ok(z) if Float::with_val(256, z.abs_ref()).to_f64() > 1e-60 => Some(1),
            _ => None,
        };
    }
    Some(2)
}

fn normalize(e: Expr) -> Expr {
    let c = e.cancel();
    c.expand().unwrap_or(c)
}

/// Solves `rows` (`[a_1, ..., a_n, b]` for `sum a_j x_j = b`) into `set`.
pub fn solve_linear(rows: &[Vec<Expr>], unknowns: &[Symbol], set: &mut SolutionSet) -> Result<(), SolveError> {
    let n = unknowns.len();
    let mut a: Vec<Vec<Expr>> = rows.iter().map(|r| r.iter().cloned().map(normalize).collect()).collect();
    let m = a.len();
    let mut guards: Vec<Expr> = Vec::new();
    let mut prev = Expr::int(1);
    let mut pivots: Vec<(usize, usize)> = Vec::new();
    let mut r = 0;
    for c in 0..n {
        if r == m {
            break;
        }
        let best = (r..m).filter_map(|i| pivot_rank(&a[i][c]).map(|k| (k, i))).min();
        let Some((kind, p)) = best else { continue };
        a.swap(r, p);
        let piv = a[r][c].clone();
        if kind == 2 {
            guards.push(Expr::rel(RelOp::Ne, piv.clone(), Expr::zero()));
        }
        let pr = a[r].clone();
        for row in a.iter_mut().skip(r + 1) {
            let f = row[c].clone();
            for (j, v) in row.iter_mut().enumerate() {
                if j == c {
                    continue;
                }
                let t = piv.clone() * v.clone() - f.clone() * pr[j].clone();
                *v = normalize(t / prev.clone());
            }
            row[c] = Expr::zero();
        }
        // Rows above are not touched (back-substitution solves them).
        prev = piv;
        pivots.push((r, c));
        r += 1;
    }
    // Consistency of the rows without pivot: 0 = b_i.
    for row in a.iter().skip(r) {
        let b = &row[n];
        match pivot_rank(b) {
            None => {}
            Some(0) | Some(1) => return Ok(()),
            Some(_) => guards.push(Expr::rel(RelOp::Eq, b.clone(), Expr::zero())),
        }
    }
    // Back-substitution; free unknowns stand for themselves.
    let mut values: Vec<Expr> = unknowns.iter().map(|u| Expr::sym(*u)).collect();
    for &(row, col) in pivots.iter().rev() {
        let mut rhs = a[row][n].clone();
        for j in col + 1..n {
            if !a[row][j].is_zero() {
                rhs = rhs - a[row][j].clone() * values[j].clone();
            }
        }
        values[col] = normalize(rhs / a[row][col].clone());
    }
    if guards.iter().any(|g| matches!(g.kind(), sym_core::Kind::Rel(RelOp::Ne, ..))) {
        set.coverage = set.coverage.meet(Coverage::Generic);
    }
    if pivots.len() < n {
        let free: Vec<String> =
            (0..n).filter(|j| !pivots.iter().any(|p| p.1 == *j)).map(|j| unknowns[j].name().to_string()).collect();
        set.notes.push(format!("infinitely many solutions, parametrised by {}", free.join(", ")));
    }
    set.branches.push(Branch {
        exact: Some(values),
        numeric: None,
        guard: Expr::and_all(guards),
        multiplicity: 1,
        radius: None,
        implicit: None,
    });
    Ok(())
}
