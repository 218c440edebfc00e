//! Training through a solved equation: a trainable parameter inside a `RootOf`.
//!
//! The model is the real solution `y(x; t)` of the quintic `y**5 + y = t*x`, which has no
//! solution in radicals: sym-solve returns `RootOf(y**5 - t*x + y, y, k)`, and index 0 is the one
//! real root (real roots come first in `RootOf`'s order). sym-lower turns it into a `root` op
//! (Newton from a certified isolation, per lane), and sym-grad differentiates it by the implicit
//! function theorem, `dy/dt = x / (5 y**4 + 1)`, never through the iterations.
//!
//! The data are `(x, y(x; 1.7))` for 256 points; gradient descent on burn's autodiff (the Flex CPU
//! backend, `f64`) recovers `t = 1.7` from `t = 0.5`. The recipe this replaces (SymPy's `solve`,
//! then `lambdify`, then a `GradientTape`) has no solution to start from: `solve` returns `[]`.
//!
//! Run: `cargo run --release -p sym-grad --example train_rootof`

use anyhow::{Context, Result, anyhow, ensure};
use burn::prelude::*;
use burn::tensor::TensorData;
use sym_core::{Symbol, parse};
use sym_grad::burn_backend::{SymFunction, flex_f64};
use sym_lower::lower::{LowerOptions, lower_solved};
use sym_lower::{Graph, TensorRef, interpret, passes};
use sym_solve::{SolveOptions, solve_one};

/// The lowered real root `y[0]` of `y**5 + y - t*x = 0` over the batch inputs `x` and `t`.
fn model_graph() -> Result<Graph> {
    let f = parse("y**5 + y - t*x")?;
    let y = Symbol::new("y");
    let set = solve_one(&f, y, &SolveOptions::default())?;
    let first = set.branches.first().and_then(|b| b.exact.as_ref()).context("a RootOf branch")?;
    println!("sym-solve: y = {} (and {} more branches)", first[0], set.branches.len() - 1);
    let mut g = lower_solved(&f, y, &set, &["x", "t"], &LowerOptions::default())?;
    // Keep the real branch only; dead-code elimination drops the others.
    g.outputs.retain(|o| o.name == "y[0]");
    ensure!(g.outputs.len() == 1, "the lowering has no output y[0]");
    Ok(passes::optimize(&g)?)
}

fn host(t: Tensor<1>) -> Result<Vec<f64>> {
    t.into_data().convert::<f64>().try_into_vec::<f64>().map_err(|e| anyhow!("{e:?}"))
}

/// Runs the example; an error says which check failed.
pub fn main() -> Result<()> {
    let graph = model_graph()?;
    const N: usize = 256;
    const T_TRUE: f64 = 1.7;
    let xs: Vec<f64> = (0..N).map(|i| -2.0 + 4.0 * i as f64 / (N - 1) as f64).collect();
    // Targets from the same model at the true parameter (the reference interpreter, not burn).
    let x_nd = ndarray::Array1::from(xs.clone());
    let t_nd = ndarray::Array1::from_elem(N, T_TRUE);
    let out = interpret(&graph, &[TensorRef::from(&x_nd), TensorRef::from(&t_nd)])?;
    let target: Vec<f64> = out[0].as_f64().context("f64 output")?.iter().copied().collect();
    ensure!(target.iter().all(|v| v.is_finite()), "the real root is defined everywhere");

    let device = flex_f64()?;
    let func = SymFunction::new(&graph)?;
    let x: Tensor<1> = Tensor::from_data(TensorData::new(xs.clone(), [N]), &device);
    let y_true: Tensor<1> = Tensor::from_data(TensorData::new(target, [N]), &device);
    let mut t = 0.5f64;
    let lr = 10.0;
    for step in 0..40 {
        let t_param: Tensor<1> = Tensor::from_data(TensorData::new(vec![t], [1]), &device).require_grad();
        let y = func.call(&[x.clone(), t_param.clone().expand([N])])?.remove(0);
        let loss = (y - y_true.clone()).powi_scalar(2).mean();
        let loss_value = host(loss.clone().inner())?[0];
        let grads = loss.backward();
        let g = host(t_param.grad(&grads).context("t has a gradient")?)?[0];
        if step % 10 == 0 {
            println!("step {step:2}: t = {t:.10}, loss = {loss_value:.3e}, dloss/dt = {g:.3e}");
        }
        t -= lr * g;
    }
    println!("trained t = {t:.12} (true value {T_TRUE})");
    ensure!((t - T_TRUE).abs() < 1e-8, "training did not converge: t = {t}");
    Ok(())
}
