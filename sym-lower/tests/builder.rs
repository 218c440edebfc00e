//! The builder's typing errors, function lookup by name, residuals, inlining, and the verifier's typed errors
//! on graphs that only a hand-made `Graph` can express.

use expect_test::{Expect, expect};
use ndarray::Array1;
use sym_lower::{
    Builder, Elem, Error, Graph, InputDecl, Inst, Invariant, Location, Output, ResidualId, RootOptions, RootStart,
    Type, Value, interpret, verify::verify,
};

fn check(result: Result<Value, Error>, want: Expect) {
    match result {
        Ok(v) => want.assert_eq(&format!("ok {v}")),
        Err(e) => want.assert_eq(&format!("{e}")),
    }
}

#[test]
fn builder_typing_errors() {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let h = b.input("h", Type::F32).unwrap();
    let m = b.input("m", Type::batch(Elem::Bool)).unwrap();
    check(b.add(x, h), expect!["cannot build `add`: operands have different element kinds: f64[n] and f32"]);
    check(b.sqrt(m), expect!["cannot build `sqrt`: operand %2 has type bool[n], expected a float"]);
    check(b.select(x, x, x), expect!["cannot build `select`: operand %0 has type f64[n], expected a bool"]);
    check(b.select(m, x, h), expect!["cannot build `select`: operands have different element kinds: f64[n] and f32"]);
    check(b.and(m, x), expect!["cannot build `and`: operand %0 has type f64[n], expected a bool"]);
    check(b.sum(h), expect!["cannot build `sum`: operand %1 has type f32, expected a float batch"]);
    check(b.root_status(x), expect!["cannot build `root_status`: operand %0 of root_status is not a root"]);
    check(b.converged(x), expect!["cannot build `converged`: operand %0 has type f64[n], expected a status"]);
    check(
        b.cast(x, Elem::Bool),
        expect!["cannot build `cast`: operand %0 has type f64[n], expected a cast to a float kind"],
    );
    check(b.neg(Value::new(99)), expect!["cannot build `neg`: operand %99 is not defined before its use"]);
    check(
        b.constant(Elem::Status, 1.0),
        expect!["cannot build `const`: constant 1e0 is not exactly representable as Status"],
    );
    check(b.input("x", Type::F64), expect!["cannot build `input`: the name `x` is used twice"]);
    check(b.cast(x, Elem::F32), expect!["ok %3"]);
    let e = b.output("y", x).and_then(|()| b.output("y", x)).unwrap_err();
    expect!["cannot build `output`: the name `y` is used twice"].assert_eq(&e.to_string());
}

#[test]
fn functions_by_name() {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let y = b.input("y", Type::F64_BATCH).unwrap();
    check(b.function("lambertw", &[x]), expect!["ok %2"]);
    check(b.function("hypot", &[x, y]), expect!["ok %3"]);
    check(b.function("exp", &[x]), expect!["ok %4"]);
    // Hash-consed: the same function of the same operand is the same value.
    check(b.function("exp", &[x]), expect!["ok %4"]);
    check(b.function("erf", &[x]), expect!["unsupported op `erf`"]);
    check(b.function("exp", &[x, y]), expect!["unsupported op `exp/2`"]);
    check(b.function("hypot", &[x]), expect!["unsupported op `hypot/1`"]);
    check(b.function("atan2", &[x, y]), expect!["unsupported op `atan2`"]);
    assert_eq!(b.function("erf", &[x]).unwrap_err(), Error::Unsupported { name: "erf".into() });
    // Every unary op is reachable by its name.
    for op in sym_lower::UnOp::ALL {
        assert!(b.function(op.name(), &[x]).is_ok(), "{}", op.name());
    }
}

