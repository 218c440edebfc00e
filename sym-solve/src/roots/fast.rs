//! The fast certification path: one compensated Newton–Aberth step in `f64` error-free
//! arithmetic and rigorous inclusion discs, without MPFR. It applies to factors whose
//! coefficients are exact `f64` values after scaling by a power of two (all below `2^53`) and
//! whose roots are of moderate size; when any check fails the caller falls back to the MPFR
//! phase (module `certify`), which handles clusters and high precision.
//!
//! # Compensated Horner evaluation
//!
//! At an `f64` point `z`, Horner's rule `h_k = h_(k+1) z + a_k` is computed with error-free
//! transformations (Dekker's product and Knuth's sum; Ogita, Rump and Oishi 2005; Graillat,
//! Langlois and Louvet, "Algorithms for accurate, validated and fast polynomial evaluation",
//! 2009): with `p_1 = fl(Re h zr)` and so on, `h_(k+1) z + a_k = h_k + e_k` exactly, where
//! `e_k` is the sum of the seven rounding errors of the step, each at most `u` times the
//! magnitude of the rounded result, so `|e_k| <= u beta_k` with `beta_k` the sum of those
//! magnitudes. Then `p(z) = h_0 + sum_k e_k z^k` exactly, and the low part `l` is that sum
//! evaluated by Horner's rule in `f64` from the rounded `e_k`. Its error is at most
//! `gamma_(4n+8) u sum_k beta_k |z|^k` (three additions form each `e_k`, then Horner; see the
//! module `intpoly` for the `gamma` bound of complex Horner). With `B = sum beta_k |z|^k` computed
//! alongside,
//!
//! `|p(z) - (h_0 + l)| <= 1.1 (4n + 8) u^2 B`.
//!
//! # Correction and certification at once
//!
//! The correction `delta = -w` (Aberth's `w`, module `aberth64`) defines the new midpoint
//! `Z = z + delta`, kept as the unevaluated pair. Its residual is bounded from the same
//! evaluation by Taylor's formula:
//! `|p(Z)| <= |p(z) + p'(z) delta| + |delta|^2 / 2 * S''(|z| + |delta|)`, where `S''` is the
//! second derivative of the majorant `S(r) = sum |a_k| r^k` (`|p''| <= S''` and `S''` is
//! increasing on the segment), `p'(z)` is computed in `f64` with the Horner bound
//! `gamma_(4n+8) S'(|z|)`, and the final sum is bounded with its rounding. The discs then follow
//! the Braess–Hadeler construction of module `certify`, with distances
//! `|Z_i - Z_j| >= |z_i - z_j| - |delta_i| - |delta_j|`.
//!
//! Gradual underflow can make an error-free transformation inexact by at most `2^-1074`; with
//! `|z|^n <= 2^890` (checked) all such absolute errors together stay below `2^-150`, which is
//! added to every bound (the coefficients are scaled so the largest is in `[1/2, 1)`).

use super::aberth64::{F64Poly, aberth_sum};
use super::certify::{Disc, DiscGeometry, assemble_discs};
use super::mag::Mag;
use rug::Float;

/// Unit roundoff of `f64`.
const U: f64 = f64::EPSILON / 2.0;
/// Absolute slack for gradual underflow (see the module docs).
const ETA: f64 = 7.006_492_321_624_085e-46; // 2^-150

#[inline]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

#[inline]
fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a; // 2^27 + 1
    let hi = c - (c - a);
    (hi, a - hi)
}

/// `a b = p + e` exactly (Dekker; no overflow in our range).
#[inline]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    if cfg!(target_feature = "fma") {
        return (p, a.mul_add(b, -p));
    }
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

/// One compensated evaluation at `z`.
struct Eval {
    /// `h_0`.
    hr: f64,
    hi: f64,
    /// The low part `l`.
    lr: f64,
    li: f64,
    /// An upper bound on `|p(z) - (h + l)|`.
    err: f64,
    /// `p'(z)` in plain `f64`.
    dr: f64,
    di: f64,
    /// An upper bound on the error of `p'(z)`.
    derr: f64,
    /// An upper bound on `S''(r)` for `r = |z| (1 + 2^-20)`.
    s2: f64,
}

