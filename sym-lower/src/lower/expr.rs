//! The lowerer: sym-core expressions to IR values, with per-lane domain masks and sanitised guarded branches.
//!
//! See the parent module for the semantics; this file implements them node by node. Every lowered value is
//! memoised on `(expression, context)`, so sharing in the expression DAG becomes value reuse in the graph (and
//! the builder's hash-consing merges what is equal after lowering).

use super::constant::{self, Folded, round_number};
use super::sign::{Facts, Sign};
use super::{LowerOptions, roots, stable};
use crate::builder::Builder;
use crate::error::{Error, LowerError, LowerProblem, Result};
use crate::op::{CmpOp, UnOp};
use crate::types::{Elem, Type, Value};
use std::collections::HashMap;
use sym_core::expr::AddData;
use sym_core::{Constant, Expr, Func, Kind, Number, RelOp, Symbol};

/// A lowered expression: its value and where it is defined.
///
/// A lane is defined where `defined` holds (`None`: everywhere) and, if `marked`, the value is not NaN: ops whose
/// domain errors give NaN (`sqrt`, `asin`, `acosh`, the principal `cbrt`, ...) leave their condition *marked*
/// in the value instead of computing a mask, since NaN propagates through arithmetic to the output, where one
/// `value == value` test reads all of them at once. [`Lowerer::explicit`] turns the marks into a mask where they
/// would not propagate (comparisons, `select`).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct Lowered {
    /// The value (a float, or a `bool` mask for a condition).
    pub value: Value,
    /// A mask of the lanes where the value is mathematically defined and real; `None` when there is no condition
    /// beyond the marks (or when masks are off, see [`LowerOptions::masks`]).
    pub defined: Option<Value>,
    /// Whether some undefined lanes are marked only by the value being NaN.
    pub marked: bool,
}

/// A value as a fraction `num / den` (`den = None` is 1), so that a product can do one division.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Fraction {
    pub num: Value,
    pub den: Option<Value>,
    pub defined: Option<Value>,
    pub marked: bool,
}

/// Lowers sym-core expressions into a [`Builder`]. See the parent module for the semantics.
///
/// ```
/// use sym_lower::lower::{LowerOptions, Lowerer};
/// use sym_lower::{Builder, Executor, Type};
/// # fn main() -> Result<(), sym_lower::Error> {
/// let e = sym_core::parse("sqrt(x) + 1").unwrap();
/// let mut b = Builder::new();
/// let mut l = Lowerer::new(&mut b, LowerOptions::default())?;
/// l.input("x")?;
/// let v = l.value(&e)?;
/// let y = l.masked(v)?;
/// let ok = l.mask(v)?;
/// b.output("y", y)?;
/// b.output("ok", ok)?;
/// let g = b.finish()?;
/// let out = Executor::new(&g)?.run(&[(&ndarray::array![4.0, -1.0]).into()])?;
/// assert_eq!(out[0].as_f64().unwrap()[[0]], 3.0);
/// assert!(out[0].as_f64().unwrap()[[1]].is_nan());
/// assert_eq!(out[1].as_bool().unwrap().as_slice().unwrap(), &[true, false]);
/// # Ok(()) }
/// ```
pub struct Lowerer<'b> {
    pub(crate) b: &'b mut Builder,
    pub(crate) opts: LowerOptions,
    env: HashMap<Symbol, Value>,
    names: Vec<String>,
    memo: HashMap<(Expr, Option<Value>), Lowered>,
    pub(crate) facts: Facts,
}

fn err(e: &Expr, problem: LowerProblem) -> Error {
    Error::Lower(LowerError::new(e, problem))
}

impl<'b> Lowerer<'b> {
    /// A lowerer that adds to `b`.
    ///
    /// # Errors
    /// [`LowerProblem::Options`] if the element kind is not a float or the root options are invalid.
    pub fn new(b: &'b mut Builder, opts: LowerOptions) -> Result<Self> {
        if !opts.elem.is_float() {
            return Err(err(&Expr::zero(), LowerProblem::Options { reason: "the element kind must be f64 or f32" }));
        }
        if !(opts.root.tol.is_finite() && opts.root.tol > 0.0 && opts.root.max_iter > 0) {
            return Err(err(
                &Expr::zero(),
                LowerProblem::Options { reason: "root tolerance must be positive and finite, max_iter positive" },
            ));
        }
        Ok(Self { b, opts, env: HashMap::new(), names: Vec::new(), memo: HashMap::new(), facts: Facts::default() })
    }

    /// The options.
    #[must_use]
    pub fn options(&self) -> &LowerOptions {
        &self.opts
    }

    /// The builder.
    pub fn builder(&mut self) -> &mut Builder {
        self.b
    }

