//! Criterion benchmarks of the executor against hand-written Rust loops of the same formulas (the in-process
//! reference), over 1,000,000 f64 points (the quintic root: 100,000), printing the ratio of medians.
//!
//! Workloads (issue 4), each graph built by lowering the sym-core expression (without masks, as the hand-written
//! loops have none): the circle branch `y = -sqrt(9 - x**2)`; the quadratic's larger root
//! `(-b + sqrt(b**2 - 4*a*c))/(2*a)`, which the lowering rewrites into the cancellation-free form
//! `-1/2 * select(b > 0, 4ac, b - s) / (a * select(b > 0, b + s, 1))` (see `sym_lower::lower`); the real root of
//! `y**5 + a*y + b = 0` with `a` in (1, 2), `b` in (-1, 1), an implicit root from the guess `-b/a`. The quadratic
//! is compared with two hand-written loops: the naive formula of the issue, and the same stable formula. Each
//! runs on one thread and on the rayon pool; the references run on one thread and on two (`std::thread::scope`,
//! halves). Outputs go into preallocated buffers. The circle and the quadratic are also timed with masks (the
//! default of the lowering), which adds the `ok` output.
//!
//! Instruction sets: the executor runs its AVX2 loops where the CPU has AVX2 and FMA (`Isa::Best`, the default;
//! see `sym_lower::Isa`). The hand-written references are compiled for the same instruction set (through
//! `isa_twin!`), so each ratio compares the same formula on the same vector width; the single-thread cases are
//! also reported with both sides on the baseline instruction set (SSE2).

use criterion::{Criterion, criterion_group, criterion_main};
use ndarray::Array1;
use std::hint::black_box;
use std::time::Instant;
use sym_core::{Symbol, parse};
use sym_lower::lower::{LowerOptions, Start, lower_expr, lower_implicit};
use sym_lower::{ExecOptions, Executor, Graph, Isa, TensorMut, TensorRef, Threads};

/// Deterministic inputs (splitmix64), uniform in `[lo, hi)`.
fn uniform(n: usize, seed: u64, lo: f64, hi: f64) -> Array1<f64> {
    let mut s = seed;
    Array1::from_iter((0..n).map(|_| {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        #[allow(clippy::cast_precision_loss)]
        let u = (z >> 11) as f64 / (1_u64 << 53) as f64;
        lo + (hi - lo) * u
    }))
}

fn no_masks() -> LowerOptions {
    LowerOptions { masks: false, ..LowerOptions::default() }
}

fn circle_graph(opts: &LowerOptions) -> Graph {
    lower_expr(&parse("-sqrt(9 - x**2)").unwrap(), &["x"], opts).unwrap()
}

fn quadratic_graph(opts: &LowerOptions) -> Graph {
    lower_expr(&parse("(-b + sqrt(b**2 - 4*a*c))/(2*a)").unwrap(), &["a", "b", "c"], opts).unwrap()
}

fn quintic_graph() -> Graph {
    let f = parse("y**5 + a*y + b").unwrap();
    let start = Start::Guess(parse("-b/a").unwrap());
    lower_implicit(&f, Symbol::new("y"), &start, &["a", "b"], &no_masks()).unwrap()
}

/// The hand-written quintic Newton of the reference (rust-limit.md): `y -= f/d` from `-b/a` until
/// `|step| <= 1e-15 max(1, |y|)`, at most 100 steps, one lane at a time.
#[inline(always)]
fn quintic_scalar(a: &[f64], b: &[f64], out: &mut [f64]) {
    for ((o, &a), &b) in out.iter_mut().zip(a).zip(b) {
        let mut y = -b / a;
        for _ in 0..100 {
            let y2 = y * y;
            let y4 = y2 * y2;
            let step = (y4 * y + a * y + b) / (5.0 * y4 + a);
            y -= step;
            if step.abs() <= 1e-15 * y.abs().max(1.0) {
                break;
            }
        }
        *o = y;
    }
}

