//! The canonical total order on expressions: by cached hash, then by structure on hash ties.
//!
//! It is only used to sort the children of sums and products, so it needs to be total,
//! deterministic and fast, not meaningful; the printer sorts for people separately.

use super::{Expr, Kind};
use std::cmp::Ordering;

/// Compares two expressions in the canonical order.
pub fn cmp_canonical(a: &Expr, b: &Expr) -> Ordering {
    if a.ptr_eq(b) {
        return Ordering::Equal;
    }
    a.hash_value()
        .cmp(&b.hash_value())
        .then_with(|| stacker::maybe_grow(64 * 1024, 1024 * 1024, || cmp_structure(a, b)))
}

fn cmp_slices(a: &[Expr], b: &[Expr]) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().zip(b).map(|(x, y)| cmp_canonical(x, y)).find(|o| o.is_ne()).unwrap_or(Ordering::Equal))
}

fn cmp_structure(a: &Expr, b: &Expr) -> Ordering {
    let (ka, kb) = (a.kind(), b.kind());
    ka.tag().cmp(&kb.tag()).then_with(|| match (ka, kb) {
        (Kind::Num(x), Kind::Num(y)) => x.cmp_structural(y),
        (Kind::Sym(x), Kind::Sym(y)) => x.cmp(y),
        (Kind::Const(x), Kind::Const(y)) => x.cmp(y),
        (Kind::Bool(x), Kind::Bool(y)) => x.cmp(y),
        (Kind::Add(x), Kind::Add(y)) => x.constant.cmp_structural(&y.constant).then_with(|| {
            x.terms.len().cmp(&y.terms.len()).then_with(|| {
                x.terms
                    .iter()
                    .zip(y.terms.iter())
                    .map(|((t1, c1), (t2, c2))| cmp_canonical(t1, t2).then_with(|| c1.cmp_structural(c2)))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
        }),
        (Kind::Mul(x), Kind::Mul(y)) => x.coeff.cmp_structural(&y.coeff).then_with(|| {
            x.factors.len().cmp(&y.factors.len()).then_with(|| {
                x.factors
                    .iter()
                    .zip(y.factors.iter())
                    .map(|((b1, e1), (b2, e2))| cmp_canonical(b1, b2).then_with(|| cmp_canonical(e1, e2)))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
        }),
        (Kind::Pow(b1, e1), Kind::Pow(b2, e2)) => cmp_canonical(b1, b2).then_with(|| cmp_canonical(e1, e2)),
        (Kind::Func(f1, a1), Kind::Func(f2, a2)) => f1.cmp(f2).then_with(|| cmp_slices(a1, a2)),
        (Kind::Piecewise(x), Kind::Piecewise(y)) => x.len().cmp(&y.len()).then_with(|| {
            x.iter()
                .zip(y.iter())
                .map(|((v1, c1), (v2, c2))| cmp_canonical(v1, v2).then_with(|| cmp_canonical(c1, c2)))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        }),
        (Kind::Rel(o1, a1, b1), Kind::Rel(o2, a2, b2)) => {
            o1.cmp(o2).then_with(|| cmp_canonical(a1, a2)).then_with(|| cmp_canonical(b1, b2))
        }
        (Kind::And(x), Kind::And(y)) | (Kind::Or(x), Kind::Or(y)) => cmp_slices(x, y),
        (Kind::Not(x), Kind::Not(y)) => cmp_canonical(x, y),
        (Kind::RootOf(x), Kind::RootOf(y)) => {
            cmp_canonical(&x.poly, &y.poly).then(x.var.cmp(&y.var)).then(x.index.cmp(&y.index))
        }
        _ => Ordering::Equal,
    })
}
