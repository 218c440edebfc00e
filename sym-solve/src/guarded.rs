//! Closed forms of degree 3 and 4 for coefficients with parameters, with the guards of their
//! degenerate cases, built from integer-coefficient discriminants.
//!
//! For parametric coefficients the formulas are written so that the building blocks are
//! polynomials in the coefficients with integer coefficients (cheap to build and to test for
//! identical vanishing), and divisions happen once, at the end. Any branch of the square and
//! cube roots may be taken: the formulas hold for every choice (see each function).
//!
//! * Cubic `a x**3 + b x**2 + c x + d` (Cardano): with `D0 = b**2 - 3ac`,
//!   `D1 = 2b**3 - 9abc + 27a**2 d` and `C**3 = (D1 + sqrt(D1**2 - 4 D0**3))/2`,
//!   `x_k = -(b + w**k C + D0/(w**k C)) / (3a)` for the cube roots of unity `w**k`.
//!   `C = 0` forces `D0 = 0`, so the formula is guarded by `D0 != 0`; when `D0 = 0` the roots are
//!   `x_k = -(b + w**k D1**(1/3)) / (3a)`, built with the cube root `-(-D1)**(1/3)` of `D1`.
//!   (`D0 = -3a**2 p` for the depressed cubic's `p`.)
//! * Quartic `a x**4 + b x**3 + c x**2 + d x + e` (Ferrari, in the form of the general formula):
//!   with `P8 = 8ac - 3b**2`, `Q8 = b**3 - 4abc + 8a**2 d` (the depressed quartic's
//!   `p = P8/(8a**2)`, `q = Q8/(8a**3)`), `D0 = c**2 - 3bd + 12ae`,
//!   `D1 = 2c**3 - 9bcd + 27b**2 e + 27ad**2 - 72ace`, a root `K` of the resolvent
//!   (`K = C + D0/C` with `C**3 = (D1 + sqrt(D1**2 - 4 D0**3))/2`, or `K = D1**(1/3)` when
//!   `D0 = 0`), `W = 4aK - P8` (so that `S**2 = W/(48a**2)` is the usual `S**2`),
//!   `V = sqrt(W/3)` and `X_s = -(W + 3 P8) - 6 s Q8 / V`, the roots are
//!   `x = (-b + s V ± sqrt(X_s/3)) / (4a)` for `s = ±1`. This needs `S != 0`, which holds when
//!   `q != 0` (`S**2` is half a root of Ferrari's resolvent, whose constant term is `-q**2`).
//!   When `Q8 = 0` the quartic is biquadratic: `x = (-b ± sqrt(-P8 ± sqrt(P8**2 - R)))/(4a)` with
//!   `R = 256a**3 e - 64a**2 bd + 16ab**2 c - 3b**4` (the depressed `r = R/(256a**4)`).
//!
//! The caller guarantees `a != 0` (it splits off the case where `a` vanishes).

use crate::closed_form::Case;
use crate::zero_test::{is_numeric, is_zero};
use std::sync::OnceLock;
use sym_core::{Expr, Number, RelOp};

fn int(n: i64) -> Expr {
    Expr::int(n)
}

/// `k * f_1 * f_2 * ...`.
fn term(k: i64, fs: &[&Expr]) -> Expr {
    Expr::mul_all(std::iter::once(int(k)).chain(fs.iter().map(|f| (*f).clone())))
}

/// `sum k * f_1 * f_2 * ...` over the terms `(k, [f_1, f_2, ...])`, from the products of the
/// factors and the coefficients (no product with its coefficient is built only to be split
/// apart again by the sum).
fn poly(terms: &[(i64, &[&Expr])]) -> Expr {
    Expr::linear_combination(terms.iter().map(|(k, fs)| {
        let monomial = match fs {
            [f] => (*f).clone(),
            _ => Expr::mul_all(fs.iter().map(|f| (*f).clone())),
        };
        (monomial, Number::int(*k))
    }))
}

