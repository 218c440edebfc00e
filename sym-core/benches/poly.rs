//! Benchmarks of the polynomial engine on the reference workloads, each next to a hand-written
//! in-process reference loop, with the ratio printed.
//!
//! Workloads (reference numbers on this machine, for the whole expression-level task:
//! FLINT 0.135 / 0.27 / 0.011 / 0.18 ms, SymEngine 1.5 / 5.3 / 3.5 / 2.1 ms):
//!
//! 1. `(x+y+z+1)^20` over Z (1771 terms) and `(x+y+z+w+1)^15` (3876 terms);
//! 2. `d/dx` of the first;
//! 3. substituting `x -> y` in the first;
//! 4. the gcd of two random degree-100 integer polynomials.
//!
//! The references: the power by repeated multiplication by the linear factor in a dense `i64`
//! cube (the best case for a hand-written loop: no sparsity, no big numbers), the derivative and
//! substitution as loops over `(coefficient, exponents)` vectors, and the gcd as Euclid mod one
//! 62-bit prime (a lower bound for any modular gcd).

use criterion::{Criterion, criterion_group, criterion_main};
use rug::Integer;
use std::hint::black_box;
use std::time::Instant;
use sym_core::poly::expr::{Generators, expr_to_mpoly, mpoly_to_expr};
use sym_core::poly::{Int, IntegerRing, Lex, Limits, MPoly, Q, Ring, UPoly, Z, parse_mpoly};

/// The integers with plain GMP elements (no machine-word fast path): the baseline that
/// `IntegerRing`'s `i64` / `i128` fast path is measured against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct GmpIntegers;

impl Ring for GmpIntegers {
    type Elem = Integer;
    type Acc = Integer;
    fn zero(&self) -> Integer {
        Integer::new()
    }
    fn one(&self) -> Integer {
        Integer::from(1)
    }
    fn from_i64(&self, n: i64) -> Integer {
        Integer::from(n)
    }
    fn from_integer(&self, n: &Integer) -> Integer {
        n.clone()
    }
    fn is_zero(&self, a: &Integer) -> bool {
        a.is_zero()
    }
    fn is_one(&self, a: &Integer) -> bool {
        *a == 1
    }
    fn add(&self, a: &Integer, b: &Integer) -> Integer {
        Integer::from(a + b)
    }
    fn sub(&self, a: &Integer, b: &Integer) -> Integer {
        Integer::from(a - b)
    }
    fn mul(&self, a: &Integer, b: &Integer) -> Integer {
        Integer::from(a * b)
    }
    fn neg(&self, a: &Integer) -> Integer {
        Integer::from(-a)
    }
    fn try_div(&self, a: &Integer, b: &Integer) -> Option<Integer> {
        (!b.is_zero() && a.is_divisible(b)).then(|| Integer::from(a.div_exact_ref(b)))
    }
    fn characteristic(&self) -> u64 {
        0
    }
    fn is_unit(&self, a: &Integer) -> bool {
        *a == 1 || *a == -1
    }
    fn acc_zero(&self) -> Integer {
        Integer::new()
    }
    fn acc_add_mul(&self, acc: &mut Integer, a: &Integer, b: &Integer) {
        *acc += a * b;
    }
    fn acc_sub_mul(&self, acc: &mut Integer, a: &Integer, b: &Integer) {
        *acc -= a * b;
    }
    fn acc_add(&self, acc: &mut Integer, a: &Integer) {
        *acc += a;
    }
    fn acc_take(&self, acc: &mut Integer) -> Integer {
        std::mem::take(acc)
    }
}

fn power_poly(text: &str, names: &[&str], k: u64) -> MPoly<IntegerRing, Lex> {
    let f: MPoly<IntegerRing, Lex> = parse_mpoly(text, names, Z).unwrap();
    f.pow(k, &Limits::default()).unwrap()
}

