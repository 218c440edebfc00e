//! Data-driven tests of the derivative rules: each op's derivative at ordinary and special points (snapshots),
//! and the numerical-safety cases written out (derivatives at `0` of `sqrt`, `abs`, `pow` with a zero base,
//! `lambertw` at `0` and at its branch point, `hypot` at the origin, zero times infinity).
// Numeric checks index parallel arrays by lane, input and coefficient at once.
#![allow(clippy::needless_range_loop)]

use expect_test::{Expect, expect};
use ndarray::{Array1, arr0};
use sym_grad::{GradOptions, forward_derivatives, gradient};
use sym_lower::{BinOp, Builder, Graph, Type, UnOp, interpret};

fn unary_graph(op: UnOp) -> Graph {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let y = b.unary(op, x).unwrap();
    b.output("y", y).unwrap();
    b.finish().unwrap()
}

fn binary_graph(op: BinOp) -> Graph {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let z = b.input("z", Type::F64_BATCH).unwrap();
    let y = b.binary(op, x, z).unwrap();
    b.output("y", y).unwrap();
    b.finish().unwrap()
}

/// `d(y)/d(x)` (and `d(y)/d(z)` for two inputs) in reverse mode, checked equal to forward mode, at `points`.
fn derivs(g: &Graph, wrt: &[&str], points: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let opts = GradOptions::default();
    let rev = gradient(g, "y", wrt, &opts).unwrap();
    let fwd = forward_derivatives(g, &["y"], wrt, &opts).unwrap();
    let cols: Vec<Array1<f64>> = (0..wrt.len()).map(|k| points.iter().map(|p| p[k]).collect()).collect();
    let refs: Vec<_> = cols.iter().map(|c| c.view().into_dyn().into()).collect();
    let r = interpret(rev.graph(), &refs).unwrap();
    let f = interpret(fwd.graph(), &refs).unwrap();
    let mut out = vec![Vec::new(); points.len()];
    for k in 0..wrt.len() {
        let rv = r[1 + k].as_f64().unwrap();
        let fv = f[1 + k].as_f64().unwrap();
        let at = |a: &ndarray::ArrayD<f64>, i: usize| if a.ndim() == 0 { a[[]] } else { a[[i]] };
        for (i, o) in out.iter_mut().enumerate() {
            let (a, b) = (at(rv, i), at(fv, i));
            assert!(
                a == b || (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-15 * a.abs(),
                "reverse {a} and forward {b} differ at {:?}",
                points[i]
            );
            o.push(a);
        }
    }
    out
}

fn check_unary(op: UnOp, expect: Expect) {
    let pts: Vec<Vec<f64>> = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0].iter().map(|x| vec![*x]).collect();
    let d = derivs(&unary_graph(op), &["x"], &pts);
    let text = pts.iter().zip(&d).map(|(p, d)| format!("{}: {}", p[0], d[0])).collect::<Vec<_>>().join(", ");
    expect.assert_eq(&text);
}

