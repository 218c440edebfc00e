//! Exact values of trigonometric functions at rational multiples of pi, and their inverses.
//!
//! `cos(k*pi/n)` is known in radicals for `n` in {1, 2, 3, 4, 5, 6, 8, 10, 12}:
//!
//! | angle | cos |
//! |---|---|
//! | pi/12 | (sqrt(6) + sqrt(2))/4 |
//! | pi/10 | sqrt(10 + 2*sqrt(5))/4 |
//! | pi/8 | sqrt(2 + sqrt(2))/2 |
//! | pi/6 | sqrt(3)/2 |
//! | pi/5 | (1 + sqrt(5))/4 |
//! | pi/4 | sqrt(2)/2 |
//! | 3*pi/10 | sqrt(10 - 2*sqrt(5))/4 |
//! | pi/3 | 1/2 |
//! | 3*pi/8 | sqrt(2 - sqrt(2))/2 |
//! | 2*pi/5 | (sqrt(5) - 1)/4 |
//! | 5*pi/12 | (sqrt(6) - sqrt(2))/4 |
//!
//! Other angles follow from `cos(pi - t) = -cos(t)` and `cos(2*pi - t) = cos(t)`; sine is
//! `sin(t) = cos(pi/2 - t)`. The inverse tables map these canonical values back to angles, which
//! works because canonical forms compare structurally.

use crate::expr::Expr;
use crate::hash::ExprMap;
use rug::{Integer, Rational};
use std::sync::OnceLock;

const DENOMINATORS: [u32; 9] = [1, 2, 3, 4, 5, 6, 8, 10, 12];

fn q(p: i64, d: i64) -> Expr {
    Expr::rational(p, d)
}

fn sqrt(n: i64) -> Expr {
    Expr::sqrt(Expr::int(n))
}

/// `cos(r * pi)` for `r` in `[0, 1/2]` with a known closed form.
fn cos_first_quadrant(r: &Rational) -> Option<Expr> {
    let key = (r.numer().to_i64()?, r.denom().to_i64()?);
    let s5 = sqrt(5);
    Some(match key {
        (0, 1) => Expr::one(),
        (1, 12) => (sqrt(6) + sqrt(2)) * q(1, 4),
        (1, 10) => Expr::sqrt(Expr::int(10) + Expr::int(2) * s5) * q(1, 4),
        (1, 8) => Expr::sqrt(Expr::int(2) + sqrt(2)) * q(1, 2),
        (1, 6) => sqrt(3) * q(1, 2),
        (1, 5) => (Expr::one() + s5) * q(1, 4),
        (1, 4) => sqrt(2) * q(1, 2),
        (3, 10) => Expr::sqrt(Expr::int(10) - Expr::int(2) * s5) * q(1, 4),
        (1, 3) => q(1, 2),
        (3, 8) => Expr::sqrt(Expr::int(2) - sqrt(2)) * q(1, 2),
        (2, 5) => (s5 - Expr::one()) * q(1, 4),
        (5, 12) => (sqrt(6) - sqrt(2)) * q(1, 4),
        (1, 2) => Expr::zero(),
        _ => return None,
    })
}

/// `r mod m` in `[0, m)`.
fn rem_floor(r: &Rational, m: i64) -> Rational {
    let q = Rational::from(r / m).floor();
    r - (q * m)
}

/// `cos(r * pi)` for any rational `r` whose reduced denominator is in the table.
pub fn cos_pi(r: &Rational) -> Option<Expr> {
    if !DENOMINATORS.contains(&r.denom().to_u32()?) {
        return None;
    }
    // Reduce to [0, 2), then to [0, 1] by cos(2pi - t) = cos(t), then to [0, 1/2].
    let two = Rational::from(2);
    let mut t = rem_floor(r, 2);
    if t > 1 {
        t = Rational::from(&two - &t);
    }
    let half = Rational::from((1, 2));
    if t > half {
        let u = Rational::from(1 - &t);
        return cos_first_quadrant(&u).map(Expr::neg);
    }
    cos_first_quadrant(&t)
}

/// `sin(r * pi) = cos((1/2 - r) * pi)`.
pub fn sin_pi(r: &Rational) -> Option<Expr> {
    cos_pi(&(Rational::from((1, 2)) - r))
}

