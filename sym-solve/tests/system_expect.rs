//! Data-driven tests of systems and transcendental equations: the exact solutions, guards and
//! coverage printed one branch a line.

use expect_test::{Expect, expect};
use sym_core::parse::parse_equation;
use sym_core::{Expr, Symbol};
use sym_solve::{Domain, SolveOptions, solve_one, solve_system};

fn show(set: &sym_solve::SolutionSet) -> String {
    let mut out = format!("{}\n", set.coverage.name());
    for b in &set.branches {
        let ex = b
            .exact
            .as_ref()
            .map_or("numeric".into(), |v| v.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", "));
        out.push_str(&ex);
        if !matches!(b.guard.kind(), sym_core::Kind::Bool(true)) {
            out.push_str(&format!("  if {}", b.guard));
        }
        out.push('\n');
    }
    out
}

fn check_system(eqs: &str, vars: &str, e: Expect) {
    let eqs: Vec<Expr> = eqs.split(';').map(|s| parse_equation(s.trim()).unwrap()).collect();
    let vars: Vec<Symbol> = vars.split(',').map(|s| Symbol::new(s.trim())).collect();
    let set = solve_system(&eqs, &vars, &SolveOptions::default()).unwrap();
    e.assert_eq(&show(&set));
}

fn check_real(eq: &str, x: &str, e: Expect) {
    let f = parse_equation(eq).unwrap();
    let opts = SolveOptions { domain: Domain::Real, ..SolveOptions::default() };
    let set = solve_one(&f, Symbol::new(x), &opts).unwrap();
    e.assert_eq(&show(&set));
}

