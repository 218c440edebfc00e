//! Data-driven checks of the polynomial engine: printed results of small computations.

mod poly_common;

use expect_test::{Expect, expect};
use poly_common::*;
use sym_core::poly::{GrevLex, Limits, PolyError, Ring, UPoly, Z, Zp, parse_mpoly};

fn check(actual: impl std::fmt::Display, e: Expect) {
    e.assert_eq(&actual.to_string());
}

#[test]
fn printing_and_parsing() {
    check(show(&pz("3*x^2*y - 2*y + 1 - x")), expect![["3*x^2*y - x - 2*y + 1"]]);
    check(show(&pz("(x - y)*(x + y)")), expect![["x^2 - y^2"]]);
    check(show(&pz("0*x")), expect![["0"]]);
    check(show(&pq("x/2 - 1/3")), expect![["(1/2)*x - 1/3"]]);
    check(show(&pz("-x^3")), expect![["-x^3"]]);
    let e = parse_mpoly::<_, sym_core::poly::Lex>("x/2", &NAMES, Z).unwrap_err();
    check(e, expect![["parse error at byte 2: division not exact in this ring"]]);
    let e = parse_mpoly::<_, sym_core::poly::Lex>("x + q", &NAMES, Z).unwrap_err();
    check(e, expect![["parse error at byte 4: unknown variable name"]]);
}

#[test]
fn orders() {
    let p = pz("x*y^2 + x^2 + y^3 + z + 1");
    check(show(&p), expect![["x^2 + x*y^2 + y^3 + z + 1"]]);
    check(show(&p.to_order::<GrevLex>()), expect![["x*y^2 + y^3 + x^2 + z + 1"]]);
    check(show(&p.to_order::<sym_core::poly::DegLex>()), expect![["x*y^2 + y^3 + x^2 + z + 1"]]);
    let q = pz("x*z + y^2");
    check(show(&q.to_order::<GrevLex>()), expect![["y^2 + x*z"]]);
}

#[test]
fn powers_and_products() {
    let f = pz("x + y + z + 1");
    let g = f.pow(20, &Limits::default()).unwrap();
    check(g.len(), expect![["1771"]]);
    check(g.lc(), expect![["1"]]);
    check(g.coeff_of(&[5, 5, 5, 0]), expect![["11732745024"]]);
    let h = pz("x + y + z + w + 1").pow(15, &Limits::default()).unwrap();
    check(h.len(), expect![["3876"]]);
    check(show(&pz("(x - 2*y)^3")), expect![["x^3 - 6*x^2*y + 12*x*y^2 - 8*y^3"]]);
    check(show(&pz("(x^2 + 1)^2*(y + 1)")), expect![["x^4*y + x^4 + 2*x^2*y + 2*x^2 + y + 1"]]);
    let big = pz("(2*x + 3)^70");
    check(big.lc(), expect![["1180591620717411303424"]]);
}

#[test]
fn limits() {
    let f = pz("x + y + z + 1");
    let e = f.pow(20, &Limits { max_terms: 1000, max_degree: 100 }).unwrap_err();
    check(e, expect!["power: result needs 1771 terms, the limit is 1000"]);
    let e = f.pow(200, &Limits { max_terms: 1000, max_degree: 100 }).unwrap_err();
    check(&e, expect![["power: result needs 200 degree, the limit is 100"]]);
    assert!(matches!(e, PolyError::Limit { .. }));
}

#[test]
fn division() {
    let f = pz("x^3*y + 2*x*y - y + 5");
    let g = pz("x*y - 1");
    let (q, r) = f.divrem(&g).unwrap();
    check(format!("{} | {}", show(&q), show(&r)), expect!["x^2 + 2 | x^2 - y + 7"]);
    let (qs, r) = pz("x^2*y + x*y^2 + y^2").divrem_list(&[pz("x*y - 1"), pz("y^2 - 1")]).unwrap();
    check(format!("{} ; {} | {}", show(&qs[0]), show(&qs[1]), show(&r)), expect![["x + y ; 1 | x + y + 1"]]);
    let e = pz("x^2 + 1").div_exact(&pz("x + 1")).unwrap_err();
    check(e, expect![["div_exact: the division is not exact"]]);
    check(show(&pz("x^2 - y^2").div_exact(&pz("x + y")).unwrap()), expect![["x - y"]]);
}

