//! Starting points for the Aberth–Ehrlich iteration from the Newton polygon (Bini, "Numerical
//! computation of polynomial zeros by means of Aberth's method", Numer. Algorithms 13, 1996).
//!
//! Let `(i, log|a_i|)` for the nonzero coefficients, and let `k_0 < k_1 < ... < k_q` be the
//! abscissae of the vertices of the upper convex hull of these points. For every edge
//! `(k_j, k_(j+1))` there are (roughly, by Pellet's and Ostrowski's theorems) `k_(j+1) - k_j`
//! roots of modulus near `u_j = (|a_(k_j)| / |a_(k_(j+1))|)^(1 / (k_(j+1) - k_j))`; Bini places
//! that many points equally spaced on the circle of radius `u_j`, rotated by an angle depending on
//! the edge plus a fixed offset `sigma = 0.7` that breaks the symmetry of conjugate roots.
//! Everything is computed in base-2 logarithms, so radii far outside the `f64` range are
//! represented.

use rug::Integer;
use std::f64::consts::TAU;

/// `log2 |a|` for a nonzero integer (accurate to about `1e-15` relative).
pub(crate) fn log2_abs(a: &Integer) -> f64 {
    let (m, e) = a.to_f64_exp();
    m.abs().log2() + f64::from(e)
}

/// Starting points as `(log2 r, angle)` pairs, `n` of them for degree `n`.
pub(crate) fn newton_polygon_start(c: &[Integer]) -> Vec<(f64, f64)> {
    let n = c.len() - 1;
    let pts: Vec<(usize, f64)> =
        c.iter().enumerate().filter(|(_, a)| !a.is_zero()).map(|(i, a)| (i, log2_abs(a))).collect();
    // Upper convex hull by Andrew's monotone chain (the points are sorted by abscissa).
    let mut hull: Vec<(usize, f64)> = Vec::new();
    for &p in &pts {
        while hull.len() >= 2 {
            let (x1, y1) = hull[hull.len() - 2];
            let (x2, y2) = hull[hull.len() - 1];
            // Remove the middle point unless it lies strictly above the chord.
            let cross = (x2 as f64 - x1 as f64) * (p.1 - y1) - (y2 - y1) * (p.0 as f64 - x1 as f64);
            if cross >= 0.0 {
                hull.pop();
            } else {
                break;
            }
        }
        hull.push(p);
    }
    let mut out = Vec::with_capacity(n);
    const SIGMA: f64 = 0.7;
    for w in hull.windows(2) {
        let ((k1, y1), (k2, y2)) = (w[0], w[1]);
        let m = k2 - k1;
        let log_r = (y1 - y2) / m as f64;
        for j in 0..m {
            let angle = TAU * j as f64 / m as f64 + TAU * k1 as f64 / n as f64 + SIGMA;
            out.push((log_r, angle));
        }
    }
    // The hull spans the nonzero coefficients; for f(0) != 0 and a_n != 0 that is 0..n. Zero
    // roots (a_0 = 0) never reach this module, but keep the count right regardless.
    while out.len() < n {
        let j = out.len();
        out.push((-30.0, TAU * j as f64 / n as f64 + SIGMA));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radii_follow_the_polygon() {
        // (x - 1000)(x - 1/1000) ~ x^2 - 1000 x + 1, scaled: 1000 x^2 - 1000001 x + 1000.
        let c: Vec<Integer> = [1000, -1_000_001, 1000].iter().map(|&v| Integer::from(v)).collect();
        let s = newton_polygon_start(&c);
        assert_eq!(s.len(), 2);
        let mut radii: Vec<f64> = s.iter().map(|p| p.0.exp2()).collect();
        radii.sort_by(f64::total_cmp);
        assert!((radii[0] - 1e-3).abs() < 1e-5);
        assert!((radii[1] - 1e3).abs() < 1.0);
    }
}
