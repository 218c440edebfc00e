//! Rational-function structure of expressions: numerator/denominator splitting, univariate
//! coefficient extraction, and the polynomial test.
//!
//! `as_numer_denom` writes `e = n / d` over a common denominator without cancelling (SymPy's
//! `as_numer_denom`): sums are brought to a common denominator (equal denominators are shared),
//! negative integer powers move to the denominator. Cancelling common factors is
//! [`crate::Expr::cancel`]'s job.

use crate::expr::{Expr, Kind};
use crate::number::Number;
use crate::symbol::Symbol;

/// The largest degree [`Expr::cancel`] works with by default: its gcds take dense views in a
/// variable, so a degree of `10**8` would need gigabytes.
pub const CANCEL_MAX_DEGREE: u64 = 1 << 16;

impl Expr {
    /// `(numerator, denominator)` with `self = numerator / denominator`.
    pub fn as_numer_denom(&self) -> (Expr, Expr) {
        stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || numer_denom(self))
    }

    /// The coefficients `[c_0, c_1, ..., c_n]` of `self` as a polynomial in `x` (after
    /// expansion), or `None` when `self` is not a polynomial in `x` (a negative or fractional
    /// power of an expression containing `x`, or `x` inside a function). Coefficients are free
    /// of `x`; the leading coefficient is non-zero (an empty list for zero).
    pub fn poly_coeffs(&self, x: Symbol) -> Option<Vec<Expr>> {
        let e = self.expand().ok()?;
        let mut coeffs: Vec<Vec<Expr>> = Vec::new();
        for term in e.terms() {
            let (k, rest) = degree_in(&term, x)?;
            if coeffs.len() <= k {
                coeffs.resize(k + 1, Vec::new());
            }
            coeffs[k].push(rest);
        }
        let mut out: Vec<Expr> = coeffs.into_iter().map(Expr::add_all).collect();
        while out.last().is_some_and(Expr::is_zero) {
            out.pop();
        }
        Some(out)
    }

    /// `self` over a common denominator, `n/d`, without cancelling (SymPy's `together`).
    pub fn together(&self) -> Expr {
        let (n, d) = self.as_numer_denom();
        Expr::div(n, d)
    }

    /// `self` as `n/d` with `n` and `d` expanded polynomials (in every generator) without common
    /// factors, the denominator's numeric content cleared (SymPy's `cancel`). Expressions whose
    /// parts are not polynomial in their generators over Q, or of degree above
    /// [`CANCEL_MAX_DEGREE`], are returned over a common denominator only.
    pub fn cancel(&self) -> Expr {
        self.cancel_with(&crate::poly::Limits { max_degree: CANCEL_MAX_DEGREE, ..Default::default() })
    }

    /// [`Expr::cancel`] with explicit bounds on the polynomials' sizes: a numerator or
    /// denominator whose expansion would exceed `limits` is left unexpanded, and the result is
    /// `self` over a common denominator only (equal to `self`, not cancelled).
    pub fn cancel_with(&self, limits: &crate::poly::Limits) -> Expr {
        use crate::poly::Lex;
        use crate::poly::expr::{Generators, expr_to_mpoly, mpoly_to_expr};
        let (n, d) = self.as_numer_denom();
        let mut gens = Generators::new([]);
        let limits = *limits;
        let (Ok(pn), Ok(pd)) =
            (expr_to_mpoly::<Lex>(&n, &mut gens, &limits), expr_to_mpoly::<Lex>(&d, &mut gens, &limits))
        else {
            return Expr::div(n, d);
        };
        // Both were converted with the final generator list only if the second call added none.
        let (pn, pd) = if pn.nvars() == gens.len() {
            (pn, pd)
        } else {
            match (expr_to_mpoly::<Lex>(&n, &mut gens, &limits), expr_to_mpoly::<Lex>(&d, &mut gens, &limits)) {
                (Ok(a), Ok(b)) => (a, b),
                _ => return Expr::div(n, d),
            }
        };
        if pd.is_zero() {
            return Expr::div(n, d);
        }
        let g = pn.gcd(&pd);
        let (Ok(qn), Ok(qd)) = (pn.div_exact(&g), pd.div_exact(&g)) else { return Expr::div(n, d) };
        // Normalise: the denominator's leading coefficient becomes positive and its content one.
        let (content, prim) = qd.content_primitive();
        let num = mpoly_to_expr(&qn, gens.gens());
        let den = mpoly_to_expr(&prim, gens.gens());
        Expr::div(num, Expr::mul(Expr::num(Number::from_rational(content)), den))
    }

    /// Whether `self` is a polynomial in `x`.
    pub fn is_polynomial_in(&self, x: Symbol) -> bool {
        is_poly(self, x)
    }
}

