//! Derivatives, evaluation and substitution for [`MPoly`].
//!
//! * `d/dx_v (c x^e) = c e_v x^(e - u_v)`: dividing every term by `x_v` preserves the order, so
//!   the derivative is one pass (terms whose coefficient becomes zero in characteristic `p` drop).
//! * Full evaluation sums `c prod_v x_v^e_v` with per-variable power tables.
//! * Partial evaluation and substitution of a monomial map each term to one term; the images are
//!   sorted and equal monomials merged. Substitution of a general polynomial `h` for `x_v`
//!   writes `p = sum_e P_e x_v^e` and evaluates `sum_e P_e h^e` by Horner's rule.

use super::MPoly;
use super::heap::{KeyHeap, Merger};
use crate::poly::monomial::{ExpKey, Layout, MonomialOrder, with_key};
use crate::poly::ring::{RealEmbedding, Ring};
use crate::poly::{Limits, PolyError};
use rug::Float;

/// Largest exponent for which evaluation tabulates powers.
const POWER_TABLE_MAX: u64 = 4096;

impl<R: Ring, O: MonomialOrder> MPoly<R, O> {
    /// The partial derivative with respect to `x_v`.
    ///
    /// # Panics
    ///
    /// Panics when `v` is not a variable index.
    pub fn derivative(&self, v: usize) -> Self {
        assert!(v < self.nvars(), "variable {v} out of range");
        let layout = self.layout;
        let mut unit = vec![0u64; self.nvars()];
        unit[v] = 1;
        let mut xv = vec![0u64; layout.words()];
        layout.pack(&unit, &mut xv);
        let masks = layout.masks();
        let pos = layout.var_pos(v);
        let mut out = self.empty_like(layout, self.len());
        let w = layout.words();
        let mut m = vec![0u64; w];
        for (i, (c, mono)) in self.coeffs.iter().zip(self.exps.chunks_exact(w)).enumerate() {
            let e = pos.get(mono);
            if e == 0 {
                continue;
            }
            let c = self.ring.mul_u64(c, e);
            if self.ring.is_zero(&c) {
                continue;
            }
            if w == 1 {
                m[0] = mono[0].wrapping_sub(xv[0]).wrapping_add(masks.xor[0]);
            } else {
                masks.div_into(self.mono(i), &xv, &mut m);
            }
            out.push_term(c, &m);
        }
        out
    }

    /// The value at the point `x` (one ring element per variable).
    ///
    /// # Panics
    ///
    /// Panics when `x.len()` is not the number of variables.
    pub fn eval(&self, x: &[R::Elem]) -> R::Elem {
        assert_eq!(x.len(), self.nvars(), "point of the wrong dimension");
        let ring = &self.ring;
        let degs = self.degrees();
        let tables: Vec<Option<Vec<R::Elem>>> = degs
            .iter()
            .zip(x)
            .map(|(&d, xv)| {
                (d <= POWER_TABLE_MAX).then(|| {
                    let mut t = Vec::with_capacity(d as usize + 1);
                    t.push(ring.one());
                    for k in 1..=d as usize {
                        let next = ring.mul(&t[k - 1], xv);
                        t.push(next);
                    }
                    t
                })
            })
            .collect();
        let mut acc = ring.acc_zero();
        let mut e = vec![0u64; self.nvars()];
        for (i, c) in self.coeffs.iter().enumerate() {
            self.layout.unpack(self.mono(i), &mut e);
            let mut t = c.clone();
            for (v, &ev) in e.iter().enumerate() {
                if ev == 0 {
                    continue;
                }
                match &tables[v] {
                    Some(tab) => ring.mul_assign(&mut t, &tab[ev as usize]),
                    None => ring.mul_assign(&mut t, &ring.pow(&x[v], ev)),
                }
            }
            ring.acc_add(&mut acc, &t);
        }
        ring.acc_take(&mut acc)
    }

