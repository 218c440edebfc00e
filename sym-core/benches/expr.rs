//! Expression benchmarks of issue 2: expansion, differentiation and substitution of large
//! polynomials given as expressions.
//!
//! External references measured on this kind of machine (not run here): FLINT 0.135 / 0.27 /
//! 0.011 / 0.18 ms; SymEngine 1.5 / 5.3 / 3.5 / 2.1 ms; Symbolica 2.3 / 5.6 / 2.2 / 1.4 ms for
//! the four tasks. The in-process `reference` of each group is a hand-written dense-array
//! computation of the same polynomial (coefficients only, no expressions): the bound that
//! expression-level work can approach.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use sym_core::{Expr, Symbol, parse};

/// Dense coefficients of (x0 + ... + x_{k-1} + 1)^n by repeated multiplication by the sum, in a
/// (n+1)^k array: the hand-written reference for multinomial expansion.
fn dense_multinomial(k: usize, n: usize) -> Vec<u64> {
    let side = n + 1;
    let size = side.pow(k as u32);
    let mut cur = vec![0u64; size];
    cur[0] = 1;
    for _ in 0..n {
        let mut next = vec![0u64; size];
        for (idx, &c) in cur.iter().enumerate() {
            if c == 0 {
                continue;
            }
            next[idx] += c;
            let mut stride = 1;
            for _ in 0..k {
                if (idx / stride) % side + 1 < side {
                    next[idx + stride] += c;
                }
                stride *= side;
            }
        }
        cur = next;
    }
    cur
}

fn benches(c: &mut Criterion) {
    let p20 = parse("(x + y + z + 1)**20").unwrap();
    let p15 = parse("(x + y + z + w + 1)**15").unwrap();
    let e20 = p20.expand().unwrap();
    let (x, y) = (Expr::symbol("x"), Expr::symbol("y"));

    let mut g = c.benchmark_group("expand_xyz1_pow20");
    g.bench_function("sym", |b| b.iter(|| black_box(&p20).expand().unwrap()));
    g.bench_function("reference", |b| b.iter(|| dense_multinomial(3, 20)));
    g.finish();

    let mut g = c.benchmark_group("expand_xyzw1_pow15");
    g.sample_size(20);
    g.bench_function("sym", |b| b.iter(|| black_box(&p15).expand().unwrap()));
    g.bench_function("reference", |b| b.iter(|| dense_multinomial(4, 15)));
    g.finish();

    let mut g = c.benchmark_group("diff_x_of_expanded_pow20");
    g.bench_function("sym", |b| b.iter(|| black_box(&e20).diff(Symbol::new("x"))));
    g.finish();

    let mut g = c.benchmark_group("subs_x_to_y_expand_pow20");
    g.bench_function("sym", |b| b.iter(|| black_box(&e20).subs(&x, &y).expand().unwrap()));
    g.finish();
}

criterion_group!(expr_benches, benches);
criterion_main!(expr_benches);
