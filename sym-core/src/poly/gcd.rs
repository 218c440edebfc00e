//! Greatest common divisors of multivariate polynomials.
//!
//! The generic algorithm is the recursive one (Brown, "On Euclid's algorithm and the computation
//! of polynomial greatest common divisors", JACM 1971, §2): remove the monomial content, pick a
//! main variable `v` occurring in both inputs, view both as univariate in `v` with coefficients
//! in the other variables, and run the subresultant PRS there; the contents of the coefficient
//! sequences are gcds in fewer variables (recursion), and the base case is the coefficient ring's
//! gcd. If `v` occurs in only one input `a`, then `gcd(a, b) = gcd(cont_v(a), b)`.
//!
//! Over `Z`, when a variable occurs in only one input (after the monomial contents are split
//! off), the gcd is the gcd of the other input with that input's coefficients in the variable,
//! folded from the other input. Otherwise the integer contents are split off first, then the
//! heuristic gcd is tried (Char,
//! Geddes and Gonnet, "GCDHEU: heuristic polynomial GCD algorithm based on integer GCD
//! computation", JSC 7, 1989, in the form SymPy uses): evaluate one variable at a large integer
//! `xi`, recurse to an integer gcd, and rebuild a candidate from the symmetric base-`xi` digits of
//! the result; the candidate's primitive part is accepted only when it divides both inputs, so
//! the answer is always correct, and after six evaluation points (or a failure at any level, or
//! when the integers it would reach are predicted to exceed 2^20 bits: each variable of degree
//! `d` multiplies their size by about `1 + d/2`, or after four calls per variable in all, since
//! retries at outer levels repeat the inner ones, or once its calls have received 2^25 bits of
//! coefficients in all) the recursive algorithm runs instead. Over `Q` the inputs are scaled to primitive integer polynomials first and the result is
//! made monic (in the polynomials' order).
//!
//! Correct for every [`PolyGcd`] coefficient ring; its cost grows with the degrees in the main
//! variable (coefficient growth is kept polynomial by the subresultant divisions).

use crate::poly::monomial::MonomialOrder;
use crate::poly::mpoly::MPoly;
use crate::poly::ring::{Int, IntegerRing, RationalField, Ring};
use crate::poly::upoly::{PolyGcd, subresultant_gcd};
use rug::{Integer, Rational};

/// The normalised gcd by the recursive subresultant algorithm (see the module documentation).
pub fn mpoly_gcd_generic<R: PolyGcd, O: MonomialOrder>(a: &MPoly<R, O>, b: &MPoly<R, O>) -> MPoly<R, O> {
    a.check_compatible(b);
    if a.is_zero() {
        return b.normalize();
    }
    if b.is_zero() {
        return a.normalize();
    }
    let ring = a.ring().clone();
    // Monomial content: g = x^min(ma, mb) * gcd(a / x^ma, b / x^mb).
    let (a1, b1, mg) = split_monomial_contents(a, b);
    let inner = gcd_no_monomial(&a1, &b1);
    let one = ring.one();
    inner.mul_monomial(&one, &mg).expect("invariant: a divisor's exponents fit").normalize()
}

/// `(a / x^ma, b / x^mb, min(ma, mb))` for the monomial contents `x^ma` of `a` and `x^mb` of `b`:
/// the gcd is `x^min(ma, mb)` times the gcd of the quotients.
fn split_monomial_contents<R: Ring, O: MonomialOrder>(
    a: &MPoly<R, O>,
    b: &MPoly<R, O>,
) -> (MPoly<R, O>, MPoly<R, O>, Vec<u64>) {
    let n = a.nvars();
    let ma: Vec<u64> = (0..n).map(|v| a.min_degree(v)).collect();
    let mb: Vec<u64> = (0..n).map(|v| b.min_degree(v)).collect();
    let mg: Vec<u64> = ma.iter().zip(&mb).map(|(x, y)| *x.min(y)).collect();
    (divide_monomial(a, &ma), divide_monomial(b, &mb), mg)
}

/// `p / x^m` for a monomial dividing every term (order preserved).
fn divide_monomial<R: Ring, O: MonomialOrder>(p: &MPoly<R, O>, m: &[u64]) -> MPoly<R, O> {
    if m.iter().all(|&e| e == 0) {
        return p.clone();
    }
    let terms = p.terms().map(|(c, mut e)| {
        for (x, y) in e.iter_mut().zip(m) {
            *x -= y;
        }
        (c.clone(), e)
    });
    MPoly::from_terms(p.ring().clone(), p.nvars(), terms).expect("invariant: smaller exponents fit")
}

