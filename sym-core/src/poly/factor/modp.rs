//! Factorisation of square-free polynomials over a prime field `Z/p` (`p` odd) by Cantor and
//! Zassenhaus's method (von zur Gathen and Gerhard, *Modern Computer Algebra*, 3rd ed.):
//!
//! * **distinct-degree factorisation** (Algorithm 14.3): `gcd(x^(p^i) - x, f)` is the product of
//!   the irreducible factors of degree `i`, for `i = 1, 2, ...`, with `x^(p^i) mod f` obtained by
//!   repeated `p`-th powering;
//! * **equal-degree factorisation** (Algorithm 14.8): for a product of irreducibles of degree
//!   `d`, a random `a` splits it with probability at least 1/2 via `gcd(a^((p^d - 1)/2) - 1, f)`.
//!
//! The random choices come from a fixed-seed generator, so results are reproducible.

use crate::poly::ring::{Field, Zp};
use crate::poly::upoly::UPoly;
use rug::Integer;
use rug::ops::Pow;

/// A small deterministic generator (splitmix64).
pub(crate) struct SplitMix(u64);

impl SplitMix {
    /// A generator with the given seed.
    pub(crate) fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// `a * b mod f` for a monic `f`.
pub(crate) fn mulmod(a: &UPoly<Zp>, b: &UPoly<Zp>, f: &UPoly<Zp>) -> UPoly<Zp> {
    a.mul(b).rem(f).expect("nonzero modulus")
}

/// `a^e mod f` for a monic `f`, `e` given as an integer.
pub(crate) fn powmod(a: &UPoly<Zp>, e: &Integer, f: &UPoly<Zp>) -> UPoly<Zp> {
    let ring = *a.ring();
    let mut result = UPoly::one(ring);
    let base = a.rem(f).expect("nonzero modulus");
    for i in (0..e.significant_bits()).rev() {
        result = mulmod(&result, &result, f);
        if e.get_bit(i) {
            result = mulmod(&result, &base, f);
        }
    }
    result
}

/// The distinct-degree factorisation of a monic square-free `f`: pairs `(g_d, d)` where `g_d`
/// is the product of the irreducible factors of degree `d` (only nonconstant `g_d` listed).
pub(crate) fn distinct_degree(f: &UPoly<Zp>) -> Vec<(UPoly<Zp>, usize)> {
    let ring = *f.ring();
    let p = Integer::from(ring.modulus());
    let x = UPoly::x(ring);
    let mut out = Vec::new();
    let mut rest = f.clone();
    let mut h = x.clone();
    let mut i = 0;
    while rest.deg() >= 2 * (i as isize + 1) {
        i += 1;
        h = powmod(&h, &p, &rest);
        let g = h.sub(&x).gcd_euclid(&rest);
        if !g.is_one() {
            rest = rest.div_exact(&g).expect("gcd divides");
            h = h.rem(&rest).expect("nonzero modulus");
            out.push((g, i));
        }
    }
    if rest.deg() > 0 {
        let d = rest.deg() as usize;
        out.push((rest, d));
    }
    out
}

/// Splits a monic product of distinct irreducibles of degree `d` into its factors (odd `p`).
pub(crate) fn equal_degree(f: &UPoly<Zp>, d: usize, rng: &mut SplitMix) -> Vec<UPoly<Zp>> {
    let n = f.deg() as usize;
    if n == d {
        return vec![f.clone()];
    }
    let ring = *f.ring();
    let p = ring.modulus();
    // (p^d - 1) / 2.
    let e = (Integer::from(p).pow(d as u32) - 1u32) / 2u32;
    loop {
        let coeffs: Vec<u64> = (0..n).map(|_| rng.next_u64() % p).collect();
        let a = UPoly::from_coeffs(ring, coeffs);
        if a.deg() < 1 {
            continue;
        }
        let g = a.gcd_euclid(f);
        let split = if !g.is_one() {
            g
        } else {
            let b = powmod(&a, &e, f).sub(&UPoly::one(ring));
            b.gcd_euclid(f)
        };
        if !split.is_one() && split.deg() < f.deg() {
            let other = f.div_exact(&split).expect("factor divides");
            let mut out = equal_degree(&split, d, rng);
            out.extend(equal_degree(&other, d, rng));
            return out;
        }
    }
}

/// The monic irreducible factors of a monic square-free `f` over `Z/p` (`p` odd), sorted by
/// degree and then coefficients.
pub(crate) fn factor_squarefree_monic(f: &UPoly<Zp>, seed: u64) -> Vec<UPoly<Zp>> {
    let mut rng = SplitMix::new(seed ^ f.ring().modulus());
    let mut out = Vec::new();
    for (g, d) in distinct_degree(f) {
        out.extend(equal_degree(&g, d, &mut rng));
    }
    out.sort_by(|a, b| a.deg().cmp(&b.deg()).then_with(|| a.coeffs().cmp(b.coeffs())));
    out
}

/// Whether `f` (nonzero) is square-free over `Z/p`: `gcd(f, f') = 1`.
pub(crate) fn is_squarefree(f: &UPoly<Zp>) -> bool {
    let d = f.derivative();
    !d.is_zero() && f.gcd_euclid(&d).is_one()
}

impl UPoly<Zp> {
    /// The monic irreducible factors of a square-free polynomial over `Z/p` for odd `p`
    /// (Cantor–Zassenhaus), with the leading coefficient as the first element of the pair.
    /// Errors when `p = 2` or the polynomial is zero or not square-free.
    pub fn factor_squarefree(&self) -> Result<(u64, Vec<UPoly<Zp>>), crate::poly::PolyError> {
        let ring = *self.ring();
        if ring.modulus() == 2 {
            return Err(crate::poly::PolyError::Unsupported {
                op: "factor_squarefree",
                why: "Cantor-Zassenhaus splitting needs an odd characteristic",
            });
        }
        if self.is_zero() {
            return Err(crate::poly::PolyError::Unsupported {
                op: "factor_squarefree",
                why: "the zero polynomial has no factorisation",
            });
        }
        let lc = self.lc();
        if self.deg() == 0 {
            return Ok((lc, Vec::new()));
        }
        if !is_squarefree(self) {
            return Err(crate::poly::PolyError::Unsupported {
                op: "factor_squarefree",
                why: "the polynomial is not square-free",
            });
        }
        let monic = self.scale(&ring.inv(&lc).expect("nonzero"));
        Ok((lc, factor_squarefree_monic(&monic, 0x5eed)))
    }
}
