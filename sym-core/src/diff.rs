//! Symbolic derivatives of any order, for every function sym knows.
//!
//! Derivatives are memoised per subtree, so shared subexpressions are differentiated once and the
//! result shares structure too. The rules (for `u` a function of `x`, `u' = du/dx`):
//!
//! | expression | derivative |
//! |---|---|
//! | `b**e` | `b**e * (e' * log(b) + e * b'/b)` (only the needed half when `b` or `e` is constant) |
//! | `log(u)` | `u'/u` |
//! | `sin(u)`, `cos(u)`, `tan(u)` | `cos(u) u'`, `-sin(u) u'`, `(tan(u)**2 + 1) u'` |
//! | `cot(u)`, `sec(u)`, `csc(u)` | `-(cot(u)**2 + 1) u'`, `sec(u) tan(u) u'`, `-csc(u) cot(u) u'` |
//! | `asin(u)`, `acos(u)` | `u'/sqrt(1 - u**2)`, `-u'/sqrt(1 - u**2)` |
//! | `atan(u)`, `acot(u)` | `u'/(u**2 + 1)`, `-u'/(u**2 + 1)` |
//! | `sinh(u)`, `cosh(u)`, `tanh(u)`, `coth(u)` | `cosh(u) u'`, `sinh(u) u'`, `(1 - tanh(u)**2) u'`, `(1 - coth(u)**2) u'` |
//! | `asinh(u)`, `acosh(u)`, `atanh(u)` | `u'/sqrt(u**2 + 1)`, `u'/(sqrt(u - 1) sqrt(u + 1))`, `u'/(1 - u**2)` |
//! | `Abs(u)`, `sign(u)` | `sign(u) u'` (for real `u`), `0` (away from `u = 0`) |
//! | `LambertW(u, k)` | `LambertW(u, k) u' / (u (1 + LambertW(u, k)))` |
//! | `Piecewise((v_i, c_i))` | `Piecewise((v_i', c_i))` (conditions are locally constant) |
//! | `RootOf(P, y, k)` | `-(dP/dx) / (dP/dy)` at `y = RootOf(P, y, k)` (implicit function theorem) |
//!
//! Conditions (relations, `And`, ...) have derivative zero.

use crate::expr::{Expr, Func, Kind};
use crate::hash::ExprMap;
use crate::number::Number;
use crate::symbol::Symbol;

impl Expr {
    /// The derivative with respect to the symbol `x`.
    pub fn diff(&self, x: Symbol) -> Expr {
        let mut memo = ExprMap::default();
        diff_rec(self, x, &mut memo)
    }

    /// The `n`-th derivative with respect to `x`.
    pub fn diff_n(&self, x: Symbol, n: usize) -> Expr {
        let mut e = self.clone();
        for _ in 0..n {
            e = e.diff(x);
        }
        e
    }
}

fn diff_rec(e: &Expr, x: Symbol, memo: &mut ExprMap<Expr>) -> Expr {
    if let Some(d) = memo.get(e) {
        return d.clone();
    }
    let d = stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || diff_node(e, x, memo));
    memo.insert(e.clone(), d.clone());
    d
}