    /// Declares a batch input of the options' kind named `name` and binds the symbol `name` to it.
    ///
    /// # Errors
    /// [`Error::Build`] if the name is already an input.
    pub fn input(&mut self, name: &str) -> Result<Value> {
        let v = self.b.input(name, Type::batch(self.opts.elem))?;
        self.bind(Symbol::new(name), v)?;
        Ok(v)
    }

    /// Binds a symbol to a value (a float of the options' kind, scalar or batch).
    ///
    /// # Errors
    /// [`Error::Build`] if `v` is not a float of the options' kind.
    pub fn bind(&mut self, s: Symbol, v: Value) -> Result<()> {
        let t = self.b.ty(v)?;
        if t.elem != self.opts.elem {
            return Err(Error::Build {
                op: "bind",
                invariant: crate::error::Invariant::ElemMismatch { lhs: Type::batch(self.opts.elem), rhs: t },
            });
        }
        self.env.insert(s, v);
        self.names.push(s.name().to_owned());
        Ok(())
    }

    /// The value bound to a symbol, if any.
    #[must_use]
    pub fn bound(&self, s: Symbol) -> Option<Value> {
        self.env.get(&s).copied()
    }

    /// Lowers a real-valued expression (not a condition) at the top level.
    ///
    /// # Errors
    /// [`Error::Lower`] naming the subexpression that cannot be lowered.
    pub fn value(&mut self, e: &Expr) -> Result<Lowered> {
        self.value_in(e, None)
    }

    /// Lowers a condition (relation, `And`, `Or`, `Not`, `True`, `False`) to a mask at the top level.
    ///
    /// # Errors
    /// [`Error::Lower`] naming the subexpression that cannot be lowered.
    pub fn condition(&mut self, e: &Expr) -> Result<Lowered> {
        self.condition_in(e, None)
    }

    /// The value where it is defined and NaN elsewhere: `select(defined, value, NaN)` (the value itself when it
    /// is defined everywhere).
    ///
    /// # Errors
    /// [`Error::Build`] only on a broken invariant.
    pub fn masked(&mut self, l: Lowered) -> Result<Value> {
        let l = self.explicit(l)?;
        match l.defined {
            None => Ok(l.value),
            Some(d) => {
                let nan = self.constant(f64::NAN);
                self.b.select(d, l.value, nan)
            }
        }
    }

    /// The defined mask of a lowered value (its marks included), `true` when it is defined everywhere.
    ///
    /// # Errors
    /// [`Error::Build`] only on a broken invariant.
    pub fn mask(&mut self, l: Lowered) -> Result<Value> {
        let l = self.explicit(l)?;
        Ok(l.defined.unwrap_or_else(|| self.b.const_bool(true)))
    }

    /// The same value with its NaN marks turned into the mask (`defined and value == value`), for uses through
    /// which NaN does not propagate (comparisons, `select`).
    ///
    /// # Errors
    /// [`Error::Build`] only on a broken invariant.
    pub fn explicit(&mut self, l: Lowered) -> Result<Lowered> {
        if !l.marked || !self.opts.masks {
            return Ok(Lowered { marked: false, ..l });
        }
        let not_nan = self.b.eq(l.value, l.value)?;
        let defined = self.and(l.defined, Some(not_nan))?;
        Ok(Lowered { value: l.value, defined, marked: false })
    }

    /// An output pair `(value, ok)`: `ok` is the defined mask and the value not NaN (an overflow such as
    /// `inf - inf` makes a NaN inside the domain), and the value is NaN exactly where `ok` is false. Without
    /// masks ([`LowerOptions::masks`] off) the value is returned as it is, with no mask.
    ///
    /// # Errors
    /// [`Error::Build`] only on a broken invariant.
    pub fn output_pair(&mut self, l: Lowered) -> Result<(Value, Option<Value>)> {
        if !self.opts.masks {
            return Ok((l.value, None));
        }
        let not_nan = self.b.eq(l.value, l.value)?;
        let ok = self.and(l.defined, Some(not_nan))?.unwrap_or(not_nan);
        // Where only the NaN test guards the value, the value already is NaN exactly where `ok` is false.
        let value = if ok == not_nan {
            l.value
        } else {
            let nan = self.constant(f64::NAN);
            self.b.select(ok, l.value, nan)?
        };
        Ok((value, Some(ok)))
    }

    /// A float constant of the options' kind (the value is rounded to it).
    pub fn constant(&mut self, x: f64) -> Value {
        match self.opts.elem {
            #[allow(clippy::cast_possible_truncation)]
            Elem::F32 => self.b.const_f32(x as f32),
            _ => self.b.const_f64(x),
        }
    }

