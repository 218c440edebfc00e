//! Groebner bases over `Q`: Buchberger's algorithm with the Gebauer–Möller criteria.
//!
//! A Groebner basis `G` of an ideal `I ⊂ Q[x_1, ..., x_n]` for a monomial order `<` is a finite
//! generating set whose leading monomials generate the leading-monomial ideal `LM(I)`;
//! equivalently every S-polynomial `S(f, g) = (L/LT(f)) f - (L/LT(g)) g`, `L = lcm(LM f, LM g)`,
//! reduces to zero modulo `G`. Buchberger's algorithm adds the non-zero normal forms of
//! S-polynomials until this holds. Most pairs reduce to zero and are useless; the criteria of
//! Gebauer and Möller ("On an installation of Buchberger's algorithm", J. Symbolic Comput. 6,
//! 1988; the `UPDATE` procedure as written in Becker–Weispfenning, *Gröbner Bases*, 1993, §5.5)
//! discard them before any reduction:
//!
//! * *product criterion*: when `LM f` and `LM g` are coprime, `S(f, g)` reduces to zero;
//! * *chain criterion*: a pair whose lcm is a proper multiple of another pair's lcm through a
//!   common element is redundant (`B_k`, `M`, `F` in Gebauer–Möller).
//!
//! Pairs are processed by the *normal strategy* (smallest lcm first), which is what makes
//! degree-compatible orders (grevlex) fast. The result is the reduced basis: monic, no leading
//! monomial divides another, and no term of an element is divisible by another's leading monomial.
//! The reduced basis is unique, so it decides ideal equality and membership ([`Groebner::reduce`]).
//!
//! # Representation
//!
//! Monomials are packed into one `u64`: the exponent of `x_i` in byte `i` (`i < 7`) and the total
//! degree in byte 7, every byte below 128. Products are integer sums, divisibility is one
//! subtraction with a borrow mask, and each order is a cheap key of the packed word: grevlex
//! compares the total degree and then the complemented exponents from the last variable, lex the
//! byte-reversed exponents. Hence at most [`MAX_VARS`] variables and total degrees below
//! [`MAX_DEGREE`]; larger inputs give [`SolveError::Limit`].
//!
//! The public polynomials ([`Poly`]) have rational coefficients. The computation itself runs
//! fraction-free (module `ffree`): each polynomial is kept as a primitive integer polynomial with a
//! positive leading coefficient, a positive rational multiple of the one the same steps give over
//! `Q`, so the leading monomials, the pairs and the criteria are exactly those of the computation
//! over `Q`, and the monic basis read off at the end is the same. Integers in machine words
//! (sym-core's `Int`) replace GMP rationals in the inner loop: cyclic-5 went from 18.0 ms to
//! 1.75 ms (criterion medians, same load).
//!
//! # When not to use it
//!
//! Lex bases of systems with many solutions are large; the solver ([`crate::system`]) computes
//! a grevlex basis and reads the solutions from the quotient ring instead.

mod ffree;

use crate::error::SolveError;
use ffree::Term;
use rug::Rational;
use std::cmp::Ordering;

/// The most variables a packed monomial holds.
pub const MAX_VARS: usize = 7;
/// Total degrees must stay below this bound.
pub const MAX_DEGREE: u64 = 127;

const LOW: u64 = 0x00ff_ffff_ffff_ffff;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// A monomial order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Lexicographic, `x_0 > x_1 > ...`.
    Lex,
    /// Graded reverse lexicographic.
    GrevLex,
}

/// A packed monomial (see the module documentation).
pub type Mono = u64;

/// The packed monomial of an exponent vector, or `None` when it does not fit.
pub fn pack(exps: &[u64]) -> Option<Mono> {
    if exps.len() > MAX_VARS {
        return None;
    }
    let d: u64 = exps.iter().sum();
    if d >= MAX_DEGREE {
        return None;
    }
    let mut m = d << 56;
    for (i, &e) in exps.iter().enumerate() {
        m |= e << (8 * i);
    }
    Some(m)
}

/// The exponent of `x_i` in `m`.
pub fn exponent(m: Mono, i: usize) -> u64 {
    (m >> (8 * i)) & 0xff
}

/// The total degree of `m`.
pub fn total_degree(m: Mono) -> u64 {
    m >> 56
}

