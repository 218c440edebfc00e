//! Physics: the molar volume of a van der Waals gas and its sensitivities.
//!
//! The equation of state `(P + a/V**2) (V - b) = R T` is implicit in the molar volume `V`. It is
//! lowered as a `root` op over batches of states `(T, P)` and material constants `(a, b)` (Newton
//! from the ideal-gas volume `R T / P`, with a per-lane convergence status), and sym-grad gives
//! `dV/dT`, `dV/dP`, `dV/da`, `dV/db` by the implicit function theorem, `dV/dq = -F_q / F_V`, with
//! `F_V` derived symbolically from the equation. Each number is checked against a central
//! difference of the solved volume.
//!
//! Constants for CO2 (a = 0.3640 Pa m^6/mol^2, b = 4.267e-5 m^3/mol) at 1 to 50 bar and 300 to
//! 500 K: gas states (at 300 K, just below the critical 304 K, the vapour pressure is about 67 bar),
//! the most compressible near the critical point, where the sensitivities are largest.
//!
//! Run: `cargo run --release -p sym-grad --example equation_of_state`

use anyhow::{Context, Result, ensure};
use ndarray::Array1;
use sym_core::parse::parse_equation;
use sym_core::{Symbol, parse};
use sym_grad::{GradOptions, gradient};
use sym_lower::lower::{LowerOptions, Start, lower_implicit};
use sym_lower::{RootStatus, TensorRef, interpret};

const R: f64 = 8.314_462_618;

/// Runs the example; an error says which check failed.
pub fn main() -> Result<()> {
    let eos = parse_equation(&format!("(P + a/V**2)*(V - b) = {R}*T"))?;
    let v = Symbol::new("V");
    let inputs = ["T", "P", "a", "b"];
    let start = Start::Guess(parse(&format!("{R}*T/P"))?);
    let graph = lower_implicit(&eos, v, &start, &inputs, &LowerOptions::default())?;
    let d = gradient(&graph, "V", &inputs, &GradOptions::default())?;

    // A grid of states.
    let temps = [300.0, 320.0, 400.0, 500.0];
    let pressures = [1e5, 1e6, 5e6];
    let (mut t, mut p) = (Vec::new(), Vec::new());
    for &ti in &temps {
        for &pi in &pressures {
            t.push(ti);
            p.push(pi);
        }
    }
    let n = t.len();
    let cols = [
        Array1::from(t.clone()),
        Array1::from(p.clone()),
        Array1::from_elem(n, 0.3640),
        Array1::from_elem(n, 4.267e-5),
    ];
    let refs: Vec<TensorRef<'_>> = cols.iter().map(TensorRef::from).collect();
    let out = interpret(d.graph(), &refs)?;
    let names: Vec<&str> = d.graph().outputs.iter().map(|o| o.name.as_str()).collect();
    let col = |name: &str| -> Result<Vec<f64>> {
        let k = names.iter().position(|n| *n == name).with_context(|| format!("no output {name} in {names:?}"))?;
        Ok(out[k].as_f64().context("f64 output")?.iter().copied().collect())
    };
    let volume = col("V")?;
    let grads: Vec<Vec<f64>> = inputs.iter().map(|q| col(&format!("d(V)/d({q})"))).collect::<Result<_>>()?;
    let status = d.status(&out, n)?;

    // The solved volume alone, for central differences.
    let solve_at = |k: usize, which: usize, h: f64| -> Result<f64> {
        let mut c = cols.clone();
        c[which][k] += h;
        let r: Vec<TensorRef<'_>> = c.iter().map(TensorRef::from).collect();
        let o = interpret(&graph, &r)?;
        let at = graph.outputs.iter().position(|o| o.name == "V").context("output V")?;
        Ok(o[at].as_f64().context("f64 output")?[[k]])
    };

    println!(
        "{:>6} {:>8} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "T [K]", "P [bar]", "V [L/mol]", "dV/dT", "dV/dP", "dV/da", "dV/db"
    );
    let mut worst = 0.0f64;
    for k in 0..n {
        if let Some(s) = &status {
            ensure!(s[k] == RootStatus::Converged, "state {k}: {:?}", s[k]);
        }
        println!(
            "{:>6.0} {:>8.1} {:>12.6} {:>12.4e} {:>12.4e} {:>12.4e} {:>12.4e}",
            t[k],
            p[k] / 1e5,
            volume[k] * 1e3,
            grads[0][k],
            grads[1][k],
            grads[2][k],
            grads[3][k]
        );
        for (which, g) in grads.iter().enumerate() {
            let x = cols[which][k];
            let h = f64::EPSILON.cbrt() * x.abs().max(1e-300);
            let fd = (solve_at(k, which, h)? - solve_at(k, which, -h)?) / (2.0 * h);
            let err = (g[k] - fd).abs() / fd.abs().max(1e-300);
            worst = worst.max(err);
            ensure!(err < 1e-5, "state {k}, d/d{}: implicit {} vs central difference {fd}", inputs[which], g[k]);
        }
    }
    println!("\nall sensitivities agree with central differences (worst relative difference {worst:.1e})");
    Ok(())
}
