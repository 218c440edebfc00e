//! Data-driven tests of certified root finding on small classical cases: real isolation,
//! complex roots with their certified discs, multiplicities and the canonical order.

use expect_test::{Expect, expect};
use rug::Float;
use sym_core::poly::{IntegerRing, UPoly, Z};
use sym_solve::roots::{complex_roots, isolate_real_roots};

fn poly(c: &[i64]) -> UPoly<IntegerRing> {
    UPoly::from_i64s(Z, c)
}

/// A float rounded to `d` significant digits (exact zero prints as `0`).
fn fmt(x: &Float, d: usize) -> String {
    if x.is_zero() {
        return "0".into();
    }
    let v = Float::with_val(64, x);
    format!("{:.*e}", d - 1, v.to_f64())
}

fn show_complex(p: &UPoly<IntegerRing>, digits: u32) -> String {
    let roots = complex_roots(p, digits).unwrap();
    let mut out = String::new();
    for r in &roots {
        let rad = r.radius();
        let ok = r.meets_digits(digits);
        out.push_str(&format!(
            "{} {} m={}{}{}{}\n",
            fmt(r.re(), 15),
            fmt(r.im(), 15),
            r.multiplicity(),
            if r.is_real() { " real" } else { "" },
            match r.exact() {
                Some(q) => format!(" exact={q}"),
                None => String::new(),
            },
            if ok && rad.to_f64() >= 0.0 { "" } else { " RADIUS-TOO-BIG" },
        ));
    }
    out
}

fn check_complex(c: &[i64], digits: u32, e: Expect) {
    e.assert_eq(&show_complex(&poly(c), digits));
}

fn check_real(c: &[i64], e: Expect) {
    let roots = isolate_real_roots(&poly(c)).unwrap();
    let mut out = String::new();
    for r in &roots {
        match r.exact() {
            Some(q) => out.push_str(&format!("exact {q} m={}\n", r.multiplicity())),
            None => out.push_str(&format!("({}, {}) m={}\n", r.lo(), r.hi(), r.multiplicity())),
        }
    }
    e.assert_eq(&out);
}