/// The same in blocks of 8 lanes, converged lanes frozen by select (the reference's vectorised form).
#[inline(always)]
fn quintic_blocked(a: &[f64], b: &[f64], out: &mut [f64]) {
    const L: usize = 8;
    let n = a.len();
    let mut i = 0;
    while i + L <= n {
        // Plain loops rather than `try_into` and `array::from_fn`, which are not always inlined (then they would not
        // be compiled for AVX2 in the `isa_twin!`).
        let (mut aa, mut bb, mut y) = ([0.0; L], [0.0; L], [0.0; L]);
        aa.copy_from_slice(&a[i..i + L]);
        bb.copy_from_slice(&b[i..i + L]);
        for l in 0..L {
            y[l] = -bb[l] / aa[l];
        }
        let mut done = [false; L];
        for _ in 0..100 {
            for l in 0..L {
                let y2 = y[l] * y[l];
                let y4 = y2 * y2;
                let step = (y4 * y[l] + aa[l] * y[l] + bb[l]) / (5.0 * y4 + aa[l]);
                let next = y[l] - step;
                let conv = step.abs() <= 1e-15 * next.abs().max(1.0);
                y[l] = if done[l] { y[l] } else { next };
                done[l] |= conv;
            }
            if done.iter().all(|&d| d) {
                break;
            }
        }
        out[i..i + L].copy_from_slice(&y);
        i += L;
    }
    quintic_scalar(&a[i..], &b[i..], &mut out[i..]);
}

