//! Lowering: sym-core expressions and sym-solve solution sets to the tensor IR.
//!
//! ```
//! use sym_lower::lower::{LowerOptions, lower_expr};
//! use sym_lower::{Executor, print};
//! # fn main() -> Result<(), sym_lower::Error> {
//! let e = sym_core::parse("-sqrt(9 - x**2)").unwrap();
//! let g = lower_expr(&e, &["x"], &LowerOptions::default())?;
//! let out = Executor::new(&g)?.run(&[(&ndarray::array![0.0, 5.0]).into()])?;
//! let (y, ok) = (out[0].as_f64().unwrap(), out[1].as_bool().unwrap());
//! assert_eq!(y[[0]], -3.0);
//! assert!(y[[1]].is_nan() && !ok[[1]]); // 9 - 25 < 0: not real, and reported
//! # Ok(()) }
//! ```
//!
//! # What each construct becomes
//!
//! | sym-core | IR |
//! |---|---|
//! | number, `pi`, `E`, any subexpression without symbols (`sqrt(2)`, `pi/4`, `log(3)`) | one `const`, evaluated exactly (MPFR) and rounded once to the kind (the `constant` module is the one place this happens) |
//! | `RootOf` without parameters | `const`: the root isolated exactly (Sturm) and rounded once |
//! | symbol | the bound input |
//! | `I`, a non-real constant (`(-8)**(1/3)`, `acos(2)`) | [`LowerProblem::Complex`](crate::LowerProblem::Complex) naming it |
//! | `zoo`, `nan`, `log(0)` | [`LowerProblem::Undefined`](crate::LowerProblem::Undefined); `oo` and `-oo` are IEEE infinities |
//! | sum | positive terms added left to right, then negative ones subtracted (`9 - x**2` is `sub 9, x*x`) |
//! | product, power | numerator and denominator factors, one `div` (`x/(2*a)` is `div x, mul 2, a`; `x/3` is `div x, 3`); constant factors folded into one constant |
//! | `x**k`, integer `k` | `powi x, k` (`k < 0`: in the denominator) |
//! | `x**(1/2)`, `x**(k + 1/2)` | `sqrt x`, `powi x, k * sqrt x` |
//! | `x**(1/3)`, `x**(2/3)` | `cbrt` of `select(x >= 0, x, NaN)` (principal branch: see below) |
//! | `x**(p/q)`, `x**y` | `pow` |
//! | `exp(x)` (`E**x`), `log`, trigonometric, hyperbolic, inverse, `Abs`, `sign`, `LambertW(x)` | the unary op of the same name |
//! | `Piecewise` | a `select` chain (below) |
//! | relation, `And`, `Or`, `Not`, `True`, `False` | comparison, `and`, `or`, `not`, `const` masks |
//! | `RootOf` with parameters, implicit equations | `root` ops (the `roots` module) |
//!
//! Sharing in the expression DAG becomes value reuse: every lowered subexpression is memoised (on the
//! expression and its context, below), and the builder hash-conses what is equal after lowering.
//!
//! # Real values and domain masks: never a silent NaN
//!
//! The IR is real. A real function outside its domain gives NaN (or an infinity at a pole) in IEEE arithmetic,
//! so with [`LowerOptions::masks`] (the default) every lowered value knows where it is *defined*: the lanes where
//! every operation on its path was inside its real domain. The conditions are `x >= 0` for `sqrt` and
//! non-integer rational powers, `x > 0` for `log`, `den != 0` for a division, `|x| <= 1` for `asin` and
//! `acos`, `|x| < 1` for `atanh`, `x >= 1` for `acosh`, `x != 0` for `cot`, `csc`, `coth`, a real result for
//! `pow` and `LambertW`; a `Piecewise` lane is defined where the branch it takes is (and no branch taken is
//! undefined); a root is defined where it exists and its iteration converged. Conditions that the sign
//! analysis proves (`sqrt(x**2 + 1)`) are not emitted. Overflow to an infinity is not a domain error: such a
//! lane is defined and infinite.
//!
//! Most conditions cost nothing: where IEEE gives NaN outside the domain (`sqrt`, `asin`, `acos`, `acosh`,
//! `LambertW`, non-integer powers, the principal `cbrt`) the NaN itself *marks* the lane ([`Lowered::marked`]),
//! and since NaN propagates through arithmetic and functions to the output, one `value == value` test there
//! reads every mark at once (`-sqrt(9 - x**2)` gets `ok = (value == value)` and nothing else). Only where an
//! infinity or a finite value would hide the error (`log`, division, poles) is a mask computed, and marks are
//! turned into masks where NaN would not propagate: comparisons (`Piecewise` conditions, guards), `select`'s
//! condition, `pow` with a symbolic exponent (`pow(1, NaN) = 1`) and per-lane root isolation.
//!
//! The top-level functions output each value with a mask `ok = defined and value == value` (an overflow such
//! as `inf - inf` can make a NaN inside the domain) and the value as `select(ok, value, NaN)`, so an output is
//! NaN exactly where its mask is false. With `masks: false` no mask is computed and a lane outside the domain
//! is whatever IEEE gives (NaN or an infinity, or for a `Piecewise` condition on a NaN, another branch), which is
//! faster and meant for callers that know their inputs.
//!
//! **Principal branches.** `x**(1/3)` is SymPy's principal cube root, which is not real for `x < 0`
//! (`(-8)**(1/3) = 1 + sqrt(3)*I`). The real cube root `cbrt(x)` is a different function there, so the lowering
//! never returns it for a negative `x`: the operand is `select(x >= 0, x, NaN)` unless `x >= 0` is known, and the
//! lane is reported undefined. A user who wants the real root of `y**3 = a` for every real `a` asks for the real
//! roots of the polynomial ([`lower_real_roots`], or `sym lower "y**3 = a" --for y`, which falls back to them).
//!
//! # `Piecewise` and guarded branches: NaN-safe values and gradients
//!
//! `Piecewise((v1, c1), ..., (vn, cn))` is `select(c1, v1, select(c2, v2, ... select(cn, vn, NaN)))`. Every
//! branch is computed in every lane, so the branch that is not taken may be NaN or infinite there; `select`
//! discards it. For derivatives (sym-grad), the IR semantics are:
//!
//! 1. `select(c, a, b)` gives `a` the cotangent `select(c, ct, 0)` and `b` the cotangent `select(c, 0, ct)`:
//!    exactly zero in the lanes where it is not taken. A mask (`c`) has no derivative.
//! 2. The lowering makes the untaken side finite, so that `0 * f'(u)` is `0` and not NaN (the "double where"):
//!    branch `i` is lowered in the *context* of the lanes where it is taken (`c_i` and no earlier condition),
//!    and in a context `m` every operand `u` of an op that is partial or overflows (`sqrt`, `cbrt`, `pow`, `log`,
//!    a denominator, `asin`, `acos`, `atanh`, `acosh`, `cot`, `csc`, `coth`, `tan`, `sec`, `exp`, `sinh`, `cosh`,
//!    `LambertW`) is replaced by `select(m, u, safe)` with `safe` inside the op's domain (`1` for `sqrt`, `log`,
//!    denominators, `acosh`; `0` for the others). Contexts nest. The values in the taken lanes are unchanged.
//!    Ops outside that list (`+`, `*`, `powi` with a positive exponent) can still overflow in an untaken lane for
//!    extreme inputs; that is the documented limit.
//! 3. Solution branches are lowered in the context of their guard, and their outputs are
//!    `select(ok, value, NaN)`, so rule 1 zeroes the cotangent of the whole branch where it does not apply.
//!
//! So sym-grad needs nothing beyond the chain rule and rule 1 (and for `root`, the implicit function theorem
//! on the residual; the start operands of a root carry no derivative).
//!
//! # Safer forms
//!
//! With [`LowerOptions::stable`] (the default) a sum `R + T*sqrt(D)` whose leading terms cancel is lowered in
//! a cancellation-free form, and [`lower_solved`] lowers a quadratic's roots in the stable form (see the `stable`
//! module); [`LowerOptions::optimize`] then runs [`crate::passes::optimize`] (`log1p`, `expm1`, `hypot`, folding,
//! dead code).