/// The gcd of polynomials without monomial content.
fn gcd_no_monomial<R: PolyGcd, O: MonomialOrder>(a: &MPoly<R, O>, b: &MPoly<R, O>) -> MPoly<R, O> {
    let ring = a.ring().clone();
    let nvars = a.nvars();
    if a.is_constant() || b.is_constant() {
        let g = ring.gcd(&a.content(), &b.content());
        return MPoly::constant(ring, nvars, g);
    }
    let da = a.degrees();
    let db = b.degrees();
    let common = (0..nvars).filter(|&v| da[v] > 0 && db[v] > 0).min_by_key(|&v| da[v].max(db[v]));
    match common {
        Some(v) => {
            let ua = a.to_univariate(v);
            let ub = b.to_univariate(v);
            let g = subresultant_gcd(&ua, &ub);
            MPoly::from_univariate(&g, v)
        }
        None => {
            // No variable occurs in both: gcd(a, b) = gcd(cont_v(a), b) for any v in a.
            let v = (0..nvars).find(|&v| da[v] > 0).expect("a is not constant");
            let ca = a.to_univariate(v).content();
            R::mpoly_gcd(&ca, b)
        }
    }
}

/// The gcd over `Z`: integer contents split off, then the recursive algorithm on the primitive
/// parts; the result has positive leading coefficient.
pub fn mpoly_gcd_integer<O: MonomialOrder>(
    a: &MPoly<IntegerRing, O>,
    b: &MPoly<IntegerRing, O>,
) -> MPoly<IntegerRing, O> {
    if a.is_zero() {
        return b.normalize();
    }
    if b.is_zero() {
        return a.normalize();
    }
    if let Some(g) = gcd_with_single_term(a, b) {
        return g;
    }
    if let Some(g) = gcd_via_lone_variable(a, b) {
        return g;
    }
    let (ca, pa) = a.content_primitive();
    let (cb, pb) = b.content_primitive();
    let c = ca.gcd(&cb);
    let occurring = pa.degrees().iter().zip(&pb.degrees()).filter(|(x, y)| **x > 0 || **y > 0).count();
    let mut budget = HeuBudget { calls: HEU_CALLS_PER_VARIABLE * (occurring + 1), bits: HEU_MAX_WORK_BITS };
    if heuristic_size(&pa, &pb) <= HEU_MAX_BITS
        && let Some(g) = heuristic_gcd(&pa, &pb, &mut budget)
    {
        return g.scale(&c);
    }
    let g = mpoly_gcd_generic(&pa, &pb);
    g.primitive_part().scale(&c)
}

/// When `a` or `b` is a single term `c x^m` (a constant included): the divisors of a term are
/// terms (the variables are primes of `Z[x]`), so the gcd is `gcd(c, cont(o)) x^min(m, m_o)` for
/// the other input `o`, its content `cont(o)` and its lowest exponent `m_o` in each variable.
/// Guards and contents of polynomials with symbolic coefficients meet this case all the time
/// (`gcd(a, 1)`, `gcd(a, b)`), and the general algorithms take microseconds to find it out.
fn gcd_with_single_term<O: MonomialOrder>(
    a: &MPoly<IntegerRing, O>,
    b: &MPoly<IntegerRing, O>,
) -> Option<MPoly<IntegerRing, O>> {
    let (t, other) = match (a.len(), b.len()) {
        (1, _) => (a, b),
        (_, 1) => (b, a),
        _ => return None,
    };
    let exps: Vec<u64> = (0..a.nvars()).map(|v| t.exponent(0, v).min(other.min_degree(v))).collect();
    let c = t.coeff(0).gcd(&other.content());
    MPoly::monomial(IntegerRing, c, &exps).ok()
}