    /// The polynomial with `x_v` replaced by the constant `value` (still in `nvars` variables,
    /// `x_v` no longer occurring).
    pub fn eval_var(&self, v: usize, value: &R::Elem) -> Self {
        assert!(v < self.nvars(), "variable {v} out of range");
        let ring = &self.ring;
        let layout = self.layout;
        let d = self.degree(v);
        let mut powers = vec![ring.one()];
        if d <= POWER_TABLE_MAX {
            for k in 1..=d as usize {
                let next = ring.mul(&powers[k - 1], value);
                powers.push(next);
            }
        }
        let mut bounds = self.degrees();
        bounds[v] = 0;
        if d <= POWER_TABLE_MAX && dense_box_fits(&bounds, self.len()) {
            let mut e = vec![0u64; self.nvars()];
            let strides = box_strides(&bounds);
            let images = (0..self.len()).map(|i| {
                self.layout.unpack(self.mono(i), &mut e);
                let k = std::mem::take(&mut e[v]) as usize;
                let idx: u64 = e.iter().zip(&strides).map(|(x, s)| x * s).sum();
                (idx, ring.mul(&self.coeffs[i], &powers[k]))
            });
            return dense_collect(self, layout, &bounds, images);
        }
        if d <= POWER_TABLE_MAX {
            // Runs of equal x_v-exponent stay sorted under m -> m / x_v^e: merge them.
            let w = layout.words();
            let mut xe = vec![0u64; (d as usize + 1) * w];
            let mut unit = vec![0u64; self.nvars()];
            for k in 0..=d as usize {
                unit[v] = k as u64;
                layout.pack(&unit, &mut xe[k * w..(k + 1) * w]);
            }
            let one = layout.masks().one();
            let ones: Vec<u64> = (0..=d).flat_map(|_| one.iter().copied()).collect();
            let coeff_of = |i: usize, k: usize| ring.mul(&self.coeffs[i], &powers[k]);
            return with_key!(w, K => merge_runs::<R, O, K>(self, layout, v, &xe, &ones, &coeff_of));
        }
        let mut e = vec![0u64; self.nvars()];
        let w = layout.words();
        let mut exps = vec![0u64; self.len() * w];
        let mut coeffs = Vec::with_capacity(self.len());
        for i in 0..self.len() {
            self.layout.unpack(self.mono(i), &mut e);
            let ev = std::mem::take(&mut e[v]);
            let c = if d <= POWER_TABLE_MAX {
                ring.mul(&self.coeffs[i], &powers[ev as usize])
            } else {
                ring.mul(&self.coeffs[i], &ring.pow(value, ev))
            };
            if ring.is_zero(&c) {
                continue;
            }
            let k = coeffs.len();
            layout.pack(&e, &mut exps[k * w..(k + 1) * w]);
            coeffs.push(c);
        }
        exps.truncate(coeffs.len() * w);
        self.collect_terms(layout, exps, coeffs)
    }

    /// Sorts terms (packed monomials `exps`, flat, in `layout`, and `coeffs`) and merges equal
    /// monomials.
    pub(crate) fn collect_terms(&self, layout: Layout, exps: Vec<u64>, coeffs: Vec<R::Elem>) -> Self {
        with_key!(layout.words(), K => collect_sorted::<R, O, K>(self, layout, exps, coeffs))
    }

    /// The polynomial with `x_v` replaced by `h`.
    pub fn substitute(&self, v: usize, h: &Self, limits: &Limits) -> Result<Self, PolyError> {
        self.check_compatible(h);
        assert!(v < self.nvars(), "variable {v} out of range");
        let dv = self.degree(v);
        if dv == 0 {
            return Ok(self.clone());
        }
        let tdeg = self.total_degree().saturating_add(dv.saturating_mul(h.total_degree()));
        limits.check_degree("substitute", tdeg)?;
        if h.len() <= 1 {
            return self.substitute_monomial(v, h);
        }
        // p = sum_e P_e x_v^e; Horner: (((P_d h + P_{d-1}) h + ...) h + P_0.
        let parts = self.split_by_var(v);
        let mut result = MPoly::zero(self.ring.clone(), self.nvars());
        for e in (0..=dv as usize).rev() {
            result = result.try_mul(h, limits)?;
            if let Some(p) = &parts[e] {
                result = result.add(p);
            }
            limits.check_terms("substitute", result.len() as u64)?;
        }
        Ok(result)
    }

    /// The parts `P_e` (not involving `x_v`) with `self = sum_e P_e x_v^e`, indexed by `e`.
    pub(crate) fn split_by_var(&self, v: usize) -> Vec<Option<Self>> {
        let dv = self.degree(v) as usize;
        let layout = self.layout;
        let masks = layout.masks();
        let mut parts: Vec<Option<Self>> = vec![None; dv + 1];
        let mut unit = vec![0u64; self.nvars()];
        let mut m = vec![0u64; layout.words()];
        let mut xe = vec![0u64; layout.words()];
        let pos = layout.var_pos(v);
        for i in 0..self.len() {
            let e = pos.get(self.mono(i)) as usize;
            unit[v] = e as u64;
            layout.pack(&unit, &mut xe);
            masks.div_into(self.mono(i), &xe, &mut m);
            // Dividing by the same monomial keeps the order within one part.
            parts[e].get_or_insert_with(|| self.empty_like(layout, 0)).push_term(self.coeffs[i].clone(), &m);
        }
        parts
    }

