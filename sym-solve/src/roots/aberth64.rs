//! The Aberth–Ehrlich iteration in `f64` complex arithmetic: the fast first phase of
//! [`complex_roots`](super::complex_roots), which brings every approximation to the accuracy that
//! `f64` evaluation allows. Nothing here is certified; the MPFR phase (module `certify`) polishes
//! and proves.
//!
//! # The iteration
//!
//! For approximations `z_1, ..., z_n` of the roots of `p`, Aberth's correction is
//!
//! `w_i = N_i / (1 - N_i sum_(j != i) 1 / (z_i - z_j))`, with `N_i = p(z_i) / p'(z_i)`,
//!
//! Newton's method applied to `p(z) / prod_(j != i)(z - z_j)` (implicit deflation); it converges
//! cubically to simple roots (Aberth 1973, Ehrlich 1967). The sweep is Gauss–Seidel: each new
//! `z_i` is used at once for the later `i` (Bini 1996).
//!
//! `N_i` is computed without overflow: for `|z| <= 1` by Horner's rule on `p`, otherwise on the
//! reversed polynomial `q(w) = w^n p(1/w)` at `w = 1/z`, from `p / p' = z / (n - w q'(w) / q(w))`.
//! The coefficients are scaled by a power of two so that the largest is near one.
//!
//! A root is considered converged (and is no longer moved) when `|p(z)|` is below the `f64`
//! rounding level `8 (n + 1) u sum |a_i| |z|^i` of Horner's rule, Bini's stopping criterion.

use rug::{Float, Integer};

/// A polynomial with scaled `f64` coefficients, lowest degree first.
pub(crate) struct F64Poly {
    pub(crate) a: Vec<f64>,
    pub(crate) abs: Vec<f64>,
    /// The scaling: `a_i = c_i 2^-top`.
    top: u32,
    /// Whether every `a_i` is exactly `c_i 2^-top` (all `|c_i| < 2^53`).
    pub(crate) exact: bool,
}

/// Unit roundoff of `f64`.
const U: f64 = f64::EPSILON / 2.0;

/// `1 / (re + i im)` by Smith's algorithm (no spurious overflow).
#[inline]
fn inv(re: f64, im: f64) -> (f64, f64) {
    if re.abs() >= im.abs() {
        let t = im / re;
        let d = re + im * t;
        (1.0 / d, -t / d)
    } else {
        let t = re / im;
        let d = re * t + im;
        (t / d, -1.0 / d)
    }
}

/// `(ar + i ai) / (br + i bi)` by Smith's algorithm.
#[inline]
fn div(ar: f64, ai: f64, br: f64, bi: f64) -> (f64, f64) {
    if br.abs() >= bi.abs() {
        let t = bi / br;
        let d = br + bi * t;
        ((ar + ai * t) / d, (ai - ar * t) / d)
    } else {
        let t = br / bi;
        let d = br * t + bi;
        ((ar * t + ai) / d, (ai * t - ar) / d)
    }
}

impl F64Poly {
    /// The scaled `f64` image of `c`, or `None` when the coefficients span too wide a range of
    /// magnitudes for `f64` (some nonzero coefficient would be below `2^-900` after scaling).
    pub(crate) fn new(c: &[Integer]) -> Option<F64Poly> {
        let top = c.iter().map(Integer::significant_bits).max()?;
        let a: Vec<f64> = c
            .iter()
            .map(|x| {
                let mut f = Float::with_val(53, x);
                f >>= top;
                f.to_f64()
            })
            .collect();
        let ok = c.iter().zip(&a).all(|(x, y)| x.is_zero() || y.abs() > f64::MIN_POSITIVE * 2f64.powi(122));
        if !ok {
            return None;
        }
        let abs = a.iter().map(|x| x.abs()).collect();
        let exact = c.iter().all(|x| x.significant_bits() <= 53);
        Some(F64Poly { a, abs, top, exact })
    }

    /// The degree.
    pub(crate) fn degree(&self) -> usize {
        self.a.len() - 1
    }

