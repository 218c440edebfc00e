//! Property tests of sparse multivariate polynomials: ring laws, the product kernels against a
//! naive product, powers, division identities, derivatives, evaluation, substitution and the
//! conversions between representations.

mod poly_common;

use poly_common::*;
use proptest::prelude::*;
use rug::Integer;
use sym_core::poly::{DegLex, GrevLex, Int, IntegerRing, Lex, Limits, MPoly, MonomialOrder, Q, Ring, Z, Zp};

fn point() -> impl Strategy<Value = Vec<Int>> {
    prop::collection::vec((-5i64..6).prop_map(Int::from), 3)
}

/// Checks the kernels' product against the naive one, in order `O`.
fn product_matches<O: MonomialOrder>(a: &MPoly<IntegerRing, O>, b: &MPoly<IntegerRing, O>) {
    let p = a.mul(b);
    assert_eq!(p, naive_mul(a, b), "{a:?} * {b:?}");
    // The invariants: decreasing order, no zero coefficients.
    for i in 1..p.len() {
        assert_eq!(O::cmp_exps(&p.exponents(i - 1), &p.exponents(i)), std::cmp::Ordering::Greater);
    }
    assert!(p.coeffs().iter().all(|c| !c.is_zero()));
}

/// Substitution of a single term by rebuilding every term (oracle).
fn naive_substitute(a: &MPoly<IntegerRing, Lex>, v: usize, t: &MPoly<IntegerRing, Lex>) -> MPoly<IntegerRing, Lex> {
    if t.is_zero() {
        return a.eval_var(v, &Int::ZERO);
    }
    let te = t.exponents(0);
    let terms = a.terms().map(|(c, mut e)| {
        let k = std::mem::take(&mut e[v]);
        for (x, y) in e.iter_mut().zip(&te) {
            *x += k * y;
        }
        (c * &t.coeffs()[0].pow(k as u32), e)
    });
    MPoly::from_terms(Z, a.nvars(), terms.collect::<Vec<_>>()).unwrap()
}

