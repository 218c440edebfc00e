//! Factorisation of univariate polynomials over `Z` and `Q` into irreducibles.
//!
//! The pipeline for `f` in `Z[x]`:
//!
//! 1. the content (with the sign of the leading coefficient) is split off, and Yun's square-free
//!    decomposition `f = prod a_i^i` is computed;
//! 2. for each square-free part: a factor `x` is removed, then **rational roots** `p/q`
//!    (`p | a_0`, `q | a_n`, when both are small enough to enumerate divisors) give the linear
//!    factors `q x - p` directly, the fast path for the polynomials that solving meets most;
//! 3. what remains (degree at least 3) goes to **Zassenhaus's algorithm**: several small odd primes
//!    `p` not dividing the leading coefficient and keeping `f mod p` square-free are tried; their
//!    distinct-degree factorisations give the factor-degree patterns, whose subset sums are
//!    intersected (an intersection `{0, n}` proves irreducibility); the prime with the fewest
//!    factors is used for Cantor–Zassenhaus splitting (`modp`), Hensel lifting (`hensel`) to
//!    `p^(2^k) > 2 |lc| 2^n ||f||_2`, and recombination (`recombine`).
//!
//! Over `Q`, denominators are cleared and the factors are returned monic. The recombination is
//! exponential in the worst case (Swinnerton-Dyer polynomials); van Hoeij's lattice method is not
//! implemented.

mod hensel;
mod modp;
mod recombine;

use crate::poly::PolyError;
use crate::poly::ring::{Int, IntegerRing, RationalField, Ring, Zp};
use crate::poly::upoly::UPoly;
use rug::{Integer, Rational};

/// A factorisation `unit * prod f_i^(e_i)` into irreducible factors.
///
/// Over `Z` the factors are primitive with positive leading coefficient and `unit` is the signed
/// content; over `Q` the factors are monic and `unit` is the leading coefficient. Factors are
/// sorted by degree, then by coefficients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Factorization<R: Ring> {
    /// The constant factor.
    pub unit: R::Elem,
    /// The irreducible factors with their multiplicities.
    pub factors: Vec<(UPoly<R>, usize)>,
}

impl<R: Ring> Factorization<R> {
    /// The product `unit * prod f_i^e_i`, in `ring`.
    pub fn expand(&self, ring: R) -> UPoly<R> {
        let mut r = UPoly::constant(ring, self.unit.clone());
        for (f, e) in &self.factors {
            for _ in 0..*e {
                r = r.mul(f);
            }
        }
        r
    }
}

/// Odd primes tried for the modular factorisation (the first few that suit are used).
const SMALL_PRIMES: [u64; 30] = [
    3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109,
    113, 127,
];
/// How many suitable primes are compared before choosing one.
const PRIMES_COMPARED: usize = 5;
/// The rational-root fast path enumerates divisors only of numbers up to this size.
const ROOT_DIVISOR_LIMIT: u64 = 10_000_000_000;
/// The rational-root fast path gives up beyond this many candidates.
const ROOT_CANDIDATE_LIMIT: usize = 4096;

impl UPoly<IntegerRing> {
    /// The factorisation into irreducibles over `Z` (see the module documentation).
    pub fn factor(&self) -> Result<Factorization<IntegerRing>, PolyError> {
        if self.is_zero() {
            return Err(PolyError::Unsupported { op: "factor", why: "the zero polynomial has no factorisation" });
        }
        let (unit, f) = self.content_primitive();
        let mut factors = Vec::new();
        if f.deg() > 0 {
            let sf = f.square_free()?;
            for (a, e) in sf.factors {
                for g in factor_squarefree_primitive(&a) {
                    factors.push((g, e));
                }
            }
        }
        factors.sort_by(|(a, ea), (b, eb)| {
            a.deg().cmp(&b.deg()).then_with(|| a.coeffs().cmp(b.coeffs())).then(ea.cmp(eb))
        });
        Ok(Factorization { unit, factors })
    }