/// Splits a term into `(k, c)` with `term = c * x**k`, `c` free of `x`.
fn degree_in(term: &Expr, x: Symbol) -> Option<(usize, Expr)> {
    let xs = Expr::sym(x);
    match term.kind() {
        Kind::Sym(s) if *s == x => Some((1, Expr::one())),
        Kind::Pow(b, e) if *b == xs => {
            let k = e.as_i64().filter(|k| *k > 0)?;
            Some((usize::try_from(k).ok()?, Expr::one()))
        }
        Kind::Mul(m) => {
            let mut k = 0usize;
            let mut rest = vec![Expr::num(m.coeff.clone())];
            for (b, e) in m.factors.iter() {
                if *b == xs {
                    let n = e.as_i64().filter(|n| *n > 0)?;
                    k += usize::try_from(n).ok()?;
                } else {
                    let f = Expr::pow(b.clone(), e.clone());
                    if crate::expr::has_symbol(&f, x) {
                        return None;
                    }
                    rest.push(f);
                }
            }
            Some((k, Expr::mul_all(rest)))
        }
        _ => (!crate::expr::has_symbol(term, x)).then(|| (0, term.clone())),
    }
}

fn is_poly(e: &Expr, x: Symbol) -> bool {
    match e.kind() {
        Kind::Sym(_) | Kind::Num(_) | Kind::Const(_) => true,
        Kind::Add(a) => a.terms.iter().all(|(t, _)| is_poly(t, x)),
        Kind::Mul(m) => m.factors.iter().all(|(b, p)| is_poly(&Expr::pow(b.clone(), p.clone()), x)),
        Kind::Pow(b, p) => {
            if !crate::expr::has_symbol(e, x) {
                return true;
            }
            p.as_i64().is_some_and(|k| k >= 0) && is_poly(b, x)
        }
        _ => !crate::expr::has_symbol(e, x),
    }
}

fn numer_denom(e: &Expr) -> (Expr, Expr) {
    match e.kind() {
        Kind::Num(Number::Rational(r)) => {
            (Expr::num(Number::from_integer(r.numer().clone())), Expr::num(Number::from_integer(r.denom().clone())))
        }
        Kind::Pow(b, p) => {
            if let Some(n) = p.as_number()
                && n.is_negative()
            {
                let pos = Expr::num(-n);
                let (bn, bd) = numer_denom(b);
                if n.is_integer() {
                    return (Expr::pow(bd, pos.clone()), Expr::pow(bn, pos));
                }
                return (Expr::one(), Expr::pow(b.clone(), pos));
            }
            if let Some(n) = p.as_number()
                && n.is_integer()
            {
                let (bn, bd) = numer_denom(b);
                return (Expr::pow(bn, p.clone()), Expr::pow(bd, p.clone()));
            }
            if p.could_extract_minus_sign() {
                return (Expr::one(), Expr::pow(b.clone(), Expr::neg(p.clone())));
            }
            (e.clone(), Expr::one())
        }
        Kind::Mul(m) => {
            let (cn, cd) = match &m.coeff {
                Number::Rational(r) => (
                    Expr::num(Number::from_integer(r.numer().clone())),
                    Expr::num(Number::from_integer(r.denom().clone())),
                ),
                c => (Expr::num(c.clone()), Expr::one()),
            };
            let mut nums = vec![cn];
            let mut dens = vec![cd];
            for (b, p) in m.factors.iter() {
                let (n, d) = numer_denom(&Expr::pow(b.clone(), p.clone()));
                nums.push(n);
                dens.push(d);
            }
            (Expr::mul_all(nums), Expr::mul_all(dens))
        }
        Kind::Add(_) => {
            // n1/d1 + n2/d2 + ... over the product of the distinct denominators.
            let parts: Vec<(Expr, Expr)> = e.terms().iter().map(numer_denom).collect();
            let mut dens: Vec<Expr> = Vec::new();
            for (_, d) in &parts {
                if !d.is_one() && !dens.contains(d) {
                    dens.push(d.clone());
                }
            }
            if dens.is_empty() {
                return (e.clone(), Expr::one());
            }
            let mut terms = Vec::with_capacity(parts.len());
            for (n, d) in parts {
                let mut factors = vec![n];
                let mut skipped = false;
                for other in &dens {
                    if !skipped && *other == d {
                        skipped = true;
                        continue;
                    }
                    factors.push(other.clone());
                }
                terms.push(Expr::mul_all(factors));
            }
            (Expr::add_all(terms), Expr::mul_all(dens))
        }
        _ => (e.clone(), Expr::one()),
    }
}

