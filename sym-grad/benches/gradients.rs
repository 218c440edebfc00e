//! Criterion benchmarks of value plus gradient with respect to every input (issue 5): sym-grad's derivative
//! graphs run by sym-lower's executor, against hand-written Rust loops of the same formulas in the same process,
//! printing the ratio. 1,000,000 `f64` points (the quintic root: 100,000).
//!
//! Workloads: the circle branch `y = -sqrt(9 - x^2)` (`dy/dx`); the quadratic's larger root
//! `(-b + sqrt(b^2 - 4ac)) / (2a)` (`dr/da`, `dr/db`, `dr/dc`); the real root of `y^5 + a y + b = 0` with `a` in
//! (1, 2), `b` in (-1, 1), by the `root` op from `-b/a` and the implicit function theorem (`dy/da`, `dy/db`, plus
//! the per-lane status and check the derivative graph always computes). The references are the kernels of
//! `shared/research/rust-limit.md`. Outputs go into preallocated buffers. Inside each criterion group the
//! hand-written loop is the function named `reference` (the convention of `cargo xtask bench`).
//!
//! Instruction sets: the executor runs its AVX2 loops where the CPU has AVX2 and FMA (`sym_lower::Isa::Best`, the
//! default), and the references are compiled for the same instruction set (`isa_twin!`), so each ratio compares
//! the same vector width; the single-thread cases are also reported with both sides on the baseline (SSE2).

use criterion::{Criterion, criterion_group, criterion_main};
use ndarray::Array1;
use std::hint::black_box;
use std::time::Instant;
use sym_grad::{Derivative, GradOptions, gradient};
use sym_lower::{
    Builder, ExecOptions, Executor, Graph, Isa, RootOptions, RootStart, RootStatus, TensorMut, TensorRef, Threads, Type,
};

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

fn circle_graph() -> Graph {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let nine = b.const_f64(9.0);
    let x2 = b.powi(x, 2).unwrap();
    let d = b.sub(nine, x2).unwrap();
    let s = b.sqrt(d).unwrap();
    let y = b.neg(s).unwrap();
    b.output("y", y).unwrap();
    b.finish().unwrap()
}

fn quadratic_graph() -> Graph {
    let mut g = Builder::new();
    let a = g.input("a", Type::F64_BATCH).unwrap();
    let b = g.input("b", Type::F64_BATCH).unwrap();
    let c = g.input("c", Type::F64_BATCH).unwrap();
    let four = g.const_f64(4.0);
    let two = g.const_f64(2.0);
    let b2 = g.powi(b, 2).unwrap();
    let fa = g.mul(four, a).unwrap();
    let fac = g.mul(fa, c).unwrap();
    let disc = g.sub(b2, fac).unwrap();
    let s = g.sqrt(disc).unwrap();
    let nb = g.neg(b).unwrap();
    let num = g.add(nb, s).unwrap();
    let den = g.mul(two, a).unwrap();
    let r = g.div(num, den).unwrap();
    g.output("r", r).unwrap();
    g.finish().unwrap()
}

fn quintic_graph() -> Graph {
    let mut r = Builder::new();
    let y = r.input("y", Type::F64_BATCH).unwrap();
    let a = r.input("a", Type::F64_BATCH).unwrap();
    let b = r.input("b", Type::F64_BATCH).unwrap();
    let y5 = r.powi(y, 5).unwrap();
    let ay = r.mul(a, y).unwrap();
    let f0 = r.add(y5, ay).unwrap();
    let f = r.add(f0, b).unwrap();
    let y4 = r.powi(y, 4).unwrap();
    let five = r.const_f64(5.0);
    let d0 = r.mul(five, y4).unwrap();
    let d = r.add(d0, a).unwrap();
    r.output("f", f).unwrap();
    r.output("df", d).unwrap();
    let residual = r.finish().unwrap();
    let mut g = Builder::new();
    let a = g.input("a", Type::F64_BATCH).unwrap();
    let b = g.input("b", Type::F64_BATCH).unwrap();
    let id = g.add_residual(residual).unwrap();
    let nb = g.neg(b).unwrap();
    let guess = g.div(nb, a).unwrap();
    let y = g.root(id, &[a, b], RootStart::Guess(guess), RootOptions::F64).unwrap();
    g.output("y", y).unwrap();
    g.finish().unwrap()
}

