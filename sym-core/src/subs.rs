//! Substitution: replacing subexpressions (usually symbols) by expressions, with the result put
//! back into canonical form.
//!
//! Matching is structural on whole nodes: `(x + y).subs(x, 1)` is `y + 1`, and `x*y` inside
//! `x*y*z` is not matched as a sub-product (SymPy's `subs` does some algebraic matching; ours is
//! the predictable structural kind). The variable of a `RootOf` is bound and never replaced.

use crate::expr::{Expr, Kind, map_children};
use crate::hash::ExprMap;

impl Expr {
    /// Replaces every occurrence of `old` by `new`.
    pub fn subs(&self, old: &Expr, new: &Expr) -> Expr {
        self.subs_all(&[(old.clone(), new.clone())])
    }

    /// Replaces every occurrence of each `old` by its `new`, simultaneously.
    pub fn subs_all(&self, pairs: &[(Expr, Expr)]) -> Expr {
        let table: ExprMap<Expr> = pairs.iter().cloned().collect();
        let mut memo = ExprMap::default();
        subs_rec(self, &table, &mut memo)
    }
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
