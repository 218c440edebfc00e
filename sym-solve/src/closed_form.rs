//! Closed-form roots of polynomials of degree 1 to 4, for coefficients that are any expressions
//! (numbers, radicals, parameters).
//!
//! * Degree 2: `x = (-b ± sqrt(b**2 - 4*a*c)) / (2*a)`.
//! * Degree 3 (Cardano): with `x = t - b/(3a)`, `t**3 + p*t + q = 0`,
//!   `p = (3ac - b**2)/(3a**2)`, `q = (2b**3 - 9abc + 27a**2 d)/(27a**3)`. When the
//!   coefficients are real numbers and the discriminant is positive (three real roots, the
//!   *casus irreducibilis*), the real trigonometric form is used instead of complex radicals:
//!   `t_k = 2 sqrt(-p/3) cos(acos(3q/(2p) sqrt(-3/p))/3 - 2*pi*k/3)`. Otherwise
//!   `t_k = w**k C - p/(3 w**k C)` with `C = (-q/2 + sqrt(q**2/4 + p**3/27))**(1/3)` (the other
//!   sign of the square root when that `C` is zero) and `w = -1/2 + sqrt(3)*I/2`.
//! * Degree 4 (Ferrari): with `x = y - b/(4a)`, `y**4 + p*y**2 + q*y + r = 0`. If `q = 0` the
//!   equation is biquadratic. Otherwise, for a non-zero root `m` of the resolvent cubic
//!   `8m**3 + 8p m**2 + (2p**2 - 8r) m - q**2 = 0` and `u = sqrt(2m)`,
//!   `y = (s*u ± sqrt(-2p - 2m - 2*s*q/u)) / 2` for `s = ±1`. The identity holds for any choice
//!   of the square roots, so principal branches are safe.
//!
//! These formulas are used when the coefficients are numbers (possibly irrational): the
//! resolvent root and the trigonometric form are chosen by the numbers' values. Coefficients with
//! parameters go to the private `guarded` module, whose formulas carry the guards of their degenerate
//! cases.
//!
//! The caller guarantees that the leading coefficient is non-zero (it splits off the case where
//! it vanishes under a guard).

use crate::guarded::omega;
use crate::zero_test::{is_numeric, is_zero, is_zero_number};
use sym_core::evalf::{ComplexEnv, eval_complex};
use sym_core::{Expr, Func, Kind};

/// A set of roots valid under a condition on the parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The roots (with repetition).
    pub roots: Vec<Expr>,
    /// The condition under which they are the roots (`True` when always).
    pub guard: Expr,
}

impl Case {
    fn always(roots: Vec<Expr>) -> Case {
        Case { roots, guard: Expr::true_() }
    }
}

/// The roots (with repetition) of `c[0] + c[1] x + ... + c[n] x**n` for `1 <= n <= 4`, when the
/// coefficients are numbers (possibly irrational): one set of roots.
pub fn roots_closed_form(c: &[Expr]) -> Option<Vec<Expr>> {
    let cases = closed_form_cases(c)?;
    cases.into_iter().find(|k| matches!(k.guard.kind(), sym_core::Kind::Bool(true))).map(|k| k.roots)
}

/// The roots of `c[0] + ... + c[n] x**n` (`1 <= n <= 4`, leading coefficient non-zero) as cases:
/// for symbolic coefficients the degenerate situations of the formulas (a vanishing depressed
/// coefficient, where Cardano's cube root or Ferrari's square root would divide by zero) get
/// their own cases under complementary guards; for numeric coefficients exactly one case applies,
/// with guard `True`.
pub fn closed_form_cases(c: &[Expr]) -> Option<Vec<Case>> {
    match c.len() {
        2 => Some(vec![Case::always(vec![Expr::neg(Expr::div(c[0].clone(), c[1].clone()))])]),
        3 => Some(vec![Case::always(quadratic(&c[2], &c[1], &c[0]))]),
        4 => Some(cubic_cases(&c[3], &c[2], &c[1], &c[0])),
        5 => Some(quartic_cases(&c[4], &c[3], &c[2], &c[1], &c[0])),
        _ => None,
    }
}

