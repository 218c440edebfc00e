//! The custom autodiff op that puts a whole IR graph into burn's autodiff graph as one node.
//!
//! Forward: the graph's float outputs, evaluated on the inner (non-autodiff) tensors and stacked into one
//! `[m, n]` tensor (scalars expanded), which becomes a node whose parents are the graph's inputs. Backward: the
//! incoming gradient's rows are the seeds of sym-grad's vector-Jacobian product graph ([`crate::vjp`]), which is
//! evaluated by the same evaluator and gives one gradient per input (summed over lanes for a scalar input, as
//! burn expects for a broadcast tensor). So burn's autodiff follows the IR's derivative rules exactly: NaN-safe
//! `select`, the implicit function theorem at roots, strong zeros.
//!
//! The node is built with burn-autodiff's `Backward` trait through the `extension` feature
//! (`Tensor::try_into_primitive::<Autodiff<B>>`), for each concrete backend `B` the tensors may live on: Flex,
//! and the cubecl backend with the `wgpu` feature. The parent count is a const generic, instantiated for
//! `1..=MAX_INPUTS` inputs.

use super::FnInner;
use crate::error::{Error, Result};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::NoCheckpointing;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, NodeGuard, Ops, OpsKind};
use burn::backend::{Autodiff, Backend, DispatchKindConversion};
use burn::prelude::*;
use burn::tensor::DispatchTensor;
use std::sync::Arc;

/// The most graph inputs the custom op is instantiated for.
pub(crate) const MAX_INPUTS: usize = 16;

/// The backward step of a graph with `N` inputs.
#[derive(Debug)]
struct SymBackward<const N: usize>;

/// What the backward step needs: the function and its inputs (inner tensors).
#[derive(Clone, Debug)]
pub(crate) struct State {
    pub f: Arc<FnInner>,
    pub inputs: Vec<Tensor<1>>,
    pub device: Device,
}

impl<B: Backend, const N: usize> Backward<B, N> for SymBackward<N>
where
    DispatchTensor: DispatchKindConversion<B>,
{
    type State = State;

    fn backward(self, ops: Ops<Self::State, N>, grads: &mut Gradients, _ckpt: &mut Checkpointer) {
        let g = grads.consume::<B>(&ops.node);
        let g = Tensor::<2>::from_primitive::<B>(g);
        let st = ops.state;
        // The inputs were checked when the node was built, so the evaluation of the derivative graph cannot fail
        // on them; a failure here is a bug.
        let vjps =
            st.f.vjp_values(&st.inputs, &g, &st.device)
                .expect("the derivative graph evaluates on inputs that were checked in the forward pass");
        for (k, parent) in ops.parents.iter().enumerate() {
            if let Some(node) = parent {
                let p =
                    vjps[k].clone().try_into_primitive::<B>().expect("gradients live on the backend of their inputs");
                grads.register::<B>(node.id, p);
            }
        }
    }
}

fn attach_n<B: Backend, const N: usize>(inputs: &[Tensor<1>], out: Tensor<2>, state: State) -> Option<Tensor<2>>
where
    DispatchTensor: DispatchKindConversion<Autodiff<B>> + DispatchKindConversion<B>,
{
    let mut guards = Vec::with_capacity(N);
    for t in inputs {
        let p = t.clone().try_into_primitive::<Autodiff<B>>().ok()?;
        guards.push(p.node());
    }
    let guards: [NodeGuard; N] = guards.try_into().ok()?;
    let out = out.try_into_primitive::<B>().ok()?;
    let node = match SymBackward::<N>.prepare::<NoCheckpointing>(guards).compute_bound().stateful() {
        OpsKind::Tracked(prep) => prep.finish(state, out),
        OpsKind::UnTracked(prep) => prep.finish(out),
    };
    Some(Tensor::<2>::from_primitive::<Autodiff<B>>(node))
}

macro_rules! by_count {
    ($b:ty, $n:expr, $inputs:expr, $out:expr, $state:expr; $($k:literal)*) => {
        match $n {
            $($k => attach_n::<$b, $k>($inputs, $out, $state),)*
            _ => None,
        }
    };
}

fn attach_on<B: Backend>(inputs: &[Tensor<1>], out: Tensor<2>, state: State) -> Option<Tensor<2>>
where
    DispatchTensor: DispatchKindConversion<Autodiff<B>> + DispatchKindConversion<B>,
{
    by_count!(B, inputs.len(), inputs, out, state; 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
}

/// Makes `out` (computed from the inner tensors of `inputs`) a node of the autodiff graph with the inputs as
/// parents and the IR's vector-Jacobian product as its backward.
///
/// # Errors
/// [`Error::TooManyInputs`] beyond [`MAX_INPUTS`]; [`Error::BurnBackend`] if the tensors live on a backend
/// without an instantiation (or on a device with gradient checkpointing).
pub(crate) fn attach(inputs: &[Tensor<1>], out: Tensor<2>, state: State) -> Result<Tensor<2>> {
    if inputs.len() > MAX_INPUTS {
        return Err(Error::TooManyInputs { inputs: inputs.len(), max: MAX_INPUTS });
    }
    if let Some(t) = attach_on::<burn::backend::Flex>(inputs, out.clone(), state.clone()) {
        return Ok(t);
    }
    #[cfg(feature = "wgpu")]
    if let Some(t) = attach_on::<burn::backend::Cube>(inputs, out.clone(), state.clone()) {
        return Ok(t);
    }
    let _ = (out, state);
    Err(Error::BurnBackend)
}
