//! The GPU check (`cargo xtask gpu-check` runs this): the circle branch's value and gradient on 1e8 points on a
//! wgpu device, checked against the CPU on a sample, with the time per point.
//!
//! Run: `cargo run --release -p sym-grad --features wgpu --example gpu_check -- [points]` (default 1e8). Without
//! a wgpu GPU adapter it says so on standard error and exits with status 3 (nothing was checked); a software (CPU)
//! adapter such as lavapipe is used only with `GPU_CHECK_ALLOW_CPU=1`. The reference is JAX on an H200, 0.012 ns per
//! point (issue 5). It measures two paths:
//! - the derivative graph (`y` and `dy/dx` from `sym_grad::gradient`) evaluated on device tensors by the burn
//!   evaluator, no autodiff;
//! - burn's autodiff through the sym function: `y = f(x)`, `sum(y).backward()`, `x.grad`.
//!
//! `f64` if the adapter supports it, else `f32` (reported).

use burn::prelude::*;
use burn::tensor::{DType, DeviceKind, DeviceType, TensorData};
use std::time::Instant;
use sym_grad::burn_backend::SymFunction;
use sym_grad::{GradOptions, gradient};
use sym_lower::{Builder, Elem, Graph, Type};

/// The exit status when there is no wgpu adapter (`cargo xtask gpu-check` reads it).
const NO_ADAPTER: i32 = 3;

fn circle(elem: Elem) -> Graph {
    let ty = Type::batch(elem);
    let mut b = Builder::new();
    let x = b.input("x", ty).expect("a fresh builder takes an input");
    let nine = b.constant(elem, 9.0).expect("a float constant");
    let x2 = b.powi(x, 2).expect("typed");
    let d = b.sub(nine, x2).expect("typed");
    let s = b.sqrt(d).expect("typed");
    let y = b.neg(s).expect("typed");
    b.output("y", y).expect("a fresh name");
    b.finish().expect("a valid graph")
}

fn host(t: &Tensor<1>) -> Vec<f64> {
    t.to_data().convert::<f64>().try_into_vec::<f64>().expect("a float tensor")
}

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args().nth(1).map(|s| s.parse()).transpose()?.unwrap_or(100_000_000);
    // burn lists discrete GPUs first, then integrated and virtual ones, then software (CPU) adapters such as
    // lavapipe; a software adapter is not a GPU, so it is used only when asked for.
    let found = std::panic::catch_unwind(|| Device::enumerate(DeviceType::Wgpu).into_vec()).unwrap_or_default();
    let software = Device::wgpu(DeviceKind::Cpu);
    let allow_software = std::env::var_os("GPU_CHECK_ALLOW_CPU").is_some();
    let Some(device) = found.iter().find(|d| **d != software || allow_software).cloned() else {
        if found.is_empty() {
            eprintln!("gpu-check: no wgpu adapter found (is a Vulkan or Metal driver installed?): nothing was checked");
        } else {
            eprintln!(
                "gpu-check: only a software (CPU) wgpu adapter found, no GPU: nothing was checked \
                 (GPU_CHECK_ALLOW_CPU=1 runs the check on it)"
            );
        }
        std::process::exit(NO_ADAPTER);
    };
    let (elem, dtype) =
        if device.supports_dtype(DType::F64) { (Elem::F64, DType::F64) } else { (Elem::F32, DType::F32) };
    println!("gpu-check: device {device:?}, {n} points, {dtype:?}");

    // x in (-3, 3), deterministic.
    #[allow(clippy::cast_precision_loss)]
    let xs: Vec<f64> = (0..n).map(|i| -3.0 + 6.0 * ((i as f64 + 0.5) / n as f64)).collect();
    let x = match elem {
        #[allow(clippy::cast_possible_truncation)]
        Elem::F32 => Tensor::<1>::from_data(
            TensorData::new(xs.iter().map(|v| *v as f32).collect::<Vec<f32>>(), [n]),
            (&device, dtype),
        ),
        _ => Tensor::<1>::from_data(TensorData::new(xs.clone(), [n]), (&device, dtype)),
    };

    // Path 1: the derivative graph, evaluated on the device.
    let g = circle(elem);
    let d = gradient(&g, "y", &["x"], &GradOptions::default())?;
    let f = SymFunction::new(d.graph())?;
    let run = || -> anyhow::Result<Vec<Tensor<1>>> {
        let out = f.call(std::slice::from_ref(&x))?;
        device.sync()?;
        Ok(out)
    };
    run()?;
    let mut best = f64::INFINITY;
    let mut last = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        last = run()?;
        #[allow(clippy::cast_precision_loss)]
        let ns = t.elapsed().as_nanos() as f64 / n as f64;
        best = best.min(ns);
    }
    println!("gpu-check: value+gradient (derivative graph): {best:.4} ns/point (best of 5)");

    // Check a sample against the CPU: y = -sqrt(9 - x^2), dy/dx = x / sqrt(9 - x^2), in f64 at the device's x
    // (rounded to its kind). The computed radicand d = 9 - x^2 carries a rounding error of about 9 eps, so both
    // results are good to about eps (1 + 9/d) relative (the cancellation near x = ±3 is the function's
    // conditioning, not an error of the device): the check allows 16 times that.
    let (y, dy) = (host(&last[0]), host(&last[1]));
    let eps = if elem == Elem::F32 { f64::from(f32::EPSILON) } else { f64::EPSILON };
    #[allow(clippy::cast_possible_truncation)]
    let on_device = |x: f64| if elem == Elem::F32 { f64::from(x as f32) } else { x };
    // (error / allowed error) of a value `got` against `want` at x.
    let excess = |got: f64, want: f64, x: f64| {
        let d = 9.0 - x * x;
        let allowed = 16.0 * eps * (1.0 + 9.0 / d);
        (got - want).abs() / want.abs().max(1.0) / allowed
    };
    let mut worst = 0.0f64;
    for i in (0..n).step_by((n / 1000).max(1)) {
        let x = on_device(xs[i]);
        let s = (9.0 - x * x).sqrt();
        worst = worst.max(excess(y[i], -s, x)).max(excess(dy[i], x / s, x));
    }
    println!("gpu-check: sample of 1000 points, max error vs CPU {worst:.3} of the allowed error");
    anyhow::ensure!(worst <= 1.0, "GPU results differ from the CPU by {worst} times the allowed error");

    // Path 2: burn's autodiff through the sym function.
    let fy = SymFunction::new(&g)?;
    let ad = device.clone().autodiff();
    let xa = x.clone().autodiff().require_grad();
    let t = Instant::now();
    let y = fy.call(std::slice::from_ref(&xa))?.remove(0);
    let grads = y.sum().backward();
    let gx = xa.grad(&grads).expect("x is tracked");
    ad.sync()?;
    #[allow(clippy::cast_precision_loss)]
    let ns = t.elapsed().as_nanos() as f64 / n as f64;
    let gv = host(&gx);
    let i = n / 3;
    let xi = on_device(xs[i]);
    let s = (9.0 - xi * xi).sqrt();
    anyhow::ensure!(excess(gv[i], xi / s, xi) <= 1.0, "autodiff gradient differs");
    println!("gpu-check: value+gradient (burn autodiff through the sym node, one run): {ns:.4} ns/point");
    println!("gpu-check: OK");
    Ok(())
}