/// Preallocated outputs of a derivative graph: `k` float outputs, then (for roots) a status and a mask.
struct Outputs {
    floats: Vec<Array1<f64>>,
    status: Option<Array1<RootStatus>>,
    mask: Option<Array1<bool>>,
}

impl Outputs {
    fn new(d: &Derivative, n: usize) -> Self {
        let k = d.graph().outputs.len() - 2 * d.root_count();
        Self {
            floats: (0..k).map(|_| Array1::zeros(n)).collect(),
            status: (d.root_count() > 0).then(|| Array1::from_elem(n, RootStatus::Converged)),
            mask: (d.root_count() > 0).then(|| Array1::from_elem(n, false)),
        }
    }

    fn views(&mut self) -> Vec<TensorMut<'_>> {
        let mut v: Vec<TensorMut<'_>> = self.floats.iter_mut().map(TensorMut::from).collect();
        if let Some(s) = &mut self.status {
            v.push(TensorMut::from(s.view_mut().into_dyn()));
        }
        if let Some(m) = &mut self.mask {
            v.push(TensorMut::from(m));
        }
        v
    }
}

/// One thread and the rayon pool with the best instruction set, one thread with the baseline.
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

/// Circle reference: s = sqrt(9 - x^2), y = -s, dy/dx = x / s.
#[inline(always)]
fn circle_hand(xs: &[f64], y: &mut [f64], g: &mut [f64]) {
    for ((y, g), &x) in y.iter_mut().zip(g.iter_mut()).zip(xs) {
        let s = (9.0 - x * x).sqrt();
        *y = -s;
        *g = x / s;
    }
}

/// Quadratic reference (rust-limit.md): s = sqrt(b^2 - 4ac), r = (s - b)/(2a), dr/dc = -1/s,
/// dr/db = (b/s - 1)/(2a), dr/da = -(c/s + r)/a.
#[inline(always)]
fn quadratic_hand(a: &[f64], b: &[f64], c: &[f64], o: &mut [[f64; 4]]) {
    for (((o, &a), &b), &c) in o.iter_mut().zip(a).zip(b).zip(c) {
        let s = (b * b - 4.0 * a * c).sqrt();
        let inv_s = 1.0 / s;
        let half_a = 0.5 / a;
        let r = (s - b) / (2.0 * a);
        *o = [r, -(c * inv_s + r) / a, (b * inv_s - 1.0) * half_a, -inv_s];
    }
}

isa_twin!(circle_isa = circle_hand(xs: &[f64], y: &mut [f64], g: &mut [f64]));
isa_twin!(quadratic_isa = quadratic_hand(a: &[f64], b: &[f64], c: &[f64], o: &mut [[f64; 4]]));
isa_twin!(quintic_isa = quintic_blocked(a: &[f64], b: &[f64], out: &mut [[f64; 3]]));

/// Times `ours` and `reference` interleaved (31 calls each after a warm-up) and prints the minimum and median ns
/// per point of both and their ratios (the minimum is the better estimate on a shared machine).
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
        "RATIO {name}: sym-grad min {:.3} / median {om:.3} ns/pt, hand-written min {:.3} / median {rm:.3} ns/pt, \
         ratio of minima {:.2}, of medians {:.2}",
        o[0],
        r[0],
        o[0] / r[0],
        om / rm
    );
}

fn circle(c: &mut Criterion) {
    const N: usize = 1_000_000;
    let x = uniform(N, 1, -3.0, 3.0);
    let d = gradient(&circle_graph(), "y", &["x"], &GradOptions::default()).unwrap();
    let (one, many, base) = executors(d.graph());
    let isa = one.isa();
    let mut out = Outputs::new(&d, N);
    let xs = x.as_slice().unwrap();
    let hand = |xs: &[f64], y: &mut [f64], g: &mut [f64]| circle_isa(isa, xs, y, g);
    let (mut y, mut gr) = (vec![0.0; N], vec![0.0; N]);
    hand(xs, &mut y, &mut gr);
    one.run_into(&[TensorRef::from(&x)], &mut out.views()).unwrap();
    for i in 0..N {
        assert_eq!(out.floats[0][i], y[i]);
        assert!((out.floats[1][i] - gr[i]).abs() <= 4.0 * f64::EPSILON * gr[i].abs());
    }
    let mut g = c.benchmark_group("circle_value_grad_1e6");
    g.bench_function("sym_grad_1thread", |bch| {
        bch.iter(|| one.run_into(&[TensorRef::from(&x)], &mut out.views()).unwrap());
    });
    g.bench_function("reference", |bch| bch.iter(|| hand(black_box(xs), &mut y, &mut gr)));
    g.finish();
    report(
        &tag("circle value+grad, 1 thread", isa),
        N,
        || one.run_into(&[TensorRef::from(&x)], &mut out.views()).unwrap(),
        || hand(black_box(xs), &mut y, &mut gr),
    );
    report(
        &tag("circle value+grad, 1 thread", Isa::Baseline),
        N,
        || base.run_into(&[TensorRef::from(&x)], &mut out.views()).unwrap(),
        || circle_hand(black_box(xs), &mut y, &mut gr),
    );
    report(
        &tag("circle value+grad, rayon vs 2 threads", isa),
        N,
        || many.run_into(&[TensorRef::from(&x)], &mut out.views()).unwrap(),
        || {
            let mid = (N / 2) & !7;
            let (y0, y1) = y.split_at_mut(mid);
            let (g0, g1) = gr.split_at_mut(mid);
            std::thread::scope(|s| {
                s.spawn(|| hand(&xs[..mid], y0, g0));
                hand(&xs[mid..], y1, g1);
            });
        },
    );
}