/// Defines `$name(isa, args)`: the hand-written reference `$f` (`#[inline(always)]`) compiled for `isa`, in an
/// AVX2 twin where the executor runs AVX2 (Rust never contracts to FMA on its own, so the arithmetic is the same).
macro_rules! isa_twin {
    ($name:ident = $f:ident($($arg:ident: $ty:ty),*)) => {
        #[allow(unsafe_code)]
        fn $name(isa: Isa, $($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            if isa == Isa::Avx2 {
                #[target_feature(enable = "avx2,fma")]
                fn avx2($($arg: $ty),*) {
                    $f($($arg),*);
                }
                // SAFETY: `Executor::isa` reports AVX2 only where the CPU has AVX2 and FMA.
                return unsafe { avx2($($arg),*) };
            }
            let _ = isa;
            $f($($arg),*);
        }
    };
}

isa_twin!(circle_isa = circle_hand(xs: &[f64], out: &mut [f64]));
isa_twin!(quadratic_naive_isa = quadratic_naive(a: &[f64], b: &[f64], c: &[f64], out: &mut [f64]));
isa_twin!(quadratic_stable_isa = quadratic_stable(a: &[f64], b: &[f64], c: &[f64], out: &mut [f64]));
isa_twin!(quintic_scalar_isa = quintic_scalar(a: &[f64], b: &[f64], out: &mut [f64]));
isa_twin!(quintic_blocked_isa = quintic_blocked(a: &[f64], b: &[f64], out: &mut [f64]));

/// Runs `f` on two threads over halves of the output (8-aligned), the caller doing the second half.
fn two_threads(n: usize, out: &mut [f64], f: impl Fn(std::ops::Range<usize>, &mut [f64]) + Sync) {
    let mid = (n / 2) & !7;
    let (lo, hi) = out.split_at_mut(mid);
    std::thread::scope(|s| {
        s.spawn(|| f(0..mid, lo));
        f(mid..n, hi);
    });
}

/// Times `ours` and `reference` interleaved (`rounds` calls each, after a warm-up call each) and prints the
/// minimum and the median ns per point of both and their ratios. On a shared machine the minimum is the better
/// estimate of the intrinsic cost (preemption only ever adds time); both are printed.
fn report(name: &str, n: usize, mut ours: impl FnMut(), mut reference: impl FnMut()) {
    let rounds = 31;
    ours();
    reference();
    let per_point = |t: Instant| {
        #[allow(clippy::cast_precision_loss)]
        let ns = t.elapsed().as_nanos() as f64 / n as f64;
        ns
    };
    let (mut o, mut r) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for _ in 0..rounds {
        let t = Instant::now();
        ours();
        o.push(per_point(t));
        let t = Instant::now();
        reference();
        r.push(per_point(t));
    }
    o.sort_by(f64::total_cmp);
    r.sort_by(f64::total_cmp);
    let (om, rm) = (o[rounds / 2], r[rounds / 2]);
    println!(
        "RATIO {name}: sym min {:.3} / median {om:.3} ns/pt, hand-written min {:.3} / median {rm:.3} ns/pt, \
         ratio of minima {:.2}, of medians {:.2}",
        o[0],
        r[0],
        o[0] / r[0],
        om / rm
    );
}

/// One thread with the best instruction set, the rayon pool with the best instruction set, one thread with
/// the baseline instruction set.
fn executors(g: &Graph) -> (Executor, Executor, Executor) {
    let single = ExecOptions { threads: Threads::Single, ..ExecOptions::default() };
    let base = ExecOptions { isa: Isa::Baseline, ..single };
    (Executor::with_options(g, single).unwrap(), Executor::new(g).unwrap(), Executor::with_options(g, base).unwrap())
}

/// `name [isa]`.
fn tag(name: &str, isa: Isa) -> String {
    let isa = if isa == Isa::Avx2 { "avx2" } else { "baseline" };
    format!("{name} [{isa}]")
}

/// The circle branch by hand.
#[inline(always)]
fn circle_hand(xs: &[f64], out: &mut [f64]) {
    for (o, &x) in out.iter_mut().zip(xs) {
        *o = -(9.0 - x * x).sqrt();
    }
}

fn circle(c: &mut Criterion) {
    const N: usize = 1_000_000;
    let x = uniform(N, 1, -3.0, 3.0);
    let mut out = Array1::<f64>::zeros(N);
    let (one, many, base) = executors(&circle_graph(&no_masks()));
    let (masked, _, _) = executors(&circle_graph(&LowerOptions::default()));
    let isa = one.isa();
    let mut ok = ndarray::Array1::<bool>::from_elem(N, false);
    let xs = x.as_slice().unwrap();
    let hand = |xs: &[f64], out: &mut [f64]| circle_isa(isa, xs, out);
    // Same answers, bit for bit, with either instruction set.
    let mut check = Array1::<f64>::zeros(N);
    circle_hand(xs, check.as_slice_mut().unwrap());
    for ex in [&one, &base] {
        ex.run_into(&[TensorRef::from(&x)], &mut [TensorMut::from(&mut out)]).unwrap();
        assert_eq!(out, check);
    }

    let mut g = c.benchmark_group("circle_1e6");
    g.bench_function("sym_1thread", |bch| {
        bch.iter(|| one.run_into(&[TensorRef::from(&x)], &mut [TensorMut::from(&mut out)]).unwrap());
    });
    g.bench_function("hand_1thread", |bch| bch.iter(|| hand(black_box(xs), check.as_slice_mut().unwrap())));
    g.bench_function("sym_rayon", |bch| {
        bch.iter(|| many.run_into(&[TensorRef::from(&x)], &mut [TensorMut::from(&mut out)]).unwrap());
    });
    g.bench_function("hand_2threads", |bch| {
        bch.iter(|| two_threads(N, check.as_slice_mut().unwrap(), |r, o| hand(&xs[r], o)));
    });
    g.finish();
    report(
        &tag("circle 1 thread", isa),
        N,
        || one.run_into(&[TensorRef::from(&x)], &mut [TensorMut::from(&mut out)]).unwrap(),
        || hand(black_box(xs), check.as_slice_mut().unwrap()),
    );
    report(
        &tag("circle 1 thread", Isa::Baseline),
        N,
        || base.run_into(&[TensorRef::from(&x)], &mut [TensorMut::from(&mut out)]).unwrap(),
        || circle_hand(black_box(xs), check.as_slice_mut().unwrap()),
    );
    report(
        &tag("circle with masks (value + ok) 1 thread", isa),
        N,
        || {
            masked
                .run_into(&[TensorRef::from(&x)], &mut [TensorMut::from(&mut out), TensorMut::from(&mut ok)])
                .unwrap();
        },
        || hand(black_box(xs), check.as_slice_mut().unwrap()),
    );
    report(
        &tag("circle rayon vs 2 threads", isa),
        N,
        || many.run_into(&[TensorRef::from(&x)], &mut [TensorMut::from(&mut out)]).unwrap(),
        || two_threads(N, check.as_slice_mut().unwrap(), |r, o| hand(&xs[r], o)),
    );
}

/// The formula, as written: cancels in `s - b` for small `4ac`.
#[inline(always)]
fn quadratic_naive(a: &[f64], b: &[f64], c: &[f64], out: &mut [f64]) {
    for (((o, &a), &b), &c) in out.iter_mut().zip(a).zip(b).zip(c) {
        *o = (-b + (b * b - 4.0 * a * c).sqrt()) / (2.0 * a);
    }
}

/// The formula the lowering produces, written by hand with the same operations in the same order.
#[inline(always)]
fn quadratic_stable(a: &[f64], b: &[f64], c: &[f64], out: &mut [f64]) {
    for (((o, &a), &b), &c) in out.iter_mut().zip(a).zip(b).zip(c) {
        let ac4 = (a * c) * 4.0;
        let ns = -(b * b - ac4).sqrt();
        let cancel = b > 0.0;
        let num = if cancel { ac4 } else { b + ns };
        let den = if cancel { b - ns } else { 1.0 };
        *o = (num * -0.5) / (a * den);
    }
}

fn quadratic(c: &mut Criterion) {
    const N: usize = 1_000_000;
    let a = uniform(N, 2, 1.0, 2.0);
    let b = uniform(N, 3, 3.0, 4.0);
    let cc = uniform(N, 4, 0.0, 1.0);
    let mut out = Array1::<f64>::zeros(N);
    let mut ok = ndarray::Array1::<bool>::from_elem(N, false);
    let (one, many, base) = executors(&quadratic_graph(&no_masks()));
    let (masked, _, _) = executors(&quadratic_graph(&LowerOptions::default()));
    let isa = one.isa();
    let (sa, sb, sc) = (a.as_slice().unwrap(), b.as_slice().unwrap(), cc.as_slice().unwrap());
    let naive = |a: &[f64], b: &[f64], c: &[f64], out: &mut [f64]| quadratic_naive_isa(isa, a, b, c, out);
    let stable = |a: &[f64], b: &[f64], c: &[f64], out: &mut [f64]| quadratic_stable_isa(isa, a, b, c, out);
    let ins = [TensorRef::from(&a), TensorRef::from(&b), TensorRef::from(&cc)];
    // The same formula by hand gives the same bits (with either instruction set); the naive formula agrees to its
    // cancellation error.
    let mut check = Array1::<f64>::zeros(N);
    quadratic_stable(sa, sb, sc, check.as_slice_mut().unwrap());
    for ex in [&one, &base] {
        ex.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap();
        assert_eq!(out, check);
    }
    quadratic_naive(sa, sb, sc, check.as_slice_mut().unwrap());
    for (o, r) in out.iter().zip(check.iter()) {
        assert!((o - r).abs() <= 1e-12 * r.abs().max(1e-3), "{o} vs {r}");
    }

    let mut g = c.benchmark_group("quadratic_1e6");
    g.bench_function("sym_1thread", |bch| bch.iter(|| one.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap()));
    g.bench_function("hand_naive_1thread", |bch| {
        bch.iter(|| naive(sa, sb, sc, check.as_slice_mut().unwrap()));
    });
    g.bench_function("hand_stable_1thread", |bch| {
        bch.iter(|| stable(sa, sb, sc, check.as_slice_mut().unwrap()));
    });
    g.bench_function("sym_rayon", |bch| bch.iter(|| many.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap()));
    g.bench_function("hand_stable_2threads", |bch| {
        bch.iter(|| {
            two_threads(N, check.as_slice_mut().unwrap(), |r, o| {
                stable(&sa[r.clone()], &sb[r.clone()], &sc[r], o);
            });
        });
    });
    g.finish();
    report(
        &tag("quadratic 1 thread vs the naive formula", isa),
        N,
        || one.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap(),
        || naive(sa, sb, sc, check.as_slice_mut().unwrap()),
    );
    report(
        &tag("quadratic 1 thread vs the same stable formula", isa),
        N,
        || one.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap(),
        || stable(sa, sb, sc, check.as_slice_mut().unwrap()),
    );
    report(
        &tag("quadratic 1 thread vs the same stable formula", Isa::Baseline),
        N,
        || base.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap(),
        || quadratic_stable(sa, sb, sc, check.as_slice_mut().unwrap()),
    );
    report(
        &tag("quadratic with masks (value + ok) 1 thread vs the naive formula", isa),
        N,
        || masked.run_into(&ins, &mut [TensorMut::from(&mut out), TensorMut::from(&mut ok)]).unwrap(),
        || naive(sa, sb, sc, check.as_slice_mut().unwrap()),
    );
    report(
        &tag("quadratic rayon vs the stable formula on 2 threads", isa),
        N,
        || many.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap(),
        || {
            two_threads(N, check.as_slice_mut().unwrap(), |r, o| {
                stable(&sa[r.clone()], &sb[r.clone()], &sc[r], o);
            });
        },
    );
}

fn quintic(c: &mut Criterion) {
    const N: usize = 100_000;
    let a = uniform(N, 5, 1.0, 2.0);
    let b = uniform(N, 6, -1.0, 1.0);
    let mut out = Array1::<f64>::zeros(N);
    let (one, many, base) = executors(&quintic_graph());
    let isa = one.isa();
    let (sa, sb) = (a.as_slice().unwrap(), b.as_slice().unwrap());
    let blocked = |a: &[f64], b: &[f64], out: &mut [f64]| quintic_blocked_isa(isa, a, b, out);
    let scalar = |a: &[f64], b: &[f64], out: &mut [f64]| quintic_scalar_isa(isa, a, b, out);
    let mut check = Array1::<f64>::zeros(N);
    quintic_blocked(sa, sb, check.as_slice_mut().unwrap());
    let ins = [TensorRef::from(&a), TensorRef::from(&b)];
    base.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap();
    let base_bits = out.clone();
    one.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap();
    assert_eq!(out, base_bits, "the instruction sets agree bit for bit");
    // The residual at sym's roots is at the rounding level, and the roots agree with the reference's to a few ulps.
    for i in 0..N {
        let (y, r) = (out[i], check[i]);
        assert!((y - r).abs() <= 4.0 * f64::EPSILON * y.abs().max(1.0), "lane {i}: {y} vs {r}");
    }

    let mut g = c.benchmark_group("quintic_root_1e5");
    g.bench_function("sym_1thread", |bch| bch.iter(|| one.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap()));
    g.bench_function("hand_blocked_1thread", |bch| bch.iter(|| blocked(sa, sb, check.as_slice_mut().unwrap())));
    g.bench_function("hand_scalar_1thread", |bch| bch.iter(|| scalar(sa, sb, check.as_slice_mut().unwrap())));
    g.bench_function("sym_rayon", |bch| bch.iter(|| many.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap()));
    g.bench_function("hand_blocked_2threads", |bch| {
        bch.iter(|| two_threads(N, check.as_slice_mut().unwrap(), |r, o| blocked(&sa[r.clone()], &sb[r], o)));
    });
    g.finish();
    report(
        &tag("quintic 1 thread vs blocked", isa),
        N,
        || one.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap(),
        || blocked(sa, sb, check.as_slice_mut().unwrap()),
    );
    report(
        &tag("quintic 1 thread vs blocked", Isa::Baseline),
        N,
        || base.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap(),
        || quintic_blocked(sa, sb, check.as_slice_mut().unwrap()),
    );
    report(
        &tag("quintic 1 thread vs scalar", isa),
        N,
        || one.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap(),
        || scalar(sa, sb, check.as_slice_mut().unwrap()),
    );
    report(
        &tag("quintic rayon vs blocked 2 threads", isa),
        N,
        || many.run_into(&ins, &mut [TensorMut::from(&mut out)]).unwrap(),
        || two_threads(N, check.as_slice_mut().unwrap(), |r, o| blocked(&sa[r.clone()], &sb[r], o)),
    );
}

criterion_group!(benches, circle, quadratic, quintic);
criterion_main!(benches);
