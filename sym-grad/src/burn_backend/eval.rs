//! The evaluator: any IR graph run op by op on burn tensors without autodiff (the inner backend of an autodiff
//! device, or a plain device).
//!
//! A batch value is a rank-1 tensor of `n` lanes, a scalar a rank-1 tensor of one lane (broadcast by expansion
//! where it meets a batch). Every elementwise op maps to burn's op of the same meaning, composed where burn has
//! none: `cot = 1/tan`, `sec = 1/cos`, `csc = 1/sin`, `coth = 1/tanh`, `acot x = atan(1/x)`,
//! `cbrt x = sign(x) |x|^(1/3)`, `expm1 x = 2t/(1 - t)` with `t = tanh(x/2)` for `|x| < 1/2` (no cancellation)
//! and `e^x - 1` elsewhere, and `powi` by the IR's own binary powering (the same multiplications in the same
//! order). Two kinds of op run on the host, lane by lane, after copying their operands off the device: `lambertw`
//! (sym-lower's scalar function) and `root` (sym-lower's executor on a one-op graph, which also gives the
//! per-lane status that `root_status` reads).
//!
//! No autodiff rule of burn is ever used on these ops: derivatives come from sym-grad's own derivative graphs,
//! evaluated by this same evaluator (see the parent module).

use crate::error::{BurnProblem, Error, Result};
use burn::prelude::*;
use burn::tensor::{DType, TensorData};
use std::collections::HashMap;
use std::sync::Arc;
use sym_lower::{BinOp, Builder, CmpOp, Elem, Executor, Graph, Inst, RootStatus, Shape, TensorRef, Type, UnOp, scalar};

/// A value during evaluation.
#[derive(Clone, Debug)]
pub(crate) enum BVal {
    /// A float tensor (`[n]` or `[1]`).
    Float(Tensor<1>),
    /// A mask (`[n]` or `[1]`).
    Bool(Tensor<1, Bool>),
    /// Root statuses, on the host (`n` or one).
    Status(Arc<Vec<RootStatus>>),
}

impl BVal {
    fn float(&self) -> &Tensor<1> {
        match self {
            Self::Float(t) => t,
            _ => unreachable!("verified graphs give float operands to float ops"),
        }
    }

    fn mask(&self) -> &Tensor<1, Bool> {
        match self {
            Self::Bool(t) => t,
            _ => unreachable!("verified graphs give masks to mask ops"),
        }
    }
}

/// A one-op graph that computes a `root` of the evaluated graph on the host: inputs are the root's operands (in
/// `Inst::operands` order), outputs its value and status.
#[derive(Clone, Debug)]
struct RootKernel {
    exec: Executor,
    operand_types: Vec<Type>,
}

/// A graph prepared for evaluation on burn tensors.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    /// The graph (verified).
    pub graph: Graph,
    roots: HashMap<usize, RootKernel>,
}

impl Compiled {
    /// Verifies `graph` and prepares its roots.
    pub fn new(graph: Graph) -> Result<Self> {
        sym_lower::verify::verify(&graph).map_err(sym_lower::Error::from)?;
        let mut roots = HashMap::new();
        for (i, inst) in graph.insts.iter().enumerate() {
            let Inst::Root(r) = inst else { continue };
            let mut b = Builder::new();
            let ops = inst.operands();
            let operand_types: Vec<Type> = ops.iter().map(|o| graph.ty(*o)).collect();
            let vals = operand_types
                .iter()
                .enumerate()
                .map(|(k, t)| b.input(&format!("o{k}"), *t))
                .collect::<sym_lower::Result<Vec<_>>>()?;
            let res = b.add_residual(graph.residual(r.residual).clone())?;
            let mut mapped = (**r).clone();
            mapped.residual = res;
            let mut it = vals.iter();
            let root = Inst::Root(Box::new(mapped)).map_operands(|_| *it.next().expect("one value per operand"));
            let y = b.inst(root)?;
            let st = b.root_status(y)?;
            b.output("y", y)?;
            b.output("status", st)?;
            let kernel = b.finish()?;
            roots.insert(i, RootKernel { exec: Executor::new(&kernel)?, operand_types });
        }
        Ok(Self { graph, roots })
    }
}

