//! burn execution: IR graphs as differentiable burn functions on the Flex CPU backend (f64 and f32), roots with the
//! implicit-function backward, NaN-safe selects, the module with trainable constants, and the tape.
// Numeric checks index parallel arrays by lane, input and coefficient at once.
#![allow(clippy::needless_range_loop)]

mod common;

use burn::prelude::*;
use burn::tensor::TensorData;
use common::*;
use sym_grad::burn_backend::{SymFunction, SymModule, Tape, flex_f32, flex_f64};
use sym_lower::{Builder, RootStatus, Type};

fn vec64(t: Tensor<1>) -> Vec<f64> {
    t.into_data().convert::<f64>().try_into_vec::<f64>().unwrap()
}

fn t64(v: &[f64], device: &Device) -> Tensor<1> {
    Tensor::from_data(TensorData::new(v.to_vec(), [v.len()]), device)
}

fn circle() -> sym_lower::Graph {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let nine = b.const_f64(9.0);
    let x2 = b.powi(x, 2).unwrap();
    let d = b.sub(nine, x2).unwrap();
    let s = b.sqrt(d).unwrap();
    let y = b.neg(s).unwrap();
    b.output("y", y).unwrap();
    b.finish().unwrap()
}

#[test]
fn circle_gradient_in_a_burn_loss() {
    // The seed of the issue: y = -sqrt(9 - x^2), d(y^2)/dx = -2x, and dy/dx = -x/y.
    let device = flex_f64().unwrap();
    let f = SymFunction::new(&circle()).unwrap();
    let x = t64(&[1.0, 2.0, -0.5], &device).require_grad();
    let y = f.call(std::slice::from_ref(&x)).unwrap().remove(0);
    let loss = y.clone().powi_scalar(2).sum();
    let g = vec64(x.grad(&loss.backward()).unwrap());
    assert_eq!(g.len(), 3);
    for (gi, xi) in g.iter().zip([1.0, 2.0, -0.5]) {
        assert!((gi + 2.0 * xi).abs() <= 1e-14, "{g:?}");
    }
    // dy/dx directly.
    let x = t64(&[1.0, 2.0], &device).require_grad();
    let y = f.call(std::slice::from_ref(&x)).unwrap().remove(0);
    let yv = vec64(y.clone().inner());
    let g = vec64(x.grad(&y.sum().backward()).unwrap());
    assert!((g[0] + 1.0 / yv[0]).abs() <= 1e-15);
    assert!((g[1] + 2.0 / yv[1]).abs() <= 1e-15);
}

#[test]
fn quintic_root_with_the_implicit_backward() {
    // y^5 + a y + b = 0: dL/da = L'(y) (-y/F_y), dL/db = L'(y) (-1/F_y), with L = sum y^3.
    let device = flex_f64().unwrap();
    let f = SymFunction::new(&quintic_graph()).unwrap();
    let (a0, b0) = ([1.0, 2.0, 1.5], [1.0, -2.0, 0.5]);
    let a = t64(&a0, &device).require_grad();
    let b = t64(&b0, &device).require_grad();
    let y = f.call(&[a.clone(), b.clone()]).unwrap().remove(0);
    let yv = vec64(y.clone().inner());
    let grads = y.powi_scalar(3).sum().backward();
    let (ga, gb) = (vec64(a.grad(&grads).unwrap()), vec64(b.grad(&grads).unwrap()));
    for i in 0..3 {
        let fy = 5.0 * yv[i].powi(4) + a0[i];
        assert!((yv[i].powi(5) + a0[i] * yv[i] + b0[i]).abs() <= 1e-15);
        let l = 3.0 * yv[i] * yv[i];
        assert!((ga[i] - l * (-yv[i] / fy)).abs() <= 1e-15 * (1.0 + ga[i].abs()));
        assert!((gb[i] - l * (-1.0 / fy)).abs() <= 1e-15 * (1.0 + gb[i].abs()));
    }
    let st = f.derivative_status(&[a, b]).unwrap().unwrap();
    assert_eq!(st, vec![RootStatus::Converged; 3]);
}