/// Hand-written reference: `(x+y+z+1)^k` in a dense cube of `i64`s by repeated multiplication
/// with the linear factor.
fn dense_cube_power3(k: usize) -> Vec<i64> {
    let n = k + 1;
    let mut cur = vec![0i64; n * n * n];
    let mut next = vec![0i64; n * n * n];
    cur[0] = 1;
    for step in 0..k {
        next.iter_mut().for_each(|v| *v = 0);
        for a in 0..=step {
            for b in 0..=step - a {
                for c in 0..=step - a - b {
                    let v = cur[(a * n + b) * n + c];
                    next[(a * n + b) * n + c] += v;
                    next[((a + 1) * n + b) * n + c] += v;
                    next[(a * n + b + 1) * n + c] += v;
                    next[(a * n + b) * n + c + 1] += v;
                }
            }
        }
        std::mem::swap(&mut cur, &mut next);
    }
    cur
}

/// Hand-written reference: `(x+y+z+w+1)^k` in a dense 4-cube.
fn dense_cube_power4(k: usize) -> Vec<i64> {
    let n = k + 1;
    let idx = |a: usize, b: usize, c: usize, d: usize| ((a * n + b) * n + c) * n + d;
    let mut cur = vec![0i64; n * n * n * n];
    let mut next = vec![0i64; n * n * n * n];
    cur[0] = 1;
    for step in 0..k {
        next.iter_mut().for_each(|v| *v = 0);
        for a in 0..=step {
            for b in 0..=step - a {
                for c in 0..=step - a - b {
                    for d in 0..=step - a - b - c {
                        let v = cur[idx(a, b, c, d)];
                        next[idx(a, b, c, d)] += v;
                        next[idx(a + 1, b, c, d)] += v;
                        next[idx(a, b + 1, c, d)] += v;
                        next[idx(a, b, c + 1, d)] += v;
                        next[idx(a, b, c, d + 1)] += v;
                    }
                }
            }
        }
        std::mem::swap(&mut cur, &mut next);
    }
    cur
}

/// Hand-written reference: d/dx over plain vectors.
fn plain_derivative(terms: &[(i64, [u32; 3])]) -> Vec<(i64, [u32; 3])> {
    terms.iter().filter(|(_, e)| e[0] > 0).map(|(c, e)| (c * i64::from(e[0]), [e[0] - 1, e[1], e[2]])).collect()
}

/// Hand-written reference: x -> y over plain vectors (map, sort, merge).
fn plain_substitute(terms: &[(i64, [u32; 3])]) -> Vec<(i64, [u32; 3])> {
    let mut v: Vec<(i64, [u32; 3])> = terms.iter().map(|(c, e)| (*c, [0, e[0] + e[1], e[2]])).collect();
    v.sort_unstable_by_key(|t| std::cmp::Reverse(t.1));
    let mut out: Vec<(i64, [u32; 3])> = Vec::with_capacity(v.len());
    for (c, e) in v {
        match out.last_mut() {
            Some(last) if last.1 == e => last.0 += c,
            _ => out.push((c, e)),
        }
    }
    out
}

/// Deterministic random polynomial of degree `deg` with coefficients in `[-1000, 1000]`.
fn random_upoly(seed: u64, deg: usize) -> UPoly<IntegerRing> {
    let mut s = seed;
    let c: Vec<Int> = (0..=deg)
        .map(|_| {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            Int::from(((s >> 33) % 2001) as i64 - 1000)
        })
        .collect();
    UPoly::from_coeffs(Z, c)
}

/// Hand-written reference: Euclid mod a 62-bit prime on `u64` vectors (`%` reduction).
fn plain_gcd_mod_p(a: &[i64], b: &[i64]) -> usize {
    const P: u64 = 4_611_686_018_427_387_847;
    let red = |v: &[i64]| -> Vec<u64> { v.iter().map(|&x| x.rem_euclid(P as i64) as u64).collect() };
    let mulm = |x: u64, y: u64| ((x as u128 * y as u128) % P as u128) as u64;
    let inv = |x: u64| {
        let (mut r0, mut r1, mut t0, mut t1) = (P as i128, x as i128, 0i128, 1i128);
        while r1 != 0 {
            let q = r0 / r1;
            (r0, r1) = (r1, r0 - q * r1);
            (t0, t1) = (t1, t0 - q * t1);
        }
        t0.rem_euclid(P as i128) as u64
    };
    let trim = |v: &mut Vec<u64>| {
        while v.last() == Some(&0) {
            v.pop();
        }
    };
    let (mut x, mut y) = (red(a), red(b));
    trim(&mut x);
    trim(&mut y);
    while !y.is_empty() {
        let li = inv(*y.last().unwrap());
        let dy = y.len() - 1;
        while x.len() > dy {
            let q = mulm(*x.last().unwrap(), li);
            let off = x.len() - 1 - dy;
            for (j, &yj) in y.iter().enumerate() {
                x[off + j] = (x[off + j] + P - mulm(q, yj)) % P;
            }
            trim(&mut x);
        }
        std::mem::swap(&mut x, &mut y);
    }
    x.len()
}