/// The burn dtype of a float kind.
pub(crate) fn dtype_of(elem: Elem) -> DType {
    match elem {
        Elem::F32 => DType::F32,
        _ => DType::F64,
    }
}

/// A short name of a burn dtype, for errors.
pub(crate) fn dtype_name(d: DType) -> &'static str {
    match d {
        DType::F64 => "f64",
        DType::F32 => "f32",
        DType::F16 => "f16",
        DType::BF16 => "bf16",
        _ => "a non-float dtype",
    }
}

/// Checks the tensors against the graph's inputs (count, float kind, length) and returns the lane count.
pub(crate) fn check_inputs(graph: &Graph, inputs: &[Tensor<1>]) -> Result<usize> {
    if inputs.len() != graph.inputs.len() {
        return Err(Error::BurnInputCount { expected: graph.inputs.len(), found: inputs.len() });
    }
    let mut n = None;
    for (index, (decl, t)) in graph.inputs.iter().zip(inputs).enumerate() {
        let err = |problem| Error::BurnInput { index, name: decl.name.clone(), problem };
        if !decl.ty.elem.is_float() {
            return Err(Error::BurnType { name: decl.name.clone(), ty: decl.ty });
        }
        if t.dtype() != dtype_of(decl.ty.elem) {
            return Err(err(BurnProblem::DType { expected: decl.ty.elem, found: dtype_name(t.dtype()) }));
        }
        let len = t.dims()[0];
        match decl.ty.shape {
            Shape::Scalar if len != 1 => {
                return Err(err(BurnProblem::Length { expected: 1, found: len }));
            }
            Shape::Batch => match n {
                None => n = Some(len),
                Some(m) if m != len => {
                    return Err(err(BurnProblem::Length { expected: m, found: len }));
                }
                _ => {}
            },
            Shape::Scalar => {}
        }
    }
    Ok(n.unwrap_or(1))
}

/// A float tensor of `[1]` holding `x`.
fn constant(x: f64, elem: Elem, device: &Device) -> Tensor<1> {
    match elem {
        #[allow(clippy::cast_possible_truncation)]
        Elem::F32 => Tensor::from_data(TensorData::new(vec![x as f32], [1]), (device, DType::F32)),
        _ => Tensor::from_data(TensorData::new(vec![x], [1]), (device, DType::F64)),
    }
}

/// The host copy of a float tensor, as `f64`.
pub(crate) fn to_host(t: &Tensor<1>) -> Vec<f64> {
    match t.dtype() {
        DType::F32 => {
            t.to_data().convert::<f32>().try_into_vec::<f32>().unwrap_or_default().into_iter().map(f64::from).collect()
        }
        _ => t.to_data().convert::<f64>().try_into_vec::<f64>().unwrap_or_default(),
    }
}

/// A float tensor of kind `elem` from host values.
pub(crate) fn from_host(v: Vec<f64>, elem: Elem, device: &Device) -> Tensor<1> {
    let n = v.len();
    match elem {
        #[allow(clippy::cast_possible_truncation)]
        Elem::F32 => Tensor::from_data(
            TensorData::new(v.into_iter().map(|x| x as f32).collect::<Vec<f32>>(), [n]),
            (device, DType::F32),
        ),
        _ => Tensor::from_data(TensorData::new(v, [n]), (device, DType::F64)),
    }
}

/// Expands `[1]` operands to `[n]` when they meet an `[n]` operand.
fn align(a: Tensor<1>, b: Tensor<1>) -> (Tensor<1>, Tensor<1>) {
    let (na, nb) = (a.dims()[0], b.dims()[0]);
    if na == nb {
        (a, b)
    } else if na == 1 {
        (a.expand([nb]), b)
    } else {
        (a, b.expand([na]))
    }
}