proptest! {
    #![proptest_config(pconfig("proptest-regressions/poly_mpoly.txt", 128))]

    /// `+` and `*` form a commutative ring; `a - a = 0`.
    #[test]
    fn mpoly_ring_laws(a in mpoly_z::<Lex>(3, 5, 8), b in mpoly_z::<Lex>(3, 5, 8), c in mpoly_z::<Lex>(3, 5, 8)) {
        prop_assert_eq!(&(&a + &b) + &c, &a + &(&b + &c));
        prop_assert_eq!(&a + &b, &b + &a);
        prop_assert!((&a - &a).is_zero());
        prop_assert_eq!(&(&a * &b) * &c, &a * &(&b * &c));
        prop_assert_eq!(&a * &b, &b * &a);
        prop_assert_eq!(&a * &(&b + &c), &(&a * &b) + &(&a * &c));
        prop_assert_eq!(&a * &MPoly::one(Z, 3), a.clone());
    }

    /// The heap and dense kernels agree with the naive product in every order, including
    /// products whose exponents force a wider packing.
    #[test]
    fn products_match_naive(a in mpoly_z::<Lex>(3, 6, 12), b in mpoly_z::<Lex>(3, 6, 12), shift in 0u64..3) {
        product_matches(&a, &b);
        product_matches(&a.to_order::<GrevLex>(), &b.to_order::<GrevLex>());
        product_matches(&a.to_order::<DegLex>(), &b.to_order::<DegLex>());
        // Large exponents: x^(2^k) pushes the fields past one word.
        let big = MPoly::<_, Lex>::monomial(Z, Int::from(3), &[1 << (20 + 20 * shift), 5, 1]).unwrap();
        product_matches(&a, &(&b + &big));
        product_matches(&a.to_order::<GrevLex>(), &(&b + &big).to_order::<GrevLex>());
    }

    /// Dense products (many collisions) agree with the naive product.
    #[test]
    fn dense_products_match_naive(a in mpoly_z::<Lex>(2, 4, 16), b in mpoly_z::<Lex>(2, 4, 16)) {
        product_matches(&a, &b);
        product_matches(&a.to_order::<GrevLex>(), &b.to_order::<GrevLex>());
    }

    /// Powers (Miller recurrence or squaring) equal repeated naive products, over Z, Q and Z/p.
    #[test]
    fn powers_match_naive(a in mpoly_z::<Lex>(3, 3, 5), k in 0u64..6) {
        prop_assert_eq!(a.pow(k, &Limits::default()).unwrap(), naive_pow(&a, k));
        let g = a.to_order::<GrevLex>();
        prop_assert_eq!(g.pow(k, &Limits::default()).unwrap(), naive_pow(&g, k));
        let q = a.map_coeffs(Q, |c| rug::Rational::from(c.to_integer()));
        prop_assert_eq!(q.pow(k, &Limits::default()).unwrap(), naive_pow(&q, k));
        for p in [Zp::new(5).unwrap(), Zp::new(1_000_003).unwrap()] {
            let m = a.map_coeffs(p, |c| p.from_integer(&c.to_integer()));
            prop_assert_eq!(m.pow(k, &Limits::default()).unwrap(), naive_pow(&m, k));
        }
    }

    /// `(a b) / b == a` for exact division, and `divrem` gives `a = q b + r` with no term of
    /// `r` divisible by `LT(b)`.
    #[test]
    fn division_identities(a in mpoly_z::<Lex>(3, 4, 8), b in mpoly_z::<Lex>(3, 4, 6)) {
        if !b.is_zero() {
            let ab = &a * &b;
            prop_assert_eq!(ab.div_exact(&b).unwrap(), a.clone());
            let g = b.to_order::<GrevLex>();
            prop_assert_eq!((&a.to_order::<GrevLex>() * &g).div_exact(&g).unwrap(), a.to_order::<GrevLex>());
            let (q, r) = a.divrem(&b).unwrap();
            prop_assert_eq!(&(&q * &b) + &r, a.clone());
            let lt = b.leading_exponents().unwrap();
            let lc = b.lc();
            for (c, e) in r.terms() {
                let divisible = e.iter().zip(&lt).all(|(x, y)| x >= y);
                prop_assert!(!(divisible && c.checked_div_exact(&lc).is_some()), "reducible remainder term");
            }
            // Over Q the remainder has no term divisible by LM(b).
            let qa = a.map_coeffs(Q, |c| rug::Rational::from(c.to_integer()));
            let qb = b.map_coeffs(Q, |c| rug::Rational::from(c.to_integer()));
            let (qq, qr) = qa.divrem(&qb).unwrap();
            prop_assert_eq!(&(&qq * &qb) + &qr, qa);
            for (_, e) in qr.terms() {
                prop_assert!(!e.iter().zip(&lt).all(|(x, y)| x >= y));
            }
        }
    }

    /// Division by a list: `f = sum q_i g_i + r`, no term of `r` divisible by any `LT(g_i)`
    /// (over Q).
    #[test]
    fn divrem_list_identity(f in mpoly_q::<GrevLex>(3, 4, 8), g1 in mpoly_q::<GrevLex>(3, 3, 4), g2 in mpoly_q::<GrevLex>(3, 3, 4)) {
        prop_assume!(!g1.is_zero() && !g2.is_zero());
        let (qs, r) = f.divrem_list(&[g1.clone(), g2.clone()]).unwrap();
        prop_assert_eq!(&(&(&qs[0] * &g1) + &(&qs[1] * &g2)) + &r, f);
        for (_, e) in r.terms() {
            for g in [&g1, &g2] {
                let lt = g.leading_exponents().unwrap();
                prop_assert!(!e.iter().zip(&lt).all(|(x, y)| x >= y));
            }
        }
    }

    /// Derivatives: linear, Leibniz rule, and the value of d/dx x^n.
    #[test]
    fn derivative_rules(a in mpoly_z::<Lex>(3, 5, 8), b in mpoly_z::<Lex>(3, 5, 8), v in 0usize..3) {
        prop_assert_eq!((&a + &b).derivative(v), &a.derivative(v) + &b.derivative(v));
        prop_assert_eq!((&a * &b).derivative(v), &(&a.derivative(v) * &b) + &(&a * &b.derivative(v)));
        let g = a.to_order::<GrevLex>();
        prop_assert_eq!(g.derivative(v), a.derivative(v).to_order::<GrevLex>());
    }

    /// Evaluation is a ring homomorphism, agrees with f64 and MPFR evaluation, and partial
    /// evaluation commutes with full evaluation.
    #[test]
    fn evaluation(a in mpoly_z::<Lex>(3, 5, 8), b in mpoly_z::<Lex>(3, 5, 8), x in point(), v in 0usize..3) {
        prop_assert_eq!((&a * &b).eval(&x), &a.eval(&x) * &b.eval(&x));
        prop_assert_eq!((&a + &b).eval(&x), &a.eval(&x) + &b.eval(&x));
        let exact = a.eval(&x);
        let xf: Vec<f64> = x.iter().map(|t| t.to_f64()).collect();
        let approx = a.eval_f64(&xf);
        let scale: f64 = a.coeffs().iter().map(|c| c.to_f64().abs()).sum::<f64>() * 5f64.powi(15) + 1.0;
        prop_assert!((approx - exact.to_f64()).abs() <= 1e-12 * scale, "{approx} vs {exact}");
        let xm: Vec<rug::Float> = x.iter().map(|t| t.to_float(300)).collect();
        let m = a.eval_float(&xm, 300);
        prop_assert_eq!(m.to_integer().unwrap(), exact.to_integer());
        let partial = a.eval_var(v, &x[v]);
        prop_assert_eq!(partial.degree(v), 0);
        prop_assert_eq!(partial.eval(&x), exact);
    }

    /// Substitution: `subst(p, x_v -> h)(x) = p(x with x_v = h(x))`.
    #[test]
    fn substitution(a in mpoly_z::<Lex>(3, 4, 6), h in mpoly_z::<Lex>(3, 3, 3), x in point(), v in 0usize..3) {
        let s = a.substitute(v, &h, &Limits::default()).unwrap();
        let mut y = x.clone();
        y[v] = h.eval(&x);
        prop_assert_eq!(s.eval(&x), a.eval(&y));
        let g = a.to_order::<GrevLex>().substitute(v, &h.to_order::<GrevLex>(), &Limits::default()).unwrap();
        prop_assert_eq!(g, s.to_order::<GrevLex>());
        // A single-term h (the run-merging path), in both orders.
        let t = h.leading_term();
        let s1 = a.substitute(v, &t, &Limits::default()).unwrap();
        let mut y1 = x.clone();
        y1[v] = t.eval(&x);
        prop_assert_eq!(s1.eval(&x), a.eval(&y1));
        let g1 = a.to_order::<GrevLex>().substitute(v, &t.to_order::<GrevLex>(), &Limits::default()).unwrap();
        prop_assert_eq!(g1, s1.to_order::<GrevLex>());
        prop_assert_eq!(s1, naive_substitute(&a, v, &t));
    }

    /// Sparse inputs with large exponents take the run-merging paths of substitution and partial
    /// evaluation (their exponent boxes are too large to accumulate densely).
    #[test]
    fn sparse_substitution(a in mpoly_z::<Lex>(3, 60, 8), t in mpoly_z::<Lex>(3, 30, 2), x in point(), v in 0usize..3) {
        let t = t.leading_term();
        let s = a.substitute(v, &t, &Limits::default()).unwrap();
        prop_assert_eq!(&s, &naive_substitute(&a, v, &t));
        let g = a.to_order::<GrevLex>().substitute(v, &t.to_order::<GrevLex>(), &Limits::default()).unwrap();
        prop_assert_eq!(g, s.to_order::<GrevLex>());
        let partial = a.eval_var(v, &x[v]);
        prop_assert_eq!(partial, naive_substitute(&a, v, &MPoly::constant(Z, 3, x[v].clone())));
    }

    /// Round trips: orders, the recursive univariate view, dense univariate polynomials.
    #[test]
    fn conversions_round_trip(a in mpoly_z::<Lex>(3, 5, 8), v in 0usize..3) {
        prop_assert_eq!(a.to_order::<GrevLex>().to_order::<Lex>(), a.clone());
        prop_assert_eq!(a.to_order::<DegLex>().to_order::<Lex>(), a.clone());
        let u = a.to_univariate(v);
        for c in u.coeffs() {
            prop_assert_eq!(c.degree(v), 0);
        }
        prop_assert_eq!(MPoly::from_univariate(&u, v), a.clone());
        let only_v = a.eval_var((v + 1) % 3, &Int::from(2)).eval_var((v + 2) % 3, &Int::from(-1));
        let d = only_v.to_upoly(v).unwrap();
        prop_assert_eq!(MPoly::from_upoly(&d, 3, v), only_v);
    }

    /// Content and primitive part: `a = c * pp`, `pp` has content 1 and positive leading
    /// coefficient.
    #[test]
    fn content_primitive(a in mpoly_z::<Lex>(3, 4, 6)) {
        let (c, p) = a.content_primitive();
        prop_assert_eq!(p.scale(&c), a.clone());
        if !a.is_zero() {
            prop_assert!(p.content().is_one());
            prop_assert!(!p.lc().is_negative());
        }
    }
}