/// Median wall time in milliseconds of `f` over `runs` runs.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(|a, b| a.partial_cmp(b).unwrap());
    t[runs / 2]
}

fn benches(c: &mut Criterion) {
    let n3 = ["x", "y", "z"];
    let n4 = ["x", "y", "z", "w"];
    let p20 = power_poly("x + y + z + 1", &n3, 20);
    assert_eq!(p20.len(), 1771);
    let p15 = power_poly("x + y + z + w + 1", &n4, 15);
    assert_eq!(p15.len(), 3876);
    // The references compute the same polynomials.
    let cube = dense_cube_power3(20);
    assert_eq!(cube.iter().filter(|&&v| v != 0).count(), 1771);
    assert_eq!(dense_cube_power4(15).iter().filter(|&&v| v != 0).count(), 3876);
    let plain: Vec<(i64, [u32; 3])> =
        p20.terms().map(|(c, e)| (c.as_i64().unwrap(), [e[0] as u32, e[1] as u32, e[2] as u32])).collect();
    let y = MPoly::var(Z, 3, 1);
    assert_eq!(p20.substitute(0, &y, &Limits::default()).unwrap().len(), plain_substitute(&plain).len());
    assert_eq!(p20.derivative(0).len(), plain_derivative(&plain).len());
    let ga = random_upoly(1, 100);
    let gb = random_upoly(2, 100);
    let ga64: Vec<i64> = ga.coeffs().iter().map(|c| c.as_i64().unwrap()).collect();
    let gb64: Vec<i64> = gb.coeffs().iter().map(|c| c.as_i64().unwrap()).collect();
    assert!(ga.gcd(&gb).is_one());
    assert_eq!(plain_gcd_mod_p(&ga64, &gb64), 1);

    let f3: MPoly<IntegerRing, Lex> = parse_mpoly("x + y + z + 1", &n3, Z).unwrap();
    let f4: MPoly<IntegerRing, Lex> = parse_mpoly("x + y + z + w + 1", &n4, Z).unwrap();
    let mut g = c.benchmark_group("poly");
    g.bench_function("pow (x+y+z+1)^20", |b| b.iter(|| black_box(&f3).pow(20, &Limits::default()).unwrap()));
    g.bench_function("ref dense cube (x+y+z+1)^20", |b| b.iter(|| dense_cube_power3(black_box(20))));
    g.bench_function("pow (x+y+z+w+1)^15", |b| b.iter(|| black_box(&f4).pow(15, &Limits::default()).unwrap()));
    g.bench_function("ref dense cube (x+y+z+w+1)^15", |b| b.iter(|| dense_cube_power4(black_box(15))));
    g.bench_function("d/dx (x+y+z+1)^20", |b| b.iter(|| black_box(&p20).derivative(0)));
    g.bench_function("ref d/dx plain vectors", |b| b.iter(|| plain_derivative(black_box(&plain))));
    g.bench_function("subs x->y (x+y+z+1)^20", |b| {
        b.iter(|| black_box(&p20).substitute(0, &y, &Limits::default()).unwrap())
    });
    g.bench_function("ref subs plain vectors", |b| b.iter(|| plain_substitute(black_box(&plain))));
    g.bench_function("gcd deg 100", |b| b.iter(|| black_box(&ga).gcd(black_box(&gb))));
    g.bench_function("ref euclid mod p deg 100", |b| b.iter(|| plain_gcd_mod_p(black_box(&ga64), black_box(&gb64))));
    // Also a general sparse product (heap kernel) and a dense one (accumulator kernel).
    let s1: MPoly<IntegerRing, Lex> = parse_mpoly("(x^7 + y^5*z + 3*z^11 + x*y*z + 1)^4", &n3, Z).unwrap();
    let s2: MPoly<IntegerRing, Lex> = parse_mpoly("(x^3*y^9 + 2*y^2 - z^13 + x + 5)^4", &n3, Z).unwrap();
    g.bench_function("mul sparse 70x70 terms", |b| b.iter(|| black_box(&s1).mul(black_box(&s2))));
    let h = power_poly("x + y + z + 1", &n3, 10);
    g.bench_function("mul dense (x+y+z+1)^10 squared", |b| b.iter(|| black_box(&h).mul(black_box(&h))));
    // The coefficient representation: Int (i64 fast path, i128 accumulators) against plain GMP
    // integers and GMP rationals, on the same power and the same dense product.
    let fg = f3.map_coeffs(GmpIntegers, |c| c.to_integer());
    let fq = f3.map_coeffs(Q, |c| rug::Rational::from(c.to_integer()));
    g.bench_function("pow (x+y+z+1)^20 over GMP integers", |b| {
        b.iter(|| black_box(&fg).pow(20, &Limits::default()).unwrap())
    });
    g.bench_function("pow (x+y+z+1)^20 over Q", |b| b.iter(|| black_box(&fq).pow(20, &Limits::default()).unwrap()));
    let hg = h.map_coeffs(GmpIntegers, |c| c.to_integer());
    g.bench_function("mul dense (x+y+z+1)^10 squared over GMP integers", |b| {
        b.iter(|| black_box(&hg).mul(black_box(&hg)))
    });
    // The expression layer round trip: parse tree -> polynomial power -> canonical expression.
    let e20 = sym_core::parse("(x + y + z + 1)**20").unwrap();
    g.bench_function("expr -> poly (x+y+z+1)**20", |b| {
        b.iter(|| {
            let mut gens = Generators::default();
            expr_to_mpoly::<Lex>(black_box(&e20), &mut gens, &Limits::default()).unwrap()
        })
    });
    let mut gens = Generators::default();
    let p20q = expr_to_mpoly::<Lex>(&e20, &mut gens, &Limits::default()).unwrap();
    g.bench_function("poly -> expr (1771 terms)", |b| b.iter(|| mpoly_to_expr(black_box(&p20q), gens.gens())));
    g.finish();

    // Ratios engine / hand-written reference (medians of 51 runs, milliseconds).
    let rows: [(&str, f64, f64); 5] = [
        (
            "(x+y+z+1)^20",
            median_ms(51, || {
                black_box(f3.pow(20, &Limits::default()).unwrap());
            }),
            median_ms(51, || {
                black_box(dense_cube_power3(20));
            }),
        ),
        (
            "(x+y+z+w+1)^15",
            median_ms(51, || {
                black_box(f4.pow(15, &Limits::default()).unwrap());
            }),
            median_ms(51, || {
                black_box(dense_cube_power4(15));
            }),
        ),
        (
            "d/dx",
            median_ms(51, || {
                black_box(p20.derivative(0));
            }),
            median_ms(51, || {
                black_box(plain_derivative(&plain));
            }),
        ),
        (
            "subs x->y",
            median_ms(51, || {
                black_box(p20.substitute(0, &y, &Limits::default()).unwrap());
            }),
            median_ms(51, || {
                black_box(plain_substitute(&plain));
            }),
        ),
        (
            "gcd deg 100",
            median_ms(51, || {
                black_box(ga.gcd(&gb));
            }),
            median_ms(51, || {
                black_box(plain_gcd_mod_p(&ga64, &gb64));
            }),
        ),
    ];
    println!("\n{:<18} {:>12} {:>12} {:>8}", "workload", "engine ms", "ref ms", "ratio");
    for (name, e, r) in rows {
        println!("{name:<18} {e:>12.4} {r:>12.4} {:>8.2}", e / r);
    }
}

criterion_group!(poly_benches, benches);
criterion_main!(poly_benches);
