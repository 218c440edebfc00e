//! Solves the general quartic `a*x**4 + b*x**3 + c*x**2 + d*x + e` N times (N from the first
//! argument, default 100), for instruction counts under callgrind: the difference between two
//! values of N divided by their difference is the cost of one solve, without the setup.

use sym_core::{Symbol, parse};
use sym_solve::{SolveOptions, solve_one};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100);
    let general = parse("a*x**4 + b*x**3 + c*x**2 + d*x + e").expect("the quartic parses");
    let x = Symbol::new("x");
    let opts = SolveOptions::default();
    let mut branches = 0;
    for _ in 0..n {
        let set = solve_one(std::hint::black_box(&general), x, &opts).expect("the quartic solves");
        branches += set.branches.len();
    }
    println!("{n} solves, {branches} branches");
}
