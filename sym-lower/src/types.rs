//! Value ids and value types of the tensor IR: element kinds and the batch shape.
//!
//! Every value of a graph is a tensor of one of two shapes:
//! a *scalar* (one element, broadcast against every lane) or a *batch* (one element per lane, `n` lanes,
//! where `n` is fixed per execution and shared by every batch value of the graph).
//! An elementwise op on a scalar and a batch operand broadcasts the scalar; its result is a batch.
//! Reductions ([`crate::Inst::Sum`]) turn a batch into a scalar.

use std::fmt;

/// The id of a value in a [`crate::Graph`]: the index of the instruction that defines it.
///
/// Ids are dense and ordered: an instruction only uses values with smaller ids (SSA, operands before results).
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Value(u32);

impl Value {
    /// The value with the given index.
    #[must_use]
    pub const fn new(index: u32) -> Self {
        Self(index)
    }

    /// The index of this value (the position of its defining instruction).
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// The raw `u32` id.
    #[must_use]
    pub const fn as_u32(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "%{}", self.0)
    }
}

/// The id of a residual function in a graph's residual table (see [`crate::Graph::residual`]).
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct ResidualId(u32);

impl ResidualId {
    /// The residual with the given index.
    #[must_use]
    pub const fn new(index: u32) -> Self {
        Self(index)
    }

    /// The index of this residual in the table.
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for ResidualId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@{}", self.0)
    }
}

/// The element kind of a tensor.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Elem {
    /// IEEE 754 binary64.
    F64,
    /// IEEE 754 binary32.
    F32,
    /// A boolean mask element (results of comparisons, inputs of `select`).
    Bool,
    /// A root-finding status ([`crate::RootStatus`]), produced by `root_status`.
    Status,
}

impl Elem {
    /// Whether this is a floating-point kind.
    #[must_use]
    pub const fn is_float(self) -> bool {
        matches!(self, Self::F64 | Self::F32)
    }

    /// The name used in the text form.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::F64 => "f64",
            Self::F32 => "f32",
            Self::Bool => "bool",
            Self::Status => "status",
        }
    }

    /// The element kind with the given text-form name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "f64" => Self::F64,
            "f32" => Self::F32,
            "bool" => Self::Bool,
            "status" => Self::Status,
            _ => return None,
        })
    }
}

/// The shape of a tensor: one element broadcast to every lane, or one element per lane.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Shape {
    /// One element, broadcast against batches.
    Scalar,
    /// One element per lane of the batch.
    Batch,
}

impl Shape {
    /// The broadcast of two shapes: a batch if either is a batch.
    #[must_use]
    pub const fn join(self, other: Self) -> Self {
        match (self, other) {
            (Self::Scalar, Self::Scalar) => Self::Scalar,
            _ => Self::Batch,
        }
    }
}

/// The type of a value: an element kind and a shape.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct Type {
    /// The element kind.
    pub elem: Elem,
    /// The shape.
    pub shape: Shape,
}

impl Type {
    /// A scalar of the given kind.
    #[must_use]
    pub const fn scalar(elem: Elem) -> Self {
        Self { elem, shape: Shape::Scalar }
    }

    /// A batch of the given kind.
    #[must_use]
    pub const fn batch(elem: Elem) -> Self {
        Self { elem, shape: Shape::Batch }
    }

    /// A scalar `f64`.
    pub const F64: Self = Self::scalar(Elem::F64);
    /// A batch of `f64`.
    pub const F64_BATCH: Self = Self::batch(Elem::F64);
    /// A scalar `f32`.
    pub const F32: Self = Self::scalar(Elem::F32);
    /// A batch of `f32`.
    pub const F32_BATCH: Self = Self::batch(Elem::F32);

    /// The same shape with another element kind.
    #[must_use]
    pub const fn with_elem(self, elem: Elem) -> Self {
        Self { elem, shape: self.shape }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.shape {
            Shape::Scalar => f.write_str(self.elem.name()),
            Shape::Batch => write!(f, "{}[n]", self.elem.name()),
        }
    }
}