    /// Substitution of a single term (or zero) `h` for `x_v`.
    fn substitute_monomial(&self, v: usize, h: &Self) -> Result<Self, PolyError> {
        let ring = &self.ring;
        let n = self.nvars();
        if h.is_zero() {
            return Ok(self.eval_var(v, &ring.zero()));
        }
        let he = h.exponents(0);
        let hc = &h.coeffs[0];
        let dv = self.degree(v);
        // Bound the new exponents to pick a layout.
        let degs = self.degrees();
        let mut max = 0u64;
        for u in 0..n {
            let d = degs[u].checked_add(dv.checked_mul(he[u]).ok_or_else(|| super::mul::exponent_overflow(u64::MAX))?);
            max = max.max(d.ok_or_else(|| super::mul::exponent_overflow(u64::MAX))?);
        }
        if O::GRADED {
            let t = self.total_degree().saturating_add(dv.saturating_mul(h.total_degree()));
            max = max.max(t);
        }
        let layout = Layout::for_max::<O>(n, max)?;
        let mut powers = vec![ring.one()];
        for k in 1..=dv.min(POWER_TABLE_MAX) as usize {
            let next = ring.mul(&powers[k - 1], hc);
            powers.push(next);
        }
        // The image's exponent box; small boxes are accumulated densely.
        let bounds: Vec<u64> = (0..n).map(|u| if u == v { he[u] * dv } else { degs[u] + dv * he[u] }).collect();
        if dense_box_fits(&bounds, self.len()) && dv <= POWER_TABLE_MAX {
            let mut e = vec![0u64; n];
            let unit_coeff = ring.is_one(hc);
            let strides = box_strides(&bounds);
            let images = (0..self.len()).map(|i| {
                self.layout.unpack(self.mono(i), &mut e);
                let k = std::mem::take(&mut e[v]);
                let mut idx = 0;
                for u in 0..n {
                    idx += (e[u] + k * he[u]) * strides[u];
                }
                let c =
                    if unit_coeff { self.coeffs[i].clone() } else { ring.mul(&self.coeffs[i], &powers[k as usize]) };
                (idx, c)
            });
            return Ok(dense_collect(self, layout, &bounds, images));
        }
        if dv <= POWER_TABLE_MAX {
            // Runs of equal x_v-exponent stay sorted under m -> m / x_v^e * h^e: merge them.
            let src = self.repacked_cow(layout);
            let w = layout.words();
            let mut xe = vec![0u64; (dv as usize + 1) * w];
            let mut hp = vec![0u64; (dv as usize + 1) * w];
            let mut unit = vec![0u64; n];
            for k in 0..=dv as usize {
                unit[v] = k as u64;
                layout.pack(&unit, &mut xe[k * w..(k + 1) * w]);
                let hk: Vec<u64> = he.iter().map(|x| x * k as u64).collect();
                layout.pack(&hk, &mut hp[k * w..(k + 1) * w]);
            }
            let unit_coeff = ring.is_one(hc);
            let coeff_of = |i: usize, k: usize| {
                if unit_coeff { src.coeffs[i].clone() } else { ring.mul(&src.coeffs[i], &powers[k]) }
            };
            return Ok(with_key!(w, K => merge_runs::<R, O, K>(&src, layout, v, &xe, &hp, &coeff_of)));
        }
        let mut e = vec![0u64; n];
        let w = layout.words();
        let mut exps = vec![0u64; self.len() * w];
        let mut coeffs = Vec::with_capacity(self.len());
        let unit = ring.is_one(hc);
        for i in 0..self.len() {
            self.layout.unpack(self.mono(i), &mut e);
            let ev = std::mem::take(&mut e[v]);
            for u in 0..n {
                e[u] += ev * he[u];
            }
            let c = if unit {
                self.coeffs[i].clone()
            } else if ev <= POWER_TABLE_MAX {
                ring.mul(&self.coeffs[i], &powers[ev as usize])
            } else {
                ring.mul(&self.coeffs[i], &ring.pow(hc, ev))
            };
            if ring.is_zero(&c) {
                continue;
            }
            let k = coeffs.len();
            layout.pack(&e, &mut exps[k * w..(k + 1) * w]);
            coeffs.push(c);
        }
        exps.truncate(coeffs.len() * w);
        Ok(self.collect_terms(layout, exps, coeffs))
    }
}