/// The factor `1 + 1.1 m u` bounding the growth of `m` roundings (for `m u` small).
#[inline]
fn grow(m: f64) -> f64 {
    1.0 + 1.1 * m * U
}

fn comp_horner(p: &F64Poly, zr: f64, zi: f64) -> Eval {
    let a = &p.a;
    let abs = &p.abs;
    let n = a.len() - 1;
    let nf = n as f64;
    let rz = zr.hypot(zi) * grow(4.0);
    let (mut hr, mut hi) = (a[n], 0.0);
    let (mut lr, mut li) = (0.0, 0.0);
    let mut b = 0.0;
    for k in (0..n).rev() {
        let (p1, e1) = two_prod(hr, zr);
        let (p2, e2) = two_prod(hi, zi);
        let (p3, e3) = two_prod(hr, zi);
        let (p4, e4) = two_prod(hi, zr);
        let (s, e5) = two_sum(p1, -p2);
        let (nr, e6) = two_sum(s, a[k]);
        let (ni, e7) = two_sum(p3, p4);
        let beta = (p1.abs() + p2.abs() + s.abs() + nr.abs()) + (p3.abs() + p4.abs() + ni.abs());
        let tr = lr * zr - li * zi + ((e1 - e2) + (e5 + e6));
        let ti = lr * zi + li * zr + ((e3 + e4) + e7);
        b = b * rz + beta;
        lr = tr;
        li = ti;
        hr = nr;
        hi = ni;
    }
    // B was computed with 2n roundings and beta with 7 each.
    let b_up = b * grow(2.0 * nf + 10.0);
    let err = (1.1 * (4.0 * nf + 8.0) * U * U * b_up) * grow(4.0) + ETA;
    // p'(z) from the coefficients k a_k (one more rounding each), and the majorants at
    // r = |z| (1 + 2^-20): S'(r) = sum k |a_k| r^(k-1), S''(r) = sum k (k-1) |a_k| r^(k-2).
    let r = rz * (1.0 + 2f64.powi(-20));
    let (mut dr, mut di) = (a[n] * nf, 0.0);
    let mut s1 = abs[n] * nf;
    let mut s2 = abs[n] * nf * (nf - 1.0);
    for k in (1..n).rev() {
        let kf = k as f64;
        let t = dr * zr - di * zi + a[k] * kf;
        di = dr * zi + di * zr;
        dr = t;
        s1 = s1 * r + abs[k] * kf;
        if k >= 2 {
            s2 = s2 * r + abs[k] * kf * (kf - 1.0);
        }
    }
    let s1_up = s1 * grow(3.0 * nf + 6.0) + ETA;
    let s2_up = s2 * grow(4.0 * nf + 8.0) + ETA;
    let derr = (1.1 * (4.0 * nf + 8.0) * U * s1_up) * grow(4.0) + ETA;
    Eval { hr, hi, lr, li, err, dr, di, derr, s2: s2_up }
}

/// The points `Z_i = z_i + delta_i` with their geometry.
struct FastGeometry<'a> {
    zr: &'a [f64],
    zi: &'a [f64],
    dr: Vec<f64>,
    di: Vec<f64>,
    dabs: Vec<f64>,
}

impl DiscGeometry for FastGeometry<'_> {
    fn len(&self) -> usize {
        self.zr.len()
    }

    fn dist_low(&self, i: usize, j: usize, conj: bool) -> Mag {
        let s = if conj { -1.0 } else { 1.0 };
        let (xr, xi) = (self.zr[i] - self.zr[j], self.zi[i] - s * self.zi[j]);
        let h = (xr * xr + xi * xi).sqrt();
        // |z_i - z_j| >= h (1 - 4u) (two rounded differences, squares, sum, root); the factors
        // below also absorb the rounding of this expression (module docs of `certify`).
        let low = h * (1.0 - 2f64.powi(-49)) - (self.dabs[i] + self.dabs[j]) * (1.0 + 2f64.powi(-49));
        if low.is_finite() && low > 2f64.powi(-900) { Mag::from_f64(low) } else { Mag::ZERO }
    }

    fn im_low(&self, i: usize) -> Mag {
        let v = (self.zi[i].abs() - self.di[i].abs()) * (1.0 - 2f64.powi(-50));
        if v > 0.0 { Mag::from_f64(v) } else { Mag::ZERO }
    }

    fn approx(&self, i: usize) -> Option<(f64, f64)> {
        Some((self.zr[i] + self.dr[i], self.zi[i] + self.di[i]))
    }

    fn center(&self, i: usize) -> (Float, Float) {
        (exact_sum(self.zr[i], self.dr[i]), exact_sum(self.zi[i], self.di[i]))
    }
}

