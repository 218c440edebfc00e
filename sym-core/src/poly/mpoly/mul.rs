//! Products of sparse polynomials.
//!
//! Two kernels, chosen by the size of the product's exponent box
//! `B = prod_v (deg_v(a) + deg_v(b) + 1)` against the number of term products `n * m`:
//!
//! * **dense accumulation** when `B <= DENSE_RATIO * n * m` (and `B` is at most
//!   `DENSE_MAX_CELLS`): every monomial gets a Kronecker index `sum_v e_v * stride_v` with
//!   lexicographic strides, products are accumulated into an array of ring accumulators
//!   (`i128` for machine-size integers), and the array is read back in decreasing index order,
//!   which is decreasing lexicographic order (other orders sort the result);
//! * **heap merge** otherwise (Johnson 1974, as used by Monagan and Pearce, "Sparse polynomial
//!   division using a heap", JSC 2011): a max-heap holds one candidate `a_i * b_j` per row `i` of
//!   the shorter factor, so products come out in decreasing order and equal monomials are summed
//!   as they meet; heap size is at most `min(n, m)`, time `O(n m log min(n, m))`.
//!
//! The thresholds come from the benchmark in `benches/poly.rs` (see the module of that bench).

use super::MPoly;
use super::heap::{KeyHeap, Merger, SCAN_MAX, ScanQueue};
use crate::poly::monomial::{ExpKey, Layout, MonomialOrder, with_key};
use crate::poly::ring::Ring;
use crate::poly::{LimitKind, Limits, PolyError};

/// Dense accumulation is used when the box has at most this many cells per term product.
const DENSE_RATIO: u64 = 4;
/// The largest dense accumulator (cells).
const DENSE_MAX_CELLS: u64 = 1 << 22;

impl<R: Ring, O: MonomialOrder> MPoly<R, O> {
    /// `self * other`.
    ///
    /// # Panics
    ///
    /// Panics when an exponent or total degree of the product exceeds `2^63 - 1`; use
    /// [`MPoly::try_mul`] for a typed error.
    pub fn mul(&self, other: &Self) -> Self {
        match self.try_mul(other, &Limits::UNLIMITED) {
            Ok(p) => p,
            Err(e) => panic!("polynomial product: {e}"),
        }
    }

    /// `self * other`, checking the result against `limits` (its total degree before computing,
    /// its number of terms while computing).
    pub fn try_mul(&self, other: &Self, limits: &Limits) -> Result<Self, PolyError> {
        self.check_compatible(other);
        if self.is_zero() || other.is_zero() {
            return Ok(self.empty_like(self.layout, 0));
        }
        if let Some((za, da)) = self.integer_image()
            && let Some((zb, db)) = other.integer_image()
        {
            // Over Q: (za / da) (zb / db) = (za zb) / (da db), the product over Z.
            let z = za.try_mul(&zb, limits)?;
            return Ok(self.rebuild_from_integer_image(z, &(&da * &db)));
        }
        let n = self.nvars();
        let da = self.degrees();
        let db = other.degrees();
        let mut max = 0u64;
        let mut box_cells: Option<u64> = Some(1);
        for v in 0..n {
            let d = da[v].checked_add(db[v]).ok_or_else(|| exponent_overflow(u64::MAX))?;
            max = max.max(d);
            box_cells = box_cells.and_then(|b| b.checked_mul(d + 1));
        }
        let tdeg = self.total_degree().checked_add(other.total_degree()).ok_or_else(|| exponent_overflow(u64::MAX))?;
        limits.check_degree("multiply", tdeg)?;
        if O::GRADED {
            max = max.max(tdeg);
        }
        let layout = Layout::for_max::<O>(n, max)?;
        let a = self.repacked_cow(layout);
        let b = other.repacked_cow(layout);
        let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        if a.len() == 1 {
            return Ok(with_key!(layout.words(), K => mul_term::<R, O, K>(&b, &a, layout)));
        }
        let products = (a.len() as u64).saturating_mul(b.len() as u64);
        if let Some(cells) = box_cells
            && cells <= DENSE_MAX_CELLS
            && cells <= DENSE_RATIO.saturating_mul(products)
        {
            return mul_dense(&a, &b, layout, &da, &db, limits);
        }
        with_key!(layout.words(), K => if a.len() <= SCAN_MAX {
            mul_heap::<R, O, K, _>(&a, &b, layout, limits, ScanQueue::with_capacity(a.len()))
        } else {
            mul_heap::<R, O, K, _>(&a, &b, layout, limits, KeyHeap::with_capacity(a.len()))
        })
    }
}

pub(crate) fn exponent_overflow(needed: u64) -> PolyError {
    PolyError::Limit { op: "multiply", kind: LimitKind::Exponent, limit: crate::poly::monomial::MAX_EXPONENT, needed }
}