    /// `(N, converged)` at `z`: the Newton correction `p(z) / p'(z)` and whether `|p(z)|` is at
    /// the rounding level. `None` when the correction is not finite.
    #[inline]
    pub(crate) fn newton(&self, zr: f64, zi: f64) -> Option<(f64, f64, bool)> {
        let n = self.degree();
        let a = &self.a;
        let abs = &self.abs;
        let r2 = zr * zr + zi * zi;
        if r2 <= 1.0 {
            let r = r2.sqrt();
            let (mut pr, mut pi) = (a[n], 0.0);
            let (mut dr, mut di) = (0.0, 0.0);
            let mut s = abs[n];
            for k in (0..n).rev() {
                let t = dr * zr - di * zi + pr;
                di = dr * zi + di * zr + pi;
                dr = t;
                let t = pr * zr - pi * zi + a[k];
                pi = pr * zi + pi * zr;
                pr = t;
                s = s * r + abs[k];
            }
            let lim = 8.0 * (n as f64 + 1.0) * U * s;
            let conv = pr * pr + pi * pi <= lim * lim;
            if pr == 0.0 && pi == 0.0 {
                return Some((0.0, 0.0, true));
            }
            let (nr, ni) = div(pr, pi, dr, di);
            (nr.is_finite() && ni.is_finite()).then_some((nr, ni, conv))
        } else {
            let (wr, wi) = inv(zr, zi);
            let r = (wr * wr + wi * wi).sqrt();
            let (mut qr, mut qi) = (a[0], 0.0);
            let (mut dr, mut di) = (0.0, 0.0);
            let mut s = abs[0];
            for k in 1..=n {
                let t = dr * wr - di * wi + qr;
                di = dr * wi + di * wr + qi;
                dr = t;
                let t = qr * wr - qi * wi + a[k];
                qi = qr * wi + qi * wr;
                qr = t;
                s = s * r + abs[k];
            }
            let lim = 8.0 * (n as f64 + 1.0) * U * s;
            let conv = qr * qr + qi * qi <= lim * lim;
            if qr == 0.0 && qi == 0.0 {
                return Some((0.0, 0.0, true));
            }
            // p / p' = z / (n - w q'(w) / q(w)).
            let (tr, ti) = div(dr, di, qr, qi);
            let (ur, ui) = (wr * tr - wi * ti, wr * ti + wi * tr);
            let (nr, ni) = div(zr, zi, n as f64 - ur, -ui);
            (nr.is_finite() && ni.is_finite()).then_some((nr, ni, conv))
        }
    }
}

impl F64Poly {
    /// `p'(z)` of the *unscaled* polynomial as `(re, im, e)` meaning `(re + i im) 2^e`, computed
    /// in `f64` without overflow; `None` when rounding may have destroyed more than about 20
    /// of its bits (then the caller evaluates in MPFR). Only used for Newton corrections, where a
    /// relative error `d` in `p'` slows convergence to the rate `d` and nothing else.
    pub(crate) fn derivative(&self, zr: f64, zi: f64) -> Option<(f64, f64, i64)> {
        let n = self.degree();
        let a = &self.a;
        let abs = &self.abs;
        let r2 = zr * zr + zi * zi;
        let guard = 2f64.powi(-20) / (8.0 * (n as f64 + 1.0) * U);
        if r2 <= 1.0 {
            let r = r2.sqrt();
            let (mut dr, mut di) = (a[n] * n as f64, 0.0);
            let mut s = abs[n] * n as f64;
            for k in (1..n).rev() {
                let t = dr * zr - di * zi + a[k] * k as f64;
                di = dr * zi + di * zr;
                dr = t;
                s = s * r + abs[k] * k as f64;
            }
            let ok = dr.hypot(di) * guard > s && dr.is_finite() && di.is_finite();
            return ok.then_some((dr, di, i64::from(self.top)));
        }
        // p'(z) = z^(n-1) (n q(w) - w q'(w)) with w = 1/z and q the reversed polynomial.
        let (wr, wi) = inv(zr, zi);
        let r = wr.hypot(wi);
        let (mut qr, mut qi) = (a[0], 0.0);
        let (mut er, mut ei) = (0.0, 0.0);
        let (mut s, mut sd) = (abs[0], 0.0);
        for k in 1..=n {
            let t = er * wr - ei * wi + qr;
            ei = er * wi + ei * wr + qi;
            er = t;
            let t = qr * wr - qi * wi + a[k];
            qi = qr * wi + qi * wr;
            qr = t;
            sd = sd * r + s;
            s = s * r + abs[k];
        }
        let (tr, ti) = (wr * er - wi * ei, wr * ei + wi * er);
        let (dr, di) = (n as f64 * qr - tr, n as f64 * qi - ti);
        let bound = n as f64 * s + r * sd;
        if !(dr.hypot(di) * guard > bound && dr.is_finite() && di.is_finite()) {
            return None;
        }
        // z^(n-1) = 2^(L) e^(i phi) with L = (n-1) log2|z|, phi = (n-1) arg z.
        let l = (n as f64 - 1.0) * zr.hypot(zi).log2();
        let phi = (n as f64 - 1.0) * zi.atan2(zr);
        let e = l.floor();
        let m = (l - e).exp2();
        let (c, sn) = (phi.cos() * m, phi.sin() * m);
        Some((dr * c - di * sn, dr * sn + di * c, e as i64 + i64::from(self.top)))
    }
}

