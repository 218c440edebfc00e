//! Powers of sparse polynomials.
//!
//! For characteristic zero (and large enough prime characteristic) the power `g = f^k` comes
//! from a recurrence, not from repeated products: for a weight vector `c`, the Euler derivation
//! `D(x^e) = (c . e) x^e` satisfies `f D(g) = k g D(f)`, so for every monomial `m`
//!
//! ```text
//! sum_{a in supp f} f_a g_{m-a} (c.m - (k+1) c.a) = 0.
//! ```
//!
//! Let `a_0` be the leading monomial of `f` and choose `c` so that `a_0` is the *unique*
//! maximiser of `c.a` over the support of `f`. Generating the terms of `g` in decreasing order,
//! the unknown `g_{m-a_0}` is the only one not yet known (every other `m - a` is larger), so
//!
//! ```text
//! g_b = - (sum_{a != a_0} f_a g_{b+a_0-a} (c.b + c.a_0 - (k+1) c.a)) / (f_{a_0} (c.b - k c.a_0)),
//! ```
//!
//! where the denominator vanishes only for `b = k a_0`, the known leading term `f_{a_0}^k`. This
//! is J.C.P. Miller's power-series recurrence made sparse and multivariate; the candidates
//! `a + b_j` are merged with a heap of one stream per term of `f` (Monagan and Pearce, "Sparse
//! polynomial powering using heaps", CASC 2012), so the cost is `O(|f| |g| log |f|)` ring
//! operations instead of the `O(|g|^2)` of a final squaring. The division is exact over `Z`.
//!
//! The weight is the first that works of: a unit vector `e_v`, the all-ones vector (total degree),
//! and for `Lex` the Kronecker weights `prod_{u > v} (deg_u f + 1)`. When none works, or in small
//! characteristic, the power is computed by repeated squaring with the fast product.

use super::MPoly;
use super::heap::{KeyHeap, Merger, SCAN_MAX, ScanQueue};
use crate::poly::monomial::{ExpKey, Layout, Lex, MonomialOrder, with_key};
use crate::poly::ring::Ring;
use crate::poly::{LimitKind, Limits, PolyError};
use std::any::TypeId;

/// The most coefficient bits a power may need (an upper bound computed before the work): 2^30
/// bits, 128 MiB, enough for `(x + 1)**30000`.
pub const MAX_POWER_BITS: u64 = 1 << 30;

/// `ln Gamma(x)` for `x >= 1` (Stirling's series; ample accuracy for size bounds).
fn ln_gamma(x: f64) -> f64 {
    if x < 7.0 {
        // Shift up: Gamma(x) = Gamma(x + m) / (x (x + 1) ... (x + m - 1)).
        let mut shift = 0.0;
        let mut y = x;
        while y < 7.0 {
            shift += y.ln();
            y += 1.0;
        }
        return ln_gamma(y) - shift;
    }
    let inv = 1.0 / x;
    (x - 0.5) * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI).ln() + inv / 12.0 - inv.powi(3) / 360.0
}

impl<R: Ring, O: MonomialOrder> MPoly<R, O> {
    /// `self^k`, with the result's total degree and number of terms checked against `limits`.
    pub fn pow(&self, k: u64, limits: &Limits) -> Result<Self, PolyError> {
        if k == 0 {
            return Ok(MPoly::one(self.ring.clone(), self.nvars()));
        }
        if self.is_zero() || k == 1 {
            return Ok(self.clone());
        }
        if let Some((z, d)) = self.integer_image() {
            // Over Q: (z / d)^k = z^k / d^k, the power over Z.
            let zk = z.pow(k, limits)?;
            let dk = d.pow(u32::try_from(k).map_err(|_| PolyError::Limit {
                op: "power",
                kind: LimitKind::Degree,
                limit: limits.max_degree,
                needed: k,
            })?);
            return Ok(self.rebuild_from_integer_image(zk, &dk));
        }
        let tdeg = self.total_degree().checked_mul(k).ok_or(PolyError::Limit {
            op: "power",
            kind: LimitKind::Degree,
            limit: limits.max_degree,
            needed: u64::MAX,
        })?;
        limits.check_degree("power", tdeg)?;
        self.check_power_size(k, limits)?;
        let degs = self.degrees();
        let mut max = degs.iter().map(|d| d * k).max().unwrap_or(0);
        if O::GRADED {
            max = max.max(tdeg);
        }
        let layout = Layout::for_max::<O>(self.nvars(), max)?;
        let f = self.repacked_cow(layout);
        if f.len() == 1 {
            let e: Vec<u64> = f.exponents(0).iter().map(|x| x * k).collect();
            let c = f.ring.pow(&f.coeffs[0], k);
            return MPoly::monomial(f.ring.clone(), c, &e);
        }
        if let Some(weights) = f.miller_weights(k) {
            let t = f.len();
            return with_key!(layout.words(), K => if t <= SCAN_MAX {
                pow_miller::<R, O, K, _>(&f, k, &weights, layout, limits, ScanQueue::with_capacity(t))
            } else {
                pow_miller::<R, O, K, _>(&f, k, &weights, layout, limits, KeyHeap::with_capacity(t))
            });
        }
        f.pow_binary(k, limits)
    }

