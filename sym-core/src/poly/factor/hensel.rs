//! Multifactor Hensel lifting: from `f = lc(f) g_1 ... g_r mod p` (the `g_i` monic and pairwise
//! coprime mod `p`) to the same factorisation modulo `M = p^(2^k)`.
//!
//! The factors are split into two halves `G`, `H` recursively (a factor tree, von zur Gathen and
//! Gerhard, *Modern Computer Algebra*, Algorithm 15.17); each split is lifted quadratically by the
//! Hensel step (Algorithm 15.10): from `f = g h`, `s g + t h = 1` modulo `m`, with
//! `e = f - g h`, `(q, r) = divrem(s e, h)`:
//!
//! ```text
//! g* = g + t e + q g,   h* = h + r,
//! b = s g* + t h* - 1,  (c, d) = divrem(s b, h*),
//! s* = s - d,           t* = t - t b - c g*        (all mod m^2),
//! ```
//!
//! which keeps `h` monic and doubles the precision.

use crate::poly::ring::{Field, Int, IntegerRing, Zp};
use crate::poly::upoly::UPoly;
use rug::Integer;
use rug::ops::RemRounding;

/// Coefficients reduced into `[0, m)`.
pub(crate) fn reduce(p: &UPoly<IntegerRing>, m: &Integer) -> UPoly<IntegerRing> {
    p.map_coeffs(IntegerRing, |c| Int::from(c.to_integer().rem_euc(m)))
}

/// Coefficients reduced into the symmetric range `(-m/2, m/2]`.
pub(crate) fn reduce_symmetric(p: &UPoly<IntegerRing>, m: &Integer) -> UPoly<IntegerRing> {
    p.map_coeffs(IntegerRing, |c| Int::from(crate::poly::upoly::symmetric_mod(&c.to_integer(), m)))
}

/// A polynomial over `Z/p` as an integer polynomial with coefficients in `[0, p)`.
pub(crate) fn lift_coeffs(p: &UPoly<Zp>) -> UPoly<IntegerRing> {
    p.map_coeffs(IntegerRing, |c| Int::from(*c))
}

/// An integer polynomial reduced modulo `p`.
pub(crate) fn to_zp(f: &UPoly<IntegerRing>, p: Zp) -> UPoly<Zp> {
    let m = p.modulus();
    f.map_coeffs(p, |c| c.rem_u64(m))
}

/// The inverse of `a` modulo `m` (which must exist).
fn inverse_mod(a: &Integer, m: &Integer) -> Integer {
    a.clone().invert(m).expect("invariant: the leading coefficient is a unit mod p")
}

/// One quadratic Hensel step (see the module documentation), modulo `mm = m^2`.
fn hensel_step(
    f: &UPoly<IntegerRing>,
    g: &UPoly<IntegerRing>,
    h: &UPoly<IntegerRing>,
    s: &UPoly<IntegerRing>,
    t: &UPoly<IntegerRing>,
    mm: &Integer,
) -> [UPoly<IntegerRing>; 4] {
    let e = reduce(&f.sub(&g.mul(h)), mm);
    let (q, r) = reduce(&s.mul(&e), mm).divrem(h).expect("h is monic");
    let (q, r) = (reduce(&q, mm), reduce(&r, mm));
    let g2 = reduce(&g.add(&t.mul(&e)).add(&q.mul(g)), mm);
    let h2 = reduce(&h.add(&r), mm);
    let b = reduce(&s.mul(&g2).add(&t.mul(&h2)).sub(&UPoly::one(IntegerRing)), mm);
    let (c, d) = reduce(&s.mul(&b), mm).divrem(&h2).expect("h is monic");
    let (c, d) = (reduce(&c, mm), reduce(&d, mm));
    let s2 = reduce(&s.sub(&d), mm);
    let t2 = reduce(&t.sub(&t.mul(&b)).sub(&c.mul(&g2)), mm);
    [g2, h2, s2, t2]
}

/// Lifts `f = lc(f) prod g_i (mod p)` to modulus `M = p^(2^k)`, returning the monic lifted
/// factors (coefficients in `[0, M)`), in the order of `factors`.
pub(crate) fn lift(f: &UPoly<IntegerRing>, factors: &[UPoly<Zp>], p: Zp, big_m: &Integer) -> Vec<UPoly<IntegerRing>> {
    let mut out = Vec::with_capacity(factors.len());
    lift_tree(&reduce(f, big_m), factors, p, big_m, &mut out);
    out
}

fn lift_tree(f: &UPoly<IntegerRing>, factors: &[UPoly<Zp>], p: Zp, big_m: &Integer, out: &mut Vec<UPoly<IntegerRing>>) {
    let lc = f.lc().to_integer();
    if factors.len() == 1 {
        let inv = Int::from(inverse_mod(&lc, big_m));
        out.push(reduce(&f.scale(&inv), big_m));
        return;
    }
    let (left, right) = factors.split_at(factors.len() / 2);
    let product = |fs: &[UPoly<Zp>]| fs.iter().fold(UPoly::one(p), |acc, g| acc.mul(g));
    let gp = product(left);
    let hp = product(right);
    let (one, sp, tp) = gp.ext_gcd(&hp);
    debug_assert!(one.is_one(), "modular factors must be coprime");
    let lc_mod_p = Int::from(&lc).rem_u64(p.modulus());
    // f = (lc G) H mod p, with H monic.
    let mut g = lift_coeffs(&gp.scale(&lc_mod_p));
    let mut h = lift_coeffs(&hp);
    // s (lc G) + t H = 1 mod p: s = sp / lc.
    let inv_lc = p.inv(&lc_mod_p).expect("lc is a unit mod p");
    let mut s = lift_coeffs(&sp.scale(&inv_lc));
    let mut t = lift_coeffs(&tp);
    let mut m = Integer::from(p.modulus());
    while m < *big_m {
        let mm = Integer::from(&m * &m);
        [g, h, s, t] = hensel_step(f, &g, &h, &s, &t, &mm);
        m = mm;
    }
    let inv = Int::from(inverse_mod(&lc, big_m));
    let g_monic = reduce(&g.scale(&inv), big_m);
    lift_tree(&g_monic, left, p, big_m, out);
    lift_tree(&h, right, p, big_m, out);
}
