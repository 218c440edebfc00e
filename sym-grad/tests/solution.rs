//! Implicit derivatives of solutions of equations given as expressions (`sym_grad::solution`): the MPFR values
//! against sym-solve's own implicit-function gradients at 50 digits, the IR derivative graph against the MPFR values
//! in `f64`, and against central differences of the exact solution; the existence check at multiple roots.

use rug::{Complex, Float};
use std::collections::HashMap;
use sym_core::parse::parse_equation;
use sym_core::{Expr, Symbol};
use sym_grad::{GradOptions, ImplicitGradient};
use sym_lower::{RootStatus, TensorRef, interpret};
use sym_solve::SolveOptions;
use sym_solve::evaluate::solve_at;
use sym_solve::numeric::{Point, eval_at, is_real_value};

const DIGITS: u32 = 50;
/// sym-solve's working precision for `DIGITS` (digits plus 96 guard bits).
const PREC: u32 = 167 + 96;

/// One case: the equation, the unknown, and the parameters' exact values.
type Case = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

/// Closed forms, a casus irreducibilis cubic, quintics (`RootOf`), a parameter inside a radical, a biquadratic.
const CASES: &[Case] = &[
    ("x**2 + y**2 = 9", "y", &[("x", "1")]),
    ("x**2 - c", "x", &[("c", "2")]),
    ("a*x**2 + b*x + c", "x", &[("a", "1"), ("b", "-3"), ("c", "2")]),
    ("x**3 - 3*x + c", "x", &[("c", "1")]),
    ("x**5 + a*x + b", "x", &[("a", "3/2"), ("b", "1/2")]),
    ("x**5 - x - p", "x", &[("p", "1/3")]),
    ("sqrt(x) + x - a", "x", &[("a", "5")]),
    ("x**4 - 10*x**2 + k", "x", &[("k", "9/4")]),
];

fn point(values: &[(&str, &str)]) -> Point {
    values.iter().map(|(k, v)| (Symbol::new(k), sym_core::parse(v).unwrap())).collect::<HashMap<_, _>>()
}

fn params(values: &[(&str, &str)]) -> Vec<Symbol> {
    let mut p: Vec<Symbol> = values.iter().map(|(k, _)| Symbol::new(k)).collect();
    p.sort();
    p
}

/// `|a - b| <= 2^-(PREC - 24) max(1, |b|)`.
fn agree(a: &Complex, b: &Complex) -> bool {
    let d = Float::with_val(PREC, Complex::with_val(PREC, a - b).abs_ref());
    let s = Float::with_val(PREC, b.abs_ref()).max(&Float::with_val(PREC, 1));
    d <= (s >> (PREC - 24))
}

#[test]
fn mpfr_derivatives_agree_with_sym_solve() {
    let mut compared = 0;
    for (eq, unknown, values) in CASES {
        let f = parse_equation(eq).unwrap();
        let x = Symbol::new(unknown);
        let pt = point(values);
        let ps = params(values);
        let pr = solve_at(&f, x, &SolveOptions::default(), None, &pt, DIGITS, true).unwrap();
        let ig = ImplicitGradient::new(&f, x, &ps);
        assert!(!pr.solutions.is_empty(), "{eq}: no solution");
        for s in &pr.solutions {
            if !is_real_value(&s.values[0], PREC) {
                continue;
            }
            let g = ig.at(&s.values[0], &pt, PREC);
            assert_eq!(g.status, RootStatus::Converged, "{eq} at {:?}", s.values[0]);
            assert_eq!(s.grad.len(), ps.len());
            for ((_, p, want), got) in s.grad.iter().zip(&g.derivatives) {
                let (want, got) = (want.as_ref().unwrap(), got.as_ref().unwrap());
                assert!(agree(got, want), "{eq}: d{unknown}/d{p}: {got} vs sym-solve {want}");
                compared += 1;
            }
        }
    }
    assert!(compared >= 20, "{compared}");
}

