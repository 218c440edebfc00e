//! burn execution: IR graphs as differentiable functions of burn tensors, a burn `Module` with trainable
//! constants, and a `GradientTape`-style tape. This directory is the only module of sym-grad that names burn
//! (burn's API changes at every minor version; the crate pins 0.22.1).
//!
//! # How a graph runs on burn
//!
//! [`SymFunction::call`] evaluates the graph op by op on the tensors' backend (see the `eval` module: every
//! elementwise op is a burn op; `root` and `lambertw` run on the host, lane by lane, through sym-lower). When the
//! inputs are on an autodiff device, the graph's outputs become **one node** of burn's autodiff graph whose
//! backward evaluates sym-grad's vector-Jacobian product graph (the `custom` module): burn's `backward()` then
//! returns exactly the IR's derivatives, with the NaN-safe `select` and the implicit function theorem at roots,
//! and no differentiation through root iterations. Burn records the node like any of its own ops, so a sym
//! solution drops into a burn model: losses, optimisers and other layers around it work unchanged.
//!
//! Inputs are rank-1 tensors: `[n]` for a batch input, `[1]` for a scalar input (its gradient is summed over the
//! lanes, as for any broadcast tensor); their dtype must be the graph's float kind (`f64` or `f32`). Remember
//! burn 0.22's dtype rule: a device makes `f32` tensors unless it is configured for `f64` before its first
//! tensor; [`flex_f64`] does that.
//!
//! # When not to use it
//!
//! For pure CPU batch evaluation with gradients and no burn model around it, the IR executor on a derivative
//! graph ([`crate::gradient`] + `sym_lower::Executor`) is several times faster: it fuses the ops and runs roots in
//! vectorised blocks, while this path makes one burn op (and one allocation) per IR op.

mod custom;
mod eval;
mod module;
mod tape;

pub use module::SymModule;
pub use tape::{Tape, Watched};

use crate::derivative::{Derivative, Role};
use crate::error::{BurnProblem, Error, Result};
use crate::{GradOptions, vjp};
use burn::prelude::*;
use burn::tensor::{DType, FloatDType};
use eval::{BVal, Compiled};
use std::sync::Arc;
use sym_lower::{Graph, RootStatus, Shape};

/// A Flex (CPU) device with autodiff whose default float kind is `f64` (configured on first use; an error if it
/// was already configured for another kind).
///
/// # Errors
/// [`Error::BurnDevice`] if the process already configured the Flex device for another float kind.
pub fn flex_f64() -> Result<Device> {
    flex_with(FloatDType::F64, DType::F64)
}

/// A Flex (CPU) device with autodiff whose default float kind is `f32`.
///
/// # Errors
/// [`Error::BurnDevice`] if the process already configured the Flex device for another float kind.
pub fn flex_f32() -> Result<Device> {
    flex_with(FloatDType::F32, DType::F32)
}

fn flex_with(kind: FloatDType, dtype: DType) -> Result<Device> {
    let mut d = Device::flex();
    // Settings are per device and lock on first use: a second call finds them set, which is fine when they match.
    let _ = d.configure(kind);
    let found = d.settings().float_dtype;
    if DType::from(found) != dtype {
        return Err(Error::BurnDevice { found: eval::dtype_name(DType::from(found)) });
    }
    Ok(d.autodiff())
}

/// The compiled parts of a [`SymFunction`].
#[derive(Debug)]
pub(crate) struct FnInner {
    /// The graph.
    forward: Compiled,
    /// The vector-Jacobian product of the float outputs with respect to every input.
    vjp: Compiled,
    /// The roles of the vjp graph's outputs.
    vjp_roles: Vec<Role>,
    /// The positions of the float outputs among the graph's outputs.
    float_outputs: Vec<usize>,
    /// Whether each float output is a scalar.
    scalar_out: Vec<bool>,
    /// Whether each input is a scalar.
    scalar_in: Vec<bool>,
}