/// When, after the monomial contents are split off, a variable `x_v` occurs in only one input:
/// `gcd(a, b) = gcd(b, c_0, c_1, ...)` over the coefficients `c_i` of `a` in `x_v`, folded from
/// the other input (often much smaller), so no algorithm ever sees `a`'s degree in `x_v`
/// (`cancel` of a numerator of degree 2104 in `a` over `a**5*(4*w**4*z + y)**3` took a minute).
fn gcd_via_lone_variable<O: MonomialOrder>(
    a: &MPoly<IntegerRing, O>,
    b: &MPoly<IntegerRing, O>,
) -> Option<MPoly<IntegerRing, O>> {
    let n = a.nvars();
    let (a1, b1, mg) = split_monomial_contents(a, b);
    let (da, db) = (a1.degrees(), b1.degrees());
    let v = (0..n).find(|&v| (da[v] > 0) != (db[v] > 0))?;
    let (big, small) = if da[v] > 0 { (&a1, &b1) } else { (&b1, &a1) };
    // The coefficients in x_v, grouped sparsely (a dense view of `x**84824100` would not fit).
    let mut groups: std::collections::BTreeMap<u64, Vec<(Int, Vec<u64>)>> = std::collections::BTreeMap::new();
    for (c, mut e) in big.terms().map(|(c, e)| (c.clone(), e)) {
        let k = std::mem::take(&mut e[v]);
        groups.entry(k).or_default().push((c, e));
    }
    let mut g = small.clone();
    for terms in groups.into_values() {
        let c = MPoly::from_terms(IntegerRing, n, terms).expect("invariant: exponents of a polynomial's own terms fit");
        g = mpoly_gcd_integer(&g, &c);
        if g.is_one() {
            break;
        }
    }
    Some(g.mul_monomial(&Int::from(1), &mg).expect("invariant: a divisor's exponents fit").normalize())
}

/// The number of evaluation points the heuristic gcd tries before giving up.
const HEU_TRIES: usize = 6;

/// The heuristic gcd's calls (one per evaluation at any level) per variable before it gives up:
/// a candidate that fails the division test at an outer level re-runs every inner level, so the
/// retries multiply with the number of variables (six points at each of 18 levels ran for
/// minutes); a success needs one call per level.
const HEU_CALLS_PER_VARIABLE: usize = 4;

/// The total size, in bits, of the coefficients of all the polynomials the heuristic gcd's calls
/// receive before it gives up (a success on degree-11 polynomials in three variables with
/// 200-bit coefficients needs about 2^23; a failing search over megabit integers in many terms
/// ran for seconds).
const HEU_MAX_WORK_BITS: u64 = 1 << 25;

/// What the heuristic gcd may still spend: calls, and bits of coefficients received.
struct HeuBudget {
    calls: usize,
    bits: u64,
}

/// The largest predicted size, in bits, of the integers the heuristic gcd would reach after
/// evaluating every variable (see [`heuristic_size`]); past it the recursive algorithm runs.
const HEU_MAX_BITS: f64 = (1u64 << 20) as f64;

/// The predicted size in bits of the integer the heuristic gcd reaches once every variable is
/// evaluated: each evaluation point has about half the bits of the coefficients' bound (plus
/// seven, from SymPy's `99 sqrt(B)`), and evaluating a variable of degree `d` adds `d` times that.
fn heuristic_size<O: MonomialOrder>(a: &MPoly<IntegerRing, O>, b: &MPoly<IntegerRing, O>) -> f64 {
    let bits =
        |p: &MPoly<IntegerRing, O>| p.coeffs().iter().map(|c| c.to_integer().significant_bits()).max().unwrap_or(0);
    let (da, db) = (a.degrees(), b.degrees());
    let mut size = f64::from(bits(a).min(bits(b))) + 1.0;
    for (x, y) in da.iter().zip(&db) {
        size += (*x.max(y) as f64) * (size / 2.0 + 7.0);
    }
    size
}

