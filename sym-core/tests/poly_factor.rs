//! Tests of univariate factorisation: known irreducible families (x^4 + 1, cyclotomic and
//! Swinnerton-Dyer polynomials, Eisenstein polynomials), products of random factors recovered up
//! to units and order, and factorisation over Z/p against a brute-force search.

mod poly_common;

use expect_test::{Expect, expect};
use poly_common::*;
use proptest::prelude::*;
use sym_core::poly::{Factorization, Int, IntegerRing, Lex, MPoly, Ring, UPoly, Z, Zp};

fn show_factors(f: &Factorization<IntegerRing>) -> String {
    let mut s = f.unit.to_string();
    for (g, e) in &f.factors {
        s.push_str(&format!(" * ({g})"));
        if *e > 1 {
            s.push_str(&format!("^{e}"));
        }
    }
    s
}

fn check(f: &UPoly<IntegerRing>, e: Expect) {
    let fac = f.factor().unwrap();
    assert_eq!(fac.expand(Z), *f, "factorisation does not multiply back");
    e.assert_eq(&show_factors(&fac));
}

/// `x^n - 1`.
fn xn_minus_1(n: usize) -> UPoly<IntegerRing> {
    let mut c = vec![0i64; n + 1];
    c[0] = -1;
    c[n] = 1;
    uz(&c)
}

/// The cyclotomic polynomial `Phi_n`, from `x^n - 1 = prod_{d | n} Phi_d`.
fn cyclotomic(n: usize) -> UPoly<IntegerRing> {
    let mut p = xn_minus_1(n);
    for d in 1..n {
        if n.is_multiple_of(d) {
            p = p.div_exact(&cyclotomic(d)).unwrap();
        }
    }
    p
}

/// The Swinnerton-Dyer polynomial for the first `k` primes, `prod (x +- sqrt 2 +- sqrt 3 ...)`,
/// built by resultants: `S_k(x) = Res_y(S_{k-1}(x - y), y^2 - p_k)`.
fn swinnerton_dyer(k: usize) -> UPoly<IntegerRing> {
    let primes = [2i64, 3, 5, 7, 11];
    let mut s = uz(&[0, 1]); // x
    for &p in &primes[..k] {
        // In Z[x][y]: S(x - y) and y^2 - p, resultant in y.
        let sxy: MPoly<IntegerRing, Lex> = MPoly::from_upoly(&s, 2, 0)
            .substitute(0, &(&MPoly::var(Z, 2, 0) - &MPoly::var(Z, 2, 1)), &Default::default())
            .unwrap();
        let q: MPoly<IntegerRing, Lex> =
            &(&MPoly::var(Z, 2, 1) * &MPoly::var(Z, 2, 1)) - &MPoly::constant(Z, 2, Int::from(p));
        let r = sxy.to_univariate(1).resultant(&q.to_univariate(1));
        s = r.to_upoly(0).unwrap();
    }
    s
}

