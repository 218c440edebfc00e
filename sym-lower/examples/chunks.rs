//! Scratch timing of chunk sizes (not committed).
use ndarray::Array1;
use std::time::Instant;
use sym_core::{Symbol, parse};
use sym_lower::lower::{LowerOptions, Start, lower_expr, lower_implicit};
use sym_lower::{ExecOptions, Executor, TensorMut, TensorRef, Threads};

fn uniform(n: usize, seed: u64, lo: f64, hi: f64) -> Array1<f64> {
    let mut s = seed;
    Array1::from_iter((0..n).map(|_| {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let u = (z >> 11) as f64 / (1_u64 << 53) as f64;
        lo + (hi - lo) * u
    }))
}

fn time(mut f: impl FnMut(), n: usize) -> f64 {
    f();
    let mut best = f64::MAX;
    for _ in 0..15 {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_nanos() as f64 / n as f64);
    }
    best
}

fn main() {
    let nm = LowerOptions { masks: false, ..LowerOptions::default() };
    let n = 1_000_000;
    let x = uniform(n, 1, -3.0, 3.0);
    let a = uniform(n, 2, 1.0, 2.0);
    let b = uniform(n, 3, 3.0, 4.0);
    let c = uniform(n, 4, 0.0, 1.0);
    let mut out = Array1::<f64>::zeros(n);
    let mut ok = Array1::<bool>::from_elem(n, false);
    let circle = lower_expr(&parse("-sqrt(9 - x**2)").unwrap(), &["x"], &nm).unwrap();
    let circle_m = lower_expr(&parse("-sqrt(9 - x**2)").unwrap(), &["x"], &LowerOptions::default()).unwrap();
    let quad = lower_expr(&parse("(-b + sqrt(b**2 - 4*a*c))/(2*a)").unwrap(), &["a", "b", "c"], &nm).unwrap();
    let qa = uniform(100_000, 5, 1.0, 2.0);
    let qb = uniform(100_000, 6, -1.0, 1.0);
    let mut qout = Array1::<f64>::zeros(100_000);
    let quint = lower_implicit(
        &parse("y**5 + a*y + b").unwrap(),
        Symbol::new("y"),
        &Start::Guess(parse("-b/a").unwrap()),
        &["a", "b"],
        &nm,
    )
    .unwrap();
    let hand_c = time(
        || {
            for (o, &x) in out.iter_mut().zip(x.iter()) {
                *o = -(9.0 - x * x).sqrt();
            }
        },
        n,
    );
    println!("hand circle {hand_c:.3}");
    for chunk in [16, 32, 64, 128, 256, 512, 1024] {
        let o = ExecOptions { threads: Threads::Single, chunk, ..ExecOptions::default() };
        let e1 = Executor::with_options(&circle, o).unwrap();
        let e1m = Executor::with_options(&circle_m, o).unwrap();
        let e2 = Executor::with_options(&quad, o).unwrap();
        let e3 = Executor::with_options(&quint, o).unwrap();
        let t1 = time(|| e1.run_into(&[TensorRef::from(&x)], &mut [TensorMut::from(&mut out)]).unwrap(), n);
        let t1m = time(
            || {
                e1m.run_into(&[TensorRef::from(&x)], &mut [TensorMut::from(&mut out), TensorMut::from(&mut ok)])
                    .unwrap()
            },
            n,
        );
        let t2 = time(
            || {
                e2.run_into(
                    &[TensorRef::from(&a), TensorRef::from(&b), TensorRef::from(&c)],
                    &mut [TensorMut::from(&mut out)],
                )
                .unwrap()
            },
            n,
        );
        let t3 = time(
            || e3.run_into(&[TensorRef::from(&qa), TensorRef::from(&qb)], &mut [TensorMut::from(&mut qout)]).unwrap(),
            100_000,
        );
        println!("chunk {chunk}: circle {t1:.3} circle+mask {t1m:.3} quad {t2:.3} quintic {t3:.3}");
    }
}
