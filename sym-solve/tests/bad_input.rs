//! Bad input to `solve_one`: conditions instead of equations, an absent unknown, and degrees
//! beyond the configured limit give typed errors (or partial results), never panics or hangs.

use expect_test::{Expect, expect};
use sym_core::{Symbol, parse};
use sym_solve::{Coverage, SolveError, SolveOptions, solve_one};

/// Solves `input` for `x` with `max_degree` and prints the error, or the coverage and the
/// number of branches.
fn check(input: &str, max_degree: usize, want: Expect) {
    let opts = SolveOptions { max_degree, ..SolveOptions::default() };
    let got = match solve_one(&parse(input).unwrap(), Symbol::new("x"), &opts) {
        Ok(set) => format!("{} with {} branches", set.coverage.name(), set.branches.len()),
        Err(e) => format!("error: {e:?}"),
    };
    want.assert_eq(&got);
}

#[test]
fn conditions_are_not_equations() {
    check("x > 1", 1000, expect![[r#"error: NotAnEquation("x > 1")"#]]);
    check("x < 1 & x > 0", 1000, expect![[r#"error: NotAnEquation("(x < 1) & (x > 0)")"#]]);
    check("True", 1000, expect![[r#"error: NotAnEquation("True")"#]]);
}

#[test]
fn an_absent_unknown_is_an_error() {
    check("y**2 - 1", 1000, expect![[r#"error: UnknownAbsent("x")"#]]);
    check("3", 1000, expect![[r#"error: UnknownAbsent("x")"#]]);
    check("x - x", 1000, expect![[r#"error: UnknownAbsent("x")"#]]);
}

#[test]
fn degrees_beyond_the_limit_are_refused() {
    check("x**5 - x + 1", 4, expect![[r#"error: Limit { what: "polynomial degree", limit: 4 }"#]]);
    check("x**5 - x + t", 4, expect![[r#"error: Limit { what: "polynomial degree", limit: 4 }"#]]);
    check("x**4 - x + 1", 4, expect!["complete with 4 branches"]);
    check("1/x**3 + x**3 - 1", 5, expect![[r#"error: Limit { what: "polynomial degree", limit: 5 }"#]]);
    // Far beyond any limit: refused before anything of that size is built.
    check("x**1000000000 - 1", 1000, expect![[r#"error: Limit { what: "polynomial degree", limit: 1000 }"#]]);
    check("(x + 1)**100000 - 2", 1000, expect![[r#"error: Limit { what: "polynomial degree", limit: 1000 }"#]]);
    check("a*x**1000000000 + x - 1", 1000, expect![[r#"error: Limit { what: "polynomial degree", limit: 1000 }"#]]);
    check("sqrt(x) - x**1000000000", 1000, expect!["partial with 0 branches"]);
    check("1/(x**1000000000 - 1) - 1", 1000, expect![[r#"error: Limit { what: "polynomial degree", limit: 1000 }"#]]);
}

#[test]
fn the_error_type_is_matchable() {
    let opts = SolveOptions { max_degree: 2, ..SolveOptions::default() };
    let e = solve_one(&parse("x**3 - 2").unwrap(), Symbol::new("x"), &opts).unwrap_err();
    assert_eq!(e, SolveError::Limit { what: "polynomial degree", limit: 2 });
    // Transcendental equations are not errors: the result says it is partial.
    let set = solve_one(&parse("sin(x) - x/2").unwrap(), Symbol::new("x"), &SolveOptions::default()).unwrap();
    assert_eq!(set.coverage, Coverage::Partial);
}

/// Radical elimination refuses a polynomial of predicted degree over 100 before computing it (this one, with
/// radicals of index 5 and 3 over sextics, took over 30 seconds to reach degree 204 with algebraic
/// coefficients, whose roots could not have been checked anyway): a partial result with a note.
#[test]
fn radical_elimination_degree_limit() {
    let f = sym_core::parse(
        "-x + (1/4 - sqrt(2)*I/3)*(3*x**3/5 - x*(3*x**5 - 34) + sqrt((-6*x**4 + x*(4*x**2 - 34) + 90)**2/4 - 39302/27) \
         - 45)**(2/5) + 34/((3/2 - 3*sqrt(3)*I/5)*(x**2 - x*(2*x**2 - 34)/2 + sqrt((-4*x**3 + x*(3*x**2 - 34) + 90)/4 \
         - 39304/27) - 45)**(1/3))",
    )
    .unwrap();
    let set = sym_solve::solve_one(&f, sym_core::Symbol::new("x"), &sym_solve::SolveOptions::default()).unwrap();
    assert_eq!(set.coverage, sym_solve::Coverage::Partial);
    assert!(set.notes.iter().any(|n| n.contains("degree of the eliminated polynomial")), "{:?}", set.notes);
}
