//! A sym function with trainable constants as a burn [`Module`]: the graph's scalar inputs named as trainable
//! become `Param`s that burn's optimisers update (what sympy2jax and sympytorch do for JAX and PyTorch).

use super::{SymFunction, check_len, eval};
use crate::error::{Error, Result};
use burn::module::Param;
use burn::prelude::*;
use sym_lower::{Graph, Shape};

/// A graph whose scalar inputs listed as trainable are parameters of a burn module; its other inputs are the
/// data passed to [`SymModule::forward`].
///
/// ```
/// use burn::prelude::*;
/// use sym_grad::burn_backend::{SymModule, flex_f64};
/// use sym_lower::{Builder, Type};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // y = a * x + b with trainable a and b.
/// let mut g = Builder::new();
/// let x = g.input("x", Type::F64_BATCH)?;
/// let a = g.input("a", Type::F64)?;
/// let b = g.input("b", Type::F64)?;
/// let ax = g.mul(a, x)?;
/// let y = g.add(ax, b)?;
/// g.output("y", y)?;
/// let device = flex_f64()?;
/// let m = SymModule::new(&g.finish()?, &[("a", 2.0), ("b", 0.5)], &device)?;
/// let x = Tensor::<1>::from_data([1.0, 3.0], &device);
/// let y = m.forward(&[x])?.remove(0);
/// let grads = y.sum().backward();
/// let ga: f64 = m.param("a").unwrap().grad(&grads).unwrap().into_scalar();
/// assert_eq!(ga, 4.0); // d/da sum(a x + b) = sum x
/// # Ok(()) }
/// ```
#[derive(Module, Debug)]
pub struct SymModule {
    /// The trainable constants, `[1]` each, in the order given to [`SymModule::new`].
    params: Vec<Param<Tensor<1>>>,
    #[module(skip)]
    func: SymFunction,
    #[module(skip)]
    names: Vec<String>,
    /// For each graph input: `Some(k)` for parameter `k`, `None` for the next data tensor.
    #[module(skip)]
    layout: Vec<Option<usize>>,
}

impl SymModule {
    /// A module over `graph` whose inputs named in `trainable` (scalar floats) are parameters with the given
    /// initial values, on `device`.
    ///
    /// # Errors
    /// [`Error::UnknownName`] if a name is not an input; [`Error::Duplicate`] if one is given twice;
    /// [`Error::BurnType`] if it is not a scalar float; errors of [`SymFunction::new`].
    pub fn new(graph: &Graph, trainable: &[(&str, f64)], device: &Device) -> Result<Self> {
        let func = SymFunction::new(graph)?;
        let g = func.graph();
        let mut layout = vec![None; g.inputs.len()];
        let mut params = Vec::with_capacity(trainable.len());
        let mut names = Vec::with_capacity(trainable.len());
        for (k, (name, init)) in trainable.iter().enumerate() {
            let pos = g
                .inputs
                .iter()
                .position(|i| i.name == *name)
                .ok_or_else(|| Error::UnknownName { name: (*name).to_owned(), what: "graph input" })?;
            let decl = &g.inputs[pos];
            if decl.ty.shape != Shape::Scalar {
                return Err(Error::BurnType { name: decl.name.clone(), ty: decl.ty });
            }
            if layout[pos].is_some() {
                return Err(Error::Duplicate { name: (*name).to_owned() });
            }
            layout[pos] = Some(k);
            names.push((*name).to_owned());
            params.push(Param::from_tensor(eval::from_host(vec![*init], decl.ty.elem, device).require_grad()));
        }
        Ok(Self { params, func, names, layout })
    }

    /// The parameter named `name` (a `[1]` tensor), if there is one.
    #[must_use]
    pub fn param(&self, name: &str) -> Option<Tensor<1>> {
        let k = self.names.iter().position(|n| n == name)?;
        Some(self.params[k].val())
    }

    /// The parameter names, in order.
    #[must_use]
    pub fn param_names(&self) -> &[String] {
        &self.names
    }

    /// The underlying function.
    #[must_use]
    pub fn function(&self) -> &SymFunction {
        &self.func
    }

    /// Evaluates the graph with the parameters and the `data` tensors (the non-trainable inputs, in graph order)
    /// and returns its float outputs.
    ///
    /// # Errors
    /// [`Error::BurnInputCount`] if the number of data tensors is wrong; errors of [`SymFunction::call`].
    pub fn forward(&self, data: &[Tensor<1>]) -> Result<Vec<Tensor<1>>> {
        let expected = self.layout.iter().filter(|l| l.is_none()).count();
        if data.len() != expected {
            return Err(Error::BurnInputCount { expected, found: data.len() });
        }
        let mut it = data.iter();
        let mut inputs = Vec::with_capacity(self.layout.len());
        for (i, l) in self.layout.iter().enumerate() {
            inputs.push(match l {
                Some(k) => {
                    let p = self.params[*k].val();
                    check_len(&self.names[*k], i, &p, 1)?;
                    p
                }
                None => it.next().expect("counted above").clone(),
            });
        }
        self.func.call(&inputs)
    }
}
