//! Shared helpers of the integration tests: random graphs, random inputs, and bitwise comparison.

#![allow(dead_code, unreachable_pub)]

use ndarray::{ArrayD, IxDyn};
use proptest::prelude::*;
use sym_lower::{BinOp, Builder, CmpOp, Elem, Graph, Inst, RootOptions, RootStart, Tensor, Type, UnOp, Value};

/// One random construction step; its fields are decoded by [`build`] (operands are picked modulo the number of
/// candidates, so every step sequence builds a valid graph).
#[derive(Clone, Debug)]
pub struct Step {
    kind: u8,
    a: u16,
    b: u16,
    c: u16,
    k: i32,
    x: f64,
}

pub fn step() -> impl Strategy<Value = Step> {
    (
        0_u8..16,
        any::<u16>(),
        any::<u16>(),
        any::<u16>(),
        -3_i32..7,
        prop_oneof![-3.0_f64..3.0, Just(0.0), Just(1.0), Just(-1.0), Just(0.5), Just(2.0)],
    )
        .prop_map(|(kind, a, b, c, k, x)| Step { kind, a, b, c, k, x })
}

pub fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(step(), 1..24)
}

/// A float input element: ordinary values most of the time, and the special ones.
pub fn element() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -4.0_f64..4.0,
        2 => -1e3_f64..1e3,
        1 => Just(0.0),
        1 => Just(-0.0),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => 1e-300_f64..1e-290,
    ]
}

/// Inputs `x`, `y` (batches of `n`) and `s` (a scalar).
pub fn inputs(max_n: usize) -> impl Strategy<Value = (Vec<f64>, Vec<f64>, f64)> {
    (0..=max_n).prop_flat_map(|n| (prop::collection::vec(element(), n), prop::collection::vec(element(), n), element()))
}

/// The residual `F(y; p) = y^3 + y - p`, `dF/dy = 3 y^2 + 1` (increasing: one real root for finite `p`).
pub fn cubic_residual(elem: Elem) -> Graph {
    let mut r = Builder::new();
    let y = r.input("y", Type::batch(elem)).unwrap();
    let p = r.input("p", Type::batch(elem)).unwrap();
    let y3 = r.powi(y, 3).unwrap();
    let s = r.add(y3, y).unwrap();
    let f = r.sub(s, p).unwrap();
    let three = r.constant(elem, 3.0).unwrap();
    let one = r.constant(elem, 1.0).unwrap();
    let y2 = r.powi(y, 2).unwrap();
    let t = r.mul(three, y2).unwrap();
    let d = r.add(t, one).unwrap();
    r.output("f", f).unwrap();
    r.output("df", d).unwrap();
    r.finish().unwrap()
}