#[test]
fn ir_graph_agrees_with_mpfr_and_differences() {
    for (eq, unknown, values) in CASES {
        let f = parse_equation(eq).unwrap();
        let x = Symbol::new(unknown);
        let pt = point(values);
        let ps = params(values);
        let ig = ImplicitGradient::new(&f, x, &ps);
        let d = ig.graph(&GradOptions::default()).unwrap();
        let pr = solve_at(&f, x, &SolveOptions::default(), None, &pt, DIGITS, false).unwrap();
        for s in &pr.solutions {
            if !is_real_value(&s.values[0], PREC) {
                continue;
            }
            let exact = ig.at(&s.values[0], &pt, PREC);
            let mut inputs = vec![ndarray::arr1(&[s.values[0].real().to_f64()]).into_dyn()];
            for p in &ps {
                let v = eval_at(&pt[p], &Point::new(), PREC).unwrap();
                inputs.push(ndarray::arr1(&[v.real().to_f64()]).into_dyn());
            }
            let refs: Vec<TensorRef<'_>> = inputs.iter().map(|a| a.view().into()).collect();
            let out = interpret(d.graph(), &refs).unwrap();
            assert_eq!(d.status(&out, 1).unwrap().unwrap()[0], RootStatus::Converged, "{eq}");
            // The polished value is the root to a few ulps.
            let y = out[0].as_f64().unwrap()[[0]];
            assert!((y - s.values[0].real().to_f64()).abs() <= 4.0 * f64::EPSILON * y.abs().max(1.0), "{eq}: {y}");
            for (k, p) in ps.iter().enumerate() {
                let ad = out[1 + k].as_f64().unwrap()[[0]];
                let want = exact.derivatives[k].as_ref().unwrap().real().to_f64();
                // Every case is well conditioned: the f64 derivative is within a few hundred ulps.
                assert!((ad - want).abs() <= 1e-13 * want.abs().max(1.0), "{eq}: d{unknown}/d{p}: ir {ad} vs {want}");
            }
        }
    }
}

#[test]
fn mpfr_derivatives_match_differences_of_exact_solutions() {
    // dx/dc for x = ±sqrt(c) at c = 2 is ±1/(2 sqrt 2); the central difference of the exact closed form with
    // h = 1e-20 in MPFR is exact to about 1e-40.
    let f = parse_equation("x**2 - c").unwrap();
    let (x, c) = (Symbol::new("x"), Symbol::new("c"));
    let ig = ImplicitGradient::new(&f, x, &[c]);
    for sign in [-1, 1] {
        let root = |cv: &str| -> Complex {
            let e = Expr::int(sign) * Expr::sqrt(sym_core::parse(cv).unwrap());
            eval_at(&e, &Point::new(), PREC).unwrap()
        };
        let g = ig.at(&root("2"), &point(&[("c", "2")]), PREC);
        let fd = Complex::with_val(PREC, root("2 + 10**-20") - root("2 - 10**-20")) * Float::with_val(PREC, 5e19);
        let d = g.derivatives[0].as_ref().unwrap();
        let err = Float::with_val(PREC, Complex::with_val(PREC, d - &fd).abs_ref());
        assert!(err < 1e-35, "{d} vs {fd}");
    }
}

#[test]
fn multiple_roots_have_no_derivative() {
    // (x - a)^2 = 0 at a = 1: x = a is a double root, F_x = 0 there; b does not occur, so dx/db = 0.
    let f = parse_equation("(x - a)**2 + 0*b").unwrap();
    let x = Symbol::new("x");
    let (a, b) = (Symbol::new("a"), Symbol::new("b"));
    let ig = ImplicitGradient::new(&f, x, &[a, b]);
    let one = Complex::with_val(PREC, 1);
    let g = ig.at(&one, &point(&[("a", "1"), ("b", "2")]), PREC);
    assert_eq!(g.status, RootStatus::SingularDerivative);
    assert!(g.derivatives[0].is_none());
    assert!(g.derivatives[1].as_ref().unwrap().is_zero());
    // Two simple roots 1e-30 apart are still simple at 263 bits: dx/dc = -1/F_x = 1e30.
    let f = parse_equation("(x - 1)*(x - 1 - 10**-30) + c").unwrap();
    let c = Symbol::new("c");
    let ig = ImplicitGradient::new(&f, x, &[c]);
    let g = ig.at(&one, &point(&[("c", "0")]), PREC);
    assert_eq!(g.status, RootStatus::Converged);
    let d = g.derivatives[0].as_ref().unwrap().real().to_f64();
    assert!((d - 1e30).abs() <= 1e15, "{d}");
}

#[test]
fn the_graph_reports_a_double_root_per_lane() {
    // x^2 - c at c = (0, 4): x = 0 is a double root at c = 0 only.
    let f = parse_equation("x**2 - c").unwrap();
    let ig = ImplicitGradient::new(&f, Symbol::new("x"), &[Symbol::new("c")]);
    let d = ig.graph(&GradOptions::default()).unwrap();
    let ys = ndarray::arr1(&[0.0, 2.0]).into_dyn();
    let cs = ndarray::arr1(&[0.0, 4.0]).into_dyn();
    let out = interpret(d.graph(), &[(&ys).into(), (&cs).into()]).unwrap();
    let st = d.status(&out, 2).unwrap().unwrap();
    assert_eq!(st.to_vec(), [RootStatus::SingularDerivative, RootStatus::Converged]);
    let g = out[1].as_f64().unwrap();
    assert!(g[[0]].is_nan());
    assert_eq!(g[[1]], 0.25);
}