#[test]
fn linear_systems() {
    check_system(
        "x + y - 5; 2*x - y - 1",
        "x, y",
        expect![[r#"
        complete
        2, 3
    "#]],
    );
    check_system(
        "x + y - 1; x + y - 2",
        "x, y",
        expect![[r#"
        complete
    "#]],
    );
    check_system(
        "x + y - 1",
        "x, y",
        expect![[r#"
        complete
        1 - y, y
    "#]],
    );
    check_system(
        "a*x + y - 1; x - y",
        "x, y",
        expect![[r#"
        generic
        1/(a + 1), 1/(a + 1)  if Ne(a + 1, 0)
    "#]],
    );
    check_system(
        "x + y + 1; x + GoldenRatio",
        "x, y",
        expect![[r#"
        complete
        -sqrt(5)/2 - 1/2, sqrt(5)/2 - 1/2
    "#]],
    );
}

#[test]
fn polynomial_systems() {
    check_system(
        "x**2 + y - 3; x - y - 4",
        "x, y",
        expect![[r#"
        complete
        -sqrt(29)/2 - 1/2, -sqrt(29)/2 - 9/2
        sqrt(29)/2 - 1/2, sqrt(29)/2 - 9/2
    "#]],
    );
    check_system(
        "x*y - 2*y; -x**2 + 2*y**2",
        "x, y",
        expect![[r#"
        complete
        0, 0
        2, -sqrt(2)
        2, sqrt(2)
    "#]],
    );
    check_system(
        "x**2 + y + z - 1; x + y**2 + z - 1; x + y + z**2 - 1",
        "x, y, z",
        expect![[r#"
        complete
        -sqrt(2) - 1, -sqrt(2) - 1, -sqrt(2) - 1
        0, 0, 1
        0, 1, 0
        sqrt(2) - 1, sqrt(2) - 1, sqrt(2) - 1
        1, 0, 0
    "#]],
    );
    check_system(
        "-2*sqrt(3)*c**2 + 2*c*s - 3*c + sqrt(3)*s; c**2 + s**2 - 1",
        "s, c",
        expect![[r#"
        complete
        -sqrt(3)/2, -1/2
        -1/2, -sqrt(3)/2
        1/2, -sqrt(3)/2
        sqrt(3)/2, 1/2
    "#]],
    );
    check_system(
        "x**2 + y**2 - 1; x**2 + y**2 - 2",
        "x, y",
        expect![[r#"
        complete
    "#]],
    );
}

#[test]
fn polynomial_systems_with_parameters() {
    // Solved over Q(a, b, c) as families in which the parameters are free, with the guards of
    // the special parameter values.
    check_system(
        "x*y - a; x + y - b",
        "x, y",
        expect![[r#"
        complete
        b/2 + sqrt(b**2 - 4*a)/2, b/2 - sqrt(b**2 - 4*a)/2
        b/2 - sqrt(b**2 - 4*a)/2, b/2 + sqrt(b**2 - 4*a)/2
    "#]],
    );
    check_system(
        "a*x**2 + y - 1; x - y - c",
        "x, y",
        expect![[r#"
        generic
        -(sqrt(4*a*c + 4*a + 1) + 1)/(2*a), -(2*a*c + 1)/(2*a) - sqrt(4*a*c + 4*a + 1)/(2*a)  if Ne(a, 0)
        (sqrt(4*a*c + 4*a + 1) - 1)/(2*a), sqrt(4*a*c + 4*a + 1)/(2*a) - (2*a*c + 1)/(2*a)  if Ne(a, 0)
        c + 1, 1  if Eq(a, 0)
    "#]],
    );
    check_system(
        "x - a; x - b",
        "x",
        expect![[r#"
        complete
        a  if Eq(b - a, 0)
    "#]],
    );
    check_system(
        "x**2 + y**2 - r**2; x - y",
        "x, y",
        expect![[r#"
        complete
        -sqrt(2)*r/2, -sqrt(2)*r/2
        sqrt(2)*r/2, sqrt(2)*r/2
    "#]],
    );
}

#[test]
fn positive_dimensional_systems_are_families() {
    // Families over free unknowns (the others of lowest degree), the dependent ones in closed form.
    check_system(
        "x**2 - y**2",
        "x, y",
        expect![[r#"
        complete
        -y, y
        y, y
    "#]],
    );
    check_system(
        "x**2 + y - 1",
        "x, y",
        expect![[r#"
        complete
        x, 1 - x**2
    "#]],
    );
    check_system(
        "x**2 + y**2 + z**2 - 1; x + y + z - 1",
        "x, y, z",
        expect![[r#"
        complete
        sqrt(2*z - 3*z**2 + 1)/2 - z/2 + 1/2, 1/2 - z/2 - sqrt(2*z - 3*z**2 + 1)/2, z
        1/2 - z/2 - sqrt(2*z - 3*z**2 + 1)/2, sqrt(2*z - 3*z**2 + 1)/2 - z/2 + 1/2, z
    "#]],
    );
    // Leading coefficients that vanish for special values of the free unknown: generic, with
    // the special component (y = 0, x free) as its own family.
    check_system(
        "x*y",
        "x, y",
        expect![[r#"
            generic
            0, y
            x, 0
        "#]],
    );
    check_system(
        "x*y - 1",
        "x, y",
        expect![[r#"
        generic
        1/y, y  if Ne(y, 0)
    "#]],
    );
    check_system(
        "x*z - y; y*z - x",
        "x, y, z",
        expect![[r#"
        generic
        0, 0, z
        y*z, y, z  if Eq(z**2 - 1, 0)
    "#]],
    );
    // Two free unknowns.
    check_system(
        "x + y**2 + z**3",
        "x, y, z",
        expect![[r#"
        complete
        -z**3 - y**2, y, z
    "#]],
    );
}

#[test]
fn transcendental_equations() {
    check_real(
        "exp(x) - 3",
        "x",
        expect![[r#"
        complete
        log(3)
    "#]],
    );
    check_real(
        "exp(2*x) - 3*exp(x) + 2",
        "x",
        expect![[r#"
        complete
        log(2)
        0
    "#]],
    );
    check_real(
        "x*exp(x) - 1",
        "x",
        expect![[r#"
            complete
            LambertW(1)
        "#]],
    );
    check_real(
        "2**x - 3*x",
        "x",
        expect![[r#"
        complete
        -LambertW(-log(2)/3)/log(2)
        -LambertW(-log(2)/3, -1)/log(2)
    "#]],
    );
    check_real(
        "log(x)**2 - 3*log(x) + 2",
        "x",
        expect![[r#"
        complete
        exp(2)
        E
    "#]],
    );
    check_real(
        "cosh(x) - 2",
        "x",
        expect![[r#"
        complete
        acosh(2)
        -acosh(2)
    "#]],
    );
    check_real(
        "4**(5 - 9*x) - 8**(2 - x)",
        "x",
        expect![[r#"
        complete
        (5*log(4) - 2*log(8))/(9*log(4) - log(8))
    "#]],
    );
    check_real(
        "log(1 + 3/x) + log(x + 3) - 3",
        "x",
        expect![[r#"
        complete
        exp(3)/2 - sqrt(exp(6) - 12*exp(3))/2 - 3
        exp(3)/2 + sqrt(exp(6) - 12*exp(3))/2 - 3
    "#]],
    );
    check_real(
        "x**(2/x) - 2",
        "x",
        expect![[r#"
        partial
        2
        4
    "#]],
    );
    check_real(
        "exp(x) + 1",
        "x",
        expect![[r#"
        complete
    "#]],
    );
}