/// `a + b` exactly as an MPFR float.
fn exact_sum(a: f64, b: f64) -> Float {
    let ea = if a == 0.0 { -1100 } else { a.abs().log2().floor() as i64 };
    let eb = if b == 0.0 { -1100 } else { b.abs().log2().floor() as i64 };
    let prec = (ea.max(eb) - ea.min(eb) + 60).clamp(64, 2300) as u32;
    let mut f = Float::with_val(prec, a);
    f += b;
    f
}

/// Certified discs for the roots of `p` (scaled `f64` image of a square-free factor) from the
/// converged `f64` approximations, or `None` when the fast path does not apply or a check
/// fails.
pub(crate) fn certify_fast(p: &F64Poly, zr: &[f64], zi: &[f64], target_bits: u32) -> Option<Vec<super::certify::Disc>> {
    if !p.exact {
        return None;
    }
    let n = p.a.len() - 1;
    let nf = n as f64;
    let rmax = zr.iter().zip(zi).map(|(r, i)| r.hypot(*i)).fold(0.0, f64::max);
    if !(rmax.is_finite() && nf * rmax.max(1.0).log2() < 880.0) {
        return None;
    }
    let mut dr = vec![0.0; n];
    let mut di = vec![0.0; n];
    let mut dabs = vec![0.0; n];
    let mut pabs = vec![Mag::ZERO; n];
    for i in 0..n {
        let (x, y) = (zr[i], zi[i]);
        let e = comp_horner(p, x, y);
        let (vr, vi) = (e.hr + e.lr, e.hi + e.li);
        // Aberth's correction from the compensated value.
        let dm = e.dr * e.dr + e.di * e.di;
        if !(dm > 0.0 && dm.is_finite()) {
            return None;
        }
        let (nr, ni) = ((vr * e.dr + vi * e.di) / dm, (vi * e.dr - vr * e.di) / dm);
        let (sr, si) = aberth_sum(zr, zi, i);
        let (br, bi) = (1.0 - (nr * sr - ni * si), -(nr * si + ni * sr));
        let bm = br * br + bi * bi;
        let (wr, wi) = ((nr * br + ni * bi) / bm, (ni * br - nr * bi) / bm);
        let (cr, ci) = (-wr, -wi);
        let cabs = cr.hypot(ci) * grow(3.0);
        let zabs = x.hypot(y);
        if !(cabs.is_finite() && cabs <= zabs * 2f64.powi(-20)) {
            return None;
        }
        // Residual at Z = z + c: |p(z) + p'(z) c| plus the error terms (module docs).
        let (tr, ti) = (e.dr * cr - e.di * ci, e.dr * ci + e.di * cr);
        let (ur, ui) = (e.hr + (e.lr + tr), e.hi + (e.li + ti));
        let mags = e.hr.hypot(e.hi) + e.lr.hypot(e.li) + e.dr.hypot(e.di) * cabs;
        let bound = (ur.hypot(ui) * grow(2.0)
            + 8.0 * U * mags * grow(4.0)
            + e.err
            + e.derr * cabs
            + 0.5 * cabs * cabs * e.s2
            + ETA)
            * grow(8.0);
        if !bound.is_finite() {
            return None;
        }
        pabs[i] = Mag::from_f64(bound);
        dr[i] = cr;
        di[i] = ci;
        dabs[i] = cabs;
    }
    let geom = FastGeometry { zr, zi, dr, di, dabs };
    let lc = Mag::from_f64(p.a[n].abs());
    assemble_discs(&geom, &pabs, lc, target_bits).ok().map(|d: Vec<Disc>| d)
}
