//! The graph builder: one method per op, type checking as it goes, and hash-consing of every op (free CSE).
//!
//! Every op of the IR is pure, so two equal instructions compute equal values. The builder keeps a memo from
//! instruction to value and returns the existing value for a repeated instruction. Before the lookup, the
//! operands of commutative ops (`add`, `mul`, `eq`, `ne`, `and`, `or`) are put in increasing id order, so
//! `a + b` and `b + a` share one value (IEEE addition and multiplication are commutative bit for bit).
//!
//! ```
//! use sym_lower::{Builder, Type};
//! # fn main() -> Result<(), sym_lower::Error> {
//! let mut b = Builder::new();
//! let x = b.input("x", Type::F64_BATCH)?;
//! let x2 = b.mul(x, x)?;
//! let again = b.mul(x, x)?;
//! assert_eq!(x2, again); // hash-consed
//! let nine = b.const_f64(9.0);
//! let d = b.sub(nine, x2)?;
//! let s = b.sqrt(d)?;
//! let y = b.neg(s)?;
//! b.output("y", y)?;
//! let graph = b.finish()?;
//! assert_eq!(graph.len(), 6);
//! # Ok(()) }
//! ```

use crate::error::{Error, Invariant, Result};
use crate::graph::{Graph, InputDecl, Output};
use crate::op::{BinOp, BoolOp, CmpOp, Inst, Root, RootStart, UnOp};
use crate::root::RootOptions;
use crate::types::{Elem, ResidualId, Type, Value};
use crate::typing::{self, Ctx};
use crate::verify;
use std::collections::HashMap;

/// Builds a [`Graph`] op by op. See the module doc.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    graph: Graph,
    memo: HashMap<Inst, Value>,
    residual_memo: HashMap<Graph, ResidualId>,
}