fn diff_node(e: &Expr, x: Symbol, memo: &mut ExprMap<Expr>) -> Expr {
    match e.kind() {
        Kind::Num(_) | Kind::Const(_) | Kind::Bool(_) | Kind::Rel(..) | Kind::And(_) | Kind::Or(_) | Kind::Not(_) => {
            Expr::zero()
        }
        Kind::Sym(s) => {
            if *s == x {
                Expr::one()
            } else {
                Expr::zero()
            }
        }
        Kind::Add(a) => {
            // Monomials in symbols (the bulk of expanded polynomials) differentiate directly
            // into (coefficient, monomial) pairs; other terms go through the general rules.
            let mut monos: Vec<(Expr, Number)> = Vec::new();
            let mut constant = Number::ZERO;
            let mut parts = Vec::new();
            for (t, c) in a.terms.iter() {
                match diff_symbol_monomial(t, x) {
                    Some(None) => {}
                    Some(Some((k, m))) if m.is_one() => constant = &constant + &(c * &k),
                    Some(Some((k, m))) => monos.push((m, c * &k)),
                    None => {
                        let dt = diff_rec(t, x, memo);
                        if !dt.is_zero() {
                            parts.push(Expr::mul(Expr::num(c.clone()), dt));
                        }
                    }
                }
            }
            if parts.is_empty() {
                // Distinct monomials stay distinct after d/dx (the exponent of x drops by one).
                return Expr::add_from_unique_terms(constant, monos);
            }
            parts.push(Expr::num(constant));
            parts.extend(monos.into_iter().map(|(m, k)| Expr::mul(Expr::num(k), m)));
            Expr::add_all(parts)
        }
        Kind::Mul(m) => {
            let factors: Vec<Expr> = m.factors.iter().map(|(b, p)| Expr::pow(b.clone(), p.clone())).collect();
            let mut parts = Vec::new();
            for i in 0..factors.len() {
                let d = diff_rec(&factors[i], x, memo);
                if d.is_zero() {
                    continue;
                }
                let mut prod = Vec::with_capacity(factors.len() + 1);
                prod.push(Expr::num(m.coeff.clone()));
                prod.push(d);
                for (j, f) in factors.iter().enumerate() {
                    if j != i {
                        prod.push(f.clone());
                    }
                }
                parts.push(Expr::mul_all(prod));
            }
            Expr::add_all(parts)
        }
        Kind::Pow(b, p) => {
            let db = diff_rec(b, x, memo);
            let dp = diff_rec(p, x, memo);
            match (db.is_zero(), dp.is_zero()) {
                (true, true) => Expr::zero(),
                // d(b**p) = p * b**(p - 1) * b'
                (false, true) => {
                    Expr::mul_all([p.clone(), Expr::pow(b.clone(), Expr::sub(p.clone(), Expr::one())), db])
                }
                // 0**p (and powers of it) is locally constant, zero where Re(p) > 0.
                _ if is_power_of_zero(b) => Expr::zero(),
                // d(b**p) = b**p * log(b) * p'
                (true, false) => Expr::mul_all([e.clone(), Expr::log(b.clone()), dp]),
                (false, false) => {
                    let inner =
                        Expr::add(Expr::mul(dp, Expr::log(b.clone())), Expr::mul(p.clone(), Expr::div(db, b.clone())));
                    Expr::mul(e.clone(), inner)
                }
            }
        }
        Kind::Func(f, args) => {
            let u = &args[0];
            let du = diff_rec(u, x, memo);
            if du.is_zero() {
                return Expr::zero();
            }
            Expr::mul(func_derivative(*f, args, e), du)
        }
        Kind::Piecewise(bs) => Expr::piecewise(bs.iter().map(|(v, c)| (diff_rec(v, x, memo), c.clone()))),
        Kind::RootOf(r) => {
            if r.var == x {
                return Expr::zero();
            }
            let dpdx = r.poly.diff(x);
            if dpdx.is_zero() {
                return Expr::zero();
            }
            let dpdy = r.poly.diff(r.var);
            let at_root = |q: &Expr| q.subs(&Expr::sym(r.var), e);
            Expr::neg(Expr::div(at_root(&dpdx), at_root(&dpdy)))
        }
    }
}

/// d/dx of a monomial in symbols with numeric exponents (`x**3*y`), as `(coefficient,
/// monomial)`: `Some(None)` when it does not depend on `x`, `None` when `t` is not such a
/// monomial.
fn diff_symbol_monomial(t: &Expr, x: Symbol) -> Option<Option<(Number, Expr)>> {
    let single;
    let factors: &[(Expr, Expr)] = match t.kind() {
        Kind::Sym(s) => return Some((*s == x).then(|| (Number::ONE, Expr::one()))),
        Kind::Pow(b, e) => {
            single = [(b.clone(), e.clone())];
            &single
        }
        Kind::Mul(m) if m.coeff.is_one() => &m.factors,
        _ => return None,
    };
    let mut at = None;
    for (i, (b, e)) in factors.iter().enumerate() {
        let (Some(s), Some(_)) = (b.as_symbol(), e.as_number()) else { return None };
        if s == x {
            at = Some(i);
        }
    }
    let Some(i) = at else { return Some(None) };
    let n = factors[i].1.as_number()?.clone();
    let n1 = &n - &Number::ONE;
    let mut rest: Vec<(Expr, Expr)> = factors.to_vec();
    if n1.is_zero() {
        rest.remove(i);
    } else {
        rest[i].1 = Expr::num(n1);
    }
    Some(Some((n, Expr::mul_from_unique_factors(Number::ONE, rest))))
}