#[test]
fn real_isolation() {
    check_real(
        &[-2, 0, 1],
        expect![[r#"
        (-3/2, -1) m=1
        (1, 3/2) m=1
    "#]],
    );
    check_real(
        &[1, -1, 0, 0, 0, 1],
        expect![[r#"
        (-3/2, -1) m=1
    "#]],
    );
    check_real(&[1, 0, 0, 0, 1], expect![[""]]);
    // (x - 1)^3 (x + 2) = x^4 - x^3 - 3x^2 + 5x - 2
    check_real(
        &[-2, 5, -3, -1, 1],
        expect![[r#"
        exact -2 m=1
        exact 1 m=3
    "#]],
    );
    // (3x - 1)(x + 5)x^2
    check_real(
        &[0, 0, -5, 14, 3],
        expect![[r#"
        exact -5 m=1
        exact 0 m=2
        exact 1/3 m=1
    "#]],
    );
}

#[test]
fn complex_small() {
    check_complex(
        &[-2, 0, 1],
        20,
        expect![[r#"
        -1.41421356237310e0 0 m=1 real
        1.41421356237310e0 0 m=1 real
    "#]],
    );
    check_complex(
        &[1, -1, 0, 0, 0, 1],
        20,
        expect![[r#"
        -1.16730397826142e0 0 m=1 real
        -1.81232444469875e-1 -1.08395410131771e0 m=1
        -1.81232444469875e-1 1.08395410131771e0 m=1
        7.64884433600585e-1 -3.52471546031726e-1 m=1
        7.64884433600585e-1 3.52471546031726e-1 m=1
    "#]],
    );
    check_complex(
        &[1, 0, 0, 0, 1],
        20,
        expect![[r#"
        -7.07106781186548e-1 -7.07106781186548e-1 m=1
        -7.07106781186548e-1 7.07106781186548e-1 m=1
        7.07106781186548e-1 -7.07106781186548e-1 m=1
        7.07106781186548e-1 7.07106781186548e-1 m=1
    "#]],
    );
    check_complex(
        &[-2, 5, -3, -1, 1],
        20,
        expect![[r#"
        -2.00000000000000e0 0 m=1 real exact=-2
        1.00000000000000e0 0 m=3 real exact=1
    "#]],
    );
    check_complex(
        &[1, 0, 1],
        20,
        expect![[r#"
        0 -1.00000000000000e0 m=1
        0 1.00000000000000e0 m=1
    "#]],
    );
}

fn wilkinson(n: i64) -> UPoly<IntegerRing> {
    let mut p = poly(&[1]);
    for k in 1..=n {
        p = p.mul(&poly(&[-k, 1]));
    }
    p
}

#[test]
fn complex_wilkinson_and_clusters() {
    let w = wilkinson(20);
    let shown = show_complex(&w, 20);
    expect![[r#"
        1.00000000000000e0 0 m=1 real exact=1
        2.00000000000000e0 0 m=1 real exact=2
        3.00000000000000e0 0 m=1 real exact=3
        4.00000000000000e0 0 m=1 real exact=4
        5.00000000000000e0 0 m=1 real exact=5
        6.00000000000000e0 0 m=1 real exact=6
        7.00000000000000e0 0 m=1 real exact=7
        8.00000000000000e0 0 m=1 real exact=8
        9.00000000000000e0 0 m=1 real exact=9
        1.00000000000000e1 0 m=1 real exact=10
        1.10000000000000e1 0 m=1 real exact=11
        1.20000000000000e1 0 m=1 real exact=12
        1.30000000000000e1 0 m=1 real exact=13
        1.40000000000000e1 0 m=1 real exact=14
        1.50000000000000e1 0 m=1 real exact=15
        1.60000000000000e1 0 m=1 real exact=16
        1.70000000000000e1 0 m=1 real exact=17
        1.80000000000000e1 0 m=1 real exact=18
        1.90000000000000e1 0 m=1 real exact=19
        2.00000000000000e1 0 m=1 real exact=20
    "#]]
    .assert_eq(&shown);
    // Mignotte-like x^20 - 2 (100 x - 1)^2: two real roots within about 1e-21 of each other.
    let mut c = vec![0i64; 21];
    c[20] = 1;
    c[2] = -20000;
    c[1] = 400;
    c[0] = -2;
    check_complex(
        &c,
        15,
        expect![[r#"
        -1.73469644026073e0 0 m=1 real
        1.00000000000000e-2 0 m=1 real
        1.00000000000000e-2 0 m=1 real
        1.73247418456540e0 0 m=1 real
        -1.63014844954964e0 -5.92923522053701e-1 m=1
        -1.63014844954964e0 5.92923522053701e-1 m=1
        -1.32911450938015e0 -1.11433172039526e0 m=1
        -1.32911450938015e0 1.11433172039526e0 m=1
        -8.67903759087594e-1 -1.50133507312665e0 m=1
        -8.67903759087594e-1 1.50133507312665e0 m=1
        -3.02145025777600e-1 -1.70725526372603e0 m=1
        -3.02145025777600e-1 1.70725526372603e0 m=1
        2.99922835007921e-1 -1.70725527517341e0 m=1
        2.99922835007921e-1 1.70725527517341e0 m=1
        8.65681553601926e-1 -1.50133510211330e0 m=1
        8.65681553601926e-1 1.50133510211330e0 m=1
        1.32689228134661e0 -1.11433175335913e0 m=1
        1.32689228134661e0 1.11433175335913e0 m=1
        1.62792620168619e0 -5.92923543570180e-1 m=1
        1.62792620168619e0 5.92923543570180e-1 m=1
    "#]],
    );
}

#[test]
fn mignotte_close_roots_are_separated() {
    use sym_solve::roots::root_of;
    // x^20 - 2 (100 x - 1)^2: RootOf indices 1 and 2 are the two real roots near 1/100.
    let mut c = vec![0i64; 21];
    c[20] = 1;
    c[2] = -20000;
    c[1] = 400;
    c[0] = -2;
    let p = poly(&c);
    let a = root_of(&p, 1, 40).unwrap();
    let b = root_of(&p, 2, 40).unwrap();
    assert!(a.is_real() && b.is_real());
    let shown = format!("{}\n{}", a.re().to_string_radix(10, Some(40)), b.re().to_string_radix(10, Some(40)));
    expect![[r#"
        9.999999999999999999929289321881345247565e-3
        1.000000000000000000007071067811865475245e-2"#]]
    .assert_eq(&shown);
}

#[test]
fn ties_in_real_part() {
    // (x^2 + 1)(x^2 + 4): four roots with real part exactly 0.
    check_complex(
        &[4, 0, 5, 0, 1],
        10,
        expect![[r#"
        0 -2.00000000000000e0 m=1
        0 -1.00000000000000e0 m=1
        0 1.00000000000000e0 m=1
        0 2.00000000000000e0 m=1
    "#]],
    );
    // (x^2 - 2x + 2)(x^2 - 2x + 5): real parts exactly 1.
    check_complex(
        &[10, -14, 11, -4, 1],
        10,
        expect![[r#"
        1.00000000000000e0 -2.00000000000000e0 m=1
        1.00000000000000e0 -1.00000000000000e0 m=1
        1.00000000000000e0 1.00000000000000e0 m=1
        1.00000000000000e0 2.00000000000000e0 m=1
    "#]],
    );
    // (x^2 + 1)^2 (x - 3): multiplicities.
    check_complex(
        &[-3, 1, -6, 2, -3, 1],
        10,
        expect![[r#"
        3.00000000000000e0 0 m=1 real exact=3
        0 -1.00000000000000e0 m=2
        0 1.00000000000000e0 m=2
    "#]],
    );
}

#[test]
fn irrational_equal_real_parts_are_reported() {
    use sym_solve::roots::{RootLimits, RootsError, complex_roots_with};
    // (x^4 - 2x^2 + 9)(x^4 + 4x^2 + 36): roots +-sqrt(2) +- i and +-sqrt(2) +- 2i.
    let p = poly(&[9, 0, -2, 0, 1]).mul(&poly(&[36, 0, 4, 0, 1]));
    let limits = RootLimits::default().with_max_precision(2000);
    let err = complex_roots_with(&p, 10, &limits).unwrap_err();
    assert!(matches!(err, RootsError::OrderUndecided { .. }), "{err:?}");
}

#[test]
fn errors_and_limits() {
    use sym_solve::roots::{RootLimits, RootsError, complex_roots_with, isolate_real_roots_with, root_of};
    let zero = poly(&[]);
    assert_eq!(complex_roots(&zero, 10).unwrap_err(), RootsError::ZeroPolynomial);
    assert_eq!(isolate_real_roots(&zero).unwrap_err(), RootsError::ZeroPolynomial);
    assert!(complex_roots(&poly(&[7]), 10).unwrap().is_empty());
    assert!(isolate_real_roots(&poly(&[-7])).unwrap().is_empty());
    let small = RootLimits::default().with_max_degree(3);
    assert_eq!(
        complex_roots_with(&poly(&[1, 0, 0, 0, 1]), 10, &small).unwrap_err(),
        RootsError::DegreeLimit { degree: 4, limit: 3 }
    );
    assert_eq!(
        isolate_real_roots_with(&poly(&[1, 0, 0, 0, 1]), &small).unwrap_err(),
        RootsError::DegreeLimit { degree: 4, limit: 3 }
    );
    assert_eq!(root_of(&poly(&[-2, 0, 1]), 2, 10).unwrap_err(), RootsError::IndexOutOfRange { index: 2, degree: 2 });
    let tight = RootLimits::default().with_max_precision(100);
    assert_eq!(
        complex_roots_with(&poly(&[-2, 0, 1]), 40, &tight).unwrap_err(),
        RootsError::DigitsLimit { digits: 40, limit: 100 }
    );
    // A cluster that needs many sweeps: x^10 - 2 (10^6 x - 1)^2 has two roots within about
    // 1e-36 of each other near 1e-6; three sweeps do not suffice.
    let few = RootLimits::default().with_max_iterations(3);
    let mig = poly(&[-2, 4_000_000, -2_000_000_000_000, 0, 0, 0, 0, 0, 0, 0, 1]);
    let err = complex_roots_with(&mig, 30, &few).unwrap_err();
    assert!(matches!(err, RootsError::IterationLimit { .. }), "{err:?}");
}

#[test]
fn root_of_indices_count_multiplicity() {
    use sym_solve::roots::root_of;
    // (x - 1)^2 (x^2 + 1): indices 0 and 1 are the double root 1, then -i, then i.
    let p = poly(&[1, -2, 2, -2, 1]);
    let shown: Vec<String> = (0..4)
        .map(|k| {
            let r = root_of(&p, k, 30).unwrap();
            format!("{} {} m={}", fmt(r.re(), 12), fmt(r.im(), 12), r.multiplicity())
        })
        .collect();
    expect![[r#"
        1.00000000000e0 0 m=2
        1.00000000000e0 0 m=2
        0 -1.00000000000e0 m=1
        0 1.00000000000e0 m=1"#]]
    .assert_eq(&shown.join("\n"));
}
