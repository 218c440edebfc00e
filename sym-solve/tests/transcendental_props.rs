//! Property tests of the transcendental solver: every returned root satisfies its equation, and
//! equations built from known roots recover them.

use proptest::prelude::*;
use rug::Complex;
use sym_core::{Expr, Symbol};
use sym_solve::numeric::{Point, eval_at};
use sym_solve::transcendental::satisfies;
use sym_solve::{Coverage, Domain, SolveOptions, solve_one};

const PREC: u32 = 512;

fn real_opts() -> SolveOptions {
    SolveOptions { domain: Domain::Real, ..SolveOptions::default() }
}

fn values(set: &sym_solve::SolutionSet) -> Vec<Complex> {
    set.branches.iter().map(|b| eval_at(&b.exact.as_ref().unwrap()[0], &Point::new(), PREC).unwrap()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// `a e^(b x) = c` has exactly one real root `log(c/a)/b` when `c/a > 0`, none otherwise.
    #[test]
    fn exponential_inversion(a in -4i64..=4, b in -3i64..=3, c in -5i64..=5) {
        prop_assume!(a != 0 && b != 0 && c != 0);
        let x = Symbol::new("x");
        let f = Expr::int(a) * Expr::exp(Expr::int(b) * Expr::sym(x)) - Expr::int(c);
        let set = solve_one(&f, x, &real_opts()).unwrap();
        prop_assert_eq!(set.coverage, Coverage::Complete);
        let v = values(&set);
        if (c > 0) == (a > 0) {
            prop_assert_eq!(v.len(), 1);
            let want = ((c as f64) / (a as f64)).ln() / (b as f64);
            prop_assert!((v[0].real().to_f64() - want).abs() < 1e-12);
        } else {
            prop_assert!(v.is_empty());
        }
    }

    /// A negative base in the real domain: `b**(x + s) = r` with `b = -p/q` (`|b| != 1`) is real only at integer
    /// exponents, so it has the one root `n - s` when `r = b**n`, and none when `r = -b**n` or `r = 3 b**n / 2`
    /// (no integer power of `b` has that sign or size); each claim is complete.
    #[test]
    fn negative_bases_take_integer_exponents(p in 1i64..=7, q in 1i64..=5, n in -5i64..=5, s in -3i64..=3) {
        prop_assume!(p != q);
        let x = Symbol::new("x");
        let b = sym_core::Number::rational(-p, q).unwrap();
        let bn = Expr::pow(Expr::num(b.clone()), Expr::int(n));
        let lhs = Expr::pow(Expr::num(b), Expr::sym(x) + Expr::int(s));
        let set = solve_one(&(lhs.clone() - bn.clone()), x, &real_opts()).unwrap();
        prop_assert_eq!(set.coverage, Coverage::Complete);
        let got: Vec<String> = set.branches.iter().map(|b| b.exact.as_ref().unwrap()[0].to_string()).collect();
        prop_assert_eq!(got, [(n - s).to_string()]);
        for wrong in [Expr::neg(bn.clone()), Expr::rational(3, 2) * bn] {
            let set = solve_one(&(lhs.clone() - wrong), x, &real_opts()).unwrap();
            prop_assert_eq!(set.coverage, Coverage::Complete);
            prop_assert!(set.branches.is_empty(), "{:?}", set);
        }
    }

    /// `(x + p) e^(q x) = r` (Lambert W): every returned root satisfies the equation, and when the
    /// set claims completeness the simple roots are as many as the sign changes of
    /// `(x + p) e^(q x) - r` on a fine grid of `[-60, 60]` (all roots lie there for these data).
    #[test]
    fn lambert_roots_satisfy(p in -3i64..=3, q in -2i64..=2, r in -4i64..=4) {
        prop_assume!(q != 0 && r != 0);
        let x = Symbol::new("x");
        let f = (Expr::sym(x) + Expr::int(p)) * Expr::exp(Expr::int(q) * Expr::sym(x)) - Expr::int(r);
        let set = solve_one(&f, x, &real_opts()).unwrap();
        let v = values(&set);
        for z in &v {
            prop_assert!(satisfies(&f, x, z));
        }
        if set.coverage == Coverage::Complete {
            let g = |t: f64| (t + p as f64) * (q as f64 * t).exp() - r as f64;
            // Sign changes between values clearly away from zero (rounding noise near a tangent
            // root is skipped).
            let mut changes = 0;
            let mut prev = g(-60.0);
            let mut t = -60.0;
            while t < 60.0 {
                t += 1e-3;
                let cur = g(t);
                if cur.is_finite() && cur.abs() > 1e-12 {
                    if prev.is_finite() && (cur > 0.0) != (prev > 0.0) {
                        changes += 1;
                    }
                    prev = cur;
                }
            }
            // A tangent root (where 1 + q (x + p) = 0, the derivative's zero) has no sign change.
            let simple = v.iter().filter(|z| (1.0 + q as f64 * (z.real().to_f64() + p as f64)).abs() > 1e-9).count();
            prop_assert_eq!(changes, simple);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// `a y + c e^(b y) = t` with a parameter `t`, in the real domain: every branch is a Lambert W form whose
    /// identity `f(v) = 0` is proved (its guard is no equation), no branch is a `W_{-1}` of an argument that is
    /// never negative, and at sampled `t` where the guard holds the value is real and solves the equation.
    #[test]
    fn symbolic_lambert_guards(a in 1i64..=3, b in -3i64..=3, c in -3i64..=3) {
        prop_assume!(b != 0 && c != 0);
        let (y, t) = (Symbol::new("y"), Symbol::new("t"));
        let f = Expr::int(a) * Expr::sym(y) + Expr::int(c) * Expr::exp(Expr::int(b) * Expr::sym(y)) - Expr::sym(t);
        let set = solve_one(&f, y, &real_opts()).unwrap();
        prop_assert!(!set.branches.is_empty());
        for br in &set.branches {
            let g = br.guard.to_string();
            prop_assert!(!g.contains("Eq("), "unproved guard {}", g);
            let v = &br.exact.as_ref().unwrap()[0];
            for k in -8i64..=8 {
                let mut point = Point::new();
                point.insert(t, Expr::rational(k, 2));
                if sym_solve::evaluate::guard_holds(&br.guard, &point) != Some(true) {
                    continue;
                }
                let z = eval_at(v, &point, PREC).unwrap();
                prop_assert!(sym_solve::numeric::is_real_value(&z, PREC), "{} at t = {}/2 is not real", v, k);
                let ft = sym_solve::numeric::instantiate(&f, &point);
                prop_assert!(satisfies(&ft, y, &z), "{} at t = {}/2 does not solve {}", v, k, ft);
            }
        }
    }
}

/// `y + e^y = t`: the `W_{-1}(e^t)` branch is never real and is dropped; the principal branch holds for all `t`.
#[test]
fn lambert_minus_one_branch_dropped() {
    let (y, t) = (Symbol::new("y"), Symbol::new("t"));
    let f = Expr::sym(y) + Expr::exp(Expr::sym(y)) - Expr::sym(t);
    let set = solve_one(&f, y, &real_opts()).unwrap();
    let shown: Vec<String> =
        set.branches.iter().map(|b| format!("{} if {}", b.exact.as_ref().unwrap()[0], b.guard)).collect();
    assert_eq!(shown, ["t - LambertW(exp(t)) if True"]);
}

/// `b**x = r` with rational `b`, `r` and a rational answer gives the rational (`log(8)/log(4)` is `3/2`), exactly
/// as SymPy does; an irrational answer stays a ratio of logarithms.
#[test]
fn rational_exponents_are_exact() {
    let x = Symbol::new("x");
    for (f, want) in [
        ("2**x - 4", "2"),
        ("4**x - 8", "3/2"),
        ("(1/9)**x - 27", "-3/2"),
        ("8**(2*x) - 1/4", "-1/3"),
        ("2**x - 3", "log(3)/log(2)"),
    ] {
        let set = solve_one(&sym_core::parse(f).unwrap(), x, &real_opts()).unwrap();
        let got: Vec<String> = set.branches.iter().map(|b| b.exact.as_ref().unwrap()[0].to_string()).collect();
        assert_eq!(got, [want], "{f}");
    }
}

/// Log combination divides by the common coefficient first: `5/3 - log(x) + log(5/(3 x (-3 + 5/(3 x**4))))`
/// (a numerator `3 log A - 3 log x + 5`) is a biquadratic in `x`, not a degree-12 polynomial with a
/// transcendental coefficient whose `RootOf`s could not be evaluated (its two real roots were dropped and the
/// empty answer claimed complete).
#[test]
fn log_combination_keeps_the_degree_low() {
    let x = Symbol::new("x");
    let f = sym_core::parse("5/3 - log(x) + log(5/3/(x*(-3 + 5/3/x**4)))").unwrap();
    let set = solve_one(&f, x, &real_opts()).unwrap();
    let got: Vec<f64> = values(&set).iter().map(|z| z.real().to_f64()).collect();
    assert_eq!(got.len(), 2, "{set:?}");
    assert!((got[0] + 0.422_010_179_015_488_56).abs() < 1e-15 && (got[1] - 0.422_010_179_015_488_56).abs() < 1e-15);
    for z in values(&set) {
        assert!(satisfies(&f, x, &z));
    }
}
