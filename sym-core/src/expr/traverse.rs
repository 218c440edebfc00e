//! Generic traversals: free symbols, occurrence tests, and rebuilding a node from new children.

use super::{Expr, Kind};
use crate::hash::ExprMap;
use crate::symbol::Symbol;
use std::collections::BTreeSet;

/// The symbols occurring in `e` (sorted by name). Bound variables do not exist in sym, but the
/// variable of a `RootOf` is not free: it is the polynomial's dummy.
pub fn free_symbols(e: &Expr) -> BTreeSet<Symbol> {
    let mut out = BTreeSet::new();
    let mut seen = ExprMap::default();
    let mut stack = vec![e.clone()];
    while let Some(x) = stack.pop() {
        if !x.has_free_symbols() || seen.insert(x.clone(), ()).is_some() {
            continue;
        }
        match x.kind() {
            Kind::Sym(s) => {
                out.insert(*s);
            }
            Kind::RootOf(r) => {
                for s in free_symbols(&r.poly) {
                    if s != r.var {
                        out.insert(s);
                    }
                }
            }
            _ => stack.extend(x.children()),
        }
    }
    out
}

/// Whether the symbol `s` occurs free in `e`.
pub fn has_symbol(e: &Expr, s: Symbol) -> bool {
    if !e.has_free_symbols() {
        return false;
    }
    let mut budget = SHALLOW_VISITS;
    if let Some(found) = has_symbol_shallow(e, s, &mut budget) {
        return found;
    }
    let mut seen = ExprMap::default();
    let mut stack = vec![e.clone()];
    while let Some(x) = stack.pop() {
        if !x.has_free_symbols() || seen.insert(x.clone(), ()).is_some() {
            continue;
        }
        match x.kind() {
            Kind::Sym(t) if *t == s => return true,
            Kind::RootOf(r) if r.var == s => {
                // s is bound inside; it occurs free only if other parts mention it (they cannot).
            }
            _ => stack.extend(x.children()),
        }
    }
    false
}

/// The nodes [`has_symbol`] visits recursively, without a memo or allocations, before it starts
/// over with a memo of visited nodes (which shared subtrees need: a deep graph unfolds to an
/// exponential tree).
const SHALLOW_VISITS: u32 = 128;

/// [`has_symbol`] by recursion, or `None` once `budget` visits are spent.
fn has_symbol_shallow(e: &Expr, s: Symbol, budget: &mut u32) -> Option<bool> {
    if !e.has_free_symbols() {
        return Some(false);
    }
    *budget = budget.checked_sub(1)?;
    let any = |xs: &mut dyn Iterator<Item = &Expr>, budget: &mut u32| -> Option<bool> {
        for x in xs {
            if has_symbol_shallow(x, s, budget)? {
                return Some(true);
            }
        }
        Some(false)
    };
    match e.kind() {
        Kind::Sym(t) => Some(*t == s),
        Kind::Num(_) | Kind::Const(_) | Kind::Bool(_) => Some(false),
        Kind::RootOf(r) if r.var == s => Some(false),
        Kind::RootOf(r) => has_symbol_shallow(&r.poly, s, budget),
        Kind::Add(a) => any(&mut a.terms.iter().map(|(t, _)| t), budget),
        Kind::Mul(m) => any(&mut m.factors.iter().flat_map(|(b, x)| [b, x]), budget),
        Kind::Pow(b, x) | Kind::Rel(_, b, x) => any(&mut [b, x].into_iter(), budget),
        Kind::Func(_, xs) | Kind::And(xs) | Kind::Or(xs) => any(&mut xs.iter(), budget),
        Kind::Piecewise(bs) => any(&mut bs.iter().flat_map(|(v, c)| [v, c]), budget),
        Kind::Not(x) => has_symbol_shallow(x, s, budget),
    }
}

/// Rebuilds `e` with each direct child replaced by `f(child)`, through the canonicalising
/// constructors (so the result is canonical again). Children are visited in the order of
/// [`Expr::children`]. The node is always rebuilt, even when no child changed (the canonical-form
/// tests rely on this: rebuilding a canonical node must give it back).
pub fn map_children<E>(e: &Expr, mut f: impl FnMut(&Expr) -> Result<Expr, E>) -> Result<Expr, E> {
    Ok(match e.kind() {
        Kind::Num(_) | Kind::Sym(_) | Kind::Const(_) | Kind::Bool(_) => e.clone(),
        Kind::Add(a) => {
            let mut terms = Vec::with_capacity(a.terms.len() + 1);
            terms.push(Expr::num(a.constant.clone()));
            for (t, c) in a.terms.iter() {
                terms.push(Expr::mul(Expr::num(c.clone()), f(t)?));
            }
            Expr::add_all(terms)
        }
        Kind::Mul(m) => {
            let mut fs = Vec::with_capacity(m.factors.len() + 1);
            fs.push(Expr::num(m.coeff.clone()));
            for (b, x) in m.factors.iter() {
                let nb = f(b)?;
                let nx = f(x)?;
                fs.push(Expr::pow(nb, nx));
            }
            Expr::mul_all(fs)
        }
        Kind::Pow(b, x) => {
            let nb = f(b)?;
            let nx = f(x)?;
            Expr::pow(nb, nx)
        }
        Kind::Func(func, args) => {
            let new: Vec<Expr> = args.iter().map(&mut f).collect::<Result<_, E>>()?;
            Expr::func_n(*func, new).unwrap_or_else(|_| e.clone())
        }
        Kind::Piecewise(bs) => {
            let mut new = Vec::with_capacity(bs.len());
            for (v, c) in bs.iter() {
                let nv = f(v)?;
                let nc = f(c)?;
                new.push((nv, nc));
            }
            Expr::piecewise(new)
        }
        Kind::Rel(op, a, b) => {
            let na = f(a)?;
            let nb = f(b)?;
            Expr::rel(*op, na, nb)
        }
        Kind::And(xs) => Expr::and_all(xs.iter().map(&mut f).collect::<Result<Vec<_>, E>>()?),
        Kind::Or(xs) => Expr::or_all(xs.iter().map(&mut f).collect::<Result<Vec<_>, E>>()?),
        Kind::Not(x) => Expr::not(f(x)?),
        Kind::RootOf(r) => {
            let np = f(&r.poly)?;
            Expr::root_of(np, r.var, r.index)
        }
    })
}