#[test]
fn unary_rules() {
    check_unary(UnOp::Neg, expect!["-2: -1, -1: -1, -0.5: -1, 0: -1, 0.5: -1, 1: -1, 2: -1"]);
    check_unary(UnOp::Recip, expect!["-2: -0.25, -1: -1, -0.5: -4, 0: -inf, 0.5: -4, 1: -1, 2: -0.25"]);
    check_unary(
        UnOp::Sqrt,
        expect!["-2: NaN, -1: NaN, -0.5: NaN, 0: inf, 0.5: 0.7071067811865475, 1: 0.5, 2: 0.35355339059327373"],
    );
    check_unary(
        UnOp::Cbrt,
        expect![
            "-2: 0.2099868416491455, -1: 0.3333333333333333, -0.5: 0.5291336839893996, 0: inf, 0.5: 0.5291336839893996, 1: 0.3333333333333333, 2: 0.2099868416491455"
        ],
    );
    check_unary(
        UnOp::Exp,
        expect![
            "-2: 0.1353352832366127, -1: 0.36787944117144233, -0.5: 0.6065306597126334, 0: 1, 0.5: 1.6487212707001282, 1: 2.718281828459045, 2: 7.38905609893065"
        ],
    );
    check_unary(UnOp::Log, expect!["-2: -0.5, -1: -1, -0.5: -2, 0: inf, 0.5: 2, 1: 1, 2: 0.5"]);
    check_unary(
        UnOp::Sin,
        expect![
            "-2: -0.4161468365471424, -1: 0.5403023058681398, -0.5: 0.8775825618903728, 0: 1, 0.5: 0.8775825618903728, 1: 0.5403023058681398, 2: -0.4161468365471424"
        ],
    );
    check_unary(
        UnOp::Cos,
        expect![
            "-2: 0.9092974268256817, -1: 0.8414709848078965, -0.5: 0.479425538604203, 0: -0, 0.5: -0.479425538604203, 1: -0.8414709848078965, 2: -0.9092974268256817"
        ],
    );
    check_unary(
        UnOp::Tan,
        expect![
            "-2: 5.774399204041917, -1: 3.42551882081476, -0.5: 1.2984464104095248, 0: 1, 0.5: 1.2984464104095248, 1: 3.42551882081476, 2: 5.774399204041917"
        ],
    );
    check_unary(
        UnOp::Cot,
        expect![
            "-2: -1.209450437063038, -1: -1.4122829274373918, -0.5: -4.350685299340043, 0: -inf, 0.5: -4.350685299340043, 1: -1.4122829274373918, 2: -1.209450437063038"
        ],
    );
    check_unary(
        UnOp::Sec,
        expect![
            "-2: -5.25064633769958, -1: -2.88247469562898, -0.5: -0.6225083696592804, 0: 0, 0.5: 0.6225083696592804, 1: 2.88247469562898, 2: 5.25064633769958"
        ],
    );
    check_unary(
        UnOp::Csc,
        expect![
            "-2: 0.503308973344342, -1: -0.7630597222326294, -0.5: -3.818085550973618, 0: -inf, 0.5: -3.818085550973618, 1: -0.7630597222326294, 2: 0.503308973344342"
        ],
    );
    check_unary(
        UnOp::Asin,
        expect!["-2: NaN, -1: inf, -0.5: 1.1547005383792517, 0: 1, 0.5: 1.1547005383792517, 1: inf, 2: NaN"],
    );
    check_unary(
        UnOp::Acos,
        expect!["-2: NaN, -1: -inf, -0.5: -1.1547005383792517, 0: -1, 0.5: -1.1547005383792517, 1: -inf, 2: NaN"],
    );
    check_unary(UnOp::Atan, expect!["-2: 0.2, -1: 0.5, -0.5: 0.8, 0: 1, 0.5: 0.8, 1: 0.5, 2: 0.2"]);
    check_unary(UnOp::Acot, expect!["-2: -0.2, -1: -0.5, -0.5: -0.8, 0: -1, 0.5: -0.8, 1: -0.5, 2: -0.2"]);
    check_unary(
        UnOp::Sinh,
        expect![
            "-2: 3.7621956910836314, -1: 1.5430806348152437, -0.5: 1.1276259652063807, 0: 1, 0.5: 1.1276259652063807, 1: 1.5430806348152437, 2: 3.7621956910836314"
        ],
    );
    check_unary(
        UnOp::Cosh,
        expect![
            "-2: -3.626860407847019, -1: -1.1752011936438014, -0.5: -0.5210953054937474, 0: 0, 0.5: 0.5210953054937474, 1: 1.1752011936438014, 2: 3.626860407847019"
        ],
    );
    check_unary(
        UnOp::Tanh,
        expect![
            "-2: 0.07065082485316447, -1: 0.4199743416140261, -0.5: 0.7864477329659275, 0: 1, 0.5: 0.7864477329659275, 1: 0.4199743416140261, 2: 0.07065082485316447"
        ],
    );
    check_unary(
        UnOp::Coth,
        expect![
            "-2: -0.07602182983807108, -1: -0.7240616609663106, -0.5: -3.682694376831169, 0: -inf, 0.5: -3.682694376831169, 1: -0.7240616609663106, 2: -0.07602182983807108"
        ],
    );
    check_unary(
        UnOp::Asinh,
        expect![
            "-2: 0.4472135954999579, -1: 0.7071067811865475, -0.5: 0.8944271909999159, 0: 1, 0.5: 0.8944271909999159, 1: 0.7071067811865475, 2: 0.4472135954999579"
        ],
    );
    check_unary(UnOp::Acosh, expect!["-2: NaN, -1: NaN, -0.5: NaN, 0: NaN, 0.5: NaN, 1: inf, 2: 0.5773502691896258"]);
    check_unary(
        UnOp::Atanh,
        expect![
            "-2: -0.3333333333333333, -1: inf, -0.5: 1.3333333333333333, 0: 1, 0.5: 1.3333333333333333, 1: inf, 2: -0.3333333333333333"
        ],
    );
    check_unary(UnOp::Abs, expect!["-2: -1, -1: -1, -0.5: -1, 0: 0, 0.5: 1, 1: 1, 2: 1"]);
    check_unary(UnOp::Sign, expect!["-2: 0, -1: 0, -0.5: 0, 0: 0, 0.5: 0, 1: 0, 2: 0"]);
    check_unary(
        UnOp::LambertW,
        expect![
            "-2: NaN, -1: NaN, -0.5: NaN, 0: 1, 0.5: 0.5204186421068739, 1: 0.3618962566348892, 2: 0.23010983749291722"
        ],
    );
    check_unary(
        UnOp::Log1p,
        expect!["-2: -1, -1: inf, -0.5: 2, 0: 1, 0.5: 0.6666666666666666, 1: 0.5, 2: 0.3333333333333333"],
    );
    check_unary(
        UnOp::Expm1,
        expect![
            "-2: 0.1353352832366127, -1: 0.36787944117144233, -0.5: 0.6065306597126334, 0: 1, 0.5: 1.6487212707001282, 1: 2.718281828459045, 2: 7.38905609893065"
        ],
    );
}

