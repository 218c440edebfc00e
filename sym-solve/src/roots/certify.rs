//! The MPFR phase of complex root finding: Aberth–Ehrlich sweeps at a working precision that
//! grows as needed, and the certification of the result as disjoint inclusion discs.
//!
//! # Inclusion discs
//!
//! For pairwise distinct points `z_1, ..., z_n` and `p` of degree `n` with leading coefficient
//! `a_n`, let `W_i = p(z_i) / (a_n prod_(j != i) (z_i - z_j))` (Weierstrass' correction). Then
//! every root of `p` lies in the union of the discs `D_i = D(z_i, n |W_i|)`, and every connected
//! component of that union made of `m` discs contains exactly `m` roots (Braess and Hadeler,
//! "Simultaneous inclusion of the zeros of a polynomial", Numer. Math. 21, 1973; Carstensen,
//! "Inclusion of the roots of a polynomial based on Gerschgorin's theorem", Numer. Math. 59,
//! 1991). When the discs are pairwise disjoint, each contains exactly one root.
//!
//! The radii are computed rigorously: `|p(z_i)|` is bounded above by the computed value plus the
//! Horner error bound of module `intpoly`, and `|a_n| prod |z_i - z_j|` below by directed
//! [`Mag`] arithmetic on lower bounds of the distances (see [`Certifier::dist_lower`]).
//!
//! # Real roots and conjugate pairs
//!
//! `p` has real coefficients, so its roots are closed under conjugation. If the mirror image
//! `conj(D_i)` meets no other disc `D_j`, the conjugate of the root in `D_i`, which is a root and
//! lies in `conj(D_i)`, can only lie in `D_i`; as `D_i` holds one root, that root is real. If
//! `D_i` misses the real axis, its root is not real, and `conj(D_i)` meets exactly one other
//! disc `D_j` in which the conjugate root lies; then `conj(D_i)` is itself an inclusion disc for
//! the root of `D_j`, and the pair is reported with exactly conjugate midpoints (the smaller of the
//! two radii is kept). A disc for which neither test decides is refined further. A real root is
//! reported with the midpoint `Re z_i` and the same radius (projection onto the real axis does
//! not increase distances to a real point).
//!
//! # The iteration
//!
//! Each sweep evaluates `p` and `p'` at the not yet settled points in MPFR, applies Aberth's
//! correction `w_i = N_i / (1 - N_i S_i)` (module `aberth64`), and settles a point when its
//! correction is below its tolerance or its value is at the rounding level of the evaluation.
//! The sums `S_i` are taken in `f64` except for terms with nearly equal points, which are taken
//! in MPFR (only the convergence speed depends on `S_i`). When all points are settled the discs
//! are computed; points whose discs fail (too large, overlapping, undecided realness) are
//! iterated further with a tighter tolerance, and when a failing point is at the rounding level
//! the working precision is doubled.

use super::RootLimits;
use super::aberth64::F64Poly;
use super::error::RootsError;
use super::intpoly::{Factor, abs_sum_up, horner_gamma};
use super::mag::Mag;
use rug::float::Round;
use rug::{Assign, Complex, Float, Integer};

/// A certified inclusion disc.
#[derive(Clone, Debug)]
pub(crate) struct Disc {
    /// The real part of the midpoint.
    pub(crate) re: Float,
    /// The imaginary part of the midpoint (exactly zero for real roots).
    pub(crate) im: Float,
    /// An upper bound on the distance from the midpoint to the root.
    pub(crate) rad: Mag,
    /// Whether the root is proven real.
    pub(crate) real: bool,
}

/// `x` as `f64`, or `None` when out of the safe range for the fast distance bounds.
fn safe_f64(x: &Float) -> Option<f64> {
    let v = x.to_f64();
    (v.is_finite() && v.abs() < 2f64.powi(900)).then_some(v)
}

impl DiscGeometry for Certifier<'_> {
    fn len(&self) -> usize {
        self.n
    }
    fn dist_low(&self, i: usize, j: usize, conj: bool) -> Mag {
        self.dist_lower(i, j, conj)
    }
    fn im_low(&self, i: usize) -> Mag {
        Mag::from_float_down(&self.zi[i])
    }
    fn center(&self, i: usize) -> (Float, Float) {
        (self.zr[i].clone(), self.zi[i].clone())
    }
    fn approx(&self, i: usize) -> Option<(f64, f64)> {
        self.cr[i]
    }
}