fn quadratic(c: &mut Criterion) {
    const N: usize = 1_000_000;
    let a = uniform(N, 2, 1.0, 2.0);
    let b = uniform(N, 3, 3.0, 4.0);
    let cc = uniform(N, 4, 0.0, 1.0);
    let d = gradient(&quadratic_graph(), "r", &["a", "b", "c"], &GradOptions::default()).unwrap();
    let (one, many, base) = executors(d.graph());
    let isa = one.isa();
    let mut out = Outputs::new(&d, N);
    let (sa, sb, sc) = (a.as_slice().unwrap(), b.as_slice().unwrap(), cc.as_slice().unwrap());
    let hand = |a: &[f64], b: &[f64], c: &[f64], o: &mut [[f64; 4]]| quadratic_isa(isa, a, b, c, o);
    let mut refo = vec![[0.0; 4]; N];
    hand(sa, sb, sc, &mut refo);
    let ins = [TensorRef::from(&a), TensorRef::from(&b), TensorRef::from(&cc)];
    one.run_into(&ins, &mut out.views()).unwrap();
    for (i, row) in refo.iter().enumerate() {
        for (k, &y) in row.iter().enumerate() {
            let x = out.floats[k][i];
            // dr/da cancels for small c in both forms (rust-limit.md): compare absolutely there.
            assert!((x - y).abs() <= 1e-9 * (1.0 + y.abs()), "output {k} lane {i}: {x} vs {y}");
        }
    }
    let mut g = c.benchmark_group("quadratic_value_grad_1e6");
    g.bench_function("sym_grad_1thread", |bch| bch.iter(|| one.run_into(&ins, &mut out.views()).unwrap()));
    g.bench_function("reference", |bch| bch.iter(|| hand(black_box(sa), sb, sc, &mut refo)));
    g.finish();
    report(
        &tag("quadratic value+grad, 1 thread", isa),
        N,
        || one.run_into(&ins, &mut out.views()).unwrap(),
        || hand(black_box(sa), sb, sc, &mut refo),
    );
    report(
        &tag("quadratic value+grad, 1 thread", Isa::Baseline),
        N,
        || base.run_into(&ins, &mut out.views()).unwrap(),
        || quadratic_hand(black_box(sa), sb, sc, &mut refo),
    );
    let plain = GradOptions { strong_zero: false, ..GradOptions::default() };
    let dp = gradient(&quadratic_graph(), "r", &["a", "b", "c"], &plain).unwrap();
    let (one_plain, _, _) = executors(dp.graph());
    report(
        &tag("quadratic value+grad without the strong zero, 1 thread", isa),
        N,
        || one_plain.run_into(&ins, &mut out.views()).unwrap(),
        || hand(black_box(sa), sb, sc, &mut refo),
    );
    report(
        &tag("quadratic value+grad, rayon vs 2 threads", isa),
        N,
        || many.run_into(&ins, &mut out.views()).unwrap(),
        || {
            let mid = (N / 2) & !7;
            let (o0, o1) = refo.split_at_mut(mid);
            std::thread::scope(|s| {
                s.spawn(|| hand(&sa[..mid], &sb[..mid], &sc[..mid], o0));
                hand(&sa[mid..], &sb[mid..], &sc[mid..], o1);
            });
        },
    );
}

