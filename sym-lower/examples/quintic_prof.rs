//! Scratch profile target (not committed).
use ndarray::Array1;
use sym_core::{Symbol, parse};
use sym_lower::lower::{LowerOptions, Start, lower_implicit};
use sym_lower::{ExecOptions, Executor, TensorMut, TensorRef, Threads};
fn main() {
    let nm = LowerOptions { masks: false, ..LowerOptions::default() };
    let n = 100_000;
    let qa = Array1::from_iter((0..n).map(|i| 1.0 + (i as f64 * 0.618).fract()));
    let qb = Array1::from_iter((0..n).map(|i| -1.0 + 2.0 * (i as f64 * 0.4142).fract()));
    let mut qout = Array1::<f64>::zeros(n);
    let quint = lower_implicit(
        &parse("y**5 + a*y + b").unwrap(),
        Symbol::new("y"),
        &Start::Guess(parse("-b/a").unwrap()),
        &["a", "b"],
        &nm,
    )
    .unwrap();
    let e3 =
        Executor::with_options(&quint, ExecOptions { threads: Threads::Single, ..ExecOptions::default() }).unwrap();
    let t = std::time::Instant::now();
    for _ in 0..200 {
        e3.run_into(&[TensorRef::from(&qa), TensorRef::from(&qb)], &mut [TensorMut::from(&mut qout)]).unwrap();
    }
    println!("{:.2} ns/pt", t.elapsed().as_nanos() as f64 / (200.0 * n as f64));
}