#[test]
fn select_is_nan_safe_on_burn() {
    // y = log(x) where x > 0, else sqrt(-x): the untaken branch is NaN on every lane, and so are its derivatives.
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let zero = b.const_f64(0.0);
    let c = b.gt(x, zero).unwrap();
    let l = b.log(x).unwrap();
    let nx = b.neg(x).unwrap();
    let s = b.sqrt(nx).unwrap();
    let y = b.select(c, l, s).unwrap();
    b.output("y", y).unwrap();
    let f = SymFunction::new(&b.finish().unwrap()).unwrap();
    let device = flex_f64().unwrap();
    let x = t64(&[2.0, -4.0], &device).require_grad();
    let y = f.call(std::slice::from_ref(&x)).unwrap().remove(0);
    let g = vec64(x.grad(&y.sum().backward()).unwrap());
    assert_eq!(g, vec![0.5, -0.25]);
}

#[test]
fn scalar_inputs_and_f32() {
    // y = p x + p^2 with a scalar p: d(sum y)/dp = sum x + 2 n p; in f32.
    let mut b = Builder::new();
    let x = b.input("x", Type::F32_BATCH).unwrap();
    let p = b.input("p", Type::F32).unwrap();
    let px = b.mul(p, x).unwrap();
    let p2 = b.powi(p, 2).unwrap();
    let y = b.add(px, p2).unwrap();
    b.output("y", y).unwrap();
    let f = SymFunction::new(&b.finish().unwrap()).unwrap();
    // The Flex device's default float kind is set once per process (f64 here, by the other tests); f32 tensors
    // are made with an explicit dtype, and `flex_f32` reports the conflict.
    let device = flex_f64().unwrap();
    assert!(matches!(flex_f32(), Err(sym_grad::Error::BurnDevice { found: "f64" })));
    let f32t = |v: Vec<f32>| {
        let n = v.len();
        Tensor::<1>::from_data(TensorData::new(v, [n]), (&device, burn::tensor::DType::F32))
    };
    let x = f32t(vec![1.0, 2.0, 3.0]).require_grad();
    let p = f32t(vec![0.5]).require_grad();
    let y = f.call(&[x.clone(), p.clone()]).unwrap().remove(0);
    let grads = y.sum().backward();
    let gp: Vec<f32> = p.grad(&grads).unwrap().into_data().try_into_vec().unwrap();
    let gx: Vec<f32> = x.grad(&grads).unwrap().into_data().try_into_vec().unwrap();
    assert_eq!(gp, vec![6.0 + 3.0]);
    assert_eq!(gx, vec![0.5; 3]);
}

#[test]
fn wrong_inputs_are_errors() {
    let device = flex_f64().unwrap();
    let f = SymFunction::new(&quintic_graph()).unwrap();
    let a = t64(&[1.0, 2.0], &device);
    let b = t64(&[1.0], &device);
    assert!(matches!(f.call(std::slice::from_ref(&a)), Err(sym_grad::Error::BurnInputCount { expected: 2, found: 1 })));
    assert!(matches!(f.call(&[a.clone(), b]), Err(sym_grad::Error::BurnInput { index: 1, .. })));
    let a32 = Tensor::<1>::from_data(TensorData::new(vec![1.0f32, 2.0], [2]), (&device, burn::tensor::DType::F32));
    assert!(matches!(f.call(&[a32, a]), Err(sym_grad::Error::BurnInput { index: 0, .. })));
}

