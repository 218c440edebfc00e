//! Fuzz target: the IR's text reader, verifier, passes, interpreter and executor.
//!
//! Any text either fails to parse with a positioned error, or parses to a graph that the
//! verifier accepts or rejects with a typed error. A verified graph prints to text that parses
//! back to the same graph and prints identically; the optimisation pipeline's output verifies;
//! and on a small batch of awkward values (zeros, signed infinities, NaN, large and tiny
//! numbers) the single-chunk executor returns the reference interpreter's results bit for bit.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
use sym_lower::passes::optimize;
use sym_lower::verify::verify;
use sym_lower::{ExecOptions, Executor, Graph, Tensor, TensorRef, Threads, interpret, parse, print};

/// The lanes every input receives (cycled), chosen to reach domain edges.
const VALUES: [f64; 9] = [0.0, -0.0, 1.5, -2.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 1e300, 3e-310];

fuzz_target!(|data: &[u8]| {
    common::record(data);
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(g) = parse(text) else { return };
    if verify(&g).is_err() {
        return;
    }
    let printed = print(&g);
    let back = parse(&printed).unwrap_or_else(|e| panic!("printed graph fails to parse: {e}\n{printed}"));
    assert_eq!(back, g, "text round trip changed the graph\n{printed}");
    assert_eq!(print(&back), printed);
    let opt = optimize(&g).unwrap_or_else(|e| panic!("optimize failed on a verified graph: {e}\n{printed}"));
    verify(&opt).unwrap_or_else(|e| panic!("optimized graph fails verification: {e}\n{}", print(&opt)));
    compare(&g);
});

/// Runs `g` in the interpreter and the executor on the same inputs and compares the bits.
fn compare(g: &Graph) {
    let n = VALUES.len();
    let inputs: Vec<Tensor> = g.inputs.iter().enumerate().map(|(k, d)| input(d.ty, n, k)).collect();
    let views: Vec<TensorRef<'_>> = inputs.iter().map(Tensor::view).collect();
    let want = interpret(g, &views);
    let single = ExecOptions { threads: Threads::Single, chunk: 4096, min_task: 1, ..ExecOptions::default() };
    let exec = Executor::with_options(g, single)
        .unwrap_or_else(|e| panic!("executor refused a verified graph: {e}\n{}", print(g)));
    let got = exec.run(&views);
    match (want, got) {
        (Ok(w), Ok(o)) => {
            for (k, (a, b)) in w.iter().zip(&o).enumerate() {
                assert!(same_bits(a, b), "output {k}: interpreter {a:?}, executor {b:?}\n{}", print(g));
            }
        }
        (Err(_), Err(_)) => {}
        (w, o) => panic!("interpreter {w:?} but executor {o:?}\n{}", print(g)),
    }
}

/// An input of type `ty` with `n` lanes, filled from [`VALUES`] starting at offset `k`.
fn input(ty: sym_lower::Type, n: usize, k: usize) -> Tensor {
    let mut t = Tensor::zeros(ty, n);
    match &mut t {
        Tensor::F64(a) => a.iter_mut().zip(VALUES.iter().cycle().skip(k)).for_each(|(x, v)| *x = *v),
        Tensor::F32(a) => a.iter_mut().zip(VALUES.iter().cycle().skip(k)).for_each(|(x, v)| *x = *v as f32),
        Tensor::Bool(a) => a.iter_mut().enumerate().for_each(|(i, x)| *x = (i + k).is_multiple_of(3)),
        _ => {}
    }
    t
}

/// Equality of results, NaN payloads ignored but NaN-ness and signed zeros respected.
fn same_bits(a: &Tensor, b: &Tensor) -> bool {
    match (a, b) {
        (Tensor::F64(x), Tensor::F64(y)) => {
            x.shape() == y.shape()
                && x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan()))
        }
        (Tensor::F32(x), Tensor::F32(y)) => {
            x.shape() == y.shape()
                && x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan()))
        }
        _ => a == b,
    }
}
