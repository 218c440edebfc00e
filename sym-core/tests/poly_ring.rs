//! Property tests of the coefficient rings: the ring laws for every instance, and the machine-word
//! fast paths of `Int` and `Zp` against GMP / `u128` arithmetic as oracles.

mod poly_common;

use poly_common::*;
use proptest::prelude::*;
use rug::Integer;
use sym_core::poly::ring::IntAcc;
use sym_core::poly::{GcdDomain, Int, Lex, MPoly, PolyRing, Q, Ring, Z, Zp};

/// The commutative-ring laws and the exact-division contract, for three elements.
fn ring_laws<R: Ring>(r: &R, a: &R::Elem, b: &R::Elem, c: &R::Elem) {
    // Addition: associative, commutative, identity, inverse.
    assert_eq!(r.add(&r.add(a, b), c), r.add(a, &r.add(b, c)));
    assert_eq!(r.add(a, b), r.add(b, a));
    assert_eq!(r.add(a, &r.zero()), *a);
    assert!(r.is_zero(&r.add(a, &r.neg(a))));
    assert_eq!(r.sub(a, b), r.add(a, &r.neg(b)));
    // Multiplication: associative, commutative, identity, distributive.
    assert_eq!(r.mul(&r.mul(a, b), c), r.mul(a, &r.mul(b, c)));
    assert_eq!(r.mul(a, b), r.mul(b, a));
    assert_eq!(r.mul(a, &r.one()), *a);
    assert_eq!(r.mul(a, &r.add(b, c)), r.add(&r.mul(a, b), &r.mul(a, c)));
    // In-place forms agree with the pure ones.
    let mut x = a.clone();
    r.add_mul_assign(&mut x, b, c);
    assert_eq!(x, r.add(a, &r.mul(b, c)));
    let mut x = a.clone();
    r.sub_mul_assign(&mut x, b, c);
    assert_eq!(x, r.sub(a, &r.mul(b, c)));
    // Accumulator: a + b*c - c*a.
    let mut acc = r.acc_zero();
    r.acc_add(&mut acc, a);
    r.acc_add_mul(&mut acc, b, c);
    r.acc_sub_mul(&mut acc, c, a);
    assert_eq!(r.acc_take(&mut acc), r.sub(&r.add(a, &r.mul(b, c)), &r.mul(c, a)));
    assert!(r.is_zero(&r.acc_take(&mut acc)));
    // Exact division: (a b) / b == a for b != 0; division by zero is None.
    if !r.is_zero(b) {
        assert_eq!(r.try_div(&r.mul(a, b), b), Some(a.clone()));
    }
    assert_eq!(r.try_div(a, &r.zero()), None);
    // Powers agree with repeated products.
    assert_eq!(r.pow(a, 3), r.mul(a, &r.mul(a, a)));
}

fn zp_strategy() -> impl Strategy<Value = Zp> {
    prop_oneof![
        Just(Zp::new(2).unwrap()),
        Just(Zp::new(7).unwrap()),
        Just(Zp::new(65_537).unwrap()),
        Just(Zp::new(4_611_686_018_427_387_847).unwrap()), // largest prime below 2^62
        Just(Zp::new(9_223_372_036_854_775_783).unwrap()), // largest prime below 2^63
    ]
}

