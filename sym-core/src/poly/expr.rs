//! Conversions between expressions ([`Expr`]) and polynomials.
//!
//! An expression is read as a polynomial in *generators*: symbols, and every subexpression that
//! is not polynomial in them (`sin(x)`, `pi`, `exp(x)`, `(x + 1)**y`, ...). Sums, products,
//! rational numbers and non-negative integer powers are the polynomial structure; a power with a
//! rational exponent `p/q` becomes the generator `b**(1/q)` (or `b**(-1/q)` for `p < 0`) raised to
//! `|p|`, as SymPy does, so `x**(3/2)` is `(x**(1/2))**3` and `1/x**2` is `(1/x)**2`. Floats,
//! relations and booleans are not polynomial and are refused.
//!
//! * [`expr_to_mpoly`]: coefficients in `Q`, generators in a [`Generators`] list that grows as
//!   new generators are met (new ones sorted: symbols by name, then the others by printed form);
//! * [`expr_to_param_mpoly`]: polynomial in chosen *variables* with coefficients in `Q[params]`:
//!   generators that involve a variable's symbols become variables, all others parameters;
//! * [`mpoly_to_expr`], [`param_mpoly_to_expr`], [`upoly_to_expr`]: back to canonical
//!   expressions.
//!
//! Expansion of powers of sums obeys the given [`Limits`].

use crate::expr::{Expr, Kind, free_symbols};
use crate::number::Number;
use crate::poly::monomial::MonomialOrder;
use crate::poly::mpoly::{MPoly, PolyRing};
use crate::poly::ring::{Int, IntegerRing, RationalField, Ring};
use crate::poly::upoly::UPoly;
use crate::poly::{Limits, PolyError};
use crate::symbol::Symbol;
use rug::{Integer, Rational};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

/// An ordered list of generators (`x_i` is `gens[i]`), with lookup.
#[derive(Clone, Debug, Default)]
pub struct Generators {
    gens: Vec<Expr>,
    index: HashMap<Expr, usize>,
}

impl Generators {
    /// The generators in this order.
    pub fn new(gens: impl IntoIterator<Item = Expr>) -> Generators {
        let mut g = Generators::default();
        for e in gens {
            g.insert(&e);
        }
        g
    }

    /// The symbols as generators.
    pub fn from_symbols(symbols: &[Symbol]) -> Generators {
        Generators::new(symbols.iter().map(|s| Expr::sym(*s)))
    }

    /// The generators.
    pub fn gens(&self) -> &[Expr] {
        &self.gens
    }

    /// The number of generators.
    pub fn len(&self) -> usize {
        self.gens.len()
    }

    /// Whether there are no generators.
    pub fn is_empty(&self) -> bool {
        self.gens.is_empty()
    }

    /// The index of `e`, if it is a generator.
    pub fn position(&self, e: &Expr) -> Option<usize> {
        self.index.get(e).copied()
    }

    /// The index of `e`, appending it when new.
    pub fn insert(&mut self, e: &Expr) -> usize {
        if let Some(&i) = self.index.get(e) {
            return i;
        }
        self.gens.push(e.clone());
        self.index.insert(e.clone(), self.gens.len() - 1);
        self.gens.len() - 1
    }

    /// The symbols occurring in the generators.
    fn symbols(&self) -> BTreeSet<Symbol> {
        self.gens.iter().flat_map(free_symbols).collect()
    }
}

/// How a subexpression enters the polynomial structure.
enum Shape<'a> {
    /// A rational number.
    Number(Rational),
    /// A sum `constant + sum c_i t_i`.
    Add(&'a crate::expr::AddData),
    /// A product `coeff * prod b_i^e_i`.
    Mul(&'a crate::expr::MulData),
    /// `base^k` for a non-negative integer `k`.
    Power(&'a Expr, u64),
    /// A generator raised to a positive integer power.
    Atom(Expr, u64),
}

fn unsupported(why: &'static str) -> PolyError {
    PolyError::Unsupported { op: "expr_to_mpoly", why }
}

/// Classifies `e` (see the module documentation).
fn shape(e: &Expr) -> Result<Shape<'_>, PolyError> {
    Ok(match e.kind() {
        Kind::Num(n) => match n.to_rational() {
            Some(r) => Shape::Number(r),
            None => return Err(unsupported("floating-point numbers are not exact coefficients")),
        },
        Kind::Add(a) => Shape::Add(a),
        Kind::Mul(m) => Shape::Mul(m),
        Kind::Pow(b, p) => power_shape(e, b, p),
        Kind::Rel(..) | Kind::Bool(_) | Kind::And(_) | Kind::Or(_) | Kind::Not(_) => {
            return Err(unsupported("relations and conditions are not polynomials"));
        }
        _ => Shape::Atom(e.clone(), 1),
    })
}

/// The shape of the factor `base ** exp` of a product (the power is only built when the exponent
/// is not a non-negative machine integer).
fn factor_shape<'a>(base: &'a Expr, exp: &Expr) -> Shape<'a> {
    match exp.as_i64() {
        Some(k) if k >= 0 => Shape::Power(base, k as u64),
        _ => power_shape(&Expr::pow(base.clone(), exp.clone()), base, exp),
    }
}