/// The heuristic gcd of nonzero integer polynomials, primitive with positive leading
/// coefficient; `None` when it gives up (see the module documentation).
fn heuristic_gcd<O: MonomialOrder>(
    a: &MPoly<IntegerRing, O>,
    b: &MPoly<IntegerRing, O>,
    budget: &mut HeuBudget,
) -> Option<MPoly<IntegerRing, O>> {
    budget.calls = budget.calls.checked_sub(1)?;
    let bits = |p: &MPoly<IntegerRing, O>| p.coeffs().iter().map(|c| u64::from(c.bits())).sum::<u64>();
    budget.bits = budget.bits.checked_sub(bits(a) + bits(b))?;
    let nvars = a.nvars();
    let (da, db) = (a.degrees(), b.degrees());
    let Some(v) = (0..nvars).find(|&v| da[v] > 0 || db[v] > 0) else {
        let g = a.lc().gcd(&b.lc());
        return Some(MPoly::constant(IntegerRing, nvars, g));
    };
    let (ca, a) = a.content_primitive();
    let (cb, b) = b.content_primitive();
    let c = ca.gcd(&cb);
    let norm = |p: &MPoly<IntegerRing, O>| -> Integer {
        p.coeffs().iter().map(|x| x.to_integer().abs()).max().unwrap_or_default()
    };
    let (na, nb) = (norm(&a), norm(&b));
    // xi = max(min(B, 99 sqrt(B)), 2 min(|a| / |lc a|, |b| / |lc b|) + 4), B = 2 min(|a|, |b|) + 29.
    let bound = na.clone().min(nb.clone()) * 2u32 + 29u32;
    let root = Integer::from(bound.sqrt_ref()) * 99u32;
    let ra = na / a.lc().to_integer().abs();
    let rb = nb / b.lc().to_integer().abs();
    let mut xi = bound.min(root).max(ra.min(rb) * 2u32 + 4u32);
    for _ in 0..HEU_TRIES {
        let x = Int::from(&xi);
        let ea = a.eval_var(v, &x);
        let eb = b.eval_var(v, &x);
        if !ea.is_zero() && !eb.is_zero() {
            // A failure below gives up here too (as SymPy does): retrying every level's points
            // under every point of the level above multiplies the work at each variable.
            let h = heuristic_gcd(&ea, &eb, budget)?;
            let g = interpolate(&h, &x, v).primitive_part();
            if !g.is_zero() && a.div_exact(&g).is_ok() && b.div_exact(&g).is_ok() {
                return Some(g.scale(&c));
            }
        }
        // The next point: xi * 73794 * xi^(1/4) / 27011 (SymPy's constants).
        let fourth = Integer::from(Integer::from(xi.sqrt_ref()).sqrt_ref());
        xi = xi * 73794u32 * fourth / 27011u32;
    }
    None
}

/// The polynomial in `x_v` whose symmetric base-`xi` digits (coefficient-wise) are `h`:
/// `h = sum_i g_i xi^i` with `g_i` the symmetric remainders, rebuilt as `sum_i g_i x_v^i`.
fn interpolate<O: MonomialOrder>(h: &MPoly<IntegerRing, O>, xi: &Int, v: usize) -> MPoly<IntegerRing, O> {
    let m = xi.to_integer();
    let mut rest = h.clone();
    let mut terms: Vec<(Int, Vec<u64>)> = Vec::new();
    let mut i = 0u64;
    while !rest.is_zero() {
        let digit = rest.map_coeffs(IntegerRing, |c| Int::from(crate::poly::upoly::symmetric_mod(&c.to_integer(), &m)));
        for (c, mut e) in digit.terms().map(|(c, e)| (c.clone(), e)) {
            e[v] += i;
            terms.push((c, e));
        }
        rest = rest.sub(&digit).div_scalar(xi).expect("invariant: the digit makes the rest divisible");
        i += 1;
    }
    MPoly::from_terms(IntegerRing, h.nvars(), terms).expect("invariant: small exponents fit")
}

/// `(d, p)`: the positive integer `d` and the integer polynomial `p = d a`, `d` the least common
/// denominator.
pub fn mpoly_clear_denominators<O: MonomialOrder>(a: &MPoly<RationalField, O>) -> (Integer, MPoly<IntegerRing, O>) {
    let mut d = Integer::from(1);
    for c in a.coeffs() {
        d.lcm_mut(c.denom());
    }
    let p = a.map_coeffs(IntegerRing, |c| Int::from(c.numer() * Integer::from(&d / c.denom())));
    (d, p)
}

/// The monic gcd over `Q` (via `Z`).
pub fn mpoly_gcd_rational<O: MonomialOrder>(
    a: &MPoly<RationalField, O>,
    b: &MPoly<RationalField, O>,
) -> MPoly<RationalField, O> {
    let (_, az) = mpoly_clear_denominators(a);
    let (_, bz) = mpoly_clear_denominators(b);
    let g = mpoly_gcd_integer(&az, &bz);
    g.map_coeffs(RationalField, |c| Rational::from(c.to_integer())).normalize()
}

impl<R: PolyGcd, O: MonomialOrder> MPoly<R, O> {
    /// The normalised greatest common divisor (dispatched on the coefficient ring).
    pub fn gcd(&self, other: &Self) -> Self {
        self.check_compatible(other);
        R::mpoly_gcd(self, other)
    }

    /// `(g, self / g, other / g)` for `g = gcd(self, other)`: the cofactors that `cancel` needs.
    pub fn gcd_cofactors(&self, other: &Self) -> (Self, Self, Self) {
        let g = self.gcd(other);
        if g.is_zero() {
            return (g, self.clone(), other.clone());
        }
        let a = self.div_exact(&g).expect("invariant: the gcd divides");
        let b = other.div_exact(&g).expect("invariant: the gcd divides");
        (g, a, b)
    }
}
