//! Machine code for elementwise programs ([`ExecOptions::jit`]): the same bits as the interpreter and the slice
//! loops on random programs of the ops it covers, at every length (groups of 4 lanes in machine code, the rest on
//! the slice loops) and on every thread count; programs it does not cover run on the slice loops.

mod common;

use common::{element, same};
use ndarray::{ArrayD, IxDyn};
use proptest::prelude::*;
use sym_lower::{
    BinOp, Builder, CmpOp, ExecOptions, Executor, Graph, Isa, RootOptions, RootStart, Tensor, TensorRef, Threads, Type,
    UnOp, Value, interpret,
};

/// One step of a random program; operands index the values built so far (wrapping).
#[derive(Clone, Debug)]
enum Step {
    Unary(UnOp, usize),
    Binary(BinOp, usize, usize),
    Powi(i32, usize),
    Const(f64),
    /// `select(cmp(batch input, b), c, d)`.
    Select(CmpOp, bool, usize, usize, usize),
    /// A new mask `cmp(batch input, b)`.
    Cmp(CmpOp, bool, usize),
    /// A new mask `and`/`or` of two masks.
    Bool(bool, usize, usize),
    /// A new mask `not m`.
    Not(usize),
    /// `select(m, a, b)` on a mask built so far.
    SelectMask(usize, usize, usize),
    /// A new mask `select(m, m1, m2)`.
    MaskSelect(usize, usize, usize),
    /// `exp(a)`, which machine code does not cover: the instructions around it compile as runs.
    Opaque(usize),
}

fn step() -> impl Strategy<Value = Step> {
    let ix = 0_usize..64;
    prop_oneof![
        2 => (prop_oneof![Just(UnOp::Neg), Just(UnOp::Abs), Just(UnOp::Sqrt), Just(UnOp::Recip)], ix.clone())
            .prop_map(|(op, a)| Step::Unary(op, a)),
        4 => (prop_oneof![Just(BinOp::Add), Just(BinOp::Sub), Just(BinOp::Mul), Just(BinOp::Div)], ix.clone(), ix.clone())
            .prop_map(|(op, a, b)| Step::Binary(op, a, b)),
        1 => (-5_i32..=9, ix.clone()).prop_map(|(k, a)| Step::Powi(k, a)),
        1 => element().prop_map(Step::Const),
        1 => (prop::sample::select(CmpOp::ALL.to_vec()), any::<bool>(), ix.clone(), ix.clone(), ix.clone())
            .prop_map(|(op, x, b, c, d)| Step::Select(op, x, b, c, d)),
        1 => (prop::sample::select(CmpOp::ALL.to_vec()), any::<bool>(), ix.clone())
            .prop_map(|(op, x, b)| Step::Cmp(op, x, b)),
        1 => (any::<bool>(), ix.clone(), ix.clone()).prop_map(|(and, a, b)| Step::Bool(and, a, b)),
        1 => ix.clone().prop_map(Step::Not),
        1 => (ix.clone(), ix.clone(), ix.clone()).prop_map(|(m, a, b)| Step::SelectMask(m, a, b)),
        1 => (ix.clone(), ix.clone(), ix.clone()).prop_map(|(m, a, b)| Step::MaskSelect(m, a, b)),
        1 => ix.prop_map(Step::Opaque),
    ]
}

/// Value `i` of a pool (wrapping).
fn at(vals: &[Value], i: usize) -> Value {
    vals[i % vals.len()]
}