fn q(p: i64, d: i64) -> Expr {
    Expr::rational(p, d)
}

fn int(n: i64) -> Expr {
    Expr::int(n)
}

/// Simplifies a numeric coefficient (radicals of numbers collect under expansion, so exact zeros
/// are recognised); symbolic expressions are left as built, which keeps parametric formulas cheap.
fn simp(e: Expr) -> Expr {
    if !is_numeric(&e) {
        return e;
    }
    match e.expand() {
        Ok(x) => {
            if x.tree_size(10_000) <= 2 * e.tree_size(10_000) + 8 {
                x
            } else {
                e
            }
        }
        Err(_) => e,
    }
}

fn is_exact_real_number(e: &Expr) -> Option<f64> {
    if !is_numeric(e) {
        return None;
    }
    let z = eval_complex(e, &ComplexEnv::new(), 128).ok()?;
    let (re, im) = (z.real().to_f64(), z.imag().to_f64());
    (im.abs() <= 1e-30 * re.abs().max(1e-300)).then_some(re)
}

/// The roots of `a x**2 + b x + c`.
pub fn quadratic(a: &Expr, b: &Expr, c: &Expr) -> Vec<Expr> {
    let disc = simp(b.clone() * b.clone() - int(4) * a.clone() * c.clone());
    let two_a = int(2) * a.clone();
    if disc.is_zero() {
        let r = simp(Expr::neg(b.clone()) / two_a);
        return vec![r.clone(), r];
    }
    let s = symbolic_sqrt(disc);
    let center = Expr::neg(b.clone()) / two_a.clone();
    let offset = s / two_a;
    vec![simp(center.clone() - offset.clone()), simp(center + offset)]
}

/// A square root of a discriminant. When it is a polynomial in its symbols over `Q`: expanded
/// (when that is no larger), and `sqrt(k) * s` when it is `k * s**2` for a polynomial `s`, so that
/// `x**2 - y**2` has the roots `-y, y`, not `-sqrt(y**2), sqrt(y**2)`. Either square root serves
/// the quadratic formula, whose two roots are `(-b ± sqrt(D))/(2a)`.
fn symbolic_sqrt(disc: Expr) -> Expr {
    use sym_core::poly::expr::{Generators, expr_to_mpoly, mpoly_to_expr};
    use sym_core::poly::{Lex, Limits};
    if is_numeric(&disc) || is_expanded_binomial(&disc) {
        return Expr::sqrt(disc);
    }
    let mut gens = Generators::new([]);
    let Ok(p) = expr_to_mpoly::<Lex>(&disc, &mut gens, &Limits { max_terms: 5_000, ..Limits::default() }) else {
        return Expr::sqrt(disc);
    };
    let (k, prim) = p.content_primitive();
    if let Some(root) = prim.sqrt_exact() {
        let k = Expr::num(sym_core::Number::from_rational(k));
        return Expr::sqrt(k) * mpoly_to_expr(&root, gens.gens());
    }
    let expanded = mpoly_to_expr(&p, gens.gens());
    if expanded.tree_size(10_000) <= disc.tree_size(10_000) { Expr::sqrt(expanded) } else { Expr::sqrt(disc) }
}

/// Whether `e` is an expanded polynomial with exactly two terms over `Q` (monomials in symbols with
/// positive integer exponents). Such a polynomial is already in the form [`symbolic_sqrt`] would
/// expand it to, and it is never `k * s**2`: a square of one term has one term, and the square of
/// `s` with two or more terms has at least three (in any monomial order, `lead(s)**2`,
/// `2 lead(s) next(s)` and `trail(s)**2` are distinct monomials that nothing else cancels). The
/// quartic's degenerate quadratic branch has `d**2 - 4*c*e`, which this spares a round trip
/// through the polynomial ring.
fn is_expanded_binomial(e: &Expr) -> bool {
    let Kind::Add(a) = e.kind() else { return false };
    let n_terms = a.terms.len() + usize::from(!a.constant.is_zero());
    let power_of_symbol = |b: &Expr, p: &Expr| b.as_symbol().is_some() && p.as_i64().is_some_and(|k| k >= 1);
    let monomial = |m: &Expr| match m.kind() {
        Kind::Sym(_) => true,
        Kind::Pow(b, p) => power_of_symbol(b, p),
        Kind::Mul(m) => m.coeff.is_one() && m.factors.iter().all(|(b, p)| power_of_symbol(b, p)),
        _ => false,
    };
    n_terms == 2 && a.constant.is_exact() && a.terms.iter().all(|(m, k)| k.is_exact() && monomial(m))
}