/// The state of the MPFR phase for one square-free factor.
pub(crate) struct Certifier<'a> {
    f: &'a Factor,
    n: usize,
    prec: u32,
    cf: Vec<Float>,
    zr: Vec<Float>,
    zi: Vec<Float>,
    /// `f64` images of the midpoints (`None` when out of range).
    cr: Vec<Option<(f64, f64)>>,
    /// Whether the stored evaluation matches the current point.
    clean: Vec<bool>,
    /// Upper bound on `|p(z_i)|` (valid when clean).
    pabs: Vec<Mag>,
    /// Whether the rounding error dominates the stored value.
    noisy: Vec<bool>,
    /// Extra tolerance bits per point.
    extra: Vec<i64>,
    /// The `f64` image of the polynomial, for derivatives.
    fp: Option<F64Poly>,
    target_bits: u32,
    sweeps: usize,
}

impl<'a> Certifier<'a> {
    /// Starts from `(re, im)` approximations (`f64`, or MPFR for extreme magnitudes).
    pub(crate) fn new(f: &'a Factor, start: Vec<(Float, Float)>, target_bits: u32, initial_prec: u32) -> Certifier<'a> {
        let n = f.degree();
        let prec = initial_prec;
        let mut zr = Vec::with_capacity(n);
        let mut zi = Vec::with_capacity(n);
        for (r, i) in start {
            zr.push(Float::with_val(prec, r));
            zi.push(Float::with_val(prec, i));
        }
        let cr = zr.iter().zip(&zi).map(|(r, i)| Some((safe_f64(r)?, safe_f64(i)?))).collect();
        Certifier {
            f,
            n,
            prec,
            cf: f.floats(prec),
            zr,
            zi,
            cr,
            clean: vec![false; n],
            pabs: vec![Mag::ZERO; n],
            noisy: vec![false; n],
            extra: vec![0; n],
            fp: F64Poly::new(&f.c),
            target_bits,
            sweeps: 0,
        }
    }

    /// Raises the working precision to `prec` (points are kept exactly; evaluations are redone).
    fn set_prec(&mut self, prec: u32) {
        self.prec = prec;
        self.cf = self.f.floats(prec);
        for x in self.zr.iter_mut().chain(self.zi.iter_mut()) {
            x.set_prec(prec);
        }
        self.clean.iter_mut().for_each(|c| *c = false);
    }

    /// `p(z_i)` at the working precision with an upper bound on its rounding error.
    fn eval(&self, i: usize) -> (Float, Float, Mag) {
        let prec = self.prec;
        let (x, y) = (&self.zr[i], &self.zi[i]);
        let n = self.n;
        let mut pr = Float::with_val(prec, &self.cf[n]);
        let mut pi = Float::new(prec);
        let mut t1 = Float::new(prec);
        let mut t2 = Float::new(prec);
        let mut t3 = Float::new(prec);
        for k in (0..n).rev() {
            // (pr + i pi) <- (pr + i pi)(x + i y) + a_k, with separately rounded operations.
            t1.assign(&pr * x);
            t2.assign(&pi * y);
            t3.assign(&pr * y);
            pi *= x;
            pi += &t3;
            t1 -= &t2;
            t1 += &self.cf[k];
            std::mem::swap(&mut pr, &mut t1);
        }
        let r = Mag::from_float_up(&Float::with_val_round(53, x.hypot_ref(y), Round::Up).0);
        let err = horner_gamma(n, prec).mul_up(abs_sum_up(&self.f.abs_up, r));
        (pr, pi, err)
    }

    /// `p'(z_i)` (only Newton corrections use it): in `f64` when that is reliable (the rounding
    /// error of the evaluation is small and no other point is within `2^-20 |z_i|`, so that
    /// rounding `z_i` to `f64` moves `p'` little), else in MPFR at the working precision.
    fn derivative(&self, i: usize, isolated: bool) -> Complex {
        if isolated
            && let (Some(fp), Some((xr, xi))) = (&self.fp, self.cr[i])
            && let Some((dr, di, e)) = fp.derivative(xr, xi)
        {
            let mut d = Complex::with_val(64, (dr, di));
            let e = i32::try_from(e).unwrap_or(if e > 0 { i32::MAX / 2 } else { i32::MIN / 2 });
            d <<= e;
            return d;
        }
        let prec = self.prec;
        let x = &self.zr[i];
        let y = &self.zi[i];
        let n = self.n;
        let c = &self.f.c;
        let mut dr = Float::with_val(prec, &c[n] * Integer::from(n));
        let mut di = Float::new(prec);
        let mut t1 = Float::new(prec);
        let mut t2 = Float::new(prec);
        let mut t3 = Float::new(prec);
        for k in (1..n).rev() {
            t1.assign(&dr * x);
            t2.assign(&di * y);
            t3.assign(&dr * y);
            di *= x;
            di += &t3;
            t1 -= &t2;
            t1 += Integer::from(&c[k] * k as u64);
            std::mem::swap(&mut dr, &mut t1);
        }
        Complex::with_val(prec, (dr, di))
    }

    /// `sum_(j != i) 1 / (z_i - z_j)`, in `f64` where the points are well apart, and whether no
    /// other point is within `2^-20 |z_i|`.
    fn aberth_sum(&self, i: usize) -> (Complex, bool) {
        let mut isolated = true;
        let prec = self.prec;
        let mut acc = Complex::new(prec);
        let (mut sr, mut si) = (0.0f64, 0.0f64);
        let ci = self.cr[i];
        for j in 0..self.n {
            if j == i {
                continue;
            }
            if let (Some((xr, xi)), Some((yr, yi))) = (ci, self.cr[j]) {
                let (dr, di) = (xr - yr, xi - yi);
                let m = dr * dr + di * di;
                let scale = xr.abs() + xi.abs() + yr.abs() + yi.abs();
                if m < (scale * 2f64.powi(-20)).powi(2) {
                    isolated = false;
                }
                if m.is_finite() && m > (scale * 1e-9).powi(2) && m > 1e-280 {
                    sr += dr / m;
                    si -= di / m;
                    continue;
                }
            }
            isolated = false;
            let d = Complex::with_val(
                prec,
                (Float::with_val(prec, &self.zr[i] - &self.zr[j]), Float::with_val(prec, &self.zi[i] - &self.zi[j])),
            );
            if !d.is_zero() {
                acc += d.recip();
            }
        }
        acc += Complex::with_val(53, (sr, si));
        (acc, isolated)
    }

    /// A lower bound on `|z_i - w|` with `w = z_j` or `w = conj(z_j)`.
    fn dist_lower(&self, i: usize, j: usize, conj: bool) -> Mag {
        let sgn = if conj { -1.0 } else { 1.0 };
        if let (Some((xr, xi)), Some((yr, yi))) = (self.cr[i], self.cr[j]) {
            // With c the f64 images (|z - c| <= u |z| per point), and h the computed
            // |c_i - c_j|, |z_i - z_j| >= h - 8u (h + |c_i|_1 + |c_j|_1); the expression
            // below subtracts 2^7 u times that sum, which absorbs its own rounding.
            let (dr, di) = (xr - yr, xi - sgn * yi);
            let h = (dr * dr + di * di).sqrt();
            let a = xr.abs() + xi.abs() + yr.abs() + yi.abs();
            let lower = h - 2f64.powi(-46) * (h + a);
            if lower.is_finite() && lower > 2f64.powi(-900) {
                return Mag::from_f64(lower);
            }
        }
        let prec = self.prec;
        let dr = Float::with_val(prec, &self.zr[i] - &self.zr[j]);
        let di = if conj {
            Float::with_val(prec, &self.zi[i] + &self.zi[j])
        } else {
            Float::with_val(prec, &self.zi[i] - &self.zi[j])
        };
        let h = Float::with_val_round(53, dr.hypot_ref(&di), Round::Down).0;
        // Each difference is rounded with relative error <= 2^-prec <= 2^-64.
        Mag::from_float_down(&h).mul_down(Mag::from_f64(1.0 - f64::EPSILON))
    }

    /// One Gauss–Seidel sweep over the unsettled points; returns whether any point moved.
    fn sweep(&mut self) -> bool {
        self.sweeps += 1;
        let mut moved = false;
        let nbits = (usize::BITS - self.n.leading_zeros()) as i64;
        for i in 0..self.n {
            if self.clean[i] {
                continue;
            }
            let (pr, pi, err) = self.eval(i);
            let p = Complex::with_val(self.prec, (pr, pi));
            let (s, isolated) = self.aberth_sum(i);
            let dp = self.derivative(i, isolated);
            let pmag = Mag::from_float_up(&Float::with_val_round(53, p.abs_ref(), Round::Up).0);
            let noisy =
                !Mag::from_float_down(&Float::with_val_round(53, p.abs_ref(), Round::Down).0).gt(err.mul_2exp(2));
            if noisy || dp.is_zero() {
                self.settle(i, pmag.add_up(err), noisy);
                continue;
            }
            let nc = Complex::with_val(self.prec, &p / &dp);
            let one_minus = Complex::with_val(self.prec, 1 - Complex::with_val(self.prec, &nc * &s));
            let w = if one_minus.is_zero() { nc } else { Complex::with_val(self.prec, &nc / &one_minus) };
            let zabs =
                Mag::from_float_down(&Float::with_val_round(53, self.zr[i].hypot_ref(&self.zi[i]), Round::Down).0);
            let wabs = Mag::from_float_up(&Float::with_val_round(53, w.abs_ref(), Round::Up).0);
            let tol = zabs.mul_2exp(-(i64::from(self.target_bits) + nbits + 4 + self.extra[i]));
            if wabs.le(tol) || !w.real().is_finite() || !w.imag().is_finite() {
                self.settle(i, pmag.add_up(err), false);
                continue;
            }
            let (wr, wi) = w.into_real_imag();
            self.zr[i] -= wr;
            self.zi[i] -= wi;
            self.cr[i] = safe_f64(&self.zr[i]).zip(safe_f64(&self.zi[i]));
            moved = true;
        }
        moved
    }

    /// Marks point `i` settled with `|p(z_i)| <= pabs`.
    fn settle(&mut self, i: usize, pabs: Mag, noisy: bool) {
        self.clean[i] = true;
        self.pabs[i] = pabs;
        self.noisy[i] = noisy;
    }

    /// Tries to certify the settled points; on failure returns the failing indices.
    fn try_certify(&self) -> Result<Vec<Disc>, Vec<usize>> {
        let lc = super::intpoly::int_mag_up(self.f.lc());
        // The leading coefficient is an integer: its f64 upper bound is within one ulp, so
        // scaling down by (1 - 2^-52) gives a lower bound.
        let lc_lo = lc.mul_down(Mag::from_f64(1.0 - f64::EPSILON));
        assemble_discs(self, &self.pabs, lc_lo, self.target_bits)
    }

    /// Runs sweeps and certification until every disc passes, raising the precision as needed.
    pub(crate) fn run(mut self, limits: &RootLimits) -> Result<(Vec<Disc>, u32), RootsError> {
        loop {
            while self.sweep() {
                if self.sweeps >= limits.max_iterations {
                    return Err(RootsError::IterationLimit { iterations: self.sweeps });
                }
            }
            match self.try_certify() {
                Ok(discs) => return Ok((discs, self.prec)),
                Err(failing) => {
                    let need_prec = failing.iter().any(|&i| self.noisy[i]);
                    for &i in &failing {
                        self.clean[i] = false;
                        self.extra[i] += 8;
                    }
                    if need_prec {
                        let next = self.prec.saturating_mul(2);
                        if next > limits.max_precision {
                            return Err(RootsError::PrecisionLimit { limit: limits.max_precision });
                        }
                        self.set_prec(next);
                    }
                    if self.sweeps >= limits.max_iterations {
                        return Err(RootsError::IterationLimit { iterations: self.sweeps });
                    }
                }
            }
        }
    }
}

/// The geometry of a set of candidate discs: what [`assemble_discs`] needs to know about the
/// midpoints.
pub(crate) trait DiscGeometry {
    /// The number of points.
    fn len(&self) -> usize;
    /// A lower bound on `|z_i - z_j|`, or on `|z_i - conj(z_j)|` when `conj`.
    fn dist_low(&self, i: usize, j: usize, conj: bool) -> Mag;
    /// A lower bound on `|Im z_i|`.
    fn im_low(&self, i: usize) -> Mag;
    /// The midpoint `z_i` exactly, as MPFR floats.
    fn center(&self, i: usize) -> (Float, Float);
    /// The midpoint rounded to `f64` (each part within `2^-52` relatively), when in range.
    fn approx(&self, i: usize) -> Option<(f64, f64)>;
}

/// Builds certified discs from the points of `geom` with `|p(z_i)| <= pabs[i]` and
/// `|a_n| >= lc_lo` (see the module docs): radii, pairwise disjointness, realness, conjugate
/// pairs, and the size target `rad <= 2^-target_bits |midpoint|`. On failure returns the indices
/// of the points whose discs do not pass.
pub(crate) fn assemble_discs(
    geom: &impl DiscGeometry,
    pabs: &[Mag],
    lc_lo: Mag,
    target_bits: u32,
) -> Result<Vec<Disc>, Vec<usize>> {
    let n = geom.len();
    let nmag = Mag::from_f64(n as f64);
    let mut rad = vec![Mag::ZERO; n];
    let mut failing = Vec::new();
    // Lower bounds on the pairwise distances, row-major and symmetric.
    let mut low = vec![Mag::ZERO; n * n];
    for i in 0..n {
        for j in i + 1..n {
            let d = geom.dist_low(i, j, false);
            low[i * n + j] = d;
            low[j * n + i] = d;
        }
    }
    for (i, ri) in rad.iter_mut().enumerate() {
        let mut prod = lc_lo;
        for (j, d) in low[i * n..(i + 1) * n].iter().enumerate() {
            if j != i {
                prod = prod.mul_down(*d);
            }
        }
        if prod.is_zero() {
            failing.push(i);
            *ri = Mag::from_f64(f64::MAX);
            continue;
        }
        *ri = nmag.mul_up(pabs[i]).div_up(prod);
    }
    // Pairwise disjointness.
    let mut bad = vec![false; n];
    for i in 0..n {
        for j in i + 1..n {
            if !low[i * n + j].gt(rad[i].add_up(rad[j])) {
                bad[i] = true;
                bad[j] = true;
            }
        }
    }
    // Realness and conjugate pairing. A cheap f64 screen first: discs whose approximate
    // midpoints are farther apart than twice the sum of the radii plus 2^-30 of the moduli are
    // certainly disjoint (the approximations are within 2^-50 of the midpoints, relatively); the
    // rigorous bound decides all other pairs.
    let approx: Vec<Option<(f64, f64)>> = (0..n).map(|i| geom.approx(i)).collect();
    let radf: Vec<f64> = rad.iter().map(|r| r.to_f64_up()).collect();
    let far = |i: usize, j: usize| -> bool {
        let (Some((ar, ai)), Some((br, bi))) = (approx[i], approx[j]) else {
            return false;
        };
        let (dr, di) = (ar - br, -ai - bi);
        let margin = 2.0 * (radf[i] + radf[j]) + 2f64.powi(-30) * (ar.abs() + ai.abs() + br.abs() + bi.abs());
        (dr * dr + di * di).sqrt() > margin && margin.is_finite()
    };
    let meets_conj =
        |i: usize, j: usize| -> bool { !far(i, j) && !geom.dist_low(i, j, true).gt(rad[i].add_up(rad[j])) };
    let mut real = vec![false; n];
    let mut partner = vec![usize::MAX; n];
    for i in 0..n {
        if bad[i] {
            continue;
        }
        let im_lo = geom.im_low(i);
        if im_lo.gt(rad[i]) {
            // Not real: find the discs that conj(D_i) may meet.
            let mut cands = (0..n).filter(|&j| j != i && meets_conj(i, j));
            match (cands.next(), cands.next()) {
                (Some(j), None) => partner[i] = j,
                _ => bad[i] = true,
            }
        } else {
            let alone = (0..n).all(|j| j == i || !meets_conj(i, j));
            if alone {
                real[i] = true;
            } else {
                bad[i] = true;
            }
        }
    }
    for i in 0..n {
        let j = partner[i];
        if j != usize::MAX && !bad[i] && (bad[j] || partner[j] != i) {
            bad[i] = true;
        }
    }
    failing.extend((0..n).filter(|&i| bad[i]));
    if !failing.is_empty() {
        failing.sort_unstable();
        failing.dedup();
        return Err(failing);
    }
    let mut discs: Vec<Disc> = (0..n)
        .map(|i| {
            let (re, im) = geom.center(i);
            Disc { im: if real[i] { Float::new(re.prec()) } else { im }, re, rad: rad[i], real: real[i] }
        })
        .collect();
    for i in 0..n {
        let j = partner[i];
        if j != usize::MAX && i < j {
            // Keep the smaller disc of the pair and mirror it.
            let (src, dst) = if rad[i].le(rad[j]) { (i, j) } else { (j, i) };
            let (re, im, r) = (discs[src].re.clone(), discs[src].im.clone(), discs[src].rad);
            discs[dst].re = re;
            discs[dst].im = -im;
            discs[dst].rad = r;
        }
    }
    // Size against the target, on the final midpoints: rad <= 2^-target |midpoint|.
    let small: Vec<usize> = (0..n)
        .filter(|&i| {
            let d = &discs[i];
            let mabs = Mag::from_float_down(&Float::with_val_round(53, d.re.hypot_ref(&d.im), Round::Down).0);
            !d.rad.le(mabs.mul_2exp(-i64::from(target_bits)))
        })
        .collect();
    if !small.is_empty() {
        // Both members of a mirrored pair are refined.
        let mut f: Vec<usize> = small.iter().flat_map(|&i| [i, partner[i]]).filter(|&i| i != usize::MAX).collect();
        f.sort_unstable();
        f.dedup();
        return Err(f);
    }
    Ok(discs)
}
