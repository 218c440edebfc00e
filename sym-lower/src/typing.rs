//! The typing rules of the IR: the result type of each op from its operands' types, shared by the builder
//! (which computes types) and the verifier (which checks recorded types).
//!
//! | op | operands | result |
//! |---|---|---|
//! | `const` | none | scalar of its kind (`f64`, `f32` or `bool`) |
//! | unary, `powi` | float `T` | `T` |
//! | binary | floats of one kind | that kind, broadcast shape |
//! | comparison | floats of one kind | `bool`, broadcast shape |
//! | `and`, `or`, `not` | `bool` | `bool`, broadcast shape |
//! | `select c, a, b` | `bool`, then `a`, `b` of one kind | that kind, broadcast of the three shapes |
//! | `cast` | float | the target float kind, same shape |
//! | `sum` | float batch | float scalar |
//! | `root` | floats of the residual's kind | that kind, broadcast of all operand shapes |
//! | `root_status` | a `root` value | `status`, same shape |
//! | `converged` | `status` | `bool`, same shape |
//!
//! A residual graph (for `root`) has inputs `y, p1, ..., pk` that are all batches of one float kind `T`, exactly
//! two outputs (`F` and `dF/dy`) of kind `T`, no residual table of its own, and none of the ops `root`,
//! `root_status`, `converged`, `sum`, `cast`; every float value in it has kind `T`.

use crate::error::Invariant;
use crate::graph::Graph;
use crate::op::Inst;
use crate::types::{Elem, Shape, Type, Value};

/// What the typing rules need to know about the values defined so far.
pub(crate) struct Ctx<'a> {
    /// The instructions defined so far.
    pub insts: &'a [Inst],
    /// Their types.
    pub types: &'a [Type],
    /// The residual table of the graph.
    pub residuals: &'a [Graph],
}

impl Ctx<'_> {
    fn ty(&self, v: Value) -> Result<Type, Invariant> {
        self.types.get(v.index()).copied().ok_or(Invariant::OperandOrder { operand: v })
    }

    fn float(&self, v: Value) -> Result<Type, Invariant> {
        let t = self.ty(v)?;
        if t.elem.is_float() {
            Ok(t)
        } else {
            Err(Invariant::OperandType { operand: v, expected: "a float", found: t })
        }
    }

    fn boolean(&self, v: Value) -> Result<Type, Invariant> {
        let t = self.ty(v)?;
        if t.elem == Elem::Bool {
            Ok(t)
        } else {
            Err(Invariant::OperandType { operand: v, expected: "a bool", found: t })
        }
    }

    fn same_float(&self, a: Value, b: Value) -> Result<Type, Invariant> {
        let (ta, tb) = (self.float(a)?, self.float(b)?);
        if ta.elem == tb.elem {
            Ok(Type { elem: ta.elem, shape: ta.shape.join(tb.shape) })
        } else {
            Err(Invariant::ElemMismatch { lhs: ta, rhs: tb })
        }
    }
}