fn align_mask(m: Tensor<1, Bool>, n: usize) -> Tensor<1, Bool> {
    if m.dims()[0] == n { m } else { m.expand([n]) }
}

/// `x^k` by the IR's binary powering (see `sym_lower::scalar::powi`).
fn powi(x: Tensor<1>, k: i32, elem: Elem, device: &Device) -> Tensor<1> {
    let mut e = k.unsigned_abs();
    let mut base = x;
    let mut r: Option<Tensor<1>> = None;
    loop {
        if e & 1 == 1 {
            r = Some(match r {
                None => base.clone(),
                Some(r) => r * base.clone(),
            });
        }
        e >>= 1;
        if e == 0 {
            break;
        }
        base = base.clone() * base;
    }
    let p = match r {
        Some(p) => p,
        None => constant(1.0, elem, device).expand([base.dims()[0]]),
    };
    if k < 0 { p.recip() } else { p }
}

fn unary(op: UnOp, a: Tensor<1>, elem: Elem, device: &Device) -> Result<Tensor<1>> {
    Ok(match op {
        UnOp::Neg => a.neg(),
        UnOp::Recip => a.recip(),
        UnOp::Sqrt => a.sqrt(),
        UnOp::Cbrt => {
            let s = a.clone().sign();
            s * a.abs().powf_scalar(1.0 / 3.0)
        }
        UnOp::Exp => a.exp(),
        UnOp::Log => a.log(),
        UnOp::Sin => a.sin(),
        UnOp::Cos => a.cos(),
        UnOp::Tan => a.tan(),
        UnOp::Cot => a.tan().recip(),
        UnOp::Sec => a.cos().recip(),
        UnOp::Csc => a.sin().recip(),
        UnOp::Asin => a.asin(),
        UnOp::Acos => a.acos(),
        UnOp::Atan => a.atan(),
        UnOp::Acot => a.recip().atan(),
        UnOp::Sinh => a.sinh(),
        UnOp::Cosh => a.cosh(),
        UnOp::Tanh => a.tanh(),
        UnOp::Coth => a.tanh().recip(),
        UnOp::Asinh => a.asinh(),
        UnOp::Acosh => a.acosh(),
        UnOp::Atanh => a.atanh(),
        UnOp::Abs => a.abs(),
        UnOp::Sign => {
            // burn's sign is 0 at NaN; the IR's keeps NaN.
            let nan = a.clone().is_nan();
            a.clone().sign().mask_where(nan, a)
        }
        UnOp::LambertW => {
            let v: Vec<f64> = to_host(&a).into_iter().map(scalar::lambertw_f64).collect();
            from_host(v, elem, device)
        }
        UnOp::Log1p => a.log1p(),
        UnOp::Expm1 => {
            let small = a.clone().abs().lower_elem(0.5);
            let t = a.clone().mul_scalar(0.5).tanh();
            let one = constant(1.0, elem, device).expand([t.dims()[0]]);
            let near = t.clone().mul_scalar(2.0) / (one - t);
            let far = a.exp().sub_scalar(1.0);
            far.mask_where(small, near)
        }
        _ => {
            return Err(Error::Ir(sym_lower::Error::Unsupported { name: format!("{} on burn", op.name()) }));
        }
    })
}

fn binary(op: BinOp, a: Tensor<1>, b: Tensor<1>) -> Result<Tensor<1>> {
    let (a, b) = align(a, b);
    Ok(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        BinOp::Pow => a.powf(b),
        BinOp::Hypot => a.hypot(b),
        _ => {
            return Err(Error::Ir(sym_lower::Error::Unsupported { name: format!("{} on burn", op.name()) }));
        }
    })
}

