//! The verifier: checks every invariant of a graph and names the op that breaks one.
//!
//! Passes, the interpreter and the executor verify their input first, so a graph that breaks an invariant is
//! reported ([`crate::Error::Verify`]) and never executed; passes also verify their output in debug builds.
//!
//! # Invariants checked
//!
//! For the graph and each residual graph (in that order; the first failure is reported):
//!
//! 1. **Type table.** There is one recorded type per instruction ([`Invariant::TypeTableLength`]), and fewer
//!    than `2^32` values ([`Invariant::TooManyValues`]).
//! 2. **SSA order.** Every operand of instruction `i` is a value `j < i` ([`Invariant::OperandOrder`]).
//! 3. **Inputs.** The `input` ops define inputs `0, 1, ..., k-1` in this order, each exactly once
//!    ([`Invariant::InputIndex`], [`Invariant::InputOrder`], [`Invariant::MissingInput`]); an input op's
//!    recorded type is its declared type ([`Invariant::ResultType`]). Input names are unique and so are output
//!    names ([`Invariant::DuplicateName`]).
//! 4. **Typing.** Each op's operands have the kinds and shapes its typing rule accepts (see the table in the
//!    `typing` module: floats of one kind for arithmetic, `bool` masks for `select` conditions, a `root` value for
//!    `root_status`, ...) ([`Invariant::OperandType`], [`Invariant::ElemMismatch`], [`Invariant::NotARoot`]),
//!    and the recorded type is the type the rule computes ([`Invariant::ResultType`]).
//! 5. **Constants.** A float constant has a float kind, and an `f32` constant is exactly an `f32`
//!    ([`Invariant::ConstantKind`]).
//! 6. **Roots.** A `root` op names an existing residual ([`Invariant::UnknownResidual`]) whose signature is
//!    `(y, p1, ..., pk) -> (F, dF/dy)`, all batches of one float kind ([`Invariant::ResidualSignature`]), passes
//!    `k` parameters ([`Invariant::RootArity`]) of that kind, and has a positive finite tolerance and a positive
//!    iteration limit ([`Invariant::RootOptions`]).
//! 7. **Residuals.** A residual graph contains no `root`, `root_status`, `converged`, `sum` or `cast`
//!    ([`Invariant::NotInResidual`]), every float value in it has the unknown's kind
//!    ([`Invariant::ElemMismatch`]), and it has no residual table of its own ([`Invariant::ResidualSignature`]).
//! 8. **Outputs.** Every output refers to a defined value ([`Invariant::OutputValue`]).
//!
//! Verification is linear in the size of the graph.

use crate::error::{Invariant, Location, VerifyError};
use crate::graph::Graph;
use crate::op::Inst;
use crate::types::{ResidualId, Type, Value};
use crate::typing::{self, Ctx};
use std::collections::HashSet;

/// Checks every invariant of `graph` and its residuals (see the module doc).
///
/// # Errors
/// The first violation found, naming the op and the invariant.
pub fn verify(graph: &Graph) -> Result<(), VerifyError> {
    verify_one(graph, Location::Graph, &graph.residuals)?;
    for (k, res) in graph.residuals.iter().enumerate() {
        let id = ResidualId::new(u32::try_from(k).unwrap_or(u32::MAX));
        let loc = Location::Residual(id);
        let err = |invariant| VerifyError { location: loc, value: None, op: "graph", invariant };
        typing::check_residual_signature(res).map_err(err)?;
        verify_one(res, loc, &[])?;
        let elem = res.inputs[0].ty.elem;
        for (i, (inst, ty)) in res.insts.iter().zip(&res.types).enumerate() {
            let value = Some(Value::new(u32::try_from(i).unwrap_or(u32::MAX)));
            if !typing::allowed_in_residual(inst) {
                let invariant = Invariant::NotInResidual { op: inst.opcode() };
                return Err(VerifyError { location: loc, value, op: inst.opcode(), invariant });
            }
            if ty.elem.is_float() && ty.elem != elem {
                let invariant = Invariant::ElemMismatch { lhs: Type::batch(elem), rhs: *ty };
                return Err(VerifyError { location: loc, value, op: inst.opcode(), invariant });
            }
        }
    }
    Ok(())
}

fn verify_one(g: &Graph, location: Location, residuals: &[Graph]) -> Result<(), VerifyError> {
    let graph_err = |op, invariant| VerifyError { location, value: None, op, invariant };
    if g.types.len() != g.insts.len() {
        return Err(graph_err("graph", Invariant::TypeTableLength { types: g.types.len(), insts: g.insts.len() }));
    }
    if u32::try_from(g.insts.len()).is_err() {
        return Err(graph_err("graph", Invariant::TooManyValues));
    }
    check_unique(g.inputs.iter().map(|i| i.name.as_str())).map_err(|i| graph_err("input", i))?;
    check_unique(g.outputs.iter().map(|o| o.name.as_str())).map_err(|i| graph_err("output", i))?;

    let mut next_input = 0_u32;
    for (i, inst) in g.insts.iter().enumerate() {
        let value = Value::new(u32::try_from(i).unwrap_or(u32::MAX));
        let err = |invariant| VerifyError { location, value: Some(value), op: inst.opcode(), invariant };
        let mut bad_operand = None;
        inst.for_each_operand(|v| {
            if v >= value && bad_operand.is_none() {
                bad_operand = Some(v);
            }
        });
        if let Some(operand) = bad_operand {
            return Err(err(Invariant::OperandOrder { operand }));
        }
        let computed = if let Inst::Input { index } = inst {
            let Some(decl) = g.inputs.get(*index as usize) else {
                return Err(err(Invariant::InputIndex { index: *index, count: g.inputs.len() }));
            };
            if *index != next_input {
                return Err(err(Invariant::InputOrder { index: *index, expected: next_input }));
            }
            next_input += 1;
            decl.ty
        } else {
            let cx = Ctx { insts: &g.insts[..i], types: &g.types[..i], residuals };
            typing::result_type(inst, &cx).map_err(err)?
        };
        if g.types[i] != computed {
            return Err(err(Invariant::ResultType { recorded: g.types[i], computed }));
        }
    }
    if (next_input as usize) < g.inputs.len() {
        return Err(graph_err("input", Invariant::MissingInput { index: next_input as usize }));
    }
    for o in &g.outputs {
        if o.value.index() >= g.insts.len() {
            return Err(graph_err("output", Invariant::OutputValue { name: o.name.clone(), value: o.value }));
        }
    }
    Ok(())
}

fn check_unique<'a>(names: impl Iterator<Item = &'a str>) -> Result<(), Invariant> {
    let mut seen = HashSet::new();
    for n in names {
        if !seen.insert(n) {
            return Err(Invariant::DuplicateName { name: n.to_owned() });
        }
    }
    Ok(())
}

/// Verifies `graph` in debug builds only (Cranelift's `verify_if` habit): passes call this on their output.
///
/// # Errors
/// In debug builds, the first violation found; in release builds, never.
pub fn verify_if_debug(graph: &Graph) -> Result<(), VerifyError> {
    if cfg!(debug_assertions) { verify(graph) } else { Ok(()) }
}