/// Whether `a` divides `b`.
#[inline]
pub fn divides(a: Mono, b: Mono) -> bool {
    ((b | HIGH_BITS).wrapping_sub(a)) & HIGH_BITS == HIGH_BITS
}

fn lcm(a: Mono, b: Mono, n: usize) -> Mono {
    let mut m = 0;
    let mut d = 0;
    for i in 0..n {
        let e = exponent(a, i).max(exponent(b, i));
        d += e;
        m |= e << (8 * i);
    }
    m | (d << 56)
}

fn coprime(a: Mono, b: Mono) -> bool {
    (0..MAX_VARS).all(|i| exponent(a, i) == 0 || exponent(b, i) == 0)
}

impl Order {
    /// The integer key whose order is the monomial order.
    #[inline]
    pub fn key(self, m: Mono) -> u64 {
        match self {
            Order::GrevLex => m ^ LOW,
            Order::Lex => (m & LOW).swap_bytes(),
        }
    }

    /// Compares two monomials.
    #[inline]
    pub fn cmp(self, a: Mono, b: Mono) -> Ordering {
        self.key(a).cmp(&self.key(b))
    }
}

/// A polynomial over `Q`: terms in decreasing monomial order, no zero coefficient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poly {
    /// The terms, leading term first.
    pub terms: Vec<(Mono, Rational)>,
}

impl Poly {
    /// The zero polynomial.
    pub fn zero() -> Poly {
        Poly { terms: Vec::new() }
    }

    /// A polynomial from terms in any order (equal monomials added).
    pub fn from_terms(order: Order, mut terms: Vec<(Mono, Rational)>) -> Poly {
        terms.sort_by(|a, b| order.cmp(b.0, a.0));
        let mut out: Vec<(Mono, Rational)> = Vec::with_capacity(terms.len());
        for (m, c) in terms {
            match out.last_mut() {
                Some(last) if last.0 == m => last.1 += c,
                _ => out.push((m, c)),
            }
        }
        out.retain(|t| t.1 != 0);
        Poly { terms: out }
    }

    /// Whether this is the zero polynomial.
    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// The leading monomial.
    pub fn lm(&self) -> Option<Mono> {
        self.terms.first().map(|t| t.0)
    }

    /// The polynomial divided by its leading coefficient.
    pub fn monic(mut self) -> Poly {
        if let Some((_, c)) = self.terms.first() {
            let inv = Rational::from(c.recip_ref());
            for t in &mut self.terms {
                t.1 *= &inv;
            }
        }
        self
    }

    /// The same polynomial sorted for another order.
    pub fn reorder(&self, order: Order) -> Poly {
        Poly::from_terms(order, self.terms.clone())
    }

    /// The product by the monomial `c * m`, or a limit error when degrees overflow.
    pub fn mul_term(&self, m: Mono, c: &Rational) -> Result<Poly, SolveError> {
        let d = total_degree(m) + self.lm().map_or(0, total_degree);
        if d >= MAX_DEGREE {
            return Err(SolveError::Limit { what: "Groebner basis degree", limit: MAX_DEGREE });
        }
        Ok(Poly { terms: self.terms.iter().map(|(t, k)| (t + m, Rational::from(k * c))).collect() })
    }