/// The cube roots of unity `w**k`, `k = 0, 1, 2`, built once.
pub(crate) fn omega(k: usize) -> Expr {
    static OMEGA: OnceLock<[Expr; 3]> = OnceLock::new();
    let w = OMEGA.get_or_init(|| {
        let half_sqrt3_i = Expr::sqrt(int(3)) * Expr::i() * Expr::rational(1, 2);
        [Expr::one(), Expr::rational(-1, 2) + half_sqrt3_i.clone(), Expr::rational(-1, 2) - half_sqrt3_i]
    });
    w[k % 3].clone()
}

/// Cases split on whether `e` vanishes: `[(then, e != 0), (otherwise, e = 0)]`, only the first
/// when `e` is a non-zero number, only the second (with guard `True`) when `e` is identically
/// zero.
fn split_on(e: &Expr, nonzero: impl FnOnce() -> Vec<Expr>, zero: impl FnOnce() -> Vec<Expr>) -> Vec<Case> {
    if is_zero(e) {
        return vec![Case { roots: zero(), guard: Expr::true_() }];
    }
    if is_numeric(e) {
        return vec![Case { roots: nonzero(), guard: Expr::true_() }];
    }
    vec![
        Case { roots: nonzero(), guard: Expr::rel(RelOp::Ne, e.clone(), Expr::zero()) },
        Case { roots: zero(), guard: Expr::rel(RelOp::Eq, e.clone(), Expr::zero()) },
    ]
}

/// `G = (D1 + sqrt(D1**2 - 4 D0**3))**(1/3)`, so that Cardano's `C` is `G / 2**(1/3)` (both
/// non-zero when `D0 != 0`). `G`'s radicand has the content of `D1` (1 for the general
/// polynomials), so its cube root does not split off numeric radicals; the factor `2**(-1/3)` is
/// applied by the callers to products built once.
fn cardano_g(d0: &Expr, d1: &Expr) -> Expr {
    let disc = poly(&[(1, &[&Expr::pow(d1.clone(), int(2))]), (-4, &[&Expr::pow(d0.clone(), int(3))])]);
    Expr::pow(Expr::add(d1.clone(), Expr::sqrt(disc)), Expr::rational(1, 3))
}

/// `2**(k/3)`.
fn cbrt2(k: i64) -> Expr {
    Expr::pow(int(2), Expr::rational(k, 3))
}

/// The roots of `a x**3 + b x**2 + c x + d` with parameters, as cases on `D0`.
pub(crate) fn cubic_cases(a: &Expr, b: &Expr, c: &Expr, d: &Expr) -> Vec<Case> {
    let d0 = poly(&[(1, &[&Expr::pow(b.clone(), int(2))]), (-3, &[a, c])]);
    let d1 =
        poly(&[(2, &[&Expr::pow(b.clone(), int(3))]), (-9, &[a, b, c]), (27, &[&Expr::pow(a.clone(), int(2)), d])]);
    // x_k = b den + t_k den with den = -1/(3a): sums of products built once, so that no sum is
    // multiplied (which would re-canonicalise it).
    let den = Expr::recip(term(-3, &[a]));
    let b_den = Expr::mul(b.clone(), den.clone());
    split_on(
        &d0,
        || {
            // t_k = w**k C + w**(-k) D0/C with C = G 2**(-1/3).
            let g = cardano_g(&d0, &d1);
            let c_den = Expr::mul(g.clone(), Expr::mul(cbrt2(-1), den.clone()));
            let d_den = Expr::mul(Expr::div(d0.clone(), g), Expr::mul(cbrt2(1), den.clone()));
            vec![
                Expr::add_all([b_den.clone(), c_den.clone(), d_den.clone()]),
                Expr::add_all([b_den.clone(), Expr::mul(omega(1), c_den.clone()), Expr::mul(omega(2), d_den.clone())]),
                Expr::add_all([b_den.clone(), Expr::mul(omega(2), c_den), Expr::mul(omega(1), d_den)]),
            ]
        },
        || {
            // -(-D1)**(1/3) is a cube root of D1, which gives the real cube root for real
            // coefficients (`y**3 = a` has the root `a**(1/3)`, not `-(-a)**(1/3)`).
            let g = Expr::pow(Expr::neg(d1.clone()), Expr::rational(1, 3));
            let g_den = Expr::mul(g, Expr::recip(term(3, &[a])));
            vec![
                Expr::add(b_den.clone(), g_den.clone()),
                Expr::add(b_den.clone(), Expr::mul(omega(1), g_den.clone())),
                Expr::add(b_den.clone(), Expr::mul(omega(2), g_den)),
            ]
        },
    )
}