/// The roots of `a x**3 + b x**2 + c x + d`, as cases.
pub fn cubic_cases(a: &Expr, b: &Expr, c: &Expr, d: &Expr) -> Vec<Case> {
    if [a, b, c, d].iter().any(|k| !is_numeric(k)) {
        return crate::guarded::cubic_cases(a, b, c, d);
    }
    let (a, b, c, d) = (a.clone(), b.clone(), c.clone(), d.clone());
    let p = simp((int(3) * a.clone() * c.clone() - b.clone() * b.clone()) / (int(3) * a.clone() * a.clone()));
    let qq = simp(
        (int(2) * Expr::pow(b.clone(), int(3)) - int(9) * a.clone() * b.clone() * c.clone()
            + int(27) * a.clone() * a.clone() * d)
            / (int(27) * Expr::pow(a.clone(), int(3))),
    );
    let shift = simp(Expr::neg(b) / (int(3) * a));
    vec![Case::always(depressed_cubic(&p, &qq).into_iter().map(|t| simp(t + shift.clone())).collect())]
}

/// The roots of `a x**3 + b x**2 + c x + d` when the coefficients are numbers.
pub fn cubic(a: &Expr, b: &Expr, c: &Expr, d: &Expr) -> Vec<Expr> {
    cubic_cases(a, b, c, d).into_iter().next().map(|k| k.roots).unwrap_or_default()
}

/// The cube roots of `-q` (`t**3 + q = 0`), `w**k C` for `C = (-q)**(1/3)`.
fn pure_cubic(q_: &Expr) -> Vec<Expr> {
    if q_.is_zero() {
        return vec![Expr::zero(); 3];
    }
    let c = Expr::pow(Expr::neg(q_.clone()), q(1, 3));
    (0..3).map(|k| simp(omega(k) * c.clone())).collect()
}

/// The roots of `t**3 + p t + q` for numbers `p` and `q`.
fn depressed_cubic(p: &Expr, q_: &Expr) -> Vec<Expr> {
    if is_zero(p) {
        return pure_cubic(q_);
    }
    // Three real roots: the trigonometric form keeps everything real.
    if let (Some(pf), Some(qf)) = (is_exact_real_number(p), is_exact_real_number(q_)) {
        let disc = -(4.0 * pf * pf * pf + 27.0 * qf * qf);
        if pf < 0.0 && disc > 0.0 {
            let amp = int(2) * Expr::sqrt(Expr::neg(p.clone()) / int(3));
            let arg =
                Expr::func(Func::Acos, int(3) * q_.clone() / (int(2) * p.clone()) * Expr::sqrt(int(-3) / p.clone()))
                    * q(1, 3);
            return (0..3)
                .map(|k| amp.clone() * Expr::func(Func::Cos, arg.clone() - int(2) * Expr::pi() * int(k) * q(1, 3)))
                .collect();
        }
    }
    let delta = simp(q_.clone() * q_.clone() * q(1, 4) + Expr::pow(p.clone(), int(3)) * q(1, 27));
    let minus_half_q = Expr::neg(q_.clone()) * q(1, 2);
    let mut inner = minus_half_q.clone() + Expr::sqrt(delta.clone());
    if is_zero_number(&inner) {
        inner = minus_half_q - Expr::sqrt(delta);
    }
    // With p != 0 the cube root C cannot vanish: C**3 = -q/2 + sqrt(q**2/4 + p**3/27) = 0
    // would force p**3 = 0.
    let c = Expr::pow(inner, q(1, 3));
    (0..3)
        .map(|k| {
            let wc = omega(k) * c.clone();
            wc.clone() - p.clone() / (int(3) * wc)
        })
        .collect()
}

