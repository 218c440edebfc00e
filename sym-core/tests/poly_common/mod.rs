//! Shared helpers for the polynomial tests: parsing shortcuts, proptest strategies and naive
//! reference implementations (oracles) that do not use the kernels under test.
#![allow(dead_code)]

use proptest::prelude::*;
use rug::{Integer, Rational};
use sym_core::poly::{
    GrevLex, Int, IntegerRing, Lex, MPoly, MonomialOrder, Q, RationalField, Ring, UPoly, Z, parse_mpoly,
};

/// Variable names used throughout the tests.
pub const NAMES: [&str; 4] = ["x", "y", "z", "w"];

/// Parses a polynomial over `Z` in `x, y, z, w`.
pub fn pz(s: &str) -> MPoly<IntegerRing, Lex> {
    parse_mpoly(s, &NAMES, Z).unwrap()
}

/// Parses a polynomial over `Q` in `x, y, z, w`.
pub fn pq(s: &str) -> MPoly<RationalField, Lex> {
    parse_mpoly(s, &NAMES, Q).unwrap()
}

/// Prints with the test names.
pub fn show<R: Ring, O: MonomialOrder>(p: &MPoly<R, O>) -> String {
    p.display_with(&NAMES).to_string()
}

/// A univariate polynomial over `Z` from small coefficients (lowest first).
pub fn uz(c: &[i64]) -> UPoly<IntegerRing> {
    UPoly::from_i64s(Z, c)
}

/// A univariate polynomial over `Q` from small coefficients (lowest first).
pub fn uq(c: &[i64]) -> UPoly<RationalField> {
    UPoly::from_i64s(Q, c)
}

/// Integers, mostly small, sometimes beyond 64 bits.
pub fn int_strategy() -> impl Strategy<Value = Int> + Clone {
    prop_oneof![
        6 => (-30i64..30).prop_map(Int::from),
        1 => any::<i64>().prop_map(Int::from),
        1 => (any::<i64>(), 0u32..80).prop_map(|(a, s)| Int::from(Integer::from(a) << s)),
    ]
}

/// Rationals with small numerators and denominators.
pub fn rat_strategy() -> impl Strategy<Value = Rational> + Clone {
    (-20i64..20, 1i64..8).prop_map(|(n, d)| Rational::from((n, d)))
}

/// Terms of a random sparse polynomial in `nvars` variables with exponents below `maxexp`.
pub fn terms_strategy<T: std::fmt::Debug + Clone>(
    coeff: impl Strategy<Value = T> + Clone,
    nvars: usize,
    maxexp: u64,
    maxterms: usize,
) -> impl Strategy<Value = Vec<(T, Vec<u64>)>> {
    prop::collection::vec((coeff, prop::collection::vec(0..maxexp, nvars)), 0..maxterms)
}

/// A random polynomial over `Z` in order `O`.
pub fn mpoly_z<O: MonomialOrder>(
    nvars: usize,
    maxexp: u64,
    maxterms: usize,
) -> impl Strategy<Value = MPoly<IntegerRing, O>> {
    terms_strategy(int_strategy(), nvars, maxexp, maxterms).prop_map(move |t| MPoly::from_terms(Z, nvars, t).unwrap())
}

/// A random polynomial over `Q` in order `O`.
pub fn mpoly_q<O: MonomialOrder>(
    nvars: usize,
    maxexp: u64,
    maxterms: usize,
) -> impl Strategy<Value = MPoly<RationalField, O>> {
    terms_strategy(rat_strategy(), nvars, maxexp, maxterms).prop_map(move |t| MPoly::from_terms(Q, nvars, t).unwrap())
}

/// A random univariate polynomial over `Z` of degree below `maxdeg`.
pub fn upoly_z(maxdeg: usize) -> impl Strategy<Value = UPoly<IntegerRing>> {
    prop::collection::vec(int_strategy(), 0..maxdeg).prop_map(|c| UPoly::from_coeffs(Z, c))
}

/// A random univariate polynomial over `Z` with small coefficients.
pub fn upoly_z_small(maxdeg: usize) -> impl Strategy<Value = UPoly<IntegerRing>> {
    prop::collection::vec(-9i64..10, 0..maxdeg).prop_map(|c| UPoly::from_i64s(Z, &c))
}

/// A random univariate polynomial over `Q` of degree below `maxdeg`.
pub fn upoly_q(maxdeg: usize) -> impl Strategy<Value = UPoly<RationalField>> {
    prop::collection::vec(rat_strategy(), 0..maxdeg).prop_map(|c| UPoly::from_coeffs(Q, c))
}

/// The naive product: every pair of terms, collected by `from_terms` (no kernel involved).
pub fn naive_mul<R: Ring, O: MonomialOrder>(a: &MPoly<R, O>, b: &MPoly<R, O>) -> MPoly<R, O> {
    let ring = a.ring().clone();
    let mut terms = Vec::new();
    for (ca, ea) in a.terms() {
        for (cb, eb) in b.terms() {
            let e: Vec<u64> = ea.iter().zip(&eb).map(|(x, y)| x + y).collect();
            terms.push((ring.mul(ca, cb), e));
        }
    }
    MPoly::from_terms(ring, a.nvars(), terms).unwrap()
}

/// The naive power: repeated naive products.
pub fn naive_pow<R: Ring, O: MonomialOrder>(a: &MPoly<R, O>, k: u64) -> MPoly<R, O> {
    let mut r = MPoly::one(a.ring().clone(), a.nvars());
    for _ in 0..k {
        r = naive_mul(&r, a);
    }
    r
}

/// A polynomial in grevlex with the same terms.
pub fn to_grevlex<R: Ring>(p: &MPoly<R, Lex>) -> MPoly<R, GrevLex> {
    p.to_order::<GrevLex>()
}

/// The proptest configuration of a test file: failures persist in the given file under
/// `sym-core/proptest-regressions/` (cargo runs tests in the package directory).
pub fn pconfig(file: &'static str, cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases,
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(file))),
        ..proptest::test_runner::Config::default()
    }
}