/// Builds a random graph of kind `elem` over inputs `x`, `y` (batches) and `s` (a scalar).
pub fn build(steps: &[Step], elem: Elem) -> Graph {
    let mut b = Builder::new();
    let x = b.input("x", Type::batch(elem)).unwrap();
    let y = b.input("y", Type::batch(elem)).unwrap();
    let s = b.input("s", Type::scalar(elem)).unwrap();
    let rid = b.add_residual(cubic_residual(elem)).unwrap();
    let mut floats = vec![x, y, s];
    let mut masks: Vec<Value> = Vec::new();
    let mut statuses: Vec<Value> = Vec::new();
    let pick = |v: &[Value], i: u16| v[i as usize % v.len()];
    for st in steps {
        match st.kind {
            0..=3 => {
                let op = UnOp::ALL[st.a as usize % UnOp::ALL.len()];
                floats.push(b.unary(op, pick(&floats, st.b)).unwrap());
            }
            4..=6 => {
                let op = BinOp::ALL[st.a as usize % BinOp::ALL.len()];
                floats.push(b.binary(op, pick(&floats, st.b), pick(&floats, st.c)).unwrap());
            }
            7 => floats.push(b.powi(pick(&floats, st.b), st.k).unwrap()),
            8 => floats.push(b.constant(elem, st.x).unwrap()),
            9 => {
                let op = CmpOp::ALL[st.a as usize % CmpOp::ALL.len()];
                masks.push(b.cmp(op, pick(&floats, st.b), pick(&floats, st.c)).unwrap());
            }
            10 if !masks.is_empty() => {
                let c = pick(&masks, st.a);
                floats.push(b.select(c, pick(&floats, st.b), pick(&floats, st.c)).unwrap());
            }
            11 if !masks.is_empty() => {
                let (p, q) = (pick(&masks, st.a), pick(&masks, st.b));
                masks.push(match st.c % 3 {
                    0 => b.and(p, q).unwrap(),
                    1 => b.or(p, q).unwrap(),
                    _ => b.not(p).unwrap(),
                });
            }
            12 => {
                let v = pick(&floats, st.a);
                if b.ty(v).unwrap().shape == sym_lower::Shape::Batch {
                    floats.push(b.sum(v).unwrap());
                }
            }
            13 | 14 => {
                let p = pick(&floats, st.a);
                let g = pick(&floats, st.b);
                let start = if st.c % 2 == 0 {
                    RootStart::Guess(g)
                } else {
                    let lo = b.constant(elem, -st.x.abs() - 10.0).unwrap();
                    let hi = b.constant(elem, st.x.abs() + 10.0).unwrap();
                    RootStart::GuessInBracket { guess: g, lo, hi }
                };
                let opts = if elem == Elem::F32 { RootOptions::F32 } else { RootOptions::F64 };
                let r = b.root(rid, &[p], start, RootOptions { max_iter: 60, ..opts }).unwrap();
                floats.push(r);
                let s = b.root_status(r).unwrap();
                statuses.push(s);
                masks.push(b.converged(s).unwrap());
            }
            15 => {
                let other = if elem == Elem::F64 { Elem::F32 } else { Elem::F64 };
                let c = b.cast(pick(&floats, st.a), other).unwrap();
                let u = b.unary(UnOp::Sin, c).unwrap();
                floats.push(b.cast(u, elem).unwrap());
            }
            _ => {
                let op = CmpOp::ALL[st.a as usize % CmpOp::ALL.len()];
                masks.push(b.cmp(op, pick(&floats, st.b), pick(&floats, st.c)).unwrap());
            }
        }
    }
    for (i, &v) in floats.iter().rev().take(3).enumerate() {
        b.output(&format!("f{i}"), v).unwrap();
    }
    if let Some(&m) = masks.last() {
        b.output("m", m).unwrap();
    }
    if let Some(&s) = statuses.last() {
        b.output("st", s).unwrap();
    }
    b.finish().unwrap()
}

/// The input tensors for a graph from [`build`].
pub fn tensors(elem: Elem, x: &[f64], y: &[f64], s: f64) -> Vec<Tensor> {
    let n = x.len();
    match elem {
        Elem::F32 => {
            let f = |v: &[f64]| {
                Tensor::F32(ArrayD::from_shape_vec(IxDyn(&[n]), v.iter().map(|&e| e as f32).collect()).unwrap())
            };
            vec![f(x), f(y), Tensor::from(s as f32)]
        }
        _ => {
            let f = |v: &[f64]| Tensor::F64(ArrayD::from_shape_vec(IxDyn(&[n]), v.to_vec()).unwrap());
            vec![f(x), f(y), Tensor::from(s)]
        }
    }
}

/// Bitwise equality of tensors (any NaN equals any NaN).
pub fn same(a: &Tensor, b: &Tensor) -> bool {
    match (a, b) {
        (Tensor::F64(x), Tensor::F64(y)) => {
            x.shape() == y.shape()
                && x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan()))
        }
        (Tensor::F32(x), Tensor::F32(y)) => {
            x.shape() == y.shape()
                && x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan()))
        }
        _ => a == b,
    }
}

/// Whether output `k` of `g` depends on a `sum`.
pub fn depends_on_sum(g: &Graph, k: usize) -> bool {
    let mut seen = vec![false; g.len()];
    let mut stack = vec![g.outputs[k].value];
    while let Some(v) = stack.pop() {
        if seen[v.index()] {
            continue;
        }
        seen[v.index()] = true;
        if matches!(g.inst(v), Inst::Sum(_)) {
            return true;
        }
        stack.extend(g.inst(v).operands());
    }
    false
}
