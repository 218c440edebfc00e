//! Greatest common divisors of univariate polynomials.
//!
//! * Over a field: Euclid's algorithm, and the extended version `s a + t b = gcd(a, b)`.
//! * Over a GCD domain (for example `Q[a, b]`): the subresultant PRS (Collins 1967, Brown and
//!   Traub 1971; Cohen, *A Course in Computational Algebraic Number Theory*, Algorithm 3.3.1),
//!   whose coefficients stay polynomial in size because each remainder is divided by the
//!   predictable factor `g h^delta`.
//! * Over `Z`: the modular algorithm (Brown 1971; Geddes, Czapor and Labahn, *Algorithms for
//!   Computer Algebra*, Algorithm 7.1 in one variable): for primes `p` near `2^62` not dividing the
//!   leading coefficients, the monic gcd mod `p` is scaled so that its leading coefficient is
//!   `gamma = gcd(lc a, lc b)`, images of the least degree are combined by the Chinese remainder
//!   theorem in the symmetric range, and the candidate's primitive part is tested by exact
//!   division after each image (a divisor of both inputs whose degree is the least degree seen
//!   mod p is the gcd). A prime whose image has degree zero proves the
//!   gcd is the integer content, which makes coprime inputs (the common case) cost one gcd mod p.
//! * Over `Q`: denominators are cleared and the `Z` algorithm runs; the result is made monic.
//!
//! The [`PolyGcd`] trait is the per-ring dispatch: every coefficient ring picks its algorithm.

use super::UPoly;
use crate::poly::gcd::mpoly_gcd_generic;
use crate::poly::monomial::MonomialOrder;
use crate::poly::mpoly::MPoly;
use crate::poly::ring::{Field, GcdDomain, Int, IntegerRing, RationalField, Zp};
use rug::ops::RemRounding;
use rug::{Integer, Rational};

/// Rings with polynomial GCD algorithms (the dispatch point for choosing one per ring).
pub trait PolyGcd: GcdDomain {
    /// The normalised gcd of two univariate polynomials (leading coefficient normalised, see
    /// [`GcdDomain::normalize`]); zero only when both are zero.
    fn upoly_gcd(a: &UPoly<Self>, b: &UPoly<Self>) -> UPoly<Self> {
        subresultant_gcd(a, b)
    }

    /// The normalised gcd of two multivariate polynomials (leading coefficient, in the
    /// polynomials' order, normalised).
    fn mpoly_gcd<O: MonomialOrder>(a: &MPoly<Self, O>, b: &MPoly<Self, O>) -> MPoly<Self, O> {
        mpoly_gcd_generic(a, b)
    }
}

impl<R: GcdDomain> UPoly<R> {
    /// The gcd of the coefficients (normalised; zero for zero).
    pub fn content(&self) -> R::Elem {
        let ring = &self.ring;
        let mut g = ring.zero();
        for c in self.coeffs.iter().rev() {
            g = ring.gcd(&g, c);
            if ring.is_one(&g) {
                break;
            }
        }
        g
    }

    /// The primitive part, with normalised leading coefficient (zero for zero).
    pub fn primitive_part(&self) -> Self {
        self.content_primitive().1
    }

    /// `(c, p)` with `self = c * p`, `p` primitive with normalised leading coefficient.
    pub fn content_primitive(&self) -> (R::Elem, Self) {
        let ring = &self.ring;
        if self.is_zero() {
            return (ring.zero(), self.clone());
        }
        let c = self.content();
        let u = ring.unit_part(&self.lc());
        let cu = ring.mul(&c, &u);
        let p = self.div_scalar(&cu).expect("invariant: the content divides every coefficient");
        (cu, p)
    }

    /// This polynomial divided by the unit part of its leading coefficient.
    pub fn normalize(&self) -> Self {
        if self.is_zero() {
            return self.clone();
        }
        let u = self.ring.unit_part(&self.lc());
        self.div_scalar(&u).expect("invariant: units divide")
    }
}

impl<R: PolyGcd> UPoly<R> {
    /// The normalised greatest common divisor.
    pub fn gcd(&self, other: &Self) -> Self {
        assert!(self.ring == other.ring, "polynomials over different rings");
        R::upoly_gcd(self, other)
    }