/// Dense accumulation is used when the box has at most this many cells per term (and at most
/// `DENSE_COLLECT_MAX` cells).
const DENSE_COLLECT_RATIO: u64 = 4;
const DENSE_COLLECT_MAX: u64 = 1 << 20;

/// Whether a box with these inclusive exponent bounds is small enough for `terms` terms.
fn dense_box_fits(bounds: &[u64], terms: usize) -> bool {
    let mut cells: u64 = 1;
    for &b in bounds {
        match cells.checked_mul(b + 1) {
            Some(c) => cells = c,
            None => return false,
        }
    }
    cells <= DENSE_COLLECT_MAX && cells <= DENSE_COLLECT_RATIO.saturating_mul(terms as u64).max(64)
}

/// The Kronecker strides (lexicographic: the last variable varies fastest) of the box
/// `0..=bounds[v]`.
fn box_strides(bounds: &[u64]) -> Vec<u64> {
    let n = bounds.len();
    let mut strides = vec![1u64; n];
    for v in (0..n.saturating_sub(1)).rev() {
        strides[v] = strides[v + 1] * (bounds[v + 1] + 1);
    }
    strides
}

/// Sums `(index, coefficient)` terms, where the index is the Kronecker index (see
/// [`box_strides`]) of an exponent vector in the box `0..=bounds[v]`, in a dense array of
/// accumulators, and reads the array back in decreasing index order (sorting afterwards for
/// non-lex orders).
fn dense_collect<R: Ring, O: MonomialOrder>(
    proto: &MPoly<R, O>,
    layout: Layout,
    bounds: &[u64],
    terms: impl Iterator<Item = (u64, R::Elem)>,
) -> MPoly<R, O> {
    let ring = &proto.ring;
    let n = bounds.len();
    let strides = box_strides(bounds);
    let cells: u64 = bounds.iter().map(|b| b + 1).product();
    let mut acc: Vec<R::Acc> = (0..cells).map(|_| ring.acc_zero()).collect();
    for (idx, c) in terms {
        ring.acc_add(&mut acc[idx as usize], &c);
    }
    let w = layout.words();
    let mut out = proto.empty_like(layout, (cells as usize).min(1024));
    let mut e = vec![0u64; n];
    let mut m = vec![0u64; w];
    let lex = !O::GRADED && !O::REVERSE;
    let mut unsorted: Vec<(Vec<u64>, R::Elem)> = Vec::new();
    for idx in (0..cells as usize).rev() {
        let c = ring.acc_take(&mut acc[idx]);
        if ring.is_zero(&c) {
            continue;
        }
        let mut rest = idx as u64;
        for v in 0..n {
            e[v] = rest / strides[v];
            rest %= strides[v];
        }
        layout.pack(&e, &mut m);
        if lex {
            out.push_term(c, &m);
        } else {
            unsorted.push((m.clone(), c));
        }
    }
    if !lex {
        unsorted.sort_unstable_by(|a, b| b.0.cmp(&a.0));
        for (m, c) in unsorted {
            out.push_term(c, &m);
        }
    }
    out
}