fn compare(op: CmpOp, a: Tensor<1>, b: Tensor<1>) -> Result<Tensor<1, Bool>> {
    let (a, b) = align(a, b);
    Ok(match op {
        CmpOp::Lt => a.lower(b),
        CmpOp::Le => a.lower_equal(b),
        CmpOp::Gt => a.greater(b),
        CmpOp::Ge => a.greater_equal(b),
        CmpOp::Eq => a.equal(b),
        CmpOp::Ne => a.not_equal(b),
        _ => {
            return Err(Error::Ir(sym_lower::Error::Unsupported { name: format!("{} on burn", op.name()) }));
        }
    })
}

/// Runs a root kernel on the host: the operands are copied off the device.
fn run_root(
    k: &RootKernel,
    operands: &[&Tensor<1>],
    elem: Elem,
    device: &Device,
) -> Result<(Tensor<1>, Arc<Vec<RootStatus>>)> {
    let host: Vec<ndarray::ArrayD<f64>> = operands
        .iter()
        .zip(&k.operand_types)
        .map(|(t, ty)| {
            let v = to_host(t);
            match ty.shape {
                Shape::Scalar => ndarray::arr0(v[0]).into_dyn(),
                Shape::Batch => ndarray::Array1::from_vec(v).into_dyn(),
            }
        })
        .collect();
    let (y, status) = match elem {
        Elem::F32 => {
            #[allow(clippy::cast_possible_truncation)]
            let host32: Vec<ndarray::ArrayD<f32>> = host.iter().map(|a| a.mapv(|x| x as f32)).collect();
            let refs: Vec<TensorRef<'_>> = host32.iter().map(|a| a.view().into()).collect();
            let out = k.exec.run(&refs)?;
            let y: Vec<f64> = out[0].as_f32().map(|a| a.iter().map(|x| f64::from(*x)).collect()).unwrap_or_default();
            (y, out[1].as_status().map(|a| a.iter().copied().collect()).unwrap_or_default())
        }
        _ => {
            let refs: Vec<TensorRef<'_>> = host.iter().map(|a| a.view().into()).collect();
            let out = k.exec.run(&refs)?;
            let y: Vec<f64> = out[0].as_f64().map(|a| a.iter().copied().collect()).unwrap_or_default();
            (y, out[1].as_status().map(|a| a.iter().copied().collect()).unwrap_or_default())
        }
    };
    Ok((from_host(y, elem, device), Arc::new(status)))
}