mod constant;
mod expr;
mod roots;
mod sign;
mod solutions;
mod stable;

pub use expr::{Lowered, Lowerer};
pub use solutions::{lower_real_roots, lower_solutions, lower_solved};

use crate::builder::Builder;
use crate::error::{LowerError, Result};
use crate::graph::Graph;
use crate::passes;
use crate::root::RootOptions;
use crate::types::{Elem, Value};
use sym_core::{Expr, Symbol};

/// How a `root` op starts: expressions of the inputs (lowered like any other expression).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Start {
    /// Newton from a guess.
    Guess(Expr),
    /// A sign-change bracket `[lo, hi]`.
    Bracket(Expr, Expr),
    /// A guess inside a bracket.
    GuessInBracket {
        /// The first iterate.
        guess: Expr,
        /// One end of the bracket.
        lo: Expr,
        /// The other end.
        hi: Expr,
    },
}

/// Lowering options.
#[derive(Clone, Debug)]
pub struct LowerOptions {
    /// The float kind of every value (`F64` or `F32`).
    pub elem: Elem,
    /// Tolerance and iteration limit of `root` ops.
    pub root: RootOptions,
    /// Compute domain masks and NaN-mask the outputs (see the module doc).
    pub masks: bool,
    /// Use the cancellation-free forms of the `stable` module.
    pub stable: bool,
    /// Run [`passes::optimize`] on the result.
    pub optimize: bool,
    /// Starts for particular parametric `RootOf` expressions (matched structurally); the others are isolated
    /// per lane. A start is the caller's choice of root: the lowering does not check that the iteration from it
    /// reaches the root with the `RootOf`'s index.
    pub starts: Vec<(Expr, Start)>,
    /// The largest degree isolated per lane (the work grows with its square).
    pub max_isolation_degree: usize,
}