/// The hand-written quintic of the reference in blocks of 8 lanes (converged lanes frozen by select), then
/// `d = 5 y^4 + a`, `dy/da = -y/d`, `dy/db = -1/d`.
#[inline(always)]
fn quintic_blocked(a: &[f64], b: &[f64], out: &mut [[f64; 3]]) {
    const L: usize = 8;
    let n = a.len();
    let mut i = 0;
    let finish = |y: f64, a: f64| {
        let y2 = y * y;
        let d = 5.0 * (y2 * y2) + a;
        let inv = 1.0 / d;
        [y, -y * inv, -inv]
    };
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
        for l in 0..L {
            out[i + l] = finish(y[l], aa[l]);
        }
        i += L;
    }
    for k in i..n {
        let mut y = -b[k] / a[k];
        for _ in 0..100 {
            let y2 = y * y;
            let y4 = y2 * y2;
            let step = (y4 * y + a[k] * y + b[k]) / (5.0 * y4 + a[k]);
            y -= step;
            if step.abs() <= 1e-15 * y.abs().max(1.0) {
                break;
            }
        }
        out[k] = finish(y, a[k]);
    }
}

fn quintic(c: &mut Criterion) {
    const N: usize = 100_000;
    let a = uniform(N, 5, 1.0, 2.0);
    let b = uniform(N, 6, -1.0, 1.0);
    let d = gradient(&quintic_graph(), "y", &["a", "b"], &GradOptions::default()).unwrap();
    let (one, many, base) = executors(d.graph());
    let isa = one.isa();
    let blocked = |a: &[f64], b: &[f64], o: &mut [[f64; 3]]| quintic_isa(isa, a, b, o);
    let mut out = Outputs::new(&d, N);
    let (sa, sb) = (a.as_slice().unwrap(), b.as_slice().unwrap());
    let mut refo = vec![[0.0; 3]; N];
    quintic_blocked(sa, sb, &mut refo);
    let ins = [TensorRef::from(&a), TensorRef::from(&b)];
    one.run_into(&ins, &mut out.views()).unwrap();
    assert!(out.status.as_ref().unwrap().iter().all(|s| *s == RootStatus::Converged));
    for (i, row) in refo.iter().enumerate() {
        for (k, &y) in row.iter().enumerate() {
            let x = out.floats[k][i];
            assert!((x - y).abs() <= 1e-14 * (1.0 + y.abs()), "output {k} lane {i}: {x} vs {y}");
        }
    }
    let mut g = c.benchmark_group("quintic_value_grad_1e5");
    g.bench_function("sym_grad_1thread", |bch| bch.iter(|| one.run_into(&ins, &mut out.views()).unwrap()));
    g.bench_function("reference", |bch| bch.iter(|| blocked(black_box(sa), sb, &mut refo)));
    g.finish();
    report(
        &tag("quintic value+grad (implicit), 1 thread vs blocked", isa),
        N,
        || one.run_into(&ins, &mut out.views()).unwrap(),
        || blocked(black_box(sa), sb, &mut refo),
    );
    report(
        &tag("quintic value+grad (implicit), 1 thread vs blocked", Isa::Baseline),
        N,
        || base.run_into(&ins, &mut out.views()).unwrap(),
        || quintic_blocked(black_box(sa), sb, &mut refo),
    );
    // For scale: the value alone, by sym-lower's executor, against the blocked value+grad reference.
    let (value_one, _, _) = executors(&quintic_graph());
    let mut y_only = Array1::<f64>::zeros(N);
    let mut yref = vec![[0.0; 3]; N];
    report(
        &tag("quintic value only (sym-lower executor), 1 thread vs blocked value+grad", isa),
        N,
        || value_one.run_into(&ins, &mut [TensorMut::from(&mut y_only)]).unwrap(),
        || blocked(black_box(sa), sb, &mut yref),
    );
    report(
        &tag("quintic value+grad (implicit), rayon vs blocked 2 threads", isa),
        N,
        || many.run_into(&ins, &mut out.views()).unwrap(),
        || {
            let mid = (N / 2) & !7;
            let (o0, o1) = refo.split_at_mut(mid);
            std::thread::scope(|s| {
                s.spawn(|| blocked(&sa[..mid], &sb[..mid], o0));
                blocked(&sa[mid..], &sb[mid..], o1);
            });
        },
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = circle, quadratic, quintic
}
criterion_main!(benches);
