//! Data-driven tests of certified root finding on small classical cases: real isolation,
//! complex roots with their certified discs, multiplicities and the canonical order.

use expect_test::{Expect, expect};
use rug::Float;
use sym_core::poly::{UPoly, Z, IntegerRing};
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
    check_real(&[-2, 0, 1], expect![[r#"
        (-3/2, -1) m=1
        (1, 3/2) m=1
    "#]]);
    check_real(&[1, -1, 0, 0, 0, 1], expect![[r#"
        (-3/2, -1) m=1
    "#]]);
    check_real(&[1, 0, 0, 0, 1], expect![[""]]);
    // (x - 1)^3 (x + 2) = x^4 - x^3 - 3x^2 + 5x - 2
    check_real(&[-2, 5, -3, -1, 1], expect![[r#"
        exact -2 m=1
        exact 1 m=3
    "#]]);
    // (3x - 1)(x + 5)x^2
    check_real(&[0, 0, -5, 14, 3], expect![[r#"
        exact -5 m=1
        exact 0 m=2
        exact 1/3 m=1
    "#]]);
}

#[test]
fn complex_small() {
    check_complex(&[-2, 0, 1], 20, expect![[r#"
        -1.41421356237310e0 0 m=1 real
        1.41421356237310e0 0 m=1 real
    "#]]);
    check_complex(&[1, -1, 0, 0, 0, 1], 20, expect![[r#"
        -1.16730397826142e0 0 m=1 real
        -1.81232444469875e-1 -1.08395410131771e0 m=1
        -1.81232444469875e-1 1.08395410131771e0 m=1
        7.64884433600585e-1 -3.52471546031726e-1 m=1
        7.64884433600585e-1 3.52471546031726e-1 m=1
    "#]]);
    check_complex(&[1, 0, 0, 0, 1], 20, expect![[r#"
        -7.07106781186548e-1 -7.07106781186548e-1 m=1
        -7.07106781186548e-1 7.07106781186548e-1 m=1
        7.07106781186548e-1 -7.07106781186548e-1 m=1
        7.07106781186548e-1 7.07106781186548e-1 m=1
    "#]]);
    check_complex(&[-2, 5, -3, -1, 1], 20, expect![[r#"
        -2.00000000000000e0 0 m=1 real exact=-2
        1.00000000000000e0 0 m=3 real exact=1
    "#]]);
    check_complex(&[1, 0, 1], 20, expect![[r#"
        0 -1.00000000000000e0 m=1
        0 1.00000000000000e0 m=1
    "#]]);
}
