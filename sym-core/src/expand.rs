//! Expansion: products of sums are multiplied out and positive integer powers of sums are
//! expanded (multinomially), recursively inside every subexpression, as SymPy's `expand()` does
//! with its default `mul` and `multinomial` hints. Negative integer powers of sums expand their
//! denominator (`1/(x + 1)**2` becomes `1/(x**2 + 2*x + 1)`).
//!
//! The engine works on a map from monomials to coefficients, so like terms collect as they are
//! produced. Work is bounded: [`ExpandLimits`] caps the number of terms and of monomial
//! multiplications, and exceeding either is a [`CoreError::Limit`], never a hang.

use crate::error::CoreError;
use crate::expr::{Constant, Expr, Kind, map_children};
use crate::hash::ExprMap;
use crate::number::Number;
use crate::poly::expr::{Generators, expr_to_mpoly, expr_to_mpoly_z, mpoly_to_expr};
use crate::poly::{Lex, Limits, PolyError};

/// Bounds on the work of one expansion.
#[derive(Clone, Copy, Debug)]
pub struct ExpandLimits {
    /// The largest number of terms in any intermediate or final sum.
    pub max_terms: usize,
    /// The largest number of term-by-term multiplications in total.
    pub max_products: u64,
}

impl Default for ExpandLimits {
    fn default() -> ExpandLimits {
        ExpandLimits { max_terms: 2_000_000, max_products: 50_000_000 }
    }
}

impl Expr {
    /// The expanded form, with the default limits.
    pub fn expand(&self) -> Result<Expr, CoreError> {
        self.expand_with(ExpandLimits::default())
    }

    /// The expanded form, with explicit limits.
    pub fn expand_with(&self, limits: ExpandLimits) -> Result<Expr, CoreError> {
        if is_expanded_polynomial(self) {
            return Ok(self.clone());
        }
        let mut ex = Expander { limits, products: 0, memo: ExprMap::default() };
        if poly_path_applies(self) {
            // Expand inside the atoms first, then multiply out with the polynomial engine.
            let inner = expand_atoms(self, &mut ex)?;
            let plimits = Limits { max_terms: limits.max_terms as u64, ..Limits::default() };
            let over_limit = || CoreError::Limit { what: "terms in expand", limit: limits.max_terms as u64 };
            // Integer coefficients first (machine words, no allocation), rationals otherwise.
            let mut gens = Generators::new([]);
            match expr_to_mpoly_z::<Lex>(&inner, &mut gens, &plimits) {
                Ok(p) => return reexpand(mpoly_to_expr(&p, gens.gens()), &mut ex),
                Err(PolyError::Limit { .. }) => return Err(over_limit()),
                Err(_) => {}
            }
            let mut gens = Generators::new([]);
            match expr_to_mpoly::<Lex>(&inner, &mut gens, &plimits) {
                Ok(p) => return reexpand(mpoly_to_expr(&p, gens.gens()), &mut ex),
                Err(PolyError::Limit { .. }) => return Err(over_limit()),
                Err(_) => {}
            }
        }
        let t = ex.expand(self)?;
        Ok(t.into_expr())
    }
}

/// The polynomial engine treats radicals as independent generators, so a term of its result can
/// hold a power of a sum once they combine (`sqrt(x + 1)**2` is `x + 1`, making `x*(x + 1)`):
/// such terms are expanded again, term by term; the others are kept as they are.
fn reexpand(e: Expr, ex: &mut Expander) -> Result<Expr, CoreError> {
    let terms = e.terms();
    if !terms.iter().any(has_sum_power) {
        return Ok(e);
    }
    let mut acc = Terms::default();
    for t in &terms {
        if has_sum_power(t) {
            for (m, k) in ex.expand(t)?.pairs() {
                acc.push(&m, &k);
            }
        } else {
            acc.push(t, &Number::ONE);
        }
        ex.check_terms(acc.len())?;
    }
    Ok(acc.into_expr())
}

