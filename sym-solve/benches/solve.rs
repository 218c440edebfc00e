//! Closed-form solving benchmarks: the general quartic `a*x**4 + b*x**3 + c*x**2 + d*x + e`
//! (with all degenerate-case guards), and a numeric quartic.
//!
//! References on this machine (not run here): SymEngine 64 µs for the general quartic without
//! guards, SymPy 195 ms. The machine's speed drifts by 2x within seconds, so compare with
//! SymEngine through `benches/quartic_vs_symengine.py`, which times both alternately.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use sym_core::{Symbol, parse};
use sym_solve::{SolveOptions, solve_one};

fn benches(c: &mut Criterion) {
    let general = parse("a*x**4 + b*x**3 + c*x**2 + d*x + e").unwrap();
    let numeric = parse("3*x**4 - 5*x**3 + x**2 - 7*x + 2").unwrap();
    let x = Symbol::new("x");
    let opts = SolveOptions::default();
    let mut g = c.benchmark_group("solve_general_quartic");
    g.sample_size(20);
    g.bench_function("sym", |b| b.iter(|| solve_one(black_box(&general), x, &opts).unwrap()));
    g.finish();
    let mut g = c.benchmark_group("solve_numeric_quartic");
    g.sample_size(20);
    g.bench_function("sym", |b| b.iter(|| solve_one(black_box(&numeric), x, &opts).unwrap()));
    g.finish();
}

criterion_group!(solve_benches, benches);
criterion_main!(solve_benches);