fn check_binary(op: BinOp, pts: &[(f64, f64)], expect: Expect) {
    let pts: Vec<Vec<f64>> = pts.iter().map(|(x, z)| vec![*x, *z]).collect();
    let d = derivs(&binary_graph(op), &["x", "z"], &pts);
    let text = pts
        .iter()
        .zip(&d)
        .map(|(p, d)| format!("({}, {}): ({}, {})", p[0], p[1], d[0], d[1]))
        .collect::<Vec<_>>()
        .join(", ");
    expect.assert_eq(&text);
}

#[test]
fn binary_rules() {
    let pts = [(2.0, 3.0), (-1.5, 0.5), (0.0, 0.0)];
    check_binary(BinOp::Add, &pts, expect!["(2, 3): (1, 1), (-1.5, 0.5): (1, 1), (0, 0): (1, 1)"]);
    check_binary(BinOp::Sub, &pts, expect!["(2, 3): (1, -1), (-1.5, 0.5): (1, -1), (0, 0): (1, -1)"]);
    check_binary(BinOp::Mul, &pts, expect!["(2, 3): (3, 2), (-1.5, 0.5): (0.5, -1.5), (0, 0): (0, 0)"]);
    check_binary(
        BinOp::Div,
        &pts,
        expect!["(2, 3): (0.3333333333333333, -0.2222222222222222), (-1.5, 0.5): (2, 6), (0, 0): (inf, NaN)"],
    );
    check_binary(
        BinOp::Hypot,
        &pts,
        expect![
            "(2, 3): (0.5547001962252291, 0.8320502943378437), (-1.5, 0.5): (-0.9486832980505138, 0.31622776601683794), (0, 0): (0, 0)"
        ],
    );
    // The real power, at a zero base: 0^2 (both partials 0), 0^0.5 (infinite in the base), 0^0 (constant 1 in the
    // base: 0; the exponent: 0 by the 0^b convention), 0^1 (1 in the base), a negative base with an integer
    // exponent (no derivative in the exponent: NaN), and ordinary points.
    let pow_pts = [(0.0, 2.0), (0.0, 0.5), (0.0, 0.0), (0.0, 1.0), (-2.0, 3.0), (2.0, 3.0), (2.0, 0.0)];
    check_binary(
        BinOp::Pow,
        &pow_pts,
        expect![
            "(0, 2): (0, 0), (0, 0.5): (inf, 0), (0, 0): (0, 0), (0, 1): (1, 0), (-2, 3): (12, NaN), (2, 3): (12, 5.545177444479562), (2, 0): (0, 0.6931471805599453)"
        ],
    );
}

/// Reverse-mode derivatives of a one-input graph built by `f`, at `xs`.
fn grad_of(f: impl Fn(&mut Builder, sym_lower::Value) -> sym_lower::Value, xs: &[f64]) -> Vec<f64> {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let y = f(&mut b, x);
    b.output("y", y).unwrap();
    let g = b.finish().unwrap();
    let d = gradient(&g, "y", &["x"], &GradOptions::default()).unwrap();
    let xs = Array1::from_vec(xs.to_vec());
    let out = interpret(d.graph(), &[(&xs).into()]).unwrap();
    out[1].as_f64().unwrap().iter().copied().collect()
}

