//! Property tests of multivariate GCDs: the gcd divides both inputs, is maximal
//! (`gcd(a g, b g)` is `g gcd(a, b)` up to a unit) and normalised, over Z, Q and Z/p, in lex and
//! grevlex; and univariate GCDs with polynomial coefficients.

mod poly_common;

use poly_common::*;
use proptest::prelude::*;
use sym_core::poly::gcd::mpoly_gcd_generic;
use sym_core::poly::{GrevLex, IntegerRing, Lex, MPoly, MonomialOrder, PolyGcd, Ring, Zp};

fn gcd_laws<R: PolyGcd, O: MonomialOrder>(a: &MPoly<R, O>, b: &MPoly<R, O>, g: &MPoly<R, O>) {
    let d = a.gcd(b);
    if !d.is_zero() {
        assert!(a.div_exact(&d).is_ok(), "gcd does not divide a: {d} | {a}");
        assert!(b.div_exact(&d).is_ok(), "gcd does not divide b: {d} | {b}");
        assert_eq!(d, d.normalize());
    }
    if g.is_zero() {
        return;
    }
    let (ag, bg) = (a * g, b * g);
    let lhs = ag.gcd(&bg);
    assert_eq!(lhs, (g * &d).normalize(), "gcd({ag}, {bg})");
    if !lhs.is_zero() {
        let (_, ca, cb) = ag.gcd_cofactors(&bg);
        assert!(ca.gcd(&cb).is_one(), "cofactors not coprime");
    }
}

proptest! {
    #![proptest_config(pconfig("proptest-regressions/poly_mgcd.txt", 64))]

    #[test]
    fn gcd_over_z_lex(a in mpoly_z::<Lex>(3, 3, 4), b in mpoly_z::<Lex>(3, 3, 4), g in mpoly_z::<Lex>(3, 2, 3)) {
        gcd_laws(&a, &b, &g);
    }

    /// The heuristic gcd (the default over Z) and the recursive subresultant algorithm agree.
    #[test]
    fn heuristic_matches_recursive(a in mpoly_z::<Lex>(3, 4, 5), b in mpoly_z::<Lex>(3, 4, 5), g in mpoly_z::<Lex>(3, 3, 4)) {
        let (ag, bg) = (&a * &g, &b * &g);
        prop_assert_eq!(mpoly_gcd_generic(&ag, &bg), ag.gcd(&bg));
    }

    #[test]
    fn gcd_over_z_grevlex(a in mpoly_z::<GrevLex>(3, 3, 4), b in mpoly_z::<GrevLex>(3, 3, 4), g in mpoly_z::<GrevLex>(3, 2, 3)) {
        gcd_laws(&a, &b, &g);
    }

    #[test]
    fn gcd_over_q(a in mpoly_q::<Lex>(3, 3, 4), b in mpoly_q::<Lex>(3, 3, 4), g in mpoly_q::<Lex>(3, 2, 3)) {
        gcd_laws(&a, &b, &g);
    }

    #[test]
    fn gcd_over_zp(a in mpoly_z::<Lex>(2, 3, 4), b in mpoly_z::<Lex>(2, 3, 4), g in mpoly_z::<Lex>(2, 2, 3)) {
        let p = Zp::new(101).unwrap();
        let m = |x: &MPoly<IntegerRing, Lex>| x.map_coeffs(p, |c| p.from_integer(&c.to_integer()));
        gcd_laws(&m(&a), &m(&b), &m(&g));
    }

    /// Univariate gcd with coefficients in `Z[y, z]` (the recursive view) agrees with the flat
    /// multivariate gcd.
    #[test]
    fn gcd_with_polynomial_coefficients(a in mpoly_z::<Lex>(3, 3, 4), b in mpoly_z::<Lex>(3, 3, 4), g in mpoly_z::<Lex>(3, 2, 3)) {
        let (ag, bg) = (&a * &g, &b * &g);
        let u = ag.to_univariate(0).gcd(&bg.to_univariate(0));
        let flat = MPoly::from_univariate(&u, 0);
        prop_assert_eq!(flat.normalize(), ag.gcd(&bg));
    }
}

#[test]
fn gcd_examples() {
    // Three variables, a planted factor of degree 4.
    let g = pz("x^2*y - 3*z^2 + x*y*z + 7");
    let a = &pz("(x + y + z)^3 - 2") * &g;
    let b = &pz("x^4 - y*z^2 + 5*x") * &g;
    assert_eq!(a.gcd(&b), g.normalize());
    // Four variables, degree 6 products.
    let g = pz("(1 + x + 2*y + 3*z + w)^3 + x*y*z*w - 5");
    let a = &pz("(x - y + z + 2*w + 2)^3 + y^3 - 7*x") * &g;
    let b = &pz("(2*x + y - z + w + 1)^3 + z^3*x + 3") * &g;
    assert_eq!(a.gcd(&b), g.normalize());
    assert!(pz("(x + y + z + 1)^8 - 3").gcd(&pz("(x - y + 2*z + 1)^8 + 1")).is_one());
    // A variable in one input only (x, of degree 300): the gcd folds over its coefficients.
    let a = pz("(x^300 + 3*y*x^7 - 2)*(y + z)*6*x^2");
    let b = pz("(y + z)^2*z^3*4*x");
    assert_eq!(show(&a.gcd(&b)), "2*x*y + 2*x*z");
    assert!(pz("x^300*y + 5").gcd(&pz("y^2 + 1")).is_one());
    // Coprime inputs.
    assert!(pz("x^2 + y^2 + 1").gcd(&pz("x*y - 1")).is_one());
    // Contents: integer and monomial.
    assert_eq!(show(&pz("6*x^2*y").gcd(&pz("4*x*y^3"))), "2*x*y");
    assert_eq!(show(&pz("0").gcd(&pz("-2*x"))), "2*x");
    // A single term on either side: a term's divisors are terms.
    assert_eq!(show(&pz("-6*x^3*y").gcd(&pz("4*x^2*y*z + 10*x*y^2"))), "2*x*y");
    assert_eq!(show(&pz("4*x^2*z + 10*x*y^2").gcd(&pz("-6*x^3*y"))), "2*x");
    assert!(pz("x").gcd(&pz("1")).is_one());
    assert!(pz("x").gcd(&pz("y")).is_one());
    assert_eq!(show(&pz("-3").gcd(&pz("6*x + 9"))), "3");
    assert_eq!(show(&pz("x^2").gcd(&pz("x^5*y - x^3"))), "x^2");
}

#[test]
fn gcd_of_high_powers_with_large_coefficients() {
    // Degree 11 in three variables with 200-bit coefficients: the heuristic gcd's evaluations
    // reach about half a million bits, still under its budget, and stay correct.
    let g = pz("3*x*y + 1267650600228229401496703205376*z + 1");
    let a = &pz("(1606938044258990275541962092341162602522202993782792835301376*x + y*z + 7)^10") * &g;
    let b = &pz("(x*z - 1606938044258990275541962092341162602522202993782792835301377*y)^10 + 5") * &g;
    assert_eq!(a.gcd(&b), g.normalize());
}
