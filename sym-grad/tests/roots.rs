//! Roots differentiated by the implicit function theorem: exact first and second derivatives of the quintic's
//! root, per-lane statuses at double roots (exact and computed), the zero policy, scalar parameters, `f32`, and
//! agreement of the executor with the interpreter on derivative graphs.
// Numeric checks index parallel arrays by lane, input and coefficient at once.
#![allow(clippy::needless_range_loop)]

mod common;

use common::*;
use ndarray::{Array1, ArrayD, arr0};
use sym_grad::{GradOptions, SingularPolicy, forward_derivatives, gradient, hessian};
use sym_lower::{Builder, Executor, Graph, RootOptions, RootStart, RootStatus, Tensor, TensorRef, Type, interpret};

fn run_both(g: &Graph, inputs: &[ArrayD<f64>]) -> Vec<Tensor> {
    let refs: Vec<TensorRef<'_>> = inputs.iter().map(|a| a.view().into()).collect();
    let slow = interpret(g, &refs).unwrap();
    let fast = Executor::new(g).unwrap().run(&refs).unwrap();
    assert_eq!(slow.len(), fast.len());
    for (s, f) in slow.iter().zip(&fast) {
        match (s.as_f64(), f.as_f64()) {
            (Some(a), Some(b)) => {
                for (x, y) in a.iter().zip(b) {
                    assert!(x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()), "{x} vs {y}");
                }
            }
            _ => assert_eq!(s, f),
        }
    }
    slow
}

#[test]
fn quintic_first_and_second_derivatives() {
    // y^5 + a y + b = 0: F_y = 5y^4 + a, dy/da = -y/F_y, dy/db = -1/F_y. Differentiating F(y(a, b), a, b) = 0
    // twice: F_yy y_i y_j + F_y y_ij + F_yi y_j + F_yj y_i + F_ij = 0 with F_yy = 20 y^3, F_ya = 1, F_yb = 0 and
    // F_ij = 0, so y_aa = -(20 y^3 y_a^2 + 2 y_a)/F_y, y_ab = -(20 y^3 y_a y_b + y_b)/F_y, y_bb = -20 y^3 y_b^2/F_y.
    let g = quintic_graph();
    let a = Array1::from_vec(vec![1.0, 1.5, 2.0, 1.25]).into_dyn();
    let b = Array1::from_vec(vec![-0.9, 0.3, 0.0, 0.99]).into_dyn();
    let opts = GradOptions::default();
    let h = hessian(&g, "y", &["a", "b"], &opts).unwrap();
    let out = run_both(h.graph(), &[a.clone(), b.clone()]);
    let status = h.status(&out, 4).unwrap().unwrap();
    assert!(status.iter().all(|s| *s == RootStatus::Converged));
    let y = out[0].as_f64().unwrap();
    for i in 0..4 {
        let (yi, ai) = (y[[i]], a[[i]]);
        assert!((yi.powi(5) + ai * yi + b[[i]]).abs() <= 1e-15);
        let fy = 5.0 * yi.powi(4) + ai;
        let (ya, yb) = (-yi / fy, -1.0 / fy);
        let fyy = 20.0 * yi.powi(3);
        let yaa = -(fyy * ya * ya + 2.0 * ya) / fy;
        let yab = -(fyy * ya * yb + yb) / fy;
        let ybb = -(fyy * yb * yb) / fy;
        let got: Vec<f64> = (1..7).map(|k| out[k].as_f64().unwrap()[[i]]).collect();
        let want = [ya, yb, yaa, yab, yab, ybb];
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() <= 4e-15 * (1.0 + w.abs()), "lane {i}: {got:?} vs {want:?}");
        }
    }
}

/// `y = root of y^3 - 3y + c` from the guess `g` (inputs `c`, `g`), with `tol` and 100 steps: a double root at 1
/// for `c = 2` (`(y - 1)^2 (y + 2)`), three simple roots for `-2 < c < 2`.
fn cubic(tol: f64) -> Graph {
    let mut r = Builder::new();
    let y = r.input("y", Type::F64_BATCH).unwrap();
    let c = r.input("c", Type::F64_BATCH).unwrap();
    let y3 = r.powi(y, 3).unwrap();
    let three = r.const_f64(3.0);
    let t = r.mul(three, y).unwrap();
    let d = r.sub(y3, t).unwrap();
    let f = r.add(d, c).unwrap();
    let y2 = r.powi(y, 2).unwrap();
    let t2 = r.mul(three, y2).unwrap();
    let df = r.sub(t2, three).unwrap();
    r.output("f", f).unwrap();
    r.output("df", df).unwrap();
    let res = r.finish().unwrap();
    let mut b = Builder::new();
    let c = b.input("c", Type::F64_BATCH).unwrap();
    let guess = b.input("g", Type::F64_BATCH).unwrap();
    let id = b.add_residual(res).unwrap();
    let y = b.root(id, &[c], RootStart::Guess(guess), RootOptions { tol, max_iter: 100 }).unwrap();
    b.output("y", y).unwrap();
    b.finish().unwrap()
}

