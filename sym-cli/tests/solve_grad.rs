//! `sym solve --grad`: the gradients the CLI prints (computed through sym-grad's implicit derivatives) against
//! sym-solve's own implicit-function gradients at the same point and precision, the seed as a snapshot, and
//! `null` at a double root.

use expect_test::{Expect, expect};
use rug::Float;
use std::collections::HashMap;
use std::process::Command;
use sym_core::Symbol;
use sym_core::parse::parse_equation;
use sym_solve::SolveOptions;
use sym_solve::evaluate::solve_at;
use sym_solve::numeric::{Point, is_real_value};

fn sym(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_sym")).args(args).output().unwrap();
    assert!(out.status.success(), "sym {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn check(args: &[&str], want: Expect) {
    want.assert_eq(&sym(args).to_string());
}

#[test]
fn the_seed_circle() {
    // y = ±sqrt(9 - x**2) at x = 1: dy/dx = -x/y = ±1/(2 sqrt 2).
    check(
        &["solve", "x**2 + y**2 = 9", "--for", "y", "--at", "x=1", "--grad", "--json"],
        expect![[
            r#"{"coverage":"complete","domain":"complex","solutions":[{"exact":["-sqrt(9 - x**2)"],"grad":{"dy/dx":"0.35355339059327376"},"guard":null,"multiplicity":1,"values":[["-2.8284271247461901","0"]]},{"exact":["sqrt(9 - x**2)"],"grad":{"dy/dx":"-0.35355339059327376"},"guard":null,"multiplicity":1,"values":[["2.8284271247461901","0"]]}],"unknowns":["y"]}"#
        ]],
    );
}

#[test]
fn a_double_root_has_no_derivative() {
    // (x - a)**2 = 0: x = a is double; dx/da does not exist there (the two roots of (x - a)**2 = e meet).
    check(
        &["solve", "(x - a)**2", "--for", "x", "--at", "a=1", "--grad", "--json"],
        expect![[
            r#"{"coverage":"complete","domain":"complex","solutions":[{"exact":["a"],"grad":{"dx/da":null},"guard":null,"multiplicity":2,"values":[["1.0000000000000000","0"]]}],"unknowns":["x"]}"#
        ]],
    );
}

/// `(equation, unknown, --at)`: closed forms, a casus irreducibilis cubic, quintics (`RootOf`), a radical
/// equation, a biquadratic.
const CASES: &[(&str, &str, &str)] = &[
    ("x**2 + y**2 = 9", "y", "x=1"),
    ("a*x**2 + b*x + c", "x", "a=1,b=-3,c=2"),
    ("x**3 - 3*x + c", "x", "c=1"),
    ("x**5 + a*x + b", "x", "a=3/2,b=1/2"),
    ("x**5 - x - p", "x", "p=1/3"),
    ("sqrt(x) + x - a", "x", "a=5"),
    ("x**4 - 10*x**2 + k", "x", "k=9/4"),
];

#[test]
fn gradients_agree_with_sym_solve_at_forty_digits() {
    let digits = 40;
    let mut compared = 0;
    for (eq, unknown, at) in CASES {
        let out = sym(&["solve", eq, "--for", unknown, "--at", at, "--grad", "--json", "--digits", "40"]);
        let f = parse_equation(eq).unwrap();
        let x = Symbol::new(unknown);
        let point: Point = at
            .split(',')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (Symbol::new(k), sym_core::parse(v).unwrap())
            })
            .collect::<HashMap<_, _>>();
        let pr = solve_at(&f, x, &SolveOptions::default(), None, &point, digits, true).unwrap();
        let reals: Vec<_> = pr.solutions.iter().filter(|s| is_real_value(&s.values[0], 256)).collect();
        let printed = out["solutions"].as_array().unwrap();
        let with_grad: Vec<_> = printed.iter().filter(|s| s.get("grad").is_some()).collect();
        assert_eq!(with_grad.len(), reals.len(), "{eq}: {out}");
        for (s, want) in with_grad.iter().zip(&reals) {
            for (_, p, d) in &want.grad {
                let key = format!("d{unknown}/d{p}");
                let got = Float::with_val(256, Float::parse(s["grad"][&key].as_str().unwrap()).unwrap());
                let want = Float::with_val(256, d.as_ref().unwrap().real());
                // Forty significant digits: agreement to a few units in the 39th.
                let tol = Float::with_val(256, want.abs_ref()).max(&Float::with_val(256, 1e-300)) * 1e-38;
                assert!(Float::with_val(256, &got - &want).abs() <= tol, "{eq} {key}: cli {got} vs sym-solve {want}");
                compared += 1;
            }
        }
    }
    assert!(compared >= 15, "{compared}");
}
