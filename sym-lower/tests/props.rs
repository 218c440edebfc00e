//! Property tests of the IR's laws on random graphs: the executor agrees with the reference interpreter, the
//! text form round-trips, every pass preserves values, the builder hash-conses, and the verifier catches
//! corrupted type tables.

mod common;

use common::{build, depends_on_sum, inputs, same, steps, tensors};
use proptest::prelude::*;
use sym_lower::passes::{cse, dce, fold_constants, optimize};
use sym_lower::{
    Elem, ExecOptions, Executor, Graph, Invariant, Isa, Tensor, TensorRef, Threads, Type, interpret, parse, print,
    verify::verify,
};

fn views(t: &[Tensor]) -> Vec<TensorRef<'_>> {
    t.iter().map(Tensor::view).collect()
}

fn elem() -> impl Strategy<Value = Elem> {
    prop_oneof![3 => Just(Elem::F64), 1 => Just(Elem::F32)]
}

fn check_exec_matches_interp(g: &Graph, ins: &[Tensor]) -> Result<(), TestCaseError> {
    let want = interpret(g, &views(ins)).unwrap();
    // One chunk holding every lane: the sums add in the interpreter's order, so everything is bit-identical, with
    // the baseline loops, with the AVX2 ones (where the CPU has them; `Isa::Best` is the baseline elsewhere), and
    // with machine code where the program is one the translation covers.
    for (isa, jit) in [(Isa::Baseline, false), (Isa::Best, false), (Isa::Best, true)] {
        let single = ExecOptions { threads: Threads::Single, chunk: 4096, min_task: 1, isa, jit };
        let got = Executor::with_options(g, single).unwrap().run(&views(ins)).unwrap();
        for (k, (w, o)) in want.iter().zip(&got).enumerate() {
            prop_assert!(same(w, o), "output {k} ({isa:?}, jit {jit}): interpreter {w:?}, executor {o:?}\n{g}");
        }
    }
    // Chunks of 8 lanes on the rayon pool: bit-identical wherever no sum is involved (a sum adds per chunk).
    let many = ExecOptions { threads: Threads::Rayon, chunk: 8, min_task: 8, isa: Isa::Best, jit: true };
    let got = Executor::with_options(g, many).unwrap().run(&views(ins)).unwrap();
    for (k, (w, o)) in want.iter().zip(&got).enumerate() {
        if !depends_on_sum(g, k) {
            prop_assert!(same(w, o), "output {k} (8-lane chunks): interpreter {w:?}, executor {o:?}\n{g}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    // The executor computes what the interpreter computes: the same bits on elementwise ops, selects, casts,
    // roots and statuses (same scalar functions, same per-lane decisions).
    #[test]
    fn executor_matches_interpreter(st in steps(), e in elem(), (x, y, s) in inputs(40)) {
        let g = build(&st, e);
        check_exec_matches_interp(&g, &tensors(e, &x, &y, s))?;
    }

    // parse(print(g)) == g, and printing is a fixed point.
    #[test]
    fn text_round_trip(st in steps(), e in elem()) {
        let g = build(&st, e);
        let text = print(&g);
        let back = parse(&text).unwrap();
        prop_assert_eq!(&back, &g);
        prop_assert_eq!(print(&back), text);
    }

    // Folding, CSE and DCE preserve every output bit for bit; the passes' outputs verify.
    #[test]
    fn passes_preserve_values(st in steps(), e in elem(), (x, y, s) in inputs(12)) {
        let g = build(&st, e);
        let ins = tensors(e, &x, &y, s);
        let want = interpret(&g, &views(&ins)).unwrap();
        for (name, out) in [("fold", fold_constants(&g)), ("cse", cse(&g)), ("dce", dce(&g))] {
            let h = out.unwrap();
            verify(&h).unwrap();
            prop_assert_eq!(&h.inputs, &g.inputs);
            let got = interpret(&h, &views(&ins)).unwrap();
            for (k, (w, o)) in want.iter().zip(&got).enumerate() {
                prop_assert!(same(w, o), "{name}, output {k}: before {w:?}, after {o:?}\n{g}\n{h}");
            }
        }
    }

    // On graphs without a rewrite site, the whole pipeline preserves values bit for bit too, and the executor
    // agrees with the interpreter on the optimised graph.
    #[test]
    fn optimize_preserves_values_without_sites(st in steps(), (x, y, s) in inputs(12)) {
        let g = build(&st, Elem::F64);
        let h = optimize(&g).unwrap();
        let has_site = h.insts.iter().any(|i| matches!(i, sym_lower::Inst::Unary(sym_lower::UnOp::Log1p | sym_lower::UnOp::Expm1, _) | sym_lower::Inst::Binary(sym_lower::BinOp::Hypot, ..)))
            && !g.insts.iter().any(|i| matches!(i, sym_lower::Inst::Unary(sym_lower::UnOp::Log1p | sym_lower::UnOp::Expm1, _) | sym_lower::Inst::Binary(sym_lower::BinOp::Hypot, ..)));
        let ins = tensors(Elem::F64, &x, &y, s);
        if !has_site {
            let want = interpret(&g, &views(&ins)).unwrap();
            let got = interpret(&h, &views(&ins)).unwrap();
            for (k, (w, o)) in want.iter().zip(&got).enumerate() {
                prop_assert!(same(w, o), "output {k}: before {w:?}, after {o:?}");
            }
        }
        check_exec_matches_interp(&h, &ins)?;
    }

    // Builder graphs are hash-consed: CSE changes nothing, and DCE of a DCE'd graph changes nothing.
    #[test]
    fn builder_graphs_are_hash_consed(st in steps(), e in elem()) {
        let g = build(&st, e);
        prop_assert_eq!(&cse(&g).unwrap(), &g);
        let d = dce(&g).unwrap();
        prop_assert_eq!(&dce(&d).unwrap(), &d);
        // No two instructions are equal.
        let mut seen = std::collections::HashSet::new();
        for i in &g.insts {
            prop_assert!(seen.insert(i.clone()), "duplicate instruction {i:?}");
        }
    }

    // Corrupting one recorded type is caught, at that value, as a result-type violation (or, for an input,
    // the declared type differs from the recorded one).
    #[test]
    fn verifier_catches_type_corruption(st in steps(), e in elem(), pick in any::<usize>(), to in 0_usize..8) {
        let mut g = build(&st, e);
        let i = pick % g.len();
        let kinds = [Elem::F64, Elem::F32, Elem::Bool, Elem::Status];
        let new = if to < 4 { Type::scalar(kinds[to]) } else { Type::batch(kinds[to - 4]) };
        prop_assume!(new != g.types[i]);
        g.types[i] = new;
        let err = verify(&g).unwrap_err();
        // Typing errors may surface at a user first if the user's rule rejects the new operand type, but never
        // after the corrupted value.
        prop_assert!(err.value.is_some_and(|v| v.index() >= i), "{err}");
        if err.value.is_some_and(|v| v.index() == i) {
            prop_assert!(matches!(err.invariant, Invariant::ResultType { .. }), "{err}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    // The executor's results do not depend on the threading, the chunk size or the instruction set, sums included
    // (partial sums are kept per chunk and added in chunk order, and chunk boundaries do not depend on the thread
    // count).
    #[test]
    fn results_do_not_depend_on_threads(st in steps(), chunk in 8_usize..100, (x, y, s) in inputs(300)) {
        let g = build(&st, Elem::F64);
        let ins = tensors(Elem::F64, &x, &y, s);
        let a = Executor::with_options(&g, ExecOptions { threads: Threads::Single, chunk, min_task: 8, isa: Isa::Baseline, jit: false }).unwrap().run(&views(&ins)).unwrap();
        let b = Executor::with_options(&g, ExecOptions { threads: Threads::Rayon, chunk, min_task: 8, isa: Isa::Best, jit: true }).unwrap().run(&views(&ins)).unwrap();
        for (k, (p, q)) in a.iter().zip(&b).enumerate() {
            prop_assert!(same(p, q), "output {k}: {p:?} vs {q:?}");
        }
    }
}