/// Multinomial coefficients of `(x+y+z+1)^n` against the closed form.
#[test]
fn multinomial_coefficients() {
    let f = pz("x + y + z + 1");
    let n = 20u32;
    let g = f.pow(u64::from(n), &Limits::default()).unwrap();
    let fact = |k: u32| Integer::from(Integer::factorial(k));
    for (c, e) in g.terms() {
        let rest = n - (e[0] + e[1] + e[2]) as u32;
        let expect = fact(n) / fact(e[0] as u32) / fact(e[1] as u32) / fact(e[2] as u32) / fact(rest);
        assert_eq!(c.to_integer(), expect, "{e:?}");
    }
    assert_eq!(g.len(), 1771);
    // Coefficients past 64 bits: (x + y + 1)^90 has coefficients near 3^90.
    let h = pz("x + y + 1").pow(90, &Limits::default()).unwrap();
    let s: Integer = h.coeffs().iter().map(|c| c.to_integer()).sum();
    assert_eq!(s, Integer::from(Integer::u_pow_u(3, 90)));
    // Squaring path (a weight-free grevlex case) agrees too.
    let q = pz("x*y + x + y").to_order::<GrevLex>();
    assert_eq!(q.pow(7, &Limits::default()).unwrap(), naive_pow(&q, 7));
}

/// A ring without a characteristic-0 recurrence: powers over Z/2 and Z/3 use squaring.
#[test]
fn small_characteristic_powers() {
    for p in [2u64, 3] {
        let zp = Zp::new(p).unwrap();
        let f = pz("x + y + 1").map_coeffs(zp, |c| zp.from_integer(&c.to_integer()));
        assert_eq!(f.pow(9, &Limits::default()).unwrap(), naive_pow(&f, 9));
    }
}
