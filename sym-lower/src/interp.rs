//! The reference interpreter: evaluates a graph op by op, lane by lane, in the most direct way.
//!
//! It is the executable definition of the IR's semantics that the executor and the passes are tested against:
//! each value is a vector (one element for a scalar, `n` for a batch), each op a loop over lanes calling the
//! scalar function of [`crate::scalar`], `sum` a left-to-right sum, and `root` the one-lane algorithm of
//! [`crate::root`] with the residual graph interpreted (recursively, on one-lane vectors) at every evaluation.
//! Float ops are computed in their own kind (`f32` ops round to `f32` after each op). It is slow on purpose.

use crate::error::Result;
use crate::graph::Graph;
use crate::op::{BoolOp, Inst};
use crate::root::{RootStatus, solve_lane};
use crate::scalar::{self, Real};
use crate::tensor::{Tensor, TensorRef, check_inputs};
use crate::types::{Elem, Shape, Value};
use crate::verify::verify;
use ndarray::{ArrayD, Dimension, IxDyn};
use std::collections::HashMap;

/// Evaluates `graph` on `inputs` and returns its outputs (0-dimensional arrays for scalars, `n` lanes for
/// batches).
///
/// # Errors
/// [`crate::Error::Verify`] if the graph is invalid (it is then not evaluated); [`crate::Error::InputCount`] or
/// [`crate::Error::Input`] if the inputs do not fit its declarations.
pub fn interpret(graph: &Graph, inputs: &[TensorRef<'_>]) -> Result<Vec<Tensor>> {
    verify(graph)?;
    let n = check_inputs(graph, inputs)?.unwrap_or(0);
    let vals: Vec<Col> = inputs
        .iter()
        .map(|t| match t {
            TensorRef::F64(a) => Col::F64(a.iter().copied().collect()),
            TensorRef::F32(a) => Col::F32(a.iter().copied().collect()),
            TensorRef::Bool(a) => Col::Bool(a.iter().copied().collect()),
            TensorRef::Status(a) => Col::Status(a.iter().copied().collect()),
        })
        .collect();
    let results = eval(graph, vals, n);
    Ok(graph
        .outputs
        .iter()
        .map(|o| {
            let dim = match graph.ty(o.value).shape {
                Shape::Scalar => IxDyn(&[]),
                Shape::Batch => IxDyn(&[n]),
            };
            let shaped = |len: usize| -> IxDyn { if len == dim.size() { dim.clone() } else { IxDyn(&[len]) } };
            match &results[o.value.index()] {
                Col::F64(v) => Tensor::F64(ArrayD::from_shape_vec(shaped(v.len()), v.clone()).expect("sized")),
                Col::F32(v) => Tensor::F32(ArrayD::from_shape_vec(shaped(v.len()), v.clone()).expect("sized")),
                Col::Bool(v) => Tensor::Bool(ArrayD::from_shape_vec(shaped(v.len()), v.clone()).expect("sized")),
                Col::Status(v) => Tensor::Status(ArrayD::from_shape_vec(shaped(v.len()), v.clone()).expect("sized")),
            }
        })
        .collect())
}

/// The values of one graph value: one element (scalar) or `n` (batch).
#[derive(Clone, Debug)]
pub(crate) enum Col {
    F64(Vec<f64>),
    F32(Vec<f32>),
    Bool(Vec<bool>),
    Status(Vec<RootStatus>),
}

/// Lane `i` of a column of the given shape.
fn at<T: Copy>(v: &[T], shape: Shape, i: usize) -> T {
    match shape {
        Shape::Scalar => v[0],
        Shape::Batch => v[i],
    }
}

/// Evaluates a verified graph whose inputs are `inputs`, returning every value.
fn eval(g: &Graph, inputs: Vec<Col>, n: usize) -> Vec<Col> {
    let mut inputs: Vec<Option<Col>> = inputs.into_iter().map(Some).collect();
    let mut vals: Vec<Col> = Vec::with_capacity(g.len());
    let mut statuses: HashMap<Value, Vec<RootStatus>> = HashMap::new();
    for (idx, inst) in g.insts.iter().enumerate() {
        let col = match inst {
            Inst::Input { index } => inputs[*index as usize].take().expect("each input is defined once"),
            _ => eval_inst(g, idx, &vals, &mut statuses, n),
        };
        vals.push(col);
    }
    vals
}

/// Evaluates instruction `idx` (not an input) of a verified graph, given the values of its operands in `vals`
/// (other entries are not read) and the statuses of the roots evaluated so far (a `root` adds its own).
pub(crate) fn eval_inst(
    g: &Graph,
    idx: usize,
    vals: &[Col],
    statuses: &mut HashMap<Value, Vec<RootStatus>>,
    n: usize,
) -> Col {
    let inst = &g.insts[idx];
    {
        let ty = g.types[idx];
        let len = match ty.shape {
            Shape::Scalar => 1,
            Shape::Batch => n,
        };
        let sh = |v: &Value| g.ty(*v).shape;
        match inst {
            Inst::Input { .. } => unreachable!("inputs are bound by the caller"),
            Inst::Const { elem: Elem::F32, bits } => Col::F32(vec![f32::from_f64(f64::from_bits(*bits))]),
            Inst::Const { bits, .. } => Col::F64(vec![f64::from_bits(*bits)]),
            Inst::ConstBool(b) => Col::Bool(vec![*b]),
            Inst::Unary(op, a) => {
                float_map(&vals[a.index()], len, |x| scalar::unary(*op, x), |x| scalar::unary(*op, x), sh(a))
            }
            Inst::Powi(a, k) => {
                float_map(&vals[a.index()], len, |x| scalar::powi(x, *k), |x| scalar::powi(x, *k), sh(a))
            }
            Inst::Binary(op, a, b) => match (&vals[a.index()], &vals[b.index()]) {
                (Col::F64(x), Col::F64(y)) => {
                    Col::F64((0..len).map(|i| scalar::binary(*op, at(x, sh(a), i), at(y, sh(b), i))).collect())
                }
                (Col::F32(x), Col::F32(y)) => {
                    Col::F32((0..len).map(|i| scalar::binary(*op, at(x, sh(a), i), at(y, sh(b), i))).collect())
                }
                _ => unreachable!("verified: floats of one kind"),
            },
            Inst::Cmp(op, a, b) => match (&vals[a.index()], &vals[b.index()]) {
                (Col::F64(x), Col::F64(y)) => {
                    Col::Bool((0..len).map(|i| scalar::compare(*op, at(x, sh(a), i), at(y, sh(b), i))).collect())
                }
                (Col::F32(x), Col::F32(y)) => {
                    Col::Bool((0..len).map(|i| scalar::compare(*op, at(x, sh(a), i), at(y, sh(b), i))).collect())
                }
                _ => unreachable!("verified: floats of one kind"),
            },
            Inst::Bool(op, a, b) => {
                let (Col::Bool(x), Col::Bool(y)) = (&vals[a.index()], &vals[b.index()]) else {
                    unreachable!("verified: masks")
                };
                Col::Bool(
                    (0..len)
                        .map(|i| {
                            let (p, q) = (at(x, sh(a), i), at(y, sh(b), i));
                            match op {
                                BoolOp::And => p && q,
                                BoolOp::Or => p || q,
                            }
                        })
                        .collect(),
                )
            }
            Inst::Not(a) => {
                let Col::Bool(x) = &vals[a.index()] else { unreachable!("verified: a mask") };
                Col::Bool((0..len).map(|i| !at(x, sh(a), i)).collect())
            }
            Inst::Select(c, a, b) => {
                let Col::Bool(m) = &vals[c.index()] else { unreachable!("verified: a mask") };
                let pick = |i: usize| at(m, sh(c), i);
                match (&vals[a.index()], &vals[b.index()]) {
                    (Col::F64(x), Col::F64(y)) => {
                        Col::F64((0..len).map(|i| if pick(i) { at(x, sh(a), i) } else { at(y, sh(b), i) }).collect())
                    }
                    (Col::F32(x), Col::F32(y)) => {
                        Col::F32((0..len).map(|i| if pick(i) { at(x, sh(a), i) } else { at(y, sh(b), i) }).collect())
                    }
                    (Col::Bool(x), Col::Bool(y)) => {
                        Col::Bool((0..len).map(|i| if pick(i) { at(x, sh(a), i) } else { at(y, sh(b), i) }).collect())
                    }
                    (Col::Status(x), Col::Status(y)) => {
                        Col::Status((0..len).map(|i| if pick(i) { at(x, sh(a), i) } else { at(y, sh(b), i) }).collect())
                    }
                    _ => unreachable!("verified: one kind"),
                }
            }
            Inst::Cast(a, to) => match (&vals[a.index()], to) {
                (Col::F64(x), Elem::F32) => Col::F32(x.iter().map(|&v| f32::from_f64(v)).collect()),
                (Col::F32(x), Elem::F64) => Col::F64(x.iter().map(|&v| f64::from(v)).collect()),
                (c, _) => c.clone(),
            },
            Inst::Sum(a) => match &vals[a.index()] {
                Col::F64(x) => Col::F64(vec![x.iter().fold(0.0, |s, &v| s + v)]),
                Col::F32(x) => Col::F32(vec![x.iter().fold(0.0, |s, &v| s + v)]),
                _ => unreachable!("verified: a float batch"),
            },
            Inst::Root(r) => {
                let res = g.residual(r.residual);
                let operand = |v: Value, i: usize| -> f64 {
                    match &vals[v.index()] {
                        Col::F64(x) => at(x, sh(&v), i),
                        Col::F32(x) => f64::from(at(x, sh(&v), i)),
                        _ => unreachable!("verified: floats"),
                    }
                };
                let mut ys = Vec::with_capacity(len);
                let mut st = Vec::with_capacity(len);
                for i in 0..len {
                    let params: Vec<f64> = r.params.iter().map(|&p| operand(p, i)).collect();
                    let guess = r.start.guess().map(|v| operand(v, i));
                    let bracket = r.start.bracket().map(|(lo, hi)| (operand(lo, i), operand(hi, i)));
                    let (y, s) = match ty.elem {
                        Elem::F32 => {
                            let (y, s) = solve_lane(
                                |y: f32| {
                                    let ins = std::iter::once(y)
                                        .chain(params.iter().map(|&p| f32::from_f64(p)))
                                        .map(|x| Col::F32(vec![x]))
                                        .collect();
                                    residual_pair(res, ins)
                                },
                                guess.map(f32::from_f64),
                                bracket.map(|(a, b)| (f32::from_f64(a), f32::from_f64(b))),
                                f32::from_f64(r.tol()),
                                r.max_iter,
                            );
                            (f64::from(y), s)
                        }
                        _ => solve_lane(
                            |y: f64| {
                                let ins = std::iter::once(y)
                                    .chain(params.iter().copied())
                                    .map(|x| Col::F64(vec![x]))
                                    .collect();
                                residual_pair(res, ins)
                            },
                            guess,
                            bracket,
                            r.tol(),
                            r.max_iter,
                        ),
                    };
                    ys.push(y);
                    st.push(s);
                }
                statuses.insert(Value::new(u32::try_from(idx).expect("verified")), st);
                match ty.elem {
                    Elem::F32 => Col::F32(ys.into_iter().map(f32::from_f64).collect()),
                    _ => Col::F64(ys),
                }
            }
            Inst::RootStatus(a) => Col::Status(statuses[a].clone()),
            Inst::Converged(a) => {
                let Col::Status(s) = &vals[a.index()] else { unreachable!("verified: a status") };
                Col::Bool(s.iter().map(|s| s.is_converged()).collect())
            }
        }
    }
}

/// `(F, dF/dy)` of a residual graph at one lane, in the residual's float kind.
fn residual_pair<T: Real>(res: &Graph, inputs: Vec<Col>) -> (T, T) {
    let vals = eval(res, inputs, 1);
    let get = |k: usize| -> T {
        match &vals[res.outputs[k].value.index()] {
            Col::F64(v) => T::from_f64(v[0]),
            Col::F32(v) => T::from_f64(f64::from(v[0])),
            _ => unreachable!("verified: float outputs"),
        }
    };
    (get(0), get(1))
}

fn float_map(a: &Col, len: usize, f64_fn: impl Fn(f64) -> f64, f32_fn: impl Fn(f32) -> f32, shape: Shape) -> Col {
    match a {
        Col::F64(x) => Col::F64((0..len).map(|i| f64_fn(at(x, shape, i))).collect()),
        Col::F32(x) => Col::F32((0..len).map(|i| f32_fn(at(x, shape, i))).collect()),
        _ => unreachable!("verified: a float"),
    }
}