/// The roots of `a x**4 + b x**3 + c x**2 + d x + e` when the coefficients are numbers.
pub fn quartic(a: &Expr, b: &Expr, c: &Expr, d: &Expr, e: &Expr) -> Option<Vec<Expr>> {
    quartic_cases(a, b, c, d, e).into_iter().next().map(|k| k.roots)
}

/// The roots of `a x**4 + b x**3 + c x**2 + d x + e`, as cases: Ferrari when the depressed
/// quartic's `q` is non-zero (split again on the resolvent cubic's own degenerate case), the
/// biquadratic formula when `q = 0`.
pub fn quartic_cases(a: &Expr, b: &Expr, c: &Expr, d: &Expr, e: &Expr) -> Vec<Case> {
    if [a, b, c, d, e].iter().any(|k| !is_numeric(k)) {
        return crate::guarded::quartic_cases(a, b, c, d, e);
    }
    let (a, b, c, d, e) = (a.clone(), b.clone(), c.clone(), d.clone(), e.clone());
    let a2 = a.clone() * a.clone();
    let p = simp((int(8) * a.clone() * c.clone() - int(3) * b.clone() * b.clone()) / (int(8) * a2.clone()));
    let qq = simp(
        (Expr::pow(b.clone(), int(3)) - int(4) * a.clone() * b.clone() * c.clone() + int(8) * a2.clone() * d.clone())
            / (int(8) * Expr::pow(a.clone(), int(3))),
    );
    let r = simp(
        (int(-3) * Expr::pow(b.clone(), int(4)) + int(256) * Expr::pow(a.clone(), int(3)) * e
            - int(64) * a2.clone() * b.clone() * d
            + int(16) * a.clone() * b.clone() * b.clone() * c)
            / (int(256) * Expr::pow(a.clone(), int(4))),
    );
    let shift = simp(Expr::neg(b) / (int(4) * a));
    let shifted = |ys: Vec<Expr>| -> Vec<Expr> { ys.into_iter().map(|y| simp(y + shift.clone())).collect() };
    let biquadratic = || -> Vec<Expr> {
        // y**2 = (-p ± sqrt(p**2 - 4r))/2.
        quadratic(&Expr::one(), &p, &r)
            .into_iter()
            .flat_map(|zi| {
                let s = Expr::sqrt(zi);
                [Expr::neg(s.clone()), s]
            })
            .collect()
    };
    if is_zero(&qq) {
        return vec![Case::always(shifted(biquadratic()))];
    }
    // Resolvent cubic 8m**3 + 8p m**2 + (2p**2 - 8r) m - q**2 = 0: any root m is non-zero when
    // q != 0 (its constant term is -q**2); for numbers, prefer a real positive one.
    let ms = cubic_cases(
        &int(8),
        &(int(8) * p.clone()),
        &(int(2) * p.clone() * p.clone() - int(8) * r.clone()),
        &Expr::neg(qq.clone() * qq.clone()),
    );
    let ferrari = |m: Expr| -> Vec<Expr> {
        let u = Expr::sqrt(int(2) * m.clone());
        let base = Expr::neg(int(2) * p.clone()) - int(2) * m;
        let mut out = Vec::with_capacity(4);
        for s in [1i64, -1] {
            let rad = Expr::sqrt(simp(base.clone() - int(2 * s) * qq.clone() / u.clone()));
            let su = int(s) * u.clone();
            out.push((su.clone() - rad.clone()) * q(1, 2));
            out.push((su + rad) * q(1, 2));
        }
        out
    };
    let mut out = Vec::new();
    for case in ms {
        let Some(m) = pick_resolvent_root(case.roots) else { continue };
        out.push(Case { roots: shifted(ferrari(m)), guard: case.guard });
    }
    out
}

