//! Property tests of sym-core's laws: the printer and parser round-trip, canonical forms are
//! idempotent, the ring laws hold structurally, expansion preserves values, and the parser never
//! panics on arbitrary text.

mod common;

use proptest::prelude::*;
use rug::Complex;
use sym_core::evalf::{ComplexEnv, eval_complex};
use sym_core::expr::map_children;
use sym_core::{Expr, Symbol, parse};

const XY: &[&str] = &["x", "y"];

/// Rebuilds `e` bottom-up through the canonicalising constructors.
fn rebuild(e: &Expr) -> Expr {
    map_children::<std::convert::Infallible>(e, |c| Ok(rebuild(c))).unwrap_or_else(|n| match n {})
}

fn env(x: (f64, f64), y: (f64, f64), prec: u32) -> ComplexEnv {
    let mut m = ComplexEnv::new();
    m.insert(Symbol::new("x"), Complex::with_val(prec, x));
    m.insert(Symbol::new("y"), Complex::with_val(prec, y));
    m
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// parse(print(e)) == e.
    #[test]
    fn print_parse_round_trip(e in common::expr(XY, 4)) {
        let text = e.to_string();
        let back = parse(&text).map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
        prop_assert_eq!(&back, &e, "printed as {}", text);
    }

    /// Canonical forms are idempotent: rebuilding a canonical expression from its children
    /// gives it back unchanged.
    #[test]
    fn canonical_is_idempotent(e in common::expr(XY, 4)) {
        prop_assert_eq!(rebuild(&e), e);
    }

    /// Commutativity, associativity, identities and inverses hold structurally.
    #[test]
    fn ring_laws(a in common::poly_expr(XY, 3), b in common::poly_expr(XY, 3), c in common::poly_expr(XY, 3)) {
        prop_assert_eq!(&a + &b, &b + &a);
        prop_assert_eq!(&a * &b, &b * &a);
        prop_assert_eq!(&(&a + &b) + &c, &a + &(&b + &c));
        prop_assert_eq!(&(&a * &b) * &c, &a * &(&b * &c));
        prop_assert_eq!(&a + &Expr::zero(), a.clone());
        prop_assert_eq!(&a * &Expr::one(), a.clone());
        prop_assert_eq!(&a - &a, Expr::zero());
        prop_assert_eq!(&a * &Expr::zero(), Expr::zero());
        // Distributivity holds after expansion.
        let lhs = (&a * &(&b + &c)).expand().unwrap();
        let rhs = (&(&a * &b) + &(&a * &c)).expand().unwrap();
        prop_assert_eq!(lhs, rhs);
    }

    /// Exactly one of `e` and `-e` can have a minus sign pulled out (unless `-e` is `e`: zero, `zoo`), and never
    /// both, also for sums with infinite terms: odd and even functions pull the sign out of their
    /// argument, so answering `true` for both would rewrite `f(e)` forever.
    #[test]
    fn one_of_e_and_minus_e_extracts_a_minus_sign(e in common::expr(XY, 3), inf in 0usize..5) {
        let infinite = ["oo*y", "(-oo)*x", "zoo*y", "oo", "-oo"];
        let special = &e + &parse(infinite[inf]).unwrap();
        for f in [&e, &special] {
            let minus = Expr::neg(f.clone());
            let (a, b) = (f.could_extract_minus_sign(), minus.could_extract_minus_sign());
            prop_assert!(!(a && b), "{} and {} both extract a minus sign", f, minus);
            // With infinities both may answer `false` (`oo*x` and `(-oo)*x`): the sign sits in the infinity.
            if f == &e && minus != e && !e.to_string().contains("oo") {
                prop_assert!(a || b, "neither {} nor {} extracts a minus sign", f, minus);
            }
            // Odd and even functions of it evaluate (no endless rewriting).
            let _ = (Expr::func(sym_core::Func::Sin, f.clone()), Expr::func(sym_core::Func::Cos, f.clone()));
        }
    }

    /// Expansion preserves the value at random complex points (200-bit evaluation).
    #[test]
    fn expand_preserves_values(e in common::expr(XY, 3), xr in -2.0f64..2.0, xi in -2.0f64..2.0, yr in -2.0f64..2.0) {
        // Small limits keep every case fast; a case over the limit is skipped.
        let limits = sym_core::expand::ExpandLimits { max_terms: 10_000, max_products: 200_000 };
        let Ok(x) = e.expand_with(limits) else { return Ok(()) };
        let env = env((xr, xi), (yr, 0.5), 200);
        let (Ok(v1), Ok(v2)) = (eval_complex(&e, &env, 200), eval_complex(&x, &env, 200)) else { return Ok(()) };
        // Expanded sums cancel: the rounding error scales with the largest term, not the result.
        let mut scale = rug::Float::with_val(200, v1.abs_ref()).to_f64().max(1.0);
        for t in x.terms() {
            if let Ok(v) = eval_complex(&t, &env, 200) {
                scale = scale.max(rug::Float::with_val(200, v.abs_ref()).to_f64());
            }
        }
        let diff = rug::Float::with_val(200, Complex::with_val(200, &v1 - &v2).abs_ref()).to_f64();
        prop_assume!(scale < 1e30);
        prop_assert!(diff <= 1e-40 * scale, "{} vs {}: diff {}", e, x, diff);
    }

    /// Arbitrary text (multi-byte characters included) never panics the parser, the printer, or evaluation.
    #[test]
    fn parser_never_panics(s in "[-+*/^()., =<>&|~!xyzIEpi0-9a-zA-Z_\u{d3}\u{3bb}\u{2212}\u{1f600}]{0,40}") {
        if let Ok(e) = parse(&s) {
            let _ = e.to_string();
            let _ = eval_complex(&e, &ComplexEnv::new(), 64);
        }
        let _ = sym_core::parse_equation(&s);
    }

    /// Arbitrary text built from the grammar's tokens never panics either (deeper coverage).
    #[test]
    fn token_soup_never_panics(toks in proptest::collection::vec(proptest::sample::select(&[
        "x", "y", "1", "2", "0", "1/2", "0.5", "1e400", "+", "-", "*", "/", "**", "^", "(", ")", ",", "=",
        "sqrt(", "exp(", "log(", "sin(", "LambertW(", "Abs(", "pi", "E", "I", "oo", "zoo", "nan",
        "Piecewise((", "True", "<", "RootOf(", "Eq(", "99999999999999999999", "-1",
    ][..]), 0..30)) {
        let s: String = toks.concat();
        if let Ok(e) = parse(&s) {
            let _ = e.to_string();
            let _ = e.expand_with(sym_core::expand::ExpandLimits { max_terms: 10_000, max_products: 200_000 });
            let _ = e.diff(Symbol::new("x"));
            let _ = eval_complex(&e, &env((0.3, 0.1), (0.7, 0.0), 64), 64);
        }
    }
}
