//! Host tensors: the `ndarray` arrays that graphs read and write.
//!
//! A scalar is a 0-dimensional array and a batch a 1-dimensional array of `n` lanes; every batch of one call
//! has the same `n`. Inputs are borrowed views ([`TensorRef`]), caller-provided output buffers are mutable views
//! ([`TensorMut`]), and freshly allocated results are owned arrays ([`Tensor`]).

use crate::error::{Error, Result, TensorProblem};
use crate::graph::Graph;
use crate::root::RootStatus;
use crate::types::{Elem, Shape, Type};
use ndarray::{Array0, Array1, ArrayD, ArrayView1, ArrayViewD, ArrayViewMut1, ArrayViewMutD, IxDyn};

/// A borrowed input tensor.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum TensorRef<'a> {
    /// `f64` elements.
    F64(ArrayViewD<'a, f64>),
    /// `f32` elements.
    F32(ArrayViewD<'a, f32>),
    /// Mask elements.
    Bool(ArrayViewD<'a, bool>),
    /// Root statuses.
    Status(ArrayViewD<'a, RootStatus>),
}

/// A caller-provided output buffer.
#[derive(Debug)]
#[non_exhaustive]
pub enum TensorMut<'a> {
    /// `f64` elements.
    F64(ArrayViewMutD<'a, f64>),
    /// `f32` elements.
    F32(ArrayViewMutD<'a, f32>),
    /// Mask elements.
    Bool(ArrayViewMutD<'a, bool>),
    /// Root statuses.
    Status(ArrayViewMutD<'a, RootStatus>),
}

/// An owned tensor (a result).
#[derive(Clone, PartialEq, Debug)]
#[non_exhaustive]
pub enum Tensor {
    /// `f64` elements.
    F64(ArrayD<f64>),
    /// `f32` elements.
    F32(ArrayD<f32>),
    /// Mask elements.
    Bool(ArrayD<bool>),
    /// Root statuses.
    Status(ArrayD<RootStatus>),
}

macro_rules! dispatch {
    ($self:expr, $t:ident => $e:expr) => {
        match $self {
            Self::F64($t) => $e,
            Self::F32($t) => $e,
            Self::Bool($t) => $e,
            Self::Status($t) => $e,
        }
    };
}

impl TensorRef<'_> {
    /// The element kind.
    #[must_use]
    pub const fn elem(&self) -> Elem {
        match self {
            Self::F64(_) => Elem::F64,
            Self::F32(_) => Elem::F32,
            Self::Bool(_) => Elem::Bool,
            Self::Status(_) => Elem::Status,
        }
    }

    /// The shape (sizes of the dimensions).
    #[must_use]
    pub fn shape(&self) -> &[usize] {
        dispatch!(self, a => a.shape())
    }
}

impl TensorMut<'_> {
    /// The element kind.
    #[must_use]
    pub const fn elem(&self) -> Elem {
        match self {
            Self::F64(_) => Elem::F64,
            Self::F32(_) => Elem::F32,
            Self::Bool(_) => Elem::Bool,
            Self::Status(_) => Elem::Status,
        }
    }

    /// The shape (sizes of the dimensions).
    #[must_use]
    pub fn shape(&self) -> &[usize] {
        dispatch!(self, a => a.shape())
    }
}

impl Tensor {
    /// The element kind.
    #[must_use]
    pub const fn elem(&self) -> Elem {
        match self {
            Self::F64(_) => Elem::F64,
            Self::F32(_) => Elem::F32,
            Self::Bool(_) => Elem::Bool,
            Self::Status(_) => Elem::Status,
        }
    }

    /// The shape (sizes of the dimensions).
    #[must_use]
    pub fn shape(&self) -> &[usize] {
        dispatch!(self, a => a.shape())
    }

    /// A borrowed view.
    #[must_use]
    pub fn view(&self) -> TensorRef<'_> {
        match self {
            Self::F64(a) => TensorRef::F64(a.view()),
            Self::F32(a) => TensorRef::F32(a.view()),
            Self::Bool(a) => TensorRef::Bool(a.view()),
            Self::Status(a) => TensorRef::Status(a.view()),
        }
    }

    /// A mutable view (to use as an output buffer).
    #[must_use]
    pub fn view_mut(&mut self) -> TensorMut<'_> {
        match self {
            Self::F64(a) => TensorMut::F64(a.view_mut()),
            Self::F32(a) => TensorMut::F32(a.view_mut()),
            Self::Bool(a) => TensorMut::Bool(a.view_mut()),
            Self::Status(a) => TensorMut::Status(a.view_mut()),
        }
    }

    /// A zero-filled tensor of the given type (`n` lanes for a batch).
    #[must_use]
    pub fn zeros(ty: Type, n: usize) -> Self {
        let dim = match ty.shape {
            Shape::Scalar => IxDyn(&[]),
            Shape::Batch => IxDyn(&[n]),
        };
        match ty.elem {
            Elem::F64 => Self::F64(ArrayD::zeros(dim)),
            Elem::F32 => Self::F32(ArrayD::zeros(dim)),
            Elem::Bool => Self::Bool(ArrayD::from_elem(dim, false)),
            Elem::Status => Self::Status(ArrayD::from_elem(dim, RootStatus::Converged)),
        }
    }

    /// The `f64` array, if this is one.
    #[must_use]
    pub const fn as_f64(&self) -> Option<&ArrayD<f64>> {
        if let Self::F64(a) = self { Some(a) } else { None }
    }

    /// The `f32` array, if this is one.
    #[must_use]
    pub const fn as_f32(&self) -> Option<&ArrayD<f32>> {
        if let Self::F32(a) = self { Some(a) } else { None }
    }

    /// The mask array, if this is one.
    #[must_use]
    pub const fn as_bool(&self) -> Option<&ArrayD<bool>> {
        if let Self::Bool(a) = self { Some(a) } else { None }
    }

    /// The status array, if this is one.
    #[must_use]
    pub const fn as_status(&self) -> Option<&ArrayD<RootStatus>> {
        if let Self::Status(a) = self { Some(a) } else { None }
    }
}

macro_rules! conversions {
    ($t:ty, $variant:ident) => {
        impl<'a> From<ArrayView1<'a, $t>> for TensorRef<'a> {
            fn from(a: ArrayView1<'a, $t>) -> Self {
                Self::$variant(a.into_dyn())
            }
        }
        impl<'a> From<ArrayViewD<'a, $t>> for TensorRef<'a> {
            fn from(a: ArrayViewD<'a, $t>) -> Self {
                Self::$variant(a)
            }
        }
        impl<'a> From<&'a Array1<$t>> for TensorRef<'a> {
            fn from(a: &'a Array1<$t>) -> Self {
                Self::$variant(a.view().into_dyn())
            }
        }
        impl<'a> From<&'a Array0<$t>> for TensorRef<'a> {
            fn from(a: &'a Array0<$t>) -> Self {
                Self::$variant(a.view().into_dyn())
            }
        }
        impl<'a> From<&'a ArrayD<$t>> for TensorRef<'a> {
            fn from(a: &'a ArrayD<$t>) -> Self {
                Self::$variant(a.view())
            }
        }
        impl<'a> From<ArrayViewMut1<'a, $t>> for TensorMut<'a> {
            fn from(a: ArrayViewMut1<'a, $t>) -> Self {
                Self::$variant(a.into_dyn())
            }
        }
        impl<'a> From<ArrayViewMutD<'a, $t>> for TensorMut<'a> {
            fn from(a: ArrayViewMutD<'a, $t>) -> Self {
                Self::$variant(a)
            }
        }
        impl<'a> From<&'a mut Array1<$t>> for TensorMut<'a> {
            fn from(a: &'a mut Array1<$t>) -> Self {
                Self::$variant(a.view_mut().into_dyn())
            }
        }
        impl<'a> From<&'a mut Array0<$t>> for TensorMut<'a> {
            fn from(a: &'a mut Array0<$t>) -> Self {
                Self::$variant(a.view_mut().into_dyn())
            }
        }
        impl<'a> From<&'a mut ArrayD<$t>> for TensorMut<'a> {
            fn from(a: &'a mut ArrayD<$t>) -> Self {
                Self::$variant(a.view_mut())
            }
        }
        impl From<ArrayD<$t>> for Tensor {
            fn from(a: ArrayD<$t>) -> Self {
                Self::$variant(a)
            }
        }
        impl From<Array1<$t>> for Tensor {
            fn from(a: Array1<$t>) -> Self {
                Self::$variant(a.into_dyn())
            }
        }
        impl From<$t> for Tensor {
            fn from(x: $t) -> Self {
                Self::$variant(Array0::from_elem((), x).into_dyn())
            }
        }
    };
}

