//! Sparse multivariate polynomials: [`MPoly`], coefficients and packed exponents in parallel
//! vectors, terms sorted in decreasing monomial order (leading term first).
//!
//! Invariants of an `MPoly<R, O>`:
//!
//! * `coeffs.len() * layout.words() == exps.len()`;
//! * no coefficient is zero (the zero polynomial has no terms);
//! * the packed monomials are strictly decreasing as words (which is the order `O`, see
//!   [`monomial`](crate::poly::monomial));
//! * every field value fits the layout.
//!
//! Two polynomials with different layouts can be equal; equality and hashing look at the
//! unpacked exponents when the layouts differ. Arithmetic between polynomials requires the same
//! number of variables and the same ring; mixing them is a bug of the caller and panics.
//!
//! The submodules hold the algorithms: `arith` (sums, scaling, operators), `mul` (products),
//! `pow` (powers), `div` (division with remainder and exact division), `eval` (evaluation,
//! substitution, derivatives), `convert` (orders, univariate views, contents) and `ring` (the
//! polynomial ring as a coefficient ring).

mod arith;
mod convert;
mod div;
mod eval;
mod heap;
mod mul;
mod pow;
mod ring;
mod sqrt;

pub use ring::PolyRing;

use crate::poly::PolyError;
use crate::poly::monomial::{Layout, Lex, MonomialOrder};
use crate::poly::ring::Ring;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

/// A sparse multivariate polynomial over the ring `R`, terms in the monomial order `O`.
#[derive(Clone)]
pub struct MPoly<R: Ring, O: MonomialOrder = Lex> {
    pub(crate) ring: R,
    pub(crate) layout: Layout,
    pub(crate) coeffs: Vec<R::Elem>,
    pub(crate) exps: Vec<u64>,
    pub(crate) _order: PhantomData<O>,
}

impl<R: Ring, O: MonomialOrder> MPoly<R, O> {
    /// The zero polynomial in `nvars` variables.
    pub fn zero(ring: R, nvars: usize) -> Self {
        let layout = Layout::for_max::<O>(nvars, 0).expect("invariant: zero exponents fit");
        MPoly { ring, layout, coeffs: Vec::new(), exps: Vec::new(), _order: PhantomData }
    }

    /// The constant polynomial `c`.
    pub fn constant(ring: R, nvars: usize, c: R::Elem) -> Self {
        let mut p = Self::zero(ring, nvars);
        if !p.ring.is_zero(&c) {
            let one = p.layout.masks().one();
            p.exps.extend_from_slice(&one);
            p.coeffs.push(c);
        }
        p
    }

    /// The constant polynomial `1`.
    pub fn one(ring: R, nvars: usize) -> Self {
        let c = ring.one();
        Self::constant(ring, nvars, c)
    }

    /// The variable `x_v`.
    ///
    /// # Panics
    ///
    /// Panics when `v >= nvars`.
    pub fn var(ring: R, nvars: usize, v: usize) -> Self {
        assert!(v < nvars, "variable {v} out of range for {nvars} variables");
        let mut e = vec![0; nvars];
        e[v] = 1;
        let c = ring.one();
        Self::monomial(ring, c, &e).expect("invariant: exponent 1 fits")
    }

    /// The monomial `c * x^exps` (`exps` has one entry per variable).
    pub fn monomial(ring: R, c: R::Elem, exps: &[u64]) -> Result<Self, PolyError> {
        let nvars = exps.len();
        let max = Self::max_needed(exps)?;
        let layout = Layout::for_max::<O>(nvars, max)?;
        let mut p = MPoly { ring, layout, coeffs: Vec::new(), exps: Vec::new(), _order: PhantomData };
        if !p.ring.is_zero(&c) {
            let mut w = vec![0u64; layout.words()];
            layout.pack(exps, &mut w);
            p.exps = w;
            p.coeffs.push(c);
        }
        Ok(p)
    }

    /// The largest field value an exponent vector needs (its largest exponent, or its total
    /// degree for graded orders).
    fn max_needed(exps: &[u64]) -> Result<u64, PolyError> {
        let mut max = exps.iter().copied().max().unwrap_or(0);
        if O::GRADED {
            let mut d: u64 = 0;
            for &e in exps {
                d = d.checked_add(e).ok_or(PolyError::Limit {
                    op: "pack exponents",
                    kind: crate::poly::LimitKind::Exponent,
                    limit: crate::poly::monomial::MAX_EXPONENT,
                    needed: u64::MAX,
                })?;
            }
            max = max.max(d);
        }
        Ok(max)
    }