    /// Refuses `self^k` before any work when an upper bound on its size is over the limits: the
    /// terms are at most the least of the multisets of `k` terms, `C(k + t - 1, t - 1)`, the box
    /// `prod_v (k deg_v + 1)` and the monomials whose total degree lies in `k [mindeg, maxdeg]`;
    /// each coefficient has at most `k log2(||f||_1)` bits. Without this, `(x + y)**100000000`
    /// would grind through million-bit binomial coefficients before reaching the term limit.
    fn check_power_size(&self, k: u64, limits: &Limits) -> Result<(), PolyError> {
        let t = self.len() as f64;
        let kf = k as f64;
        let n = self.nvars();
        let ln_binom = |a: f64, b: f64| ln_gamma(a + 1.0) - ln_gamma(b + 1.0) - ln_gamma(a - b + 1.0);
        let mut ln_terms = ln_binom(kf + t - 1.0, t - 1.0);
        let box_ln: f64 = self.degrees().iter().map(|&d| (kf * d as f64 + 1.0).ln()).sum();
        ln_terms = ln_terms.min(box_ln);
        let degs: Vec<u64> = (0..self.len()).map(|i| self.exponents(i).iter().sum()).collect();
        let (lo, hi) = (degs.iter().copied().min().unwrap_or(0), degs.iter().copied().max().unwrap_or(0));
        if n > 0 {
            // Monomials in n variables of total degree in [k lo, k hi]: C(k hi + n, n) - C(k lo - 1 + n, n).
            let nf = n as f64;
            let upper = ln_binom(kf * hi as f64 + nf, nf);
            let below = if lo == 0 { f64::NEG_INFINITY } else { ln_binom(kf * lo as f64 - 1.0 + nf, nf) };
            let band = upper + (1.0 - (below - upper).exp()).max(f64::MIN_POSITIVE).ln();
            ln_terms = ln_terms.min(band);
        }
        let terms = ln_terms.exp().max(1.0);
        if terms > limits.max_terms as f64 * (1.0 + 1e-9) + 0.5 {
            return Err(PolyError::Limit {
                op: "power",
                kind: LimitKind::Terms,
                limit: limits.max_terms,
                needed: terms.min(u64::MAX as f64) as u64,
            });
        }
        let max_bits = self.coeffs.iter().map(|c| self.ring.size_bits(c)).max().unwrap_or(1) as f64;
        let coeff_bits = kf * (max_bits + t.log2());
        let total = coeff_bits * terms;
        if total > MAX_POWER_BITS as f64 {
            return Err(PolyError::Limit {
                op: "power",
                kind: LimitKind::Bits,
                limit: MAX_POWER_BITS,
                needed: total.min(u64::MAX as f64) as u64,
            });
        }
        Ok(())
    }

    /// `self^k` by repeated squaring.
    fn pow_binary(&self, mut k: u64, limits: &Limits) -> Result<Self, PolyError> {
        let mut result: Option<Self> = None;
        let mut base = self.clone();
        loop {
            if k & 1 == 1 {
                result = Some(match result {
                    None => base.clone(),
                    Some(r) => r.try_mul(&base, limits)?,
                });
            }
            k >>= 1;
            if k == 0 {
                break;
            }
            base = base.try_mul(&base, limits)?;
        }
        Ok(result.expect("k >= 1"))
    }

    /// A weight vector making the leading monomial the unique maximiser (see the module
    /// documentation), or `None` when the recurrence does not apply.
    fn miller_weights(&self, k: u64) -> Option<Vec<i64>> {
        let n = self.nvars();
        let exps: Vec<Vec<u64>> = (0..self.len()).map(|i| self.exponents(i)).collect();
        let dot = |c: &[i64], e: &[u64]| -> Option<i128> {
            let mut s: i128 = 0;
            for (ci, ei) in c.iter().zip(e) {
                s = s.checked_add(i128::from(*ci).checked_mul(i128::from(*ei))?)?;
            }
            Some(s)
        };
        let works = |c: &[i64]| -> bool {
            let Some(w0) = dot(c, &exps[0]) else {
                return false;
            };
            let mut min = w0;
            for e in &exps[1..] {
                let Some(w) = dot(c, e) else { return false };
                if w >= w0 {
                    return false;
                }
                min = min.min(w);
            }
            // Every weight the recurrence forms is bounded by k * (w0 - min) in absolute value and
            // by (k + 1) * w0; keep them in i64 and, in characteristic p, nonzero modulo p.
            let Some(span) = (w0 - min).checked_mul(i128::from(k) + 1) else {
                return false;
            };
            let Some(top) = w0.checked_mul(i128::from(k) + 1) else {
                return false;
            };
            if span >= 1 << 62 || top >= 1 << 62 {
                return false;
            }
            let p = self.ring.characteristic();
            p == 0 || span < i128::from(p)
        };
        for v in 0..n {
            let mut c = vec![0i64; n];
            c[v] = 1;
            if works(&c) {
                return Some(c);
            }
        }
        let ones = vec![1i64; n];
        if works(&ones) {
            return Some(ones);
        }
        if TypeId::of::<O>() == TypeId::of::<Lex>() {
            let degs = self.degrees();
            let mut c = vec![0i64; n];
            let mut s: i64 = 1;
            for v in (0..n).rev() {
                c[v] = s;
                s = s.checked_mul(i64::try_from(degs[v]).ok()?.checked_add(1)?)?;
            }
            if works(&c) {
                return Some(c);
            }
        }
        None
    }
}

