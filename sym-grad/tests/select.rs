//! NaN-safe `select`: the branch not taken contributes exactly zero to every derivative, even where its value or
//! its derivative is NaN or infinite (the double select of the engine), in reverse mode, forward mode and
//! Hessians; roots in an untaken branch neither poison the derivatives nor report a status there.
// Numeric checks index parallel arrays by lane, input and coefficient at once.
#![allow(clippy::needless_range_loop)]

use ndarray::{Array1, ArrayD, arr0};
use sym_grad::{GradOptions, forward_derivatives, gradient, hessian};
use sym_lower::{Builder, Graph, RootOptions, RootStart, RootStatus, Tensor, TensorRef, Type, Value, interpret};

fn f64s(t: &Tensor, n: usize) -> Vec<f64> {
    let a = t.as_f64().unwrap();
    if a.ndim() == 0 { vec![a[[]]; n] } else { a.iter().copied().collect() }
}

fn run(g: &Graph, inputs: &[ArrayD<f64>]) -> Vec<Tensor> {
    let refs: Vec<TensorRef<'_>> = inputs.iter().map(|a| a.view().into()).collect();
    interpret(g, &refs).unwrap()
}

fn one_input(f: impl Fn(&mut Builder, Value) -> Value) -> Graph {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let y = f(&mut b, x);
    b.output("y", y).unwrap();
    b.finish().unwrap()
}

/// Reverse, forward and second derivatives of `y(x)` at `xs`.
fn all_derivs(g: &Graph, xs: &[f64]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let opts = GradOptions::default();
    let x = Array1::from_vec(xs.to_vec()).into_dyn();
    let n = xs.len();
    let rev = run(gradient(g, "y", &["x"], &opts).unwrap().graph(), std::slice::from_ref(&x));
    let fwd = run(forward_derivatives(g, &["y"], &["x"], &opts).unwrap().graph(), std::slice::from_ref(&x));
    let hes = run(hessian(g, "y", &["x"], &opts).unwrap().graph(), &[x]);
    (f64s(&rev[1], n), f64s(&fwd[1], n), f64s(&hes[2], n))
}

#[test]
fn log_and_sqrt_of_negative_are_never_taken() {
    // y = log(x) where x > 0, else sqrt(-x). At x = 2 the sqrt branch is NaN (and so is its derivative), at x = -3
    // the log branch is; neither leaks. y' = 1/x or -1/(2 sqrt(-x)); y'' = -1/x^2 or -1/(4 (-x)^(3/2)).
    let g = one_input(|b, x| {
        let zero = b.const_f64(0.0);
        let c = b.gt(x, zero).unwrap();
        let l = b.log(x).unwrap();
        let nx = b.neg(x).unwrap();
        let s = b.sqrt(nx).unwrap();
        b.select(c, l, s).unwrap()
    });
    let (r, f, h) = all_derivs(&g, &[2.0, -3.0]);
    let want = [0.5, -1.0 / (2.0 * 3.0_f64.sqrt())];
    let want2 = [-0.25, -1.0 / (4.0 * 3.0_f64.powf(1.5))];
    for i in 0..2 {
        assert!((r[i] - want[i]).abs() <= 1e-15, "reverse {r:?}");
        assert!((f[i] - want[i]).abs() <= 1e-15, "forward {f:?}");
        assert!((h[i] - want2[i]).abs() <= 1e-15, "hessian {h:?}");
    }
}

#[test]
fn infinite_branches_and_poles_are_never_taken() {
    // y = 1/x where |x| > 1, else asin(x) (whose derivative is infinite at ±1 and NaN beyond); at x = 0 the
    // reciprocal's value and derivative are infinite, at x = 5 asin is NaN.
    let g = one_input(|b, x| {
        let one = b.const_f64(1.0);
        let ax = b.abs(x).unwrap();
        let c = b.gt(ax, one).unwrap();
        let r = b.recip(x).unwrap();
        let a = b.asin(x).unwrap();
        b.select(c, r, a).unwrap()
    });
    let (r, f, h) = all_derivs(&g, &[0.0, 5.0, 0.5]);
    assert_eq!(r[0], 1.0);
    assert_eq!(f[0], 1.0);
    assert_eq!(h[0], 0.0);
    assert!((r[1] + 0.04).abs() <= 1e-16 && (f[1] + 0.04).abs() <= 1e-16);
    assert!((h[1] - 2.0 / 125.0).abs() <= 1e-17);
    let d = 1.0 / 0.75_f64.sqrt();
    assert!((r[2] - d).abs() <= 1e-15 && (f[2] - d).abs() <= 1e-15);
}

