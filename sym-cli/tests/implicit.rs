//! Implicit roots (equations without closed form, `F(x, y) = 0` solved for `y`): `sym solve --at --grad`
//! gives the certified value and `dy/dx`, checked against central differences of the values `sym solve`
//! prints at neighbouring points; `sym lower` gives a `root` op started from the solver's bracket, whose
//! values (reference interpreter) match `sym solve`'s and whose derivative graph (sym-grad, implicit function
//! theorem) matches central differences.

use ndarray::Array1;
use proptest::prelude::*;
use std::process::Command;
use sym_core::Symbol;

fn sym(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_sym")).args(args).output().unwrap();
    assert!(out.status.success(), "sym {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The one real solution of `eq` in `y` at `x` (value and `dy/dx`), with 30 digits.
fn solve_at(eq: &str, x: f64) -> (f64, f64) {
    let at = format!("x={x}");
    let v = sym(&["solve", eq, "--for", "y", "--domain", "real", "--at", &at, "--grad", "--digits", "30", "--json"]);
    let sols = v["solutions"].as_array().unwrap();
    assert_eq!(sols.len(), 1, "{eq} at x = {x}: {v}");
    let val: f64 = sols[0]["values"][0][0].as_str().unwrap().parse().unwrap();
    let d: f64 = sols[0]["grad"]["dy/dx"].as_str().unwrap().parse().unwrap();
    assert!(sols[0]["radius"][0].as_str().is_some(), "a certified radius: {v}");
    (val, d)
}

const EQUATIONS: [&str; 2] = ["y + sin(y) = x", "y*exp(y) + y = x"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// `dy/dx = -F_x/F_y` as printed agrees with `(y(x + h) - y(x - h)) / 2h` (`h = 1e-6`: truncation
    /// `O(h^2 y''') ~ 1e-12`, rounding of 30-digit values `1e-30 / h`), to `1e-9` relative.
    #[test]
    fn gradient_matches_central_differences(k in -20i32..=20, which in 0usize..2) {
        let eq = EQUATIONS[which];
        let x = f64::from(k) / 4.0 + 0.125;
        let (y, d) = solve_at(eq, x);
        let h = 1e-6;
        let (yp, _) = solve_at(eq, x + h);
        let (ym, _) = solve_at(eq, x - h);
        let fd = (yp - ym) / (2.0 * h);
        prop_assert!((d - fd).abs() <= 1e-9 * d.abs().max(1.0), "{}: x = {}, y = {}: {} vs {}", eq, x, y, d, fd);
        // The value solves the equation.
        let res = if which == 0 { y + y.sin() - x } else { y * y.exp() + y - x };
        prop_assert!(res.abs() <= 1e-12 * x.abs().max(1.0));
    }
}

/// `sym lower "y + sin(y) = x" --for y --inputs x` lowers the implicit root with the bracket `[x - 1, x + 1]`:
/// the graph's values match `sym solve`'s and its reverse-mode derivative matches central differences.
#[test]
fn lowered_implicit_root() {
    let text = Command::new(env!("CARGO_BIN_EXE_sym"))
        .args(["lower", "y + sin(y) = x", "--for", "y", "--inputs", "x"])
        .output()
        .unwrap();
    assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
    let shown = String::from_utf8(text.stdout).unwrap();
    assert!(shown.contains("root @0 (%0) bracket"), "{shown}");
    let f = sym_core::parse_equation("y + sin(y) = x").unwrap();
    let y = Symbol::new("y");
    let opts = sym_solve::SolveOptions { domain: sym_solve::Domain::Real, ..Default::default() };
    let set = sym_solve::solve_one(&f, y, &opts).unwrap();
    assert_eq!(set.coverage, sym_solve::Coverage::Complete, "{:?}", set.notes);
    let g = sym_lower::lower::lower_solved(&f, y, &set, &["x"], &sym_lower::lower::LowerOptions::default()).unwrap();
    assert_eq!(sym_lower::print(&g), shown);
    let xs: Vec<f64> = (-12..=12).map(|k| f64::from(k) * 0.75 + 0.1).collect();
    let xv = Array1::from_vec(xs.clone());
    let out = sym_lower::interpret(&g, &[xv.view().into()]).unwrap();
    let vals = out[0].as_f64().unwrap();
    let d = sym_grad::gradient(&g, "y[0]", &["x"], &sym_grad::GradOptions::default()).unwrap();
    let dout = sym_lower::interpret(d.graph(), &[xv.view().into()]).unwrap();
    let k = d
        .roles()
        .iter()
        .position(|r| matches!(r, sym_grad::Role::Derivative { of, .. } if of == "y[0]"))
        .expect("a derivative output");
    let grads = dout[k].as_f64().unwrap();
    for (i, x) in xs.iter().enumerate() {
        let (want, dwant) = solve_at("y + sin(y) = x", *x);
        assert!((vals[[i]] - want).abs() <= 1e-14 * want.abs().max(1.0), "x = {x}: {} vs {want}", vals[[i]]);
        // Central differences of the lowered values themselves (h = 1e-5 in f64: rounding ~ 1e-11; truncation
        // h^2 y''' / 6 grows near x = pi, where F_y = 1 + cos(y) vanishes, hence the relative 1e-6).
        let h = 1e-5;
        let xv2 = Array1::from_vec(vec![x + h, x - h]);
        let o2 = sym_lower::interpret(&g, &[xv2.view().into()]).unwrap();
        let v2 = o2[0].as_f64().unwrap();
        let fd = (v2[[0]] - v2[[1]]) / (2.0 * h);
        assert!((grads[[i]] - fd).abs() <= 1e-6 * fd.abs().max(1.0), "x = {x}: {} vs {fd}", grads[[i]]);
        assert!((grads[[i]] - dwant).abs() <= 1e-12 * dwant.abs().max(1.0), "x = {x}: {} vs {dwant}", grads[[i]]);
    }
}