/// The residual `y^2 - c`, `2y`.
fn square_residual() -> Graph {
    let mut r = Builder::new();
    let y = r.input("y", Type::F64_BATCH).unwrap();
    let c = r.input("c", Type::F64_BATCH).unwrap();
    let y2 = r.powi(y, 2).unwrap();
    let f = r.sub(y2, c).unwrap();
    let two = r.const_f64(2.0);
    let d = r.mul(two, y).unwrap();
    r.output("f", f).unwrap();
    r.output("df", d).unwrap();
    r.finish().unwrap()
}

#[test]
fn residual_rules() {
    let mut b = Builder::new();
    let c = b.input("c", Type::F64_BATCH).unwrap();
    let id = b.add_residual(square_residual()).unwrap();
    // Equal residuals share an id.
    assert_eq!(b.add_residual(square_residual()).unwrap(), id);
    check(
        b.root(id, &[c, c], RootStart::Guess(c), RootOptions::F64),
        expect!["cannot build `root`: residual @0 takes 1 parameters, 2 given"],
    );
    check(
        b.root(ResidualId::new(5), &[c], RootStart::Guess(c), RootOptions::F64),
        expect!["cannot build `root`: residual @5 does not exist (1 residuals)"],
    );
    check(
        b.root(id, &[c], RootStart::Guess(c), RootOptions { tol: 0.0, max_iter: 10 }),
        expect![
            "cannot build `root`: root options tol = 0e0, max_iter = 10 (tol must be positive and finite, max_iter positive)"
        ],
    );
    check(b.root(id, &[c], RootStart::Bracket(c, c), RootOptions::F64), expect!["ok %1"]);
    // A residual with one output, and one whose unknown is a scalar.
    let mut one = Builder::new();
    let y = one.input("y", Type::F64_BATCH).unwrap();
    one.output("f", y).unwrap();
    let e = b.add_residual(one.finish().unwrap()).unwrap_err();
    expect!["residual @0: graph: residual signature: a residual has exactly two outputs, F and dF/dy"]
        .assert_eq(&e.to_string());
    let mut sc = Builder::new();
    let y = sc.input("y", Type::F64).unwrap();
    sc.output("f", y).unwrap();
    sc.output("df", y).unwrap();
    let e = b.add_residual(sc.finish().unwrap()).unwrap_err();
    expect!["residual @0: graph: residual signature: every residual input must be a batch of the unknown's float kind"]
        .assert_eq(&e.to_string());
}

/// Inlining a residual graph evaluates `F` and `dF/dy` as ordinary values (what sym-grad needs for the
/// implicit function theorem): at the root `y = sqrt(c)`, `F = 0` up to rounding and `dF/dy = 2 sqrt(c)`.
#[test]
fn inline_residual_at_the_root() {
    let mut b = Builder::new();
    let c = b.input("c", Type::F64_BATCH).unwrap();
    let res = square_residual();
    let id = b.add_residual(res.clone()).unwrap();
    let one = b.const_f64(1.0);
    let hi = b.add(c, one).unwrap();
    let zero = b.const_f64(0.0);
    let y = b.root(id, &[c], RootStart::Bracket(zero, hi), RootOptions::F64).unwrap();
    let outs = b.inline(&res, &[y, c]).unwrap();
    b.output("y", y).unwrap();
    b.output("f", outs[0]).unwrap();
    b.output("df", outs[1]).unwrap();
    let g = b.finish().unwrap();
    let cs = Array1::from(vec![0.25, 2.0, 9.0, 1e6]);
    let out = interpret(&g, &[(&cs).into()]).unwrap();
    let (y, f, d) = (out[0].as_f64().unwrap(), out[1].as_f64().unwrap(), out[2].as_f64().unwrap());
    for i in 0..cs.len() {
        assert!(f[[i]].abs() <= 4.0 * f64::EPSILON * cs[i], "F at the root, lane {i}");
        assert_eq!(d[[i]], 2.0 * y[[i]]);
        assert!((y[[i]] - cs[i].sqrt()).abs() <= 2.0 * f64::EPSILON * y[[i]]);
    }
    // Inlining checks its arguments.
    let mut b2 = Builder::new();
    let x32 = b2.input("x", Type::F32_BATCH).unwrap();
    assert!(matches!(b2.inline(&res, &[x32, x32]), Err(Error::Build { op: "inline", .. })));
    assert_eq!(b2.inline(&res, &[x32]).unwrap_err(), Error::InputCount { expected: 2, found: 1 });
}