#[test]
fn zero_times_infinity_is_zero() {
    // x sqrt(x) = x^(3/2) has derivative 3/2 sqrt(x), which is 0 at 0: the cotangent of sqrt is x = 0 there, and
    // 0 * (1/(2 sqrt 0)) = 0 * inf is taken as 0 (strong zero).
    let d = grad_of(
        |b, x| {
            let s = b.sqrt(x).unwrap();
            b.mul(x, s).unwrap()
        },
        &[0.0, 4.0],
    );
    assert_eq!(d, vec![0.0, 3.0]);
    // Without the strong zero the same derivative is NaN.
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let s = b.sqrt(x).unwrap();
    let y = b.mul(x, s).unwrap();
    b.output("y", y).unwrap();
    let g = b.finish().unwrap();
    let opts = GradOptions { strong_zero: false, ..GradOptions::default() };
    let d = gradient(&g, "y", &["x"], &opts).unwrap();
    let xs = Array1::from_vec(vec![0.0]);
    let out = interpret(d.graph(), &[(&xs).into()]).unwrap();
    assert!(out[1].as_f64().unwrap()[[0]].is_nan());
}

#[test]
fn lambertw_at_zero_and_the_branch_point() {
    // W'(x) = 1/(e^W (1 + W)): 1 at 0 (W(0) = 0), infinite at -1/e (W = -1), 1/(2e) at e (W = 1).
    let e = std::f64::consts::E;
    let d = grad_of(|b, x| b.lambertw(x).unwrap(), &[0.0, -1.0 / e, e]);
    assert_eq!(d[0], 1.0);
    assert_eq!(d[1], f64::INFINITY);
    assert!((d[2] - 1.0 / (2.0 * e)).abs() <= 1e-15);
}

#[test]
fn scalar_inputs_sum_over_lanes() {
    // y_i = p x_i over 3 lanes: the gradient of sum_i y_i w.r.t. p is sum_i x_i; the forward derivative is x_i.
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let p = b.input("p", Type::F64).unwrap();
    let y = b.mul(p, x).unwrap();
    let one = b.const_f64(1.0);
    let y1 = b.add(y, one).unwrap();
    b.output("y", y1).unwrap();
    let g = b.finish().unwrap();
    let xs = Array1::from_vec(vec![1.0, 2.0, 4.0]);
    let ps = arr0(3.0);
    let opts = GradOptions::default();
    let rev = gradient(&g, "y", &["x", "p"], &opts).unwrap();
    let out = interpret(rev.graph(), &[(&xs).into(), (&ps).into()]).unwrap();
    assert_eq!(out[2].as_f64().unwrap()[[]], 7.0);
    let fwd = forward_derivatives(&g, &["y"], &["p"], &opts).unwrap();
    let out = interpret(fwd.graph(), &[(&xs).into(), (&ps).into()]).unwrap();
    assert_eq!(out[1].as_f64().unwrap().iter().copied().collect::<Vec<_>>(), vec![1.0, 2.0, 4.0]);
}

#[test]
fn derivative_graph_of_the_circle() {
    // y = -sqrt(9 - x^2): dy/dx = x / sqrt(9 - x^2): the chain rule gives (0.5/s) (2x), which the quotient
    // rewrite of the derivative graph turns into x / s.
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let nine = b.const_f64(9.0);
    let x2 = b.powi(x, 2).unwrap();
    let d = b.sub(nine, x2).unwrap();
    let s = b.sqrt(d).unwrap();
    let y = b.neg(s).unwrap();
    b.output("y", y).unwrap();
    let g = b.finish().unwrap();
    let d = gradient(&g, "y", &["x"], &GradOptions::default()).unwrap();
    expect![[r#"
        graph {
          %0: f64[n] = input 0 "x"
          %1: f64 = const 9.0
          %2: f64[n] = powi %0, 2
          %3: f64[n] = sub %1, %2
          %4: f64[n] = sqrt %3
          %5: f64[n] = neg %4
          %6: f64[n] = div %0, %4
          output "y" = %5
          output "d(y)/d(x)" = %6
        }
    "#]]
    .assert_eq(&d.graph().to_string());
}