    /// The polynomial with the given terms (coefficient, one exponent per variable), in any order;
    /// equal monomials are added and zero terms dropped.
    pub fn from_terms<I>(ring: R, nvars: usize, terms: I) -> Result<Self, PolyError>
    where
        I: IntoIterator<Item = (R::Elem, Vec<u64>)>,
    {
        let terms: Vec<(R::Elem, Vec<u64>)> = terms.into_iter().collect();
        let mut max = 0;
        for (_, e) in &terms {
            assert_eq!(e.len(), nvars, "exponent vector of the wrong length");
            max = max.max(Self::max_needed(e)?);
        }
        let layout = Layout::for_max::<O>(nvars, max)?;
        let w = layout.words();
        let mut packed: Vec<(Vec<u64>, R::Elem)> = terms
            .into_iter()
            .map(|(c, e)| {
                let mut m = vec![0u64; w];
                layout.pack(&e, &mut m);
                (m, c)
            })
            .collect();
        packed.sort_by(|a, b| b.0.cmp(&a.0));
        let mut coeffs: Vec<R::Elem> = Vec::with_capacity(packed.len());
        let mut exps: Vec<u64> = Vec::with_capacity(packed.len() * w);
        for (m, c) in packed {
            let n = coeffs.len();
            if n > 0 && exps[(n - 1) * w..n * w] == m[..] {
                ring.add_assign(&mut coeffs[n - 1], &c);
            } else {
                if n > 0 && ring.is_zero(&coeffs[n - 1]) {
                    coeffs.pop();
                    exps.truncate((n - 1) * w);
                }
                coeffs.push(c);
                exps.extend_from_slice(&m);
            }
        }
        if let Some(c) = coeffs.last()
            && ring.is_zero(c)
        {
            coeffs.pop();
            exps.truncate(coeffs.len() * w);
        }
        Ok(MPoly { ring, layout, coeffs, exps, _order: PhantomData })
    }

    /// Assembles a polynomial from parts that already satisfy the invariants.
    pub(crate) fn from_parts(ring: R, layout: Layout, coeffs: Vec<R::Elem>, exps: Vec<u64>) -> Self {
        debug_assert_eq!(coeffs.len() * layout.words(), exps.len());
        debug_assert!(coeffs.iter().all(|c| !ring.is_zero(c)));
        debug_assert!(
            exps.chunks_exact(layout.words()).zip(exps.chunks_exact(layout.words()).skip(1)).all(|(a, b)| a > b),
            "terms out of order"
        );
        MPoly { ring, layout, coeffs, exps, _order: PhantomData }
    }

    /// An empty polynomial with the same ring and layout, with room for `n` terms.
    pub(crate) fn empty_like(&self, layout: Layout, n: usize) -> Self {
        MPoly {
            ring: self.ring.clone(),
            layout,
            coeffs: Vec::with_capacity(n),
            exps: Vec::with_capacity(n * layout.words()),
            _order: PhantomData,
        }
    }

    /// Appends a term; the caller keeps the order invariant (monomials strictly decreasing).
    #[inline]
    pub(crate) fn push_term(&mut self, c: R::Elem, m: &[u64]) {
        debug_assert!(!self.ring.is_zero(&c));
        self.coeffs.push(c);
        self.exps.extend_from_slice(m);
    }

    /// The coefficient ring.
    pub fn ring(&self) -> &R {
        &self.ring
    }

    /// The number of variables.
    pub fn nvars(&self) -> usize {
        self.layout.nvars()
    }

    /// The packing layout of the exponents.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The number of terms.
    pub fn len(&self) -> usize {
        self.coeffs.len()
    }

    /// Whether there are no terms (the same as [`MPoly::is_zero`]).
    pub fn is_empty(&self) -> bool {
        self.coeffs.is_empty()
    }

    /// Whether this is the zero polynomial.
    pub fn is_zero(&self) -> bool {
        self.coeffs.is_empty()
    }

    /// Whether this is a constant (including zero).
    pub fn is_constant(&self) -> bool {
        match self.coeffs.len() {
            0 => true,
            1 => self.total_degree() == 0,
            _ => false,
        }
    }

    /// Whether this is the constant one.
    pub fn is_one(&self) -> bool {
        self.is_constant() && self.coeffs.len() == 1 && self.ring.is_one(&self.coeffs[0])
    }

    /// The coefficients, in term order.
    pub fn coeffs(&self) -> &[R::Elem] {
        &self.coeffs
    }

    /// The packed monomial of term `i`.
    #[inline]
    pub(crate) fn mono(&self, i: usize) -> &[u64] {
        let w = self.layout.words();
        &self.exps[i * w..(i + 1) * w]
    }

    /// The coefficient of term `i` (terms are in decreasing order).
    pub fn coeff(&self, i: usize) -> &R::Elem {
        &self.coeffs[i]
    }

