//! A tape in the manner of TensorFlow's `GradientTape`: watch tensors, record a computation that mixes sym
//! functions and burn tensor ops, and ask for `gradient`, `jacobian` and `batch_jacobian`.
//!
//! Burn 0.22 consumes its autodiff graph in `backward` (there is no `retain_graph`), so a recording is a closure
//! over the watched tensors, re-run on fresh leaves for every backward pass it needs: once for a gradient, once
//! per output element for a Jacobian, once per output for a batch Jacobian (TensorFlow's persistent tape without
//! `pfor` does the same number of backward passes).

use super::check_len;
use crate::error::{Error, Result};
use burn::prelude::*;

/// Watched tensors, by name. See the module doc.
#[derive(Clone, Debug, Default)]
pub struct Tape {
    watched: Vec<(String, Tensor<1>)>,
}

/// The watched tensors as seen by a recording: fresh leaves that require gradients.
#[derive(Clone, Debug)]
pub struct Watched {
    leaves: Vec<(String, Tensor<1>)>,
}

impl Watched {
    /// The watched tensor named `name`.
    ///
    /// # Errors
    /// [`Error::UnknownName`] if no tensor of that name is watched.
    pub fn get(&self, name: &str) -> Result<Tensor<1>> {
        self.leaves
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .ok_or_else(|| Error::UnknownName { name: name.to_owned(), what: "watched tensor" })
    }
}

impl Tape {
    /// An empty tape.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Watches `value` under `name` (moved to its device's autodiff context if it is not in one).
    ///
    /// # Errors
    /// [`Error::Duplicate`] if the name is already watched.
    pub fn watch(&mut self, name: &str, value: Tensor<1>) -> Result<()> {
        if self.watched.iter().any(|(n, _)| n == name) {
            return Err(Error::Duplicate { name: name.to_owned() });
        }
        self.watched.push((name.to_owned(), value.autodiff().detach()));
        Ok(())
    }

    fn leaves(&self) -> Watched {
        Watched { leaves: self.watched.iter().map(|(n, t)| (n.clone(), t.clone().detach().require_grad())).collect() }
    }

    fn source_len(&self, name: &str) -> Result<usize> {
        self.watched
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.dims()[0])
            .ok_or_else(|| Error::UnknownName { name: name.to_owned(), what: "watched tensor" })
    }

    /// The gradient of the sum of every element of the recorded outputs with respect to each source (zeros for
    /// a source the outputs do not depend on).
    ///
    /// # Errors
    /// [`Error::UnknownName`] for a source that is not watched; errors of the recording.
    pub fn gradient<F>(&self, record: F, sources: &[&str]) -> Result<Vec<Tensor<1>>>
    where
        F: Fn(&Watched) -> Result<Vec<Tensor<1>>>,
    {
        let w = self.leaves();
        let outs = record(&w)?;
        let total = outs.into_iter().map(Tensor::sum).reduce(|a, b| a + b);
        let grads = total.map(|t| t.backward());
        sources
            .iter()
            .map(|s| {
                let leaf = w.get(s)?;
                Ok(grads
                    .as_ref()
                    .and_then(|g| leaf.grad(g))
                    .unwrap_or_else(|| leaf.clone().detach().mul_scalar(0.0).inner()))
            })
            .collect()
    }

    /// The Jacobian `[m, k]` of the recorded outputs (concatenated, `m` elements in all) with respect to the
    /// source (`k` elements): one backward pass per output element.
    ///
    /// # Errors
    /// As [`Tape::gradient`].
    pub fn jacobian<F>(&self, record: F, source: &str) -> Result<Tensor<2>>
    where
        F: Fn(&Watched) -> Result<Vec<Tensor<1>>>,
    {
        let k = self.source_len(source)?;
        let first = record(&self.leaves())?;
        let m: usize = first.iter().map(|t| t.dims()[0]).sum();
        let mut rows = Vec::with_capacity(m);
        for i in 0..m {
            let w = self.leaves();
            let outs = record(&w)?;
            let flat = Tensor::cat(outs, 0);
            let target = flat.narrow(0, i, 1).sum();
            let grads = target.backward();
            let leaf = w.get(source)?;
            let row = leaf.grad(&grads).unwrap_or_else(|| leaf.clone().detach().mul_scalar(0.0).inner());
            check_len(source, i, &row, k)?;
            rows.push(row);
        }
        Ok(Tensor::stack(rows, 0))
    }

    /// The batch Jacobian `[b, m, k]` of `m` recorded outputs of `b` lanes each with respect to `k` sources of `b`
    /// lanes each: entry `[i, j, l]` is `d out_j[i] / d source_l[i]`, for computations whose lanes are
    /// independent (every sym graph without `sum`, and elementwise tensor ops). One backward pass per output.
    ///
    /// # Errors
    /// As [`Tape::gradient`].
    pub fn batch_jacobian<F>(&self, record: F, sources: &[&str]) -> Result<Tensor<3>>
    where
        F: Fn(&Watched) -> Result<Vec<Tensor<1>>>,
    {
        let m = record(&self.leaves())?.len();
        let mut per_output = Vec::with_capacity(m);
        for j in 0..m {
            let w = self.leaves();
            let outs = record(&w)?;
            let b = outs[j].dims()[0];
            let grads = outs[j].clone().sum().backward();
            let mut cols = Vec::with_capacity(sources.len());
            for (l, s) in sources.iter().enumerate() {
                let leaf = w.get(s)?;
                let col = leaf.grad(&grads).unwrap_or_else(|| leaf.clone().detach().mul_scalar(0.0).inner());
                check_len(s, l, &col, b)?;
                cols.push(col);
            }
            // [b, k] for output j.
            per_output.push(Tensor::stack::<2>(cols, 1));
        }
        // [b, m, k].
        Ok(Tensor::stack(per_output, 1))
    }
}
