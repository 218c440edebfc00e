//! The canonical order of roots (the index order of `RootOf`), decided with certified
//! precision.
//!
//! # The order
//!
//! Real roots come first, in ascending order; then the non-real roots by ascending real part, and
//! roots with equal real parts by ascending imaginary part (so a conjugate pair lists the root
//! with negative imaginary part first). Roots are distinct (multiple roots appear once, with
//! their multiplicity).
//!
//! # Deciding it
//!
//! The roots are sorted by their midpoints, and the order of each adjacent pair is then proven:
//!
//! * real and non-real: by the certified realness flags;
//! * two real roots, or two non-real roots whose real-part ranges `[Re m - r, Re m + r]` are
//!   disjoint: by the disjoint ranges;
//! * two non-real roots whose real parts are *proven equal* and whose imaginary-part ranges are
//!   disjoint: by the imaginary parts.
//!
//! Real parts are proven equal in two ways. Conjugate roots of one factor carry exactly
//! conjugate discs by construction (module `certify`), and a disc and its mirror image each hold
//! exactly one root of the factor, so the two roots are conjugate and share their real part.
//! Otherwise, a rational real part is detected exactly: if `r` is a root of a primitive `f` in
//! `Z[x]` with leading coefficient `L`, then `L r` and `L conj(r)` are algebraic integers, so a
//! rational `Re r` lies in `(1 / 2L) Z`. When the real-part range of `r` contains exactly one such
//! candidate `c`, the real roots `s` of `G = gcd(Re f(c + iy), Im f(c + iy) / y)` (in `Q[y]`) are
//! exactly the `s` with `f(c + is) = 0`; if one of them, isolated and refined in exact
//! arithmetic, gives a segment `c + i[s_lo, s_hi]` inside the disc of `r` (which holds a single
//! root of `f`), then `r = c + is` and `Re r = c` exactly.
//!
//! Adjacent pairs that are not decided are refined (the precision doubles each round) until they
//! are. Distinct real parts are always separated eventually; equal irrational real parts of
//! non-conjugate roots (for example the roots `sqrt(2) +- i` and `sqrt(2) +- 2i` of one
//! polynomial) are not detected, and then [`RootsError::OrderUndecided`] is returned when the
//! precision limit is reached.

use super::RootLimits;
use super::complex::CertifiedRoot;
use super::error::RootsError;
use super::mag::Mag;
use super::real::isolate_real_roots_with;
use rug::float::Round;
use rug::{Float, Integer, Rational};
use std::cmp::Ordering;
use std::sync::Arc;
use sym_core::poly::{RationalField, UPoly};

/// Upper end of the real range of a root: `Re m + r`, rounded up.
fn re_hi(r: &CertifiedRoot) -> Float {
    Float::with_val_round(r.re.prec() + 8, &r.re + &r.rad.to_float(), Round::Up).0
}

/// Lower end of the real range of a root: `Re m - r`, rounded down.
fn re_lo(r: &CertifiedRoot) -> Float {
    Float::with_val_round(r.re.prec() + 8, &r.re - &r.rad.to_float(), Round::Down).0
}

fn im_hi(r: &CertifiedRoot) -> Float {
    Float::with_val_round(r.im.prec() + 8, &r.im + &r.rad.to_float(), Round::Up).0
}

fn im_lo(r: &CertifiedRoot) -> Float {
    Float::with_val_round(r.im.prec() + 8, &r.im - &r.rad.to_float(), Round::Down).0
}

/// Whether `a` and `b` are proven conjugates (see the module docs).
fn conjugates(a: &CertifiedRoot, b: &CertifiedRoot) -> bool {
    !a.real && !b.real && Arc::ptr_eq(&a.factor, &b.factor) && a.re == b.re && a.im == -b.im.clone() && a.rad == b.rad
}

/// The exact real part of a non-real root when it is rational and detectable at the current
/// precision (see the module docs).
fn rational_real_part(r: &CertifiedRoot, limits: &RootLimits) -> Option<Rational> {
    let l2 = Integer::from(r.factor.lc() * 2u32);
    let lo = re_lo(r).to_rational()? * &l2;
    let hi = re_hi(r).to_rational()? * &l2;
    let t_lo = Integer::from(lo.ceil_ref());
    let t_hi = Integer::from(hi.floor_ref());
    if t_lo != t_hi {
        return None;
    }
    let c = Rational::from((t_lo, l2));
    let fq: UPoly<RationalField> = r.factor.poly.to_rational();
    let g = fq.taylor_shift(&c);
    // g(iy) = E(y) + i y O(y).
    let mut e = Vec::new();
    let mut o = Vec::new();
    for (k, gk) in g.coeffs().iter().enumerate() {
        let sign = if (k / 2) % 2 == 0 { 1 } else { -1 };
        let v = Rational::from(gk * sign);
        if k % 2 == 0 {
            e.push(v);
            if k > 0 {
                o.push(Rational::new());
            }
        } else {
            o.push(v);
            e.push(Rational::new());
        }
    }
    // Odd coefficients: y^k = y * y^(k-1); o holds the coefficient of y^(k-1).
    let e = UPoly::from_coeffs(RationalField, e);
    let o = UPoly::from_coeffs(RationalField, o);
    let gcd = e.gcd(&o);
    if gcd.deg() < 1 {
        return None;
    }
    let roots = isolate_real_roots_with(&gcd, limits).ok()?;
    let target_bits = {
        // Refine the imaginary segments well below the disc radius.
        let (_, e) = r.rad.to_float().to_f64_exp();
        (-i64::from(e) + 12).max(1) as u32
    };
    for mut s in roots {
        s.refine_to_bits(target_bits);
        let inside = |y: &Rational| r.disc_contains(&c, y);
        if inside(s.lo()) && inside(s.hi()) {
            return Some(c);
        }
    }
    None
}