/// Whether `e` is already a sum of monomials in symbols with positive integer exponents (the
/// output form of expansion), so expanding it changes nothing.
fn is_expanded_polynomial(e: &Expr) -> bool {
    let monomial = |t: &Expr| -> bool {
        let ok = |b: &Expr, p: &Expr| b.as_symbol().is_some() && p.as_i64().is_some_and(|k| k > 0);
        match t.kind() {
            Kind::Sym(_) => true,
            Kind::Pow(b, p) => ok(b, p),
            Kind::Mul(m) => m.coeff.is_one() && m.factors.iter().all(|(b, p)| ok(b, p)),
            _ => false,
        }
    };
    match e.kind() {
        Kind::Add(a) => a.terms.iter().all(|(t, _)| monomial(t)),
        _ => false,
    }
}

/// Whether the polynomial engine can expand `e` with the same result as the term-by-term
/// expander: no floats (polynomials are over Q), no infinities, and no negative powers of sums (whose
/// denominators `expand` multiplies out).
fn poly_path_applies(e: &Expr) -> bool {
    let mut stack = vec![e.clone()];
    while let Some(n) = stack.pop() {
        match n.kind() {
            Kind::Num(x) if x.is_float() => return false,
            Kind::Add(a) if a.constant.is_float() || a.terms.iter().any(|(_, c)| c.is_float()) => return false,
            Kind::Mul(m) if m.coeff.is_float() => return false,
            Kind::Rel(..) | Kind::Bool(_) | Kind::And(_) | Kind::Or(_) | Kind::Not(_) => return false,
            // Infinities are no polynomial generators (`oo - oo`, `(-oo)**2`): the term path
            // multiplies them through the canonical constructors.
            Kind::Const(Constant::Infinity | Constant::NegInfinity | Constant::ComplexInfinity | Constant::NaN) => {
                return false;
            }
            _ => {}
        }
        let pairs: Vec<(Expr, Expr)> = match n.kind() {
            Kind::Pow(b, p) => vec![(b.clone(), p.clone())],
            Kind::Mul(m) => m.factors.to_vec(),
            _ => Vec::new(),
        };
        if pairs.iter().any(|(b, p)| matches!(b.kind(), Kind::Add(_)) && p.as_number().is_some_and(Number::is_negative))
        {
            return false;
        }
        stack.extend(n.children());
    }
    true
}

/// Expands the insides of the non-polynomial parts of `e` (function arguments, bases and
/// exponents of non-integer powers), leaving the polynomial structure for the engine.
fn expand_atoms(e: &Expr, ex: &mut Expander) -> Result<Expr, CoreError> {
    match e.kind() {
        Kind::Num(_) | Kind::Sym(_) | Kind::Const(_) => Ok(e.clone()),
        Kind::Add(_) | Kind::Mul(_) => map_children(e, |c| expand_atoms(c, ex)),
        Kind::Pow(b, p) if p.as_i64().is_some_and(|k| k >= 0) => Ok(Expr::pow(expand_atoms(b, ex)?, p.clone())),
        _ => map_children(e, |c| ex.expand(c).map(Terms::into_expr)),
    }
}

/// Whether `e` is a sum, a positive integer power of one, or a product with such a factor: what a
/// product of expanded monomials can turn into when radicals combine, and must be expanded again.
fn has_sum_power(e: &Expr) -> bool {
    let sum_power = |b: &Expr, p: &Expr| matches!(b.kind(), Kind::Add(_)) && p.as_i64().is_some_and(|k| k >= 1);
    match e.kind() {
        Kind::Add(_) => true,
        Kind::Pow(b, p) => sum_power(b, p),
        Kind::Mul(m) => m.factors.iter().any(|(b, p)| sum_power(b, p)),
        _ => false,
    }
}

/// A sum under construction: a constant and distinct monomials with their coefficients.
#[derive(Clone, Default)]
struct Terms {
    constant: Number,
    index: ExprMap<usize>,
    terms: Vec<(Expr, Number)>,
}

impl Terms {
    fn single(e: Expr) -> Terms {
        let mut t = Terms::default();
        t.push(&e, &Number::ONE);
        t
    }

    fn len(&self) -> usize {
        self.terms.len() + usize::from(!self.constant.is_zero())
    }