    /// `a and b` for optional masks (`None` is everywhere true).
    ///
    /// # Errors
    /// [`Error::Build`] only on a broken invariant.
    pub fn and(&mut self, a: Option<Value>, b: Option<Value>) -> Result<Option<Value>> {
        Ok(match (a, b) {
            (None, x) | (x, None) => x,
            (Some(x), Some(y)) if x == y => Some(x),
            (Some(x), Some(y)) => Some(self.b.and(x, y)?),
        })
    }

    /// Adds a domain condition (built by `cond`) to `defined`, if masks are on.
    fn require(
        &mut self,
        defined: Option<Value>,
        cond: impl FnOnce(&mut Self) -> Result<Value>,
    ) -> Result<Option<Value>> {
        if !self.opts.masks {
            return Ok(defined);
        }
        let c = cond(self)?;
        self.and(defined, Some(c))
    }

    /// `v` where the context mask holds, `safe` elsewhere (the "double where": an operand of a partial op in a
    /// branch that is not taken gets a value in the op's domain, so its value and derivative stay finite).
    pub(crate) fn sanitize(&mut self, ctx: Option<Value>, v: Value, safe: f64) -> Result<Value> {
        match ctx {
            None => Ok(v),
            Some(m) => {
                let s = self.constant(safe);
                self.b.select(m, v, s)
            }
        }
    }

    /// Lowers a real-valued expression inside a context: `ctx` is the mask of the lanes where the enclosing
    /// branch is taken (`None` at the top level).
    ///
    /// # Errors
    /// [`Error::Lower`] naming the subexpression that cannot be lowered.
    pub fn value_in(&mut self, e: &Expr, ctx: Option<Value>) -> Result<Lowered> {
        if e.is_condition() {
            return Err(err(e, LowerProblem::ConditionAsValue));
        }
        self.memoised(e, ctx, Self::value_node)
    }

    /// Lowers a condition inside a context (see [`Lowerer::value_in`]).
    ///
    /// # Errors
    /// [`Error::Lower`] naming the subexpression that cannot be lowered.
    pub fn condition_in(&mut self, e: &Expr, ctx: Option<Value>) -> Result<Lowered> {
        if !e.is_condition() {
            return Err(err(e, LowerProblem::ValueAsCondition));
        }
        self.memoised(e, ctx, Self::condition_node)
    }