/// The weight `w` as a ring element.
fn weight<R: Ring>(ring: &R, w: i128) -> R::Elem {
    match i64::try_from(w) {
        Ok(v) => ring.from_i64(v),
        Err(_) => ring.from_integer(&rug::Integer::from(w)),
    }
}

/// The sparse Miller recurrence (see the module documentation).
fn pow_miller<R: Ring, O: MonomialOrder, K: ExpKey, M: Merger<K>>(
    f: &MPoly<R, O>,
    k: u64,
    c: &[i64],
    layout: Layout,
    limits: &Limits,
    mut heap: M,
) -> Result<MPoly<R, O>, PolyError> {
    let ring = &f.ring;
    let masks = layout.masks();
    let t = f.len();
    let n = f.nvars();
    let kf: Vec<K> = (0..t).map(|i| K::load(f.mono(i))).collect();
    let fw: Vec<i128> = (0..t).map(|i| (0..n).map(|v| i128::from(c[v]) * i128::from(f.exponent(i, v))).sum()).collect();
    let k128 = i128::from(k);
    // The leading term k * a_0 with coefficient f_0^k.
    let lead_exps: Vec<u64> = f.exponents(0).iter().map(|e| e * k).collect();
    let mut lead = vec![0u64; layout.words()];
    layout.pack(&lead_exps, &mut lead);
    let mut gk: Vec<K> = vec![K::load(&lead)];
    let mut gc: Vec<R::Elem> = vec![ring.pow(&f.coeffs[0], k)];
    let mut gw: Vec<i128> = vec![k128 * fw[0]];

    for (i, ki) in kf.iter().enumerate().skip(1) {
        heap.push(ki.mul(&gk[0], &masks), (i as u64) << 32);
    }
    let mut waiting: Vec<u32> = Vec::with_capacity(t);
    let mut popped: Vec<u64> = Vec::with_capacity(t);
    let mut acc = ring.acc_zero();
    let f0 = &f.coeffs[0];
    while let Some(key) = heap.pop_max_all(&mut popped) {
        // c.m for the current monomial m = a_i + b_j (the same for every popped entry).
        let (i0, j0) = ((popped[0] >> 32) as usize, (popped[0] & 0xffff_ffff) as usize);
        let cm = fw[i0] + gw[j0];
        for &v in &popped {
            let (iu, ju) = ((v >> 32) as usize, (v & 0xffff_ffff) as usize);
            let w = cm - (k128 + 1) * fw[iu];
            if w != 0 {
                let fiw = ring.mul(&f.coeffs[iu], &weight(ring, w));
                ring.acc_add_mul(&mut acc, &fiw, &gc[ju]);
            }
            if ju + 1 < gk.len() {
                heap.push(kf[iu].mul(&gk[ju + 1], &masks), v + 1);
            } else {
                waiting.push(iu as u32);
            }
        }
        popped.clear();
        let s = ring.acc_take(&mut acc);
        if ring.is_zero(&s) || !kf[0].divides(&key, &masks) {
            // A monomial m with m - a_0 outside the exponent lattice has s = 0 by the identity.
            continue;
        }
        let w0 = cm - (k128 + 1) * fw[0];
        if w0 == 0 {
            return Err(PolyError::Unsupported {
                op: "power",
                why: "inconsistent power recurrence (weight vector not separating)",
            });
        }
        let denom = ring.mul(f0, &weight(ring, w0));
        let g = ring.try_div(&ring.neg(&s), &denom).ok_or(PolyError::NotExact { op: "power" })?;
        if ring.is_zero(&g) {
            continue;
        }
        let b = key.div(&kf[0], &masks);
        let jn = gk.len() as u64;
        for &i in &waiting {
            heap.push(kf[i as usize].mul(&b, &masks), (u64::from(i) << 32) | jn);
        }
        waiting.clear();
        gk.push(b);
        gc.push(g);
        gw.push(cm - fw[0]);
        limits.check_terms("power", gk.len() as u64)?;
    }
    let mut out = f.empty_like(layout, gk.len());
    let mut buf = vec![0u64; layout.words()];
    for (key, coeff) in gk.iter().zip(gc) {
        key.store(&mut buf);
        out.push_term(coeff, &buf);
    }
    Ok(out)
}