/// `tan(r * pi)` for `r` in `[0, 1/2)` with a known closed form (rationalised denominators).
fn tan_first_quadrant(r: &Rational) -> Option<Expr> {
    let key = (r.numer().to_i64()?, r.denom().to_i64()?);
    let s5 = sqrt(5);
    Some(match key {
        (0, 1) => Expr::zero(),
        (1, 12) => Expr::int(2) - sqrt(3),
        (1, 10) => Expr::sqrt(Expr::int(25) - Expr::int(10) * s5) * q(1, 5),
        (1, 8) => sqrt(2) - Expr::one(),
        (1, 6) => sqrt(3) * q(1, 3),
        (1, 5) => Expr::sqrt(Expr::int(5) - Expr::int(2) * s5),
        (1, 4) => Expr::one(),
        (3, 10) => Expr::sqrt(Expr::int(25) + Expr::int(10) * s5) * q(1, 5),
        (1, 3) => sqrt(3),
        (3, 8) => sqrt(2) + Expr::one(),
        (2, 5) => Expr::sqrt(Expr::int(5) + Expr::int(2) * s5),
        (5, 12) => Expr::int(2) + sqrt(3),
        _ => return None,
    })
}

/// `tan(r * pi)` for any rational `r` whose reduced denominator is in the table
/// (`zoo` at odd multiples of pi/2).
pub fn tan_pi(r: &Rational) -> Option<Expr> {
    if !DENOMINATORS.contains(&r.denom().to_u32()?) {
        return None;
    }
    // Period one: reduce to (-1/2, 1/2], then use oddness.
    let mut t = rem_floor(r, 1);
    let half = Rational::from((1, 2));
    if t > half {
        t -= 1;
    } else if t <= -half.clone() {
        t += 1;
    }
    if t == half {
        return Some(Expr::complex_infinity());
    }
    if t < 0 {
        return tan_first_quadrant(&Rational::from(-&t)).map(Expr::neg);
    }
    tan_first_quadrant(&t)
}

/// `asin(v)` as `r * pi` with `r` in `[0, 1/2]`, for `v` a tabulated sine value.
pub fn asin_table(v: &Expr) -> Option<Rational> {
    static TABLE: OnceLock<ExprMap<Rational>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            let mut m = ExprMap::default();
            for_each_angle_in_first_quadrant(|r| {
                if let Some(s) = sin_pi(&r) {
                    m.entry(s).or_insert(r);
                }
            });
            m
        })
        .get(v)
        .cloned()
}

/// `atan(v)` as `r * pi` with `r` in `[0, 1/2)`, for `v` a tabulated tangent value.
pub fn atan_table(v: &Expr) -> Option<Rational> {
    static TABLE: OnceLock<ExprMap<Rational>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            let mut m = ExprMap::default();
            for_each_angle_in_first_quadrant(|r| {
                if r == Rational::from((1, 2)) {
                    return;
                }
                if let Some(t) = tan_first_quadrant(&r) {
                    m.entry(t).or_insert(r);
                }
            });
            m
        })
        .get(v)
        .cloned()
}

fn for_each_angle_in_first_quadrant(mut f: impl FnMut(Rational)) {
    for d in DENOMINATORS {
        for k in 0..=d / 2 {
            let r = Rational::from((Integer::from(k), Integer::from(d)));
            if r.denom().to_u32() == Some(d) || k == 0 {
                f(r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(p: i64, d: i64) -> Rational {
        Rational::from((p, d))
    }

    #[test]
    fn table_values_agree_with_floats() {
        for d in DENOMINATORS {
            for k in -(2 * d as i64)..=(2 * d as i64) {
                let rr = r(k, d as i64);
                let angle = rr.to_f64() * std::f64::consts::PI;
                if let Some(c) = cos_pi(&rr) {
                    let v = crate::evalf::eval_f64(&c, &Default::default()).unwrap();
                    assert!((v - angle.cos()).abs() < 1e-14, "cos({k}pi/{d}) = {c}");
                }
                if let Some(s) = sin_pi(&rr) {
                    let v = crate::evalf::eval_f64(&s, &Default::default()).unwrap();
                    assert!((v - angle.sin()).abs() < 1e-14, "sin({k}pi/{d}) = {s}");
                }
                if let Some(t) = tan_pi(&rr)
                    && !t.is_const(crate::expr::Constant::ComplexInfinity)
                {
                    let v = crate::evalf::eval_f64(&t, &Default::default()).unwrap();
                    assert!((v - angle.tan()).abs() < 1e-12 * (1.0 + v.abs()), "tan({k}pi/{d}) = {t}");
                }
            }
        }
    }

    #[test]
    fn inverse_tables() {
        assert_eq!(asin_table(&Expr::rational(1, 2)), Some(r(1, 6)));
        assert_eq!(asin_table(&(Expr::sqrt(Expr::int(2)) * Expr::rational(1, 2))), Some(r(1, 4)));
        assert_eq!(atan_table(&Expr::one()), Some(r(1, 4)));
        assert_eq!(atan_table(&Expr::sqrt(Expr::int(3))), Some(r(1, 3)));
    }
}
