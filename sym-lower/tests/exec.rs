//! Executor behaviour: caller-provided buffers, layouts, threading, fusion, roots, and typed errors for bad input.

mod common;

use common::same;
use ndarray::{Array0, Array1, ArrayD, Axis, IxDyn, Slice};
use sym_lower::{
    Builder, Elem, Error, ExecOptions, Executor, Graph, Inst, Invariant, RootOptions, RootStart, RootStatus, Shape,
    Tensor, TensorMut, TensorProblem, TensorRef, Threads, Type, interpret, parse,
};

fn circle() -> Graph {
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

fn xs(n: usize) -> Array1<f64> {
    Array1::from_iter((0..n).map(|i| -3.5 + 7.0 * (i as f64) / (n.max(2) - 1) as f64))
}

#[test]
fn run_into_matches_run_and_interpreter() {
    let g = circle();
    let x = xs(1000);
    let ex = Executor::new(&g).unwrap();
    let fresh = ex.run(&[(&x).into()]).unwrap();
    let mut out = Array1::<f64>::from_elem(1000, 7.0);
    ex.run_into(&[(&x).into()], &mut [(&mut out).into()]).unwrap();
    assert!(same(&fresh[0], &Tensor::from(out.clone())));
    let slow = interpret(&g, &[(&x).into()]).unwrap();
    assert!(same(&fresh[0], &slow[0]));
    // Lanes outside [-3, 3] are NaN (the branch's domain), inside they are -sqrt(9 - x^2) exactly.
    for (i, &v) in x.iter().enumerate() {
        let want = -(9.0 - v * v).sqrt();
        assert!(out[i].to_bits() == want.to_bits() || (out[i].is_nan() && want.is_nan()));
    }
}

#[test]
fn strided_inputs_and_outputs() {
    let g = circle();
    let base = xs(2000);
    let x = base.slice_axis(Axis(0), Slice::new(0, None, 2));
    assert!(x.as_slice().is_none());
    let ex = Executor::new(&g).unwrap();
    let mut buf = Array1::<f64>::zeros(3000);
    let mut out = buf.slice_axis_mut(Axis(0), Slice::new(0, None, 3));
    ex.run_into(&[x.into()], &mut [TensorMut::F64(out.view_mut().into_dyn())]).unwrap();
    let want = ex.run(&[x.to_owned().view().into()]).unwrap();
    assert!(same(&want[0], &Tensor::from(out.to_owned())));
    // The gaps of the strided output are untouched.
    assert!(buf.iter().skip(1).step_by(3).all(|&v| v == 0.0));
}

/// Chunk registers are reused from run to run on a thread (not zeroed): a run after others (a larger batch, another
/// graph, NaN-filled lanes) computes exactly what a fresh interpretation does, for every batch length.
#[test]
fn reused_registers_leave_no_trace() {
    let g = circle();
    let quintic = quintic(Elem::F64);
    let single = ExecOptions { threads: Threads::Single, chunk: 64, ..ExecOptions::default() };
    let (circle_ex, quintic_ex) =
        (Executor::with_options(&g, single).unwrap(), Executor::with_options(&quintic, single).unwrap());
    let nan = Array1::from_elem(1000, f64::NAN);
    for n in [1, 7, 63, 64, 65, 200] {
        // Poison the pool: a larger batch of NaN through both graphs.
        circle_ex.run(&[(&nan).into()]).unwrap();
        let a = Array1::from_elem(1000, 1.5);
        quintic_ex.run(&[(&a).into(), (&nan).into()]).unwrap();
        let x = xs(n);
        let got = circle_ex.run(&[(&x).into()]).unwrap();
        let want = interpret(&g, &[(&x).into()]).unwrap();
        assert!(same(&got[0], &want[0]), "n = {n}");
        let (a, b) = (Array1::from_elem(n, 1.25), x.mapv(|v| v / 4.0));
        let got = quintic_ex.run(&[(&a).into(), (&b).into()]).unwrap();
        let want = interpret(&quintic, &[(&a).into(), (&b).into()]).unwrap();
        for (k, (w, o)) in want.iter().zip(&got).enumerate() {
            assert!(same(w, o), "n = {n}, output {k}");
        }
    }
}

#[test]
fn chunk_sizes_threads_and_lengths() {
    let g = circle();
    for n in [0, 1, 7, 8, 9, 511, 512, 513, 40_000] {
        let x = xs(n);
        let want = interpret(&g, &[(&x).into()]).unwrap();
        for threads in [Threads::Single, Threads::Rayon] {
            for chunk in [1, 8, 13, 64, 4096] {
                let ex =
                    Executor::with_options(&g, ExecOptions { threads, chunk, min_task: 64, ..ExecOptions::default() })
                        .unwrap();
                let got = ex.run(&[(&x).into()]).unwrap();
                assert!(same(&want[0], &got[0]), "n={n} chunk={chunk} {threads:?}");
            }
        }
    }
}

/// Graphs whose single-use chains fuse into one kernel give the interpreter's bits (every sign/scale/square
/// pattern, on both sides, with outputs and multiple uses that block fusion).
#[test]
fn fused_kernels_are_bit_identical() {
    let text = r#"
        graph {
          %0: f64[n] = input 0 "a"
          %1: f64[n] = input 1 "b"
          %2: f64 = input 2 "k"
          %3: f64[n] = abs %0
          %4: f64[n] = neg %3
          %5: f64[n] = mul %1, %1
          %6: f64[n] = mul %2, %5
          %7: f64[n] = neg %6
          %8: f64[n] = div %4, %7
          %9: f64[n] = sqrt %8
          %10: f64[n] = abs %9
          %11: f64[n] = neg %10
          %12: f64[n] = powi %0, 2
          %13: f64[n] = mul %12, %2
          %14: f64[n] = add %13, %1
          %15: f64[n] = sub %14, %13
          %16: f64[n] = mul %0, %1
          %17: f64[n] = neg %16
          output "chain" = %11
          output "shared" = %15
          output "product" = %16
          output "negated" = %17
        }
    "#;
    let g = parse(text).unwrap();
    let a = Array1::from_iter((0..257).map(|i| (f64::from(i) - 128.0) / 7.0));
    let b = Array1::from_iter((0..257).map(|i| if i % 17 == 0 { f64::NAN } else { (f64::from(i) * 0.37).sin() }));
    let k = Array0::from_elem((), -2.5);
    let ins = [TensorRef::from(&a), TensorRef::from(&b), TensorRef::from(&k)];
    let want = interpret(&g, &ins).unwrap();
    let got =
        Executor::with_options(&g, ExecOptions { chunk: 32, ..ExecOptions::default() }).unwrap().run(&ins).unwrap();
    for (w, o) in want.iter().zip(&got) {
        assert!(same(w, o), "{w:?}\n{o:?}");
    }
}

fn quintic(elem: Elem) -> Graph {
    let mut r = Builder::new();
    let y = r.input("y", Type::batch(elem)).unwrap();
    let a = r.input("a", Type::batch(elem)).unwrap();
    let b = r.input("b", Type::batch(elem)).unwrap();
    let y5 = r.powi(y, 5).unwrap();
    let ay = r.mul(a, y).unwrap();
    let f0 = r.add(y5, ay).unwrap();
    let f = r.add(f0, b).unwrap();
    let y4 = r.powi(y, 4).unwrap();
    let five = r.constant(elem, 5.0).unwrap();
    let d0 = r.mul(five, y4).unwrap();
    let d = r.add(d0, a).unwrap();
    r.output("f", f).unwrap();
    r.output("df", d).unwrap();
    let residual = r.finish().unwrap();
    let mut g = Builder::new();
    let a = g.input("a", Type::batch(elem)).unwrap();
    let b = g.input("b", Type::batch(elem)).unwrap();
    let id = g.add_residual(residual).unwrap();
    let nb = g.neg(b).unwrap();
    let guess = g.div(nb, a).unwrap();
    let opts = if elem == Elem::F32 { RootOptions::F32 } else { RootOptions::F64 };
    let y = g.root(id, &[a, b], RootStart::Guess(guess), opts).unwrap();
    let st = g.root_status(y).unwrap();
    let ok = g.converged(st).unwrap();
    g.output("y", y).unwrap();
    g.output("status", st).unwrap();
    g.output("ok", ok).unwrap();
    g.finish().unwrap()
}

/// The real root of y^5 + a y + b (a > 0: exactly one) for many lanes: every lane converges, the residual is
/// at the rounding level of its terms, the result is the interpreter's bit for bit, and the status comes back
/// as an output array.
#[test]
fn quintic_roots_in_f64_and_f32() {
    let n = 5000;
    let a = Array1::from_iter((0..n).map(|i| 1.0 + (i as f64 * 0.618_034).fract()));
    let b = Array1::from_iter((0..n).map(|i| -1.0 + 2.0 * (i as f64 * 0.414_213_6).fract()));
    let g = quintic(Elem::F64);
    let ins = [TensorRef::from(&a), TensorRef::from(&b)];
    let got = Executor::new(&g).unwrap().run(&ins).unwrap();
    let want = interpret(&g, &ins).unwrap();
    for (w, o) in want.iter().zip(&got) {
        assert!(same(w, o));
    }
    let y = got[0].as_f64().unwrap();
    let st = got[1].as_status().unwrap();
    assert!(st.iter().all(|s| *s == RootStatus::Converged));
    assert!(got[2].as_bool().unwrap().iter().all(|&b| b));
    for i in 0..n {
        let (yi, ai, bi) = (y[[i]], a[i], b[i]);
        let scale = yi.abs().powi(5) + ai * yi.abs() + bi.abs();
        assert!((yi.powi(5) + ai * yi + bi).abs() <= 8.0 * f64::EPSILON * scale, "lane {i}");
    }

    let a32 = a.mapv(|v| v as f32);
    let b32 = b.mapv(|v| v as f32);
    let g = quintic(Elem::F32);
    let ins = [TensorRef::from(&a32), TensorRef::from(&b32)];
    let got = Executor::new(&g).unwrap().run(&ins).unwrap();
    let want = interpret(&g, &ins).unwrap();
    for (w, o) in want.iter().zip(&got) {
        assert!(same(w, o));
    }
    let y = got[0].as_f32().unwrap();
    assert!(got[1].as_status().unwrap().iter().all(|s| *s == RootStatus::Converged));
    for i in 0..n {
        let (yi, ai, bi) = (f64::from(y[[i]]), f64::from(a32[i]), f64::from(b32[i]));
        let scale = yi.abs().powi(5) + ai * yi.abs() + bi.abs();
        assert!((yi.powi(5) + ai * yi + bi).abs() <= 32.0 * f64::from(f32::EPSILON) * scale, "f32 lane {i}");
    }
}

/// Newton on `y^3 - 2y + c` from guesses around the inflection point: some lanes overshoot and change sign (and
/// are then bracketed), some cycle, some meet a zero derivative, some converge without ever being bracketed, in
/// the same blocks, and two guesses are not finite. The executor's blocked iteration (branch-free over the lanes
/// of a block) gives the interpreter's roots and statuses bit for bit, at every chunk size, with both
/// instruction sets.
#[test]
fn roots_that_get_bracketed_midway() {
    let mut r = Builder::new();
    let y = r.input("y", Type::F64_BATCH).unwrap();
    let c = r.input("c", Type::F64_BATCH).unwrap();
    let y3 = r.powi(y, 3).unwrap();
    let two = r.constant(Elem::F64, 2.0).unwrap();
    let ty = r.mul(two, y).unwrap();
    let f0 = r.sub(y3, ty).unwrap();
    let f = r.add(f0, c).unwrap();
    let y2 = r.powi(y, 2).unwrap();
    let three = r.constant(Elem::F64, 3.0).unwrap();
    let d0 = r.mul(three, y2).unwrap();
    let d = r.sub(d0, two).unwrap();
    r.output("f", f).unwrap();
    r.output("df", d).unwrap();
    let residual = r.finish().unwrap();
    let mut g = Builder::new();
    let c = g.input("c", Type::F64_BATCH).unwrap();
    let y0 = g.input("y0", Type::F64_BATCH).unwrap();
    let id = g.add_residual(residual).unwrap();
    let y = g.root(id, &[c], RootStart::Guess(y0), RootOptions::F64).unwrap();
    let st = g.root_status(y).unwrap();
    g.output("y", y).unwrap();
    g.output("status", st).unwrap();
    let g = g.finish().unwrap();
    let n = 999;
    let c = Array1::from_iter((0..n).map(|i| -3.0 + 6.0 * (i as f64 * 0.618_034).fract()));
    let mut y0 = Array1::from_iter((0..n).map(|i| -2.0 + 4.0 * (i as f64 * 0.414_213_6).fract()));
    // Exact cycles and a zero derivative: 0 -> 1 -> 0 for c = 2, and y0 = sqrt(2/3) nearby.
    y0[5] = 0.0;
    y0[17] = (2.0_f64 / 3.0).sqrt();
    // Non-finite guesses in one block (the others take the all-finite path).
    y0[40] = f64::NAN;
    y0[41] = f64::NEG_INFINITY;
    let mut c = c;
    c[5] = 2.0;
    let ins = [TensorRef::from(&c), TensorRef::from(&y0)];
    let want = interpret(&g, &ins).unwrap();
    let statuses = want[1].as_status().unwrap();
    assert!(statuses.iter().any(|s| *s == RootStatus::Converged));
    assert!(statuses.iter().any(|s| *s != RootStatus::Converged));
    assert_eq!(statuses[[40]], RootStatus::NonFinite);
    for isa in [sym_lower::Isa::Baseline, sym_lower::Isa::Best] {
        for chunk in [8, 64, 512] {
            let opts = ExecOptions { threads: Threads::Single, chunk, min_task: 8, isa, jit: true };
            let got = Executor::with_options(&g, opts).unwrap().run(&ins).unwrap();
            for (w, o) in want.iter().zip(&got) {
                assert!(same(w, o), "chunk {chunk} {isa:?}");
            }
        }
    }
}

#[test]
fn typed_errors_for_bad_input() {
    let g = circle();
    let ex = Executor::new(&g).unwrap();
    let x = xs(10);
    let x32 = x.mapv(|v| v as f32);
    let scalar = Array0::from_elem((), 1.0);
    let two_d = ArrayD::<f64>::zeros(IxDyn(&[2, 5]));
    assert_eq!(ex.run(&[]).unwrap_err(), Error::InputCount { expected: 1, found: 0 });
    assert_eq!(
        ex.run(&[(&x32).into()]).unwrap_err(),
        Error::Input {
            index: 0,
            name: "x".into(),
            problem: TensorProblem::Elem { expected: Elem::F64, found: Elem::F32 }
        }
    );
    assert_eq!(
        ex.run(&[(&scalar).into()]).unwrap_err(),
        Error::Input { index: 0, name: "x".into(), problem: TensorProblem::Rank { expected: Shape::Batch, found: 0 } }
    );
    assert_eq!(
        ex.run(&[(&two_d).into()]).unwrap_err(),
        Error::Input { index: 0, name: "x".into(), problem: TensorProblem::Rank { expected: Shape::Batch, found: 2 } }
    );
    let mut short = Array1::<f64>::zeros(9);
    assert_eq!(
        ex.run_into(&[(&x).into()], &mut [(&mut short).into()]).unwrap_err(),
        Error::Output { index: 0, name: "y".into(), problem: TensorProblem::Length { expected: 10, found: 9 } }
    );
    assert_eq!(ex.run_into(&[(&x).into()], &mut []).unwrap_err(), Error::OutputCount { expected: 1, found: 0 });
    // Two batch inputs of different lengths.
    let mut b = Builder::new();
    let p = b.input("p", Type::F64_BATCH).unwrap();
    let q = b.input("q", Type::F64_BATCH).unwrap();
    let r = b.add(p, q).unwrap();
    b.output("r", r).unwrap();
    let g2 = b.finish().unwrap();
    let y = xs(11);
    assert_eq!(
        interpret(&g2, &[(&x).into(), (&y).into()]).unwrap_err(),
        Error::Input { index: 1, name: "q".into(), problem: TensorProblem::Length { expected: 10, found: 11 } }
    );
}

/// A graph that fails verification is reported by every consumer and never run.
#[test]
fn invalid_graphs_are_never_executed() {
    let mut g = circle();
    // Make %3 use itself: an operand that is not defined before its use.
    g.insts[3] = Inst::Unary(sym_lower::UnOp::Sqrt, sym_lower::Value::new(3));
    let x = xs(4);
    for err in [
        Executor::new(&g).unwrap_err(),
        interpret(&g, &[(&x).into()]).unwrap_err(),
        sym_lower::passes::optimize(&g).unwrap_err(),
    ] {
        let Error::Verify(e) = err else { panic!("expected a verification error, got {err:?}") };
        assert_eq!(e.value, Some(sym_lower::Value::new(3)));
        assert_eq!(e.op, "sqrt");
        assert_eq!(e.invariant, Invariant::OperandOrder { operand: sym_lower::Value::new(3) });
    }
}

/// Scalar outputs next to batch outputs, and a graph with sums in two stages, agree with the interpreter to the
/// rounding of the sums' order: `|s_exec - s_interp| <= (n - 1) eps sum |x_i|`.
#[test]
fn sums_across_chunks() {
    let text = r#"
        graph {
          %0: f64[n] = input 0 "x"
          %1: f64 = sum %0
          %2: f64[n] = sub %0, %1
          %3: f64[n] = mul %2, %2
          %4: f64 = sum %3
          output "s" = %1
          output "centred" = %2
          output "ss" = %4
        }
    "#;
    let g = parse(text).unwrap();
    let n = 100_003;
    let x = Array1::from_iter((0..n).map(|i| ((i as f64) * 0.001).sin() * 1e3));
    let want = interpret(&g, &[(&x).into()]).unwrap();
    let got = Executor::with_options(&g, ExecOptions { chunk: 1000, ..ExecOptions::default() })
        .unwrap()
        .run(&[(&x).into()])
        .unwrap();
    let bound = |v: &Array1<f64>| (n as f64 - 1.0) * f64::EPSILON * v.iter().map(|t| t.abs()).sum::<f64>();
    let (s_w, s_g) = (want[0].as_f64().unwrap()[[]], got[0].as_f64().unwrap()[[]]);
    assert!((s_w - s_g).abs() <= bound(&x));
    assert_eq!(got[0].shape(), &[] as &[usize]);
    let centred = got[1].as_f64().unwrap();
    let c1 = Array1::from_iter(centred.iter().copied());
    let (q_w, q_g) = (want[2].as_f64().unwrap()[[]], got[2].as_f64().unwrap()[[]]);
    // The second sum inherits the first's difference (through the centring) and adds its own rounding.
    let shift = (s_w - s_g).abs() * 2.0 * c1.iter().map(|t| t.abs()).sum::<f64>();
    assert!((q_w - q_g).abs() <= bound(&c1.mapv(|t| t * t)) + shift + 1e-9 * q_w.abs());
}

#[test]
fn graph_without_batch_inputs() {
    let g = parse(
        r#"
        graph {
          %0: f64 = input 0 "a"
          %1: f64 = exp %0
          output "e" = %1
        }
    "#,
    )
    .unwrap();
    let a = Array0::from_elem((), 1.0);
    let out = Executor::new(&g).unwrap().run(&[(&a).into()]).unwrap();
    assert_eq!(out[0].as_f64().unwrap()[[]], std::f64::consts::E);
}

/// The instruction set an executor reports is the one asked for where the CPU has it, else the baseline.
#[test]
fn isa_resolution() {
    use sym_lower::Isa;
    let g = circle();
    let with = |isa| Executor::with_options(&g, ExecOptions { isa, ..ExecOptions::default() }).unwrap().isa();
    assert_eq!(with(Isa::Baseline), Isa::Baseline);
    let best = if Isa::avx2_available() { Isa::Avx2 } else { Isa::Baseline };
    assert_eq!(with(Isa::Best), best);
    assert_eq!(with(Isa::Avx2), best);
    assert_eq!(Executor::new(&g).unwrap().isa(), best);
    // Both instruction sets give the interpreter's bits on the circle at awkward points.
    let x = ndarray::Array1::from(vec![-3.0, -0.0, 0.0, 1e-300, 2.9999999, 3.0, 3.5, f64::INFINITY, f64::NAN]);
    let want = interpret(&g, &[(&x).into()]).unwrap();
    for isa in [Isa::Baseline, Isa::Best] {
        let ex = Executor::with_options(&g, ExecOptions { isa, ..ExecOptions::default() }).unwrap();
        assert!(same(&want[0], &ex.run(&[(&x).into()]).unwrap()[0]), "{isa:?}");
    }
}
