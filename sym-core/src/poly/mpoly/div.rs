//! Division of sparse polynomials: by one divisor with a heap, and by a list of divisors.
//!
//! **Single divisor** (Johnson's quotient heap; Monagan and Pearce, "Sparse polynomial division
//! using a heap", JSC 46, 2011). With `g = g_0 + g_1 + ...` (decreasing), the terms of
//! `f - q g` are produced in decreasing order by merging the stream of `f` with one stream
//! `-q_s g_1, -q_s g_2, ...` per quotient term `q_s`. At each monomial `t` with nonzero sum `c`:
//! when `LM(g) | t` and `LC(g) | c`, the new quotient term is `c / LC(g) * t / LM(g)`;
//! otherwise `c t` is a remainder term. This gives `f = q g + r` where no term of `r` is
//! divisible by `LT(g)` (over a field: by `LM(g)`), in `O(|f| + |q| |g| log |q|)`.
//!
//! **Several divisors** (the division algorithm of Cox, Little and O'Shea, *Ideals, Varieties,
//! and Algorithms*, §2.3): the leading term of the running dividend is divided by the first
//! divisor whose leading term divides it, or moved to the remainder; `f = sum q_i g_i + r`.
//!
//! Over a ring that is not a field the leading coefficient must divide as well (otherwise the
//! term moves to the remainder), which is the usual weak division.

use super::MPoly;
use super::heap::{KeyHeap, Merger};
use crate::poly::monomial::{ExpKey, Layout, MonomialOrder, with_key};
use crate::poly::ring::Ring;
use crate::poly::{Limits, PolyError};

impl<R: Ring, O: MonomialOrder> MPoly<R, O> {
    /// `(q, r)` with `self = q * g + r`, no term of `r` divisible by `LT(g)`.
    pub fn divrem(&self, g: &Self) -> Result<(Self, Self), PolyError> {
        self.check_compatible(g);
        if g.is_zero() {
            return Err(PolyError::DivisionByZero { op: "divrem" });
        }
        let layout = self.common_layout(g);
        let f = self.repacked_cow(layout);
        let g = g.repacked_cow(layout);
        let (q, r) = with_key!(layout.words(), K => div_heap::<R, O, K>(&f, &g, layout, false))?;
        Ok((q, r.expect("remainder requested")))
    }

    /// The exact quotient `self / g`, or [`PolyError::NotExact`] when `g` does not divide `self`.
    pub fn div_exact(&self, g: &Self) -> Result<Self, PolyError> {
        self.check_compatible(g);
        if g.is_zero() {
            return Err(PolyError::DivisionByZero { op: "div_exact" });
        }
        if self.is_zero() {
            return Ok(self.clone());
        }
        let not_exact = PolyError::NotExact { op: "div_exact" };
        // In an integral domain the divisors of a single term are single terms.
        if self.len() == 1 && g.len() > 1 {
            return Err(not_exact);
        }
        let (df, dg) = (self.degrees(), g.degrees());
        if dg.iter().zip(&df).any(|(a, b)| a > b) {
            return Err(not_exact);
        }
        let layout = self.common_layout(g);
        let f = self.repacked_cow(layout);
        let g = g.repacked_cow(layout);
        let (q, _) = with_key!(layout.words(), K => div_heap::<R, O, K>(&f, &g, layout, true))?;
        Ok(q)
    }

