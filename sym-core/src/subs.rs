//! Substitution: replacing subexpressions (usually symbols) by expressions, with the result put
//! back into canonical form.
//!
//! Matching is structural on whole nodes: `(x + y).subs(x, 1)` is `y + 1`, and `x*y` inside
//! `x*y*z` is not matched as a sub-product (SymPy's `subs` does some algebraic matching; ours is
//! the predictable structural kind). The variable of a `RootOf` is bound and never replaced.

use crate::expr::{Expr, Kind, map_children};
use crate::hash::ExprMap;
use crate::number::Number;

impl Expr {
    /// Replaces every occurrence of `old` by `new`.
    pub fn subs(&self, old: &Expr, new: &Expr) -> Expr {
        self.subs_all(&[(old.clone(), new.clone())])
    }

    /// Replaces every occurrence of each `old` by its `new`, simultaneously.
    pub fn subs_all(&self, pairs: &[(Expr, Expr)]) -> Expr {
        if let Some(fast) = subs_in_expanded_polynomial(self, pairs) {
            return fast;
        }
        let table: ExprMap<Expr> = pairs.iter().cloned().collect();
        let mut memo = ExprMap::default();
        subs_rec(self, &table, &mut memo)
    }
}

/// `(base, exponent)` factors of a monomial in symbols with positive integer exponents.
fn symbol_monomial(e: &Expr) -> Option<Vec<(Expr, i64)>> {
    let one = |b: &Expr, p: &Expr| -> Option<(Expr, i64)> {
        let k = p.as_i64().filter(|k| *k > 0)?;
        b.as_symbol()?;
        Some((b.clone(), k))
    };
    match e.kind() {
        Kind::Sym(_) => Some(vec![(e.clone(), 1)]),
        Kind::Pow(b, p) => Some(vec![one(b, p)?]),
        Kind::Mul(m) if m.coeff.is_one() => m.factors.iter().map(|(b, p)| one(b, p)).collect(),
        _ => None,
    }
}

/// Substitution of symbols by symbols, numbers or monomials in an expanded polynomial (a sum
/// of monomials in symbols), done term by term with direct monomial arithmetic. The result is
/// what the general rebuild gives (each term stays a monomial, like terms collect), without
/// re-canonicalising every factor.
fn subs_in_expanded_polynomial(e: &Expr, pairs: &[(Expr, Expr)]) -> Option<Expr> {
    let Kind::Add(a) = e.kind() else { return None };
    if a.terms.len() < 16 {
        return None;
    }
    // Each replacement: (symbol, coefficient, monomial factors) with value = coefficient * monomial.
    let mut table: Vec<(Expr, Number, Vec<(Expr, i64)>)> = Vec::with_capacity(pairs.len());
    for (old, new) in pairs {
        old.as_symbol()?;
        let (c, m) = new.as_coeff_monomial();
        if !c.is_exact() {
            return None;
        }
        let fs = if m.is_one() { Vec::new() } else { symbol_monomial(&m)? };
        table.push((old.clone(), c, fs));
    }
    let mut acc = crate::expr::build::TermCollector::default();
    for (t, c) in a.terms.iter() {
        let fs = symbol_monomial(t)?;
        let mut coeff = c.clone();
        let mut out: Vec<(Expr, i64)> = Vec::with_capacity(fs.len());
        let mut put = |b: &Expr, k: i64, out: &mut Vec<(Expr, i64)>| match out.iter_mut().find(|(u, _)| u == b) {
            Some(slot) => slot.1 += k,
            None => out.push((b.clone(), k)),
        };
        for (b, k) in fs {
            match table.iter().find(|(old, _, _)| *old == b) {
                Some((_, vc, vfs)) => {
                    coeff = &coeff * &vc.pow_int(&rug::Integer::from(k), crate::expr::MAX_EXACT_POWER_BITS)?;
                    for (vb, vk) in vfs {
                        put(vb, vk * k, &mut out);
                    }
                }
                None => put(&b, k, &mut out),
            }
        }
        let factors: Vec<(Expr, Expr)> = out.into_iter().map(|(b, k)| (b, Expr::int(k))).collect();
        acc.add(Expr::mul_from_unique_factors(Number::ONE, factors), coeff);
    }
    Some(acc.finish(a.constant.clone()))
}

fn subs_rec(e: &Expr, table: &ExprMap<Expr>, memo: &mut ExprMap<Expr>) -> Expr {
    if let Some(v) = table.get(e) {
        return v.clone();
    }
    if e.depth() == 0 {
        return e.clone();
    }
    if let Some(v) = memo.get(e) {
        return v.clone();
    }
    let out = stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || match e.kind() {
        Kind::RootOf(r) => {
            let bound = Expr::sym(r.var);
            let inner: ExprMap<Expr> =
                table.iter().filter(|(k, _)| **k != bound).map(|(k, v)| (k.clone(), v.clone())).collect();
            let mut inner_memo = ExprMap::default();
            Expr::root_of(subs_rec(&r.poly, &inner, &mut inner_memo), r.var, r.index)
        }
        _ => match map_children::<std::convert::Infallible>(e, |c| Ok(subs_rec(c, table, memo))) {
            Ok(v) => v,
            Err(never) => match never {},
        },
    });
    memo.insert(e.clone(), out.clone());
    out
}

#[cfg(test)]
mod tests {
    use crate::{Expr, parse};

    /// The monomial fast path gives what the general rebuild gives.
    #[test]
    fn fast_path_agrees_with_general_rebuild() {
        let e = parse("(x + 2*y + z/3 + w + 1)**4").unwrap().expand().unwrap();
        let cases = [("x", "y"), ("x", "3"), ("y", "x*z"), ("z", "-2*w**2")];
        for (old, new) in cases {
            let (old, new) = (parse(old).unwrap(), parse(new).unwrap());
            let fast = e.subs(&old, &new);
            let table: crate::hash::ExprMap<Expr> = [(old, new)].into_iter().collect();
            let general = super::subs_rec(&e, &table, &mut Default::default());
            assert_eq!(fast, general);
        }
    }

    #[test]
    fn substitutes_and_recanonicalises() {
        let e = parse("x**2 + 2*x*y + sin(x)").unwrap();
        let x = Expr::symbol("x");
        assert_eq!(e.subs(&x, &Expr::int(0)).to_string(), "0");
        assert_eq!(e.subs(&x, &Expr::symbol("y")).to_string(), "3*y**2 + sin(y)");
        let r = parse("RootOf(y**5 - y + t, y, 0)").unwrap();
        assert_eq!(r.subs(&Expr::symbol("y"), &Expr::int(2)), r);
        assert_eq!(r.subs(&Expr::symbol("t"), &Expr::int(1)).to_string(), "RootOf(y**5 - y + 1, 0)");
    }
}