/// The image of `src` (in `layout`) under `c x^m -> coeff_of(i, e) * (x^m / x_v^e) * h^e`, where
/// `e` is the exponent of `x_v` in term `i`, `xe[e]` and `hp[e]` are the packed `x_v^e` and `h^e`
/// (`h` a monomial). Terms with equal `e` form sorted runs (the map multiplies them by one fixed
/// monomial); the runs are merged with a heap and equal monomials summed.
fn merge_runs<R: Ring, O: MonomialOrder, K: ExpKey>(
    src: &MPoly<R, O>,
    layout: Layout,
    v: usize,
    xe: &[u64],
    hp: &[u64],
    coeff_of: &dyn Fn(usize, usize) -> R::Elem,
) -> MPoly<R, O> {
    let ring = &src.ring;
    let w = layout.words();
    let masks = layout.masks();
    let pos = layout.var_pos(v);
    let exps: Vec<usize> = (0..src.len()).map(|i| pos.get(src.mono(i)) as usize).collect();
    let nruns = exps.iter().copied().max().map_or(0, |m| m + 1);
    let mut runs: Vec<Vec<u32>> = vec![Vec::new(); nruns];
    for (i, &e) in exps.iter().enumerate() {
        runs[e].push(i as u32);
    }
    let image = |i: usize| -> K {
        let e = exps[i];
        K::load(src.mono(i))
            .div(&K::load(&xe[e * w..(e + 1) * w]), &masks)
            .mul(&K::load(&hp[e * w..(e + 1) * w]), &masks)
    };
    let mut heap: KeyHeap<K> = KeyHeap::with_capacity(nruns);
    for (r, run) in runs.iter().enumerate() {
        if let Some(&first) = run.first() {
            heap.push(image(first as usize), (r as u64) << 32);
        }
    }
    let mut out = src.empty_like(layout, src.len());
    let mut buf = vec![0u64; w];
    let mut popped: Vec<u64> = Vec::with_capacity(nruns);
    while let Some(key) = heap.pop_max_all(&mut popped) {
        let mut sum: Option<R::Elem> = None;
        for &pv in &popped {
            let (r, j) = ((pv >> 32) as usize, (pv & 0xffff_ffff) as usize);
            let i = runs[r][j] as usize;
            let c = coeff_of(i, r);
            match &mut sum {
                None => sum = Some(c),
                Some(s) => ring.add_assign(s, &c),
            }
            if let Some(&next) = runs[r].get(j + 1) {
                heap.push(image(next as usize), pv + 1);
            }
        }
        popped.clear();
        if let Some(c) = sum
            && !ring.is_zero(&c)
        {
            key.store(&mut buf);
            out.push_term(c, &buf);
        }
    }
    out
}

/// Sorts terms by monomial (decreasing) and merges equal ones.
fn collect_sorted<R: Ring, O: MonomialOrder, K: ExpKey>(
    proto: &MPoly<R, O>,
    layout: Layout,
    exps: Vec<u64>,
    coeffs: Vec<R::Elem>,
) -> MPoly<R, O> {
    let ring = &proto.ring;
    let w = layout.words();
    let mut keyed: Vec<(K, u32)> = exps.chunks_exact(w).enumerate().map(|(i, m)| (K::load(m), i as u32)).collect();
    keyed.sort_unstable_by(|a, b| b.0.cmp(&a.0));
    let mut coeffs: Vec<Option<R::Elem>> = coeffs.into_iter().map(Some).collect();
    let mut out = proto.empty_like(layout, keyed.len());
    let mut buf = vec![0u64; w];
    let mut i = 0;
    while i < keyed.len() {
        let key = &keyed[i].0;
        let mut c = coeffs[keyed[i].1 as usize].take().expect("each term once");
        let mut j = i + 1;
        while j < keyed.len() && keyed[j].0 == *key {
            ring.add_assign(&mut c, coeffs[keyed[j].1 as usize].as_ref().expect("each term once"));
            j += 1;
        }
        if !ring.is_zero(&c) {
            key.store(&mut buf);
            out.push_term(c, &buf);
        }
        i = j;
    }
    out
}

impl<R: RealEmbedding, O: MonomialOrder> MPoly<R, O> {
    /// The value at a real point, in `f64` arithmetic (coefficients rounded to `f64`).
    pub fn eval_f64(&self, x: &[f64]) -> f64 {
        assert_eq!(x.len(), self.nvars(), "point of the wrong dimension");
        let mut e = vec![0u64; self.nvars()];
        let mut sum = 0.0;
        for (i, c) in self.coeffs.iter().enumerate() {
            self.layout.unpack(self.mono(i), &mut e);
            let mut t = self.ring.to_f64(c);
            for (xv, &ev) in x.iter().zip(&e) {
                if ev > 0 {
                    t *= match i32::try_from(ev) {
                        Ok(k) => xv.powi(k),
                        Err(_) => xv.powf(ev as f64),
                    };
                }
            }
            sum += t;
        }
        sum
    }

    /// The value at a point of MPFR floats, computed with `prec` bits.
    pub fn eval_float(&self, x: &[Float], prec: u32) -> Float {
        assert_eq!(x.len(), self.nvars(), "point of the wrong dimension");
        let mut e = vec![0u64; self.nvars()];
        let mut sum = Float::with_val(prec, 0);
        for (i, c) in self.coeffs.iter().enumerate() {
            self.layout.unpack(self.mono(i), &mut e);
            let mut t = self.ring.to_float(c, prec);
            for (xv, &ev) in x.iter().zip(&e) {
                if ev > 0 {
                    let p = Float::with_val(prec, rug::ops::Pow::pow(xv, &rug::Integer::from(ev)));
                    t *= p;
                }
            }
            sum += t;
        }
        sum
    }
}