#[test]
fn known_factorisations() {
    check(&uz(&[1, 0, 0, 0, 1]), expect![["1 * (x^4 + 1)"]]);
    check(&uz(&[-1, 0, 0, 0, 1]), expect![["1 * (x - 1) * (x + 1) * (x^2 + 1)"]]);
    check(&uz(&[-6, 11, -6, 1]).scale(&Int::from(-4)), expect![["-4 * (x - 3) * (x - 2) * (x - 1)"]]);
    check(&uz(&[0, 0, 4, 0, -1]), expect!["-1 * (x - 2) * (x)^2 * (x + 2)"]);
    check(
        &uz(&[3, -2, 0, 0, 6]).mul(&uz(&[-1, 2])).mul(&uz(&[-1, 2])),
        expect![["1 * (2*x - 1)^2 * (6*x^4 - 2*x + 3)"]],
    );
    check(&uz(&[-2, 0, 0, 0, 0, 1]), expect![["1 * (x^5 - 2)"]]);
    check(&uz(&[7]), expect![["7"]]);
    check(&uz(&[1, 0, 1]).mul(&uz(&[1, 0, 1])).mul(&uz(&[2, 0, 1])), expect![["1 * (x^2 + 1)^2 * (x^2 + 2)"]]);
    // x^12 - 1 into cyclotomic factors.
    check(
        &xn_minus_1(12),
        expect![["1 * (x - 1) * (x + 1) * (x^2 - x + 1) * (x^2 + 1) * (x^2 + x + 1) * (x^4 - x^2 + 1)"]],
    );
    // Two quartics whose product has no rational roots: needs recombination.
    check(
        &uz(&[1, 0, -10, 0, 1]).mul(&uz(&[5, 1, 0, 3, 1])),
        expect![["1 * (x^4 - 10*x^2 + 1) * (x^4 + 3*x^3 + x + 5)"]],
    );
    let q = uq(&[-1, 0, 4]).scale(&rug::Rational::from((3, 2)));
    let f = q.factor().unwrap();
    assert_eq!(f.expand(sym_core::poly::Q), q);
    let shown: Vec<String> = f.factors.iter().map(|(g, _)| g.to_string()).collect();
    expect![[r#"6 ; ["x - 1/2", "x + 1/2"]"#]].assert_eq(&format!("{} ; {:?}", f.unit, shown));
}

#[test]
fn irreducible_families() {
    for n in 1..=36 {
        let phi = cyclotomic(n);
        assert!(phi.is_irreducible().unwrap(), "Phi_{n} = {phi}");
        // x^n - 1 has one factor per divisor of n.
        let divisors = (1..=n).filter(|d| n.is_multiple_of(*d)).count();
        assert_eq!(xn_minus_1(n).factor().unwrap().factors.len(), divisors, "x^{n} - 1");
    }
    for k in 1..=4 {
        let s = swinnerton_dyer(k);
        assert_eq!(s.deg(), 1 << k);
        assert!(s.is_irreducible().unwrap(), "S_{k} = {s}");
    }
    expect![["x^8 - 40*x^6 + 352*x^4 - 960*x^2 + 576"]].assert_eq(&swinnerton_dyer(3).to_string());
    // Eisenstein at 2: x^n + 2 x + 2 ... irreducible for every n.
    for n in 2..=12 {
        let mut c = vec![0i64; n + 1];
        c[0] = 2;
        c[1] = 2;
        c[n] = 1;
        assert!(uz(&c).is_irreducible().unwrap());
    }
    // Products of Swinnerton-Dyer polynomials (many modular factors to recombine).
    let p = swinnerton_dyer(3).mul(&swinnerton_dyer(3).taylor_shift(&Int::from(1)));
    let f = p.factor().unwrap();
    assert_eq!(f.factors.len(), 2);
    assert_eq!(f.expand(Z), p);
}

/// A brute-force irreducibility test over Z/p: no monic factor of degree `1..=deg/2`.
fn brute_irreducible(f: &UPoly<Zp>) -> bool {
    let p = f.ring().modulus();
    let n = f.deg() as usize;
    for d in 1..=n / 2 {
        let total = p.pow(d as u32);
        for code in 0..total {
            let mut c = Vec::with_capacity(d + 1);
            let mut x = code;
            for _ in 0..d {
                c.push(x % p);
                x /= p;
            }
            c.push(1);
            let g = UPoly::from_coeffs(*f.ring(), c);
            if f.divides_by(&g).unwrap().is_some() {
                return false;
            }
        }
    }
    true
}

proptest! {
    #![proptest_config(pconfig("proptest-regressions/poly_factor.txt", 48))]

    /// The factorisation of a product is the union of the factorisations of the parts, and
    /// multiplies back.
    #[test]
    fn products_are_recovered(parts in prop::collection::vec(upoly_z_small(5), 1..4)) {
        let parts: Vec<_> = parts.into_iter().filter(|p| !p.is_zero()).collect();
        prop_assume!(!parts.is_empty());
        let product = parts.iter().fold(uz(&[1]), |acc, p| acc.mul(p));
        let fac = product.factor().unwrap();
        prop_assert_eq!(fac.expand(Z), product.clone());
        // Collect the irreducible factors of the parts with multiplicities.
        let mut expected: Vec<(UPoly<IntegerRing>, usize)> = Vec::new();
        for p in &parts {
            for (g, e) in p.factor().unwrap().factors {
                match expected.iter_mut().find(|(h, _)| *h == g) {
                    Some(entry) => entry.1 += e,
                    None => expected.push((g, e)),
                }
            }
        }
        expected.sort_by(|(a, _), (b, _)| a.deg().cmp(&b.deg()).then_with(|| a.coeffs().cmp(b.coeffs())));
        prop_assert_eq!(fac.factors.clone(), expected);
        for (g, _) in &fac.factors {
            prop_assert!(g.content().is_one() && !g.lc().is_negative());
        }
    }

    /// Planted irreducible factors (linear, quadratics with negative discriminant, x^2 - prime)
    /// come back exactly.
    #[test]
    fn planted_factors(lin in prop::collection::vec((1i64..5, -6i64..7), 0..3), quad in prop::collection::vec((1i64..4, -3i64..4, 1i64..6), 0..3)) {
        let mut want: Vec<UPoly<IntegerRing>> = Vec::new();
        for (a, b) in lin {
            let g = uz(&[b, a]).primitive_part();
            want.push(g);
        }
        for (a, b, c) in quad {
            // a x^2 + b x + c with b^2 - 4ac < 0 is irreducible.
            prop_assume!(b * b - 4 * a * c < 0);
            want.push(uz(&[c, b, a]).primitive_part());
        }
        prop_assume!(!want.is_empty());
        let product = want.iter().fold(uz(&[1]), |acc, p| acc.mul(p));
        let fac = product.factor().unwrap();
        prop_assert_eq!(fac.expand(Z), product);
        let mut got: Vec<UPoly<IntegerRing>> = Vec::new();
        for (g, e) in &fac.factors {
            for _ in 0..*e {
                got.push(g.clone());
            }
        }
        let key = |p: &UPoly<IntegerRing>| (p.deg(), p.coeffs().to_vec());
        want.sort_by_key(key);
        got.sort_by_key(key);
        prop_assert_eq!(got, want);
    }

    /// Over Z/p (p = 3, 5, 7): the factors multiply back and each is irreducible by brute force.
    #[test]
    fn factor_mod_p(c in prop::collection::vec(0u64..7, 2..8), which in 0usize..3) {
        let p = Zp::new([3u64, 5, 7][which]).unwrap();
        let f = UPoly::from_coeffs(p, c.into_iter().map(|x| p.from_u64(x)).collect());
        prop_assume!(f.deg() >= 1);
        match f.factor_squarefree() {
            Ok((lc, factors)) => {
                let prod = factors.iter().fold(UPoly::constant(p, lc), |acc, g| acc.mul(g));
                prop_assert_eq!(prod, f);
                for g in &factors {
                    prop_assert!(g.is_monic() && brute_irreducible(g), "{}", g);
                }
            }
            Err(_) => prop_assert!(!f.gcd_euclid(&f.derivative()).is_one()),
        }
    }
}