    /// Whether the polynomial is irreducible over `Q` (degree at least one, one factor of
    /// multiplicity one; a non-unit content does not count for `Q`).
    pub fn is_irreducible(&self) -> Result<bool, PolyError> {
        if self.deg() < 1 {
            return Ok(false);
        }
        let f = self.factor()?;
        Ok(f.factors.len() == 1 && f.factors[0].1 == 1)
    }
}

impl UPoly<RationalField> {
    /// The factorisation into monic irreducibles over `Q`, with the leading coefficient as unit.
    pub fn factor(&self) -> Result<Factorization<RationalField>, PolyError> {
        if self.is_zero() {
            return Err(PolyError::Unsupported { op: "factor", why: "the zero polynomial has no factorisation" });
        }
        let (_, z) = crate::poly::upoly::clear_denominators(self);
        let fz = z.factor()?;
        let factors = fz.factors.iter().map(|(g, e)| (g.to_rational().monic(), *e)).collect();
        Ok(Factorization { unit: self.lc(), factors })
    }

    /// Whether the polynomial is irreducible over `Q`.
    pub fn is_irreducible(&self) -> Result<bool, PolyError> {
        let (_, z) = crate::poly::upoly::clear_denominators(self);
        z.is_irreducible()
    }
}

/// The irreducible factors of a primitive square-free `f` with positive leading coefficient.
fn factor_squarefree_primitive(f: &UPoly<IntegerRing>) -> Vec<UPoly<IntegerRing>> {
    let mut out = Vec::new();
    let mut f = f.clone();
    if f.deg() >= 1 && f.coeff(0).is_zero() {
        let x = UPoly::x(IntegerRing);
        out.push(x.clone());
        f = f.div_exact(&x).expect("x divides");
    }
    if f.deg() >= 2 {
        for (p, q) in rational_roots(&f) {
            // The factor q x - p (q > 0, gcd(p, q) = 1).
            let lin = UPoly::from_coeffs(IntegerRing, vec![Int::from(-p), Int::from(q)]);
            if let Ok(Some(rest)) = f.divides_by(&lin) {
                out.push(lin);
                f = rest;
            }
        }
    }
    match f.deg() {
        d if d <= 0 => {}
        1 | 2 => out.push(f.primitive_part()),
        _ => out.extend(zassenhaus(&f.primitive_part())),
    }
    out
}

/// The positive divisors of `n > 0` when `n` is at most the enumeration limit.
fn divisors(n: &Integer) -> Option<Vec<Integer>> {
    let n = n.to_u64().filter(|&v| v > 0 && v <= ROOT_DIVISOR_LIMIT)?;
    let mut small = Vec::new();
    let mut large = Vec::new();
    let mut d = 1u64;
    while d * d <= n {
        if n.is_multiple_of(d) {
            small.push(Integer::from(d));
            if d * d != n {
                large.push(Integer::from(n / d));
            }
        }
        d += 1;
    }
    large.reverse();
    small.extend(large);
    Some(small)
}

/// The rational roots `p/q` (as `(p, q)`, `q > 0`, lowest terms) of `f` with `f(0) != 0`, or none
/// when the candidates are too many to enumerate.
fn rational_roots(f: &UPoly<IntegerRing>) -> Vec<(Integer, Integer)> {
    let a0 = f.coeff(0).to_integer().abs();
    let an = f.lc().to_integer().abs();
    let (Some(ps), Some(qs)) = (divisors(&a0), divisors(&an)) else {
        return Vec::new();
    };
    if ps.len().saturating_mul(qs.len()).saturating_mul(2) > ROOT_CANDIDATE_LIMIT {
        return Vec::new();
    }
    // Filter candidates by evaluation modulo a large prime, then confirm exactly.
    let prime = Zp::new_unchecked(4_611_686_018_427_387_847);
    let fp = hensel::to_zp(f, prime);
    let mut roots = Vec::new();
    for q in &qs {
        for p in &ps {
            if Integer::from(p.gcd_ref(q)) != 1 {
                continue;
            }
            for sign in [1i32, -1] {
                let num = Integer::from(p * sign);
                let qm = Int::from(q).rem_u64(prime.modulus());
                let pm = Int::from(&num).rem_u64(prime.modulus());
                let x = prime.mul_mod(pm, prime.inv_mod(qm).expect("q is below the prime"));
                if fp.eval(&x) != 0 {
                    continue;
                }
                let r = Rational::from((num.clone(), q.clone()));
                if f.to_rational().eval(&r).is_zero() {
                    roots.push((num, q.clone()));
                }
            }
        }
    }
    roots
}