proptest! {
    #![proptest_config(pconfig("proptest-regressions/poly_ring.txt", 256))]

    #[test]
    fn integers_satisfy_ring_laws(a in int_strategy(), b in int_strategy(), c in int_strategy()) {
        ring_laws(&Z, &a, &b, &c);
    }

    #[test]
    fn rationals_satisfy_ring_laws(a in rat_strategy(), b in rat_strategy(), c in rat_strategy()) {
        ring_laws(&Q, &a, &b, &c);
    }

    #[test]
    fn residues_satisfy_ring_laws(p in zp_strategy(), a in any::<u64>(), b in any::<u64>(), c in any::<u64>()) {
        let (a, b, c) = (p.from_u64(a), p.from_u64(b), p.from_u64(c));
        ring_laws(&p, &a, &b, &c);
        if a != 0 {
            // Field: a * a^-1 = 1.
            use sym_core::poly::Field;
            prop_assert_eq!(p.mul(&a, &p.inv(&a).unwrap()), 1);
        }
    }

    #[test]
    fn polynomials_satisfy_ring_laws(
        a in mpoly_z::<Lex>(2, 4, 5),
        b in mpoly_z::<Lex>(2, 4, 5),
        c in mpoly_z::<Lex>(2, 4, 5),
    ) {
        let r = PolyRing::<_, Lex>::new(Z, 2);
        ring_laws(&r, &a, &b, &c);
    }

    /// Every `Int` operation agrees with GMP.
    #[test]
    fn int_matches_gmp(a in int_strategy(), b in int_strategy()) {
        let (x, y) = (a.to_integer(), b.to_integer());
        prop_assert_eq!((&a + &b).to_integer(), Integer::from(&x + &y));
        prop_assert_eq!((&a - &b).to_integer(), Integer::from(&x - &y));
        prop_assert_eq!((&a * &b).to_integer(), Integer::from(&x * &y));
        prop_assert_eq!((-&a).to_integer(), Integer::from(-&x));
        prop_assert_eq!(a.gcd(&b).to_integer(), Integer::from(x.gcd_ref(&y)));
        prop_assert_eq!(a.cmp(&b), x.cmp(&y));
        prop_assert_eq!(a.signum(), x.cmp0() as i32);
        prop_assert_eq!(a.to_string(), x.to_string());
        prop_assert_eq!(Int::from(x.clone()), a.clone());
        if !y.is_zero() {
            let (q, r) = a.div_rem_floor(&b).unwrap();
            let (qq, rr) = x.clone().div_rem_floor(y.clone());
            prop_assert_eq!((q.to_integer(), r.to_integer()), (qq, rr));
            let exact = x.is_divisible(&y);
            prop_assert_eq!(a.checked_div_exact(&b).is_some(), exact);
            prop_assert_eq!((&a * &b).checked_div_exact(&b), Some(a.clone()));
        }
        let p = 1_000_000_007u64;
        prop_assert_eq!(Integer::from(a.rem_u64(p)), x.clone().div_rem_euc(Integer::from(p)).1);
        // Canonical form: small values are small.
        prop_assert_eq!(a.as_i64().is_some(), x.to_i64().is_some());
        // The accumulator spills to GMP and back correctly.
        let mut acc = IntAcc::new();
        for _ in 0..5 {
            acc.add_mul(&a, &b);
        }
        acc.sub_mul(&b, &b);
        let expect = Integer::from(&x * &y) * 5 - Integer::from(&y * &y);
        prop_assert_eq!(acc.take().to_integer(), expect);
    }

    /// `Zp` reduction agrees with `u128 %`.
    #[test]
    fn zp_matches_u128(p in zp_strategy(), a in any::<u64>(), b in any::<u64>(), x in any::<u128>()) {
        let m = p.modulus();
        let (a, b) = (a % m, b % m);
        prop_assert_eq!(p.mul_mod(a, b), ((a as u128 * b as u128) % m as u128) as u64);
        prop_assert_eq!(p.reduce_u128(x), (x % m as u128) as u64);
        prop_assert_eq!(p.add_mod(a, b), ((a as u128 + b as u128) % m as u128) as u64);
        prop_assert_eq!(p.sub_mod(a, b), ((a as u128 + m as u128 - b as u128) % m as u128) as u64);
    }

    /// Normal forms: `a = unit_part(a) * normalize(a)` and gcds are normalised.
    #[test]
    fn gcd_domain_normal_forms(a in int_strategy(), b in int_strategy()) {
        prop_assert_eq!(Z.mul(&Z.unit_part(&a), &Z.normalize(&a)), a.clone());
        let g = Z.gcd(&a, &b);
        prop_assert!(!g.is_negative());
        if !g.is_zero() {
            prop_assert!(Z.try_div(&a, &g).is_some() && Z.try_div(&b, &g).is_some());
        }
        let pa = MPoly::<_, Lex>::constant(Z, 1, a.clone());
        let r = PolyRing::<_, Lex>::new(Z, 1);
        prop_assert_eq!(r.mul(&r.unit_part(&pa), &r.normalize(&pa)), pa);
    }
}

#[test]
fn zp_rejects_non_primes() {
    for bad in [0u64, 1, 4, 561, 1 << 63, u64::MAX] {
        assert!(Zp::new(bad).is_err(), "{bad}");
    }
}