    /// Adds `c * e` for an already-expanded `e`.
    fn push(&mut self, e: &Expr, c: &Number) {
        match e.kind() {
            Kind::Num(n) => self.constant = &self.constant + &(c * n),
            Kind::Add(a) => {
                self.constant = &self.constant + &(c * &a.constant);
                for (t, k) in a.terms.iter() {
                    self.add_monomial(t, c * k);
                }
            }
            _ => {
                let (k, m) = e.as_coeff_monomial();
                if m.is_one() {
                    self.constant = &self.constant + &(c * &k);
                } else {
                    self.add_monomial(&m, c * &k);
                }
            }
        }
    }

    fn add_monomial(&mut self, m: &Expr, c: Number) {
        match self.index.get(m) {
            Some(&i) => self.terms[i].1 = &self.terms[i].1 + &c,
            None => {
                self.index.insert(m.clone(), self.terms.len());
                self.terms.push((m.clone(), c));
            }
        }
    }

    /// All `(monomial, coefficient)` pairs, the constant included as monomial `1`.
    fn pairs(&self) -> Vec<(Expr, Number)> {
        let mut out: Vec<(Expr, Number)> = self.terms.iter().filter(|(_, c)| !c.is_zero()).cloned().collect();
        if !self.constant.is_zero() {
            out.push((Expr::one(), self.constant.clone()));
        }
        out
    }

    fn is_sum(&self) -> bool {
        self.len() > 1
    }

    fn into_expr(self) -> Expr {
        Expr::add_from_unique_terms(self.constant, self.terms)
    }
}

struct Expander {
    limits: ExpandLimits,
    products: u64,
    memo: ExprMap<Expr>,
}