/// Builds the steps onto value and mask pools; comparisons take `batch(first)` as their left side. Without `full`,
/// mask selects and opaque steps are skipped. Returns whether an opaque step was built.
fn apply(
    b: &mut Builder,
    steps: &[Step],
    vals: &mut Vec<Value>,
    masks: &mut Vec<Value>,
    batch: impl Fn(bool) -> Value,
    full: bool,
) -> bool {
    let mut opaque = false;
    for st in steps {
        match *st {
            Step::Opaque(a) if full => {
                opaque = true;
                vals.push(b.unary(UnOp::Exp, at(vals, a)).unwrap());
            }
            Step::Unary(op, a) => vals.push(b.unary(op, at(vals, a)).unwrap()),
            Step::Binary(op, a, c) => vals.push(b.binary(op, at(vals, a), at(vals, c)).unwrap()),
            Step::Powi(k, a) => vals.push(b.powi(at(vals, a), k).unwrap()),
            Step::Const(c) => vals.push(b.const_f64(c)),
            Step::Select(op, first, c, t, f) => {
                let m = b.cmp(op, batch(first), at(vals, c)).unwrap();
                vals.push(b.select(m, at(vals, t), at(vals, f)).unwrap());
            }
            Step::Cmp(op, first, c) => masks.push(b.cmp(op, batch(first), at(vals, c)).unwrap()),
            Step::Bool(and, m1, m2) => {
                let (m1, m2) = (at(masks, m1), at(masks, m2));
                masks.push(if and { b.and(m1, m2) } else { b.or(m1, m2) }.unwrap());
            }
            Step::Not(m) => masks.push(b.not(at(masks, m)).unwrap()),
            Step::SelectMask(m, t, f) => vals.push(b.select(at(masks, m), at(vals, t), at(vals, f)).unwrap()),
            Step::MaskSelect(m, t, f) if full => {
                masks.push(b.select(at(masks, m), at(masks, t), at(masks, f)).unwrap());
            }
            Step::MaskSelect(..) | Step::Opaque(_) => {}
        }
    }
    opaque
}

/// Inputs `x`, `y` (batches) and `s` (a scalar), then the steps; the outputs are the last value, one more, and
/// the last mask (every mask compares a batch input, so that masks are batches). Also whether a step is opaque.
fn build(steps: &[Step], second: usize) -> (Graph, bool) {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let y = b.input("y", Type::F64_BATCH).unwrap();
    let s = b.input("s", Type::F64).unwrap();
    let mut vals: Vec<Value> = vec![x, y, s];
    let mut masks: Vec<Value> = vec![b.cmp(CmpOp::Gt, x, y).unwrap()];
    let opaque = apply(&mut b, steps, &mut vals, &mut masks, |first| if first { x } else { y }, true);
    b.output("r", *vals.last().unwrap()).unwrap();
    b.output("q", at(&vals, second)).unwrap();
    b.output("m", *masks.last().unwrap()).unwrap();
    (b.finish().unwrap(), opaque)
}

fn batch(v: &[f64]) -> Tensor {
    Tensor::F64(ArrayD::from_shape_vec(IxDyn(&[v.len()]), v.to_vec()).unwrap())
}

fn run(g: &Graph, ins: &[Tensor], opts: ExecOptions) -> (Vec<Tensor>, bool) {
    let ex = Executor::with_options(g, opts).unwrap();
    let views: Vec<TensorRef<'_>> = ins.iter().map(Tensor::view).collect();
    (ex.run(&views).unwrap(), ex.compiled(0))
}

