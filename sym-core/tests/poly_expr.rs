//! Tests of the conversions between expressions and polynomials: generators (symbols, functions,
//! radicals, reciprocals), parameters as coefficients, round trips both ways.

mod poly_common;

use expect_test::{Expect, expect};
use poly_common::*;
use proptest::prelude::*;
use sym_core::poly::expr::{
    Generators, expr_to_mpoly, expr_to_param_mpoly, expr_to_upoly, mpoly_to_expr, param_mpoly_to_expr, upoly_to_expr,
};
use sym_core::poly::{GrevLex, Lex, Limits, MPoly, RationalField};
use sym_core::{Expr, Symbol, parse};

fn gens_string(g: &Generators) -> String {
    g.gens().iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ")
}

/// Converts with fresh generators and shows `[generators] polynomial -> expression`.
fn check(text: &str, e: Expect) {
    let ex = parse(text).unwrap();
    let mut g = Generators::default();
    let p: MPoly<RationalField, Lex> = expr_to_mpoly(&ex, &mut g, &Limits::default()).unwrap();
    let names: Vec<String> = g.gens().iter().map(|e| e.to_string()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let back = mpoly_to_expr(&p, g.gens());
    assert_eq!(back, ex.expand().unwrap(), "round trip of {text}");
    e.assert_eq(&format!("[{}] {} -> {}", gens_string(&g), p.display_with(&names), back));
}

#[test]
fn generators() {
    check("(x + 1)**3", expect![["[x] x^3 + 3*x^2 + 3*x + 1 -> x**3 + 3*x**2 + 3*x + 1"]]);
    check("x*y/2 - 3*y**2 + 7/3", expect![["[x, y] (1/2)*x*y - 3*y^2 + 7/3 -> x*y/2 - 3*y**2 + 7/3"]]);
    check("sin(x)**2 + 2*sin(x)*x", expect!["[x, sin(x)] 2*x*sin(x) + sin(x)^2 -> 2*x*sin(x) + sin(x)**2"]);
    check("x**(3/2) + 1/x**2", expect!["[1/x, sqrt(x)] 1/x^2 + sqrt(x)^3 -> x**(3/2) + x**(-2)"]);
    check("pi*x + exp(y)", expect!["[x, exp(y), pi] x*pi + exp(y) -> pi*x + exp(y)"]);
    check("(sqrt(2) + 1)**2", expect![["[sqrt(2)] sqrt(2)^2 + 2*sqrt(2) + 1 -> 2*sqrt(2) + 3"]]);
    check("0", expect![["[] 0 -> 0"]]);
}

#[test]
fn refused() {
    let mut g = Generators::default();
    let e = expr_to_mpoly::<Lex>(&parse("x + 0.5").unwrap(), &mut g, &Limits::default()).unwrap_err();
    expect![["expr_to_mpoly: unsupported in this ring: floating-point numbers are not exact coefficients"]]
        .assert_eq(&e.to_string());
    let e =
        expr_to_mpoly::<Lex>(&parse("(x + y + 1)**40").unwrap(), &mut g, &Limits { max_terms: 100, max_degree: 1000 })
            .unwrap_err();
    expect!["power: result needs 861 terms, the limit is 100"].assert_eq(&e.to_string());
    let e = expr_to_upoly(&parse("x**2 + y").unwrap(), Symbol::new("x"), &Limits::default()).unwrap_err();
    expect![["expr_to_upoly: unsupported in this ring: the expression involves generators other than the variable"]]
        .assert_eq(&e.to_string());
}

#[test]
fn parameters() {
    let e = parse("a*x**2 + b*x + c - x*sin(a)").unwrap();
    let mut vars = Generators::from_symbols(&[Symbol::new("x")]);
    let mut params = Generators::default();
    let p = expr_to_param_mpoly::<Lex>(&e, &mut vars, &mut params, &Limits::default()).unwrap();
    expect!["[x] [a, b, c, sin(a)]"].assert_eq(&format!("[{}] [{}]", gens_string(&vars), gens_string(&params)));
    assert_eq!(p.nvars(), 1);
    assert_eq!(param_mpoly_to_expr(&p, vars.gens(), params.gens()), e);
    // The discriminant of a x^2 + b x + c in x, with coefficients in Q[a, b, c].
    let q = expr_to_param_mpoly::<Lex>(&parse("a*x**2 + b*x + c").unwrap(), &mut vars, &mut params, &Limits::default())
        .unwrap();
    let disc = q.to_univariate(0).map_coeffs(q.ring().clone(), |c| c.lc()).discriminant().unwrap();
    expect!["b**2 - 4*a*c"].assert_eq(&mpoly_to_expr(&disc, params.gens()).to_string());
    // A generator that involves a variable becomes a variable: x*exp(x) in x.
    let mut vars = Generators::from_symbols(&[Symbol::new("x")]);
    let mut params = Generators::default();
    let r =
        expr_to_param_mpoly::<Lex>(&parse("y*x*exp(x)").unwrap(), &mut vars, &mut params, &Limits::default()).unwrap();
    expect![["[x, exp(x)] [y] 2"]].assert_eq(&format!(
        "[{}] [{}] {}",
        gens_string(&vars),
        gens_string(&params),
        r.nvars()
    ));
}

#[test]
fn univariate() {
    let x = Symbol::new("x");
    let u = expr_to_upoly(&parse("(2*x - 1)**3/4").unwrap(), x, &Limits::default()).unwrap();
    expect![["2*x^3 - 3*x^2 + (3/2)*x - 1/4"]].assert_eq(&u.to_string());
    expect![["2*x**3 - 3*x**2 + 3*x/2 - 1/4"]].assert_eq(&upoly_to_expr(&u, &Expr::sym(x)).to_string());
    let f = u.factor().unwrap();
    expect![["2 (x - 1/2, 3)"]].assert_eq(&format!(
        "{} {}",
        f.unit,
        f.factors.iter().map(|(g, e)| format!("({g}, {e})")).collect::<Vec<_>>().join(" ")
    ));
}

/// Random polynomial expressions in x, y, z built from a small grammar.
fn expr_strategy() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_string()),
        Just("y".to_string()),
        Just("z".to_string()),
        Just("sin(x)".to_string()),
        (-5i64..6).prop_map(|n| format!("({n})")),
        (1i64..4, 2i64..5).prop_map(|(p, q)| format!("({p}/{q})")),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} - {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}*{b})")),
            (inner, 0u32..4).prop_map(|(a, k)| format!("({a})**{k}")),
        ]
    })
}

proptest! {
    #![proptest_config(pconfig("proptest-regressions/poly_expr.txt", 96))]

    /// Expression -> polynomial -> expression is the expansion.
    #[test]
    fn expr_round_trip(text in expr_strategy()) {
        let e = parse(&text).unwrap();
        let mut g = Generators::default();
        let p: MPoly<RationalField, GrevLex> = expr_to_mpoly(&e, &mut g, &Limits::default()).unwrap();
        prop_assert_eq!(mpoly_to_expr(&p, g.gens()), e.expand().unwrap());
    }

    /// Polynomial -> expression -> polynomial is the identity.
    #[test]
    fn poly_round_trip(p in mpoly_q::<Lex>(3, 4, 6)) {
        let mut g = Generators::from_symbols(&[Symbol::new("x"), Symbol::new("y"), Symbol::new("z")]);
        let e = mpoly_to_expr(&p, g.gens());
        let q: MPoly<RationalField, Lex> = expr_to_mpoly(&e, &mut g, &Limits::default()).unwrap();
        prop_assert_eq!(q, p);
    }
}