impl Expander {
    fn expand(&mut self, e: &Expr) -> Result<Terms, CoreError> {
        if e.depth() == 0 {
            return Ok(Terms::single(e.clone()));
        }
        if let Some(v) = self.memo.get(e) {
            return Ok(Terms::single(v.clone()));
        }
        let t = stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || self.expand_node(e))?;
        if t.len() <= 64 {
            self.memo.insert(e.clone(), t.clone().into_expr());
        }
        Ok(t)
    }

    fn expand_node(&mut self, e: &Expr) -> Result<Terms, CoreError> {
        match e.kind() {
            Kind::Add(a) => {
                let mut acc = Terms { constant: a.constant.clone(), ..Terms::default() };
                for (t, c) in a.terms.iter() {
                    let te = self.expand(t)?;
                    for (m, k) in te.pairs() {
                        acc.push(&m, &(c * &k));
                    }
                    self.check_terms(acc.len())?;
                }
                Ok(acc)
            }
            Kind::Mul(m) => {
                let mut acc = Terms { constant: m.coeff.clone(), ..Terms::default() };
                for (b, p) in m.factors.iter() {
                    let f = self.expand_pow(b, p)?;
                    acc = self.multiply(&acc, &f)?;
                }
                Ok(acc)
            }
            Kind::Pow(b, p) => self.expand_pow(b, p),
            _ => {
                let v = map_children(e, |c| self.expand(c).map(Terms::into_expr))?;
                Ok(Terms::single(v))
            }
        }
    }

    fn expand_pow(&mut self, b: &Expr, p: &Expr) -> Result<Terms, CoreError> {
        let base = self.expand(b)?;
        let exp = self.expand(p)?.into_expr();
        if let Some(n) = exp.as_i64()
            && base.is_sum()
        {
            if n > 0 {
                return self.power(&base, n as u64);
            }
            if n < 0 {
                let den = self.power(&base, n.unsigned_abs())?.into_expr();
                return Ok(Terms::single(Expr::recip(den)));
            }
        }
        Ok(Terms::single(Expr::pow(base.into_expr(), exp)))
    }

    /// `base ** n` by binary powering.
    fn power(&mut self, base: &Terms, n: u64) -> Result<Terms, CoreError> {
        // A sum of k terms to the n-th power has at most C(n + k - 1, k - 1) terms.
        let k = base.len() as f64;
        let bound = (1..base.len()).fold(1.0f64, |acc, i| acc * (n as f64 + i as f64) / i as f64);
        if k > 1.0 && bound > self.limits.max_terms as f64 {
            return Err(CoreError::Limit { what: "terms in expand", limit: self.limits.max_terms as u64 });
        }
        let mut result: Option<Terms> = None;
        let mut sq = base.clone();
        let mut k = n;
        loop {
            if k & 1 == 1 {
                result = Some(match result {
                    None => sq.clone(),
                    Some(r) => self.multiply(&r, &sq)?,
                });
            }
            k >>= 1;
            if k == 0 {
                break;
            }
            sq = self.multiply(&sq, &sq)?;
        }
        Ok(result.unwrap_or_else(|| Terms::single(Expr::one())))
    }

    fn multiply(&mut self, a: &Terms, b: &Terms) -> Result<Terms, CoreError> {
        let (pa, pb) = (a.pairs(), b.pairs());
        self.products = self.products.saturating_add((pa.len() as u64).saturating_mul(pb.len() as u64));
        if self.products > self.limits.max_products {
            return Err(CoreError::Limit { what: "term multiplications in expand", limit: self.limits.max_products });
        }
        let mut out = Terms::default();
        for (ma, ca) in &pa {
            for (mb, cb) in &pb {
                let c = ca * cb;
                if ma.is_one() {
                    out.push(mb, &c);
                } else if mb.is_one() {
                    out.push(ma, &c);
                } else {
                    let prod = Expr::mul(ma.clone(), mb.clone());
                    if has_sum_power(&prod) {
                        // A product of radicals can turn into a sum or a power of one
                        // (sqrt(x + 1)**2, x*sqrt(x + 1)**2); expand it.
                        let inner = self.expand(&prod)?;
                        for (m, k) in inner.pairs() {
                            out.push(&m, &(&c * &k));
                        }
                    } else {
                        out.push(&prod, &c);
                    }
                }
            }
            self.check_terms(out.len())?;
        }
        Ok(out)
    }

    fn check_terms(&self, n: usize) -> Result<(), CoreError> {
        if n > self.limits.max_terms {
            return Err(CoreError::Limit { what: "terms in expand", limit: self.limits.max_terms as u64 });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::parse;
    use expect_test::{Expect, expect};

    fn check(input: &str, expect: Expect) {
        expect.assert_eq(&parse(input).unwrap().expand().unwrap().to_string());
    }

    #[test]
    fn expands() {
        check("(x + 1)**2", expect![["x**2 + 2*x + 1"]]);
        check("(x + y)*(x - y)", expect![["x**2 - y**2"]]);
        check("(sqrt(2) + 1)**2", expect![["2*sqrt(2) + 3"]]);
        check("sin((x + 1)**2)", expect![["sin(x**2 + 2*x + 1)"]]);
        check("1/(x + 1)**2", expect![["1/(x**2 + 2*x + 1)"]]);
        check("(sqrt(x + 1) + 1)*(sqrt(x + 1) - 1)", expect![["x"]]);
        // Radicals that combine into a power of a sum inside a product are expanded too.
        check("(x*sqrt(x + 1) + 1)*(sqrt(x + 1) - 1)", expect!["x**2 - x*sqrt(x + 1) + x + sqrt(x + 1) - 1"]);
    }

    #[test]
    fn multinomial_term_count() {
        let e = parse("(x + y + z + 1)**20").unwrap().expand().unwrap();
        assert_eq!(e.terms().len(), 1771);
    }

    #[test]
    fn limits_are_errors() {
        let e = parse("(x + y + z + w + 1)**1000").unwrap();
        assert!(matches!(e.expand(), Err(crate::CoreError::Limit { .. })));
        // Refused up front, not after grinding through huge coefficients: few terms, each with
        // a hundred million bits; and a number of terms over the limit.
        for text in ["(x + y)**100000000", "(2*x + 3)**3000000", "(x**2 + x*y + y**2)**3000000"] {
            assert!(matches!(parse(text).unwrap().expand(), Err(crate::CoreError::Limit { .. })), "{text}");
        }
        // The bounds are not too tight: the homogeneous band counts 2k + 1 terms, not C(k + 2, 2).
        let e = parse("(x**2 + x*y + y**2)**1500").unwrap().expand().unwrap();
        assert_eq!(e.terms().len(), 3001);
    }
}
