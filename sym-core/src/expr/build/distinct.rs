//! Fast paths of the sum and product builders for operands that only need sorting.
//!
//! The pairs of a canonical product are final and the terms of a canonical sum are canonical
//! monomials, so when the operands of `mul_all` have pairwise distinct bases (and the other
//! conditions below hold), their product is the coefficients' product with the pairs sorted:
//! the builder would put each pair through unchanged. Likewise a sum whose operands' monomials
//! are collected by one sort. These functions do exactly what the builders do in those cases, in
//! the same order (so float coefficients round alike), and answer `None` whenever the builder
//! would do more (merge exponents, combine numeric radicals, handle an infinity, `nan` or zero,
//! flatten a sum term); the caller then runs the builder. A bare sum operand is made primitive
//! here as the builder does: its content joins the coefficient.

use super::{
    Constant, Expr, Kind, Number, cmp_canonical, combine_numeric_radicals, finish_product, finish_sum,
    has_infinite_factor, is_special, monomial_of, split_content,
};

/// Multiplies the running coefficient as [`super::ProductBuilder`] does.
fn mul_coeff(coeff: &mut Option<Number>, n: &Number) {
    *coeff = Some(match coeff.take() {
        Some(c) => &c * n,
        None => n.clone(),
    });
}

/// Whether `(b, e)` is an infinite factor that the product rules for infinities would touch.
fn is_infinite_factor(b: &Expr, e: &Expr) -> bool {
    e.is_one() && matches!(b.kind(), Kind::Const(c) if is_special(*c))
}

/// The product of `args` when their bases are distinct (see the module documentation).
pub(super) fn product(args: &[Expr]) -> Option<Expr> {
    let mut n = 0;
    for a in args {
        match a.kind() {
            Kind::Num(_) => {}
            Kind::Mul(m) => n += m.factors.len(),
            // `nan` absorbs everything.
            Kind::Const(Constant::NaN) => return None,
            _ => n += 1,
        }
    }
    let mut coeff = None;
    let mut factors: Vec<(Expr, Expr)> = Vec::with_capacity(n);
    // The numeric contents of bare sums, applied after the operands' coefficients as the builder
    // does: a sum factor is kept primitive.
    let mut contents: Vec<Number> = Vec::new();
    for a in args {
        match a.kind() {
            Kind::Num(x) => mul_coeff(&mut coeff, x),
            Kind::Mul(m) => {
                mul_coeff(&mut coeff, &m.coeff);
                factors.extend(m.factors.iter().cloned());
            }
            Kind::Pow(b, e) => factors.push((b.clone(), e.clone())),
            Kind::Add(s) => match split_content(s) {
                Some((c, prim)) => {
                    contents.push(c);
                    factors.push((prim, Expr::one()));
                }
                None => factors.push((a.clone(), Expr::one())),
            },
            _ => factors.push((a.clone(), Expr::one())),
        }
    }
    let mut coeff = coeff.unwrap_or(Number::ONE);
    for c in &contents {
        coeff = &coeff * c;
    }
    if coeff.is_zero() || factors.iter().any(|(b, e)| is_infinite_factor(b, e)) {
        return None;
    }
    #[cfg(debug_assertions)]
    for (b, e) in &factors {
        debug_assert!(super::is_simplified_factor(b, e), "non-canonical factor {b} ** {e}");
    }
    factors.sort_unstable_by(|x, y| cmp_canonical(&x.0, &y.0));
    if factors.windows(2).any(|w| w[0].0 == w[1].0) || combine_numeric_radicals(&mut factors) {
        return None;
    }
    Some(finish_product(coeff, factors))
}

/// The sum of `c * e` over the pairs `(e, c)` of `args` when their monomials only need
/// collecting (see the module documentation).
pub(super) fn sum(args: &[(Expr, Number)]) -> Option<Expr> {
    let mut n = 0;
    for (a, _) in args {
        match a.kind() {
            Kind::Num(_) => {}
            Kind::Add(s) => n += s.terms.len(),
            _ => n += 1,
        }
    }
    let mut constant: Option<Number> = None;
    let mut add_constant = |c: Number| {
        constant = Some(match constant.take() {
            Some(k) => &k + &c,
            None => c,
        });
    };
    let mut terms: Vec<(Expr, Number)> = Vec::with_capacity(n);
    for (a, c) in args {
        match a.kind() {
            Kind::Num(x) => add_constant(c * x),
            Kind::Add(s) => {
                add_constant(c * &s.constant);
                terms.extend(s.terms.iter().map(|(t, k)| (t.clone(), c * k)));
            }
            Kind::Mul(m) if !m.coeff.is_one() => terms.push((monomial_of(m), c * &m.coeff)),
            _ => terms.push((a.clone(), c.clone())),
        }
    }
    let special = |t: &Expr| matches!(t.kind(), Kind::Const(c) if is_special(*c)) || has_infinite_factor(t);
    if terms.iter().any(|(t, _)| special(t)) {
        return None;
    }
    // A stable sort keeps equal monomials in the order of the arguments, so their coefficients
    // are added in the builder's order.
    terms.sort_by(|x, y| cmp_canonical(&x.0, &y.0));
    terms.dedup_by(|later, first| {
        if later.0 == first.0 {
            first.1 = &first.1 + &later.1;
            true
        } else {
            false
        }
    });
    terms.retain(|(_, c)| !c.is_zero());
    if terms.iter().any(|(t, c)| c.is_one() && matches!(t.kind(), Kind::Add(_))) {
        return None;
    }
    Some(finish_sum(constant.unwrap_or(Number::ZERO), terms))
}