/// `p * t` for a single-term `t`: monomial products preserve the order, so no sorting.
fn mul_term<R: Ring, O: MonomialOrder, K: ExpKey>(p: &MPoly<R, O>, t: &MPoly<R, O>, layout: Layout) -> MPoly<R, O> {
    let masks = layout.masks();
    let w = layout.words();
    let kt = K::load(t.mono(0));
    let c = &t.coeffs[0];
    let mut out = p.empty_like(layout, p.len());
    let mut buf = vec![0u64; w];
    for i in 0..p.len() {
        K::load(p.mono(i)).mul(&kt, &masks).store(&mut buf);
        // Integral domain: the product of nonzero coefficients is nonzero.
        out.push_term(p.ring.mul(&p.coeffs[i], c), &buf);
    }
    out
}

/// The dense-accumulator product (see the module documentation).
fn mul_dense<R: Ring, O: MonomialOrder>(
    a: &MPoly<R, O>,
    b: &MPoly<R, O>,
    layout: Layout,
    da: &[u64],
    db: &[u64],
    limits: &Limits,
) -> Result<MPoly<R, O>, PolyError> {
    let ring = &a.ring;
    let n = layout.nvars();
    let ranges: Vec<u64> = (0..n).map(|v| da[v] + db[v] + 1).collect();
    let mut strides = vec![1u64; n];
    for v in (0..n.saturating_sub(1)).rev() {
        strides[v] = strides[v + 1] * ranges[v + 1];
    }
    let cells: u64 = ranges.iter().product();
    let index = |p: &MPoly<R, O>| -> Vec<usize> {
        let mut e = vec![0u64; n];
        (0..p.len())
            .map(|i| {
                layout.unpack(p.mono(i), &mut e);
                e.iter().zip(&strides).map(|(x, s)| x * s).sum::<u64>() as usize
            })
            .collect()
    };
    let ia = index(a);
    let ib = index(b);
    let mut acc: Vec<R::Acc> = (0..cells).map(|_| ring.acc_zero()).collect();
    for (ca, &xa) in a.coeffs.iter().zip(&ia) {
        let row = &mut acc[xa..];
        for (cb, &xb) in b.coeffs.iter().zip(&ib) {
            ring.acc_add_mul(&mut row[xb], ca, cb);
        }
    }
    let w = layout.words();
    let mut out = a.empty_like(layout, a.len().max(b.len()));
    let mut e = vec![0u64; n];
    let mut m = vec![0u64; w];
    let mut sorted_terms: Vec<(Vec<u64>, R::Elem)> = Vec::new();
    let lex_order = !O::GRADED && !O::REVERSE;
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
        if lex_order {
            out.push_term(c, &m);
            limits.check_terms("multiply", out.len() as u64)?;
        } else {
            sorted_terms.push((m.clone(), c));
            limits.check_terms("multiply", sorted_terms.len() as u64)?;
        }
    }
    if !lex_order {
        sorted_terms.sort_unstable_by(|x, y| y.0.cmp(&x.0));
        for (m, c) in sorted_terms {
            out.push_term(c, &m);
        }
    }
    Ok(out)
}

/// The heap-merge product; `a` is the shorter factor.
fn mul_heap<R: Ring, O: MonomialOrder, K: ExpKey, M: Merger<K>>(
    a: &MPoly<R, O>,
    b: &MPoly<R, O>,
    layout: Layout,
    limits: &Limits,
    mut heap: M,
) -> Result<MPoly<R, O>, PolyError> {
    let ring = &a.ring;
    let masks = layout.masks();
    let ka: Vec<K> = (0..a.len()).map(|i| K::load(a.mono(i))).collect();
    let kb: Vec<K> = (0..b.len()).map(|j| K::load(b.mono(j))).collect();
    let (n, m) = (a.len(), b.len());
    heap.push(ka[0].mul(&kb[0], &masks), 0);
    let mut out = a.empty_like(layout, m.max(n));
    let mut acc = ring.acc_zero();
    let mut buf = vec![0u64; layout.words()];
    let mut popped: Vec<u64> = Vec::with_capacity(n);
    while let Some(key) = heap.pop_max_all(&mut popped) {
        for &v in &popped {
            let (iu, ju) = ((v >> 32) as usize, (v & 0xffff_ffff) as usize);
            ring.acc_add_mul(&mut acc, &a.coeffs[iu], &b.coeffs[ju]);
            if ju + 1 < m {
                heap.push(ka[iu].mul(&kb[ju + 1], &masks), v + 1);
            }
            if ju == 0 && iu + 1 < n {
                heap.push(ka[iu + 1].mul(&kb[0], &masks), ((iu as u64) + 1) << 32);
            }
        }
        popped.clear();
        let c = ring.acc_take(&mut acc);
        if !ring.is_zero(&c) {
            key.store(&mut buf);
            out.push_term(c, &buf);
            if out.len() as u64 > limits.max_terms {
                limits.check_terms("multiply", out.len() as u64)?;
            }
        }
    }
    Ok(out)
}