#[test]
fn nested_selects_and_shared_values() {
    // s = sqrt(x) is used in two places: the taken branch at x = 4 (through an inner select), and a branch that is
    // never taken; u = log(-x) is taken only at x < 0. y = select(x > 0, select(x > 1, s, x s), select(x < -1, u, x)).
    let g = one_input(|b, x| {
        let zero = b.const_f64(0.0);
        let one = b.const_f64(1.0);
        let m1 = b.const_f64(-1.0);
        let s = b.sqrt(x).unwrap();
        let xs = b.mul(x, s).unwrap();
        let c1 = b.gt(x, one).unwrap();
        let inner = b.select(c1, s, xs).unwrap();
        let nx = b.neg(x).unwrap();
        let u = b.log(nx).unwrap();
        let c2 = b.lt(x, m1).unwrap();
        let other = b.select(c2, u, x).unwrap();
        let c0 = b.gt(x, zero).unwrap();
        b.select(c0, inner, other).unwrap()
    });
    // x = 4: y = sqrt(x), y' = 1/4. x = 0.25: y = x^(3/2), y' = 3/2 sqrt(x) = 0.75. x = -4: y = log(-x), y' = 1/x.
    // x = -0.5: y = x, y' = 1.
    let (r, f, _) = all_derivs(&g, &[4.0, 0.25, -4.0, -0.5]);
    assert_eq!(r, vec![0.25, 0.75, -0.25, 1.0]);
    assert_eq!(f, vec![0.25, 0.75, -0.25, 1.0]);
}

#[test]
fn scalar_parameter_in_a_branch() {
    // y = select(x > 0, sqrt(p) x, x) with p = -1: sqrt(p) is NaN. Where no lane takes the branch the gradient
    // of p is exactly zero; where one does, it is NaN (the function is undefined there: an honest NaN).
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let p = b.input("p", Type::F64).unwrap();
    let zero = b.const_f64(0.0);
    let c = b.gt(x, zero).unwrap();
    let s = b.sqrt(p).unwrap();
    let sx = b.mul(s, x).unwrap();
    let y = b.select(c, sx, x).unwrap();
    b.output("y", y).unwrap();
    let g = b.finish().unwrap();
    let d = gradient(&g, "y", &["x", "p"], &GradOptions::default()).unwrap();
    let p = arr0(-1.0).into_dyn();
    let out = run(d.graph(), &[Array1::from_vec(vec![-1.0, -2.0]).into_dyn(), p.clone()]);
    assert_eq!(f64s(&out[1], 2), vec![1.0, 1.0]);
    assert_eq!(f64s(&out[2], 1), vec![0.0]);
    let out = run(d.graph(), &[Array1::from_vec(vec![-1.0, 2.0]).into_dyn(), p]);
    assert!(f64s(&out[2], 1)[0].is_nan());
}

#[test]
fn a_root_in_an_untaken_branch() {
    // y = select(x > 0, root of (t^2 - x), x): for x <= 0 the root has no bracket (its value is NaN and its status
    // no_bracket), but it is not taken: the derivative is 1 and the status converged. For x = 4: y = 2, y' = 1/4.
    let mut r = Builder::new();
    let t = r.input("t", Type::F64_BATCH).unwrap();
    let xr = r.input("x", Type::F64_BATCH).unwrap();
    let t2 = r.powi(t, 2).unwrap();
    let f = r.sub(t2, xr).unwrap();
    let two = r.const_f64(2.0);
    let df = r.mul(two, t).unwrap();
    r.output("f", f).unwrap();
    r.output("df", df).unwrap();
    let res = r.finish().unwrap();
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let id = b.add_residual(res).unwrap();
    let zero = b.const_f64(0.0);
    let hi = b.const_f64(10.0);
    let y = b.root(id, &[x], RootStart::Bracket(zero, hi), RootOptions::F64).unwrap();
    let c = b.gt(x, zero).unwrap();
    let out = b.select(c, y, x).unwrap();
    b.output("y", out).unwrap();
    let g = b.finish().unwrap();
    let d = gradient(&g, "y", &["x"], &GradOptions::default()).unwrap();
    let outs = run(d.graph(), &[Array1::from_vec(vec![4.0, -1.0]).into_dyn()]);
    assert_eq!(f64s(&outs[1], 2), vec![0.25, 1.0]);
    let status = d.status(&outs, 2).unwrap().unwrap();
    assert_eq!(status.to_vec(), vec![RootStatus::Converged, RootStatus::Converged]);
    // Taken, the same root reports its failure and the derivative is NaN.
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let id = b.add_residual(g.residuals[0].clone()).unwrap();
    let zero = b.const_f64(0.0);
    let hi = b.const_f64(10.0);
    let y = b.root(id, &[x], RootStart::Bracket(zero, hi), RootOptions::F64).unwrap();
    b.output("y", y).unwrap();
    let g = b.finish().unwrap();
    let d = gradient(&g, "y", &["x"], &GradOptions::default()).unwrap();
    let outs = run(d.graph(), &[Array1::from_vec(vec![4.0, -1.0]).into_dyn()]);
    let dy = f64s(&outs[1], 2);
    assert_eq!(dy[0], 0.25);
    assert!(dy[1].is_nan());
    let status = d.status(&outs, 2).unwrap().unwrap();
    assert_eq!(status.to_vec(), vec![RootStatus::Converged, RootStatus::NoBracket]);
}