/// Whether `b` is `0` or a power of a power of zero (the value zero wherever it is defined).
fn is_power_of_zero(b: &Expr) -> bool {
    match b.kind() {
        Kind::Pow(inner, _) => is_power_of_zero(inner),
        _ => b.is_zero(),
    }
}

/// `f'(u)` for `e = f(args)`, `u = args[0]`.
fn func_derivative(f: Func, args: &[Expr], e: &Expr) -> Expr {
    let u = args[0].clone();
    let one = Expr::one;
    let sq = |v: Expr| Expr::pow(v, Expr::int(2));
    let g = |h: Func| Expr::func(h, u.clone());
    match f {
        Func::Log => Expr::recip(u),
        Func::Sin => g(Func::Cos),
        Func::Cos => Expr::neg(g(Func::Sin)),
        Func::Tan => sq(e.clone()) + one(),
        Func::Cot => Expr::neg(sq(e.clone()) + one()),
        Func::Sec => e.clone() * g(Func::Tan),
        Func::Csc => Expr::neg(e.clone() * g(Func::Cot)),
        Func::Asin => Expr::recip(Expr::sqrt(one() - sq(u))),
        Func::Acos => Expr::neg(Expr::recip(Expr::sqrt(one() - sq(u)))),
        Func::Atan => Expr::recip(sq(u) + one()),
        Func::Acot => Expr::neg(Expr::recip(sq(u) + one())),
        Func::Sinh => g(Func::Cosh),
        Func::Cosh => g(Func::Sinh),
        Func::Tanh => one() - sq(e.clone()),
        Func::Coth => one() - sq(e.clone()),
        Func::Asinh => Expr::recip(Expr::sqrt(sq(u) + one())),
        Func::Acosh => Expr::recip(Expr::sqrt(u.clone() - one()) * Expr::sqrt(u + one())),
        Func::Atanh => Expr::recip(one() - sq(u)),
        Func::Abs => g(Func::Sign),
        Func::Sign => Expr::zero(),
        Func::LambertW => Expr::div(e.clone(), u * (one() + e.clone())),
    }
}

#[cfg(test)]
mod tests {
    use crate::{Symbol, parse};
    use expect_test::{Expect, expect};

    fn check(input: &str, var: &str, expect: Expect) {
        expect.assert_eq(&parse(input).unwrap().diff(Symbol::new(var)).to_string());
    }

    #[test]
    fn rules() {
        check("x**x", "x", expect![["x**x*(log(x) + 1)"]]);
        check("sin(x)*cos(x)", "x", expect!["cos(x)**2 - sin(x)**2"]);
        check("exp(2*x)", "x", expect![["2*exp(2*x)"]]);
        check("log(x**2 + 1)", "x", expect![["2*x/(x**2 + 1)"]]);
        check("atan(x)", "x", expect![["1/(x**2 + 1)"]]);
        check("LambertW(x)", "x", expect![["LambertW(x)/(x*(LambertW(x) + 1))"]]);
        check("Piecewise((x**2, x < 0), (x, True))", "x", expect![["Piecewise((2*x, x < 0), (1, True))"]]);
        check("RootOf(y**5 - y + t, y, 0)", "t", expect!["-1/(5*RootOf(y**5 + t - y, y, 0)**4 - 1)"]);
        check("x**3", "y", expect![["0"]]);
    }
}