/// The set of degrees `0..=n` that are sums of some of `degs`.
fn subset_sums(degs: &[usize], n: usize) -> Vec<bool> {
    let mut can = vec![false; n + 1];
    can[0] = true;
    for &d in degs {
        for s in (d..=n).rev() {
            if can[s - d] {
                can[s] = true;
            }
        }
    }
    can
}

/// Zassenhaus's algorithm for a primitive square-free `f` of degree at least 3 with positive
/// leading coefficient and no rational roots.
fn zassenhaus(f: &UPoly<IntegerRing>) -> Vec<UPoly<IntegerRing>> {
    let n = f.deg() as usize;
    let lc = f.lc();
    let mut allowed = vec![true; n + 1];
    let mut best: Option<(Zp, UPoly<Zp>, usize)> = None;
    let mut good = 0;
    for &p in &SMALL_PRIMES {
        if lc.rem_u64(p) == 0 {
            continue;
        }
        let zp = Zp::new_unchecked(p);
        let fp = hensel::to_zp(f, zp);
        if !modp::is_squarefree(&fp) {
            continue;
        }
        let fp = fp.monic();
        let pattern: Vec<usize> = modp::distinct_degree(&fp)
            .iter()
            .flat_map(|(g, d)| std::iter::repeat_n(*d, g.deg() as usize / d))
            .collect();
        let sums = subset_sums(&pattern, n);
        for (a, s) in allowed.iter_mut().zip(&sums) {
            *a &= *s;
        }
        if pattern.len() == 1 || allowed[1..n].iter().all(|a| !a) {
            return vec![f.clone()];
        }
        if best.as_ref().is_none_or(|(_, _, r)| pattern.len() < *r) {
            best = Some((zp, fp, pattern.len()));
        }
        good += 1;
        if good == PRIMES_COMPARED {
            break;
        }
    }
    let Some((zp, fp, _)) = best else {
        // Every small prime divides the leading coefficient or the discriminant: use a large one.
        return zassenhaus_large_prime(f, &allowed);
    };
    finish(f, zp, &fp, &allowed)
}

/// Splitting, lifting and recombination modulo the chosen prime.
fn finish(f: &UPoly<IntegerRing>, zp: Zp, fp: &UPoly<Zp>, allowed: &[bool]) -> Vec<UPoly<IntegerRing>> {
    let n = f.deg() as u32;
    let modular = modp::factor_squarefree_monic(fp, 0x5eed);
    if modular.len() == 1 {
        return vec![f.clone()];
    }
    // M = p^(2^k) > 2 |lc| 2^n ||f||_2.
    let norm2: Integer = f.coeffs().iter().map(|c| Integer::from(c.to_integer().square_ref())).sum();
    let norm = Integer::from(norm2.sqrt_ref()) + 1u32;
    let bound = (f.lc().to_integer().abs() * norm) << (n + 1);
    let mut m = Integer::from(zp.modulus());
    while m <= bound {
        m = Integer::from(m.square_ref());
    }
    let lifted = hensel::lift(f, &modular, zp, &m);
    recombine::recombine(f, lifted, &m, allowed)
}

/// The fallback when no small prime suits: primes below `2^31` upward from 131.
fn zassenhaus_large_prime(f: &UPoly<IntegerRing>, allowed: &[bool]) -> Vec<UPoly<IntegerRing>> {
    let lc = f.lc();
    let mut p = Integer::from(131u32);
    loop {
        let pv = p.to_u64().expect("small");
        if lc.rem_u64(pv) != 0 {
            let zp = Zp::new_unchecked(pv);
            let fp = hensel::to_zp(f, zp);
            if modp::is_squarefree(&fp) {
                let fp = fp.monic();
                return finish(f, zp, &fp, allowed);
            }
        }
        p.next_prime_mut();
    }
}