impl FnInner {
    /// The gradients of the inputs for the incoming gradient `g` (`[m, n]`, one row per float output).
    pub(crate) fn vjp_values(&self, inputs: &[Tensor<1>], g: &Tensor<2>, device: &Device) -> Result<Vec<Tensor<1>>> {
        let n = g.dims()[1];
        let mut args: Vec<Tensor<1>> = inputs.to_vec();
        for (j, scalar) in self.scalar_out.iter().enumerate() {
            let row = g.clone().slice([j..j + 1, 0..n]).reshape([n]);
            args.push(if *scalar { row.sum() } else { row });
        }
        let outs = eval::eval(&self.vjp, &args, device)?;
        let mut grads = Vec::with_capacity(inputs.len());
        for (role, v) in self.vjp_roles.iter().zip(outs) {
            if let (Role::Vjp { .. }, BVal::Float(t)) = (role, v) {
                let k = grads.len();
                let len = inputs[k].dims()[0];
                grads.push(if t.dims()[0] == len { t } else { t.expand([len]) });
            }
        }
        Ok(grads)
    }
}

/// An IR graph as a differentiable function of burn tensors. See the module doc.
///
/// ```
/// use burn::prelude::*;
/// use sym_grad::burn_backend::{SymFunction, flex_f64};
/// use sym_lower::{Builder, Type};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // y = -sqrt(9 - x^2), so d(sum y^2)/dx = -2x.
/// let mut b = Builder::new();
/// let x = b.input("x", Type::F64_BATCH)?;
/// let nine = b.const_f64(9.0);
/// let x2 = b.powi(x, 2)?;
/// let d = b.sub(nine, x2)?;
/// let s = b.sqrt(d)?;
/// let y = b.neg(s)?;
/// b.output("y", y)?;
/// let f = SymFunction::new(&b.finish()?)?;
///
/// let device = flex_f64()?;
/// let x = Tensor::<1>::from_data([1.0, 2.0], &device).require_grad();
/// let y = f.call(&[x.clone()])?.remove(0);
/// let grads = y.powi_scalar(2).sum().backward();
/// let g: Vec<f64> = x.grad(&grads).unwrap().into_data().to_vec().unwrap();
/// assert!((g[0] + 2.0).abs() < 1e-14 && (g[1] + 4.0).abs() < 1e-14);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct SymFunction {
    inner: Arc<FnInner>,
}

impl SymFunction {
    /// Compiles `graph` (all of whose inputs must be floats) with the default [`GradOptions`].
    ///
    /// # Errors
    /// [`Error::BurnType`] if an input is a mask or a status; [`Error::Ir`] if the graph is invalid.
    pub fn new(graph: &Graph) -> Result<Self> {
        Self::with_options(graph, &GradOptions::default())
    }

    /// Compiles `graph` with the given options for its derivatives.
    ///
    /// # Errors
    /// As [`SymFunction::new`].
    pub fn with_options(graph: &Graph, opts: &GradOptions) -> Result<Self> {
        for i in &graph.inputs {
            if !i.ty.elem.is_float() {
                return Err(Error::BurnType { name: i.name.clone(), ty: i.ty });
            }
        }
        let graph = if opts.optimize { sym_lower::passes::optimize(graph)? } else { graph.clone() };
        let float_outputs: Vec<usize> = graph
            .outputs
            .iter()
            .enumerate()
            .filter(|(_, o)| graph.ty(o.value).elem.is_float())
            .map(|(k, _)| k)
            .collect();
        let of: Vec<&str> = float_outputs.iter().map(|&k| graph.outputs[k].name.as_str()).collect();
        let wrt: Vec<&str> = graph.inputs.iter().map(|i| i.name.as_str()).collect();
        let d: Derivative = vjp(&graph, &of, &wrt, opts)?;
        let scalar_out =
            float_outputs.iter().map(|&k| graph.ty(graph.outputs[k].value).shape == Shape::Scalar).collect();
        let scalar_in = graph.inputs.iter().map(|i| i.ty.shape == Shape::Scalar).collect();
        let vjp_roles = d.roles().to_vec();
        Ok(Self {
            inner: Arc::new(FnInner {
                forward: Compiled::new(graph)?,
                vjp: Compiled::new(d.into_graph())?,
                vjp_roles,
                float_outputs,
                scalar_out,
                scalar_in,
            }),
        })
    }

    /// The graph (optimised).
    #[must_use]
    pub fn graph(&self) -> &Graph {
        &self.inner.forward.graph
    }