fn inputs() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, f64)> {
    (0_usize..=70)
        .prop_flat_map(|n| (prop::collection::vec(element(), n), prop::collection::vec(element(), n), element()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    // Machine code computes the interpreter's bits; where AVX2 is present, every program without an opaque op
    // is compiled whole (with one, the runs around it are compiled).
    #[test]
    fn machine_code_matches_interpreter(
        steps in prop::collection::vec(step(), 1..10),
        second in 0_usize..64,
        (x, y, s) in inputs(),
    ) {
        let (g, opaque) = build(&steps, second);
        let ins = [batch(&x), batch(&y), Tensor::from(s)];
        let views: Vec<TensorRef<'_>> = ins.iter().map(Tensor::view).collect();
        let want = interpret(&g, &views).unwrap();
        let single = ExecOptions { threads: Threads::Single, isa: Isa::Avx2, jit: true, ..ExecOptions::default() };
        let many = ExecOptions { threads: Threads::Rayon, chunk: 8, min_task: 8, ..single };
        for opts in [single, many] {
            let (got, compiled) = run(&g, &ins, opts);
            for (k, (w, o)) in want.iter().zip(&got).enumerate() {
                prop_assert!(same(w, o), "output {k}: interpreter {w:?}, machine code {o:?}\n{g}");
            }
            if Isa::avx2_available() && !opaque {
                prop_assert!(compiled, "not compiled:\n{}", Executor::new(&g).unwrap().plan_listing());
            }
        }
    }
}

/// `t_k = sqrt(x + k + 1)` for `k < width`, then their sum, then the sum times each `t_k`: every `t_k` is live
/// until the products, so `width` 20 needs more vector registers than there are and falls back to the slice
/// loops, with the same answers.
fn wide(width: usize) -> Graph {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let ts: Vec<Value> = (0..width)
        .map(|k| {
            let c = b.const_f64(k as f64 + 1.0);
            let t = b.add(x, c).unwrap();
            b.sqrt(t).unwrap()
        })
        .collect();
    let mut acc = ts[0];
    for &t in &ts[1..] {
        acc = b.add(acc, t).unwrap();
    }
    for &t in &ts {
        acc = b.mul(acc, t).unwrap();
    }
    b.output("r", acc).unwrap();
    b.finish().unwrap()
}

#[test]
fn register_pressure_falls_back() {
    let xs: Vec<f64> = (0..37).map(|i| f64::from(i) * 0.37 - 3.0).collect();
    for (width, fits) in [(4, true), (20, false)] {
        let g = wide(width);
        let ins = [batch(&xs)];
        let views: Vec<TensorRef<'_>> = ins.iter().map(Tensor::view).collect();
        let want = interpret(&g, &views).unwrap();
        let (got, compiled) = run(&g, &ins, ExecOptions { jit: true, ..ExecOptions::default() });
        assert!(same(&want[0], &got[0]), "width {width}");
        assert_eq!(compiled, fits && Executor::new(&g).unwrap().isa() == Isa::Avx2, "width {width}");
    }
}

#[test]
fn what_is_compiled() {
    let avx2 = Isa::avx2_available();
    // Whether the lowered expression compiles, with masks and without (the answer must be the same).
    let compiled = |src: &str, inputs: &[&str], jit: bool| {
        let e = sym_core::parse(src).unwrap();
        let states: Vec<bool> = [false, true]
            .into_iter()
            .map(|masks| {
                let opts = sym_lower::lower::LowerOptions { masks, ..Default::default() };
                let g = sym_lower::lower::lower_expr(&e, inputs, &opts).unwrap();
                let ex = Executor::with_options(&g, ExecOptions { jit, ..ExecOptions::default() }).unwrap();
                assert_eq!(
                    ex.plan_listing().contains("machine code (x86-64 AVX2) for every instruction"),
                    ex.compiled(0)
                );
                ex.compiled(0)
            })
            .collect();
        assert_eq!(states[0], states[1], "{src}");
        states[0]
    };
    // The benchmark formulas compile where AVX2 is present, with and without masks; nothing compiles when `jit`
    // is off or without AVX2.
    assert_eq!(compiled("-sqrt(9 - x**2)", &["x"], true), avx2);
    assert_eq!(compiled("(-b + sqrt(b**2 - 4*a*c))/(2*a)", &["a", "b", "c"], true), avx2);
    assert!(!compiled("-sqrt(9 - x**2)", &["x"], false));
    // Transcendental functions stay with the slice loops.
    assert!(!compiled("exp(x) + 1", &["x"], true));
    let base = ExecOptions { isa: Isa::Baseline, jit: true, ..ExecOptions::default() };
    assert!(!Executor::with_options(&wide(2), base).unwrap().compiled(0));
}

/// Powers in machine code are written out as multiplications that share their squares (`x**5` and `x**4` share
/// `x**4`): the bits of `powi`, also when the registers holding a power's base are reused for new values between
/// powers of the same register (a chain of powers of values that die at once), and with negative exponents.
/// (Roots share powers in their residuals the same way; `machine_code_roots_match_interpreter` covers them.)
#[test]
fn shared_powers() {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let mut v = x;
    let mut outs = Vec::new();
    for (k, c) in [(3, 0.5), (2, -0.25), (5, 0.125), (-3, 1.5), (4, -0.75), (7, 0.0625)] {
        let c = b.const_f64(c);
        let w = b.add(v, c).unwrap();
        let p = b.powi(w, k).unwrap();
        let q = b.powi(w, k.abs() + 1).unwrap();
        outs.push(q);
        v = b.mul(p, c).unwrap();
    }
    let mut s = v;
    for q in outs {
        s = b.add(s, q).unwrap();
    }
    b.output("s", s).unwrap();
    let g = b.finish().unwrap();
    let xs: Vec<f64> = (0..41).map(|i| f64::from(i) * 0.11 - 2.3).collect();
    let ins = [batch(&xs)];
    let views: Vec<TensorRef<'_>> = ins.iter().map(Tensor::view).collect();
    let want = interpret(&g, &views).unwrap();
    for chunk in [8, 512] {
        let opts = ExecOptions { jit: true, chunk, ..ExecOptions::default() };
        let (got, compiled) = run(&g, &ins, opts);
        assert!(same(&want[0], &got[0]), "chunk {chunk}: {:?} vs {:?}", want[0], got[0]);
        assert_eq!(compiled, Isa::avx2_available());
    }
}

/// Runs of machine code around an op it does not cover (`exp`): values and masks made before it are stored to
/// chunk registers and read back after it, and a chunk's last lanes (37 = 4 * 8 + 5) go to the slice loops.
#[test]
fn runs_around_an_opaque_op() {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let y = b.input("y", Type::F64_BATCH).unwrap();
    let m = b.cmp(CmpOp::Gt, x, y).unwrap();
    let xy = b.mul(x, y).unwrap();
    let one = b.const_f64(1.0);
    let t = b.add(xy, one).unwrap();
    let e = b.unary(UnOp::Exp, t).unwrap();
    let et = b.mul(e, t).unwrap();
    let te = b.sub(t, e).unwrap();
    let r = b.select(m, et, te).unwrap();
    let big = b.cmp(CmpOp::Gt, e, one).unwrap();
    let both = b.and(m, big).unwrap();
    b.output("r", r).unwrap();
    b.output("m", both).unwrap();
    let g = b.finish().unwrap();
    let xs: Vec<f64> = (0..37).map(|i| f64::from(i) * 0.21 - 3.0).collect();
    let ys: Vec<f64> = (0..37).map(|i| 1.5 - f64::from(i) * 0.13).collect();
    let ins = [batch(&xs), batch(&ys)];
    let views: Vec<TensorRef<'_>> = ins.iter().map(Tensor::view).collect();
    let want = interpret(&g, &views).unwrap();
    for chunk in [8, 16, 512] {
        let opts = ExecOptions { threads: Threads::Single, chunk, jit: true, ..ExecOptions::default() };
        let ex = Executor::with_options(&g, opts).unwrap();
        let got = ex.run(&views).unwrap();
        for (w, o) in want.iter().zip(&got) {
            assert!(same(w, o), "chunk {chunk}: {w:?} vs {o:?}");
        }
        let listing = ex.plan_listing();
        assert!(!ex.compiled(0));
        assert_eq!(listing.contains("machine code (x86-64 AVX2) for instructions"), ex.isa() == Isa::Avx2, "{listing}");
    }
}

/// A random residual over `y` and parameters `p`, `q`: `F` is the last value, `dF/dy` another (any pair of
/// graphs will do: the test compares machine code with the interpreter, whatever the iteration does).
fn residual(steps: &[Step], df_at: usize) -> Graph {
    let mut r = Builder::new();
    let y = r.input("y", Type::F64_BATCH).unwrap();
    let p = r.input("p", Type::F64_BATCH).unwrap();
    let q = r.input("q", Type::F64_BATCH).unwrap();
    let mut vals = vec![y, p, q];
    let mut masks = vec![r.cmp(CmpOp::Lt, y, p).unwrap()];
    apply(&mut r, steps, &mut vals, &mut masks, |_| y, false);
    r.output("f", *vals.last().unwrap()).unwrap();
    r.output("df", at(&vals, df_at)).unwrap();
    r.finish().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    // Roots in machine code: the interpreter's iterates and statuses (non-finite guesses, singular derivatives,
    // steps that leave the bracket, `max_iter` reached), at lengths that leave lanes to the slice loops.
    #[test]
    fn machine_code_roots_match_interpreter(
        steps in prop::collection::vec(step(), 1..8),
        df_at in 0_usize..64,
        (x, y, s) in inputs(),
        tol in prop_oneof![Just(1e-15), Just(1e-8), Just(0.25)],
        max_iter in prop_oneof![Just(1_u32), Just(3), Just(100)],
        guess_from_x in any::<bool>(),
    ) {
        let mut b = Builder::new();
        let xv = b.input("x", Type::F64_BATCH).unwrap();
        let yv = b.input("y", Type::F64_BATCH).unwrap();
        let sv = b.input("s", Type::F64).unwrap();
        let id = b.add_residual(residual(&steps, df_at)).unwrap();
        let guess = if guess_from_x { xv } else { sv };
        let root = b.root(id, &[yv, xv], RootStart::Guess(guess), RootOptions { tol, max_iter }).unwrap();
        let status = b.root_status(root).unwrap();
        b.output("y", root).unwrap();
        b.output("status", status).unwrap();
        let g = b.finish().unwrap();
        let ins = [batch(&x), batch(&y), Tensor::from(s)];
        let views: Vec<TensorRef<'_>> = ins.iter().map(Tensor::view).collect();
        let want = interpret(&g, &views).unwrap();
        for chunk in [8, 24, 512] {
            let opts = ExecOptions { threads: Threads::Single, chunk, jit: true, ..ExecOptions::default() };
            let ex = Executor::with_options(&g, opts).unwrap();
            // The root is instruction 0 (the guess and the parameters are inputs).
            prop_assert_eq!(ex.plan_listing().contains("for instructions 0..1"), Isa::avx2_available());
            let (got, _) = run(&g, &ins, opts);
            for (k, (w, o)) in want.iter().zip(&got).enumerate() {
                prop_assert!(same(w, o), "chunk {chunk}, output {k}: interpreter {w:?}, machine code {o:?}\n{g}");
            }
        }
    }
}

/// The quintic of the benchmarks runs its root in machine code where AVX2 is present.
#[test]
fn quintic_root_compiles() {
    let f = sym_core::parse("y**5 + a*y + b").unwrap();
    let start = sym_lower::lower::Start::Guess(sym_core::parse("-b/a").unwrap());
    for masks in [false, true] {
        let opts = sym_lower::lower::LowerOptions { masks, ..Default::default() };
        let g = sym_lower::lower::lower_implicit(&f, sym_core::Symbol::new("y"), &start, &["a", "b"], &opts).unwrap();
        let ex = Executor::new(&g).unwrap();
        let listing = ex.plan_listing();
        let root_line = listing.lines().position(|l| l.contains("f64.root")).unwrap() - 2;
        let compiled = listing.contains(&format!("for instructions {root_line}..{}", root_line + 1));
        assert_eq!(compiled, ex.isa() == Isa::Avx2, "{listing}");
    }
}

/// Many inputs: a pointer table longer than the one kept on the stack.
#[test]
fn many_inputs() {
    let mut b = Builder::new();
    let xs: Vec<Value> = (0..40).map(|k| b.input(&format!("x{k}"), Type::F64_BATCH).unwrap()).collect();
    let mut acc = xs[0];
    for &x in &xs[1..] {
        let t = b.mul(x, x).unwrap();
        acc = b.add(acc, t).unwrap();
    }
    b.output("r", acc).unwrap();
    let g = b.finish().unwrap();
    let ins: Vec<Tensor> =
        (0..40).map(|k| batch(&(0..23).map(|i| f64::from(i * k) * 0.01 - 1.0).collect::<Vec<_>>())).collect();
    let views: Vec<TensorRef<'_>> = ins.iter().map(Tensor::view).collect();
    let want = interpret(&g, &views).unwrap();
    let (got, compiled) = run(&g, &ins, ExecOptions::default());
    assert!(same(&want[0], &got[0]));
    assert_eq!(compiled, Isa::avx2_available());
}
