//! Batch evaluation of a solved equation over a million points.
//!
//! Solves `a*y**2 + b*y + c = 0` for `y` exactly (the quadratic branches under `a != 0`, the
//! linear one under `a = 0, b != 0`), lowers the whole solution set to the tensor IR (guards
//! become masks, the quadratic formula its cancellation-free form), and runs it over 1,000,000
//! random `(a, b, c)` with the multi-threaded executor. Every lane is then checked against the
//! equation: a lane is either valid (`ok`) with a small residual, or masked with the value NaN,
//! never a silent NaN.
//!
//! Run: `cargo run --release -p sym-lower --example batch`

use ndarray::Array1;
use std::time::Instant;
use sym_core::{Symbol, parse};
use sym_lower::lower::{LowerOptions, lower_solved};
use sym_lower::{Executor, TensorRef};
use sym_solve::{Domain, SolveOptions, solve_one};

/// Deterministic uniform numbers in `[lo, hi)` (splitmix64).
fn uniform(n: usize, seed: u64, lo: f64, hi: f64) -> Array1<f64> {
    let mut s = seed;
    Array1::from_iter((0..n).map(|_| {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        lo + (hi - lo) * ((z >> 11) as f64 / (1u64 << 53) as f64)
    }))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let eq = parse("a*y**2 + b*y + c")?;
    let y = Symbol::new("y");
    let opts = SolveOptions { domain: Domain::Real, ..SolveOptions::default() };
    let set = solve_one(&eq, y, &opts)?;
    println!("solutions of {eq} = 0 for y (coverage: {}):", set.coverage.name());
    for b in &set.branches {
        if let Some(v) = &b.exact {
            println!("  y = {}    if {}", v[0], b.guard);
        }
    }

    let graph = lower_solved(&eq, y, &set, &["a", "b", "c"], &LowerOptions::default())?;
    println!(
        "\nIR: {} instructions, outputs {:?}",
        graph.len(),
        graph.outputs.iter().map(|o| &o.name).collect::<Vec<_>>()
    );

    const N: usize = 1_000_000;
    let a = uniform(N, 1, -1.0, 1.0);
    let b = uniform(N, 2, -2.0, 2.0);
    let c = uniform(N, 3, -1.0, 1.0);
    let exec = Executor::new(&graph)?;
    let inputs = [TensorRef::from(&a), TensorRef::from(&b), TensorRef::from(&c)];
    // The first run also starts the thread pool and faults in the output pages: time the second.
    let _ = exec.run(&inputs)?;
    let start = Instant::now();
    let out = exec.run(&inputs)?;
    let elapsed = start.elapsed();
    println!(
        "evaluated {N} points in {:.2} ms ({:.2} ns per point)",
        elapsed.as_secs_f64() * 1e3,
        elapsed.as_secs_f64() * 1e9 / N as f64
    );

    // Check every lane of every branch against the equation.
    for (k, o) in graph.outputs.iter().enumerate() {
        let Some(name) = o.name.strip_prefix("y[") else { continue };
        let ok_name = format!("ok[{name}");
        let Some(j) = graph.outputs.iter().position(|p| p.name == ok_name) else { continue };
        let values = out[k].as_f64().ok_or("values are f64")?;
        let oks = out[j].as_bool().ok_or("masks are bool")?;
        let (mut valid, mut worst) = (0usize, 0.0f64);
        for i in 0..N {
            let v = if values.ndim() == 0 { values[[]] } else { values[[i]] };
            let ok = if oks.ndim() == 0 { oks[[]] } else { oks[[i]] };
            assert_eq!(v.is_nan(), !ok, "lane {i}: value {v} with ok = {ok}");
            if ok {
                valid += 1;
                let (ai, bi, ci) = (a[i], b[i], c[i]);
                // Residual relative to the size of the terms.
                let scale = (ai * v * v).abs() + (bi * v).abs() + ci.abs();
                let r = (ai * v * v + bi * v + ci).abs() / scale.max(f64::MIN_POSITIVE);
                worst = worst.max(r);
            }
        }
        println!("branch {}: {valid} valid lanes, worst relative residual {worst:.1e}", o.name);
    }
    Ok(())
}