fn graph(insts: Vec<Inst>, types: Vec<Type>, inputs: Vec<(&str, Type)>, outputs: Vec<(&str, u32)>) -> Graph {
    Graph {
        insts,
        types,
        inputs: inputs.into_iter().map(|(n, ty)| InputDecl { name: n.into(), ty }).collect(),
        outputs: outputs.into_iter().map(|(n, v)| Output { name: n.into(), value: Value::new(v) }).collect(),
        residuals: Vec::new(),
    }
}

fn check_verify(g: &Graph, want: Expect) {
    match verify(g) {
        Ok(()) => want.assert_eq("ok"),
        Err(e) => want.assert_eq(&e.to_string()),
    }
}

#[test]
fn verifier_errors_name_the_op_and_the_invariant() {
    let x = ("x", Type::F64_BATCH);
    // A type table of the wrong length.
    check_verify(
        &graph(vec![Inst::Input { index: 0 }], vec![], vec![x], vec![]),
        expect!["graph: graph: 0 types for 1 instructions"],
    );
    // A declared input without its op.
    check_verify(
        &graph(vec![], vec![], vec![x], vec![]),
        expect!["graph: input: input 0 is declared but never defined"],
    );
    // An input op past the declarations.
    check_verify(
        &graph(vec![Inst::Input { index: 1 }], vec![Type::F64_BATCH], vec![x], vec![]),
        expect!["graph: %0 = input: input index 1 is not declared (1 inputs)"],
    );
    // An f32 constant that is not an f32.
    let c = Inst::Const { elem: Elem::F32, bits: 0.1_f64.to_bits() };
    check_verify(
        &graph(vec![c], vec![Type::F32], vec![], vec![]),
        expect!["graph: %0 = const: constant 1e-1 is not exactly representable as F32"],
    );
    // A declared input type that differs from the recorded one.
    check_verify(
        &graph(vec![Inst::Input { index: 0 }], vec![Type::F64], vec![x], vec![]),
        expect!["graph: %0 = input: result type is recorded as f64, but the op computes f64[n]"],
    );
    // Duplicate input names.
    check_verify(
        &graph(vec![Inst::Input { index: 0 }, Inst::Input { index: 1 }], vec![Type::F64_BATCH; 2], vec![x, x], vec![]),
        expect!["graph: input: the name `x` is used twice"],
    );
    // An f32 value inside an f64 residual.
    let mut res = graph(
        vec![Inst::Input { index: 0 }, Inst::Const { elem: Elem::F32, bits: 1.0_f64.to_bits() }],
        vec![Type::F64_BATCH, Type::F32],
        vec![("y", Type::F64_BATCH)],
        vec![("f", 0), ("df", 0)],
    );
    let mut top = graph(vec![], vec![], vec![], vec![]);
    top.residuals.push(res.clone());
    let e = verify(&top).unwrap_err();
    assert_eq!(e.location, Location::Residual(ResidualId::new(0)));
    assert_eq!(e.value, Some(Value::new(1)));
    assert!(matches!(e.invariant, Invariant::ElemMismatch { .. }));
    check_verify(&top, expect!["residual @0: %1 = const: operands have different element kinds: f64[n] and f32"]);
    // A residual with a residual table of its own.
    res.insts.truncate(1);
    res.types.truncate(1);
    res.residuals.push(square_residual());
    top.residuals[0] = res;
    check_verify(
        &top,
        expect!["residual @0: graph: residual signature: a residual graph has no residual table of its own"],
    );
}
