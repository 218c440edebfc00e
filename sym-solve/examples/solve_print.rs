//! Prints the solution sets of closed-form equations (the general quartic and relatives), one
//! `{:?}` line per equation and the structural hashes of its roots and guards, so that two builds
//! can be compared for identical output.

use sym_core::{Symbol, parse};
use sym_solve::{SolveOptions, solve_one};

const EQUATIONS: &[&str] = &[
    "a*x**4 + b*x**3 + c*x**2 + d*x + e",
    "a*x**3 + b*x**2 + c*x + d",
    "a*x**2 + b*x + c",
    "a*x + b",
    "3*x**4 - 5*x**3 + x**2 - 7*x + 2",
    "x**4 + a*x + 1",
    "x**4 + a*x**2 + b",
    "(a - 1)*x**3 + b*x + 2*a",
    "a**2*x**2 - b**2",
    "2*a*x**4 + 4*a*b*x**2 + 6*a",
    "x**4 - 2*x**2 + 1",
    "x**3 - 3*x + 1",
    "x**3 + x + 1",
    "(a + b)*x**4 + (a - b)*x**3 + a*b*x + 1",
    "a*x**4 + 1/2*b*x**3 + sqrt(2)*c*x - 3",
    "x**4 + 4*x**3 + 6*x**2 + 4*x + a",
    "a*x**4 + b*x**3 + c*x**2 + d*x",
    "x**2 + sqrt(3)*x + 1",
];

fn main() {
    let x = Symbol::new("x");
    let opts = SolveOptions::default();
    for src in EQUATIONS {
        let f = parse(src).expect("the equation parses");
        let set = solve_one(&f, x, &opts);
        println!("{src}: {set:?}");
        // The structural hashes too: equal hashes mean equal trees, not just equal printouts.
        if let Ok(set) = set {
            for b in &set.branches {
                let roots: Vec<u64> = b.exact.iter().flatten().map(|r| r.hash_value()).collect();
                println!("  hashes {roots:?} guard {}", b.guard.hash_value());
            }
        }
    }
}