    /// The exponent of variable `v` in term `i`.
    pub fn exponent(&self, i: usize, v: usize) -> u64 {
        self.layout.exponent(self.mono(i), v)
    }

    /// The exponent vector of term `i`.
    pub fn exponents(&self, i: usize) -> Vec<u64> {
        let mut e = vec![0; self.nvars()];
        self.layout.unpack(self.mono(i), &mut e);
        e
    }

    /// The terms as (coefficient, exponent vector) pairs, leading term first.
    pub fn terms(&self) -> impl Iterator<Item = (&R::Elem, Vec<u64>)> + '_ {
        (0..self.len()).map(move |i| (&self.coeffs[i], self.exponents(i)))
    }

    /// The coefficient of the monomial `x^exps` (zero when absent).
    pub fn coeff_of(&self, exps: &[u64]) -> R::Elem {
        let Ok(max) = Self::max_needed(exps) else {
            return self.ring.zero();
        };
        if max > self.layout.max_value() {
            return self.ring.zero();
        }
        let mut m = vec![0u64; self.layout.words()];
        self.layout.pack(exps, &mut m);
        match self.find(&m) {
            Ok(i) => self.coeffs[i].clone(),
            Err(_) => self.ring.zero(),
        }
    }

    /// Binary search for a packed monomial: `Ok(index)` or `Err(insertion point)`.
    pub(crate) fn find(&self, m: &[u64]) -> Result<usize, usize> {
        let (mut lo, mut hi) = (0usize, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.mono(mid).cmp(m) {
                std::cmp::Ordering::Equal => return Ok(mid),
                // Terms decrease, so a larger monomial lies to the left.
                std::cmp::Ordering::Greater => lo = mid + 1,
                std::cmp::Ordering::Less => hi = mid,
            }
        }
        Err(lo)
    }

    /// The leading coefficient (zero for the zero polynomial).
    pub fn lc(&self) -> R::Elem {
        self.coeffs.first().cloned().unwrap_or_else(|| self.ring.zero())
    }

    /// The exponents of the leading monomial, `None` for the zero polynomial.
    pub fn leading_exponents(&self) -> Option<Vec<u64>> {
        (!self.is_zero()).then(|| self.exponents(0))
    }

    /// The leading term as a polynomial (zero for zero).
    pub fn leading_term(&self) -> Self {
        let mut p = self.empty_like(self.layout, 1);
        if !self.is_zero() {
            p.push_term(self.coeffs[0].clone(), self.mono(0));
        }
        p
    }

    /// The trailing (smallest) coefficient, zero for the zero polynomial.
    pub fn trailing_coeff(&self) -> R::Elem {
        self.coeffs.last().cloned().unwrap_or_else(|| self.ring.zero())
    }

    /// The degree in variable `v` (zero for the zero polynomial).
    pub fn degree(&self, v: usize) -> u64 {
        (0..self.len()).map(|i| self.exponent(i, v)).max().unwrap_or(0)
    }

    /// The lowest exponent of variable `v` over the terms (zero for the zero polynomial).
    pub fn min_degree(&self, v: usize) -> u64 {
        (0..self.len()).map(|i| self.exponent(i, v)).min().unwrap_or(0)
    }

    /// The degree in every variable.
    pub fn degrees(&self) -> Vec<u64> {
        let mut d = vec![0u64; self.nvars()];
        let mut e = vec![0u64; self.nvars()];
        for i in 0..self.len() {
            self.layout.unpack(self.mono(i), &mut e);
            for (dv, ev) in d.iter_mut().zip(&e) {
                *dv = (*dv).max(*ev);
            }
        }
        d
    }

    /// The total degree (zero for the zero polynomial).
    pub fn total_degree(&self) -> u64 {
        (0..self.len()).map(|i| self.layout.total_degree(self.mono(i))).max().unwrap_or(0)
    }

    /// The variables that occur.
    pub fn variables(&self) -> Vec<usize> {
        self.degrees().iter().enumerate().filter(|(_, d)| **d > 0).map(|(v, _)| v).collect()
    }

    /// `(z, d)` with `self = z / d`, `z` over `Z`, when the coefficient ring is a ring of
    /// fractions of integers (see [`Ring::as_integer_fractions`]).
    pub(crate) fn integer_image(&self) -> Option<(MPoly<crate::poly::ring::IntegerRing, O>, crate::poly::Int)> {
        let (nums, d) = self.ring.as_integer_fractions(&self.coeffs)?;
        Some((
            MPoly {
                ring: crate::poly::ring::IntegerRing,
                layout: self.layout,
                coeffs: nums,
                exps: self.exps.clone(),
                _order: PhantomData,
            },
            d,
        ))
    }

    /// `z / d` in this polynomial's ring (the inverse of [`MPoly::integer_image`]).
    pub(crate) fn rebuild_from_integer_image(
        &self,
        z: MPoly<crate::poly::ring::IntegerRing, O>,
        d: &crate::poly::Int,
    ) -> Self {
        let coeffs = z.coeffs.iter().map(|c| self.ring.from_integer_fraction(c, d)).collect();
        MPoly { ring: self.ring.clone(), layout: z.layout, coeffs, exps: z.exps, _order: PhantomData }
    }

    /// This polynomial repacked into `layout` (same variables and order).
    pub(crate) fn repacked(&self, layout: Layout) -> Self {
        if layout == self.layout {
            return self.clone();
        }
        MPoly {
            ring: self.ring.clone(),
            layout,
            coeffs: self.coeffs.clone(),
            exps: layout.repack_from(&self.layout, &self.exps),
            _order: PhantomData,
        }
    }

    /// Applies `f` to every coefficient, landing in the ring `ring` (zero images are dropped).
    pub fn map_coeffs<S: Ring>(&self, ring: S, mut f: impl FnMut(&R::Elem) -> S::Elem) -> MPoly<S, O> {
        let w = self.layout.words();
        let mut coeffs = Vec::with_capacity(self.len());
        let mut exps = Vec::with_capacity(self.exps.len());
        for (i, c) in self.coeffs.iter().enumerate() {
            let d = f(c);
            if !ring.is_zero(&d) {
                coeffs.push(d);
                exps.extend_from_slice(&self.exps[i * w..(i + 1) * w]);
            }
        }
        MPoly { ring, layout: self.layout, coeffs, exps, _order: PhantomData }
    }

    /// A displayable view with the given variable names (missing names print as `x<i>`).
    pub fn display_with<'a>(&'a self, names: &'a [&'a str]) -> DisplayWith<'a, R, O> {
        DisplayWith { poly: self, names }
    }

    fn fmt_with(&self, f: &mut fmt::Formatter<'_>, names: &[&str]) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        let mut e = vec![0u64; self.nvars()];
        for (i, c) in self.coeffs.iter().enumerate() {
            self.layout.unpack(self.mono(i), &mut e);
            let neg = self.ring.is_negative(c);
            let c_abs = if neg { self.ring.neg(c) } else { c.clone() };
            if i == 0 {
                if neg {
                    f.write_str("-")?;
                }
            } else {
                f.write_str(if neg { " - " } else { " + " })?;
            }
            let constant = e.iter().all(|&x| x == 0);
            let mut first = true;
            if constant || !self.ring.is_one(&c_abs) {
                if !constant && self.ring.needs_parens(&c_abs) {
                    write!(f, "({c_abs})")?;
                } else {
                    write!(f, "{c_abs}")?;
                }
                first = false;
            }
            for (v, &x) in e.iter().enumerate() {
                if x == 0 {
                    continue;
                }
                if !first {
                    f.write_str("*")?;
                }
                first = false;
                match names.get(v) {
                    Some(n) => f.write_str(n)?,
                    None => write!(f, "x{v}")?,
                }
                if x > 1 {
                    write!(f, "^{x}")?;
                }
            }
        }
        Ok(())
    }
}

