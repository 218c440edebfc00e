//! Groebner basis benchmarks: cyclic-4 and cyclic-5 (grevlex), and the circle-and-line system
//! solved end to end (`x**2 + y**2 = 1, x = y`).
//!
//! References on this machine (from issue 6, not run here): cyclic-5 SymPy 645 ms, Symbolica
//! 4.4 ms, a naive FLINT Buchberger 2.4 ms; circle-and-line SymPy 11.4 ms, Symbolica 0.28 ms.
//! The in-process `reference` is a hand-written loop with the same inner operation as the
//! Groebner computation's reductions (merging a scaled, shifted polynomial into another), with
//! plain `i64` coefficients: a floor for the fraction-free representation over `Z`.
//! `circle_and_line_basis` times the Groebner basis of the circle-and-line system alone.

use criterion::{Criterion, criterion_group, criterion_main};
use rug::Rational;
use std::hint::black_box;
use std::time::Instant;
use sym_core::parse::parse_equation;
use sym_core::{Expr, Symbol};
use sym_solve::groebner::{Groebner, GroebnerLimits, Order, Poly, pack};
use sym_solve::{SolveOptions, solve_system};

/// The cyclic-n system: `sum_i prod_{j<k} x_{i+j} = 0` for `k < n`, and `prod x_i = 1`.
fn cyclic(n: usize) -> Vec<Poly> {
    let mut out = Vec::new();
    for k in 1..=n {
        let mut terms = Vec::new();
        for i in 0..n {
            let mut e = vec![0u64; n];
            for j in 0..k {
                e[(i + j) % n] += 1;
            }
            terms.push((pack(&e).unwrap(), Rational::from(1)));
            if k == n {
                break;
            }
        }
        if k == n {
            terms.push((pack(&vec![0; n]).unwrap(), Rational::from(-1)));
        }
        out.push(Poly::from_terms(Order::GrevLex, terms));
    }
    out
}

/// `a - k * m * b` for terms sorted by decreasing grevlex key, `i64` coefficients.
fn merge_i64(a: &[(u64, i64)], b: &[(u64, i64)], m: u64, k: i64) -> Vec<(u64, i64)> {
    let key = |x: u64| Order::GrevLex.key(x);
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let bm = b[j].0 + m;
        match key(a[i].0).cmp(&key(bm)) {
            std::cmp::Ordering::Greater => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Less => {
                out.push((bm, b[j].1.wrapping_mul(-k)));
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let c = a[i].1.wrapping_sub(k.wrapping_mul(b[j].1));
                if c != 0 {
                    out.push((bm, c));
                }
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend(b[j..].iter().map(|(t, c)| (t + m, c.wrapping_mul(-k))));
    out
}

fn benches(c: &mut Criterion) {
    let limits = GroebnerLimits::default();
    for n in [4usize, 5] {
        let sys = cyclic(n);
        let gb = Groebner::new(&sys, n, Order::GrevLex, &limits).unwrap();
        println!("cyclic-{n}: {} basis elements", gb.basis.len());
        let mut g = c.benchmark_group(format!("groebner_cyclic{n}"));
        g.sample_size(10);
        g.bench_function("sym", |b| b.iter(|| Groebner::new(black_box(&sys), n, Order::GrevLex, &limits).unwrap()));
        g.finish();
    }
    // Reference: the merge loop alone, on polynomials of cyclic-5's size, with plain `i64`
    // coefficients (no overflow checks): a floor for the fraction-free reductions over `Z`.
    let sys = cyclic(5);
    let a: Vec<(u64, i64)> = sys[3].terms.iter().map(|(m, _)| (*m, 1)).collect();
    let reps = 2000;
    let t = Instant::now();
    let mut acc = a.clone();
    for k in 0..reps {
        let m = pack(&[(k % 2) as u64, 0, 0, 0, 0]).unwrap();
        acc = merge_i64(&acc, &a, m, 3);
        black_box(&acc);
    }
    println!("reference merge loop (i64): {:.3} µs per merge", t.elapsed().as_secs_f64() * 1e6 / reps as f64);

    let eqs: Vec<Expr> = ["x**2 + y**2 - 1", "x - y"].iter().map(|s| parse_equation(s).unwrap()).collect();
    let vars = [Symbol::new("x"), Symbol::new("y")];
    let opts = SolveOptions::default();
    let mut g = c.benchmark_group("circle_and_line");
    g.sample_size(20);
    g.bench_function("sym", |b| b.iter(|| solve_system(black_box(&eqs), &vars, &opts).unwrap()));
    g.finish();
    // The Groebner basis alone (grevlex) of the same system.
    let one = Rational::from(1);
    let circle = Poly::from_terms(
        Order::GrevLex,
        vec![(pack(&[2, 0]).unwrap(), one.clone()), (pack(&[0, 2]).unwrap(), one.clone()), (0, -one.clone())],
    );
    let line =
        Poly::from_terms(Order::GrevLex, vec![(pack(&[1, 0]).unwrap(), one.clone()), (pack(&[0, 1]).unwrap(), -one)]);
    let sys = [circle, line];
    let mut g = c.benchmark_group("circle_and_line_basis");
    g.bench_function("sym", |b| b.iter(|| Groebner::new(black_box(&sys), 2, Order::GrevLex, &limits).unwrap()));
    g.finish();
}

criterion_group!(groebner_benches, benches);
criterion_main!(groebner_benches);
