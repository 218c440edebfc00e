//! Property tests of the certified numeric roots of equations without closed form: every certified
//! enclosure holds a root (a sign change of `f` between its ends, or the known root), roots are counted
//! right where the count is known, and a complete claim misses no sign change seen on a fine grid.

use proptest::prelude::*;
use rug::Float;
use sym_core::{Expr, Func, Symbol};
use sym_solve::{Branch, Coverage, Domain, Interval, SolveOptions, solve_one};

const PREC: u32 = 512;

fn opts(lo: i64, hi: i64) -> SolveOptions {
    SolveOptions {
        domain: Domain::Real,
        interval: Some(Interval { lo: Expr::int(lo), hi: Expr::int(hi), lo_open: false, hi_open: false }),
        ..SolveOptions::default()
    }
}

/// `f(t)` in MPFR at `PREC` bits.
fn eval(f: &Expr, x: Symbol, t: &Float) -> Float {
    let mut env = sym_core::evalf::ComplexEnv::new();
    env.insert(x, rug::Complex::with_val(PREC, (t, 0)));
    sym_core::evalf::eval_complex(f, &env, PREC).unwrap().real().clone()
}

/// The enclosure `[mid - radius, mid + radius]` of a certified branch, or the exact value twice.
fn enclosure(b: &Branch) -> (Float, Float) {
    match (&b.exact, &b.numeric, &b.radius) {
        (Some(e), _, _) => {
            let v = sym_solve::numeric::eval_at(&e[0], &Default::default(), PREC).unwrap().real().clone();
            (v.clone(), v)
        }
        (None, Some(n), Some(r)) => {
            let m = Float::with_val(PREC, &n[0].0);
            (Float::with_val(PREC, &m - &r[0]), Float::with_val(PREC, &m + &r[0]))
        }
        _ => panic!("a branch without value: {b:?}"),
    }
}

/// `x + a sin(x) + b atan(x)` with `|a| < 1`, `b >= 0`: strictly increasing (`g' >= 1 - |a| > 0`).
fn monotone(x: Symbol, a: i64, b: i64) -> Expr {
    let xe = Expr::sym(x);
    xe.clone() + Expr::rational(a, 4) * Expr::func(Func::Sin, xe.clone()) + Expr::int(b) * Expr::func(Func::Atan, xe)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// `g(x) = g(r)` for a strictly increasing `g` has exactly the root `r`: one branch, complete, whose
    /// enclosure contains `r` (the `r` is a rational with an odd denominator, off every cut point).
    #[test]
    fn monotone_known_root(a in -3i64..=3, b in 0i64..=2, p in -40i64..=40, lo in 1i64..=10, hi in 1i64..=10) {
        let x = Symbol::new("x");
        let r = Expr::rational(p, 7);
        let g = monotone(x, a, b);
        prop_assume!(a != 0 || b != 0);
        let f = g.clone() - g.subs(&Expr::sym(x), &r);
        let r0 = p / 7;
        let set = solve_one(&f, x, &opts(r0 - lo, r0 + hi)).unwrap();
        prop_assert_eq!(set.coverage, Coverage::Complete, "{}: {:?}", f, set.notes);
        prop_assert_eq!(set.branches.len(), 1);
        let (l, h) = enclosure(&set.branches[0]);
        let rv = Float::with_val(PREC, r.as_rational().unwrap());
        prop_assert!(l <= rv && rv <= h, "{} not in [{}, {}]", rv, l, h);
    }

    /// `sin(x) + x/c = k` on `[-20, 20]`: every certified root has a sign change of `f` across its enclosure
    /// (or is exact and satisfies `f`), and when the set is complete each sign change between points of a
    /// grid of step 1/64 (where `|f| > 1e-9`) has a root between them.
    #[test]
    fn periodic_roots_and_count(c in 2i64..=12, k in -6i64..=6) {
        let x = Symbol::new("x");
        let xe = Expr::sym(x);
        let f = Expr::func(Func::Sin, xe.clone()) + xe / Expr::int(c) - Expr::rational(k, 5);
        let set = solve_one(&f, x, &opts(-20, 20)).unwrap();
        let mut encl = Vec::new();
        for b in &set.branches {
            let (l, h) = enclosure(b);
            if b.exact.is_some() {
                prop_assert!(sym_solve::transcendental::satisfies(&f, x, &rug::Complex::with_val(PREC, (&l, 0))));
            } else {
                let (fl, fh) = (eval(&f, x, &l), eval(&f, x, &h));
                prop_assert!(fl.is_sign_negative() != fh.is_sign_negative() || fl.is_zero() || fh.is_zero(),
                    "no sign change across [{}, {}]", l, h);
            }
            encl.push((l.to_f64(), h.to_f64()));
        }
        if set.coverage == Coverage::Complete {
            let fx = |t: f64| t.sin() + t / c as f64 - k as f64 / 5.0;
            let mut prev: Option<(f64, f64)> = None;
            let mut t = -20.0;
            while t <= 20.0 {
                let v = fx(t);
                if v.abs() > 1e-9 {
                    if let Some((pt, pv)) = prev && (pv > 0.0) != (v > 0.0) {
                        prop_assert!(encl.iter().any(|(l, h)| *h >= pt && *l <= t), "missed a root in [{}, {}]", pt, t);
                    }
                    prev = Some((t, v));
                }
                t += 1.0 / 64.0;
            }
        }
    }
}

/// Known counts: `x = tan(x)` has five roots in `[1/10, 20]` (4.4934, 7.7253, 10.9041, 14.0662, 17.2208),
/// `cos(x) = x` one in `[-10, 10]`, `exp(-x) = x**2 - 2` one in `[-10, 10]`; `x*cos(x) = 1` (no closed form)
/// none in `[-1, 1]`, complete.
#[test]
fn known_counts() {
    let x = Symbol::new("x");
    let cases = [
        ("x - tan(x)", Expr::rational(1, 10), 20, 5, "4.4934094579090642"),
        ("cos(x) - x", Expr::int(-10), 10, 1, "0.73908513321516064"),
        ("exp(-x) - x**2 + 2", Expr::int(-10), 10, 1, "1.4916441946682422"),
        ("x*cos(x) - 1", Expr::int(-1), 1, 0, ""),
    ];
    for (f, lo, hi, count, first) in cases {
        let f = sym_core::parse(f).unwrap();
        let o = SolveOptions {
            domain: Domain::Real,
            interval: Some(Interval { lo, hi: Expr::int(hi), lo_open: false, hi_open: false }),
            ..SolveOptions::default()
        };
        let set = solve_one(&f, x, &o).unwrap();
        assert_eq!(set.coverage, Coverage::Complete, "{f}: {:?}", set.notes);
        assert_eq!(set.branches.len(), count, "{f}");
        if count > 0 {
            let m = &set.branches[0].numeric.as_ref().unwrap()[0].0;
            assert_eq!(sym_core::print::format_decimal(m, 17), first, "{f}");
        }
    }
    // Without an interval the default [-100, 100] is searched: the root is found, the claim is partial.
    let set = solve_one(&sym_core::parse("cos(x) - x").unwrap(), x, &SolveOptions::default()).unwrap();
    assert_eq!(set.coverage, Coverage::Partial);
    assert_eq!(set.branches.len(), 1);
    assert!(set.notes.iter().any(|n| n.contains("[-100, 100]")), "{:?}", set.notes);
}
