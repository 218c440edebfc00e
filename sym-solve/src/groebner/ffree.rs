//! Fraction-free arithmetic for the Groebner computation: primitive polynomials over `Z`.
//!
//! Every non-zero `f ∈ Q[x]` is `λ f̃` with `λ ∈ Q` and `f̃ ∈ Z[x]` primitive (its coefficients
//! have no common factor) with a positive leading coefficient, and `f` and `f̃` generate the same
//! ideal. The Groebner computation keeps only such `f̃`. Reducing `p` at a term `c m` by `g` with
//! `LT(g) = a M`, `M | m`, `a > 0`, is
//!
//! ```text
//!   p' = (a/d) p - (c/d) (m/M) g,   d = gcd(a, c),
//! ```
//!
//! which cancels the term and equals `(a/d) (p - (c/a) (m/M) g)`: a positive multiple of the
//! reduction over `Q`. So every normal form computed here is a positive rational multiple of the
//! one over `Q` with the same choice of reducers, the leading monomials and the pairs are the
//! same, and the monic basis read off at the end ([`to_monic`]) is the same reduced basis. The
//! gain is in the arithmetic: integers instead of rationals (no GCD of numerator and denominator
//! after every operation), held in machine words while they fit (`Int`'s `i64` path with `i128`
//! intermediates, GMP only on overflow). Coefficient growth from the factors `a/d` is removed by
//! dividing by the content at the end of every normal form, and before that whenever a
//! coefficient leaves the machine word.

use super::{Mono, Order, divides};
use rug::{Integer, Rational};
use std::cmp::Ordering;
use sym_core::poly::Int;

/// A term: a packed monomial and an integer coefficient.
pub(crate) type Term = (Mono, Int);

/// `s x - t y`, in machine words when the result fits.
#[inline]
fn lin(s: &Int, x: &Int, t: &Int, y: &Int) -> Int {
    if let (Some(s), Some(x), Some(t), Some(y)) = (s.as_i64(), x.as_i64(), t.as_i64(), y.as_i64()) {
        // Each product fits an i128; only their difference can overflow.
        if let Some(r) = (i128::from(s) * i128::from(x)).checked_sub(i128::from(t) * i128::from(y)) {
            return Int::from(r);
        }
    }
    let mut r = s * x;
    r.sub_mul(t, y);
    r
}

/// `-t y`.
#[inline]
fn neg_mul(t: &Int, y: &Int) -> Int {
    let mut r = Int::ZERO;
    r.sub_mul(t, y);
    r
}

/// Appends `s (ma * a) - t (mb * b)` to `out` (both inputs in decreasing order, the shifts
/// `ma`, `mb` monomials; the order is compatible with multiplication, so shifting keeps the order).
/// Returns whether some coefficient of the result left the machine word.
fn combine(a: &[Term], ma: Mono, s: &Int, b: &[Term], mb: Mono, t: &Int, order: Order, out: &mut Vec<Term>) -> bool {
    out.reserve(a.len() + b.len());
    let s_one = s.is_one();
    let (mut i, mut j) = (0, 0);
    let mut big = false;
    while i < a.len() && j < b.len() {
        let am = a[i].0 + ma;
        let bm = b[j].0 + mb;
        match order.cmp(am, bm) {
            Ordering::Greater => {
                let c = if s_one { a[i].1.clone() } else { s * &a[i].1 };
                big |= c.as_i64().is_none();
                out.push((am, c));
                i += 1;
            }
            Ordering::Less => {
                let c = neg_mul(t, &b[j].1);
                big |= c.as_i64().is_none();
                out.push((bm, c));
                j += 1;
            }
            Ordering::Equal => {
                let c = lin(s, &a[i].1, t, &b[j].1);
                if !c.is_zero() {
                    big |= c.as_i64().is_none();
                    out.push((am, c));
                }
                i += 1;
                j += 1;
            }
        }
    }
    for (m, k) in &a[i..] {
        let c = if s_one { k.clone() } else { s * k };
        big |= c.as_i64().is_none();
        out.push((m + ma, c));
    }
    for (m, k) in &b[j..] {
        let c = neg_mul(t, k);
        big |= c.as_i64().is_none();
        out.push((m + mb, c));
    }
    big
}