/// Evaluates the graph on the (non-autodiff) tensors `inputs` (checked with [`check_inputs`]) and returns every
/// output.
pub(crate) fn eval(c: &Compiled, inputs: &[Tensor<1>], device: &Device) -> Result<Vec<BVal>> {
    let g = &c.graph;
    check_inputs(g, inputs)?;
    let mut vals: Vec<Option<BVal>> = vec![None; g.len()];
    let mut statuses: HashMap<usize, Arc<Vec<RootStatus>>> = HashMap::new();
    let get = |vals: &[Option<BVal>], v: sym_lower::Value| -> BVal {
        vals[v.index()].clone().expect("operands come before their users")
    };
    for (i, inst) in g.insts.iter().enumerate() {
        let elem = g.types[i].elem;
        let v = match inst {
            Inst::Input { index } => BVal::Float(inputs[*index as usize].clone()),
            Inst::Const { bits, .. } => BVal::Float(constant(f64::from_bits(*bits), elem, device)),
            Inst::ConstBool(b) => BVal::Bool(Tensor::<1, Bool>::from_data(TensorData::new(vec![*b], [1]), device)),
            Inst::Unary(op, a) => BVal::Float(unary(*op, get(&vals, *a).float().clone(), elem, device)?),
            Inst::Binary(op, a, b) => {
                BVal::Float(binary(*op, get(&vals, *a).float().clone(), get(&vals, *b).float().clone())?)
            }
            Inst::Powi(a, k) => BVal::Float(powi(get(&vals, *a).float().clone(), *k, elem, device)),
            Inst::Cmp(op, a, b) => {
                BVal::Bool(compare(*op, get(&vals, *a).float().clone(), get(&vals, *b).float().clone())?)
            }
            Inst::Bool(op, a, b) => {
                let (x, y) = (get(&vals, *a).mask().clone(), get(&vals, *b).mask().clone());
                let m = x.dims()[0].max(y.dims()[0]);
                let (x, y) = (align_mask(x, m), align_mask(y, m));
                BVal::Bool(match op {
                    sym_lower::BoolOp::And => x.bool_and(y),
                    _ => x.bool_or(y),
                })
            }
            Inst::Not(a) => BVal::Bool(get(&vals, *a).mask().clone().bool_not()),
            Inst::Select(cnd, a, b) => {
                let m = get(&vals, *cnd).mask().clone();
                match (get(&vals, *a), get(&vals, *b)) {
                    (BVal::Float(x), BVal::Float(y)) => {
                        let (x, y) = align(x, y);
                        let len = x.dims()[0].max(m.dims()[0]);
                        let x = if x.dims()[0] == len { x } else { x.expand([len]) };
                        let y = if y.dims()[0] == len { y } else { y.expand([len]) };
                        BVal::Float(y.mask_where(align_mask(m, len), x))
                    }
                    (BVal::Bool(x), BVal::Bool(y)) => {
                        let len = x.dims()[0].max(y.dims()[0]).max(m.dims()[0]);
                        let (m, x, y) = (align_mask(m, len), align_mask(x, len), align_mask(y, len));
                        // (m and x) or (not m and y)
                        let t = m.clone().bool_and(x);
                        let f = m.bool_not().bool_and(y);
                        BVal::Bool(t.bool_or(f))
                    }
                    (BVal::Status(x), BVal::Status(y)) => {
                        let mh: Vec<bool> = m.to_data().convert::<bool>().try_into_vec::<bool>().unwrap_or_default();
                        let len = mh.len().max(x.len()).max(y.len());
                        let at = |v: &[RootStatus], k: usize| if v.len() == 1 { v[0] } else { v[k] };
                        let mat = |k: usize| if mh.len() == 1 { mh[0] } else { mh[k] };
                        BVal::Status(Arc::new((0..len).map(|k| if mat(k) { at(&x, k) } else { at(&y, k) }).collect()))
                    }
                    _ => unreachable!("verified select operands have one kind"),
                }
            }
            Inst::Cast(a, to) => BVal::Float(get(&vals, *a).float().clone().cast(dtype_of(*to))),
            Inst::Sum(a) => BVal::Float(get(&vals, *a).float().clone().sum()),
            Inst::Root(_) => {
                let k = &c.roots[&i];
                let ops: Vec<BVal> = inst.operands().iter().map(|o| get(&vals, *o)).collect();
                let refs: Vec<&Tensor<1>> = ops.iter().map(BVal::float).collect();
                let (y, st) = run_root(k, &refs, elem, device)?;
                statuses.insert(i, st);
                BVal::Float(y)
            }
            Inst::RootStatus(r) => {
                BVal::Status(statuses.get(&r.index()).cloned().expect("a root is evaluated before its status"))
            }
            Inst::Converged(s) => match get(&vals, *s) {
                BVal::Status(st) => {
                    let conv: Vec<bool> = st.iter().map(|x| x.is_converged()).collect();
                    let len = conv.len();
                    BVal::Bool(Tensor::<1, Bool>::from_data(TensorData::new(conv, [len]), device))
                }
                _ => unreachable!("verified converged operands are statuses"),
            },
            _ => {
                return Err(Error::Ir(sym_lower::Error::Unsupported { name: format!("{} on burn", inst.opcode()) }));
            }
        };
        vals[i] = Some(v);
    }
    Ok(g.outputs.iter().map(|o| get(&vals, o.value)).collect())
}
