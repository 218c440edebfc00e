//! Property tests of the Groebner basis: the fraction-free computation over `Z` gives the same
//! reduced basis as a plain Buchberger algorithm over `Q` written here as the oracle.
//!
//! The reduced Groebner basis of an ideal for a monomial order is unique, so the two must agree
//! term for term. The oracle shares nothing with the implementation but the public rational
//! polynomial operations (`Poly::add`, `Poly::mul_term`, `normal_form`): it forms every
//! S-polynomial (no criteria), keeps the non-zero remainders until all pairs reduce to zero
//! (Buchberger's criterion), then minimises and interreduces. On top of equality, the result is
//! checked to be reduced and to reduce every generator to zero.

use proptest::prelude::*;
use rug::Rational;
use sym_solve::groebner::{Groebner, GroebnerLimits, Mono, Order, Poly, divides, normal_form, pack};

/// The oracle's pair budget for random systems; systems that need more (or whose coefficients grow past
/// 400 bits in the oracle) are rejected.
const ORACLE_PAIRS: usize = 150;

fn s_poly(f: &Poly, g: &Poly, order: Order) -> Poly {
    let (lf, lg) = (f.terms[0].0, g.terms[0].0);
    let mut l = 0u64;
    let mut d = 0u64;
    for i in 0..7 {
        let e = ((lf >> (8 * i)) & 0xff).max((lg >> (8 * i)) & 0xff);
        l |= e << (8 * i);
        d += e;
    }
    l |= d << 56;
    let a = f.mul_term(l - lf, &g.terms[0].1).unwrap();
    let b = g.mul_term(l - lg, &Rational::from(-&f.terms[0].1)).unwrap();
    a.add(&b, order)
}

/// The reduced basis by Buchberger's algorithm without criteria, or `None` over budget.
fn oracle(gens: &[Poly], order: Order, max_pairs: usize) -> Option<Vec<Poly>> {
    let mut g: Vec<Poly> = gens.iter().map(|p| p.reorder(order)).filter(|p| !p.is_zero()).map(Poly::monic).collect();
    let mut pairs: Vec<(usize, usize)> = (0..g.len()).flat_map(|j| (0..j).map(move |i| (i, j))).collect();
    let mut done = 0;
    while let Some((i, j)) = pairs.pop() {
        done += 1;
        if done > max_pairs {
            return None;
        }
        let s = s_poly(&g[i], &g[j], order);
        let refs: Vec<&Poly> = g.iter().collect();
        let h = normal_form(&s, &refs, order);
        if !h.is_zero() {
            if total_degree_of(&h) > 12 || coefficient_bits(&h) > 400 {
                return None;
            }
            let k = g.len();
            g.push(h.monic());
            pairs.extend((0..k).map(|i| (i, k)));
        }
    }
    g.sort_by(|a, b| order.cmp(a.terms[0].0, b.terms[0].0));
    let mut minimal: Vec<Poly> = Vec::new();
    for p in g {
        if !minimal.iter().any(|q| divides(q.terms[0].0, p.terms[0].0)) {
            minimal.push(p);
        }
    }
    let mut out = Vec::new();
    for i in 0..minimal.len() {
        let others: Vec<&Poly> = minimal.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, p)| p).collect();
        let head = Poly { terms: vec![minimal[i].terms[0].clone()] };
        let tail = Poly { terms: minimal[i].terms[1..].to_vec() };
        out.push(head.add(&normal_form(&tail, &others, order), order));
    }
    Some(out)
}

/// The largest numerator or denominator size among `p`'s coefficients, in bits: the oracle does no
/// coefficient control, and some random systems (seed 777) grew coefficients past a million bits in it.
fn coefficient_bits(p: &Poly) -> u32 {
    p.terms.iter().map(|t| t.1.numer().significant_bits().max(t.1.denom().significant_bits())).max().unwrap_or(0)
}

fn total_degree_of(p: &Poly) -> u64 {
    p.terms.iter().map(|t| t.0 >> 56).max().unwrap_or(0)
}

/// A coefficient: mostly small, sometimes beyond a machine word once multiplied (so that the
/// `i64` path overflows into GMP), sometimes a fraction.
fn coeff(big: u32) -> impl Strategy<Value = Rational> {
    prop_oneof![
        4 => (-5i64..=5).prop_filter("non-zero", |c| *c != 0).prop_map(Rational::from),
        big => (-(1i64 << 34)..(1i64 << 34)).prop_filter("non-zero", |c| *c != 0).prop_map(Rational::from),
        1 => ((-7i64..=7).prop_filter("non-zero", |c| *c != 0), 1i64..=6).prop_map(|(n, d)| Rational::from((n, d))),
    ]
}

