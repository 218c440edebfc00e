//! Fuzz target: the canonicaliser and the operations built on it.
//!
//! For any expression the parser accepts: rebuilding it bottom-up through the canonicalising
//! constructors gives it back unchanged (canonical forms are idempotent), and expansion (under
//! small limits), differentiation, substitution, `together`/`cancel` and complex evaluation
//! return a value or a typed error, never a panic. Expansion's result is itself canonical.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
use rug::Complex;
use sym_core::evalf::{ComplexEnv, eval_complex};
use sym_core::expand::ExpandLimits;
use sym_core::expr::map_children;
use sym_core::poly::Limits;
use sym_core::{Expr, Symbol, parse};

/// Rebuilds `e` bottom-up through the canonicalising constructors.
/// Shared subexpressions are rebuilt once (an expanded result can share subtrees so deeply that
/// rebuilding it as a tree would take exponential time).
fn rebuild(e: &Expr) -> Expr {
    fn go(e: &Expr, memo: &mut std::collections::HashMap<Expr, Expr>) -> Expr {
        if let Some(r) = memo.get(e) {
            return r.clone();
        }
        let r = map_children::<std::convert::Infallible>(e, |c| Ok(go(c, memo))).unwrap_or_else(|n| match n {});
        memo.insert(e.clone(), r.clone());
        r
    }
    go(e, &mut std::collections::HashMap::new())
}

fuzz_target!(|data: &[u8]| {
    common::record(data);
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(e) = parse(text) else { return };
    assert_eq!(rebuild(&e), e, "{text:?}: canonical form not idempotent");
    let limits = ExpandLimits { max_terms: 2_000, max_products: 40_000 };
    if let Ok(x) = e.expand_with(limits) {
        assert_eq!(rebuild(&x), x, "{text:?}: expansion {x} not canonical");
    }
    let (sx, sy) = (Symbol::new("x"), Symbol::new("y"));
    let d = e.diff(sx);
    assert_eq!(rebuild(&d), d, "{text:?}: derivative {d} not canonical");
    let s = e.subs(&Expr::sym(sx), &Expr::sym(sy));
    assert_eq!(rebuild(&s), s, "{text:?}: substitution {s} not canonical");
    let _ = e.together();
    // Degree 256: the subresultant gcd of degree-2000 polynomials in a dozen generators takes
    // seconds to a minute (work, not a hang; the CLI's time limit bounds it for users).
    let _ = e.cancel_with(&Limits { max_terms: 2_000, max_degree: 256 });
    let mut env = ComplexEnv::new();
    env.insert(sx, Complex::with_val(64, (0.3, 0.1)));
    env.insert(sy, Complex::with_val(64, (0.7, 0.0)));
    let _ = eval_complex(&e, &env, 64);
});