/// Chooses a root of the resolvent cubic: a real positive one when the roots are numbers, else
/// the first root that is not identically zero.
fn pick_resolvent_root(ms: Vec<Expr>) -> Option<Expr> {
    let mut best: Option<(i32, Expr)> = None;
    for m in ms {
        if m.is_zero() || is_zero_number(&m) {
            continue;
        }
        let score = match is_exact_real_number(&m) {
            Some(v) if v > 0.0 => 3,
            Some(_) => 2,
            None => 1,
        };
        // Prefer simpler expressions among equal scores (only numbers are compared by size).
        let better = match &best {
            None => true,
            Some((s, b)) => {
                score > *s || (score == *s && is_numeric(&m) && m.tree_size(100_000) < b.tree_size(100_000))
            }
        };
        if better {
            best = Some((score, m));
        }
    }
    best.map(|(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sym_core::{Symbol, parse};

    /// Every root makes the polynomial vanish (checked at 200 bits) and Vieta's sum holds.
    fn check(poly: &str) -> Vec<Expr> {
        let x = Symbol::new("x");
        let p = parse(poly).unwrap();
        let c = p.poly_coeffs(x).unwrap();
        let roots = roots_closed_form(&c).unwrap();
        assert_eq!(roots.len(), c.len() - 1);
        for r in &roots {
            let v = eval_complex(&p.subs(&Expr::sym(x), r), &ComplexEnv::new(), 200).unwrap();
            let m = rug::Float::with_val(200, v.abs_ref()).to_f64();
            assert!(m < 1e-40, "{poly}: root {r} leaves {m}");
        }
        let sum = eval_complex(&Expr::add_all(roots.clone()), &ComplexEnv::new(), 200).unwrap();
        let want =
            eval_complex(&Expr::neg(c[c.len() - 2].clone() / c[c.len() - 1].clone()), &ComplexEnv::new(), 200).unwrap();
        let diff = rug::Float::with_val(200, rug::Complex::with_val(200, &sum - &want).abs_ref()).to_f64();
        assert!(diff < 1e-40, "{poly}: Vieta sum off by {diff}");
        roots
    }

    #[test]
    fn quadratics_and_cubics() {
        let r = check("x**2 - 4");
        assert_eq!(r.iter().map(|e| e.to_string()).collect::<Vec<_>>(), ["-2", "2"]);
        check("2*x**2 + 3*x + 5");
        check("x**3 - 3*x + 1");
        check("x**3 + 2*x**2 + 4*x + 8");
        check("x**3 - 2");
        check("x**3 + 3*sqrt(2)*x**2 + 6*x - 7 + 2*sqrt(2)");
    }

    #[test]
    fn three_real_roots_use_the_trigonometric_form() {
        let r = check("x**3 - 3*x + 1");
        for e in &r {
            assert!(!e.to_string().contains('I'), "{e}");
        }
    }

    #[test]
    fn expanded_binomials_skip_the_polynomial_round_trip() {
        let yes = |s: &str| is_expanded_binomial(&sym_core::parse(s).unwrap());
        assert!(yes("d**2 - 4*c*e"));
        assert!(yes("x**3 + 1/2"));
        assert!(!yes("d**2 - 4*c*e + 1"));
        assert!(!yes("(c + d)**2 - 4*c*e"));
        assert!(!yes("sqrt(2)*d - e"));
        assert!(!yes("d**2 - 0.5*e"));
        // The fast path gives what the general one gives: `sqrt` of the binomial itself.
        let q = |s: &str| sym_core::parse(s).unwrap();
        let r = quadratic(&q("c"), &q("d"), &q("e"));
        assert_eq!(r[1].to_string(), "sqrt(d**2 - 4*c*e)/(2*c) - d/(2*c)");
        // A square still gets its exact root.
        let r = quadratic(&q("1"), &q("0"), &q("-y**2"));
        assert_eq!(r.iter().map(ToString::to_string).collect::<Vec<_>>(), ["-y", "y"]);
    }

    #[test]
    fn quartics() {
        check("x**4 + x**3 + x**2 + x + 1");
        check("x**4 - 10*x**2 + 1");
        check("3*x**4 - x + 1");
        check("x**4 + 2*x**3 - 7*x + 5");
    }
}