/// A system of 2 or 3 polynomials in `n` variables, each with up to 4 terms (3 in three variables) of total degree at
/// most 3, large coefficients with weight `big` (all small enough that the criterion-free oracle,
/// whose rational coefficients swell, stays fast).
fn system(n: usize, big: u32) -> impl Strategy<Value = Vec<Vec<(Vec<u64>, Rational)>>> {
    let max_terms = if n > 2 { 3 } else { 4 };
    let exps = proptest::collection::vec(0u64..=2, n).prop_filter("degree at most 3", |e| e.iter().sum::<u64>() <= 3);
    let term = (exps, coeff(big));
    proptest::collection::vec(proptest::collection::vec(term, 1..=max_terms), 2..=3)
}

fn to_polys(sys: &[Vec<(Vec<u64>, Rational)>], order: Order) -> Vec<Poly> {
    sys.iter()
        .map(|terms| Poly::from_terms(order, terms.iter().map(|(e, c)| (pack(e).unwrap(), c.clone())).collect()))
        .collect()
}

/// The basis is reduced: monic, and no term of an element is divisible by the leading monomial
/// of another.
fn is_reduced(basis: &[Poly]) -> bool {
    basis.iter().enumerate().all(|(i, p)| {
        p.terms[0].1 == 1
            && basis.iter().enumerate().all(|(j, q)| i == j || p.terms.iter().all(|t| !divides(q.terms[0].0, t.0)))
    })
}

fn check(sys: &[Vec<(Vec<u64>, Rational)>], n: usize, order: Order) -> Result<(), TestCaseError> {
    let gens = to_polys(sys, order);
    // Over the oracle's budget: rejected (proptest fails when too many are).
    let want = oracle(&gens, order, ORACLE_PAIRS);
    prop_assume!(want.is_some());
    let want = want.unwrap_or_default();
    let got = Groebner::new(&gens, n, order, &GroebnerLimits::default()).unwrap();
    let sorted = |v: &[Poly]| {
        let mut v = v.to_vec();
        v.sort_by_key(|p| order.key(p.terms[0].0));
        v
    };
    prop_assert_eq!(sorted(&got.basis), sorted(&want));
    prop_assert!(is_reduced(&got.basis));
    // Every generator lies in the ideal of the basis.
    for g in &gens {
        prop_assert!(got.reduce(g).is_zero());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// grevlex, two variables.
    #[test]
    fn grevlex_two_variables(sys in system(2, 1)) {
        check(&sys, 2, Order::GrevLex)?;
    }

    /// grevlex, three variables.
    #[test]
    fn grevlex_three_variables(sys in system(3, 0)) {
        check(&sys, 3, Order::GrevLex)?;
    }

    /// lex, two variables.
    #[test]
    fn lex_two_variables(sys in system(2, 1)) {
        check(&sys, 2, Order::Lex)?;
    }
}

/// Large coefficients: every reduction overflows `i64` and the content is removed on the way.
#[test]
fn big_coefficients_agree() {
    let big = Rational::from(rug::Integer::from(rug::Integer::u_pow_u(3, 50)));
    let sys: Vec<Vec<(Vec<u64>, Rational)>> = vec![
        vec![(vec![2, 0, 0], big.clone()), (vec![0, 1, 1], Rational::from(7)), (vec![0, 0, 0], Rational::from(-1))],
        vec![(vec![1, 1, 0], Rational::from(1)), (vec![0, 0, 2], big.clone() + 1), (vec![1, 0, 0], Rational::from(5))],
        vec![(vec![0, 2, 0], Rational::from((2, 3))), (vec![1, 0, 1], big), (vec![0, 1, 0], Rational::from(-3))],
    ];
    check(&sys, 3, Order::GrevLex).unwrap();
}

/// The leading monomials of the oracle and the implementation agree on cyclic-4.
#[test]
fn cyclic4_agrees() {
    let n = 4;
    let mut sys = Vec::new();
    for k in 1..=n {
        let mut terms = Vec::new();
        for i in 0..n {
            let mut e = vec![0u64; n];
            for j in 0..k {
                e[(i + j) % n] += 1;
            }
            terms.push((e, Rational::from(1)));
            if k == n {
                break;
            }
        }
        if k == n {
            terms.push((vec![0; n], Rational::from(-1)));
        }
        sys.push(terms);
    }
    let gens = to_polys(&sys, Order::GrevLex);
    let want = oracle(&gens, Order::GrevLex, 2000).expect("cyclic-4 is within the oracle's budget");
    let got = Groebner::new(&gens, n, Order::GrevLex, &GroebnerLimits::default()).unwrap();
    let lms = |v: &[Poly]| {
        let mut m: Vec<Mono> = v.iter().map(|p| p.terms[0].0).collect();
        m.sort_unstable();
        m
    };
    assert_eq!(lms(&got.basis), lms(&want));
    assert_eq!(got.basis.len(), want.len());
    assert!(got.basis.iter().all(|p| want.contains(p)));
}