    /// `(q_1..q_s, r)` with `self = sum q_i g_i + r` where no term of `r` is divisible by any
    /// `LT(g_i)`.
    pub fn divrem_list(&self, gs: &[Self]) -> Result<(Vec<Self>, Self), PolyError> {
        for g in gs {
            self.check_compatible(g);
            if g.is_zero() {
                return Err(PolyError::DivisionByZero { op: "divrem_list" });
            }
        }
        let ring = &self.ring;
        let mut layout = self.layout;
        for g in gs {
            if g.layout.max_value() > layout.max_value() {
                layout = g.layout;
            }
        }
        let masks = layout.masks();
        let gs: Vec<Self> = gs.iter().map(|g| g.repacked(layout)).collect();
        let mut p = self.repacked(layout);
        let mut qs: Vec<Self> = gs.iter().map(|_| self.empty_like(layout, 0)).collect();
        let mut r = self.empty_like(layout, 0);
        let w = layout.words();
        let mut m = vec![0u64; w];
        let limits = Limits::default();
        while !p.is_zero() {
            let lt = p.mono(0).to_vec();
            let lc = p.coeffs[0].clone();
            let mut reduced = false;
            for (g, q) in gs.iter().zip(qs.iter_mut()) {
                if !masks.divides(g.mono(0), &lt) {
                    continue;
                }
                let Some(c) = ring.try_div(&lc, &g.coeffs[0]) else {
                    continue;
                };
                masks.div_into(&lt, g.mono(0), &mut m);
                let mut t = self.empty_like(layout, 1);
                t.push_term(c, &m);
                *q = q.add(&t);
                p = p.sub(&g.mul(&t));
                limits.check_terms("divrem_list", (p.len() + q.len()) as u64)?;
                reduced = true;
                break;
            }
            if !reduced {
                r.push_term(lc, &lt);
                // Drop the leading term of p (it moved to the remainder).
                p.coeffs.remove(0);
                p.exps.drain(0..w);
            }
        }
        Ok((qs, r))
    }
}

/// A quotient and, unless the division was exact, a remainder.
type QuotRem<R, O> = (MPoly<R, O>, Option<MPoly<R, O>>);

/// The payload stream index of the dividend's terms.
const F_STREAM: u64 = 0xffff_ffff;

/// Heap division of `f` by `g` (same layout). With `exact`, returns `NotExact` as soon as a
/// remainder term appears and no remainder; otherwise returns `(q, Some(r))`.
fn div_heap<R: Ring, O: MonomialOrder, K: ExpKey>(
    f: &MPoly<R, O>,
    g: &MPoly<R, O>,
    layout: Layout,
    exact: bool,
) -> Result<QuotRem<R, O>, PolyError> {
    let ring = &f.ring;
    let masks = layout.masks();
    let limits = Limits::default();
    let kg: Vec<K> = (0..g.len()).map(|j| K::load(g.mono(j))).collect();
    let g0 = &g.coeffs[0];
    let mut qk: Vec<K> = Vec::new();
    let mut qc: Vec<R::Elem> = Vec::new();
    let mut r = f.empty_like(layout, 0);
    let mut heap: KeyHeap<K> = KeyHeap::with_capacity(16);
    if !f.is_zero() {
        heap.push(K::load(f.mono(0)), F_STREAM << 32);
    }
    let mut acc = ring.acc_zero();
    let mut popped: Vec<u64> = Vec::new();
    let mut buf = vec![0u64; layout.words()];
    while let Some(key) = heap.pop_max_all(&mut popped) {
        for &v in &popped {
            let (s, ju) = (v >> 32, (v & 0xffff_ffff) as usize);
            if s == F_STREAM {
                ring.acc_add(&mut acc, &f.coeffs[ju]);
                if ju + 1 < f.len() {
                    heap.push(K::load(f.mono(ju + 1)), v + 1);
                }
            } else {
                let su = s as usize;
                ring.acc_sub_mul(&mut acc, &qc[su], &g.coeffs[ju]);
                if ju + 1 < g.len() {
                    heap.push(qk[su].mul(&kg[ju + 1], &masks), v + 1);
                }
            }
        }
        popped.clear();
        let c = ring.acc_take(&mut acc);
        if ring.is_zero(&c) {
            continue;
        }
        let quotient = if kg[0].divides(&key, &masks) { ring.try_div(&c, g0) } else { None };
        match quotient {
            Some(qt) => {
                let mono = key.div(&kg[0], &masks);
                let s = qk.len() as u64;
                if g.len() > 1 {
                    heap.push(mono.mul(&kg[1], &masks), (s << 32) | 1);
                }
                qk.push(mono);
                qc.push(qt);
                limits.check_terms("divide", (qk.len() + r.len()) as u64)?;
            }
            None => {
                if exact {
                    return Err(PolyError::NotExact { op: "div_exact" });
                }
                key.store(&mut buf);
                r.push_term(c, &buf);
                limits.check_terms("divide", (qk.len() + r.len()) as u64)?;
            }
        }
    }
    let mut q = f.empty_like(layout, qk.len());
    for (k, c) in qk.iter().zip(qc) {
        k.store(&mut buf);
        q.push_term(c, &buf);
    }
    Ok((q, if exact { None } else { Some(r) }))
}
