//! Property tests of dense univariate polynomials: division identities, GCDs (modular,
//! subresultant, Euclid), resultants and discriminants against product formulas over known roots,
//! square-free decomposition, Taylor shifts, composition, Sturm and Descartes counts.

mod poly_common;

use poly_common::*;
use proptest::prelude::*;
use rug::ops::Pow;
use rug::{Integer, Rational};
use sym_core::poly::{Int, IntegerRing, Lex, MPoly, PolyRing, Q, Ring, UPoly, Z, Zp, subresultant_gcd};

/// `lc * prod (x - r_i)` over Z.
fn from_roots(lc: i64, roots: &[i64]) -> UPoly<IntegerRing> {
    let mut p = uz(&[lc]);
    for &r in roots {
        p = p.mul(&uz(&[-r, 1]));
    }
    p
}

fn roots() -> impl Strategy<Value = Vec<i64>> {
    prop::collection::vec(-6i64..7, 1..5)
}

fn lead() -> impl Strategy<Value = i64> {
    prop_oneof![1i64..5, -4i64..0]
}

/// A schoolbook product without the accumulator or Karatsuba (oracle).
fn naive_umul(a: &UPoly<IntegerRing>, b: &UPoly<IntegerRing>) -> UPoly<IntegerRing> {
    if a.is_zero() || b.is_zero() {
        return UPoly::zero(Z);
    }
    let mut c = vec![Int::ZERO; a.coeffs().len() + b.coeffs().len() - 1];
    for (i, x) in a.coeffs().iter().enumerate() {
        for (j, y) in b.coeffs().iter().enumerate() {
            c[i + j] = &c[i + j] + &(x * y);
        }
    }
    UPoly::from_coeffs(Z, c)
}