#[test]
fn double_roots_give_a_status_not_a_gradient() {
    // Lanes: the exact double root (the guess is the root, F = 0 exactly and F_y = 0); Newton towards the double
    // root from 1.3 (linear convergence to a point where F_y ~ sqrt(eps)); the simple root -2 of the same
    // equation (dy/dc = -1/F_y = -1/9); and a nearby simple root (c = 1.9).
    let g = cubic(1e-12);
    let c = Array1::from_vec(vec![2.0, 2.0, 2.0, 1.9]).into_dyn();
    let guess = Array1::from_vec(vec![1.0, 1.3, -2.1, 0.8]).into_dyn();
    for policy in [SingularPolicy::Nan, SingularPolicy::Zero] {
        let opts = GradOptions { singular: policy, ..GradOptions::default() };
        for d in [gradient(&g, "y", &["c"], &opts).unwrap(), forward_derivatives(&g, &["y"], &["c"], &opts).unwrap()] {
            let out = run_both(d.graph(), &[c.clone(), guess.clone()]);
            let status = d.status(&out, 4).unwrap().unwrap();
            let y = out[0].as_f64().unwrap();
            let dy = out[1].as_f64().unwrap();
            assert_eq!(status[0], RootStatus::SingularDerivative);
            assert_ne!(status[1], RootStatus::Converged, "y = {}", y[[1]]);
            assert_eq!(&status.to_vec()[2..], &[RootStatus::Converged; 2]);
            for i in 0..2 {
                match policy {
                    SingularPolicy::Nan => assert!(dy[[i]].is_nan()),
                    _ => assert_eq!(dy[[i]], 0.0),
                }
            }
            assert!((dy[[2]] + 1.0 / 9.0).abs() <= 1e-15);
            let y3 = y[[3]];
            let want = -1.0 / (3.0 * y3 * y3 - 3.0);
            assert!((dy[[3]] - want).abs() <= 1e-12 * want.abs(), "{} vs {want}", dy[[3]]);
        }
    }
}

#[test]
fn scalar_parameters_of_a_root() {
    // y = root of y^5 + a y + b with a scalar `a` and a batch `b`: dy_i/da = -y_i/F_y, summed over the lanes by
    // reverse mode and per lane by forward mode.
    let mut g = Builder::new();
    let a = g.input("a", Type::F64).unwrap();
    let b = g.input("b", Type::F64_BATCH).unwrap();
    let res = g.add_residual(quintic_residual()).unwrap();
    let zero = g.const_f64(0.0);
    let y = g.root(res, &[a, b], RootStart::Guess(zero), RootOptions::F64).unwrap();
    g.output("y", y).unwrap();
    let g = g.finish().unwrap();
    let av = arr0(1.5).into_dyn();
    let bv = Array1::from_vec(vec![-0.5, 0.25, 0.75]).into_dyn();
    let opts = GradOptions::default();
    let rev = run_both(gradient(&g, "y", &["a", "b"], &opts).unwrap().graph(), &[av.clone(), bv.clone()]);
    let fwd = run_both(forward_derivatives(&g, &["y"], &["a", "b"], &opts).unwrap().graph(), &[av, bv]);
    let y = rev[0].as_f64().unwrap();
    let mut sum = 0.0;
    for i in 0..3 {
        let fy = 5.0 * y[[i]].powi(4) + 1.5;
        let ya = -y[[i]] / fy;
        sum += ya;
        assert!((fwd[1].as_f64().unwrap()[[i]] - ya).abs() <= 1e-15);
        assert!((rev[2].as_f64().unwrap()[[i]] + 1.0 / fy).abs() <= 1e-15);
    }
    assert!((rev[1].as_f64().unwrap()[[]] - sum).abs() <= 1e-15);
}

#[test]
fn f32_roots() {
    // The quintic in f32: the derivative graph runs in f32, and the check uses f32's epsilon.
    let mut r = Builder::new();
    let y = r.input("y", Type::F32_BATCH).unwrap();
    let a = r.input("a", Type::F32_BATCH).unwrap();
    let y5 = r.powi(y, 5).unwrap();
    let ay = r.mul(a, y).unwrap();
    let one = r.const_f32(1.0);
    let f0 = r.add(y5, ay).unwrap();
    let f = r.add(f0, one).unwrap();
    let y4 = r.powi(y, 4).unwrap();
    let five = r.const_f32(5.0);
    let d0 = r.mul(five, y4).unwrap();
    let d = r.add(d0, a).unwrap();
    r.output("f", f).unwrap();
    r.output("df", d).unwrap();
    let res = r.finish().unwrap();
    let mut b = Builder::new();
    let a = b.input("a", Type::F32_BATCH).unwrap();
    let id = b.add_residual(res).unwrap();
    let zero = b.const_f32(0.0);
    let y = b.root(id, &[a], RootStart::Guess(zero), RootOptions::F32).unwrap();
    b.output("y", y).unwrap();
    let g = b.finish().unwrap();
    let d = gradient(&g, "y", &["a"], &GradOptions::default()).unwrap();
    let av = Array1::from_vec(vec![1.0_f32, 2.0]);
    let out = interpret(d.graph(), &[(&av).into()]).unwrap();
    let ys = out[0].as_f32().unwrap();
    let ds = out[1].as_f32().unwrap();
    for i in 0..2 {
        let (yv, aa) = (f64::from(ys[[i]]), f64::from(av[i]));
        let want = -yv / (5.0 * yv.powi(4) + aa);
        assert!((f64::from(ds[[i]]) - want).abs() <= 1e-6, "{} vs {want}", ds[[i]]);
    }
    assert!(d.status(&out, 2).unwrap().unwrap().iter().all(|s| *s == RootStatus::Converged));
}
