//! The graph: a pure SSA dataflow program over batched tensors, with named inputs, named outputs and a table of
//! residual graphs for `root` ops.
//!
//! A graph is a list of instructions; instruction `i` defines value `%i`, and its operands are values `%j` with
//! `j < i` (operands before results, as in egg's `RecExpr`). There is one region and no control flow:
//! conditionals are `select`s of computed values. Every op is pure, so equal instructions compute equal values
//! and may be shared (the [`crate::Builder`] hash-conses them).
//!
//! A *residual* graph describes `F(y, params)` for a `root` op: its inputs are `y` then the parameters, and its
//! two outputs are `F` and `dF/dy`. It is an ordinary graph, so it can be printed, verified, interpreted,
//! differentiated (sym-grad's implicit function theorem needs `dF/dparams`) and inlined into another graph
//! ([`crate::Builder::inline`]). The invariants a graph must meet are listed in [`crate::verify`].

use crate::op::Inst;
use crate::types::{ResidualId, Type, Value};

/// A named, typed graph input.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct InputDecl {
    /// The name (unique among the graph's inputs).
    pub name: String,
    /// The type.
    pub ty: Type,
}

/// A named graph output.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Output {
    /// The name (unique among the graph's outputs).
    pub name: String,
    /// The value.
    pub value: Value,
}

/// A tensor IR graph. Build one with [`crate::Builder`], or parse its text form with [`crate::parse`].
///
/// The fields are public so that passes and tests can construct any graph, valid or not;
/// [`crate::verify::verify`] checks the invariants, and every consumer (passes, interpreter, executor) verifies
/// before it reads a graph.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct Graph {
    /// The instructions; instruction `i` defines value `%i`.
    pub insts: Vec<Inst>,
    /// The type of each value (parallel to `insts`).
    pub types: Vec<Type>,
    /// The inputs, in order; input `k` is defined by the one `Input { index: k }` instruction.
    pub inputs: Vec<InputDecl>,
    /// The outputs, in order.
    pub outputs: Vec<Output>,
    /// The residual graphs referred to by `root` ops.
    pub residuals: Vec<Graph>,
}

impl Graph {
    /// The number of values (instructions).
    #[must_use]
    pub fn len(&self) -> usize {
        self.insts.len()
    }

    /// Whether the graph has no instructions.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.insts.is_empty()
    }

    /// The instruction that defines `v`.
    ///
    /// # Panics
    /// If `v` is not a value of this graph.
    #[must_use]
    pub fn inst(&self, v: Value) -> &Inst {
        &self.insts[v.index()]
    }

    /// The type of `v`.
    ///
    /// # Panics
    /// If `v` is not a value of this graph.
    #[must_use]
    pub fn ty(&self, v: Value) -> Type {
        self.types[v.index()]
    }

    /// The residual graph `id`.
    ///
    /// # Panics
    /// If `id` is not in the residual table.
    #[must_use]
    pub fn residual(&self, id: ResidualId) -> &Self {
        &self.residuals[id.index()]
    }

    /// The values in definition order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = Value> + ExactSizeIterator + use<> {
        (0..u32::try_from(self.insts.len()).unwrap_or(u32::MAX)).map(Value::new)
    }

    /// The value that defines input `index`, if there is one.
    #[must_use]
    pub fn input_value(&self, index: usize) -> Option<Value> {
        self.insts
            .iter()
            .position(|i| matches!(i, Inst::Input { index: k } if *k as usize == index))
            .map(|p| Value::new(u32::try_from(p).unwrap_or(u32::MAX)))
    }

    /// The output with the given name, if there is one.
    #[must_use]
    pub fn output(&self, name: &str) -> Option<Value> {
        self.outputs.iter().find(|o| o.name == name).map(|o| o.value)
    }

    /// For each value, how many operand slots and outputs use it.
    #[must_use]
    pub fn use_counts(&self) -> Vec<u32> {
        let mut uses = vec![0_u32; self.insts.len()];
        for inst in &self.insts {
            inst.for_each_operand(|v| {
                if let Some(u) = uses.get_mut(v.index()) {
                    *u += 1;
                }
            });
        }
        for o in &self.outputs {
            if let Some(u) = uses.get_mut(o.value.index()) {
                *u += 1;
            }
        }
        uses
    }
}

impl std::fmt::Display for Graph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::print(self))
    }
}