/// The positive content (GCD of the coefficients) of the terms of both slices; one when empty.
fn content(a: &[Term], b: &[Term]) -> Int {
    let mut g = Int::ZERO;
    for (_, c) in a.iter().chain(b) {
        g = g.gcd(c);
        if g.is_one() {
            break;
        }
    }
    if g.is_zero() { Int::ONE } else { g }
}

fn divide_all(terms: &mut [Term], d: &Int) {
    for t in terms {
        t.1 = t.1.div_exact(d);
    }
}

/// Makes `terms` primitive with a positive leading coefficient.
pub(crate) fn make_primitive(terms: &mut [Term]) {
    let mut g = content(terms, &[]);
    if terms.first().is_some_and(|t| t.1.is_negative()) {
        g = -g;
    }
    if !g.is_one() {
        divide_all(terms, &g);
    }
}

/// The S-polynomial `(b/d) (L/LM f) f - (a/d) (L/LM g) g` of two primitive polynomials with
/// leading coefficients `a`, `b > 0`, `d = gcd(a, b)`, `L` the lcm of their leading monomials.
pub(crate) fn s_poly(f: &[Term], g: &[Term], l: Mono, order: Order) -> Vec<Term> {
    let (a, b) = (&f[0].1, &g[0].1);
    let d = a.gcd(b);
    let (s, t) = (b.div_exact(&d), a.div_exact(&d));
    let mut out = Vec::new();
    combine(&f[1..], l - f[0].0, &s, &g[1..], l - g[0].0, &t, order, &mut out);
    out
}

/// The full normal form of `p` modulo `basis` (primitive polynomials with positive leading
/// coefficients), up to a positive rational factor: every term is reduced, the reducer of a
/// term is the first basis element whose leading monomial divides it, and the result is
/// primitive with a positive leading coefficient (empty when `p` reduces to zero).
pub(crate) fn normal_form(p: Vec<Term>, basis: &[&[Term]], order: Order) -> Vec<Term> {
    let mut rem: Vec<Term> = Vec::new();
    let mut cur = p;
    let mut next: Vec<Term> = Vec::new();
    let mut pos = 0;
    while pos < cur.len() {
        let m = cur[pos].0;
        match basis.iter().find(|g| divides(g[0].0, m)) {
            Some(g) => {
                let (a, c) = (&g[0].1, &cur[pos].1);
                let d = a.gcd(c);
                let (s, t) = (a.div_exact(&d), c.div_exact(&d));
                if !s.is_one() {
                    for r in &mut rem {
                        r.1 = &r.1 * &s;
                    }
                }
                next.clear();
                let big = combine(&cur[pos + 1..], 0, &s, &g[1..], m - g[0].0, &t, order, &mut next);
                std::mem::swap(&mut cur, &mut next);
                pos = 0;
                if big {
                    // Keep the coefficients small: the content of what is there so far.
                    let k = content(&rem, &cur);
                    if !k.is_one() {
                        divide_all(&mut rem, &k);
                        divide_all(&mut cur, &k);
                    }
                }
            }
            None => {
                rem.push((m, std::mem::take(&mut cur[pos].1)));
                pos += 1;
            }
        }
    }
    make_primitive(&mut rem);
    rem
}

/// The primitive integer polynomial with positive leading coefficient that is a rational
/// multiple of the terms `p` (sorted, non-zero coefficients).
pub(crate) fn from_rational(p: &[(Mono, Rational)]) -> Vec<Term> {
    let mut den = Integer::from(1);
    for (_, c) in p {
        den.lcm_mut(c.denom());
    }
    let mut out: Vec<Term> = p
        .iter()
        .map(|(m, c)| {
            let k = Integer::from(&den / c.denom()) * c.numer();
            (*m, Int::from(k))
        })
        .collect();
    make_primitive(&mut out);
    out
}

/// The monic rational polynomial of a non-empty primitive one.
pub(crate) fn to_monic(p: &[Term]) -> Vec<(Mono, Rational)> {
    let lc = p[0].1.to_integer();
    p.iter().map(|(m, c)| (*m, Rational::from((c.to_integer(), lc.clone())))).collect()
}