/// The shape of `base ** exp`.
fn power_shape<'a>(whole: &Expr, base: &'a Expr, exp: &Expr) -> Shape<'a> {
    if let Some(k) = exp.as_i64().filter(|k| *k >= 0) {
        return Shape::Power(base, k as u64);
    }
    let Some(r) = exp.as_rational() else {
        return Shape::Atom(whole.clone(), 1);
    };
    if *r.denom() == 1
        && let Some(k) = r.numer().to_u64()
    {
        return Shape::Power(base, k);
    }
    // b**(p/q) = (b**(sign(p)/q))**|p|.
    let p = r.numer().clone();
    let q = r.denom().clone();
    let unit = if p < 0 { -1 } else { 1 };
    let Some(k) = Integer::from(p.abs_ref()).to_u64() else {
        return Shape::Atom(whole.clone(), 1);
    };
    let root = Expr::pow(base.clone(), Expr::num(Number::from_rational(Rational::from((Integer::from(unit), q)))));
    match root.kind() {
        Kind::Pow(b2, _) if b2 == base => Shape::Atom(root, k),
        _ => Shape::Atom(whole.clone(), 1),
    }
}

/// Records every generator of `e` (in the order met) into `gens` through `place`.
fn collect_atoms(e: &Expr, place: &mut dyn FnMut(&Expr)) -> Result<(), PolyError> {
    stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || match shape(e)? {
        Shape::Number(_) => Ok(()),
        Shape::Add(a) => {
            for (t, _) in a.terms.iter() {
                collect_atoms(t, place)?;
            }
            Ok(())
        }
        Shape::Mul(m) => {
            for (b, p) in m.factors.iter() {
                match factor_shape(b, p) {
                    Shape::Power(b, _) => collect_atoms(b, place)?,
                    Shape::Atom(a, _) => place(&a),
                    _ => unreachable!("power_shape returns powers or atoms"),
                }
            }
            Ok(())
        }
        Shape::Power(b, _) => collect_atoms(b, place),
        Shape::Atom(a, _) => {
            place(&a);
            Ok(())
        }
    })
}