    /// Evaluates the graph on `inputs` (one rank-1 tensor per graph input: `[n]` for a batch, `[1]` for a scalar)
    /// and returns its float outputs in order (`[n]` or `[1]`). On an autodiff device the outputs are
    /// differentiable with respect to the inputs (see the module doc).
    ///
    /// # Errors
    /// [`Error::BurnInputCount`], [`Error::BurnInput`] if the tensors do not fit the graph;
    /// [`Error::BurnBackend`], [`Error::TooManyInputs`] if burn's autodiff cannot take the node.
    pub fn call(&self, inputs: &[Tensor<1>]) -> Result<Vec<Tensor<1>>> {
        let f = &self.inner;
        let n = eval::check_inputs(&f.forward.graph, inputs)?;
        let autodiff = inputs.iter().any(Tensor::is_autodiff);
        let inner: Vec<Tensor<1>> = inputs.iter().map(|t| t.clone().inner()).collect();
        let device = inner.first().map_or_else(Device::default, Tensor::device);
        let outs = eval::eval(&f.forward, &inner, &device)?;
        let floats: Vec<Tensor<1>> = f
            .float_outputs
            .iter()
            .map(|&k| match &outs[k] {
                BVal::Float(t) => t.clone(),
                _ => unreachable!("float outputs are floats"),
            })
            .collect();
        if !autodiff || floats.is_empty() {
            return Ok(floats);
        }
        let stacked = Tensor::stack::<2>(
            floats.iter().map(|t| if t.dims()[0] == n { t.clone() } else { t.clone().expand([n]) }).collect(),
            0,
        );
        let ad_inputs: Vec<Tensor<1>> = inputs.iter().map(|t| t.clone().autodiff()).collect();
        let state = custom::State { f: Arc::clone(&self.inner), inputs: inner, device };
        let node = custom::attach(&ad_inputs, stacked, state)?;
        Ok(f.scalar_out
            .iter()
            .enumerate()
            .map(|(j, scalar)| {
                let len = if *scalar { 1 } else { n };
                node.clone().slice([j..j + 1, 0..len]).reshape([len])
            })
            .collect())
    }

    /// The per-lane status of the derivatives at `inputs` (see [`Derivative::status`]): `None` if the graph's
    /// derivatives pass through no `root`.
    ///
    /// # Errors
    /// As [`SymFunction::call`].
    pub fn derivative_status(&self, inputs: &[Tensor<1>]) -> Result<Option<Vec<RootStatus>>> {
        let f = &self.inner;
        let n = eval::check_inputs(&f.forward.graph, inputs)?;
        if !f.vjp_roles.iter().any(|r| matches!(r, Role::RootStatus { .. })) {
            return Ok(None);
        }
        let inner: Vec<Tensor<1>> = inputs.iter().map(|t| t.clone().inner()).collect();
        let device = inner.first().map_or_else(Device::default, Tensor::device);
        let mut args = inner.clone();
        for (j, scalar) in f.scalar_out.iter().enumerate() {
            let len = if *scalar { 1 } else { n };
            let elem = f.forward.graph.ty(f.forward.graph.outputs[f.float_outputs[j]].value).elem;
            args.push(eval::from_host(vec![0.0; len], elem, &device));
        }
        let outs = eval::eval(&f.vjp, &args, &device)?;
        let host: Vec<sym_lower::Tensor> = outs
            .into_iter()
            .map(|v| match v {
                BVal::Float(t) => sym_lower::Tensor::F64(ndarray::Array1::from_vec(eval::to_host(&t)).into_dyn()),
                BVal::Bool(t) => {
                    let b: Vec<bool> = t.to_data().convert::<bool>().try_into_vec::<bool>().unwrap_or_default();
                    sym_lower::Tensor::Bool(ndarray::Array1::from_vec(b).into_dyn())
                }
                BVal::Status(s) => sym_lower::Tensor::Status(ndarray::Array1::from_vec(s.to_vec()).into_dyn()),
            })
            .collect();
        let d = Derivative::from_parts(f.vjp.graph.clone(), f.vjp_roles.clone());
        Ok(d.status(&host, n)?.map(|a| a.to_vec()))
    }

    /// Whether each input is a scalar (`[1]`) input.
    #[must_use]
    pub fn scalar_inputs(&self) -> &[bool] {
        &self.inner.scalar_in
    }
}

/// Checks that a tensor is a rank-1 float tensor of the given length (for the module and the tape).
pub(crate) fn check_len(name: &str, index: usize, t: &Tensor<1>, len: usize) -> Result<()> {
    let found = t.dims()[0];
    if found == len {
        Ok(())
    } else {
        Err(Error::BurnInput { index, name: name.to_owned(), problem: BurnProblem::Length { expected: len, found } })
    }
}