/// The proven order of two adjacent roots, or `None` when undecided at this precision.
fn decide(a: &CertifiedRoot, b: &CertifiedRoot) -> Option<Ordering> {
    match (a.real, b.real) {
        (true, false) => return Some(Ordering::Less),
        (false, true) => return Some(Ordering::Greater),
        _ => {}
    }
    if let (Some(x), Some(y)) = (&a.exact, &b.exact) {
        return Some(x.cmp(y));
    }
    if re_hi(a) < re_lo(b) {
        return Some(Ordering::Less);
    }
    if re_hi(b) < re_lo(a) {
        return Some(Ordering::Greater);
    }
    if a.real {
        return None;
    }
    let equal_re = conjugates(a, b) || matches!((&a.re_exact, &b.re_exact), (Some(x), Some(y)) if x == y);
    if !equal_re {
        return None;
    }
    if im_hi(a) < im_lo(b) {
        return Some(Ordering::Less);
    }
    if im_hi(b) < im_lo(a) {
        return Some(Ordering::Greater);
    }
    None
}

/// The sort key: real roots first, then the real part (the proven rational value when known,
/// else the midpoint), then the imaginary part; all as exact rationals, so the order is total.
fn sort_key(r: &CertifiedRoot) -> (bool, Rational, Rational) {
    let q = |x: &Float| x.to_rational().expect("finite midpoint");
    let re = match (&r.exact, &r.re_exact) {
        (Some(x), _) | (None, Some(x)) => x.clone(),
        _ => q(&r.re),
    };
    (!r.real, re, q(&r.im))
}

/// Moves the midpoint's real part onto the proven rational real part `c` (rounded): with
/// `Re r = c`, `|r - (c' + i m)| <= |c - c'| + |Im r - m| <= |c - c'| + rad`, so the radius grows
/// by the rounding error `|c - c'|` only (zero for dyadic `c` that fit the precision).
fn snap_real_part(r: &mut CertifiedRoot) {
    let Some(c) = &r.re_exact else { return };
    let re = Float::with_val(r.re.prec(), c);
    let err = (re.to_rational().expect("finite") - c).abs();
    if !err.is_zero() {
        let e = Mag::from_float_up(&Float::with_val_round(53, &err, Round::Up).0);
        r.rad = r.rad.add_up(e);
    }
    r.re = re;
}

/// Whether the real ranges of two roots overlap.
fn re_overlap(a: &CertifiedRoot, b: &CertifiedRoot) -> bool {
    !(re_hi(a) < re_lo(b) || re_hi(b) < re_lo(a))
}

/// Sorts distinct certified roots into the canonical order, refining where needed.
pub(crate) fn canonical_sort(roots: &mut [CertifiedRoot], bits: u32, limits: &RootLimits) -> Result<(), RootsError> {
    let mut bits = bits;
    loop {
        roots.sort_by_cached_key(sort_key);
        // Prove rational real parts where non-conjugate non-real neighbours overlap.
        let mut retry = false;
        for i in 1..roots.len() {
            let (a, b) = (&roots[i - 1], &roots[i]);
            if !a.real && !b.real && !conjugates(a, b) && re_overlap(a, b) {
                for k in [i - 1, i] {
                    if roots[k].re_exact.is_none() {
                        roots[k].re_exact = rational_real_part(&roots[k], limits);
                        retry |= roots[k].re_exact.is_some();
                        snap_real_part(&mut roots[k]);
                    }
                }
            }
        }
        if retry {
            // A proven real part is shared with the conjugate partner.
            for i in 0..roots.len() {
                if roots[i].re_exact.is_some() {
                    continue;
                }
                if let Some(j) = (0..roots.len()).find(|&j| j != i && conjugates(&roots[i], &roots[j])) {
                    roots[i].re_exact = roots[j].re_exact.clone();
                    snap_real_part(&mut roots[i]);
                }
            }
            roots.sort_by_cached_key(sort_key);
        }
        let mut undecided = vec![false; roots.len()];
        for i in 1..roots.len() {
            if decide(&roots[i - 1], &roots[i]) != Some(Ordering::Less) {
                undecided[i - 1] = true;
                undecided[i] = true;
            }
        }
        if !undecided.iter().any(|&u| u) {
            return Ok(());
        }
        bits = bits.saturating_mul(2);
        if bits > limits.max_precision {
            return Err(RootsError::OrderUndecided { bits: bits / 2 });
        }
        // Refine the undecided roots; a conjugate partner is mirrored rather than refined.
        for i in 0..roots.len() {
            if !undecided[i] {
                continue;
            }
            let partner = (0..roots.len()).find(|&j| j != i && conjugates(&roots[i], &roots[j]));
            if let Some(j) = partner
                && j < i
                && undecided[j]
            {
                continue; // Already refined together with j.
            }
            roots[i].refine_bits(bits, limits)?;
            if let Some(j) = partner {
                let (re, im, rad) = (roots[i].re.clone(), roots[i].im.clone(), roots[i].rad);
                roots[j].re = re;
                roots[j].im = -im;
                roots[j].rad = rad;
            }
        }
    }
}