#[cfg(test)]
mod tests {
    use crate::{Symbol, parse};

    fn nd(s: &str) -> String {
        let (n, d) = parse(s).unwrap().as_numer_denom();
        format!("{n} | {d}")
    }

    #[test]
    fn numer_denom() {
        assert_eq!(nd("x/2 + 1/3"), "3*x + 2 | 6");
        assert_eq!(nd("2*x/(x + 2) - 1"), "2*x - x - 2 | x + 2".replace("2*x - x - 2", "x - 2"));
        assert_eq!(nd("1/x + 1/y"), "x + y | x*y");
        assert_eq!(nd("(x - 5)**(-8) - 3"), "1 - 3*(x - 5)**8 | (x - 5)**8");
        assert_eq!(nd("1/sqrt(x)"), "1 | sqrt(x)");
    }

    #[test]
    fn together_and_cancel() {
        assert_eq!(parse("1/x + 1/y").unwrap().together().to_string(), "(x + y)/(x*y)");
        assert_eq!(parse("(x**2 - 1)/(x - 1)").unwrap().cancel().to_string(), "x + 1");
        assert_eq!(parse("(x**2 + 2*x*y + y**2)/(2*x + 2*y)").unwrap().cancel().to_string(), "x/2 + y/2");
        assert_eq!(parse("1/(x - 1) - 1/(x + 1)").unwrap().cancel().to_string(), "2/(x**2 - 1)");
        assert_eq!(parse("sin(x)**2/sin(x)").unwrap().cancel().to_string(), "sin(x)");
        // Degrees over CANCEL_MAX_DEGREE are left alone (a dense gcd would need gigabytes).
        let huge = parse("(x**100000000 + 1)/(x**50000000 + 1)").unwrap();
        assert_eq!(huge.cancel(), huge);
        // Over the size limits: a common denominator, not an expansion.
        let tight = crate::poly::Limits { max_terms: 50, ..Default::default() };
        assert_eq!(parse("(x + y + z)**20/x + 1").unwrap().cancel_with(&tight).to_string(), "(x + (x + y + z)**20)/x");
    }

    #[test]
    fn coefficients() {
        let x = Symbol::new("x");
        let c = parse("a*x**2 + b*x + c + x*(x + 1)").unwrap().poly_coeffs(x).unwrap();
        let s: Vec<String> = c.iter().map(|e| e.to_string()).collect();
        assert_eq!(s, ["c", "b + 1", "a + 1"]);
        assert!(parse("sqrt(x) + 1").unwrap().poly_coeffs(x).is_none());
        assert!(parse("sin(x)").unwrap().poly_coeffs(x).is_none());
        assert_eq!(parse("sin(y)*x").unwrap().poly_coeffs(x).unwrap().len(), 2);
    }
}