    /// `self + other` in the given order.
    pub fn add(&self, other: &Poly, order: Order) -> Poly {
        let mut out = Vec::with_capacity(self.terms.len() + other.terms.len());
        let (mut i, mut j) = (0, 0);
        let (a, b) = (&self.terms, &other.terms);
        while i < a.len() && j < b.len() {
            match order.cmp(a[i].0, b[j].0) {
                Ordering::Greater => {
                    out.push(a[i].clone());
                    i += 1;
                }
                Ordering::Less => {
                    out.push(b[j].clone());
                    j += 1;
                }
                Ordering::Equal => {
                    let c = Rational::from(&a[i].1 + &b[j].1);
                    if c != 0 {
                        out.push((a[i].0, c));
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        Poly { terms: out }
    }

    /// The product of two polynomials.
    pub fn mul(&self, other: &Poly, order: Order) -> Result<Poly, SolveError> {
        let mut acc = Poly::zero();
        for (m, c) in &other.terms {
            acc = acc.add(&self.mul_term(*m, c)?, order);
        }
        Ok(acc)
    }
}

/// `p - c * m * g` where the leading term of `c m g` cancels the term of `p` at `skip` (the
/// terms of `p` before `skip` are dropped: they were moved to the remainder).
fn sub_mul(
    p: &[(Mono, Rational)],
    skip: usize,
    g: &Poly,
    m: Mono,
    c: &Rational,
    order: Order,
) -> Vec<(Mono, Rational)> {
    let a = &p[skip + 1..];
    let b = &g.terms[1..];
    let neg = Rational::from(-c);
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let bm = b[j].0 + m;
        match order.cmp(a[i].0, bm) {
            Ordering::Greater => {
                out.push(a[i].clone());
                i += 1;
            }
            Ordering::Less => {
                out.push((bm, Rational::from(&neg * &b[j].1)));
                j += 1;
            }
            Ordering::Equal => {
                let v = Rational::from(&neg * &b[j].1) + &a[i].1;
                if v != 0 {
                    out.push((bm, v));
                }
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend(b[j..].iter().map(|(bm, k)| (bm + m, Rational::from(&neg * k))));
    out
}

/// The full normal form of `p` modulo the monic polynomials `basis` (every term reduced).
pub fn normal_form(p: &Poly, basis: &[&Poly], order: Order) -> Poly {
    let mut rem: Vec<(Mono, Rational)> = Vec::new();
    let mut cur: Vec<(Mono, Rational)> = p.terms.clone();
    let mut pos = 0;
    while pos < cur.len() {
        let (m, c) = (cur[pos].0, cur[pos].1.clone());
        match basis.iter().find(|g| g.lm().is_some_and(|l| divides(l, m))) {
            Some(g) => {
                let q = m - g.terms[0].0;
                let tail = sub_mul(&cur, pos, g, q, &c, order);
                cur = tail;
                pos = 0;
            }
            None => {
                rem.push((m, c));
                pos += 1;
                if pos == cur.len() {
                    break;
                }
                // Keep `cur` from `pos` on: reductions below only touch smaller terms.
                cur.drain(..pos);
                pos = 0;
            }
        }
    }
    Poly { terms: rem }
}

/// Resource limits of the Groebner computation.
#[derive(Clone, Copy, Debug)]
pub struct GroebnerLimits {
    /// The most basis elements kept (including redundant ones during the computation).
    pub max_basis: usize,
    /// The most S-polynomials reduced.
    pub max_pairs: usize,
}

impl Default for GroebnerLimits {
    fn default() -> GroebnerLimits {
        GroebnerLimits { max_basis: 2_000, max_pairs: 50_000 }
    }
}

/// A reduced Groebner basis.
#[derive(Clone, Debug)]
pub struct Groebner {
    /// The number of variables.
    pub nvars: usize,
    /// The order.
    pub order: Order,
    /// The reduced basis, monic, sorted by increasing leading monomial.
    pub basis: Vec<Poly>,
}

struct Pair {
    i: usize,
    j: usize,
    lcm: Mono,
}

impl Groebner {
    /// The reduced Groebner basis of the ideal generated by `gens` (polynomials in `nvars`
    /// variables, any order of their terms).
    pub fn new(gens: &[Poly], nvars: usize, order: Order, limits: &GroebnerLimits) -> Result<Groebner, SolveError> {
        if nvars > MAX_VARS {
            return Err(SolveError::Limit { what: "Groebner basis variables", limit: MAX_VARS as u64 });
        }
        // The computation runs on primitive integer polynomials (`ffree`); every one is a
        // positive rational multiple of the polynomial the same steps give over `Q`.
        let mut g: Vec<Vec<Term>> = Vec::new();
        let mut active: Vec<bool> = Vec::new();
        let mut pairs: Vec<Pair> = Vec::new();
        let mut input: Vec<Vec<Term>> = gens
            .iter()
            .map(|p| p.reorder(order))
            .filter(|p| !p.is_zero())
            .map(|p| ffree::from_rational(&p.terms))
            .collect();
        // Small leading monomials first: they reduce the others.
        input.sort_by(|a, b| order.cmp(a[0].0, b[0].0));
        for p in input {
            let refs = active_refs(&g, &active);
            let h = ffree::normal_form(p, &refs, order);
            if !h.is_empty() {
                update(&mut g, &mut active, &mut pairs, h, nvars);
            }
        }
        let mut reduced = 0usize;
        while !pairs.is_empty() {
            if g.len() > limits.max_basis {
                return Err(SolveError::Limit { what: "Groebner basis size", limit: limits.max_basis as u64 });
            }
            reduced += 1;
            if reduced > limits.max_pairs {
                return Err(SolveError::Limit { what: "Groebner pairs", limit: limits.max_pairs as u64 });
            }
            // Normal strategy: the pair with the smallest lcm.
            let k = (0..pairs.len()).min_by(|&a, &b| order.cmp(pairs[a].lcm, pairs[b].lcm)).unwrap_or(0);
            let pair = pairs.swap_remove(k);
            if total_degree(pair.lcm) >= MAX_DEGREE {
                return Err(SolveError::Limit { what: "Groebner basis degree", limit: MAX_DEGREE });
            }
            let s = ffree::s_poly(&g[pair.i], &g[pair.j], pair.lcm, order);
            let refs = active_refs(&g, &active);
            let h = ffree::normal_form(s, &refs, order);
            if !h.is_empty() {
                if h[0].0 & LOW == 0 {
                    // A non-zero constant: the ideal is the whole ring.
                    return Ok(Groebner {
                        nvars,
                        order,
                        basis: vec![Poly::from_terms(order, vec![(0, Rational::from(1))])],
                    });
                }
                update(&mut g, &mut active, &mut pairs, h, nvars);
            }
        }
        let mut basis: Vec<Vec<Term>> = g.into_iter().zip(active).filter(|(_, a)| *a).map(|(p, _)| p).collect();
        // Minimal basis: drop elements whose leading monomial another one divides.
        basis.sort_by(|a, b| order.cmp(a[0].0, b[0].0));
        let mut minimal: Vec<Vec<Term>> = Vec::new();
        for p in basis {
            if !minimal.iter().any(|q| divides(q[0].0, p[0].0)) {
                minimal.push(p);
            }
        }
        // Interreduce the tails: the leading term is irreducible by the others (the basis is
        // minimal), so the normal form keeps it and reduces the rest.
        let mut out = Vec::with_capacity(minimal.len());
        for i in 0..minimal.len() {
            let others: Vec<&[Term]> =
                minimal.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, p)| p.as_slice()).collect();
            let t = ffree::normal_form(minimal[i].clone(), &others, order);
            out.push(Poly { terms: ffree::to_monic(&t) });
        }
        Ok(Groebner { nvars, order, basis: out })
    }

    /// Whether the ideal is the whole ring (the system has no solution).
    pub fn is_one(&self) -> bool {
        self.basis.len() == 1 && self.basis[0].lm() == Some(0)
    }

    /// The normal form of `p` modulo the basis.
    pub fn reduce(&self, p: &Poly) -> Poly {
        let refs: Vec<&Poly> = self.basis.iter().collect();
        normal_form(&p.reorder(self.order), &refs, self.order)
    }

    /// The leading monomials.
    pub fn leading_monomials(&self) -> Vec<Mono> {
        self.basis.iter().filter_map(Poly::lm).collect()
    }

    /// The standard monomials (not divisible by any leading monomial) when there are finitely
    /// many, at most `limit`: the ideal is zero-dimensional exactly when every variable has a pure
    /// power among the leading monomials. `None` when positive-dimensional or over the limit.
    pub fn standard_monomials(&self, limit: usize) -> Option<Vec<Mono>> {
        let lms = self.leading_monomials();
        for v in 0..self.nvars {
            let pure = lms.iter().any(|&m| exponent(m, v) > 0 && (m & LOW) == exponent(m, v) << (8 * v));
            if !pure {
                return None;
            }
        }
        if self.is_one() {
            return Some(Vec::new());
        }
        let mut out = vec![0u64];
        let mut k = 0;
        while k < out.len() {
            let m = out[k];
            k += 1;
            for v in 0..self.nvars {
                let nm = m + (1u64 << (8 * v)) + (1u64 << 56);
                if total_degree(nm) >= MAX_DEGREE {
                    return None;
                }
                if !lms.iter().any(|&l| divides(l, nm)) && !out.contains(&nm) {
                    out.push(nm);
                    if out.len() > limit {
                        return None;
                    }
                }
            }
        }
        out.sort_by(|a, b| self.order.cmp(*b, *a));
        Some(out)
    }
}

/// The active elements of the basis, in insertion order.
fn active_refs<'a>(g: &'a [Vec<Term>], active: &[bool]) -> Vec<&'a [Term]> {
    g.iter().zip(active).filter(|(_, a)| **a).map(|(p, _)| p.as_slice()).collect()
}

/// Gebauer–Möller `UPDATE`: adds `h` to the basis with the new pairs that survive the criteria,
/// and removes the old pairs and elements that `h` makes redundant.
fn update(g: &mut Vec<Vec<Term>>, active: &mut Vec<bool>, pairs: &mut Vec<Pair>, h: Vec<Term>, n: usize) {
    let lh = h[0].0;
    let k = g.len();
    // Candidate pairs (h, g_i) with their lcms.
    let cands: Vec<(usize, Mono)> = (0..k).filter(|&i| active[i]).map(|i| (i, lcm(lh, g[i][0].0, n))).collect();
    // Chain criterion among the new pairs: keep (h, g_i) unless another candidate's lcm properly
    // divides it (for equal lcms keep one, preferring a coprime pair, which is dropped below).
    let mut kept: Vec<(usize, Mono)> = Vec::new();
    for (idx, &(i, l)) in cands.iter().enumerate() {
        let lm_i = g[i][0].0;
        let redundant = cands.iter().enumerate().any(|(jdx, &(j, lj))| {
            if jdx == idx || !divides(lj, l) {
                return false;
            }
            if lj != l {
                return true;
            }
            // Equal lcms: keep the first one, but a coprime pair wins (it then disappears).
            let cj = coprime(lh, g[j][0].0);
            let ci = coprime(lh, lm_i);
            (cj && !ci) || (cj == ci && jdx < idx)
        });
        if !redundant {
            kept.push((i, l));
        }
    }
    // Product criterion.
    kept.retain(|&(i, _)| !coprime(lh, g[i][0].0));
    // Old pairs that h makes redundant: LM(h) divides their lcm and their lcm differs from both
    // lcm(g_i, h) and lcm(g_j, h).
    pairs.retain(|p| {
        if !divides(lh, p.lcm) {
            return true;
        }
        let li = lcm(g[p.i][0].0, lh, n);
        let lj = lcm(g[p.j][0].0, lh, n);
        li == p.lcm || lj == p.lcm
    });
    for (i, l) in kept {
        pairs.push(Pair { i, j: k, lcm: l });
    }
    // Elements whose leading monomial LM(h) divides are redundant for the basis.
    for i in 0..k {
        if active[i] && divides(lh, g[i][0].0) {
            active[i] = false;
        }
    }
    g.push(h);
    active.push(true);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(order: Order, terms: &[(i64, &[u64])]) -> Poly {
        Poly::from_terms(order, terms.iter().map(|(c, e)| (pack(e).unwrap(), Rational::from(*c))).collect())
    }

    #[test]
    fn packing_orders() {
        let a = pack(&[1, 0, 2]).unwrap();
        let b = pack(&[0, 3, 0]).unwrap();
        // grevlex: same degree, the last variable decides: x z^2 has z^2, so it is smaller.
        assert_eq!(Order::GrevLex.cmp(a, b), Ordering::Less);
        assert_eq!(Order::Lex.cmp(a, b), Ordering::Greater);
        assert!(divides(pack(&[1, 0, 1]).unwrap(), a));
        assert!(!divides(pack(&[0, 1, 0]).unwrap(), a));
        assert_eq!(lcm(a, b, 3), pack(&[1, 3, 2]).unwrap());
    }

    #[test]
    fn basis_of_circle_and_line() {
        // x^2 + y^2 - 1, x - y: lex basis {x - y, y^2 - 1/2}.
        let o = Order::Lex;
        let f = p(o, &[(1, &[2, 0]), (1, &[0, 2]), (-1, &[0, 0])]);
        let g = p(o, &[(1, &[1, 0]), (-1, &[0, 1])]);
        let gb = Groebner::new(&[f, g], 2, o, &GroebnerLimits::default()).unwrap();
        assert_eq!(gb.basis.len(), 2);
        assert_eq!(gb.basis[0].terms.len(), 2);
        assert_eq!(gb.basis[0].lm(), pack(&[0, 2]));
        assert_eq!(gb.basis[0].terms[1].1, Rational::from((-1, 2)));
    }

    #[test]
    fn inconsistent_is_one() {
        let o = Order::GrevLex;
        let f = p(o, &[(1, &[1, 0]), (-1, &[0, 0])]);
        let g = p(o, &[(1, &[1, 0]), (-2, &[0, 0])]);
        let gb = Groebner::new(&[f, g], 2, o, &GroebnerLimits::default()).unwrap();
        assert!(gb.is_one());
    }
}