macro_rules! unary_methods {
    ($($(#[$doc:meta])* $name:ident => $op:ident;)*) => {
        $(
            $(#[$doc])*
            ///
            /// # Errors
            /// [`Error::Build`] if the operand is not a float.
            pub fn $name(&mut self, a: Value) -> Result<Value> {
                self.unary(UnOp::$op, a)
            }
        )*
    };
}

macro_rules! binary_methods {
    ($($(#[$doc:meta])* $name:ident => $kind:ident :: $op:ident;)*) => {
        $(
            $(#[$doc])*
            ///
            /// # Errors
            /// [`Error::Build`] if the operands are not floats of one kind.
            pub fn $name(&mut self, a: Value, b: Value) -> Result<Value> {
                self.inst(binary_inst!($kind, $op, a, b))
            }
        )*
    };
}

macro_rules! binary_inst {
    (BinOp, $op:ident, $a:expr, $b:expr) => {
        Inst::Binary(BinOp::$op, $a, $b)
    };
    (CmpOp, $op:ident, $a:expr, $b:expr) => {
        Inst::Cmp(CmpOp::$op, $a, $b)
    };
}

impl Builder {
    /// An empty builder.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The type of a value built so far.
    ///
    /// # Errors
    /// [`Error::Build`] if `v` is not a value of this builder.
    pub fn ty(&self, v: Value) -> Result<Type> {
        self.graph
            .types
            .get(v.index())
            .copied()
            .ok_or(Error::Build { op: "type", invariant: Invariant::OperandOrder { operand: v } })
    }

    /// The graph built so far (not yet verified).
    #[must_use]
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    fn next_value(&self, op: &'static str) -> Result<Value> {
        u32::try_from(self.graph.insts.len())
            .map(Value::new)
            .map_err(|_| Error::Build { op, invariant: Invariant::TooManyValues })
    }

    /// Declares a new input and returns its value.
    ///
    /// # Errors
    /// [`Error::Build`] if the name is already an input.
    pub fn input(&mut self, name: &str, ty: Type) -> Result<Value> {
        if self.graph.inputs.iter().any(|i| i.name == name) {
            return Err(Error::Build { op: "input", invariant: Invariant::DuplicateName { name: name.to_owned() } });
        }
        let v = self.next_value("input")?;
        let index = u32::try_from(self.graph.inputs.len())
            .map_err(|_| Error::Build { op: "input", invariant: Invariant::TooManyValues })?;
        self.graph.inputs.push(InputDecl { name: name.to_owned(), ty });
        self.graph.insts.push(Inst::Input { index });
        self.graph.types.push(ty);
        Ok(v)
    }

    /// Appends any instruction other than `input` (type-checked and hash-consed); every op method calls this.
    ///
    /// # Errors
    /// [`Error::Build`] naming the op and the typing rule its operands break.
    pub fn inst(&mut self, inst: Inst) -> Result<Value> {
        let op = inst.opcode();
        if let Inst::Input { .. } = inst {
            return Err(Error::Unsupported { name: "input".to_owned() });
        }
        let inst = canonicalize(inst);
        if let Some(&v) = self.memo.get(&inst) {
            return Ok(v);
        }
        let cx = Ctx { insts: &self.graph.insts, types: &self.graph.types, residuals: &self.graph.residuals };
        let ty = typing::result_type(&inst, &cx).map_err(|invariant| Error::Build { op, invariant })?;
        let v = self.next_value(op)?;
        self.graph.insts.push(inst.clone());
        self.graph.types.push(ty);
        self.memo.insert(inst, v);
        Ok(v)
    }

    /// The type `inst` would have if it were built now (nothing is built).
    ///
    /// # Errors
    /// [`Error::Build`] naming the op and the typing rule its operands break.
    pub fn type_of(&self, inst: &Inst) -> Result<Type> {
        let op = inst.opcode();
        if let Inst::Input { .. } = inst {
            return Err(Error::Unsupported { name: "input".to_owned() });
        }
        let cx = Ctx { insts: &self.graph.insts, types: &self.graph.types, residuals: &self.graph.residuals };
        typing::result_type(inst, &cx).map_err(|invariant| Error::Build { op, invariant })
    }

    /// An `f64` constant.
    pub fn const_f64(&mut self, x: f64) -> Value {
        self.inst(Inst::constant(Elem::F64, x)).expect("an f64 constant is always well typed")
    }

    /// An `f32` constant.
    pub fn const_f32(&mut self, x: f32) -> Value {
        self.inst(Inst::constant(Elem::F32, f64::from(x))).expect("an f32 constant is always well typed")
    }

    /// A float constant of kind `elem`, rounded to it once (to nearest even).
    ///
    /// # Errors
    /// [`Error::Build`] if `elem` is not a float kind.
    pub fn constant(&mut self, elem: Elem, x: f64) -> Result<Value> {
        match elem {
            Elem::F64 => Ok(self.const_f64(x)),
            #[allow(clippy::cast_possible_truncation)]
            Elem::F32 => Ok(self.const_f32(x as f32)),
            Elem::Bool | Elem::Status => {
                Err(Error::Build { op: "const", invariant: Invariant::ConstantKind { value: x, elem } })
            }
        }
    }

    /// A boolean constant.
    pub fn const_bool(&mut self, b: bool) -> Value {
        self.inst(Inst::ConstBool(b)).expect("a bool constant is always well typed")
    }

    /// A unary function of a float.
    ///
    /// # Errors
    /// [`Error::Build`] if the operand is not a float.
    pub fn unary(&mut self, op: UnOp, a: Value) -> Result<Value> {
        self.inst(Inst::Unary(op, a))
    }

    /// A binary function of two floats of one kind.
    ///
    /// # Errors
    /// [`Error::Build`] if the operands are not floats of one kind.
    pub fn binary(&mut self, op: BinOp, a: Value, b: Value) -> Result<Value> {
        self.inst(Inst::Binary(op, a, b))
    }

    /// A comparison of two floats of one kind.
    ///
    /// # Errors
    /// [`Error::Build`] if the operands are not floats of one kind.
    pub fn cmp(&mut self, op: CmpOp, a: Value, b: Value) -> Result<Value> {
        self.inst(Inst::Cmp(op, a, b))
    }

    /// A function of sym-core by name (`"exp"`, `"hypot"`, ...: the names of [`UnOp::name`] and
    /// [`BinOp::name`]), for lowering.
    ///
    /// # Errors
    /// [`Error::Unsupported`] naming the function if the IR has no op of that name (`name/k` if it has one, but
    /// not of arity `k`);
    /// [`Error::Build`] if the operands do not fit.
    pub fn function(&mut self, name: &str, args: &[Value]) -> Result<Value> {
        let unary = UnOp::from_name(name);
        let binary = BinOp::from_name(name);
        match (args, unary, binary) {
            (&[a], Some(op), _) => self.unary(op, a),
            (&[a, b], _, Some(op)) => self.binary(op, a, b),
            (_, None, None) => Err(Error::Unsupported { name: name.to_owned() }),
            _ => Err(Error::Unsupported { name: format!("{name}/{}", args.len()) }),
        }
    }

    unary_methods! {
        /// `-a`.
        neg => Neg;
        /// `1/a`.
        recip => Recip;
        /// `sqrt a`.
        sqrt => Sqrt;
        /// The real cube root.
        cbrt => Cbrt;
        /// `e^a`.
        exp => Exp;
        /// `log a`.
        log => Log;
        /// `sin a`.
        sin => Sin;
        /// `cos a`.
        cos => Cos;
        /// `tan a`.
        tan => Tan;
        /// `cot a`.
        cot => Cot;
        /// `sec a`.
        sec => Sec;
        /// `csc a`.
        csc => Csc;
        /// `asin a`.
        asin => Asin;
        /// `acos a`.
        acos => Acos;
        /// `atan a`.
        atan => Atan;
        /// `acot a`.
        acot => Acot;
        /// `sinh a`.
        sinh => Sinh;
        /// `cosh a`.
        cosh => Cosh;
        /// `tanh a`.
        tanh => Tanh;
        /// `coth a`.
        coth => Coth;
        /// `asinh a`.
        asinh => Asinh;
        /// `acosh a`.
        acosh => Acosh;
        /// `atanh a`.
        atanh => Atanh;
        /// `|a|`.
        abs => Abs;
        /// `sign a`.
        sign => Sign;
        /// `W_0(a)`.
        lambertw => LambertW;
        /// `log(1 + a)`.
        log1p => Log1p;
        /// `exp(a) - 1`.
        expm1 => Expm1;
    }

    binary_methods! {
        /// `a + b`.
        add => BinOp::Add;
        /// `a - b`.
        sub => BinOp::Sub;
        /// `a * b`.
        mul => BinOp::Mul;
        /// `a / b`.
        div => BinOp::Div;
        /// `a^b` (real power).
        pow => BinOp::Pow;
        /// `sqrt(a^2 + b^2)`.
        hypot => BinOp::Hypot;
        /// `a < b`.
        lt => CmpOp::Lt;
        /// `a <= b`.
        le => CmpOp::Le;
        /// `a > b`.
        gt => CmpOp::Gt;
        /// `a >= b`.
        ge => CmpOp::Ge;
        /// `a == b`.
        eq => CmpOp::Eq;
        /// `a != b`.
        ne => CmpOp::Ne;
    }

    /// `a^k` for an integer `k`.
    ///
    /// # Errors
    /// [`Error::Build`] if `a` is not a float.
    pub fn powi(&mut self, a: Value, k: i32) -> Result<Value> {
        self.inst(Inst::Powi(a, k))
    }

    /// `a and b` for masks.
    ///
    /// # Errors
    /// [`Error::Build`] if an operand is not a `bool`.
    pub fn and(&mut self, a: Value, b: Value) -> Result<Value> {
        self.inst(Inst::Bool(BoolOp::And, a, b))
    }

    /// `a or b` for masks.
    ///
    /// # Errors
    /// [`Error::Build`] if an operand is not a `bool`.
    pub fn or(&mut self, a: Value, b: Value) -> Result<Value> {
        self.inst(Inst::Bool(BoolOp::Or, a, b))
    }

    /// `not a` for a mask.
    ///
    /// # Errors
    /// [`Error::Build`] if `a` is not a `bool`.
    pub fn not(&mut self, a: Value) -> Result<Value> {
        self.inst(Inst::Not(a))
    }

    /// `select(cond, a, b)`: `a` where `cond`, else `b`.
    ///
    /// # Errors
    /// [`Error::Build`] if `cond` is not a `bool` or `a`, `b` differ in kind.
    pub fn select(&mut self, cond: Value, a: Value, b: Value) -> Result<Value> {
        self.inst(Inst::Select(cond, a, b))
    }

    /// Converts a float to another float kind.
    ///
    /// # Errors
    /// [`Error::Build`] if `a` or `to` is not a float kind.
    pub fn cast(&mut self, a: Value, to: Elem) -> Result<Value> {
        self.inst(Inst::Cast(a, to))
    }

    /// The sum of a float batch over its lanes.
    ///
    /// # Errors
    /// [`Error::Build`] if `a` is not a float batch.
    pub fn sum(&mut self, a: Value) -> Result<Value> {
        self.inst(Inst::Sum(a))
    }

    /// Adds a residual graph `(y, p1, ..., pk) -> (F, dF/dy)` to the residual table (equal residuals share an id).
    ///
    /// # Errors
    /// [`Error::Verify`] if the graph breaks an invariant or the residual rules.
    pub fn add_residual(&mut self, residual: Graph) -> Result<ResidualId> {
        if let Some(&id) = self.residual_memo.get(&residual) {
            return Ok(id);
        }
        // Verify it as the only residual of an empty graph, which checks the residual rules too.
        let probe = Graph { residuals: vec![residual], ..Graph::default() };
        verify::verify(&probe)?;
        let residual = probe.residuals.into_iter().next().expect("just put there");
        let id = ResidualId::new(
            u32::try_from(self.graph.residuals.len())
                .map_err(|_| Error::Build { op: "root", invariant: Invariant::TooManyValues })?,
        );
        self.graph.residuals.push(residual.clone());
        self.residual_memo.insert(residual, id);
        Ok(id)
    }

    /// A root of `F(y, params) = 0` per lane, with the residual `residual` (see [`crate::root`]).
    ///
    /// # Errors
    /// [`Error::Build`] if the residual does not exist, the parameters do not match its inputs, an operand has
    /// the wrong kind, or the options are invalid.
    pub fn root(
        &mut self,
        residual: ResidualId,
        params: &[Value],
        start: RootStart,
        opts: RootOptions,
    ) -> Result<Value> {
        self.inst(Inst::Root(Box::new(Root {
            residual,
            params: params.to_vec(),
            start,
            tol_bits: opts.tol.to_bits(),
            max_iter: opts.max_iter,
        })))
    }

    /// The per-lane status of a `root` value.
    ///
    /// # Errors
    /// [`Error::Build`] if `root` is not a `root` op.
    pub fn root_status(&mut self, root: Value) -> Result<Value> {
        self.inst(Inst::RootStatus(root))
    }

    /// The mask of converged lanes of a status.
    ///
    /// # Errors
    /// [`Error::Build`] if `status` is not a status.
    pub fn converged(&mut self, status: Value) -> Result<Value> {
        self.inst(Inst::Converged(status))
    }

    /// Declares a named output.
    ///
    /// # Errors
    /// [`Error::Build`] if the name is already an output or the value does not exist.
    pub fn output(&mut self, name: &str, value: Value) -> Result<()> {
        if self.graph.outputs.iter().any(|o| o.name == name) {
            return Err(Error::Build { op: "output", invariant: Invariant::DuplicateName { name: name.to_owned() } });
        }
        self.ty(value)?;
        self.graph.outputs.push(Output { name: name.to_owned(), value });
        Ok(())
    }

    /// Copies the instructions of `graph` into this builder with its inputs bound to `args`, and returns the values
    /// of its outputs. Its residuals join this builder's table. Shapes are recomputed, so a batch input may be
    /// bound to a scalar.
    ///
    /// # Errors
    /// [`Error::Verify`] if `graph` is invalid; [`Error::InputCount`] if `args` has the wrong length;
    /// [`Error::Build`] if an argument's kind differs from its input's.
    pub fn inline(&mut self, graph: &Graph, args: &[Value]) -> Result<Vec<Value>> {
        verify::verify(graph)?;
        if args.len() != graph.inputs.len() {
            return Err(Error::InputCount { expected: graph.inputs.len(), found: args.len() });
        }
        for (decl, &a) in graph.inputs.iter().zip(args) {
            let t = self.ty(a)?;
            if t.elem != decl.ty.elem {
                return Err(Error::Build { op: "inline", invariant: Invariant::ElemMismatch { lhs: decl.ty, rhs: t } });
            }
        }
        let mut res_map = Vec::with_capacity(graph.residuals.len());
        for r in &graph.residuals {
            res_map.push(self.add_residual(r.clone())?);
        }
        let mut map: Vec<Value> = Vec::with_capacity(graph.len());
        for inst in &graph.insts {
            let v = match inst {
                Inst::Input { index } => args[*index as usize],
                Inst::Root(r) => {
                    let mut r2 = (**r).clone();
                    r2.residual = res_map[r.residual.index()];
                    self.inst(Inst::Root(Box::new(r2)).map_operands(|o| map[o.index()]))?
                }
                _ => self.inst(inst.map_operands(|o| map[o.index()]))?,
            };
            map.push(v);
        }
        Ok(graph.outputs.iter().map(|o| map[o.value.index()]).collect())
    }

    /// Finishes the graph and verifies it.
    ///
    /// # Errors
    /// [`Error::Verify`] if it breaks an invariant (a builder only makes well-typed ops, so this is a safety net).
    pub fn finish(self) -> Result<Graph> {
        verify::verify(&self.graph)?;
        Ok(self.graph)
    }
}

/// Puts the operands of commutative ops in increasing id order.
fn canonicalize(inst: Inst) -> Inst {
    let sorted = |a: Value, b: Value| if b < a { (b, a) } else { (a, b) };
    match inst {
        Inst::Binary(op, a, b) if op.is_commutative() => {
            let (a, b) = sorted(a, b);
            Inst::Binary(op, a, b)
        }
        Inst::Cmp(op @ (CmpOp::Eq | CmpOp::Ne), a, b) => {
            let (a, b) = sorted(a, b);
            Inst::Cmp(op, a, b)
        }
        Inst::Bool(op, a, b) => {
            let (a, b) = sorted(a, b);
            Inst::Bool(op, a, b)
        }
        other => other,
    }
}