    /// The normalised least common multiple.
    pub fn lcm(&self, other: &Self) -> Self {
        if self.is_zero() || other.is_zero() {
            return UPoly::zero(self.ring.clone());
        }
        let g = self.gcd(other);
        self.div_exact(&g).expect("invariant: the gcd divides").mul(other).normalize()
    }
}

impl<R: Field> UPoly<R> {
    /// This polynomial divided by its leading coefficient (zero stays zero).
    pub fn monic(&self) -> Self {
        if self.is_zero() || self.is_monic() {
            return self.clone();
        }
        let inv = self.ring.inv(&self.lc()).expect("nonzero leading coefficient");
        self.scale(&inv)
    }

    /// The monic gcd by Euclid's algorithm (remainders computed in place).
    pub fn gcd_euclid(&self, other: &Self) -> Self {
        let ring = &self.ring;
        let mut a = self.coeffs.clone();
        let mut b = other.coeffs.clone();
        while !b.is_empty() {
            let db = b.len() - 1;
            let inv = ring.inv(&b[db]).expect("nonzero leading coefficient");
            // a := a mod b.
            for i in (db..a.len()).rev() {
                if ring.is_zero(&a[i]) {
                    continue;
                }
                let c = ring.mul(&a[i], &inv);
                for (j, bj) in b[..db].iter().enumerate() {
                    ring.sub_mul_assign(&mut a[i - db + j], &c, bj);
                }
            }
            a.truncate(db);
            while a.last().is_some_and(|c| ring.is_zero(c)) {
                a.pop();
            }
            std::mem::swap(&mut a, &mut b);
        }
        UPoly::from_coeffs(ring.clone(), a).monic()
    }

    /// `(g, s, t)` with `s self + t other = g`, `g` the monic gcd (`g = 0` when both are zero),
    /// `deg s < deg other - deg g` and `deg t < deg self - deg g` when the degrees allow.
    pub fn ext_gcd(&self, other: &Self) -> (Self, Self, Self) {
        let ring = self.ring.clone();
        let (mut r0, mut r1) = (self.clone(), other.clone());
        let (mut s0, mut s1) = (UPoly::one(ring.clone()), UPoly::zero(ring.clone()));
        let (mut t0, mut t1) = (UPoly::zero(ring.clone()), UPoly::one(ring.clone()));
        while !r1.is_zero() {
            let (q, r) = r0.divrem(&r1).expect("nonzero divisor over a field");
            r0 = std::mem::replace(&mut r1, r);
            let s = s0.sub(&q.mul(&s1));
            s0 = std::mem::replace(&mut s1, s);
            let t = t0.sub(&q.mul(&t1));
            t0 = std::mem::replace(&mut t1, t);
        }
        if r0.is_zero() {
            return (r0, s0, t0);
        }
        let inv = ring.inv(&r0.lc()).expect("nonzero leading coefficient");
        (r0.scale(&inv), s0.scale(&inv), t0.scale(&inv))
    }
}

/// The subresultant gcd over a GCD domain (Cohen, Algorithm 3.3.1), normalised.
pub fn subresultant_gcd<R: GcdDomain>(a: &UPoly<R>, b: &UPoly<R>) -> UPoly<R> {
    let ring = a.ring.clone();
    if a.is_zero() {
        return b.normalize();
    }
    if b.is_zero() {
        return a.normalize();
    }
    let (mut aa, mut bb) = if a.deg() >= b.deg() { (a.clone(), b.clone()) } else { (b.clone(), a.clone()) };
    let (ca, pa) = aa.content_primitive();
    let (cb, pb) = bb.content_primitive();
    let d = ring.gcd(&ca, &cb);
    aa = pa;
    bb = pb;
    let mut g = ring.one();
    let mut h = ring.one();
    loop {
        let delta = (aa.deg() - bb.deg()) as u64;
        let r = aa.pseudo_rem(&bb).expect("nonzero divisor");
        if r.is_zero() {
            break;
        }
        if r.deg() == 0 {
            bb = UPoly::one(ring.clone());
            break;
        }
        aa = bb;
        let divisor = ring.mul(&g, &ring.pow(&h, delta));
        bb = r.div_scalar(&divisor).expect("invariant: subresultant division is exact");
        g = aa.lc();
        h = match delta {
            0 => h,
            1 => g.clone(),
            _ => ring
                .try_div(&ring.pow(&g, delta), &ring.pow(&h, delta - 1))
                .expect("invariant: subresultant division is exact"),
        };
    }
    bb.primitive_part().scale(&d).normalize()
}