/// The result type of `inst` (not an `input`, whose type is declared) given the values defined before it.
pub(crate) fn result_type(inst: &Inst, cx: &Ctx<'_>) -> Result<Type, Invariant> {
    Ok(match inst {
        Inst::Input { .. } => unreachable!("input types are declared, not computed"),
        Inst::Const { elem, bits } => {
            let value = f64::from_bits(*bits);
            let exact = match elem {
                Elem::F64 => true,
                #[allow(clippy::cast_possible_truncation)]
                Elem::F32 => value.is_nan() || f64::from(value as f32).to_bits() == *bits,
                Elem::Bool | Elem::Status => false,
            };
            if !exact {
                return Err(Invariant::ConstantKind { value, elem: *elem });
            }
            Type::scalar(*elem)
        }
        Inst::ConstBool(_) => Type::scalar(Elem::Bool),
        Inst::Unary(_, a) | Inst::Powi(a, _) => cx.float(*a)?,
        Inst::Binary(_, a, b) => cx.same_float(*a, *b)?,
        Inst::Cmp(_, a, b) => cx.same_float(*a, *b)?.with_elem(Elem::Bool),
        Inst::Bool(_, a, b) => {
            let (ta, tb) = (cx.boolean(*a)?, cx.boolean(*b)?);
            Type { elem: Elem::Bool, shape: ta.shape.join(tb.shape) }
        }
        Inst::Not(a) => cx.boolean(*a)?,
        Inst::Select(c, a, b) => {
            let tc = cx.boolean(*c)?;
            let (ta, tb) = (cx.ty(*a)?, cx.ty(*b)?);
            if ta.elem != tb.elem {
                return Err(Invariant::ElemMismatch { lhs: ta, rhs: tb });
            }
            Type { elem: ta.elem, shape: tc.shape.join(ta.shape).join(tb.shape) }
        }
        Inst::Cast(a, to) => {
            let ta = cx.float(*a)?;
            if !to.is_float() {
                return Err(Invariant::OperandType { operand: *a, expected: "a cast to a float kind", found: ta });
            }
            ta.with_elem(*to)
        }
        Inst::Sum(a) => {
            let ta = cx.float(*a)?;
            if ta.shape != Shape::Batch {
                return Err(Invariant::OperandType { operand: *a, expected: "a float batch", found: ta });
            }
            Type::scalar(ta.elem)
        }
        Inst::Root(r) => {
            let Some(res) = cx.residuals.get(r.residual.index()) else {
                return Err(Invariant::UnknownResidual { id: r.residual, count: cx.residuals.len() });
            };
            check_residual_signature(res)?;
            if res.inputs.len() != r.params.len() + 1 {
                return Err(Invariant::RootArity {
                    id: r.residual,
                    expected: res.inputs.len() - 1,
                    found: r.params.len(),
                });
            }
            let tol = r.tol();
            if !(tol.is_finite() && tol > 0.0) || r.max_iter == 0 {
                return Err(Invariant::RootOptions { tol, max_iter: r.max_iter });
            }
            let elem = res.inputs[0].ty.elem;
            let mut shape = Shape::Scalar;
            let mut err = None;
            inst.for_each_operand(|v| {
                if err.is_some() {
                    return;
                }
                match cx.float(v) {
                    Ok(t) if t.elem == elem => shape = shape.join(t.shape),
                    Ok(t) => err = Some(Invariant::ElemMismatch { lhs: Type::batch(elem), rhs: t }),
                    Err(e) => err = Some(e),
                }
            });
            if let Some(e) = err {
                return Err(e);
            }
            Type { elem, shape }
        }
        Inst::RootStatus(a) => {
            let ta = cx.ty(*a)?;
            if !matches!(cx.insts.get(a.index()), Some(Inst::Root(_))) {
                return Err(Invariant::NotARoot { operand: *a });
            }
            ta.with_elem(Elem::Status)
        }
        Inst::Converged(a) => {
            let ta = cx.ty(*a)?;
            if ta.elem != Elem::Status {
                return Err(Invariant::OperandType { operand: *a, expected: "a status", found: ta });
            }
            ta.with_elem(Elem::Bool)
        }
    })
}

/// Checks the signature part of the residual rules (inputs, outputs, no nested table); the op restrictions
/// inside the residual are checked by the verifier when it walks the residual.
pub(crate) fn check_residual_signature(res: &Graph) -> Result<(), Invariant> {
    let bad = |problem| Err(Invariant::ResidualSignature { problem });
    let Some(first) = res.inputs.first() else {
        return bad("a residual needs the unknown y as its first input");
    };
    let elem = first.ty.elem;
    if !elem.is_float() {
        return bad("the unknown y must be a float");
    }
    if res.inputs.iter().any(|i| i.ty != Type::batch(elem)) {
        return bad("every residual input must be a batch of the unknown's float kind");
    }
    if res.outputs.len() != 2 {
        return bad("a residual has exactly two outputs, F and dF/dy");
    }
    for o in &res.outputs {
        match res.types.get(o.value.index()) {
            Some(t) if t.elem == elem => {}
            Some(_) => return bad("F and dF/dy must have the unknown's float kind"),
            None => return bad("an output refers to an undefined value"),
        }
    }
    if !res.residuals.is_empty() {
        return bad("a residual graph has no residual table of its own");
    }
    Ok(())
}

/// Whether an op may appear in a residual graph.
pub(crate) fn allowed_in_residual(inst: &Inst) -> bool {
    !matches!(inst, Inst::Root(_) | Inst::RootStatus(_) | Inst::Converged(_) | Inst::Sum(_) | Inst::Cast(..))
}