#[test]
fn calculus_and_substitution() {
    let f = pz("x^3*y^2 + 4*x*z - 7");
    check(show(&f.derivative(0)), expect![["3*x^2*y^2 + 4*z"]]);
    check(show(&f.derivative(1)), expect![["2*x^3*y"]]);
    let h = pz("y + 1");
    check(
        show(&f.substitute(0, &h, &Limits::default()).unwrap()),
        expect![["y^5 + 3*y^4 + 3*y^3 + y^2 + 4*y*z + 4*z - 7"]],
    );
    check(show(&f.substitute(0, &pz("y"), &Limits::default()).unwrap()), expect![["y^5 + 4*y*z - 7"]]);
    check(show(&f.eval_var(1, &Z.from_i64(2))), expect![["4*x^3 + 4*x*z - 7"]]);
    check(f.eval(&[2.into(), 3.into(), 5.into(), 0.into()]), expect![["105"]]);
    check(f.eval_f64(&[0.5, 2.0, 1.0, 0.0]), expect![["-4.5"]]);
}

#[test]
fn gcds() {
    let a = pz("(x + y)^2*(x - 2*z)*3");
    let b = pz("(x + y)*(x - 2*z)^2*6*y");
    check(show(&a.gcd(&b)), expect![["3*x^2 + 3*x*y - 6*x*z - 6*y*z"]]);
    let (g, ca, cb) = pq("x^2 - 1").gcd_cofactors(&pq("2*x^2 + 4*x + 2"));
    check(format!("{} ; {} ; {}", show(&g), show(&ca), show(&cb)), expect![["x + 1 ; x - 1 ; 2*x + 2"]]);
    check(show(&pz("x^3*y").gcd(&pz("x*y^2"))), expect![["x*y"]]);
    check(show(&pz("4*x + 6").gcd(&pz("6*x + 9"))), expect![["2*x + 3"]]);
    check(uz(&[-1, 0, 1]).gcd(&uz(&[1, 2, 1])), expect![["x + 1"]]);
    check(uq(&[-2, 0, 2]).gcd(&uq(&[3, 3])), expect![["x + 1"]]);
}

#[test]
fn univariate() {
    let f = uz(&[-1, 0, 0, 1]); // x^3 - 1
    let g = uz(&[1, 1]); // x + 1
    let (q, r) = f.divrem(&g).unwrap();
    check(format!("{q} | {r}"), expect![["x^2 - x + 1 | -2"]]);
    let (q, r) = uz(&[1, 0, 3]).pseudo_divrem(&uz(&[1, 2])).unwrap();
    check(format!("{q} | {r}"), expect![["6*x - 3 | 7"]]);
    check(uz(&[6, -5, 1]).resultant(&uz(&[-3, 1])), expect![["0"]]);
    check(uz(&[6, -5, 1]).resultant(&uz(&[-4, 1])), expect![["2"]]);
    check(uz(&[1, 0, 1]).discriminant().unwrap(), expect![["-4"]]);
    check(uz(&[1, 3, 3, 1]).taylor_shift(&Z.from_i64(-1)), expect![["x^3"]]);
    check(uz(&[1, -3, 0, 1]).sign_variations(), expect![["2"]]);
    let sf = uz(&[0, 0, 1, 3, 3, 1]).scale(&Z.from_i64(-2)).square_free().unwrap();
    let parts: Vec<String> = sf.factors.iter().map(|(a, e)| format!("({a})^{e}")).collect();
    check(format!("{} * {}", sf.unit, parts.join(" * ")), expect![["-2 * (x)^2 * (x + 1)^3"]]);
    let (g, s, t) = uq(&[-1, 0, 1]).ext_gcd(&uq(&[2, 1]));
    check(format!("{g} | {s} | {t}"), expect!["1 | 1/3 | -(1/3)*x + 2/3"]);
    check(uq(&[-2, 0, 1]).count_real_roots(), expect![["2"]]);
    check(uz(&[1, 1]).compose(&uz(&[0, 0, 1])), expect![["x^2 + 1"]]);
    let p = Zp::new(7).unwrap();
    check(UPoly::from_i64s(p, &[1, 0, 1]).gcd(&UPoly::from_i64s(p, &[3, 1])), expect!["1"]);
    check(Zp::new(8).unwrap_err(), expect![["modulus 8 is not a prime below 2^63"]]);
}

#[test]
fn nested_coefficients() {
    // Q[a][x]: resultant in x of (x^2 - a) and (x - a + 1) eliminates x.
    let pr = sym_core::poly::PolyRing::<_, sym_core::poly::Lex>::new(Z, 1);
    let a = pr.var(0);
    let one = pr.one();
    let f = UPoly::from_coeffs(pr.clone(), vec![a.neg(), pr.zero(), one.clone()]);
    let g = UPoly::from_coeffs(pr.clone(), vec![&one - &a, one.clone()]);
    let r = f.resultant(&g);
    check(r.display_with(&["a"]), expect![["a^2 - 3*a + 1"]]);
    check(f.display_with("x"), expect![["x^2 - x0"]]);
}