#[test]
fn module_with_trainable_constants_fits_a_line() {
    // y = a x + b fitted to y = 3x - 1 by plain gradient descent on the module's parameters.
    let mut g = Builder::new();
    let x = g.input("x", Type::F64_BATCH).unwrap();
    let a = g.input("a", Type::F64).unwrap();
    let b = g.input("b", Type::F64).unwrap();
    let ax = g.mul(a, x).unwrap();
    let y = g.add(ax, b).unwrap();
    g.output("y", y).unwrap();
    let graph = g.finish().unwrap();
    let device = flex_f64().unwrap();
    let xs = [-1.0, 0.0, 1.0, 2.0];
    let target = t64(&xs.map(|x| 3.0 * x - 1.0), &device);
    let (mut av, mut bv) = (0.0, 0.0);
    for _ in 0..200 {
        let m = SymModule::new(&graph, &[("a", av), ("b", bv)], &device).unwrap();
        let y = m.forward(&[t64(&xs, &device)]).unwrap().remove(0);
        let loss = (y - target.clone()).powi_scalar(2).mean();
        let grads = loss.backward();
        let ga: f64 = m.param("a").unwrap().grad(&grads).unwrap().into_scalar();
        let gb: f64 = m.param("b").unwrap().grad(&grads).unwrap().into_scalar();
        av -= 0.1 * ga;
        bv -= 0.1 * gb;
    }
    assert!((av - 3.0).abs() < 1e-6 && (bv + 1.0).abs() < 1e-6, "a = {av}, b = {bv}");
}

#[test]
fn tape_gradient_jacobian_and_batch_jacobian() {
    // A mix of a sym function (the circle, y = -sqrt(9 - x^2)) and tensor ops: z = y * x + sin(x), and a second
    // output w = x^2. dz/dx = (x/s) x + y + cos(x) with s = sqrt(9 - x^2) = -y; dw/dx = 2x.
    let device = flex_f64().unwrap();
    let f = SymFunction::new(&circle()).unwrap();
    let mut tape = Tape::new();
    let xs = [0.5, 1.0, 2.0];
    tape.watch("x", t64(&xs, &device)).unwrap();
    let record = |w: &sym_grad::burn_backend::Watched| -> sym_grad::Result<Vec<Tensor<1>>> {
        let x = w.get("x")?;
        let y = f.call(std::slice::from_ref(&x))?.remove(0);
        Ok(vec![y * x.clone() + x.clone().sin(), x.powi_scalar(2)])
    };
    let dz = |x: f64| {
        let s = (9.0 - x * x).sqrt();
        (x / s) * x - s + x.cos()
    };
    let g = vec64(tape.gradient(record, &["x"]).unwrap().remove(0));
    for (i, x) in xs.iter().enumerate() {
        assert!((g[i] - dz(*x) - 2.0 * x).abs() <= 1e-14);
    }
    // The Jacobian of the 6 concatenated outputs w.r.t. the 3 lanes of x is diagonal in each block.
    let j = tape.jacobian(record, "x").unwrap();
    assert_eq!(j.dims(), [6, 3]);
    let jv: Vec<f64> = j.into_data().try_into_vec().unwrap();
    for r in 0..6 {
        for c in 0..3 {
            let want = if r % 3 != c {
                0.0
            } else if r < 3 {
                dz(xs[c])
            } else {
                2.0 * xs[c]
            };
            assert!((jv[r * 3 + c] - want).abs() <= 1e-14, "J[{r}][{c}] = {}", jv[r * 3 + c]);
        }
    }
    // The batch Jacobian: [3 lanes, 2 outputs, 1 source].
    let bj = tape.batch_jacobian(record, &["x"]).unwrap();
    assert_eq!(bj.dims(), [3, 2, 1]);
    let bv: Vec<f64> = bj.into_data().try_into_vec().unwrap();
    for (i, x) in xs.iter().enumerate() {
        assert!((bv[2 * i] - dz(*x)).abs() <= 1e-14);
        assert!((bv[2 * i + 1] - 2.0 * x).abs() <= 1e-14);
    }
    assert!(matches!(tape.gradient(record, &["q"]), Err(sym_grad::Error::UnknownName { .. })));
}