impl Default for LowerOptions {
    fn default() -> Self {
        Self {
            elem: Elem::F64,
            root: RootOptions::F64,
            masks: true,
            stable: true,
            optimize: true,
            starts: Vec::new(),
            max_isolation_degree: 16,
        }
    }
}

impl LowerOptions {
    /// The defaults for `f32` values.
    #[must_use]
    pub fn f32() -> Self {
        Self { elem: Elem::F32, root: RootOptions::F32, ..Self::default() }
    }
}

/// Finishes a lowered graph: verification, and the optimisation passes if asked.
fn finish(b: Builder, opts: &LowerOptions) -> Result<Graph> {
    let g = b.finish()?;
    if opts.optimize { passes::optimize(&g) } else { Ok(g) }
}

/// Lowers several named expressions over the batch inputs `inputs` (in order): outputs `name` and, with masks,
/// `"name.ok"` (see [`Lowerer::output_pair`]).
///
/// # Errors
/// [`crate::Error::Lower`] naming the first construct that cannot be lowered.
pub fn lower_exprs(named: &[(&str, &Expr)], inputs: &[&str], opts: &LowerOptions) -> Result<Graph> {
    let mut b = Builder::new();
    {
        let mut l = Lowerer::new(&mut b, opts.clone())?;
        for name in inputs {
            l.input(name)?;
        }
        let mut outs: Vec<(String, Value)> = Vec::new();
        for (name, e) in named {
            let v = l.value(e)?;
            let (value, ok) = l.output_pair(v)?;
            outs.push(((*name).to_owned(), value));
            if let Some(ok) = ok {
                outs.push((format!("{name}.ok"), ok));
            }
        }
        for (name, v) in outs {
            l.builder().output(&name, v)?;
        }
    }
    finish(b, opts)
}

/// Lowers one expression over the batch inputs `inputs` (in order): output `"value"` and, with masks, `"ok"`
/// (see [`Lowerer::output_pair`]: the value is NaN exactly where `ok` is false).
///
/// # Errors
/// [`crate::Error::Lower`] naming the first construct that cannot be lowered.
pub fn lower_expr(e: &Expr, inputs: &[&str], opts: &LowerOptions) -> Result<Graph> {
    let mut b = Builder::new();
    {
        let mut l = Lowerer::new(&mut b, opts.clone())?;
        for name in inputs {
            l.input(name)?;
        }
        let v = l.value(e)?;
        let (value, ok) = l.output_pair(v)?;
        l.builder().output("value", value)?;
        if let Some(ok) = ok {
            l.builder().output("ok", ok)?;
        }
    }
    finish(b, opts)
}

/// Lowers a root of the implicit equation `f = 0` in `y` from `start`: outputs `y.name()` and, with masks,
/// `"ok"` (where the iteration converged; see [`Lowerer::output_pair`]).
///
/// # Errors
/// [`crate::Error::Lower`] naming the first construct that cannot be lowered.
pub fn lower_implicit(f: &Expr, y: Symbol, start: &Start, inputs: &[&str], opts: &LowerOptions) -> Result<Graph> {
    roots::check_start(start).map_err(crate::Error::Lower)?;
    let mut b = Builder::new();
    {
        let mut l = Lowerer::new(&mut b, opts.clone())?;
        for name in inputs {
            if *name == y.name() {
                return Err(crate::Error::Lower(LowerError::new(
                    name,
                    crate::error::LowerProblem::UnknownIsInput { name: (*name).to_owned() },
                )));
            }
            l.input(name)?;
        }
        let v = l.implicit(f, y, start)?;
        let (value, ok) = l.output_pair(v)?;
        l.builder().output(y.name(), value)?;
        if let Some(ok) = ok {
            l.builder().output("ok", ok)?;
        }
    }
    finish(b, opts)
}

impl Lowerer<'_> {
    /// A root of `f = 0` in `y` from `start` (see the `roots` module), at the top level.
    ///
    /// # Errors
    /// [`crate::Error::Lower`] naming the first construct that cannot be lowered.
    pub fn implicit(&mut self, f: &Expr, y: Symbol, start: &Start) -> Result<Lowered> {
        roots::implicit(self, f, y, start, None)
    }
}