conversions!(f64, F64);
conversions!(f32, F32);
conversions!(bool, Bool);
conversions!(RootStatus, Status);

fn check_one(ty: Type, elem: Elem, shape: &[usize], n: &mut Option<usize>) -> Result<(), TensorProblem> {
    if elem != ty.elem {
        return Err(TensorProblem::Elem { expected: ty.elem, found: elem });
    }
    let want = match ty.shape {
        Shape::Scalar => 0,
        Shape::Batch => 1,
    };
    if shape.len() != want {
        return Err(TensorProblem::Rank { expected: ty.shape, found: shape.len() });
    }
    if let [len] = *shape {
        match *n {
            Some(expected) if expected != len => {
                return Err(TensorProblem::Length { expected, found: len });
            }
            _ => *n = Some(len),
        }
    }
    Ok(())
}

/// Checks input tensors against a graph's declarations and returns the batch length (`None` if no input is a
/// batch, in which case every value of the graph is a scalar).
pub(crate) fn check_inputs(graph: &Graph, inputs: &[TensorRef<'_>]) -> Result<Option<usize>> {
    if inputs.len() != graph.inputs.len() {
        return Err(Error::InputCount { expected: graph.inputs.len(), found: inputs.len() });
    }
    let mut n = None;
    for (index, (decl, t)) in graph.inputs.iter().zip(inputs).enumerate() {
        check_one(decl.ty, t.elem(), t.shape(), &mut n).map_err(|problem| Error::Input {
            index,
            name: decl.name.clone(),
            problem,
        })?;
    }
    Ok(n)
}

/// Checks output buffers against a graph's outputs for batch length `n`.
pub(crate) fn check_outputs(graph: &Graph, outputs: &[TensorMut<'_>], n: usize) -> Result<()> {
    if outputs.len() != graph.outputs.len() {
        return Err(Error::OutputCount { expected: graph.outputs.len(), found: outputs.len() });
    }
    for (index, (o, t)) in graph.outputs.iter().zip(outputs).enumerate() {
        let mut len = Some(n);
        check_one(graph.ty(o.value), t.elem(), t.shape(), &mut len).map_err(|problem| Error::Output {
            index,
            name: o.name.clone(),
            problem,
        })?;
    }
    Ok(())
}