proptest! {
    #![proptest_config(pconfig("proptest-regressions/poly_upoly.txt", 128))]

    /// Products (schoolbook and Karatsuba) match a naive loop; the ring laws hold.
    #[test]
    fn products(a in upoly_z(120), b in upoly_z(120), c in upoly_z(10)) {
        prop_assert_eq!(a.mul(&b), naive_umul(&a, &b));
        prop_assert_eq!(a.mul(&b), b.mul(&a));
        prop_assert_eq!(a.mul(&b.add(&c)), a.mul(&b).add(&a.mul(&c)));
        prop_assert!(a.sub(&a).is_zero());
    }

    /// Over a field: `a = q b + r`, `deg r < deg b`.
    #[test]
    fn divrem_identity(a in upoly_q(12), b in upoly_q(8)) {
        prop_assume!(!b.is_zero());
        let (q, r) = a.divrem(&b).unwrap();
        prop_assert_eq!(q.mul(&b).add(&r), a.clone());
        prop_assert!(r.deg() < b.deg());
    }

    /// Pseudo-division: `lc(b)^(deg a - deg b + 1) a = q b + r`, `deg r < deg b`.
    #[test]
    fn pseudo_division_identity(a in upoly_z(12), b in upoly_z(8)) {
        prop_assume!(!b.is_zero());
        let (q, r) = a.pseudo_divrem(&b).unwrap();
        prop_assert!(r.deg() < b.deg());
        if a.deg() >= b.deg() {
            let k = (a.deg() - b.deg() + 1) as u64;
            prop_assert_eq!(a.scale(&Z.pow(&b.lc(), k)), q.mul(&b).add(&r));
            prop_assert_eq!(a.pseudo_rem(&b).unwrap(), r);
        }
        let ab = a.mul(&b);
        prop_assert_eq!(ab.div_exact(&b).unwrap(), a);
    }

    /// GCD over Z: divides both, and `gcd(a g, b g) = g gcd(a, b)` up to sign; the modular and
    /// subresultant algorithms agree.
    #[test]
    fn gcd_over_z(a in upoly_z_small(8), b in upoly_z_small(8), g in upoly_z_small(5)) {
        prop_assume!(!g.is_zero());
        let d = a.gcd(&b);
        if !d.is_zero() {
            prop_assert!(a.divides_by(&d).unwrap().is_some());
            prop_assert!(b.divides_by(&d).unwrap().is_some());
            prop_assert!(!d.lc().is_negative());
        }
        let ag = a.mul(&g);
        let bg = b.mul(&g);
        let lhs = ag.gcd(&bg);
        prop_assert_eq!(&lhs, &g.mul(&d).normalize());
        prop_assert_eq!(subresultant_gcd(&ag, &bg), lhs.clone());
        // Maximality: the cofactors are coprime.
        if !lhs.is_zero() {
            let ca = ag.div_exact(&lhs).unwrap();
            let cb = bg.div_exact(&lhs).unwrap();
            prop_assert!(ca.gcd(&cb).is_one());
        }
    }

    /// GCD over Z with coefficients beyond 64 bits and degrees up to 40.
    #[test]
    fn gcd_over_z_large(a in upoly_z(40), b in upoly_z(40), g in upoly_z(12)) {
        prop_assume!(!g.is_zero());
        let ag = a.mul(&g);
        let bg = b.mul(&g);
        let lhs = ag.gcd(&bg);
        prop_assert_eq!(&lhs, &g.mul(&a.gcd(&b)).normalize());
    }

    /// GCD over Q is monic and agrees with Euclid; the extended gcd satisfies Bezout.
    #[test]
    fn gcd_over_q(a in upoly_q(8), b in upoly_q(8), g in upoly_q(4)) {
        prop_assume!(!g.is_zero());
        let (ag, bg) = (a.mul(&g), b.mul(&g));
        let d = ag.gcd(&bg);
        prop_assert_eq!(&d, &ag.gcd_euclid(&bg));
        prop_assert_eq!(&d, &g.mul(&a.gcd(&b)).monic());
        let (e, s, t) = ag.ext_gcd(&bg);
        prop_assert_eq!(&e, &d);
        prop_assert_eq!(s.mul(&ag).add(&t.mul(&bg)), e);
    }

    /// Extended gcd over Z/p satisfies Bezout and agrees with the dispatching gcd.
    #[test]
    fn ext_gcd_mod_p(a in prop::collection::vec(0u64..1000, 0..10), b in prop::collection::vec(0u64..1000, 0..10)) {
        let p = Zp::new(1009).unwrap();
        let a = UPoly::from_coeffs(p, a.into_iter().map(|x| p.from_u64(x)).collect());
        let b = UPoly::from_coeffs(p, b.into_iter().map(|x| p.from_u64(x)).collect());
        let (g, s, t) = a.ext_gcd(&b);
        prop_assert_eq!(s.mul(&a).add(&t.mul(&b)), g.clone());
        prop_assert_eq!(g, a.gcd(&b));
    }

    /// `Res(a, b) = lc_a^deg b lc_b^deg a prod (alpha_i - beta_j)`; zero iff a common root.
    #[test]
    fn resultant_product_formula(la in lead(), ra in roots(), lb in lead(), rb in roots()) {
        let a = from_roots(la, &ra);
        let b = from_roots(lb, &rb);
        let mut expect = Integer::from(la).pow(rb.len() as u32) * Integer::from(lb).pow(ra.len() as u32);
        for x in &ra {
            for y in &rb {
                expect *= x - y;
            }
        }
        let res = a.resultant(&b);
        prop_assert_eq!(res.to_integer(), expect.clone());
        let common = ra.iter().any(|x| rb.contains(x));
        prop_assert_eq!(res.is_zero(), common);
        // Res(b, a) = (-1)^(deg a deg b) Res(a, b).
        let sign = if ra.len() * rb.len() % 2 == 1 { -1 } else { 1 };
        prop_assert_eq!(b.resultant(&a).to_integer(), expect * sign);
        // The same over Q.
        prop_assert_eq!(a.to_rational().resultant(&b.to_rational()), Rational::from(res.to_integer()));
    }

    /// `disc(f) = lc^(2n-2) prod_{i<j} (r_i - r_j)^2`.
    #[test]
    fn discriminant_product_formula(l in lead(), r in prop::collection::vec(-6i64..7, 2..6)) {
        let f = from_roots(l, &r);
        let n = r.len() as u32;
        let mut expect = Integer::from(l).pow(2 * n - 2);
        for i in 0..r.len() {
            for j in i + 1..r.len() {
                expect *= Integer::from(r[i] - r[j]).pow(2);
            }
        }
        prop_assert_eq!(f.discriminant().unwrap().to_integer(), expect);
    }

    /// Resultants over `Z[y]`: evaluating at `y = c` commutes with the resultant in `x` when the
    /// leading coefficients do not vanish at `c`.
    #[test]
    fn resultant_over_polynomial_coefficients(
        a in mpoly_z::<Lex>(2, 3, 5),
        b in mpoly_z::<Lex>(2, 3, 5),
        c in -3i64..4,
    ) {
        let ua = a.to_univariate(0);
        let ub = b.to_univariate(0);
        prop_assume!(!ua.is_zero() && !ub.is_zero());
        let r = ua.resultant(&ub);
        let at = |u: &UPoly<PolyRing<IntegerRing, Lex>>| {
            u.map_coeffs(Z, |m| m.eval(&[Int::ZERO, Int::from(c)]))
        };
        let (ea, eb) = (at(&ua), at(&ub));
        prop_assume!(ea.deg() == ua.deg() && eb.deg() == ub.deg());
        prop_assert_eq!(r.eval(&[Int::ZERO, Int::from(c)]), ea.resultant(&eb));
    }

    /// Yun: the parts multiply back, are square-free, pairwise coprime, and carry the planted
    /// multiplicities.
    #[test]
    fn square_free_decomposition(l in lead(), r in prop::collection::vec((-5i64..6, 1usize..4), 1..4), extra in upoly_z_small(4)) {
        let mut f = uz(&[l]);
        for (root, m) in &r {
            for _ in 0..*m {
                f = f.mul(&uz(&[-root, 1]));
            }
        }
        prop_assume!(!extra.is_zero());
        f = f.mul(&extra);
        let sf = f.square_free().unwrap();
        prop_assert_eq!(sf.expand(Z), f.clone());
        for (i, (a, _)) in sf.factors.iter().enumerate() {
            prop_assert!(a.gcd(&a.derivative()).is_constant(), "not square-free: {}", a);
            for (b, _) in &sf.factors[i + 1..] {
                prop_assert!(a.gcd(b).is_constant());
            }
        }
        // Every planted linear factor appears with at least its multiplicity.
        for (root, m) in &r {
            let total: usize = sf.factors.iter().filter(|(a, _)| a.eval(&Int::from(*root)).is_zero()).map(|(_, e)| *e).sum();
            prop_assert!(total >= r.iter().filter(|(x, _)| x == root).map(|(_, k)| *k).sum::<usize>().min(*m));
        }
        // Over Q the decomposition is the monic version.
        let q = f.to_rational().square_free().unwrap();
        prop_assert_eq!(q.expand(Q), f.to_rational());
    }

    /// Taylor shift agrees with evaluation: `shift(f, c)(t) = f(t + c)`; composition too.
    #[test]
    fn taylor_shift_and_compose(f in upoly_z(12), g in upoly_z_small(4), c in -5i64..6, t in -5i64..6) {
        let s = f.taylor_shift(&Int::from(c));
        prop_assert_eq!(s.eval(&Int::from(t)), f.eval(&Int::from(t + c)));
        prop_assert_eq!(s.taylor_shift(&Int::from(-c)), f.clone());
        let fg = f.compose(&g);
        prop_assert_eq!(fg.eval(&Int::from(t)), f.eval(&g.eval(&Int::from(t))));
        // Floating evaluation agrees.
        let exact = f.eval(&Int::from(t)).to_f64();
        let approx = f.eval_f64(t as f64);
        prop_assert!((exact - approx).abs() <= 1e-9 * (1.0 + exact.abs()));
        let m = f.eval_float(&rug::Float::with_val(200, t), 200);
        prop_assert_eq!(m.to_integer().unwrap(), f.eval(&Int::from(t)).to_integer());
    }

    /// Sturm counts distinct real roots; Descartes bounds positive roots with the right parity.
    #[test]
    fn real_root_counts(l in lead(), r in prop::collection::vec(-6i64..7, 1..6), twist in any::<bool>()) {
        let mut f = from_roots(l, &r);
        if twist {
            f = f.mul(&uz(&[1, 0, 1])); // x^2 + 1 adds no real root
        }
        let mut distinct = r.clone();
        distinct.sort();
        distinct.dedup();
        let q = f.to_rational();
        prop_assert_eq!(q.count_real_roots(), distinct.len());
        let (lo, hi) = (Rational::from(-2), Rational::from(3));
        let inside = distinct.iter().filter(|&&x| x > -2 && x <= 3).count();
        prop_assert_eq!(q.count_roots_between(&lo, &hi), inside);
        let positive = r.iter().filter(|&&x| x > 0).count();
        let v = f.descartes_bound();
        prop_assert!(v >= positive && (v - positive).is_multiple_of(2));
        // Every root lies inside the Cauchy bound.
        let bound = f.cauchy_bound();
        prop_assert!(r.iter().all(|&x| x.abs() < bound));
    }
}

/// Degree-200 inputs: the modular gcd recovers a planted common factor.
#[test]
fn gcd_degree_200() {
    let mut state = 12345u64;
    let mut rand_poly = |deg: usize| {
        let c: Vec<i64> = (0..=deg)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((state >> 33) % 2001) as i64 - 1000
            })
            .collect();
        uz(&c)
    };
    let g = rand_poly(60);
    let a = rand_poly(140).mul(&g);
    let b = rand_poly(140).mul(&g);
    assert_eq!(a.gcd(&b), g.normalize());
    let q = a.to_rational().gcd(&b.to_rational());
    assert_eq!(q, g.to_rational().monic());
    let _ = MPoly::<_, Lex>::from_upoly(&a, 1, 0);
}