/// The symmetric representative of `x mod m` (in `(-m/2, m/2]`).
pub(crate) fn symmetric_mod(x: &Integer, m: &Integer) -> Integer {
    let mut r = x.clone().rem_euc(m);
    let half = Integer::from(m >> 1u32);
    if r > half {
        r -= m;
    }
    r
}

/// The eight largest primes below `2^62`, descending (checked by a test). Most GCDs need one or
/// two primes; finding them by trial costs about 20 Miller–Rabin tests each, which dominated
/// small GCDs.
const TOP_PRIMES: [u64; 8] = [
    4_611_686_018_427_387_847,
    4_611_686_018_427_387_817,
    4_611_686_018_427_387_787,
    4_611_686_018_427_387_761,
    4_611_686_018_427_387_751,
    4_611_686_018_427_387_737,
    4_611_686_018_427_387_733,
    4_611_686_018_427_387_709,
];

/// An iterator over primes descending from just below `2^62`.
pub(crate) struct PrimeStream {
    next: u64,
    table: usize,
}

impl PrimeStream {
    /// Primes below `2^62`, largest first.
    pub(crate) fn new() -> PrimeStream {
        PrimeStream { next: TOP_PRIMES[TOP_PRIMES.len() - 1] - 2, table: 0 }
    }
}

impl Iterator for PrimeStream {
    type Item = Zp;
    fn next(&mut self) -> Option<Zp> {
        use rug::integer::IsPrime;
        if let Some(&p) = TOP_PRIMES.get(self.table) {
            self.table += 1;
            return Some(Zp::new_unchecked(p));
        }
        loop {
            let c = self.next;
            if c < 3 {
                return None;
            }
            self.next -= 2;
            if Integer::from(c).is_probably_prime(25) != IsPrime::No {
                return Some(Zp::new_unchecked(c));
            }
        }
    }
}

/// Chinese remaindering of a polynomial image: `h` (mod `m`, symmetric, as integers) with `g`
/// (residues mod `p`), returning the combination mod `m p` in the symmetric range.
pub(crate) fn crt_combine(h: &[Integer], m: &Integer, g: &[u64], p: &Zp) -> Vec<Integer> {
    let pm = p.modulus();
    let m_mod_p = Int::from(m).rem_u64(pm);
    let inv = p.inv_mod(m_mod_p).expect("moduli coprime");
    let mp = Integer::from(m * pm);
    let n = h.len().max(g.len());
    (0..n)
        .map(|i| {
            let hi = h.get(i).cloned().unwrap_or_default();
            let gi = g.get(i).copied().unwrap_or(0);
            // x = h + m * ((g - h) / m mod p).
            let hr = Int::from(&hi).rem_u64(pm);
            let t = p.mul_mod(p.sub_mod(gi, hr), inv);
            let x = hi + Integer::from(m * t);
            symmetric_mod(&x, &mp)
        })
        .collect()
}