/// `sum_(j != i) 1 / (z_i - z_j)`.
#[inline]
pub(crate) fn aberth_sum(zr: &[f64], zi: &[f64], i: usize) -> (f64, f64) {
    let (xr, xi) = (zr[i], zi[i]);
    // Two branch-free loops (before and after i), which the compiler vectorises.
    let part = |r: &[f64], m: &[f64]| -> (f64, f64) {
        let (mut sr, mut si) = (0.0, 0.0);
        for (a, b) in r.iter().zip(m) {
            let dr = xr - a;
            let di = xi - b;
            let q = 1.0 / (dr * dr + di * di);
            sr += dr * q;
            si -= di * q;
        }
        (sr, si)
    };
    let (ar, ai) = part(&zr[..i], &zi[..i]);
    let (br, bi) = part(&zr[i + 1..], &zi[i + 1..]);
    (ar + br, ai + bi)
}

/// Runs Gauss–Seidel Aberth sweeps on `(zr, zi)` until every root is converged or `max_sweeps`
/// sweeps are done; returns the number of sweeps and the convergence flags.
pub(crate) fn aberth_f64(p: &F64Poly, zr: &mut [f64], zi: &mut [f64], max_sweeps: usize) -> (usize, Vec<bool>) {
    let n = zr.len();
    let mut done = vec![false; n];
    let mut sweeps = 0;
    while sweeps < max_sweeps && done.iter().any(|d| !d) {
        sweeps += 1;
        for i in 0..n {
            if done[i] {
                continue;
            }
            let Some((nr, ni, conv)) = p.newton(zr[i], zi[i]) else {
                // A critical point or overflow: nudge the point off it.
                zr[i] += 1e-3 * (1.0 + zr[i].abs());
                continue;
            };
            if conv {
                done[i] = true;
                continue;
            }
            let (sr, si) = aberth_sum(zr, zi, i);
            // w = N / (1 - N S)
            let (br, bi) = (1.0 - (nr * sr - ni * si), -(nr * si + ni * sr));
            let (mut wr, mut wi) = div(nr, ni, br, bi);
            if !(wr.is_finite() && wi.is_finite()) {
                (wr, wi) = (nr, ni);
            }
            zr[i] -= wr;
            zi[i] -= wi;
        }
    }
    (sweeps, done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roots::init::newton_polygon_start;

    #[test]
    fn finds_roots_of_unity_shifted() {
        // x^5 - 1
        let c: Vec<Integer> = [-1, 0, 0, 0, 0, 1].iter().map(|&v| Integer::from(v)).collect();
        let p = F64Poly::new(&c).expect("fits");
        let start = newton_polygon_start(&c);
        let mut zr: Vec<f64> = start.iter().map(|(l, a)| l.exp2() * a.cos()).collect();
        let mut zi: Vec<f64> = start.iter().map(|(l, a)| l.exp2() * a.sin()).collect();
        let (_, done) = aberth_f64(&p, &mut zr, &mut zi, 100);
        assert!(done.iter().all(|&d| d));
        for (r, i) in zr.iter().zip(&zi) {
            assert!((r.hypot(*i) - 1.0).abs() < 1e-14);
        }
    }
}

#[cfg(test)]
mod deriv_tests {
    use super::*;
    use rug::Complex;

    #[test]
    fn derivative_matches_mpfr() {
        let mut c = vec![Integer::from(1)];
        for k in 1..=20i64 {
            // multiply by (x - k)
            let mut d = vec![Integer::new(); c.len() + 1];
            for (i, a) in c.iter().enumerate() {
                d[i + 1] += a;
                d[i] -= Integer::from(a * k);
            }
            c = d;
        }
        let p = F64Poly::new(&c).unwrap();
        for &(x, y) in &[(0.5, 0.1), (3.2, 0.4), (19.7, -0.3), (1.3, 2.0)] {
            let z = Complex::with_val(200, (x, y));
            let mut acc = Complex::new(200);
            for (k, a) in c.iter().enumerate().skip(1).rev() {
                acc *= &z;
                acc += Complex::with_val(200, a * Integer::from(k));
            }
            let got = p.derivative(x, y);
            let exp = (acc.real().to_f64(), acc.imag().to_f64());
            if let Some((dr, di, e)) = got {
                let s = 2f64.powi(e as i32);
                assert!(((dr * s - exp.0).abs() + (di * s - exp.1).abs()) <= 1e-6 * (exp.0.abs() + exp.1.abs()));
            }
        }
    }
}