    fn memoised(
        &mut self,
        e: &Expr,
        ctx: Option<Value>,
        node: fn(&mut Self, &Expr, Option<Value>) -> Result<Lowered>,
    ) -> Result<Lowered> {
        let key = (e.clone(), ctx);
        if let Some(&l) = self.memo.get(&key) {
            return Ok(l);
        }
        let mut l = stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || node(self, e, ctx))?;
        if !self.opts.masks {
            l.defined = None;
            l.marked = false;
        }
        self.memo.insert(key, l);
        Ok(l)
    }

    fn plain(value: Value) -> Lowered {
        Lowered { value, defined: None, marked: false }
    }

    fn value_node(&mut self, e: &Expr, ctx: Option<Value>) -> Result<Lowered> {
        let elem = self.opts.elem;
        match e.kind() {
            Kind::Num(n) => {
                let x = constant::finite(e, round_number(n, elem), elem).map_err(Error::Lower)?;
                return Ok(Self::plain(self.constant(x)));
            }
            Kind::Sym(s) => {
                return match self.env.get(s) {
                    Some(&v) => Ok(Self::plain(v)),
                    None => Err(err(
                        e,
                        LowerProblem::UnboundSymbol { name: s.name().to_owned(), inputs: self.names.join(", ") },
                    )),
                };
            }
            Kind::Const(c) => {
                return match c {
                    Constant::I => Err(err(e, LowerProblem::Complex)),
                    Constant::Infinity => Ok(Self::plain(self.constant(f64::INFINITY))),
                    Constant::NegInfinity => Ok(Self::plain(self.constant(f64::NEG_INFINITY))),
                    Constant::ComplexInfinity | Constant::NaN => {
                        Err(err(e, LowerProblem::Undefined { reason: "it is not a number".to_owned() }))
                    }
                    Constant::Pi | Constant::E => match constant::fold(e, elem)? {
                        Folded::Value(x) => Ok(Self::plain(self.constant(x))),
                        Folded::Structural => unreachable!("pi and E evaluate"),
                    },
                };
            }
            _ => {}
        }
        if self.facts.is_constant(e)
            && let Folded::Value(x) = constant::fold(e, elem)?
        {
            return Ok(Self::plain(self.constant(x)));
        }
        match e.kind() {
            Kind::Add(a) => {
                if self.opts.stable
                    && let Some(f) = stable::cancelling_sum(self, a, ctx)?
                {
                    return self.fraction_value(f, ctx);
                }
                self.sum(a, ctx)
            }
            Kind::Mul(m) => {
                let f = self.product(e, &m.coeff, &m.factors, ctx)?;
                self.fraction_value(f, ctx)
            }
            Kind::Pow(b, x) => {
                let f = self.product(e, &Number::ONE, &[(b.clone(), x.clone())], ctx)?;
                self.fraction_value(f, ctx)
            }
            Kind::Func(f, args) => self.func(e, *f, args, ctx),
            Kind::Piecewise(bs) => self.piecewise(bs, ctx),
            Kind::RootOf(r) => roots::root_of(self, e, r, ctx),
            _ => unreachable!("leaves and conditions are handled above"),
        }
    }

    /// `num / den` as a value; the division's domain is `den != 0`.
    pub(crate) fn fraction_value(&mut self, f: Fraction, ctx: Option<Value>) -> Result<Lowered> {
        match f.den {
            None => Ok(Lowered { value: f.num, defined: f.defined, marked: f.marked }),
            Some(d) => {
                let defined = self.require(f.defined, |s| {
                    let z = s.constant(0.0);
                    s.b.ne(d, z)
                })?;
                let d = self.sanitize(ctx, d, 1.0)?;
                let value = self.b.div(f.num, d)?;
                Ok(Lowered { value, defined, marked: f.marked })
            }
        }
    }

    /// `c * v` for a positive number `c`, rounding `c` once: by a multiplication when `c` is an integer or a
    /// dyadic rational (exact in the kind), by a division `v / q` for `c = 1/q` (correctly rounded, like the
    /// hand-written `x / 3`), else by a multiplication by the rounded `c`.
    pub(crate) fn scale(&mut self, v: Value, c: &Number) -> Result<Value> {
        if c.is_one() {
            return Ok(v);
        }
        let elem = self.opts.elem;
        if let Some(r) = c.to_rational() {
            let (p, q) = (r.numer(), r.denom());
            let dyadic = q.is_power_of_two();
            if !dyadic && *p == 1 {
                let qv = constant::round_rational(&rug::Rational::from(q), elem);
                let qc = self.constant(qv);
                return self.b.div(v, qc);
            }
        }
        let k = self.constant(round_number(c, elem));
        self.b.mul(k, v)
    }

    /// A sum `constant + sum c_i m_i`: the positive constant and positive terms are added left to right, then the
    /// negative ones subtracted (so `9 - x**2` is `sub 9, x*x` and `x - 1` is `sub x, 1`).
    fn sum(&mut self, a: &AddData, ctx: Option<Value>) -> Result<Lowered> {
        let mut defined = None;
        let mut marked = false;
        let mut pos = Vec::new();
        let mut neg = Vec::new();
        if !a.constant.is_zero() {
            let k = self.constant(round_number(&a.constant.abs(), self.opts.elem));
            if a.constant.is_negative() {
                neg.push(k);
            } else {
                pos.push(k);
            }
        }
        for (m, c) in a.terms.iter() {
            let t = self.value_in(m, ctx)?;
            defined = self.and(defined, t.defined)?;
            marked |= t.marked;
            let v = self.scale(t.value, &c.abs())?;
            if c.is_negative() {
                neg.push(v);
            } else {
                pos.push(v);
            }
        }
        let mut acc = match pos.first() {
            Some(&v) => v,
            None => {
                let first = neg.remove(0);
                self.b.neg(first)?
            }
        };
        for &v in pos.iter().skip(1) {
            acc = self.b.add(acc, v)?;
        }
        for &v in &neg {
            acc = self.b.sub(acc, v)?;
        }
        Ok(Lowered { value: acc, defined, marked })
    }

    /// A product `coeff * prod base_i ** exp_i` as a fraction: factors with positive numeric exponents (and
    /// every non-numeric one) multiply the numerator left to right, those with negative numeric exponents the
    /// denominator, so the product does one division. Factors without symbols are folded with the
    /// coefficient (in MPFR) into one constant.
    pub(crate) fn product(
        &mut self,
        e: &Expr,
        coeff: &Number,
        factors: &[(Expr, Expr)],
        ctx: Option<Value>,
    ) -> Result<Fraction> {
        let elem = self.opts.elem;
        type Factors = Vec<(Expr, Expr)>;
        let (consts, vars): (Factors, Factors) =
            factors.iter().cloned().partition(|(b, x)| self.facts.is_constant(b) && self.facts.is_constant(x));
        // The numeric part: exact when there are no constant factors.
        let mut exact: Option<Number> = Some(coeff.clone());
        let mut folded: Option<f64> = None;
        if !consts.is_empty() {
            let k = Expr::mul_all(
                std::iter::once(Expr::num(coeff.clone()))
                    .chain(consts.iter().map(|(b, x)| Expr::pow(b.clone(), x.clone()))),
            );
            match constant::fold(&k, elem)? {
                Folded::Value(x) => {
                    exact = None;
                    folded = Some(x);
                }
                Folded::Structural => {
                    // A constant RootOf among the factors: lower it like any other factor.
                    return self.product_parts(e, coeff, factors, ctx);
                }
            }
        }
        let mut f = self.product_parts(e, &Number::ONE, &vars, ctx)?;
        match (exact, folded) {
            (Some(c), _) => self.apply_coeff(&mut f, &c)?,
            (None, Some(x)) => {
                if x != 1.0 {
                    let k = self.constant(x.abs());
                    f.num = self.b.mul(k, f.num)?;
                    if x < 0.0 {
                        f.num = self.b.neg(f.num)?;
                    }
                }
            }
            (None, None) => unreachable!("one of them is set"),
        }
        Ok(f)
    }

    /// Multiplies the fraction by an exact coefficient: `-1` negates, `p/q` with a non-dyadic `q` multiplies the
    /// numerator by `p` and the denominator by `q` (so `x/3` is `div x, 3`), anything else scales the numerator.
    fn apply_coeff(&mut self, f: &mut Fraction, c: &Number) -> Result<()> {
        let elem = self.opts.elem;
        let neg = c.is_negative();
        let a = c.abs();
        if !a.is_one() {
            match a.to_rational() {
                Some(r)
                    if !r.denom().is_power_of_two()
                        && r.numer().significant_bits() <= 53
                        && r.denom().significant_bits() <= 53 =>
                {
                    let (p, q) = r.into_numer_denom();
                    if p != 1 {
                        let pk = self.constant(constant::round_rational(&rug::Rational::from(p), elem));
                        f.num = self.b.mul(pk, f.num)?;
                    }
                    let qk = self.constant(constant::round_rational(&rug::Rational::from(q), elem));
                    f.den = Some(match f.den {
                        None => qk,
                        Some(d) => self.b.mul(qk, d)?,
                    });
                }
                Some(r) if neg && (r.denom().is_power_of_two() || *r.denom() == 1) => {
                    // A negative integer or dyadic coefficient is one multiplication: `-k * x = -(k * x)` bit for
                    // bit, since rounding to nearest is symmetric.
                    let k = self.constant(-constant::round_rational(&r, elem));
                    f.num = self.b.mul(k, f.num)?;
                    return Ok(());
                }
                _ => f.num = self.scale(f.num, &a)?,
            }
        }
        if neg {
            f.num = self.b.neg(f.num)?;
        }
        Ok(())
    }

    /// The factors of a product as a fraction, without the coefficient (which the caller applies).
    fn product_parts(
        &mut self,
        _e: &Expr,
        coeff: &Number,
        factors: &[(Expr, Expr)],
        ctx: Option<Value>,
    ) -> Result<Fraction> {
        let mut defined = None;
        let mut marked = false;
        let mut num: Vec<Value> = Vec::new();
        let mut den: Vec<Value> = Vec::new();
        for (b, x) in factors {
            // A factor that is itself a cancelling sum contributes its own denominator.
            if x.is_one()
                && self.opts.stable
                && let Kind::Add(a) = b.kind()
                && let Some(f) = stable::cancelling_sum(self, a, ctx)?
            {
                defined = self.and(defined, f.defined)?;
                marked |= f.marked;
                num.push(f.num);
                if let Some(d) = f.den {
                    den.push(d);
                }
                continue;
            }
            let (pl, in_den) = self.power(b, x, ctx)?;
            defined = self.and(defined, pl.defined)?;
            marked |= pl.marked;
            if in_den {
                den.push(pl.value);
            } else {
                num.push(pl.value);
            }
        }
        let num_v = match num.split_first() {
            Some((&first, rest)) => {
                let mut acc = first;
                for &v in rest {
                    acc = self.b.mul(acc, v)?;
                }
                acc
            }
            None => self.constant(1.0),
        };
        let den_v = match den.split_first() {
            Some((&first, rest)) => {
                let mut acc = first;
                for &v in rest {
                    acc = self.b.mul(acc, v)?;
                }
                Some(acc)
            }
            None => None,
        };
        let mut f = Fraction { num: num_v, den: den_v, defined, marked };
        self.apply_coeff(&mut f, coeff)?;
        Ok(f)
    }

    /// `base ** exp` as a numerator or denominator factor: `(value, goes_in_denominator)`.
    fn power(&mut self, base: &Expr, exp: &Expr, ctx: Option<Value>) -> Result<(Lowered, bool)> {
        let pe = Expr::pow(base.clone(), exp.clone());
        if base.is_const(Constant::E) {
            let x = self.value_in(exp, ctx)?;
            let u = self.sanitize(ctx, x.value, 0.0)?;
            return Ok((Lowered { value: self.b.exp(u)?, ..x }, false));
        }
        let bl = self.value_in(base, ctx)?;
        match exp.as_number() {
            Some(n) if n.is_integer() => {
                let k = n.as_i64().and_then(|k| i32::try_from(k.unsigned_abs()).ok()).ok_or_else(|| {
                    err(
                        &pe,
                        LowerProblem::Limit {
                            what: "integer exponent",
                            found: n.to_integer().map_or(u64::MAX, |k| k.to_u64().unwrap_or(u64::MAX)),
                            limit: i32::MAX as u64,
                        },
                    )
                })?;
                let v = self.powi(bl.value, k)?;
                Ok((Lowered { value: v, ..bl }, n.is_negative()))
            }
            Some(n) if n.is_exact() => {
                // The principal power is real for `u >= 0`; below, `sqrt`, `pow` and the guarded `cbrt` give
                // NaN, which marks the lane.
                let r = n.to_rational().expect("exact");
                let (p, q) = r.into_numer_denom();
                let neg = p < 0;
                let p = p.abs();
                let sign = self.facts.sign(base);
                let u = self.sanitize(ctx, bl.value, 1.0)?;
                let v = self.root_power(&pe, u, &p, &q, sign)?;
                Ok((Lowered { value: v, defined: bl.defined, marked: bl.marked || !sign.nonneg() }, neg))
            }
            _ => {
                // A float or symbolic exponent: the real power, defined for a positive base, a zero base with a
                // positive exponent, and a negative base where IEEE pow gives a number (integer exponents). NaN
                // does not propagate through `pow` (`pow(1, NaN) = 1`), so the operands' marks become masks.
                let bl = self.explicit(bl)?;
                let xl = self.value_in(exp, ctx)?;
                let xl = self.explicit(xl)?;
                let mut defined = self.and(bl.defined, xl.defined)?;
                let u = self.sanitize(ctx, bl.value, 1.0)?;
                let x = self.sanitize(ctx, xl.value, 1.0)?;
                let v = self.b.pow(u, x)?;
                if !self.facts.sign(base).pos() {
                    defined = self.require(defined, |s| {
                        let z = s.constant(0.0);
                        let pos = s.b.gt(bl.value, z)?;
                        let zero = s.b.eq(bl.value, z)?;
                        let xpos = s.b.gt(xl.value, z)?;
                        let zero_ok = s.b.and(zero, xpos)?;
                        let negb = s.b.lt(bl.value, z)?;
                        let real = s.b.eq(v, v)?;
                        let neg_ok = s.b.and(negb, real)?;
                        let a = s.b.or(pos, zero_ok)?;
                        s.b.or(a, neg_ok)
                    })?;
                }
                Ok((Lowered { value: v, defined, marked: false }, false))
            }
        }
    }

    /// `u ** (p/q)` for `p, q > 0` coprime, `q > 1`, with the principal branch (real only for `u >= 0`):
    /// `u**k * sqrt(u)` for `q = 2`, `u**k * cbrt(u)` (`cbrt(u)**2` for the remainder 2/3) for `q = 3`, and
    /// `pow(u, p/q)` otherwise. The real cube root of a negative number is not the principal value, so unless
    /// `u >= 0` is known the operand of `cbrt` is `select(u >= 0, u, NaN)`.
    fn root_power(&mut self, pe: &Expr, u: Value, p: &rug::Integer, q: &rug::Integer, sign: Sign) -> Result<Value> {
        let qi = q.to_u32().unwrap_or(u32::MAX);
        let k = rug::Integer::from(p / q);
        let r = rug::Integer::from(p % q);
        let ki = k.to_i32().ok_or_else(|| {
            err(
                pe,
                LowerProblem::Limit { what: "exponent", found: k.to_u64().unwrap_or(u64::MAX), limit: i32::MAX as u64 },
            )
        })?;
        let frac = match (qi, r.to_u32().unwrap_or(0)) {
            (2, 1) => self.b.sqrt(u)?,
            (3, r @ (1 | 2)) => {
                let w = if sign.nonneg() {
                    u
                } else {
                    let z = self.constant(0.0);
                    let ok = self.b.ge(u, z)?;
                    let nan = self.constant(f64::NAN);
                    self.b.select(ok, u, nan)?
                };
                let c = self.b.cbrt(w)?;
                if r == 2 { self.powi(c, 2)? } else { c }
            }
            _ => {
                let x = constant::round_rational(&rug::Rational::from((r.clone(), q.clone())), self.opts.elem);
                let xc = self.constant(x);
                self.b.pow(u, xc)?
            }
        };
        if ki == 0 {
            return Ok(frac);
        }
        let whole = self.powi(u, ki)?;
        self.b.mul(whole, frac)
    }

    /// `u ** k` for `k >= 0`.
    pub(crate) fn powi(&mut self, u: Value, k: i32) -> Result<Value> {
        match k {
            0 => Ok(self.constant(1.0)),
            1 => Ok(u),
            _ => self.b.powi(u, k),
        }
    }

    fn func(&mut self, e: &Expr, f: Func, args: &[Expr], ctx: Option<Value>) -> Result<Lowered> {
        if f == Func::LambertW && args.len() == 2 && !args[1].is_zero() {
            return Err(err(
                e,
                LowerProblem::Function {
                    name: "LambertW".to_owned(),
                    reason: "only the principal branch LambertW(x) = LambertW(x, 0) is real-valued here",
                },
            ));
        }
        let arg = &args[0];
        let a = self.value_in(arg, ctx)?;
        let sign = self.facts.sign(arg);
        let u = a.value;
        let op = match f {
            Func::Log => UnOp::Log,
            Func::Sin => UnOp::Sin,
            Func::Cos => UnOp::Cos,
            Func::Tan => UnOp::Tan,
            Func::Cot => UnOp::Cot,
            Func::Sec => UnOp::Sec,
            Func::Csc => UnOp::Csc,
            Func::Asin => UnOp::Asin,
            Func::Acos => UnOp::Acos,
            Func::Atan => UnOp::Atan,
            Func::Acot => UnOp::Acot,
            Func::Sinh => UnOp::Sinh,
            Func::Cosh => UnOp::Cosh,
            Func::Tanh => UnOp::Tanh,
            Func::Coth => UnOp::Coth,
            Func::Asinh => UnOp::Asinh,
            Func::Acosh => UnOp::Acosh,
            Func::Atanh => UnOp::Atanh,
            Func::Abs => UnOp::Abs,
            Func::Sign => UnOp::Sign,
            Func::LambertW => UnOp::LambertW,
        };
        // The domain of the real function and a value inside it for lanes of branches that are not taken. Where
        // IEEE gives NaN outside the domain the NaN marks the lane; where it gives an infinity (a pole, `log 0`,
        // `atanh 1`) a mask is computed.
        let zero = || 0.0;
        let mut defined = a.defined;
        let mut marked = a.marked;
        let safe = match f {
            Func::Log => {
                if !sign.pos() {
                    defined = self.require(defined, |s| {
                        let z = s.constant(zero());
                        s.b.gt(u, z)
                    })?;
                }
                Some(1.0)
            }
            Func::Asin | Func::Acos => {
                marked = true;
                Some(0.0)
            }
            Func::Atanh => {
                defined = self.require(defined, |s| {
                    let m = s.b.abs(u)?;
                    let one = s.constant(1.0);
                    s.b.lt(m, one)
                })?;
                Some(0.0)
            }
            Func::Acosh => {
                marked = true;
                Some(1.0)
            }
            Func::Cot | Func::Csc | Func::Coth => {
                if !sign.pos() {
                    defined = self.require(defined, |s| {
                        let z = s.constant(zero());
                        s.b.ne(u, z)
                    })?;
                }
                Some(1.0)
            }
            Func::Sinh | Func::Cosh | Func::Tan | Func::Sec => Some(0.0),
            Func::LambertW => {
                // W_0 is real for x >= -1/e; below, the IR's lambertw is NaN.
                marked = true;
                Some(0.0)
            }
            _ => None,
        };
        let w = match safe {
            Some(s) => self.sanitize(ctx, u, s)?,
            None => u,
        };
        let value = self.b.unary(op, w)?;
        Ok(Lowered { value, defined, marked })
    }

    /// `Piecewise((v1, c1), ..., (vn, cn))`: `select(c1, v1, select(c2, v2, ... NaN))`. Branch `i` is lowered
    /// in the context of the lanes where it is taken (`c_i` and no earlier condition), so its partial ops are
    /// sanitised there; condition `c_i` in the context of the lanes where it is consulted.
    fn piecewise(&mut self, bs: &[(Expr, Expr)], ctx: Option<Value>) -> Result<Lowered> {
        let mut conds = Vec::with_capacity(bs.len());
        let mut vals = Vec::with_capacity(bs.len());
        // The lanes where no earlier condition held.
        let mut rest: Option<Value> = ctx;
        for (v, c) in bs {
            let is_true = matches!(c.kind(), Kind::Bool(true));
            let cl = self.condition_in(c, rest)?;
            let cl = self.explicit(cl)?;
            let taken = if is_true {
                rest
            } else {
                Some(match rest {
                    None => cl.value,
                    Some(r) => self.b.and(r, cl.value)?,
                })
            };
            let vl = self.value_in(v, taken)?;
            conds.push((cl, is_true));
            vals.push(vl);
            if is_true {
                break;
            }
            let not_c = self.b.not(cl.value)?;
            rest = Some(match rest {
                None => not_c,
                Some(r) => self.b.and(r, not_c)?,
            });
        }
        // Build from the last branch backwards. The branch values' NaN marks pass through the selects (a taken
        // lane gets the branch's value), and so does the NaN where no branch applies.
        let marked = vals.iter().any(|v| v.marked) || !matches!(conds.last(), Some((_, true)));
        let (mut value, mut defined) = match conds.last() {
            Some((_, true)) => {
                let last = *vals.last().expect("parallel");
                (last.value, last.defined)
            }
            _ => (self.constant(f64::NAN), None),
        };
        let n = conds.len();
        let upto = if matches!(conds.last(), Some((_, true))) { n - 1 } else { n };
        for i in (0..upto).rev() {
            let (cl, _) = conds[i];
            let vl = vals[i];
            value = self.b.select(cl.value, vl.value, value)?;
            if self.opts.masks {
                // select(c, dv, rest), where `None` is true; a branch whose domain condition is its own
                // condition (`Piecewise((sqrt(x), x >= 0), ...)`) needs nothing: select(c, c, r) = c or r.
                let c = cl.value;
                let d = match (vl.defined, defined) {
                    (None, None) => None,
                    (Some(v), None) if v == c => None,
                    (Some(v), r) if v == c => {
                        let r = r.expect("matched above");
                        Some(self.b.or(c, r)?)
                    }
                    (None, Some(r)) => Some(self.b.or(c, r)?),
                    (Some(v), None) => {
                        let t = self.b.const_bool(true);
                        Some(self.b.select(c, v, t)?)
                    }
                    (Some(v), Some(r)) => Some(self.b.select(c, v, r)?),
                };
                defined = self.and(d, cl.defined)?;
            }
        }
        if let Some((cl, true)) = conds.last() {
            defined = self.and(defined, cl.defined)?;
        }
        // A mask that is the constant `true` means "everywhere".
        if let Some(d) = defined
            && matches!(self.b.graph().inst(d), crate::op::Inst::ConstBool(true))
        {
            defined = None;
        }
        Ok(Lowered { value, defined, marked })
    }

    fn condition_node(&mut self, e: &Expr, ctx: Option<Value>) -> Result<Lowered> {
        match e.kind() {
            Kind::Bool(b) => Ok(Self::plain(self.b.const_bool(*b))),
            Kind::Rel(op, a, b) => {
                // A comparison with NaN is false (or true for `ne`): the operands' marks become masks.
                let la = self.value_in(a, ctx)?;
                let la = self.explicit(la)?;
                let lb = self.value_in(b, ctx)?;
                let lb = self.explicit(lb)?;
                let cop = match op {
                    RelOp::Eq => CmpOp::Eq,
                    RelOp::Ne => CmpOp::Ne,
                    RelOp::Lt => CmpOp::Lt,
                    RelOp::Le => CmpOp::Le,
                    RelOp::Gt => CmpOp::Gt,
                    RelOp::Ge => CmpOp::Ge,
                };
                let value = self.b.cmp(cop, la.value, lb.value)?;
                let defined = self.and(la.defined, lb.defined)?;
                Ok(Lowered { value, defined, marked: false })
            }
            Kind::And(xs) | Kind::Or(xs) => {
                let is_and = matches!(e.kind(), Kind::And(_));
                let mut acc: Option<Value> = None;
                let mut defined = None;
                for x in xs.iter() {
                    let l = self.condition_in(x, ctx)?;
                    defined = self.and(defined, l.defined)?;
                    acc = Some(match acc {
                        None => l.value,
                        Some(a) if is_and => self.b.and(a, l.value)?,
                        Some(a) => self.b.or(a, l.value)?,
                    });
                }
                let value = acc.unwrap_or_else(|| self.b.const_bool(is_and));
                Ok(Lowered { value, defined, marked: false })
            }
            Kind::Not(x) => {
                let l = self.condition_in(x, ctx)?;
                let value = self.b.not(l.value)?;
                Ok(Lowered { value, defined: l.defined, marked: false })
            }
            _ => Err(err(e, LowerProblem::ValueAsCondition)),
        }
    }
}