/// A polynomial printed with chosen variable names; see [`MPoly::display_with`].
pub struct DisplayWith<'a, R: Ring, O: MonomialOrder> {
    poly: &'a MPoly<R, O>,
    names: &'a [&'a str],
}

impl<R: Ring, O: MonomialOrder> fmt::Display for DisplayWith<'_, R, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.poly.fmt_with(f, self.names)
    }
}

impl<R: Ring, O: MonomialOrder> fmt::Display for MPoly<R, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_with(f, &[])
    }
}

impl<R: Ring, O: MonomialOrder> fmt::Debug for MPoly<R, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MPoly[{} vars, {}]({self})", self.nvars(), O::NAME)
    }
}

impl<R: Ring, O: MonomialOrder> PartialEq for MPoly<R, O> {
    fn eq(&self, other: &Self) -> bool {
        if self.nvars() != other.nvars() || self.len() != other.len() || self.coeffs != other.coeffs {
            return false;
        }
        if self.layout == other.layout {
            return self.exps == other.exps;
        }
        (0..self.len()).all(|i| self.exponents(i) == other.exponents(i))
    }
}

impl<R: Ring, O: MonomialOrder> Eq for MPoly<R, O> {}

impl<R: Ring, O: MonomialOrder> Hash for MPoly<R, O> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.nvars().hash(state);
        self.coeffs.hash(state);
        let mut e = vec![0u64; self.nvars()];
        for i in 0..self.len() {
            self.layout.unpack(self.mono(i), &mut e);
            e.hash(state);
        }
    }
}