/// The roots of `a x**4 + b x**3 + c x**2 + d x + e` with parameters, as cases on `Q8` and
/// `D0`.
pub(crate) fn quartic_cases(a: &Expr, b: &Expr, c: &Expr, d: &Expr, e: &Expr) -> Vec<Case> {
    let a2 = Expr::pow(a.clone(), int(2));
    let b2 = Expr::pow(b.clone(), int(2));
    let p8 = poly(&[(8, &[a, c]), (-3, &[&b2])]);
    let q8 = poly(&[(1, &[&Expr::pow(b.clone(), int(3))]), (-4, &[a, b, c]), (8, &[&a2, d])]);
    // Every root is a linear combination of products with `1/a` (`b/a`, `y/a`, ...) with
    // rational coefficients: the products carry no coefficient, so that the sums take them as
    // monomials as they are, and no sum is multiplied or negated (which would re-canonicalise it).
    let inv_a = Expr::recip(a.clone());
    let b_a = Expr::mul(b.clone(), inv_a.clone());
    let frac = |p: i64, q: i64| Number::rational(p, q).unwrap_or(Number::ONE);
    // The roots -b/(4a) ± y/(4a) for y.
    let pm = |y: &Expr, out: &mut Vec<Expr>| {
        let y_a = Expr::mul(y.clone(), inv_a.clone());
        out.push(Expr::linear_combination([(b_a.clone(), frac(-1, 4)), (y_a.clone(), frac(-1, 4))]));
        out.push(Expr::linear_combination([(b_a.clone(), frac(-1, 4)), (y_a, frac(1, 4))]));
    };
    let biquadratic = || -> Vec<Expr> {
        let r = poly(&[
            (256, &[&Expr::pow(a.clone(), int(3)), e]),
            (-64, &[&a2, b, d]),
            (16, &[a, &b2, c]),
            (-3, &[&Expr::pow(b.clone(), int(4))]),
        ]);
        let s = Expr::sqrt(Expr::add(Expr::pow(p8.clone(), int(2)), Expr::neg(r)));
        let minus_p8 = Expr::neg(p8.clone());
        let mut out = Vec::with_capacity(4);
        for inner in [Expr::add(minus_p8.clone(), Expr::neg(s.clone())), Expr::add(minus_p8, s)] {
            pm(&Expr::sqrt(inner), &mut out);
        }
        out
    };
    if is_zero(&q8) {
        return vec![Case { roots: biquadratic(), guard: Expr::true_() }];
    }
    let d0 = poly(&[(1, &[&Expr::pow(c.clone(), int(2))]), (-3, &[b, d]), (12, &[a, e])]);
    let d1 = poly(&[
        (2, &[&Expr::pow(c.clone(), int(3))]),
        (-9, &[b, c, d]),
        (27, &[&b2, e]),
        (27, &[a, &Expr::pow(d.clone(), int(2))]),
        (-72, &[a, c, e]),
    ]);
    // The four roots from a root K of the resolvent: with `V = sqrt(W/3) = sqrt(W)/sqrt(3)` and
    // `X_s/2 = -2aK - P8 - 3 sqrt(3) s Q8/sqrt(W)`, the roots are
    // `-b/(4a) + s sqrt(W) sqrt(3)/(12a) ± sqrt(X_s/2) sqrt(6)/(12a)`. The radicands `W` and
    // `X_s/2` have integer coefficients with content 1, so their square roots are cheap; the
    // numeric radicals sit in the factors `sqrt(3)/a` and `sqrt(6)/a`, built once.
    let minus_p8 = Expr::neg(p8.clone());
    let sqrt3 = Expr::sqrt(int(3));
    let sqrt3_a = Expr::mul(sqrt3.clone(), inv_a.clone());
    let sqrt6_a = Expr::mul(Expr::sqrt(int(6)), inv_a.clone());
    let ferrari = |k: Expr| -> Vec<Expr> {
        let ak = Expr::mul(a.clone(), k);
        let sw = Expr::sqrt(Expr::linear_combination([(ak.clone(), Number::int(4)), (minus_p8.clone(), Number::ONE)]));
        let half_base = Expr::linear_combination([(ak, Number::int(-2)), (minus_p8.clone(), Number::ONE)]);
        let t3 = [Expr::div(term(-3, &[&sqrt3, &q8]), sw.clone()), Expr::div(term(3, &[&sqrt3, &q8]), sw.clone())];
        let sw_a = Expr::mul(sw, sqrt3_a.clone());
        let mut out = Vec::with_capacity(4);
        for (s, t) in [1, -1].into_iter().zip(t3) {
            let head = Expr::linear_combination([(b_a.clone(), frac(-1, 4)), (sw_a.clone(), frac(s, 12))]);
            let rad_a = Expr::mul(Expr::sqrt(Expr::add(half_base.clone(), t)), sqrt6_a.clone());
            out.push(Expr::linear_combination([(head.clone(), Number::ONE), (rad_a.clone(), frac(-1, 12))]));
            out.push(Expr::linear_combination([(head, Number::ONE), (rad_a, frac(1, 12))]));
        }
        out
    };
    let ferrari_cases = split_on(
        &d0,
        || {
            // K = C + D0/C with C = G 2**(-1/3).
            let g = cardano_g(&d0, &d1);
            ferrari(Expr::add(Expr::mul(cbrt2(-1), g.clone()), Expr::mul(cbrt2(1), Expr::div(d0.clone(), g))))
        },
        || ferrari(Expr::pow(d1.clone(), Expr::rational(1, 3))),
    );
    if is_numeric(&q8) {
        return ferrari_cases;
    }
    let q_ne = Expr::rel(RelOp::Ne, q8.clone(), Expr::zero());
    let mut out: Vec<Case> = ferrari_cases
        .into_iter()
        .map(|k| Case { roots: k.roots, guard: Expr::and_all([q_ne.clone(), k.guard]) })
        .collect();
    out.push(Case { roots: biquadratic(), guard: Expr::rel(RelOp::Eq, q8, Expr::zero()) });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cases: &[Case]) -> Vec<(Vec<String>, String)> {
        cases.iter().map(|k| (k.roots.iter().map(|r| r.to_string()).collect(), k.guard.to_string())).collect()
    }

    #[test]
    fn pure_cubics_keep_the_real_cube_root_first() {
        let a = Expr::symbol("a");
        let got = strings(&cubic_cases(&Expr::one(), &Expr::zero(), &Expr::zero(), &Expr::neg(a)));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0[0], "a**(1/3)");
        assert_eq!(got[0].1, "True");
    }

    #[test]
    fn the_general_quartic_splits_on_q8_and_d0() {
        let [a, b, c, d, e] = ["a", "b", "c", "d", "e"].map(Expr::symbol);
        let guards: Vec<String> = strings(&quartic_cases(&a, &b, &c, &d, &e)).into_iter().map(|k| k.1).collect();
        assert_eq!(guards.len(), 3);
        assert_eq!(guards[0], "Ne(8*a**2*d - 4*a*b*c + b**3, 0) & Ne(12*a*e - 3*b*d + c**2, 0)");
        assert_eq!(guards[1], "Eq(12*a*e - 3*b*d + c**2, 0) & Ne(8*a**2*d - 4*a*b*c + b**3, 0)");
        assert_eq!(guards[2], "Eq(8*a**2*d - 4*a*b*c + b**3, 0)");
    }
}