/// The generators of `e` that `known` does not know, in a deterministic order: symbols by name,
/// then the other generators by their printed form.
fn new_atoms(e: &Expr, known: impl Fn(&Expr) -> bool) -> Result<Vec<Expr>, PolyError> {
    let mut found: Vec<Expr> = Vec::new();
    let mut seen: std::collections::HashSet<Expr> = std::collections::HashSet::new();
    collect_atoms(e, &mut |a| {
        if !known(a) && seen.insert(a.clone()) {
            found.push(a.clone());
        }
    })?;
    // A generator whose tree (shared subtrees counted each time) is large would print to a huge
    // string (exponentially so for a deeply shared graph): those sort last, in the order found.
    let key = |a: &Expr| -> (bool, Cow<'static, str>) {
        if let Some(s) = a.as_symbol() {
            // A symbol prints as its name.
            (false, Cow::Borrowed(s.name()))
        } else if a.tree_size(PRINTED_KEY_MAX_NODES + 1) <= PRINTED_KEY_MAX_NODES {
            (false, Cow::Owned(a.to_string()))
        } else {
            (true, Cow::Borrowed(""))
        }
    };
    let mut keyed: Vec<(bool, (bool, Cow<'static, str>), Expr)> =
        found.into_iter().map(|a| (a.as_symbol().is_none(), key(&a), a)).collect();
    keyed.sort_by(|x, y| (x.0, &x.1).cmp(&(y.0, &y.1)));
    Ok(keyed.into_iter().map(|(_, _, a)| a).collect())
}

/// The largest generator, in tree nodes, that is ordered by its printed form.
const PRINTED_KEY_MAX_NODES: usize = 10_000;

/// Converts `e` with every generator already in `index` (a map from generator to variable).
fn convert<R: ExactCoeffs, O: MonomialOrder>(
    e: &Expr,
    index: &dyn Fn(&Expr) -> usize,
    nvars: usize,
    limits: &Limits,
    q: &R,
) -> Result<MPoly<R, O>, PolyError> {
    let coeff = |r: Option<Rational>| -> Result<R::Elem, PolyError> {
        let r = r.ok_or_else(|| unsupported("floating-point numbers are not exact coefficients"))?;
        q.elem_from_rational(&r).ok_or(PolyError::NotExact { op: "expr_to_mpoly" })
    };
    let atom = |a: &Expr, k: u64| -> Result<MPoly<R, O>, PolyError> {
        let mut exps = vec![0u64; nvars];
        exps[index(a)] = k;
        MPoly::monomial(q.clone(), q.one(), &exps)
    };
    stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || match shape(e)? {
        Shape::Number(r) => Ok(MPoly::constant(q.clone(), nvars, coeff(Some(r))?)),
        Shape::Add(a) => {
            let c = coeff(a.constant.to_rational())?;
            // Summands are added pairwise in a balanced tree: n additions of small polynomials cost
            // O(n log n) term moves instead of the O(n^2) of a running sum.
            let mut parts = vec![MPoly::constant(q.clone(), nvars, c)];
            for (t, c) in a.terms.iter() {
                let c = coeff(c.to_rational())?;
                parts.push(convert::<R, O>(t, index, nvars, limits, q)?.scale(&c));
            }
            while parts.len() > 1 {
                let mut next = Vec::with_capacity(parts.len().div_ceil(2));
                let mut it = parts.into_iter();
                while let Some(a) = it.next() {
                    next.push(match it.next() {
                        Some(b) => a.add(&b),
                        None => a,
                    });
                }
                parts = next;
            }
            let sum = parts.pop().unwrap_or_else(|| MPoly::zero(q.clone(), nvars));
            limits.check_terms("expr_to_mpoly", sum.len() as u64)?;
            Ok(sum)
        }
        Shape::Mul(m) => {
            let c = coeff(m.coeff.to_rational())?;
            if let Some(exps) = monomial_exponents(m, index, nvars, limits) {
                return MPoly::monomial(q.clone(), c, &exps);
            }
            let mut prod = MPoly::constant(q.clone(), nvars, c);
            for (b, p) in m.factors.iter() {
                let f = match factor_shape(b, p) {
                    Shape::Power(b, k) => convert::<R, O>(b, index, nvars, limits, q)?.pow(k, limits)?,
                    Shape::Atom(a, k) => atom(&a, k)?,
                    _ => unreachable!("power_shape returns powers or atoms"),
                };
                prod = prod.try_mul(&f, limits)?;
            }
            Ok(prod)
        }
        Shape::Power(b, k) => match shape(b)? {
            // A generator's power is a monomial (within the degree limit, as `pow` checks).
            Shape::Atom(a, j) if j.checked_mul(k).is_some_and(|d| d <= limits.max_degree) => atom(&a, j * k),
            _ => convert::<R, O>(b, index, nvars, limits, q)?.pow(k, limits),
        },
        Shape::Atom(a, k) => atom(&a, k),
    })
}

/// The exponents of a product whose factors are all powers of generators (`3*x**2*y`), when its
/// total degree is within the limit (else the caller multiplies, which reports the limit):
/// the product is then one monomial, without polynomial multiplications.
fn monomial_exponents(
    m: &crate::expr::MulData,
    index: &dyn Fn(&Expr) -> usize,
    nvars: usize,
    limits: &Limits,
) -> Option<Vec<u64>> {
    let mut exps = vec![0u64; nvars];
    let mut total = 0u64;
    for (b, p) in m.factors.iter() {
        let (a, k) = match factor_shape(b, p) {
            Shape::Power(b, k) => match shape(b).ok()? {
                Shape::Atom(a, j) => (a, j.checked_mul(k)?),
                _ => return None,
            },
            Shape::Atom(a, k) => (a, k),
            _ => return None,
        };
        let slot = &mut exps[index(&a)];
        *slot = slot.checked_add(k)?;
        total = total.checked_add(k)?;
    }
    (total <= limits.max_degree).then_some(exps)
}

/// `e` as a polynomial over `Q` in `gens`; generators not yet listed are appended (symbols by
/// name, then the others by printed form).
pub fn expr_to_mpoly<O: MonomialOrder>(
    e: &Expr,
    gens: &mut Generators,
    limits: &Limits,
) -> Result<MPoly<RationalField, O>, PolyError> {
    for a in new_atoms(e, |a| gens.position(a).is_some())? {
        gens.insert(&a);
    }
    let n = gens.len();
    let g = &*gens;
    convert::<RationalField, O>(e, &|a| g.position(a).expect("collected"), n, limits, &RationalField)
}

/// `e` as a polynomial over `Z` in `gens` (like [`expr_to_mpoly`], for expressions whose
/// coefficients are all integers: [`PolyError::NotExact`] otherwise). Integer arithmetic keeps
/// machine-size coefficients unboxed, which makes large expansions several times faster.
pub fn expr_to_mpoly_z<O: MonomialOrder>(
    e: &Expr,
    gens: &mut Generators,
    limits: &Limits,
) -> Result<MPoly<IntegerRing, O>, PolyError> {
    for a in new_atoms(e, |a| gens.position(a).is_some())? {
        gens.insert(&a);
    }
    let n = gens.len();
    let g = &*gens;
    convert::<IntegerRing, O>(e, &|a| g.position(a).expect("collected"), n, limits, &IntegerRing)
}

/// Coefficient rings that exact numbers convert into.
pub trait ExactCoeffs: Ring + Clone {
    /// The element for a rational, or `None` when the ring does not contain it.
    fn elem_from_rational(&self, r: &Rational) -> Option<Self::Elem>;
}

impl ExactCoeffs for RationalField {
    fn elem_from_rational(&self, r: &Rational) -> Option<Rational> {
        Some(r.clone())
    }
}

impl ExactCoeffs for IntegerRing {
    fn elem_from_rational(&self, r: &Rational) -> Option<Int> {
        (*r.denom() == 1).then(|| Int::from(r.numer().clone()))
    }
}

/// `e` as a polynomial in the variables `vars` with coefficients polynomial in `params` over
/// `Q`. Generators met that involve a symbol of `vars` are appended to `vars`, all others to
/// `params`.
pub fn expr_to_param_mpoly<O: MonomialOrder>(
    e: &Expr,
    vars: &mut Generators,
    params: &mut Generators,
    limits: &Limits,
) -> Result<MPoly<PolyRing<RationalField, O>, O>, PolyError> {
    let var_symbols = vars.symbols();
    for a in new_atoms(e, |a| vars.position(a).is_some() || params.position(a).is_some())? {
        if free_symbols(&a).iter().any(|s| var_symbols.contains(s)) {
            vars.insert(&a);
        } else {
            params.insert(&a);
        }
    }
    let (nv, np) = (vars.len(), params.len());
    let (v, p) = (&*vars, &*params);
    let flat = convert::<RationalField, O>(
        e,
        &|a| v.position(a).unwrap_or_else(|| nv + p.position(a).expect("collected")),
        nv + np,
        limits,
        &RationalField,
    )?;
    Ok(flat.unflatten(nv))
}

/// A coefficient ring whose elements have expressions.
pub trait CoeffToExpr: Ring {
    /// The expression of a coefficient.
    fn coeff_to_expr(&self, c: &Self::Elem) -> Expr;
}

impl CoeffToExpr for RationalField {
    fn coeff_to_expr(&self, c: &Rational) -> Expr {
        Expr::num(Number::from_rational(c.clone()))
    }
}

impl CoeffToExpr for IntegerRing {
    fn coeff_to_expr(&self, c: &Int) -> Expr {
        match c.as_i64() {
            Some(v) => Expr::int(v),
            None => Expr::num(Number::from_integer(c.to_integer())),
        }
    }
}

/// `gen^k` as an expression.
fn power_expr(g: &Expr, k: u64) -> Expr {
    match k {
        1 => g.clone(),
        _ => Expr::pow(g.clone(), Expr::num(Number::from_integer(Integer::from(k)))),
    }
}

/// The canonical expression of `p`, with `x_i` read as `gens[i]`.
///
/// # Panics
///
/// Panics when `gens` has fewer entries than `p` has variables.
pub fn mpoly_to_expr<R: CoeffToExpr, O: MonomialOrder>(p: &MPoly<R, O>, gens: &[Expr]) -> Expr {
    assert!(gens.len() >= p.nvars(), "fewer generators than variables");
    if gens.iter().all(is_free_generator) {
        return free_generators_to_expr(p, gens);
    }
    let terms = p.terms().map(|(c, e)| {
        let mut factors = vec![p.ring().coeff_to_expr(c)];
        for (g, &k) in gens.iter().zip(&e) {
            if k > 0 {
                factors.push(power_expr(g, k));
            }
        }
        Expr::mul_all(factors)
    });
    Expr::add_all(terms.collect::<Vec<_>>())
}

/// Generators whose powers are canonical product factors as they stand and never simplify
/// against each other: symbols, function applications and `pi` (not radicals, whose powers
/// reduce, nor sums, nor `E`, nor numbers).
fn is_free_generator(g: &Expr) -> bool {
    matches!(g.kind(), Kind::Sym(_) | Kind::Func(..)) || g.is_const(crate::expr::Constant::Pi)
}

/// The fast conversion for free generators: distinct exponent vectors give distinct canonical
/// monomials, so terms and factors are assembled directly, without re-canonicalising.
fn free_generators_to_expr<R: CoeffToExpr, O: MonomialOrder>(p: &MPoly<R, O>, gens: &[Expr]) -> Expr {
    let mut constant = Number::ZERO;
    let mut terms: Vec<(Expr, Number)> = Vec::with_capacity(p.len());
    for (c, e) in p.terms() {
        let coeff = match p.ring().coeff_to_expr(c).kind() {
            Kind::Num(n) => n.clone(),
            _ => unreachable!("coefficients convert to numbers"),
        };
        let mut factors: Vec<(Expr, Expr)> = Vec::with_capacity(e.iter().filter(|k| **k > 0).count());
        for (g, &k) in gens.iter().zip(&e) {
            if k > 0 {
                let exp = match i64::try_from(k) {
                    Ok(v) => Expr::int(v),
                    Err(_) => Expr::num(Number::from_integer(Integer::from(k))),
                };
                factors.push((g.clone(), exp));
            }
        }
        if factors.is_empty() {
            constant = coeff;
        } else {
            terms.push((Expr::mul_from_unique_factors(Number::ONE, factors), coeff));
        }
    }
    Expr::add_from_unique_terms(constant, terms)
}

/// The canonical expression of a polynomial with polynomial coefficients: `x_i` is `vars[i]` and
/// the coefficients' variables are `params`.
pub fn param_mpoly_to_expr<R: CoeffToExpr, O: MonomialOrder>(
    p: &MPoly<PolyRing<R, O>, O>,
    vars: &[Expr],
    params: &[Expr],
) -> Expr {
    let all: Vec<Expr> = vars.iter().chain(params).cloned().collect();
    mpoly_to_expr(&p.flatten(), &all)
}

/// The canonical expression of a univariate polynomial in `x`.
pub fn upoly_to_expr<R: CoeffToExpr>(p: &UPoly<R>, x: &Expr) -> Expr {
    let terms = p.coeffs().iter().enumerate().filter(|(_, c)| !p.ring().is_zero(c)).map(|(k, c)| {
        let c = p.ring().coeff_to_expr(c);
        if k == 0 { c } else { Expr::mul(c, power_expr(x, k as u64)) }
    });
    Expr::add_all(terms.collect::<Vec<_>>())
}

/// `e` as a univariate polynomial over `Q` in the symbol `x`, or an error when `e` involves
/// another generator.
pub fn expr_to_upoly(e: &Expr, x: Symbol, limits: &Limits) -> Result<UPoly<RationalField>, PolyError> {
    let mut gens = Generators::from_symbols(&[x]);
    let p: MPoly<RationalField, crate::poly::Lex> = expr_to_mpoly(e, &mut gens, limits)?;
    p.to_upoly(0).map_err(|_| PolyError::Unsupported {
        op: "expr_to_upoly",
        why: "the expression involves generators other than the variable",
    })
}