/// The modular gcd of primitive integer polynomials of positive degree (see the module
/// documentation); the result is primitive with positive leading coefficient.
fn modular_gcd_primitive(a: &UPoly<IntegerRing>, b: &UPoly<IntegerRing>) -> UPoly<IntegerRing> {
    let ring = IntegerRing;
    let gamma = a.lc().gcd(&b.lc());
    let mut best_deg = usize::MAX;
    let mut h: Vec<Integer> = Vec::new();
    let mut m = Integer::from(1);
    for p in PrimeStream::new() {
        let pm = p.modulus();
        if a.lc().rem_u64(pm) == 0 || b.lc().rem_u64(pm) == 0 {
            continue;
        }
        let ap = a.map_coeffs(p, |c| c.rem_u64(pm));
        let bp = b.map_coeffs(p, |c| c.rem_u64(pm));
        let gp = ap.gcd_euclid(&bp);
        let d = gp.deg() as usize;
        if d == 0 {
            return UPoly::one(ring);
        }
        if d > best_deg {
            continue; // Unlucky prime.
        }
        let scale = gamma.rem_u64(pm);
        let image: Vec<u64> = gp.coeffs.iter().map(|c| p.mul_mod(*c, scale)).collect();
        if d < best_deg {
            best_deg = d;
            h = image.iter().map(|&c| Integer::from(p.symmetric(c))).collect();
            m = Integer::from(pm);
        } else {
            h = crt_combine(&h, &m, &image, &p);
            m *= pm;
        }
        // A primitive candidate of the least degree seen that divides both inputs is the gcd:
        // the degree mod p bounds the true degree from above.
        let cand = UPoly::from_coeffs(ring, h.iter().map(Int::from).collect()).primitive_part();
        if cand.deg() as usize == best_deg
            && matches!(a.divides_by(&cand), Ok(Some(_)))
            && matches!(b.divides_by(&cand), Ok(Some(_)))
        {
            return cand;
        }
    }
    unreachable!("the prime stream below 2^62 does not run out")
}

impl PolyGcd for IntegerRing {
    fn upoly_gcd(a: &UPoly<Self>, b: &UPoly<Self>) -> UPoly<Self> {
        if a.is_zero() {
            return b.normalize();
        }
        if b.is_zero() {
            return a.normalize();
        }
        let (ca, pa) = a.content_primitive();
        let (cb, pb) = b.content_primitive();
        let c = ca.gcd(&cb);
        if pa.deg() == 0 || pb.deg() == 0 {
            return UPoly::constant(IntegerRing, c);
        }
        modular_gcd_primitive(&pa, &pb).scale(&c)
    }

    fn mpoly_gcd<O: MonomialOrder>(a: &MPoly<Self, O>, b: &MPoly<Self, O>) -> MPoly<Self, O> {
        crate::poly::gcd::mpoly_gcd_integer(a, b)
    }
}

/// `(d, p)`: a positive integer `d` and the integer polynomial `p = d * a` (lowest terms).
pub fn clear_denominators(a: &UPoly<RationalField>) -> (Integer, UPoly<IntegerRing>) {
    let mut d = Integer::from(1);
    for c in &a.coeffs {
        d.lcm_mut(c.denom());
    }
    let p = a.map_coeffs(IntegerRing, |c| Int::from(c.numer() * Integer::from(&d / c.denom())));
    (d, p)
}

impl PolyGcd for RationalField {
    fn upoly_gcd(a: &UPoly<Self>, b: &UPoly<Self>) -> UPoly<Self> {
        let (_, az) = clear_denominators(a);
        let (_, bz) = clear_denominators(b);
        let g = az.gcd(&bz);
        g.map_coeffs(RationalField, |c| Rational::from(c.to_integer())).monic()
    }

    fn mpoly_gcd<O: MonomialOrder>(a: &MPoly<Self, O>, b: &MPoly<Self, O>) -> MPoly<Self, O> {
        crate::poly::gcd::mpoly_gcd_rational(a, b)
    }
}

impl PolyGcd for Zp {
    fn upoly_gcd(a: &UPoly<Self>, b: &UPoly<Self>) -> UPoly<Self> {
        a.gcd_euclid(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rug::integer::IsPrime;

    /// The stream (table, then trial) gives exactly the primes found by testing every odd number
    /// down from `2^62 - 1`.
    #[test]
    fn prime_stream_is_the_primes_below_2_62() {
        let mut want = Vec::new();
        let mut c: u64 = (1 << 62) - 1;
        while want.len() < TOP_PRIMES.len() + 4 {
            if Integer::from(c).is_probably_prime(40) != IsPrime::No {
                want.push(c);
            }
            c -= 2;
        }
        let got: Vec<u64> = PrimeStream::new().take(want.len()).map(|p| p.modulus()).collect();
        assert_eq!(got, want);
    }
}
